"""Finland's regions and municipalities (see places/data/SOURCES.md) and the default audiences.

Loaded by data migrations, so every database holds the same reference rows after ``migrate``.
"""

import csv
from pathlib import Path

from django.utils.text import slugify

DATA_DIR = Path(__file__).resolve().parent / "data"

DEFAULT_AUDIENCES = [
    # slug, Finnish, Swedish, English
    ("kaikille", "Kaikille", "Alla", "Everyone"),
    ("lapsiperheet", "Lapsiperheet", "Barnfamiljer", "Families with children"),
    ("lapset", "Lapset", "Barn", "Children"),
    ("nuoret", "Nuoret", "Unga", "Young people"),
    ("nuoret-aikuiset", "Nuoret aikuiset", "Unga vuxna", "Young adults"),
    ("tyoikaiset", "Työikäiset", "Personer i arbetsför ålder", "Working-age adults"),
    ("ikaihmiset", "Ikäihmiset", "Äldre", "Seniors"),
    (
        "maahanmuuttajat",
        "Maahanmuuttajat ja uudet asukkaat",
        "Invandrare och nyinflyttade",
        "Immigrants and newcomers",
    ),
    ("tyottomat", "Työttömät", "Arbetslösa", "Unemployed people"),
    ("vammaiset", "Vammaiset", "Personer med funktionsnedsättning", "People with disabilities"),
    (
        "kuntoutujat",
        "Mielenterveys- ja päihdekuntoutujat",
        "Rehabiliteringsklienter inom mental hälsa och missbruk",
        "Mental health and substance-use rehabilitees",
    ),
    ("omaishoitajat", "Omaishoitajat", "Närståendevårdare", "Family carers"),
    ("kesaasukkaat", "Kesäasukkaat", "Sommarboende", "Summer residents"),
]


def read_rows(filename):
    with open(DATA_DIR / filename, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_regions_and_municipalities(region_model, municipality_model):
    for row in read_rows("regions.csv"):
        region_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_fi": row["name_fi"],
                "name_sv": row["name_sv"],
                "slug": slugify(row["name_fi"]),
            },
        )
    for row in read_rows("municipalities.csv"):
        municipality_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_fi": row["name_fi"],
                "name_sv": row["name_sv"],
                "slug": slugify(row["name_fi"]),
                "region_id": row["region_code"],
                "latitude": row["lat"],
                "longitude": row["lon"],
            },
        )


def load_default_audiences(audience_model):
    for position, (slug, name_fi, name_sv, name_en) in enumerate(DEFAULT_AUDIENCES):
        audience_model.objects.update_or_create(
            slug=slug,
            defaults={
                "name_fi": name_fi,
                "name_sv": name_sv,
                "name_en": name_en,
                "position": position,
            },
        )


# Sub-regions, wellbeing services counties, population and postal areas (#17). Codes of the
# counties' file that are not counties: Åland (91) has none, so its municipalities keep null.
NO_WELLBEING_COUNTY_CODES = {"91"}
POPULATION_COLUMNS = ["code", "population", "year"]


def load_subregions_and_counties(subregion_model, county_model, municipality_model):
    municipalities = {m.code: m for m in municipality_model.objects.all()}
    for row in read_rows("subregions.csv"):
        subregion_model.objects.update_or_create(
            code=row["subregion_code"],
            defaults={
                "name_fi": row["subregion_fi"],
                "name_sv": row["subregion_sv"],
                "slug": slugify(row["subregion_fi"]),
                "region_id": municipalities[row["code"]].region_id,
            },
        )
        municipalities[row["code"]].subregion_id = row["subregion_code"]
    for row in read_rows("wellbeing_counties.csv"):
        if row["county_code"] in NO_WELLBEING_COUNTY_CODES:
            municipalities[row["code"]].wellbeing_county_id = None
            continue
        county_model.objects.update_or_create(
            code=row["county_code"],
            defaults={
                "name_fi": row["county_fi"],
                "name_sv": row["county_sv"],
                "slug": slugify(row["county_fi"]),
            },
        )
        municipalities[row["code"]].wellbeing_county_id = row["county_code"]
    municipality_model.objects.bulk_update(
        municipalities.values(), ["subregion", "wellbeing_county"]
    )


class PopulationFileError(ValueError):
    """A population CSV that cannot be applied; ``errors`` names every problem found."""

    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


def parse_population(handle, known_codes, latest_year):
    """Reads ``code,population,year`` rows into {code: (population, year)}.

    Every known municipality must appear exactly once with a whole non-negative number and a
    year no later than ``latest_year``; otherwise PopulationFileError lists all problems, so
    that a refresh is applied whole or not at all.
    """
    reader = csv.DictReader(handle)
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != POPULATION_COLUMNS:
        raise PopulationFileError(
            [f"The header must be {','.join(POPULATION_COLUMNS)}, found {reader.fieldnames}."]
        )
    figures, seen, errors = {}, set(), []
    for line, row in enumerate(reader, start=2):
        code = (row["code"] or "").strip()
        if code not in known_codes:
            errors.append(f"Row {line}, column code: unknown municipality code {code!r}.")
            continue
        if code in seen:
            errors.append(f"Row {line}, column code: municipality {code} appears twice.")
            continue
        seen.add(code)
        try:
            population = int((row["population"] or "").strip())
            if population < 0:
                raise ValueError
        except ValueError:
            errors.append(
                f"Row {line}, column population: {row['population']!r} is not a whole number "
                "of zero or more."
            )
            continue
        try:
            year = int((row["year"] or "").strip())
            if not 1900 <= year <= latest_year:
                raise ValueError
        except ValueError:
            errors.append(
                f"Row {line}, column year: {row['year']!r} is not a year from 1900 "
                f"to {latest_year}."
            )
            continue
        figures[code] = (population, year)
    missing = sorted(set(known_codes) - seen)
    if missing:
        errors.append(f"Municipalities missing from the file: {', '.join(missing)}.")
    if errors:
        raise PopulationFileError(errors)
    return figures


def apply_population(municipality_model, figures):
    municipalities = list(municipality_model.objects.all())
    for municipality in municipalities:
        municipality.population, municipality.population_year = figures[municipality.code]
    municipality_model.objects.bulk_update(municipalities, ["population", "population_year"])


def load_population(municipality_model):
    known = set(municipality_model.objects.values_list("code", flat=True))
    with open(DATA_DIR / "population.csv", encoding="utf-8", newline="") as handle:
        figures = parse_population(handle, known, latest_year=9999)
    apply_population(municipality_model, figures)


def load_postal_areas(postal_area_model):
    postal_area_model.objects.bulk_create(
        [
            postal_area_model(
                code=row["postcode"],
                name_fi=row["name_fi"],
                name_sv=row["name_sv"],
                municipality_id=row["municipality_code"],
            )
            for row in read_rows("postcodes.csv")
        ],
        batch_size=500,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name_fi", "name_sv", "municipality"],
    )
