"""Forms of the places admin; their choices are limited by places.roles.ManagementScope."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kohtaamispaikat.core.locking import EditConflictForm
from places.models import Organization, Place
from places.roles import OUT_OF_SCOPE_MESSAGE, ManagementScope, is_site_admin


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
