"""`python manage.py expire_nominations [--today YYYY-MM-DD]` (DU-11)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from charity import calendar
from programmes.services import expire_overdue_nominations


class Command(BaseCommand):
    help = ("Nominees who did not answer by their due date lose the place, and the next candidates on the "
            "waiting list are nominated (DU-11). Safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to apply, YYYY-MM-DD (default: today in Asia/Riyadh)")

    def handle(self, today=None, **options):
        try:
            day = dt.date.fromisoformat(today) if today else calendar.today()
        except ValueError as exc:
            raise CommandError("--today must be YYYY-MM-DD") from exc
        result = expire_overdue_nominations(today=day)
        self.stdout.write(f"{day}: {result['expired']} without an answer, {result['nominated']} newly nominated")
