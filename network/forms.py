from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from network.models import Coordinator
from places.models import Audience, Region

DEFAULT_COVERAGE_AUDIENCE = "lapsiperheet"


class CoordinatorAdminForm(forms.ModelForm):
    """A coordinator's record; a regional coordinator must leave it inside their regions."""

    require_area = False

    class Meta:
        model = Coordinator
        fields = [
            "name",
            "title",
            "organization",
            "regions",
            "municipalities",
            "email",
            "phone",
            "introduction",
            "is_published",
            "user",
        ]

    def clean(self):
        cleaned_data = super().clean()
        if (
            self.require_area
            and not cleaned_data.get("regions")
            and not cleaned_data.get("municipalities")
        ):
            raise ValidationError(
                _("Choose at least one region or municipality that this person covers.")
            )
        return cleaned_data


class CoverageForm(forms.Form):
    """The audience whose gaps the coverage page shows (families with children by default)."""

    audience = forms.ModelChoiceField(
        label=_("Audience"),
        queryset=Audience.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=None,
        error_messages={
            "invalid_choice": _("Unknown audience. Showing families with children instead.")
        },
    )

    def chosen_audience(self):
        """The audience asked for, or the default one when none or an unknown one was asked."""
        if self.is_valid() and self.cleaned_data["audience"]:
            return self.cleaned_data["audience"]
        return Audience.objects.get(slug=DEFAULT_COVERAGE_AUDIENCE)


UNKNOWN_REGION = _("Unknown region “%(value)s”. Use a two-digit region code, such as 13.")


class CalendarForm(forms.Form):
    """The filter of the meetings calendar: ``?region=13`` for one region's meetings."""

    region = forms.ModelChoiceField(
        queryset=Region.objects.all(),
        required=False,
        error_messages={"invalid_choice": UNKNOWN_REGION},
    )

    def clean_region(self):
        region = self.cleaned_data["region"]
        # Only a missing parameter means every region: an empty one is a code left out.
        if region is None and "region" in self.data:
            raise ValidationError(UNKNOWN_REGION, code="invalid_choice", params={"value": ""})
        return region
