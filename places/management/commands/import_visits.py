from django.core.management.base import BaseCommand, CommandError

from places.csv_io import CsvFileError, read_csv_source
from places.visits import import_visits


class Command(BaseCommand):
    help = (
        "Import monthly visitor figures from a CSV file with the columns "
        "place,year,month,visits[,first_time] (place is the meeting place's slug). Every row is "
        "checked first: if any has a problem, nothing is saved. A month that already has a "
        "figure gets the file's."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the CSV file (UTF-8, comma or semicolon).")
        parser.add_argument(
            "--confirm-unusual",
            action="store_true",
            help="Save figures that are ten times a place's usual one (checked to be right).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and save nothing."
        )

    def handle(self, *args, file, confirm_unusual, dry_run, **options):
        try:
            with open(file, "rb") as handle:
                text = read_csv_source(handle)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        except CsvFileError as error:
            raise CommandError(" ".join(error.messages)) from error
        report = import_visits(text, confirm_unusual=confirm_unusual, dry_run=dry_run)
        if not report.ok:
            for problem in report.errors:
                self.stderr.write(problem)
            hint = " Add --confirm-unusual if they are right." if report.unusual else ""
            raise CommandError(
                f"Nothing was saved: {len(report.errors)} problem(s) in {file}.{hint}"
            )
        for warning in report.unusual:
            self.stdout.write(self.style.WARNING(f"{warning} (confirmed)"))
        if dry_run:
            self.stdout.write(f"{len(report.rows)} row(s) are fine; nothing was saved (--dry-run).")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(report.rows)} row(s): {report.created} new month(s), "
                f"{report.updated} updated."
            )
        )
