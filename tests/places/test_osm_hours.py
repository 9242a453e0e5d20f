"""OpenStreetMap opening_hours: the supported subset reads and writes faithfully, everything
else is rejected with a message naming the part at fault."""

from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation
from hypothesis import event, given, settings
from hypothesis import strategies as st

from places.hours import HELSINKI, WeekParity, day_schedule, overlapping_ranges
from places.models import Place
from places.osm_hours import (
    OpeningHoursSyntaxError,
    ParsedHours,
    WeeklyRuleSpec,
    YearlyClosureSpec,
    format_opening_hours,
    format_parsed_hours,
    parse_opening_hours,
    place_opening_hours,
    replace_weekly_hours,
)
from tests.factories import PlaceFactory, WeeklyHoursFactory

SUMMER = (date(2026, 6, 1), date(2026, 8, 31))


def spec(weekday, opens, closes, valid_from=None, valid_until=None, recurs_yearly=False):
    return WeeklyRuleSpec(
        weekday, time(*opens), time(*closes), valid_from, valid_until, recurs_yearly
    )


def every(weekdays, opens, closes, valid_from=None, valid_until=None, recurs_yearly=False):
    return {
        spec(weekday, opens, closes, valid_from, valid_until, recurs_yearly) for weekday in weekdays
    }


WEEKDAYS = range(1, 6)


