"""The map location picker of the place admin form, in a real browser (Chromium)."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.factories import UserFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

pytestmark = [
    pytest.mark.e2e,
    # The live server commits; serialized rollback restores the reference data afterwards.
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


def test_clicking_the_map_fills_in_the_coordinates(admin_page):
    base_url, page = admin_page
    page.goto(f"{base_url}/admin/places/place/add/")
    page.wait_for_selector("#location-picker-map.leaflet-container")
    assert page.input_value("#id_latitude") == ""
    page.click("#location-picker-map", position={"x": 200, "y": 120})
    latitude = page.input_value("#id_latitude")
    longitude = page.input_value("#id_longitude")
    assert len(latitude.split(".")[1]) == 6
    assert len(longitude.split(".")[1]) == 6
    assert 59 < float(latitude) < 71
    assert page.locator(".leaflet-marker-icon").count() == 1


def test_the_map_follows_typed_coordinates_and_dragging_writes_them_back(admin_page):
    base_url, page = admin_page
    page.goto(f"{base_url}/admin/places/place/add/")
    page.wait_for_selector("#location-picker-map.leaflet-container")
    page.fill("#id_latitude", "62.242603")
    page.fill("#id_longitude", "25.747257")
    marker = page.locator(".leaflet-marker-icon")
    page.wait_for_timeout(500)  # the map pans to the marker
    page.locator("#location-picker-map").scroll_into_view_if_needed()
    before = marker.bounding_box()
    page.fill("#id_latitude", "62.243603")
    page.wait_for_timeout(500)
    page.locator("#location-picker-map").scroll_into_view_if_needed()
    after = marker.bounding_box()
    assert after["y"] < before["y"]  # north is up

    page.mouse.move(after["x"] + after["width"] / 2, after["y"] + after["height"] - 2)
    page.mouse.down()
    page.mouse.move(after["x"] + 80, after["y"] + 60, steps=5)
    page.mouse.up()
    assert float(page.input_value("#id_longitude")) > 25.747257
    assert float(page.input_value("#id_latitude")) < 62.243603
