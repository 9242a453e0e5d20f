import sys

from django.db import InterfaceError, OperationalError
from django.http import (
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kohtaamispaikat.core.health import site_state


@require_safe
@never_cache
def healthz(request):
    """The state of the database (ok, read-only, unmigrated, down), the cache and e-mail as
    JSON, for load balancers (the status code) and monitoring (the body); see site_state."""
    state, status = site_state()
    return JsonResponse(state, status=status)


@require_safe
def favicon(request):
    """Browsers and feed readers ask for /favicon.ico whatever the page says: the site's icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def server_error(request):
    """handler500: a lost database connection is a temporary outage (503, try again), anything
    else a plain 500. Django calls this inside its exception handler, so the exception is at hand.
    Both pages are standalone templates: rendering them must not need the database."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
    else:
        response = HttpResponseServerError(render_to_string("500.html"))
    patch_cache_control(response, no_store=True)
    return response
