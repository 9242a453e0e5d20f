"""Read and write weekly hours in the common subset of OpenStreetMap's ``opening_hours`` syntax
(https://wiki.openstreetmap.org/wiki/Key:opening_hours/specification).

Supported:

- rules separated by ";", a later rule replacing earlier ones on the days it names
  ("Mo-Fr 09:00-17:00; We 09:00-12:00" closes Wednesdays at noon), as OSM says also the early
  hours that an earlier rule's range of the previous evening reaches ("Fr 20:00-02:00; Sa
  10:00-12:00" is closed on Saturday at 01:00), while the replaced day's own range still reaches
  into the next day; rules joined with "," add to the days they name ("Mo-Fr 10:00-16:00, We
  18:00-20:00"), and the writer joins with "," a rule for a day that the previous evening's
  range reaches ("Fr 20:00-02:00, Sa 20:00-04:00");
- the forms people type: en and em dashes, Finnish weekday abbreviations ("ma-pe"),
  "suljettu", hours without minutes or with a dot ("9-16", "10.00-12.00");
- weekdays Mo Tu We Th Fr Sa Su in lists and ranges ("Mo,We,Fr", "Mo-We,Fr", "Sa-Mo");
  a rule without weekdays applies to every day;
- one or more time ranges ("Mo 09:00-12:00,13:00-16:00"); a range closing before it opens
  passes midnight ("Fr 20:00-02:00"), and "24:00" closes at midnight;
- "off" or "closed" for closed days; "open", "24/7", "00:00-24:00" and a rule without times
  ("Mo,We", as OSM reads it) for the whole day, stored as 00:00-00:00;
- "PH" in any rule and in any order, as a day of its own or with weekdays: "PH off", "Su,PH
  off", "PH 12:00-16:00", "Sa,PH 10:00-14:00", "PH We,Fr" (holidays that fall on those days).
  A rule naming weekdays applies also on the public holidays that fall on them, a later rule
  replacing an earlier one as for any day. The result is either the weekdays' own hours
  (closed_on_public_holidays False), closed (True), or holiday hours by weekday (WeeklyHours
  ``on_public_holidays``); the writer puts holiday hours after the rules they override;
- the three eves closed, written after the other rules as "Jun 19-25 Fr off; Dec 24 off;
  Dec 31 off" (Midsummer Eve is the Friday from 19 to 25 June): the place's ``closed_on_eves``.
  Anything else ("Dec 24 off" alone) is an ordinary rule;
- yearly closures: dates without a year all closed ("Dec 24 off", "Dec 24-Jan 06 off", "Jul
  off", lists "Dec 25,Dec 26 off") are HoursException rows ``recurs_yearly``, which the
  opening_hours text holds and the writer puts last (dated exceptions are not in the text);
- seasons with full dates before the weekdays: "2026 Jun 01-2026 Aug 31 Mo-Fr 10:00-14:00",
  also "2026 Jun 01-Aug 31", "2026 Jun 01-15", one day "2026 Jun 01" and open-ended
  "2026 Jun 01+". Open ends are written as "1970 Jan 01" and "9999 Dec 31", which OSM tools
  read (opening_hours.js refuses "+" and years before 1970), and read back as open ends, as
  is the "1900 Jan 01" of earlier versions. Yearly seasons ("Jun-Aug", "Jun 01-Aug 15",
  "Dec 24,Jan 02") of whole months are written by name ("Nov-Feb"): opening_hours.js reads
  "Feb 29" as 1 March in common years;
- overlapping ranges of a day are joined ("10:00-12:00,10:30-11:30"), as OSM reads them.

In OSM a season's rules change only the weekdays they name; in WeeklyHours a season replaces
all the regular hours. So parsing copies into a season the regular hours of the weekdays it does
not mention, and formatting writes "<season> <weekdays> off" for the weekdays that are closed in
the season but open regularly. The text means the same to OSM tools and to our engine.

Anything else is rejected with OpeningHoursSyntaxError, never ignored: sunrise and other
events, Easter, week numbers, nth weekdays, open ends ("10:00+"), comments, "||" fallbacks,
"unknown", SH, times with "off". So are different seasons sharing dates (OSM would let the
later one win where our engine adds them up), a yearly closure before a season sharing its
dates, and dated seasons without any hours (a closure of given dates is an exception to
opening hours).
"""

import re
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from itertools import combinations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from places.hours import (
    MonthWeek,
    Weekday,
    WeekParity,
    month_day,
    overlap_errors,
    seasons_share_dates,
)

WEEKDAY_CODES = tuple(day.osm_code for day in Weekday)
MONTH_CODES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
OPEN_SEASON_START = date(1970, 1, 1)
OPEN_SEASON_END = date(9999, 12, 31)
# Read as open ends too: what earlier versions wrote.
OLD_OPEN_SEASON_START = date(1900, 1, 1)
# Yearly seasons are read into this leap year, so that 29 February is a date.
YEARLY_SEASON_YEAR = 2000
MIDNIGHT = time(0, 0)
# Week keys: 1-7 the ISO weekdays, 8-14 a public holiday falling on weekday 1-7 (a rule naming
# "Mo" applies to a Monday that is a public holiday too, one naming "PH" only to holidays).
HOLIDAY_KEYS = 7
WEEKDAY_KEYS = tuple(range(1, 8))
ALL_KEYS = tuple(range(1, 15))
MINUTES_PER_DAY = 24 * 60

UNSUPPORTED = _("Unsupported opening_hours syntax near “%(fragment)s”.")
SUN_EVENTS = ("sunrise", "sunset", "dawn", "dusk")
SUN_TIMES = _(
    "“%(fragment)s” follows the sun, which opening hours here cannot: write clock times "
    "instead, such as “08:00-20:00”."
)
EASTER = _(
    "“%(fragment)s” follows the date of Easter, which opening hours here cannot: leave Easter "
    "to “PH” (Good Friday to Easter Monday are public holidays) or enter the days as exceptions "
    "to opening hours."
)
NO_CLOSING_TIME = _("“%(fragment)s” has no closing time: write one, such as “10:00-16:00”.")
EQUAL_TIMES = _("Closing time equals opening time in “%(rule)s”.")
TIME_OUT_OF_RANGE = _("“%(time)s” is not a time between 00:00 and 24:00.")
NO_SUCH_DATE = _("There is no date “%(date)s”.")
SEASON_BACKWARDS = _("The season “%(season)s” ends before it starts.")
SEASONS_SHARE_DATES = _("The seasons “%(first)s” and “%(second)s” share dates.")
SEASON_WITHOUT_HOURS = _(
    "The season “%(season)s” has no opening hours: record a closure as an exception "
    "to opening hours instead."
)
WEEKS_DIFFER = _(
    "“%(fragment)s”: odd and even weeks can differ only in their weekly hours, not in their "
    "closures or public holidays."
)
WEEKS_PAST_MIDNIGHT = _(
    "“%(fragment)s”: hours past midnight cannot differ between odd and even weeks."
)
CLOSURE_BEFORE_SEASON = _(
    "The closure “%(closure)s” comes before the season “%(season)s” that shares its dates: "
    "write the closure after it."
)
HOLIDAYS_CLOSED_IN_SEASON_ONLY = _(
    "Public holidays are closed in the season “%(season)s” only: write “PH off” for the whole "
    "year, or give the season's holiday hours."
)

