"""Public pages of the network: meetings, coordinators, coverage and statistics.

Only public meetings (published, cancelled, postponed) appear anywhere; drafts answer 404.
Every page runs a fixed number of queries whatever the number of meetings or places.
"""

from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView

from network.coverage import coverage_for, write_coverage_csv
from network.filters import MeetingFilter
from network.forms import CoverageForm
from network.models import Coordinator, Meeting
from network.statistics import figures_by_year, figures_this_year
from places.views import map_config, paginate

UPCOMING_ON_INDEX = 5


def meeting_cards(queryset):
    return queryset.select_related("venue__municipality").prefetch_related("regions")


class IndexView(TemplateView):
    template_name = "network/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meetings=meeting_cards(Meeting.objects.public().upcoming())[:UPCOMING_ON_INDEX],
            coordinator_regions=Coordinator.objects.published().by_region(),
            this_year=figures_this_year(),
            **kwargs,
        )


class MeetingListView(TemplateView):
    template_name = "network/meeting_list.html"

    def get_context_data(self, **kwargs):
        filterset = MeetingFilter(
            self.request.GET, queryset=meeting_cards(Meeting.objects.public().upcoming_first())
        )
        page, page_notice = paginate(self.request, filterset.qs)
        return super().get_context_data(
            filter=filterset,
            filter_errors=filterset.errors_by_label,
            page_obj=page,
            page_notice=page_notice,
            meetings=page.object_list,
            **kwargs,
        )


class MeetingDetailView(DetailView):
    template_name = "network/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        return (
            Meeting.objects.public()
            .select_related("venue__municipality", "organizer", "contact", "outcome")
            .prefetch_related("regions", "outcome__follow_ups__municipality")
        )

    def get_context_data(self, **kwargs):
        meeting = self.object
        venue = meeting.venue
        venue_map = None
        if venue is not None and venue.has_location:
            point = {"lat": float(venue.latitude), "lon": float(venue.longitude)}
            venue_map = map_config(point={**point, "name": venue.name})
        return super().get_context_data(
            outcome=getattr(meeting, "outcome", None) if meeting.is_held() else None,
            registration_open=meeting.registration_is_open(),
            map_config=venue_map,
            **kwargs,
        )


class CoordinatorListView(TemplateView):
    template_name = "network/coordinator_list.html"

    def get_context_data(self, **kwargs):
        published = Coordinator.objects.published()
        return super().get_context_data(
            coordinator_regions=published.by_region(),
            coordinators=published.select_related("organization").prefetch_related(
                "regions", "municipalities"
            ),
            **kwargs,
        )


class CoverageView(TemplateView):
    template_name = "network/coverage.html"

    def get_context_data(self, **kwargs):
        asked = CoverageForm(self.request.GET)
        coverage = coverage_for(asked.chosen_audience())
        audience = {"audience": coverage.audience.name.lower()}
        labels = {
            "places": _("Published places"),
            "audiencePlaces": _("Places for %(audience)s") % audience,
            "gap": _("No place for %(audience)s") % audience,
            "details": _("Meeting places in the municipality"),
        }
        return super().get_context_data(
            # The form shows the audience actually used, also after an unknown one was asked.
            form=CoverageForm(initial={"audience": coverage.audience}),
            audience_errors=asked.errors.get("audience", []),
            coverage=coverage,
            map_config=map_config(labels=labels, points=coverage.map_points()),
            **kwargs,
        )


class CoverageCsvView(View):
    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        form = CoverageForm(self.request.GET)
        if not form.is_valid():
            slugs = form.fields["audience"].queryset.values_list("slug", flat=True)
            return HttpResponseBadRequest(
                _("Unknown audience. Use one of: %(slugs)s") % {"slugs": ", ".join(slugs)},
                content_type="text/plain; charset=utf-8",
            )
        coverage = coverage_for(form.chosen_audience())
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="coverage-{coverage.audience.slug}.csv"'
        )
        write_coverage_csv(coverage, response)
        return response


class StatisticsView(TemplateView):
    template_name = "network/statistics.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(years=figures_by_year(), **kwargs)
