"""Public pages and data endpoints for residents: thin views over PlaceFilter and the models.

Every page runs a fixed number of queries: lists prefetch what cards show (audiences and the
hours the engine reads), so computing each place's status runs no query of its own.
"""

from collections import defaultdict
from datetime import date, time, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, TemplateView

from network.models import Coordinator, Meeting
from places import csv_io, serializers
from places.filters import PlaceFilter
from places.hours import day_schedule
from places.models import (
    Audience,
    HoursException,
    Municipality,
    Organization,
    Place,
    Region,
    WeeklyHours,
)
from places.querysets import SEASONAL

PAGE_SIZE = 20


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


def detail_url_builder(request):
    return serializers.url_builder(
        lambda slug: request.build_absolute_uri(reverse("places:detail", kwargs={"slug": slug}))
    )


def with_status(places, now):
    """Attach each place's open/closed status at ``now`` for the cards."""
    places = list(places)
    for place in places:
        place.status = place.status_at(now)
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
            municipality_groups=filterset.municipality_groups,
            audiences=filterset.audiences,
            meetings=Meeting.objects.public().upcoming()[:3],
            **kwargs,
        )


class PlaceListView(PlaceFilterMixin, TemplateView):
    template_name = "places/place_list.html"

    def get_context_data(self, **kwargs):
        page, page_notice = paginate(self.request, card_queryset(self.get_filterset().qs))
        now = timezone.now()
        return super().get_context_data(
            page_obj=page,
            page_notice=page_notice,
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
        if place.has_location:
            point = {
                "lat": float(place.latitude),
                "lon": float(place.longitude),
                "name": place.name,
            }
        return super().get_context_data(
            status=place.status_at(now),
            week=place.week_schedule(context["today"]),
            exceptions=place.upcoming_exceptions(context["today"]),
            json_ld=serializers.json_ld_script(
                serializers.place_json_ld(place, context["today"], self.request.build_absolute_uri)
            ),
            map_config=map_config(point=point),
            **context,
            **kwargs,
        )


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
    queryset = Municipality.objects.select_related("region")

    def get_context_data(self, **kwargs):
        municipality = self.object
        places = card_queryset(Place.objects.published().filter(municipality=municipality))
        page, page_notice = paginate(self.request, places)
        now = timezone.now()
        coordinators = (
            Coordinator.objects.filter(is_published=True)
            .filter(Q(municipalities=municipality) | Q(regions=municipality.region_id))
            .select_related("organization")
            .distinct()
        )
        return super().get_context_data(
            page_obj=page,
            page_notice=page_notice,
            places=with_status(page.object_list, now),
            coordinators=coordinators,
            filter_query=f"municipality={municipality.code}",
            **status_context(now),
            **kwargs,
        )


class FilteredDataView(PlaceFilterMixin, View):
    """A data endpoint over the filtered places: 400 with ``{"errors": …}`` on bad filters."""

    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset()
        if not filterset.is_valid():
            return JsonResponse({"errors": filterset.error_messages()}, status=400)
        return self.render_data(filterset.qs)

    def render_data(self, places):
        raise NotImplementedError


class WeeklyRule(NamedTuple):
    """The fields of a WeeklyHours that the hours engine reads, without a model instance's cost
    (thousands are read for the map)."""

    weekday: int
    opens: time
    closes: time
    valid_from: date | None
    valid_until: date | None

    @property
    def is_seasonal(self):
        return WeeklyHours.is_seasonal.fget(self)


def schedules_on(places, day, closed_on_public_holidays):
    """The DaySchedule on ``day`` of each place (by pk) of ``closed_on_public_holidays``, a
    ``{pk: place.closed_on_public_holidays}`` of ``places``. Two queries however many places:
    only the weekly rules and exceptions that can matter on that date are read."""
    place_ids = places.values("pk")
    rules, exceptions = defaultdict(list), defaultdict(list)
    for place_id, *fields in (
        WeeklyHours.objects.filter(place__in=place_ids)
        .filter(Q(weekday=day.isoweekday()) | SEASONAL)
        .values_list("place_id", *WeeklyRule._fields)
    ):
        rules[place_id].append(WeeklyRule(*fields))
    for exception in HoursException.objects.filter(place__in=place_ids, start_date__lte=day).filter(
        Q(end_date__gte=day) | Q(end_date__isnull=True, start_date=day)
    ):
        exceptions[exception.place_id].append(exception)
    return {
        pk: day_schedule(day, rules[pk], exceptions[pk], closed)
        for pk, closed in closed_on_public_holidays.items()
    }


class PlaceGeoJSONView(FilteredDataView):
    def render_data(self, places):
        located = places.filter(latitude__isnull=False)
        rows = list(
            located.values_list(
                "pk", "slug", "name", "latitude", "longitude", "closed_on_public_holidays"
            )
        )
        schedules = schedules_on(located, timezone.localdate(), {row[0]: row[5] for row in rows})
        closed = _("closed")
        collection = serializers.geojson_feature_collection(
            [row[:5] for row in rows],
            {pk: serializers.hours_text(schedule, closed) for pk, schedule in schedules.items()},
            detail_url_builder(self.request),
        )
        return JsonResponse(
            collection,
            content_type="application/geo+json",
            json_dumps_params={"separators": (",", ":"), "ensure_ascii": False},
        )


class PlaceCSVView(FilteredDataView):
    def render_data(self, places):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="kohtaamispaikat.csv"'
        csv_io.write_places_csv(places, response)
        return response


class HSDSView(FilteredDataView):
    def render_data(self, places):
        place_ids = places.values("pk")
        audience_names = {audience.pk: audience.name for audience in Audience.objects.all()}
        audiences, rules = defaultdict(list), defaultdict(list)
        for place_id, audience_id in (
            Place.audiences.through.objects.filter(place__in=place_ids)
            .order_by("audience__position", "audience__slug")
            .values_list("place_id", "audience_id")
        ):
            audiences[place_id].append(audience_names[audience_id])
        for rule in WeeklyHours.objects.filter(place__in=place_ids).values(
            "place_id", *serializers.HSDS_RULE_FIELDS
        ):
            rules[rule["place_id"]].append(rule)
        lookups = serializers.HSDSLookups(
            regions={region.code: region.name for region in Region.objects.all()},
            audiences=audiences,
            rules=rules,
            languages={code: str(label) for code, label in Place.Language.choices},
            free_of_charge=_("free of charge"),
            local_time=_("Local time in Finland (Europe/Helsinki)."),
        )
        document = serializers.hsds_document(
            places.values(*serializers.HSDS_PLACE_FIELDS),
            Organization.objects.filter(pk__in=places.values("organization_id")),
            lookups,
            detail_url_builder(self.request),
            timezone.now(),
        )
        return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


class OpenDataView(TemplateView):
    template_name = "places/open_data.html"

    def get_context_data(self, **kwargs):
        absolute = self.request.build_absolute_uri
        example_query = "?municipality=179&audience=lapsiperheet"
        return super().get_context_data(
            license_name=settings.OPEN_DATA_LICENSE,
            license_url=settings.OPEN_DATA_LICENSE_URL,
            csv_columns=csv_io.CSV_COLUMNS,
            csv_url=absolute(reverse("places:csv")),
            geojson_url=absolute(reverse("places:geojson")),
            hsds_url=absolute(reverse("places:hsds")),
            example_query=example_query,
            **kwargs,
        )


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
