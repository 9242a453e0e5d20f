"""Public pages for residents: thin views over PlaceFilter and the models (the open-data
endpoints are in places.open_data).

Every page runs a fixed number of queries: lists prefetch what cards show (audiences and the
hours the engine reads), so computing each place's status runs no query of its own.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, FormView, TemplateView

from kohtaamispaikat.core.public_forms import take_submission_slot
from places import serializers
from places.feedback import feedback_qr
from places.filters import PlaceFilter
from places.forms import CounterForm, FeedbackForm, JoinForm, SuggestionForm
from places.models import (
    Feedback,
    Municipality,
    Organization,
    Place,
    SubRegion,
    VisitCount,
    WellbeingCounty,
)
from places.no_results import NoResults
from places.proposals import tell_coordinators
from places.roles import visit_entry_scope
from places.suggestions import tell_keepers

PAGE_SIZE = 20
# "Closed now? These nearby places are open": how many a closed place's page suggests.
OPEN_NEARBY_SHOWN = 3
# Per address and hour (kohtaamispaikat.core.public_forms).
SUGGESTIONS_PER_HOUR = 5
PROPOSALS_PER_HOUR = 5
# The door counter's taps per hour: from one address (a phone at a busy door taps every 12
# seconds for an hour), and for one place from everyone (several doors). A stuck or scripted
# client cannot inflate a month's figure by thousands.
COUNTER_TAPS_PER_ADDRESS = 300
COUNTER_TAPS_PER_PLACE = 600
# Visitors often answer on the place's own Wi-Fi, all from one address.
FEEDBACK_PER_ADDRESS_PER_HOUR = 30


def paginate(request, queryset):
    """The requested page, or the nearest real one with a notice: never a 404."""
    paginator = Paginator(queryset, PAGE_SIZE)
    requested = request.GET.get("page", "1")
    try:
        return paginator.page(requested), ""
    except PageNotAnInteger:
        notice = _("“%(page)s” is not a page number, so the first page is shown.")
        return paginator.page(1), notice % {"page": requested[:20]}
    except EmptyPage:
        if int(requested) < 1:
            notice = _("Page numbers start from 1, so the first page is shown.")
            return paginator.page(1), notice
        notice = _("There are only %(count)s pages, so the last page is shown.")
        return paginator.page(paginator.num_pages), notice % {"count": paginator.num_pages}


def with_status(places, now):
    """Attach each place's open/closed status at ``now`` for the cards, and its hours in words
    (what is not over) for their printout."""
    places = list(places)
    today = timezone.localdate(now)
    for place in places:
        place.status = place.status_at(now)
        place.hours_words = place.hours_in_words(today=today)
    return places


def card_queryset(queryset):
    return queryset.select_related("municipality").prefetch_related("audiences").with_hours()


def map_config(**extra):
    return {
        "tileUrl": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "labels": {
            "hoursToday": _("Today"),
            "details": _("More information"),
            "loading": _("Loading the map…"),
            "loaded": _("Places on the map: %(count)s"),
            "failed": _("The places could not be loaded. Try the list instead."),
            "approximate": _("Approximate location"),
            "tilesFailed": _(
                "The background map could not be loaded. The places are still marked on it, "
                "and every one of them is in the list."
            ),
        },
        **extra,
    }


def status_context(now):
    """Dates the status line compares with, so it can say "today" or "tomorrow"."""
    today = timezone.localdate(now)
    return {
        "today": today,
        "tomorrow": today + timedelta(days=1),
        "week_ahead": today + timedelta(days=7),
    }


class PlaceFilterMixin:
    """The one PlaceFilter over published places, built once per request."""

    def get_filterset(self):
        if not hasattr(self, "filterset"):
            self.filterset = PlaceFilter(
                self.request.GET, queryset=Place.objects.published(), request=self.request
            )
        return self.filterset

    def filter_context(self):
        filterset = self.get_filterset()
        return {
            "filter": filterset,
            "origin": filterset.origin,
            "near_radius_km": settings.NEAR_RADIUS_KM,
            "filter_errors": [
                (filterset.form[name].label, errors)
                for name, errors in filterset.errors.items()
                if name in filterset.form.fields
            ],
            "query": _query_without(self.request.GET, ["page", *filterset.errors]),
        }


def _query_without(query, names):
    """The query string without ``names``: links carry only the filters that were used."""
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


class HomeView(TemplateView):
    template_name = "places/home.html"

    def get_context_data(self, **kwargs):
        filterset = PlaceFilter(queryset=Place.objects.none())
        return super().get_context_data(
            near_form=filterset.form,
            municipality_groups=filterset.municipality_groups,
            audiences=filterset.audiences,
            **kwargs,
        )


class PlaceListView(PlaceFilterMixin, TemplateView):
    template_name = "places/place_list.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # Nearest first from a malformed point or an unknown postal code cannot be given: the
        # page explains, with the status a client can tell from a result.
        if {"near", "postcode"} & set(self.get_filterset().errors):
            response.status_code = 400
        elif response.context_data["no_results"]:
            # Each search that found nothing is counted, so it is never served from a cache.
            add_never_cache_headers(response)
        return response

    def get_context_data(self, **kwargs):
        page, page_notice = paginate(self.request, card_queryset(self.get_filterset().qs))
        now = timezone.now()
        no_results = None
        if not page.paginator.count and self.request.GET:
            no_results = NoResults(self.get_filterset())
            no_results.record(get_language())
        return super().get_context_data(
            page_obj=page,
            page_notice=page_notice,
            no_results=no_results,
            places=with_status(page.object_list, now),
            **status_context(now),
            **self.filter_context(),
            **kwargs,
        )


class PlaceMapView(PlaceFilterMixin, TemplateView):
    template_name = "places/place_map.html"

    def get_context_data(self, **kwargs):
        counts = self.get_filterset().qs.aggregate(
            total=Count("pk"), unlocated=Count("pk", filter=Q(latitude__isnull=True))
        )
        filter_context = self.filter_context()
        query = filter_context["query"]
        geojson_url = reverse("places:geojson") + (f"?{query}" if query else "")
        return super().get_context_data(
            counts=counts,
            map_config=map_config(geojsonUrl=geojson_url),
            **filter_context,
            **kwargs,
        )


class PlaceDetailView(DetailView):
    template_name = "places/place_detail.html"
    context_object_name = "place"

    def get_queryset(self):
        return (
            Place.objects.published()
            .select_related("municipality__region", "organization")
            .prefetch_related("audiences")
            .with_hours()
        )

    def get_context_data(self, **kwargs):
        place = self.object
        now = timezone.now()
        context = status_context(now)
        point = None
        location = place.public_location
        if location.has_point:
            point = {
                "lat": float(location.latitude),
                "lon": float(location.longitude),
                "name": place.name,
                "approximate": location.approximate,
            }
        status = place.status_at(now)
        return super().get_context_data(
            status=status,
            week=place.week_schedule(context["today"]),
            exceptions=place.upcoming_exceptions(context["today"]),
            hours_words=place.hours_in_words(today=context["today"]),
            json_ld=serializers.json_ld_script(
                serializers.place_json_ld(place, context["today"], self.request.build_absolute_uri)
            ),
            map_config=map_config(point=point),
            open_nearby=self.open_nearby(status, now),
            **context,
            **kwargs,
        )

    def open_nearby(self, status, now):
        """When this place is closed now, the nearest published places that are open (one
        query, and none when it is open or its hours are not known)."""
        place = self.object
        # Measured from what the page shows: distances from a hidden address would reveal it.
        location = place.public_location
        if not location.has_point or not status.hours_known or status.is_open:
            return []
        return (
            Place.objects.published()
            .open_at(now)
            .exclude(pk=place.pk)
            .near(float(location.latitude), float(location.longitude), settings.NEAR_RADIUS_KM)
            .select_related("municipality")[:OPEN_NEARBY_SHOWN]
        )


class EntrancePhotoView(View):
    """The entrance photo of a published place whose address is not hidden. The site sends it
    itself, as it does the good practices' attachments: the web server never serves MEDIA_ROOT,
    and a photo of a hidden or unpublished place is not reachable by its file name."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, slug):
        place = get_object_or_404(Place.objects.published(), slug=slug)
        if not place.shows_entrance_photo:
            raise Http404
        try:
            with place.entrance_photo.open("rb") as handle:
                content = handle.read()
        except OSError as missing:
            raise Http404 from missing
        # Always a JPEG: places.photos writes every stored copy anew.
        response = HttpResponse(content, content_type="image/jpeg")
        response["Cache-Control"] = "public, max-age=3600"
        return response


