"""Switching between Finnish, Swedish and English keeps the page and its filters."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import path_of, query_of, result_slugs

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FILTERS = {"municipality": ["091"], "audience": ["lapsiperheet"]}
# Municipality names come from the reference data and audience names from the database, so
# they are right in every language before any translation file exists.
LANGUAGES = [
    # switcher language, path prefix, Helsinki, families
    ("sv", "/sv", "Helsingfors", "Barnfamiljer"),
    ("en", "/en", "Helsinki", "Families with children"),
    ("fi", "", "Helsinki", "Lapsiperheet"),
]


def switch_language(page, language):
    page.locator(f'.language-switcher a[hreflang="{language}"]').click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator(f'.language-switcher a[hreflang="{language}"]')).to_have_attribute(
        "aria-current", "true"
    )


def test_switching_language_keeps_the_page_and_its_filters(page, site_url, directory):
    page.goto(site_url("/places/?municipality=091&audience=lapsiperheet"))
    for language, prefix, helsinki, families in LANGUAGES:
        switch_language(page, language)
        assert path_of(page.url) == f"{prefix}/places/"
        assert query_of(page.url) == FILTERS
        selected = page.locator("#id_municipality option:checked")
        expect(selected).to_have_count(1)
        expect(selected).to_have_attribute("value", "091")
        expect(selected).to_have_text(helsinki)
        families_box = page.locator('input[name="audience"][value="lapsiperheet"]')
        expect(families_box).to_be_checked()
        expect(page.locator(f'label[for="{families_box.get_attribute("id")}"]')).to_have_text(
            families
        )
        assert result_slugs(page) == ["kallion-perhetalo"]
        expect(page.locator(".place-card .meta")).to_contain_text(helsinki)
        # The filter form and the links to the place stay in the language.
        expect(page.locator("form.filter-form")).to_have_attribute("action", f"{prefix}/places/")
        expect(page.locator(".place-card h3 a")).to_have_attribute(
            "href", f"{prefix}/places/kallion-perhetalo/"
        )

    # The municipality, place and map pages stay put too.
    page.goto(site_url("/municipalities/helsinki/"))
    switch_language(page, "sv")
    assert path_of(page.url) == "/sv/municipalities/helsinki/"
    expect(page.locator("h1")).to_contain_text("Helsingfors")
    expect(page.locator("main")).to_contain_text("Nyland")

    page.locator('a[href="/sv/places/kallion-perhetalo/"]').click()
    expect(page.locator("h1")).to_have_text("Kallion perhetalo")
    expect(page.locator(".place-detail > h1 + .meta")).to_contain_text("Helsingfors")
    switch_language(page, "en")
    assert path_of(page.url) == "/en/places/kallion-perhetalo/"
    expect(page.locator(".place-detail > h1 + .meta")).to_contain_text("Helsinki")

    page.goto(site_url("/places/map/?municipality=179&audience=lapsiperheet", "en"))
    expect(page.locator("#places-map")).to_have_attribute("data-marker-count", "2")
    switch_language(page, "sv")
    assert path_of(page.url) == "/sv/places/map/"
    assert query_of(page.url) == {"municipality": ["179"], "audience": ["lapsiperheet"]}
    expect(page.locator("#places-map")).to_have_attribute("data-marker-count", "2")
