"""The opening-hours engine: which hours apply on a date, and whether a place is open.

All rules are Europe/Helsinki wall-clock times. The same definitions drive the display face
here (``OpeningHoursMixin``) and the database face (``places.querysets.PlaceQuerySet.open_at``);
tests/places/test_hours_agreement.py proves with hypothesis that the two agree.

For one date the applicable ranges are, in order of precedence:

1. exceptions covering the date (dated ones, and yearly closures such as 24 December to
   6 January every year): none if any of them is "closed", otherwise their special hours;
2. on a Finnish public holiday, the holiday hours (weekly rules ``on_public_holidays``, by the
   holiday's weekday) of the rules in force if there are any, else nothing when the place closes
   on public holidays; on an eve, nothing when the place closes on the eves;
3. the weekly ranges for that weekday: seasonal ranges when a season of the place covers the
   date (summer hours replace the regular ones for the whole season), regular ranges otherwise.

Each range has a state (``HoursState``): open, by appointment, self-service (with a key) or
not known, and may carry a note in Finnish, Swedish and English. Only *open* ranges make a place
open ("open now", ``open_at``); the others are shown with their note, as Hauki shows them.

A range whose closing time is before its opening time passes midnight: it covers the rest of
its own date and the next date until the closing time (a closing time of 00:00 means midnight,
and 00:00-00:00 the whole day, "00:00-24:00").
A date's ranges keep running past midnight whatever rules apply to the next date.

Instants are judged by their Helsinki wall-clock date and time, so on daylight saving change
days "09:00" is still 09:00 local time; naive datetimes are taken as Helsinki time.

Public holidays ("PH" in OpenStreetMap's syntax) are Finland's official public holidays, as
OSM tools and opening_hours.js read them. ``holidays.Finland`` also lists Midsummer Eve and
Christmas Eve, which are *eves*, not holidays: they are left out here. Whether a place closes on
the three eves (Midsummer Eve, Christmas Eve, New Year's Eve) is a switch of its own,
``closed_on_eves``, that the opening_hours writer exports as explicit dated rules.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

HELSINKI = ZoneInfo("Europe/Helsinki")
NEXT_OPENING_HORIZON_DAYS = 120
# holidays.Finland names its holidays in "fi", "sv_FI" and "en_US" (not "sv" or "en").
HOLIDAY_LANGUAGES = {"fi": "fi", "sv": "sv_FI", "en": "en_US"}
SECONDS_PER_DAY = 24 * 60 * 60
MIDNIGHT = time(0, 0)

RANGES_OVERLAP = _("Opening hours overlap: %(first)s and %(second)s.")


class HoursState(models.TextChoices):
    """What a range of hours means for a visitor, as Hauki (the City of Helsinki's opening hours
    service) has it. Only OPEN counts as open; the others are shown with their note."""

    OPEN = "open", pgettext_lazy("hours state", "open")
    BY_APPOINTMENT = "by_appointment", pgettext_lazy("hours state", "by appointment")
    SELF_SERVICE = "self_service", pgettext_lazy("hours state", "self-service, with a key")
    UNKNOWN = "unknown", pgettext_lazy("hours state", "not known, contact the place")


NOTE_LANGUAGES = ("fi", "sv", "en")


def localized_note(rule):
    """A rule's note in the active language, else in Finnish ("" without one). ``rule`` is a
    model instance, a WeeklyRule, a Slot or a mapping with ``note``, ``note_sv`` and
    ``note_en``."""
    language = (get_language() or "fi")[:2]
    value = rule.get if isinstance(rule, Mapping) else lambda name: getattr(rule, name, "")
    own = value(f"note_{language}") if language in ("sv", "en") else ""
    return own or value("note") or ""


class Slot(NamedTuple):
    """A range of one date with its state and its notes (Finnish, Swedish, English)."""

    opens: time
    closes: time
    state: str = HoursState.OPEN
    note: str = ""
    note_sv: str = ""
    note_en: str = ""

    @property
    def is_open(self):
        return self.state == HoursState.OPEN

    @property
    def state_label(self):
        return HoursState(self.state).label

    @property
    def localized_note(self):
        return localized_note(self)

    def describe(self):
        """ "10:00–12:00", "10:00–12:00 by appointment (call first)", in the active language."""
        return describe_slot(self.opens, self.closes, self.state, localized_note(self))


def slot_of(rule):
    """The Slot of a weekly rule or an exception with hours (fields missing: open, no note)."""
    return Slot(
        rule.opens,
        rule.closes,
        getattr(rule, "state", HoursState.OPEN) or HoursState.OPEN,
        getattr(rule, "note", "") or "",
        getattr(rule, "note_sv", "") or "",
        getattr(rule, "note_en", "") or "",
    )


def format_time_range(opens, closes):
    """ "09:00–12:00"; a closing midnight as "24:00"."""
    closing = "24:00" if closes == MIDNIGHT else f"{closes:%H:%M}"
    return f"{opens:%H:%M}–{closing}"


def describe_slot(opens, closes, state=HoursState.OPEN, note=""):
    """A range with its state and note for people, in the active language: "10:00–12:00",
    "10:00–12:00, by appointment", "10:00–12:00 (even weeks)"."""
    text = format_time_range(opens, closes)
    if state and state != HoursState.OPEN:
        text = f"{text}, {HoursState(state).label}"
    return f"{text} ({note})" if note else text


class WeekParity(models.IntegerChoices):
    """Which ISO weeks a weekly rule applies in: OpenStreetMap's "week 01-53/2" (odd weeks) and
    "week 02-53/2" (even weeks)."""

    EVERY = 0, _("every week")
    ODD = 1, _("odd weeks")
    EVEN = 2, _("even weeks")

    @classmethod
    def of(cls, day):
        return cls.ODD if day.isocalendar().week % 2 else cls.EVEN


class MonthWeek(models.IntegerChoices):
    """Which of a month's same weekdays a weekly rule applies on: OpenStreetMap's "Th[1]"
    (the first Thursday) to "Th[5]", and "Fr[-1]" (the last Friday)."""

    EVERY = 0, pgettext_lazy("weekday of the month", "every")
    FIRST = 1, pgettext_lazy("weekday of the month", "the first")
    SECOND = 2, pgettext_lazy("weekday of the month", "the second")
    THIRD = 3, pgettext_lazy("weekday of the month", "the third")
    FOURTH = 4, pgettext_lazy("weekday of the month", "the fourth")
    FIFTH = 5, pgettext_lazy("weekday of the month", "the fifth")
    LAST = -1, pgettext_lazy("weekday of the month", "the last")

    @classmethod
    def of(cls, day):
        """The values that match ``day``: every, its place among the month's same weekdays,
        and the last when no such weekday follows in the month."""
        matching = [cls.EVERY, (day.day - 1) // 7 + 1]
        if (day + timedelta(days=7)).month != day.month:
            matching.append(cls.LAST)
        return matching


class Weekday(models.IntegerChoices):
    """ISO weekdays (1 = Monday), as WeeklyHours stores them and OpenStreetMap abbreviates them."""

    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")

    @property
    def osm_code(self):
        """The day in opening_hours syntax: "Mo" … "Su"."""
        return self.name[:2].title()


def local_date_and_time(when):
    """Split an instant into the Helsinki date and wall-clock time (to the second)."""
    if timezone.is_naive(when):
        when = when.replace(tzinfo=HELSINKI)
    local = when.astimezone(HELSINKI)
    return local.date(), local.time().replace(microsecond=0, tzinfo=None)


EVE_NAMES = {
    "midsummer": _("Midsummer Eve"),
    "christmas": _("Christmas Eve"),
    "new_year": _("New Year's Eve"),
}


def eves_of(year):
    """The eves of ``year`` by date: Midsummer Eve (the Friday from 19 to 25 June), Christmas
    Eve and New Year's Eve."""
    midsummer_eve = date(year, 6, 19) + timedelta(days=(4 - date(year, 6, 19).weekday()) % 7)
    return {
        midsummer_eve: "midsummer",
        date(year, 12, 24): "christmas",
        date(year, 12, 31): "new_year",
    }