class TestReading:
    def test_weekdays_saturday_and_holidays(self):
        parsed = parse_opening_hours("Mo-Fr 09:00-15:00; Sa 10:00-13:00; PH off")
        assert set(parsed.rules) == every(WEEKDAYS, (9, 0), (15, 0)) | {spec(6, (10, 0), (13, 0))}
        assert parsed.closed_on_public_holidays

    def test_without_ph_off_the_place_is_open_on_holidays(self):
        assert not parse_opening_hours("Mo-Fr 09:00-15:00").closed_on_public_holidays

    def test_the_three_eves_closed(self):
        parsed = parse_opening_hours(
            "Mo-Fr 09:00-15:00; PH off; Jun 19-25 Fr off; Dec 24 off; Dec 31 off"
        )
        assert parsed.closed_on_public_holidays and parsed.closed_on_eves
        assert not parse_opening_hours("Mo-Fr 09:00-15:00; PH off").closed_on_eves

    def test_one_eve_closed_is_a_yearly_closure(self):
        parsed = parse_opening_hours("Mo-Fr 09:00-15:00; Dec 24 off")
        assert parsed.closures == [YearlyClosureSpec(date(2000, 12, 24), date(2000, 12, 24))]
        assert not parsed.closed_on_eves

    def test_weekly_hours_after_the_closures_reopen_them_as_in_osm(self):
        """A later rule for a date replaces the earlier ones, closures too."""
        parsed = parse_opening_hours("Dec 24 off; Dec 31 off; Jun 19-25 Fr off; Fr 09:00-15:00")
        assert not parsed.closed_on_eves
        assert not parsed.closures
        friday_christmas_eve = date(2027, 12, 24)
        assert day_schedule(friday_christmas_eve, parsed.rules, [], False).ranges == [
            (time(9), time(15))
        ]

    def test_empty_text_has_no_rules(self):
        assert parse_opening_hours("") == ParsedHours([], False)
        assert parse_opening_hours("  ") == ParsedHours([], False)

    @pytest.mark.parametrize(
        ("text", "weekdays"),
        [
            ("Mo,We,Fr 10:00-12:00", {1, 3, 5}),
            ("Mo-We,Fr 10:00-12:00", {1, 2, 3, 5}),
            ("Sa-Mo 10:00-12:00", {6, 7, 1}),
            ("10:00-12:00", {1, 2, 3, 4, 5, 6, 7}),
            ("mo-tu 10:00 - 12:00", {1, 2}),
        ],
    )
    def test_weekday_lists_and_ranges(self, text, weekdays):
        assert set(parse_opening_hours(text).rules) == every(weekdays, (10, 0), (12, 0))

    def test_several_time_ranges(self):
        parsed = parse_opening_hours("Mo 09:00-12:00,13:00-16:00")
        assert parsed.rules == [spec(1, (9, 0), (12, 0)), spec(1, (13, 0), (16, 0))]

    def test_past_midnight_and_until_midnight(self):
        assert parse_opening_hours("Fr 20:00-02:00").rules == [spec(5, (20, 0), (2, 0))]
        assert parse_opening_hours("Sa 18:00-24:00").rules == [spec(6, (18, 0), (0, 0))]

    @pytest.mark.parametrize(
        "text",
        [
            "ma-pe 9-16; la 10-14",
            "ma–pe 9–16; la 10.00–14.00",
            "Mo-Fr 09.00-16.00; Sa 10:00—14:00",
            "Mo-Fr 09:00-16:00, Sa 10:00-14:00",
            "Mo-Fr 09:00-16:00; Sa 10:00-14:00; Su,PH off",
        ],
    )
    def test_finnish_typographic_and_comma_joined_forms(self, text):
        parsed = parse_opening_hours(text)
        assert set(parsed.rules) == every(WEEKDAYS, (9, 0), (16, 0)) | {spec(6, (10, 0), (14, 0))}
        assert parsed.closed_on_public_holidays == text.endswith("PH off")

    def test_a_comma_joined_rule_adds_to_the_days_it_names(self):
        assert set(parse_opening_hours("Mo-We 10:00-12:00, We 14:00-16:00").rules) == every(
            {1, 2, 3}, (10, 0), (12, 0)
        ) | {spec(3, (14, 0), (16, 0))}

    def test_a_replaced_day_keeps_the_next_days_early_hours_as_in_osm(self):
        # opening_hours.js: open on Wednesday at 01:00, closed on Tuesday at 01:00.
        assert set(parse_opening_hours("22:00-02:00; Tu 12:00-14:00").rules) == (
            every({1, 3, 4, 5, 6, 7}, (22, 0), (2, 0)) - {spec(1, (22, 0), (2, 0))}
            | {spec(1, (22, 0), (0, 0)), spec(2, (12, 0), (14, 0)), spec(3, (0, 0), (2, 0))}
        )

    def test_a_later_rule_for_a_day_replaces_the_previous_evenings_early_hours(self):
        # As in OSM: Saturday's rule replaces all of Saturday, from midnight.
        assert parse_opening_hours("Fr 20:00-02:00; Sa 01:00-05:00").rules == [
            spec(5, (20, 0), (0, 0)),
            spec(6, (1, 0), (5, 0)),
        ]

    def test_a_later_rule_replaces_earlier_ones_on_its_days(self):
        parsed = parse_opening_hours("Mo-Fr 09:00-17:00; We 09:00-12:00; Fr off")
        assert set(parsed.rules) == every({1, 2, 4}, (9, 0), (17, 0)) | {spec(3, (9, 0), (12, 0))}

    def test_off_and_closed(self):
        assert parse_opening_hours("Mo-Fr 09:00-15:00; Mo closed").rules == sorted(
            every({2, 3, 4, 5}, (9, 0), (15, 0)), key=lambda rule: rule.weekday
        )
        assert parse_opening_hours("off").rules == []

    def test_season_replaces_only_the_days_it_names_as_in_osm(self):
        regular = "Mo-Fr 09:00-15:00; Sa 10:00-13:00; "
        parsed = parse_opening_hours(regular + "2026 Jun 01-2026 Aug 31 Tu-Fr 10:00-14:00")
        seasonal = {rule for rule in parsed.rules if rule.is_seasonal}
        assert seasonal == every({2, 3, 4, 5}, (10, 0), (14, 0), *SUMMER) | {
            spec(1, (9, 0), (15, 0), *SUMMER),
            spec(6, (10, 0), (13, 0), *SUMMER),
        }, "Monday and Saturday keep their regular hours in summer"

    def test_a_day_closed_in_the_season(self):
        parsed = parse_opening_hours(
            "Mo-Fr 09:00-15:00; 2026 Jun 01-2026 Aug 31 Tu-Fr 10:00-14:00; "
            "2026 Jun 01-2026 Aug 31 Mo off"
        )
        assert day_schedule(date(2026, 6, 8), parsed.rules, [], False).is_closed
        assert day_schedule(date(2026, 9, 7), parsed.rules, [], False).ranges == [
            (time(9, 0), time(15, 0))
        ]

    def test_regular_rules_come_first_then_seasons_in_date_order(self):
        parsed = parse_opening_hours(
            "2026 Sep 01+ Mo 10:00-12:00; 2026 Jun 01-2026 Aug 31 Mo 11:00-13:00; Tu 09:00-10:00"
        )
        assert parsed.rules == [
            spec(2, (9, 0), (10, 0)),
            spec(1, (11, 0), (13, 0), *SUMMER),
            spec(2, (9, 0), (10, 0), *SUMMER),
            spec(1, (10, 0), (12, 0), date(2026, 9, 1), None),
            spec(2, (9, 0), (10, 0), date(2026, 9, 1), None),
        ]

    @pytest.mark.parametrize(
        ("text", "season"),
        [
            ("2026 Jun 01-2026 Aug 31 Mo 10:00-12:00", SUMMER),
            ("2026 Jun 01-Aug 31 Mo 10:00-12:00", SUMMER),
            ("2026 Jun 01-2026 Aug 31: Mo 10:00-12:00", SUMMER),
            ("2026 Jun 01-15 Mo 10:00-12:00", (date(2026, 6, 1), date(2026, 6, 15))),
            ("2026 Dec 24 Mo 10:00-12:00", (date(2026, 12, 24), date(2026, 12, 24))),
            ("2026 Jun 01+ Mo 10:00-12:00", (date(2026, 6, 1), None)),
            ("1900 Jan 01-2026 May 31 Mo 10:00-12:00", (None, date(2026, 5, 31))),
            ("2026 Dec 01-2027 Jan 31 Mo 10:00-12:00", (date(2026, 12, 1), date(2027, 1, 31))),
        ],
    )
    def test_season_dates(self, text, season):
        assert parse_opening_hours(text).rules == [spec(1, (10, 0), (12, 0), *season)]