class PublicFormMixin:
    """A form anyone may send: a bot (the honeypot filled) is thanked and ignored, a sender
    past the limits is told so with 429, invalid input is shown back with 400."""

    rate_action = None
    per_address = 5
    overall = None  # PUBLIC_FORMS_PER_HOUR

    def form_valid(self, form):
        if form.is_bot:
            return redirect(self.get_success_url())
        refused = take_submission_slot(
            self.request, self.rate_action, self.per_address, self.overall
        )
        if refused:
            form.add_error(None, refused.message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        self.submit(form)
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


@method_decorator(never_cache, name="dispatch")
class SuggestionView(PublicFormMixin, FormView):
    """``/places/<slug>/suggest/``: a resident tells what is wrong; the place stays as it is."""

    template_name = "places/suggestion_form.html"
    form_class = SuggestionForm
    rate_action = "suggestion"
    per_address = SUGGESTIONS_PER_HOUR

    def dispatch(self, request, *args, **kwargs):
        self.place = get_object_or_404(
            Place.objects.published().select_related("municipality"), slug=kwargs["slug"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "place": self.place,
            "language": (get_language() or "fi")[:2],
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(place=self.place, **kwargs)

    def submit(self, form):
        with transaction.atomic():
            suggestion = form.save()
        tell_keepers(suggestion)

    def get_success_url(self):
        return reverse("places:suggestion_thanks", kwargs={"slug": self.place.slug})


class SuggestionThanksView(DetailView):
    template_name = "places/suggestion_thanks.html"
    context_object_name = "place"

    def get_queryset(self):
        return Place.objects.published()


class PublishedPlaceMixin:
    """Views of one published place (``slug`` in the URL), 404 for others."""

    def dispatch(self, request, *args, **kwargs):
        self.place = get_object_or_404(self.get_place_queryset(), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_place_queryset(self):
        return Place.objects.published().select_related("municipality")

    def get_context_data(self, **kwargs):
        return super().get_context_data(place=self.place, **kwargs)


def poster_qr_svg(url):
    """A poster's QR code of ``url``: inline SVG sized by the style sheet, titled with the
    address."""
    return feedback_qr(url).svg_inline(
        scale=1, omitsize=True, svgclass="poster__qr", lineclass=None, title=url
    )


@method_decorator(never_cache, name="dispatch")
class FeedbackView(PublishedPlaceMixin, PublicFormMixin, FormView):
    """``/places/<slug>/feedback/``: a visitor's anonymous answers (no login, nothing personal
    stored: ``places.feedback``)."""

    template_name = "places/feedback_form.html"
    form_class = FeedbackForm
    rate_action = "feedback"
    per_address = FEEDBACK_PER_ADDRESS_PER_HOUR

    @property
    def overall(self):
        return settings.FEEDBACK_PER_HOUR

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "place": self.place,
            "language": (get_language() or "fi")[:2],
        }

    def submit(self, form):
        Feedback.objects.record(form.instance)

    def get_success_url(self):
        return reverse("places:feedback_thanks", kwargs={"slug": self.place.slug})


class FeedbackThanksView(PublishedPlaceMixin, TemplateView):
    template_name = "places/feedback_thanks.html"


class PosterView(PublishedPlaceMixin, TemplateView):
    """A printable A4 poster for the place's wall: its QR code leads to the feedback page."""

    template_name = "places/poster.html"

    def get_context_data(self, **kwargs):
        url = self.request.build_absolute_uri(self.place.get_feedback_url())
        return super().get_context_data(feedback_url=url, qr_svg=poster_qr_svg(url), **kwargs)


class PlacePosterView(PublishedPlaceMixin, TemplateView):
    """``/places/<slug>/print/``: the place on one A4 page for notice boards in libraries and
    shops: name, for whom, hours in words, exceptions coming up, contact, and a QR code of the
    place's page. Three queries."""

    template_name = "places/place_poster.html"

    def get_place_queryset(self):
        return (
            super()
            .get_place_queryset()
            .select_related("organization")
            .prefetch_related("audiences")
            .with_hours()
        )

    def get_context_data(self, **kwargs):
        url = self.request.build_absolute_uri(self.place.get_absolute_url())
        today = timezone.localdate()
        return super().get_context_data(
            place_url=url,
            qr_svg=poster_qr_svg(url),
            hours=self.place.hours_in_words(today=today),
            exceptions=self.place.upcoming_exceptions(today, limit=4),
            **kwargs,
        )


@method_decorator(never_cache, name="dispatch")
class JoinView(PublicFormMixin, FormView):
    """``/join/``: an association proposes its meeting place; a coordinator of the region
    approves it in the admin. ``?municipality=<code>`` chooses the municipality beforehand
    (the municipality pages link so)."""

    template_name = "places/join_form.html"
    form_class = JoinForm
    rate_action = "join"
    per_address = PROPOSALS_PER_HOUR

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "language": (get_language() or "fi")[:2]}

    def get_initial(self):
        code = self.request.GET.get("municipality", "")
        if self.request.method == "GET" and code.isdigit() and len(code) == 3:
            return {"municipality": code}
        return {}

    def get_context_data(self, **kwargs):
        # Names people may pick from as they type: the organisations with places listed.
        organisation_names = (
            Organization.objects.filter(places__is_published=True)
            .order_by("name")
            .values_list("name", flat=True)
            .distinct()
        )
        return super().get_context_data(organisation_names=organisation_names, **kwargs)

    def submit(self, form):
        with transaction.atomic():
            proposal = form.save()
        tell_coordinators(proposal)

    def get_success_url(self):
        return reverse("places:join_thanks")


class JoinThanksView(TemplateView):
    template_name = "places/join_thanks.html"


class MunicipalityListView(TemplateView):
    template_name = "places/municipality_list.html"

    def get_context_data(self, **kwargs):
        municipalities = Municipality.objects.select_related("region").annotate(
            place_count=Count("places", filter=Q(places__is_published=True))
        )
        by_region = {}
        for municipality in sorted(municipalities, key=lambda m: m.name.casefold()):
            by_region.setdefault(municipality.region, []).append(municipality)
        regions = sorted(by_region.items(), key=lambda item: item[0].name.casefold())
        return super().get_context_data(regions=regions, **kwargs)


class MunicipalityDetailView(DetailView):
    template_name = "places/municipality_detail.html"
    context_object_name = "municipality"
    queryset = Municipality.objects.select_related("region", "subregion", "wellbeing_county")

    def get_context_data(self, **kwargs):
        municipality = self.object
        places = card_queryset(Place.objects.published().filter(municipality=municipality))
        page, page_notice = paginate(self.request, places)
        now = timezone.now()
        return super().get_context_data(
            page_obj=page,
            page_notice=page_notice,
            places=with_status(page.object_list, now),
            filter_query=f"municipality={municipality.code}",
            **status_context(now),
            **kwargs,
        )


class AreaDetailView(DetailView):
    """A sub-region's or wellbeing services county's page: its municipalities with their
    places, its published places and the coordinators of the area. Four queries."""

    template_name = "places/area_detail.html"
    context_object_name = "area"
    # The place filter's parameter for this kind of area (?subregion=131, ?county=15).
    filter_name = None

    def get_context_data(self, **kwargs):
        area = self.object
        municipalities = list(
            area.municipalities.annotate(
                place_count=Count("places", filter=Q(places__is_published=True))
            ).order_by("name_fi")
        )
        places = card_queryset(
            Place.objects.published().filter(municipality__in=[m.code for m in municipalities])
        )
        page, page_notice = paginate(self.request, places)
        now = timezone.now()
        return super().get_context_data(
            area_kind=area._meta.verbose_name,
            municipalities=sorted(municipalities, key=lambda m: m.name.casefold()),
            page_obj=page,
            page_notice=page_notice,
            places=with_status(page.object_list, now),
            filter_query=f"{self.filter_name}={area.code}",
            **status_context(now),
            **kwargs,
        )


class SubRegionDetailView(AreaDetailView):
    queryset = SubRegion.objects.select_related("region")
    filter_name = "subregion"


class WellbeingCountyDetailView(AreaDetailView):
    queryset = WellbeingCounty.objects.all()
    filter_name = "county"


@require_safe
def robots_txt(request):
    admin_paths = [
        f"Disallow: /{code}/admin/"
        for code, _name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE
    ]
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        *admin_paths,
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


class VisitCounterView(LoginRequiredMixin, FormView):
    """The door counter (#17): a phone at the door adds one visit to this month's figure of the
    chosen place, one tap a visitor. Only places whose figures the user enters are offered."""

    template_name = "places/visit_counter.html"
    form_class = CounterForm

    def get_login_url(self):
        return reverse("admin:login")

    def places(self):
        return Place.objects.filter(visit_entry_scope(self.request.user)).order_by("name", "pk")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["places"] = self.places()
        if self.request.method == "GET":
            kwargs["initial"] = {"place": self.request.GET.get("place", "")}
        return kwargs

    def form_valid(self, form):
        place = form.cleaned_data["place"]
        refused = take_submission_slot(
            self.request,
            f"visit-counter:{place.pk}",
            COUNTER_TAPS_PER_ADDRESS,
            overall=COUNTER_TAPS_PER_PLACE,
        )
        if refused:
            form.add_error(
                None,
                _("Too many taps right now: this visit was not counted. Please try again later."),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        visits = VisitCount.objects.add_one(place)
        messages.success(
            self.request,
            _("Counted. %(place)s has %(visits)s visits this month.")
            % {"place": place.name, "visits": visits},
        )
        return HttpResponseRedirect(f"{reverse('places:counter')}?{urlencode({'place': place.pk})}")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        places = list(context["form"].fields["place"].queryset)
        chosen = str(context["form"]["place"].value() or "")
        if len(places) == 1:
            chosen = str(places[0].pk)
            context["form"].initial["place"] = places[0].pk
        today = timezone.localdate()
        counts = dict(
            VisitCount.objects.filter(
                place__in=[place.pk for place in places], year=today.year, month=today.month
            ).values_list("place_id", "visits")
        )
        context.update(
            places=places,
            counts=[(place, counts.get(place.pk, 0)) for place in places],
            chosen=chosen,
            month=today,
        )
        return context