@lru_cache(maxsize=64)
def _finnish_holidays(year, language):
    calendar = holidays.Finland(years=year, language=language)
    return {day: name for day, name in calendar.items() if day not in eves_of(year)}


def public_holiday_name(day):
    """The name of the Finnish public holiday on ``day`` in the active language, or None."""
    language = HOLIDAY_LANGUAGES.get((get_language() or "fi")[:2], "fi")
    return _finnish_holidays(day.year, language).get(day)


def is_public_holiday(day):
    return day in _finnish_holidays(day.year, "fi")


def is_eve(day):
    return day in eves_of(day.year)


def eve_name(day):
    """The name of the eve on ``day`` in the active language, or None."""
    eve = eves_of(day.year).get(day)
    return str(EVE_NAMES[eve]) if eve else None


def month_day(day):
    """A date's place in any year, comparable across years: 1 June is 601."""
    return day.month * 100 + day.day


def yearly_span_covers(first, last, day):
    """Whether ``day`` falls from ``first`` to ``last`` of some year, whatever their years; a span
    whose end comes before its start in the calendar wraps the year end (24 Dec – 6 Jan)."""
    start, end, today = month_day(first), month_day(last), month_day(day)
    if start <= end:
        return start <= today <= end
    return today >= start or today <= end


def season_covers(rule, day):
    if getattr(rule, "recurs_yearly", False):
        return yearly_span_covers(rule.valid_from, rule.valid_until, day)
    return (rule.valid_from is None or rule.valid_from <= day) and (
        rule.valid_until is None or rule.valid_until >= day
    )