YEAR_AHEAD = re.compile(r"\d{4}(?![\d:])")
SEASON_PATTERN = re.compile(
    r"""
    (?P<start> (?P<year>\d{4}) \ * (?P<month>[A-Za-z]{3}) \ * (?P<day>\d{1,2}) )
    (?:
        (?P<open_end>\+)
      | \ * - \ *
        (?P<end>
            (?: (?P<end_year>\d{4}) \ * )?
            (?: (?P<end_month>[A-Za-z]{3}) \ * )?
            (?P<end_day>\d{1,2})
        )
    )?
    (?=[\s:]|$) :? \s*
    """,
    re.VERBOSE,
)
MONTH_NAMES = "|".join(MONTH_CODES)
MONTH_AHEAD = re.compile(rf"(?:{MONTH_NAMES})(?![a-z])", re.IGNORECASE)
YEARLY_SEASON_PATTERN = re.compile(
    rf"""
    (?P<month>{MONTH_NAMES}) (?: \ * (?P<day>\d{{1,2}}) (?!\d|:\d) )?
    (?:
        \ * - \ *
        (?: (?P<end_month>{MONTH_NAMES}) (?: \ * (?P<end_day>\d{{1,2}}) (?!\d|:\d) )?
          | (?P<end_day_only>\d{{1,2}}) (?!\d|:\d) )
    )?
    (?=[\s:,]|$) :? \s*
    """,
    re.VERBOSE | re.IGNORECASE,
)
NEXT_SPAN = re.compile(rf",\s*(?=(?:{MONTH_NAMES})(?![a-z]))", re.IGNORECASE)
WEEKDAYS_PATTERN = re.compile(
    r"(?P<days> [A-Za-z]{2} (?:-[A-Za-z]{2})? (?: , [A-Za-z]{2} (?:-[A-Za-z]{2})? )* ) (?:\s+|$)",
    re.VERBOSE,
)
TIME_RANGE_PATTERN = re.compile(r"(?P<opens>\d{1,2}:\d{2})\s*-\s*(?P<closes>\d{1,2}:\d{2})")
RANGE_SEPARATOR = re.compile(r"\s*,\s*")
# Letters up to a dash or space ("sunrise" in "sunrise-sunset"), else the whole word ("Mo[1]").
FRAGMENT_PATTERN = re.compile(r"[A-Za-z]++(?![\[\d])|[^\s,]+|,")
DASHES = re.compile(r"\s*[\u2010-\u2015\u2212]\s*")
FINNISH_WEEKDAYS = {
    "ma": "Mo",
    "ti": "Tu",
    "ke": "We",
    "to": "Th",
    "pe": "Fr",
    "la": "Sa",
    "su": "Su",
}
FINNISH_WEEKDAY = re.compile(r"(?<![A-Za-z])(?:ma|ti|ke|to|pe|la|su)(?![A-Za-z])", re.IGNORECASE)
FINNISH_CLOSED = re.compile(r"(?<![A-Za-z])suljettu(?![A-Za-z])", re.IGNORECASE)
# A time range after the start, a space or a comma (never after a month: "Apr 10-15" are dates).
SHORT_TIME_RANGE = re.compile(
    r"""(?P<lead>(?:^|(?<=,)|(?<=[A-Za-z]{2}\ )|(?<=\]\ )|(?<=\d\ )|(?<=:\ ))(?<![A-Za-z]{3}\ ))
    (?P<oh>\d{1,2})(?:[:.](?P<om>\d{2}))?-(?P<ch>\d{1,2})(?:[:.](?P<cm>\d{2}))?(?![\d:.])""",
    re.VERBOSE,
)
# A "," after a time or a state that a new selector follows: "Mo-Fr 10:00-16:00, Sa 10:00-13:00"
# (not the "," of a list of dates: "Dec 25,Dec 26 off").
ADDITIONAL_RULE = re.compile(
    r"(?:(?<=\d:\d\d)|(?<=off)|(?<=closed)|(?<=open))\s*,\s*(?=[A-Za-z]|\d{4} )"
)
WEEK_PARITIES = {
    "week 01-53/2": WeekParity.ODD,
    "week 02-53/2": WeekParity.EVEN,
    "week 02-52/2": WeekParity.EVEN,
}
NTH_WEEKDAY = re.compile(r"([A-Za-z]{2})\[([-\d, ]+)\]")
NTH_WEEKDAYS_PATTERN = re.compile(
    r"(?P<days>[A-Za-z]{2}\[[-\d, ]+\](?:,[A-Za-z]{2}\[[-\d, ]+\])*)(?:\s+|$)"
)
WEEK_SELECTOR = re.compile(r"week\s*(?P<first>\d{1,2})-(?P<last>\d{1,2})/2(?:\s+|$)", re.I)
COMMENT_OR_FALLBACK = re.compile(r'"[^"]*"?|\|\|')
WHOLE_DAY_TEXT = re.compile(r"24/7")
OPEN_STATE = re.compile(r"(?:^|\s+)open$", re.IGNORECASE)
EVES_CLOSED = {
    "Jun 19-25 Fr off": re.compile(r"Jun\s*19\s*-\s*(?:Jun\s*)?25\s+Fr\s+(?:off|closed)", re.I),
    "Dec 24 off": re.compile(r"Dec\s*24\s+(?:off|closed)", re.I),
    "Dec 31 off": re.compile(r"Dec\s*31\s+(?:off|closed)", re.I),
}


class OpeningHoursSyntaxError(ValidationError):
    """An opening_hours text that cannot be read; the message names the part at fault."""

    def __init__(self, message, **params):
        super().__init__(message, code="invalid_opening_hours", params=params)


@dataclass(frozen=True)
class WeeklyRuleSpec:
    """One weekly range, as WeeklyHours stores it, before it is saved."""

    weekday: int
    opens: time
    closes: time
    valid_from: date | None = None
    valid_until: date | None = None
    recurs_yearly: bool = False
    on_public_holidays: bool = False
    weeks: int = WeekParity.EVERY
    nth: int = MonthWeek.EVERY

    @property
    def is_seasonal(self):
        return self.valid_from is not None or self.valid_until is not None


