"""The import plan: every row validated into a planned place before anything is written, then
the whole plan written in one transaction, or nothing."""

import datetime
import uuid
from dataclasses import asdict, dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from kohtaamispaikat.core.cache import bump_data_version
from kohtaamispaikat.core.history import record_baselines, record_versions
from kohtaamispaikat.core.text import normalise_text, normalise_text_fields
from places.csv_io.columns import (
    BOOLEAN_COLUMNS,
    CHOICE_LIST_COLUMNS,
    COORDINATE_COLUMNS,
    CSV_COLUMNS,
    DATE_COLUMNS,
    EXCEPTION_REQUIRED_COLUMNS,
    FALSE_WORDS,
    IDENTIFIER_COLUMNS,
    LIST_SEPARATOR,
    PLACE_FIELD_COLUMNS,
    REQUIRED_COLUMNS,
    TRUE_WORDS,
    UPDATED_FIELDS,
    URL_COLUMNS,
    mentions_public_holidays,
)
from places.csv_io.conflicts import lock_unless_saved_since, refuse_saved_since
from places.csv_io.exceptions import ExceptionImport
from places.csv_io.reading import CsvFileError, header_of, read_csv_source, read_records
from places.csv_io.report import ImportedRow, ImportReport
from places.geocoding import complete_location
from places.hours import hours_in_words
from places.models import Audience, HoursException, Municipality, Organization, Place, WeeklyHours
from places.osm_hours import format_parsed_hours, parse_opening_hours, place_opening_hours
from places.roles import OUT_OF_SCOPE_MESSAGE, ManagementScope
from places.validators import RESERVED_PLACE_SLUGS

