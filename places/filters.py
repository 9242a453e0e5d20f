"""The one filter for meeting places, shared by the list, the map and the data endpoints.

Every parameter is validated by a form field, so an unknown code, a malformed date or a
repeated single-valued parameter becomes a form error (a message on HTML pages, a 400 on data
endpoints) instead of an empty result or a server error.
"""

import math
import re
from collections import defaultdict
from datetime import date
from functools import cached_property
from typing import NamedTuple

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Avg, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from places.models import (
    FINLAND_LATITUDE,
    FINLAND_LONGITUDE,
    Audience,
    Municipality,
    Place,
    PostalArea,
    WeeklyHours,
)
from places.querysets import PARTS_OF_DAY
from places.search import PlaceSearch

SEARCH_MAX_LENGTH = 200


def _part_of_day_label(name, part):
    starts, ends = PARTS_OF_DAY[part]
    hours = f"{starts.hour}–{ends.hour or 24}"
    return format_lazy("{name} ({hours})", name=name, hours=hours)


PART_OF_DAY_CHOICES = [
    ("morning", _part_of_day_label(_("Morning"), "morning")),
    ("afternoon", _part_of_day_label(_("Afternoon"), "afternoon")),
    ("evening", _part_of_day_label(_("Evening"), "evening")),
]
# The hours engine counts days from the given date; far-off years are typing errors, and the
# extremes of the date type would overflow that arithmetic.
OPEN_AT_YEARS = (2000, 2100)
FLAG_TRUE = {"1", "true", "on", "yes"}
FLAG_FALSE = {"", "0", "false", "off", "no"}
# "Near me" accepts a point a little beyond the border (a resident of Haparanda or Ivalo's
# wilderness), not the other side of the world.
NEAR_MARGIN_DEGREES = 1.0


class Origin(NamedTuple):
    """Where distances are measured from, and how the page names it."""

    latitude: float
    longitude: float
    label: str


class DropEmptyValuesMixin:
    """A multi-value widget that ignores empty values, which the "all" option of a plain
    select (as on the home page) submits."""

    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name)
        return [value for value in values if value] if values else values


class MunicipalitySelect(DropEmptyValuesMixin, forms.SelectMultiple):
    pass


class AudienceCheckboxes(DropEmptyValuesMixin, forms.CheckboxSelectMultiple):
    pass


def is_flag_on(value):
    return value is True or str(value).strip().lower() in FLAG_TRUE


class FlagCheckbox(forms.CheckboxInput):
    """A checkbox submitting ``1``. Passes the raw value on, so the field can reject junk."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=is_flag_on)

    def format_value(self, value):
        return "1"

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class FlagField(forms.Field):
    widget = FlagCheckbox
    default_error_messages = {"invalid": _("Use 1 to turn this filter on, or leave it out.")}

    def to_python(self, value):
        if value is True or value is False:
            return value
        text = "" if value is None else str(value).strip().lower()
        if text in FLAG_TRUE:
            return True
        if text in FLAG_FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value):
        """An unticked box is a valid answer."""


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time in Finland, as a browser's datetime-local control sends it."""

    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
    default_error_messages = {
        "invalid": _("Enter a date and time like 2026-12-01T18:00."),
        "out_of_range": _("Choose a date between the years %(first)s and %(last)s."),
    }

    def __init__(self, **kwargs):
        widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        super().__init__(widget=widget, **kwargs)

    def validate(self, value):
        super().validate(value)
        first, last = OPEN_AT_YEARS
        if value and not date(first, 1, 1) <= value.date() <= date(last, 12, 31):
            raise forms.ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={"first": first, "last": last},
            )


