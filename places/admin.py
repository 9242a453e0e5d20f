"""The places admin, scoped by role (see places.roles).

Every view of a meeting place goes through ``PlaceAdmin.get_queryset``: the changelist, the
change/delete/history URLs (an out-of-scope place answers exactly like a missing one), raw-id
popups, the autocomplete of other models' place fields, the CSV export and the import.
"""

import secrets

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Prefetch
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from kohtaamispaikat.core.admin_history import HistoryAdmin
from kohtaamispaikat.core.admin_widgets import KeySafeChoicesMixin
from kohtaamispaikat.core.cache import bump_data_version
from kohtaamispaikat.core.history import record_baselines, record_versions
from kohtaamispaikat.core.public_forms import reject_html
from places.admin_activities import ActivityInline
from places.admin_ptv import PtvImportAdminMixin
from places.csv_io import (
    CsvFileError,
    csv_import_max_rows,
    import_places,
    iter_places_csv,
    read_csv_source,
    streamed_csv,
)
from places.dashboard import (
    MEASURES,
    a_year_before,
    dashboard,
    may_see_dashboard,
    search_miss_scope,
    search_misses,
    with_open_suggestions,
    without_hours,
    without_staff,
)
from places.embeds import EmbedBuilderForm
from places.feedback import MIN_ANSWERS
from places.forms import (
    OrganizationAdminForm,
    PlaceAdminForm,
    PlaceImportForm,
    ProposalHandlingForm,
    VisitCountAdminForm,
    VisitGridChoiceForm,
    VisitGridForm,
    adds_self_to_staff,
)
from places.hours import hours_in_words, overlap_errors
from places.models import (
    Activity,
    Audience,
    AudienceVisitCount,
    Feedback,
    HoursException,
    Municipality,
    Organization,
    Place,
    PlaceProposal,
    PostalArea,
    Region,
    SearchMiss,
    SubRegion,
    Suggestion,
    VisitCount,
    WeeklyHours,
    WellbeingCounty,
)
from places.proposals import ApprovalRefused
from places.proposals import approve as approve_proposal
from places.proposals import reject as reject_proposal
from places.roles import (
    ManagementScope,
    coordinated_regions,
    is_site_admin,
    place_scope,
    visit_entry_scope,
)
from places.suggestions import handle as handle_suggestion

IMPORT_SESSION_KEY = "places_csv_import"
# An organisation's choice in an autocomplete names at most this many of its municipalities.
AUTOCOMPLETE_MUNICIPALITIES = 3


def scope_of(request):
    """The management scope of the request's user, computed once per request."""
    if not hasattr(request, "_places_scope"):
        request._places_scope = ManagementScope.for_user(request.user)
    return request._places_scope


class ReferenceDataAdmin(KeySafeChoicesMixin, admin.ModelAdmin):
    """Regions and municipalities: reference data loaded by migrations, which every admin user
    may look up (autocomplete needs it) and only site admins may change."""

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def view_on_site(self, obj):
        return obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None


@admin.register(Region)
class RegionAdmin(ReferenceDataAdmin):
    list_display = ("code", "name_fi", "name_sv")
    search_fields = ("code", "name_fi", "name_sv")


@admin.register(Municipality)
class MunicipalityAdmin(ReferenceDataAdmin):
    list_display = (
        "name_fi",
        "name_sv",
        "code",
        "region",
        "subregion",
        "wellbeing_county",
        "population",
        "population_year",
    )
    list_filter = ("region", "wellbeing_county")
    list_select_related = ("region", "subregion", "wellbeing_county")
    search_fields = ("code", "name_fi", "name_sv")

    def get_search_results(self, request, queryset, search_term):
        # The municipality of a place is chosen by autocomplete: offer only the municipalities
        # the user may put a place in (a coordinator's regions).
        if _is_autocomplete_for(request, Place, "municipality"):
            queryset = queryset.filter(pk__in=scope_of(request).municipalities())
        return super().get_search_results(request, queryset, search_term)


# Sub-regions, wellbeing services counties and postal areas (#17): reference data as above.
@admin.register(SubRegion)
class SubRegionAdmin(ReferenceDataAdmin):
    list_display = ("name_fi", "name_sv", "code", "region")
    list_filter = ("region",)
    list_select_related = ("region",)
    search_fields = ("code", "name_fi", "name_sv")


@admin.register(WellbeingCounty)
class WellbeingCountyAdmin(ReferenceDataAdmin):
    list_display = ("name_fi", "name_sv", "code")
    search_fields = ("code", "name_fi", "name_sv")


@admin.register(PostalArea)
class PostalAreaAdmin(ReferenceDataAdmin):
    list_display = ("code", "name_fi", "name_sv", "municipality")
    list_select_related = ("municipality",)
    search_fields = ("code", "name_fi", "name_sv")
    raw_id_fields = ("municipality",)


def _is_autocomplete_for(request, model, field_name):
    return (
        request.GET.get("app_label") == model._meta.app_label
        and request.GET.get("model_name") == model._meta.model_name
        and request.GET.get("field_name") == field_name
    )


@admin.register(Audience)
class AudienceAdmin(KeySafeChoicesMixin, admin.ModelAdmin):
    list_display = ("name_fi", "name_sv", "name_en", "slug", "position")
    list_editable = ("position",)
    prepopulated_fields = {"slug": ("name_fi",)}
    search_fields = ("slug", "name_fi", "name_sv", "name_en")


