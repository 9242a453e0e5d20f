from django.contrib.sitemaps import Sitemap

from network.models import GoodPractice, Meeting


class MeetingSitemap(Sitemap):
    """The pages of public meetings (cancelled and postponed ones stay public); never drafts."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Meeting.objects.public().order_by("-start", "-pk")

    def lastmod(self, meeting):
        return meeting.updated_at


class PracticeSitemap(Sitemap):
    """Published good practices; never drafts."""

    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return GoodPractice.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, practice):
        return practice.updated_at
