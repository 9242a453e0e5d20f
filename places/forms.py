"""Forms of the places admin, and the scope that limits their choices.

``ManagementScope`` turns the roles of places.roles into the choices a user may make when
saving a place: which organisations and municipalities, and whether a combination of the two
is theirs to manage. The admin form and the CSV import both check every place against it.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kohtaamispaikat.core.locking import EditConflictForm
from places.models import Municipality, Organization, Place, Region
from places.roles import coordinated_regions, is_site_admin, member_organizations


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


class PlaceAdminForm(EditConflictForm):
    """The place form of the admin; ``scope`` is set per request by PlaceAdmin.get_form."""

    scope = ManagementScope(everything=False)

    class Meta:
        model = Place
        fields = (
            "name",
            "slug",
            "organization",
            "description",
            "audiences",
            "municipality",
            "street_address",
            "postal_code",
            "postal_town",
            "latitude",
            "longitude",
            "closed_on_public_holidays",
            "hours_note",
            "free_of_charge",
            "price_note",
            "step_free_access",
            "accessible_toilet",
            "induction_loop",
            "accessibility_note",
            "languages",
            "amenities",
            "online_url",
            "contact_name",
            "phone",
            "email",
            "website",
            "is_published",
            "last_verified",
        )
        widgets = {"audiences": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organization" in self.fields:
            self.fields["organization"].queryset = self.scope.organizations()
        if "municipality" in self.fields:
            self.fields["municipality"].queryset = self.scope.municipalities()

    def clean(self):
        cleaned_data = super().clean()
        organization = cleaned_data.get("organization")
        municipality = cleaned_data.get("municipality")
        # A user who is both staff and coordinator gets wider choices than either role alone;
        # the combination must still fall inside one of the roles.
        if organization and municipality and not self.scope.allows(organization, municipality):
            self.add_error(
                "municipality",
                ValidationError(
                    OUT_OF_SCOPE_MESSAGE,
                    code="out_of_scope",
                    params={"municipality": municipality},
                ),
            )
        return cleaned_data


class OrganizationAdminForm(forms.ModelForm):
    """The organisation form of the admin; ``acting_user`` is set per request by
    OrganizationAdmin.get_form."""

    acting_user = None

    class Meta:
        model = Organization
        fields = ("name", "slug", "kind", "business_id", "website", "members")

    def clean_members(self):
        members = self.cleaned_data["members"]
        before = set(self.instance.members.values_list("pk", flat=True)) if self.instance.pk else ()
        if self.acting_user and adds_self_to_staff(
            self.acting_user, before, {member.pk for member in members}
        ):
            raise ValidationError(
                _(
                    "You cannot add yourself to the staff of an organisation; ask a site "
                    "administrator."
                ),
                code="self_membership",
            )
        return members


def adds_self_to_staff(user, members_before, members_after):
    """Whether a change of an organisation's members from ``members_before`` to
    ``members_after`` (keys) would make ``user`` one of them. Membership makes a user staff of
    the organisation's places and drafts in every region, so only a site admin may grant it to
    themselves; a member may stay one."""
    return not is_site_admin(user) and user.pk in members_after and user.pk not in members_before


class PlaceImportForm(forms.Form):
    """The upload step of the admin's CSV import."""

    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=_(
            "UTF-8 text, columns separated by commas or semicolons; the first row names the "
            "columns. A file saved from Excel as “CSV UTF-8” works."
        ),
    )
    organization = forms.ModelChoiceField(
        label=_("organisation"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_(
            "Imports every row for this organisation; rows may then leave the organization "
            "column empty."
        ),
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = scope.organizations()
        self.fields["organization"].initial = scope.sole_organization_id
