"""Site-wide security helpers that settings refer to by name."""

from django.conf import settings
from django.core.exceptions import BadRequest


def client_ip_address(request):
    """The address django-axes counts sign-in failures for.

    Behind a TLS-terminating proxy (DJANGO_BEHIND_PROXY=1) every request comes from the proxy,
    which appends the real client to X-Forwarded-For: its last entry is the one a client cannot
    forge. Elsewhere the header is ignored, for then any client could set it.
    """
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


class RejectNullCharactersMiddleware:
    """Answers 400 to a query string holding a NUL character.

    No form or link ever sends one, PostgreSQL refuses it in any text (a 500 wherever a view
    filters on a raw parameter), and form fields already refuse it in posted data.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        texts = (text for key, values in request.GET.lists() for text in (key, *values))
        if any("\x00" in text for text in texts):
            raise BadRequest("A query parameter holds a NUL character.")
        return self.get_response(request)
