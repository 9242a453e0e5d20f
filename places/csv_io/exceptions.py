"""The sister file's import: exceptions to the opening hours, one per row, by place slug.

The rows a file has for a place replace that place's exceptions; places the file does not name
keep theirs. All rows or none, like the places import."""

import datetime

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kohtaamispaikat.core.cache import bump_data_version
from kohtaamispaikat.core.history import record_baselines, record_versions
from kohtaamispaikat.core.text import normalise_text
from places.csv_io.columns import (
    EXCEPTION_COLUMNS,
    EXCEPTION_REQUIRED_COLUMNS,
    FALSE_WORDS,
    TRUE_WORDS,
)
from places.csv_io.conflicts import lock_unless_saved_since, refuse_saved_since
from places.csv_io.reading import read_records
from places.csv_io.report import ImportedRow
from places.models import HoursException, Place
from places.roles import ManagementScope

DATE_PATTERNS = ("%Y-%m-%d", "%d.%m.%Y")
TIME_PATTERNS = ("%H:%M", "%H.%M", "%H:%M:%S")
CONSTRAINT_MESSAGES = {
    constraint.name: constraint.violation_error_message
    for constraint in HoursException._meta.constraints
}


def _parse(patterns, value):
    for pattern in patterns:
        try:
            return datetime.datetime.strptime(value, pattern)
        except ValueError:
            continue
    return None


def _fields(exception):
    return (
        exception.start_date,
        exception.end_date,
        exception.closed,
        exception.opens,
        exception.closes,
        exception.reason,
    )


class ExceptionImport:
    def __init__(self, text, user, report, expected):
        self.text = text
        self.user = user
        self.expected = expected
        self.scope = ManagementScope.for_user(user)
        self.report = report

    def run(self):
        records = read_records(
            self.text,
            EXCEPTION_COLUMNS,
            EXCEPTION_REQUIRED_COLUMNS,
            self.report,
            _("The file has no exceptions under its header row."),
        )
        if not self.report.ok:
            return self.report
        places = {
            place.slug: place
            for place in Place.objects.filter(
                slug__in={record["place"] for _row, record in records}
            )
            .select_related("organization", "municipality")
            .prefetch_related("exceptions")
        }
        planned = {}  # place pk: (place, first row, [exceptions])
        for row, record in records:
            place = places.get(record["place"])
            if place is None or not self.scope.allows(place.organization, place.municipality):
                # Another's place is "unknown" too: an import tells nothing of what it may not see.
                self.report.add(
                    row,
                    "place",
                    _("No meeting place of yours has the slug “%(value)s”.")
                    % {"value": record["place"]},
                )
                continue
            exception = self._exception(row, place, record)
            if exception is not None:
                planned.setdefault(place.pk, (place, row, []))[2].append(exception)
        if not self.report.ok:
            return self.report
        self.report.matched = {
            row: [place.pk, place.edit_count] for place, row, _exceptions in planned.values()
        }
        changed = []
        for place, row, exceptions in planned.values():
            dated = [
                exception for exception in place.exceptions.all() if not exception.recurs_yearly
            ]
            unchanged = sorted(map(_fields, dated), key=str) == sorted(
                map(_fields, exceptions), key=str
            )
            action = "unchanged" if unchanged else "updated"
            self.report.rows.append(ImportedRow(row, place.name, place.municipality.name, action))
            if not unchanged:
                changed.append((place, exceptions))
        if not self.report.dry_run and changed:
            self._write(changed, [(row, place) for place, row, _exceptions in planned.values()])
        return self.report

    def _exception(self, row, place, record):
        problems_before = len(self.report.problems)
        start = self._date(row, "start_date", record["start_date"])
        end = self._date(row, "end_date", record.get("end_date", ""))
        opens = self._time(row, "opens", record.get("opens", ""))
        closes = self._time(row, "closes", record.get("closes", ""))
        closed_cell = record.get("closed", "").casefold()
        if not closed_cell:
            closed = opens is None and closes is None
        elif closed_cell in TRUE_WORDS:
            closed = True
        elif closed_cell in FALSE_WORDS:
            closed = False
        else:
            self.report.add(
                row, "closed", _("Enter yes or no (or 1/0, true/false, kyllä/ei, ja/nej).")
            )
            closed = None
        if len(self.report.problems) > problems_before:
            return None
        exception = HoursException(
            place=place,
            start_date=start,
            end_date=end,
            closed=closed,
            opens=opens,
            closes=closes,
            reason=normalise_text(record.get("reason", ""), multiline=False),
        )
        try:
            exception.full_clean(exclude={"place"}, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.report.add(row, name, message)
            return None
        # The model's check constraints, without a query each.
        if end is not None and end < start:
            self.report.add(row, "end_date", CONSTRAINT_MESSAGES["hours_exception_dates_in_order"])
            return None
        without_times = opens is None and closes is None
        with_times = opens is not None and closes is not None and opens != closes
        if not (without_times if closed else with_times):
            self.report.add(
                row, "opens, closes", CONSTRAINT_MESSAGES["hours_exception_closed_or_hours"]
            )
            return None
        return exception

    def _date(self, row, column, value):
        if not value:
            if column == "start_date":
                self.report.add(row, column, _("Give the first day of the exception."))
            return None
        parsed = _parse(DATE_PATTERNS, value)
        if parsed is None:
            self.report.add(row, column, _("Enter a date, for example 2026-03-12 or 12.3.2026."))
            return None
        return parsed.date()

    def _time(self, row, column, value):
        if not value:
            return None
        parsed = _parse(TIME_PATTERNS, value)
        if parsed is None:
            self.report.add(row, column, _("Enter a time, for example 09:30."))
            return None
        return parsed.time()

    def _write(self, changed, rows):
        keys = [place.pk for place, _exceptions in changed]
        try:
            with transaction.atomic():
                saved_since = lock_unless_saved_since(
                    rows, self.report.matched if self.expected is None else self.expected
                )
                if saved_since:
                    refuse_saved_since(
                        self.report, saved_since, after_preview=self.expected is not None
                    )
                    return
                versioned = Place.objects.filter(pk__in=keys).with_versioned_rows()
                record_baselines(versioned)
                # Yearly closures belong to the places file's opening_hours.
                HoursException.objects.filter(place__in=keys, recurs_yearly=False).delete()
                HoursException.objects.bulk_create(
                    [exception for _place, exceptions in changed for exception in exceptions]
                )
                Place.objects.filter(pk__in=keys).update(
                    updated_at=timezone.now(), edit_count=F("edit_count") + 1
                )
                record_versions(
                    versioned.all(), user=self.user, comment=_("Imported from a CSV file.")
                )
        except DatabaseError:
            self._nothing_saved(
                _("The database refused the import, so nothing was saved. Please try again.")
            )
            return
        bump_data_version()

    def _nothing_saved(self, message):
        self.report.rows = []
        self.report.add(None, "", message)