@dataclass(frozen=True)
class YearlyClosureSpec:
    """A closure on the same days every year, as HoursException stores it (in
    YEARLY_SEASON_YEAR; ending before it starts when it runs over the year end)."""

    start_date: date
    end_date: date
    recurs_yearly: bool = True
    closed: bool = True
    opens: time | None = None
    closes: time | None = None
    reason: str = ""


@dataclass
class ParsedHours:
    rules: list[WeeklyRuleSpec] = field(default_factory=list)
    closed_on_public_holidays: bool = False
    closed_on_eves: bool = False
    closures: list[YearlyClosureSpec] = field(default_factory=list)


def parse_opening_hours(text):
    """Read an opening_hours text into weekly rules (regular first, then seasons in date order),
    the public holiday and eve closures and the yearly closures. An empty text has no rules."""
    text = _normalised((text or "").strip())
    comment = COMMENT_OR_FALLBACK.search(text)
    if comment:
        raise OpeningHoursSyntaxError(UNSUPPORTED, fragment=comment.group())
    statements = list(_statements(text))
    eves = [
        next((eve for eve, rule in EVES_CLOSED.items() if rule.fullmatch(source)), None)
        for _additional, source in statements
    ]
    closed_on_eves = False
    if set(EVES_CLOSED) <= set(eves):
        # The three eves after every other rule: the place's closed_on_eves. Otherwise they are
        # rules like any other ("Dec 24 off" alone is a yearly closure).
        first_eve = min(position for position, eve in enumerate(eves) if eve)
        if all(eves[first_eve:]):
            statements, closed_on_eves = statements[:first_eve], True
    rules, closed_on_public_holidays, closures = _resolve_weeks(
        [(additional, _parse_rule(source), source) for additional, source in statements]
    )
    overlaps = overlap_errors(rules)
    if overlaps:
        raise OpeningHoursSyntaxError(overlaps[0].message, **overlaps[0].params)
    return ParsedHours(
        sorted(rules, key=_rule_order), closed_on_public_holidays, closed_on_eves, closures
    )


def _resolve_weeks(statements):
    """_resolve for each kind of date that a rule names apart: odd and even ISO weeks ("week
    01-53/2"), and a weekday's place in its month ("Th[1]", "Fr[-1]"). The rules the same for
    every kind are for every date, the others for their kinds only."""
    parities = {parity for _add, (parity, _nth, _rule), _source in statements if parity}
    if not parities:
        return _resolve_month_weeks(statements)
    fragment = next(source for _add, (parity, _nth, _rule), source in statements if parity)
    return _merged_kinds(
        {
            weeks: _resolve_month_weeks(
                [statement for statement in statements if statement[1][0] in (None, weeks)]
            )
            for weeks in (WeekParity.ODD, WeekParity.EVEN)
        },
        "weeks",
        lambda kinds: [WeekParity.EVERY] if len(kinds) == 2 else list(kinds),
        fragment,
    )


def _resolve_month_weeks(statements):
    if not any(nth for _add, (_parity, nth, _rule), _source in statements):
        return _resolve([(additional, rule) for additional, (_p, _n, rule), _s in statements])
    fragment = next(source for _add, (_parity, nth, _rule), source in statements if nth)
    results = {}
    for kind in MONTH_WEEK_KINDS:
        chosen = []
        for additional, (_parity, nth, (seasons, keys, ranges)), _source in statements:
            if nth:
                keys = frozenset(
                    key
                    for key in keys
                    if _month_week_matches(nth.get((key - 1) % HOLIDAY_KEYS + 1, ()), kind)
                )
                if not keys:
                    continue
            chosen.append((additional, (seasons, keys, ranges)))
        results[kind] = _resolve(chosen)
    return _merged_kinds(results, "nth", _month_week_cover, fragment)


# A date's place among its month's same weekdays: (occurrence, whether it is the last one).
MONTH_WEEK_KINDS = ((1, False), (2, False), (3, False), (4, False), (4, True), (5, True))


def _month_week_matches(values, kind):
    occurrence, last = kind
    return occurrence in values or (last and MonthWeek.LAST in values)


def _month_week_cover(kinds):
    """The MonthWeek values whose dates are exactly ``kinds``, or None if there are none."""
    kinds = set(kinds)
    if kinds == set(MONTH_WEEK_KINDS):
        return [MonthWeek.EVERY]
    values = [occurrence for occurrence, last in kinds if occurrence <= 3]
    fourth, fourth_last, fifth = (4, False) in kinds, (4, True) in kinds, (5, True) in kinds
    if fourth:
        if not fourth_last:
            return None
        values.append(MonthWeek.FOURTH)
        if fifth:
            values.append(MonthWeek.FIFTH)
    elif fourth_last and fifth:
        values.append(MonthWeek.LAST)
    elif fourth_last:
        return None
    elif fifth:
        values.append(MonthWeek.FIFTH)
    return sorted(values)


def _merged_kinds(results, field_name, cover, fragment):
    """One (rules, closed_on_public_holidays, closures) of the ``results`` of _resolve for each
    kind of date: each rule with ``field_name`` set to the values that cover the kinds it is
    found in (``cover``)."""
    answers = list(results.values())
    if any(answer[1:] != answers[0][1:] for answer in answers):
        raise OpeningHoursSyntaxError(WEEKS_DIFFER, fragment=fragment)
    kinds_of = {}
    for kind, (rules, _closed, _closures) in results.items():
        for rule in rules:
            kinds_of.setdefault(rule, []).append(kind)
    rules = []
    for rule, kinds in kinds_of.items():
        values = cover(kinds)
        if values is None:
            raise OpeningHoursSyntaxError(UNSUPPORTED, fragment=fragment)
        if values != [0] and MIDNIGHT < rule.closes < rule.opens:
            raise OpeningHoursSyntaxError(WEEKS_PAST_MIDNIGHT, fragment=fragment)
        rules += [replace(rule, **{field_name: value}) for value in values]
    return rules, answers[0][1], answers[0][2]


def _normalised(text):
    """The forms people type, in OSM's own: en and em dashes as "-", Finnish weekday
    abbreviations ("ma-pe"), "suljettu" for "off", and times without minutes or with a dot
    ("9-16", "10.00-12.00") as "09:00-16:00"."""
    text = DASHES.sub("-", text)
    text = WHOLE_DAY_TEXT.sub("00:00-24:00", text)
    text = FINNISH_WEEKDAY.sub(lambda match: FINNISH_WEEKDAYS[match.group().lower()], text)
    text = FINNISH_CLOSED.sub("off", text)
    return SHORT_TIME_RANGE.sub(_full_time_range, text)


