from django.core.management.base import BaseCommand, CommandError

from places.csv_io import write_places_csv
from places.models import Place


class Command(BaseCommand):
    help = "Export all meeting places, published or not, as CSV (the format of import_places)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Where to write; standard output if left out.")

    def handle(self, *args, file, **options):
        places = Place.objects.order_by("organization__slug", "municipality__name_fi", "name")
        if file is None:
            write_places_csv(places, self.stdout)
            return
        try:
            with open(file, "w", encoding="utf-8", newline="") as stream:
                write_places_csv(places, stream)
        except OSError as error:
            raise CommandError(f"Cannot write {file}: {error.strerror}") from error
        count = places.count()
        self.stderr.write(self.style.SUCCESS(f"Exported {count} meeting places to {file}."))