def exception_covers(exception, day):
    """Whether an exception (HoursException) covers ``day``: a yearly one on its days of every
    year (over the year end when it ends before it starts), a dated one from its start to its end
    (or on its start date alone)."""
    last = exception.end_date or exception.start_date
    if getattr(exception, "recurs_yearly", False):
        return yearly_span_covers(exception.start_date, last, day)
    return exception.start_date <= day <= last


def season_dates(valid_from, valid_until, recurs_yearly, today=None):
    """A season as concrete first and last dates, for exports that know no yearly recurrence:
    a dated season as it is; a yearly one as its occurrence running on ``today`` (by default the
    current date), or else the next one."""
    if not recurs_yearly:
        return valid_from, valid_until
    today = today or timezone.localdate()
    wraps = month_day(valid_until) < month_day(valid_from)
    for year in (today.year - 1, today.year, today.year + 1):
        first = _in_year(valid_from, year)
        last = _in_year(valid_until, year + 1 if wraps else year)
        if last >= today:
            return first, last
    raise AssertionError("a yearly season always ends within two years")


def _in_year(day, year):
    """``day`` moved to ``year``; 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def _month_days(valid_from, valid_until, recurs_yearly):
    """The month_day()s a season covers in some year (all of them for a season of a year or more,
    or one without an end)."""
    if recurs_yearly:
        first, last = month_day(valid_from), month_day(valid_until)
    elif valid_from is None or valid_until is None or (valid_until - valid_from).days >= 365:
        first, last = 101, 1231
    else:
        return {
            month_day(valid_from + timedelta(days=n))
            for n in range((valid_until - valid_from).days + 1)
        }
    leap_year = [date(2000, 1, 1) + timedelta(days=n) for n in range(366)]
    return {
        month_day(day)
        for day in leap_year
        if (first <= month_day(day) <= last if first <= last else not last < month_day(day) < first)
    }


def seasons_share_dates(first, second):
    """Whether two seasons, each (valid_from, valid_until, recurs_yearly), have a date in common;
    None bounds are open. A yearly season shares dates with every season that meets it in some
    year."""
    (first_from, first_until, first_yearly), (second_from, second_until, second_yearly) = (
        first,
        second,
    )
    if first_yearly or second_yearly:
        return bool(_month_days(*first) & _month_days(*second))
    return (first_from is None or second_until is None or first_from <= second_until) and (
        second_from is None or first_until is None or second_from <= first_until
    )


@dataclass
class DaySchedule:
    """The hours that apply on one date, and why: ``slots`` in every state, ``ranges`` the
    (opens, closes) of the open ones."""

    date: date
    slots: list = field(default_factory=list)
    reason: str = ""
    is_exception: bool = False
    is_holiday: bool = False

    @property
    def ranges(self):
        return [(slot.opens, slot.closes) for slot in self.slots if slot.is_open]

    @property
    def is_closed(self):
        """Closed the whole date: no range in any state (a date by appointment only is not)."""
        return not self.slots

    @property
    def weekday(self):
        return self.date.isoweekday()


@dataclass
class OpenStatus:
    """Whether a place is open at an instant, and when that changes."""

    is_open: bool
    closes_at: datetime | None = None
    opens_at: datetime | None = None
    # False for a place without any hours entered: "not known, contact the place", not "closed".
    hours_known: bool = True
    # When not open: the state of a range running now that is not open (by appointment,
    # self-service, not known) and its note in the active language, else "".
    state: str = ""
    note: str = ""

    @property
    def state_label(self):
        return HoursState(self.state).label if self.state else ""


def rules_in_force(weekly_rules, day):
    """The weekly rules in force on ``day`` whatever its weekday: a season's when a season
    covers the date (it replaces the regular hours), else the regular ones."""
    in_season = [rule for rule in weekly_rules if rule.is_seasonal and season_covers(rule, day)]
    return in_season or [rule for rule in weekly_rules if not rule.is_seasonal]


def day_schedule(day, weekly_rules, exceptions, closed_on_public_holidays, closed_on_eves=False):
    """The hours of ``day``: see the module's docstring. On a public holiday the holiday hours
    of the rules in force (``on_public_holidays``) apply if there are any, for the holiday's
    weekday (none: closed); otherwise the place is closed if it closes on public holidays."""
    covering = [e for e in exceptions if exception_covers(e, day)]
    if covering:
        reason = next((e.reason for e in covering if e.reason), "")
        if any(e.closed for e in covering):
            return DaySchedule(day, [], reason, is_exception=True)
        slots = sorted(slot_of(e) for e in covering)
        return DaySchedule(day, slots, reason, is_exception=True)
    in_force = in_week_of(rules_in_force(weekly_rules, day), day)
    if is_public_holiday(day):
        holiday_rules = [rule for rule in in_force if _on_public_holidays(rule)]
        if holiday_rules or closed_on_public_holidays:
            slots = sorted(
                slot_of(rule) for rule in holiday_rules if rule.weekday == day.isoweekday()
            )
            return DaySchedule(day, slots, public_holiday_name(day) or "", is_holiday=True)
    if closed_on_eves and is_eve(day):
        return DaySchedule(day, [], eve_name(day), is_holiday=True)
    slots = sorted(
        slot_of(rule)
        for rule in in_force
        if rule.weekday == day.isoweekday() and not _on_public_holidays(rule)
    )
    return DaySchedule(day, slots)


def in_week_of(rules, day):
    """The ``rules`` that apply in the ISO week of ``day``: every week, or its odd or even ones."""
    parity, month_weeks = WeekParity.of(day), MonthWeek.of(day)
    return [
        rule
        for rule in rules
        if getattr(rule, "weeks", WeekParity.EVERY) in (0, parity)
        and getattr(rule, "nth", MonthWeek.EVERY) in month_weeks
    ]


def _on_public_holidays(rule):
    return getattr(rule, "on_public_holidays", False)


def wall_clock_intervals(schedule):
    """The open ranges of a day schedule as [start, end) naive Helsinki wall-clock datetimes; a
    range passing midnight ends on the next date."""
    for start, end, slot in slot_intervals(schedule):
        if slot.is_open:
            yield start, end


def slot_intervals(schedule):
    """(start, end, slot) of every range of a day schedule, in any state (see
    wall_clock_intervals)."""
    for slot in schedule.slots:
        start = datetime.combine(schedule.date, slot.opens)
        # closes <= opens: past midnight; 00:00-00:00 is the whole day.
        end_date = schedule.date + timedelta(days=1) if slot.closes <= slot.opens else schedule.date
        end = datetime.combine(end_date, slot.closes)
        if start < end:
            yield start, end, slot


def open_until(now, intervals_on):
    """The latest end of the intervals running at the wall-clock datetime ``now`` (None when
    closed), given ``intervals_on(date)``. Only the previous date's intervals reach into a date."""
    day = now.date()
    ends = [
        end
        for start, end in intervals_on(day - timedelta(days=1)) + intervals_on(day)
        if start <= now < end
    ]
    return max(ends, default=None)


