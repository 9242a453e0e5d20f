"""The place filter as residents use it on /places/: each parameter, combinations, and bad input
answered with a message rather than an error page."""

import datetime as dt
from unittest import mock

import pytest
from django.db import connection

from places.hours import HELSINKI
from tests.factories import (
    HoursExceptionFactory,
    PlaceFactory,
    WeeklyHoursFactory,
    audience,
    municipality,
)

TUESDAY = 2
TUESDAY_EVENING = "2026-12-01T18:00"  # 1 December 2026 is a Tuesday


def listed(response):
    assert response.status_code == 200
    return sorted(place.name for place in response.context["places"])


def page_text(response):
    """The page with runs of whitespace collapsed, as a browser shows it."""
    return " ".join(response.content.decode().split())


def open_on(place, weekday, opens, closes):
    WeeklyHoursFactory(place=place, weekday=weekday, opens=opens, closes=closes)
    return place


@pytest.fixture
def places(db):
    """Four published places and one unpublished, each differing in one respect."""
    families_evening = open_on(
        PlaceFactory(
            name="Perhekahvila Ilta",
            audiences=[audience("lapsiperheet")],
            step_free_access=True,
            online_url="https://meet.example.org/ilta",
        ),
        TUESDAY,
        dt.time(17),
        dt.time(20),
    )
    families_morning = open_on(
        PlaceFactory(
            name="Perhekahvila Aamu",
            audiences=[audience("lapsiperheet"), audience("lapset")],
            free_of_charge=False,
            description="Vauvaryhmä ja muskari.",
        ),
        TUESDAY,
        dt.time(9),
        dt.time(12),
    )
    seniors = open_on(
        PlaceFactory(name="Seniorituvan olohuone", audiences=[audience("ikaihmiset")]),
        TUESDAY,
        dt.time(17),
        dt.time(20),
    )
    helsinki = open_on(
        PlaceFactory(
            name="Kallion perhetalo",
            municipality=municipality("091"),
            postal_town="Helsinki",
            postal_code="00530",
            audiences=[audience("lapsiperheet")],
        ),
        4,
        dt.time(17),
        dt.time(20),
    )
    hidden = open_on(
        PlaceFactory(name="Luonnos", is_published=False, audiences=[audience("lapsiperheet")]),
        TUESDAY,
        dt.time(17),
        dt.time(20),
    )
    return {
        "families_evening": families_evening,
        "families_morning": families_morning,
        "seniors": seniors,
        "helsinki": helsinki,
        "hidden": hidden,
    }


ALL_PUBLISHED = [
    "Kallion perhetalo",
    "Perhekahvila Aamu",
    "Perhekahvila Ilta",
    "Seniorituvan olohuone",
]


def test_without_filters_every_published_place_is_listed_and_counted(client, places):
    response = client.get("/en/places/")
    assert listed(response) == ALL_PUBLISHED
    assert "4 meeting places found" in response.content.decode()
    assert "Luonnos" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=Aamu", ["Perhekahvila Aamu"]),
        ("q=muskari", ["Perhekahvila Aamu"]),
        ("q=Helsinki", ["Kallion perhetalo"]),
        ("region=01", ["Kallion perhetalo"]),
        ("municipality=179", ["Perhekahvila Aamu", "Perhekahvila Ilta", "Seniorituvan olohuone"]),
        ("municipality=091&municipality=179", ALL_PUBLISHED),
        ("audience=ikaihmiset", ["Seniorituvan olohuone"]),
        ("audience=lapset&audience=ikaihmiset", ["Perhekahvila Aamu", "Seniorituvan olohuone"]),
        ("day=4", ["Kallion perhetalo"]),
        ("day=2", ["Perhekahvila Aamu", "Perhekahvila Ilta", "Seniorituvan olohuone"]),
        ("day=1", []),
        (f"open_at={TUESDAY_EVENING}", ["Perhekahvila Ilta", "Seniorituvan olohuone"]),
        ("free=1", ["Kallion perhetalo", "Perhekahvila Ilta", "Seniorituvan olohuone"]),
        ("accessible=1", ["Perhekahvila Ilta"]),
        ("online=1", ["Perhekahvila Ilta"]),
        ("free=0", ALL_PUBLISHED),
    ],
)
def test_each_filter_narrows_the_list(client, places, query, expected):
    assert listed(client.get(f"/places/?{query}")) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Finnish stemming needs PostgreSQL")
