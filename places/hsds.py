"""Open Referral HSDS 3.0: each published place is a service of its organisation, delivered at
one physical location (its service_at_location), in the fully nested form of the spec's
compiled schemas (schema/compiled/service.json) and the list forms its API pages carry.

Ids are UUIDs that stay the same in every export: an organisation's and a place's are stored
(``uuid``), the others derive from the place's (UUID version 5 under it). A key whose value is
unknown is left out, never null. Schedules cover the coming year (places.periods): one per
weekly range and period, split where a season starts or ends, around every closed day (public
holidays and eves the place closes on, closed exceptions) as HSDS's guidance on exceptional
schedules says, and where Finland changes its clocks, so that every time carries its UTC offset.

Builders take places already fetched with ``hsds_queryset`` and run no queries of their own.
"""

from dataclasses import dataclass
from datetime import timedelta
from uuid import uuid5

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from places.models import HoursException, Place
from places.periods import export_window, hours_periods
from places.serializers import ICAL_DAYS, PTV_SOURCE_NAME, clock

HSDS_VERSION = "3.0"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
FINLAND = "FI"
PER_PAGE = 50
MAX_PER_PAGE = 500
# ISO 639-1, as HSDS asks, where a language choice is not one: plain Finnish is Finnish, and
# "other languages" has no code.
LANGUAGE_CODES = {"fi-plain": "fi", "other": None}


def derived_id(base, *parts):
    """A UUID for an object that belongs to the one whose stored UUID is ``base``: the same for
    the same parts in every export."""
    return str(uuid5(base, ":".join(str(part) for part in parts)))


def hsds_queryset(places, today):
    """``places`` with everything the builders read, in a fixed number of queries."""
    since = today - timedelta(days=1)
    current_exceptions = HoursException.objects.filter(
        Q(recurs_yearly=True)
        | Q(end_date__gte=since)
        | Q(end_date__isnull=True, start_date__gte=since)
    )
    return places.select_related("organization", "municipality__region").prefetch_related(
        "audiences", "weekly_hours", Prefetch("exceptions", queryset=current_exceptions)
    )


@dataclass
class HSDSContext:
    """What every object needs besides its place: the place page's URL by slug, and today (the
    start of the schedules' year)."""

    detail_url: object
    today: object


def _compact(data):
    """Leave out unknown values: HSDS types them as plain strings and numbers, never null."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def _offset_hours(offset):
    return offset.total_seconds() / 3600


def _with_offset(moment, offset):
    hours, remainder = divmod(int(offset.total_seconds()), 3600)
    sign = "+" if hours >= 0 else "-"
    return f"{clock(moment)}{sign}{abs(hours):02d}:{remainder // 60:02d}"


# Organisations -----------------------------------------------------------------------------


def organization_list_item(organization):
    """An organisation with its one-to-one fields (compiled/organization_list.json)."""
    return _compact(
        {
            "id": str(organization.uuid),
            "name": organization.name,
            "description": organization.get_kind_display(),
            "website": organization.website,
        }
    )


def organization_full(organization, services=()):
    """An organisation with its identifiers and, when given, its services
    (compiled/organization.json)."""
    data = organization_list_item(organization)
    organization_id = data["id"]
    if organization.business_id:
        data["organization_identifiers"] = [
            {
                "id": derived_id(organization.uuid, "business-id"),
                "organization_id": organization_id,
                "identifier_scheme": "FI-PRO",
                "identifier_type": _("Finnish business ID (Y-tunnus)"),
                "identifier": organization.business_id,
            }
        ]
    if organization.ptv_id:
        data.setdefault("organization_identifiers", []).append(
            {
                "id": derived_id(organization.uuid, "ptv"),
                "organization_id": organization_id,
                "identifier_type": PTV_SOURCE_NAME,
                "identifier": str(organization.ptv_id),
            }
        )
    if services:
        data["services"] = list(services)
    return data


# Services ----------------------------------------------------------------------------------


def service_list_item(place, context):
    """A service with its one-to-one fields and its organisation (compiled/service_list.json)."""
    audiences = ", ".join(audience.name for audience in place.audiences.all())
    fees = place.price_note or (_("free of charge") if place.free_of_charge else "")
    return _compact(
        {
            "id": str(place.uuid),
            "organization_id": str(place.organization.uuid),
            "name": place.name,
            "description": place.description,
            "url": context.detail_url(place.slug),
            "email": place.email,
            "status": "active",
            "fees_description": fees,
            "eligibility_description": audiences,
            "assured_date": place.last_verified.isoformat() if place.last_verified else None,
            "last_modified": place.updated_at.isoformat(timespec="seconds"),
            "organization": organization_list_item(place.organization),
        }
    )


def _service_id(place):
    return str(place.uuid)


def _service_at_location_id(place):
    return derived_id(place.uuid, "service-at-location")


def _location_id(place):
    return derived_id(place.uuid, "location")


def _languages(place, **links):
    labels = dict(Place.Language.choices)
    return [
        _compact(
            {
                "id": derived_id(place.uuid, "language", code, *links),
                **links,
                "name": str(labels[code]),
                "code": LANGUAGE_CODES.get(code, code),
            }
        )
        for code in place.languages
        if code in labels
    ]


def _phones(place, **links):
    if not place.phone:
        return []
    return [{"id": derived_id(place.uuid, "phone", *links), **links, "number": place.phone}]


def _contacts(place, service_id):
    if not place.contact_name:
        return []
    contact_id = derived_id(place.uuid, "contact")
    return [
        _compact(
            {
                "id": contact_id,
                "service_id": service_id,
                "name": place.contact_name,
                "email": place.email,
                "phones": _phones(place, contact_id=contact_id),
            }
        )
    ]


def _accessibility(place, location_id):
    features = [
        ("step-free", place.step_free_access, _("Step-free entrance")),
        ("toilet", place.accessible_toilet, _("Accessible toilet")),
        ("loop", place.induction_loop, _("Induction loop")),
        ("parking", place.accessible_parking, _("Accessible parking")),
        ("stroller", place.stroller_space, _("Space for prams and strollers")),
        ("guide-dogs", place.guide_dogs_welcome, _("Guide and assistance dogs welcome")),
    ]
    entries = [
        {
            "id": derived_id(place.uuid, "accessibility", key),
            "location_id": location_id,
            "description": str(label),
        }
        for key, present, label in features
        if present
    ]
    if place.accessibility_note:
        entries.append(
            {
                "id": derived_id(place.uuid, "accessibility", "note"),
                "location_id": location_id,
                "description": _("More about accessibility"),
                "details": place.accessibility_note,
            }
        )
    if place.accessibility_contact:
        entries.append(
            {
                "id": derived_id(place.uuid, "accessibility", "contact"),
                "location_id": location_id,
                "description": _("Ask about accessibility"),
                "details": place.accessibility_contact,
            }
        )
    return entries


def location_item(place, context, nested=True):
    """The place's physical location (location.json; in lists without its arrays)."""
    location_id = _location_id(place)
    data = {
        "id": location_id,
        "location_type": "physical",
        "url": context.detail_url(place.slug),
        "organization_id": str(place.organization.uuid),
        "name": place.name,
    }
    # A hidden address (a place of a sensitive group) gives neither point nor street.
    hidden = place.address_hidden
    if place.has_location and not hidden:
        data["latitude"] = float(place.latitude)
        data["longitude"] = float(place.longitude)
    if place.ptv_id:
        data["external_identifier"] = str(place.ptv_id)
        data["external_identifier_type"] = PTV_SOURCE_NAME
    if not nested:
        return data
    data["addresses"] = (
        []
        if hidden
        else [
            {
                "id": derived_id(place.uuid, "address"),
                "location_id": location_id,
                "address_1": place.street_address,
                "city": place.postal_town,
                "state_province": place.municipality.region.name,
                "postal_code": place.postal_code,
                "country": FINLAND,
                "address_type": "physical",
            }
        ]
    )
    return _compact(
        {
            **data,
            "languages": _languages(place, location_id=location_id),
            "accessibility": _accessibility(place, location_id),
            "phones": _phones(place, location_id=location_id),
        }
    )