def _full_time_range(match):
    def full(hours, minutes):
        return f"{int(hours):02d}:{minutes or '00'}"

    opening, closing = full(match["oh"], match["om"]), full(match["ch"], match["cm"])
    return f"{match['lead']}{opening}-{closing}"


def _statements(text):
    """(additional, source) of each rule: rules are separated by ";", and a "," after a time
    range or "off" that a new selector follows joins an additional rule ("Mo-Fr 10:00-16:00,
    Sa 10:00-13:00"), which adds to the days it names instead of replacing them."""
    for source in text.split(";"):
        parts = ADDITIONAL_RULE.split(source)
        for position, part in enumerate(parts):
            if part.strip():
                yield position > 0, part.strip()


def format_opening_hours(rules, closed_on_public_holidays, closed_on_eves=False, closures=()):
    """Write weekly rules (WeeklyHours or WeeklyRuleSpec) and yearly closures (HoursException
    recurring yearly, or YearlyClosureSpec) as compact opening_hours text: regular hours first,
    then seasons in date order, weekdays with the same hours grouped ("Mo-Fr"), then the holiday
    and eve closures and the yearly closures, which override everything before them.

    Holiday hours (``on_public_holidays``) are written after the rules they override: "PH
    12:00-16:00", or by weekday ("PH Sa,Su 12:00-16:00"). A season's rules apply in OSM on the
    holidays of their weekdays too, so with holiday hours every season states its own."""
    rules = list(rules)
    holiday_rules = [rule for rule in rules if _on_holidays(rule)]
    rules = [rule for rule in rules if not _on_holidays(rule)]
    in_some_weeks = [
        rule
        for rule in rules
        if getattr(rule, "weeks", WeekParity.EVERY) or getattr(rule, "nth", MonthWeek.EVERY)
    ]
    rules = [rule for rule in rules if rule not in in_some_weeks]
    regular = _week_of(rule for rule in rules if not rule.is_seasonal)
    texts = _rule_texts("", {day: ranges for day, ranges in regular.items() if ranges})
    texts += _week_parity_texts("", regular, [r for r in in_some_weeks if not r.is_seasonal])
    if holiday_rules:
        texts += _holiday_texts(
            "",
            _holiday_week(
                [rule for rule in holiday_rules if not rule.is_seasonal],
                regular,
                closed_on_public_holidays,
            ),
        )
    # Seasons with holiday hours only are seasons too.
    seasonal = [*rules, *holiday_rules, *in_some_weeks]
    dated = [rule for rule in seasonal if rule.is_seasonal and not rule.recurs_yearly]
    for season, week in [*_season_weeks(dated), *_yearly_season_weeks(seasonal)]:
        changed = {day: ranges for day, ranges in week.items() if ranges != regular[day]}
        if not changed:
            changed = {day: ranges for day, ranges in week.items() if ranges}
        # A season rule replacing a day leaves in OSM the next day's early hours that the regular
        # range of that day reaches: the next day is written too, replacing them.
        reaching = [day for day in changed if any(MIDNIGHT < c < o for o, c in regular[day])]
        while reaching:
            following = reaching.pop() % 7 + 1
            if following not in changed:
                changed[following] = week[following]
                if any(MIDNIGHT < c < o for o, c in regular[following]):
                    reaching.append(following)
        # ... and cuts the early hours that the previous day's range reaches, unless that day is
        # written in the season too (before it, joined with ",").
        reached = [day for day in changed if (day - 2) % 7 + 1 not in changed]
        while reached:
            previous = (reached.pop() - 2) % 7 + 1
            if previous not in changed and any(MIDNIGHT < c < o for o, c in week[previous]):
                changed[previous] = week[previous]
                reached.append(previous)
        prefix = f"{_format_season(*season)} "
        season_texts = _rule_texts(prefix, changed)
        if any(separator == ", " for separator, _text in season_texts):
            # An additional rule would add to the regular hours the season inherits: clear the
            # season's days first and write all of them.
            opening = {day: ranges for day, ranges in week.items() if ranges}
            season_texts = [("; ", f"{prefix}off"), *_rule_texts(prefix, opening)]
        texts += season_texts
        texts += _week_parity_texts(
            prefix, week, [rule for rule in in_some_weeks if _same_season(rule, season)]
        )
        if holiday_rules:
            in_season = [rule for rule in holiday_rules if _same_season(rule, season)]
            texts += _holiday_texts(
                prefix, _holiday_week(in_season, week, closed_on_public_holidays)
            )
    if closed_on_public_holidays and not holiday_rules:
        texts.append(("; ", "PH off"))
    if closed_on_eves:
        texts += [("; ", eve) for eve in EVES_CLOSED]
    for closure in sorted(closures, key=lambda closure: month_day(closure.start_date)):
        last = closure.end_date or closure.start_date
        texts.append(("; ", f"{_format_season(closure.start_date, last, True)} off"))
    return "".join(
        f"{separator if position else ''}{text}" for position, (separator, text) in enumerate(texts)
    )


WEEK_PARITY_SELECTORS = {WeekParity.ODD: "week 01-53/2 ", WeekParity.EVEN: "week 02-53/2 "}


def _week_parity_texts(prefix, week, rules):
    """(separator, rule) for the hours of odd or even weeks only, or of some weekdays of the
    month ("Th[1]"): ``rules``, which add to the every-week hours ``week``. Each is written with
    all the hours of its dates, since in OSM it replaces the day: "week 01-53/2 Th
    10:00-12:00,17:00-19:00", "Th[1] 17:00-20:00", then both ("week 01-53/2 Th[1] ...")."""

    def ranges(day, weeks, nth):
        return tuple(
            sorted(
                {
                    *week[day],
                    *(
                        (rule.opens, rule.closes)
                        for rule in rules
                        if rule.weekday == day and rule.weeks in (0, weeks) and rule.nth in (0, nth)
                    ),
                }
            )
        )

    parities = {rule.weeks for rule in rules} - {WeekParity.EVERY}
    texts = []
    for weeks in sorted(parities):
        days = {rule.weekday for rule in rules if rule.weeks == weeks}
        selected = {day: ranges(day, weeks, MonthWeek.EVERY) for day in sorted(days)}
        texts += [
            ("; ", text)
            for _separator, text in _rule_texts(f"{prefix}{WEEK_PARITY_SELECTORS[weeks]}", selected)
        ]
    by_day = sorted({(rule.weekday, rule.nth) for rule in rules if rule.nth})
    for weeks in [WeekParity.EVERY, *sorted(parities)]:
        for day, nth in by_day:
            if weeks and not any(r.weekday == day and r.weeks == weeks for r in rules):
                continue
            selector = WEEK_PARITY_SELECTORS.get(weeks, "")
            code = f"{WEEKDAY_CODES[day - 1]}[{nth}]"
            texts.append(
                ("; ", f"{prefix}{selector}{code} {_format_ranges(ranges(day, weeks, nth))}")
            )
    return texts


