"""The site admin's page for one person's data: find it by e-mail address, download it as
JSON (GDPR article 15) or erase it (article 17, pseudonymised; see core/personal_data.py)."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kohtaamispaikat.core.personal_data import erase_person, export_person, has_personal_data
from kohtaamispaikat.core.roles import is_site_admin


class PersonForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address of the person"))


class EraseForm(PersonForm):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I have checked that this is the person who asked, and want their data erased."
        )
    )


def personal_data_view(request, admin_site):
    if not is_site_admin(request.user):
        raise PermissionDenied
    context = {**admin_site.each_context(request), "title": _("One person's data")}
    if request.method == "POST":
        action = request.POST.get("action")
        form = (EraseForm if action == "erase" else PersonForm)(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            if action == "export":
                return _download(email)
            if action == "erase":
                counts = erase_person(email)
                messages.success(
                    request,
                    _(
                        "Erased: %(accounts)d accounts, %(records)d records and %(versions)d "
                        "recorded versions now carry a pseudonym instead of the person's data."
                    )
                    % counts,
                )
                return redirect(request.path)
        context.update(form=form, erase_form=EraseForm(initial=request.POST))
        return TemplateResponse(request, "admin/personal_data.html", context, status=400)
    form = PersonForm(request.GET or None)
    context["form"] = form
    if form.is_valid():
        email = form.cleaned_data["email"]
        context.update(
            found=export_person(email) if has_personal_data(email) else None,
            searched=email,
            erase_form=EraseForm(initial={"email": email}),
        )
    return TemplateResponse(request, "admin/personal_data.html", context)


def _download(email):
    document = json.dumps(export_person(email), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    response = HttpResponse(document, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
    response["Cache-Control"] = "no-store"
    return response
