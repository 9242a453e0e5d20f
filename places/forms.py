"""Forms of the places admin; their choices are limited by places.roles.ManagementScope."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kohtaamispaikat.core.locking import EditConflictForm
from kohtaamispaikat.core.public_forms import HoneypotMixin, reject_html
from places.hours import Weekday, overlap_errors
from places.models import (
    FEEDBACK_COMMENT_MAX_LENGTH,
    PROPOSAL_TEXT_MAX_LENGTH,
    SUGGESTION_TEXT_MAX_LENGTH,
    Audience,
    Feedback,
    Municipality,
    Organization,
    Place,
    PlaceProposal,
    Suggestion,
    VisitCount,
    is_future_month,
)
from places.photos import prepare_entrance_photo
from places.roles import OUT_OF_SCOPE_MESSAGE, ManagementScope, is_site_admin
from places.visits import usual_visits


class PlaceAdminForm(EditConflictForm):
    """The place form of the admin; ``scope`` is set per request by PlaceAdmin.get_form."""

    scope = ManagementScope(everything=False)
    # A plain file field: places.photos checks the bytes itself, with a message for each way an
    # upload can be wrong (the ImageField's own check has one message for all of them).
    entrance_photo = forms.FileField(
        label=Place._meta.get_field("entrance_photo").verbose_name,
        help_text=Place._meta.get_field("entrance_photo").help_text,
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

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
            "location_approximate",
            "address_hidden",
            "arrival",
            "greets_newcomers",
            "arrival_note",
            "nearest_stop",
            "entrance_photo",
            "entrance_photo_alt",
            "closed_on_public_holidays",
            "hours_note",
            "free_of_charge",
            "price_note",
            "step_free_access",
            "accessible_toilet",
            "induction_loop",
            "accessible_parking",
            "stroller_space",
            "guide_dogs_welcome",
            "accessibility_note",
            "accessibility_contact",
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

    def clean_entrance_photo(self):
        photo = self.cleaned_data.get("entrance_photo")
        if isinstance(photo, UploadedFile):
            return prepare_entrance_photo(photo)
        return photo

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
            "A CSV file saved from a spreadsheet (UTF-8, or Excel's Windows-1252), columns "
            "separated by commas, semicolons or tabs; the first row names the columns, in "
            "English, Finnish or Swedish."
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


class UnusualFigureMixin:
    """Refuses a visit figure ten times the place's usual until the form's "confirm" box is
    ticked; the box is shown with the warning."""

    def require_confirmation(self, warnings):
        if warnings and not self.cleaned_data.get("confirm_unusual"):
            self.add_error(
                None,
                ValidationError(
                    [*warnings, _("Check the figures, then tick “The figures are right”.")],
                    code="unusual",
                ),
            )
            self.unusual = True


def unusual_warning(month_label, visits, usual):
    return _("%(month)s: %(visits)s visits is ten times the usual %(usual)s of this place.") % {
        "month": month_label,
        "visits": visits,
        "usual": usual,
    }


CONFIRM_UNUSUAL_LABEL = _("The figures are right (also the unusually large ones)")


class VisitCountAdminForm(UnusualFigureMixin, forms.ModelForm):
    """One month of one place in the admin; ``places`` is set per request (the places whose
    figures the user may enter)."""

    confirm_unusual = forms.BooleanField(label=CONFIRM_UNUSUAL_LABEL, required=False)
    unusual = False

    class Meta:
        model = VisitCount
        fields = ("place", "year", "month", "visits", "first_time")

    def clean(self):
        cleaned_data = super().clean()
        place, year, month = (cleaned_data.get(name) for name in ("place", "year", "month"))
        visits = cleaned_data.get("visits")
        if place and year and month and visits is not None:
            usual = VisitCount.objects.usual_by_place(
                [place.pk], excluding=[(place.pk, year, month)]
            )
            if VisitCount(visits=visits).unusual_against(usual[place.pk]):
                label = f"{month}/{year}"
                self.require_confirmation([unusual_warning(label, visits, usual[place.pk])])
        return cleaned_data


class VisitGridForm(UnusualFigureMixin, forms.Form):
    """A year of one place's monthly figures: visits and first-time visitors per month. A month
    left empty has no figure (an existing one is removed); months to come cannot be filled."""

    confirm_unusual = forms.BooleanField(label=CONFIRM_UNUSUAL_LABEL, required=False)
    unusual = False

    def __init__(self, *args, place, year, editable, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.place, self.year = place, year
        today = today or timezone.localdate()
        self.stored = {count.month: count for count in place.visit_counts.filter(year=year)}
        self.months = []
        for month in range(1, 13):
            label = formats.date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")
            future = is_future_month(year, month, today)
            stored = self.stored.get(month)
            for name, field_label in (
                ("visits", _("Visits, %(month)s")),
                ("first_time", _("First-time visitors, %(month)s")),
            ):
                self.fields[f"{name}_{month}"] = forms.IntegerField(
                    label=field_label % {"month": label},
                    min_value=0,
                    max_value=10_000_000,
                    required=False,
                    disabled=future or not editable,
                    initial=getattr(stored, name, None),
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 7}),
                )
            self.months.append(
                {
                    "number": month,
                    "label": label,
                    "future": future,
                    "visits": self[f"visits_{month}"],
                    "first_time": self[f"first_time_{month}"],
                }
            )
        if not editable:
            del self.fields["confirm_unusual"]

    def clean(self):
        cleaned_data = super().clean()
        figures = {}
        for month in range(1, 13):
            visits = cleaned_data.get(f"visits_{month}")
            first_time = cleaned_data.get(f"first_time_{month}")
            if visits is None and first_time is not None:
                self.add_error(f"visits_{month}", _("Give the visits too, or leave both empty."))
            elif visits is not None and first_time is not None and first_time > visits:
                self.add_error(
                    f"first_time_{month}",
                    _("First-time visitors cannot be more than the visits of the month."),
                )
            if visits is not None:
                figures[(self.year, month)] = visits
        others = {
            (year, month): visits
            for year, month, visits in self.place.visit_counts.exclude(year=self.year).values_list(
                "year", "month", "visits"
            )
        }
        warnings = []
        all_figures = {**others, **figures}
        for (year, month), visits in sorted(figures.items()):
            usual = usual_visits(
                value
                for when, value in sorted(all_figures.items(), reverse=True)
                if when != (year, month)
            )
            if VisitCount(visits=visits).unusual_against(usual):
                warnings.append(unusual_warning(self.months[month - 1]["label"], visits, usual))
        self.require_confirmation(warnings)
        return cleaned_data

    @transaction.atomic
    def save(self):
        """Writes the changed months; returns how many changed."""
        changed = 0
        for month in range(1, 13):
            if self.fields[f"visits_{month}"].disabled:
                continue
            visits = self.cleaned_data.get(f"visits_{month}")
            first_time = self.cleaned_data.get(f"first_time_{month}")
            stored = self.stored.get(month)
            if visits is None:
                if stored is not None:
                    stored.delete()
                    changed += 1
                continue
            if stored is None:
                VisitCount.objects.create(
                    place=self.place,
                    year=self.year,
                    month=month,
                    visits=visits,
                    first_time=first_time,
                )
                changed += 1
            elif (stored.visits, stored.first_time) != (visits, first_time):
                stored.visits, stored.first_time = visits, first_time
                stored.save(update_fields=["visits", "first_time", "updated_at"])
                changed += 1
        return changed


class VisitGridChoiceForm(forms.Form):
    """Which place and year the month grid shows (a GET form)."""

    place = forms.ModelChoiceField(label=_("meeting place"), queryset=Place.objects.none())
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class CounterForm(forms.Form):
    """The door counter: which place gets the visit."""

    place = forms.ModelChoiceField(label=_("meeting place"), queryset=Place.objects.none())

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places


class SuggestionForm(HoneypotMixin, forms.ModelForm):
    """A resident's correction suggestion: plain text, limited in length, an optional address."""

    class Meta:
        model = Suggestion
        fields = ("kind", "text", "email")
        widgets = {
            "kind": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 6, "maxlength": SUGGESTION_TEXT_MAX_LENGTH}),
        }
        labels = {"text": _("What should it say?")}
        help_texts = {
            "text": _("For example the right opening hours or the new address. No HTML."),
            "email": _(
                "Optional: to get an answer when the suggestion has been handled. It is not "
                "shown anywhere."
            ),
        }

    def __init__(self, *args, place, language, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.instance.place = place
        self.instance.language = language
        self.fields["kind"].choices = Suggestion.Kind.choices
        self.fields["text"].validators.append(reject_html)


class PtvImportForm(forms.Form):
    """The first step of the admin's Service Catalogue (PTV) import: what to read."""

    municipality = forms.ModelChoiceField(
        label=_("municipality"),
        queryset=Municipality.objects.none(),
        help_text=_("The municipality whose service locations are read from PTV."),
    )
    organization = forms.ModelChoiceField(
        label=_("organisation"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_(
            "New places go to this organisation. Left empty, they go to the organisation whose "
            "PTV organisation ID is the channel's organisation."
        ),
    )
    ptv_organization = forms.UUIDField(
        label=_("PTV organisation ID"),
        required=False,
        help_text=_("Import only the channels of this PTV organisation."),
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = scope.ptv_municipalities()
        self.fields["organization"].queryset = scope.organizations()


FEEDBACK_FACE_FIELDS = ("participation", "safety", "happiness")


class FeedbackForm(HoneypotMixin, forms.ModelForm):
    """A visitor's anonymous feedback: three faces, would they come again, optional words."""

    FACE_FIELDS = FEEDBACK_FACE_FIELDS

    come_again = forms.TypedChoiceField(
        label=_("Would you come again?"),
        choices=[("yes", _("yes")), ("no", _("no")), ("", _("I don't know"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Feedback
        fields = ("participation", "safety", "happiness", "come_again", "comment")
        widgets = {
            "participation": forms.RadioSelect,
            "safety": forms.RadioSelect,
            "happiness": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 4, "maxlength": FEEDBACK_COMMENT_MAX_LENGTH}),
        }
        help_texts = {
            "comment": _(
                "Optional. Do not write names or other details by which someone could be "
                "recognised. Only the people who run the place read it."
            ),
        }
        error_messages = {
            name: {"required": _("Choose one of the faces.")} for name in FEEDBACK_FACE_FIELDS
        }

    def __init__(self, *args, place, language, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.instance.place = place
        self.instance.language = language
        for name in self.FACE_FIELDS:
            # No empty "---------" choice: a face is chosen or the question is left unanswered.
            self.fields[name].choices = Feedback.Face.choices
        self.fields["comment"].validators.append(reject_html)

    def face_fields(self):
        return [self[name] for name in self.FACE_FIELDS]


class JoinForm(HoneypotMixin, forms.ModelForm):
    """``/join/``: an association proposes its meeting place. Plain text within the model's
    lengths; the hours as one range a day (a closing time before the opening time passes
    midnight) and/or in words; consent to publish is required."""

    TEXT_FIELDS = (
        "organization_name",
        "contact_name",
        "place_name",
        "street_address",
        "postal_town",
        "description",
        "hours_text",
    )

    consent = forms.BooleanField(
        label=_(
            "I agree that the information about the place is published in the directory and "
            "its open data, and that the contact person's name and e-mail are stored for "
            "handling the proposal."
        ),
        error_messages={"required": _("The place can be listed only with your consent.")},
    )

    class Meta:
        model = PlaceProposal
        fields = (
            "organization_name",
            "business_id",
            "contact_name",
            "contact_email",
            "place_name",
            "municipality",
            "street_address",
            "postal_code",
            "postal_town",
            "description",
            "audiences",
            "hours_text",
            "consent",
        )
        widgets = {
            "organization_name": forms.TextInput(
                attrs={"list": "organisation-names", "autocomplete": "organization"}
            ),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "postal_code": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 5}),
            "description": forms.Textarea(attrs={"rows": 4, "maxlength": PROPOSAL_TEXT_MAX_LENGTH}),
            "audiences": forms.CheckboxSelectMultiple,
        }
        labels = {
            "organization_name": _("Name of the organisation"),
            "business_id": _("Business ID (Y-tunnus)"),
        }
        help_texts = {
            "organization_name": _(
                "If your organisation already has places in the directory, write its name as "
                "it is listed."
            ),
            "business_id": _("Optional, for example 1234567-1."),
            "contact_email": _(
                "The contact person gets an account for keeping the place's information "
                "current. The address is not shown anywhere."
            ),
            "description": _("Optional: what happens there, who is welcome."),
            "hours_text": _(
                "If the hours do not fit the table, say them in words, for example “every "
                "other Tuesday 17–19”."
            ),
        }

    def __init__(self, *args, language, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.instance.language = language
        municipalities = list(Municipality.objects.all())
        municipalities.sort(key=lambda municipality: municipality.name.casefold())
        self.fields["municipality"].choices = [
            ("", "---------"),
            *((municipality.pk, municipality.name) for municipality in municipalities),
        ]
        self.fields["audiences"].queryset = Audience.objects.all()
        for name in self.TEXT_FIELDS:
            self.fields[name].validators.append(reject_html)
        self.days = []
        for weekday in Weekday:
            opens, closes = f"opens_{weekday.value}", f"closes_{weekday.value}"
            self.fields[opens] = forms.TimeField(
                label=_("%(day)s opens") % {"day": weekday.label},
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
            self.fields[closes] = forms.TimeField(
                label=_("%(day)s closes") % {"day": weekday.label},
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
            self.days.append((weekday, self[opens], self[closes]))

    def clean(self):
        cleaned_data = super().clean()
        hours = []
        for weekday in Weekday:
            opens = cleaned_data.get(f"opens_{weekday.value}")
            closes = cleaned_data.get(f"closes_{weekday.value}")
            if opens is None and closes is None:
                continue
            if opens is None or closes is None:
                self.add_error(
                    f"opens_{weekday.value}" if opens is None else f"closes_{weekday.value}",
                    _("Give both the opening and the closing time, or leave both empty."),
                )
            elif opens == closes:
                self.add_error(
                    f"closes_{weekday.value}",
                    _("Opening and closing times cannot be the same."),
                )
            else:
                hours.append([weekday.value, f"{opens:%H:%M}", f"{closes:%H:%M}"])
        self.instance.weekly_hours = hours
        for error in overlap_errors(self.instance.weekly_rules()):
            self.add_error(None, error)
        return cleaned_data

    def save(self, commit=True):
        proposal = super().save(commit=False)
        proposal.organization = matching_organization(
            proposal.organization_name, proposal.business_id
        )
        if commit:
            proposal.save()
            self.save_m2m()
        return proposal


def matching_organization(name, business_id=""):
    """The listed organisation a proposal names: by business ID, else by its exact name."""
    if business_id:
        found = Organization.objects.filter(business_id=business_id).order_by("pk").first()
        if found is not None:
            return found
    return Organization.objects.filter(name__iexact=name.strip()).order_by("pk").first()


class ProposalHandlingForm(forms.ModelForm):
    """A pending proposal in the admin: corrections in plain text, the choice between a
    published place and a draft, and the reason a rejection needs. ``rejecting`` is set per
    request by PlaceProposalAdmin.get_form."""

    TEXT_FIELDS = (*JoinForm.TEXT_FIELDS, "note")
    rejecting = False

    publish_as = forms.ChoiceField(
        label=_("On approval, the place is"),
        choices=[("published", _("published")), ("draft", _("a draft, published later"))],
        initial="published",
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = PlaceProposal
        fields = (
            "organization",
            "organization_name",
            "business_id",
            "contact_name",
            "contact_email",
            "place_name",
            "municipality",
            "street_address",
            "postal_code",
            "postal_town",
            "description",
            "audiences",
            "hours_text",
            "note",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.TEXT_FIELDS:
            if name in self.fields:
                self.fields[name].validators.append(reject_html)

    def clean(self):
        cleaned_data = super().clean()
        if self.rejecting and "note" in self.fields and not cleaned_data.get("note"):
            self.add_error("note", _("Say in a note why the proposal is rejected."))
        return cleaned_data
