"""The filter of the public meeting list: region, year and upcoming/past.

Unknown region codes, years without meetings and malformed values become form errors shown
on the page (the other filters still apply), never a server error.
"""

from collections import defaultdict

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from network.models import GoodPractice, Listing, Meeting
from places.filters import (
    SEARCH_MAX_LENGTH,
    AudienceCheckboxes,
    FieldFilter,
    MunicipalitySelect,
    PlaceFilterForm,
)
from places.models import Audience, Municipality, Region


class LabelledErrorsMixin:
    @property
    def errors_by_label(self):
        """(label, messages) of each filter that could not be used."""
        return [
            (self.form[name].label, errors)
            for name, errors in self.errors.items()
            if name in self.form.fields
        ]


def meeting_years():
    """Years with public meetings, latest first (in Helsinki time)."""
    years = Meeting.objects.public().datetimes("start", "year", order="DESC")
    return [(str(moment.year), str(moment.year)) for moment in years]


class MeetingFilter(LabelledErrorsMixin, django_filters.FilterSet):
    UPCOMING = "upcoming"
    PAST = "past"

    region = django_filters.ModelChoiceFilter(
        field_name="regions",
        queryset=Region.objects.all(),
        label=_("Region"),
        empty_label=_("All regions"),
        error_messages={"invalid_choice": _("There is no region with the code “%(value)s”.")},
    )
    year = django_filters.ChoiceFilter(
        field_name="start",
        lookup_expr="year",
        label=_("Year"),
        choices=meeting_years,
        empty_label=_("All years"),
        error_messages={"invalid_choice": _("There are no meetings in the year “%(value)s”.")},
    )
    when = django_filters.ChoiceFilter(
        method="filter_when",
        label=_("Upcoming or past"),
        choices=[(UPCOMING, _("Upcoming meetings")), (PAST, _("Past meetings"))],
        empty_label=_("Upcoming and past"),
        error_messages={"invalid_choice": _("Choose upcoming or past meetings.")},
    )

    class Meta:
        model = Meeting
        fields = ["region", "year", "when"]

    def filter_when(self, queryset, name, value):
        return queryset.upcoming() if value == self.UPCOMING else queryset.past()


class ListingFilter(LabelledErrorsMixin, django_filters.FilterSet):
    """The board's filter: kind, region, municipalities (repeatable), audiences and text.

    Like the places filter, every value is checked by a form field: an unknown code becomes a
    message on the page and the other filters still apply."""

    kind = FieldFilter(
        field_class=forms.ChoiceField,
        method="filter_kind",
        label=_("Kind"),
        choices=[("", _("All kinds")), *Listing.Kind.choices],
        error_messages={"invalid_choice": _("There is no kind of listing called “%(value)s”.")},
    )
    q = FieldFilter(
        field_class=forms.CharField,
        method="filter_text",
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Words in the title or the text."),
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

    class Meta:
        model = Listing
        fields = []
        form = PlaceFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        by_region = defaultdict(list)
        for municipality in Municipality.objects.select_related("region"):
            by_region[municipality.region].append(municipality)
        self.municipality_groups = sorted(
            (
                (region, sorted(members, key=lambda m: m.name.casefold()))
                for region, members in by_region.items()
            ),
            key=lambda group: group[0].name.casefold(),
        )
        region_choices = [("", _("All regions"))] + [
            (region.code, region.name) for region, _members in self.municipality_groups
        ]
        municipality_choices = [
            (region.name, [(m.code, m.name) for m in members])
            for region, members in self.municipality_groups
        ]
        audience_choices = [(a.slug, a.name) for a in Audience.objects.all()]
        self.filters["region"].extra["choices"] = lambda: region_choices
        self.filters["municipality"].extra["choices"] = lambda: municipality_choices
        self.filters["audience"].extra["choices"] = lambda: audience_choices

    def filter_kind(self, queryset, name, value):
        return queryset.filter(kind=value) if value else queryset

    def filter_text(self, queryset, name, value):
        matching = Q()
        for field in ("title_fi", "title_sv", "title_en", "text_fi", "text_sv", "text_en"):
            matching |= Q(**{f"{field}__icontains": value})
        return queryset.filter(matching)

    def _with_municipality(self, queryset, **lookup):
        concerning = Listing.municipalities.through.objects.filter(
            listing_id=OuterRef("pk"), **lookup
        )
        return queryset.filter(Exists(concerning))

    def filter_region(self, queryset, name, value):
        return (
            self._with_municipality(queryset, municipality__region_id=value) if value else queryset
        )

    def filter_municipality(self, queryset, name, value):
        return self._with_municipality(queryset, municipality_id__in=value)

    def filter_audience(self, queryset, name, value):
        for_audience = Listing.audiences.through.objects.filter(
            listing_id=OuterRef("pk"), audience__slug__in=value
        )
        return queryset.filter(Exists(for_audience))


class PracticeFilter(LabelledErrorsMixin, django_filters.FilterSet):
    """The good practices' filter: words, region and audiences; unknown values are messages."""

    q = FieldFilter(
        field_class=forms.CharField,
        method="filter_text",
        label=_("Search"),
        max_length=SEARCH_MAX_LENGTH,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Words in the title, the summary or the text."),
    )
    region = FieldFilter(
        field_class=forms.ChoiceField,
        method="filter_region",
        label=_("Region"),
        error_messages={"invalid_choice": _("There is no region with the code %(value)s.")},
    )
    audience = FieldFilter(
        field_class=forms.MultipleChoiceField,
        method="filter_audience",
        label=_("For whom"),
        widget=AudienceCheckboxes,
        error_messages={"invalid_choice": _("There is no audience called “%(value)s”.")},
    )

    class Meta:
        model = GoodPractice
        fields = []
        form = PlaceFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = sorted(Region.objects.all(), key=lambda region: region.name.casefold())
        region_choices = [("", _("All regions"))] + [(r.code, r.name) for r in regions]
        audience_choices = [(a.slug, a.name) for a in Audience.objects.all()]
        self.filters["region"].extra["choices"] = lambda: region_choices
        self.filters["audience"].extra["choices"] = lambda: audience_choices

    def filter_text(self, queryset, name, value):
        return queryset.matching(value)

    def filter_region(self, queryset, name, value):
        return queryset.filter(region_id=value) if value else queryset

    def filter_audience(self, queryset, name, value):
        for_audience = GoodPractice.audiences.through.objects.filter(
            goodpractice_id=OuterRef("pk"), audience__slug__in=value
        )
        return queryset.filter(Exists(for_audience))
