"""A place's opening hours as dated periods, for exports that have no notion of seasons that
replace the regular hours, of public holidays or of yearly recurrence (HSDS, schema.org).

The hours engine (places.hours) decides per date; exports need the same answer as a few
statements "from this date to that date, on these weekdays, from opens to closes". Over a
window of dates, every date is given the regime that applies to it (an exception's hours, a
closure, the seasonal or the regular weekly ranges) and consecutive dates of one regime become
one period. Read back date by date, the periods give exactly the engine's ranges (tested in
tests/places/test_hsds.py against Place.objects.open_at and Place.is_open_at).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from places.hours import HELSINKI, day_schedule, in_week_of, rules_in_force

# Exports describe the coming year: long enough for every season to show, short enough that
# nothing is said of years whose yearly seasons and holidays are not written out.
EXPORT_DAYS = 366
NOON = time(12)


@dataclass(frozen=True)
class Period:
    """Opening ranges from ``first`` to ``last`` (inclusive): on each of those dates whose ISO
    weekday is in ``weekdays``, open from ``opens`` to ``closes`` (past midnight when closing
    comes first). ``utc_offset`` is Helsinki's offset on those dates when the periods were
    split where the clocks change, else None."""

    first: date
    last: date
    weekdays: tuple
    opens: time
    closes: time
    is_exception: bool = False
    reason: str = ""
    utc_offset: timedelta | None = None


@dataclass(frozen=True)
class Closure:
    """A date on which the place is closed although a weekly range would open it: a public
    holiday, an eve or a closed exception."""

    day: date
    reason: str = ""
    is_exception: bool = False


def export_window(today):
    return today, today + timedelta(days=EXPORT_DAYS - 1)


def helsinki_offset(day):
    return datetime.combine(day, NOON, HELSINKI).utcoffset()


def _day_regime(day, weekly_rules, exceptions, closed_on_public_holidays, closed_on_eves):
    """What decides ``day``'s hours, as a hashable key, with the closure if it is one: the
    engine's own answer (places.hours.day_schedule). A public holiday with holiday hours is
    stated like an exception with hours."""
    schedule = day_schedule(
        day, weekly_rules, exceptions, closed_on_public_holidays, closed_on_eves
    )
    if schedule.is_exception or schedule.is_holiday:
        if not schedule.ranges:
            return ("closed",), Closure(day, schedule.reason, schedule.is_exception)
        return ("exception", tuple(schedule.ranges), schedule.reason), None
    return _weekly_key(weekly_rules, day), None


def _weekly_rules_on(weekly_rules, day):
    return [
        rule
        for rule in in_week_of(rules_in_force(weekly_rules, day), day)
        if not getattr(rule, "on_public_holidays", False)
    ]


def _opens_on(weekly_rules, day):
    return any(rule.weekday == day.isoweekday() for rule in _weekly_rules_on(weekly_rules, day))


def _weekly_key(weekly_rules, day):
    rules = _weekly_rules_on(weekly_rules, day)
    return ("weekly", tuple(sorted((r.weekday, r.opens, r.closes) for r in rules)))


def hours_periods(
    weekly_rules,
    exceptions,
    closed_on_public_holidays,
    closed_on_eves,
    first,
    last,
    *,
    with_closures=True,
    split_at_clock_changes=False,
):
    """The periods from ``first`` to ``last``, and the Closures among those dates.

    With ``with_closures`` (HSDS) exceptions and closures interrupt the weekly periods, as
    HSDS's guidance on exceptional schedules asks: the regular schedule ends the day before and
    starts again the day after. Without it (schema.org, whose special opening hours override
    the regular ones) the weekly periods follow the seasons only, and the closures and
    exceptions are for the caller to state on their own (exceptions with hours are not in the
    periods then). ``split_at_clock_changes`` gives each
    period one UTC offset."""
    periods, closures = [], []
    run_key, run_days = None, []

    def flush():
        if run_days:
            periods.extend(_periods_of(run_key, run_days, split_at_clock_changes))

    day = first
    while day <= last:
        key, closure = _day_regime(
            day, weekly_rules, exceptions, closed_on_public_holidays, closed_on_eves
        )
        if not with_closures or (key == ("closed",) and not _opens_on(weekly_rules, day)):
            # A closed day on which the weekly hours would not open anyway need not
            # interrupt them.
            key = _weekly_key(weekly_rules, day)
        if closure is not None:
            closures.append(closure)
        if split_at_clock_changes:
            key = (*key, helsinki_offset(day))
        if key != run_key:
            flush()
            run_key, run_days = key, []
        run_days.append(day)
        day += timedelta(days=1)
    flush()
    return periods, closures


def _periods_of(key, days, with_offset):
    kind = key[0]
    offset = key[-1] if with_offset else None
    first, last = days[0], days[-1]
    weekdays_in_run = sorted({day.isoweekday() for day in days})
    if kind == "closed":
        return []
    if kind == "exception":
        _kind, ranges, reason = key[:3]
        return [
            Period(first, last, tuple(weekdays_in_run), opens, closes, True, reason, offset)
            for opens, closes in ranges
        ]
    return [
        Period(first, last, (weekday,), opens, closes, utc_offset=offset)
        for weekday, opens, closes in key[1]
        if weekday in weekdays_in_run
    ]
