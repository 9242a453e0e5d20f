"""The network in the admin, scoped by role (see network.scopes).

Every queryset and choice goes through network.scopes, so a meeting or coordinator outside the
user's scope is missing from changelists, change/delete/history URLs, autocomplete and raw-id
popups alike: it looks nonexistent.
"""

import os

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kohtaamispaikat.core.admin_history import HistoryAdmin
from kohtaamispaikat.core.admin_widgets import KeySafeChoicesMixin
from kohtaamispaikat.core.history import record_baselines
from kohtaamispaikat.core.locking import EditConflictForm
from kohtaamispaikat.core.public_forms import one_line
from kohtaamispaikat.core.text import normalise_text
from kohtaamispaikat.core.uploads import check_upload
from network.forms import CoordinatorAdminForm, FeedbackAverageField
from network.models import (
    ATTACHMENTS_PER_PRACTICE,
    Coordinator,
    FollowUp,
    GoodPractice,
    Listing,
    Meeting,
    Outcome,
    PracticeAttachment,
    Survey,
    SurveyQuestion,
)
from network.publishing import cancel_meetings, publish_meetings
from network.scopes import (
    Role,
    answerable_places,
    can_approve_listing,
    can_maintain_coordinator,
    can_publish_meetings,
    coordinator_region_choices,
    coordinator_scope,
    grant_coordinator_role,
    linkable_practices,
    listing_municipality_choices,
    listing_scope,
    meeting_region_choices,
    meeting_scope,
    municipality_choices,
    network_role,
    practice_region_choices,
    practice_scope,
    readable_responses,
    recoverable_meeting_versions,
    survey_region_choices,
    survey_scope,
)
from network.surveys import (
    SurveyAnswerForm,
    SurveyClosed,
    answer_url,
    close_surveys,
    comparison,
    means_by_municipality,
    open_survey,
    save_response,
    survey_places,
)
from places.models import Municipality, Organization, Place
from places.roles import member_organizations, place_scope