class OpeningHoursMixin:
    """Display face of the engine for ``Place``.

    Reads ``weekly_hours`` and ``exceptions`` through ``.all()``, so list views that prefetch
    them run no query per place.
    """

    def _hours_inputs(self):
        return list(self.weekly_hours.all()), list(self.exceptions.all())

    @property
    def hours_known(self):
        """Whether the place has entered any hours: weekly ones or exceptions not yet over."""
        weekly_rules, exceptions = self._hours_inputs()
        return bool(weekly_rules or exceptions)

    def schedule_for(self, day):
        weekly_rules, exceptions = self._hours_inputs()
        return day_schedule(
            day, weekly_rules, exceptions, self.closed_on_public_holidays, self.closed_on_eves
        )

    def is_open_at(self, when):
        today, moment = local_date_and_time(when)
        return open_until(datetime.combine(today, moment), self._interval_reader()) is not None

    def status_at(self, when):
        """Open or closed at ``when``, or not known for a place without hours. When open,
        ``closes_at`` is when the place next closes (ranges that follow each other without a gap
        count as one; None if it stays open beyond NEXT_OPENING_HORIZON_DAYS). When closed,
        ``opens_at`` is the next opening within NEXT_OPENING_HORIZON_DAYS (None if none)."""
        if not self.hours_known:
            return OpenStatus(False, hours_known=False)
        today, moment = local_date_and_time(when)
        now = datetime.combine(today, moment)
        intervals_on = self._interval_reader()
        closing = open_until(now, intervals_on)
        if closing is None:
            return replace(self._closed_status(now, intervals_on), **self._other_state(now))
        horizon = now + timedelta(days=NEXT_OPENING_HORIZON_DAYS)
        while closing <= horizon:
            later = open_until(closing, intervals_on)
            if later is None:
                return OpenStatus(True, closes_at=closing.replace(tzinfo=HELSINKI))
            closing = later
        return OpenStatus(True)

    @staticmethod
    def _closed_status(now, intervals_on):
        today = now.date()
        for offset in range(NEXT_OPENING_HORIZON_DAYS + 1):
            for start, _end in intervals_on(today + timedelta(days=offset)):
                if start > now:
                    return OpenStatus(False, opens_at=start.replace(tzinfo=HELSINKI))
        return OpenStatus(False)

    def _other_state(self, now):
        """{"state", "note"} of a range running at ``now`` that is not open (by appointment,
        self-service, not known), else of the place's "by appointment at other times", else {}."""
        weekly_rules, exceptions = self._hours_inputs()
        for day in (now.date() - timedelta(days=1), now.date()):
            schedule = day_schedule(
                day, weekly_rules, exceptions, self.closed_on_public_holidays, self.closed_on_eves
            )
            for start, end, slot in slot_intervals(schedule):
                if start <= now < end and not slot.is_open:
                    return {"state": slot.state, "note": localized_note(slot)}
        if getattr(self, "by_appointment_otherwise", False):
            return {"state": HoursState.BY_APPOINTMENT, "note": getattr(self, "hours_note", "")}
        return {}

    def state_at(self, when):
        """The state at ``when``: an HoursState, or "" when closed; not known for a place
        without hours."""
        if not self.hours_known:
            return HoursState.UNKNOWN
        if self.is_open_at(when):
            return HoursState.OPEN
        today, moment = local_date_and_time(when)
        return self._other_state(datetime.combine(today, moment)).get("state", "")

    def _interval_reader(self):
        """A function giving the wall-clock intervals of a date, computed once per date."""
        weekly_rules, exceptions = self._hours_inputs()

        @cache
        def intervals_on(day):
            schedule = day_schedule(
                day, weekly_rules, exceptions, self.closed_on_public_holidays, self.closed_on_eves
            )
            return list(wall_clock_intervals(schedule))

        return intervals_on

    def week_schedule(self, day=None):
        """Monday to Sunday of the week containing ``day`` (today by default)."""
        day = day or timezone.localdate()
        monday = day - timedelta(days=day.isoweekday() - 1)
        return [self.schedule_for(monday + timedelta(days=offset)) for offset in range(7)]

    def open_hours_in_week(self, day=None):
        """Hours open from Monday to Sunday of the week containing ``day``, as the engine reads
        them (seasons, exceptions, holidays and eves); None for a place without hours."""
        if not self.hours_known:
            return None
        seconds = sum(
            (end - start).total_seconds()
            for schedule in self.week_schedule(day)
            for start, end in wall_clock_intervals(schedule)
        )
        return seconds / 3600

    def hours_in_words(self, today=None, dated_exceptions=False):
        """The hours in words (see hours_in_words); with ``today`` only what is not over."""
        weekly_rules, exceptions = self._hours_inputs()
        return hours_in_words(
            weekly_rules,
            exceptions,
            self.closed_on_public_holidays,
            self.closed_on_eves,
            today=today,
            dated_exceptions=dated_exceptions,
        )

    def upcoming_exceptions(self, day=None, limit=10):
        day = day or timezone.localdate()
        upcoming = [e for e in self.exceptions.all() if (e.end_date or e.start_date) >= day]
        return sorted(upcoming, key=lambda e: (e.start_date, e.opens or time.min))[:limit]


