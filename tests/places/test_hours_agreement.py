"""The two faces of the opening-hours engine agree: ``Place.objects.open_at(dt)`` (decided in SQL)
returns exactly the places whose ``is_open_at(dt)`` (decided in Python) is true.

Hypothesis draws a few places with random weekly ranges (some passing midnight, some the whole
day, some holiday hours, some in odd or even weeks only, some on the first to fifth or the last
such weekday of the month, some by appointment, self-service or not known, which are not open),
seasons (some recurring every year, stored in other years and wrapping the year end), exceptions
(some yearly closures, stored in other years, some over the year end, some special hours in
those states) and holiday and eve closures, all packed into a two-week window around a daylight
saving change or public holidays, then probes instants biased towards the dates and minutes
where the rules change: season boundaries, exception dates, holidays, midnight, DST hours and
the exact opening and closing minutes (and the minute either side).
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from places.hours import HELSINKI, HoursState, is_eve, is_public_holiday
from places.models import HoursException, Place, WeeklyHours
from tests.factories import OrganizationFactory, PlaceFactory

WINDOW_DAYS = 14
WINDOW_STARTS = [
    date(2026, 3, 23),  # spring forward on Sunday 29 March, Easter from Good Friday 3 April
    date(2026, 10, 19),  # fall back on Sunday 25 October, All Saints' Day 31 October
    date(2026, 6, 14),  # Midsummer Eve 19 June and Midsummer Day 20 June
    date(2026, 12, 1),  # Independence Day 6 December
    date(2025, 12, 20),  # Christmas Eve, Christmas, New Year's Eve, New Year, a year boundary
]
DST_CHANGE_DAYS = [date(2026, 3, 29), date(2026, 10, 25)]
SPECIAL_TIMES = [
    time(0, 0),
    time(0, 30),
    time(2, 0),
    time(2, 59, 59),
    time(3, 0),
    time(3, 30),
    time(4, 0),
    time(9, 0),
    time(12, 0),
    time(20, 0),
    time(23, 59, 59),
]

clock_times = st.one_of(
    st.sampled_from(SPECIAL_TIMES),
    st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45])),
    st.builds(time, st.integers(0, 23), st.integers(0, 59)),
)
exception_time_ranges = st.tuples(clock_times, clock_times).filter(lambda pair: pair[0] != pair[1])
# Only open ranges make a place open; the others are drawn less often.
states = st.sampled_from([*[HoursState.OPEN] * 3, *HoursState.values])
time_ranges = st.one_of(
    exception_time_ranges,
    st.just((time(0), time(0))),  # the whole day, "00:00-24:00"
)


def window_dates(start):
    return st.integers(-2, WINDOW_DAYS + 2).map(lambda offset: start + timedelta(days=offset))


@st.composite
def seasons(draw, start):
    """(valid_from, valid_until, recurs_yearly). A yearly season is stored in another year than
    the window's, and may run over the year end (its last day before its first)."""
    first, last = draw(window_dates(start)), draw(window_dates(start))
    shape = draw(st.sampled_from(["closed", "from", "until", "yearly"]))
    if shape == "yearly":
        years = draw(st.sampled_from([-6, -1, 3]))
        return (_other_year(first, years), _other_year(last, years), True)
    first, last = sorted([first, last])
    return (
        None if shape == "until" else first,
        None if shape == "from" else last,
        False,
    )


def _other_year(day, years):
    return day.replace(year=day.year + years)


def season_edges(season, start):
    """A season's first and last days as dates near the window (a yearly one's in its years)."""
    valid_from, valid_until, recurs_yearly = season
    if not recurs_yearly:
        return [day for day in (valid_from, valid_until) if day]
    return [
        day.replace(year=year)
        for day in (valid_from, valid_until)
        for year in (start.year, start.year + 1)
    ]


@st.composite
def place_schedules(draw, start):
    place_seasons = draw(st.lists(seasons(start), max_size=2))
    weekly = draw(
        st.lists(
            st.tuples(
                st.integers(1, 7),
                time_ranges,
                st.sampled_from([None, *range(len(place_seasons))]),
                st.sampled_from([False, False, True]),  # holiday hours
                st.sampled_from([0, 0, 0, 1, 2]),  # every week, odd or even weeks
                st.sampled_from([0, 0, 0, 1, 2, 4, 5, -1]),  # which of the month's weekdays
                states,
            ),
            max_size=6,
        )
    )
    exceptions = draw(
        st.lists(
            st.tuples(
                window_dates(start),
                st.one_of(st.none(), st.integers(0, 4)),
                st.one_of(st.none(), exception_time_ranges),
                st.sampled_from(
                    [None, None, -3, 2]
                ),  # a yearly closure, stored that many years off
                states,
            ),
            max_size=3,
        )
    )
    return {
        "closed_on_public_holidays": draw(st.booleans()),
        "closed_on_eves": draw(st.booleans()),
        "weekly": [
            (
                weekday,
                opens,
                closes,
                place_seasons[season] if season is not None else (None, None, False),
                on_public_holidays,
                weeks,
                nth,
                state,
            )
            for weekday, (opens, closes), season, on_public_holidays, weeks, nth, state in weekly
        ],
        "exceptions": [
            (
                first_day,
                None if length is None else first_day + timedelta(days=length),
                None if years is not None else hours,
                years,
                state,
            )
            for first_day, length, hours, years, state in exceptions
        ],
    }


