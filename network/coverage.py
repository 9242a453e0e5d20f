"""Where the published meeting places are, per region and municipality, in total and per audience.

Three aggregate queries whatever the number of places: the municipalities, the published places
per municipality, and the published places per municipality and audience; and two for the
notice board's open listings for the audience, which the gaps link to.
"""

import csv
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from network.models import Listing
from places.csv_io.columns import as_text_in_spreadsheets
from places.models import Audience, Municipality, Place, Region


@dataclass
class MunicipalityCoverage:
    municipality: Municipality
    published_places: int
    places_by_audience: dict
    audience_places: int
    # Open listings for the audience that could fill a gap: the municipality's own first,
    # then those of its sub-region.
    listings: list = field(default_factory=list)

    @property
    def is_gap(self):
        """No published place for the chosen audience."""
        return self.audience_places == 0


@dataclass
class RegionCoverage:
    region: Region
    municipalities: list = field(default_factory=list)

    @property
    def published_places(self):
        return sum(row.published_places for row in self.municipalities)

    @property
    def audience_places(self):
        return sum(row.audience_places for row in self.municipalities)

    @property
    def gaps(self):
        return sum(row.is_gap for row in self.municipalities)


@dataclass
class Coverage:
    """The regions shown (all, or the one asked for) and the whole country's figures beside."""

    audience: Audience
    audiences: list
    regions: list
    region: Region | None = None
    country_municipality_count: int = 0
    country_covered_municipalities: int = 0

    @property
    def municipalities(self):
        return [row for region in self.regions for row in region.municipalities]

    @property
    def municipality_count(self):
        return len(self.municipalities)

    @property
    def covered_municipalities(self):
        return sum(not row.is_gap for row in self.municipalities)

    def map_points(self):
        """Municipality centre points for the map (the table holds the same figures)."""
        return [
            {
                "name": str(row.municipality),
                "lat": float(row.municipality.latitude),
                "lng": float(row.municipality.longitude),
                "places": row.published_places,
                "audiencePlaces": row.audience_places,
                "gap": row.is_gap,
                "url": row.municipality.get_absolute_url(),
            }
            for row in self.municipalities
        ]


LISTINGS_PER_GAP = 3


def _listings_for(audience):
    """The open listings for ``audience`` by municipality code and by sub-region (2 queries)."""
    listings = (
        Listing.objects.on_board()
        .filter(pk__in=Listing.objects.filter(audiences=audience).values("pk"))
        .prefetch_related(
            Prefetch("municipalities", Municipality.objects.only("code", "subregion_id"))
        )
    )
    here, nearby = {}, {}
    for listing in listings:
        for municipality in listing.municipalities.all():
            here.setdefault(municipality.code, []).append(listing)
            if municipality.subregion_id is not None:
                subregion = nearby.setdefault(municipality.subregion_id, [])
                if listing not in subregion:
                    subregion.append(listing)
    return here, nearby


def coverage_for(audience, region=None):
    """Coverage of every municipality (or those of ``region``), gaps judged by published places
    for ``audience``; the whole country's figures come along for comparison."""
    published = Place.objects.published().order_by()
    totals = dict(published.values_list("municipality").annotate(count=Count("pk")))
    by_audience = {}
    for municipality_code, slug, count in (
        published.filter(audiences__isnull=False)
        .values_list("municipality", "audiences__slug")
        .annotate(count=Count("pk"))
    ):
        by_audience.setdefault(municipality_code, {})[slug] = count

    listings_here, listings_nearby = _listings_for(audience)
    regions = {}
    for municipality in Municipality.objects.select_related("region").order_by(
        "region__code", "name_fi"
    ):
        counts = by_audience.get(municipality.code, {})
        row = MunicipalityCoverage(
            municipality=municipality,
            published_places=totals.get(municipality.code, 0),
            places_by_audience=counts,
            audience_places=counts.get(audience.slug, 0),
        )
        if row.is_gap:
            here = listings_here.get(municipality.code, [])
            nearby = [
                listing
                for listing in listings_nearby.get(municipality.subregion_id, [])
                if listing not in here
            ]
            row.listings = (here + nearby)[:LISTINGS_PER_GAP]
        in_region = regions.setdefault(municipality.region_id, RegionCoverage(municipality.region))
        in_region.municipalities.append(row)
    country = [row for in_region in regions.values() for row in in_region.municipalities]
    shown = [regions[region.code]] if region is not None and region.code in regions else []
    return Coverage(
        audience=audience,
        audiences=list(Audience.objects.all()),
        regions=shown if region is not None else [*regions.values()],
        region=region,
        country_municipality_count=len(country),
        country_covered_municipalities=sum(not row.is_gap for row in country),
    )


class _SpreadsheetSafeWriter:
    """csv.writer whose text cells a spreadsheet shows as text, never runs as a formula (an
    audience named "=HYPERLINK(…)"), as in the places' CSV export."""

    def __init__(self, stream):
        self.writer = csv.writer(stream)

    def writerow(self, cells):
        self.writer.writerow(
            [as_text_in_spreadsheets(cell) if isinstance(cell, str) else cell for cell in cells]
        )


def write_coverage_csv(coverage, stream):
    writer = _SpreadsheetSafeWriter(stream)
    writer.writerow(
        [
            _("Region code"),
            _("Region"),
            _("Municipality code"),
            _("Municipality"),
            _("Published places"),
            *(audience.name for audience in coverage.audiences),
            _("No place for: %(audience)s") % {"audience": coverage.audience.name},
        ]
    )
    for region in coverage.regions:
        for row in region.municipalities:
            writer.writerow(
                [
                    region.region.code,
                    region.region.name,
                    row.municipality.code,
                    row.municipality.name,
                    row.published_places,
                    *(row.places_by_audience.get(a.slug, 0) for a in coverage.audiences),
                    _("yes") if row.is_gap else _("no"),
                ]
            )