class TestYearlySeasons:
    """A season without a year recurs every year; it is read into the leap year 2000."""

    @pytest.mark.parametrize(
        ("text", "season"),
        [
            ("Jun 01-Aug 15 Mo 10:00-12:00", (date(2000, 6, 1), date(2000, 8, 15))),
            ("Jun-Aug Mo 10:00-12:00", (date(2000, 6, 1), date(2000, 8, 31))),
            ("Jul Mo 10:00-12:00", (date(2000, 7, 1), date(2000, 7, 31))),
            ("Jun 01-15 Mo 10:00-12:00", (date(2000, 6, 1), date(2000, 6, 15))),
            ("Dec 24-Jan 06: Mo 10:00-12:00", (date(2000, 12, 24), date(2000, 1, 6))),
            ("Sep-May Mo 10:00-12:00", (date(2000, 9, 1), date(2000, 5, 31))),
            ("Feb 29 Mo 10:00-12:00", (date(2000, 2, 29), date(2000, 2, 29))),
        ],
    )
    def test_season_every_year(self, text, season):
        assert parse_opening_hours(text).rules == [
            spec(1, (10, 0), (12, 0), *season, recurs_yearly=True)
        ]

    def test_written_without_a_year(self):
        rules = every(WEEKDAYS, (9, 0), (15, 0)) | every(
            {2, 3, 4}, (10, 0), (13, 0), date(2000, 6, 1), date(2000, 8, 15), recurs_yearly=True
        )
        text = format_opening_hours(rules, True)
        assert text == (
            "Mo-Fr 09:00-15:00; Jun 01-Aug 15 Tu-Th 10:00-13:00; Jun 01-Aug 15 Mo,Fr off; PH off"
        )
        assert set(parse_opening_hours(text).rules) == rules

    def test_yearly_and_dated_seasons_sharing_dates_are_refused(self):
        with translation.override("en"), pytest.raises(OpeningHoursSyntaxError) as raised:
            parse_opening_hours("2026 Jul 01-2026 Jul 10 Mo 10:00-12:00; Jul Mo 12:00-14:00")
        with translation.override("en"):
            assert raised.value.messages == [
                "The seasons “2026 Jul 01-2026 Jul 10” and “Jul” share dates."
            ]


def holiday(weekday, opens, closes):
    return WeeklyRuleSpec(weekday, time(*opens), time(*closes), on_public_holidays=True)


WHOLE_DAY = ((0,), (0,))
EPIPHANY_WEDNESDAY = date(2027, 1, 6)
CHRISTMAS_SATURDAY = date(2027, 12, 25)


