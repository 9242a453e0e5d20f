"""E-mail in the recipient's language, as plain text and HTML, with the site's name and a link.

A message is three templates under ``templates/email/``: ``NAME_subject.txt``, ``NAME.txt`` and
``NAME.html`` (the HTML ones extend ``email/base.html``). Each is rendered with the language
switched to the recipient's, so ``{% translate %}`` and dates come out in it.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from kohtaamispaikat.core.models import UserProfile

__all__ = ["absolute_url", "build_message", "preferred_language", "send_message"]


def preferred_language(user):
    """The language ``user`` reads the site's e-mail in; the site's default without a choice."""
    languages = dict(settings.LANGUAGES)
    try:
        language = user.profile.language
    except UserProfile.DoesNotExist:
        return settings.LANGUAGE_CODE
    return language if language in languages else settings.LANGUAGE_CODE


def absolute_url(path):
    """``path`` on the site (SITE_URL): e-mails have no request to build addresses from."""
    return f"{settings.SITE_URL}{path}"


def build_message(template, context, to, language, reply_to=None):
    """The message ``template`` for the addresses ``to``, written in ``language``."""
    with translation.override(language):
        context = {
            "site_name": settings.SITE_NAME,
            "site_url": absolute_url(
                "/" if language == settings.LANGUAGE_CODE else f"/{language}/"
            ),
            "language": language,
            **context,
        }
        # A subject is one line: a template's trailing newline or a stray line break in a
        # name would otherwise end up as a header injection attempt that Django refuses.
        subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
        text = render_to_string(f"email/{template}.txt", context)
        html = render_to_string(f"email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=reply_to,
    )
    message.attach_alternative(html, "text/html")
    return message


def send_message(template, context, to, language, reply_to=None, connection=None):
    """Build and send; raises if the mail server refuses (callers decide what that means)."""
    message = build_message(template, context, to, language, reply_to=reply_to)
    message.connection = connection
    return message.send(fail_silently=False)
