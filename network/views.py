"""Public pages of the network: meetings, coordinators, coverage and statistics.

Only public meetings (published, cancelled, postponed) appear anywhere; drafts answer 404.
Every page runs a fixed number of queries whatever the number of meetings or places.
"""

import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, FormView, TemplateView

from kohtaamispaikat.core.public_forms import take_submission_slot
from network.board import (
    ANSWER_NOT_SENT,
    ANSWERS_PER_HOUR,
    MAIL_ERRORS,
    SUBMISSIONS_PER_HOUR,
    relay_answer,
)
from network.coverage import coverage_for, write_coverage_csv
from network.filters import ListingFilter, MeetingFilter, PracticeFilter
from network.forms import AnswerForm, CoverageForm, ListingSubmissionForm, ReportForm
from network.json_ld import meeting_json_ld
from network.models import (
    Coordinator,
    GoodPractice,
    Listing,
    Meeting,
    Outcome,
    PracticeAttachment,
)
from network.reports import all_municipalities, build_report, choose_area, workbook, write_csv
from network.scopes import meeting_scope, practice_scope
from network.statistics import figures_by_year, figures_this_year
from places.serializers import json_ld_script
from places.views import map_config, paginate

logger = logging.getLogger(__name__)

UPCOMING_ON_INDEX = 5
MATCHES_SHOWN = 10


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
            calendar_region=filterset.form.cleaned_data.get("region"),
            **kwargs,
        )


class MeetingDetailView(DetailView):
    template_name = "network/meeting_detail.html"
    context_object_name = "meeting"

    def meetings(self):
        return Meeting.objects.public()

    def get_queryset(self):
        return (
            self.meetings()
            .select_related("venue__municipality__region", "organizer", "contact", "outcome")
            .prefetch_related(
                "regions",
                "outcome__follow_ups__municipality",
                Prefetch(
                    "outcome__practices",
                    GoodPractice.objects.published().for_cards(),
                    to_attr="published_practices",
                ),
            )
        )

    def get_context_data(self, **kwargs):
        meeting = self.object
        venue = meeting.venue
        venue_map = None
        if venue is not None and venue.public_location.has_point:
            location = venue.public_location
            point = {"lat": float(location.latitude), "lon": float(location.longitude)}
            venue_map = map_config(point={**point, "name": venue.name})
        return super().get_context_data(
            outcome=getattr(meeting, "outcome", None) if meeting.is_held() else None,
            registration_open=meeting.registration_is_open(),
            map_config=venue_map,
            json_ld=json_ld_script(meeting_json_ld(meeting, self.request.build_absolute_uri)),
            **kwargs,
        )


