"""Embeds (#20): the directory inside municipal and association websites.

``/embed/municipality/<slug>/``, ``/embed/places/?<the list's filters>`` and
``/embed/places/map/?<the same filters>`` are the public list, map and municipality pages
(the same views, filters and querysets) in a template without the site's header, navigation
and footer. They are the only pages that other sites may frame: ``EMBED_FRAME_ANCESTORS``
(any site by default) replaces the CSP's ``frame-ancestors 'none'`` and the
``X-Frame-Options: DENY`` is left out; every other page keeps refusing to be framed.

``EmbedBuilderForm`` is the admin's embed builder (``PlaceAdmin.embed_builder_view``): it turns
a municipality, audiences, a language and list or map into the embed's address, the
``<iframe>`` code and a plain link to the same places on the full site.
"""

from urllib.parse import urlencode

from csp.decorators import csp_replace
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_exempt

from places.models import Audience, Municipality
from places.views import MunicipalityDetailView, PlaceListView, PlaceMapView


class FrameableMixin:
    """Served to be framed by the sites of ``EMBED_FRAME_ANCESTORS`` (read per request, so
    that a change of the setting needs no code)."""

    def dispatch(self, request, *args, **kwargs):
        view = csp_replace({"frame-ancestors": list(settings.EMBED_FRAME_ANCESTORS)})(
            super().dispatch
        )
        return xframe_options_exempt(view)(request, *args, **kwargs)


class EmbedPlaceListView(FrameableMixin, PlaceListView):
    template_name = "embed/place_list.html"


class EmbedPlaceMapView(FrameableMixin, PlaceMapView):
    template_name = "embed/place_map.html"


class EmbedMunicipalityView(FrameableMixin, MunicipalityDetailView):
    template_name = "embed/municipality.html"


class EmbedBuilderForm(forms.Form):
    LIST, MAP = "list", "map"

    municipality = forms.ModelChoiceField(
        Municipality.objects.order_by("name_fi"),
        required=False,
        label=_("Municipality"),
        empty_label=_("All municipalities"),
    )
    audiences = forms.ModelMultipleChoiceField(
        Audience.objects.all(),
        required=False,
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        label=_("For whom"),
        help_text=_("None chosen: places for everyone."),
    )
    language = forms.ChoiceField(
        choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE, label=_("Language")
    )
    view = forms.ChoiceField(
        choices=[(LIST, _("List")), (MAP, _("Map"))],
        initial=LIST,
        widget=forms.RadioSelect,
        label=_("Show as"),
    )
    height = forms.IntegerField(
        min_value=300,
        max_value=2000,
        initial=600,
        label=_("Height in pixels"),
        help_text=_("The width follows the host page's column."),
    )

    def embed(self, absolute_uri):
        """The chosen embed: its absolute address, title, ``<iframe>`` code and a plain link
        to the same places on the full site. ``absolute_uri`` is the request's
        ``build_absolute_uri``."""
        data = self.cleaned_data
        municipality, audiences = data["municipality"], list(data["audiences"])
        query = urlencode(
            [
                *([("municipality", municipality.code)] if municipality else []),
                *(("audience", audience.slug) for audience in audiences),
            ]
        )
        with translation.override(data["language"]):
            if data["view"] == self.MAP:
                path, site_path = reverse("places:embed_map"), reverse("places:map")
            elif municipality and not audiences:
                path = reverse("places:embed_municipality", kwargs={"slug": municipality.slug})
                site_path, query = municipality.get_absolute_url(), ""
            else:
                path, site_path = reverse("places:embed_places"), reverse("places:list")
            if municipality:
                title = gettext("Meeting places in %(municipality)s") % {
                    "municipality": municipality.name
                }
            else:
                title = gettext("Meeting places")
            title = f"{title} – {gettext('Kohtaamispaikat')}"
        suffix = f"?{query}" if query else ""
        url, site_url = absolute_uri(path + suffix), absolute_uri(site_path + suffix)
        return {
            "url": url,
            "title": title,
            "height": data["height"],
            "iframe_code": format_html(
                '<iframe src="{}" title="{}" width="100%" height="{}" style="border: 0;" '
                'loading="lazy"></iframe>',
                url,
                title,
                data["height"],
            ),
            "site_url": site_url,
            "link_code": format_html('<a href="{}">{}</a>', site_url, title),
        }
