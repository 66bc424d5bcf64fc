import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from charity import calendar
from eligibility.sweep import enforce_deadlines


class Command(BaseCommand):
    help = ("Apply the service controls whose deadlines have passed (SC-6, SC-12): lapsed freezes become "
            "exclusions, late annual updates become freezes. Safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to enforce, YYYY-MM-DD (default: today in Asia/Riyadh)")

    def handle(self, today=None, **options):
        try:
            day = dt.date.fromisoformat(today) if today else calendar.today()
        except ValueError as exc:
            raise CommandError("--today must be YYYY-MM-DD") from exc
        result = enforce_deadlines(today=day, now=timezone.now())
        if not result.controls_adopted:
            self.stdout.write(f"{day}: the service controls (SC) are not adopted by this association's board: "
                              "nothing frozen or excluded (adopt them on the profile's setup checklist)")
            return
        self.stdout.write(f"{day}: {result.excluded} excluded, {result.frozen} frozen, {result.failed} failed")
        if result.failed:
            raise CommandError(f"{result.failed} files could not be processed; see the log")
