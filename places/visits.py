"""Visitor figures (#17): the rules the admin grid, the CSV import and the door counter share.

- A place's *usual* monthly figure is the median of its last twelve recorded months (other than
  the one being entered), once it has at least three; a figure ``VisitCount.UNUSUAL_FACTOR``
  times that is saved only when confirmed.
- The import (``import_visits``) checks every row before it writes any, then writes all of them
  in one transaction: a file with one bad row changes nothing.
"""

import csv
import io
from dataclasses import dataclass, field
from statistics import median

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

USUAL_MONTHS = 12
USUAL_MINIMUM_MONTHS = 3
IMPORT_COLUMNS = ("place", "year", "month", "visits", "first_time")
REQUIRED_COLUMNS = IMPORT_COLUMNS[:4]
IMPORT_MAX_ROWS = 50_000


def usual_visits(figures):
    """The usual monthly figure of a place from its recorded ``figures`` (newest first), or
    None while there are too few to tell."""
    recent = list(figures)[:USUAL_MONTHS]
    if len(recent) < USUAL_MINIMUM_MONTHS:
        return None
    return median(recent)


class VisitCountQuerySet(models.QuerySet):
    def for_year(self, year):
        return self.filter(year=year)

    def usual_by_place(self, place_ids, excluding=()):
        """``{place id: usual figure or None}`` for ``place_ids`` in one query; ``excluding``
        holds (place id, year, month) keys whose own figure must not count for themselves."""
        excluded = set(excluding)
        figures = {pk: [] for pk in place_ids}
        for place_id, year, month, visits in (
            self.filter(place__in=place_ids)
            .order_by("place_id", "-year", "-month")
            .values_list("place_id", "year", "month", "visits")
        ):
            if (place_id, year, month) not in excluded:
                figures[place_id].append(visits)
        return {pk: usual_visits(values) for pk, values in figures.items()}

    def add_one(self, place, today=None):
        """Count one visit to ``place`` in ``today``'s month; returns the month's new figure.

        The increment is an UPDATE in the database, so two doors tapping at once both count.
        It sends no signal: a tap should not empty the public pages' cache (the reports that
        show the figures are never cached).
        """
        today = today or timezone.localdate()
        key = {"place": place, "year": today.year, "month": today.month}
        with transaction.atomic():
            if not self.filter(**key).update(visits=F("visits") + 1, updated_at=timezone.now()):
                try:
                    with transaction.atomic():
                        self.create(**key, visits=1)
                except IntegrityError:  # created meanwhile by another tap
                    self.filter(**key).update(visits=F("visits") + 1, updated_at=timezone.now())
            return self.get(**key).visits


@dataclass
class VisitImport:
    """What ``import_visits`` found: the rows to write, or the problems that stopped it."""

    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    unusual: list = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self):
        return not self.errors


def _problem(line, column, message):
    if column:
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": line,
            "column": column,
            "message": message,
        }
    return _("Row %(row)s: %(message)s") % {"row": line, "message": message}


def _whole_number(text):
    text = text.strip()
    if not text.isdigit():
        return None
    return int(text)