def describe_range(weekday, opens, closes, on_public_holidays=False):
    """A weekly range for people, in the active language: "Monday 09:00–12:00", "public holidays
    on a Monday 10:00–14:00", "Monday 00:00–24:00"."""
    if on_public_holidays:
        day = _("public holiday (%(weekday)s)") % {
            "weekday": str(Weekday(int(weekday)).label).lower()
        }
    else:
        day = Weekday(int(weekday)).label
    return f"{day} {format_time_range(opens, closes)}"


def overlapping_ranges(rules):
    """The pairs of weekly rules whose hours overlap, in input order.

    ``rules`` are objects or dicts with weekday, opens, closes, valid_from and valid_until (model
    instances, or a formset's cleaned_data). Two rules overlap when their times overlap on the
    same weekday, both regular or both in seasons sharing a date; a range passing midnight also
    occupies the next weekday's early hours. Regular and seasonal rules never overlap, since
    seasonal hours replace regular ones. Rules without a weekday or a time, or with equal times,
    are skipped: their own validation reports them.
    """
    segments_by_day = defaultdict(list)
    for index, rule in enumerate(rules):
        for segment in _segments(index, rule):
            segments_by_day[segment.weekday, segment.seasonal, segment.holidays].append(segment)
    pairs = set()
    for segments in segments_by_day.values():
        segments.sort(key=lambda segment: segment.start)
        for position, first in enumerate(segments):
            for second in segments[position + 1 :]:
                if second.start >= first.end:
                    break
                if (
                    first.index != second.index
                    and first.shares_dates_with(second)
                    and {first.weeks, second.weeks} != {WeekParity.ODD, WeekParity.EVEN}
                    and _month_weeks_meet(first.nth, second.nth)
                ):
                    pairs.add((min(first.index, second.index), max(first.index, second.index)))
    return [(rules[first], rules[second]) for first, second in sorted(pairs)]


