"""The public pages: home, place page, map, municipalities, open data; escaping and
unpublished places everywhere."""

import datetime as dt
import json
import re
from pathlib import Path
from unittest import mock

import pytest
from django.test import override_settings

from places.hours import HELSINKI
from tests.factories import (
    CoordinatorFactory,
    HoursExceptionFactory,
    MeetingFactory,
    PlaceFactory,
    WeeklyHoursFactory,
    audience,
    municipality,
)

TUESDAY_EVENING = dt.datetime(2026, 12, 1, 18, 30, tzinfo=HELSINKI)
EVIL = "<script>alert(1)</script>"


def json_ld(html):
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    return json.loads(scripts[0])


@pytest.fixture
def place(db):
    place = PlaceFactory(
        name="Perhekahvila Ilta",
        slug="perhekahvila-ilta",
        audiences=[audience("lapsiperheet")],
        contact_name="Maija Meikäläinen",
        phone="040 123 4567",
        email="ilta@example.org",
        website="https://ilta.example.org/",
        online_url="https://meet.example.org/ilta",
        hours_note="Myös sopimuksen mukaan.",
        price_note="kahvi 1 €",
        languages=["fi", "sv"],
        amenities=["coffee", "child_minding"],
        step_free_access=True,
        last_verified=dt.date(2026, 2, 3),
    )
    WeeklyHoursFactory(place=place, weekday=2, opens=dt.time(17), closes=dt.time(20))
    WeeklyHoursFactory(
        place=place,
        weekday=3,
        opens=dt.time(10),
        closes=dt.time(14),
        valid_from=dt.date(2026, 6, 1),
        valid_until=dt.date(2026, 8, 31),
    )
    HoursExceptionFactory(place=place, start_date=dt.date(2026, 12, 6), reason="Itsenäisyyspäivä")
    HoursExceptionFactory(
        place=place,
        start_date=dt.date(2026, 12, 10),
        closed=False,
        opens=dt.time(12),
        closes=dt.time(15),
        reason="Joulumyyjäiset",
    )
    return place


def get_at(client, url, when=TUESDAY_EVENING):
    with mock.patch("django.utils.timezone.now", return_value=when):
        return client.get(url)


class TestPlacePage:
    def test_shows_this_weeks_hours_with_today_marked_and_the_status(self, client, place):
        html = get_at(client, "/en/places/perhekahvila-ilta/").content.decode()
        assert 'class="today" aria-current="date"' in html
        today_row = html.split('aria-current="date"')[1].split("</tr>")[0]
        assert "Tuesday" in today_row
        assert "17:00–20:00" in today_row
        assert "Open now</span> · closes 20:00" in html

    def test_shows_upcoming_exceptions_and_the_hours_note(self, client, place):
        html = get_at(client, "/en/places/perhekahvila-ilta/").content.decode()
        assert "Itsenäisyyspäivä" in html
        assert "12:00–15:00 (Joulumyyjäiset)" in html
        assert "Myös sopimuksen mukaan." in html

    def test_shows_contact_links_audiences_accessibility_languages_and_price(self, client, place):
        html = get_at(client, "/en/places/perhekahvila-ilta/").content.decode()
        assert '<a href="tel:0401234567">040 123 4567</a>' in html
        assert '<a href="mailto:ilta@example.org">' in html
        assert 'href="https://ilta.example.org/"' in html
        assert 'href="https://meet.example.org/ilta"' in html
        assert "Maija Meikäläinen" in html
        assert "Families with children" in html
        assert "Step-free entrance" in html
        assert "Finnish, Swedish" in html
        assert "coffee and tea" in html
        assert "kahvi 1 €" in html
        assert "Kauppakatu" in html

    def test_last_verified_date_is_in_finnish_format_on_finnish_pages(self, client, place):
        html = get_at(client, "/places/perhekahvila-ilta/").content.decode()
        assert "3.2.2026" in html

    def test_has_a_small_map_with_a_link_to_the_map_page(self, client, place):
        html = get_at(client, "/en/places/perhekahvila-ilta/").content.decode()
        assert 'id="place-map"' in html
        assert "/static/leaflet/leaflet.js" in html
        assert 'href="/en/places/map/?municipality=179"' in html
        config = json.loads(re.search(r'id="map-config"[^>]*>(.*?)</script>', html, re.S)[1])
        assert config["point"]["lat"] == pytest.approx(float(place.latitude))

    def test_json_ld_describes_the_place_and_its_hours(self, client, place):
        # More in tests/places/test_json_ld.py.
        data = json_ld(get_at(client, "/en/places/perhekahvila-ilta/").content.decode())
        assert data["@type"] == "LocalBusiness"
        assert data["name"] == "Perhekahvila Ilta"
        assert data["address"]["addressCountry"] == "FI"
        assert {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["https://schema.org/Tuesday"],
            "opens": "17:00",
            "closes": "20:00",
            "validFrom": "2026-12-01",
            "validThrough": "2027-12-01",
        } in data["openingHoursSpecification"]
        special = data["specialOpeningHoursSpecification"]
        assert special[0]["validFrom"] == "2026-12-06"
        assert special[0]["opens"] == special[0]["closes"] == "00:00"
        assert special[1]["opens"] == "12:00"

    def test_unpublished_place_is_not_found(self, client, db):
        PlaceFactory(slug="luonnos", is_published=False)
        assert client.get("/places/luonnos/").status_code == 404

    def test_unknown_place_is_not_found(self, client, db):
        assert client.get("/places/no-such-place/").status_code == 404

    def test_place_without_location_has_no_map(self, client, db):
        PlaceFactory(slug="ilman-sijaintia", latitude=None, longitude=None)
        html = client.get("/en/places/ilman-sijaintia/").content.decode()
        assert 'id="place-map"' not in html
        assert "leaflet.js" not in html
        assert "geo" not in json_ld(html)