class TestWholeDaysHolidaysAndClosures:
    @pytest.mark.parametrize("text", ["24/7", "00:00-24:00", "Mo-Su 00:00-24:00", "open", "Mo-Su"])
    def test_round_the_clock(self, text):
        parsed = parse_opening_hours(text)
        assert set(parsed.rules) == set(every(range(1, 8), *WHOLE_DAY))
        assert not parsed.closed_on_public_holidays
        assert format_opening_hours(parsed.rules, False) == "Mo-Su 00:00-24:00"

    def test_weekdays_without_times_are_open_all_day_as_in_osm(self):
        assert set(parse_opening_hours("Mo,We").rules) == set(every([1, 3], *WHOLE_DAY))

    @pytest.mark.parametrize(
        "text",
        ["Mo-Fr 09:00-15:00; PH 12:00-16:00", "PH 12:00-16:00; Mo-Fr 09:00-15:00"],
    )
    def test_holiday_hours_in_any_order_follow_osm(self, text):
        parsed = parse_opening_hours(text)
        holidays = {rule for rule in parsed.rules if rule.on_public_holidays}
        if text.startswith("PH"):
            # The later weekday rule replaces the holiday hours on weekday holidays.
            expected = {*every(range(1, 6), (9,), (15,)), *every([6, 7], (12,), (16,))}
            assert holidays == {
                WeeklyRuleSpec(r.weekday, r.opens, r.closes, on_public_holidays=True)
                for r in expected
            }
        else:
            assert holidays == {holiday(day, (12,), (16,)) for day in range(1, 8)}
        schedule = day_schedule(CHRISTMAS_SATURDAY, parsed.rules, [], True)
        assert schedule.ranges == [(time(12), time(16))]
        assert schedule.is_holiday

    def test_weekdays_and_holidays_share_hours(self):
        parsed = parse_opening_hours("Mo-Fr 09:00-15:00; Sa,PH 10:00-14:00")
        assert day_schedule(EPIPHANY_WEDNESDAY, parsed.rules, [], True).ranges == [
            (time(10), time(14))
        ]
        assert format_opening_hours(parsed.rules, True) == (
            "Mo-Fr 09:00-15:00; Sa 10:00-14:00; PH 10:00-14:00"
        )

    def test_closed_on_sundays_and_holidays(self):
        parsed = parse_opening_hours("Mo-Sa 10:00-18:00; Su,PH off")
        assert parsed.closed_on_public_holidays
        assert not any(rule.on_public_holidays for rule in parsed.rules)

    def test_holidays_closed_before_weekday_rules_reopen_as_in_osm(self):
        parsed = parse_opening_hours("PH off; Mo-Fr 09:00-15:00")
        assert not parsed.closed_on_public_holidays
        assert set(parsed.rules) == set(every(range(1, 6), (9,), (15,)))

    @pytest.mark.parametrize(
        ("text", "first", "last"),
        [
            ("Mo-Fr 09:00-15:00; Dec 24-Jan 06 off", date(2000, 12, 24), date(2000, 1, 6)),
            ("Mo-Fr 09:00-15:00; Jan 01 off", date(2000, 1, 1), date(2000, 1, 1)),
            ("Mo-Fr 10:00-16:00; Jul off; PH off", date(2000, 7, 1), date(2000, 7, 31)),
        ],
    )
    def test_yearly_closures(self, text, first, last):
        parsed = parse_opening_hours(text)
        assert parsed.closures == [YearlyClosureSpec(first, last)]
        assert parse_opening_hours(
            format_opening_hours(
                parsed.rules, parsed.closed_on_public_holidays, False, parsed.closures
            )
        ) == (ParsedHours(parsed.rules, parsed.closed_on_public_holidays, False, parsed.closures))

    def test_lists_of_dates(self):
        parsed = parse_opening_hours("Mo-Fr 10:00-16:00; Dec 25,Dec 26 off")
        assert parsed.closures == [
            YearlyClosureSpec(date(2000, 12, 25), date(2000, 12, 25)),
            YearlyClosureSpec(date(2000, 12, 26), date(2000, 12, 26)),
        ]
        evenings = parse_opening_hours("Dec 24,Jan 02: 18:00-22:00")
        assert {(rule.valid_from, rule.valid_until) for rule in evenings.rules} == {
            (date(2000, 12, 24), date(2000, 12, 24)),
            (date(2000, 1, 2), date(2000, 1, 2)),
        }

    def test_overlapping_ranges_are_joined_as_in_osm(self):
        assert parse_opening_hours("Mo 09:00-12:00,11:00-15:00").rules == [spec(1, (9,), (15,))]
        assert set(parse_opening_hours("Mo-Fr 10:00-16:00, We 12:00-18:00").rules) == {
            *every([1, 2, 4, 5], (10,), (16,)),
            spec(3, (10,), (18,)),
        }

    def test_storing_yearly_closures_and_holiday_hours(self, db):
        place = PlaceFactory()
        place.exceptions.create(start_date=date(2026, 5, 1), closed=True)
        replace_weekly_hours(
            place, parse_opening_hours("Mo-Fr 09:00-15:00; PH 10:00-12:00; Dec 24-Jan 06 off")
        )
        place = Place.objects.prefetch_related("weekly_hours", "exceptions").get(pk=place.pk)
        assert place_opening_hours(place) == (
            "Mo-Fr 09:00-15:00; PH 10:00-12:00; Dec 24-Jan 06 off"
        )
        assert place.exceptions.count() == 2  # the dated one stays
        assert not place.is_open_at(datetime(2027, 1, 5, 10, tzinfo=HELSINKI))
        assert place.is_open_at(datetime(2027, 1, 6 + 1, 10, tzinfo=HELSINKI))


