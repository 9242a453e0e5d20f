"""The Service Catalogue (PTV) import in the places admin: choose a municipality, see a preview
of what the import would do, confirm.

The pages read for the preview wait in the session, so the confirmation imports exactly the
data that was previewed; the preview's digest (places.ptv.PtvReport.digest) makes the
confirmation refuse, saving nothing, if the import would now do anything else (a place edited
or imported meanwhile).
"""

import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from places.forms import PtvImportForm
from places.ptv import PtvError, fetch_pages, import_ptv

PTV_SESSION_KEY = "places_ptv_import"


class PtvImportAdminMixin:
    """Adds ``import-ptv/`` to PlaceAdmin; needs its ``scope_of``-like ``ptv_scope``."""

    def ptv_import_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "import-ptv/",
                self.admin_site.admin_view(self.ptv_import_view),
                name=f"{info}_import_ptv",
            )
        ]

    def may_import_ptv(self, request):
        return self.has_change_permission(request) and self.ptv_scope(request).may_import_ptv

    def ptv_import_view(self, request):
        if not self.may_import_ptv(request):
            raise PermissionDenied
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm_ptv_import(request)
        submitted = (request.POST,) if request.method == "POST" else ()
        form = PtvImportForm(*submitted, scope=self.ptv_scope(request))
        if form.is_valid():
            municipality = form.cleaned_data["municipality"]
            try:
                pages = fetch_pages(municipality.code, settings.PTV_API_URL)
            except PtvError as error:
                form.add_error(None, str(error))
            else:
                return self._preview_ptv_import(request, form, pages)
        return self._render_ptv(request, "admin/places/place/ptv_import_form.html", form=form)

    def _import_options(self, request, municipality, organization, ptv_organization):
        return {
            "municipality": municipality,
            "organization": ptv_organization,
            "into": organization,
            "user": request.user,
            "scope": self.ptv_scope(request),
        }

    def _preview_ptv_import(self, request, form, pages):
        data = form.cleaned_data
        municipality, into = data["municipality"], data["organization"]
        ptv_organization = str(data["ptv_organization"]) if data["ptv_organization"] else None
        report = import_ptv(
            pages,
            dry_run=True,
            **self._import_options(request, municipality.code, into, ptv_organization),
        )
        token = ""
        if report.ok:
            token = secrets.token_urlsafe(16)
            request.session[PTV_SESSION_KEY] = {
                "token": token,
                "pages": pages,
                "municipality": municipality.code,
                "into": into.pk if into else None,
                "organization": ptv_organization,
                "digest": report.digest(),
            }
        return self._render_ptv(
            request,
            "admin/places/place/ptv_import_preview.html",
            report=report,
            token=token,
            municipality=municipality,
        )

    def _confirm_ptv_import(self, request):
        pending = request.session.get(PTV_SESSION_KEY)
        if not pending or pending["token"] != request.POST.get("token"):
            self.message_user(
                request,
                _("This import has expired or was already done. Preview it again."),
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:places_place_import_ptv"))
        del request.session[PTV_SESSION_KEY]
        scope = self.ptv_scope(request)
        # Checked again: the user's regions may have changed since the preview.
        if not scope.ptv_municipalities().filter(code=pending["municipality"]).exists():
            raise PermissionDenied
        into = None
        if pending["into"] is not None:
            into = scope.organizations().filter(pk=pending["into"]).first()
            if into is None:
                raise PermissionDenied
        report = import_ptv(
            pending["pages"],
            expected=pending["digest"],
            **self._import_options(request, pending["municipality"], into, pending["organization"]),
        )
        if not report.saved:
            self.message_user(
                request,
                _(
                    "Meeting places changed after the preview, so nothing was imported. "
                    "Preview the import again to see what it would do now."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:places_place_import_ptv"))
        self.message_user(request, report.summary(), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:places_place_changelist"))

    def _render_ptv(self, request, template, **context):
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Import meeting places from the Suomi.fi Service Catalogue (PTV)"),
                "changelist_url": reverse("admin:places_place_changelist"),
                **context,
            },
        )
