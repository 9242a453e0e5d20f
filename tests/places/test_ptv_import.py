"""manage.py import_ptv on the two saved sample pages (no network)."""

import datetime as dt
import json
import math
import socket
import threading
import uuid
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import CommandError, call_command

from places.models import HoursException, Place, WeeklyHours
from tests.factories import OrganizationFactory, PlaceFactory

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).resolve().parent.parent / "data" / "ptv"
PAGE_1 = str(PAGES / "service_channels_page1.json")
PAGE_2 = str(PAGES / "service_channels_page2.json")
PTV_ORGANIZATION = "5f3b1d2e-8c7a-4e55-9a61-2b7d0c4e9a10"
KOMPASSI = "3c1e7a52-0d4b-4f7e-9b0a-6f1d2c3b4a01"
YOKYOPELI = "3c1e7a52-0d4b-4f7e-9b0a-6f1d2c3b4a02"
PHONE_CHANNEL = "3c1e7a52-0d4b-4f7e-9b0a-6f1d2c3b4a03"
TUULENTUPA = "3c1e7a52-0d4b-4f7e-9b0a-6f1d2c3b4a04"
DRAFT = "3c1e7a52-0d4b-4f7e-9b0a-6f1d2c3b4a05"


@pytest.fixture
def organization():
    return OrganizationFactory(ptv_id=PTV_ORGANIZATION)


def run(*files, out=None, **options):
    """The command's output (the site's default language, Finnish, names the fields)."""
    out = out or StringIO()
    call_command(
        "import_ptv", "--municipality", "179", "--from-file", *files, stdout=out, **options
    )
    return out.getvalue()


def distance_metres(lat1, lon1, lat2, lon2):
    """Haversine distance on a sphere of the Earth's mean radius."""
    lat1, lon1, lat2, lon2 = map(math.radians, map(float, (lat1, lon1, lat2, lon2)))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371008.8 * math.asin(math.sqrt(a))


def test_imports_published_locations_of_both_pages_only(organization):
    output = run(PAGE_1, PAGE_2)

    assert set(Place.objects.values_list("ptv_id", flat=True)) == {
        uuid.UUID(ptv_id) for ptv_id in (KOMPASSI, YOKYOPELI, TUULENTUPA)
    }
    assert "3 luotu, 0 päivitetty, 0 ennallaan, 2 ohitettu" in output
    assert f"({PHONE_CHANNEL}): ei palvelupaikka (Phone)" in output
    assert f"({DRAFT}): ei julkaistu (Draft)" in output
    assert all(place.organization == organization for place in Place.objects.all())
    assert not Place.objects.filter(is_published=True).exists()


def test_names_descriptions_address_and_contacts(organization):
    run(PAGE_1, PAGE_2)
    kompassi = Place.objects.get(ptv_id=KOMPASSI)

    assert kompassi.name == "Perheiden kohtaamispaikka Kompassi"
    assert kompassi.name_sv == "Familjernas mötesplats Kompassi"
    assert kompassi.slug == "perheiden-kohtaamispaikka-kompassi"
    assert kompassi.description.startswith("Avoin kohtaamispaikka lapsiperheille: vauvakahvila")
    assert kompassi.street_address == "Kauppakatu 1"
    assert (kompassi.postal_code, kompassi.postal_town) == ("40100", "Jyväskylä")
    assert kompassi.municipality_id == "179"
    assert kompassi.phone == "+358401234567"
    assert kompassi.email == "kompassi@example.fi"
    assert kompassi.website == "https://example.fi/kompassi"
    assert kompassi.languages == ["fi", "sv"]
    # The channel serves Jyväskylä but is in Laukaa: its own municipality is kept.
    assert Place.objects.get(ptv_id=YOKYOPELI).municipality_id == "410"


@pytest.mark.parametrize(
    ("ptv_id", "latitude", "longitude"),
    [
        # The WGS84 positions the sample points were made from (the PTV notes give the
        # first, central Jyväskylä); the others are in Laukaa and Saarijärvi.
        (KOMPASSI, "62.2418", "25.7466"),
        (YOKYOPELI, "62.4147", "25.9522"),
        (TUULENTUPA, "62.7057", "25.2566"),
    ],
)
def test_coordinates_are_converted_to_wgs84_within_a_metre(
    organization, ptv_id, latitude, longitude
):
    run(PAGE_1, PAGE_2)
    place = Place.objects.get(ptv_id=ptv_id)

    assert distance_metres(place.latitude, place.longitude, latitude, longitude) < 1


