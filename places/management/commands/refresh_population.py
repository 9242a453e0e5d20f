from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from places.models import Municipality
from places.reference_data import PopulationFileError, apply_population, parse_population


class Command(BaseCommand):
    help = (
        "Replace every municipality's population and its year from a CSV of the shape of "
        "places/data/population.csv (code,population,year). The whole file is checked first: "
        "if any row has a problem, or a municipality is missing, nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the CSV file (UTF-8).")

    def handle(self, *args, file, **options):
        known = set(Municipality.objects.values_list("code", flat=True))
        try:
            with open(file, encoding="utf-8-sig", newline="") as handle:
                figures = parse_population(handle, known, latest_year=timezone.localdate().year)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text.") from error
        except PopulationFileError as error:
            for problem in error.errors:
                self.stderr.write(problem)
            raise CommandError(
                f"Nothing was changed: {len(error.errors)} problem(s) in {file}."
            ) from error
        with transaction.atomic():
            apply_population(Municipality, figures)
        years = sorted({year for _, year in figures.values()})
        total = sum(population for population, _ in figures.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Updated {len(figures)} municipalities: population {total} "
                f"({', '.join(map(str, years))})."
            )
        )