def import_visits(text, *, allowed_places=None, confirm_unusual=False, dry_run=False):
    """Read ``place,year,month,visits[,first_time]`` CSV (``place`` is the place's slug) and
    write every row, or none if any row has a problem.

    ``allowed_places`` limits which places may be named (a queryset; None: all). A row for a
    month that already has a figure replaces it. Figures ten times a place's usual stop the
    import unless ``confirm_unusual``.
    """
    visit_model = apps.get_model("places", "VisitCount")
    place_model = apps.get_model("places", "Place")
    report = VisitImport()
    delimiter = (
        ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    )
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name not in IMPORT_COLUMNS]
    if missing or unknown:
        if missing:
            report.errors.append(
                _("The header row lacks the column(s): %(columns)s.")
                % {"columns": ", ".join(missing)}
            )
        if unknown:
            report.errors.append(
                _("Unknown column(s): %(columns)s. The columns are: %(expected)s.")
                % {"columns": ", ".join(unknown), "expected": ", ".join(IMPORT_COLUMNS)}
            )
        return report
    reader.fieldnames = header
    raw_rows = list(reader)
    if not raw_rows:
        report.errors.append(_("The file has no rows of figures."))
        return report
    if len(raw_rows) > IMPORT_MAX_ROWS:
        report.errors.append(
            _("At most %(limit)s rows can be imported at once.") % {"limit": IMPORT_MAX_ROWS}
        )
        return report

    places = place_model.objects.all() if allowed_places is None else allowed_places
    slugs = {(row.get("place") or "").strip() for row in raw_rows}
    place_by_slug = {place.slug: place for place in places.filter(slug__in=slugs)}
    today = timezone.localdate()
    seen = {}
    for line, row in enumerate(raw_rows, start=2):
        if None in row:
            report.errors.append(_problem(line, "", _("the row has more cells than the header.")))
            continue
        slug = (row.get("place") or "").strip()
        place = place_by_slug.get(slug)
        if place is None:
            message = (
                _("no meeting place you may enter figures for has the slug “%(slug)s”.")
                % {"slug": slug[:100]}
                if slug
                else _("the place is missing.")
            )
            report.errors.append(_problem(line, "place", message))
        values = {}
        for column in ("year", "month", "visits", "first_time"):
            cell = (row.get(column) or "").strip()
            if not cell:
                if column != "first_time":
                    report.errors.append(_problem(line, column, _("the cell is empty.")))
                values[column] = None
                continue
            number = _whole_number(cell)
            if number is None:
                report.errors.append(
                    _problem(
                        line,
                        column,
                        _("“%(value)s” is not a whole number of zero or more.")
                        % {"value": cell[:30]},
                    )
                )
            values[column] = number
        year, month, visits, first_time = (
            values["year"],
            values["month"],
            values["visits"],
            values["first_time"],
        )
        if month is not None and not 1 <= month <= 12:
            report.errors.append(_problem(line, "month", _("a month is from 1 to 12.")))
            month = None
        if year is not None and not 2000 <= year <= 2100:
            report.errors.append(_problem(line, "year", _("the year is not plausible.")))
            year = None
        if year and month and (year, month) > (today.year, today.month):
            report.errors.append(
                _problem(line, "month", _("the month is in the future: count it when it is over."))
            )
            continue
        if visits is not None and first_time is not None and first_time > visits:
            report.errors.append(
                _problem(
                    line, "first_time", _("first-time visitors cannot be more than the visits.")
                )
            )
        if place is None or None in (year, month, visits):
            continue
        key = (place.pk, year, month)
        if key in seen:
            report.errors.append(
                _problem(
                    line,
                    "",
                    _("the same place and month are already on row %(row)s.") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = line
        report.rows.append((line, place, year, month, visits, first_time))
    if report.errors:
        return report

    existing = {
        (count.place_id, count.year, count.month): count
        for count in visit_model.objects.filter(place__in={row[1].pk for row in report.rows})
    }
    # The usual figure comes from what is stored and what the file brings, each month's own
    # figure left out.
    figures = {}
    for (place_id, year, month), count in existing.items():
        figures.setdefault(place_id, {})[(year, month)] = count.visits
    for _line, place, year, month, visits, _first in report.rows:
        figures.setdefault(place.pk, {})[(year, month)] = visits
    for line, place, year, month, visits, _first in report.rows:
        others = [
            value
            for when, value in sorted(figures[place.pk].items(), reverse=True)
            if when != (year, month)
        ]
        usual = usual_visits(others)
        if usual and visits >= visit_model.UNUSUAL_FACTOR * usual:
            report.unusual.append(
                _(
                    "Row %(row)s: %(visits)s visits for %(place)s in %(month)s/%(year)s is ten "
                    "times its usual %(usual)s."
                )
                % {
                    "row": line,
                    "visits": visits,
                    "place": place.slug,
                    "month": month,
                    "year": year,
                    "usual": usual,
                }
            )
    if report.unusual and not confirm_unusual:
        report.errors.extend(report.unusual)
        return report
    if dry_run:
        return report
    with transaction.atomic():
        for _line, place, year, month, visits, first_time in report.rows:
            count = existing.get((place.pk, year, month))
            if count is None:
                visit_model.objects.create(
                    place=place, year=year, month=month, visits=visits, first_time=first_time
                )
                report.created += 1
            else:
                count.visits, count.first_time = visits, first_time
                count.save(update_fields=["visits", "first_time", "updated_at"])
                report.updated += 1
    return report
