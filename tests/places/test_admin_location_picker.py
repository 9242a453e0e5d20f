"""The map location picker of the place admin form, in a real browser (Chromium)."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.e2e.helpers import RECORD_LEAFLET_MAPS
from tests.factories import UserFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

pytestmark = [
    pytest.mark.e2e,
    # The live server needs committed data; serialized rollback keeps the reference data.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()),
        reason=f"Chromium not found at {CHROMIUM}",
    ),
]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def admin_page(live_server, settings):
    from playwright.sync_api import sync_playwright

    # No tiles in tests: the map works without them, and tests never reach the internet.
    settings.MAP_TILE_URL = "data:,"
    client = Client()
    client.force_login(UserFactory(is_superuser=True))
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield live_server.url, page
        browser.close()


MARKER_POSITION = """() => {
  let position = null;
  window.leafletMaps[0].eachLayer((layer) => {
    if (layer instanceof L.Marker) position = layer.getLatLng();
  });
  return position && [position.lat, position.lng];
}"""
# The map pans to the marker when the coordinates are typed: wait until it has (Leaflet's own
# animation flags, rather than a guessed delay that a loaded machine overruns).
MAP_SETTLED_ON_MARKER = """() => {
  const map = window.leafletMaps[0];
  let marker = null;
  map.eachLayer((layer) => { if (layer instanceof L.Marker) marker = layer; });
  const panning = Boolean(map._panAnim && map._panAnim._inProgress);
  return Boolean(marker) && !panning && !map._animatingZoom
    && map.getBounds().pad(-0.1).contains(marker.getLatLng());
}"""
MARKER_PIXEL = """() => {
  const map = window.leafletMaps[0];
  let point = null;
  map.eachLayer((layer) => {
    if (layer instanceof L.Marker) point = map.latLngToContainerPoint(layer.getLatLng());
  });
  const box = map.getContainer().getBoundingClientRect();
  return [box.left + point.x, box.top + point.y];
}"""


def test_clicking_the_map_fills_in_the_coordinates(admin_page):
    base_url, page = admin_page
    page.add_init_script(RECORD_LEAFLET_MAPS)
    page.goto(f"{base_url}/admin/places/place/add/")
    page.wait_for_selector("#location-picker-map.leaflet-container")
    assert page.input_value("#id_latitude") == ""
    assert page.evaluate(MARKER_POSITION) is None
    page.click("#location-picker-map", position={"x": 200, "y": 120})
    latitude, longitude = page.evaluate(MARKER_POSITION)
    assert 59 < latitude < 71
    assert page.input_value("#id_latitude") == f"{latitude:.6f}"
    assert page.input_value("#id_longitude") == f"{longitude:.6f}"


def test_the_map_follows_typed_coordinates_and_dragging_writes_them_back(admin_page):
    base_url, page = admin_page
    page.add_init_script(RECORD_LEAFLET_MAPS)
    page.goto(f"{base_url}/admin/places/place/add/")
    page.wait_for_selector("#location-picker-map.leaflet-container")
    page.fill("#id_latitude", "62.242603")
    page.fill("#id_longitude", "25.747257")
    assert page.evaluate(MARKER_POSITION) == [62.242603, 25.747257]
    page.fill("#id_latitude", "62.250000")
    assert page.evaluate(MARKER_POSITION) == [62.25, 25.747257]

    page.wait_for_function(MAP_SETTLED_ON_MARKER)
    page.locator("#location-picker-map").scroll_into_view_if_needed()
    x, y = page.evaluate(MARKER_PIXEL)
    page.mouse.move(x, y - 10)  # on the pin, above its tip
    page.mouse.down()
    page.mouse.move(x + 80, y + 50, steps=5)
    page.mouse.up()
    latitude, longitude = page.evaluate(MARKER_POSITION)
    assert longitude > 25.747257
    assert latitude < 62.25
    assert page.input_value("#id_latitude") == f"{latitude:.6f}"
    assert page.input_value("#id_longitude") == f"{longitude:.6f}"