def schedules(place, context):
    """The place's schedules for the coming year, attached to its service_at_location."""
    first, last = export_window(context.today)
    periods, _closures = hours_periods(
        list(place.weekly_hours.all()),
        list(place.exceptions.all()),
        place.closed_on_public_holidays,
        place.closed_on_eves,
        first,
        last,
        split_at_clock_changes=True,
    )
    service_at_location_id = _service_at_location_id(place)
    result = []
    for period in periods:
        byday = ",".join(ICAL_DAYS[day] for day in period.weekdays)
        # Bounds that are the window's own move every day: the id leaves them out, so that a
        # schedule keeps its id from one day's export to the next.
        key = (
            byday,
            clock(period.opens),
            clock(period.closes),
            "" if period.first == first else period.first,
            "" if period.last == last else period.last,
            _offset_hours(period.utc_offset),
        )
        result.append(
            _compact(
                {
                    "id": derived_id(place.uuid, "schedule", *key),
                    "service_at_location_id": service_at_location_id,
                    "valid_from": period.first.isoformat(),
                    "valid_to": period.last.isoformat(),
                    "timezone": _offset_hours(period.utc_offset),
                    "freq": "WEEKLY",
                    "interval": 1,
                    "byday": byday,
                    "opens_at": _with_offset(period.opens, period.utc_offset),
                    "closes_at": _with_offset(period.closes, period.utc_offset),
                    "notes": period.reason,
                }
            )
        )
    return result


def service_at_location_item(place, context, nested=True):
    """The place's service at its location: in lists with the location's one-to-one fields
    (compiled/service_at_location_list.json), nested with its schedules and full location."""
    data = {
        "id": _service_at_location_id(place),
        "service_id": _service_id(place),
        "location_id": _location_id(place),
        "location": location_item(place, context, nested=nested),
    }
    if nested:
        data["schedules"] = schedules(place, context)
    return _compact(data)


def service_full(place, context):
    """The fully nested service (compiled/service.json)."""
    data = service_list_item(place, context)
    service_id = data["id"]
    data["organization"] = organization_full(place.organization)
    return _compact(
        {
            **data,
            "phones": _phones(place, service_id=service_id),
            "languages": _languages(place, service_id=service_id),
            "contacts": _contacts(place, service_id),
            "service_at_locations": [service_at_location_item(place, context)],
        }
    )


def service_at_location_full(place, context):
    """A service at location with its service (compiled/service_at_location.json)."""
    data = service_at_location_item(place, context)
    service = service_full(place, context)
    service.pop("service_at_locations")
    data["service"] = service
    return data


def service_at_location_list_item(place, context):
    data = service_at_location_item(place, context, nested=False)
    data["service"] = service_list_item(place, context)
    return data


def api_root(openapi_url=OPENAPI_URL, profile_url=None):
    """The API's meta information (the spec's ``/``)."""
    return _compact({"version": HSDS_VERSION, "profile": profile_url, "openapi_url": openapi_url})


def page(items, total_items, page_number, per_page):
    """The spec's Page object around ``items``, the ``page_number``th of ``per_page``."""
    total_pages = -(-total_items // per_page)
    return {
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(items),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": not items,
        "contents": items,
    }
