"""Who may manage what: the three roles of the admin.

- site admin: a superuser, everything;
- regional coordinator: a user linked to a ``network.Coordinator``; the places and meetings of the
  regions the coordinator covers (whole regions, and the regions of municipalities covered);
- organisation staff: members of an ``Organization``; that organisation's places only.

Every admin queryset and form choice goes through these functions, so one rule scopes
changelists, change/delete URLs, autocomplete, raw-id popups, history and exports alike.
"""

from django.db.models import Q

from kohtaamispaikat.core.roles import is_site_admin
from places.models import Organization, Region

__all__ = [
    "ORGANISATION_STAFF_GROUP",
    "REGIONAL_COORDINATOR_GROUP",
    "coordinated_regions",
    "is_regional_coordinator",
    "is_site_admin",
    "member_organizations",
    "place_scope",
]

ORGANISATION_STAFF_GROUP = "Organisation staff"
REGIONAL_COORDINATOR_GROUP = "Regional coordinators"


def coordinated_regions(user):
    """Regions the user coordinates, as a queryset (empty for non-coordinators)."""
    if not user.is_authenticated:
        return Region.objects.none()
    return Region.objects.filter(
        Q(coordinators__user=user) | Q(municipalities__coordinators__user=user)
    ).distinct()


def is_regional_coordinator(user):
    return user.is_authenticated and coordinated_regions(user).exists()


def member_organizations(user):
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(members=user)


def place_scope(user, prefix=""):
    """A Q selecting the places ``user`` may manage; ``prefix`` reaches them through a relation
    (for example ``"place__"`` for opening hours)."""
    if is_site_admin(user):
        return Q()
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    regions = coordinated_regions(user)
    organizations = member_organizations(user)
    return Q(**{f"{prefix}municipality__region__in": regions}) | Q(
        **{f"{prefix}organization__in": organizations}
    )
