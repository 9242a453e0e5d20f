"""Import of meeting places from the Suomi.fi Service Catalogue (PTV), open API version 11.

The API lists a municipality's service channels in pages (``pageNumber``, ``pageCount``,
``itemList``); /work/shared/ptv/README.md (copied in the README) describes an item. Published
``ServiceLocation`` channels become places; other channel types have no visiting address and
drafts are not public, so both are skipped.

Each imported field remembers the value the import wrote (``Place.ptv_imported``). A later run
changes a field only while it still holds that value: a field that staff edited here is left
alone and reported as differing from PTV. Places are never deleted: a channel missing from the
listing is reported. A run saves everything or nothing.
"""

import datetime as dt
import hashlib
import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from pyproj import Transformer

from kohtaamispaikat.core.cache import bump_data_version
from kohtaamispaikat.core.history import record_baselines, record_versions
from places.geocoding import locate
from places.models import HoursException, Municipality, Organization, Place, WeeklyHours
from places.validators import RESERVED_PLACE_SLUGS

DEFAULT_API_URL = "https://api.palvelutietovaranto.suomi.fi/api/v11"
LIST_PATH = "/ServiceChannel/list/area/Municipality/code/{code}"
MAX_PAGES = 500
REQUEST_TIMEOUT_SECONDS = 30
# PTV gives coordinates in ETRS-TM35FIN; always_xy: easting first, then northing.
TO_WGS84 = Transformer.from_crs("EPSG:3067", "EPSG:4326", always_xy=True)
COORDINATE_PLACES = Decimal("0.000001")
WEEKDAYS = {
    "monday": 1,
    "tuesday": 2,
    "wednesday": 3,
    "thursday": 4,
    "friday": 5,
    "saturday": 6,
    "sunday": 7,
}
SAMI_LANGUAGES = {"se", "smn", "sms"}
HOURS = "opening_hours"
# The fields an import writes, in the order they are reported.
IMPORTED_FIELDS = (
    "name",
    "name_sv",
    "name_en",
    "description",
    "description_sv",
    "description_en",
    "municipality",
    "street_address",
    "postal_code",
    "postal_town",
    "latitude",
    "longitude",
    "location_approximate",
    "phone",
    "email",
    "website",
    "languages",
    HOURS,
)


class PtvError(Exception):
    """The listing as a whole cannot be read (a missing page, a file that is not PTV JSON,
    the API unreachable); nothing is imported."""


# Reading the listing --------------------------------------------------------------------------


def list_url(municipality_code, page, base_url=None):
    base_url = (base_url or getattr(settings, "PTV_API_URL", "") or DEFAULT_API_URL).rstrip("/")
    path = LIST_PATH.format(code=urllib.parse.quote(municipality_code))
    return f"{base_url}{path}?{urllib.parse.urlencode({'page': page})}"


def fetch_pages(municipality_code, base_url=None):
    """Every page of the municipality's listing from the API, following ``pageCount``."""
    pages, page_count, number = [], 1, 1
    while number <= page_count:
        url = list_url(municipality_code, number, base_url)
        try:
            with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT_SECONDS) as response:
                page = _parse_page(response.read(), url)
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            raise PtvError(
                _("The Service Catalogue did not answer (%(url)s): %(error)s")
                % {"url": url, "error": getattr(error, "reason", error)}
            ) from error
        page_count = min(_page_count(page, url), MAX_PAGES)
        pages.append(page)
        number += 1
    return pages


def read_pages(paths):
    """The pages saved in ``paths``, checked to be the whole listing, each page once."""
    pages = []
    for path in paths:
        try:
            with open(path, "rb") as source:
                pages.append(_parse_page(source.read(), path))
        except OSError as error:
            raise PtvError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error.strerror}
            ) from error
    return check_complete(pages)


def check_complete(pages):
    if not pages:
        raise PtvError(_("No pages to import."))
    counts = {_page_count(page, "") for page in pages}
    if len(counts) != 1:
        raise PtvError(_("The pages are from different listings (their page counts differ)."))
    numbers = sorted(page.get("pageNumber") for page in pages)
    expected = list(range(1, counts.pop() + 1))
    if numbers != expected:
        raise PtvError(
            _("The listing is incomplete: it has pages %(expected)s, the files have %(given)s.")
            % {
                "expected": ", ".join(map(str, expected)),
                "given": ", ".join(map(str, numbers)),
            }
        )
    return sorted(pages, key=lambda page: page["pageNumber"])


