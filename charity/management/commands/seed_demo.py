from django.core.management.base import BaseCommand

from charity.demo import DEMO_PASSWORD, seed_demo_setup, seed_demo_users


class Command(BaseCommand):
    help = ("Create demo data: one login per role, a committee that can decide, and the active profile's "
            "service area and quorum as demo values while unset (idempotent; never touches existing rows).")

    def handle(self, **options):
        created = 0
        for username, role, was_created in seed_demo_users():
            created += was_created
            self.stdout.write(f"  {username:<14} {DEMO_PASSWORD}   {role}")
        profile = seed_demo_setup()
        if profile is not None:
            cities = "، ".join(profile.service_area_cities) or "-"
            self.stdout.write(f"  demo values of {profile.code}: service area {cities}, "
                              f"committee quorum {profile.committee_quorum}")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new rows)."))
