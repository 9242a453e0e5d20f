"""Site-wide security helpers that settings refer to by name."""

from django.conf import settings


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
