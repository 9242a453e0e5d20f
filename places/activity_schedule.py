"""An activity's schedule: OpenStreetMap ``opening_hours`` text read by the project's parser
(places.osm_hours), its rules written as RFC 5545 recurrence rules (python-dateutil's rrule),
and the hours engine (places.hours.day_schedule) deciding which dates they hold on.

Every kind of schedule the parser reads works for an activity:

- weekly ranges ("Tu 10:00-12:00", "Mo,We 09:00-11:00,13:00-15:00") ``FREQ=WEEKLY``;
- odd or even ISO weeks ("week 01-53/2 We 17:00-19:00") ``FREQ=YEARLY;BYWEEKNO=1,3,…,53``,
  which is exactly the engine's reading (ISO week 53 and the next week 1 are both odd);
- the nth or last weekday of a month ("Th[1]", "Fr[-1]") ``FREQ=MONTHLY;BYDAY=1TH``/``-1FR``;
- seasons: dated ("2026 Sep 01-2027 May 31 Tu 10:00-12:00") bound the rule with its first
  date and ``UNTIL``; yearly ones ("Sep 01-May 31 Tu 10:00-12:00") are one rule per year's season;
- one-off dated events ("2027 Jan 15 18:00-20:00"), a season of one day;
- ranges past midnight ("Fr 22:00-02:00") end on the next date;
- the activity's own closures: "PH off", the three eves, yearly closures ("Dec 24-Jan 06 off").

The rrule gives the candidate dates of a rule; the engine keeps a candidate only when the
rule's range is among the date's ranges (a season replaces the regular rules on its dates, as
for opening hours, and closures remove dates). The candidates dropped become EXDATEs in
iCalendar, so a calendar expands exactly the dates the site shows. Holiday hours ("PH
12:00-14:00") are not a recurrence rule and are refused.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from hashlib import sha1

from dateutil import rrule as rr
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from places.hours import HELSINKI, MonthWeek, WeekParity, day_schedule, rules_in_force
from places.osm_hours import parse_opening_hours

DATEUTIL_WEEKDAYS = (rr.MO, rr.TU, rr.WE, rr.TH, rr.FR, rr.SA, rr.SU)
ODD_WEEKS = tuple(range(1, 54, 2))
EVEN_WEEKS = tuple(range(2, 54, 2))

EMPTY_SCHEDULE = _("Give the activity's times, for example “Tu 10:00-12:00”.")
HOLIDAY_HOURS = _(
    "An activity cannot have hours of its own on public holidays (“%(schedule)s”): give its "
    "weekdays, and “PH off” if it is not held on public holidays."
)
WEEKS_AND_MONTH_WEEKS = _(
    "An activity cannot be both every other week and on the nth weekday of the month: "
    "choose one of them."
)


def parse_activity_schedule(text):
    """The ParsedHours of an activity's schedule, or a ValidationError saying what is wrong."""
    if not (text or "").strip():
        raise ValidationError(EMPTY_SCHEDULE, code="empty_schedule")
    parsed = parse_opening_hours(text)
    if any(rule.on_public_holidays for rule in parsed.rules):
        raise ValidationError(HOLIDAY_HOURS, code="holiday_hours", params={"schedule": text})
    if any(rule.weeks and rule.nth for rule in parsed.rules):
        raise ValidationError(WEEKS_AND_MONTH_WEEKS, code="weeks_and_month_weeks")
    if not parsed.rules:
        raise ValidationError(EMPTY_SCHEDULE, code="empty_schedule")
    return parsed


