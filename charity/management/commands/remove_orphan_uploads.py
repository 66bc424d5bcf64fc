from django.core.management.base import BaseCommand
from django.utils import timezone

from charity.orphans import remove_orphan_files


class Command(BaseCommand):
    help = ("Remove files under MEDIA_ROOT that no record (current or historical) points to and that are "
            "older than the grace period: uploads whose transaction never committed.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list the orphans, remove nothing")

    def handle(self, dry_run=False, **options):
        result = remove_orphan_files(now=timezone.now(), dry_run=dry_run)
        for name in result.removed:
            self.stdout.write(name)
        verb = "found" if dry_run else "removed"
        self.stdout.write(f"{result.checked} files checked, {len(result.removed)} orphans {verb}, "
                          f"{result.too_recent} too recent to judge")
