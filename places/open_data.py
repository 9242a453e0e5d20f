"""Open data: the filtered places as GeoJSON, CSV and HSDS, and the page that documents them.

Each endpoint takes the list pages' filters (PlaceFilterMixin) and answers a bad filter with
400 and ``{"errors": …}``. Every endpoint runs a fixed number of queries whatever the data size.
"""

import json
from collections import defaultdict
from functools import partial
from itertools import islice

from django import forms
from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from kohtaamispaikat.core.models import DataVersion
from places import csv_io, hsds, serializers
from places.filters import PlaceFilter
from places.models import Organization, Place
from places.periods import EXPORT_DAYS
from places.querysets import schedules_on
from places.views import PlaceFilterMixin

BOOLEAN_VALUES = ("true", "false", "1", "0")
HSDS_DOCS_LABEL = "Open Referral HSDS 3.0"


def local_today():
    return timezone.localdate()


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


GEOJSON_CHUNK = 1000
GEOJSON_FIELDS = (
    "pk",
    "slug",
    "name",
    "public_latitude",
    "public_longitude",
    "closed_on_public_holidays",
    "closed_on_eves",
    "last_verified",
    "location_approximate",
    "address_hidden",
)


def chunks_of(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


class PlaceGeoJSONView(FilteredDataView):
    """The located places as GeoJSON. The body is written GEOJSON_CHUNK places at a time (three
    queries per chunk: the rows, today's weekly hours and exceptions), so building it takes
    the memory of the file and one chunk, not of every place's objects at once. It stays one
    response, not a stream, so that the page cache keeps it, compressed, for the data version
    and the day (see ARCHITECTURE.md, "Whole-dataset downloads")."""

    def render_data(self, places):
        return HttpResponse(self.chunks(places), content_type="application/geo+json")

    def chunks(self, places):
        located = places.with_public_location().filter(public_latitude__isnull=False)
        today, closed = timezone.localdate(), _("closed")
        detail_url = detail_url_builder(self.request)
        # A hidden address shows as an approximate location (with_public_location blurs it).
        rows = (
            (*row[:8], approximate or hidden)
            for *row, approximate, hidden in located.values_list(*GEOJSON_FIELDS).iterator(
                chunk_size=GEOJSON_CHUNK
            )
        )
        yield serializers.GEOJSON_HEAD
        separator = ""
        for chunk in chunks_of(rows, GEOJSON_CHUNK):
            schedules = schedules_on(
                Place.objects.filter(pk__in=[row[0] for row in chunk]),
                today,
                {row[0]: (row[5], row[6]) for row in chunk},
            )
            features = (
                json.dumps(
                    serializers.geojson_feature(
                        (*row[:5], *row[7:]),
                        serializers.hours_text(schedules[row[0]], closed),
                        detail_url,
                    ),
                    **serializers.GEOJSON_JSON,
                )
                for row in chunk
            )
            yield separator + ",".join(features)
            separator = ","
        yield serializers.GEOJSON_TAIL


class CSVOptionsForm(forms.Form):
    """``excel=1``: the file starts with a byte order mark, so that Excel reads it as UTF-8."""

    excel = forms.ChoiceField(choices=[(value, value) for value in BOOLEAN_VALUES], required=False)


class PlaceCSVView(FilteredDataView):
    """The places as CSV, streamed: the whole directory is written a chunk of places at a time
    (see ARCHITECTURE.md, "Whole-dataset downloads")."""

    filename = "kohtaamispaikat.csv"
    # The open data file: hidden addresses stay out (csv_io.place_rows).
    lines = staticmethod(partial(csv_io.iter_places_csv, public=True))

    def get(self, request, *args, **kwargs):
        self.options = CSVOptionsForm(request.GET)
        if not self.options.is_valid():
            errors = {
                name: [str(message) for message in messages]
                for name, messages in self.options.errors.items()
            }
            return JsonResponse({"errors": errors}, status=400)
        return super().get(request, *args, **kwargs)

    def render_data(self, places):
        excel = self.options.cleaned_data["excel"] in ("true", "1")
        return csv_io.streamed_csv(self.lines(places, excel=excel), self.filename)


class PlaceExceptionsCSVView(PlaceCSVView):
    """The sister file: the exceptions to the opening hours of the same places."""

    filename = "kohtaamispaikat-poikkeukset.csv"
    lines = staticmethod(csv_io.iter_exceptions_csv)


class HSDSListForm(forms.Form):
    """The paging and selection parameters of the HSDS API's lists (the spec's openapi.json)."""

    page = forms.IntegerField(min_value=1, required=False)
    per_page = forms.IntegerField(min_value=1, max_value=hsds.MAX_PER_PAGE, required=False)
    full = forms.ChoiceField(choices=[(value, value) for value in BOOLEAN_VALUES], required=False)
    full_service = forms.ChoiceField(
        choices=[(value, value) for value in BOOLEAN_VALUES], required=False
    )
    organization_id = forms.UUIDField(required=False)
    modified_after = forms.DateTimeField(required=False)

    def flag(self, name):
        return self.cleaned_data[name] in ("true", "1")


class HSDSMixin:
    """The HSDS API over the filtered published places: JSON, 400 with ``{"errors": …}`` for
    parameters it cannot use, 404 for an unknown id."""

    def hsds_context(self):
        return hsds.HSDSContext(detail_url=detail_url_builder(self.request), today=local_today())

    def json(self, data, status=200):
        return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})

    def not_found(self):
        return self.json({"errors": {"id": [_("No such published object.")]}}, status=404)


