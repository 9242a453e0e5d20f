"""The one filter for meeting places, shared by the list, the map and the data endpoints.

Every parameter is validated by a form field, so an unknown code, a malformed date or a
repeated single-valued parameter becomes a form error (a message on HTML pages, a 400 on data
endpoints) instead of an empty result or a server error.
"""

import re
from collections import defaultdict
from datetime import date

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from places.models import Audience, Municipality, Place, WeeklyHours

SEARCH_MAX_LENGTH = 200
# The hours engine counts days from the given date; far-off years are typing errors, and the
# extremes of the date type would overflow that arithmetic.
OPEN_AT_YEARS = (2000, 2100)
TEXT_SEARCH_CONFIG = "finnish"
TEXT_SEARCH_FIELDS = ("name", "description", "street_address", "postal_town")
WORD = re.compile(r"[^\W_]+")
FLAG_TRUE = {"1", "true", "on", "yes"}
FLAG_FALSE = {"", "0", "false", "off", "no"}


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
    open_now = FieldFilter(field_class=FlagField, method="filter_open_now", label=_("Open now"))
    open_at = FieldFilter(
        field_class=LocalDateTimeField,
        method="filter_open_at",
        label=_("Open at (date and time)"),
        help_text=_("For example a Tuesday evening: 2026-12-01 18:00."),
    )
    free = FieldFilter(field_class=FlagField, method="filter_free", label=_("Free of charge"))
    accessible = FieldFilter(
        field_class=FlagField, method="filter_accessible", label=_("Step-free entrance")
    )
    online = FieldFilter(
        field_class=FlagField, method="filter_online", label=_("Can take part online")
    )

    class Meta:
        model = Place
        fields = []
        form = PlaceFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        by_region = defaultdict(list)
        for municipality in Municipality.objects.select_related("region"):
            by_region[municipality.region].append(municipality)
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
        # Callables: the form copies its fields, and copying 300 choices for each request is
        # measurable; a callable is copied by reference.
        self.filters["region"].extra["choices"] = lambda: region_choices
        self.filters["municipality"].extra["choices"] = lambda: municipality_choices
        self.filters["audience"].extra["choices"] = lambda: audience_choices

    def filter_text(self, queryset, name, value):
        if connections[queryset.db].vendor == "postgresql":
            # Every word as a prefix, so that "perhe" finds the compound "perhekahvila"; only
            # letters and digits reach the query syntax.
            words = WORD.findall(value)
            if not words:
                return queryset.none()
            query = SearchQuery(
                " & ".join(f"{word}:*" for word in words),
                config=TEXT_SEARCH_CONFIG,
                search_type="raw",
            )
            # The same expression as the GIN index of migration 0004_place_text_search_index.
            vector = SearchVector(*TEXT_SEARCH_FIELDS, config=TEXT_SEARCH_CONFIG)
            return queryset.annotate(search=vector).filter(search=query)
        return queryset.filter(
            Q(name__icontains=value)
            | Q(description__icontains=value)
            | Q(street_address__icontains=value)
            | Q(postal_town__icontains=value)
            | Q(municipality__name_fi__icontains=value)
            | Q(municipality__name_sv__icontains=value)
        )

    def filter_region(self, queryset, name, value):
        return queryset.filter(municipality__region_id=value)

    def filter_municipality(self, queryset, name, value):
        return queryset.filter(municipality_id__in=value)

    def filter_audience(self, queryset, name, value):
        for_audience = Place.audiences.through.objects.filter(
            place_id=OuterRef("pk"), audience__slug__in=value
        )
        return queryset.filter(Exists(for_audience))

    def filter_day(self, queryset, name, value):
        return queryset.open_on_weekday(value)

    def filter_open_now(self, queryset, name, value):
        return queryset.open_at(timezone.now()) if value else queryset

    def filter_open_at(self, queryset, name, value):
        return queryset.open_at(value)

    def filter_free(self, queryset, name, value):
        return queryset.filter(free_of_charge=True) if value else queryset

    def filter_accessible(self, queryset, name, value):
        return queryset.filter(step_free_access=True) if value else queryset

    def filter_online(self, queryset, name, value):
        return queryset.exclude(online_url="") if value else queryset

    def error_messages(self):
        """``{parameter: [message, …]}`` for the data endpoints' 400 answers."""
        return {name: [str(message) for message in errors] for name, errors in self.errors.items()}