def _parse_page(data, source):
    try:
        page = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise PtvError(_("%(source)s is not JSON.") % {"source": source}) from error
    if (
        not isinstance(page, dict)
        or not isinstance(page.get("itemList"), list)
        or not isinstance(page.get("pageNumber"), int)
        or not all(isinstance(item, dict) for item in page["itemList"])
    ):
        raise PtvError(
            _("%(source)s is not a page of a PTV service channel listing.") % {"source": source}
        )
    return page


def _page_count(page, source):
    count = page.get("pageCount")
    if not isinstance(count, int) or count < 1:
        raise PtvError(_("%(source)s has no valid page count.") % {"source": source})
    return count


# One channel as the values of a place -----------------------------------------------------------


def _localized(entries, language, kind=None):
    for entry in entries or ():
        if entry.get("language") == language and (kind is None or entry.get("type") == kind):
            return (entry.get("value") or "").strip()
    return ""


def _first(entries, key, language="fi"):
    """The ``key`` of the entry in ``language``, else of the first entry."""
    entries = [entry for entry in entries or () if (entry.get(key) or "").strip()]
    preferred = [entry for entry in entries if entry.get("language") == language]
    return (preferred or entries or [{key: ""}])[0][key].strip()


def _names(item):
    names = item.get("serviceChannelNames")
    values = {}
    for language in ("fi", "sv", "en"):
        values[language] = _localized(names, language, "Name") or _localized(
            names, language, "AlternativeName"
        )
    return values


def _descriptions(item):
    descriptions = item.get("serviceChannelDescriptions")
    return {
        language: _localized(descriptions, language, "Description")
        or _localized(descriptions, language, "Summary")
        for language in ("fi", "sv", "en")
    }


def _visiting_address(item):
    for address in item.get("addresses") or ():
        if address.get("type") == "Location" and address.get("streetAddress"):
            return address["streetAddress"]
    return None


def _coordinates(address):
    """WGS84 latitude and longitude (six decimals) of the address, or (None, None)."""
    state = (address.get("coordinateState") or "").lower()
    try:
        northing = float(address.get("latitude"))
        easting = float(address.get("longitude"))
    except (TypeError, ValueError):
        return None, None
    if state not in ("ok", "enteredbyuser", "enteredbyar"):
        return None, None
    longitude, latitude = TO_WGS84.transform(easting, northing)
    return (
        str(Decimal(latitude).quantize(COORDINATE_PLACES, ROUND_HALF_UP)),
        str(Decimal(longitude).quantize(COORDINATE_PLACES, ROUND_HALF_UP)),
    )


def _phone(item):
    for phone in item.get("phoneNumbers") or ():
        number = (phone.get("number") or "").strip()
        if number:
            prefix = "" if phone.get("isFinnishServiceNumber") else phone.get("prefixNumber") or ""
            return f"{prefix}{number}".strip()[:40]
    return ""


def _languages(item):
    codes = []
    for code in item.get("languages") or ():
        code = str(code).lower()
        code = "se" if code in SAMI_LANGUAGES else code
        code = code if code in Place.Language.values else Place.Language.OTHER
        if code not in codes:
            codes.append(code)
    return codes


