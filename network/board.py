"""The notice board's services: the answer relay and expiry notices.

The poster's e-mail address leaves the database only as the recipient of a message sent by the
site; pages and feeds never show it. Answers carry the answerer's address as Reply-To, so the
poster's reply goes straight to them.
"""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, override

from kohtaamispaikat.core.public_forms import one_line
from network.models import Listing

# Per address and hour (kohtaamispaikat.core.public_forms): enough for a real person, too few
# for a spammer.
SUBMISSIONS_PER_HOUR = 5
ANSWERS_PER_HOUR = 10

# What a mail server that refuses or cannot be reached raises.
MAIL_ERRORS = (smtplib.SMTPException, OSError)
ANSWER_NOT_SENT = gettext_lazy(
    "Your answer could not be sent just now. Please try again in a few minutes: your text is "
    "still here."
)


def answers_so_far(count):
    """The line telling the poster how many answers their listing has had."""
    return ngettext(
        "This is the first answer to your listing.",
        "Your listing has had %(count)s answers so far, this one included.",
        count,
    ) % {"count": count}


def relay_answer(listing, *, name, email, message, listing_url):
    """E-mail an answer to the listing's poster, replying to the answerer, and count it; the
    message tells the poster how many answers they have had. Counted and sent in one
    transaction, so that an answer the mail server refused is not counted."""
    with transaction.atomic():
        Listing.objects.filter(pk=listing.pk).update(answer_count=F("answer_count") + 1)
        count = Listing.objects.values_list("answer_count", flat=True).get(pk=listing.pk)
        _send_answer(listing, count, name=name, email=email, message=message, url=listing_url)


def _send_answer(listing, count, *, name, email, message, url):
    with override("fi"):
        subject = one_line(_("Answer to your listing: %(title)s") % {"title": listing.title_fi})
        body = _(
            "%(name)s answered your listing “%(title)s” on the notice board:\n\n"
            "%(message)s\n\n"
            "Reply to this e-mail to answer %(name)s (%(email)s).\n"
            "The listing: %(url)s\n"
        ) % {
            "name": name,
            "title": listing.title_fi,
            "message": message,
            "email": email,
            "url": url,
        }
        body += "\n" + answers_so_far(count) + "\n"
    EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [listing.contact_email],
        reply_to=[email],
    ).send()


def answers_received(count):
    return ngettext("It received %(count)s answer.", "It received %(count)s answers.", count) % {
        "count": count
    }


def announce_expired(listing_url_for, today=None):
    """Tell the authors of approved listings that expired that they left the board; returns
    how many were told. A listing whose message fails is tried again on the next run."""
    told = 0
    for pk in Listing.objects.expired_unannounced(today).values_list("pk", flat=True):
        with transaction.atomic():
            listing = (
                Listing.objects.expired_unannounced(today).select_for_update().filter(pk=pk).first()
            )
            if listing is None:  # told meanwhile by another run
                continue
            with override("fi"):
                subject = one_line(
                    _("Your listing has expired: %(title)s") % {"title": listing.title_fi}
                )
                body = _(
                    "Your listing “%(title)s” was valid until %(date)s and is no longer shown "
                    "on the notice board.\n\n"
                    "If it is still current, post it again with a new date: %(url)s\n"
                ) % {
                    "title": listing.title_fi,
                    "date": listing.valid_until.strftime("%d.%m.%Y"),
                    "url": listing_url_for(listing),
                }
                body += "\n" + answers_received(listing.answer_count) + "\n"
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [listing.contact_email]).send()
            listing.expiry_notified_at = timezone.now()
            listing.save(update_fields=["expiry_notified_at"])
            told += 1
    return told
