import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from charity import calendar
from privacy.services import apply_retention


class Command(BaseCommand):
    help = ("Anonymise the personal data the retention policy no longer needs (PDPL): old final files, "
            "old closed complaints and requests, old access-log entries. Never deletes a row; every action "
            "is written to the retention log. Safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to apply, YYYY-MM-DD (default: today in Asia/Riyadh)")
        parser.add_argument("--dry-run", action="store_true", help="count what is due; change nothing")

    def handle(self, today=None, dry_run=False, **options):
        try:
            day = dt.date.fromisoformat(today) if today else calendar.today()
        except ValueError as exc:
            raise CommandError("--today must be YYYY-MM-DD") from exc
        result = apply_retention(today=day, now=timezone.now(), dry_run=dry_run)
        prefix = "dry run, due" if dry_run else "anonymised"
        self.stdout.write(f"{day} ({prefix}): {result.files} files, {result.complaints} complaints, "
                          f"{result.requests} requests, {result.exports} export files, "
                          f"{result.access_logs} access-log entries; {result.failed} failed")
        if result.failed:
            raise CommandError(f"{result.failed} records could not be anonymised; see the log")
