"""History pages of the admin, and restoring an earlier version (see kohtaamispaikat.core.history).

Every view starts from ``get_object``, the admin's scoped queryset: an object the user may not
manage answers exactly like a missing one, and so do its versions.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.base import DeserializationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.errors import RevertError

from kohtaamispaikat.core.history import (
    deleted_versions,
    describe,
    differences,
    readable,
    record_baselines,
    record_deletion,
    record_versions,
    recorded_at,
    recover,
    restore,
    versions_of,
)
from kohtaamispaikat.core.roles import is_site_admin

VERSIONS_PER_PAGE = 50
# Deleted objects are looked for among this many newest deletions, and at most DELETED_LISTED
# of those the user may recover are listed; older ones are restored from a backup.
DELETED_SCANNED = 2000
DELETED_LISTED = 200
DELETED_COMMENT = _("Deleted.")
UNREADABLE = _(
    "That version can no longer be read: it was recorded before the data it holds changed form."
)
CHANGED_SINCE_COMPARED = _(
    "Someone saved this after you opened the comparison, so nothing was restored. Compare again."
)
OUT_OF_SCOPE = _(
    "That version lies outside what you may manage (another organisation or region, or a "
    "field you may not change), so it was not restored."
)


class OutOfScopeError(Exception):
    """The restored object is not one the user may manage."""


class FormBounds:
    """What the user's admin form lets them set, read before a restore or a recovery writes
    anything (what is restored may itself widen the user's scope: a coordinator's own areas),
    and applied after it: a restore may bring back only what the user could have typed in.

    Fields the form does not offer keep their current values; a choice must be among the
    form's; of a many-to-many relation, only the part among the form's choices is restored
    (the admin keeps the rest, as MeetingAdmin.save_related does), and a recovered object's
    relations must all be among them; rows of the inlines must name choices of the inline
    forms."""

    def __init__(self, model_admin, request, obj=None):
        form = model_admin.get_form(request, obj, change=obj is not None)(instance=obj)
        self.field_names = set(form.fields)
        self.choices = {
            name: set(field.queryset.values_list(field.to_field_name or "pk", flat=True))
            for name, field in form.fields.items()
            if isinstance(field, forms.ModelChoiceField)
        }
        self.plain_choices = {
            name: field
            for name, field in form.fields.items()
            if isinstance(field, forms.ChoiceField)
            and not isinstance(field, (forms.ModelChoiceField, forms.MultipleChoiceField))
        }
        self.inline_choices = [
            (
                formset.model,
                formset.fk.attname,
                {
                    formset.model._meta.get_field(name).attname: set(
                        field.queryset.values_list("pk", flat=True)
                    )
                    # Of a form instance: base fields lack the model fields' limit_choices_to.
                    for name, field in formset(instance=obj).empty_form.fields.items()
                    if isinstance(field, forms.ModelChoiceField)
                    and name not in (formset.fk.name, formset.model._meta.pk.name)
                },
            )
            for formset, _inline in model_admin.get_formsets_with_inlines(request, obj)
        ]
        self.kept = {}
        self.kept_relations = {}
        # Rows of the inlines the user's form does not offer (other regions' plans of a shared
        # outcome): a restore, which replaces all the rows, would delete or change them.
        self.has_foreign_rows = obj is not None and self._has_inline_rows_outside(obj.pk)
        if obj is not None:
            self.kept = {
                field.attname: getattr(obj, field.attname)
                for field in obj._meta.concrete_fields
                if field.name not in self.field_names
            }
            self.kept_relations = {
                field.name: set(getattr(obj, field.name).values_list("pk", flat=True))
                for field in obj._meta.many_to_many
            }

    def _has_inline_rows_outside(self, pk):
        """Whether a row of the inlines of the object ``pk`` names what its form does not
        offer."""
        return any(
            model._default_manager.filter(**{key_name: pk, f"{attname}__isnull": False})
            .exclude(**{f"{attname}__in": allowed})
            .exists()
            for model, key_name, choices in self.inline_choices
            for attname, allowed in choices.items()
        )

    def apply(self, restored):
        """Keep what the form does not offer and check the rest; returns the many-to-many
        relations ``restored`` ends with, to set once it is saved. Raises OutOfScopeError."""
        if self.has_foreign_rows or self._has_inline_rows_outside(restored.pk):
            raise OutOfScopeError
        for attname, value in self.kept.items():
            setattr(restored, attname, value)
        for field in restored._meta.concrete_fields:
            value = getattr(restored, field.attname)
            if value in (None, ""):
                continue
            if not self.visible(field.name, value):
                raise OutOfScopeError
            if field.name in self.plain_choices and not self.plain_choices[field.name].valid_value(
                value
            ):
                raise OutOfScopeError
        relations = {}
        for field in restored._meta.many_to_many:
            restored_keys = set(getattr(restored, field.name).values_list("pk", flat=True))
            visible = self.choices.get(field.name, set())
            if field.name in self.kept_relations:
                current = self.kept_relations[field.name]
                relations[field.name] = (restored_keys & visible) | (current - visible)
            elif field.name in self.choices and not restored_keys <= visible:
                raise OutOfScopeError  # a recovery names what the user could not choose
            else:
                relations[field.name] = restored_keys
        return relations

    def visible(self, field_name, value):
        """Whether the form would show ``value`` of ``field_name`` (a related row's key)."""
        return field_name not in self.choices or value in self.choices[field_name]

    def full_clean(self, restored):
        """The model's own validation of the fields the user sets (unique slugs, reserved
        names, rules across fields); the others keep values already accepted."""
        restored.full_clean(
            exclude=[
                field.name for field in restored._meta.fields if field.name not in self.field_names
            ]
        )


class HistoryAdmin(admin.ModelAdmin):
    """Records a version at every save and deletion in the admin; lets whoever may change an
    object restore one of its versions, and recover deleted objects (site admins, and the
    users an admin names in ``recoverable``)."""

    object_history_template = "admin/history/object_history.html"
    restore_template = "admin/history/restore.html"
    # Whether users other than site admins get the list of deleted objects (``recoverable``
    # then says which of them each user may recover).
    recovery_beyond_site_admins = False

    def save_model(self, request, obj, form, change):
        if change:
            record_baselines(type(obj)._default_manager.filter(pk=obj.pk))
        super().save_model(request, obj, form, change)

    # Django logs a save once the object and its inlines are all saved: the moment to record.
    # The comment is the log's message as stored: the admin's own messages are shown in the
    # reader's language.
    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        record_versions([obj], user=request.user, comment=entry.change_message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        record_versions([obj], user=request.user, comment=entry.change_message)
        return entry

    def delete_model(self, request, obj):
        record_deletion([obj], user=request.user, comment=DELETED_COMMENT)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        record_deletion(queryset, user=request.user, comment=DELETED_COMMENT)
        super().delete_queryset(request, queryset)

    def allows_restored(self, request, relations_before, relations):
        """Whether the user's form would accept changing the many-to-many relations from
        ``relations_before`` to ``relations`` (keys by field name): for the rules of admins
        that look at more than each field's choices."""
        return True

    def recoverable(self, request, versions):
        """Those of the deleted objects' ``versions`` the user may recover."""
        return versions if is_site_admin(request.user) else []

    def may_recover(self, request):
        return (
            self.has_add_permission(request)
            and self.has_change_permission(request)
            and (self.recovery_beyond_site_admins or is_site_admin(request.user))
        )

    def changelist_view(self, request, extra_context=None):
        context = {"may_recover_deleted": self.may_recover(request)}
        return super().changelist_view(request, {**context, **(extra_context or {})})

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name=f"{info}_deleted",
            ),
            path(
                "deleted/<int:version_id>/",
                self.admin_site.admin_view(self.recover_view),
                name=f"{info}_recover",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/",
                self.admin_site.admin_view(self.restore_view),
                name=f"{info}_restore",
            ),
            *super().get_urls(),
        ]

    def _url(self, view, *args):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{view}", args=args)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        context = {}
        # Django's history_view answers for a missing or forbidden object; only the versions
        # of an object the user may see are looked up.
        if obj is not None and self.has_view_or_change_permission(request, obj):
            page = Paginator(versions_of(obj), VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
            context = {
                "versions_page": page,
                "may_restore": self.has_change_permission(request, obj),
                "restore_url_name": f"admin:{self.opts.app_label}_{self.opts.model_name}_restore",
            }
        return super().history_view(request, object_id, {**context, **(extra_context or {})})

    def restore_view(self, request, object_id, version_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(versions_of(obj), pk=version_id)
        history_url = self._url("history", quote(obj.pk))
        if request.method == "POST":
            problem = self._restore(request, obj, version, request.POST.get("edit_count"))
            if problem:
                self.message_user(request, problem, messages.ERROR)
                return redirect(request.path)
            self.message_user(
                request,
                gettext("The version of %(time)s was restored.") % {"time": recorded_at(version)},
                messages.SUCCESS,
            )
            return redirect(self._url("change", quote(obj.pk)))
        if not readable(version):
            self.message_user(request, UNREADABLE, messages.ERROR)
            return redirect(history_url)
        request.current_app = self.admin_site.name
        bounds = FormBounds(self, request, obj)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Restore an earlier version"),
            "subtitle": str(obj),
            "opts": self.opts,
            "object": obj,
            "version": version,
            "saved_at": recorded_at(version),
            "differences": differences(version, obj, bounds.field_names, bounds.visible),
            "history_url": history_url,
        }
        return TemplateResponse(request, self.restore_template, context)

    def _restore(self, request, obj, version, seen_edit_count):
        """Restore ``version`` of ``obj`` as the user compared it (at ``seen_edit_count``);
        returns what went wrong, or None."""
        model = type(obj)
        try:
            with transaction.atomic():
                current = model._default_manager.select_for_update().filter(pk=obj.pk).first()
                if current is None:
                    raise OutOfScopeError
                if hasattr(current, "edit_count") and str(current.edit_count) != seen_edit_count:
                    return CHANGED_SINCE_COMPARED
                bounds = FormBounds(self, request, current)
                restore(version, current)
                restored = model._default_manager.get(pk=obj.pk)
                relations = bounds.apply(restored)
                if not self.allows_restored(request, bounds.kept_relations, relations):
                    raise OutOfScopeError
                bounds.full_clean(restored)
                restored.save()
                for name, keys in relations.items():
                    getattr(restored, name).set(keys)
                self._check_still_managed(request, restored)
                self.log_change(
                    request,
                    restored,
                    gettext("Restored the version of %(time)s.") % {"time": recorded_at(version)},
                )
        except OutOfScopeError:
            return OUT_OF_SCOPE
        except ValidationError as error:
            return gettext("That version can no longer be restored: %(problems)s") % {
                "problems": " ".join(error.messages)
            }
        except (IntegrityError, ProtectedError, RevertError, DeserializationError):
            return gettext(
                "That version can no longer be restored: it refers to something that has "
                "been deleted since."
            )
        return None

    def _check_still_managed(self, request, obj):
        """The final state, relations included, must still be the user's to manage."""
        managed = self.get_queryset(request).filter(pk=obj.pk).first()
        if managed is None or not self.has_change_permission(request, managed):
            raise OutOfScopeError

    def deleted_view(self, request):
        if not self.may_recover(request):
            raise PermissionDenied
        candidates = [
            version
            for version in deleted_versions(self.model)[:DELETED_SCANNED]
            if readable(version)
        ]
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(name)s") % {"name": self.opts.verbose_name_plural},
            "opts": self.opts,
            "versions": self.recoverable(request, candidates)[:DELETED_LISTED],
            "listed": DELETED_LISTED,
        }
        return TemplateResponse(request, "admin/history/deleted_list.html", context)

    def recover_view(self, request, version_id):
        if not self.may_recover(request):
            raise PermissionDenied
        version = get_object_or_404(deleted_versions(self.model), pk=version_id)
        if not readable(version) or not self.recoverable(request, [version]):
            raise Http404
        deleted_url = self._url("deleted")
        if request.method == "POST":
            recovered, problem = self._recover(request, version)
            if problem:
                self.message_user(request, problem, messages.ERROR)
                return redirect(deleted_url)
            self.message_user(
                request,
                gettext("“%(object)s” was recovered.") % {"object": recovered},
                messages.SUCCESS,
            )
            return redirect(self._url("change", quote(recovered.pk)))
        request.current_app = self.admin_site.name
        bounds = FormBounds(self, request)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Recover a deleted %(name)s") % {"name": self.opts.verbose_name},
            "subtitle": version.object_repr,
            "opts": self.opts,
            "version": version,
            "saved_at": recorded_at(version),
            "fields": describe(version, bounds.field_names, bounds.visible),
            "deleted_url": deleted_url,
        }
        return TemplateResponse(request, "admin/history/recover.html", context)

    def _recover(self, request, version):
        """Recover the deleted object of ``version``; returns it, or what went wrong."""
        try:
            with transaction.atomic():
                bounds = FormBounds(self, request)
                pk = recover(version)
                recovered = self.model._default_manager.get(pk=pk)
                relations = bounds.apply(recovered)
                if not self.allows_restored(request, {}, relations):
                    raise OutOfScopeError
                bounds.full_clean(recovered)
                recovered.save()
                self._check_still_managed(request, recovered)
                self.log_change(request, recovered, gettext("Recovered after deletion."))
        except OutOfScopeError:
            return None, gettext(
                "That object lies outside what you may manage, so it was not recovered."
            )
        except ValidationError as error:
            return None, gettext("That object can no longer be recovered: %(problems)s") % {
                "problems": " ".join(error.messages)
            }
        except (IntegrityError, ProtectedError, RevertError, DeserializationError):
            return None, gettext(
                "That object can no longer be recovered: it refers to something that has "
                "been deleted since, or its name or address is taken by another."
            )
        return recovered, None