class OrganizationRegionFilter(admin.SimpleListFilter):
    """Organisations with a place in the region (the dashboard's organisations without staff)."""

    title = _("region")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return [(region.code, region.name) for region in Region.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            in_region = Place.objects.filter(municipality__region=self.value())
            return queryset.filter(pk__in=in_region.values("organization"))
        return queryset


class StaffListFilter(admin.SimpleListFilter):
    title = _("staff accounts")
    parameter_name = "staff"

    def lookups(self, request, model_admin):
        return [("none", _("no staff account")), ("some", _("has staff accounts"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(without_staff())
        if self.value() == "some":
            return queryset.exclude(without_staff())
        return queryset


@admin.register(Organization)
class OrganizationAdmin(KeySafeChoicesMixin, HistoryAdmin):
    """Coordinators see every organisation (a place of their region may belong to any) but
    change only those they maintain (see ManagementScope.maintains); staff see their own."""

    form = OrganizationAdminForm
    list_display = ("name", "kind", "business_id")
    list_filter = ("kind", OrganizationRegionFilter, StaffListFilter)
    search_fields = ("name", "slug", "business_id")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("members",)

    def get_queryset(self, request):
        # Staff see their own organisations only, which also scopes the organisation
        # autocomplete of the place form.
        return super().get_queryset(request).filter(pk__in=scope_of(request).organizations())

    def autocomplete_queryset(self, queryset):
        in_municipalities = Place.objects.select_related("municipality").order_by(
            "municipality__name_fi"
        )
        return queryset.prefetch_related(Prefetch("places", in_municipalities))

    def autocomplete_label(self, organization):
        """The name with the municipalities of its places: "Perheyhdistys ry (Jyväskylä)"."""
        names = list(dict.fromkeys(place.municipality.name for place in organization.places.all()))
        if not names:
            return organization.name
        shown = ", ".join(names[:AUTOCOMPLETE_MUNICIPALITIES])
        more = "…" if len(names) > AUTOCOMPLETE_MUNICIPALITIES else ""
        return f"{organization.name} ({shown}{more})"

    def get_exclude(self, request, obj=None):
        if self.maintains(request, obj or Organization()):
            return super().get_exclude(request, obj)
        return ("members",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.acting_user = request.user
        return form

    def allows_restored(self, request, relations_before, relations):
        return not adds_self_to_staff(
            request.user, relations_before.get("members", ()), relations.get("members", ())
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or self.maintains(request, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or self.maintains(request, obj)
        )

    def maintains(self, request, organization):
        """ManagementScope.maintains, asked once per organisation and request: the permission
        checks of one page ask several times."""
        answers = request.__dict__.setdefault("_maintained_organizations", {})
        if organization.pk not in answers:
            answers[organization.pk] = scope_of(request).maintains(organization)
        return answers[organization.pk]


class HoursTimeField(forms.TimeField):
    """A time of day as people write it in the hours form, shown without seconds: "09:00",
    also "9", "9.30", "9,30" and "9:30". A text box, as a browser's time picker may show a
    12-hour clock ("09:00 AM") whatever the page's language."""

    widget = forms.TimeInput(
        format="%H:%M", attrs={"class": "hours-time", "size": 5, "autocomplete": "off"}
    )
    input_formats = ["%H:%M", "%H.%M", "%H,%M", "%H", "%H:%M:%S"]


class HoursRowForm(forms.ModelForm):
    """One row of weekly hours or of exceptions: times in HH:MM, the guidance written once above
    the rows rather than under every field of every row."""

    # Choices with a default ("every week") that forms made before they were offered omit.
    DEFAULTED = ("weeks", "nth")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.TimeField):
                self.fields[name] = HoursTimeField(
                    label=field.label, required=field.required, help_text=""
                )
            elif name != "DELETE":
                field.help_text = ""
            if name in self.DEFAULTED:
                # Left out of the data or empty: the model's default.
                field.required = False
                field.empty_value = self._meta.model._meta.get_field(name).default

    @cached_property
    def changed_data(self):
        """As Django's, but a choice with a default left out of the data is no change: an
        empty extra row stays empty."""
        return [
            name
            for name in super().changed_data
            if name not in self.DEFAULTED or self.add_prefix(name) in self.data
        ]


class HoursRowsFormSet(BaseInlineFormSet):
    def kept_rows(self):
        """The valid rows that stay after the save, as unsaved instances."""
        return [
            form.instance
            for form in self.forms
            if form.is_valid()
            and (form.instance.pk or form.has_changed())
            and not self._should_delete_form(form)
        ]


class WeeklyHoursFormSet(HoursRowsFormSet):
    def clean(self):
        super().clean()
        errors = overlap_errors(self.kept_rows())
        if errors:
            raise ValidationError(errors)


class WeeklyHoursInline(admin.StackedInline):
    """Stacked, a few fields a line: readable on a phone (a table of nine columns is not)."""

    model = WeeklyHours
    form = HoursRowForm
    formset = WeeklyHoursFormSet
    template = "admin/places/place/hours_inline.html"
    guide = _(
        "One row per weekday and time range. Rows without season dates are the regular hours. "
        "A season (summer hours, say) replaces all the regular hours on its dates: give each of "
        "its rows the same first and last day, and tick “every year” for a season that comes "
        "back every year (its year does not matter, and it may run over the year end), so that "
        "it need not be entered again next year. A closing time before the opening time means "
        "past midnight; 00:00–00:00 is the whole day. “On public holidays” gives other hours "
        "on the public holidays of that weekday. Check “Preview the hours” below before saving."
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("weekday", "opens", "closes"),
                    ("valid_from", "valid_until", "recurs_yearly"),
                    ("on_public_holidays", "weeks", "nth"),
                )
            },
        ),
    )
    extra = 1


class HoursExceptionInline(admin.StackedInline):
    model = HoursException
    form = HoursRowForm
    formset = HoursRowsFormSet
    template = "admin/places/place/hours_inline.html"
    guide = _(
        "Days with other hours than usual: a closed day or days (leave “until” empty for one "
        "day), or special hours (untick “closed” and give the times). A closure on the same "
        "days every year, such as 24 December to 6 January, is entered once with “every year”."
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("start_date", "end_date", "recurs_yearly"),
                    ("closed", "opens", "closes"),
                    "reason",
                )
            },
        ),
    )
    extra = 0


