""" "Tuesday morning": the time-of-day filter, alone and with a weekday, on the next such day
with its exceptions and seasons, and the place model's own answer agreeing with the SQL one."""

import datetime as dt
from unittest import mock

import pytest
from django.utils.html import strip_tags

from places.models import Place
from places.querysets import PARTS_OF_DAY, next_part_of_day
from tests.factories import HoursExceptionFactory, PlaceFactory, WeeklyHoursFactory

pytestmark = pytest.mark.django_db

MONDAY, TUESDAY = 1, 2
TZ = dt.timezone(dt.timedelta(hours=2))  # Helsinki in winter
MONDAY_MORNING = dt.datetime(2026, 11, 30, 10, 0, tzinfo=TZ)
TUESDAY_AFTERNOON = dt.datetime(2026, 12, 1, 13, 0, tzinfo=TZ)


def hours(place, weekday, opens, closes, **season):
    WeeklyHoursFactory(
        place=place, weekday=weekday, opens=dt.time(*opens), closes=dt.time(*closes), **season
    )


@pytest.fixture
def places(db):
    made = {
        name: PlaceFactory(name=name)
        for name in (
            "Aamu",
            "Ilta",
            "Yökahvila",
            "Talvikausi",
            "Remontti",
            "Poikkeus",
            "Puolipäivä",
            "Varhain",
        )
    }
    hours(made["Aamu"], TUESDAY, (9,), (11,))
    hours(made["Ilta"], TUESDAY, (17,), (20,))
    # Monday night until 07:00 on Tuesday: open on Tuesday morning.
    hours(made["Yökahvila"], MONDAY, (20,), (7,))
    # The winter season replaces the regular Tuesday morning with an afternoon.
    hours(made["Talvikausi"], TUESDAY, (9,), (12,))
    hours(
        made["Talvikausi"],
        TUESDAY,
        (13,),
        (15,),
        valid_from=dt.date(2026, 11, 1),
        valid_until=dt.date(2026, 12, 31),
    )
    # Closed on Tuesday 1 December only.
    hours(made["Remontti"], TUESDAY, (9,), (12,))
    HoursExceptionFactory(place=made["Remontti"], start_date=dt.date(2026, 12, 1), closed=True)
    # No weekly hours on Tuesdays, but open on the evening of 1 December.
    HoursExceptionFactory(
        place=made["Poikkeus"],
        start_date=dt.date(2026, 12, 1),
        closed=False,
        opens=dt.time(18),
        closes=dt.time(20),
    )
    # Opening at noon is the afternoon, closing at six the early hours: neither is morning.
    hours(made["Puolipäivä"], TUESDAY, (12,), (13,))
    hours(made["Varhain"], TUESDAY, (5,), (6,))
    return made


def listed(client, query, now):
    with mock.patch("django.utils.timezone.now", return_value=now):
        response = client.get(f"/places/?{query}")
    assert response.status_code == 200
    return sorted(place.name for place in response.context["places"]), response


def test_tuesday_morning_afternoon_and_evening(client, places):
    assert listed(client, "day=2&time=morning", MONDAY_MORNING)[0] == ["Aamu", "Yökahvila"]
    assert listed(client, "day=2&time=afternoon", MONDAY_MORNING)[0] == [
        "Puolipäivä",
        "Talvikausi",
    ]
    assert listed(client, "day=2&time=evening", MONDAY_MORNING)[0] == ["Ilta", "Poikkeus"]


def test_a_morning_already_over_means_next_weeks(client, places):
    names, response = listed(client, "day=2&time=morning", TUESDAY_AFTERNOON)
    # 8 December: the renovation is over, the exception was for the 1st only.
    assert names == ["Aamu", "Remontti", "Yökahvila"]
    text = " ".join(strip_tags(response.content.decode()).split())
    assert "Auki tähän aikaan: Aamupäivä (6–12), tiistai 8.12.2026" in text


def test_time_of_day_alone_is_the_next_one_not_yet_over(client, places):
    # On Tuesday afternoon the next morning is Wednesday's: nobody is open then.
    assert listed(client, "time=morning", TUESDAY_AFTERNOON)[0] == []
    assert listed(client, "time=afternoon", TUESDAY_AFTERNOON)[0] == [
        "Puolipäivä",
        "Talvikausi",
    ]


def test_next_part_of_day():
    assert next_part_of_day("morning", None, MONDAY_MORNING) == dt.date(2026, 11, 30)
    assert next_part_of_day("morning", None, TUESDAY_AFTERNOON) == dt.date(2026, 12, 2)
    assert next_part_of_day("evening", None, TUESDAY_AFTERNOON) == dt.date(2026, 12, 1)
    assert next_part_of_day("morning", TUESDAY, TUESDAY_AFTERNOON) == dt.date(2026, 12, 8)
    assert next_part_of_day("evening", TUESDAY, TUESDAY_AFTERNOON) == dt.date(2026, 12, 1)
    assert next_part_of_day("morning", MONDAY, TUESDAY_AFTERNOON) == dt.date(2026, 12, 7)


def test_the_model_agrees_with_the_database(places):
    for day in (dt.date(2026, 11, 30) + dt.timedelta(days=n) for n in range(9)):
        for starts, ends in PARTS_OF_DAY.values():
            in_database = set(
                Place.objects.open_during(day, starts, ends).values_list("pk", flat=True)
            )
            for place in Place.objects.with_hours(since=day - dt.timedelta(days=1)):
                assert place.is_open_during(day, starts, ends) == (place.pk in in_database), (
                    place.name,
                    day,
                    starts,
                )


def test_the_choices_say_which_hours_they_mean(client, places):
    page = client.get("/en/places/").content.decode()
    for label in ("Morning (6–12)", "Afternoon (12–17)", "Evening (17–24)"):
        assert label in page


@pytest.mark.parametrize("query", ["time=night", "time=morning&time=evening", "day=8&time=evening"])
def test_unknown_values_get_a_message(client, places, query):
    response = client.get(f"/places/?{query}")
    assert response.status_code == 200
    assert response.context["filter_errors"]
    assert client.get(f"/places.geojson?{query}").status_code == 400


def test_the_filter_keeps_the_list_within_its_query_budget(
    client, places, django_assert_max_num_queries
):
    for _ in range(30):
        hours(PlaceFactory(), TUESDAY, (10,), (14,))
    with django_assert_max_num_queries(12):
        _names, response = listed(client, "day=2&time=morning&stroller=0", MONDAY_MORNING)
    assert response.context["page_obj"].paginator.count == 32