BATCH_SIZE = 500
COORDINATE_PLACES = Decimal("0.000001")
COORDINATES_CONSTRAINT = next(
    constraint
    for constraint in Place._meta.constraints
    if constraint.name == "place_coordinates_both_or_neither"
)
DATE_PATTERNS = ("%Y-%m-%d", "%d.%m.%Y")
INVALID = object()  # a cell that could not be parsed (and is reported already)
HOLIDAYS_CLOSED_BY_DEFAULT = Place._meta.get_field("closed_on_public_holidays").default


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
    def __init__(self, text, organization, user, dry_run, expected, create_organizations):
        self.text = text
        self.user = user
        self.expected = expected
        self.scope = ManagementScope.for_user(user)
        self.may_create = user is None or user.has_perm("places.add_place")
        # Site admins and coordinators may bring in organisations the directory does not know
        # yet (issue 16); staff work for organisations that exist. A command asks for it.
        if user is None:
            self.may_create_organizations = create_organizations
        else:
            self.may_create_organizations = (
                self.scope.everything or bool(self.scope.region_codes)
            ) and user.has_perm("places.add_organization")
        self.new_organizations = {}  # case-folded name: unsaved Organization
        self.report = ImportReport(dry_run=dry_run)
        self.lookups = _Lookups(self.scope)
        self.forced_organization = self._resolve_forced_organization(organization)
        self.existing = {}
        self.seen_keys = {}
        self.seen_slugs = {}
        self.used_slugs = None
        self.used_identifiers = {}

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
            ImportedRow(
                plan.row,
                plan.place.name,
                plan.place.municipality.name,
                plan.action,
                _hours_in_words(plan.hours, plan.action),
            )
            for plan in planned
        ]
        self.report.reads_hours = True
        self.report.new_organizations = sorted(
            organization.name for organization in self.new_organizations.values()
        )
        self.report.matched = {
            plan.row: [plan.place.pk, plan.place.edit_count]
            for plan in planned
            if plan.action != "created"
        }
        if not self.report.dry_run:
            self._write(planned)
        return self.report

    def _records(self):
        """The data rows as (spreadsheet row number, {column: stripped text})."""
        required = [
            name
            for name in REQUIRED_COLUMNS
            if not (name == "organization" and self.forced_organization)
        ]
        return read_records(
            self.text,
            CSV_COLUMNS,
            required,
            self.report,
            _("The file has no meeting places under its header row."),
        )

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
        if not values.get("slug"):
            # An empty slug keeps an existing place's, and a new place gets one made of its name.
            values.pop("slug", None)
        identifiers = {
            name: self._identifier(row, name, record[name])
            for name in IDENTIFIER_COLUMNS
            if record.get(name)
        }
        audiences = self._audiences(row, record.get("audiences"))
        hours = self._hours(row, record.get("opening_hours", ""))

        key = (municipality and municipality.pk, values.get("name", "").casefold())
        place = None
        if organization and municipality:
            place = self._match(row, organization, key, values.get("slug"))
        action = "created" if place is None else "updated"
        place = place or Place(organization=organization)
        before = {name: getattr(place, name) for name in values}
        if municipality:
            place.municipality = municipality
        for name, value in values.items():
            setattr(place, name, value)
        self._apply_identifiers(row, place, action, identifiers)
        if action == "created" and "opening_hours" in record and hours is None:
            # What the export writes for a place without hours that stays open on holidays;
            # an existing place keeps its hours (see the package's docstring).
            place.closed_on_public_holidays = place.closed_on_eves = False
        if values.get("latitude") is not None and "location_approximate" not in values:
            place.location_approximate = False  # the file's own coordinates
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
        elif (organization.slug, key) in self.seen_keys:
            self.report.add(
                row,
                "name",
                _("The same meeting place is already on row %(row)d.")
                % {"row": self.seen_keys[organization.slug, key]},
            )
        elif values.get("slug") in self.seen_slugs:
            self.report.add(
                row,
                "slug",
                _("The same slug is already on row %(row)d.")
                % {"row": self.seen_slugs[values["slug"]]},
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
            self.seen_keys[organization.slug, key] = row
            if "slug" in values:
                self.seen_slugs[values["slug"]] = row
            if action == "updated" and self._unchanged(place, before, values, audiences, hours):
                action = "unchanged"
            return PlannedRow(row, place, action, audiences, hours)
        return None

    def _match(self, row, organization, key, slug):
        """The existing place a row updates: the one with the row's slug, or else the one of
        its organisation, municipality and name; None for a new place."""
        by_key, by_slug = self._existing(organization)
        if slug:
            if slug in by_slug:
                return by_slug[slug]
            if slug in self._slugs_in_use() and slug not in RESERVED_PLACE_SLUGS:
                self.report.add(
                    row, "slug", _("Another meeting place has this slug. Choose another one.")
                )
                return None
        return by_key.get(key)

    def _apply_identifiers(self, row, place, action, identifiers):
        """The open data ID and the PTV ID are set when a place is created and never changed."""
        for name, value in identifiers.items():
            if value is INVALID:
                continue
            if action == "updated":
                if getattr(place, name) != value:
                    self.report.add(
                        row,
                        name,
                        _(
                            "This ID cannot be changed by an import: leave the cell empty or "
                            "give the place's own ID."
                        ),
                    )
                continue
            if value in self._identifiers_in_use(name):
                self.report.add(row, name, _("Another meeting place has this ID."))
                continue
            self._identifiers_in_use(name).add(value)
            setattr(place, name, value)

    def _identifiers_in_use(self, name):
        if name not in self.used_identifiers:
            self.used_identifiers[name] = set(
                Place.objects.exclude(**{f"{name}__isnull": True}).values_list(name, flat=True)
            )
        return self.used_identifiers[name]

    def _slugs_in_use(self):
        if self.used_slugs is None:
            self.used_slugs = {*Place.objects.values_list("slug", flat=True), *RESERVED_PLACE_SLUGS}
        return self.used_slugs

    def _identifier(self, row, name, value):
        try:
            return uuid.UUID(value)
        except ValueError:
            self.report.add(
                row, name, _("Enter an ID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301.")
            )
            return INVALID

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
        if organization is None and self.may_create_organizations:
            return self._new_organization(row, value)
        if organization is None:
            self.report.add(
                row, "organization", _("Unknown organisation “%(value)s”.") % {"value": value}
            )
        return organization

    def _new_organization(self, row, name):
        """The organisation of this name that the import will create (one for all its rows)."""
        key = name.casefold()
        if key in self.new_organizations:
            return self.new_organizations[key]
        organization = Organization(name=normalise_text(name, multiline=False))
        try:
            organization.full_clean(exclude={"slug"}, validate_unique=False)
        except ValidationError as error:
            for messages in error.message_dict.values():
                for message in messages:
                    self.report.add(row, "organization", message)
            return None
        max_length = Organization._meta.get_field("slug").max_length
        base = slugify(name)[: max_length - 4] or "organisaatio"
        taken = self._organization_slugs()
        organization.slug = next(
            slug
            for slug in (base, *(f"{base}-{number}" for number in range(2, 1000)))
            if slug not in taken
        )
        taken.add(organization.slug)
        self.new_organizations[key] = organization
        return organization

    def _organization_slugs(self):
        if not hasattr(self, "_taken_organization_slugs"):
            self._taken_organization_slugs = set(
                Organization.objects.values_list("slug", flat=True)
            )
        return self._taken_organization_slugs

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
        if name in COORDINATE_COLUMNS:
            if not value:
                return None
            try:
                return Decimal(value.replace(",", ".")).quantize(
                    COORDINATE_PLACES, rounding=ROUND_HALF_UP
                )
            except InvalidOperation:
                self.report.add(row, name, _("Enter a number, for example 62.2426."))
                return INVALID
        if name in BOOLEAN_COLUMNS:
            if not value:
                return Place._meta.get_field(name).default
            word = value.casefold()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            self.report.add(row, name, _("Enter yes or no (or 1/0, true/false, kyllä/ei, ja/nej)."))
            return INVALID
        if name in DATE_COLUMNS:
            return self._date(row, name, value)
        if name in CHOICE_LIST_COLUMNS:
            return self._choices(row, name, value)
        if name in URL_COLUMNS and value and "://" not in value:
            return f"https://{value}"
        return value

    def _date(self, row, name, value):
        if not value:
            return None
        for pattern in DATE_PATTERNS:
            try:
                return datetime.datetime.strptime(value, pattern).date()
            except ValueError:
                continue
        self.report.add(row, name, _("Enter a date, for example 2026-03-12 or 12.3.2026."))
        return INVALID

    def _choices(self, row, name, value):
        """A list of choice codes ("fi;sv"), as the model stores them."""
        allowed = {code for code, _label in Place._meta.get_field(name).item_choices}
        codes = []
        for code in filter(None, (part.strip().casefold() for part in value.split(LIST_SEPARATOR))):
            if code not in allowed:
                self.report.add(
                    row,
                    name,
                    _("Unknown value “%(value)s”. The values are: %(allowed)s.")
                    % {"value": code, "allowed": ", ".join(sorted(allowed))},
                )
                return INVALID
            if code not in codes:
                codes.append(code)
        return codes

    def _audiences(self, row, value):
        if value is None:
            return None
        audiences = []
        for name in filter(None, (part.strip() for part in value.split(LIST_SEPARATOR))):
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
            parsed = parse_opening_hours(value)
        except ValidationError as error:
            for message in error.messages:
                self.report.add(row, "opening_hours", message)
            return None
        if not mentions_public_holidays(value):
            # One rule with the admin's form: unless the hours say otherwise ("PH off",
            # "PH 12:00-16:00", "PH Mo-Fr 09:00-16:00"), a place is closed on public holidays.
            parsed = replace(parsed, closed_on_public_holidays=HOLIDAYS_CLOSED_BY_DEFAULT)
        return parsed

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
        return hours is None or format_parsed_hours(hours) == place_opening_hours(place)

    def _existing(self, organization):
        """The places of ``organization`` by (municipality code, case-folded name) and by slug."""
        if organization.pk is None:  # to be created by this import: no places yet
            return {}, {}
        if organization.pk not in self.existing:
            places = list(
                Place.objects.filter(organization=organization).prefetch_related(
                    "audiences", "weekly_hours", "exceptions"
                )
            )
            self.existing[organization.pk] = (
                {(place.municipality_id, place.name.casefold()): place for place in places},
                {place.slug: place for place in places},
            )
        return self.existing[organization.pk]

    def _unique_slug(self, place):
        max_length = Place._meta.get_field("slug").max_length
        base = slugify(place.name)[: max_length - 10] or "paikka"
        candidates = [base, f"{base}-{place.municipality.slug}"[: max_length - 4]]
        candidates += (f"{candidates[1]}-{number}" for number in range(2, 1000))
        used = self._slugs_in_use()
        slug = next(candidate for candidate in candidates if candidate not in used)
        used.add(slug)
        return slug

    def _write(self, planned):
        changed = [plan for plan in planned if plan.action != "unchanged"]
        # Slugs the file gives are taken before any is made up for a place without one.
        self._slugs_in_use().update(plan.place.slug for plan in planned if plan.place.slug)
        for plan in changed:  # before the transaction: the geocoder may take seconds
            self.report.note(plan.row, complete_location(plan.place))
        try:
            with transaction.atomic():
                updated = [plan.place for plan in changed if plan.action == "updated"]
                saved_since = lock_unless_saved_since(
                    [(plan.row, plan.place) for plan in planned if plan.action != "created"],
                    self.report.matched if self.expected is None else self.expected,
                )
                if saved_since:
                    self._refuse_saved_since(saved_since)
                    return
                organizations = list(self.new_organizations.values())
                for organization in organizations:
                    organization.save()
                if organizations:
                    record_versions(
                        organizations, user=self.user, comment=_("Imported from a CSV file.")
                    )
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
        self.report.notes = []
        self.report.new_organizations = []
        self.report.add(None, "", message)

    def _refuse_saved_since(self, names):
        refuse_saved_since(self.report, names, after_preview=self.expected is not None)


def _hours_in_words(parsed, action):
    """How the row's opening_hours were read, in words (None for a place whose hours the row
    leaves as they are)."""
    if parsed is None:
        return str(hours_in_words([], [], False)) if action == "created" else None
    return str(
        hours_in_words(
            parsed.rules,
            parsed.closures,
            parsed.closed_on_public_holidays,
            parsed.closed_on_eves,
        )
    )


def _update_in_bulk(places, field_names):
    """Write ``field_names`` of ``places`` in one UPDATE … FROM (VALUES …) per batch (the
    values' columns named in a WITH list, which PostgreSQL and SQLite both read). Django's
    bulk_update writes a CASE expression per field with one branch per row, which takes
    minutes to build for thousands of rows of thirty fields (issue 22: the largest import must
    finish well within the server's timeout)."""
    fields = [Place._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    table = quote(Place._meta.db_table)
    key = Place._meta.pk
    columns = [key, *fields]
    if connection.vendor == "postgresql":
        # VALUES has no column types of its own; PostgreSQL takes them from the first row.
        cell = ", ".join(f"CAST(%s AS {field.db_type(connection)})" for field in columns)
    else:
        cell = ", ".join("%s" for _field in columns)
    assignments = ", ".join(f"{quote(field.column)} = v.{quote(field.column)}" for field in fields)
    names = ", ".join(quote(field.column) for field in columns)
    with connection.cursor() as cursor:
        for start in range(0, len(places), BATCH_SIZE):
            batch = places[start : start + BATCH_SIZE]
            params = [
                field.get_db_prep_save(getattr(place, field.attname), connection)
                for place in batch
                for field in columns
            ]
            # A WITH list names the values' columns in both PostgreSQL and SQLite.
            cursor.execute(
                f"WITH v({names}) AS (VALUES "
                + ", ".join(f"({cell})" for _place in batch)
                + f") UPDATE {table} SET {assignments} FROM v"
                + f" WHERE {table}.{quote(key.column)} = v.{quote(key.column)}",
                params,
            )


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
        place.slug = place.slug or unique_slug(place)
    Place.objects.bulk_create(created, batch_size=BATCH_SIZE)
    _update_in_bulk(updated, UPDATED_FIELDS)

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
    # Yearly closures ("Dec 24-Jan 06 off") belong to the opening_hours text; the exceptions of
    # given dates are the sister file's.
    HoursException.objects.filter(
        place__in=[plan.place for plan in with_hours], recurs_yearly=True
    ).delete()
    HoursException.objects.bulk_create(
        (
            HoursException(place=plan.place, **asdict(closure))
            for plan in with_hours
            for closure in plan.hours.closures
        ),
        batch_size=BATCH_SIZE,
    )
    bump_data_version()


def import_places(
    source,
    *,
    organization=None,
    dry_run=False,
    user=None,
    expected=None,
    create_organizations=False,
):
    """Import meeting places from CSV ``source`` (str, bytes or file), all rows or none.

    A file whose header has the sister file's ``place`` and ``start_date`` columns is a file of
    exceptions to the opening hours (see places.csv_io.exceptions). ``organization`` (an
    Organization or its slug) fills in the organisation of every row of a places file.
    ``user`` limits the import to what that user may manage; None (a management command)
    may import anything. ``expected`` is the ``matched`` of the preview's report: the import
    then writes nothing if a place it matches was saved since the preview, or if a row matches
    another place than it did then (the report's ``conflicts`` name them). Returns an
    ImportReport; never raises for bad input.

    An organisation the file names that does not exist is created with its places when
    ``user`` is a site admin or a coordinator, or when ``create_organizations`` is given
    without a user; otherwise it is a problem of its rows.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        text = read_csv_source(source)
    except CsvFileError as error:
        for message in error.messages:
            report.add(None, "", message)
        return report
    if is_exceptions_file(text):
        return ExceptionImport(text, user, report, expected).run()
    return _PlaceImport(text, organization, user, dry_run, expected, create_organizations).run()


def is_exceptions_file(text):
    header = header_of(text)
    return all(name in header for name in EXCEPTION_REQUIRED_COLUMNS)
