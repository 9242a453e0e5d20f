"""Sitemaps of the public pages, in every language (``i18n``) with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from places.models import Municipality, Place, SubRegion, WellbeingCounty


class LocalizedSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # Each address carries its translations, so a page of the default 50,000 would be slow to
    # build and huge; the sitemap index lists the pages.
    limit = 1000


def localized(sitemap_class):
    """``sitemap_class`` (of another app) in every language, with alternates."""
    return type(sitemap_class.__name__, (LocalizedSitemap, sitemap_class), {})


class PlaceSitemap(LocalizedSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Place.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, place):
        return place.updated_at

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class MunicipalitySitemap(LocalizedSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Municipality.objects.filter(places__is_published=True).distinct().order_by("code")


class SubRegionSitemap(LocalizedSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return (
            SubRegion.objects.filter(municipalities__places__is_published=True)
            .distinct()
            .order_by("code")
        )


class WellbeingCountySitemap(LocalizedSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return (
            WellbeingCounty.objects.filter(municipalities__places__is_published=True)
            .distinct()
            .order_by("code")
        )


class StaticPageSitemap(LocalizedSitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return [
            "places:home",
            "places:list",
            "places:map",
            "places:municipalities",
            "places:open_data",
        ]

    def location(self, url_name):
        return reverse(url_name)