def test_weekly_seasonal_and_exceptional_hours(organization):
    run(PAGE_1, PAGE_2)
    kompassi = Place.objects.get(ptv_id=KOMPASSI)

    regular = WeeklyHours.objects.filter(place=kompassi, valid_from=None)
    assert [(r.weekday, r.opens, r.closes) for r in regular] == [
        (1, dt.time(9), dt.time(15)),
        (2, dt.time(9), dt.time(15)),
        (4, dt.time(12), dt.time(18)),
    ]
    summer = WeeklyHours.objects.get(place=kompassi, valid_from__isnull=False)
    assert (summer.weekday, summer.opens, summer.closes) == (2, dt.time(10), dt.time(13))
    assert (summer.valid_from, summer.valid_until) == (dt.date(2027, 6, 1), dt.date(2027, 8, 15))
    christmas = HoursException.objects.get(place=kompassi)
    assert christmas.closed
    assert (christmas.start_date, christmas.end_date) == (
        dt.date(2026, 12, 24),
        dt.date(2026, 12, 26),
    )
    assert christmas.reason == "Joulunpyhät"

    # What a visitor sees: summer hours replace the regular ones, Christmas is closed.
    assert kompassi.schedule_for(dt.date(2027, 6, 8)).ranges == [(dt.time(10), dt.time(13))]
    assert kompassi.schedule_for(dt.date(2027, 6, 7)).is_closed
    assert kompassi.schedule_for(dt.date(2026, 12, 24)).is_closed
    assert not kompassi.schedule_for(dt.date(2026, 12, 28)).is_closed


def test_over_midnight_hours_end_the_next_morning(organization):
    run(PAGE_1, PAGE_2)
    yokyopeli = Place.objects.get(ptv_id=YOKYOPELI)

    rule = WeeklyHours.objects.get(place=yokyopeli)
    assert (rule.weekday, rule.opens, rule.closes) == (5, dt.time(20), dt.time(2))
    helsinki = dt.timezone(dt.timedelta(hours=2))
    friday = dt.date(2026, 12, 11)
    assert yokyopeli.is_open_at(dt.datetime.combine(friday, dt.time(23, 30), helsinki))
    assert yokyopeli.is_open_at(dt.datetime(2026, 12, 12, 1, 30, tzinfo=helsinki))
    assert not yokyopeli.is_open_at(dt.datetime(2026, 12, 12, 2, 30, tzinfo=helsinki))


def test_second_run_is_idempotent(organization):
    run(PAGE_1, PAGE_2)
    before = {
        place.pk: (place.updated_at, place.edit_count, list(place.weekly_hours.values_list("pk")))
        for place in Place.objects.all()
    }

    output = run(PAGE_1, PAGE_2)

    assert "0 luotu, 0 päivitetty, 3 ennallaan, 2 ohitettu, 0 ei enää PTV:ssä" in output
    after = {
        place.pk: (place.updated_at, place.edit_count, list(place.weekly_hours.values_list("pk")))
        for place in Place.objects.all()
    }
    assert after == before


def write_changed_page(tmp_path, change):
    page = json.loads(Path(PAGE_1).read_text())
    change(page["itemList"][0])
    path = tmp_path / "page1.json"
    path.write_text(json.dumps(page))
    return str(path)


def test_local_edit_is_kept_and_reported_while_ptv_changes_are_applied(organization, tmp_path):
    run(PAGE_1, PAGE_2)
    kompassi = Place.objects.get(ptv_id=KOMPASSI)
    kompassi.phone = "+358 40 765 4321"
    kompassi.save()

    def change(item):
        item["phoneNumbers"][0]["number"] = "409999999"
        item["emails"][0]["value"] = "uusi@example.fi"

    output = run(write_changed_page(tmp_path, change), PAGE_2)

    kompassi.refresh_from_db()
    assert kompassi.phone == "+358 40 765 4321"
    assert kompassi.email == "uusi@example.fi"
    assert f"eroaa PTV:stä: Perheiden kohtaamispaikka Kompassi ({KOMPASSI}): puhelin" in output
    assert f"päivitetty: Perheiden kohtaamispaikka Kompassi ({KOMPASSI}): sähköposti" in output
    # Reported again on the next run, while the two still differ.
    assert "eroaa PTV:stä" in run(write_changed_page(tmp_path, change), PAGE_2)


