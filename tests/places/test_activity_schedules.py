"""Activities' schedules (#15) against real dates: every kind of rule the OSM parser reads, the
daylight saving changes, Finnish public holidays, a place's exception, cancellations, ranges
past midnight, and the occurrence table that the pages read."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from places.activity_schedule import ActivitySchedule
from places.hours import HELSINKI
from places.models import Activity, ActivityOccurrence
from tests.factories import (
    ActivityCancellationFactory,
    ActivityFactory,
    HoursExceptionFactory,
    OrganizationFactory,
    PlaceFactory,
    WeeklyHoursFactory,
)

pytestmark = pytest.mark.django_db

JANUARY_2027 = (date(2027, 1, 1), date(2027, 1, 31))


def held(activity, first, last):
    """(date, Helsinki start "HH:MM", Helsinki end "YYYY-MM-DD HH:MM", cancelled) of each
    occurrence."""
    occurrences, _excluded = activity.occurrences_between(first, last)
    return [
        (
            o.date,
            f"{o.starts_at.astimezone(HELSINKI):%H:%M}",
            f"{o.ends_at.astimezone(HELSINKI):%Y-%m-%d %H:%M}",
            o.cancelled,
        )
        for o in occurrences
    ]


def held_dates(activity, first, last):
    return [occurrence[0] for occurrence in held(activity, first, last)]


def test_weekly_on_a_weekday():
    activity = ActivityFactory(schedule="Tu 10:00-12:00")
    assert held(activity, *JANUARY_2027) == [
        (date(2027, 1, day), "10:00", f"2027-01-{day:02d} 12:00", False) for day in (5, 12, 19, 26)
    ]


def test_several_weekdays_and_ranges():
    activity = ActivityFactory(schedule="Mo,We 09:00-11:00,13:00-15:00")
    week = held(activity, date(2027, 1, 4), date(2027, 1, 10))
    assert [(day, start) for day, start, _end, _c in week] == [
        (date(2027, 1, 4), "09:00"),
        (date(2027, 1, 4), "13:00"),
        (date(2027, 1, 6), "09:00"),
        (date(2027, 1, 6), "13:00"),
    ]


def test_every_other_week_from_its_first_date():
    # ISO weeks 1, 3, 5 …: 2027's Wednesdays 6 and 20 January, 3 February; the first date
    # leaves out the earlier ones.
    activity = ActivityFactory(schedule="week 01-53/2 We 17:00-19:00", starts_on=date(2027, 1, 5))
    assert held_dates(activity, date(2026, 12, 1), date(2027, 2, 10)) == [
        date(2027, 1, 6),
        date(2027, 1, 20),
        date(2027, 2, 3),
    ]
    even = ActivityFactory(schedule="week 02-53/2 We 17:00-19:00")
    assert held_dates(even, *JANUARY_2027) == [date(2027, 1, 13), date(2027, 1, 27)]


def test_odd_weeks_follow_iso_weeks_over_a_53_week_year():
    # 2026 has 53 ISO weeks: week 53 (30 December) and 2027's week 1 (6 January) are both odd,
    # as OpenStreetMap and the opening-hours engine read "week 01-53/2".
    activity = ActivityFactory(schedule="week 01-53/2 We 17:00-19:00")
    assert held_dates(activity, date(2026, 12, 14), date(2027, 1, 10)) == [
        date(2026, 12, 16),
        date(2026, 12, 30),
        date(2027, 1, 6),
    ]


def test_the_first_thursday_and_the_last_friday_of_the_month():
    first_thursday = ActivityFactory(schedule="Th[1] 13:00-15:00")
    assert held_dates(first_thursday, date(2027, 1, 1), date(2027, 4, 30)) == [
        date(2027, 1, 7),
        date(2027, 2, 4),
        date(2027, 3, 4),
        date(2027, 4, 1),
    ]
    last_friday = ActivityFactory(schedule="Fr[-1] 18:00-20:00")
    assert held_dates(last_friday, date(2027, 1, 1), date(2027, 4, 30)) == [
        date(2027, 1, 29),
        date(2027, 2, 26),
        date(2027, 3, 26),
        date(2027, 4, 30),
    ]


def test_a_yearly_season_leaves_out_the_summer():
    activity = ActivityFactory(schedule="Sep 01-May 31 Tu 10:00-12:00")
    dates = held_dates(activity, date(2027, 5, 1), date(2027, 9, 30))
    assert dates[:5] == [date(2027, 5, day) for day in (4, 11, 18, 25)] + [date(2027, 9, 7)]
    assert all(not 6 <= day.month <= 8 for day in dates)
    # The season recurs every year: also the next winter.
    assert date(2028, 1, 4) in held_dates(activity, date(2027, 12, 1), date(2028, 1, 31))


def test_a_dated_season():
    activity = ActivityFactory(schedule="2027 Feb 01-2027 Feb 28 Mo 17:00-18:30")
    assert held_dates(activity, date(2027, 1, 1), date(2027, 3, 31)) == [
        date(2027, 2, day) for day in (1, 8, 15, 22)
    ]


def test_a_one_off_event():
    activity = ActivityFactory(schedule="2027 Jan 15 18:00-20:00")
    assert held(activity, date(2026, 12, 1), date(2027, 12, 31)) == [
        (date(2027, 1, 15), "18:00", "2027-01-15 20:00", False)
    ]


def test_a_dated_event_replaces_the_weekly_time_on_its_date():
    activity = ActivityFactory(schedule="Tu 10:00-12:00; 2027 Jan 12 18:00-20:00")
    week = held(activity, date(2027, 1, 5), date(2027, 1, 19))
    assert [(day, start) for day, start, _end, _c in week] == [
        (date(2027, 1, 5), "10:00"),
        (date(2027, 1, 12), "18:00"),
        (date(2027, 1, 19), "10:00"),
    ]


def test_times_past_midnight_end_on_the_next_date():
    activity = ActivityFactory(schedule="Fr 22:00-02:00")
    assert held(activity, date(2027, 1, 8), date(2027, 1, 9)) == [
        (date(2027, 1, 8), "22:00", "2027-01-09 02:00", False)
    ]


def test_wall_clock_times_across_the_daylight_saving_changes():
    # Summer time starts on Sunday 28 March 2027 and ends on Sunday 31 October 2027.
    activity = ActivityFactory(schedule="Tu 10:00-12:00")
    occurrences, _ = activity.occurrences_between(date(2027, 3, 23), date(2027, 3, 30))
    assert [o.starts_at.astimezone(UTC).hour for o in occurrences] == [8, 7]
    occurrences, _ = activity.occurrences_between(date(2027, 10, 26), date(2027, 11, 2))
    assert [o.starts_at.astimezone(UTC).hour for o in occurrences] == [7, 8]
    night = ActivityFactory(schedule="Sa 22:00-04:00")
    occurrences, _ = night.occurrences_between(date(2027, 3, 27), date(2027, 3, 27))
    # 22:00 winter time to 04:00 summer time: five hours, not six.
    duration = occurrences[0].ends_at.astimezone(UTC) - occurrences[0].starts_at.astimezone(UTC)
    assert duration == timedelta(hours=5)


def test_no_activity_when_the_place_closes_for_a_public_holiday():
    # Easter Monday is 29 March 2027, Independence Day Monday 6 December 2027.
    place = PlaceFactory(closed_on_public_holidays=True)
    activity = ActivityFactory(place=place, schedule="Mo 10:00-12:00")
    dates = held_dates(activity, date(2027, 3, 22), date(2027, 4, 5))
    assert dates == [date(2027, 3, 22), date(2027, 4, 5)]
    assert date(2027, 12, 6) not in held_dates(activity, date(2027, 12, 1), date(2027, 12, 31))


def test_an_activity_may_be_held_when_the_place_is_closed():
    place = PlaceFactory(closed_on_public_holidays=True)
    activity = ActivityFactory(place=place, schedule="Mo 10:00-12:00", held_when_place_closed=True)
    assert date(2027, 3, 29) in held_dates(activity, date(2027, 3, 22), date(2027, 4, 5))


def test_a_place_open_on_public_holidays_keeps_its_activities_then():
    activity = ActivityFactory(place=PlaceFactory(closed_on_public_holidays=False))
    activity.schedule = "Mo 10:00-12:00"
    assert date(2027, 3, 29) in held_dates(activity, date(2027, 3, 22), date(2027, 4, 5))


def test_the_activity_s_own_public_holiday_closure():
    activity = ActivityFactory(
        place=PlaceFactory(closed_on_public_holidays=False), schedule="Mo 10:00-12:00; PH off"
    )
    assert held_dates(activity, date(2027, 3, 22), date(2027, 4, 5)) == [
        date(2027, 3, 22),
        date(2027, 4, 5),
    ]


def test_the_activity_s_own_yearly_break():
    activity = ActivityFactory(schedule="Tu 10:00-12:00; Dec 20-Jan 10 off")
    assert held_dates(activity, date(2027, 12, 1), date(2028, 1, 20)) == [
        date(2027, 12, 7),
        date(2027, 12, 14),
        date(2028, 1, 11),
        date(2028, 1, 18),
    ]


def test_a_closure_exception_of_the_place_cancels_the_activity_and_special_hours_do_not():
    place = PlaceFactory()
    HoursExceptionFactory(place=place, start_date=date(2027, 1, 12), closed=True)
    HoursExceptionFactory(
        place=place,
        start_date=date(2027, 1, 19),
        closed=False,
        opens=time(12, 0),
        closes=time(14, 0),
    )
    activity = ActivityFactory(place=place, schedule="Tu 10:00-12:00")
    assert held_dates(activity, *JANUARY_2027) == [
        date(2027, 1, 5),
        date(2027, 1, 19),
        date(2027, 1, 26),
    ]


def test_a_cancelled_occurrence_is_shown_cancelled_with_its_reason():
    activity = ActivityFactory(schedule="Tu 10:00-12:00")
    ActivityCancellationFactory(activity=activity, date=date(2027, 3, 2), reason="Hiihtoloma")
    occurrences, excluded = activity.occurrences_between(date(2027, 3, 1), date(2027, 3, 10))
    assert [(o.date, o.cancelled, o.cancellation_reason) for o in occurrences] == [
        (date(2027, 3, 2), True, "Hiihtoloma"),
        (date(2027, 3, 9), False, ""),
    ]
    assert [day for _recurrence, day in excluded] == [date(2027, 3, 2)]


def test_first_and_last_dates_bound_the_schedule():
    activity = ActivityFactory(
        schedule="Tu 10:00-12:00", starts_on=date(2027, 1, 10), ends_on=date(2027, 1, 20)
    )
    assert held_dates(activity, *JANUARY_2027) == [date(2027, 1, 12), date(2027, 1, 19)]


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        ("Tu 10:00-12:00", ["FREQ=WEEKLY;BYDAY=TU"]),
        ("Th[1] 13:00-15:00", ["FREQ=MONTHLY;BYDAY=+1TH"]),
        ("Fr[-1] 18:00-20:00", ["FREQ=MONTHLY;BYDAY=-1FR"]),
        (
            "week 02-53/2 We 17:00-19:00",
            ["FREQ=YEARLY;BYWEEKNO=" + ",".join(map(str, range(2, 54, 2))) + ";BYDAY=WE"],
        ),
    ],
)
def test_rules_are_written_as_rfc_5545_recurrence_rules(text, rules):
    schedule = ActivitySchedule(text)
    recurrences = schedule.recurrences(date(2027, 1, 1), date(2027, 12, 31))
    assert [recurrence.rrule_text for recurrence in recurrences] == rules


@pytest.mark.parametrize(
    "text",
    [
        "Tu 10:00-12:00",
        "week 01-53/2 We 17:00-19:00; Th[1] 13:00-15:00",
        "Fr[-1] 18:00-20:00; Sep 01-May 31 Tu 10:00-12:00",
        "Mo-Fr 09:00-11:00; PH off; Dec 24-Jan 06 off",
        "Sa 22:00-02:00; 2027 Jun 18 12:00-14:00",
    ],
)
def test_the_recurrence_rules_hold_exactly_on_the_dates_the_hours_engine_reads(text):
    # Two readings of one text: the rrule candidates the engine keeps, and the engine's ranges
    # of every date of two years.
    schedule = ActivitySchedule(text)
    first, last = date(2026, 12, 1), date(2028, 11, 30)
    held_pairs, _dropped = schedule.held(first, last)
    from_rules = sorted((day, recurrence.rule.opens) for recurrence, day in held_pairs)
    from_engine = sorted(
        (first + timedelta(days=n), opens)
        for n in range((last - first).days + 1)
        for opens, _closes in schedule.ranges_on(first + timedelta(days=n))
    )
    assert from_rules == from_engine


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "Give the activity's times"),
        ("PH 12:00-14:00", "public holidays"),
        ("sunrise-sunset", "follows the sun"),
        ("Tu 10:00+", "no closing time"),
        ("week 01-53/2 Th[1] 13:00-15:00", "every other week"),
    ],
)
def test_a_schedule_that_cannot_be_read_is_refused_with_why(text, why):
    activity = ActivityFactory.build(place=PlaceFactory(), schedule=text)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert why in " ".join(error.value.message_dict["schedule"])


def test_online_and_phone_participation_and_registration_need_their_details():
    activity = ActivityFactory.build(
        place=PlaceFactory(),
        modes=["online", "phone"],
        registration=Activity.Registration.REQUIRED,
        free_of_charge=False,
    )
    with pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert set(error.value.message_dict) == {
        "online_url",
        "phone_number",
        "registration_url",
        "price",
    }


def test_the_organiser_defaults_to_the_place_s_and_may_be_another():
    place = PlaceFactory()
    assert ActivityFactory(place=place).organization == place.organization
    association = OrganizationFactory(name="MLL Keski-Suomi")
    assert ActivityFactory(place=place, organization=association).organization == association


def test_titles_in_the_visitor_s_language_fall_back_to_finnish():
    activity = ActivityFactory(title_fi="Vauvakahvila", title_sv="Babycafé")
    with translation.override("sv"):
        assert activity.title == "Babycafé"
        assert activity.description == activity.description_fi
    with translation.override("en"):
        assert activity.title == "Vauvakahvila"


def test_slugs_are_unique():
    first = ActivityFactory(title_fi="Digituki")
    second = ActivityFactory(title_fi="Digituki")
    assert (first.slug, second.slug) == ("digituki", "digituki-2")


def rows(activity):
    return list(
        ActivityOccurrence.objects.filter(activity=activity).values_list("date", "cancelled")
    )


def test_the_occurrence_table_follows_saves_of_the_activity_its_cancellations_and_the_place(
    monkeypatch,
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: date(2027, 1, 1))
    place = PlaceFactory()
    activity = ActivityFactory(place=place, schedule="Tu 10:00-12:00")
    table = rows(activity)
    assert table[:2] == [(date(2027, 1, 5), False), (date(2027, 1, 12), False)]
    assert table[-1][0] <= date(2027, 12, 31) and len(table) == 52

    activity.schedule = "We 10:00-12:00"
    activity.save()
    assert rows(activity)[0] == (date(2027, 1, 6), False)

    cancellation = ActivityCancellationFactory(activity=activity, date=date(2027, 1, 6))
    assert rows(activity)[0] == (date(2027, 1, 6), True)
    cancellation.delete()
    assert rows(activity)[0] == (date(2027, 1, 6), False)

    exception = HoursExceptionFactory(place=place, start_date=date(2027, 1, 6), closed=True)
    assert rows(activity)[0] == (date(2027, 1, 13), False)
    exception.delete()
    assert rows(activity)[0] == (date(2027, 1, 6), False)

    # Epiphany, Wednesday 6 January 2027.
    place.closed_on_public_holidays = True
    place.save()
    assert rows(activity)[0] == (date(2027, 1, 13), False)
    WeeklyHoursFactory(place=place, weekday=3, on_public_holidays=True)
    assert rows(activity)[0] == (date(2027, 1, 6), False)


def test_deleting_a_place_or_an_activity_takes_its_occurrences():
    activity = ActivityFactory()
    ActivityCancellationFactory(activity=activity)
    HoursExceptionFactory(place=activity.place)
    activity.delete()
    assert not ActivityOccurrence.objects.exists()
    other = ActivityFactory()
    HoursExceptionFactory(place=other.place)
    other.place.delete()
    assert not ActivityOccurrence.objects.exists()


def test_the_daily_command_moves_the_window_on(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: date(2027, 1, 1))
    activity = ActivityFactory(schedule="Tu 10:00-12:00")
    assert max(rows(activity))[0] == date(2027, 12, 28)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: date(2027, 2, 1))
    call_command("refresh_activity_occurrences", verbosity=0)
    assert max(rows(activity))[0] == date(2028, 2, 1)
    # Earlier dates stay (what was on), the window is a year from today.
    assert min(rows(activity))[0] == date(2027, 1, 5)


def test_times_are_stored_as_instants():
    activity = ActivityFactory(schedule="Tu 10:00-12:00")
    occurrences, _ = activity.occurrences_between(date(2027, 1, 5), date(2027, 1, 5))
    assert occurrences[0].starts_at == datetime(2027, 1, 5, 8, 0, tzinfo=UTC)