class MeetingPreviewView(LoginRequiredMixin, MeetingDetailView):
    """A meeting's page, drafts too, for those who may edit it in the admin: the public page
    as it will look once published. Anyone else gets the 404 of a missing meeting."""

    login_url = reverse_lazy("admin:login")

    def meetings(self):
        return Meeting.objects.filter(meeting_scope(self.request.user))

    def get_context_data(self, **kwargs):
        return super().get_context_data(preview=True, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response


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
        coverage = coverage_for(asked.chosen_audience(), asked.chosen_region())
        audience = {"audience": coverage.audience.name.lower()}
        labels = {
            "places": _("Published places"),
            "audiencePlaces": _("Places for %(audience)s") % audience,
            "gap": _("No place for %(audience)s") % audience,
            "details": _("Meeting places in the municipality"),
        }
        return super().get_context_data(
            # The form shows the audience actually used, also after an unknown one was asked.
            form=CoverageForm(initial={"audience": coverage.audience, "region": coverage.region}),
            coverage_errors=[*asked.errors.get("audience", []), *asked.errors.get("region", [])],
            coverage=coverage,
            map_config=map_config(labels=labels, points=coverage.map_points()),
            **kwargs,
        )


class CoverageCsvView(View):
    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        form = CoverageForm(self.request.GET)
        if "audience" in form.errors:
            slugs = form.fields["audience"].queryset.values_list("slug", flat=True)
            return HttpResponseBadRequest(
                _("Unknown audience. Use one of: %(slugs)s") % {"slugs": ", ".join(slugs)},
                content_type="text/plain; charset=utf-8",
            )
        if "region" in form.errors:
            return HttpResponseBadRequest(
                " ".join(form.errors["region"]), content_type="text/plain; charset=utf-8"
            )
        coverage = coverage_for(form.chosen_audience(), form.chosen_region())
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        area = f"-{coverage.region.code}" if coverage.region else ""
        response["Content-Disposition"] = (
            f'attachment; filename="coverage-{coverage.audience.slug}{area}.csv"'
        )
        write_coverage_csv(coverage, response)
        return response


class StatisticsView(TemplateView):
    template_name = "network/statistics.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(years=figures_by_year(), **kwargs)


# The notice board ---------------------------------------------------------------------------


class BoardView(TemplateView):
    """The notice board: approved listings still valid, filtered (network.filters)."""

    template_name = "network/board.html"

    def get_context_data(self, **kwargs):
        filterset = ListingFilter(self.request.GET, queryset=Listing.objects.on_board().for_cards())
        page, page_notice = paginate(self.request, filterset.qs)
        return super().get_context_data(
            filter=filterset,
            filter_errors=filterset.errors_by_label,
            page_obj=page,
            page_notice=page_notice,
            listings=page.object_list,
            **kwargs,
        )


class ListingDetailView(DetailView):
    """One listing, its matches and the answer form. Drafts, pending, rejected and expired
    listings answer 404."""

    template_name = "network/listing_detail.html"
    context_object_name = "listing"

    def get_queryset(self):
        return Listing.objects.on_board().for_cards()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            matches=self.object.matches()[:MATCHES_SHOWN],
            answer_form=kwargs.pop("answer_form", None) or AnswerForm(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = AnswerForm(request.POST)
        if form.is_bot:
            # Answered like a success, so that the bot learns nothing.
            return redirect(self.object)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(answer_form=form), status=400)
        refused = take_submission_slot(request, "board-answer", ANSWERS_PER_HOUR)
        if refused:
            form.add_error(None, refused.message)
            return self.render_to_response(self.get_context_data(answer_form=form), status=429)
        try:
            relay_answer(
                self.object,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                message=form.cleaned_data["message"],
                listing_url=request.build_absolute_uri(self.object.get_absolute_url()),
            )
        except MAIL_ERRORS:
            # Answers are not stored: the answerer keeps their text and is told to send it again.
            logger.exception("Could not relay an answer to listing %s", self.object.pk)
            form.add_error(None, ANSWER_NOT_SENT)
            response = self.render_to_response(self.get_context_data(answer_form=form), status=503)
            response["Retry-After"] = "300"
            return response
        messages.success(
            request, _("Your answer was sent. The poster will reply to you by e-mail.")
        )
        return redirect(self.object)


class ListingSubmitView(FormView):
    """A listing from someone without an account; a coordinator approves it first."""

    template_name = "network/listing_form.html"
    form_class = ListingSubmissionForm

    def form_valid(self, form):
        if form.is_bot:
            return redirect("network:listing_thanks")
        refused = take_submission_slot(self.request, "board-listing", SUBMISSIONS_PER_HOUR)
        if refused:
            form.add_error(None, refused.message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        with transaction.atomic():
            form.save()
        return redirect("network:listing_thanks")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ListingThanksView(TemplateView):
    template_name = "network/listing_thanks.html"


# Reports (#17) ------------------------------------------------------------------------------


def report_for(request):
    """The report the query string asks for, and its form (which names unusable values)."""
    municipalities = all_municipalities()
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("year", str(today.year))  # shown in the form: the report is of a year
    form = ReportForm(data, municipalities=municipalities, today=today)
    form.is_valid()
    area = choose_area(municipalities, **form.area_codes())
    return form, build_report(municipalities, area, form.chosen_year(), today)


@method_decorator(never_cache, name="dispatch")
class ReportView(TemplateView):
    """``/network/reports/``: public, printable, with every table as CSV and Excel. Never
    cached: visitor figures change without changing the directory's data version."""

    template_name = "network/reports.html"

    def get_context_data(self, **kwargs):
        form, report = report_for(self.request)
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=form,
            problems=form.problems(),
            report=report,
            query=query.urlencode(),
            **kwargs,
        )


@method_decorator(never_cache, name="dispatch")
class ReportDownloadView(View):
    """One table as CSV or as a one-sheet workbook, or (no table) every table in a workbook.
    Values that cannot be used answer 400 with what was wrong, never another area's figures."""

    http_method_names = ["get", "head", "options"]
    format = "csv"

    def get(self, request, key=None):
        form, report = report_for(request)
        if form.problems():
            message = "\n".join(f"{label}: {error}" for label, error in form.problems())
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        tables = report.tables if key is None else [report.table(key)]
        if tables == [None]:
            raise Http404
        name = f"report-{key or 'all'}-{report.year}"
        if self.format == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            write_csv(tables[0], response)
            return response
        response = HttpResponse(
            workbook(tables),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


# Good practices -----------------------------------------------------------------------------


class PracticeListView(TemplateView):
    """Published good practices, filtered by words, region and audience."""

    template_name = "network/practice_list.html"

    def get_context_data(self, **kwargs):
        filterset = PracticeFilter(
            self.request.GET, queryset=GoodPractice.objects.published().for_cards()
        )
        page, page_notice = paginate(self.request, filterset.qs)
        return super().get_context_data(
            filter=filterset,
            filter_errors=filterset.errors_by_label,
            page_obj=page,
            page_notice=page_notice,
            practices=page.object_list,
            **kwargs,
        )


class PracticeDetailView(DetailView):
    """One published practice with its attachments and the meetings that agreed on it;
    drafts answer 404."""

    template_name = "network/practice_detail.html"
    context_object_name = "practice"

    def get_queryset(self):
        held_meetings = Outcome.objects.filter(meeting__in=Meeting.objects.held()).select_related(
            "meeting"
        )
        return (
            GoodPractice.objects.published()
            .select_related("region", "municipality", "organization")
            .prefetch_related(
                "audiences",
                "attachments",
                Prefetch("outcomes", held_meetings.order_by("-meeting__start"), to_attr="agreed"),
            )
        )


class PracticeAttachmentView(View):
    """An attachment as a download, never shown inline: of a published practice, or of a
    draft to those who write it."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, slug, pk):
        attachment = get_object_or_404(
            PracticeAttachment.objects.select_related("practice"), pk=pk, practice__slug=slug
        )
        practice = attachment.practice
        may_preview = (
            request.user.is_authenticated
            and GoodPractice.objects.filter(practice_scope(request.user), pk=practice.pk).exists()
        )
        if not practice.is_published and not may_preview:
            raise Http404
        try:
            handle = attachment.file.open("rb")
        except OSError as missing:
            raise Http404 from missing
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        if not practice.is_published:
            response["Cache-Control"] = "private, no-store"
        return response
