"""The CSV import for people with spreadsheets: files in Finnish Excel's Windows-1252 with
semicolons (or other encodings and delimiters) and columns named in Finnish or Swedish are
read; a file that is no CSV gets a clear message, never a server error (issue 19)."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import translation

from places.csv_io import CSV_COLUMNS, EXCEPTION_COLUMNS, import_places
from places.csv_io.columns import COLUMN_NAMES_FILE
from places.csv_io.reading import decode_csv
from places.models import Place
from tests.factories import OrganizationFactory, PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db

FINNISH_SHEET = (
    "Nimi;Organisaatio;Kunta;Katuosoite;Postinumero;Postitoimipaikka;Aukioloajat;Kuvaus;"
    "Maksuton;Kielet;Leveysaste;Pituusaste\n"
    "Äänekosken perhekahvila;Yhdistys A ry;Äänekoski;Hämeentie 1;44100;Äänekoski;"
    "Mo-Fr 09:00-15:00;”Tervetuloa” – kahvi 1 € • ÅÄÖ;ei;fi;62,604;25,7264\n"
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def org_a():
    return OrganizationFactory(name="Yhdistys A ry", slug="yhdistys-a")


def test_finnish_excel_file_in_windows_1252_with_finnish_column_names(org_a):
    report = import_places(FINNISH_SHEET.encode("cp1252"))
    assert report.ok, report.problems
    place = Place.objects.get()
    assert place.name == "Äänekosken perhekahvila"
    assert place.municipality.name_fi == "Äänekoski"
    assert place.description == "”Tervetuloa” – kahvi 1 € • ÅÄÖ"
    assert not place.free_of_charge
    assert place.languages == ["fi"]
    assert str(place.latitude) == "62.604000"
    assert place.weekly_hours.count() == 5


@pytest.mark.parametrize("encoding", ["cp1252", "iso8859_15", "cp850", "utf-16", "utf-8-sig"])
def test_the_encodings_spreadsheets_save_in_are_read(encoding):
    text = "nimi;kunta\nÄänekosken perhekahvila;Vörå, kahvi 1,50\n"
    assert decode_csv(text.encode(encoding))[0] == text


def test_swedish_column_names_and_tabs(org_a):
    sheet = (
        "Namn\tOrganisation\tKommun\tGatuadress\tPostnummer\tPostanstalt\tÖppettider\tSpråk\n"
        "Mötesplatsen\tyhdistys-a\tVörå\tHandelsesplanaden 1\t66600\tVörå\tTu 10:00-12:00\tsv;fi\n"
    )
    report = import_places(sheet.encode("utf-16"))
    assert report.ok, report.problems
    place = Place.objects.get()
    assert (place.name, place.municipality.name_sv, place.languages) == (
        "Mötesplatsen",
        "Vörå",
        ["sv", "fi"],
    )


def test_exceptions_file_with_finnish_column_names_in_windows_1252():
    place = PlaceFactory(slug="kahvila")
    sheet = "Paikka;Alkaa;Päättyy;Suljettu;Syy\nkahvila;24.6.2027;26.6.2027;kyllä;Juhannus ä\n"
    report = import_places(sheet.encode("cp1252"))
    assert report.ok, report.problems
    assert place.exceptions.get().reason == "Juhannus ä"


def test_every_column_has_a_finnish_and_a_swedish_name():
    with COLUMN_NAMES_FILE.open(encoding="utf-8", newline="") as stream:
        rows = {row["column"]: row for row in csv.DictReader(stream)}
    assert set(rows) == set(CSV_COLUMNS) | set(EXCEPTION_COLUMNS)
    assert all(row["fi"] and row["sv"] for row in rows.values())
    names = [
        name.casefold()
        for row in rows.values()
        for name in (row["column"], *row["fi"].split("|"), *row["sv"].split("|"))
    ]
    assert len(names) == len(set(names)), "a name must mean one column"


def xlsx():
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>" * 50)
    return stream.getvalue()


@pytest.mark.parametrize(
    "content",
    [xlsx(), b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 3, bytes(range(256)) * 8],
)
def test_a_file_that_is_no_csv_gets_a_clear_message(org_a, content):
    report = import_places(content)
    assert [problem.row for problem in report.problems] == [None]
    assert report.problems[0].message.startswith("This is not a CSV file")


def test_the_admin_answers_a_spreadsheet_file_with_the_message(client, org_a):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    upload = io.BytesIO(xlsx())
    upload.name = "paikat.xlsx"
    response = client.post(reverse("admin:places_place_import"), {"file": upload})
    assert response.status_code == 200
    assert "This is not a CSV file" in response.content.decode()
    assert not Place.objects.exists()


def test_an_unknown_column_is_named_as_written_with_a_hint(org_a):
    report = import_places("Nimi;Kunta;Värikoodi\nx;Äänekoski;1\n")
    message = report.problems[0].message
    assert message.startswith("Unknown columns: Värikoodi. The columns are: name, ")
    assert "Finnish or Swedish names" in message