class TestHomePage:
    def test_offers_search_municipalities_by_region_and_audience_shortcuts(self, client, db):
        html = client.get("/en/").content.decode()
        assert 'action="/en/places/"' in html
        assert '<label for="home-q">' in html
        assert '<optgroup label="Keski-Suomi">' in html
        assert '<option value="179">Jyväskylä</option>' in html
        assert 'href="/en/places/?audience=lapsiperheet">Families with children</a>' in html

    def test_lists_three_upcoming_public_meetings(self, client, db):
        for days in (3, 5, 7, 9):
            MeetingFactory(
                title=f"Tapaaminen {days}",
                start=dt.datetime.now(tz=HELSINKI) + dt.timedelta(days=days),
            )
        MeetingFactory(title="Luonnostapaaminen", status="draft")
        html = client.get("/en/").content.decode()
        assert "Tapaaminen 3" in html and "Tapaaminen 7" in html
        assert "Tapaaminen 9" not in html
        assert "Luonnostapaaminen" not in html

    def test_region_names_are_swedish_on_swedish_pages(self, client, db):
        html = client.get("/sv/").content.decode()
        assert '<optgroup label="Mellersta Finland">' in html
        assert 'href="/sv/places/?audience=lapsiperheet">Barnfamiljer</a>' in html


