"""The import plan: every row validated into a planned place before anything is written, then
the whole plan written in one transaction, or nothing."""

import csv
import io
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kohtaamispaikat.core.cache import bump_data_version
from kohtaamispaikat.core.history import record_baselines, record_versions
from kohtaamispaikat.core.text import normalise_text_fields
from places.csv_io.columns import (
    AUDIENCE_SEPARATOR,
    CSV_COLUMNS,
    FALSE_WORDS,
    PLACE_FIELD_COLUMNS,
    REQUIRED_COLUMNS,
    TRUE_WORDS,
    UPDATED_FIELDS,
    from_spreadsheet,
)
from places.csv_io.reading import CsvFileError, delimiter_of, read_csv_source
from places.csv_io.report import ImportedRow, ImportReport
from places.models import Audience, Municipality, Organization, Place, WeeklyHours
from places.osm_hours import format_opening_hours, parse_opening_hours, place_opening_hours
from places.roles import OUT_OF_SCOPE_MESSAGE, ManagementScope
from places.validators import RESERVED_PLACE_SLUGS

BATCH_SIZE = 500
COORDINATE_PLACES = Decimal("0.000001")
COORDINATES_CONSTRAINT = next(
    constraint
    for constraint in Place._meta.constraints
    if constraint.name == "place_coordinates_both_or_neither"
)
INVALID = object()  # a cell that could not be parsed (and is reported already)


def csv_import_max_rows():
    return getattr(settings, "CSV_IMPORT_MAX_ROWS", 5000)


@dataclass
class PlannedRow:
    """A valid row: the place with the row's values applied, and what goes beside it."""

    row: int
    place: Place
    action: str
    audiences: list | None
    hours: object | None


class _Lookups:
    """Organisations, municipalities and audiences by every name a file may use, read once."""

    def __init__(self, scope):
        self.municipalities = {}
        for municipality in Municipality.objects.all():
            for key in (municipality.code, municipality.name_fi, municipality.name_sv):
                self.municipalities[key.casefold()] = municipality
        self.audiences = {}
        for audience in Audience.objects.all():
            for key in (audience.slug, audience.name_fi, audience.name_sv, audience.name_en):
                if key:
                    self.audiences[key.casefold()] = audience
        self.organizations = {}
        # Names first, so that a slug wins when one organisation's name is another's slug.
        organizations = list(scope.organizations())
        for organization in organizations:
            self.organizations[organization.name.casefold()] = organization
        for organization in organizations:
            self.organizations[organization.slug.casefold()] = organization

    def municipality(self, value):
        key = value.casefold()
        if key.isdigit():
            # Spreadsheets drop the leading zeros of codes such as 091.
            key = key.zfill(3)
        return self.municipalities.get(key)