class RoleScopedAdmin(KeySafeChoicesMixin, HistoryAdmin):
    """Model permissions (from the role groups) and a network role are both needed."""

    roles = (Role.SITE_ADMIN, Role.COORDINATOR)

    def has_role(self, request):
        return network_role(request.user) in self.roles

    def has_module_permission(self, request):
        return super().has_module_permission(request) and self.has_role(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.has_role(request)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self.has_role(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.has_role(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.has_role(request)


@admin.register(Coordinator)
class CoordinatorAdmin(RoleScopedAdmin):
    form = CoordinatorAdminForm
    list_display = ("name", "title", "organization", "areas", "is_published", "user")
    list_filter = ("is_published", ("regions", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("organization", "user")
    search_fields = ("name", "title", "email", "organization__name")
    autocomplete_fields = ("user",)
    filter_horizontal = ("municipalities",)
    fieldsets = [
        (None, {"fields": ("name", "title", "organization", "introduction", "is_published")}),
        (
            _("Areas covered"),
            {
                "fields": ("regions", "municipalities"),
                "description": _("Whole regions, single municipalities, or both."),
            },
        ),
        (_("Contact details"), {"fields": ("email", "phone")}),
        (_("Admin access"), {"fields": ("user",)}),
    ]

    def view_on_site(self, obj):
        # A direct link: the admin's /admin/r/ redirect is not served (see kohtaamispaikat/urls.py).
        return obj.get_absolute_url() if obj.is_published else None

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(coordinator_scope(request.user))
            .prefetch_related("regions", "municipalities")
        )

    def get_readonly_fields(self, request, obj=None):
        # Only site admins hand out admin roles: the user account makes a regional coordinator.
        if network_role(request.user) == Role.SITE_ADMIN:
            return ()
        return ("user",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.require_area = network_role(request.user) != Role.SITE_ADMIN
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.user is not None and "user" in form.changed_data:
            grant_coordinator_role(obj.user)
            self.message_user(
                request,
                _("%(user)s can now sign in to the admin as a regional coordinator.")
                % {"user": obj.user.get_username()},
                messages.INFO,
            )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or can_maintain_coordinator(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.user_id == request.user.pk:
            return False
        return super().has_delete_permission(request, obj) and (
            obj is None or can_maintain_coordinator(request.user, obj)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "regions":
            kwargs["queryset"] = coordinator_region_choices(request.user)
            kwargs["widget"] = forms.CheckboxSelectMultiple
        elif db_field.name == "municipalities":
            kwargs["queryset"] = municipality_choices(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("areas covered"))
    def areas(self, obj):
        return ", ".join(str(area) for area in [*obj.regions.all(), *obj.municipalities.all()])


@admin.register(Meeting)
class MeetingAdmin(RoleScopedAdmin):
    roles = (Role.SITE_ADMIN, Role.COORDINATOR, Role.STAFF)
    form = EditConflictForm
    recovery_beyond_site_admins = True
    list_display = ("title", "start", "status", "region_names", "has_outcome", "published_at")
    list_filter = ("status", "kind", ("regions", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "venue_address", "description")
    date_hierarchy = "start"
    ordering = ("-start", "-pk")
    prepopulated_fields = {"slug": ("title",)}
    # The organiser by typing, labelled with its municipalities (names repeat across Finland).
    autocomplete_fields = ("venue", "contact", "organizer")
    readonly_fields = ("outcome_link", "published_at", "created_at", "updated_at")
    actions = ("publish", "cancel")
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 5})},
        models.URLField: {"assume_scheme": "https"},
    }

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(meeting_scope(request.user))
            .select_related("outcome")
            .prefetch_related("regions")
        )

    def recoverable(self, request, versions):
        return recoverable_meeting_versions(request.user, versions)

    def get_fieldsets(self, request, obj=None):
        is_publisher = can_publish_meetings(request.user)
        people = ("organizer", "contact") if is_publisher else ("organizer",)
        record = ("outcome_link", "published_at") if is_publisher else ("published_at",)
        return [
            (None, {"fields": ("title", "slug", "kind", "status")}),
            (_("Time"), {"fields": ("start", "end")}),
            (
                _("Where"),
                {
                    "fields": ("regions", "venue", "venue_address", "online_url"),
                    "description": _(
                        "Choose a meeting place from the directory, give an address, "
                        "or an online link (or both for a hybrid meeting)."
                    ),
                },
            ),
            (_("Content"), {"fields": ("description", "agenda")}),
            (_("Registration"), {"fields": ("registration_url", "registration_deadline")}),
            (_("People"), {"fields": people}),
            (_("Record"), {"fields": (*record, "created_at", "updated_at")}),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if network_role(request.user) == Role.STAFF:
            # A draft must stay within the organisation, or its author would lose it.
            form.base_fields["organizer"].required = True
        return form

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not can_publish_meetings(request.user):
            # Organisation staff prepare drafts; a posted "published" is an invalid choice.
            kwargs["choices"] = [(Meeting.Status.DRAFT, Meeting.Status.DRAFT.label)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if db_field.name == "venue":
            kwargs["queryset"] = Place.objects.published() | Place.objects.filter(place_scope(user))
        elif db_field.name == "organizer" and network_role(user) == Role.STAFF:
            kwargs["queryset"] = member_organizations(user)
        elif db_field.name == "organizer":
            kwargs["queryset"] = Organization.objects.all()
        elif db_field.name == "contact":
            kwargs["queryset"] = Coordinator.objects.filter(coordinator_scope(user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "regions":
            kwargs["queryset"] = meeting_region_choices(request.user)
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        # The form offers only the user's regions: keep the meeting's other regions as they are.
        others = (
            list(form.instance.regions.exclude(pk__in=meeting_region_choices(request.user)))
            if change
            else []
        )
        super().save_related(request, form, formsets, change)
        if others:
            form.instance.regions.add(*others)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Picking the meeting of a new outcome: only held meetings still without one.
        source = (request.GET.get("model_name"), request.GET.get("field_name"))
        if source == ("outcome", "meeting"):
            queryset = queryset.held().filter(outcome__isnull=True)
        return queryset, may_have_duplicates

    def view_on_site(self, obj):
        # A draft opens as a preview: the page as the public will see it once published.
        return obj.get_absolute_url() if obj.is_public else obj.get_preview_url()

    def has_publish_permission(self, request):
        return self.has_change_permission(request) and can_publish_meetings(request.user)

    @admin.display(description=_("regions"))
    def region_names(self, obj):
        return ", ".join(str(region) for region in obj.regions.all())

    @admin.display(description=_("outcome"), boolean=True)
    def has_outcome(self, obj):
        return hasattr(obj, "outcome")

    @admin.display(description=_("outcome"))
    def outcome_link(self, obj):
        if hasattr(obj, "outcome"):
            url = reverse("admin:network_outcome_change", args=[obj.outcome.pk])
            return format_html('<a href="{}">{}</a>', url, _("Edit the outcome"))
        if obj.pk and obj.is_held():
            url = reverse("admin:network_outcome_add")
            return format_html(
                '<a href="{}?meeting={}">{}</a>', url, obj.pk, _("Record the outcome")
            )
        return _("Participants and feedback can be recorded once the meeting has been held.")

    @admin.action(description=_("Publish selected meetings"), permissions=["publish"])
    def publish(self, request, queryset):
        with transaction.atomic():
            change = publish_meetings(queryset)
            self._log_status_change(request, change)
        published = len(change.saved)
        self.message_user(
            request,
            ngettext("%(count)d meeting published.", "%(count)d meetings published.", published)
            % {"count": published},
            messages.SUCCESS,
        )
        skipped = change.left_alone
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d meeting was not published: it needs a venue, an address or "
                    "an online link.",
                    "%(count)d meetings were not published: they need a venue, an address or "
                    "an online link.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Cancel selected meetings"), permissions=["publish"])
    def cancel(self, request, queryset):
        with transaction.atomic():
            change = cancel_meetings(queryset)
            self._log_status_change(request, change)
        cancelled = len(change.saved)
        self.message_user(
            request,
            ngettext(
                "%(count)d meeting cancelled. It stays on the site, marked as cancelled.",
                "%(count)d meetings cancelled. They stay on the site, marked as cancelled.",
                cancelled,
            )
            % {"count": cancelled},
            messages.SUCCESS,
        )
        drafts = change.left_alone
        if drafts:
            self.message_user(
                request,
                ngettext(
                    "%(count)d draft was left alone: a draft is not public, delete it instead.",
                    "%(count)d drafts were left alone: drafts are not public, delete them instead.",
                    drafts,
                )
                % {"count": drafts},
                messages.WARNING,
            )

    def _log_status_change(self, request, change):
        for meeting in change.saved:
            self.log_change(request, meeting, [{"changed": {"fields": ["status"]}}])


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 1
    fields = ("municipality", "plan")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}

    def get_queryset(self, request):
        # The plans of other regions (an outcome of a meeting shared between regions) are
        # theirs: not shown, so neither changed nor deleted.
        return (
            super()
            .get_queryset(request)
            .filter(municipality__in=municipality_choices(request.user))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "municipality":
            kwargs["queryset"] = municipality_choices(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Outcome)
class OutcomeAdmin(RoleScopedAdmin):
    """The outcome of a held meeting, with the follow-up plans agreed per municipality."""

    list_display = (
        "meeting",
        "meeting_start",
        "participants_total",
        "feedback_average",
        "feedback_respondents",
    )
    list_select_related = ("meeting",)
    search_fields = ("meeting__title", "themes")
    autocomplete_fields = ("meeting",)
    inlines = [FollowUpInline]
    fieldsets = [
        (None, {"fields": ("meeting",)}),
        (
            _("Participants by sector"),
            {"fields": Outcome.SECTOR_FIELDS, "description": _("Number of participants.")},
        ),
        (
            _("Feedback"),
            {
                "fields": ("feedback_average", "feedback_respondents"),
                "description": _("Average on a scale from 1 (poor) to 4 (excellent)."),
            },
        ),
        (None, {"fields": ("themes", "practices")}),
    ]

    def get_queryset(self, request):
        in_scope = Meeting.objects.filter(meeting_scope(request.user))
        return super().get_queryset(request).filter(meeting__in=in_scope)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "practices":
            kwargs["queryset"] = linkable_practices(request.user)
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        # The form offers the practices the user may see: keep links to others (another
        # region's draft) as they are.
        others = (
            list(
                form.instance.practices.exclude(
                    pk__in=linkable_practices(request.user).values("pk")
                )
            )
            if change
            else []
        )
        super().save_related(request, form, formsets, change)
        if others:
            form.instance.practices.add(*others)

    recovery_beyond_site_admins = True

    def recoverable(self, request, versions):
        # Once its meeting is back (a meeting's deletion takes its outcome along).
        meetings = {version.field_dict.get("meeting_id") for version in versions}
        in_scope = set(
            Meeting.objects.filter(meeting_scope(request.user), pk__in=meetings).values_list(
                "pk", flat=True
            )
        )
        return [v for v in versions if v.field_dict.get("meeting_id") in in_scope]

    def get_readonly_fields(self, request, obj=None):
        return ("meeting",) if obj else ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "feedback_average":
            return db_field.formfield(form_class=FeedbackAverageField, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "meeting":
            kwargs["queryset"] = (
                Meeting.objects.filter(meeting_scope(request.user))
                .held()
                .filter(outcome__isnull=True)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("starts"), ordering="meeting__start")
    def meeting_start(self, obj):
        return obj.meeting.start

    @admin.display(description=_("participants"))
    def participants_total(self, obj):
        return obj.participants_total


# The notice board ---------------------------------------------------------------------------


@admin.register(Listing)
class ListingAdmin(RoleScopedAdmin):
    """Listings of the notice board. Staff post for their own organisation (and publish them);
    coordinators also approve or reject the listings of their regions, public submissions
    among them."""

    roles = (Role.SITE_ADMIN, Role.COORDINATOR, Role.STAFF)
    list_display = (
        "title_fi",
        "kind",
        "status",
        "organization",
        "valid_until",
        "answer_count",
        "approved_at",
    )
    list_filter = ("status", "kind", ("municipalities__region", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("organization",)
    search_fields = ("title_fi", "title_sv", "title_en", "text_fi", "contact_name")
    ordering = ("-created_at", "-pk")
    autocomplete_fields = ("place",)
    filter_horizontal = ("municipalities",)
    readonly_fields = ("answer_count", "posted_by", "approved_at", "created_at", "updated_at")
    actions = ("approve", "reject")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 6})}}
    fieldsets = [
        (None, {"fields": ("kind", "status", "organization", "valid_until")}),
        (
            _("Text"),
            {
                "fields": ("title_fi", "text_fi", "title_sv", "text_sv", "title_en", "text_en"),
                "description": _(
                    "Finnish is required; the board shows Swedish and English when given."
                ),
            },
        ),
        (_("Where and for whom"), {"fields": ("municipalities", "place", "audiences")}),
        (
            _("Volunteering"),
            {
                "fields": (
                    "volunteer_tasks",
                    "volunteer_when",
                    "volunteer_frequency",
                    "suitable_for_minors",
                    "supported_volunteering",
                ),
                "description": _("For listings of volunteers wanted."),
            },
        ),
        (
            _("Contact"),
            {
                "fields": ("contact_name", "contact_email"),
                "description": _(
                    "The address is never shown on the board: answers are e-mailed to it."
                ),
            },
        ),
        (_("Record"), {"fields": readonly_fields}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(listing_scope(request.user))

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_on_board() else None

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        user = request.user
        initial.setdefault("contact_name", user.get_full_name() or user.get_username())
        initial.setdefault("contact_email", user.email)
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if network_role(request.user) == Role.STAFF:
            # A listing must stay within the organisation, or its author would lose it.
            form.base_fields["organization"].required = True
        return form

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and not self._may_approve_any(request):
            # Staff publish their organisation's listings; approval is the coordinators'.
            kwargs["choices"] = [
                (status, status.label) for status in (Listing.Status.DRAFT, Listing.Status.APPROVED)
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if db_field.name == "organization":
            if network_role(user) == Role.SITE_ADMIN:
                kwargs["queryset"] = Organization.objects.all()
            else:
                kwargs["queryset"] = member_organizations(user)
        elif db_field.name == "place":
            kwargs["queryset"] = Place.objects.published() | Place.objects.filter(place_scope(user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "municipalities":
            kwargs["queryset"] = listing_municipality_choices(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.posted_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # The form offers only the user's municipalities: keep the listing's others.
        choices = listing_municipality_choices(request.user)
        others = (
            list(form.instance.municipalities.exclude(pk__in=choices.values("pk")))
            if change
            else []
        )
        super().save_related(request, form, formsets, change)
        if others:
            form.instance.municipalities.add(*others)

    def _may_approve_any(self, request):
        return network_role(request.user) in (Role.SITE_ADMIN, Role.COORDINATOR)

    def has_approve_permission(self, request):
        return self.has_change_permission(request) and self._may_approve_any(request)

    @admin.action(description=_("Approve selected listings"), permissions=["approve"])
    def approve(self, request, queryset):
        self._decide(request, queryset, Listing.Status.APPROVED)

    @admin.action(description=_("Reject selected listings"), permissions=["approve"])
    def reject(self, request, queryset):
        self._decide(request, queryset, Listing.Status.REJECTED)

    def _decide(self, request, queryset, status):
        with transaction.atomic():
            listings = list(
                Listing.objects.filter(pk__in=queryset.values("pk"))
                .exclude(status=status)
                .select_for_update()
                .order_by("pk")
            )
            allowed = [item for item in listings if can_approve_listing(request.user, item)]
            record_baselines(allowed)
            for listing in allowed:
                listing.status = status
                listing.save(update_fields=["status", "updated_at"])
                self.log_change(request, listing, [{"changed": {"fields": ["status"]}}])
        self.message_user(
            request,
            ngettext("%(count)d listing updated.", "%(count)d listings updated.", len(allowed))
            % {"count": len(allowed)},
            messages.SUCCESS,
        )
        refused = len(listings) - len(allowed)
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d listing was left alone: it lies outside your regions.",
                    "%(count)d listings were left alone: they lie outside your regions.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )


# Baseline and follow-up surveys (#17) --------------------------------------------------------


class SurveyQuestionInline(admin.TabularInline):
    model = SurveyQuestion
    fields = ("position", "key", "text", "kind", "options", "required")
    extra = 3
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}

    def _editable(self, request, obj):
        return obj is None or obj.status == Survey.Status.DRAFT

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)


@admin.register(Survey)
class SurveyAdmin(KeySafeChoicesMixin, admin.ModelAdmin):
    """Coordinators make surveys of their regions, open and close them and read the answers;
    staff answer for their organisations' places (``answer_view``) once a survey is open."""

    inlines = [SurveyQuestionInline]
    list_display = ("title", "region", "period_start", "period_end", "status", "baseline")
    list_filter = ("status", ("region", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("region", "baseline")
    search_fields = ("title",)
    fields = (
        "title",
        "region",
        ("period_start", "period_end"),
        "introduction",
        "baseline",
        "status",
        "places_and_answers",
        "baseline_comparison",
    )
    readonly_fields = ("status", "places_and_answers", "baseline_comparison")
    actions = ("open_selected", "close_selected")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(survey_scope(request.user))

    def is_manager(self, request):
        return network_role(request.user) in (Role.SITE_ADMIN, Role.COORDINATOR)

    def has_module_permission(self, request):
        return super().has_module_permission(request) and network_role(request.user) is not None

    def has_add_permission(self, request):
        return super().has_add_permission(request) and self.is_manager(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.is_manager(request)

    def has_delete_permission(self, request, obj=None):
        return (
            super().has_delete_permission(request, obj)
            and self.is_manager(request)
            and (obj is None or obj.status == Survey.Status.DRAFT)
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.is_manager(request):
            return {}
        return actions

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region":
            kwargs["queryset"] = survey_region_choices(request.user)
        elif db_field.name == "baseline":
            kwargs["queryset"] = self.get_queryset(request).order_by("-period_start")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Survey.Status.DRAFT:
            # Once asked, the survey stays what the places were asked.
            return (
                *self.readonly_fields,
                "title",
                "region",
                "period_start",
                "period_end",
                "introduction",
                "baseline",
            )
        return self.readonly_fields

    @admin.action(description=_("Open the selected surveys and e-mail the places' staff"))
    def open_selected(self, request, queryset):
        opened = told = 0
        for survey in queryset.filter(status=Survey.Status.DRAFT).select_related("region"):
            if not survey.questions.exists():
                self.message_user(
                    request,
                    _("“%(survey)s” has no questions: not opened.") % {"survey": survey},
                    messages.WARNING,
                )
                continue
            told += open_survey(survey)
            opened += 1
        self.message_user(
            request,
            _("%(opened)d surveys opened; %(told)d staff members e-mailed.")
            % {"opened": opened, "told": told},
            messages.SUCCESS,
        )

    @admin.action(description=_("Close the selected surveys (no more answers)"))
    def close_selected(self, request, queryset):
        closed = close_surveys(queryset)
        self.message_user(
            request, _("%(count)d surveys closed.") % {"count": closed}, messages.SUCCESS
        )

    @admin.display(description=_("places and their answers"))
    def places_and_answers(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        request = self._request
        responses = {
            response.place_id: response
            for response in readable_responses(request.user, obj).select_related("place")
        }
        answerable = set(answerable_places(request.user, obj).values_list("pk", flat=True))
        manager = self.is_manager(request)
        rows = []
        for place in survey_places(obj).select_related("municipality").order_by("name", "pk"):
            if not manager and place.pk not in answerable:
                continue
            response = responses.get(place.pk)
            if response is None:
                state = _("not answered")
            elif response.is_submitted:
                state = _("submitted")
            else:
                state = _("draft")
            writable = place.pk in answerable and obj.is_open
            if writable and not (response and response.is_submitted):
                label = _("Answer")
            else:
                label = _("Show the answers")
            link = format_html('<a href="{}">{}</a>', answer_url(obj, place), label)
            rows.append((place.name, place.municipality.name, state, link))
        if not rows:
            return _("No places of yours in this region.")
        return format_html(
            '<table class="current-values"><thead><tr><th>{}</th><th>{}</th><th>{}</th>'
            "<th></th></tr></thead><tbody>{}</tbody></table>",
            _("meeting place"),
            _("municipality"),
            _("status"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    @admin.display(description=_("change from the baseline"))
    def baseline_comparison(self, obj):
        if obj is None or obj.pk is None or obj.baseline_id is None:
            return "–"
        if not self.is_manager(self._request):
            return "–"
        municipalities = list(Municipality.objects.filter(region=obj.region_id).order_by("name_fi"))
        rows = comparison(
            obj,
            list(obj.questions.all()),
            municipalities,
            means_by_municipality([obj.pk, obj.baseline_id]),
        )
        if not rows:
            return _("No answers to compare yet.")

        def shown(cell):
            return "–" if cell.mean is None else f"{cell.mean} ({cell.responses})"

        return format_html(
            '<table class="current-values"><thead><tr><th>{}</th><th>{}</th><th>{}</th>'
            "<th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("question"),
            _("area"),
            _("baseline (answers)"),
            _("follow-up (answers)"),
            _("change"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                [
                    (
                        row.question.text,
                        row.label,
                        shown(row.baseline),
                        shown(row.follow_up),
                        "–" if row.change is None else f"{row.change:+}",
                    )
                    for row in rows
                ],
            ),
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        self._request = request  # the read-only summaries are scoped by the user
        return super().get_form(request, obj, change, **kwargs)

    def get_urls(self):
        return [
            path(
                "<int:survey_id>/answer/<int:place_id>/",
                self.admin_site.admin_view(self.answer_view),
                name="network_survey_answer",
            ),
            *super().get_urls(),
        ]

    def answer_view(self, request, survey_id, place_id):
        """One place's answers: a form while the survey is open and the response not yet
        submitted (for those who answer for the place), otherwise the answers as given."""
        survey = self.get_queryset(request).filter(pk=survey_id).select_related("region").first()
        if survey is None:
            raise Http404
        place = survey_places(survey).filter(pk=place_id).select_related("municipality").first()
        if place is None:
            raise Http404
        may_answer = answerable_places(request.user, survey).filter(pk=place.pk).exists()
        response = readable_responses(request.user, survey).filter(place=place).first()
        if not may_answer and response is None and not self.is_manager(request):
            raise Http404
        questions = list(survey.questions.all())
        editable = may_answer and survey.is_open and not (response and response.is_submitted)
        if request.method == "POST" and not editable:
            raise PermissionDenied
        submit = "_submit" in request.POST
        form = SurveyAnswerForm(
            request.POST if request.method == "POST" else None,
            survey=survey,
            questions=questions,
            response=response,
            draft=not submit,
        )
        if request.method == "POST" and form.is_valid():
            try:
                save_response(survey, place, form, user=request.user, submit=submit)
            except SurveyClosed:
                self.message_user(
                    request,
                    _("The survey is closed or the answers were already submitted: nothing saved."),
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.path)
            self.message_user(
                request,
                _("The answers are submitted. Thank you!")
                if submit
                else _("The draft is saved. You can finish it later."),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": survey.title,
            "survey": survey,
            "place": place,
            "form": form,
            "editable": editable,
            "response": response,
            "change_url": reverse("admin:network_survey_change", args=[survey.pk]),
        }
        return TemplateResponse(request, "admin/network/survey/answer.html", context)


# Good practices -----------------------------------------------------------------------------


class PracticeAttachmentForm(forms.ModelForm):
    """An attachment, accepted only when its content is of an allowed type
    (kohtaamispaikat.core.uploads); the type stored is the one found in the file."""

    class Meta:
        model = PracticeAttachment
        fields = ("title", "file")
        widgets = {"file": forms.FileInput}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if "file" in self.changed_data and upload:
            self.instance.content_type = check_upload(
                upload, settings.PRACTICE_ATTACHMENT_MAX_BYTES
            )
            self.instance.size = upload.size
            # The name goes back out in a Content-Disposition header: on one line.
            name = one_line(normalise_text(os.path.basename(upload.name), multiline=False))
            self.instance.original_name = name[-200:] or "liite"
        return upload


class PracticeAttachmentInline(admin.TabularInline):
    model = PracticeAttachment
    form = PracticeAttachmentForm
    extra = 1
    max_num = ATTACHMENTS_PER_PRACTICE
    fields = ("title", "file", "download", "content_type", "size")
    readonly_fields = ("download", "content_type", "size")

    @admin.display(description=_("download"))
    def download(self, obj):
        if obj.pk is None:
            return "–"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)


@admin.register(GoodPractice)
class GoodPracticeAdmin(RoleScopedAdmin):
    """Good practices: coordinators write those of their regions, publish them, and attach
    files; site admins all."""

    form = EditConflictForm
    inlines = [PracticeAttachmentInline]
    list_display = ("title", "status", "region", "municipality", "published_at", "updated_at")
    list_filter = ("status", ("region", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("region", "municipality")
    search_fields = ("title", "summary", "text", "contact_name")
    ordering = ("-updated_at", "-pk")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("published_at", "created_at", "updated_at")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 16})}}
    fieldsets = [
        (None, {"fields": ("title", "slug", "status", "summary", "text")}),
        (_("Where and for whom"), {"fields": ("region", "municipality", "audiences")}),
        (
            _("Contact"),
            {"fields": ("organization", "contact_name", "contact_email", "contact_phone")},
        ),
        (_("Record"), {"fields": readonly_fields}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(practice_scope(request.user))
            .select_related("region", "municipality")
        )

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_published else None

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        user = request.user
        initial.setdefault("contact_name", user.get_full_name() or user.get_username())
        initial.setdefault("contact_email", user.email)
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "region":
            kwargs["queryset"] = practice_region_choices(request.user)
        elif db_field.name == "municipality":
            kwargs["queryset"] = municipality_choices(request.user)
        elif db_field.name == "organization":
            kwargs["queryset"] = Organization.objects.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "audiences":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)
