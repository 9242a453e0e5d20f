from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404
from django.urls import include, path, re_path
from django.views.defaults import page_not_found

from kohtaamispaikat.core.accounts import password_reset_urls
from kohtaamispaikat.core.admin_autocomplete import LabelledAutocompleteJsonView
from kohtaamispaikat.core.views import favicon, healthz
from network.sitemaps import MeetingSitemap, PracticeSitemap
from places.sitemaps import (
    MunicipalitySitemap,
    PlaceSitemap,
    StaticPageSitemap,
    SubRegionSitemap,
    WellbeingCountySitemap,
    localized,
)
from places.views import robots_txt

handler500 = "kohtaamispaikat.core.views.server_error"

sitemaps = {
    "pages": StaticPageSitemap,
    "places": PlaceSitemap,
    "municipalities": MunicipalitySitemap,
    "subregions": SubRegionSitemap,
    "counties": WellbeingCountySitemap,
    "meetings": localized(MeetingSitemap),
    "practices": localized(PracticeSitemap),
}

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", robots_txt, name="robots"),
    path("favicon.ico", favicon, name="favicon"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps},
        name="sitemap-section",
    ),
]

urlpatterns += i18n_patterns(
    # The admin's "view on site" redirect resolves any object id to its public address, so staff
    # could learn of another organisation's unpublished place through it; the public pages link
    # to themselves, so the shortcut is simply not served.
    re_path(r"^admin/r/", page_not_found, {"exception": Http404()}),
    # Before the admin's own autocomplete address, which it replaces (core/admin_autocomplete.py).
    path(
        "admin/autocomplete/",
        admin.site.admin_view(LabelledAutocompleteJsonView.as_view(admin_site=admin.site)),
    ),
    # Setting a first or forgotten password from an e-mailed link, before the admin's own paths.
    *password_reset_urls(),
    # In every language: /admin/ in Finnish, /sv/admin/ and /en/admin/.
    path("admin/", admin.site.urls),
    path("", include("places.urls")),
    path("network/", include("network.urls")),
    prefix_default_language=False,
)