PREVIEW_HOURS = "_preview_hours"


def is_hours_preview(request):
    """Whether the change form was sent with "Preview the hours": checked, shown, not saved."""
    return request.method == "POST" and PREVIEW_HOURS in request.POST


class HoursPreviewFormMixin:
    """The place form of a preview: validated as for a save (its errors shown), but never
    valid, so that the admin renders the form again instead of saving anything."""

    def is_valid(self):
        super().is_valid()
        return False


def hours_preview(context):
    """The hours in words as the form's rows would save them, or the reason there are none:
    context for the change form of a preview."""
    form = context["adminform"].form
    formsets = {
        inline.formset.prefix: inline.formset for inline in context["inline_admin_formsets"]
    }
    weekly, exceptions = formsets.get("weekly_hours"), formsets.get("exceptions")
    if any(formset is not None and not formset.is_valid() for formset in (weekly, exceptions)):
        return {"hours_preview_refused": True}
    # The form has put its valid values on the (unsaved) place.
    place = form.instance
    return {
        "hours_preview": hours_in_words(
            weekly.kept_rows() if weekly is not None else [],
            exceptions.kept_rows() if exceptions is not None else [],
            place.closed_on_public_holidays,
            place.closed_on_eves,
            dated_exceptions=True,
        )
    }


class RegionListFilter(admin.SimpleListFilter):
    """The rows of one region, offering the regions of the rows in the user's scope: a
    coordinator of several regions sees one at a time. ``region_path`` leads to the region."""

    title = _("region")
    parameter_name = "region"
    region_path = "municipality__region"

    def lookups(self, request, model_admin):
        in_scope = model_admin.get_queryset(request).values(self.region_path)
        return [(region.code, region.name) for region in Region.objects.filter(pk__in=in_scope)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.region_path: self.value()})
        return queryset


class PlaceRegionListFilter(RegionListFilter):
    """By the region of the row's place (visit figures, suggestions, feedback)."""

    region_path = "place__municipality__region"


class VerificationListFilter(admin.SimpleListFilter):
    title = _("information verified")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [
            ("stale", _("not verified in 12 months")),
            ("recent", _("verified in the last 12 months")),
        ]

    def queryset(self, request, queryset):
        since = a_year_before(timezone.localdate())
        if self.value() == "stale":
            return queryset.exclude(last_verified__gte=since)
        if self.value() == "recent":
            return queryset.filter(last_verified__gte=since)
        return queryset


