"""The map draws one marker per place found, each marker's popup leads to the place, and the
list offers the same places (and those without a location)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import RECORD_LEAFLET_MAPS, path_of, query_of, result_slugs, slug_of

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FILTERS = {"municipality": ["179"], "audience": ["lapsiperheet"]}


def click_marker_at(page, map_element, place):
    """Click where the place is on the map, as a person would: canvas markers have no element."""
    point = page.evaluate(
        """([id, lat, lng]) => {
            const map = window.leafletMaps.find((map) => map.getContainer().id === id);
            const point = map.latLngToContainerPoint([lat, lng]);
            return {x: point.x, y: point.y};
        }""",
        ["places-map", float(place.latitude), float(place.longitude)],
    )
    map_element.click(position=point)


def test_the_map_shows_the_filtered_places_and_the_list_the_same(page, site_url, directory):
    page.add_init_script(RECORD_LEAFLET_MAPS)
    page.goto(site_url("/places/?municipality=179&audience=lapsiperheet"))
    listed = result_slugs(page)
    page.locator('a[href^="/places/map/?"]').click()
    assert path_of(page.url) == "/places/map/"
    assert query_of(page.url) == FILTERS

    # Two of the three family places in Jyväskylä have a location; the others are filtered out.
    map_element = page.locator("#places-map")
    expect(map_element).to_have_attribute("data-marker-count", "2")
    located = [directory.open_family, directory.closed_family]
    on_map = []
    for place in located:
        click_marker_at(page, map_element, place)
        popup_link = page.locator(".leaflet-popup-content a")
        expect(popup_link).to_have_attribute("href", re.compile(rf"/places/{place.slug}/$"))
        expect(page.locator(".leaflet-popup-content strong")).to_have_text(place.name)
        on_map.append(slug_of(popup_link.get_attribute("href")))
        # Escape closes the popup wherever the map has panned to show it.
        page.keyboard.press("Escape")
        expect(popup_link).to_have_count(0)
    assert on_map == [place.slug for place in located]

    # The popup's link opens the place's page.
    click_marker_at(page, map_element, directory.closed_family)
    page.locator(".leaflet-popup-content a").click()
    assert path_of(page.url) == "/places/perhetupa-kuu/"
    expect(page.locator("h1")).to_have_text("Perhetupa Kuu")

    # "Show as a list" offers the same places, and the one without a location.
    page.go_back()
    expect(map_element).to_have_attribute("data-marker-count", "2")
    page.locator('section[aria-labelledby="map-heading"] a[href^="/places/?"]').click()
    assert path_of(page.url) == "/places/"
    assert query_of(page.url) == FILTERS
    assert sorted(result_slugs(page)) == sorted([*on_map, directory.unlocated_family.slug])
    assert sorted(result_slugs(page)) == sorted(listed)

    # Nothing found, nothing drawn.
    page.goto(site_url("/places/map/?municipality=091&audience=ikaihmiset"))
    expect(map_element).to_have_attribute("data-marker-count", "0")
