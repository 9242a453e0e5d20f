"""What the places pages show of the network, so that places need not import it (the way
djangoproject.com's home page pulls blog entries with ``{% get_latest_entries %}``)."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from network.models import Coordinator, Listing, Meeting

register = template.Library()


@register.simple_tag
def upcoming_meetings(limit):
    """The next ``limit`` public network meetings: ``{% upcoming_meetings 3 as meetings %}``."""
    return Meeting.objects.public().upcoming()[:limit]


@register.simple_tag
def coordinators_for(municipality):
    """The published coordinators of ``municipality`` and of its whole region:
    ``{% coordinators_for municipality as coordinators %}``."""
    return Coordinator.objects.published().for_municipality(municipality)


@register.simple_tag
def coordinators_for_area(municipalities):
    """The published coordinators of any of ``municipalities`` or of their regions (a
    sub-region's or a county's page): ``{% coordinators_for_area municipalities as c %}``."""
    return Coordinator.objects.published().for_municipalities(municipalities)


OPEN_LISTINGS_SHOWN = 10


@register.simple_tag
def open_listings_for(municipality):
    """The notice board's open listings concerning ``municipality`` (two queries):
    ``{% open_listings_for municipality as listings %}``."""
    return (
        Listing.objects.on_board()
        .filter(pk__in=municipality.listings.values("pk"))
        .prefetch_related("municipalities")[:OPEN_LISTINGS_SHOWN]
    )


@register.simple_tag(takes_context=True)
def network_datasets(context):
    """The network's open datasets for the open-data page, each a dict like places'
    (``places.open_data.dataset``): ``{% network_datasets as datasets %}``. Two queries."""
    request = context["request"]
    absolute = request.build_absolute_uri
    meetings = Meeting.objects.public().count()
    listings = Listing.objects.on_board().count()
    meetings_size = ngettext("%(count)s meeting", "%(count)s meetings", meetings) % {
        "count": meetings
    }
    return [
        {
            "name": _("Network meetings (Atom)"),
            "format": "Atom 1.0",
            "media_type": "application/atom+xml",
            "url": absolute(reverse("network:feed")),
            "size": _("the 50 latest of %(size)s") % {"size": meetings_size},
            "documentation": "https://www.rfc-editor.org/rfc/rfc4287",
            "documentation_label": "RFC 4287",
        },
        {
            "name": _("Network meetings (iCalendar)"),
            "format": "iCalendar",
            "media_type": "text/calendar",
            "url": absolute(reverse("network:ics")),
            "size": meetings_size,
            "documentation": "https://www.rfc-editor.org/rfc/rfc5545",
            "documentation_label": "RFC 5545",
        },
        {
            "name": _("Meeting pages (schema.org Event, JSON-LD)"),
            "format": "JSON-LD",
            "media_type": "application/ld+json",
            "url": absolute(reverse("network:meetings")),
            "size": meetings_size,
            "documentation": "https://schema.org/Event",
            "documentation_label": "schema.org/Event",
        },
        {
            "name": _("Notice board (Atom)"),
            "format": "Atom 1.0",
            "media_type": "application/atom+xml",
            "url": absolute(reverse("network:board_feed")),
            "size": ngettext("%(count)s listing", "%(count)s listings", listings)
            % {"count": listings},
            "documentation": "https://www.rfc-editor.org/rfc/rfc4287",
            "documentation_label": "RFC 4287",
        },
    ]
