"""A coordinator undoes a mistaken edit in Chromium: the history, the comparison and the
restore, with axe-core checking the new admin pages."""

import re

import pytest
from playwright.sync_api import expect

from places.models import Place
from tests.e2e.helpers import axe_violations, describe_violations
from tests.e2e.test_admin_journeys import sign_in
from tests.factories import OrganizationFactory, PlaceFactory, regional_coordinator

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_coordinator_restores_the_version_before_a_mistaken_edit(page, site_url):
    place = PlaceFactory(name="Perhekahvila Aurinko", organization=OrganizationFactory())
    regional_coordinator("13", username="kaisa")
    sign_in(page, site_url, "kaisa")

    page.goto(site_url(f"/admin/places/place/{place.pk}/change/"))
    page.locator("#id_name").fill("Väärä nimi")
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_be_visible()

    page.goto(site_url(f"/admin/places/place/{place.pk}/history/"))
    rows = page.locator("#change-history tbody tr")
    expect(rows).to_have_count(2)  # the edit, and the state before it
    problems = describe_violations("history", axe_violations(page))
    rows.nth(1).get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/admin/places/place/{place.pk}/history/\d+/$"))
    comparison = page.locator("table", has_text="Väärä nimi")
    expect(comparison).to_contain_text("Perhekahvila Aurinko")
    problems += describe_violations("restore", axe_violations(page))
    assert not problems, "axe-core found serious or critical problems:\n" + "\n".join(problems)

    page.locator('input[type="submit"]').click()

    expect(page).to_have_url(re.compile(rf"/admin/places/place/{place.pk}/change/$"))
    expect(page.locator("#id_name")).to_have_value("Perhekahvila Aurinko")
    assert Place.objects.get(pk=place.pk).name == "Perhekahvila Aurinko"