def _every_week(rule):
    """A weekday's rule for every week and every such weekday of the month."""
    return not (
        _on_holidays(rule)
        or getattr(rule, "weeks", WeekParity.EVERY)
        or getattr(rule, "nth", MonthWeek.EVERY)
    )


def _on_holidays(rule):
    return getattr(rule, "on_public_holidays", False)


def _holiday_week(holiday_rules, week, closed_on_public_holidays):
    """The hours on a public holiday by its weekday, given the holiday rules and the weekly
    hours (``week``) of one season or of the regular weeks (see places.hours.day_schedule)."""
    if holiday_rules:
        return _week_of(holiday_rules)
    if closed_on_public_holidays:
        return dict.fromkeys(WEEKDAY_KEYS, ())
    return week


def _holiday_texts(prefix, holiday_week):
    """(separator, rule) for public holidays: "PH 12:00-16:00" when every weekday's holidays
    have the same hours, else one rule per set of hours ("PH Mo-Fr 09:00-15:00")."""
    days_by_ranges = {}
    for weekday in WEEKDAY_KEYS:
        days_by_ranges.setdefault(holiday_week[weekday], []).append(weekday)
    if len(days_by_ranges) == 1:
        return [("; ", f"{prefix}PH {_format_ranges(next(iter(days_by_ranges)))}")]
    return [
        ("; ", f"{prefix}PH {_format_weekdays(days)} {_format_ranges(ranges)}")
        for ranges, days in days_by_ranges.items()
    ]


def _same_season(rule, season):
    """Whether ``rule``'s season is ``season`` (valid_from, valid_until, recurs_yearly), or
    covers all of it (a piece of a dated season, see _season_weeks)."""
    # Pieces of dated seasons (_season_weeks) come as (valid_from, valid_until).
    valid_from, valid_until, recurs_yearly = season if len(season) == 3 else (*season, False)
    if not rule.is_seasonal or bool(rule.recurs_yearly) != recurs_yearly:
        return False
    if recurs_yearly:
        return (month_day(rule.valid_from), month_day(rule.valid_until)) == (
            month_day(valid_from),
            month_day(valid_until),
        )
    return (rule.valid_from is None or rule.valid_from <= (valid_from or date.min)) and (
        rule.valid_until is None or rule.valid_until >= (valid_until or date.max)
    )


def format_parsed_hours(parsed):
    """Write what parse_opening_hours read (ParsedHours) as opening_hours text."""
    return format_opening_hours(
        parsed.rules, parsed.closed_on_public_holidays, parsed.closed_on_eves, parsed.closures
    )


def place_opening_hours(place):
    """A place's weekly hours and yearly closures as opening_hours text (reads prefetched
    ``weekly_hours`` and ``exceptions``)."""
    return format_opening_hours(
        place.weekly_hours.all(),
        place.closed_on_public_holidays,
        place.closed_on_eves,
        [exception for exception in place.exceptions.all() if exception.recurs_yearly],
    )


@transaction.atomic
def replace_weekly_hours(place, parsed):
    """Replace all of a place's weekly hours, its holiday and eve closures and its yearly
    closures with ``parsed`` (the exceptions of given dates stay)."""
    weekly_model = place.weekly_hours.model
    place.weekly_hours.all().delete()
    created = weekly_model.objects.bulk_create(
        weekly_model(
            place=place,
            weekday=rule.weekday,
            opens=rule.opens,
            closes=rule.closes,
            valid_from=rule.valid_from,
            valid_until=rule.valid_until,
            recurs_yearly=rule.recurs_yearly,
            on_public_holidays=rule.on_public_holidays,
            weeks=rule.weeks,
            nth=rule.nth,
        )
        for rule in parsed.rules
    )
    exception_model = place.exceptions.model
    place.exceptions.filter(recurs_yearly=True).delete()
    exception_model.objects.bulk_create(
        exception_model(
            place=place,
            start_date=closure.start_date,
            end_date=closure.end_date,
            recurs_yearly=True,
        )
        for closure in parsed.closures
    )
    place.closed_on_public_holidays = parsed.closed_on_public_holidays
    place.closed_on_eves = parsed.closed_on_eves
    place.save(update_fields=["closed_on_public_holidays", "closed_on_eves", "updated_at"])
    place.refresh_from_db(
        fields=["closed_on_public_holidays", "closed_on_eves", "weekly_hours", "exceptions"]
    )
    return created


def _parse_rule(source):
    """One rule as (seasons or None, week keys, ranges); no ranges means "off". Week keys are
    the weekdays it names (1-7) and the public holidays on those weekdays (8-14): see
    HOLIDAY_KEYS."""
    rest = source
    seasons = None
    if YEAR_AHEAD.match(rest):
        match = SEASON_PATTERN.match(rest)
        if not match:
            _reject_near(rest)
        seasons = (_season_of(match),)
        rest = rest[match.end() :]
    elif MONTH_AHEAD.match(rest):
        seasons = []
        while True:
            match = YEARLY_SEASON_PATTERN.match(rest)
            if not match:
                _reject_near(rest)
            seasons.append(_yearly_season_of(match))
            rest = rest[match.end() :]
            following = NEXT_SPAN.match(rest)
            if not following:
                break
            rest = rest[following.end() :]
        seasons = tuple(dict.fromkeys(seasons))
    parity = None
    week = WEEK_SELECTOR.match(rest)
    if week:
        parity = WEEK_PARITIES.get(f"week {int(week['first']):02d}-{int(week['last']):02d}/2")
        if parity is None:
            _reject_near(rest)
        rest = rest[week.end() :]
    keys = set(ALL_KEYS)
    nth = None
    match = NTH_WEEKDAYS_PATTERN.match(rest)
    if match:
        nth = _nth_weekdays_of(match.group("days"))
        keys = {key for day in nth for key in (day, day + HOLIDAY_KEYS)}
        rest = rest[match.end() :]
    match = None if nth else WEEKDAYS_PATTERN.match(rest)
    if match:
        keys = _keys_of(match.group("days"))
        rest = rest[match.end() :]
        also = WEEKDAYS_PATTERN.match(rest)
        if also and match.group("days").upper() == "PH":
            # "PH We,Fr": the public holidays that fall on those weekdays.
            keys &= _keys_of(also.group("days"))
            rest = rest[also.end() :]
    return parity, nth, (seasons, frozenset(keys), _ranges_of(rest.strip(), source))


