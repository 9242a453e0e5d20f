"""Open data: the filtered places as GeoJSON, CSV and HSDS, and the page that documents them.

Each endpoint takes the list pages' filters (PlaceFilterMixin) and answers a bad filter with
400 and ``{"errors": …}``. Every endpoint runs a fixed number of queries whatever the data size.
"""

from collections import defaultdict

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from places import csv_io, serializers
from places.models import (
    Audience,
    Organization,
    Place,
    Region,
    WeeklyHours,
)
from places.querysets import schedules_on
from places.views import PlaceFilterMixin


def detail_url_builder(request):
    return serializers.url_builder(
        lambda slug: request.build_absolute_uri(reverse("places:detail", kwargs={"slug": slug}))
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


class PlaceGeoJSONView(FilteredDataView):
    def render_data(self, places):
        located = places.filter(latitude__isnull=False)
        rows = list(
            located.values_list(
                "pk",
                "slug",
                "name",
                "latitude",
                "longitude",
                "closed_on_public_holidays",
                "closed_on_eves",
            )
        )
        schedules = schedules_on(
            located, timezone.localdate(), {row[0]: (row[5], row[6]) for row in rows}
        )
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