class HSDSRootView(View):
    http_method_names = ["get", "head", "options"]

    def get(self, request):
        return JsonResponse(
            hsds.api_root(profile_url=request.build_absolute_uri(reverse("places:open_data")))
        )


class HSDSListView(HSDSMixin, FilteredDataView):
    """A page of services, organisations or services at locations."""

    def get_filterset(self):
        # The spec's full-text ``search`` is the list's ``q``.
        if not hasattr(self, "filterset") and "search" in self.request.GET:
            data = self.request.GET.copy()
            data.setlist("q", data.getlist("search"))
            del data["search"]
            self.filterset = PlaceFilter(
                data, queryset=Place.objects.published(), request=self.request
            )
        return super().get_filterset()

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset()
        form = HSDSListForm(request.GET)
        if not filterset.is_valid() or not form.is_valid():
            errors = {**(filterset.error_messages() if not filterset.is_valid() else {})}
            errors.update({name: list(messages) for name, messages in form.errors.items()})
            return self.json({"errors": errors}, status=400)
        places = filterset.qs
        if form.cleaned_data["organization_id"]:
            places = places.filter(organization__uuid=form.cleaned_data["organization_id"])
        if form.cleaned_data["modified_after"]:
            places = places.filter(updated_at__gte=form.cleaned_data["modified_after"])
        self.form = form
        page_number = form.cleaned_data["page"] or 1
        per_page = form.cleaned_data["per_page"] or hsds.PER_PAGE
        total, items = self.page_items(places, page_number, per_page)
        return self.json(hsds.page(items, total, page_number, per_page))

    @staticmethod
    def slice(queryset, page_number, per_page):
        start = (page_number - 1) * per_page
        return queryset[start : start + per_page]


class HSDSServiceListView(HSDSListView):
    def page_items(self, places, page_number, per_page):
        context = self.hsds_context()
        full = self.form.flag("full")
        selected = self.slice(places.order_by("name", "pk"), page_number, per_page)
        if full:
            build = hsds.service_full
            selected = hsds.hsds_queryset(selected, context.today)
        else:
            build = hsds.service_list_item
            selected = selected.select_related("organization").prefetch_related("audiences")
        return places.count(), [build(place, context) for place in selected]