class TestRejecting:
    @pytest.mark.parametrize(
        ("text", "message"),
        [
            (
                "sunrise-sunset",
                "“sunrise” follows the sun, which opening hours here cannot: write clock times "
                "instead, such as “08:00-20:00”.",
            ),
            (
                "Mo-Fr 10:00-sunset",
                "“10:00-sunset” follows the sun, which opening hours here cannot: write clock "
                "times instead, such as “08:00-20:00”.",
            ),
            (
                "Mo-Fr 09:00-15:00; easter -2 days off",
                "“easter” follows the date of Easter, which opening hours here cannot: leave "
                "Easter to “PH” (Good Friday to Easter Monday are public holidays) or enter the "
                "days as exceptions to opening hours.",
            ),
            ("week 01-10 Mo 10:00-12:00", "Unsupported opening_hours syntax near “week”."),
            ("Mo 10:00+", "“10:00+” has no closing time: write one, such as “10:00-16:00”."),
            (
                'Mo 10:00-12:00 "ajanvaraus"',
                'Unsupported opening_hours syntax near “"ajanvaraus"”.',
            ),
            ('Mo 10:00-12:00 || "soita"', "Unsupported opening_hours syntax near “||”."),
            ("Mo[-2] 10:00-12:00", "Unsupported opening_hours syntax near “Mo[-2]”."),
            ("Jun 31 Mo 10:00-12:00", "There is no date “Jun 31”."),
            ("SH off", "Unsupported opening_hours syntax near “SH”."),
            ("Mo 10:00-12:00 off", "Unsupported opening_hours syntax near “off”."),
            ("2026 Kes 01 Mo 10:00-12:00", "Unsupported opening_hours syntax near “Kes”."),
            ("Mo 10:00-10:00", "Closing time equals opening time in “Mo 10:00-10:00”."),
            ("Mo 10:00-25:00", "“25:00” is not a time between 00:00 and 24:00."),
            ("Mo 24:00-02:00", "“24:00” is not a time between 00:00 and 24:00."),
            ("Mo 10:60-12:00", "“10:60” is not a time between 00:00 and 24:00."),
            ("2026 Feb 29 Mo 10:00-12:00", "There is no date “2026 Feb 29”."),
            (
                "2026 Aug 31-2026 Jun 01 Mo 10:00-12:00",
                "The season “2026 Aug 31-2026 Jun 01” ends before it starts.",
            ),
            (
                "2026 Jun 01-2026 Aug 31 Mo 10:00-12:00; 2026 Aug 01+ Tu 10:00-12:00",
                "The seasons “2026 Jun 01-2026 Aug 31” and “2026 Aug 01+” share dates.",
            ),
            (
                "Jun-Aug Mo 10:00-12:00; Jul off; Jun-Aug Tu 10:00-12:00",
                "The closure “Jul” comes before the season “Jun-Aug” that shares its dates: "
                "write the closure after it.",
            ),
            (
                "Mo 10:00-12:00; Jun-Aug PH off",
                "Public holidays are closed in the season “Jun-Aug” only: write “PH off” for the "
                "whole year, or give the season's holiday hours.",
            ),
            (
                "Mo 10:00-12:00; 2026 Jun 01-2026 Aug 31 off",
                "The season “2026 Jun 01-2026 Aug 31” has no opening hours: record a closure "
                "as an exception to opening hours instead.",
            ),
        ],
    )
    def test_message_names_the_part_at_fault(self, text, message):
        with translation.override("en"):
            with pytest.raises(OpeningHoursSyntaxError) as raised:
                parse_opening_hours(text)
            assert raised.value.messages == [message]
        assert isinstance(raised.value, ValidationError)
        assert raised.value.code == "invalid_opening_hours"


