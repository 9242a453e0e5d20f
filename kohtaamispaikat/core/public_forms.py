"""Abuse resistance for the forms anyone may send without an account (#16, #18).

One piece shared by every public form (the notice board's listings and answers, residents'
correction suggestions, associations joining): a honeypot field, a plain-text validator, one-line
header text, and rate limits kept in Django's cache without any third-party service:

- per address (``client_ip_address``, the same address django-axes counts; for IPv6 its /64
  network, which one subscriber gets whole and can rotate through freely): a person sends a few
  an hour, a script from one address is stopped;
- overall (``PUBLIC_FORMS_PER_HOUR`` per form, from the environment): many addresses at once
  get a polite "too many submissions right now" instead of filling the inboxes of the staff.

CSRF comes from Django's middleware; length limits are each form's ``max_length``.
"""

import ipaddress

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from kohtaamispaikat.core.security import client_ip_address

__all__ = [
    "HTML_NOT_ALLOWED",
    "HoneypotMixin",
    "RATE_PERIOD",
    "SlotRefused",
    "one_line",
    "sender_key",
    "reject_html",
    "take_submission_slot",
]

RATE_PERIOD = 60 * 60  # seconds: the limits count per hour

HTML_NOT_ALLOWED = _("Write plain text: HTML tags are not allowed.")


def reject_html(value):
    """A validator: text that loses anything to ``strip_tags`` held markup and is refused, so
    that no stored text can carry HTML into a page, an e-mail or an export."""
    if strip_tags(value) != value:
        raise ValidationError(HTML_NOT_ALLOWED, code="html")


def one_line(text):
    """Header text (a subject, a name) on one line: no line break can start a header of its own."""
    return " ".join(str(text).split())


class HoneypotMixin(forms.Form):
    """A field people never see or fill in; the form is a bot's when it is filled."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_bot(self):
        return bool(self.data.get("website"))


class SlotRefused:
    """Why a submission was not taken, and what the sender is told."""

    def __init__(self, reason, message):
        self.reason = reason
        self.message = message

    def __repr__(self):
        return f"SlotRefused({self.reason!r})"


SlotRefused.ADDRESS = SlotRefused(
    "address",
    _("Too many messages have been sent from your address. Please try again in an hour."),
)
SlotRefused.EVERYONE = SlotRefused(
    "everyone",
    _("There are too many submissions right now. Please try again in a while: nothing was sent."),
)


def _take(key, limit):
    """Count one use of ``key`` in this hour; False once ``limit`` is used up."""
    if cache.add(key, 1, RATE_PERIOD):
        return limit >= 1
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between the two calls
        cache.add(key, 1, RATE_PERIOD)
        return limit >= 1


def sender_key(address):
    """What the per-address limit counts: an IPv4 address, or the /64 network of an IPv6 one
    (an IPv4 address written as IPv6 is the IPv4 address)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def take_submission_slot(request, action, per_address, overall=None):
    """Count one ``action`` from the request's address and one for everyone.

    Returns None when the submission may go on, else the ``SlotRefused`` reason. ``overall``
    defaults to the ``PUBLIC_FORMS_PER_HOUR`` setting; a refusal by address does not use up a
    slot of everyone's.
    """
    if overall is None:
        overall = settings.PUBLIC_FORMS_PER_HOUR
    address = sender_key(client_ip_address(request) or "")
    if not _take(f"public-form:{action}:address:{address}", per_address):
        return SlotRefused.ADDRESS
    if not _take(f"public-form:{action}:everyone", overall):
        return SlotRefused.EVERYONE
    return None
