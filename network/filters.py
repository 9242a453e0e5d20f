"""The filter of the public meeting list: region, year and upcoming/past.

Unknown region codes, years without meetings and malformed values become form errors shown
on the page (the other filters still apply), never a server error.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from network.models import Meeting
from places.models import Region


def meeting_years():
    """Years with public meetings, latest first (in Helsinki time)."""
    years = Meeting.objects.public().datetimes("start", "year", order="DESC")
    return [(str(moment.year), str(moment.year)) for moment in years]


class MeetingFilter(django_filters.FilterSet):
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

    @property
    def errors_by_label(self):
        """(label, messages) of each filter that could not be used."""
        return [
            (self.form[name].label, errors)
            for name, errors in self.errors.items()
            if name in self.form.fields
        ]
