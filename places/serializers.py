"""Machine-readable faces of meeting places: GeoJSON for the map, Open Referral HSDS 3.0 for
open data, and schema.org JSON-LD for search engines.

Builders take places already filtered and prefetched by the views (see places.views), so they
run no queries of their own.
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from places.hours import HELSINKI, season_dates

COORDINATE_DECIMALS = 5
SCHEMA_ORG_DAYS = {
    1: "https://schema.org/Monday",
    2: "https://schema.org/Tuesday",
    3: "https://schema.org/Wednesday",
    4: "https://schema.org/Thursday",
    5: "https://schema.org/Friday",
    6: "https://schema.org/Saturday",
    7: "https://schema.org/Sunday",
}
ICAL_DAYS = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}
# The escapes of django.utils.html.json_script: JSON inside <script> can never end the element.
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
FINLAND = "FI"


def clock(moment):
    return moment.strftime("%H:%M")


def hours_text(schedule, closed_label=None):
    """One day's hours as short text: "09:00–15:00, 17:00–20:00", or why it is closed."""
    if schedule.is_closed:
        return schedule.reason or closed_label or _("closed")
    return ", ".join(f"{clock(opens)}–{clock(closes)}" for opens, closes in schedule.ranges)


def json_ld_script(data):
    """A ``<script type="application/ld+json">`` element, escaped like ``json_script``."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def url_builder(url_for_slug):
    """A fast ``slug -> URL`` for thousands of places, from one call of ``url_for_slug``."""
    marker = "slug"
    head, tail = url_for_slug(marker).rsplit(marker, 1)
    return lambda slug: f"{head}{slug}{tail}"


def geojson_feature_collection(rows, hours_today, detail_url):
    """A compact FeatureCollection: ``rows`` are (pk, slug, name, latitude, longitude) of places
    with a location, ``hours_today`` their hours text by pk."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": pk,
                "geometry": {
                    "type": "Point",
                    "coordinates": [
                        round(float(longitude), COORDINATE_DECIMALS),
                        round(float(latitude), COORDINATE_DECIMALS),
                    ],
                },
                "properties": {
                    "slug": slug,
                    "name": name,
                    "url": detail_url(slug),
                    "hours_today": hours_today[pk],
                },
            }
            for pk, slug, name, latitude, longitude in rows
        ],
    }


def _address(place):
    return {
        "@type": "PostalAddress",
        "streetAddress": place.street_address,
        "postalCode": place.postal_code,
        "addressLocality": place.postal_town,
        "addressRegion": place.municipality.region.name,
        "addressCountry": FINLAND,
    }


def _opening_hours_specification(rule):
    specification = {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": SCHEMA_ORG_DAYS[rule.weekday],
        "opens": clock(rule.opens),
        "closes": clock(rule.closes),
    }
    valid_from, valid_until = season_dates(rule.valid_from, rule.valid_until, rule.recurs_yearly)
    if valid_from:
        specification["validFrom"] = valid_from.isoformat()
    if valid_until:
        specification["validThrough"] = valid_until.isoformat()
    return specification


def _special_opening_hours_specification(exception):
    # schema.org marks a day closed with opening and closing both at midnight.
    return {
        "@type": "OpeningHoursSpecification",
        "validFrom": exception.start_date.isoformat(),
        "validThrough": exception.last_date.isoformat(),
        "opens": "00:00" if exception.closed else clock(exception.opens),
        "closes": "00:00" if exception.closed else clock(exception.closes),
        **({"description": exception.reason} if exception.reason else {}),
    }


def place_json_ld(place, today, absolute_url):
    data = {
        "@context": "https://schema.org",
        "@type": "Place",
        "@id": absolute_url(place.get_absolute_url()),
        "url": absolute_url(place.get_absolute_url()),
        "name": place.name,
        "description": place.description,
        "address": _address(place),
        "isAccessibleForFree": place.free_of_charge,
        "publicAccess": True,
        "amenityFeature": [
            {"@type": "LocationFeatureSpecification", "name": name, "value": value}
            for name, value in (
                ("step-free entrance", place.step_free_access),
                ("accessible toilet", place.accessible_toilet),
                ("induction loop", place.induction_loop),
            )
        ],
        "openingHoursSpecification": [
            _opening_hours_specification(rule) for rule in place.weekly_hours.all()
        ],
        "specialOpeningHoursSpecification": [
            _special_opening_hours_specification(exception)
            for exception in place.upcoming_exceptions(today)
        ],
    }
    if place.has_location:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(place.latitude),
            "longitude": float(place.longitude),
        }
    optional = {"telephone": place.phone, "email": place.email, "sameAs": place.website}
    data.update({key: value for key, value in optional.items() if value})
    return data


# What hsds_document reads of each place (``QuerySet.values``): a dict per place is far cheaper
# than model instances with their related managers when every place is exported.
HSDS_PLACE_FIELDS = (
    "pk",
    "slug",
    "name",
    "description",
    "organization_id",
    "municipality__region_id",
    "street_address",
    "postal_code",
    "postal_town",
    "latitude",
    "longitude",
    "email",
    "phone",
    "contact_name",
    "price_note",
    "free_of_charge",
    "languages",
    "last_verified",
)
HSDS_RULE_FIELDS = (
    "pk",
    "weekday",
    "opens",
    "closes",
    "valid_from",
    "valid_until",
    "recurs_yearly",
)


