"""Machine-readable faces of meeting places: GeoJSON for the map and schema.org JSON-LD for
search engines (Open Referral HSDS 3.0 is in places/hsds.py).

Builders take places already filtered and prefetched by the views (see places.views), so they
run no queries of their own.
"""

import json
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from places.hours import is_public_holiday
from places.periods import export_window, hours_periods

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
ONE_DAY = timedelta(days=1)
# The register's own name in Finnish (also what its English pages call it).
PTV_SOURCE_NAME = "Suomi.fi-palvelutietovaranto (PTV)"


def clock(moment):
    return moment.strftime("%H:%M")


def closing_clock(opens, closes):
    """A closing time for schema.org, where 00:00-00:00 means closed all day: the whole day
    (00:00-00:00 in WeeklyHours) closes at 23:59:59, as schema.org says to write it."""
    return "23:59:59" if opens == closes else clock(closes)


def hours_text(schedule, closed_label=None):
    """One day's hours as short text: "09:00–15:00, 17:00–20:00", or why it is closed."""
    if schedule.is_closed:
        return schedule.reason or closed_label or _("closed")
    return ", ".join(
        f"{clock(opens)}–{'24:00' if opens == closes else clock(closes)}"
        for opens, closes in schedule.ranges
    )


def json_ld_script(data):
    """A ``<script type="application/ld+json">`` element, escaped like ``json_script``."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def url_builder(url_for_slug):
    """A fast ``slug -> URL`` for thousands of places, from one call of ``url_for_slug``."""
    marker = "slug"
    head, tail = url_for_slug(marker).rsplit(marker, 1)
    return lambda slug: f"{head}{slug}{tail}"


def geojson_feature(row, hours_today, detail_url):
    """One Feature of the collection: ``row`` is (pk, slug, name, latitude, longitude,
    last_verified, location_approximate) of a place with a location, ``hours_today`` its hours
    text."""
    pk, slug, name, latitude, longitude, last_verified, approximate = row
    return {
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
            "hours_today": hours_today,
            # When its staff last confirmed the information (#16); null if never.
            "last_verified": last_verified.isoformat() if last_verified else None,
            # Looked up from the address or the municipality's centre by an import.
            "location_approximate": approximate,
        },
    }


def geojson_feature_collection(rows, hours_today, detail_url):
    """A compact FeatureCollection of ``rows`` (see geojson_feature), ``hours_today`` their
    hours text by pk."""
    return {
        "type": "FeatureCollection",
        "features": [geojson_feature(row, hours_today[row[0]], detail_url) for row in rows],
    }


# The collection written a chunk of features at a time (places.open_data): the same bytes as
# json.dumps of geojson_feature_collection with these separators.
GEOJSON_JSON = {"separators": (",", ":"), "ensure_ascii": False, "cls": DjangoJSONEncoder}
GEOJSON_HEAD = '{"type":"FeatureCollection","features":['
GEOJSON_TAIL = "]}"


def postal_address(place):
    """The address the public may see (Place.public_location): only the municipality when
    the address is hidden."""
    location = place.public_location
    address = {
        "@type": "PostalAddress",
        "streetAddress": location.street_address,
        "postalCode": location.postal_code,
        "addressLocality": location.postal_town,
        "addressRegion": place.municipality.region.name,
        "addressCountry": FINLAND,
    }
    return {key: value for key, value in address.items() if value}


def geo_coordinates(place):
    """schema.org GeoCoordinates of the place, or None without a location or when its
    address is hidden (the municipality's centre would claim a point that is not the place's)."""
    if not place.has_location or place.address_hidden:
        return None
    return {
        "@type": "GeoCoordinates",
        "latitude": float(place.latitude),
        "longitude": float(place.longitude),
    }


def language_independent_url(obj, absolute_url, fragment):
    """One identifier for a thing whatever the language of the page that describes it: its
    address in the default language (which has no language prefix), with a fragment naming
    what the page is about."""
    with translation.override(settings.LANGUAGE_CODE):
        return f"{absolute_url(obj.get_absolute_url())}#{fragment}"


def _weekly_specifications(periods):
    """schema.org OpeningHoursSpecifications from weekly Periods: the days of one period that
    share their hours in one specification, bounded by the period's dates."""
    grouped = {}
    for period in periods:
        key = (period.first, period.last, period.opens, period.closes)
        grouped.setdefault(key, []).extend(period.weekdays)
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [SCHEMA_ORG_DAYS[day] for day in sorted(set(days))],
            "opens": clock(opens),
            "closes": closing_clock(opens, closes),
            "validFrom": first.isoformat(),
            "validThrough": last.isoformat(),
        }
        for (first, last, opens, closes), days in grouped.items()
    ]