class TestWriting:
    def test_groups_weekdays_with_the_same_hours(self):
        rules = every(WEEKDAYS, (9, 0), (15, 0)) | {spec(6, (10, 0), (13, 0))}
        assert format_opening_hours(rules, True) == "Mo-Fr 09:00-15:00; Sa 10:00-13:00; PH off"

    def test_short_runs_are_lists(self):
        rules = every({1, 2, 4, 6, 7}, (9, 0), (12, 0)) | {spec(3, (9, 0), (12, 0), *SUMMER)}
        assert format_opening_hours(rules, False) == (
            "Mo,Tu,Th,Sa,Su 09:00-12:00; 2026 Jun 01-2026 Aug 31 We 09:00-12:00; "
            "2026 Jun 01-2026 Aug 31 Mo,Tu,Th,Sa,Su off"
        )

    def test_several_ranges_midnight_and_until_midnight(self):
        rules = [
            spec(1, (13, 0), (16, 0)),
            spec(1, (9, 0), (12, 0)),
            spec(5, (20, 0), (2, 0)),
            spec(6, (18, 0), (0, 0)),
        ]
        assert format_opening_hours(rules, False) == (
            "Mo 09:00-12:00,13:00-16:00; Fr 20:00-02:00, Sa 18:00-24:00"
        )

    def test_seasons_after_regular_hours_with_closed_days_spelled_out(self):
        rules = every(WEEKDAYS, (9, 0), (15, 0)) | every({2, 3, 4, 5}, (10, 0), (14, 0), *SUMMER)
        assert format_opening_hours(rules, True) == (
            "Mo-Fr 09:00-15:00; 2026 Jun 01-2026 Aug 31 Tu-Fr 10:00-14:00; "
            "2026 Jun 01-2026 Aug 31 Mo off; PH off"
        )

    def test_a_season_like_the_regular_weeks_is_still_written(self):
        rules = every(WEEKDAYS, (9, 0), (15, 0)) | every(WEEKDAYS, (9, 0), (15, 0), *SUMMER)
        text = format_opening_hours(rules, False)
        assert text == "Mo-Fr 09:00-15:00; 2026 Jun 01-2026 Aug 31 Mo-Fr 09:00-15:00"
        assert set(parse_opening_hours(text).rules) == rules

    def test_open_ended_seasons(self):
        rules = [
            spec(1, (9, 0), (12, 0), None, date(2026, 5, 31)),
            spec(1, (10, 0), (12, 0), date(2026, 6, 1), None),
        ]
        assert format_opening_hours(rules, False) == (
            "1970 Jan 01-2026 May 31 Mo 09:00-12:00; 2026 Jun 01-9999 Dec 31 Mo 10:00-12:00"
        )

    def test_nothing_to_write(self):
        assert format_opening_hours([], False) == ""
        assert format_opening_hours([], True) == "PH off"
        assert format_opening_hours([], True, True) == (
            "PH off; Jun 19-25 Fr off; Dec 24 off; Dec 31 off"
        )

    def test_seasons_sharing_dates_are_written_piece_by_piece(self):
        july_saturdays = spec(6, (10, 0), (13, 0), date(2026, 7, 1), date(2026, 7, 31))
        rules = [*every(WEEKDAYS, (10, 0), (14, 0), *SUMMER), july_saturdays]
        text = format_opening_hours(rules, False)
        assert text == (
            "2026 Jun 01-2026 Jun 30 Mo-Fr 10:00-14:00; "
            "2026 Jul 01-2026 Jul 31 Mo-Fr 10:00-14:00; 2026 Jul 01-2026 Jul 31 Sa 10:00-13:00; "
            "2026 Aug 01-2026 Aug 31 Mo-Fr 10:00-14:00"
        )
        parsed = parse_opening_hours(text)
        day = date(2026, 5, 25)
        while day < date(2026, 9, 14):
            expected = day_schedule(day, rules, [], False).ranges
            assert day_schedule(day, parsed.rules, [], False).ranges == expected, day
            day += timedelta(days=1)