class TestMapPage:
    def test_map_loads_the_same_filters_from_the_geojson_endpoint(self, client, db):
        PlaceFactory()
        PlaceFactory(latitude=None, longitude=None)
        html = client.get("/en/places/map/?municipality=179&free=1&page=2").content.decode()
        config = json.loads(re.search(r'id="map-config"[^>]*>(.*?)</script>', html, re.S)[1])
        assert config["geojsonUrl"] == "/en/places.geojson?municipality=179&free=1"
        assert config["tileUrl"].startswith("https://")
        assert "/static/leaflet/leaflet.js" in html
        assert "/static/leaflet/leaflet.css" in html
        assert "/static/js/map.js" in html
        assert 'href="/en/places/?municipality=179&amp;free=1">Show these places as a list' in html
        assert "<noscript>" in html
        assert "2 meeting places found" in html
        assert "1 of them has no location and is only in the list" in html

    @override_settings(MAP_TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png")
    def test_tile_server_comes_from_settings(self, client, db):
        html = client.get("/en/places/map/").content.decode()
        assert "https://tiles.example.org/{z}/{x}/{y}.png" in html

    def test_bad_filters_give_a_message(self, client, db):
        response = client.get("/en/places/map/?open_at=tomorrow")
        assert response.status_code == 200
        assert "Enter a date and time like 2026-12-01T18:00." in response.content.decode()


class TestMunicipalityPages:
    def test_index_groups_municipalities_by_region_with_counts(self, client, db):
        PlaceFactory.create_batch(2)
        PlaceFactory(is_published=False)
        html = client.get("/en/municipalities/").content.decode()
        assert '<h2 id="region-13">Keski-Suomi</h2>' in html
        assert (
            'href="/en/municipalities/jyvaskyla/">Jyväskylä</a> <span class="meta">2 places' in html
        )

    def test_index_in_swedish(self, client, db):
        html = client.get("/sv/municipalities/").content.decode()
        assert "Mellersta Finland" in html
        assert ">Helsingfors</a>" in html

    def test_municipality_page_lists_its_places_links_and_coordinators(self, client, db):
        PlaceFactory(name="Jyväskylän olohuone")
        PlaceFactory(name="Helsingin olohuone", municipality=municipality("091"))
        PlaceFactory(name="Piilotettu", is_published=False)
        jyvaskyla = municipality("179")
        CoordinatorFactory(name="Kunnan koordinaattori", municipalities=[jyvaskyla])
        CoordinatorFactory(name="Maakunnan koordinaattori", regions=[jyvaskyla.region])
        CoordinatorFactory(name="Muu koordinaattori", regions=[municipality("091").region])
        CoordinatorFactory(name="Julkaisematon", municipalities=[jyvaskyla], is_published=False)
        html = client.get("/en/municipalities/jyvaskyla/").content.decode()
        assert "Jyväskylän olohuone" in html
        assert "Helsingin olohuone" not in html
        assert "Piilotettu" not in html
        assert "Kunnan koordinaattori" in html
        assert "Maakunnan koordinaattori" in html
        assert "Muu koordinaattori" not in html
        assert "Julkaisematon" not in html
        assert 'href="/en/places/?municipality=179"' in html
        assert 'href="/en/places/map/?municipality=179"' in html

    def test_municipality_page_prints_as_a_handout(self, client, db):
        PlaceFactory.create_batch(25)
        html = client.get("/en/municipalities/jyvaskyla/").content.decode()
        assert '<p class="print-only">http://testserver/en/municipalities/jyvaskyla/</p>' in html
        assert "This printout lists places 1–20 of 25." in html
        assert '<p class="no-print"><a href="/en/places/?municipality=179">' in html

    def test_unknown_municipality_is_not_found(self, client, db):
        assert client.get("/municipalities/atlantis/").status_code == 404

    def test_bad_page_on_a_municipality_page_shows_the_first_page(self, client, db):
        PlaceFactory()
        response = client.get("/en/municipalities/jyvaskyla/?page=abc")
        assert response.status_code == 200
        assert "is not a page number" in response.content.decode()


class TestOpenDataPage:
    @override_settings(
        OPEN_DATA_LICENSE="CC0 1.0",
        OPEN_DATA_LICENSE_URL="https://creativecommons.org/publicdomain/zero/1.0/",
    )
    def test_explains_licence_formats_fields_and_example_urls(self, client, db):
        html = client.get("/en/open-data/").content.decode()
        assert (
            'href="https://creativecommons.org/publicdomain/zero/1.0/" rel="license">CC0 1.0'
            in html
        )
        assert "http://testserver/en/places.csv?municipality=179&amp;audience=lapsiperheet" in html
        assert "http://testserver/en/places.geojson" in html
        assert "http://testserver/en/open-data/hsds/services" in html
        assert "<code>opening_hours</code>" in html


PAGES_SHOWING_A_PLACE_NAME = [
    "/en/places/",
    "/en/places/evil/",
    "/en/municipalities/jyvaskyla/",
]


class TestEscaping:
    @pytest.fixture
    def evil_place(self, db):
        place = PlaceFactory(
            name=EVIL,
            slug="evil",
            description=EVIL,
            hours_note=EVIL,
            audiences=[audience("lapsiperheet")],
        )
        WeeklyHoursFactory(place=place, weekday=2, opens=dt.time(9), closes=dt.time(15))
        HoursExceptionFactory(place=place, start_date=dt.date(2030, 1, 2), reason=EVIL)
        return place

    @pytest.mark.parametrize("url", PAGES_SHOWING_A_PLACE_NAME)
    def test_a_script_in_a_place_name_is_shown_as_text(self, client, evil_place, url):
        html = client.get(url).content.decode()
        assert EVIL not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    def test_json_ld_cannot_end_its_script_element(self, client, evil_place):
        html = client.get("/en/places/evil/").content.decode()
        assert "\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E" in html
        assert json_ld(html)["name"] == EVIL

    def test_a_script_in_a_filter_value_is_shown_as_text(self, client, db):
        html = client.get("/en/places/", {"municipality": EVIL, "q": EVIL}).content.decode()
        assert EVIL not in html

    def test_the_map_popup_is_built_without_inner_html(self):
        script = (Path(__file__).resolve().parents[2] / "static/js/map.js").read_text()
        assert "innerHTML" not in script
        assert "textContent" in script
        assert "preferCanvas: true" in script
        assert "circleMarker" in script


def test_unpublished_places_appear_nowhere(client, db):
    hidden = PlaceFactory(name="Salainen paikka", slug="salainen", is_published=False)
    WeeklyHoursFactory(place=hidden, weekday=2)
    for url in [
        "/en/places/",
        "/en/places/?q=paikka",
        "/en/places/map/",
        "/en/municipalities/jyvaskyla/",
        "/places.geojson",
        "/places.csv",
        "/open-data/hsds/services?full=true",
        "/open-data/hsds/organizations?full_service=true",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"Salainen" not in response.getvalue(), url
    assert client.get("/places/salainen/").status_code == 404