def create_places(schedules):
    organization = OrganizationFactory()
    places = []
    for schedule in schedules:
        place = PlaceFactory(
            organization=organization,
            closed_on_public_holidays=schedule["closed_on_public_holidays"],
            closed_on_eves=schedule["closed_on_eves"],
        )
        WeeklyHours.objects.bulk_create(
            WeeklyHours(
                place=place,
                weekday=weekday,
                opens=opens,
                closes=closes,
                valid_from=valid_from,
                valid_until=valid_until,
                recurs_yearly=recurs_yearly,
                on_public_holidays=on_public_holidays,
                weeks=weeks,
                nth=nth,
                state=state,
            )
            for weekday, opens, closes, season, on_public_holidays, weeks, nth, state in schedule[
                "weekly"
            ]
            for valid_from, valid_until, recurs_yearly in [season]
        )
        HoursException.objects.bulk_create(
            HoursException(
                place=place,
                # A yearly closure is stored in another year (one over the year end then ends
                # before it starts).
                start_date=_shifted(start_date, years),
                end_date=end_date and _shifted(end_date, years, start_date.year),
                recurs_yearly=years is not None,
                closed=hours is None,
                opens=hours and hours[0],
                closes=hours and hours[1],
                state=state,
            )
            for start_date, end_date, hours, years, state in schedule["exceptions"]
        )
        places.append(place)
    # Read back what the database stored, prefetched the way list views read it.
    return list(
        Place.objects.filter(pk__in=[place.pk for place in places]).prefetch_related(
            "weekly_hours", "exceptions"
        )
    )


def _shifted(day, years, year=None):
    """``day`` moved ``years`` years from ``year`` (its own by default) into the year of the
    stored yearly closure, keeping its day and month; unchanged when ``years`` is None."""
    if years is None:
        return day
    return day.replace(year=(year or day.year) + years)


def interesting_dates(start, schedules):
    window = [start + timedelta(days=offset) for offset in range(WINDOW_DAYS)]
    dates = [
        day for day in window if is_public_holiday(day) or is_eve(day) or day in DST_CHANGE_DAYS
    ]
    for schedule in schedules:
        for _weekday, _opens, _closes, season, *_rest in schedule["weekly"]:
            for boundary in season_edges(season, start):
                dates += [boundary, boundary + timedelta(days=1)]
        for first_day, last_day, *_rest in schedule["exceptions"]:
            dates += [first_day, first_day + timedelta(days=1)]
            if last_day:
                dates += [last_day, last_day + timedelta(days=1)]
    return dates


def rule_edges(start, schedules):
    """Wall-clock moments where some rule opens or closes, on the dates where it applies (a
    closing time past midnight falls on the next date), with a minute before and a second
    before the next minute."""
    dates = [start + timedelta(days=offset) for offset in range(-2, WINDOW_DAYS + 3)]
    ranges_by_date = []
    for schedule in schedules:
        for weekday, opens, closes, *_rest in schedule["weekly"]:
            ranges_by_date += [(day, opens, closes) for day in dates if day.isoweekday() == weekday]
        for first_day, last_day, hours, *_rest in schedule["exceptions"]:
            days = (last_day or first_day) - first_day
            ranges_by_date += [
                (first_day + timedelta(days=offset), *(hours or (time.min, time.min)))
                for offset in range(days.days + 1)
            ]
    edges = []
    for day, opens, closes in ranges_by_date:
        closing_day = day + timedelta(days=1) if closes <= opens else day
        for edge in (datetime.combine(day, opens), datetime.combine(closing_day, closes)):
            edges += [edge - timedelta(minutes=1), edge, edge + timedelta(seconds=59)]
    return edges


@st.composite
def instants(draw, start, schedules):
    """An aware instant: a Helsinki wall-clock time (either fold of a repeated hour), the same
    instant in UTC, or any UTC minute of a chosen date."""
    dates = interesting_dates(start, schedules)
    edges = rule_edges(start, schedules)
    if edges and draw(st.booleans()):
        wall_clock = draw(st.sampled_from(edges))
    else:
        day = draw(st.sampled_from(dates) if dates and draw(st.booleans()) else window_dates(start))
        wall_clock = datetime.combine(day, draw(clock_times))
    local = wall_clock.replace(tzinfo=HELSINKI, fold=draw(st.integers(0, 1)))
    form = draw(st.sampled_from(["local", "utc", "utc-minute"]))
    if form == "local":
        return local
    if form == "utc":
        return local.astimezone(UTC)
    minute = draw(st.integers(0, 24 * 60 - 1))
    return datetime.combine(local.date(), time.min, tzinfo=UTC) + timedelta(minutes=minute)


@pytest.mark.django_db
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_database_face_agrees_with_display_face(data):
    start = data.draw(st.sampled_from(WINDOW_STARTS), label="window")
    schedules = data.draw(st.lists(place_schedules(start), min_size=1, max_size=3))
    with transaction.atomic():
        places = create_places(schedules)
        ids = [place.pk for place in places]
        for when in data.draw(st.lists(instants(start, schedules), min_size=1, max_size=8)):
            open_in_python = {place.pk for place in places if place.is_open_at(when)}
            open_in_sql = set(
                Place.objects.filter(pk__in=ids).open_at(when).values_list("pk", flat=True)
            )
            assert open_in_sql == open_in_python, f"at {when.astimezone(HELSINKI)}"
        transaction.set_rollback(True)
