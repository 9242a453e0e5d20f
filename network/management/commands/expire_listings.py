"""Tell the authors of listings that have expired that they left the notice board.

Run daily (from cron, beside the reminders). The board hides an expired listing by itself; this
command only sends the notices, once per listing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils.translation import gettext as _

from network.board import announce_expired

# Where mails point when the settings name no site address (development).
DEVELOPMENT_SITE_URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = _("E-mail the authors of expired notice-board listings.")

    def handle(self, *args, **options):
        site_url = getattr(settings, "SITE_URL", DEVELOPMENT_SITE_URL).rstrip("/")

        def renewal_url(listing):
            if listing.posted_by_id:
                return site_url + reverse("admin:network_listing_change", args=[listing.pk])
            return site_url + reverse("network:listing_submit")

        told = announce_expired(renewal_url)
        self.stdout.write(_("%(count)d authors told of expired listings.") % {"count": told})
