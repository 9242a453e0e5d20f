"""What the places pages show of the network, so that places need not import it (the way
djangoproject.com's home page pulls blog entries with ``{% get_latest_entries %}``)."""

from django import template

from network.models import Coordinator, Meeting

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
