"""Near me on a phone: the browser's location (faked, permission given) sorts the places of
Jyväskylä nearest first; a postal code typed by hand does the same without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, _new_page
from tests.e2e.helpers import query_of, result_slugs

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Beside the Perhetupa Kuu place of the directory fixture.
HERE = {"latitude": 62.2205, "longitude": 25.7005}


@pytest.fixture
def located_phone(browser):
    context, page = _new_page(
        browser,
        PHONE,
        is_mobile=True,
        has_touch=True,
        geolocation=HERE,
        permissions=["geolocation"],
    )
    yield page
    context.close()


def test_use_my_location_sorts_places_nearest_first(located_phone, site_url, directory):
    page = located_phone
    page.goto(site_url("/places/", "en"))
    page.get_by_role("button", name="Use my location").click()
    expect(page).to_have_url(re.compile(r"near="))
    assert query_of(page.url)["near"] == ["62.221,25.701"]
    slugs = result_slugs(page)
    assert slugs[0] == "perhetupa-kuu"
    # Nearest first, the Helsinki place far beyond the radius, the place without a location out.
    assert "kallion-perhetalo" not in slugs and "vauvapiiri-tahti" not in slugs
    expect(page.locator(".origin-notice")).to_contain_text("Nearest first from your location")
    expect(page.locator(".place-card").first.locator(".distance")).to_contain_text("km away")


def test_a_postal_code_sorts_nearest_first_without_javascript(no_js_page, site_url, directory):
    page = no_js_page
    page.goto(site_url("/", "en"))
    expect(page.get_by_role("button", name="Use my location")).to_be_hidden()
    page.get_by_label("Postal code").fill("40100")
    page.locator("form.home-search button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"postcode=40100"))
    expect(page.locator(".origin-notice")).to_contain_text("40100")
    assert "kallion-perhetalo" not in result_slugs(page)
