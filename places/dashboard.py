"""The coordinators' dashboard of their regions (#16): what needs looking at, counted per
region, each figure a link to the admin list that shows exactly those rows.

A constant number of queries whatever the number of regions and places: one per kind of
figure, grouped by region.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from places.models import (
    Organization,
    Place,
    PlaceProposal,
    Region,
    SearchMiss,
    Suggestion,
    WeeklyHours,
)
from places.roles import coordinated_regions, is_site_admin

__all__ = [
    "MEASURES",
    "Figure",
    "RegionFigures",
    "a_year_before",
    "dashboard",
    "may_see_dashboard",
    "search_misses",
    "search_miss_scope",
    "unconfirmed_for_a_year",
    "with_open_suggestions",
    "without_hours",
    "without_staff",
]

# "Searches that found nothing": the most frequent of the last days.
SEARCH_MISS_DAYS = 30
SEARCH_MISSES_SHOWN = 10

# (key, column heading, admin changelist, filters of that changelist)
MEASURES = (
    (
        "stale",
        _("Places not confirmed in over a year"),
        "admin:places_place_changelist",
        {"verified": "stale"},
    ),
    (
        "no_hours",
        _("Places with no opening hours"),
        "admin:places_place_changelist",
        {"hours": "none"},
    ),
    (
        "open_suggestions",
        _("Places with open correction suggestions"),
        "admin:places_place_changelist",
        {"suggestions": "open"},
    ),
    (
        "no_staff",
        _("Organisations with no staff account"),
        "admin:places_organization_changelist",
        {"staff": "none"},
    ),
    (
        "pending_proposals",
        _("Proposals waiting"),
        "admin:places_placeproposal_changelist",
        {"status__exact": PlaceProposal.Status.PENDING},
    ),
)


@dataclass
class Figure:
    count: int
    url: str


@dataclass
class RegionFigures:
    region: Region | None  # None: the whole country
    figures: list = field(default_factory=list)


def may_see_dashboard(user):
    return is_site_admin(user) or coordinated_regions(user).exists()


def a_year_before(today):
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def unconfirmed_for_a_year(today):
    """The places the changelist's "not verified in 12 months" filter shows."""
    return Q(last_verified__isnull=True) | Q(last_verified__lt=a_year_before(today))


def without_hours():
    return ~Exists(WeeklyHours.objects.filter(place=OuterRef("pk")))


def with_open_suggestions():
    return Exists(Suggestion.objects.open().filter(place=OuterRef("pk")))


def without_staff(organization="pk"):
    """An organisation none of whose members can sign in."""
    return ~Exists(
        get_user_model().objects.filter(organizations=OuterRef(organization), is_active=True)
    )


def _link(url_name, filters, region):
    query = {**filters, **({"region": region.code} if region else {})}
    return f"{reverse(url_name)}?{urlencode(query)}"


def dashboard(user, today):
    """One RegionFigures per region the user coordinates (every region for a site admin, with
    the whole country first)."""
    everything = is_site_admin(user)
    regions = list(
        Region.objects.all() if everything else coordinated_regions(user).order_by("code")
    )
    codes = [region.code for region in regions]
    places = Place.objects.filter(municipality__region__in=codes)
    counts = {code: {} for code in codes}
    for row in places.values("municipality__region").annotate(
        stale=Count("pk", filter=unconfirmed_for_a_year(today)),
        no_hours=Count("pk", filter=without_hours()),
        open_suggestions=Count("pk", filter=with_open_suggestions()),
    ):
        counts[row["municipality__region"]].update(row)
    for row in (
        places.filter(without_staff("organization"))
        .values("municipality__region")
        .annotate(no_staff=Count("organization", distinct=True))
    ):
        counts[row["municipality__region"]]["no_staff"] = row["no_staff"]
    for row in (
        PlaceProposal.objects.pending()
        .filter(municipality__region__in=codes)
        .values("municipality__region")
        .annotate(pending_proposals=Count("pk"))
    ):
        counts[row["municipality__region"]]["pending_proposals"] = row["pending_proposals"]
    rows = []
    if everything:
        totals = {
            key: sum(region_counts.get(key, 0) for region_counts in counts.values())
            for key, *_rest in MEASURES
        }
        # Organisations without places belong to no region but still need staff.
        totals["no_staff"] = Organization.objects.filter(without_staff()).count()
        rows.append(_row(None, totals))
    rows += [_row(region, counts[region.code]) for region in regions]
    return rows


def _row(region, counts):
    return RegionFigures(
        region,
        [
            Figure(counts.get(key, 0), _link(url_name, filters, region))
            for key, _heading, url_name, filters in MEASURES
        ],
    )


def search_miss_scope(user):
    """Searches that found nothing a user may see: site admins all; coordinators those in
    their regions' municipalities and those that chose no municipality; others none."""
    if is_site_admin(user):
        return Q()
    regions = coordinated_regions(user)
    if not regions.exists():
        return Q(pk__in=[])
    return Q(municipality__region__in=regions) | Q(municipality__isnull=True)


def search_misses(user, today):
    """The searches that found nothing most often in the last SEARCH_MISS_DAYS days, as
    (words, searches, link to those rows); one query."""
    since = today - timedelta(days=SEARCH_MISS_DAYS)
    rows = (
        SearchMiss.objects.filter(search_miss_scope(user), day__gt=since)
        .values("query")
        .annotate(searches=Sum("count"))
        .order_by("-searches", "query")[:SEARCH_MISSES_SHOWN]
    )
    url = reverse("admin:places_searchmiss_changelist")
    return [
        (row["query"], row["searches"], f"{url}?{urlencode({'q': row['query']})}") for row in rows
    ]
