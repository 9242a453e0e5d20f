"""The Content-Security-Policy in a real browser: maps, their tiles and the admin's location
picker all work, and Chromium reports no violation on any page."""

import base64
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import PlaceFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    # The live server needs committed rows; the reference data of migrations is restored after.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()),
        reason=f"Chromium not found at {CHROMIUM}",
    ),
]

# A transparent 1×1 PNG stands in for the tile server (tests have no internet).
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.violations.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: page.violations.append(f"script error: {error}"))
    tile_host = settings.MAP_TILE_URL.split("/{z}")[0]
    page.tiles = []

    def serve_tile(route):
        page.tiles.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=TILE)

    page.route(f"{tile_host}/**", serve_tile)
    yield page
    context.close()


@pytest.fixture
def place():
    return PlaceFactory(slug="olohuone", name="Olohuone")


def test_public_maps_load_places_and_tiles_without_violations(live_server, page, place):
    page.goto(f"{live_server.url}/places/map/")
    page.wait_for_selector(".leaflet-tile-loaded")
    page.wait_for_function("document.getElementById('map-status').textContent.includes('1')")

    page.goto(f"{live_server.url}{place.get_absolute_url()}")
    page.wait_for_selector("#place-map .leaflet-tile-loaded")

    page.goto(f"{live_server.url}/network/coverage/")
    page.wait_for_selector("#coverage-map .leaflet-tile-loaded")

    assert page.tiles
    assert page.violations == []


def test_the_admin_location_picker_works_without_violations(live_server, page, place):
    client = Client()
    client.force_login(UserFactory(username="admin", is_superuser=True))
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"{live_server.url}/admin/places/place/{place.pk}/change/")
    page.wait_for_selector("#location-picker-map .leaflet-tile-loaded")
    page.click("#location-picker-map", position={"x": 120, "y": 120})
    assert page.input_value("#id_latitude") != str(place.latitude)

    page.goto(f"{live_server.url}/admin/places/place/")
    page.goto(f"{live_server.url}/admin/network/meeting/add/")
    page.wait_for_selector(".select2-container")  # the autocomplete widgets started

    assert page.violations == []
