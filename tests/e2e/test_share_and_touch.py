"""In Chromium: touch targets of 24 px at least, the share buttons, the notice of failed map
tiles (the suite's browser has no internet, as a blocked tile server would be)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_checkboxes_are_touch_targets_of_24_px(phone_page, site_url, directory):
    phone_page.goto(site_url("/places/"))
    boxes = phone_page.locator('form.filter-form input[type="checkbox"]')
    assert boxes.count() > 5
    for index in range(boxes.count()):
        box = boxes.nth(index).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box


def test_a_place_link_is_copied_with_one_tap(page, site_url, directory):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(site_url("/places/perhekahvila-aurinko/", "en"))
    page.get_by_role("button", name="Copy the link").click()
    expect(page.locator(".share__status")).to_have_text("The link is copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith("/en/places/perhekahvila-aurinko/")


def test_failed_map_tiles_are_told_and_the_list_offered(page, site_url, directory):
    page.goto(site_url("/places/map/", "en"))
    expect(page.locator(".map-tiles-failed")).to_contain_text(
        "The background map could not be loaded"
    )
    expect(page.locator("#places-map")).to_have_attribute("data-marker-count", "4")
