"""Residents' correction suggestions (#16): who is told, and the answer to the resident.

A suggestion is stored first and told afterwards: a mail server that refuses loses no
suggestion (it is in the admin all the same) and never shows the resident an error.
"""

import logging
import smtplib

from django.db import transaction
from django.utils import timezone, translation

from kohtaamispaikat.core.mail import absolute_url, preferred_language, send_message
from kohtaamispaikat.core.public_forms import one_line
from places.models import Suggestion
from places.roles import place_keepers

logger = logging.getLogger(__name__)

MAIL_ERRORS = (smtplib.SMTPException, OSError)


def tell_keepers(suggestion):
    """E-mail the place's staff and the region's coordinators, each in their language.
    Returns how many were told."""
    place = suggestion.place
    told = 0
    for user in place_keepers(place):
        context = {
            "place_name": one_line(place.name),
            "kind": Suggestion.Kind(suggestion.kind).label,  # lazy: in each recipient's language
            "text": suggestion.text,
            "handle_url": absolute_url(suggestion.admin_url()),
        }
        try:
            send_message("suggestion_received", context, [user.email], preferred_language(user))
        except MAIL_ERRORS:
            logger.exception("Could not tell %s of suggestion %s", user.pk, suggestion.pk)
            continue
        told += 1
    return told


def handle(suggestion, *, status, user, note=""):
    """Accept or reject ``suggestion``: recorded, then the resident answered if they left an
    address. Returns whether an answer was sent."""
    handled_at = timezone.now()
    with transaction.atomic():
        # Only an open suggestion: of two people handling it at once, the first one counts.
        handled = (
            Suggestion.objects.open()
            .filter(pk=suggestion.pk)
            .update(status=status, handled_by=user, handled_at=handled_at, note=note)
        )
    if not handled:
        suggestion.refresh_from_db()
        return False
    suggestion.status, suggestion.handled_by, suggestion.handled_at, suggestion.note = (
        status,
        user,
        handled_at,
        note,
    )
    if not suggestion.email:
        return False
    with translation.override(suggestion.language):
        place_url = absolute_url(suggestion.place.get_absolute_url())
    context = {
        "place_name": one_line(suggestion.place.name),
        "place_url": place_url,
        "accepted": status == Suggestion.Status.ACCEPTED,
        "note": note,
    }
    try:
        send_message("suggestion_answer", context, [suggestion.email], suggestion.language)
    except MAIL_ERRORS:
        logger.exception("Could not answer suggestion %s", suggestion.pk)
        return False
    return True
