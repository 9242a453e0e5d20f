"""Time the largest CSV import the admin allows (CSV_IMPORT_MAX_ROWS, 5,000 rows).

On the database of DATABASE_URL (use a scratch database: the script adds an organisation and
5,000 places and deletes them at the end), as a site admin, the way the admin's import view
does it: a preview (dry run) and its confirmation for 5,000 new places with every column filled,
then the same for the file with every place changed. Prints the seconds of each step.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_scratch DJANGO_DEBUG=1 \\
        .venv/bin/python bench/csv_import.py
"""

import csv
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kohtaamispaikat.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from places.csv_io import CSV_COLUMNS, csv_import_max_rows, import_places  # noqa: E402
from places.models import Municipality, Organization, Place  # noqa: E402

ORGANIZATION = "csv-import-bench"


def sheet(count, municipalities, variant):
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for number in range(count):
        municipality = municipalities[number % len(municipalities)]
        writer.writerow(
            {
                "name": f"Penkkiolohuone {number}",
                "organization": ORGANIZATION,
                "municipality": municipality.name_fi,
                "street_address": f"Kauppakatu {number % 90 + 1}{variant}",
                "postal_code": "40100",
                "postal_town": municipality.name_fi,
                "latitude": str(municipality.latitude),
                "longitude": str(municipality.longitude),
                "audiences": "lapsiperheet;ikaihmiset",
                "opening_hours": f"Mo-Fr 09:00-1{5 + len(variant)}:00; Sa 10:00-14:00; PH off",
                "phone": "040 123 4567",
                "email": "olohuone@example.org",
                "website": "https://example.org/",
                "description": f"Avoin kaikille.{variant}\nKahvi 1 €.",
                "free_of_charge": "true",
                "slug": f"penkkiolohuone-{number}",
                "is_published": "true",
                "last_verified": "2026-03-12",
                "languages": "fi;sv",
                "amenities": "coffee;games",
                "contact_name": "Maija Meikäläinen",
            }
        )
    return stream.getvalue()


def timed(label, function):
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    print(f"{label}: {seconds:.1f} s")
    return result, seconds


def main():
    rows = csv_import_max_rows()
    user, _created = get_user_model().objects.get_or_create(
        username="csv-import-bench", defaults={"is_superuser": True, "is_staff": True}
    )
    Organization.objects.get_or_create(slug=ORGANIZATION, defaults={"name": "CSV import bench"})
    municipalities = list(Municipality.objects.order_by("code")[:50])
    print(f"{connection.vendor} {connection.cursor().connection.info.server_version}, {rows} rows")
    try:
        for label, variant in (("new places", ""), ("every place changed", " B")):
            content = sheet(rows, municipalities, variant)
            preview, _seconds = timed(
                f"preview, {label}",
                lambda content=content: import_places(content, dry_run=True, user=user),
            )
            assert preview.ok, preview.problems[:5]
            report, _seconds = timed(
                f"confirm, {label}",
                lambda content=content, preview=preview: import_places(
                    content, user=user, expected=preview.matched
                ),
            )
            assert report.ok, report.problems[:5]
            print(f"  {report.summary()}")
    finally:
        Place.objects.filter(organization__slug=ORGANIZATION).delete()
        Organization.objects.filter(slug=ORGANIZATION).delete()
        user.delete()


if __name__ == "__main__":
    main()
