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
