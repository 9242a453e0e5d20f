"""Importing meeting places from CSV: all rows or none, with problems a spreadsheet user can
find (row as numbered in the spreadsheet, column, and what is wrong)."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation

from kohtaamispaikat.core import cache as page_cache
from places.csv_io import CSV_COLUMNS, import_places
from places.models import Place
from tests.factories import (
    OrganizationFactory,
    PlaceFactory,
    UserFactory,
    WeeklyHoursFactory,
    audience,
    organisation_staff,
    regional_coordinator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def org_a():
    return OrganizationFactory(name="Yhdistys A ry", slug="yhdistys-a")


@pytest.fixture
def org_b():
    return OrganizationFactory(name="Yhdistys B ry", slug="yhdistys-b")


def place_row(**overrides):
    return {
        "name": "Kylän olohuone",
        "organization": "yhdistys-a",
        "municipality": "Jyväskylä",
        "street_address": "Kauppakatu 1",
        "postal_code": "40100",
        "postal_town": "Jyväskylä",
        "latitude": "62.242603",
        "longitude": "25.747257",
        "audiences": "Lapsiperheet; ikaihmiset",
        "opening_hours": "Mo-Fr 09:00-15:00",
        "phone": "040 123 4567",
        "email": "olohuone@example.org",
        "website": "https://example.org/olohuone",
        "description": "Avoin kaikille.\nKahvi 1 €.",
        "free_of_charge": "kyllä",
        **overrides,
    }


def csv_text(*rows, columns=CSV_COLUMNS, delimiter=","):
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=delimiter)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return stream.getvalue()


def problems(report):
    return [(problem.row, problem.column, problem.message) for problem in report.problems]


def test_import_creates_unpublished_places_with_every_column(org_a):
    report = import_places(
        csv_text(
            place_row(),
            place_row(
                name="Toinen paikka",
                municipality="Helsinki",
                postal_code="00100",
                postal_town="Helsinki",
                latitude="",
                longitude="",
                audiences="",
                opening_hours="",
                free_of_charge="ei",
            ),
        )
    )
    assert problems(report) == []
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    place = Place.objects.get(name="Kylän olohuone")
    assert place.organization == org_a
    assert place.municipality_id == "179"
    assert (place.street_address, place.postal_code, place.postal_town) == (
        "Kauppakatu 1",
        "40100",
        "Jyväskylä",
    )
    assert (place.latitude, place.longitude) == (Decimal("62.242603"), Decimal("25.747257"))
    assert set(place.audiences.all()) == {audience("lapsiperheet"), audience("ikaihmiset")}
    assert sorted((rule.weekday, rule.opens, rule.closes) for rule in place.weekly_hours.all()) == [
        (weekday, dt.time(9), dt.time(15)) for weekday in range(1, 6)
    ]
    assert place.phone == "040 123 4567"
    assert place.email == "olohuone@example.org"
    assert place.website == "https://example.org/olohuone"
    assert place.description == "Avoin kaikille.\nKahvi 1 €."
    assert place.free_of_charge is True
    assert place.is_published is False
    other = Place.objects.get(name="Toinen paikka")
    assert other.municipality_id == "091"
    # Without coordinates (and without a geocoder): Helsinki's centre, flagged approximate.
    assert (other.latitude, other.longitude) == (Decimal("60.1666"), Decimal("24.9435"))
    assert other.location_approximate and not place.location_approximate
    assert other.free_of_charge is False
    assert other.slug != place.slug


def test_dry_run_reports_but_writes_nothing(org_a):
    report = import_places(csv_text(place_row()), dry_run=True)
    assert report.ok
    assert report.created == 1
    assert [row.action for row in report.rows] == ["created"]
    assert not Place.objects.exists()


def test_one_bad_row_stops_the_whole_import_and_names_row_and_column(org_a):
    report = import_places(
        csv_text(place_row(name="Hyvä"), place_row(name="Huono", postal_code="4010"))
    )
    assert problems(report) == [(3, "postal_code", "Enter a postal code of five digits.")]
    assert not report.rows
    assert not Place.objects.exists()


def test_every_problem_of_every_row_is_listed(org_a):
    report = import_places(
        csv_text(
            place_row(name="", email="ei-osoite"),
            place_row(name="Toinen", municipality="Atlantis", audiences="Lapset; marsilaiset"),
            place_row(name="Kolmas", organization="tuntematon", free_of_charge="ehkä"),
        )
    )
    assert problems(report) == [
        (2, "name", "This field cannot be blank."),
        (2, "email", "Enter a valid email address."),
        (
            3,
            "municipality",
            "Unknown municipality “Atlantis”. Give its code or its Finnish or Swedish name.",
        ),
        (3, "audiences", "Unknown audience “marsilaiset”."),
        (4, "organization", "Unknown organisation “tuntematon”."),
        (4, "free_of_charge", "Enter yes or no (or 1/0, true/false, kyllä/ei, ja/nej)."),
    ]
    assert not Place.objects.exists()


def test_problems_are_reported_in_the_active_language(org_a):
    bad = csv_text(place_row(email="ei-osoite", website="http://"))
    with translation.override("fi"):
        finnish = import_places(bad)
    with translation.override("en"):
        english = import_places(bad)
    assert problems(finnish) == [
        (2, "email", "Syötä kelvollinen sähköpostiosoite."),
        (2, "website", "Syötä oikea URL-osoite."),
    ]
    assert problems(english) == [
        (2, "email", "Enter a valid email address."),
        (2, "website", "Enter a valid URL."),
    ]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"latitude": "52.52", "longitude": "25.0"},
            [("latitude", "This latitude is south of Finland.")],
        ),
        (
            {"latitude": "62.2", "longitude": "35.1"},
            [("longitude", "This longitude is east of Finland.")],
        ),
        (
            {"longitude": ""},
            [("latitude, longitude", "Give both latitude and longitude, or neither.")],
        ),
        ({"latitude": "pohjoinen"}, [("latitude", "Enter a number, for example 62.2426.")]),
    ],
)
def test_coordinates_must_be_in_finland_and_come_in_pairs(org_a, overrides, expected):
    report = import_places(csv_text(place_row(**overrides)))
    assert [(column, message) for _row, column, message in problems(report)] == expected
    assert not Place.objects.exists()


def test_opening_hours_replace_the_weekly_hours_and_holiday_closure(org_a):
    place = PlaceFactory(name="Kylän olohuone", organization=org_a, closed_on_public_holidays=False)
    WeeklyHoursFactory(place=place, weekday=7, opens=dt.time(12), closes=dt.time(18))
    report = import_places(
        csv_text(
            place_row(
                opening_hours="Tu,Th 10:00-14:00; 2031 Jun 01-2031 Aug 31 Tu 11:00-13:00; PH off"
            )
        )
    )
    assert report.updated == 1
    place.refresh_from_db()
    assert place.closed_on_public_holidays is True
    assert sorted(
        place.weekly_hours.values_list("weekday", "opens", "closes", "valid_from"), key=str
    ) == [
        (2, dt.time(10), dt.time(14), None),
        (2, dt.time(11), dt.time(13), dt.date(2031, 6, 1)),
        (4, dt.time(10), dt.time(14), None),
        (4, dt.time(10), dt.time(14), dt.date(2031, 6, 1)),
    ]


def test_empty_opening_hours_keep_the_hours_and_off_removes_them(org_a):
    place = PlaceFactory(name="Kylän olohuone", organization=org_a)
    WeeklyHoursFactory(place=place, weekday=7, opens=dt.time(12), closes=dt.time(18))
    assert import_places(csv_text(place_row(opening_hours=""))).ok
    assert place.weekly_hours.count() == 1
    assert import_places(csv_text(place_row(opening_hours="Mo-Su off"))).ok
    assert place.weekly_hours.count() == 0


def test_reimport_replaces_audiences(org_a):
    import_places(csv_text(place_row(audiences="lapset;nuoret")))
    report = import_places(csv_text(place_row(audiences="ikaihmiset")))
    assert report.updated == 1
    assert list(Place.objects.get().audiences.values_list("slug", flat=True)) == ["ikaihmiset"]


def test_import_refreshes_the_public_pages_once(
    org_a, monkeypatch, django_capture_on_commit_callbacks
):
    bumps = []
    monkeypatch.setattr(page_cache, "_bump", lambda: bumps.append("bump"))
    with django_capture_on_commit_callbacks(execute=True):
        import_places(csv_text(place_row(), place_row(name="Toinen")))
    assert bumps == ["bump"]


@pytest.mark.parametrize("hours", ["Mo 10:00-10:00", "Mo 10:00-26:00", "Mo sunrise-sunset"])
def test_impossible_opening_hours_are_refused(org_a, hours):
    report = import_places(csv_text(place_row(opening_hours=hours)))
    assert [(row, column) for row, column, _message in problems(report)] == [(2, "opening_hours")]
    assert not Place.objects.exists()


def test_bad_opening_hours_are_reported_in_their_column(org_a):
    report = import_places(csv_text(place_row(opening_hours="joka päivä aamusta iltaan")))
    assert [(row, column) for row, column, _message in problems(report)] == [(2, "opening_hours")]
    assert problems(report)[0][2]
    assert not Place.objects.exists()


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("1", True),
        ("0", False),
        ("true", True),
        ("FALSE", False),
        ("kyllä", True),
        ("Ei", False),
        ("ja", True),
        ("nej", False),
        ("yes", True),
        ("no", False),
    ],
)
def test_free_of_charge_accepts_yes_and_no_in_three_languages(org_a, word, value):
    assert import_places(csv_text(place_row(free_of_charge=word))).ok
    assert Place.objects.get().free_of_charge is value


def test_excel_file_with_bom_semicolons_and_decimal_commas(org_a):
    text = csv_text(
        place_row(latitude="62,242603", longitude="25,747257", audiences="Lapset"),
        delimiter=";",
    )
    report = import_places(("\ufeff" + text).encode("utf-8"))
    assert problems(report) == []
    place = Place.objects.get()
    assert place.latitude == Decimal("62.242603")
    assert list(place.audiences.all()) == [audience("lapset")]


def test_plain_utf8_comma_file_from_a_binary_stream(org_a):
    report = import_places(io.BytesIO(csv_text(place_row()).encode("utf-8")))
    assert report.ok
    assert Place.objects.count() == 1


@pytest.mark.parametrize("given", ["179", "Jyväskylä", "JYVÄSKYLÄ", "Jyväskylä"])
def test_municipality_by_code_or_name_in_any_case(org_a, given):
    assert import_places(csv_text(place_row(municipality=given))).ok
    assert Place.objects.get().municipality_id == "179"


@pytest.mark.parametrize("given", ["091", "91", "Helsingfors", "helsinki"])
def test_municipality_code_without_leading_zeros_or_swedish_name(org_a, given):
    report = import_places(csv_text(place_row(municipality=given, postal_code="00100")))
    assert report.ok
    assert Place.objects.get().municipality_id == "091"


def test_organisation_by_name_and_audiences_in_any_language(org_a):
    report = import_places(
        csv_text(place_row(organization="yhdistys a ry", audiences="Barn;Seniors;nuoret"))
    )
    assert report.ok
    place = Place.objects.get()
    assert place.organization == org_a
    assert set(place.audiences.values_list("slug", flat=True)) == {"lapset", "ikaihmiset", "nuoret"}


def test_reimporting_updates_instead_of_duplicating(org_a):
    text = csv_text(place_row(), place_row(name="Toinen"))
    import_places(text)
    slugs = set(Place.objects.values_list("slug", flat=True))
    again = import_places(text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Place.objects.count() == 2
    assert set(Place.objects.values_list("slug", flat=True)) == slugs

    changed = import_places(
        csv_text(place_row(name="kylän OLOHUONE", phone="050 1"), place_row(name="Toinen"))
    )
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert Place.objects.count() == 2
    assert Place.objects.get(slug__in=slugs, name="kylän OLOHUONE").phone == "050 1"


def test_same_name_in_another_municipality_is_another_place(org_a):
    import_places(csv_text(place_row()))
    report = import_places(csv_text(place_row(municipality="Helsinki", postal_code="00100")))
    assert report.created == 1
    assert Place.objects.count() == 2


def test_the_same_place_twice_in_one_file_is_refused(org_a):
    report = import_places(csv_text(place_row(), place_row(phone="1")))
    assert problems(report) == [(3, "name", "The same meeting place is already on row 2.")]


def test_column_left_out_of_the_file_keeps_the_field(org_a):
    place = PlaceFactory(
        name="Kylän olohuone", organization=org_a, phone="09 123", website="https://a.example"
    )
    WeeklyHoursFactory(place=place, weekday=7)
    columns = (
        "name",
        "organization",
        "municipality",
        "street_address",
        "postal_code",
        "postal_town",
    )
    report = import_places(csv_text(place_row(street_address="Uusi katu 2"), columns=columns))
    assert report.updated == 1
    place.refresh_from_db()
    assert place.street_address == "Uusi katu 2"
    assert (place.phone, place.website) == ("09 123", "https://a.example")
    assert place.weekly_hours.count() == 1


def test_organization_option_fills_in_and_guards_the_organisation(org_a, org_b):
    columns = tuple(column for column in CSV_COLUMNS if column != "organization")
    assert import_places(csv_text(place_row(), columns=columns), organization="yhdistys-a").ok
    assert Place.objects.get().organization == org_a

    report = import_places(csv_text(place_row(organization="yhdistys-b")), organization=org_a)
    assert problems(report) == [
        (2, "organization", "This file is imported for Yhdistys A ry; this row names another.")
    ]


def test_unknown_organization_option_is_reported(org_a):
    report = import_places(csv_text(place_row()), organization="ei-ole")
    assert problems(report) == [(None, "organization", "Unknown organisation “ei-ole”.")]


def test_staff_cannot_import_rows_for_another_organisation(org_a, org_b):
    staff = organisation_staff(org_a)
    PlaceFactory(name="Kylän olohuone", organization=org_b)
    report = import_places(csv_text(place_row(organization="yhdistys-b")), user=staff)
    # Exactly the answer for an organisation that does not exist.
    assert problems(report) == [(2, "organization", "Unknown organisation “yhdistys-b”.")]
    assert Place.objects.get().street_address != "Kauppakatu 1"


def test_staff_update_their_places_but_cannot_create_new_ones(org_a):
    staff = organisation_staff(org_a)
    place = PlaceFactory(name="Kylän olohuone", organization=org_a)
    report = import_places(csv_text(place_row(), place_row(name="Uusi")), user=staff)
    assert problems(report) == [
        (
            3,
            "name",
            "This organisation has no meeting place of this name in this municipality, and you "
            "may only update existing places.",
        )
    ]
    assert import_places(csv_text(place_row()), user=staff).updated == 1
    place.refresh_from_db()
    assert place.street_address == "Kauppakatu 1"


def test_coordinator_cannot_import_places_outside_their_regions(org_a):
    coordinator = regional_coordinator("13")
    report = import_places(
        csv_text(place_row(), place_row(municipality="Helsinki", postal_code="00100")),
        user=coordinator,
    )
    assert problems(report) == [
        (
            3,
            "municipality",
            "You may not manage meeting places of this organisation in Helsinki.",
        )
    ]
    assert not Place.objects.exists()


def test_site_admin_user_imports_anything(org_a):
    report = import_places(
        csv_text(place_row(municipality="Helsinki", postal_code="00100")),
        user=UserFactory(is_superuser=True),
    )
    assert report.created == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"  \r\n ", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a CSV file,"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\x00\x00", "This is not a CSV file"),
        (b"name;organization\nx;y\n", "The file lacks required columns: municipality, "),
        (",".join(CSV_COLUMNS).encode(), "The file has no meeting places under its header row."),
        ((",".join(CSV_COLUMNS) + ",postcode\n").encode(), "Unknown columns: postcode."),
        ((",".join(CSV_COLUMNS) + ",name\n").encode(), "These columns appear twice: name."),
    ],
)
def test_unusable_files_are_refused_with_a_clear_message(org_a, content, message):
    report = import_places(content)
    assert not report.ok
    assert [problem.row for problem in report.problems] == [None]
    assert report.problems[0].message.startswith(message)


def test_too_large_file_is_refused(org_a, settings):
    settings.CSV_IMPORT_MAX_BYTES = 100
    report = import_places(csv_text(place_row()))
    assert report.problems[0].message.startswith("The file is too large")
    assert not Place.objects.exists()


def test_too_many_rows_are_refused(org_a, settings):
    settings.CSV_IMPORT_MAX_ROWS = 1
    report = import_places(csv_text(place_row(), place_row(name="Toinen")))
    assert problems(report) == [
        (None, "", "The file has 2 rows; at most 1 can be imported at once.")
    ]


def test_row_with_more_cells_than_columns_is_refused(org_a):
    text = csv_text(place_row()) + ",".join(["x"] * (len(CSV_COLUMNS) + 1)) + "\n"
    report = import_places(text)
    assert (3, "", "This row has more cells than there are columns.") in problems(report)


def test_blank_lines_are_skipped_and_rows_keep_their_spreadsheet_numbers(org_a):
    rows = place_row(description=""), place_row(name="Toinen", postal_code="1", description="")
    lines = csv_text(*rows).splitlines()
    text = "\n".join([lines[0], lines[1], ",,,", lines[2]]) + "\n"
    assert problems(import_places(text)) == [
        (4, "postal_code", "Enter a postal code of five digits.")
    ]


def test_a_place_named_map_gets_a_slug_its_page_can_be_found_at(org_a):
    report = import_places(csv_text(place_row(name="Map")))

    assert report.ok
    assert Place.objects.get(name="Map").slug != "map"  # /places/map/ is the map page
