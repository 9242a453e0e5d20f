"""The anonymous page cache: keys, the data version, and its invalidation.

A cached page's key holds the scheme and host (pages hold absolute links: robots.txt, the
sitemap, feeds and exports), the path, query, language, data version and the current minute. The
data version changes with every committed change to public content; the minute keeps pages that
depend on the clock ("open now", "opens Tuesday 10:00") from ever being a minute stale, since
opening hours have minute resolution.

The apps' ``daily_pages`` (URL names, see kohtaamispaikat.core.apps) are the large data files
whose plain address (no query) depends on the data and the date but not the clock: the GeoJSON
of every place (today's hours) and the meetings calendar. Each is kept once per address,
language and day with the data version it was built for, and built again only when that
version is no longer current: a repeat costs one query, however long since the last edit, and
a new version replaces the old body instead of adding one.
"""

import functools
import hashlib

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language

from kohtaamispaikat.core.apps import daily_page_names, public_content_models
from kohtaamispaikat.core.models import DataVersion


def current_data_version():
    return DataVersion.objects.values_list("version", flat=True).first() or 0


def _bump():
    updated = DataVersion.objects.filter(pk=1).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    if not updated:
        DataVersion.objects.get_or_create(pk=1, defaults={"version": 1})


def bump_data_version():
    """Count a change to public content when its transaction commits, once per transaction
    (a CSV import of thousands of rows bumps once). A rollback discards the pending bump."""
    if any(entry[1] is _bump for entry in connection.run_on_commit):
        return
    transaction.on_commit(_bump)


def _content_changed(sender, **kwargs):
    if not kwargs.get("raw"):
        bump_data_version()


def connect_invalidation():
    for model in public_content_models():
        dispatch = f"data-version-{model._meta.label}"
        post_save.connect(_content_changed, sender=model, dispatch_uid=f"{dispatch}-save")
        post_delete.connect(_content_changed, sender=model, dispatch_uid=f"{dispatch}-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _content_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{dispatch}-{field.name}",
            )


def _hashed(prefix, raw):
    return prefix + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def _accepts_gzip(request):
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")


def page_cache_key(request, version):
    """The key of ``request``'s page. ``request.get_host()`` raises DisallowedHost for a host
    not in ALLOWED_HOSTS, so such a request is refused before any cached page is looked up."""
    host = request.get_host()
    minute = timezone.now().strftime("%Y%m%d%H%M")
    query = request.META.get("QUERY_STRING", "")
    gzip = _accepts_gzip(request)
    raw = f"{request.scheme}://{host}{request.path}?{query}|{get_language()}|{version}|{minute}|{gzip}"
    return _hashed("page:", raw)


@functools.cache
def daily_paths():
    """The addresses of the daily pages in every language."""
    paths = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths.update(reverse(name) for name in daily_page_names())
    return frozenset(paths)


def _forget_daily_paths(setting, **kwargs):
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "ROOT_URLCONF"):
        daily_paths.cache_clear()


setting_changed.connect(_forget_daily_paths, dispatch_uid="page-cache-daily-paths")


def daily_page_key(request):
    """The key of ``request``'s daily page (one per address, language, encoding and day, the
    data version kept in the value), or None when it is not one: another page, or a query."""
    if request.META.get("QUERY_STRING") or request.path not in daily_paths():
        return None
    host = request.get_host()
    day = timezone.localdate().isoformat()
    gzip = _accepts_gzip(request)
    return _hashed(
        "daily:", f"{request.scheme}://{host}{request.path}|{get_language()}|{day}|{gzip}"
    )