@dataclass(frozen=True)
class Recurrence:
    """One rule of a schedule over one stretch of dates (``first`` to ``last``, inclusive)."""

    rule: object  # a WeeklyRuleSpec
    first: date
    last: date

    @property
    def passes_midnight(self):
        return self.rule.closes <= self.rule.opens

    @property
    def parts(self):
        """The RRULE as (name, value) pairs, without its DTSTART and UNTIL."""
        weekday = DATEUTIL_WEEKDAYS[self.rule.weekday - 1]
        if self.rule.weeks:
            weeks = ODD_WEEKS if self.rule.weeks == WeekParity.ODD else EVEN_WEEKS
            return {"FREQ": "YEARLY", "BYWEEKNO": list(weeks), "BYDAY": [str(weekday)]}
        if self.rule.nth != MonthWeek.EVERY:
            return {"FREQ": "MONTHLY", "BYDAY": [f"{self.rule.nth:+d}{weekday}"]}
        return {"FREQ": "WEEKLY", "BYDAY": [str(weekday)]}

    @property
    def rrule_text(self):
        """The RFC 5545 RRULE value, for example "FREQ=MONTHLY;BYDAY=1TH"."""
        return ";".join(
            f"{name}={value if isinstance(value, str) else ','.join(map(str, value))}"
            for name, value in self.parts.items()
        )

    def candidates(self):
        """The dates the rrule gives from ``first`` to ``last``."""
        weekday = DATEUTIL_WEEKDAYS[self.rule.weekday - 1]
        start = datetime.combine(self.first, self.rule.opens)
        until = datetime.combine(self.last, self.rule.opens)
        if self.rule.weeks:
            weeks = ODD_WEEKS if self.rule.weeks == WeekParity.ODD else EVEN_WEEKS
            rule = rr.rrule(
                rr.YEARLY, dtstart=start, until=until, byweekno=weeks, byweekday=weekday
            )
        elif self.rule.nth != MonthWeek.EVERY:
            rule = rr.rrule(
                rr.MONTHLY, dtstart=start, until=until, byweekday=weekday(self.rule.nth)
            )
        else:
            rule = rr.rrule(rr.WEEKLY, dtstart=start, until=until, byweekday=weekday)
        return [moment.date() for moment in rule]

    def times_on(self, day):
        """The occurrence on ``day`` as aware Helsinki datetimes (start, end): wall-clock times,
        whatever the daylight saving time; a range past midnight ends on the next date."""
        end_day = day + timedelta(days=1) if self.passes_midnight else day
        return (
            datetime.combine(day, self.rule.opens, tzinfo=HELSINKI),
            datetime.combine(end_day, self.rule.closes, tzinfo=HELSINKI),
        )

    def uid_key(self, activity_uuid):
        """A key that stays the same while the rule and its season do: iCalendar UIDs."""
        rule = self.rule
        season = (rule.valid_from, rule.valid_until, self.first.year if rule.recurs_yearly else "")
        text = f"{rule.weekday}|{rule.opens}|{rule.closes}|{rule.weeks}|{rule.nth}|{season}"
        return f"{activity_uuid}-{sha1(text.encode()).hexdigest()[:12]}"


class ActivitySchedule:
    """An activity's parsed schedule, between its first and last dates (None: open)."""

    def __init__(self, text, first_date=None, last_date=None):
        self.text = text
        self.parsed = parse_activity_schedule(text)
        self.first_date, self.last_date = first_date, last_date

    def recurrences(self, start, end):
        """The Recurrences of the rules that have dates from ``start`` to ``end``."""
        start = max(start, self.first_date or start)
        end = min(end, self.last_date or end)
        found = []
        for rule in self.parsed.rules:
            for first, last in _stretches(rule, start, end):
                if first <= last:
                    found.append(Recurrence(rule, first, last))
        return found

    def ranges_on(self, day):
        """The (opens, closes) the schedule holds on ``day``, as the hours engine reads it."""
        return day_schedule(
            day,
            self.parsed.rules,
            self.parsed.closures,
            self.parsed.closed_on_public_holidays,
            self.parsed.closed_on_eves,
        ).ranges

    def held(self, start, end):
        """(recurrence, date) of every date from ``start`` to ``end`` the schedule holds on,
        and (recurrence, date) of the rrule's candidates it does not (EXDATE), by date."""
        held, dropped = [], []
        ranges = {}
        for recurrence in self.recurrences(start, end):
            for day in recurrence.candidates():
                if day not in ranges:
                    ranges[day] = self.ranges_on(day)
                rule = recurrence.rule
                # A rule not in force on its date (a season's copy of it is) gives way.
                kept = (rule.opens, rule.closes) in ranges[day] and rule in rules_in_force(
                    self.parsed.rules, day
                )
                (held if kept else dropped).append((recurrence, day))
        held.sort(key=lambda pair: (pair[1], pair[0].rule.opens))
        return held, dropped


def _stretches(rule, start, end):
    """The (first, last) dates ``rule`` may hold on from ``start`` to ``end``: all of them for
    a regular rule, its season's for a dated one, each year's season for a yearly one."""
    if not rule.is_seasonal:
        return [(start, end)]
    if not rule.recurs_yearly:
        return [(max(start, rule.valid_from or start), min(end, rule.valid_until or end))]
    wraps = (rule.valid_until.month, rule.valid_until.day) < (
        rule.valid_from.month,
        rule.valid_from.day,
    )
    stretches = []
    for year in range(start.year - 1, end.year + 1):
        first = _in_year(rule.valid_from, year)
        last = _in_year(rule.valid_until, year + 1 if wraps else year)
        if last >= start and first <= end:
            stretches.append((max(first, start), min(last, end)))
    return stretches


def _in_year(day, year):
    """A yearly season's date moved to ``year``; 29 February is the 28th in a common year."""
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)