def overlap_errors(rules, code="overlapping_hours"):
    """One ValidationError naming each pair of overlapping ``rules`` (see overlapping_ranges),
    the same words in the admin's hours form and the opening_hours parser."""
    return [
        ValidationError(
            RANGES_OVERLAP,
            code=code,
            params={
                "first": _describe_rule(first),
                "second": _describe_rule(second),
            },
        )
        for first, second in overlapping_ranges(rules)
    ]


def _describe_rule(rule):
    def value(name):
        return rule.get(name) if isinstance(rule, Mapping) else getattr(rule, name, None)

    return describe_range(
        value("weekday"), value("opens"), value("closes"), bool(value("on_public_holidays"))
    )


@dataclass(frozen=True)
class _WeeklySegment:
    """The part of a weekly rule on one weekday, in seconds from midnight, [start, end)."""

    index: int
    weekday: int
    start: int
    end: int
    seasonal: bool
    valid_from: date | None
    valid_until: date | None

    recurs_yearly: bool = False
    holidays: bool = False
    weeks: int = 0
    nth: int = 0

    def shares_dates_with(self, other):
        return seasons_share_dates(
            (self.valid_from, self.valid_until, self.recurs_yearly),
            (other.valid_from, other.valid_until, other.recurs_yearly),
        )


def _segments(index, rule):
    def value(name):
        return rule.get(name) if isinstance(rule, Mapping) else getattr(rule, name, None)

    weekday, opens, closes = value("weekday"), value("opens"), value("closes")
    whole_day = opens == closes == MIDNIGHT
    if (
        weekday in (None, "")
        or opens is None
        or closes is None
        or (opens == closes and not whole_day)
    ):
        return []
    weekday = int(weekday)
    valid_from, valid_until = value("valid_from"), value("valid_until")
    seasonal = valid_from is not None or valid_until is not None
    # A yearly season needs both ends; without them the form reports it.
    yearly = bool(value("recurs_yearly")) and valid_from is not None and valid_until is not None
    holidays = bool(value("on_public_holidays"))
    weeks, nth = int(value("weeks") or 0), int(value("nth") or 0)
    start, end = _seconds(opens), _seconds(closes)

    def segment(weekday, start, end, valid_from, valid_until):
        return _WeeklySegment(
            index,
            weekday,
            start,
            end,
            seasonal,
            valid_from,
            valid_until,
            yearly,
            holidays,
            weeks,
            nth,
        )

    if start < end:
        return [segment(weekday, start, end, valid_from, valid_until)]
    segments = [segment(weekday, start, SECONDS_PER_DAY, valid_from, valid_until)]
    # The early hours after a public holiday are on a day that is seldom one: not compared.
    if end and not holidays:
        # The early hours belong to the day after each date of the season.
        segments.append(
            segment(weekday % 7 + 1, 0, end, _next_day(valid_from), _next_day(valid_until))
        )
    return segments


def _month_weeks_meet(first, second):
    """Whether rules for these MonthWeeks can fall on the same date: the same value, every, or
    the last with the fourth or fifth."""
    if MonthWeek.EVERY in (first, second) or first == second:
        return True
    return {first, second} in (
        {MonthWeek.LAST, MonthWeek.FOURTH},
        {MonthWeek.LAST, MonthWeek.FIFTH},
    )


def _next_day(day):
    return day + timedelta(days=1) if day and day < date.max else day


def _seconds(moment):
    return moment.hour * 3600 + moment.minute * 60 + moment.second


# The hours in words ("ma–pe 9–16, kesällä 1.6.–15.8. ti 10–13, suljettu arkipyhinä"): the one
# text renderer of the engine, for the place page, the admin and the imports' previews.

WEEKDAY_ABBREVIATIONS = {
    1: pgettext_lazy("weekday abbreviation", "Mon"),
    2: pgettext_lazy("weekday abbreviation", "Tue"),
    3: pgettext_lazy("weekday abbreviation", "Wed"),
    4: pgettext_lazy("weekday abbreviation", "Thu"),
    5: pgettext_lazy("weekday abbreviation", "Fri"),
    6: pgettext_lazy("weekday abbreviation", "Sat"),
    7: pgettext_lazy("weekday abbreviation", "Sun"),
}
# Date formats of the texts in words (Django's date format characters): a yearly season's days
# have no year.
DAY_AND_MONTH_FORMAT = pgettext_lazy("day and month in hours in words", "j F")
HOURS_NOT_KNOWN = _("Opening hours not known: please contact the place.")
# A season wholly within these days of the year is "summer".
SUMMER = (601, 831)