def _nth_weekdays_of(text):
    """{weekday: {MonthWeek values}} of "Th[1]", "We[2,4]", "Th[3],Th[-1]"."""
    nth = {}
    for code, numbers in NTH_WEEKDAY.findall(text):
        (weekday,) = _weekdays_of(code)
        for number in numbers.split(","):
            if number.strip() not in ("1", "2", "3", "4", "5", "-1"):
                _reject_near(f"{code}[{numbers}]")
            nth.setdefault(weekday, set()).add(int(number))
    return nth


def _keys_of(text):
    """The week keys of a weekday selector: "Mo-Fr" the weekdays and the holidays on them,
    "PH" every holiday, "Sa,PH" both."""
    keys = set()
    for part in text.split(","):
        if part.upper() == "PH":
            keys |= {weekday + HOLIDAY_KEYS for weekday in WEEKDAY_KEYS}
        else:
            weekdays = _weekdays_of(part)
            keys |= {*weekdays, *(weekday + HOLIDAY_KEYS for weekday in weekdays)}
    return keys


def _yearly_season_of(match):
    """(valid_from, valid_until, True) in YEARLY_SEASON_YEAR: "Jun 01-Aug 15", "Dec 24-Jan 06"
    (over the year end), "Jun-Aug" (whole months), "Jul", "Jun 01-15"."""
    text = match.group().strip(" :")
    month, end_month = match["month"], match["end_month"]
    start = _date_of(text, YEARLY_SEASON_YEAR, month, match["day"] or 1)
    if end_month or match["end_day_only"]:
        end_month = end_month or month
        end_day = match["end_day"] or match["end_day_only"]
        if end_day is None:
            end = _last_of_month(_date_of(text, YEARLY_SEASON_YEAR, end_month, 1))
        else:
            end = _date_of(text, YEARLY_SEASON_YEAR, end_month, end_day)
    elif match["day"]:
        end = start
    else:
        end = _last_of_month(start)
    return start, end, True


def _last_of_month(day):
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _season_of(match):
    start = _date_of(match.group("start"), match["year"], match["month"], match["day"])
    if match["open_end"]:
        return start, None, False
    if match["end"] is None:
        return start, start, False
    if match["end_year"] and not match["end_month"]:
        _reject_near(match["end"])
    end = _date_of(
        match["end"],
        match["end_year"] or match["year"],
        match["end_month"] or match["month"],
        match["end_day"],
    )
    if end < start:
        raise OpeningHoursSyntaxError(SEASON_BACKWARDS, season=match.group().strip(" :"))
    open_start = start in (OPEN_SEASON_START, OLD_OPEN_SEASON_START)
    return (None if open_start else start), (None if end == OPEN_SEASON_END else end), False


def _date_of(text, year, month, day):
    month_codes = [code.lower() for code in MONTH_CODES]
    if month.lower() not in month_codes:
        _reject_near(month)
    try:
        return date(int(year), month_codes.index(month.lower()) + 1, int(day))
    except ValueError:
        raise OpeningHoursSyntaxError(NO_SUCH_DATE, date=text) from None


def _weekdays_of(text):
    codes = [code.lower() for code in WEEKDAY_CODES]
    weekdays = []
    for part in text.split(","):
        first, _dash, last = part.partition("-")
        for code in (first, last or first):
            if code.lower() not in codes:
                _reject_near(code)
        start, stop = codes.index(first.lower()), codes.index((last or first).lower())
        weekdays += [(start + offset) % 7 + 1 for offset in range((stop - start) % 7 + 1)]
    return sorted(set(weekdays))


def _ranges_of(text, source):
    """The ranges of a rule's time part: "off" or "closed" none, nothing or "open" the whole
    day (as OSM reads a rule without times), "00:00-24:00" (or "24/7") the whole day as
    00:00-00:00, "10:00-12:00 open" the ranges."""
    lowered = text.lower()
    if lowered in ("off", "closed"):
        return []
    if lowered in ("", "open"):
        return [(MIDNIGHT, MIDNIGHT)]
    whole_day_off = re.fullmatch(r"00:00-24:00\s+(?:off|closed)", lowered)
    if whole_day_off:
        return []
    text = OPEN_STATE.sub("", text)
    ranges = []
    position = 0
    while True:
        match = TIME_RANGE_PATTERN.match(text, position)
        if not match:
            _reject_near(text[position:])
        opens = _time_of(match["opens"], closing=False)
        closes = _time_of(match["closes"], closing=True)
        if opens == closes and opens != MIDNIGHT:
            raise OpeningHoursSyntaxError(EQUAL_TIMES, rule=source)
        ranges.append((opens, closes))
        if match.end() == len(text):
            return ranges
        separator = RANGE_SEPARATOR.match(text, match.end())
        if not separator:
            _reject_near(text[match.end() :].lstrip())
        position = separator.end()


def _time_of(text, closing):
    hours, minutes = (int(part) for part in text.split(":"))
    if closing and (hours, minutes) == (24, 0):
        return MIDNIGHT
    if hours > 23 or minutes > 59:
        raise OpeningHoursSyntaxError(TIME_OUT_OF_RANGE, time=text)
    return time(hours, minutes)


def _reject_near(text):
    match = FRAGMENT_PATTERN.match(text)
    fragment = match.group() if match else text
    lowered = text.lower()
    if any(event in lowered for event in SUN_EVENTS):
        raise OpeningHoursSyntaxError(SUN_TIMES, fragment=fragment)
    if "easter" in lowered:
        raise OpeningHoursSyntaxError(EASTER, fragment=fragment)
    if re.match(r"\d{1,2}:\d{2}\+", text):
        raise OpeningHoursSyntaxError(NO_CLOSING_TIME, fragment=fragment)
    raise OpeningHoursSyntaxError(UNSUPPORTED, fragment=fragment)


