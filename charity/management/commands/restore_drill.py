from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from charity.backup import restore_drill


class Command(BaseCommand):
    help = "Restore a dump into a scratch database and compare every table's row count with its manifest."

    def add_arguments(self, parser):
        parser.add_argument("dump", help="a db-<stamp>.dump written by backup_database")
        parser.add_argument("--keep", action="store_true", help="keep the scratch database for inspection")

    def handle(self, dump, keep=False, **options):
        result = restore_drill(Path(dump), keep=keep)
        for table, (expected, restored) in sorted(result.mismatches.items()):
            self.stderr.write(f"  {table}: expected {expected}, restored {restored}")
        if not result.ok:
            raise CommandError(f"restore drill FAILED: {len(result.mismatches)} of {result.compared} tables differ")
        self.stdout.write(self.style.SUCCESS(
            f"restore drill passed: {result.compared} tables, every row count equal"
            + (f" (scratch database {result.scratch} kept)" if keep else "")))