def clock(minute_of_day):
    return time(minute_of_day // 60, minute_of_day % 60)


@st.composite
def weekly_ranges(draw, min_days=0):
    """(weekday, opens, closes) without overlaps: ranges cut from sorted minutes of each day,
    a day's last range sometimes passing midnight up to the next day's first opening."""
    days = draw(st.sets(st.integers(1, 7), min_size=min_days))
    points = {
        weekday: sorted(draw(st.sets(st.integers(0, 24 * 60 - 1), min_size=2, max_size=6)))
        for weekday in days
    }
    ranges = []
    for weekday, day_points in points.items():
        pairs = list(zip(day_points[::2], day_points[1::2], strict=False))
        opens, _closes = pairs[-1]
        next_opening = points.get(weekday % 7 + 1, [opens])[0]
        if opens and draw(st.booleans()):
            pairs[-1] = (opens, draw(st.integers(0, min(opens - 1, next_opening))))
        ranges += [(weekday, clock(opens), clock(closes)) for opens, closes in pairs]
    return ranges


# A night range on the last day of a season reaches into the next day: leave a day between seasons.
DAY_BETWEEN_SEASONS = timedelta(days=2)


@st.composite
def rule_sets(draw):
    """Rules WeeklyHours can hold and the admin accepts: no overlapping ranges, seasons with
    hours that do not share dates (one-day and open-ended seasons included)."""
    rules = [WeeklyRuleSpec(*rule) for rule in draw(weekly_ranges())]
    dates = sorted(
        draw(st.lists(st.dates(date(2000, 1, 1), date(2100, 12, 31)), min_size=4, max_size=4))
    )
    seasons = draw(
        st.sampled_from(
            [
                [],
                [(dates[0], dates[1])],
                [(dates[0], dates[0])],
                [(None, dates[1]), (dates[2] + DAY_BETWEEN_SEASONS, None)],
                [
                    (dates[0], dates[1]),
                    (dates[2] + DAY_BETWEEN_SEASONS, dates[3] + DAY_BETWEEN_SEASONS),
                ],
            ]
        )
    )
    yearly = draw(st.lists(st.dates(date(2000, 1, 1), date(2000, 12, 31)), min_size=2, max_size=2))
    seasons = [(*season, False) for season in seasons]
    if not seasons and draw(st.booleans()):
        seasons = [(*yearly, True)]  # every year, over the year end when its end comes first
    for valid_from, valid_until, recurs_yearly in seasons:
        in_season = draw(weekly_ranges(min_days=1))
        rules += [
            WeeklyRuleSpec(*rule, valid_from, valid_until, recurs_yearly) for rule in in_season
        ]
    return rules


@settings(max_examples=200, deadline=None)
@given(rules=rule_sets(), closed_on_public_holidays=st.booleans(), closed_on_eves=st.booleans())
def test_reading_what_was_written_gives_the_same_rules(
    rules, closed_on_public_holidays, closed_on_eves
):
    event(f"{len(rules) // 10 * 10}+ rules")
    assert not overlapping_ranges(rules)
    text = format_opening_hours(rules, closed_on_public_holidays, closed_on_eves)
    parsed = parse_opening_hours(text)
    assert set(parsed.rules) == set(rules) and len(parsed.rules) == len(rules), text
    assert parsed.closed_on_public_holidays == closed_on_public_holidays
    assert parsed.closed_on_eves == closed_on_eves
    assert format_opening_hours(parsed.rules, closed_on_public_holidays, closed_on_eves) == text


@pytest.mark.django_db
class TestStoring:
    def test_replaces_weekly_hours_and_holiday_closure(self):
        place = PlaceFactory(closed_on_public_holidays=False)
        WeeklyHoursFactory(place=place, weekday=7, opens=time(12), closes=time(16))
        text = (
            "Mo-Fr 09:00-15:00; 2026 Jun 01-2026 Aug 31 Tu-Fr 10:00-14:00; "
            "2026 Jun 01-2026 Aug 31 Mo off; PH off"
        )
        created = replace_weekly_hours(place, parse_opening_hours(text))
        assert len(created) == 9
        place = Place.objects.prefetch_related("weekly_hours").get(pk=place.pk)
        assert place.closed_on_public_holidays
        assert not place.weekly_hours.filter(weekday=7).exists()
        assert place_opening_hours(place) == text

    def test_an_empty_text_clears_the_hours(self):
        place = PlaceFactory(closed_on_public_holidays=True)
        WeeklyHoursFactory(place=place)
        replace_weekly_hours(place, parse_opening_hours(""))
        place.refresh_from_db()
        assert not place.weekly_hours.exists()
        assert not place.closed_on_public_holidays

    def test_a_prefetched_place_sees_its_new_hours(self):
        place = PlaceFactory()
        WeeklyHoursFactory(place=place, weekday=1)
        place = Place.objects.with_hours().get(pk=place.pk)
        assert place_opening_hours(place) == "Mo 09:00-15:00"
        replace_weekly_hours(place, parse_opening_hours("Tu 10:00-12:00"))
        assert place_opening_hours(place) == "Tu 10:00-12:00"

    def test_a_failed_write_leaves_the_old_hours(self):
        place = PlaceFactory(closed_on_public_holidays=False)
        WeeklyHoursFactory(place=place, weekday=1)
        broken = ParsedHours([spec(2, (10, 0), (10, 0))], closed_on_public_holidays=True)
        with pytest.raises(IntegrityError):
            replace_weekly_hours(place, broken)
        place = Place.objects.get(pk=place.pk)
        assert list(place.weekly_hours.values_list("weekday", flat=True)) == [1]
        assert not place.closed_on_public_holidays

    def test_writing_prefetched_hours_runs_no_queries(self, django_assert_num_queries):
        for weekday in (1, 2):
            WeeklyHoursFactory(place=PlaceFactory(), weekday=weekday)
        places = list(Place.objects.with_hours())
        with django_assert_num_queries(0):
            texts = [place_opening_hours(place) for place in places]
        assert sorted(texts) == ["Mo 09:00-15:00", "Tu 09:00-15:00"]


class TestWeekParity:
    ODD_THURSDAY = date(2027, 1, 7)  # ISO week 1
    EVEN_THURSDAY = date(2027, 1, 14)  # ISO week 2

    def test_every_other_week(self):
        parsed = parse_opening_hours("Tu 10:00-12:00; week 01-53/2 Th 17:00-19:00")
        assert set(parsed.rules) == {
            spec(2, (10,), (12,)),
            replace(spec(4, (17,), (19,)), weeks=WeekParity.ODD),
        }
        assert day_schedule(self.ODD_THURSDAY, parsed.rules, [], False).ranges == [
            (time(17), time(19))
        ]
        assert day_schedule(self.EVEN_THURSDAY, parsed.rules, [], False).is_closed

    def test_a_rule_for_some_weeks_replaces_the_day_in_those_weeks(self):
        parsed = parse_opening_hours("Th 09:00-15:00; week 02-52/2 Th 17:00-19:00")
        assert set(parsed.rules) == {
            replace(spec(4, (9,), (15,)), weeks=WeekParity.ODD),
            replace(spec(4, (17,), (19,)), weeks=WeekParity.EVEN),
        }
        text = format_opening_hours(parsed.rules, False)
        assert text == "week 01-53/2 Th 09:00-15:00; week 02-53/2 Th 17:00-19:00"
        assert parse_opening_hours(text) == parsed

    def test_odd_and_even_weeks_adding_to_every_week(self):
        parsed = parse_opening_hours("Mo-Fr 09:00-12:00; week 01-53/2 Fr 09:00-12:00,17:00-19:00")
        text = format_opening_hours(parsed.rules, False)
        assert text == "Mo-Fr 09:00-12:00; week 01-53/2 Fr 09:00-12:00,17:00-19:00"
        assert parse_opening_hours(text) == parsed

    def test_other_week_numbers_are_refused(self):
        with translation.override("en"), pytest.raises(OpeningHoursSyntaxError) as raised:
            parse_opening_hours("week 02-52/6 Fr 10:00-12:00")
        with translation.override("en"):
            assert raised.value.messages == ["Unsupported opening_hours syntax near “week”."]


class TestWeekdaysOfTheMonth:
    @pytest.mark.parametrize(
        "text",
        [
            "Th[1] 17:00-19:00",
            "Fr[-1] 14:00-16:00",
            "Mo-Fr 09:00-15:00; Th[1] 17:00-20:00",
            "We[2,4] 10:00-12:00",
            "We[4] 10:00-12:00; We[-1] 10:00-12:00",
        ],
    )
    def test_reading_what_was_written(self, text):
        parsed = parse_opening_hours(text)
        assert parse_opening_hours(format_opening_hours(parsed.rules, False)) == parsed

    def test_the_first_thursday_replaces_the_thursday_hours(self):
        parsed = parse_opening_hours("Mo-Fr 09:00-15:00; Th[1] 17:00-20:00")
        first, second = date(2027, 1, 7), date(2027, 1, 14)
        assert day_schedule(first, parsed.rules, [], False).ranges == [(time(17), time(20))]
        assert day_schedule(second, parsed.rules, [], False).ranges == [(time(9), time(15))]

    def test_the_last_friday(self):
        parsed = parse_opening_hours("Fr[-1] 14:00-16:00")
        assert day_schedule(date(2027, 1, 29), parsed.rules, [], False).ranges == [
            (time(14), time(16))
        ]
        assert day_schedule(date(2027, 1, 22), parsed.rules, [], False).is_closed

    def test_a_fourth_that_is_not_the_last_alone_is_refused(self):
        with translation.override("en"), pytest.raises(OpeningHoursSyntaxError):
            parse_opening_hours("Th 10:00-12:00; Th[3],Th[-1] off")


# Pieces of opening_hours texts, supported or not, for the reader's fuzz test.
TOKENS = [
    *("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su", "PH", "SH", "ma", "pe", "Jan", "Jun", "Dec"),
    *("2026", "24/7", "open", "off", "closed", "unknown", "week 01-53/2", "week 02-52/2"),
    *("[1]", "[-1]", "Th[1]", "Fr[-1]", "10:00", "24:00", "9", "16", "01", "24", "-", "–"),
    *(".", ",", ";", " ", ":", "+", "||", '"', "sunrise", "easter", "00:00-24:00"),
    *("10:00-12:00", "22:00-02:00", "Dec 24-Jan 06", "Jun-Aug"),
]
texts = st.one_of(
    st.lists(st.sampled_from(TOKENS), max_size=14).map("".join),
    st.lists(st.sampled_from(TOKENS), max_size=10).map(" ".join),
    st.text(max_size=30),
)


@settings(max_examples=400, deadline=None)
@given(text=texts)
def test_the_reader_never_crashes_and_reads_back_what_it_writes(text):
    """Any text is read or refused with a message; what is read is written as a text that reads
    back to the same rules, closures and switches (parse∘write is the identity on the model)."""
    try:
        parsed = parse_opening_hours(text)
    except OpeningHoursSyntaxError as error:
        assert error.messages
        return
    written = format_parsed_hours(parsed)
    assert parse_opening_hours(written) == parsed, written
