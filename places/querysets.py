import math
from collections import defaultdict
from datetime import date, time, timedelta
from typing import NamedTuple

from django.apps import apps
from django.db import connections, models
from django.db.models import Case, Exists, F, FloatField, OuterRef, Prefetch, Q, Value, When
from django.db.models.functions import Cast, Coalesce, ExtractDay, ExtractMonth, Sqrt
from django.utils import timezone

from places.hours import (
    MIDNIGHT,
    HoursState,
    MonthWeek,
    WeekParity,
    day_schedule,
    is_eve,
    is_public_holiday,
    local_date_and_time,
    month_day,
)

# The parts of the day a resident asks for ("Tuesday morning"), as wall-clock [start, end);
# an end of 00:00 is midnight at the end of the day.
PARTS_OF_DAY = {
    "morning": (time(6), time(12)),
    "afternoon": (time(12), time(17)),
    "evening": (time(17), MIDNIGHT),
}

# Kilometres per degree of a great circle on a sphere of the Earth's mean radius (6,371 km).
KM_PER_DEGREE = 6371.0 * math.pi / 180

SEASONAL = Q(valid_from__isnull=False) | Q(valid_until__isnull=False)
REGULAR = Q(valid_from__isnull=True, valid_until__isnull=True)


def _public_coordinate(name):
    """Place.public_location's coordinate in SQL: the municipality's for a hidden address."""
    return Case(
        When(address_hidden=True, then=F(f"municipality__{name}")),
        default=F(name),
    )


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

    def with_public_location(self):
        """Annotate ``public_latitude`` and ``public_longitude``: the coordinates the public may
        see (Place.public_location), the municipality's centre for a hidden address."""
        return self.annotate(
            public_latitude=_public_coordinate("latitude"),
            public_longitude=_public_coordinate("longitude"),
        )

    def near(self, latitude, longitude, radius_km):
        """Places within ``radius_km`` of the point, nearest first, with ``distance_km``.

        A bounding box on the indexed coordinates first, then the equirectangular distance,
        computed in SQL on PostgreSQL and SQLite alike: within a few hundred kilometres it is
        within 0.5 % of the great-circle distance, well below what "1,2 km" shows. A place
        whose address is hidden is measured from its municipality's centre: distances to its
        own point from a few origins would give that point away."""
        km_per_degree_longitude = KM_PER_DEGREE * math.cos(math.radians(latitude))
        box_latitude = radius_km / KM_PER_DEGREE
        box_longitude = radius_km / km_per_degree_longitude

        def in_box(prefix):
            return Q(
                **{
                    f"{prefix}latitude__range": (latitude - box_latitude, latitude + box_latitude),
                    f"{prefix}longitude__range": (
                        longitude - box_longitude,
                        longitude + box_longitude,
                    ),
                }
            )

        north = Cast(_public_coordinate("latitude"), FloatField()) - Value(latitude)
        east = Cast(_public_coordinate("longitude"), FloatField()) - Value(longitude)
        north_km = north * Value(KM_PER_DEGREE)
        east_km = east * Value(km_per_degree_longitude)
        return (
            self.filter(
                (Q(address_hidden=False) & in_box(""))
                | (Q(address_hidden=True) & in_box("municipality__"))
            )
            .annotate(distance_km=Sqrt(north_km * north_km + east_km * east_km))
            .filter(distance_km__lte=radius_km)
            .order_by("distance_km", "name", "pk")
        )

    def served_in(self, languages):
        """Places whose hosts speak any of ``languages`` (Place.Language codes)."""
        condition = Q()
        for code in languages:
            if connections[self.db].vendor == "postgresql":
                # jsonb containment, which the GIN index of the languages can answer.
                condition |= Q(languages__contains=[code])
            else:
                # SQLite keeps the list as JSON text: the code with its quotes is one item.
                condition |= Q(languages__icontains=f'"{code}"')
        return self.filter(condition)

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

    def open_during(self, day, starts, ends):
        """Places open at some time from ``starts`` to ``ends`` (wall-clock; an end of 00:00 is
        midnight) on ``day``, with its exceptions, seasons and holidays: the same engine as
        open_at, asked whether a range meets the window rather than holds an instant."""
        reaches_window = Q(closes__gt=starts) | Q(closes__lte=F("opens"))
        if ends != MIDNIGHT:
            reaches_window &= Q(opens__lt=ends)
        return self.filter(
            self._open_on(day, reaches_window)
            | self._open_on(day - timedelta(days=1), _previous_day_range_spills(starts))
        )

    def open_in_part_of_day(self, part, weekday=None, now=None):
        """Places open in a part of the day (PARTS_OF_DAY) on the next date it has not yet
        ended: today's or a later one, on ``weekday`` (ISO) when given. Returns the queryset
        and that date."""
        day = next_part_of_day(part, weekday, now)
        starts, ends = PARTS_OF_DAY[part]
        return self.open_during(day, starts, ends), day

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


def next_part_of_day(part, weekday=None, now=None):
    """The first date from ``now`` on whose ``part`` (a key of PARTS_OF_DAY) has not ended, on
    ``weekday`` (ISO, 1 = Monday) when given: asked on a Tuesday afternoon, "Tuesday morning" is
    next week's."""
    today, moment = local_date_and_time(now or timezone.now())
    ends = PARTS_OF_DAY[part][1]
    day = today if ends == MIDNIGHT or moment < ends else today + timedelta(days=1)
    if weekday is not None:
        day += timedelta(days=(weekday - day.isoweekday()) % 7)
    return day


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