class HSDSServiceAtLocationListView(HSDSListView):
    def page_items(self, places, page_number, per_page):
        context = self.hsds_context()
        selected = self.slice(places.order_by("name", "pk"), page_number, per_page)
        if self.form.flag("full"):
            build = hsds.service_at_location_full
            selected = hsds.hsds_queryset(selected, context.today)
        else:
            build = hsds.service_at_location_list_item
            selected = selected.select_related("organization").prefetch_related("audiences")
        return places.count(), [build(place, context) for place in selected]


class HSDSOrganizationListView(HSDSListView):
    def page_items(self, places, page_number, per_page):
        context = self.hsds_context()
        organizations = Organization.objects.filter(
            pk__in=places.values("organization_id")
        ).order_by("name", "pk")
        selected = list(self.slice(organizations, page_number, per_page))
        total = organizations.count()
        if not (self.form.flag("full") or self.form.flag("full_service")):
            return total, [hsds.organization_list_item(item) for item in selected]
        return total, organizations_with_services(
            selected, places, context, self.form.flag("full_service")
        )


def organizations_with_services(organizations, places, context, full_service):
    """Each organisation nested with its services among ``places``, in a fixed number of
    queries."""
    chosen = places.filter(organization__in=organizations).order_by("name", "pk")
    if full_service:
        chosen, build = hsds.hsds_queryset(chosen, context.today), hsds.service_full
    else:
        build = hsds.service_list_item
        chosen = chosen.select_related("organization").prefetch_related("audiences")
    services = defaultdict(list)
    for place in chosen:
        services[place.organization_id].append(build(place, context))
    return [
        hsds.organization_full(organization, services[organization.pk])
        for organization in organizations
    ]


class HSDSDetailView(HSDSMixin, View):
    http_method_names = ["get", "head", "options"]

    def published(self):
        return Place.objects.published()


class HSDSServiceView(HSDSDetailView):
    def get(self, request, pk):
        context = self.hsds_context()
        place = hsds.hsds_queryset(self.published(), context.today).filter(uuid=pk).first()
        if place is None:
            return self.not_found()
        return self.json(hsds.service_full(place, context))


class HSDSServiceAtLocationView(HSDSDetailView):
    def get(self, request, pk):
        # The id derives from the place's stored UUID: found among the published places'.
        place_uuid = next(
            (
                stored
                for stored in self.published().values_list("uuid", flat=True)
                if hsds.derived_id(stored, "service-at-location") == str(pk)
            ),
            None,
        )
        if place_uuid is None:
            return self.not_found()
        context = self.hsds_context()
        place = hsds.hsds_queryset(self.published(), context.today).get(uuid=place_uuid)
        return self.json(hsds.service_at_location_full(place, context))


class HSDSOrganizationView(HSDSDetailView):
    def get(self, request, pk):
        places = self.published()
        organization = Organization.objects.filter(
            uuid=pk, pk__in=places.values("organization_id")
        ).first()
        if organization is None:
            return self.not_found()
        form = HSDSListForm(request.GET)
        if not form.is_valid():
            errors = {name: list(messages) for name, messages in form.errors.items()}
            return self.json({"errors": errors}, status=400)
        (data,) = organizations_with_services(
            [organization], places, self.hsds_context(), form.flag("full_service")
        )
        return self.json(data)