class _PlaceImport:
    def __init__(self, text, organization, user, dry_run):
        self.text = text
        self.user = user
        self.scope = ManagementScope.for_user(user)
        self.may_create = user is None or user.has_perm("places.add_place")
        self.report = ImportReport(dry_run=dry_run)
        self.lookups = _Lookups(self.scope)
        self.forced_organization = self._resolve_forced_organization(organization)
        self.existing = {}
        self.seen_keys = {}
        self.used_slugs = None

    def _resolve_forced_organization(self, organization):
        if organization is None or organization == "":
            return None
        if isinstance(organization, Organization):
            key = organization.slug.casefold()
        else:
            key = str(organization).strip().casefold()
        resolved = self.lookups.organizations.get(key)
        if resolved is None:
            self.report.add(
                None,
                "organization",
                _("Unknown organisation “%(value)s”.") % {"value": organization},
            )
        return resolved

    def run(self):
        records = self._records()
        if not self.report.ok:
            return self.report
        planned = [plan for plan in (self._plan(row, record) for row, record in records) if plan]
        if not self.report.ok:
            self.report.rows = []
            return self.report
        self.report.rows = [
            ImportedRow(plan.row, plan.place.name, plan.place.municipality.name, plan.action)
            for plan in planned
        ]
        if not self.report.dry_run:
            self._write(planned)
        return self.report

    def _records(self):
        """The data rows as (spreadsheet row number, {column: stripped text})."""
        try:
            rows = list(
                csv.reader(io.StringIO(self.text, newline=""), delimiter=delimiter_of(self.text))
            )
        except csv.Error:
            self.report.add(None, "", _("The file cannot be read as CSV."))
            return []
        header = [name.strip().lower() for name in rows[0]] if rows else []
        unknown = [name for name in header if name and name not in CSV_COLUMNS]
        required = [
            name
            for name in REQUIRED_COLUMNS
            if not (name == "organization" and self.forced_organization)
        ]
        missing = [name for name in required if name not in header]
        repeated = sorted({name for name in header if name and header.count(name) > 1})
        if unknown:
            self.report.add(
                None,
                "",
                _("Unknown columns: %(columns)s. The columns are: %(known)s.")
                % {"columns": ", ".join(unknown), "known": ", ".join(CSV_COLUMNS)},
            )
        if missing:
            self.report.add(
                None,
                "",
                _("The file lacks required columns: %(columns)s.")
                % {"columns": ", ".join(missing)},
            )
        if repeated:
            self.report.add(
                None,
                "",
                _("These columns appear twice: %(columns)s.") % {"columns": ", ".join(repeated)},
            )
        if not self.report.ok:
            return []
        records = []
        for index, cells in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if any(cell.strip() for cell in cells[len(header) :]):
                self.report.add(index, "", _("This row has more cells than there are columns."))
                continue
            cells = [from_spreadsheet(cell) for cell in cells[: len(header)]]
            cells += [""] * (len(header) - len(cells))
            records.append(
                (index, {name: cell for name, cell in zip(header, cells, strict=True) if name})
            )
        if not records:
            self.report.add(None, "", _("The file has no meeting places under its header row."))
        elif len(records) > csv_import_max_rows():
            self.report.add(
                None,
                "",
                _("The file has %(count)d rows; at most %(limit)d can be imported at once.")
                % {"count": len(records), "limit": csv_import_max_rows()},
            )
        return records

    def _plan(self, row, record):
        problems_before = len(self.report.problems)
        organization = self._organization(row, record)
        municipality = self._municipality(row, record)
        parsed = {
            name: self._parse(row, name, record[name])
            for name in PLACE_FIELD_COLUMNS
            if name in record
        }
        values = {name: value for name, value in parsed.items() if value is not INVALID}
        audiences = self._audiences(row, record.get("audiences"))
        hours = self._hours(row, record.get("opening_hours", ""))

        key = (municipality and municipality.pk, values.get("name", "").casefold())
        place = self._existing(organization).get(key) if organization and municipality else None
        action = "created" if place is None else "updated"
        place = place or Place(organization=organization)
        before = {name: getattr(place, name) for name in values}
        if municipality:
            place.municipality = municipality
        for name, value in values.items():
            setattr(place, name, value)
        normalise_text_fields(place)  # the bulk writes below send no pre_save signal
        self._validate(row, place, values, unparsed=set(parsed) - set(values))
        if len(self.report.problems) > problems_before:
            return None

        if not self.scope.allows(organization, municipality):
            self.report.add(
                row,
                "municipality",
                OUT_OF_SCOPE_MESSAGE % {"municipality": municipality},
            )
        elif (organization.pk, key) in self.seen_keys:
            self.report.add(
                row,
                "name",
                _("The same meeting place is already on row %(row)d.")
                % {"row": self.seen_keys[organization.pk, key]},
            )
        elif action == "created" and not self.may_create:
            self.report.add(
                row,
                "name",
                _(
                    "This organisation has no meeting place of this name in this municipality, "
                    "and you may only update existing places."
                ),
            )
        else:
            self.seen_keys[organization.pk, key] = row
            if action == "updated" and self._unchanged(place, before, values, audiences, hours):
                action = "unchanged"
            return PlannedRow(row, place, action, audiences, hours)
        return None

    def _organization(self, row, record):
        value = record.get("organization", "")
        if self.forced_organization:
            if value and self.lookups.organizations.get(value.casefold()) != (
                self.forced_organization
            ):
                self.report.add(
                    row,
                    "organization",
                    _("This file is imported for %(organization)s; this row names another.")
                    % {"organization": self.forced_organization},
                )
            return self.forced_organization
        if not value:
            self.report.add(row, "organization", _("Give the organisation (its slug or name)."))
            return None
        organization = self.lookups.organizations.get(value.casefold())
        if organization is None:
            self.report.add(
                row, "organization", _("Unknown organisation “%(value)s”.") % {"value": value}
            )
        return organization

    def _municipality(self, row, record):
        value = record.get("municipality", "")
        if not value:
            self.report.add(row, "municipality", _("Give the municipality (its code or its name)."))
            return None
        municipality = self.lookups.municipality(value)
        if municipality is None:
            self.report.add(
                row,
                "municipality",
                _("Unknown municipality “%(value)s”. Give its code or its Finnish or Swedish name.")
                % {"value": value},
            )
        return municipality

    def _parse(self, row, name, value):
        """The cell as a model value; blank text stays "" for model validation to judge."""
        if name in ("latitude", "longitude"):
            if not value:
                return None
            try:
                return Decimal(value.replace(",", ".")).quantize(
                    COORDINATE_PLACES, rounding=ROUND_HALF_UP
                )
            except InvalidOperation:
                self.report.add(row, name, _("Enter a number, for example 62.2426."))
                return INVALID
        if name == "free_of_charge":
            if not value:
                return Place._meta.get_field(name).default
            word = value.casefold()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            self.report.add(row, name, _("Enter yes or no (or 1/0, true/false, kyllä/ei, ja/nej)."))
            return INVALID
        if name == "website" and value and "://" not in value:
            return f"https://{value}"
        return value

    def _audiences(self, row, value):
        if value is None:
            return None
        audiences = []
        for name in filter(None, (part.strip() for part in value.split(AUDIENCE_SEPARATOR))):
            audience = self.lookups.audiences.get(name.casefold())
            if audience is None:
                self.report.add(
                    row, "audiences", _("Unknown audience “%(value)s”.") % {"value": name}
                )
            elif audience not in audiences:
                audiences.append(audience)
        return audiences

    def _hours(self, row, value):
        if not value:
            return None
        try:
            return parse_opening_hours(value)
        except ValidationError as error:
            for message in error.messages:
                self.report.add(row, "opening_hours", message)
            return None

    def _validate(self, row, place, values, unparsed):
        """Model validation of the columns in the file, reported with the model's messages."""
        without_value = {field.name for field in Place._meta.concrete_fields} - set(values)
        try:
            # Organisation and municipality are looked up above, the slug is made when writing.
            # The model's check constraints each cost a query; the one field validators do not
            # cover is checked below, as thousands of rows would otherwise take minutes.
            place.full_clean(
                exclude=without_value, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.report.add(row, name, message)
        coordinates = {"latitude", "longitude"}
        if (
            coordinates & set(values)
            and not coordinates & unparsed
            and (place.latitude is None) != (place.longitude is None)
        ):
            self.report.add(
                row, "latitude, longitude", COORDINATES_CONSTRAINT.violation_error_message
            )

    def _unchanged(self, place, before, values, audiences, hours):
        if any(before[name] != getattr(place, name) for name in values):
            return False
        if audiences is not None and {a.pk for a in audiences} != {
            a.pk for a in place.audiences.all()
        }:
            return False
        return hours is None or format_opening_hours(
            hours.rules, hours.closed_on_public_holidays, hours.closed_on_eves
        ) == place_opening_hours(place)

    def _existing(self, organization):
        """The places of ``organization`` by (municipality code, case-folded name)."""
        if organization.pk not in self.existing:
            places = Place.objects.filter(organization=organization).prefetch_related(
                "audiences", "weekly_hours"
            )
            self.existing[organization.pk] = {
                (place.municipality_id, place.name.casefold()): place for place in places
            }
        return self.existing[organization.pk]

    def _unique_slug(self, place):
        if self.used_slugs is None:
            self.used_slugs = {*Place.objects.values_list("slug", flat=True), *RESERVED_PLACE_SLUGS}
        max_length = Place._meta.get_field("slug").max_length
        base = slugify(place.name)[: max_length - 10] or "paikka"
        candidates = [base, f"{base}-{place.municipality.slug}"[: max_length - 4]]
        candidates += (f"{candidates[1]}-{number}" for number in range(2, 1000))
        slug = next(candidate for candidate in candidates if candidate not in self.used_slugs)
        self.used_slugs.add(slug)
        return slug

    def _write(self, planned):
        changed = [plan for plan in planned if plan.action != "unchanged"]
        try:
            with transaction.atomic():
                updated = [plan.place for plan in changed if plan.action == "updated"]
                saved_since = _lock_unless_saved_since(updated)
                if saved_since:
                    self._nothing_saved(
                        ngettext(
                            "%(count)d meeting place in the file was saved or deleted by "
                            "someone else while the import was being prepared, so nothing was "
                            "saved. Upload the file again to see the changes.",
                            "%(count)d meeting places in the file were saved or deleted by "
                            "someone else while the import was being prepared, so nothing was "
                            "saved. Upload the file again to see the changes.",
                            saved_since,
                        )
                        % {"count": saved_since}
                    )
                    return
                updated_ids = [place.pk for place in updated]
                record_baselines(Place.objects.filter(pk__in=updated_ids).with_versioned_rows())
                _save_in_bulk(changed, self._unique_slug)
                record_versions(
                    Place.objects.filter(
                        pk__in=[plan.place.pk for plan in changed]
                    ).with_versioned_rows(),
                    user=self.user,
                    comment=_("Imported from a CSV file."),
                )
        except DatabaseError:
            self._nothing_saved(
                _("The database refused the import, so nothing was saved. Please try again.")
            )

    def _nothing_saved(self, message):
        self.report.rows = []
        self.report.add(None, "", message)


def _lock_unless_saved_since(places):
    """Lock the rows of ``places`` until the import commits, in one query, and return how many
    of them were saved or deleted since they were read: the import would write over those
    changes with values planned from before them."""
    counts = dict(
        Place.objects.select_for_update()
        .filter(pk__in=[place.pk for place in places])
        .values_list("pk", "edit_count")
    )
    return sum(1 for place in places if counts.get(place.pk) != place.edit_count)


def _save_in_bulk(plans, unique_slug):
    """Save the places of ``plans`` with their audiences and weekly hours in a few queries
    whatever their number (row by row, thousands of rows would take minutes). This is the bulk
    form of osm_hours.replace_weekly_hours and Place.audiences.set, so it sends no signals: it
    counts the change for the page cache itself."""
    if not plans:
        return
    now = timezone.now()
    created = [plan.place for plan in plans if plan.action == "created"]
    updated = [plan.place for plan in plans if plan.action == "updated"]
    for plan in plans:
        if plan.hours is not None:
            plan.place.closed_on_public_holidays = plan.hours.closed_on_public_holidays
            plan.place.closed_on_eves = plan.hours.closed_on_eves
        plan.place.updated_at = now
    for place in updated:
        place.edit_count += 1  # what Place.save does, so that forms opened before go stale
    for place in created:
        place.slug = unique_slug(place)
    Place.objects.bulk_create(created, batch_size=BATCH_SIZE)
    Place.objects.bulk_update(updated, fields=UPDATED_FIELDS, batch_size=BATCH_SIZE)

    audiences_model = Place.audiences.through
    with_audiences = [plan for plan in plans if plan.audiences is not None]
    audiences_model.objects.filter(place__in=[plan.place for plan in with_audiences]).delete()
    audiences_model.objects.bulk_create(
        (
            audiences_model(place=plan.place, audience=audience)
            for plan in with_audiences
            for audience in plan.audiences
        ),
        batch_size=BATCH_SIZE,
    )

    with_hours = [plan for plan in plans if plan.hours is not None]
    WeeklyHours.objects.filter(place__in=[plan.place for plan in with_hours]).delete()
    WeeklyHours.objects.bulk_create(
        (
            WeeklyHours(place=plan.place, **asdict(rule))
            for plan in with_hours
            for rule in plan.hours.rules
        ),
        batch_size=BATCH_SIZE,
    )
    bump_data_version()


def import_places(source, *, organization=None, dry_run=False, user=None):
    """Import meeting places from CSV ``source`` (str, bytes or file), all rows or none.

    ``organization`` (an Organization or its slug) fills in the organisation of every row.
    ``user`` limits the import to what that user may manage; None (a management command)
    may import anything. Returns an ImportReport; never raises for bad input.
    """
    try:
        text = read_csv_source(source)
    except CsvFileError as error:
        report = ImportReport(dry_run=dry_run)
        for message in error.messages:
            report.add(None, "", message)
        return report
    return _PlaceImport(text, organization, user, dry_run).run()
