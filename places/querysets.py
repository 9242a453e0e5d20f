import math
from collections import defaultdict
from datetime import date, time, timedelta
from typing import NamedTuple

from django.apps import apps
from django.db import models
from django.db.models import Exists, F, FloatField, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Cast, Coalesce, ExtractDay, ExtractMonth, Sqrt
from django.utils import timezone

from places.hours import (
    HoursState,
    MonthWeek,
    WeekParity,
    day_schedule,
    is_eve,
    is_public_holiday,
    local_date_and_time,
    month_day,
)

# Kilometres per degree of a great circle on a sphere of the Earth's mean radius (6,371 km).
KM_PER_DEGREE = 6371.0 * math.pi / 180

SEASONAL = Q(valid_from__isnull=False) | Q(valid_until__isnull=False)
REGULAR = Q(valid_from__isnull=True, valid_until__isnull=True)


def _month_day(field):
    return ExtractMonth(field) * 100 + ExtractDay(field)


def _weekly_rules():
    """WeeklyHours with their season's month_day()s (places.hours.month_day), which yearly
    seasons are compared by."""
    return apps.get_model("places", "WeeklyHours").objects.annotate(
        season_start=_month_day("valid_from"), season_end=_month_day("valid_until")
    )


def _exceptions():
    """HoursException with the month_day()s of its first and last days, which yearly closures
    are compared by."""
    return apps.get_model("places", "HoursException").objects.annotate(
        span_start=_month_day("start_date"),
        span_end=_month_day(Coalesce("end_date", "start_date")),
    )


def _exception_covers(day):
    """A condition on _exceptions(): the exception covers ``day`` (see
    places.hours.exception_covers)."""
    dated = Q(start_date=day, end_date__isnull=True) | Q(start_date__lte=day, end_date__gte=day)
    today = month_day(day)
    within_a_year = Q(span_start__lte=F("span_end")) & Q(span_start__lte=today, span_end__gte=today)
    across_the_year_end = Q(span_start__gt=F("span_end")) & (
        Q(span_start__lte=today) | Q(span_end__gte=today)
    )
    return (Q(recurs_yearly=False) & dated) | (
        Q(recurs_yearly=True) & (within_a_year | across_the_year_end)
    )


# Exceptions that can cover a date from ``since`` on: yearly closures always can.
def _not_over(since):
    return (
        Q(recurs_yearly=True)
        | Q(end_date__gte=since)
        | Q(end_date__isnull=True, start_date__gte=since)
    )


def _season_covers(day):
    """A condition on _weekly_rules(): the rule's season covers ``day`` (see
    places.hours.season_covers)."""
    dated = (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    )
    today = month_day(day)
    within_a_year = Q(season_start__lte=F("season_end")) & Q(
        season_start__lte=today, season_end__gte=today
    )
    across_the_year_end = Q(season_start__gt=F("season_end")) & (
        Q(season_start__lte=today) | Q(season_end__gte=today)
    )
    return (Q(recurs_yearly=False) & dated) | (
        Q(recurs_yearly=True) & (within_a_year | across_the_year_end)
    )


def _same_day_range_contains(moment):
    # closes <= opens: past midnight, or 00:00-00:00 for the whole day.
    return Q(opens__lte=moment) & (Q(closes__gt=moment) | Q(closes__lte=F("opens")))


def _previous_day_range_spills(moment):
    return Q(closes__lt=F("opens"), closes__gt=moment)


class PlaceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def near(self, latitude, longitude, radius_km):
        """Places within ``radius_km`` of the point, nearest first, with ``distance_km``.

        A bounding box on the indexed coordinates first, then the equirectangular distance,
        computed in SQL on PostgreSQL and SQLite alike: within a few hundred kilometres it is
        within 0.5 % of the great-circle distance, well below what "1,2 km" shows."""
        km_per_degree_longitude = KM_PER_DEGREE * math.cos(math.radians(latitude))
        box_latitude = radius_km / KM_PER_DEGREE
        box_longitude = radius_km / km_per_degree_longitude
        north = Cast(F("latitude"), FloatField()) - Value(latitude)
        east = Cast(F("longitude"), FloatField()) - Value(longitude)
        north_km = north * Value(KM_PER_DEGREE)
        east_km = east * Value(km_per_degree_longitude)
        return (
            self.filter(
                latitude__range=(latitude - box_latitude, latitude + box_latitude),
                longitude__range=(longitude - box_longitude, longitude + box_longitude),
            )
            .annotate(distance_km=Sqrt(north_km * north_km + east_km * east_km))
            .filter(distance_km__lte=radius_km)
            .order_by("distance_km", "name", "pk")
        )

    # Confirmation (#16) ---------------------------------------------------------------------
    def unconfirmed_for(self, days, today=None):
        """Places whose information nobody has confirmed in ``days`` days (or ever)."""
        since = (today or timezone.localdate()) - timedelta(days=days)
        return self.filter(Q(last_verified__isnull=True) | Q(last_verified__lt=since))

    def without_summer_hours(self, first_day, last_day):
        """Places with neither seasonal weekly hours nor exceptions in the summer from
        ``first_day`` to ``last_day``: nobody has said how summer goes there."""
        weekly_model = apps.get_model("places", "WeeklyHours")
        exception_model = apps.get_model("places", "HoursException")
        seasonal_rules = weekly_model.objects.filter(
            SEASONAL,
            Q(valid_from__isnull=True) | Q(valid_from__lte=last_day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=first_day),
            place=OuterRef("pk"),
        )
        summer_exceptions = exception_model.objects.filter(
            Q(end_date__gte=first_day) | Q(end_date__isnull=True, start_date__gte=first_day),
            start_date__lte=last_day,
            place=OuterRef("pk"),
        )
        return self.exclude(Exists(seasonal_rules)).exclude(Exists(summer_exceptions))

    def with_versioned_rows(self):
        """Places with everything a recorded version of them holds (kohtaamispaikat.core.history),
        fetched in a few queries whatever their number."""
        return self.prefetch_related("audiences", "weekly_hours", "exceptions")

    def with_hours(self, since=None):
        """Prefetch what the display face of the hours engine reads: weekly hours, and the
        exceptions that are not over yet (from yesterday, which a midnight range reaches)."""
        since = since or timezone.localdate() - timedelta(days=1)
        exception_model = apps.get_model("places", "HoursException")
        current_exceptions = exception_model.objects.filter(_not_over(since))
        return self.prefetch_related(
            "weekly_hours", Prefetch("exceptions", queryset=current_exceptions)
        )

    def open_at(self, when):
        """Places open at the instant ``when``, decided in the database (see places.hours)."""
        today, moment = local_date_and_time(when)
        yesterday = today - timedelta(days=1)
        return self.filter(
            self._open_on(today, _same_day_range_contains(moment))
            | self._open_on(yesterday, _previous_day_range_spills(moment))
        )

    def open_on_weekday(self, weekday, on=None):
        """Places with hours on an ISO weekday (1 = Monday), regular or in a season not yet over."""
        on = on or timezone.localdate()
        weekly_model = apps.get_model("places", "WeeklyHours")
        current_rules = weekly_model.objects.filter(
            place=OuterRef("pk"), weekday=weekday, on_public_holidays=False, state=HoursState.OPEN
        ).filter(
            REGULAR | Q(recurs_yearly=True) | Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )
        return self.filter(Exists(current_rules))

    @staticmethod
    def _open_on(day, range_condition):
        """A condition: a range that applies on ``day`` satisfies ``range_condition``."""
        covering_exceptions = _exceptions().filter(_exception_covers(day), place=OuterRef("pk"))
        # Only open ranges make a place open: by appointment, self-service or not known do not.
        open_range = range_condition & Q(state=HoursState.OPEN)
        exception_open = ~Exists(covering_exceptions.filter(closed=True)) & Exists(
            covering_exceptions.filter(open_range, closed=False)
        )

        place_in_season = _weekly_rules().filter(
            SEASONAL & _season_covers(day), place=OuterRef("place")
        )
        in_force = _weekly_rules().filter(
            (SEASONAL & _season_covers(day)) | (REGULAR & ~Exists(place_in_season)),
            weeks__in=[WeekParity.EVERY, WeekParity.of(day)],
            nth__in=MonthWeek.of(day),
            place=OuterRef("pk"),
        )
        weekday_open = Exists(
            in_force.filter(open_range, weekday=day.isoweekday(), on_public_holidays=False)
        )
        if is_public_holiday(day):
            holiday_open = Exists(
                in_force.filter(open_range, weekday=day.isoweekday(), on_public_holidays=True)
            )
            weekday_open = holiday_open | (
                ~Exists(in_force.filter(on_public_holidays=True))
                & Q(closed_on_public_holidays=False)
                & weekday_open
            )
        elif is_eve(day):
            weekday_open &= Q(closed_on_eves=False)
        return exception_open | (~Exists(covering_exceptions) & weekday_open)


class WeeklyRule(NamedTuple):
    """The fields of a WeeklyHours that the hours engine reads, without a model instance's cost
    (thousands are read for the map)."""

    weekday: int
    opens: time
    closes: time
    valid_from: date | None
    valid_until: date | None
    recurs_yearly: bool
    on_public_holidays: bool
    weeks: int
    nth: int
    state: str
    note: str
    note_sv: str
    note_en: str

    @property
    def is_seasonal(self):
        return self.valid_from is not None or self.valid_until is not None


def schedules_on(places, day, closures):
    """The DaySchedule on ``day`` of each place of ``closures``, a ``{pk:
    (closed_on_public_holidays, closed_on_eves)}`` of ``places``: the display face of the engine
    for thousands of places at once. Two queries however many places: only the weekly rules and
    exceptions that can matter on that date are read."""
    weekly_model = apps.get_model("places", "WeeklyHours")
    place_ids = places.values("pk")
    rules, exceptions = defaultdict(list), defaultdict(list)
    for place_id, *fields in (
        weekly_model.objects.filter(place__in=place_ids)
        .filter(Q(weekday=day.isoweekday()) | SEASONAL | Q(on_public_holidays=True))
        .values_list("place_id", *WeeklyRule._fields)
    ):
        rules[place_id].append(WeeklyRule(*fields))
    for exception in _exceptions().filter(_exception_covers(day), place__in=place_ids):
        exceptions[exception.place_id].append(exception)
    return {
        pk: day_schedule(day, rules[pk], exceptions[pk], *closed) for pk, closed in closures.items()
    }
