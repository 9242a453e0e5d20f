"""Coordinates for imported places that come without them, so that none is missing from the map.

With ``GEOCODER_URL`` set (the search endpoint of a Nominatim-compatible API, for example
``https://nominatim.openstreetmap.org/search``) the address is looked up; otherwise, or when the
geocoder fails, finds nothing or answers a point outside Finland, the municipality's centre is
used. Either way the place is flagged ``location_approximate``: the map and the admin say so,
until someone checks the marker.

The CSV import (places.csv_io.plan) calls ``complete_location``, the PTV import (places.ptv),
which compares the values it would write with the place's, ``locate``.
"""

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from places.models import FINLAND_LATITUDE, FINLAND_LONGITUDE

COORDINATE_PLACES = Decimal("0.000001")
# Nominatim's usage policy asks for an identifying User-Agent.
USER_AGENT = "Kohtaamispaikat meeting place directory (import geocoding)"


@dataclass
class Location:
    latitude: Decimal
    longitude: Decimal
    geocoded: bool  # False: the municipality's centre
    note: str = ""  # for the import report: why the centre was used although a geocoder is set


def complete_location(place):
    """Give ``place`` approximate coordinates if it has none (flagging it); returns a note for
    the import report, or ""."""
    if place.has_location:
        return ""
    location = locate(
        street_address=place.street_address,
        postal_code=place.postal_code,
        postal_town=place.postal_town,
        municipality=place.municipality,
    )
    place.latitude, place.longitude = location.latitude, location.longitude
    place.location_approximate = True
    return location.note


def locate(*, street_address, postal_code, postal_town, municipality):
    """The approximate location of an address in ``municipality`` (a Municipality)."""
    url = getattr(settings, "GEOCODER_URL", "")
    if not url:
        return _centre(municipality)
    address = ", ".join(part for part in (street_address, postal_code, postal_town) if part)
    try:
        point = _search(url, street_address, postal_code, postal_town or municipality.name_fi)
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        return _centre(
            municipality,
            _(
                "The geocoder did not answer for “%(address)s” (%(error)s): the place is at "
                "the centre of %(municipality)s until its location is checked."
            )
            % {
                "address": address,
                "error": getattr(error, "reason", None) or error,
                "municipality": municipality.name_fi,
            },
        )
    if point is None:
        return _centre(
            municipality,
            _(
                "The geocoder did not find “%(address)s”: the place is at the centre of "
                "%(municipality)s until its location is checked."
            )
            % {"address": address, "municipality": municipality.name_fi},
        )
    return Location(*point, geocoded=True)


def _centre(municipality, note=""):
    return Location(
        _rounded(municipality.latitude), _rounded(municipality.longitude), False, str(note)
    )


def _rounded(value):
    return Decimal(value).quantize(COORDINATE_PLACES, ROUND_HALF_UP)


def _search(url, street_address, postal_code, town):
    """The first result of a structured Nominatim search in Finland, or None."""
    query = urllib.parse.urlencode(
        {
            "street": street_address,
            "postalcode": postal_code,
            "city": town,
            "countrycodes": "fi",
            "format": "jsonv2",
            "limit": 1,
        }
    )
    request = urllib.request.Request(
        f"{url}{'&' if '?' in url else '?'}{query}", headers={"User-Agent": USER_AGENT}
    )
    timeout = getattr(settings, "GEOCODER_TIMEOUT", 5)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        results = json.loads(response.read())
    if not isinstance(results, list):
        raise ValueError("not a list of results")
    for result in results[:1]:
        try:
            latitude, longitude = _rounded(result["lat"]), _rounded(result["lon"])
        except (KeyError, TypeError, InvalidOperation) as error:
            raise ValueError("a result without coordinates") from error
        if (
            FINLAND_LATITUDE[0] <= latitude <= FINLAND_LATITUDE[1]
            and FINLAND_LONGITUDE[0] <= longitude <= FINLAND_LONGITUDE[1]
        ):
            return latitude, longitude
    return None
