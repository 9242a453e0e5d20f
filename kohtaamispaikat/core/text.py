"""Control characters in stored text: normalised on the way in, never written to XML.

People paste from word processors: Word's Shift+Enter is a vertical tab (``\\x0b``), a page
break a form feed, and copied text can carry escape or C1 characters. XML 1.0 forbids most of
them (Django's feed writer raises on them), calendars and spreadsheets choke on them, and no one
means them. ``normalise_text`` is the one rule, used when content is saved (every text field of
an app's models, see ``connect_normalisation``), by the CSV import and by the Atom feeds.
"""

import re

from django.db import models
from django.db.models.signals import pre_save
from django.utils import feedgenerator

# Characters that end a line in some program: a newline in text that may have several lines,
# a space in a one-line field (a name, an address).
LINE_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# The other C0 and C1 control characters and DEL; tab, newline and carriage return stay.
CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def normalise_text(value, multiline=True):
    """``value`` with line-break characters as newlines (as spaces unless ``multiline``) and
    every other control character but tab, newline and carriage return removed."""
    if not isinstance(value, str):
        return value
    value = LINE_BREAKS.sub("\n" if multiline else " ", value)
    return CONTROL.sub("", value)


def normalise_text_fields(instance):
    """Normalise the text of every character and text field of ``instance`` in place."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            multiline = isinstance(field, models.TextField)
            setattr(instance, field.attname, normalise_text(value, multiline))


def _normalise_before_save(sender, instance, raw=False, **kwargs):
    # raw: a backup or fixture being loaded is restored exactly as it was written.
    if not raw:
        normalise_text_fields(instance)


def connect_normalisation(models_to_normalise):
    for model in models_to_normalise:
        pre_save.connect(
            _normalise_before_save,
            sender=model,
            dispatch_uid=f"normalise-text-{model._meta.label}",
        )


def _xml_safe(value):
    if isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe(item) for item in value)
    return value


class Atom1Feed(feedgenerator.Atom1Feed):
    """Django's Atom feed, with the text of the feed and its entries normalised: a control
    character stored before normalisation existed (or by a bulk update) must not take the
    feed down for everyone (Django's XML writer refuses them with an exception)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_xml_safe, args), **{k: _xml_safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_xml_safe, args), **{k: _xml_safe(v) for k, v in kwargs.items()})