class CoordinatesField(forms.CharField):
    """``62.24,25.75``: a point in or near Finland (latitude, longitude in degrees)."""

    default_error_messages = {
        "invalid": _(
            "Give the location as latitude and longitude in Finland, such as 62.24,25.75."
        ),
    }

    def __init__(self, **kwargs):
        super().__init__(max_length=60, strip=True, **kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            latitude, longitude = (float(part) for part in text.split(","))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        in_finland = (
            math.isfinite(latitude)
            and math.isfinite(longitude)
            and FINLAND_LATITUDE[0] - NEAR_MARGIN_DEGREES
            <= latitude
            <= FINLAND_LATITUDE[1] + NEAR_MARGIN_DEGREES
            and FINLAND_LONGITUDE[0] - NEAR_MARGIN_DEGREES
            <= longitude
            <= FINLAND_LONGITUDE[1] + NEAR_MARGIN_DEGREES
        )
        if not in_finland:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return latitude, longitude


class PostcodeField(forms.CharField):
    """A Finnish postal code that exists (``40100``), as its PostalArea."""

    default_error_messages = {
        "invalid": _("Enter a postal code of five digits, such as 40100."),
        "unknown": _("There is no postal code %(value)s in Finland."),
    }

    def __init__(self, **kwargs):
        widget = forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "postal-code", "size": 6}
        )
        super().__init__(max_length=20, strip=True, widget=widget, **kwargs)

    def to_python(self, value):
        return super().to_python(value).replace(" ", "")

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        if not re.fullmatch(r"[0-9]{5}", code):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        area = PostalArea.objects.select_related("municipality").filter(code=code).first()
        if area is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": code}
            )
        return area


class PlaceFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned_data = super().clean()
        if hasattr(self.data, "getlist"):
            for name, field in self.fields.items():
                repeatable = isinstance(field, forms.MultipleChoiceField)
                if not repeatable and len(self.data.getlist(name)) > 1:
                    self.add_error(name, _("Give only one value for this filter."))
        return cleaned_data


class FieldFilter(django_filters.Filter):
    """A filter whose form field is given by ``field_class`` (all filtering is in methods)."""

    def __init__(self, *args, field_class, **kwargs):
        self.field_class = field_class
        super().__init__(*args, **kwargs)


def _by_name(objects):
    return sorted(objects, key=lambda obj: obj.name.casefold())


