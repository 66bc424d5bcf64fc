from django.core.management.base import BaseCommand

from charity.demo import DEMO_PASSWORD, seed_demo_users


class Command(BaseCommand):
    help = "Create demo data: one login per role (idempotent; never touches existing rows)."

    def handle(self, **options):
        created = 0
        for username, role, was_created in seed_demo_users():
            created += was_created
            self.stdout.write(f"  {username:<14} {DEMO_PASSWORD}   {role}")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new rows)."))
