"""Which network rows each admin role may see and manage, built on places.roles.

- site admin: everything;
- regional coordinator: meetings in the regions coordinated (publish, cancel, outcomes) and the
  coordinators covering those regions (maintaining those whose areas all lie in them);
- organisation staff: drafts of meetings organised by their own organisation, never published.

A coordinator who is also a member of an organisation acts as a coordinator for meetings.
"""

from enum import StrEnum

from django.contrib.auth.models import Group
from django.db.models import Q

from network.models import Coordinator, GoodPractice, Listing, Meeting
from places.models import Municipality, Place, Region
from places.roles import (
    REGIONAL_COORDINATOR_GROUP,
    coordinated_regions,
    is_site_admin,
    member_organizations,
)

NOTHING = Q(pk__in=[])


class Role(StrEnum):
    SITE_ADMIN = "site_admin"
    COORDINATOR = "coordinator"
    STAFF = "staff"


def _strongest_role(user):
    if not user.is_authenticated or not user.is_active:
        return None
    if is_site_admin(user):
        return Role.SITE_ADMIN
    if coordinated_regions(user).exists():
        return Role.COORDINATOR
    if member_organizations(user).exists():
        return Role.STAFF
    return None


def network_role(user):
    """The strongest network role of ``user``, or None (cached on the user for one request)."""
    if not hasattr(user, "_network_role"):
        user._network_role = _strongest_role(user)
    return user._network_role


def grant_coordinator_role(user):
    """Let the user account of a coordinator into the admin with the coordinator's permissions
    (which rows they reach follows from the areas of their coordinator record)."""
    user.groups.add(Group.objects.get(name=REGIONAL_COORDINATOR_GROUP))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def can_publish_meetings(user):
    """Publishing, cancelling and recording outcomes belong to coordinators and site admins."""
    return network_role(user) in (Role.SITE_ADMIN, Role.COORDINATOR)


def meeting_scope(user):
    """A Q selecting the meetings ``user`` may manage in the admin."""
    role = network_role(user)
    if role == Role.SITE_ADMIN:
        return Q()
    if role == Role.COORDINATOR:
        in_regions = Meeting.objects.filter(regions__in=coordinated_regions(user))
        return Q(pk__in=in_regions.values("pk"))
    if role == Role.STAFF:
        return Q(status=Meeting.Status.DRAFT, organizer__in=member_organizations(user))
    return NOTHING


def recoverable_meeting_versions(user, versions):
    """Those of the recorded ``versions`` of deleted meetings that ``user`` could manage if they
    still existed: ``meeting_scope`` applied to recorded field values."""
    role = network_role(user)
    if role == Role.SITE_ADMIN:
        return versions
    if role == Role.COORDINATOR:
        regions = set(coordinated_regions(user).values_list("pk", flat=True))
        return [v for v in versions if regions.intersection(v.field_dict.get("regions", ()))]
    if role == Role.STAFF:
        organizations = set(member_organizations(user).values_list("pk", flat=True))
        return [
            v
            for v in versions
            if v.field_dict.get("status") == Meeting.Status.DRAFT
            and v.field_dict.get("organizer_id") in organizations
        ]
    return []


def meeting_region_choices(user):
    """Regions a meeting may be placed in: a coordinator's own, any region for the others."""
    if network_role(user) == Role.COORDINATOR:
        return coordinated_regions(user)
    return Region.objects.all()


def coordinator_scope(user):
    """A Q selecting the coordinators ``user`` may see: those covering a coordinated region."""
    role = network_role(user)
    if role == Role.SITE_ADMIN:
        return Q()
    if role == Role.COORDINATOR:
        covering = Coordinator.objects.covering(coordinated_regions(user))
        return Q(pk__in=covering.values("pk"))
    return NOTHING


def can_maintain_coordinator(user, coordinator):
    """Whether all the areas of ``coordinator`` lie in the regions ``user`` coordinates."""
    role = network_role(user)
    if role == Role.SITE_ADMIN:
        return True
    if role != Role.COORDINATOR:
        return False
    outside = Region.objects.exclude(pk__in=coordinated_regions(user))
    straying = Coordinator.objects.filter(pk=coordinator.pk).filter(
        Q(regions__in=outside) | Q(municipalities__region__in=outside)
    )
    return not straying.exists()