def test_text_search_understands_finnish_inflection_and_compounds(client, places):
    places["seniors"].description = "Kokoonnumme kirjastossa."
    places["seniors"].save()
    assert listed(client.get("/places/?q=kirjasto")) == ["Seniorituvan olohuone"]
    assert listed(client.get("/places/?q=perhe")) == [
        "Kallion perhetalo",
        "Perhekahvila Aamu",
        "Perhekahvila Ilta",
    ]
    assert listed(client.get("/places/?q=perhekahvila aamu")) == ["Perhekahvila Aamu"]
    assert listed(client.get("/places/?q=%21%26%7C%3A%2A")) == []


def test_jyvaskyla_families_on_tuesday_evening(client, places):
    response = client.get(
        f"/places/?municipality=179&audience=lapsiperheet&open_at={TUESDAY_EVENING}"
    )
    assert listed(response) == ["Perhekahvila Ilta"]


def test_open_at_respects_exceptions(client, places):
    HoursExceptionFactory(place=places["families_evening"], start_date=dt.date(2026, 12, 1))
    response = client.get(f"/places/?audience=lapsiperheet&open_at={TUESDAY_EVENING}")
    assert listed(response) == []


def test_open_now_uses_the_current_time(client, places):
    tuesday_evening = dt.datetime(2026, 12, 1, 18, 30, tzinfo=HELSINKI)
    with mock.patch("django.utils.timezone.now", return_value=tuesday_evening):
        response = client.get("/places/?open_now=1")
    assert listed(response) == ["Perhekahvila Ilta", "Seniorituvan olohuone"]


def test_cards_show_open_status_audiences_price_and_accessibility(client, places):
    tuesday_evening = dt.datetime(2026, 12, 1, 18, 30, tzinfo=HELSINKI)
    with mock.patch("django.utils.timezone.now", return_value=tuesday_evening):
        html = page_text(client.get("/en/places/?municipality=179"))
    assert "Open now</span> · closes 20:00" in html
    assert "Families with children" in html
    assert "Free of charge" in html
    assert "Fee charged" in html
    assert "Step-free entrance" in html


def test_status_says_today_and_tomorrow(client, places):
    tuesday_morning = dt.datetime(2026, 12, 1, 7, 0, tzinfo=HELSINKI)
    monday_evening = dt.datetime(2026, 11, 30, 21, 0, tzinfo=HELSINKI)
    with mock.patch("django.utils.timezone.now", return_value=tuesday_morning):
        html = page_text(client.get("/en/places/?q=Aamu"))
    assert "opens today 09:00" in html
    with mock.patch("django.utils.timezone.now", return_value=monday_evening):
        html = page_text(client.get("/en/places/?q=Aamu"))
    assert "opens tomorrow 09:00" in html


