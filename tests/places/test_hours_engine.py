"""The opening-hours engine as residents see it: open now, closing and opening times, the week's
hours, seasons, exceptions, public holidays and daylight saving days.

Every "open or closed" assertion checks both faces of the engine: ``place.is_open_at`` (Python)
and ``Place.objects.open_at`` (SQL).
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone, translation

from places.hours import (
    HELSINKI,
    describe_range,
    eve_name,
    is_eve,
    is_public_holiday,
    local_date_and_time,
    overlapping_ranges,
    public_holiday_name,
    season_dates,
)
from places.models import Place, WeeklyHours
from tests.factories import HoursExceptionFactory, PlaceFactory, WeeklyHoursFactory

pytestmark = pytest.mark.django_db

# An ordinary week without public holidays: Monday 2 February to Sunday 8 February 2026.
MONDAY = date(2026, 2, 2)
TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = (
    MONDAY + timedelta(days=offset) for offset in range(1, 7)
)


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=HELSINKI)


def utc(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def weekly(place, weekday, opens, closes, valid_from=None, valid_until=None, recurs_yearly=False):
    return WeeklyHoursFactory(
        place=place,
        weekday=weekday,
        opens=time(*opens),
        closes=time(*closes),
        valid_from=valid_from,
        valid_until=valid_until,
        recurs_yearly=recurs_yearly,
    )


def is_open(place, when):
    """Whether ``place`` is open at ``when``, after checking that both faces agree."""
    fresh = Place.objects.prefetch_related("weekly_hours", "exceptions").get(pk=place.pk)
    in_python = fresh.is_open_at(when)
    in_sql = Place.objects.open_at(when).filter(pk=place.pk).exists()
    assert in_python == in_sql, f"the faces disagree at {when}"
    return in_python


def status(place, when):
    return (
        Place.objects.prefetch_related("weekly_hours", "exceptions")
        .get(pk=place.pk)
        .status_at(when)
    )


class TestMidnight:
    def test_friday_night_range_runs_into_saturday(self):
        place = PlaceFactory()
        weekly(place, 5, (20, 0), (2, 0))
        assert not is_open(place, at(FRIDAY, 19, 59))
        assert is_open(place, at(FRIDAY, 20, 0))
        assert is_open(place, at(FRIDAY, 23, 59))
        assert is_open(place, at(SATURDAY, 0, 0))
        assert is_open(place, at(SATURDAY, 1, 0))
        assert not is_open(place, at(SATURDAY, 2, 0))
        assert not is_open(place, at(FRIDAY, 1, 0)), "Thursday night has no range"

    def test_closes_at_is_on_the_next_date(self):
        place = PlaceFactory()
        weekly(place, 5, (20, 0), (2, 0))
        assert status(place, at(FRIDAY, 21, 0)).closes_at == at(SATURDAY, 2, 0)
        assert status(place, at(SATURDAY, 1, 0)).closes_at == at(SATURDAY, 2, 0)

    def test_closing_at_midnight(self):
        place = PlaceFactory()
        weekly(place, 5, (18, 0), (0, 0))
        assert is_open(place, at(FRIDAY, 23, 59))
        assert not is_open(place, at(SATURDAY, 0, 0))
        assert status(place, at(FRIDAY, 20, 0)).closes_at == at(SATURDAY, 0, 0)

    def test_night_range_of_sunday_runs_into_monday(self):
        place = PlaceFactory()
        weekly(place, 7, (22, 0), (3, 0))
        assert is_open(place, at(MONDAY + timedelta(days=7), 2, 59))
        assert not is_open(place, at(MONDAY + timedelta(days=7), 3, 0))

    def test_a_closed_next_day_does_not_cut_the_night_short(self):
        place = PlaceFactory()
        weekly(place, 5, (20, 0), (2, 0))
        HoursExceptionFactory(place=place, start_date=SATURDAY, closed=True)
        assert is_open(place, at(SATURDAY, 1, 0))


class TestSeveralRangesPerDay:
    def test_lunch_break(self):
        place = PlaceFactory()
        weekly(place, 1, (13, 0), (16, 0))
        weekly(place, 1, (9, 0), (12, 0))
        assert place.schedule_for(MONDAY).ranges == [
            (time(9, 0), time(12, 0)),
            (time(13, 0), time(16, 0)),
        ]
        assert is_open(place, at(MONDAY, 11, 59))
        assert not is_open(place, at(MONDAY, 12, 30))
        assert is_open(place, at(MONDAY, 13, 0))
        assert not is_open(place, at(MONDAY, 16, 0))

    def test_during_the_break_it_opens_again_the_same_day(self):
        place = PlaceFactory()
        weekly(place, 1, (9, 0), (12, 0))
        weekly(place, 1, (13, 0), (16, 0))
        assert status(place, at(MONDAY, 12, 30)).opens_at == at(MONDAY, 13, 0)
        assert status(place, at(MONDAY, 10, 0)).closes_at == at(MONDAY, 12, 0)

    def test_ranges_that_meet_close_only_at_the_end(self):
        place = PlaceFactory()
        weekly(place, 1, (9, 0), (12, 0))
        weekly(place, 1, (12, 0), (16, 0))
        weekly(place, 5, (20, 0), (0, 0))
        weekly(place, 6, (0, 0), (2, 0))
        assert status(place, at(MONDAY, 10, 0)).closes_at == at(MONDAY, 16, 0)
        assert status(place, at(FRIDAY, 21, 0)).closes_at == at(SATURDAY, 2, 0)


class TestYearlySeasons:
    """Summer hours entered once, with dates of any year, apply every summer."""

    def test_summer_hours_every_year(self):
        place = PlaceFactory()
        weekly(place, 2, (9, 0), (15, 0))
        weekly(place, 2, (10, 0), (13, 0), date(2024, 6, 1), date(2024, 8, 15), True)
        for year in (2026, 2031):
            june = date(year, 6, 1) + timedelta(days=(1 - date(year, 6, 1).weekday()) % 7)
            assert is_open(place, at(june, 10)) and not is_open(place, at(june, 14))
            autumn = june + timedelta(days=7 * 12)  # a Tuesday in late August
            assert is_open(place, at(autumn, 14)), f"regular hours after the summer of {year}"

    def test_a_season_over_the_year_end(self):
        place = PlaceFactory()
        weekly(place, 1, (9, 0), (15, 0))
        weekly(place, 1, (12, 0), (13, 0), date(2030, 12, 20), date(2030, 1, 10), True)
        assert not is_open(place, at(date(2026, 12, 21), 10)), "a Monday in the season"
        assert is_open(place, at(date(2026, 12, 21), 12))
        assert not is_open(place, at(date(2027, 1, 4), 10)), "the next Monday, a new year"
        assert is_open(place, at(date(2027, 1, 11), 10)), "the season is over"
        assert is_open(place, at(date(2026, 12, 14), 10)), "not yet begun"

    def test_a_yearly_season_is_shown_with_its_days_and_months(self):
        place = PlaceFactory()
        rule = weekly(place, 2, (10, 0), (13, 0), date(2027, 6, 1), date(2027, 8, 15), True)
        with translation.override("fi"):
            assert str(rule) == "tiistai 10:00–13:00 (1. kesäkuu–15. elokuu, joka vuosi)"
        with translation.override("en"):
            assert str(rule) == "Tuesday 10:00–13:00 (1 June–15 August, every year)"


class TestSeasons:
    SUMMER = (date(2026, 6, 1), date(2026, 8, 31))

    @pytest.fixture
    def place(self):
        place = PlaceFactory()
        for weekday in range(1, 6):
            weekly(place, weekday, (9, 0), (15, 0))
        for weekday in range(2, 6):
            weekly(place, weekday, (10, 0), (14, 0), *self.SUMMER)
        return place

    def test_summer_hours_replace_regular_ones(self, place):
        summer_tuesday = date(2026, 6, 9)
        assert place.schedule_for(summer_tuesday).ranges == [(time(10, 0), time(14, 0))]
        assert not is_open(place, at(summer_tuesday, 9, 30))
        assert is_open(place, at(summer_tuesday, 10, 0))
        assert not is_open(place, at(summer_tuesday, 14, 0))

    def test_monday_is_closed_while_the_season_lasts(self, place):
        summer_monday = date(2026, 6, 8)
        assert place.schedule_for(summer_monday).is_closed
        assert not is_open(place, at(summer_monday, 10, 0))
        assert status(place, at(summer_monday, 10, 0)).opens_at == at(
            summer_monday.replace(day=9), 10
        )

    def test_regular_hours_before_and_after_the_season(self, place):
        assert is_open(place, at(date(2026, 5, 25), 9, 0))
        assert is_open(place, at(date(2026, 9, 7), 9, 0))
        assert place.schedule_for(date(2026, 9, 1)).ranges == [(time(9, 0), time(15, 0))]

    def test_first_and_last_day_of_the_season(self, place):
        assert place.schedule_for(date(2026, 6, 1)).is_closed
        assert place.schedule_for(date(2026, 5, 31)).is_closed, "a Sunday"
        assert place.schedule_for(date(2026, 8, 31)).is_closed, "the last day, a Monday"
        assert place.schedule_for(date(2026, 9, 1)).ranges == [(time(9, 0), time(15, 0))]

    def test_season_without_an_end(self):
        place = PlaceFactory()
        weekly(place, 1, (9, 0), (15, 0))
        weekly(place, 2, (12, 0), (18, 0), valid_from=date(2026, 3, 1))
        assert is_open(place, at(date(2026, 2, 23), 9, 0))
        assert not is_open(place, at(date(2026, 3, 2), 9, 0))
        assert is_open(place, at(date(2027, 3, 2), 12, 0))


class TestExceptions:
    def test_closed_for_a_day_with_a_reason(self):
        place = PlaceFactory()
        weekly(place, 1, (9, 0), (15, 0))
        HoursExceptionFactory(place=place, start_date=MONDAY, closed=True, reason="Koulutus")
        schedule = place.schedule_for(MONDAY)
        assert schedule.is_closed and schedule.is_exception
        assert schedule.reason == "Koulutus"
        assert not is_open(place, at(MONDAY, 10, 0))
        assert is_open(place, at(MONDAY + timedelta(days=7), 10, 0))

    def test_special_hours_replace_the_weekly_ones(self):
        place = PlaceFactory()
        weekly(place, 1, (9, 0), (15, 0))
        HoursExceptionFactory(
            place=place, start_date=MONDAY, closed=False, opens=time(17), closes=time(20)
        )
        assert place.schedule_for(MONDAY).ranges == [(time(17, 0), time(20, 0))]
        assert not is_open(place, at(MONDAY, 10, 0))
        assert is_open(place, at(MONDAY, 17, 0))

    def test_special_hours_on_a_day_without_weekly_hours(self):
        place = PlaceFactory()
        HoursExceptionFactory(
            place=place, start_date=SATURDAY, closed=False, opens=time(22), closes=time(1)
        )
        assert is_open(place, at(SUNDAY, 0, 30))
        assert not is_open(place, at(SUNDAY, 1, 0))

    def test_closed_for_a_date_range(self):
        place = PlaceFactory()
        for weekday in range(1, 6):
            weekly(place, weekday, (9, 0), (15, 0))
        HoursExceptionFactory(place=place, start_date=TUESDAY, end_date=THURSDAY, closed=True)
        assert is_open(place, at(MONDAY, 10))
        for day in (TUESDAY, WEDNESDAY, THURSDAY):
            assert not is_open(place, at(day, 10))
        assert is_open(place, at(FRIDAY, 10))

    def test_special_hours_for_a_date_range(self):
        place = PlaceFactory()
        HoursExceptionFactory(
            place=place,
            start_date=SATURDAY,
            end_date=SUNDAY,
            closed=False,
            opens=time(10),
            closes=time(12),
        )
        assert is_open(place, at(SATURDAY, 11))
        assert is_open(place, at(SUNDAY, 11))
        assert not is_open(place, at(MONDAY + timedelta(days=7), 11))

    def test_closed_wins_over_special_hours_on_the_same_date(self):
        place = PlaceFactory()
        HoursExceptionFactory(
            place=place, start_date=MONDAY, closed=False, opens=time(9), closes=time(15)
        )
        HoursExceptionFactory(place=place, start_date=MONDAY, end_date=TUESDAY, closed=True)
        assert place.schedule_for(MONDAY).is_closed
        assert not is_open(place, at(MONDAY, 10))

    def test_upcoming_exceptions_in_date_order_without_past_ones(self):
        place = PlaceFactory()
        HoursExceptionFactory(place=place, start_date=MONDAY - timedelta(days=3), reason="Ohi")
        later = HoursExceptionFactory(place=place, start_date=FRIDAY, reason="Myöhemmin")
        sooner = HoursExceptionFactory(
            place=place, start_date=MONDAY - timedelta(days=1), end_date=TUESDAY, reason="Nyt"
        )
        assert place.upcoming_exceptions(MONDAY) == [sooner, later]
        assert place.upcoming_exceptions(MONDAY, limit=1) == [sooner]


class TestPublicHolidays:
    INDEPENDENCE_DAY = date(2026, 12, 6)  # a Sunday
    MIDSUMMER_EVE = date(2026, 6, 19)  # a Friday
    MIDSUMMER_DAY = date(2026, 6, 20)  # a Saturday

    def test_the_holiday_calendar(self):
        assert is_public_holiday(self.INDEPENDENCE_DAY)
        assert is_public_holiday(self.MIDSUMMER_DAY)
        assert not is_public_holiday(date(2026, 6, 18))

    @pytest.mark.parametrize(
        "eve",
        [date(2026, 6, 19), date(2027, 6, 25), date(2026, 12, 24), date(2026, 12, 31)],
    )
    def test_eves_are_not_public_holidays(self, eve):
        """holidays.Finland lists Midsummer Eve and Christmas Eve; PH in OpenStreetMap does not."""
        assert not is_public_holiday(eve)
        assert is_eve(eve)
        assert not is_eve(eve + timedelta(days=1))

    @pytest.mark.parametrize(
        ("language", "name"),
        [("fi", "Jouluaatto"), ("sv", "Julafton"), ("en", "Christmas Eve")],
    )
    def test_eve_names_in_each_language(self, language, name):
        with translation.override(language):
            assert eve_name(date(2026, 12, 24)) == name
        assert eve_name(date(2026, 12, 23)) is None

    def test_closed_on_eves_is_a_switch_of_its_own(self):
        holidays_only = PlaceFactory(closed_on_public_holidays=True, closed_on_eves=False)
        eves_only = PlaceFactory(closed_on_public_holidays=False, closed_on_eves=True)
        for place in (holidays_only, eves_only):
            weekly(place, 5, (9, 0), (15, 0))
            weekly(place, 6, (10, 0), (14, 0))
            weekly(place, 4, (9, 0), (15, 0))
        assert is_open(holidays_only, at(self.MIDSUMMER_EVE, 10))
        assert not is_open(holidays_only, at(self.MIDSUMMER_DAY, 11))
        assert not is_open(eves_only, at(self.MIDSUMMER_EVE, 10))
        assert is_open(eves_only, at(self.MIDSUMMER_DAY, 11))
        assert not is_open(eves_only, at(date(2026, 12, 24), 10)), "Christmas Eve, a Thursday"
        assert not is_open(eves_only, at(date(2026, 12, 31), 10)), "New Year's Eve, a Thursday"
        with translation.override("fi"):
            schedule = eves_only.schedule_for(self.MIDSUMMER_EVE)
        assert schedule.is_closed and schedule.reason == "Juhannusaatto"

    @pytest.mark.parametrize(
        ("language", "name"),
        [("fi", "Itsenäisyyspäivä"), ("sv", "Självständighetsdagen"), ("en", "Independence Day")],
    )
    def test_holiday_names_in_each_language(self, language, name):
        with translation.override(language):
            assert public_holiday_name(self.INDEPENDENCE_DAY) == name
        assert public_holiday_name(date(2026, 12, 7)) is None

    def test_closed_on_holidays(self):
        place = PlaceFactory(closed_on_public_holidays=True)
        weekly(place, 7, (12, 0), (16, 0))
        weekly(place, 5, (9, 0), (15, 0))
        weekly(place, 6, (10, 0), (14, 0))
        with translation.override("fi"):
            schedule = place.schedule_for(self.INDEPENDENCE_DAY)
        assert schedule.is_closed and schedule.is_holiday
        assert schedule.reason == "Itsenäisyyspäivä"
        assert not is_open(place, at(self.INDEPENDENCE_DAY, 13))
        assert is_open(place, at(self.MIDSUMMER_EVE, 10)), "an eve, not a public holiday"
        assert not is_open(place, at(self.MIDSUMMER_DAY, 11))
        assert is_open(place, at(date(2026, 12, 13), 13)), "the next Sunday"

    def test_open_on_holidays_when_not_closed_on_them(self):
        place = PlaceFactory(closed_on_public_holidays=False)
        weekly(place, 7, (12, 0), (16, 0))
        weekly(place, 6, (10, 0), (14, 0))
        assert not place.schedule_for(self.INDEPENDENCE_DAY).is_holiday
        assert is_open(place, at(self.INDEPENDENCE_DAY, 13))
        assert is_open(place, at(self.MIDSUMMER_DAY, 11))

    def test_an_exception_opens_a_place_on_a_holiday(self):
        place = PlaceFactory(closed_on_public_holidays=True)
        HoursExceptionFactory(
            place=place,
            start_date=self.INDEPENDENCE_DAY,
            closed=False,
            opens=time(12),
            closes=time(14),
            reason="Linnan juhlat yhdessä",
        )
        assert is_open(place, at(self.INDEPENDENCE_DAY, 13))

    def test_the_night_before_a_holiday_runs_into_it(self):
        place = PlaceFactory(closed_on_public_holidays=True)
        weekly(place, 6, (20, 0), (2, 0))
        assert is_open(place, at(self.INDEPENDENCE_DAY, 1, 0))


class TestOpeningTimes:
    def test_opens_on_tuesday(self):
        place = PlaceFactory()
        weekly(place, 2, (10, 0), (14, 0))
        result = status(place, at(MONDAY, 12))
        assert not result.is_open
        assert result.opens_at == at(TUESDAY, 10)
        assert result.closes_at is None
        assert status(place, at(TUESDAY, 14)).opens_at == at(TUESDAY + timedelta(days=7), 10)

    def test_opens_later_today(self):
        place = PlaceFactory()
        weekly(place, 1, (10, 0), (14, 0))
        assert status(place, at(MONDAY, 8)).opens_at == at(MONDAY, 10)

    def test_next_opening_beyond_a_closed_fortnight(self):
        place = PlaceFactory()
        for weekday in range(1, 6):
            weekly(place, weekday, (9, 0), (15, 0))
        HoursExceptionFactory(
            place=place,
            start_date=MONDAY,
            end_date=MONDAY + timedelta(days=13),
            reason="Remontti",
        )
        assert status(place, at(MONDAY, 8)).opens_at == at(MONDAY + timedelta(days=14), 9)

    def test_no_hours_at_all(self):
        result = status(PlaceFactory(), at(MONDAY, 12))
        assert (result.is_open, result.opens_at, result.closes_at) == (False, None, None)

    def test_open_status_while_open(self):
        place = PlaceFactory()
        weekly(place, 1, (9, 0), (15, 0))
        result = status(place, at(MONDAY, 9))
        assert result.is_open
        assert result.closes_at == at(MONDAY, 15)
        assert result.opens_at is None


class TestWeekSchedule:
    def test_monday_to_sunday_of_the_week(self):
        place = PlaceFactory()
        weekly(place, 1, (9, 0), (12, 0))
        weekly(place, 3, (13, 0), (16, 0))
        HoursExceptionFactory(place=place, start_date=MONDAY, closed=True, reason="Koulutus")
        week = place.week_schedule(THURSDAY)
        assert [day.date for day in week] == [MONDAY + timedelta(days=n) for n in range(7)]
        assert [day.weekday for day in week] == [1, 2, 3, 4, 5, 6, 7]
        assert week[0].is_closed and week[0].reason == "Koulutus"
        assert week[2].ranges == [(time(13, 0), time(16, 0))]
        assert all(day.is_closed for day in week[3:])

    def test_sunday_belongs_to_the_week_before(self):
        place = PlaceFactory()
        assert place.week_schedule(SUNDAY)[0].date == MONDAY


class TestDaylightSavingTime:
    SPRING_FORWARD = date(2026, 3, 29)  # a Sunday: 03:00 EET becomes 04:00 EEST (01:00 UTC)
    FALL_BACK = date(2026, 10, 25)  # a Sunday: 04:00 EEST becomes 03:00 EET (01:00 UTC)

    def test_morning_hours_follow_the_wall_clock_after_spring_forward(self):
        place = PlaceFactory()
        weekly(place, 6, (10, 0), (14, 0))
        weekly(place, 7, (10, 0), (14, 0))
        assert is_open(place, utc(2026, 3, 28, 8, 0)), "10:00 EET"
        assert not is_open(place, utc(2026, 3, 29, 6, 59)), "09:59 EEST"
        assert is_open(place, utc(2026, 3, 29, 7, 0)), "10:00 EEST"
        assert not is_open(place, utc(2026, 3, 29, 11, 0)), "14:00 EEST"

    def test_a_range_across_the_missing_hour(self):
        place = PlaceFactory()
        weekly(place, 7, (2, 0), (5, 0))
        assert is_open(place, utc(2026, 3, 29, 0, 30)), "02:30 EET"
        assert is_open(place, utc(2026, 3, 29, 1, 0)), "04:00 EEST"
        assert not is_open(place, utc(2026, 3, 29, 2, 0)), "05:00 EEST"
        closes_at = status(place, utc(2026, 3, 29, 0, 30)).closes_at
        assert closes_at == at(self.SPRING_FORWARD, 5, 0)
        assert closes_at.astimezone(UTC) == utc(2026, 3, 29, 2, 0)

    def test_the_local_date_decides_the_weekday(self):
        place = PlaceFactory()
        weekly(place, 7, (0, 0), (1, 0))
        assert is_open(place, utc(2026, 3, 28, 22, 30)), "Saturday in UTC, Sunday 00:30 EET"
        assert not is_open(place, utc(2026, 3, 29, 22, 30)), "Monday 01:30 EEST"

    def test_hours_after_fall_back_follow_the_wall_clock(self):
        place = PlaceFactory()
        weekly(place, 7, (10, 0), (14, 0))
        assert not is_open(place, utc(2026, 10, 25, 7, 59)), "09:59 EET"
        assert is_open(place, utc(2026, 10, 25, 8, 0)), "10:00 EET"
        assert status(place, utc(2026, 10, 25, 8, 0)).closes_at.astimezone(UTC) == utc(
            2026, 10, 25, 12, 0
        )

    def test_the_repeated_hour_counts_by_the_wall_clock_both_times(self):
        place = PlaceFactory()
        weekly(place, 6, (22, 0), (3, 30))
        assert is_open(place, utc(2026, 10, 25, 0, 15)), "03:15 EEST"
        assert not is_open(place, utc(2026, 10, 25, 0, 30)), "03:30 EEST"
        assert is_open(place, utc(2026, 10, 25, 1, 15)), "03:15 EET, the second time"
        assert not is_open(place, utc(2026, 10, 25, 1, 45)), "03:45 EET"

    def test_local_date_and_time(self):
        assert local_date_and_time(utc(2026, 3, 28, 22, 30)) == (self.SPRING_FORWARD, time(0, 30))
        assert local_date_and_time(
            utc(2026, 10, 25, 1, 15).replace(second=59, microsecond=999)
        ) == (
            self.FALL_BACK,
            time(3, 15, 59),
        )
        naive = datetime(2026, 6, 1, 12, 0)
        assert local_date_and_time(naive) == (date(2026, 6, 1), time(12, 0))


class TestPrefetchedHours:
    def test_display_methods_run_no_queries(self, django_assert_num_queries):
        today = timezone.localdate()
        for _ in range(3):
            place = PlaceFactory()
            weekly(place, today.isoweekday(), (9, 0), (15, 0))
            weekly(place, 6, (20, 0), (2, 0), valid_from=today)
            HoursExceptionFactory(place=place, start_date=today + timedelta(days=2))
        places = list(Place.objects.with_hours())
        now = timezone.now()
        with django_assert_num_queries(0):
            for place in places:
                place.status_at(now)
                place.is_open_at(now)
                place.schedule_for(today)
                place.week_schedule(today)
                place.week_schedule()
                place.upcoming_exceptions(today)

    def test_prefetch_keeps_exceptions_that_still_matter(self):
        today = timezone.localdate()
        place = PlaceFactory()
        over = HoursExceptionFactory(place=place, start_date=today - timedelta(days=2))
        yesterday = HoursExceptionFactory(place=place, start_date=today - timedelta(days=1))
        ongoing = HoursExceptionFactory(
            place=place, start_date=today - timedelta(days=5), end_date=today
        )
        coming = HoursExceptionFactory(place=place, start_date=today + timedelta(days=30))
        prefetched = Place.objects.with_hours().get(pk=place.pk)
        assert set(prefetched.exceptions.all()) == {yesterday, ongoing, coming}
        assert over not in prefetched.exceptions.all()
        since = today - timedelta(days=2)
        assert over in Place.objects.with_hours(since=since).get(pk=place.pk).exceptions.all()


class TestOpenOnWeekday:
    def test_regular_and_current_seasonal_hours_count(self):
        on = date(2026, 6, 1)
        regular = PlaceFactory()
        weekly(regular, 3, (9, 0), (12, 0))
        summer = PlaceFactory()
        weekly(summer, 3, (9, 0), (12, 0), date(2026, 6, 1), date(2026, 8, 31))
        last_summer = PlaceFactory()
        weekly(last_summer, 3, (9, 0), (12, 0), date(2025, 6, 1), date(2025, 8, 31))
        other_day = PlaceFactory()
        weekly(other_day, 4, (9, 0), (12, 0))
        assert set(Place.objects.open_on_weekday(3, on=on)) == {regular, summer}


class TestOverlappingRanges:
    def rule(self, weekday, opens, closes, valid_from=None, valid_until=None):
        return WeeklyHours(
            weekday=weekday,
            opens=time(*opens),
            closes=time(*closes),
            valid_from=valid_from,
            valid_until=valid_until,
        )

    def test_overlap_on_the_same_weekday(self):
        morning, late_morning = self.rule(1, (9, 0), (12, 0)), self.rule(1, (11, 0), (15, 0))
        assert overlapping_ranges([morning, late_morning]) == [(morning, late_morning)]

    def test_ranges_that_only_meet_do_not_overlap(self):
        rules = [self.rule(1, (9, 0), (12, 0)), self.rule(1, (12, 0), (15, 0))]
        assert overlapping_ranges(rules) == []

    def test_other_weekdays_do_not_overlap(self):
        rules = [self.rule(1, (9, 0), (12, 0)), self.rule(2, (9, 0), (12, 0))]
        assert overlapping_ranges(rules) == []

    def test_a_night_range_occupies_the_next_morning(self):
        friday_night = self.rule(5, (20, 0), (2, 0))
        saturday_early = self.rule(6, (1, 0), (1, 30))
        saturday_later = self.rule(6, (2, 0), (4, 0))
        assert overlapping_ranges([friday_night, saturday_early, saturday_later]) == [
            (friday_night, saturday_early)
        ]

    def test_sunday_night_occupies_monday_morning(self):
        sunday_night, monday_early = self.rule(7, (22, 0), (3, 0)), self.rule(1, (0, 0), (1, 0))
        assert overlapping_ranges([sunday_night, monday_early]) == [(sunday_night, monday_early)]

    def test_closing_at_midnight_leaves_the_next_day_free(self):
        rules = [self.rule(5, (20, 0), (0, 0)), self.rule(6, (0, 0), (2, 0))]
        assert overlapping_ranges(rules) == []

    def test_regular_and_seasonal_hours_never_overlap(self):
        rules = [
            self.rule(1, (9, 0), (12, 0)),
            self.rule(1, (9, 0), (12, 0), date(2026, 6, 1), date(2026, 8, 31)),
        ]
        assert overlapping_ranges(rules) == []

    def test_seasons_sharing_dates_overlap(self):
        summer = self.rule(1, (9, 0), (12, 0), date(2026, 6, 1), date(2026, 8, 31))
        july = self.rule(1, (10, 0), (11, 0), date(2026, 7, 1), date(2026, 7, 31))
        autumn = self.rule(1, (9, 0), (12, 0), date(2026, 9, 1), None)
        from_august = self.rule(1, (11, 0), (13, 0), date(2026, 8, 31), None)
        assert overlapping_ranges([summer, july, autumn, from_august]) == [
            (summer, july),
            (summer, from_august),
            (autumn, from_august),
        ]

    def test_a_seasonal_night_reaches_the_day_after_the_season(self):
        last_sunday_night = self.rule(7, (22, 0), (3, 0), date(2026, 6, 1), date(2026, 8, 30))
        monday_after = self.rule(1, (1, 0), (4, 0), date(2026, 8, 31), date(2026, 9, 30))
        assert overlapping_ranges([last_sunday_night, monday_after]) == [
            (last_sunday_night, monday_after)
        ]

    def test_formset_rows_as_dicts_skipping_incomplete_ones(self):
        rows = [
            {"weekday": 1, "opens": time(9), "closes": time(12)},
            {"weekday": "1", "opens": time(11), "closes": time(15), "valid_from": None},
            {"weekday": 1, "opens": None, "closes": time(15)},
            {},
        ]
        assert overlapping_ranges(rows) == [(rows[0], rows[1])]

    def test_describe_range_for_the_error_message(self):
        first, second = overlapping_ranges(
            [self.rule(1, (9, 0), (12, 0)), self.rule(1, (11, 0), (15, 0))]
        )[0]
        with translation.override("en"):
            described = [describe_range(r.weekday, r.opens, r.closes) for r in (first, second)]
        assert described == ["Monday 09:00–12:00", "Monday 11:00–15:00"]
        with translation.override("fi"):
            assert describe_range(5, time(20), time(2)) == "perjantai 20:00–02:00"
        with translation.override("sv"):
            assert describe_range(7, time(9), time(12)) == "söndag 09:00–12:00"


class TestHoursNotEntered:
    """A place without hours is "not known, contact the place", never "closed"."""

    def test_the_status_says_not_known(self):
        place = PlaceFactory()
        result = status(place, at(MONDAY, 12))
        assert not result.hours_known and not result.is_open
        assert result.opens_at is None
        assert not is_open(place, at(MONDAY, 12))

    def test_an_exception_alone_counts_as_hours(self):
        place = PlaceFactory()
        HoursExceptionFactory(
            place=place, start_date=TUESDAY, closed=False, opens=time(10), closes=time(12)
        )
        assert status(place, at(MONDAY, 12)).hours_known

    def test_the_page_says_contact_the_place(self, client):
        place = PlaceFactory()
        text = client.get(place.get_absolute_url()).content.decode()
        assert "Aukioloaikoja ei tiedetä: ota yhteyttä paikkaan." in text
        assert "Aukioloajat tällä viikolla" not in text, "no week of 'closed' days"
        assert "Suljettu nyt" not in text


class TestSeasonDatesForExports:
    """Exports that know no yearly recurrence get the season's current or next occurrence."""

    SUMMER = (date(2000, 6, 1), date(2000, 8, 15), True)
    WINTER = (date(2000, 12, 20), date(2000, 1, 10), True)

    @pytest.mark.parametrize(
        ("season", "today", "dates"),
        [
            (SUMMER, date(2026, 3, 1), (date(2026, 6, 1), date(2026, 8, 15))),
            (SUMMER, date(2026, 7, 1), (date(2026, 6, 1), date(2026, 8, 15))),
            (SUMMER, date(2026, 8, 16), (date(2027, 6, 1), date(2027, 8, 15))),
            (WINTER, date(2027, 1, 5), (date(2026, 12, 20), date(2027, 1, 10))),
            (WINTER, date(2026, 6, 1), (date(2026, 12, 20), date(2027, 1, 10))),
            (
                (date(2000, 2, 29), date(2000, 3, 5), True),
                date(2026, 1, 1),
                (date(2026, 2, 28), date(2026, 3, 5)),
            ),
            ((date(2026, 6, 1), None, False), date(2030, 1, 1), (date(2026, 6, 1), None)),
        ],
    )
    def test_occurrence(self, season, today, dates):
        assert season_dates(*season, today=today) == dates
