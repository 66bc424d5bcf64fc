from django.core.management.base import BaseCommand, CommandError

from charity.services import ProfileError, available_profiles, load_policy_profile


class Command(BaseCommand):
    help = "Load a policy profile shipped in charity/profiles/ and make it the active one (PR)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="one of: " + ", ".join(available_profiles()))
        parser.add_argument("--no-activate", action="store_true", help="load without activating it")

    def handle(self, name, no_activate=False, **options):
        try:
            profile, changed = load_policy_profile(name, activate=not no_activate)
        except ProfileError as exc:
            raise CommandError(str(exc)) from exc
        state = "loaded" if changed else "unchanged"
        active = "active" if profile.is_active else "inactive"
        self.stdout.write(self.style.SUCCESS(f"Profile {profile.code} ({profile.name_en}): {state}, {active}."))