def test_hours_edited_here_are_kept(organization, tmp_path):
    run(PAGE_1, PAGE_2)
    kompassi = Place.objects.get(ptv_id=KOMPASSI)
    WeeklyHours.objects.create(place=kompassi, weekday=3, opens=dt.time(9), closes=dt.time(11))

    def change(item):
        item["serviceHours"][0]["openingHour"][0]["to"] = "16:00:00"

    output = run(write_changed_page(tmp_path, change), PAGE_2)

    assert "aukioloajat (täällä muokattu arvo säilytetään)" in output
    assert WeeklyHours.objects.filter(place=kompassi, weekday=3).exists()
    assert WeeklyHours.objects.get(place=kompassi, weekday=1).closes == dt.time(15)


def test_a_vanished_channel_is_reported_and_its_place_kept(organization, tmp_path):
    run(PAGE_1, PAGE_2)
    page = json.loads(Path(PAGE_2).read_text())
    page["itemList"] = [item for item in page["itemList"] if item["id"] != TUULENTUPA]
    path = tmp_path / "page2.json"
    path.write_text(json.dumps(page))

    output = run(PAGE_1, str(path))

    assert f"ei enää PTV:ssä: Kylätalo Tuulentupa ({TUULENTUPA})" in output
    assert Place.objects.filter(ptv_id=TUULENTUPA).exists()


def test_a_problem_in_one_channel_saves_nothing(organization, tmp_path):
    def change(item):
        item["addresses"][0]["streetAddress"]["postalCode"] = "401"

    with pytest.raises(CommandError, match="mitään ei tuotu"):
        run(write_changed_page(tmp_path, change), PAGE_2)

    assert not Place.objects.exists()
    assert not WeeklyHours.objects.exists()


def test_a_problem_on_a_re_run_leaves_the_earlier_import_whole(organization, tmp_path):
    run(PAGE_1, PAGE_2)
    before = sorted(Place.objects.values_list("email", "postal_code"))

    def change(item):
        item["emails"][0]["value"] = "uusi@example.fi"
        item["addresses"][0]["streetAddress"]["municipality"]["code"] = "999"

    out = StringIO()
    with pytest.raises(CommandError, match="mitään ei tuotu"):
        run(write_changed_page(tmp_path, change), PAGE_2, out=out)
    assert f"({KOMPASSI}): Tuntematon kuntakoodi 999." in out.getvalue()
    assert sorted(Place.objects.values_list("email", "postal_code")) == before


def test_a_missing_page_is_refused():
    with pytest.raises(
        CommandError, match="Listaus on vajaa: siinä on sivut 1, 2, tiedostoissa sivut 1"
    ):
        run(PAGE_1)


def test_a_file_that_is_not_a_listing_is_refused(tmp_path):
    path = tmp_path / "page.json"
    path.write_text('{"hello": "world"}')
    with pytest.raises(CommandError, match="ei ole PTV:n asiointikanavalistauksen sivu"):
        run(str(path))
    path.write_text("<html>")
    with pytest.raises(CommandError, match="ei ole JSON-muotoinen"):
        run(str(path))


def test_without_a_linked_organisation_nothing_is_imported():
    with pytest.raises(CommandError, match="mitään ei tuotu"):
        run(PAGE_1, PAGE_2)
    assert not Place.objects.exists()


def test_into_and_organization_filter(tmp_path):
    target = OrganizationFactory()
    other = "0b3b1d2e-8c7a-4e55-9a61-2b7d0c4e9a99"

    output = run(PAGE_1, PAGE_2, organization=other, into=target.slug)
    assert "5 ohitettu" in output
    assert not Place.objects.exists()

    run(PAGE_1, PAGE_2, organization=PTV_ORGANIZATION.upper(), into=target.slug)
    assert Place.objects.filter(organization=target).count() == 3


def test_dry_run_saves_nothing(organization):
    output = run(PAGE_1, PAGE_2, dry_run=True)
    assert "Kokeiluajo, mitään ei tallennettu: 3 luotu" in output
    assert not Place.objects.exists()


def test_an_existing_place_keeps_its_slug_and_publication(organization):
    run(PAGE_1, PAGE_2)
    kompassi = Place.objects.get(ptv_id=KOMPASSI)
    kompassi.is_published = True
    kompassi.slug = "kompassi"
    kompassi.save()

    run(PAGE_1, PAGE_2)

    kompassi.refresh_from_db()
    assert (kompassi.slug, kompassi.is_published) == ("kompassi", True)


def test_a_new_place_gets_a_free_slug(organization):
    PlaceFactory(slug="perheiden-kohtaamispaikka-kompassi")
    run(PAGE_1, PAGE_2)
    assert Place.objects.get(ptv_id=KOMPASSI).slug == "perheiden-kohtaamispaikka-kompassi-jyvaskyla"