def _resolve(statements):
    """Apply the rules in order (a later rule replaces earlier ones on the days it names) for the
    regular weeks and each season, and turn the result into weekly rules, the public holiday
    closure and yearly closures: (rules, closed_on_public_holidays, closures).

    A season whose days are all closed is a closure (yearly ones only: a closure of given dates
    is an exception to opening hours). Public holidays follow the rules naming them or
    their weekdays: like the weekdays (not closed on public holidays), all closed (closed on
    public holidays), or holiday hours of their own by weekday."""
    seasons = list(
        dict.fromkeys(
            season
            for _add, (rule_seasons, _keys, _ranges) in statements
            for season in rule_seasons or ()
        )
    )
    regular_week, regular_holidays = _split(_week_for(statements, None))
    names_holidays = any(
        key > HOLIDAY_KEYS and key - HOLIDAY_KEYS not in keys
        for _add, (_seasons, keys, _ranges) in statements
        for key in keys
    )
    if not any(regular_week.values()) and not any(regular_holidays.values()):
        # Closed every day anyway: closed on public holidays if a rule says so ("PH off"), which
        # the seasons then follow.
        closed_on_public_holidays, regular_holiday_hours = names_holidays, None
    elif not any(regular_holidays.values()):
        closed_on_public_holidays, regular_holiday_hours = True, None
    elif regular_holidays == regular_week:
        closed_on_public_holidays, regular_holiday_hours = False, None
    else:
        closed_on_public_holidays, regular_holiday_hours = True, regular_holidays
    rules = _specs(regular_week, regular_holiday_hours, (None, None, False))
    closures, kept = [], []
    for season in seasons:
        week, holidays = _split(_week_for(statements, season))
        if not any(week.values()) and not any(holidays.values()):
            if not season[2]:
                raise OpeningHoursSyntaxError(SEASON_WITHOUT_HOURS, season=_format_season(*season))
            closures.append(season)
            continue
        # The place-wide answer on holidays (closed, or the weekday's hours) holds here too.
        as_the_place = not any(holidays.values()) if closed_on_public_holidays else holidays == week
        if as_the_place:
            holiday_hours = None
        elif not any(holidays.values()):
            raise OpeningHoursSyntaxError(
                HOLIDAYS_CLOSED_IN_SEASON_ONLY, season=_format_season(*season, readable=True)
            )
        else:
            holiday_hours = holidays
        kept.append(season)
        rules += _specs(week, holiday_hours, season)
    for first, second in combinations(kept, 2):
        if seasons_share_dates(first, second):
            raise OpeningHoursSyntaxError(
                SEASONS_SHARE_DATES,
                first=_format_season(*first, readable=True),
                second=_format_season(*second, readable=True),
            )
    for closure in closures:
        for season in kept:
            # A closure overrides every season; in OSM only the rules before it.
            if seasons_share_dates(closure, season) and _first_rule(
                statements, closure
            ) < _last_rule(statements, season):
                raise OpeningHoursSyntaxError(
                    CLOSURE_BEFORE_SEASON,
                    closure=_format_season(*closure, readable=True),
                    season=_format_season(*season, readable=True),
                )
    return (
        rules,
        closed_on_public_holidays,
        [YearlyClosureSpec(first, last) for first, last, _yearly in closures],
    )


def _first_rule(statements, season):
    return min(
        position
        for position, (_add, (seasons, _keys, _ranges)) in enumerate(statements)
        if seasons and season in seasons
    )


def _last_rule(statements, season):
    return max(
        position
        for position, (_add, (seasons, _keys, _ranges)) in enumerate(statements)
        if seasons and season in seasons
    )


def _week_for(statements, season):
    """Week key -> ranges after applying, in order, the rules for every date and those of
    ``season`` (None: the regular weeks). The weekdays and the holidays by weekday are two
    weeks, each following OSM's after-midnight rule on its own."""
    weekdays, holidays = {}, {}
    for additional, (rule_seasons, keys, ranges) in statements:
        if rule_seasons is not None and season not in rule_seasons:
            continue
        for week, days in (
            (weekdays, [key for key in keys if key <= HOLIDAY_KEYS]),
            (holidays, [key - HOLIDAY_KEYS for key in keys if key > HOLIDAY_KEYS]),
        ):
            if additional and ranges:
                for day in days:
                    week[day] = [*week.get(day, []), *ranges]
            else:
                _carry_spill_from(week, days)
                week.update(dict.fromkeys(days, ranges))
                _cut_spill_into(week, days)
    _drop_covered_early_hours(weekdays)
    _drop_covered_early_hours(holidays)
    return {
        **{day: _merged(weekdays.get(day, [])) for day in WEEKDAY_KEYS},
        **{day + HOLIDAY_KEYS: _merged(holidays.get(day, [])) for day in WEEKDAY_KEYS},
    }


def _split(week):
    """(weekdays, holidays): each weekday -> its ranges as a sorted tuple."""
    return (
        {day: tuple(sorted(week[day])) for day in WEEKDAY_KEYS},
        {day: tuple(sorted(week[day + HOLIDAY_KEYS])) for day in WEEKDAY_KEYS},
    )


def _specs(week, holiday_hours, season):
    valid_from, valid_until, recurs_yearly = season
    return [
        WeeklyRuleSpec(day, opens, closes, valid_from, valid_until, recurs_yearly, on_holidays)
        for on_holidays, days in ((False, week), (True, holiday_hours or {}))
        for day, ranges in days.items()
        for opens, closes in ranges
    ]


def _merged(ranges):
    """A day's ranges with overlapping ones joined, as OSM reads "10:00-12:00,10:30-11:30" (and
    additional rules adding hours); ranges that would make more than a day stay apart."""
    spans = sorted(
        (_minutes(opens), _minutes(closes) + (MINUTES_PER_DAY if closes <= opens else 0))
        for opens, closes in set(ranges)
    )
    joined = []
    for start, end in spans:
        if (
            joined
            and start < joined[-1][1]
            and max(end, joined[-1][1]) - joined[-1][0] <= (MINUTES_PER_DAY)
        ):
            joined[-1][1] = max(end, joined[-1][1])
        else:
            joined.append([start, end])
    return [(_clock(start), _clock(end)) for start, end in joined]


def _minutes(moment):
    return moment.hour * 60 + moment.minute


