"""The activities' admin (#15): inline on their place, and a list of their own.

Staff manage the activities of their organisations' places, and the activities their
organisations organise in another organisation's place (``places.roles.activity_scope``). The
latter gives nothing of the place itself: the place of such an activity is shown, not chosen,
and the place's admin stays out of reach.
"""

from datetime import timedelta

from django.contrib import admin
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kohtaamispaikat.core.admin_history import HistoryAdmin
from kohtaamispaikat.core.admin_widgets import KeySafeChoicesMixin
from kohtaamispaikat.core.locking import EditConflictForm
from places.models import (
    Activity,
    ActivityCancellation,
    ActivityOccurrence,
    Municipality,
    Organization,
    Place,
)
from places.roles import activity_scope, place_scope


class ActivityAdminForm(EditConflictForm):
    class Meta:
        model = Activity
        fields = "__all__"


class ActivityInline(admin.StackedInline):
    """A place's activities on the place's page: the essentials, the rest on their own page."""

    model = Activity
    fields = (
        ("title_fi", "title_sv", "title_en"),
        "description_fi",
        "schedule",
        ("starts_on", "ends_on"),
        "organization",
        "is_published",
    )
    extra = 0
    show_change_link = True
    view_on_site = False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            # Any organisation may run a group in the place: an association in a parish's hall.
            kwargs["queryset"] = Organization.objects.order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ActivityCancellationInline(admin.TabularInline):
    model = ActivityCancellation
    fields = ("date", "reason")
    extra = 1


class MunicipalityListFilter(admin.SimpleListFilter):
    title = _("municipality")
    parameter_name = "municipality"

    def lookups(self, request, model_admin):
        places = model_admin.get_queryset(request).values("place__municipality")
        return [(m.code, m.name) for m in Municipality.objects.filter(pk__in=places)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(place__municipality=self.value())
        return queryset


class UpcomingListFilter(admin.SimpleListFilter):
    title = _("upcoming")
    parameter_name = "upcoming"

    def lookups(self, request, model_admin):
        return [("week", _("in the coming 7 days")), ("none", _("no upcoming dates"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "week":
            upcoming = ActivityOccurrence.objects.filter(
                activity=OuterRef("pk"),
                date__gte=today,
                date__lte=today + timedelta(days=6),
                cancelled=False,
            )
            return queryset.filter(Exists(upcoming))
        if self.value() == "none":
            upcoming = ActivityOccurrence.objects.filter(
                activity=OuterRef("pk"), date__gte=today, cancelled=False
            )
            return queryset.exclude(Exists(upcoming))
        return queryset


@admin.register(Activity)
class ActivityAdmin(KeySafeChoicesMixin, HistoryAdmin):
    form = ActivityAdminForm
    inlines = [ActivityCancellationInline]
    list_display = ("title_fi", "place", "organization", "schedule", "is_published")
    list_filter = (
        MunicipalityListFilter,
        "audiences",
        ("organization", admin.RelatedOnlyFieldListFilter),
        UpcomingListFilter,
        "is_published",
    )
    list_select_related = ("place", "organization")
    view_on_site = False
    search_fields = ("title_fi", "title_sv", "title_en", "place__name")
    prepopulated_fields = {"slug": ("title_fi",)}
    fieldsets = (
        (None, {"fields": ("place", "organization", "slug", "audiences")}),
        (
            _("Title and description"),
            {
                "fields": (
                    ("title_fi", "title_sv", "title_en"),
                    "description_fi",
                    "description_sv",
                    "description_en",
                )
            },
        ),
        (
            _("When"),
            {
                "fields": (
                    "schedule",
                    ("starts_on", "ends_on"),
                    "held_when_place_closed",
                    "hide_time",
                )
            },
        ),
        (
            _("Taking part"),
            {
                "fields": (
                    ("free_of_charge", "price"),
                    "languages",
                    "modes",
                    ("online_url", "phone_number"),
                    "registration",
                    ("registration_url", "registration_phone"),
                )
            },
        ),
        (_("Contact"), {"fields": ("contact_name", "contact_phone", "contact_email")}),
        (_("Publication"), {"fields": ("is_published",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).filter(activity_scope(request.user))

    def _manages_place(self, request, obj):
        return Place.objects.filter(place_scope(request.user), pk=obj.place_id).exists()

    def get_readonly_fields(self, request, obj=None):
        # The organiser's staff keep the activity where it is: they do not manage the place.
        if obj is not None and not self._manages_place(request, obj):
            return ("place",)
        return ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "place":
            kwargs["queryset"] = Place.objects.filter(place_scope(request.user))
        if db_field.name == "organization":
            kwargs["queryset"] = Organization.objects.order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
