"""The admin's hours form as staff use it (#14): times without seconds, the guidance, and the
hours in words before saving ("Preview the hours"), which validates and saves nothing."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from places.models import Place, WeeklyHours
from tests.factories import (
    HoursExceptionFactory,
    OrganizationFactory,
    PlaceFactory,
    WeeklyHoursFactory,
    municipality,
    organisation_staff,
    regional_coordinator,
)

pytestmark = pytest.mark.django_db


def management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def change_data(place, rows=(), exceptions=(), **overrides):
    """The POST of the place's change form with new weekly ``rows`` (dicts of the row's fields)
    added after none saved, and new ``exceptions``."""
    data = {
        "name": place.name,
        "slug": place.slug,
        "organization": place.organization_id,
        "municipality": place.municipality_id,
        "street_address": place.street_address,
        "postal_code": place.postal_code,
        "postal_town": place.postal_town,
        "free_of_charge": "on",
        "closed_on_public_holidays": "on",
        "loaded_edit_count": place.edit_count,
        **management("weekly_hours", total=len(rows)),
        **management("exceptions", total=len(exceptions)),
        **management("activities"),
    }
    for prefix, forms in (("weekly_hours", rows), ("exceptions", exceptions)):
        for index, row in enumerate(forms):
            for name, value in row.items():
                data[f"{prefix}-{index}-{name}"] = value
    data.update(overrides)
    return data


def preview(response):
    """The hours in words that a preview shows, as the reader sees them."""
    found = re.search(r"<span data-hours-preview>(.*?)</span>", response.content.decode())
    return html.unescape(found.group(1)) if found else None


SUMMER = {"valid_from": "2027-06-01", "valid_until": "2027-08-15", "recurs_yearly": "on"}
WEEK_AND_SUMMER = [
    *({"weekday": day, "opens": "9.00", "closes": "16"} for day in range(1, 6)),
    {"weekday": 2, "opens": "10:00", "closes": "13:00", **SUMMER},
]


@pytest.fixture
def place():
    return PlaceFactory(organization=OrganizationFactory(), closed_on_public_holidays=True)


@pytest.fixture
def staff(client, place):
    client.force_login(organisation_staff(place.organization))
    return client


def change_url(place):
    return reverse("admin:places_place_change", args=[place.pk])


def test_times_are_shown_without_seconds_in_time_inputs(staff, place):
    WeeklyHoursFactory(place=place, weekday=2, opens=dt.time(10), closes=dt.time(13, 30))
    content = staff.get(change_url(place)).content.decode()
    assert 'name="weekly_hours-0-opens" value="10:00"' in content
    assert 'value="13:30"' in content
    assert "10:00:00" not in content and "13:30:00" not in content


def test_the_form_explains_seasons_once_and_shows_the_saved_hours_in_words(staff, place):
    WeeklyHoursFactory(place=place, weekday=1, opens=dt.time(9), closes=dt.time(16))
    content = staff.get(change_url(place)).content.decode()
    assert content.count("Kausi (esimerkiksi kesän aukioloajat) korvaa") == 1
    assert "Nyt tallennettuna:" in content
    assert "ma 9–16, suljettu juhlapyhinä" in content
    assert 'name="_preview_hours"' in content


def test_preview_shows_the_hours_in_words_and_saves_nothing(staff, place):
    response = staff.post(
        change_url(place),
        change_data(
            place,
            WEEK_AND_SUMMER,
            exceptions=[
                {
                    "start_date": "2027-12-24",
                    "end_date": "2027-01-06",
                    "recurs_yearly": "on",
                    "closed": "on",
                }
            ],
            _preview_hours="1",
        ),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert (
        "ma–pe 9–16, kesällä 1.6.–15.8. ma, ke–pe 9–16, ti 10–13, suljettu juhlapyhinä"
        not in content
    )  # a season holds only its own rows: the regular weekdays are closed in it
    assert (
        escape(
            "ma–pe 9–16, kesällä 1.6.–15.8. ti 10–13, suljettu juhlapyhinä, suljettu 24.12.–6.1."
        )
        in content
    )
    assert "Mitään ei ole vielä tallennettu" in content
    assert "errornote" not in content
    place.refresh_from_db()
    assert not place.weekly_hours.exists() and not place.exceptions.exists()
    assert place.edit_count == 0


def test_preview_reads_the_holiday_switch_from_the_form(staff, place):
    data = change_data(place, WEEK_AND_SUMMER[:5], _preview_hours="1")
    del data["closed_on_public_holidays"]
    content = staff.post(change_url(place), data).content.decode()
    assert "ma–pe 9–16, juhlapyhinä auki kuten muinakin päivinä" in content
    place.refresh_from_db()
    assert place.closed_on_public_holidays


def test_preview_shows_saved_and_previewed_hours_side_by_side(staff, place):
    saved = WeeklyHoursFactory(place=place, weekday=1, opens=dt.time(9), closes=dt.time(12))
    data = change_data(place, _preview_hours="1", **management("weekly_hours", total=1, initial=1))
    data.update(
        {
            "weekly_hours-0-id": saved.pk,
            "weekly_hours-0-place": place.pk,
            "weekly_hours-0-weekday": "1",
            "weekly_hours-0-opens": "08:00",
            "weekly_hours-0-closes": "12:00",
        }
    )
    content = staff.post(change_url(place), data).content.decode()
    assert "ma 8–12" in content and "ma 9–12" in content
    saved.refresh_from_db()
    assert saved.opens == dt.time(9)


@pytest.mark.parametrize(
    "row",
    [
        {"weekday": 2, "opens": "10:00", "closes": "10:00"},
        {"weekday": 2, "opens": "25:99", "closes": "13:00"},
        {"weekday": 9, "opens": "10:00", "closes": "13:00"},
        {"weekday": 2, "opens": "", "closes": "13:00"},
        {"weekday": 2, "opens": "10:00", "closes": "13:00", "recurs_yearly": "on"},
        {
            "weekday": 2,
            "opens": "10:00",
            "closes": "13:00",
            "valid_from": "2027-08-31",
            "valid_until": "2027-06-01",
        },
        {"weekday": 2, "opens": "10:00", "closes": "13:00", "weeks": "7"},
        {"weekday": 2, "opens": "10:00", "closes": "13:00", "nth": "x"},
    ],
)
def test_bad_hours_are_refused_in_the_preview_and_on_save_without_a_server_error(staff, place, row):
    for action in ("_preview_hours", "_save"):
        response = staff.post(change_url(place), change_data(place, [row], **{action: "1"}))
        assert response.status_code == 200
        assert "errornote" in response.content.decode()
    assert not place.weekly_hours.exists()


def test_overlapping_rows_are_refused_in_the_preview(staff, place):
    rows = [
        {"weekday": 1, "opens": "09:00", "closes": "12:00"},
        {"weekday": 1, "opens": "11:00", "closes": "14:00"},
    ]
    content = staff.post(change_url(place), change_data(place, rows, _preview_hours="1")).content
    assert "Joitakin yllä olevia aukioloaikoja on korjattava" in content.decode()


def test_saving_takes_times_as_people_type_them(staff, place):
    rows = [{"weekday": 3, "opens": "9.30", "closes": "16"}]
    response = staff.post(change_url(place), change_data(place, rows, _save="1"))
    assert response.status_code == 302
    rule = WeeklyHours.objects.get(place=place)
    assert (rule.opens, rule.closes) == (dt.time(9, 30), dt.time(16))


def test_odd_weeks_and_nth_weekdays_are_offered_and_read_in_words(staff, place):
    rows = [
        {"weekday": 4, "opens": "17:00", "closes": "19:00", "weeks": "1"},
        {"weekday": 5, "opens": "14:00", "closes": "16:00", "nth": "-1"},
    ]
    content = staff.post(change_url(place), change_data(place, rows, _preview_hours="1")).content
    assert "to 17–19 (parittomat viikot), pe 14–16 (kuukauden viimeinen)" in content.decode()
    assert 'name="weekly_hours-0-weeks"' in content.decode()


def test_preview_of_a_new_place_creates_nothing(client):
    organization = OrganizationFactory()
    client.force_login(regional_coordinator("13"))
    data = change_data(
        PlaceFactory.build(
            organization=organization, slug="uusi-paikka", municipality=municipality("179")
        ),
        WEEK_AND_SUMMER,
        _preview_hours="1",
        latitude="",
        longitude="",
    )
    data.pop("loaded_edit_count")
    response = client.post(reverse("admin:places_place_add"), data)
    assert response.status_code == 200
    assert "ma–pe 9–16, kesällä 1.6.–15.8. ti 10–13" in response.content.decode()
    assert not Place.objects.filter(slug="uusi-paikka").exists()


def test_another_organisations_place_cannot_be_previewed(client, place):
    client.force_login(organisation_staff(OrganizationFactory()))
    response = client.post(
        change_url(place), change_data(place, WEEK_AND_SUMMER, _preview_hours="1")
    )
    assert response.status_code in (302, 404)
    assert "ma–pe 9–16" not in response.content.decode()


def test_saved_exceptions_are_read_in_words_with_finnish_dates(staff, place):
    HoursExceptionFactory(place=place, start_date=dt.date(2027, 5, 1), closed=True, reason="Vappu")
    content = staff.get(change_url(place)).content.decode()
    assert "suljettu 1.5.2027 (Vappu)" in content


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("sv", "mån–fre 9–16, på sommaren 1.6.–15.8. tis 10–13, stängt på helgdagar"),
        ("en", "Mon–Fri 9–16, in summer 1 June–15 August Tue 10–13, closed on public holidays"),
    ],
)
def test_preview_speaks_the_admins_language(staff, place, language, text):
    url = f"/{language}{change_url(place)}"
    content = staff.post(url, change_data(place, WEEK_AND_SUMMER, _preview_hours="1")).content
    assert text in content.decode()
