"""The opening-hours engine: which hours apply on a date, and whether a place is open.

All rules are Europe/Helsinki wall-clock times. The same definitions drive the display face
here (``OpeningHoursMixin``) and the database face (``places.querysets.PlaceQuerySet.open_at``);
tests/places/test_hours_agreement.py proves with hypothesis that the two agree.

For one date the applicable ranges are, in order of precedence:

1. exceptions covering the date: none if any of them is "closed", otherwise their special hours;
2. nothing, when the place closes on public holidays and the date is a Finnish public holiday;
3. the weekly ranges for that weekday: seasonal ranges when a season of the place covers the
   date (summer hours replace the regular ones for the whole season), regular ranges otherwise.

A range whose closing time is before its opening time passes midnight: it covers the rest of
its own date and the next date until the closing time.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone
from django.utils.translation import get_language

HELSINKI = ZoneInfo("Europe/Helsinki")
NEXT_OPENING_HORIZON_DAYS = 120
HOLIDAY_LANGUAGES = {"fi": "fi", "sv": "sv_FI", "en": "en_US"}


def local_date_and_time(when):
    """Split an instant into the Helsinki date and wall-clock time (to the second)."""
    if timezone.is_naive(when):
        when = when.replace(tzinfo=HELSINKI)
    local = when.astimezone(HELSINKI)
    return local.date(), local.time().replace(microsecond=0, tzinfo=None)


@lru_cache(maxsize=64)
def _finnish_holidays(year, language):
    return holidays.Finland(years=year, language=language)


def public_holiday_name(day):
    """The name of the Finnish public holiday on ``day`` in the active language, or None."""
    language = HOLIDAY_LANGUAGES.get((get_language() or "fi")[:2], "fi")
    return _finnish_holidays(day.year, language).get(day)


def is_public_holiday(day):
    return day in _finnish_holidays(day.year, "fi")


def season_covers(rule, day):
    return (rule.valid_from is None or rule.valid_from <= day) and (
        rule.valid_until is None or rule.valid_until >= day
    )


def range_contains(opens, closes, moment):
    """Whether the part of a range on its own date contains ``moment``."""
    return opens <= moment and (moment < closes or closes < opens)


def range_spills_into(opens, closes, moment):
    """Whether a range that passes midnight still runs at ``moment`` on the next date."""
    return closes < opens and moment < closes


@dataclass
class DaySchedule:
    """The hours that apply on one date, and why."""

    date: date
    ranges: list = field(default_factory=list)
    reason: str = ""
    is_exception: bool = False
    is_holiday: bool = False

    @property
    def is_closed(self):
        return not self.ranges

    @property
    def weekday(self):
        return self.date.isoweekday()


@dataclass
class OpenStatus:
    """Whether a place is open at an instant, and when that changes."""

    is_open: bool
    closes_at: datetime | None = None
    opens_at: datetime | None = None


def day_schedule(day, weekly_rules, exceptions, closed_on_public_holidays):
    covering = [e for e in exceptions if e.start_date <= day <= (e.end_date or e.start_date)]
    if covering:
        reason = next((e.reason for e in covering if e.reason), "")
        if any(e.closed for e in covering):
            return DaySchedule(day, [], reason, is_exception=True)
        ranges = sorted((e.opens, e.closes) for e in covering)
        return DaySchedule(day, ranges, reason, is_exception=True)
    if closed_on_public_holidays and is_public_holiday(day):
        return DaySchedule(day, [], public_holiday_name(day) or "", is_holiday=True)
    season_active = any(rule.is_seasonal and season_covers(rule, day) for rule in weekly_rules)
    ranges = sorted(
        (rule.opens, rule.closes)
        for rule in weekly_rules
        if rule.weekday == day.isoweekday()
        and (season_covers(rule, day) if season_active else not rule.is_seasonal)
    )
    return DaySchedule(day, ranges)


class OpeningHoursMixin:
    """Display face of the engine for ``Place``.

    Reads ``weekly_hours`` and ``exceptions`` through ``.all()``, so list views that prefetch
    them run no query per place.
    """

    def _hours_inputs(self):
        return list(self.weekly_hours.all()), list(self.exceptions.all())

    def schedule_for(self, day):
        weekly_rules, exceptions = self._hours_inputs()
        return day_schedule(day, weekly_rules, exceptions, self.closed_on_public_holidays)

    def is_open_at(self, when):
        return self.status_at(when).is_open

    def status_at(self, when):
        """Open or closed at ``when``; when open, the closing time; when closed, the next opening
        within NEXT_OPENING_HORIZON_DAYS (None if none)."""
        weekly_rules, exceptions = self._hours_inputs()
        today, moment = local_date_and_time(when)

        def schedule(day):
            return day_schedule(day, weekly_rules, exceptions, self.closed_on_public_holidays)

        yesterday = today - timedelta(days=1)
        for opens, closes in schedule(yesterday).ranges:
            if range_spills_into(opens, closes, moment):
                return OpenStatus(True, closes_at=_local(today, closes))
        for opens, closes in schedule(today).ranges:
            if range_contains(opens, closes, moment):
                closing_day = today + timedelta(days=1) if closes < opens else today
                return OpenStatus(True, closes_at=_local(closing_day, closes))
        for offset in range(NEXT_OPENING_HORIZON_DAYS + 1):
            day = today + timedelta(days=offset)
            for opens, _closes in schedule(day).ranges:
                if offset or opens > moment:
                    return OpenStatus(False, opens_at=_local(day, opens))
        return OpenStatus(False)

    def week_schedule(self, day=None):
        """Monday to Sunday of the week containing ``day`` (today by default)."""
        day = day or timezone.localdate()
        monday = day - timedelta(days=day.isoweekday() - 1)
        return [self.schedule_for(monday + timedelta(days=offset)) for offset in range(7)]

    def upcoming_exceptions(self, day=None, limit=10):
        day = day or timezone.localdate()
        upcoming = [e for e in self.exceptions.all() if (e.end_date or e.start_date) >= day]
        return sorted(upcoming, key=lambda e: (e.start_date, e.opens or time.min))[:limit]


def _local(day, moment):
    return datetime.combine(day, moment, tzinfo=HELSINKI)
