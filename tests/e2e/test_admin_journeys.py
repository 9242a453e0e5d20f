"""Staff keep their places current and coordinators publish meetings, through the real admin
sign-in form (django-axes counts these attempts)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from network.models import Meeting
from places.models import Region
from tests.factories import (
    MeetingFactory,
    OrganizationFactory,
    PlaceFactory,
    WeeklyHoursFactory,
    organisation_staff,
    regional_coordinator,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "correct horse battery staple"  # UserFactory's


def sign_in(page, site_url, username):
    page.goto(site_url("/admin/"))
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form").get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_organisation_staff_update_their_place_and_see_no_other(page, site_url):
    own = OrganizationFactory(name="Perhepalvelut ry")
    other = OrganizationFactory(name="Naapuriyhdistys ry")
    place = PlaceFactory(name="Perhekahvila Aurinko", organization=own)
    WeeklyHoursFactory(place=place, weekday=2, opens=dt.time(9), closes=dt.time(15))
    others_place = PlaceFactory(name="Naapurin olohuone", organization=other)
    organisation_staff(own, username="maija")

    sign_in(page, site_url, "maija")
    page.goto(site_url("/admin/places/place/"))
    results = page.locator("#result_list")
    expect(results.get_by_role("link", name="Perhekahvila Aurinko")).to_be_visible()
    expect(results.get_by_role("link", name="Naapurin olohuone")).to_have_count(0)
    expect(results.locator("tbody tr")).to_have_count(1)

    results.get_by_role("link", name="Perhekahvila Aurinko").click()
    expect(page).to_have_url(re.compile(rf"/admin/places/place/{place.pk}/change/$"))
    # Tuesday now closes at 17.30. The admin shows times without seconds (15:00) and takes
    # them typed either way.
    closes = page.locator('input[name="weekly_hours-0-closes"]')
    expect(closes).to_have_value("15:00")
    closes.fill("17:30")

    # Moving the place: a click on the map writes the new point into the coordinate fields.
    latitude, longitude = page.locator("#id_latitude"), page.locator("#id_longitude")
    before = (latitude.input_value(), longitude.input_value())
    picker = page.locator("#location-picker-map")
    expect(picker.locator(".leaflet-marker-icon")).to_be_visible()
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] / 2 + 120, "y": box["height"] / 2 - 60})
    expect(latitude).not_to_have_value(before[0])
    expect(longitude).not_to_have_value(before[1])
    moved = (Decimal(latitude.input_value()), Decimal(longitude.input_value()))
    assert moved[0] > Decimal(before[0])  # clicked above the marker: north
    assert moved[1] > Decimal(before[1])  # and right of it: east

    page.locator('input[name="_save"]').click()
    expect(page).to_have_url(re.compile(r"/admin/places/place/$"))
    expect(page.locator(".messagelist .success")).to_be_visible()
    place.refresh_from_db()
    assert (place.latitude, place.longitude) == moved
    assert [(h.weekday, h.opens, h.closes) for h in place.weekly_hours.all()] == [
        (2, dt.time(9), dt.time(17, 30))
    ]

    # Another organisation's place answers like a missing one.
    page.goto(site_url(f"/admin/places/place/{others_place.pk}/change/"))
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator(".messagelist .warning")).to_be_visible()
    expect(page.locator("#place_form")).to_have_count(0)
    expect(page.get_by_text("Naapurin olohuone")).to_have_count(0)


def test_a_regional_coordinator_publishes_a_meeting(page, site_url):
    regional_coordinator("13", username="kaisa")
    meeting = MeetingFactory(
        title="Syysverkosto Jyväskylässä",
        slug="syysverkosto-jyvaskylassa",
        status=Meeting.Status.DRAFT,
        regions=[Region.objects.get(code="13")],
    )
    page.goto(site_url("/network/meetings/"))
    expect(page.get_by_role("link", name=meeting.title)).to_have_count(0)
    assert (
        f"SUMMARY:{meeting.title}" not in page.request.get(site_url("/network/meetings.ics")).text()
    )

    sign_in(page, site_url, "kaisa")
    page.goto(site_url("/admin/network/meeting/"))
    row = page.locator("#result_list tbody tr", has=page.get_by_role("link", name=meeting.title))
    row.locator("input.action-select").check()
    page.locator('select[name="action"]').select_option("publish")
    page.locator('button[name="index"]').click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED

    page.goto(site_url("/network/meetings/"))
    link = page.get_by_role("link", name=meeting.title)
    expect(link).to_have_attribute("href", "/network/meetings/syysverkosto-jyvaskylassa/")
    calendar = page.request.get(site_url("/network/meetings.ics"))
    assert calendar.ok
    assert calendar.headers["content-type"].startswith("text/calendar")
    assert f"SUMMARY:{meeting.title}\r\n" in calendar.text()
