from django.core.management.base import BaseCommand, CommandError

from kohtaamispaikat.core.backup import BackupError, import_content
from kohtaamispaikat.core.health import maintenance_break


class Command(BaseCommand):
    help = (
        "Restore content written by export_data into a freshly migrated database. All or "
        "nothing: on any problem the database is left as it was. A database that already has "
        "accounts or content is refused unless --replace is given. While it runs, the site "
        "answers a 503 maintenance page (the flag file MAINTENANCE_FILE)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON document written by export_data.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete every existing account and all content first (in the same transaction).",
        )

    def handle(self, *args, file, replace, **options):
        try:
            with open(file, encoding="utf-8") as stream, maintenance_break():
                result = import_content(stream, replace=replace)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        except BackupError as error:
            raise CommandError(f"Nothing was imported: {error}") from error
        counts = ", ".join(f"{count} {label}" for label, count in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Imported {counts}."))