class HoursListFilter(admin.SimpleListFilter):
    title = _("opening hours")
    parameter_name = "hours"

    def lookups(self, request, model_admin):
        return [("none", _("no weekly hours entered")), ("some", _("weekly hours entered"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(without_hours())
        if self.value() == "some":
            return queryset.exclude(without_hours())
        return queryset


class OpenSuggestionsListFilter(admin.SimpleListFilter):
    title = _("correction suggestions")
    parameter_name = "suggestions"

    def lookups(self, request, model_admin):
        return [("open", _("open suggestions"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(with_open_suggestions())
        return queryset


@admin.register(Place)
class PlaceAdmin(PtvImportAdminMixin, KeySafeChoicesMixin, HistoryAdmin):
    form = PlaceAdminForm
    recovery_beyond_site_admins = True
    inlines = [WeeklyHoursInline, HoursExceptionInline, ActivityInline]

    def view_on_site(self, obj):
        # A direct link: the admin's /admin/r/ redirect is not served (see kohtaamispaikat/urls.py).
        return obj.get_absolute_url() if obj.is_published else None

    list_display = ("name", "municipality", "organization", "is_published", "last_verified")
    list_filter = (
        ("municipality", admin.RelatedOnlyFieldListFilter),
        RegionListFilter,
        "audiences",
        "is_published",
        VerificationListFilter,
        "location_approximate",
        HoursListFilter,
        OpenSuggestionsListFilter,
    )
    list_select_related = ("municipality", "organization")
    search_fields = ("name", "street_address", "postal_town")
    autocomplete_fields = ("municipality", "organization")
    prepopulated_fields = {"slug": ("name",)}
    actions = ["mark_verified_today", "publish", "unpublish", "export_as_csv"]
    # Any save in the admin confirms the information (#16), so the date is not typed in.
    readonly_fields = ("last_verified", "feedback_summary")
    fieldsets = (
        (None, {"fields": ("name", "slug", "organization", "description", "audiences")}),
        (
            _("Location"),
            {
                "fields": (
                    "municipality",
                    "street_address",
                    ("postal_code", "postal_town"),
                    ("latitude", "longitude"),
                    "location_approximate",
                    "address_hidden",
                )
            },
        ),
        (
            _("First visit"),
            {
                "fields": (
                    "arrival",
                    "greets_newcomers",
                    "arrival_note",
                    "nearest_stop",
                    "entrance_photo",
                    "entrance_photo_alt",
                ),
                "description": _(
                    "What a newcomer needs to know to come in: shown first on the place's page."
                ),
            },
        ),
        (
            _("Opening hours"),
            {
                "fields": ("closed_on_public_holidays", "closed_on_eves", "hours_note"),
                "description": _(
                    "Weekly hours and exceptions are below. A closing time before the opening "
                    "time means the place is open past midnight."
                ),
            },
        ),
        (
            _("Services and accessibility"),
            {
                "fields": (
                    ("free_of_charge", "price_note"),
                    ("step_free_access", "accessible_toilet", "induction_loop"),
                    ("accessible_parking", "stroller_space", "guide_dogs_welcome"),
                    "accessibility_note",
                    "accessibility_contact",
                    "languages",
                    "amenities",
                    "online_url",
                )
            },
        ),
        (_("Contact"), {"fields": ("contact_name", "phone", "email", "website")}),
        (_("Publication"), {"fields": ("is_published", "last_verified")}),
        (_("Visitors' feedback"), {"fields": ("feedback_summary",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).filter(place_scope(request.user))

    def ptv_scope(self, request):
        return scope_of(request)

    @admin.display(description=_("answers"))
    def feedback_summary(self, obj):
        """Averages only, and only from MIN_ANSWERS answers on (places.feedback)."""
        if obj is None or obj.pk is None:
            return "–"
        summary = obj.feedback.summary()
        links = format_html(
            '<p><a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a></p>',
            reverse("places:poster", kwargs={"slug": obj.slug}),
            _("Poster with a QR code to print"),
            obj.get_feedback_url(),
            _("The feedback page"),
            reverse("admin:places_feedback_changelist") + f"?place__id__exact={obj.pk}",
            _("Visitors' comments"),
        )
        if not summary.is_shown:
            return format_html(
                "<p>{}</p>{}",
                _(
                    "%(count)s answers so far. Averages are shown from %(minimum)s answers on, "
                    "so that no one visitor's answer can be told apart."
                )
                % {"count": summary.answers, "minimum": MIN_ANSWERS},
                links,
            )
        rows = [
            (Feedback._meta.get_field(name).verbose_name, f"{value:.1f} / 4")
            for name, value in summary.averages()
        ]
        if summary.come_again_share is not None:
            rows.append((_("Would come again"), f"{summary.come_again_share:.0f} %"))
        rows.append((_("answers"), summary.answers))
        return format_html(
            '<table class="current-values">{}</table>{}',
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
            links,
        )

    def recoverable(self, request, versions):
        scope = scope_of(request)
        if scope.everything:
            return versions
        region_of = dict(Municipality.objects.values_list("code", "region_id"))
        return [
            version
            for version in versions
            if scope.allows_keys(
                version.field_dict.get("organization_id"),
                region_of.get(version.field_dict.get("municipality_id")),
            )
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.scope = scope_of(request)
        if is_hours_preview(request):
            form = type(form.__name__, (HoursPreviewFormMixin, form), {})
        return form

    def save_model(self, request, obj, form, change):
        # Whoever saves the place has looked at it: that confirms its information.
        obj.last_verified = timezone.localdate()
        # Coordinates set by hand (the map picker) are the place's own, no longer approximate.
        moved = {"latitude", "longitude"} & set(form.changed_data)
        if moved and "location_approximate" not in form.changed_data:
            obj.location_approximate = False
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Activity:
            super().save_formset(request, form, formset, change)
            return
        # Activities keep a history of their own (ActivityAdmin), also when edited here.
        changed = [f.instance.pk for f in formset.initial_forms if f.has_changed()]
        record_baselines(Activity.objects.filter(pk__in=changed))
        super().save_formset(request, form, formset, change)
        saved = [*formset.new_objects, *(obj for obj, _fields in formset.changed_objects)]
        if saved:
            record_versions(
                saved, user=request.user, comment=str(_("Changed on the place's page."))
            )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_import_csv": self.has_change_permission(request),
            "may_import_ptv": self.may_import_ptv(request),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=f"{info}_import",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name=f"{info}_export",
            ),
            path(
                "dashboard/",
                self.admin_site.admin_view(self.dashboard_view),
                name="places_dashboard",
            ),
            path(
                "embed/",
                self.admin_site.admin_view(self.embed_builder_view),
                name="places_embed_builder",
            ),
            path(
                "<path:object_id>/confirm/",
                self.admin_site.admin_view(self.confirm_view),
                name=f"{info}_confirm",
            ),
            *self.ptv_import_urls(),
            *super().get_urls(),
        ]

    def _bulk_update(self, request, queryset, message, **values):
        # Keys first: the update may take the places out of a filtered changelist's queryset.
        keys = list(queryset.values_list("pk", flat=True))
        places = Place.objects.filter(pk__in=keys).with_versioned_rows()
        with transaction.atomic():
            record_baselines(places)
            count = places.update(
                **values, updated_at=timezone.now(), edit_count=F("edit_count") + 1
            )
            record_versions(places.all(), user=request.user, comment=message % {"count": count})
        # A bulk update sends no signals; the public pages' cache must still see the change.
        bump_data_version()
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    def dashboard_view(self, request):
        """The coordinators' view of their regions: what needs looking at, each figure a link
        to the list of those rows (places.dashboard)."""
        if not may_see_dashboard(request.user):
            raise PermissionDenied
        return TemplateResponse(
            request,
            "admin/places/dashboard.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Your regions at a glance"),
                "headings": [heading for _key, heading, *_rest in MEASURES],
                "rows": dashboard(request.user, timezone.localdate()),
                "search_misses": search_misses(request.user, timezone.localdate()),
                "search_misses_url": reverse("admin:places_searchmiss_changelist"),
            },
        )

    def embed_builder_view(self, request):
        """Coordinators and staff put the directory on their own website: the form is sent
        with GET and the page shows the embed in a frame, its <iframe> code and a plain link
        (places.embeds). The embeds show only public information, so anyone signed in to the
        admin may build one."""
        form = EmbedBuilderForm(request.GET or None)
        embed = form.embed(request.build_absolute_uri) if form.is_valid() else None
        return TemplateResponse(
            request,
            "admin/places/embed_builder.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Embed meeting places on your website"),
                "form": form,
                "embed": embed,
            },
            status=400 if form.is_bound and not form.is_valid() else 200,
        )

    def confirm_view(self, request, object_id):
        """ "Still correct": confirms one place's information without changing it. The link in
        the reminder e-mails opens the page; its button (or the one on the change page) posts."""
        place = self.get_object(request, object_id)  # scoped: another's place is not found
        if place is None:
            raise Http404
        if not self.has_change_permission(request, place):
            raise PermissionDenied
        change_url = reverse("admin:places_place_change", args=[place.pk])
        if request.method == "POST":
            # _bulk_update formats the message once more, with the count: the name's own
            # percent signs are doubled for it.
            message = _("The information of “%(name)s” is confirmed as still correct.") % {
                "name": place.name.replace("%", "%%")
            }
            self._bulk_update(
                request,
                Place.objects.filter(pk=place.pk),
                message,
                last_verified=timezone.localdate(),
            )
            return HttpResponseRedirect(change_url)
        return TemplateResponse(
            request,
            "admin/places/place/confirm.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": place,
                "title": _("Is the information still correct?"),
                "change_url": change_url,
            },
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["location_picker"] = location_picker_config()
        if is_hours_preview(request):
            context.update(hours_preview(context))
        if obj is not None and obj.pk is not None:
            # A preview's form has put its values on ``obj``: the saved ones are read again.
            saved = Place.objects.filter(pk=obj.pk).first() if is_hours_preview(request) else obj
            if saved is not None:
                context["hours_saved"] = saved.hours_in_words(dated_exceptions=True)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description=_("Still correct: confirm today"), permissions=["change"])
    def mark_verified_today(self, request, queryset):
        message = ngettext_lazy(
            "%(count)d meeting place marked as verified today.",
            "%(count)d meeting places marked as verified today.",
            "count",
        )
        self._bulk_update(request, queryset, message, last_verified=timezone.localdate())

    @admin.action(description=_("Publish"), permissions=["change"])
    def publish(self, request, queryset):
        message = ngettext_lazy(
            "%(count)d meeting place published.", "%(count)d meeting places published.", "count"
        )
        self._bulk_update(request, queryset, message, is_published=True)

    @admin.action(description=_("Unpublish"), permissions=["change"])
    def unpublish(self, request, queryset):
        message = ngettext_lazy(
            "%(count)d meeting place unpublished.",
            "%(count)d meeting places unpublished.",
            "count",
        )
        self._bulk_update(request, queryset, message, is_published=False)

    @admin.action(description=_("Export selected as CSV"), permissions=["view"])
    def export_as_csv(self, request, queryset):
        return csv_download(queryset)

    def export_view(self, request):
        """The changelist as CSV, with its filters and search applied."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(self._changelist_url())
        return csv_download(changelist.get_queryset(request))

    def import_view(self, request):
        """Upload a CSV file, preview what it would change, then confirm."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm_import(request)
        submitted = (request.POST, request.FILES) if request.method == "POST" else ()
        form = PlaceImportForm(*submitted, scope=scope_of(request))
        if form.is_valid():
            try:
                content = read_csv_source(form.cleaned_data["file"])
            except CsvFileError as error:
                form.add_error("file", error)
            else:
                return self._preview_import(request, form, content)
        return self._render_import(request, "admin/places/place/import_form.html", form=form)

    def _preview_import(self, request, form, content):
        organization = form.cleaned_data["organization"]
        report = import_places(content, organization=organization, dry_run=True, user=request.user)
        if report.file_problems:
            for problem in report.file_problems:
                form.add_error("file", problem.message)
            return self._render_import(request, "admin/places/place/import_form.html", form=form)
        return self._render_preview(request, report, content, organization)

    def _render_preview(self, request, report, content, organization):
        token = ""
        if report.ok:
            token = secrets.token_urlsafe(16)
            # The content waits in the session between preview and confirmation, where the
            # user cannot alter it; the token ties the confirmation to this very preview, and
            # the places it matched, with their edit counts, to what the preview showed.
            request.session[IMPORT_SESSION_KEY] = {
                "token": token,
                "content": content,
                "organization": organization.pk if organization else None,
                "matched": report.matched,
            }
        return self._render_import(
            request, "admin/places/place/import_preview.html", report=report, token=token
        )

    def _confirm_import(self, request):
        pending = request.session.get(IMPORT_SESSION_KEY)
        if not pending or pending["token"] != request.POST.get("token"):
            self.message_user(
                request,
                _("This import has expired or was already done. Upload the file again."),
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:places_place_import"))
        del request.session[IMPORT_SESSION_KEY]
        organization = None
        if pending["organization"] is not None:
            # Checked again: the user's organisations may have changed since the preview.
            organizations = scope_of(request).organizations()
            organization = organizations.filter(pk=pending["organization"]).first()
            if organization is None:
                raise PermissionDenied
        content = pending["content"]
        report = import_places(
            content, organization=organization, user=request.user, expected=pending["matched"]
        )
        if report.conflicts:
            # Someone saved a place after the preview: nothing was written, and the file is
            # previewed again against what is saved now, for the user to confirm or not.
            self.message_user(request, report.problems[0].message, messages.ERROR)
            preview = import_places(
                content, organization=organization, dry_run=True, user=request.user
            )
            return self._render_preview(request, preview, content, organization)
        if not report.ok:
            # The data changed between the preview and the confirmation.
            return self._render_import(
                request, "admin/places/place/import_preview.html", report=report, token=""
            )
        self.message_user(request, report.summary(), messages.SUCCESS)
        if report.new_organizations:
            self.message_user(
                request,
                _("New organisations: %(names)s.") % {"names": ", ".join(report.new_organizations)},
                messages.SUCCESS,
            )
        for note in report.notes:
            self.message_user(
                request,
                _("Row %(row)d: %(note)s") % {"row": note.row, "note": note.message},
                messages.WARNING,
            )
        return HttpResponseRedirect(self._changelist_url())

    def _render_import(self, request, template, **context):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Import meeting places from CSV"),
                "changelist_url": self._changelist_url(),
                "max_rows": csv_import_max_rows(),
                **context,
            },
        )

    def _changelist_url(self):
        return reverse("admin:places_place_changelist")


def csv_download(places):
    # The byte order mark makes Excel read the file as UTF-8 (and keep ä and ö intact).
    return streamed_csv(
        iter_places_csv(places, excel=True),
        f"kohtaamispaikat-{timezone.localdate():%Y-%m-%d}.csv",
    )


def location_picker_config():
    """What location-picker.js needs: tiles, and where to start when a place has no location."""
    centre = settings.LEAFLET_CONFIG["DEFAULT_CENTER"]
    return {
        "tileUrl": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "finlandCentre": [centre[0], centre[1]],
        "finlandZoom": settings.LEAFLET_CONFIG["DEFAULT_ZOOM"],
        "municipalityCentres": {
            code: [float(latitude), float(longitude)]
            for code, latitude, longitude in Municipality.objects.values_list(
                "code", "latitude", "longitude"
            )
        },
    }


class AudienceVisitCountInline(admin.TabularInline):
    model = AudienceVisitCount
    fields = ("audience", "visits")
    extra = 0


@admin.register(VisitCount)
class VisitCountAdmin(KeySafeChoicesMixin, admin.ModelAdmin):
    """Monthly visitor figures (#17): staff enter their organisations' (also on a month grid
    of a year, ``grid_view``), coordinators read those of their regions, site admins all."""

    form = VisitCountAdminForm
    inlines = [AudienceVisitCountInline]
    list_display = ("place", "year", "month", "visits", "first_time")
    list_filter = ("year", PlaceRegionListFilter)
    list_select_related = ("place",)
    search_fields = ("place__name",)
    autocomplete_fields = ("place",)
    fields = ("place", "year", "month", "visits", "first_time", "confirm_unusual")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(place_scope(request.user, "place__"))

    def entry_places(self, request):
        return Place.objects.filter(visit_entry_scope(request.user))

    def may_enter(self, request, place):
        return self.entry_places(request).filter(pk=place.pk).exists()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or self.may_enter(request, obj.place)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or self.may_enter(request, obj.place)
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "place":
            kwargs["queryset"] = self.entry_places(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return self.fields[:-1]
        return self.fields

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "grid_url": reverse("admin:places_visitcount_grid"),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        return [
            path(
                "grid/",
                self.admin_site.admin_view(self.grid_view),
                name="places_visitcount_grid",
            ),
            *super().get_urls(),
        ]

    def grid_view(self, request):
        """A year of one place's months at a glance: read for everyone who sees the place's
        figures, editable for those who enter them."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        readable = Place.objects.filter(place_scope(request.user)).order_by("name", "pk")
        today = timezone.localdate()
        choice = VisitGridChoiceForm(
            request.GET or {"year": today.year}, places=readable, initial={"year": today.year}
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Visits month by month"),
            "choice": choice,
            "changelist_url": reverse("admin:places_visitcount_changelist"),
        }
        if not choice.is_valid():
            return TemplateResponse(request, "admin/places/visitcount/grid.html", context)
        place, year = choice.cleaned_data["place"], choice.cleaned_data["year"]
        editable = self.has_add_permission(request) and self.may_enter(request, place)
        if request.method == "POST" and not editable:
            raise PermissionDenied
        submitted = (request.POST,) if request.method == "POST" else ()
        grid = VisitGridForm(*submitted, place=place, year=year, editable=editable, today=today)
        if request.method == "POST" and grid.is_valid():
            changed = grid.save()
            self.message_user(
                request,
                ngettext_lazy(
                    "%(count)d month saved for %(place)s.",
                    "%(count)d months saved for %(place)s.",
                    "count",
                )
                % {"count": changed, "place": place.name},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.get_full_path())
        context.update(
            place=place,
            year=year,
            grid=grid,
            editable=editable,
            previous_year=year - 1 if year > 2000 else None,
            next_year=year + 1 if year < today.year else None,
        )
        return TemplateResponse(request, "admin/places/visitcount/grid.html", context)


@admin.register(Suggestion)
class SuggestionAdmin(KeySafeChoicesMixin, admin.ModelAdmin):
    """Residents' suggestions, scoped like their places: staff see their organisation's,
    coordinators their regions'. Nothing here changes a place: accepting leads to the place's
    own change page."""

    list_display = ("place", "kind", "status", "created_at", "handled_by")
    list_filter = ("status", "kind", PlaceRegionListFilter)
    list_select_related = ("place", "handled_by")
    search_fields = ("place__name", "text")
    view_on_site = False
    fields = (
        "place_link",
        "kind",
        "text",
        "language",
        "answer_by_email",
        "created_at",
        "status",
        "handled_by",
        "handled_at",
        "current_values",
        "note",
    )
    readonly_fields = (
        "place_link",
        "kind",
        "text",
        "language",
        "answer_by_email",
        "created_at",
        "status",
        "handled_by",
        "handled_at",
        "current_values",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).filter(place_scope(request.user, prefix="place__"))

    def has_add_permission(self, request):
        return False  # residents send them, on the place's public page

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_open:
            return (*self.readonly_fields, "note")
        return self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        rejecting = "_reject" in request.POST

        class HandlingForm(form):
            def clean(self):
                cleaned_data = super().clean()
                if rejecting and "note" in self.fields and not cleaned_data.get("note"):
                    self.add_error("note", _("Say in a note why the suggestion is rejected."))
                return cleaned_data

        if "note" in HandlingForm.base_fields:
            HandlingForm.base_fields["note"].validators.append(reject_html)
        return HandlingForm

    @admin.display(description=_("meeting place"))
    def place_link(self, obj):
        url = reverse("admin:places_place_change", args=[obj.place_id])
        return format_html('<a href="{}">{}</a>', url, obj.place.name)

    @admin.display(description=_("answer by e-mail"), boolean=True)
    def answer_by_email(self, obj):
        return bool(obj.email)

    @admin.display(description=_("the place's current information"))
    def current_values(self, obj):
        place = obj.place
        hours = [str(rule) for rule in place.weekly_hours.all()]
        rows = [
            (_("name"), place.name),
            (_("municipality"), place.municipality.name),
            (_("street address"), place.street_address),
            (_("postal code"), f"{place.postal_code} {place.postal_town}"),
            (_("weekly opening hours"), "; ".join(hours) or _("none entered")),
            (_("note on opening hours"), place.hours_note),
            (_("contact person"), place.contact_name),
            (_("phone"), place.phone),
            (_("email"), place.email),
            (_("website"), place.website),
            (_("published"), _("yes") if place.is_published else _("no")),
            (_("information last verified"), place.last_verified or "–"),
        ]
        return format_html(
            '<table class="current-values">{}</table>',
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
        )

    def save_model(self, request, obj, form, change):
        status = None
        if "_accept" in request.POST:
            status = Suggestion.Status.ACCEPTED
        elif "_reject" in request.POST:
            status = Suggestion.Status.REJECTED
        if status is None or not obj.is_open:
            super().save_model(request, obj, form, change)
            return
        request._suggestion_answered = handle_suggestion(
            obj, status=status, user=request.user, note=form.cleaned_data.get("note", "")
        )

    def response_change(self, request, obj):
        answered = getattr(request, "_suggestion_answered", None)
        if answered is None:
            return super().response_change(request, obj)
        if obj.status == Suggestion.Status.ACCEPTED:
            message = _("The suggestion is accepted. Now correct the place's information.")
        else:
            message = _("The suggestion is rejected.")
        if answered:
            message = format_lazy("{} {}", message, _("The resident was answered by e-mail."))
        self.message_user(request, message, messages.SUCCESS)
        if obj.status == Suggestion.Status.ACCEPTED:
            return HttpResponseRedirect(reverse("admin:places_place_change", args=[obj.place_id]))
        return HttpResponseRedirect(reverse("admin:places_suggestion_changelist"))


@admin.register(Feedback)
class FeedbackAdmin(KeySafeChoicesMixin, admin.ModelAdmin):
    """Visitors' comments, read by the place's staff and its region's coordinators (scoped like
    the places). Only the words are shown here, never one visitor's faces: those appear only
    as averages on the place's page, from places.feedback.MIN_ANSWERS answers on."""

    list_display = ("place", "period_display", "comment")
    list_filter = ("year", PlaceRegionListFilter)
    list_select_related = ("place",)
    search_fields = ("place__name", "comment")
    fields = ("place", "period_display", "comment", "language")
    readonly_fields = fields
    view_on_site = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(place_scope(request.user, prefix="place__"))
            .with_comments()
        )

    def has_add_permission(self, request):
        return False  # visitors send them, on the place's feedback page

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("month"), ordering="year")
    def period_display(self, obj):
        return f"{obj.month}/{obj.year}"