class OpenDataView(TemplateView):
    """Every dataset with its format, size, licence, last change and documentation; the
    network's come from its template tag ``network_datasets``. Three queries."""

    template_name = "places/open_data.html"

    def get_context_data(self, **kwargs):
        absolute = self.request.build_absolute_uri
        example_query = "?municipality=179&audience=lapsiperheet"
        counts = Place.objects.published().aggregate(
            # Distinct: the exceptions' join repeats a place once per exception.
            places=Count("pk", distinct=True),
            located=Count("pk", filter=Q(latitude__isnull=False), distinct=True),
            organizations=Count("organization", distinct=True),
            exceptions=Count("exceptions", distinct=True),
        )
        places = ngettext("%(count)s place", "%(count)s places", counts["places"]) % {
            "count": counts["places"]
        }
        services = ngettext("%(count)s service", "%(count)s services", counts["places"]) % {
            "count": counts["places"]
        }
        hsds_docs = "https://docs.openreferral.org/en/latest/hsds/schema_reference.html"
        datasets = [
            dataset(
                _("Meeting places (CSV)"),
                "CSV (UTF-8)",
                "text/csv",
                absolute(reverse("places:csv")),
                places,
                "#csv",
                _("on this page"),
            ),
            dataset(
                _("Exceptions to the opening hours (CSV)"),
                "CSV (UTF-8)",
                "text/csv",
                absolute(reverse("places:exceptions_csv")),
                ngettext("%(count)s exception", "%(count)s exceptions", counts["exceptions"])
                % {"count": counts["exceptions"]},
                "#csv-exceptions",
                _("on this page"),
            ),
            dataset(
                _("Meeting places on the map (GeoJSON)"),
                "GeoJSON",
                "application/geo+json",
                absolute(reverse("places:geojson")),
                ngettext("%(count)s place", "%(count)s places", counts["located"])
                % {"count": counts["located"]},
                "https://www.rfc-editor.org/rfc/rfc7946",
                "RFC 7946",
            ),
            dataset(
                _("Services (Open Referral HSDS 3.0)"),
                "HSDS 3.0 JSON",
                "application/json",
                absolute(reverse("places:hsds_services")),
                services,
                hsds_docs,
                HSDS_DOCS_LABEL,
            ),
            dataset(
                _("Organisations (Open Referral HSDS 3.0)"),
                "HSDS 3.0 JSON",
                "application/json",
                absolute(reverse("places:hsds_organizations")),
                ngettext(
                    "%(count)s organisation", "%(count)s organisations", counts["organizations"]
                )
                % {"count": counts["organizations"]},
                hsds_docs,
                HSDS_DOCS_LABEL,
            ),
            dataset(
                _("Services at locations (Open Referral HSDS 3.0)"),
                "HSDS 3.0 JSON",
                "application/json",
                absolute(reverse("places:hsds_service_at_locations")),
                services,
                hsds_docs,
                HSDS_DOCS_LABEL,
            ),
            dataset(
                _("Place pages (schema.org LocalBusiness, JSON-LD)"),
                "JSON-LD",
                "application/ld+json",
                absolute(reverse("places:list")),
                places,
                "https://schema.org/LocalBusiness",
                "schema.org/LocalBusiness",
            ),
            dataset(
                _("Sitemap"),
                "XML",
                "application/xml",
                absolute("/sitemap.xml"),
                places,
                "https://www.sitemaps.org/protocol.html",
                "sitemaps.org",
            ),
        ]
        return super().get_context_data(
            datasets=datasets,
            data_version=DataVersion.objects.first(),
            license_name=settings.OPEN_DATA_LICENSE,
            license_url=settings.OPEN_DATA_LICENSE_URL,
            csv_columns=csv_io.CSV_COLUMNS,
            csv_url=absolute(reverse("places:csv")),
            exception_columns=csv_io.EXCEPTION_COLUMNS,
            exceptions_csv_url=absolute(reverse("places:exceptions_csv")),
            geojson_url=absolute(reverse("places:geojson")),
            hsds_url=absolute(reverse("places:hsds_services")),
            hsds_root_url=absolute(reverse("places:hsds_root")),
            hsds_openapi_url=hsds.OPENAPI_URL,
            hsds_export_days=EXPORT_DAYS,
            example_query=example_query,
            **kwargs,
        )


def dataset(name, format_name, media_type, url, size, documentation, label):
    return {
        "name": name,
        "format": format_name,
        "media_type": media_type,
        "url": url,
        "size": size,
        "documentation": documentation,
        "documentation_label": label,
    }
