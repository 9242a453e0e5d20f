"""Every field of a place in the CSV, the sister file of exceptions, the Excel option, and the
lossless round trip: export, import into an empty database, export again gives the same bytes,
the same slugs and the same published flags (issue 19)."""

import csv
import datetime as dt
import io
import uuid

import pytest
from django.core.management import call_command
from django.utils import translation

from places.csv_io import CSV_COLUMNS, EXCEPTION_COLUMNS, import_places
from places.models import HoursException, Organization, Place
from tests.factories import (
    HoursExceptionFactory,
    OrganizationFactory,
    PlaceFactory,
    WeeklyHoursFactory,
    audience,
    municipality,
    organisation_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def every_field():
    """Places that between them give every column a value other than its default."""
    association = OrganizationFactory(slug="perhetalo", name="Perhetalo ry")
    parish = OrganizationFactory(slug="seurakunta", name="Seurakunta")
    full = PlaceFactory(
        name='\'=Kahvila, "Kohtaamo"',
        slug="kahvila-kohtaamo",
        organization=association,
        description="Rivi yksi.\nRivi kaksi; puolipiste.",
        name_sv="Kafé Kohtaamo",
        name_en="Café Kohtaamo",
        description_sv="Öppet för alla.",
        description_en="-Open to all",
        price_note="+1 € kahvi",
        step_free_access=True,
        accessible_toilet=True,
        induction_loop=True,
        accessibility_note="Hissi pihan puolella.",
        accessible_parking=True,
        stroller_space=True,
        guide_dogs_welcome=True,
        accessibility_contact="=Maija, 040 123 4567",
        arrival="ring",
        greets_newcomers=True,
        arrival_note="Ovikello kyltin vieressä.",
        nearest_stop="Kauppatori, linjat 2 ja 12",
        address_hidden=True,
        entrance_photo_alt="Vihreä ovi",
        languages=["fi", "sv", "se", "fi-plain"],
        amenities=["coffee", "peer_support"],
        online_url="https://meet.example.org/kohtaamo",
        contact_name="@Maija Meikäläinen",
        phone="+358 40 123 4567",
        email="kohtaamo@example.org",
        website="https://example.org/kohtaamo",
        free_of_charge=False,
        closed_on_public_holidays=True,
        closed_on_eves=True,
        hours_note="'Myös sopimuksen mukaan",
        is_published=True,
        last_verified=dt.date(2026, 3, 12),
        ptv_id=uuid.UUID("0b1c2d3e-4f50-4617-8899-aabbccddeeff"),
        audiences=[audience("lapsiperheet"), audience("ikaihmiset")],
    )
    WeeklyHoursFactory(place=full, weekday=1, opens=dt.time(9), closes=dt.time(12))
    WeeklyHoursFactory(place=full, weekday=5, opens=dt.time(20), closes=dt.time(2))
    summer = {"valid_from": dt.date(2031, 6, 1), "valid_until": dt.date(2031, 8, 31)}
    WeeklyHoursFactory(place=full, weekday=2, opens=dt.time(10), closes=dt.time(14), **summer)
    HoursExceptionFactory(place=full, start_date=dt.date(2026, 12, 27), reason="=Joulu")
    HoursExceptionFactory(
        place=full,
        start_date=dt.date(2027, 1, 2),
        end_date=dt.date(2027, 1, 4),
        closed=False,
        opens=dt.time(12),
        closes=dt.time(14, 30),
        reason="",
    )
    draft = PlaceFactory(
        name="Olohuone",
        slug="olohuone-keskusta",
        organization=association,
        municipality=municipality("091"),
        postal_code="00100",
        postal_town="Helsinki",
        # Where an import puts a place that came without coordinates (places.geocoding): an
        # import locates every place it brings in, so the round trip keeps this one's flag.
        location_approximate=True,
        is_published=False,
        last_verified=None,
        free_of_charge=True,
    )
    # The same name in another organisation and another municipality, made-up-looking slugs.
    same_name = PlaceFactory(
        name="Olohuone",
        slug="x-42",
        organization=parish,
        municipality=municipality("049"),
        postal_code="02100",
        postal_town="Espoo",
    )
    return full, draft, same_name


def export_both(tmp_path, name):
    places, exceptions = tmp_path / f"{name}.csv", tmp_path / f"{name}-exceptions.csv"
    call_command(
        "export_places", str(places), "--exceptions", str(exceptions), stderr=io.StringIO()
    )
    return places.read_bytes(), exceptions.read_bytes()


def rows_of(data):
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_every_field_has_a_column():
    not_in_csv = {
        # Bookkeeping, not information about the place.
        "id",
        "edit_count",
        "created_at",
        "updated_at",
        "ptv_imported",
        # Written as the opening_hours column ("PH off", the eves' rules).
        "closed_on_public_holidays",
        "closed_on_eves",
        # A file, uploaded in the admin (its description is a column).
        "entrance_photo",
        "entrance_photo_width",
        "entrance_photo_height",
    }
    fields = {field.name for field in Place._meta.get_fields() if field.concrete}
    fields |= {field.name for field in Place._meta.many_to_many}
    assert fields - not_in_csv - set(CSV_COLUMNS) == set()


def test_round_trip_through_an_empty_database_gives_the_same_bytes(tmp_path):
    every_field()
    first_places, first_exceptions = export_both(tmp_path, "first")
    slugs_and_flags = sorted(Place.objects.values_list("slug", "is_published", "uuid"))
    assert len(rows_of(first_exceptions)) == 2

    # A really empty database: the organisations come back from the file too.
    Place.objects.all().delete()
    Organization.objects.all().delete()
    assert not HoursException.objects.exists()
    for name in ("first.csv", "first-exceptions.csv"):
        call_command(
            "import_places",
            str(tmp_path / name),
            "--create-organizations",
            stdout=io.StringIO(),
        )

    again_places, again_exceptions = export_both(tmp_path, "again")
    assert again_places.decode().splitlines() == first_places.decode().splitlines()
    assert again_places == first_places
    assert again_exceptions == first_exceptions
    assert sorted(Place.objects.values_list("slug", "is_published", "uuid")) == slugs_and_flags


def test_every_column_is_written_and_formula_like_texts_come_back(tmp_path):
    full, draft, _same_name = every_field()
    places, exceptions = export_both(tmp_path, "paikat")
    by_slug = {row["slug"]: row for row in rows_of(places)}
    row = by_slug["kahvila-kohtaamo"]
    assert row["name"] == "''=Kahvila, \"Kohtaamo\""
    assert row["languages"] == "fi;sv;se;fi-plain"
    assert row["amenities"] == "coffee;peer_support"
    assert row["is_published"] == "true"
    assert row["last_verified"] == "2026-03-12"
    assert row["step_free_access"] == row["induction_loop"] == "true"
    assert row["contact_name"] == "'@Maija Meikäläinen"
    assert row["hours_note"] == "'Myös sopimuksen mukaan"  # not escaped: nothing to run
    assert row["uuid"] == str(full.uuid)
    assert row["ptv_id"] == "0b1c2d3e-4f50-4617-8899-aabbccddeeff"
    assert by_slug["olohuone-keskusta"]["is_published"] == "false"
    assert by_slug["olohuone-keskusta"]["last_verified"] == ""
    assert rows_of(exceptions)[0] == {
        "place": "kahvila-kohtaamo",
        "start_date": "2026-12-27",
        "end_date": "",
        "closed": "true",
        "opens": "",
        "closes": "",
        "reason": "'=Joulu",
    }
    assert list(rows_of(exceptions)[0]) == list(EXCEPTION_COLUMNS)

    Place.objects.all().delete()
    for path in ("paikat.csv", "paikat-exceptions.csv"):
        assert import_places((tmp_path / path).read_bytes()).ok
    restored = Place.objects.get(slug="kahvila-kohtaamo")
    assert restored.name == '\'=Kahvila, "Kohtaamo"'
    assert restored.contact_name == "@Maija Meikäläinen"
    assert restored.hours_note == "'Myös sopimuksen mukaan"
    assert restored.exceptions.get(closed=True).reason == "=Joulu"


def test_excel_option_starts_the_files_with_a_byte_order_mark(client, tmp_path):
    every_field()
    for path in ("/en/places.csv?excel=1", "/en/places-exceptions.csv?excel=1"):
        content = client.get(path).getvalue()
        assert content.startswith(b"\xef\xbb\xbf")
        (tmp_path / "excel.csv").write_bytes(content)
        with (tmp_path / "excel.csv").open(encoding="utf-8-sig", newline="") as stream:
            header = next(csv.reader(stream))
        assert header[0] in ("name", "place")
    assert not client.get("/en/places.csv").getvalue().startswith(b"\xef\xbb\xbf")
    assert client.get("/en/places.csv?excel=maybe").status_code == 400
    by_slug = {row["slug"]: row for row in rows_of(client.get("/en/places.csv?excel=1").getvalue())}
    assert by_slug["kahvila-kohtaamo"]["name_sv"] == "Kafé Kohtaamo"
    assert "olohuone-keskusta" not in by_slug  # the open data has published places only


def test_export_command_excel_option(tmp_path):
    every_field()
    call_command("export_places", str(tmp_path / "excel.csv"), "--excel", stderr=io.StringIO())
    with (tmp_path / "excel.csv").open(encoding="utf-8-sig", newline="") as stream:
        assert tuple(next(csv.reader(stream))) == CSV_COLUMNS


def test_a_row_with_a_slug_updates_that_place_even_renamed(tmp_path):
    full, _draft, _same_name = every_field()
    places, _exceptions = export_both(tmp_path, "paikat")
    text = places.decode().replace("''=Kahvila", "Kahvila")
    report = import_places(text)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    full.refresh_from_db()
    assert full.name == 'Kahvila, "Kohtaamo"'
    assert full.slug == "kahvila-kohtaamo"


def test_slug_of_another_organisations_place_is_refused():
    every_field()
    text = (
        "name,organization,municipality,street_address,postal_code,postal_town,slug\n"
        "Uusi,perhetalo,179,Kauppakatu 1,40100,Jyväskylä,x-42\n"
    )
    report = import_places(text)
    assert [(p.row, p.column) for p in report.problems] == [(2, "slug")]
    assert "Another meeting place has this slug" in report.problems[0].message


def test_identifiers_cannot_be_changed_by_an_import(tmp_path):
    every_field()
    places, _exceptions = export_both(tmp_path, "paikat")
    rows = rows_of(places)
    rows[0]["uuid"] = str(uuid.uuid4())
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    report = import_places(stream.getvalue())
    assert [(p.row, p.column) for p in report.problems] == [(2, "uuid")]


def test_bad_new_cells_are_reported_in_their_columns():
    OrganizationFactory(slug="perhetalo")
    text = (
        "name,organization,municipality,street_address,postal_code,postal_town,"
        "languages,last_verified,is_published,uuid\n"
        "Uusi,perhetalo,179,Kauppakatu 1,40100,Jyväskylä,fi;klingon,31.2.2026,ehkä,nope\n"
    )
    report = import_places(text)
    assert [(p.row, p.column) for p in report.problems] == [
        (2, "is_published"),
        (2, "last_verified"),
        (2, "languages"),
        (2, "uuid"),
    ]
    assert not Place.objects.exists()


def test_a_new_place_takes_the_published_flag_and_date_from_the_file():
    OrganizationFactory(slug="perhetalo")
    text = (
        "name;organization;municipality;street_address;postal_code;postal_town;"
        "is_published;last_verified;languages\n"
        'Uusi;perhetalo;179;Kauppakatu 1;40100;Jyväskylä;kyllä;12.3.2026;"FI; sv"\n'
    )
    assert import_places(text).created == 1
    place = Place.objects.get()
    assert place.is_published
    assert place.last_verified == dt.date(2026, 3, 12)
    assert place.languages == ["fi", "sv"]


def test_exceptions_file_replaces_the_exceptions_of_the_places_it_names():
    full, draft, _same_name = every_field()
    HoursExceptionFactory(place=draft, start_date=dt.date(2026, 5, 1))
    text = (
        "place,start_date,end_date,closed,opens,closes,reason\n"
        "kahvila-kohtaamo,24.6.2027,,,,,Juhannus\n"
        "kahvila-kohtaamo,2027-07-01,2027-07-31,ei,10.00,13:00,Kesä\n"
    )
    report = import_places(text, dry_run=True)
    assert report.ok and report.updated == 1
    assert full.exceptions.count() == 2
    assert import_places(text).updated == 1
    assert sorted(full.exceptions.values_list("start_date", "closed", "opens", "reason")) == [
        (dt.date(2027, 6, 24), True, None, "Juhannus"),
        (dt.date(2027, 7, 1), False, dt.time(10), "Kesä"),
    ]
    assert draft.exceptions.count() == 1
    assert import_places(text).unchanged == 1


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("ei-ole,2027-01-01,,,,,", "place"),
        ("kahvila-kohtaamo,1.13.2027,,,,,", "start_date"),
        ("kahvila-kohtaamo,,,,,,", "start_date"),
        ("kahvila-kohtaamo,2027-01-05,2027-01-01,,,,", "end_date"),
        ("kahvila-kohtaamo,2027-01-05,,true,10:00,12:00,", "opens, closes"),
        ("kahvila-kohtaamo,2027-01-05,,false,10:00,,", "opens, closes"),
        ("kahvila-kohtaamo,2027-01-05,,,25:00,26:00,", "opens"),
    ],
)
def test_bad_exception_rows_are_refused_with_row_and_column(line, column):
    full, _draft, _same_name = every_field()
    report = import_places(f"{','.join(EXCEPTION_COLUMNS)}\n{line}\n")
    assert [(p.row, p.column) for p in report.problems][0] == (2, column)
    assert full.exceptions.count() == 2


def test_staff_cannot_import_exceptions_for_another_organisations_place():
    full, _draft, same_name = every_field()
    staff = organisation_staff(full.organization)
    text = f"{','.join(EXCEPTION_COLUMNS)}\nx-42,2027-01-01,,,,,\n"
    report = import_places(text, user=staff)
    assert [p.column for p in report.problems] == ["place"]
    assert "No meeting place of yours" in report.problems[0].message
    assert not same_name.exceptions.exists()