def _closed_specifications(closures):
    """Closed days as special opening hours (schema.org: opening and closing both at
    midnight), consecutive days of one reason in one specification."""
    runs = []
    for closure in closures:
        last = runs[-1] if runs else None
        if last and last["reason"] == closure.reason and last["last"] + ONE_DAY == closure.day:
            last["last"] = closure.day
        else:
            runs.append({"first": closure.day, "last": closure.day, "reason": closure.reason})
    return [
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": run["first"].isoformat(),
            "validThrough": run["last"].isoformat(),
            "opens": "00:00",
            "closes": "00:00",
            **({"description": run["reason"]} if run["reason"] else {}),
        }
        for run in runs
    ]


def _special_hours_specification(exception, first, last):
    return {
        "@type": "OpeningHoursSpecification",
        "validFrom": max(exception.start_date, first).isoformat(),
        "validThrough": min(exception.last_date, last).isoformat(),
        "opens": clock(exception.opens),
        "closes": clock(exception.closes),
        **({"description": exception.reason} if exception.reason else {}),
    }


def _holiday_hours_specifications(place, first, last):
    """The public holidays of the window on which the place keeps holiday hours of its own."""
    day, specifications = first, []
    while day <= last:
        schedule = place.schedule_for(day) if is_public_holiday(day) else None
        if schedule and schedule.is_holiday and schedule.ranges:
            specifications += [
                {
                    "@type": "OpeningHoursSpecification",
                    "validFrom": day.isoformat(),
                    "validThrough": day.isoformat(),
                    "opens": clock(opens),
                    "closes": closing_clock(opens, closes),
                    **({"description": schedule.reason} if schedule.reason else {}),
                }
                for opens, closes in schedule.ranges
            ]
        day += ONE_DAY
    return specifications


def ptv_identifier(ptv_id):
    """The Suomi.fi Service Catalogue (PTV) as the source of a place imported from it."""
    return {
        "@type": "PropertyValue",
        "propertyID": PTV_SOURCE_NAME,
        "value": str(ptv_id),
    }


def place_json_ld(place, today, absolute_url):
    """schema.org LocalBusiness (a Place that can have a contact point) for the place page.

    Opening hours cover the coming year (places.periods): the weekly hours bounded by their
    seasons, and as special opening hours the exceptions and the closed days (public holidays
    and eves the place closes on, closed exceptions), which override them."""
    first, last = export_window(today)
    weekly_rules, exceptions = list(place.weekly_hours.all()), list(place.exceptions.all())
    periods, closures = hours_periods(
        weekly_rules,
        exceptions,
        place.closed_on_public_holidays,
        place.closed_on_eves,
        first,
        last,
        with_closures=False,
    )
    special = [
        _special_hours_specification(exception, first, last)
        for exception in exceptions
        if not exception.closed
        and not exception.recurs_yearly
        and exception.last_date >= first
        and exception.start_date <= last
    ] + _holiday_hours_specifications(place, first, last)
    data = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "@id": language_independent_url(place, absolute_url, "place"),
        "url": absolute_url(place.get_absolute_url()),
        "name": place.name,
        "description": place.description,
        "address": postal_address(place),
        "isAccessibleForFree": place.free_of_charge,
        "publicAccess": True,
        "amenityFeature": [
            {"@type": "LocationFeatureSpecification", "name": name, "value": value}
            for name, value in (
                ("step-free entrance", place.step_free_access),
                ("accessible toilet", place.accessible_toilet),
                ("induction loop", place.induction_loop),
                ("accessible parking", place.accessible_parking),
                ("space for prams and strollers", place.stroller_space),
                ("guide and assistance dogs welcome", place.guide_dogs_welcome),
            )
        ],
        "openingHoursSpecification": _weekly_specifications(periods),
        "specialOpeningHoursSpecification": sorted(
            special + _closed_specifications(closures), key=lambda spec: spec["validFrom"]
        ),
    }
    if geo := geo_coordinates(place):
        data["geo"] = geo
    if place.shows_entrance_photo:
        data["photo"] = {
            "@type": "ImageObject",
            "contentUrl": absolute_url(place.get_entrance_photo_url()),
            "description": place.entrance_photo_alt,
        }
    if place.phone:
        data["telephone"] = place.phone
    if place.website:
        data["sameAs"] = place.website
    contact = {"name": place.contact_name, "telephone": place.phone, "email": place.email}
    if any(contact.values()):
        data["contactPoint"] = {
            "@type": "ContactPoint",
            "contactType": _("meeting place"),
            **{key: value for key, value in contact.items() if value},
            **({"availableLanguage": place.get_language_labels()} if place.languages else {}),
        }
    if place.ptv_id:
        data["identifier"] = ptv_identifier(place.ptv_id)
    return data