@admin.register(PlaceProposal)
class PlaceProposalAdmin(KeySafeChoicesMixin, admin.ModelAdmin):
    """Associations' proposals of their places (``/join/``): coordinators see those of their
    regions, site admins all, staff none. A pending proposal may be corrected before it is
    approved (as published or as a draft) or rejected with a reason; a handled one is read
    only."""

    list_display = (
        "place_name",
        "organization_name",
        "municipality",
        "status",
        "created_at",
        "handled_by",
    )
    list_filter = ("status", RegionListFilter)
    list_select_related = ("municipality", "handled_by")
    search_fields = ("place_name", "organization_name", "contact_name")
    autocomplete_fields = ("organization", "municipality")
    view_on_site = False
    actions = ["approve_published", "approve_as_drafts"]
    pending_fields = (
        "organization",
        "organization_name",
        "business_id",
        "contact_name",
        "contact_email",
        "language",
        "place_name",
        "municipality",
        "street_address",
        "postal_code",
        "postal_town",
        "description",
        "audiences",
        "weekly_hours_display",
        "hours_text",
        "consent",
        "created_at",
        "note",
        "publish_as",
    )
    handled_fields = (
        "status",
        "handled_by",
        "handled_at",
        "place_link",
        "account",
        "note",
        "organization",
        "organization_name",
        "business_id",
        "contact_name",
        "contact_email",
        "language",
        "place_name",
        "municipality",
        "street_address",
        "postal_code",
        "postal_town",
        "description",
        "audiences",
        "weekly_hours_display",
        "hours_text",
        "created_at",
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_site_admin(request.user):
            return queryset
        return queryset.filter(municipality__region__in=coordinated_regions(request.user))

    def has_add_permission(self, request):
        return False  # associations send them on /join/

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_pending)

    def get_fields(self, request, obj=None):
        if obj is not None and not obj.is_pending:
            return self.handled_fields
        return self.pending_fields

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.is_pending:
            return self.handled_fields
        return ("weekly_hours_display", "consent", "created_at", "language")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "municipality":
            # A coordinator corrects the municipality within their own regions only.
            kwargs["queryset"] = scope_of(request).municipalities()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "audiences":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and not obj.is_pending:
            return super().get_form(request, obj, change, **kwargs)
        kwargs["form"] = ProposalHandlingForm
        form = super().get_form(request, obj, change, **kwargs)
        form.rejecting = "_reject" in request.POST
        return form

    @admin.display(description=_("weekly opening hours"))
    def weekly_hours_display(self, obj):
        return obj.weekly_hours_display() or _("none entered")

    @admin.display(description=_("meeting place created"))
    def place_link(self, obj):
        if obj.place_id is None:
            return "–"
        url = reverse("admin:places_place_change", args=[obj.place_id])
        return format_html('<a href="{}">{}</a>', url, obj.place.name)

    def response_change(self, request, obj):
        if "_approve" in request.POST:
            publish = request.POST.get("publish_as") != "draft"
            if self._approve(request, obj, publish):
                return HttpResponseRedirect(
                    reverse("admin:places_place_change", args=[obj.place_id])
                )
            return HttpResponseRedirect(request.path)
        if "_reject" in request.POST:
            try:
                rejected, mailed = reject_proposal(obj, user=request.user, note=obj.note)
            except ApprovalRefused as refusal:
                for message in refusal.messages:
                    self.message_user(request, message, messages.ERROR)
                return HttpResponseRedirect(request.path)
            if not rejected:
                self.message_user(
                    request, _("This proposal has already been handled."), messages.WARNING
                )
            else:
                message = _("The proposal is rejected.")
                if mailed:
                    message = format_lazy(
                        "{} {}", message, _("The contact person was sent the reason.")
                    )
                self.message_user(request, message, messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:places_placeproposal_changelist"))
        return super().response_change(request, obj)

    def _approve(self, request, proposal, publish):
        try:
            approval = approve_proposal(proposal, user=request.user, publish=publish)
        except ApprovalRefused as refusal:
            for message in refusal.messages:
                self.message_user(
                    request,
                    format_lazy("{} {}", _("The proposal was not approved:"), message),
                    messages.ERROR,
                )
            return False
        if approval.place.is_published:
            message = _("“%(place)s” is published.")
        else:
            message = _("“%(place)s” is saved as a draft.")
        message = message % {"place": approval.place.name}
        if approval.organization_created:
            message = format_lazy(
                "{} {}",
                message,
                _("The organisation “%(organisation)s” was created.")
                % {"organisation": approval.organization.name},
            )
        if approval.account_created:
            message = format_lazy(
                "{} {}",
                message,
                _("A staff account %(username)s was created.")
                % {"username": approval.account.get_username()},
            )
        if approval.mailed:
            message = format_lazy("{} {}", message, _("The contact person was e-mailed."))
        self.message_user(request, message, messages.SUCCESS)
        if not approval.mailed:
            self.message_user(
                request,
                _("The e-mail to the contact person could not be sent. Tell them yourself."),
                messages.WARNING,
            )
        return True

    def _approve_selected(self, request, queryset, publish):
        approved = 0
        for proposal in queryset.filter(status=PlaceProposal.Status.PENDING):
            try:
                approve_proposal(proposal, user=request.user, publish=publish)
            except ApprovalRefused as refusal:
                self.message_user(
                    request,
                    format_lazy("{}: {}", proposal.place_name, " ".join(refusal.messages)),
                    messages.ERROR,
                )
                continue
            approved += 1
        if approved:
            self.message_user(
                request,
                ngettext_lazy(
                    "%(count)d proposal approved.", "%(count)d proposals approved.", "count"
                )
                % {"count": approved},
                messages.SUCCESS,
            )

    @admin.action(description=_("Approve: publish the places"), permissions=["change"])
    def approve_published(self, request, queryset):
        self._approve_selected(request, queryset, publish=True)

    @admin.action(description=_("Approve as drafts"), permissions=["change"])
    def approve_as_drafts(self, request, queryset):
        self._approve_selected(request, queryset, publish=False)


@admin.register(SearchMiss)
class SearchMissAdmin(admin.ModelAdmin):
    """Searches of the public list that found nothing (counted by places.no_results): what
    residents look for and do not find. Coordinators see their regions' and those that chose
    no municipality, site admins all; nobody edits them, site admins may delete a row (a
    name someone typed)."""

    list_display = ("query", "count", "day", "municipality", "language")
    list_filter = ("day", "language", RegionListFilter)
    list_select_related = ("municipality",)
    search_fields = ("query",)
    date_hierarchy = "day"
    readonly_fields = ("query", "count", "day", "municipality", "language")
    view_on_site = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(search_miss_scope(request.user))

    def has_module_permission(self, request):
        return may_see_dashboard(request.user)

    def has_view_permission(self, request, obj=None):
        return may_see_dashboard(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return is_site_admin(request.user)
