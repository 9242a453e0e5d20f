"""History pages of the admin, and restoring an earlier version (see kohtaamispaikat.history).

Every view starts from ``get_object``, the admin's scoped queryset: an object the user may not
manage answers exactly like a missing one, and so do its versions.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.base import DeserializationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.errors import RevertError

from kohtaamispaikat.history import (
    deleted_versions,
    describe,
    differences,
    record_baselines,
    record_versions,
    recover,
    restore,
    versions_of,
)
from places.roles import is_site_admin

VERSIONS_PER_PAGE = 50
# The deleted objects listed for recovery, newest first; older ones are restored from a backup.
DELETED_LISTED = 200
DELETED_COMMENT = _("Deleted.")


class OutOfScopeError(Exception):
    """The restored object is not one the user may manage."""


def saved_at(version):
    return formats.date_format(
        timezone.localtime(version.revision.date_created), "SHORT_DATETIME_FORMAT"
    )


class HistoryAdmin(admin.ModelAdmin):
    """Records a version at every save of the admin and lets users with the right to change an
    object restore one of its versions."""

    object_history_template = "admin/history/object_history.html"
    restore_template = "admin/history/restore.html"

    def save_model(self, request, obj, form, change):
        if change:
            record_baselines([type(obj)._default_manager.get(pk=obj.pk)])
        super().save_model(request, obj, form, change)

    # Django logs a save once the object and its inlines are all saved: the moment to record.
    # The comment is the log's message as stored, which reversion shows in the reader's language.
    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        record_versions([obj], user=request.user, comment=entry.change_message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        record_versions([obj], user=request.user, comment=entry.change_message)
        return entry

    def delete_model(self, request, obj):
        # The state at deletion, with the rows it takes along, is what recovery brings back.
        record_versions([obj], user=request.user, comment=DELETED_COMMENT)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        record_versions(queryset, user=request.user, comment=DELETED_COMMENT)
        super().delete_queryset(request, queryset)

    def recoverable(self, request, versions):
        """Those of the deleted objects' ``versions`` the user may recover: site admins all;
        admins that give others recovery say which."""
        return versions if is_site_admin(request.user) else []

    def may_recover(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

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
        history_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[quote(obj.pk)]
        )
        if request.method == "POST":
            problem = self._restore(request, obj, version)
            if problem:
                self.message_user(request, problem, messages.ERROR)
                return redirect(history_url)
            self.message_user(
                request,
                gettext("The version of %(time)s was restored.") % {"time": saved_at(version)},
                messages.SUCCESS,
            )
            return redirect(
                reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                    args=[quote(obj.pk)],
                )
            )
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "title": _("Restore an earlier version"),
            "subtitle": str(obj),
            "opts": self.opts,
            "object": obj,
            "version": version,
            "saved_at": saved_at(version),
            "differences": differences(version, obj),
            "history_url": history_url,
        }
        return TemplateResponse(request, self.restore_template, context)

    def _restore(self, request, obj, version):
        """Restore ``version`` of ``obj``; returns what went wrong, or None."""
        try:
            with transaction.atomic():
                restore(version, obj)
                restored = self.get_queryset(request).filter(pk=obj.pk).first()
                if restored is None or not self.has_change_permission(request, restored):
                    raise OutOfScopeError
                if hasattr(obj, "edit_count"):
                    # Counted on from the saved count, so forms opened before go stale.
                    restored.edit_count = obj.edit_count
                restored.save()
                self.log_change(
                    request,
                    restored,
                    gettext("Restored the version of %(time)s.") % {"time": saved_at(version)},
                )
        except OutOfScopeError:
            return gettext(
                "That version lies outside what you may manage (another organisation or "
                "region, say), so it was not restored."
            )
        except (IntegrityError, ProtectedError, RevertError, DeserializationError):
            return gettext(
                "That version can no longer be restored: it refers to something that has "
                "been deleted since."
            )
        return None

    def deleted_view(self, request):
        if not self.may_recover(request):
            raise PermissionDenied
        candidates = deleted_versions(self.model)[:DELETED_LISTED]
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(name)s") % {"name": self.opts.verbose_name_plural},
            "opts": self.opts,
            "versions": self.recoverable(request, list(candidates)),
            "listed": DELETED_LISTED,
        }
        return TemplateResponse(request, "admin/history/deleted_list.html", context)

    def recover_view(self, request, version_id):
        if not self.may_recover(request):
            raise PermissionDenied
        version = get_object_or_404(deleted_versions(self.model), pk=version_id)
        if not self.recoverable(request, [version]):
            raise Http404
        deleted_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_deleted")
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
            return redirect(
                reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                    args=[quote(recovered.pk)],
                )
            )
        request.current_app = self.admin_site.name
        context = {
            **self.admin_site.each_context(request),
            "title": _("Recover a deleted %(name)s") % {"name": self.opts.verbose_name},
            "subtitle": version.object_repr,
            "opts": self.opts,
            "version": version,
            "saved_at": saved_at(version),
            "fields": describe(version),
            "deleted_url": deleted_url,
        }
        return TemplateResponse(request, "admin/history/recover.html", context)

    def _recover(self, request, version):
        """Recover the deleted object of ``version``; returns it, or what went wrong."""
        try:
            with transaction.atomic():
                pk = recover(version)
                recovered = self.get_queryset(request).filter(pk=pk).first()
                if recovered is None or not self.has_change_permission(request, recovered):
                    raise OutOfScopeError
                recovered.save()
                self.log_change(request, recovered, gettext("Recovered after deletion."))
        except OutOfScopeError:
            return None, gettext(
                "That object lies outside what you may manage, so it was not recovered."
            )
        except (IntegrityError, ProtectedError, RevertError, DeserializationError):
            return None, gettext(
                "That object can no longer be recovered: it refers to something that has "
                "been deleted since, or its name or address is taken by another."
            )
        return recovered, None