@dataclass(frozen=True)
class SeasonInWords:
    """A season's hours in words: ``label`` "kesällä 1.6.–15.8.", ``hours`` "ti 10–13"."""

    label: str
    hours: str

    def __str__(self):
        return f"{self.label}: {self.hours}"


@dataclass(frozen=True)
class HoursInWords:
    """A place's hours in words, in the active language, part by part: the regular week, the
    seasons, public holidays and eves, the yearly closures and (when asked for) the exceptions
    of given dates. ``str()`` joins them into one line."""

    known: bool
    regular: str = ""
    seasons: tuple = ()
    holidays: str = ""
    eves: str = ""
    closures: tuple = ()
    exceptions: tuple = ()

    @property
    def parts(self):
        if not self.known:
            return [str(HOURS_NOT_KNOWN)]
        return [
            part
            for part in (
                self.regular,
                *(f"{season.label} {season.hours}" for season in self.seasons),
                self.holidays,
                self.eves,
                *self.closures,
                *self.exceptions,
            )
            if part
        ]

    def __str__(self):
        return ", ".join(self.parts)


def hours_in_words(
    weekly_rules,
    exceptions,
    closed_on_public_holidays,
    closed_on_eves=False,
    *,
    today=None,
    dated_exceptions=False,
):
    """The hours in words (HoursInWords) of weekly rules (WeeklyHours, WeeklyRuleSpec or the
    like) and exceptions (HoursException or YearlyClosureSpec), read as day_schedule reads them.
    With ``today``, seasons and exceptions over by then are left out; ``dated_exceptions`` adds
    the exceptions of given dates (the place page lists those apart)."""
    weekly_rules, exceptions = list(weekly_rules), list(exceptions)
    if not weekly_rules and not exceptions:
        return HoursInWords(known=False)
    regular = [rule for rule in weekly_rules if not rule.is_seasonal]
    seasons = defaultdict(list)
    for rule in weekly_rules:
        if rule.is_seasonal:
            key = (rule.valid_from, rule.valid_until, bool(getattr(rule, "recurs_yearly", False)))
            seasons[key].append(rule)
    season_words = tuple(
        SeasonInWords(_season_label(*key), _week_in_words(rules) or str(_("closed")))
        for key, rules in sorted(seasons.items(), key=_season_order)
        if today is None or key[2] or key[1] is None or key[1] >= today
    )
    holiday_rules = [rule for rule in regular if _on_public_holidays(rule)]
    if holiday_rules:
        holidays = _("on public holidays %(hours)s") % {"hours": _holiday_hours(holiday_rules)}
    elif closed_on_public_holidays:
        holidays = _("closed on public holidays")
    elif weekly_rules:
        holidays = _("open on public holidays as on other days")
    else:
        holidays = ""
    yearly = [e for e in exceptions if getattr(e, "recurs_yearly", False)]
    dated = [
        e
        for e in exceptions
        if not getattr(e, "recurs_yearly", False)
        and (today is None or (e.end_date or e.start_date) >= today)
    ]
    return HoursInWords(
        known=True,
        regular=_week_in_words(regular),
        seasons=season_words,
        holidays=str(holidays),
        eves=str(_("closed on Midsummer Eve, Christmas Eve and New Year's Eve"))
        if closed_on_eves
        else "",
        closures=tuple(_exception_in_words(e, yearly=True) for e in _by_start(yearly)),
        exceptions=tuple(_exception_in_words(e) for e in _by_start(dated))
        if dated_exceptions
        else (),
    )


def _season_order(item):
    (valid_from, valid_until, yearly), _rules = item
    if yearly:
        return (1, month_day(valid_from), month_day(valid_until), date.min)
    return (0, 0, 0, valid_from or date.min)


def _by_start(exceptions):
    return sorted(exceptions, key=lambda e: (month_day(e.start_date), e.start_date))


def _season_label(valid_from, valid_until, yearly):
    """ "kesällä 1.6.–15.8." for a season within June to August, "1.9.–31.5." for another
    yearly one, "1.6.2027–31.8.2027", "1.6.2027 alkaen" or "31.8.2027 asti" for dated ones."""
    if yearly:
        days = f"{_day_and_month(valid_from)}–{_day_and_month(valid_until)}"
    elif valid_from and valid_until:
        days = f"{_date(valid_from)}–{_date(valid_until)}"
    elif valid_from:
        days = str(_("from %(date)s") % {"date": _date(valid_from)})
    else:
        days = str(_("until %(date)s") % {"date": _date(valid_until)})
    first, last = month_day(valid_from or date.min), month_day(valid_until or date.max)
    in_summer = (
        valid_from is not None
        and valid_until is not None
        and SUMMER[0] <= first <= last <= SUMMER[1]
        and (yearly or (valid_until - valid_from).days < 366)
    )
    if in_summer:
        return str(_("in summer %(days)s") % {"days": days})
    return days


