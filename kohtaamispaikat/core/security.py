"""Site-wide security helpers that settings refer to by name: whose address a sign-in comes
from, and django-axes' handler with a ceiling per username across addresses."""

import ipaddress
import logging
from datetime import timedelta
from smtplib import SMTPException

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessFailureLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from kohtaamispaikat.core.mail import absolute_url, preferred_language, send_message

logger = logging.getLogger("kohtaamispaikat.security")


def client_ip_address(request):
    """The address django-axes counts sign-in failures for.

    Behind a TLS-terminating proxy (DJANGO_BEHIND_PROXY=1) every request comes from the proxy,
    which appends the real client to X-Forwarded-For: its last (right-most) entry is the only
    one a client cannot forge; the ones before it are whatever the client sent. Elsewhere the
    header is ignored, for then any client could set it.
    """
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            pass  # no header, or not an address: the proxy's own address is all we know
    return request.META.get("REMOTE_ADDR")


def username_failures(username, window=None):
    """Failed sign-ins with ``username`` in the last ``window``, from any address."""
    window = window or settings.AXES_USERNAME_WINDOW
    since = timezone.now() - window
    return AccessFailureLog.objects.filter(username=username, attempt_time__gte=since).count()


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler, which locks out one username at one address, plus a
    ceiling for the username whatever the address: AXES_USERNAME_FAILURE_LIMIT failures within
    AXES_USERNAME_WINDOW lock the username out until fewer remain in the window, and the
    account's owner is told by e-mail, once, when the ceiling is reached. Rotating addresses
    (or a forged X-Forwarded-For behind a mis-set proxy setting) no longer buys fresh tries."""

    def is_locked(self, request, credentials=None):
        if super().is_locked(request, credentials):
            return True
        return self._over_username_ceiling(request, credentials)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None:
            return
        username = get_client_username(request, credentials)
        if not username:
            return
        failures = username_failures(username)
        if failures >= settings.AXES_USERNAME_FAILURE_LIMIT:
            request.axes_locked_out = True
            request.axes_credentials = credentials
            request.username_locked_out = True
        if failures == settings.AXES_USERNAME_FAILURE_LIMIT:
            logger.warning(
                "Sign-in locked for username %r after %d failures from %d addresses.",
                username,
                failures,
                AccessFailureLog.objects.filter(username=username)
                .values("ip_address")
                .distinct()
                .count(),
            )
            tell_owner(username, failures)

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False):
        """``axes_reset_username NAME`` lifts the username's ceiling too: the failures in its
        window are what hold it, so they leave the log."""
        count = super().reset_attempts(
            ip_address=ip_address, username=username, ip_or_username=ip_or_username
        )
        if username:
            since = timezone.now() - settings.AXES_USERNAME_WINDOW
            AccessFailureLog.objects.filter(username=username, attempt_time__gte=since).delete()
        return count

    def _over_username_ceiling(self, request, credentials):
        username = get_client_username(request, credentials)
        if not username:
            return False
        if username_failures(username) >= settings.AXES_USERNAME_FAILURE_LIMIT:
            request.username_locked_out = True
            return True
        return False


def tell_owner(username, failures):
    """E-mail the account's owner that their username is being guessed at. A mail server that
    refuses must not turn the sign-in page into an error: logged instead."""
    user = get_user_model().objects.filter(username=username).exclude(email="").first()
    if user is None:
        return
    context = {
        "user": user,
        "failures": failures,
        "window_minutes": int(settings.AXES_USERNAME_WINDOW / timedelta(minutes=1)),
        "sign_in_url": absolute_url(reverse("admin:login")),
    }
    try:
        send_message("lockout", context, [user.email], preferred_language(user))
    except (OSError, SMTPException):
        logger.exception("Could not tell %s about the failed sign-ins.", username)
