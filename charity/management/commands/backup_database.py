from pathlib import Path

from django.core.management.base import BaseCommand

from charity.backup import backup


class Command(BaseCommand):
    help = "Dump the PostgreSQL database on a consistent snapshot, with a row-count manifest."

    def add_arguments(self, parser):
        parser.add_argument("--out", default="var/backups", help="folder for the dump and its manifest")

    def handle(self, out, **options):
        dump, manifest = backup(Path(out))
        self.stdout.write(self.style.SUCCESS(f"{dump}\n{manifest}"))
