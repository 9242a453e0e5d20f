"""Finnish morphology from Voikko, when it is installed (README: "Finnish search with Voikko").

Search (places.search) uses a query word's base forms ("kahviloissa" → "kahvila") and a
compound's parts ("perhekahvila" → perhe, kahvila); without Voikko it relies on stems, prefixes
and trigrams alone. Voikko needs the C library and the Finnish dictionary from the system
(Debian: libvoikko1, voikko-fi) and the ``libvoikko`` Python binding.
"""

import re
import threading
from functools import lru_cache
from typing import NamedTuple

try:
    import libvoikko
except ImportError:  # the optional binding is not installed
    libvoikko = None

WORD_BASE = re.compile(r"\+([^+(]+)\(")
_local = threading.local()


class Analysis(NamedTuple):
    baseform: str
    parts: tuple


def _voikko():
    """One Voikko handle per thread (a handle is not thread-safe); None without Voikko."""
    if libvoikko is None:
        return None
    if not hasattr(_local, "handle"):
        try:
            _local.handle = libvoikko.Voikko("fi")
        except (OSError, libvoikko.VoikkoException):
            _local.handle = None
    return _local.handle


def available():
    return _voikko() is not None


@lru_cache(maxsize=2048)
def analyse(word):
    """The readings of one lower-case word: base form and compound parts as written in the
    word ("kohtaamis", "paikka"), longest reading first. Empty without Voikko."""
    handle = _voikko()
    if handle is None:
        return ()
    readings = []
    for analysis in handle.analyze(word):
        baseform = (analysis.get("BASEFORM") or "").casefold()
        if not baseform:
            continue
        parts = tuple(part.casefold() for part in WORD_BASE.findall(analysis.get("WORDBASES", "")))
        readings.append(Analysis(baseform, parts))
    return tuple(readings)


@lru_cache(maxsize=512)
def suggest(word):
    """Voikko's spelling suggestions for a word it does not know, best first."""
    handle = _voikko()
    if handle is None or handle.spell(word):
        return ()
    return tuple(suggestion.casefold() for suggestion in handle.suggest(word)[:3])