def test_status_names_the_weekday_within_a_week_and_the_date_beyond(client, places):
    wednesday = dt.datetime(2026, 12, 2, 10, 0, tzinfo=HELSINKI)
    with mock.patch("django.utils.timezone.now", return_value=wednesday):
        html = page_text(client.get("/en/places/?q=Aamu"))
    assert "Closed now</span> · opens Tuesday 09:00" in html
    tuesday_noon = dt.datetime(2026, 12, 1, 12, 0, tzinfo=HELSINKI)
    with mock.patch("django.utils.timezone.now", return_value=tuesday_noon):
        html = page_text(client.get("/en/places/?q=Aamu"))
    assert "opens 8 December 2026 09:00" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("municipality=999", "There is no municipality with the code 999."),
        ("audience=dragons", "There is no audience called “dragons”."),
        ("region=99", "There is no region with the code 99."),
        ("open_at=garbage", "Enter a date and time like 2026-12-01T18:00."),
        ("open_at=0001-01-01T00:00", "Choose a date between the years 2000 and 2100."),
        ("day=0", "Choose a weekday from 1 (Monday) to 7 (Sunday)."),
        ("day=8", "Choose a weekday from 1 (Monday) to 7 (Sunday)."),
        ("day=x", "Choose a weekday from 1 (Monday) to 7 (Sunday)."),
        ("free=maybe", "Use 1 to turn this filter on, or leave it out."),
        ("day=2&day=3", "Give only one value for this filter."),
        ("q=" + "a" * 201, "Ensure this value has at most 200 characters"),
        ("open_at=2026-03-29T03:30", "it may be ambiguous or it may not exist"),
    ],
)
def test_bad_filters_give_a_message_and_leave_the_filter_out(client, places, query, message):
    response = client.get(f"/en/places/?{query}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Some filters could not be used and were left out" in html
    assert message in html
    assert listed(response) == ALL_PUBLISHED


def test_a_bad_filter_does_not_undo_the_good_ones(client, places):
    response = client.get("/en/places/?municipality=179&audience=ikaihmiset&day=9")
    assert listed(response) == ["Seniorituvan olohuone"]


def test_links_to_the_map_carry_only_the_filters_that_were_used(client, places):
    html = client.get("/en/places/?municipality=179&day=9&page=1").content.decode()
    assert 'href="/en/places/map/?municipality=179">' in html
    map_html = client.get("/en/places/map/?municipality=179&day=9").content.decode()
    assert '"geojsonUrl": "/en/places.geojson?municipality=179"' in map_html
    assert 'href="/en/places/?municipality=179">' in map_html


def test_ticked_filters_stay_ticked_and_off_values_do_not(client, places):
    html = client.get("/en/places/?free=1&online=0").content.decode()
    assert 'name="free" value="1" id="id_free" checked' in html
    assert 'name="online" value="1" id="id_online">' in html


def test_empty_values_from_the_home_page_select_are_ignored(client, places):
    response = client.get("/places/?q=&municipality=&audience=&day=&open_at=")
    assert listed(response) == ALL_PUBLISHED
    assert "Some filters could not be used" not in response.content.decode()


@pytest.fixture
def many_places(db):
    PlaceFactory.create_batch(45)


@pytest.mark.parametrize(
    ("page", "shown", "message"),
    [
        ("99999", 3, "There are only 3 pages, so the last page is shown."),
        ("-1", 1, "Page numbers start from 1, so the first page is shown."),
        ("0", 1, "Page numbers start from 1, so the first page is shown."),
        ("abc", 1, "“abc” is not a page number, so the first page is shown."),
        ("9" * 5000, 1, "is not a page number, so the first page is shown."),
    ],
)
def test_impossible_pages_show_a_real_page_with_an_explanation(
    client, many_places, page, shown, message
):
    response = client.get(f"/en/places/?page={page}")
    assert response.status_code == 200
    assert response.context["page_obj"].number == shown
    assert message in response.content.decode()


def test_pages_hold_twenty_places_and_links_keep_the_filters(client, many_places):
    response = client.get("/en/places/?municipality=179&page=2")
    assert len(response.context["places"]) == 20
    html = response.content.decode()
    assert 'href="?municipality=179&amp;page=3"' in html
    assert 'href="?municipality=179&amp;page=1"' in html


def test_filter_form_is_labelled_and_offers_a_way_back(client, places):
    html = client.get("/en/places/?municipality=179").content.decode()
    assert 'method="get"' in html
    for name in ("q", "region", "municipality", "day", "open_at", "open_now", "free"):
        assert f'<label for="id_{name}"' in html
    assert "<legend>For whom</legend>" in html or "For whom</legend>" in html
    assert '<a href="/en/places/">Clear filters</a>' in html
    assert '<option value="179" selected>Jyväskylä</option>' in html
    assert '<option value="091">Helsinki</option>' in html
    assert 'role="status"' in html


def test_municipality_and_region_names_are_swedish_on_swedish_pages(client, places):
    html = client.get("/sv/places/?municipality=091").content.decode()
    assert "Helsingfors" in html
    assert "Nyland" in html
    assert "Barnfamiljer" in html
