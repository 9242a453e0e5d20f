"""Who may manage what: the three roles of the admin.

- site admin: a superuser, everything;
- regional coordinator: a user linked to a ``network.Coordinator``; the places and meetings of the
  regions the coordinator covers (whole regions, and the regions of municipalities covered);
- organisation staff: members of an ``Organization``; that organisation's places only.

Every admin queryset and form choice goes through these functions, so one rule scopes
changelists, change/delete URLs, autocomplete, raw-id popups, history and exports alike.

``ManagementScope`` turns these roles into the choices a user may make when saving a place:
which organisations and municipalities, and whether a combination of the two is theirs to
manage. The admin form and the CSV import both check every place against it.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kohtaamispaikat.core.roles import is_site_admin
from places.models import Municipality, Organization, Region

__all__ = [
    "OUT_OF_SCOPE_MESSAGE",
    "activity_scope",
    "ORGANISATION_STAFF_GROUP",
    "ManagementScope",
    "REGIONAL_COORDINATOR_GROUP",
    "coordinated_regions",
    "is_regional_coordinator",
    "is_site_admin",
    "member_organizations",
    "place_keepers",
    "place_scope",
    "region_coordinator_users",
    "visit_entry_scope",
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


def activity_scope(user):
    """A Q selecting the activities ``user`` may manage: those of the places they manage, and
    those their organisations organise in someone else's place (which gives no access to that
    place itself)."""
    if is_site_admin(user):
        return Q()
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    return place_scope(user, "place__") | Q(organization__in=member_organizations(user))


@dataclass(frozen=True)
class ManagementScope:
    """What one user may manage, read once: forms and imports check many places against it."""

    everything: bool
    organization_ids: frozenset = frozenset()
    region_codes: frozenset = frozenset()

    @classmethod
    def for_user(cls, user):
        """The scope of ``user``; ``None`` (a management command) may manage everything."""
        if user is None or is_site_admin(user):
            return cls(everything=True)
        if not user.is_active:
            return cls(everything=False)
        return cls(
            everything=False,
            organization_ids=frozenset(member_organizations(user).values_list("pk", flat=True)),
            region_codes=frozenset(coordinated_regions(user).values_list("code", flat=True)),
        )

    def organizations(self):
        """Organisations a place may belong to: all for coordinators, own ones for staff."""
        if self.everything or self.region_codes:
            return Organization.objects.all()
        return Organization.objects.filter(pk__in=self.organization_ids)

    def municipalities(self):
        """Municipalities a place may be in: a coordinator's regions, anywhere for staff."""
        if self.everything or self.organization_ids:
            return Municipality.objects.all()
        return Municipality.objects.filter(region__in=self.region_codes)

    def ptv_municipalities(self):
        """Municipalities whose Service Catalogue listing the user may import: a coordinator's
        regions' (the listing's places are the region's); staff none, site admins all."""
        if self.everything:
            return Municipality.objects.all()
        return Municipality.objects.filter(region__in=self.region_codes)

    @property
    def may_import_ptv(self):
        return self.everything or bool(self.region_codes)

    @property
    def sole_organization_id(self):
        """The one organisation a staff member works for, when there is exactly one choice."""
        if self.everything or self.region_codes or len(self.organization_ids) != 1:
            return None
        return next(iter(self.organization_ids))

    def maintains(self, organization):
        """Whether the user may change ``organization`` and its members: a coordinator one whose
        places and meetings all lie in their regions (or that has none yet), lest membership of
        an organisation become a way into the places or draft meetings of other regions."""
        if self.everything:
            return True
        if not self.region_codes:
            return False
        if organization.pk is None:
            return True
        if organization.places.exclude(municipality__region__in=self.region_codes).exists():
            return False
        other_regions = Region.objects.exclude(pk__in=self.region_codes)
        # A meeting without regions is outside every coordinator's scope, so it counts as
        # another region's.
        return not organization.network_meetings.filter(
            Q(regions__in=other_regions) | Q(regions=None)
        ).exists()

    def allows(self, organization, municipality):
        return self.allows_keys(organization.pk, municipality.region_id)

    def allows_keys(self, organization_id, region_code):
        return (
            self.everything
            or organization_id in self.organization_ids
            or region_code in self.region_codes
        )


OUT_OF_SCOPE_MESSAGE = _(
    "You may not manage meeting places of this organisation in %(municipality)s."
)


def visit_entry_scope(user, prefix=""):
    """A Q selecting the places whose visit figures ``user`` may enter (#17): site admins all,
    staff their organisations' places. Coordinators only read them (``place_scope``)."""
    if is_site_admin(user):
        return Q()
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    return Q(**{f"{prefix}organization__in": member_organizations(user)})


def region_coordinator_users(region):
    """Active accounts of the coordinators of ``region`` (directly, or through one of its
    municipalities): whom the region's new suggestions and proposals are told to."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(coordinator__regions=region) | Q(coordinator__municipalities__region=region))
        .exclude(email="")
        .distinct()
    )


def place_keepers(place):
    """Active accounts who keep ``place`` current: its organisation's staff and the
    coordinators of its region."""
    staff = place.organization.members.filter(is_active=True).exclude(email="")
    coordinators = region_coordinator_users(place.municipality.region_id)
    return (
        get_user_model()
        .objects.filter(Q(pk__in=staff.values("pk")) | Q(pk__in=coordinators.values("pk")))
        .select_related("profile")
        .order_by("pk")
    )
