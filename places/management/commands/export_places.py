from django.core.management.base import BaseCommand, CommandError

from places.csv_io import write_exceptions_csv, write_places_csv
from places.models import Place


class Command(BaseCommand):
    help = (
        "Export all meeting places, published or not, as CSV (the format of import_places), "
        "and optionally their exceptions to the opening hours in the sister file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Where to write; standard output if left out.")
        parser.add_argument(
            "--exceptions",
            metavar="FILE",
            help="Also write the exceptions to the opening hours to this file.",
        )
        parser.add_argument(
            "--excel",
            action="store_true",
            help="Start the files with a UTF-8 byte order mark, which Excel needs.",
        )

    def handle(self, *args, file, exceptions, excel, **options):
        # The slug last: a stable order, so that exporting again writes the same bytes.
        places = Place.objects.order_by(
            "organization__slug", "municipality__name_fi", "name", "slug"
        )
        if exceptions is not None:
            self._write(exceptions, write_exceptions_csv, places, excel)
        if file is None:
            write_places_csv(places, self.stdout, excel)
            return
        self._write(file, write_places_csv, places, excel)
        count = places.count()
        self.stderr.write(self.style.SUCCESS(f"Exported {count} meeting places to {file}."))

    def _write(self, file, write, places, excel):
        try:
            with open(file, "w", encoding="utf-8", newline="") as stream:
                write(places, stream, excel)
        except OSError as error:
            raise CommandError(f"Cannot write {file}: {error.strerror}") from error
