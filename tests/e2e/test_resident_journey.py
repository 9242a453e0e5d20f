"""A resident on a phone finds a place for families in Jyväskylä that is open now, and reads its
hours: with JavaScript and without it, which proves no step needs a JavaScript-only control."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import path_of, query_of, result_slugs

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("browser_page", ["phone_page", "no_js_page"])
def test_families_find_a_place_open_now_in_jyvaskyla(request, browser_page, site_url, directory):
    page = request.getfixturevalue(browser_page)
    page.goto(site_url("/"))

    # The "families" shortcut lists family places all over Finland, with the box ticked.
    page.locator('.shortcuts a[href$="?audience=lapsiperheet"]').click()
    expect(page).to_have_url(re.compile(r"/places/\?audience=lapsiperheet$"))
    expect(page.locator('input[name="audience"][value="lapsiperheet"]')).to_be_checked()
    assert sorted(result_slugs(page)) == [
        "kallion-perhetalo",
        "perhekahvila-aurinko",
        "perhetupa-kuu",
        "vauvapiiri-tahti",
    ]

    # Back home, the resident picks Jyväskylä from the municipality menu and searches.
    page.go_back()
    page.locator("#home-municipality").select_option("179")
    page.locator("form.home-search button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/places/\?"))
    assert query_of(page.url)["municipality"] == ["179"]
    assert sorted(result_slugs(page)) == [
        "perhekahvila-aurinko",
        "perhetupa-kuu",
        "seniorien-olohuone",
        "vauvapiiri-tahti",
    ]
    # A place closed now says so, and when it opens.
    closed = page.locator(".place-card", has=page.locator('a[href="/places/perhetupa-kuu/"]'))
    expect(closed.locator(".status--closed")).to_be_visible()
    expect(closed.locator(".status-line")).to_contain_text(f"{directory.closed_hours[0]:%H:%M}")

    # In the filter form: families, open now; Jyväskylä stays chosen.
    form = page.locator("form.filter-form")
    expect(form.locator('#id_municipality option[value="179"]')).to_have_js_property(
        "selected", True
    )
    form.locator('input[name="audience"][value="lapsiperheet"]').check()
    form.locator("#id_open_now").check()
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"open_now=1"))
    query = query_of(page.url)
    assert query["municipality"] == ["179"]
    assert query["audience"] == ["lapsiperheet"]
    assert sorted(result_slugs(page)) == ["perhekahvila-aurinko", "vauvapiiri-tahti"]
    card = page.locator(".place-card", has=page.locator('a[href="/places/perhekahvila-aurinko/"]'))
    expect(card.locator(".status--open")).to_be_visible()

    # The place's page: open now, and this week's hours with today marked.
    card.get_by_role("link", name="Perhekahvila Aurinko").click()
    assert path_of(page.url) == "/places/perhekahvila-aurinko/"
    expect(page.locator(".status-line .status--open")).to_be_visible()
    days = page.locator("table.hours-table tbody tr")
    expect(days).to_have_count(7)
    today = directory.now.isoweekday()
    expect(page.locator('table.hours-table tr[aria-current="date"]')).to_have_count(1)
    expect(days.nth(today - 1)).to_have_attribute("aria-current", "date")
    opens, closes = directory.open_hours
    expect(days.nth(today - 1).locator("td")).to_contain_text(f"{opens:%H:%M}–{closes:%H:%M}")
