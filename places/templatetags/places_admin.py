"""Template tags of the places admin's own pages."""

from django import template
from django.urls import reverse

from places.dashboard import may_see_dashboard

register = template.Library()


@register.simple_tag(takes_context=True)
def region_dashboard_url(context):
    """The address of the regions' dashboard for coordinators and site admins, else ""."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not may_see_dashboard(user):
        return ""
    return reverse("admin:places_dashboard")