def hsds_document(places, organizations, lookups, detail_url, generated_at):
    """Open Referral HSDS 3.0 objects: each place is a service of its organisation, delivered
    at one physical location, with a weekly schedule per opening range.

    ``places`` are dicts of HSDS_PLACE_FIELDS; ``organizations`` the Organization objects they
    name; ``lookups`` an HSDSLookups: names by key, and the weekly rules
    (dicts of HSDS_RULE_FIELDS) by place pk."""
    services, locations, service_at_locations, schedules = [], [], [], []
    for place in places:
        pk = place["pk"]
        service_id, location_id = f"service-{pk}", f"location-{pk}"
        organization_id = f"organization-{place['organization_id']}"
        services.append(_hsds_service(place, service_id, organization_id, lookups, detail_url))
        locations.append(_hsds_location(place, location_id, organization_id, lookups))
        service_at_locations.append(
            {
                "id": f"service-at-location-{pk}",
                "service_id": service_id,
                "location_id": location_id,
            }
        )
        schedules.extend(
            _hsds_schedule(rule, service_id, location_id, lookups) for rule in lookups.rules[pk]
        )
    return {
        "hsds_version": "3.0",
        "generated_at": generated_at.astimezone(HELSINKI).isoformat(timespec="seconds"),
        "license": settings.OPEN_DATA_LICENSE,
        "license_url": settings.OPEN_DATA_LICENSE_URL,
        "publisher": settings.SITE_NAME,
        "organizations": [_hsds_organization(organization) for organization in organizations],
        "services": services,
        "locations": locations,
        "service_at_locations": service_at_locations,
        "schedules": schedules,
    }


@dataclass
class HSDSLookups:
    """What the HSDS export looks up by key (names in the active language, the weekly rules of
    each place), read once per export."""

    regions: dict
    audiences: dict
    rules: dict
    languages: dict = field(default_factory=dict)
    free_of_charge: str = ""
    local_time: str = ""


def _hsds_organization(organization):
    organization_id = f"organization-{organization.pk}"
    data = {
        "id": organization_id,
        "name": organization.name,
        "description": organization.get_kind_display(),
        "website": organization.website or None,
        "organization_identifiers": [],
    }
    if organization.business_id:
        data["organization_identifiers"].append(
            {
                "id": f"{organization_id}-business-id",
                "organization_id": organization_id,
                "identifier_scheme": "FI-PRO",
                "identifier_type": _("Finnish business ID (Y-tunnus)"),
                "identifier": organization.business_id,
            }
        )
    return data


def _hsds_service(place, service_id, organization_id, lookups, detail_url):
    return {
        "id": service_id,
        "organization_id": organization_id,
        "name": place["name"],
        "description": place["description"],
        "url": detail_url(place["slug"]),
        "email": place["email"] or None,
        "status": "active",
        "fees_description": place["price_note"]
        or (lookups.free_of_charge if place["free_of_charge"] else ""),
        "eligibility_description": ", ".join(lookups.audiences[place["pk"]]),
        "assured_date": place["last_verified"].isoformat() if place["last_verified"] else None,
        "languages": [
            {
                "id": f"{service_id}-language-{code}",
                "service_id": service_id,
                "name": lookups.languages[code],
                "code": None if code == "other" else code,
            }
            for code in place["languages"]
            if code in lookups.languages
        ],
        "phones": (
            [{"id": f"{service_id}-phone", "service_id": service_id, "number": place["phone"]}]
            if place["phone"]
            else []
        ),
        "contacts": (
            [
                {
                    "id": f"{service_id}-contact",
                    "service_id": service_id,
                    "name": place["contact_name"],
                    "email": place["email"] or None,
                }
            ]
            if place["contact_name"]
            else []
        ),
    }


def _hsds_location(place, location_id, organization_id, lookups):
    located = place["latitude"] is not None
    return {
        "id": location_id,
        "location_type": "physical",
        "organization_id": organization_id,
        "name": place["name"],
        "latitude": float(place["latitude"]) if located else None,
        "longitude": float(place["longitude"]) if located else None,
        "addresses": [
            {
                "id": f"{location_id}-address",
                "location_id": location_id,
                "address_1": place["street_address"],
                "city": place["postal_town"],
                "state_province": lookups.regions[place["municipality__region_id"]],
                "postal_code": place["postal_code"],
                "country": FINLAND,
                "address_type": "physical",
            }
        ],
    }


def _hsds_schedule(rule, service_id, location_id, lookups):
    valid_from, valid_to = season_dates(
        rule["valid_from"], rule["valid_until"], rule["recurs_yearly"]
    )
    return {
        "id": f"schedule-{rule['pk']}",
        "service_id": service_id,
        "location_id": location_id,
        "freq": "WEEKLY",
        "interval": 1,
        "byday": ICAL_DAYS[rule["weekday"]],
        "opens_at": clock(rule["opens"]),
        "closes_at": clock(rule["closes"]),
        "valid_from": valid_from.isoformat() if valid_from else None,
        "valid_to": valid_to.isoformat() if valid_to else None,
        "notes": lookups.local_time,
    }