class PlaceFilter(django_filters.FilterSet):
    q = FieldFilter(
        field_class=forms.CharField,
        method="filter_text",
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Name, street, town or words in the description."),
    )
    region = FieldFilter(
        field_class=forms.ChoiceField,
        method="filter_region",
        label=_("Region"),
        error_messages={"invalid_choice": _("There is no region with the code %(value)s.")},
    )
    subregion = FieldFilter(
        field_class=forms.ChoiceField,
        method="filter_subregion",
        label=_("Sub-region"),
        error_messages={"invalid_choice": _("There is no sub-region with the code %(value)s.")},
    )
    county = FieldFilter(
        field_class=forms.ChoiceField,
        method="filter_county",
        label=_("Wellbeing services county"),
        error_messages={
            "invalid_choice": _("There is no wellbeing services county with the code %(value)s.")
        },
    )
    municipality = FieldFilter(
        field_class=forms.MultipleChoiceField,
        method="filter_municipality",
        label=_("Municipality"),
        widget=MunicipalitySelect(attrs={"size": 6}),
        help_text=_("To choose several, hold down Ctrl (or Cmd on a Mac) while clicking."),
        error_messages={"invalid_choice": _("There is no municipality with the code %(value)s.")},
    )
    audience = FieldFilter(
        field_class=forms.MultipleChoiceField,
        method="filter_audience",
        label=_("For whom"),
        widget=AudienceCheckboxes,
        error_messages={"invalid_choice": _("There is no audience called “%(value)s”.")},
    )
    day = FieldFilter(
        field_class=forms.TypedChoiceField,
        method="filter_day",
        label=_("Open on weekday"),
        coerce=int,
        empty_value=None,
        choices=[("", _("Any day")), *WeeklyHours.Weekday.choices],
        error_messages={"invalid_choice": _("Choose a weekday from 1 (Monday) to 7 (Sunday).")},
    )
    time = FieldFilter(
        field_class=forms.ChoiceField,
        method="filter_time",
        label=_("Time of day"),
        choices=[("", _("Any time")), *PART_OF_DAY_CHOICES],
        help_text=_(
            "With a weekday: open then on the next such day, exceptions and seasons included."
        ),
        error_messages={"invalid_choice": _("Choose the morning, the afternoon or the evening.")},
    )
    open_now = FieldFilter(field_class=FlagField, method="filter_open_now", label=_("Open now"))
    open_at = FieldFilter(
        field_class=LocalDateTimeField,
        method="filter_open_at",
        label=_("Open at (date and time)"),
        help_text=_("For example a Tuesday evening: 2026-12-01 18:00."),
    )
    free = FieldFilter(field_class=FlagField, method="filter_free", label=_("Free of charge"))
    language = FieldFilter(
        field_class=forms.MultipleChoiceField,
        method="filter_language",
        label=_("Languages spoken"),
        choices=Place.Language.choices,
        widget=AudienceCheckboxes,
        error_messages={"invalid_choice": _("There is no language with the code “%(value)s”.")},
    )
    accessible = FieldFilter(
        field_class=FlagField, method="filter_accessible", label=_("Step-free entrance")
    )
    stroller = FieldFilter(
        field_class=FlagField, method="filter_stroller", label=_("Stroller friendly")
    )
    loop = FieldFilter(field_class=FlagField, method="filter_loop", label=_("Induction loop"))
    online = FieldFilter(
        field_class=FlagField, method="filter_online", label=_("Can take part online")
    )
    postcode = FieldFilter(
        field_class=PostcodeField,
        method="filter_near",
        label=_("Postal code"),
        help_text=_("Places nearest to it come first."),
    )
    near = FieldFilter(
        field_class=CoordinatesField,
        method="filter_near",
        label=_("Your location"),
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Place
        fields = []
        form = PlaceFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        by_region = defaultdict(list)
        subregions, counties = {}, {}
        for municipality in Municipality.objects.select_related(
            "region", "subregion", "wellbeing_county"
        ):
            by_region[municipality.region].append(municipality)
            if municipality.subregion:
                subregions[municipality.subregion_id] = municipality.subregion
            if municipality.wellbeing_county:
                counties[municipality.wellbeing_county_id] = municipality.wellbeing_county
        self.municipality_groups = sorted(
            ((region, _by_name(members)) for region, members in by_region.items()),
            key=lambda group: group[0].name.casefold(),
        )
        self.audiences = list(Audience.objects.all())
        region_choices = [("", _("All regions"))] + [
            (region.code, region.name) for region, _members in self.municipality_groups
        ]
        municipality_choices = [
            (region.name, [(m.code, m.name) for m in members])
            for region, members in self.municipality_groups
        ]
        audience_choices = [(a.slug, a.name) for a in self.audiences]
        subregion_choices = [("", _("All sub-regions"))] + [
            (area.code, area.name) for area in _by_name(subregions.values())
        ]
        county_choices = [("", _("All wellbeing services counties"))] + [
            (area.code, area.name) for area in _by_name(counties.values())
        ]
        # Callables: the form copies its fields, and copying 300 choices for each request is
        # measurable; a callable is copied by reference.
        self.filters["region"].extra["choices"] = lambda: region_choices
        self.filters["municipality"].extra["choices"] = lambda: municipality_choices
        self.filters["audience"].extra["choices"] = lambda: audience_choices
        self.filters["subregion"].extra["choices"] = lambda: subregion_choices
        self.filters["county"].extra["choices"] = lambda: county_choices

    @cached_property
    def origin(self):
        """Where "near me" measures from: a postal code typed by hand wins over the browser's
        location (a form that once used the location still carries it); None without either."""
        if not self.is_bound:
            return None
        self.form.is_valid()  # cleaned_data keeps the valid fields when others are not
        area = self.form.cleaned_data.get("postcode")
        if area is not None:
            return postal_area_origin(area)
        point = self.form.cleaned_data.get("near")
        if point is not None:
            return Origin(*point, label=str(_("your location")))
        return None

    def filter_text(self, queryset, name, value):
        self.search = PlaceSearch(value, get_language())
        return self.search.apply(queryset).filter(found_not_by_hidden_address(self.search.words))

    def filter_region(self, queryset, name, value):
        return queryset.filter(municipality__region_id=value)

    def filter_subregion(self, queryset, name, value):
        return queryset.filter(municipality__subregion_id=value)

    def filter_county(self, queryset, name, value):
        return queryset.filter(municipality__wellbeing_county_id=value)

    def filter_near(self, queryset, name, value):
        # Called for the postal code and the location alike: applied once, for the one that
        # gave the origin.
        if name == "near" and self.form.cleaned_data.get("postcode") is not None:
            return queryset
        origin = self.origin
        return queryset.near(origin.latitude, origin.longitude, settings.NEAR_RADIUS_KM)

    def filter_municipality(self, queryset, name, value):
        return queryset.filter(municipality_id__in=value)

    def filter_audience(self, queryset, name, value):
        for_audience = Place.audiences.through.objects.filter(
            place_id=OuterRef("pk"), audience__slug__in=value
        )
        return queryset.filter(Exists(for_audience))

    def filter_day(self, queryset, name, value):
        # With a time of day the weekday names the date that filter_time asks about.
        if self.form.cleaned_data.get("time"):
            return queryset
        return queryset.open_on_weekday(value)

    # (date, label) that a time-of-day filter asked about, for the page to name.
    time_of_day = None

    def filter_time(self, queryset, name, value):
        places, day = queryset.open_in_part_of_day(
            value, self.form.cleaned_data.get("day"), timezone.now()
        )
        self.time_of_day = (day, dict(PART_OF_DAY_CHOICES)[value])
        return places

    def filter_open_now(self, queryset, name, value):
        return queryset.open_at(timezone.now()) if value else queryset

    def filter_open_at(self, queryset, name, value):
        return queryset.open_at(value)

    def filter_free(self, queryset, name, value):
        return queryset.filter(free_of_charge=True) if value else queryset

    def filter_accessible(self, queryset, name, value):
        return queryset.filter(step_free_access=True) if value else queryset

    def filter_language(self, queryset, name, value):
        return queryset.served_in(value)

    def filter_stroller(self, queryset, name, value):
        return queryset.filter(stroller_space=True) if value else queryset

    def filter_loop(self, queryset, name, value):
        return queryset.filter(induction_loop=True) if value else queryset

    def filter_online(self, queryset, name, value):
        return queryset.exclude(online_url="") if value else queryset

    def error_messages(self):
        """``{parameter: [message, …]}`` for the data endpoints' 400 answers."""
        return {name: [str(message) for message in errors] for name, errors in self.errors.items()}


def found_not_by_hidden_address(words):
    """A condition on the places a search found: a place whose address is hidden only when
    every word is in its name, description or municipality, so that a search for its street
    does not confirm where it is."""
    condition = Q()
    for word in words:
        condition &= (
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(municipality__name_fi__icontains=word)
            | Q(municipality__name_sv__icontains=word)
        )
    return Q(address_hidden=False) | condition


def postal_area_origin(area):
    """The centre of a postal area: the mean of its published places' coordinates where it has
    any (the postal code's own neighbourhood), else its municipality's centre."""
    centre = (
        Place.objects.published()
        # A hidden address's point stays out: an area of one place would be centred on it.
        .filter(postal_code=area.code, latitude__isnull=False, address_hidden=False)
        .aggregate(latitude=Avg("latitude"), longitude=Avg("longitude"))
    )
    if centre["latitude"] is None:
        centre = {
            "latitude": area.municipality.latitude,
            "longitude": area.municipality.longitude,
        }
    return Origin(
        float(centre["latitude"]), float(centre["longitude"]), label=f"{area.code} {area.name}"
    )