def _clock(minutes):
    minutes %= MINUTES_PER_DAY
    return time(minutes // 60, minutes % 60)


def _cut_spill_into(week, weekdays):
    """A rule replaces the whole of the days it names, in OSM also the early hours that the
    previous evening's range of an earlier rule reaches: that range now closes at
    midnight ("Fr 20:00-02:00; Sa 10:00-12:00" is closed on Saturday at 01:00)."""
    for weekday in weekdays:
        previous = (weekday - 2) % 7 + 1
        if previous in weekdays or previous not in week:
            continue
        week[previous] = [
            (opens, MIDNIGHT if MIDNIGHT < closes < opens else closes)
            for opens, closes in week[previous]
        ]


def _carry_spill_from(week, weekdays):
    """In OSM a rule replacing a day leaves the early hours of the next day that an earlier
    rule's range of the replaced day reached ("22:00-02:00; Tu 12:00-14:00" is open on
    Wednesday at 01:00): those become the next day's own early hours."""
    for weekday in weekdays:
        following = weekday % 7 + 1
        if following in weekdays:
            continue
        early = [(MIDNIGHT, c) for o, c in week.get(weekday, []) if MIDNIGHT < c < o]
        if early:
            week[following] = [*week.get(following, []), *early]


def _drop_covered_early_hours(week):
    """Early hours that the previous day's range still reaches are not a range of their own."""
    for weekday in WEEKDAY_KEYS:
        reach = max(
            (c for o, c in week.get((weekday - 2) % 7 + 1, []) if MIDNIGHT < c < o),
            default=MIDNIGHT,
        )
        week[weekday] = [
            (o, c)
            for o, c in week.get(weekday, [])
            if not (o == MIDNIGHT and MIDNIGHT < c <= reach)
        ]


def _rule_order(rule):
    return (
        rule.is_seasonal,
        rule.recurs_yearly,
        rule.valid_from or date.min,
        rule.valid_until or date.max,
        rule.on_public_holidays,
        rule.weeks,
        rule.nth,
        rule.weekday,
        rule.opens,
        rule.closes,
    )


def _week_of(rules):
    """Weekday (1-7) -> the day's ranges, as a sorted tuple (empty when closed)."""
    week = {weekday: [] for weekday in range(1, 8)}
    for rule in rules:
        week[rule.weekday].append((rule.opens, rule.closes))
    return {weekday: tuple(sorted(ranges)) for weekday, ranges in week.items()}


def _season_weeks(seasonal_rules):
    """(season, week) in date order. Seasons sharing dates are cut into pieces at every season
    boundary, each piece with the hours of all the seasons covering it, since OSM would let the
    later of two overlapping seasons win where our engine adds their hours up."""
    boundaries = set()
    for rule in seasonal_rules:
        if rule.valid_from:
            boundaries.add(rule.valid_from)
        if rule.valid_until and rule.valid_until < date.max:
            boundaries.add(rule.valid_until + timedelta(days=1))
    starts = [None, *sorted(boundaries)]
    ends = [boundary - timedelta(days=1) for boundary in starts[1:]] + [None]
    for start, end in zip(starts, ends, strict=True):
        covering = [
            rule
            for rule in seasonal_rules
            if (rule.valid_from is None or rule.valid_from <= (start or date.min))
            and (rule.valid_until is None or rule.valid_until >= (end or date.max))
        ]
        if covering:
            yield (start, end), _week_of(rule for rule in covering if _every_week(rule))


def _yearly_season_weeks(rules):
    """((valid_from, valid_until, True), week) of each yearly season, by its first day."""
    seasons = {}
    for rule in rules:
        if rule.is_seasonal and rule.recurs_yearly:
            key = (month_day(rule.valid_from), month_day(rule.valid_until))
            seasons.setdefault(key, []).append(rule)
    for key in sorted(seasons):
        first = seasons[key][0]
        yield (
            (first.valid_from, first.valid_until, True),
            _week_of(rule for rule in seasons[key] if _every_week(rule)),
        )


def _rule_texts(prefix, week):
    """(separator, rule): one rule per distinct set of ranges (closed days as "off"), by
    first weekday. A rule naming a day that an earlier rule's range reaches past midnight is
    joined to it with ", " (an additional rule), since after "; " it would replace that day's
    early hours in OSM: "Fr 20:00-02:00, Sa 20:00-04:00"."""
    days_by_ranges = {}
    for weekday in sorted(week):
        days_by_ranges.setdefault(week[weekday], []).append(weekday)
    groups = [(days, ranges) for ranges, days in days_by_ranges.items() if ranges]
    closed = days_by_ranges.get((), [])
    spilling = {
        day % 7 + 1
        for days, ranges in groups
        if any(MIDNIGHT < closes < opens for opens, closes in ranges)
        for day in days
    }
    if closed:
        # Last, unless a range of this prefix reaches into a closed day after midnight: first
        # then, so that it does not cut those early hours.
        groups.insert(0 if spilling & set(closed) else len(groups), (closed, ()))
    texts = []
    reached = set()  # days that the ranges written so far reach into after midnight
    for days, ranges in groups:
        separator = ", " if reached & set(days) else "; "
        texts.append((separator, f"{prefix}{_format_weekdays(days)} {_format_ranges(ranges)}"))
        if any(MIDNIGHT < closes < opens for opens, closes in ranges):
            reached |= {day % 7 + 1 for day in days}
    return texts


def _format_weekdays(weekdays):
    """ "Mo-We,Fr": runs of three or more days as ranges, shorter ones as lists."""
    runs = []
    for weekday in weekdays:
        if runs and weekday == runs[-1][-1] + 1:
            runs[-1].append(weekday)
        else:
            runs.append([weekday])
    parts = []
    for run in runs:
        codes = [WEEKDAY_CODES[weekday - 1] for weekday in run]
        parts += [f"{codes[0]}-{codes[-1]}"] if len(run) > 2 else codes
    return ",".join(parts)


def _format_ranges(ranges):
    if not ranges:
        return "off"
    return ",".join(
        f"{opens:%H:%M}-{'24:00' if closes == MIDNIGHT else f'{closes:%H:%M}'}"
        for opens, closes in ranges
    )


def _format_season(valid_from, valid_until, recurs_yearly=False, readable=False):
    """A season in opening_hours syntax; ``readable`` for messages, with an open end as "+"."""
    if readable and not recurs_yearly and valid_until is None:
        return f"{_format_date(valid_from or OPEN_SEASON_START)}+"
    if recurs_yearly:
        if valid_from.day == 1 and _is_month_end(valid_until):
            # Whole months by name: opening_hours.js reads "Feb 29" as 1 March in common years.
            first, last = MONTH_CODES[valid_from.month - 1], MONTH_CODES[valid_until.month - 1]
            return first if first == last else f"{first}-{last}"
        if month_day(valid_from) == month_day(valid_until):
            return _format_month_day(valid_from)
        return f"{_format_month_day(valid_from)}-{_format_month_day(valid_until)}"
    if valid_from == valid_until:
        return _format_date(valid_from)
    # OSM tools read neither "2027 Jun 01+" nor dates before 1970: open ends are written as
    # the earliest and latest dates they read.
    first = _format_date(valid_from or OPEN_SEASON_START)
    return f"{first}-{_format_date(valid_until or OPEN_SEASON_END)}"


def _is_month_end(day):
    """The last day of its month; 28 February is not, as the season would miss 29 February."""
    return day == _last_of_month(day) and month_day(day) != 228


def _format_date(day):
    return f"{day.year} {_format_month_day(day)}"


def _format_month_day(day):
    return f"{MONTH_CODES[day.month - 1]} {day.day:02d}"