def _week_in_words(rules):
    """Weekly rules of one season (or the regular ones) in words: days with the same hours
    together ("ma–pe 9–16, la 10–14"), then the rules of some weeks only and the holiday hours
    of a season."""
    every_week = [r for r in rules if not _on_public_holidays(r) and not _in_some_weeks(r)]
    parts = _days_in_words(every_week)
    some_weeks = defaultdict(list)
    for rule in rules:
        if not _on_public_holidays(rule) and _in_some_weeks(rule):
            some_weeks[getattr(rule, "weeks", 0), getattr(rule, "nth", 0)].append(rule)
    in_some_weeks = []
    for (weeks, nth), chosen in some_weeks.items():
        which = []
        if weeks:
            which.append(str(WeekParity(weeks).label))
        if nth:
            which.append(str(_("%(which)s of the month") % {"which": MonthWeek(nth).label}))
        first_day = min(int(rule.weekday) for rule in chosen)
        in_some_weeks += [
            (first_day, weeks, nth, f"{part} ({', '.join(which)})")
            for part in _days_in_words(chosen)
        ]
    parts += [text for *_order, text in sorted(in_some_weeks)]
    holiday_rules = [rule for rule in rules if _on_public_holidays(rule)]
    if holiday_rules and any(rule.is_seasonal for rule in holiday_rules):
        parts.append(
            str(_("on public holidays %(hours)s") % {"hours": _holiday_hours(holiday_rules)})
        )
    return ", ".join(parts)


def _in_some_weeks(rule):
    return bool(getattr(rule, "weeks", 0) or getattr(rule, "nth", 0))


def _days_in_words(rules):
    """ "ma–pe 9–16, la 10–14": weekdays with the same ranges, runs of days joined by a dash."""
    ranges_by_day = defaultdict(list)
    for rule in rules:
        ranges_by_day[int(rule.weekday)].append((rule.opens, rule.closes))
    days_by_ranges = defaultdict(list)
    for day in sorted(ranges_by_day):
        days_by_ranges[tuple(sorted(ranges_by_day[day]))].append(day)
    groups = sorted(days_by_ranges.items(), key=lambda item: item[1][0])
    return [f"{_weekdays_in_words(days)} {_ranges_in_words(ranges)}" for ranges, days in groups]


def _holiday_hours(rules):
    """Holiday hours: "12–16" when the same whatever the weekday, else "ma–pe 9–15"."""
    by_day = defaultdict(list)
    for rule in rules:
        by_day[int(rule.weekday)].append((rule.opens, rule.closes))
    if len(by_day) == 7 and len({tuple(sorted(ranges)) for ranges in by_day.values()}) == 1:
        return _ranges_in_words(sorted(next(iter(by_day.values()))))
    return ", ".join(_days_in_words(rules))


def _weekdays_in_words(days):
    runs = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        str(WEEKDAY_ABBREVIATIONS[run[0]])
        if len(run) == 1
        else f"{WEEKDAY_ABBREVIATIONS[run[0]]}–{WEEKDAY_ABBREVIATIONS[run[-1]]}"
        for run in runs
    )


def _ranges_in_words(ranges):
    return str(_(" and ")).join(
        f"{_clock_in_words(opens)}–{_clock_in_words(closes, closing=True)}"
        for opens, closes in ranges
    )


def _clock_in_words(moment, closing=False):
    """9, 9.30 (9:30 in English), and 24 for a closing midnight."""
    if closing and moment == MIDNIGHT:
        return "24"
    if not moment.minute:
        return str(moment.hour)
    return f"{moment.hour}{pgettext_lazy('hours and minutes separator', ':')}{moment:%M}"


def _day_and_month(day):
    return formats.date_format(day, str(DAY_AND_MONTH_FORMAT))


def _date(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _exception_in_words(exception, yearly=False):
    """ "suljettu 24.12.–6.1." for a yearly closure, "1.5.2027 10–12 (Vappu)" for a date."""
    show = _day_and_month if yearly else _date
    last = exception.end_date or exception.start_date
    days = show(exception.start_date)
    if last != exception.start_date:
        days = f"{days}–{show(last)}"
    if exception.closed or exception.opens is None or exception.closes is None:
        text = str(_("closed %(days)s") % {"days": days})
    else:
        text = f"{days} {_ranges_in_words([(exception.opens, exception.closes)])}"
    reason = getattr(exception, "reason", "")
    return f"{text} ({reason})" if reason else text