def coordinator_region_choices(user):
    if network_role(user) == Role.SITE_ADMIN:
        return Region.objects.all()
    return coordinated_regions(user)


def municipality_choices(user):
    """Municipalities ``user`` may name as a coordinator's area or in a follow-up plan."""
    municipalities = Municipality.objects.select_related("region")
    if network_role(user) == Role.SITE_ADMIN:
        return municipalities
    return municipalities.filter(region__in=coordinated_regions(user))


# The notice board ---------------------------------------------------------------------------


def listing_scope(user):
    """A Q selecting the listings ``user`` may manage: a coordinator's those touching their
    regions and their organisations' own; staff their organisations' listings."""
    role = network_role(user)
    if role == Role.SITE_ADMIN:
        return Q()
    if role is None:
        return NOTHING
    own = Q(organization__in=member_organizations(user))
    if role == Role.COORDINATOR:
        in_regions = Listing.objects.in_regions(coordinated_regions(user))
        return own | Q(pk__in=in_regions.values("pk"))
    return own


def can_approve_listing(user, listing):
    """Site admins approve anything; a coordinator listings with a municipality in their
    regions; staff nothing."""
    role = network_role(user)
    if role == Role.SITE_ADMIN:
        return True
    if role != Role.COORDINATOR or listing.pk is None:
        return False
    return Listing.objects.in_regions(coordinated_regions(user)).filter(pk=listing.pk).exists()


def listing_municipality_choices(user):
    """A coordinator names the municipalities of their regions, others any municipality (an
    association's listing may concern a town anywhere)."""
    municipalities = Municipality.objects.select_related("region")
    if network_role(user) == Role.COORDINATOR:
        return municipalities.filter(region__in=coordinated_regions(user))
    return municipalities


def survey_scope(user):
    """A Q selecting the surveys ``user`` sees (#17): a coordinator those of their regions, staff
    the open and closed ones of the regions where their organisations have places."""
    role = network_role(user)
    if role == Role.SITE_ADMIN:
        return Q()
    if role == Role.COORDINATOR:
        return Q(region__in=coordinated_regions(user))
    if role == Role.STAFF:
        regions = Place.objects.filter(organization__in=member_organizations(user)).values(
            "municipality__region"
        )
        return Q(region__in=regions) & ~Q(status="draft")
    return NOTHING


def survey_region_choices(user):
    """Regions a survey may be made for: a coordinator's own, all for site admins."""
    if network_role(user) == Role.SITE_ADMIN:
        return Region.objects.all()
    return coordinated_regions(user)


def answerable_places(user, survey):
    """The places of the survey's region whose response ``user`` may write: site admins any,
    staff their organisations'. Coordinators read the answers, they do not give them."""
    places = Place.objects.filter(municipality__region=survey.region_id, is_published=True)
    role = network_role(user)
    if role == Role.SITE_ADMIN:
        return places
    return places.filter(organization__in=member_organizations(user))


def readable_responses(user, survey):
    """Whose answers ``user`` may read: coordinators and site admins all of the region's, staff
    their organisations' places'."""
    role = network_role(user)
    if role in (Role.SITE_ADMIN, Role.COORDINATOR):
        return survey.responses.all()
    return survey.responses.filter(place__organization__in=member_organizations(user))


# Good practices -----------------------------------------------------------------------------


def practice_scope(user):
    """A Q selecting the good practices ``user`` may write: a coordinator's those of their
    regions, a site admin's all; staff none."""
    role = network_role(user)
    if role == Role.SITE_ADMIN:
        return Q()
    if role == Role.COORDINATOR:
        return Q(region__in=coordinated_regions(user))
    return NOTHING


def practice_region_choices(user):
    return coordinator_region_choices(user)


def linkable_practices(user):
    """Practices an outcome may name: every published one, and the drafts the user writes."""
    return GoodPractice.objects.filter(
        Q(status=GoodPractice.Status.PUBLISHED) | practice_scope(user)
    )
