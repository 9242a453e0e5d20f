from django.core.management.base import BaseCommand, CommandError

from places.csv_io import import_places


class Command(BaseCommand):
    help = (
        "Import meeting places from a CSV file (the format of export_places), or their "
        "exceptions to the opening hours from the sister file (export_places --exceptions). "
        "Every row is checked first: if any row has a problem, nothing is saved and the "
        "problems are listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the CSV file (UTF-8, comma or semicolon).")
        parser.add_argument(
            "--organization",
            metavar="SLUG",
            help="Import every row for this organisation (rows may leave the column empty).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report, save nothing."
        )
        parser.add_argument(
            "--create-organizations",
            action="store_true",
            help="Create the organisations the file names that do not exist yet.",
        )

    def handle(self, *args, file, organization, dry_run, create_organizations, **options):
        try:
            with open(file, "rb") as source:
                report = import_places(
                    source,
                    organization=organization,
                    dry_run=dry_run,
                    create_organizations=create_organizations,
                )
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        if not report.ok:
            for problem in report.problems:
                location = f"row {problem.row}" if problem.row else "file"
                column = f", {problem.column}" if problem.column else ""
                self.stderr.write(f"{location}{column}: {problem.message}")
            raise CommandError(str(report.summary()))
        for note in report.notes:
            self.stdout.write(f"row {note.row}: {note.message}")
        self.stdout.write(self.style.SUCCESS(str(report.summary())))
        if report.new_organizations:
            verb = "Would create" if dry_run else "Created"
            names = ", ".join(report.new_organizations)
            self.stdout.write(f"{verb} the organisations {names}.")
