"""Staff enter yearly summer hours in the admin on a phone, read them in words before saving,
and find them on the public place page (#14)."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from places.models import WeeklyHours
from tests.e2e.conftest import _new_page
from tests.e2e.helpers import axe_violations, describe_violations
from tests.factories import (
    OrganizationFactory,
    PlaceFactory,
    WeeklyHoursFactory,
    organisation_staff,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "correct horse battery staple"  # UserFactory's
NARROW_PHONE = {"width": 375, "height": 812}
IN_WORDS = "ma–pe 9–16, kesällä 1.6.–15.8. ti 10–13, suljettu juhlapyhinä"


@pytest.fixture
def narrow_phone(browser):
    context, page = _new_page(browser, NARROW_PHONE, is_mobile=True, has_touch=True)
    yield page
    context.close()


@pytest.fixture
def no_js_phone(browser):
    context, page = _new_page(browser, NARROW_PHONE, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture
def place():
    organization = OrganizationFactory(name="Perhepalvelut ry")
    place = PlaceFactory(
        name="Perhekahvila Aurinko",
        slug="perhekahvila-aurinko",
        organization=organization,
        closed_on_public_holidays=True,
    )
    for weekday in range(1, 6):
        WeeklyHoursFactory(place=place, weekday=weekday, opens=dt.time(9), closes=dt.time(16))
    organisation_staff(organization, username="maija")
    return place


def sign_in(page, site_url):
    page.goto(site_url("/admin/"))
    page.locator("#id_username").fill("maija")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form").get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def overflows(page):
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def enter_summer_tuesdays(page, row=5):
    field = f"weekly_hours-{row}"
    page.locator(f'select[name="{field}-weekday"]').select_option("2")
    page.locator(f'input[name="{field}-opens"]').fill("10:00")
    page.locator(f'input[name="{field}-closes"]').fill("13:00")
    page.locator(f'input[name="{field}-valid_from"]').fill("1.6.2027")
    page.locator(f'input[name="{field}-valid_until"]').fill("15.8.2027")
    page.locator(f'input[name="{field}-recurs_yearly"]').check()


def test_staff_enter_yearly_summer_hours_on_a_phone_and_see_them_on_the_place_page(
    narrow_phone, site_url, place
):
    page = narrow_phone
    sign_in(page, site_url)
    page.goto(site_url(f"/admin/places/place/{place.pk}/change/"))
    # Times without seconds, the saved hours in words, nothing wider than the phone.
    expect(page.locator('input[name="weekly_hours-0-opens"]')).to_have_value("09:00")
    expect(page.locator("[data-hours-saved]")).to_have_text("ma–pe 9–16, suljettu juhlapyhinä")
    assert not overflows(page)

    enter_summer_tuesdays(page)
    page.get_by_role("button", name="Esikatsele aukioloajat").click()
    expect(page.locator("[data-hours-preview]")).to_have_text(IN_WORDS)
    expect(page).to_have_url(re.compile(r"#hours-in-words$"))
    assert not overflows(page)
    assert WeeklyHours.objects.filter(place=place).count() == 5  # a preview saves nothing
    problems = describe_violations("the previewed hours form", axe_violations(page))
    assert not problems, "\n".join(problems)

    page.locator('input[name="_save"]').click()
    # (The browser keeps the preview's #hours-in-words through the redirect.)
    expect(page).to_have_url(re.compile(r"/admin/places/place/(#[a-z-]+)?$"))
    assert WeeklyHours.objects.filter(place=place, recurs_yearly=True).count() == 1

    page.goto(site_url("/places/perhekahvila-aurinko/"))
    through_year = page.locator(".hours-through-year")
    expect(through_year).to_contain_text("Tavallisesti: ma–pe 9–16")
    expect(through_year).to_contain_text("Kesällä 1.6.–15.8.: ti 10–13")
    problems = describe_violations("the place page", axe_violations(page))
    assert not problems, "\n".join(problems)
    page.goto(site_url("/places/perhekahvila-aurinko/", "sv"))
    expect(page.locator(".hours-through-year")).to_contain_text("På sommaren 1.6.–15.8.: tis 10–13")


def test_the_preview_works_without_javascript_and_refuses_bad_hours(no_js_phone, site_url, place):
    page = no_js_phone
    sign_in(page, site_url)
    page.goto(site_url(f"/admin/places/place/{place.pk}/change/"))
    assert not overflows(page)
    enter_summer_tuesdays(page)
    page.locator('input[name="weekly_hours-5-closes"]').fill("10:00")  # the same as it opens
    page.get_by_role("button", name="Esikatsele aukioloajat").click()
    expect(page.locator(".hours-in-words .errornote")).to_be_visible()
    expect(page.locator("#weekly_hours-group .errorlist").first).to_be_visible()
    page.locator('input[name="weekly_hours-5-closes"]').fill("13:00")
    page.get_by_role("button", name="Esikatsele aukioloajat").click()
    expect(page.locator("[data-hours-preview]")).to_have_text(IN_WORDS)
    assert WeeklyHours.objects.filter(place=place).count() == 5