def test_unknown_municipality_is_refused():
    with pytest.raises(CommandError, match="Unknown municipality code"):
        call_command("import_ptv", "--municipality", "000", "--from-file", PAGE_1)


def test_decimal_coordinates_stay_in_finland(organization):
    run(PAGE_1, PAGE_2)
    for place in Place.objects.all():
        assert Decimal("59.4") < place.latitude < Decimal("70.2")


def test_the_api_is_read_page_by_page(organization, settings):
    """A fake Service Catalogue on 127.0.0.1 serves the two sample pages."""
    requested = []

    class FakeCatalogue(BaseHTTPRequestHandler):
        def do_GET(self):
            url = urlparse(self.path)
            requested.append(url.path + "?" + url.query)
            page = parse_qs(url.query)["page"][0]
            body = (PAGES / f"service_channels_page{page}.json").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), FakeCatalogue)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings.PTV_API_URL = f"http://127.0.0.1:{server.server_port}/api/v11/"
        out = StringIO()
        call_command("import_ptv", "--municipality", "179", stdout=out)
    finally:
        server.shutdown()
        server.server_close()

    assert requested == [
        "/api/v11/ServiceChannel/list/area/Municipality/code/179?page=1",
        "/api/v11/ServiceChannel/list/area/Municipality/code/179?page=2",
    ]
    assert Place.objects.count() == 3


def test_an_unreachable_api_is_a_clear_error(settings):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    settings.PTV_API_URL = f"http://127.0.0.1:{port}/api/v11"
    with pytest.raises(CommandError, match="Palvelutietovaranto ei vastannut"):
        call_command("import_ptv", "--municipality", "179", stdout=StringIO())


def test_exceptional_opening_hours_and_dates_with_an_offset(organization, tmp_path):
    def change(item):
        item["serviceHours"].append(
            {
                "serviceHourType": "Exceptional",
                # Midnight in Helsinki, written in UTC: the exception is on New Year's Eve.
                "validFrom": "2026-12-30T22:00:00Z",
                "validTo": None,
                "isClosed": False,
                "additionalInformation": [{"value": "Uudenvuodenaatto", "language": "fi"}],
                "openingHour": [{"dayFrom": "", "dayTo": "", "from": "10:00:00", "to": "12:00:00"}],
            }
        )

    run(write_changed_page(tmp_path, change), PAGE_2)
    kompassi = Place.objects.get(ptv_id=KOMPASSI)

    eve = HoursException.objects.get(place=kompassi, closed=False)
    assert (eve.start_date, eve.end_date) == (dt.date(2026, 12, 31), None)
    assert (eve.opens, eve.closes, eve.reason) == (dt.time(10), dt.time(12), "Uudenvuodenaatto")
    # Thursday 31 December: the exception's hours replace the regular 12-18.
    assert kompassi.schedule_for(dt.date(2026, 12, 31)).ranges == [(dt.time(10), dt.time(12))]
    assert kompassi.schedule_for(dt.date(2027, 1, 7)).ranges == [(dt.time(12), dt.time(18))]


def test_over_midnight_from_sunday_to_monday(organization, tmp_path):
    page = json.loads(Path(PAGE_1).read_text())
    page["itemList"][1]["serviceHours"][0]["openingHour"] = [
        {"dayFrom": "Sunday", "dayTo": "Monday", "from": "22:00:00", "to": "01:00:00"}
    ]
    path = tmp_path / "page1.json"
    path.write_text(json.dumps(page))

    run(str(path), PAGE_2)
    yokyopeli = Place.objects.get(ptv_id=YOKYOPELI)

    helsinki = dt.timezone(dt.timedelta(hours=2))
    assert yokyopeli.is_open_at(dt.datetime(2026, 12, 13, 23, 0, tzinfo=helsinki))  # Sunday
    assert yokyopeli.is_open_at(dt.datetime(2026, 12, 14, 0, 30, tzinfo=helsinki))  # Monday
    assert not yokyopeli.is_open_at(dt.datetime(2026, 12, 14, 1, 30, tzinfo=helsinki))


def test_a_server_error_from_the_api_is_a_clear_error(settings):
    class Failing(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_error(500, "Internal Server Error")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings.PTV_API_URL = f"http://127.0.0.1:{server.server_port}/api/v11"
        with pytest.raises(CommandError, match="Palvelutietovaranto ei vastannut"):
            call_command("import_ptv", "--municipality", "179", stdout=StringIO())
    finally:
        server.shutdown()
        server.server_close()
    assert not Place.objects.exists()
