"""Exporting meeting places as CSV, the round trip export → import, and the two commands."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from places.csv_io import CSV_COLUMNS, import_places, iter_places_csv, write_places_csv
from places.models import Place
from tests.factories import (
    OrganizationFactory,
    PlaceFactory,
    WeeklyHoursFactory,
    audience,
    municipality,
)

pytestmark = pytest.mark.django_db


def exported(places):
    stream = io.StringIO()
    write_places_csv(places, stream)
    return stream.getvalue()


def varied_places():
    organization = OrganizationFactory(slug="perhetalo", name="Perhetalo ry")
    cafe = PlaceFactory(
        name='Kahvila, "Kohtaamo"',
        organization=organization,
        description="Rivi yksi.\nRivi kaksi; puolipiste.",
        phone="+358 40 123 4567",
        email="kohtaamo@example.org",
        website="https://example.org/kohtaamo",
        free_of_charge=False,
        closed_on_public_holidays=True,
        audiences=[audience("lapsiperheet"), audience("ikaihmiset")],
    )
    WeeklyHoursFactory(place=cafe, weekday=1, opens=dt.time(9), closes=dt.time(12))
    WeeklyHoursFactory(place=cafe, weekday=1, opens=dt.time(13), closes=dt.time(16, 30))
    WeeklyHoursFactory(place=cafe, weekday=5, opens=dt.time(20), closes=dt.time(2))
    summer = {"valid_from": dt.date(2031, 6, 1), "valid_until": dt.date(2031, 8, 31)}
    WeeklyHoursFactory(place=cafe, weekday=2, opens=dt.time(10), closes=dt.time(14), **summer)
    helsinki = PlaceFactory(
        name="Olohuone",
        organization=organization,
        municipality=municipality("091"),
        postal_code="00100",
        postal_town="Helsinki",
        latitude=None,
        longitude=None,
        is_published=False,
    )
    return cafe, helsinki


def snapshot():
    return [
        (
            model_to_dict(place, exclude=["audiences"]),
            sorted(place.audiences.values_list("slug", flat=True)),
            sorted(
                place.weekly_hours.values_list(
                    "weekday", "opens", "closes", "valid_from", "valid_until"
                ),
                key=str,
            ),
            place.updated_at,
        )
        for place in Place.objects.order_by("pk")
    ]


def test_export_has_the_import_columns_and_one_row_per_place():
    cafe, helsinki = varied_places()
    rows = list(csv.DictReader(io.StringIO(exported(Place.objects.all()))))
    assert tuple(rows[0]) == CSV_COLUMNS
    by_name = {row["name"]: row for row in rows}
    assert by_name[cafe.name]["organization"] == "perhetalo"
    assert by_name[cafe.name]["municipality"] == "Jyväskylä"
    assert by_name[cafe.name]["audiences"] == "lapsiperheet;ikaihmiset"
    assert by_name[cafe.name]["description"] == "Rivi yksi.\nRivi kaksi; puolipiste."
    assert by_name[cafe.name]["free_of_charge"] == "false"
    assert by_name[cafe.name]["opening_hours"] == (
        "Mo 09:00-12:00,13:00-16:30; Fr 20:00-02:00; 2031 Jun 01-2031 Aug 31 Tu 10:00-14:00; "
        "2031 Jun 01-2031 Aug 31 Mo,Fr,Sa off; PH off"
    )
    assert by_name[helsinki.name]["latitude"] == ""
    assert by_name[helsinki.name]["opening_hours"] == ""


def test_export_keeps_spreadsheets_from_running_cells_as_formulas():
    place = PlaceFactory(
        name='=HYPERLINK("https://evil.example","Klikkaa")',
        description="-2+3",
        phone="+358 40 123 4567",
    )
    row = next(csv.DictReader(io.StringIO(exported(Place.objects.all()))))
    assert row["name"] == "'" + place.name
    assert row["description"] == "'-2+3"
    assert row["phone"] == "+358 40 123 4567"
    before = snapshot()
    assert import_places(exported(Place.objects.all())).unchanged == 1
    assert snapshot() == before


def test_export_then_import_changes_nothing():
    varied_places()
    before = snapshot()
    report = import_places(exported(Place.objects.all()))
    assert report.ok, report.problems
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert snapshot() == before


def test_export_then_import_in_a_spreadsheet_dialect_changes_nothing():
    varied_places()
    before = snapshot()
    rows = list(csv.reader(io.StringIO(exported(Place.objects.all()))))
    semicolons = io.StringIO()
    csv.writer(semicolons, delimiter=";").writerows(rows)
    report = import_places(("\ufeff" + semicolons.getvalue()).encode("utf-8"))
    assert report.unchanged == 2
    assert snapshot() == before


def test_export_runs_a_constant_number_of_queries():
    organization = OrganizationFactory()

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            exported(Place.objects.all())
        return len(queries)

    for place in PlaceFactory.create_batch(5, organization=organization):
        WeeklyHoursFactory(place=place)
    with_five = count_queries()
    for place in PlaceFactory.create_batch(
        25, organization=organization, audiences=[audience("nuoret")]
    ):
        WeeklyHoursFactory(place=place)
    assert count_queries() == with_five


def test_export_streams_line_by_line():
    varied_places()
    lines = list(iter_places_csv(Place.objects.all()))
    assert lines[0] == ",".join(CSV_COLUMNS) + "\r\n"
    assert len(lines) == 3


def test_import_command_reports_a_summary(tmp_path):
    OrganizationFactory(slug="perhetalo")
    path = tmp_path / "paikat.csv"
    path.write_text(
        ",".join(CSV_COLUMNS[:6]) + "\nOlohuone,perhetalo,179,Kauppakatu 1,40100,Jyväskylä\n",
        encoding="utf-8",
    )
    stdout = io.StringIO()
    with translation.override("en"):
        call_command("import_places", str(path), "--dry-run", stdout=stdout)
        assert "Would create 1, update 0, leave 0 unchanged." in stdout.getvalue()
        assert not Place.objects.exists()
        call_command("import_places", str(path), stdout=stdout)
        assert "Created 1, updated 0, unchanged 0." in stdout.getvalue()
    assert Place.objects.get().name == "Olohuone"


def test_import_command_with_organization_option(tmp_path):
    organization = OrganizationFactory(slug="perhetalo")
    path = tmp_path / "paikat.csv"
    path.write_text(
        "name;municipality;street_address;postal_code;postal_town\n"
        "Olohuone;Jyväskylä;Kauppakatu 1;40100;Jyväskylä\n",
        encoding="utf-8-sig",
    )
    call_command("import_places", str(path), "--organization", "perhetalo", stdout=io.StringIO())
    assert Place.objects.get().organization == organization


def test_import_command_lists_problems_and_fails(tmp_path):
    OrganizationFactory(slug="perhetalo")
    path = tmp_path / "paikat.csv"
    path.write_text(
        ",".join(CSV_COLUMNS[:6]) + "\nOlohuone,perhetalo,179,Kauppakatu 1,401,Jyväskylä\n",
        encoding="utf-8",
    )
    stderr = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_places", str(path), stderr=stderr, stdout=io.StringIO())
    assert "row 2, postal_code: Enter a postal code of five digits." in stderr.getvalue()
    assert not Place.objects.exists()


def test_import_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_places", str(tmp_path / "ei-ole.csv"))


def test_export_command_writes_a_file_or_standard_output(tmp_path):
    cafe, helsinki = varied_places()
    path = tmp_path / "paikat.csv"
    call_command("export_places", str(path), stderr=io.StringIO())
    names = [row["name"] for row in csv.DictReader(path.open(encoding="utf-8", newline=""))]
    assert sorted(names) == sorted([cafe.name, helsinki.name])
    stdout = io.StringIO()
    call_command("export_places", stdout=stdout)
    assert stdout.getvalue() == path.read_bytes().decode("utf-8")