def _date(value):
    """The day of a PTV datetime; one with a UTC offset is read as a Finnish day (an
    exception "from 2026-12-23T22:00:00Z" starts on Christmas Eve)."""
    if not value:
        return None
    moment = dt.datetime.fromisoformat(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.date().isoformat()


def _time(value):
    return dt.time.fromisoformat(value).strftime("%H:%M")


def _hours(item, problems):
    """Weekly ranges [weekday, opens, closes, valid_from, valid_until] and exceptions
    [start, end, closed, opens, closes, reason], sorted, as plain JSON values."""
    weekly, exceptions = [], []
    for hours in item.get("serviceHours") or ():
        kind = hours.get("serviceHourType")
        valid_from, valid_until = _date(hours.get("validFrom")), _date(hours.get("validTo"))
        reason = _localized(hours.get("additionalInformation"), "fi")[:200]
        if kind == "Exceptional":
            start, end = valid_from, valid_until if valid_until != valid_from else None
            if start is None:
                problems.append(_("An exception to the opening hours has no date."))
            elif hours.get("isClosed") or not hours.get("openingHour"):
                exceptions.append([start, end, True, None, None, reason])
            else:
                for opening in hours["openingHour"]:
                    opens, closes = _time(opening["from"]), _time(opening["to"])
                    exceptions.append([start, end, False, opens, closes, reason])
        elif kind in ("DaysOfTheWeek", "OverMidnight"):
            if hours.get("isClosed"):
                continue
            for opening in hours.get("openingHour") or ():
                weekday = WEEKDAYS.get((opening.get("dayFrom") or "").lower())
                day_to = WEEKDAYS.get((opening.get("dayTo") or "").lower(), weekday)
                opens, closes = _time(opening["from"]), _time(opening["to"])
                passes_midnight = day_to != weekday
                if weekday is None or (passes_midnight and day_to != weekday % 7 + 1):
                    problems.append(
                        _("Opening hours from %(day_from)s to %(day_to)s cannot be imported.")
                        % {"day_from": opening.get("dayFrom"), "day_to": opening.get("dayTo")}
                    )
                elif passes_midnight != (closes <= opens) and closes != "00:00":
                    problems.append(
                        _("The opening hours %(opens)s–%(closes)s do not fit their days.")
                        % {"opens": opens, "closes": closes}
                    )
                else:
                    weekly.append([weekday, opens, closes, valid_from, valid_until])
    return {
        "weekly": sorted(weekly, key=_sort_key),
        "exceptions": sorted(exceptions, key=_sort_key),
    }


def _sort_key(row):
    return [("" if value is None else str(value)) for value in row]


def channel_values(item, problems):
    """The place values of PTV channel ``item`` as plain JSON values, keyed by field name;
    what cannot be read is added to ``problems``."""
    names, descriptions = _names(item), _descriptions(item)
    address = _visiting_address(item)
    if address is None:
        problems.append(_("The service location has no visiting address."))
        address = {}
    street = _first(address.get("street"), "value")
    number = (address.get("streetNumber") or "").strip()
    latitude, longitude = _coordinates(address)
    return {
        "name": names["fi"] or names["sv"] or names["en"],
        "name_sv": names["sv"],
        "name_en": names["en"],
        "description": descriptions["fi"],
        "description_sv": descriptions["sv"],
        "description_en": descriptions["en"],
        "municipality": ((address.get("municipality") or {}).get("code") or "").strip(),
        "street_address": f"{street} {number}".strip(),
        "postal_code": (address.get("postalCode") or "").strip(),
        "postal_town": _first(address.get("postOffice"), "value").title(),
        "latitude": latitude,
        "longitude": longitude,
        # Without coordinates from PTV the import locates the place: see _Import.locate.
        "location_approximate": False,
        "phone": _phone(item),
        "email": _first(item.get("emails"), "value"),
        "website": _first(item.get("webPages"), "url"),
        "languages": _languages(item),
        HOURS: _hours(item, problems),
    }


def place_values(place):
    """The current values of ``place`` in the form of channel_values (hours prefetched)."""
    values = {
        name: getattr(place, name)
        for name in IMPORTED_FIELDS
        if name not in ("municipality", "latitude", "longitude", HOURS)
    }
    values["municipality"] = place.municipality_id
    for name in ("latitude", "longitude"):
        value = getattr(place, name)
        values[name] = None if value is None else str(Decimal(value).quantize(COORDINATE_PLACES))
    weekly = [
        [
            rule.weekday,
            rule.opens.strftime("%H:%M"),
            rule.closes.strftime("%H:%M"),
            rule.valid_from and rule.valid_from.isoformat(),
            rule.valid_until and rule.valid_until.isoformat(),
        ]
        for rule in place.weekly_hours.all()
    ]
    exceptions = [
        [
            exception.start_date.isoformat(),
            exception.end_date and exception.end_date.isoformat(),
            exception.closed,
            exception.opens and exception.opens.strftime("%H:%M"),
            exception.closes and exception.closes.strftime("%H:%M"),
            exception.reason,
        ]
        for exception in place.exceptions.all()
    ]
    values[HOURS] = {
        "weekly": sorted(weekly, key=_sort_key),
        "exceptions": sorted(exceptions, key=_sort_key),
    }
    return values


def _apply(place, name, value):
    if name == HOURS:
        return  # written after the place is saved: see _write_hours
    if name == "municipality":
        place.municipality_id = value
    elif name in ("latitude", "longitude"):
        setattr(place, name, None if value is None else Decimal(value))
    else:
        setattr(place, name, value)


def _write_hours(place, hours):
    place.weekly_hours.all().delete()
    place.exceptions.all().delete()
    rules = [
        WeeklyHours(
            place=place,
            weekday=weekday,
            opens=dt.time.fromisoformat(opens),
            closes=dt.time.fromisoformat(closes),
            valid_from=valid_from and dt.date.fromisoformat(valid_from),
            valid_until=valid_until and dt.date.fromisoformat(valid_until),
        )
        for weekday, opens, closes, valid_from, valid_until in hours["weekly"]
    ]
    exceptions = [
        HoursException(
            place=place,
            start_date=dt.date.fromisoformat(start),
            end_date=end and dt.date.fromisoformat(end),
            closed=closed,
            opens=opens and dt.time.fromisoformat(opens),
            closes=closes and dt.time.fromisoformat(closes),
            reason=reason,
        )
        for start, end, closed, opens, closes, reason in hours["exceptions"]
    ]
    for row in (*rules, *exceptions):
        row.full_clean(exclude=["place"])
    WeeklyHours.objects.bulk_create(rules)
    HoursException.objects.bulk_create(exceptions)


def field_label(name):
    if name == HOURS:
        return str(_("opening hours"))
    return str(Place._meta.get_field(name).verbose_name)


# The report -------------------------------------------------------------------------------------


ACTION_LABELS = {
    "created": _("created"),
    "updated": _("updated"),
    "unchanged": _("unchanged"),
    "skipped": _("skipped"),
    "problem": _("problem"),
    "vanished": _("no longer in PTV"),
}


@dataclass
class ChannelOutcome:
    ptv_id: str
    name: str
    action: str  # created, updated, unchanged, skipped, problem, vanished
    place: Place | None = None
    message: str = ""
    changed: list = field(default_factory=list)
    differs: list = field(default_factory=list)  # fields edited here, kept
    edit_count: int | None = None  # of the place as read, before the import

    def get_action_display(self):
        return str(ACTION_LABELS.get(self.action, self.action))

    def changed_labels(self):
        return [field_label(name) for name in self.changed] if self.action == "updated" else []

    def differs_labels(self):
        return [field_label(name) for name in self.differs]

    def key(self):
        """What the outcome does, for telling whether a confirmation still does the same."""
        return [
            self.ptv_id,
            self.action,
            str(self.message),
            self.changed,
            self.differs,
            self.place.pk if self.place and self.action != "created" else None,
            self.edit_count,
        ]


@dataclass
class PtvReport:
    outcomes: list = field(default_factory=list)
    dry_run: bool = False
    # Set when the import was to do what a preview showed (``expected``) and would not.
    stale: bool = False

    def digest(self):
        """A fingerprint of what the import does: a preview's, compared at confirmation."""
        keys = json.dumps([outcome.key() for outcome in self.outcomes], default=str)
        return hashlib.sha256(keys.encode()).hexdigest()

    def of(self, action):
        return [outcome for outcome in self.outcomes if outcome.action == action]

    @property
    def ok(self):
        return not self.of("problem")

    @property
    def saved(self):
        return self.ok and not self.dry_run and not self.stale

    def lines(self):
        """The report as text lines, one per channel that needs a word."""
        for outcome in self.outcomes:
            label = f"{outcome.name} ({outcome.ptv_id})"
            if outcome.action == "created":
                yield str(_("created: %(place)s") % {"place": label})
            elif outcome.action == "updated":
                fields = ", ".join(field_label(name) for name in outcome.changed)
                yield str(_("updated: %(place)s: %(fields)s") % {"place": label, "fields": fields})
            if outcome.action in ("skipped", "problem", "vanished"):
                yield f"{outcome.get_action_display()}: {label}: {outcome.message}"
            elif outcome.message:  # a note, such as the geocoder's
                yield f"{label}: {outcome.message}"
            for name in outcome.differs:
                yield str(
                    _("differs from PTV: %(place)s: %(field)s (kept as edited here)")
                    % {"place": label, "field": field_label(name)}
                )

    def summary(self):
        counts = {
            action: len(self.of(action))
            for action in ("created", "updated", "unchanged", "skipped", "vanished", "problem")
        }
        if not self.ok:
            return str(_("%(problem)d channels have problems: nothing was imported.") % counts)
        text = _(
            "%(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
            "%(skipped)d skipped, %(vanished)d no longer in PTV."
        )
        if self.dry_run:
            text = _("Dry run, nothing saved: %(summary)s") % {"summary": text % counts}
            return str(text)
        return str(text % counts)


# The import -------------------------------------------------------------------------------------


class _RollBack(Exception):
    pass


def import_ptv(
    pages,
    *,
    municipality,
    organization=None,
    into=None,
    dry_run=False,
    user=None,
    scope=None,
    expected=None,
):
    """Import the published service locations of listing ``pages`` (see read_pages and
    fetch_pages) for ``municipality`` (a code), all or none.

    ``organization`` (a PTV organisation UUID) limits the import to that organisation's
    channels. New places go to ``into`` (an Organization) or else to the organisation whose
    ``ptv_id`` is the channel's organisation. ``scope`` (a ManagementScope) skips the channels
    whose place the user may not manage. ``expected`` (a preview's ``digest()``) saves only if
    the import still does exactly what the preview showed; otherwise the report is ``stale``.
    Returns a PtvReport.
    """
    report = PtvReport(dry_run=dry_run)
    organization = str(organization).lower() if organization else None
    try:
        with transaction.atomic():
            _Import(report, municipality, organization, into, user, scope).run(pages)
            if expected is not None and report.digest() != expected:
                report.stale = True
            if not report.saved:
                raise _RollBack
    except _RollBack:
        pass
    return report


class _Import:
    def __init__(self, report, municipality, organization, into, user, scope):
        self.report = report
        self.municipality = municipality
        self.organization = organization
        self.into = into
        self.user = user
        self.scope = scope
        self.municipality_objects = Municipality.objects.in_bulk()
        self.region_of = {
            code: municipality.region_id for code, municipality in self.municipality_objects.items()
        }
        self.municipalities = set(self.region_of)
        self.organizations = {
            str(org.ptv_id): org for org in Organization.objects.exclude(ptv_id=None)
        }
        self.used_slugs = None

    def run(self, pages):
        seen, saved = set(), []
        known = {
            str(place.ptv_id): place
            for place in Place.objects.select_for_update()
            .exclude(ptv_id=None)
            .prefetch_related("weekly_hours", "exceptions")
        }
        for page in pages:
            for item in page["itemList"]:
                outcome = self.channel(item, known)
                seen.add(outcome.ptv_id)
                self.report.outcomes.append(outcome)
                if outcome.action in ("created", "updated"):
                    saved.append(outcome.place)
        self.report_vanished(known, seen)
        if saved and self.report.saved:
            record_versions(
                Place.objects.filter(pk__in=[place.pk for place in saved]).with_versioned_rows(),
                user=self.user,
                comment=_("Imported from the Suomi.fi Service Catalogue (PTV)."),
            )
            bump_data_version()

    def report_vanished(self, known, seen):
        for ptv_id, place in known.items():
            source = place.ptv_imported.get("source", {})
            if ptv_id in seen or source.get("municipality") != self.municipality:
                continue
            if self.organization and source.get("organization") != self.organization:
                continue
            if not self.allows(place.organization_id, place.municipality_id):
                continue
            self.report.outcomes.append(
                ChannelOutcome(
                    ptv_id,
                    place.name,
                    "vanished",
                    place,
                    message=str(_("the place is kept here; unpublish it if it has closed")),
                )
            )

    def channel(self, item, known):
        ptv_id = str(item.get("id") or "").lower()
        names = _names(item)
        outcome = ChannelOutcome(ptv_id, names["fi"] or names["sv"] or names["en"], "skipped")
        kind, status = item.get("serviceChannelType"), item.get("publishingStatus")
        organization_id = str(item.get("organizationId") or "").lower()
        if kind != "ServiceLocation":
            outcome.message = str(_("not a service location (%(type)s)") % {"type": kind})
        elif status != "Published":
            outcome.message = str(_("not published (%(status)s)") % {"status": status})
        elif self.organization and organization_id != self.organization:
            outcome.message = str(_("a channel of another organisation"))
        else:
            self.location(item, outcome, known.get(ptv_id), organization_id)
        return outcome

    def location(self, item, outcome, place, organization_id):
        problems = []
        try:
            values = channel_values(item, problems)
        except (KeyError, TypeError, ValueError, AttributeError):
            return self.problem(outcome, [_("The channel's data cannot be read.")])
        if values["municipality"] not in self.municipalities:
            problems.append(
                _("Unknown municipality code %(code)s.") % {"code": values["municipality"]}
            )
        if place is None:
            organization = self.into or self.organizations.get(organization_id)
            if organization is None:
                problems.append(
                    _(
                        "No organisation here has the PTV organisation ID %(id)s: give it to "
                        "an organisation, or choose one to import into."
                    )
                    % {"id": organization_id}
                )
        if problems:
            return self.problem(outcome, problems)
        if not (
            self.allows(place.organization_id if place else organization.pk, values["municipality"])
            and (place is None or self.allows(place.organization_id, place.municipality_id))
        ):
            outcome.message = str(_("a place you may not manage (outside your regions)"))
            return None
        if place is not None:
            outcome.edit_count = place.edit_count
        previous = place.ptv_imported.get("fields", {}) if place else {}
        if values["latitude"] is None:
            self.locate(values, previous, outcome)
        current = place_values(place) if place else {}
        if place is None:
            place = Place(
                organization=organization,
                ptv_id=outcome.ptv_id,
                closed_on_public_holidays=False,  # PTV lists holiday closures as exceptions
                is_published=False,
            )
            outcome.action = "created"
            outcome.changed = list(IMPORTED_FIELDS)
        else:
            for name in IMPORTED_FIELDS:
                if current[name] == values[name]:
                    continue
                if name in previous and current[name] != previous[name]:
                    outcome.differs.append(name)
                else:
                    outcome.changed.append(name)
            outcome.action = "updated" if outcome.changed else "unchanged"
        outcome.place = place
        if outcome.action == "updated":
            record_baselines([place])
        for name in outcome.changed:
            _apply(place, name, values[name])
        imported = {
            "fields": values,
            "source": {
                "municipality": self.municipality,
                "organization": organization_id,
                "modified": item.get("modified"),
            },
        }
        if outcome.action == "unchanged" and place.ptv_imported == imported:
            return None
        place.ptv_imported = imported
        if outcome.action == "created":
            place.slug = self.unique_slug(place)
        try:
            place.full_clean()
            place.save()
            if HOURS in outcome.changed:
                _write_hours(place, values[HOURS])
        except ValidationError as error:
            return self.problem(outcome, _messages(error))
        return None

    def locate(self, values, previous, outcome):
        """Approximate coordinates for a channel that has none: those of the last import while
        the address is the same (the geocoder is not asked again), else looked up."""
        address = ("street_address", "postal_code", "postal_town", "municipality")
        if previous.get("location_approximate") and all(
            previous.get(name) == values[name] for name in address
        ):
            for name in ("latitude", "longitude", "location_approximate"):
                values[name] = previous[name]
            return
        location = locate(
            street_address=values["street_address"],
            postal_code=values["postal_code"],
            postal_town=values["postal_town"],
            municipality=self.municipality_objects[values["municipality"]],
        )
        values["latitude"] = str(location.latitude)
        values["longitude"] = str(location.longitude)
        values["location_approximate"] = True
        outcome.message = location.note

    def allows(self, organization_id, municipality_code):
        return self.scope is None or self.scope.allows_keys(
            organization_id, self.region_of.get(municipality_code)
        )

    def problem(self, outcome, problems):
        outcome.action = "problem"
        outcome.message = " ".join(str(problem) for problem in problems)

    def unique_slug(self, place):
        if self.used_slugs is None:
            self.used_slugs = {*Place.objects.values_list("slug", flat=True), *RESERVED_PLACE_SLUGS}
        max_length = Place._meta.get_field("slug").max_length
        base = slugify(place.name)[: max_length - 10] or "paikka"
        municipality = Municipality.objects.get(pk=place.municipality_id)
        candidates = [base, f"{base}-{municipality.slug}"[: max_length - 4]]
        candidates += (f"{candidates[1]}-{number}" for number in range(2, 1000))
        slug = next(candidate for candidate in candidates if candidate not in self.used_slugs)
        self.used_slugs.add(slug)
        return slug


def _messages(error):
    if hasattr(error, "message_dict"):
        return [
            f"{field_label(name) if name in IMPORTED_FIELDS else name}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return error.messages
