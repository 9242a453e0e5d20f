from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kohtaamispaikat.core.public_forms import HoneypotMixin, reject_html
from network.models import (
    VALID_UNTIL_TOO_LATE_MESSAGE,
    Coordinator,
    Listing,
    latest_valid_until,
)
from places.models import Audience, Municipality, Region

DEFAULT_COVERAGE_AUDIENCE = "lapsiperheet"

FEEDBACK_RANGE_MESSAGE = _(
    "The feedback average is on the scale from 1 to 4: give a number such as 3,6 or 3.6."
)


class FeedbackAverageField(forms.DecimalField):
    """A mean of 1–4 typed the Finnish way (3,6) or the English way (3.6). A comma is always the
    decimal separator here: a browser's number field, or a thousands separator, would make
    "3,6" 36; the message names the scale instead of a bare "greater than or equal to"."""

    def __init__(self, **kwargs):
        kwargs.update(
            min_value=1,
            max_value=4,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
        )
        super().__init__(**kwargs)
        for code in ("invalid", "min_value", "max_value", "max_digits", "max_whole_digits"):
            self.error_messages[code] = FEEDBACK_RANGE_MESSAGE

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        return formats.localize_input(value) if isinstance(value, Decimal) else value


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


UNKNOWN_REGION = _("Unknown region “%(value)s”. Use a two-digit region code, such as 13.")


class CoverageForm(forms.Form):
    """The audience whose gaps the coverage page shows (families with children by default), in
    the whole country or in one region."""

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
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("The whole country"),
        error_messages={"invalid_choice": UNKNOWN_REGION},
    )

    def chosen_audience(self):
        """The audience asked for, or the default one when none or an unknown one was asked."""
        self.is_valid()
        if audience := self.cleaned_data.get("audience"):
            return audience
        return Audience.objects.get(slug=DEFAULT_COVERAGE_AUDIENCE)

    def chosen_region(self):
        """The region asked for; None for the whole country, also after an unknown one."""
        self.is_valid()
        return self.cleaned_data.get("region")


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


# The notice board ---------------------------------------------------------------------------

ANSWER_MAX_LENGTH = 2000
MUNICIPALITIES_PER_LISTING = 10


class ListingSubmissionForm(HoneypotMixin, forms.ModelForm):
    """A listing from someone without an account: it waits for a coordinator's approval."""

    municipalities = forms.ModelMultipleChoiceField(
        Municipality.objects.all(),
        label=_("Municipalities"),
        to_field_name="code",
        help_text=_("To choose several, hold down Ctrl (or Cmd on a Mac) while clicking."),
        error_messages={
            "invalid_choice": _("There is no municipality with the code %(value)s."),
            "invalid_pk_value": _("There is no municipality with the code %(pk)s."),
        },
    )
    audiences = forms.ModelMultipleChoiceField(
        Audience.objects.all(),
        label=_("For whom"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Listing
        fields = [
            "kind",
            "title_fi",
            "text_fi",
            "title_sv",
            "text_sv",
            "title_en",
            "text_en",
            "municipalities",
            "audiences",
            "valid_until",
            "volunteer_tasks",
            "volunteer_when",
            "volunteer_frequency",
            "suitable_for_minors",
            "supported_volunteering",
            "contact_name",
            "contact_email",
        ]
        widgets = {"valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["valid_until"].help_text = _("At most six months ahead.")
        self.fields["valid_until"].error_messages["invalid"] = _("Enter a date like 2027-03-31.")
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and name != "website":
                field.validators.append(reject_html)

    def clean_municipalities(self):
        municipalities = self.cleaned_data["municipalities"]
        if len(municipalities) > MUNICIPALITIES_PER_LISTING:
            raise ValidationError(
                _("Choose at most %(count)d municipalities."),
                params={"count": MUNICIPALITIES_PER_LISTING},
            )
        return municipalities

    def clean_valid_until(self):
        valid_until = self.cleaned_data["valid_until"]
        if valid_until < timezone.localdate():
            raise ValidationError(_("The date has already passed."))
        if valid_until > latest_valid_until():
            raise ValidationError(VALID_UNTIL_TOO_LATE_MESSAGE)
        return valid_until

    def save(self, commit=True):
        self.instance.status = Listing.Status.PENDING
        return super().save(commit)


class AnswerForm(HoneypotMixin):
    """An answer to a listing, e-mailed to its poster (network.board.relay_answer)."""

    name = forms.CharField(label=_("Your name"), max_length=200, validators=[reject_html])
    email = forms.EmailField(
        label=_("Your e-mail"), help_text=_("The poster replies to this address.")
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        validators=[reject_html],
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# Reports (#17) ------------------------------------------------------------------------------


class ReportForm(forms.Form):
    """The area and year of ``/network/reports/``, by codes (``?region=13&year=2026``).

    The choices come from the municipalities the report has already read, so the form runs no
    query of its own. A value that cannot be used is named in a message and left out: the
    report shows what the other values choose.
    """

    AREA_FIELDS = ("region", "subregion", "county", "municipality")
    FIRST_YEAR = 2000

    region = forms.ChoiceField(label=_("Region"), required=False)
    subregion = forms.ChoiceField(label=_("Sub-region"), required=False)
    county = forms.ChoiceField(label=_("Wellbeing services county"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False)

    def __init__(self, data, *, municipalities, today):
        super().__init__(data)
        self.today = today

        def choices(items):
            unique = {item.pk: item for item in items if item is not None}
            ordered = sorted(unique.values(), key=lambda item: item.name.casefold())
            return [("", _("All")), *((item.pk, item.name) for item in ordered)]

        self.fields["region"].choices = choices(m.region for m in municipalities)
        self.fields["subregion"].choices = choices(m.subregion for m in municipalities)
        self.fields["county"].choices = choices(m.wellbeing_county for m in municipalities)
        self.fields["municipality"].choices = choices(municipalities)
        year = self.fields["year"]
        year.validators += [MinValueValidator(self.FIRST_YEAR), MaxValueValidator(today.year)]
        year.widget.attrs.update(min=self.FIRST_YEAR, max=today.year)
        for name in self.AREA_FIELDS:
            self.fields[name].error_messages["invalid_choice"] = _(
                "Unknown code “%(value)s”: choose from the list."
            )

    def area_codes(self):
        """The codes of the area fields that were given and valid."""
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) or None for name in self.AREA_FIELDS}

    def chosen_year(self):
        cleaned = getattr(self, "cleaned_data", {})
        return cleaned.get("year") or self.today.year

    def problems(self):
        """(field label, message) of each value that was left out."""
        return [
            (self.fields[name].label, message)
            for name, messages in self.errors.items()
            for message in messages
        ]
