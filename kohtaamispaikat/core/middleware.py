"""The site's own middleware: refusing NUL characters, the anonymous page cache, and the
maintenance answer when the database refuses writes."""

import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponseBadRequest
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

from kohtaamispaikat.core.cache import current_data_version, daily_page_key, page_cache_key
from kohtaamispaikat.core.health import (
    in_maintenance,
    is_write_refused,
    log_write_refused,
    maintenance_response,
)

logger = logging.getLogger("kohtaamispaikat.security")

NEVER_CACHED = re.compile(
    r"^/(?:(?:{})/)?admin/|^/i18n/|^/healthz".format(
        "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    )
)


# A daily page's key holds the date: kept a day, it expires when the next day's replaces it.
DAY_SECONDS = 24 * 60 * 60


class AnonymousPageCacheMiddleware:
    """Serves anonymous GET pages from Django's cache and answers revalidations with 304.

    Requests carrying a session or messages cookie (signed-in staff, a pending message) always
    get a fresh page; so do responses that set cookies or forbid caching. A daily page (see
    core.cache) is kept with the data version it was built for and built again when that
    version is no longer current.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        version = current_data_version()
        daily_key = daily_page_key(request)
        if daily_key is not None:
            stored_version, response = cache.get(daily_key, (None, None))
            if stored_version != version:
                response = self._fresh(request, daily_key, DAY_SECONDS, version)
        else:
            key = page_cache_key(request, version)
            response = cache.get(key)
            if response is None:
                response = self._fresh(request, key, settings.PAGE_CACHE_SECONDS)
        if response.has_header("ETag"):
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response

    def _fresh(self, request, key, seconds, version=None):
        """The page rendered, and kept under ``key`` (with ``version`` for a daily page)."""
        response = self.get_response(request)
        if self._cacheable_response(response):
            set_response_etag(response)
            patch_cache_control(response, max_age=0, must_revalidate=True, public=True)
            cache.set(key, response if version is None else (version, response), seconds)
        return response

    @staticmethod
    def _cacheable_request(request):
        return (
            settings.PAGE_CACHE_ENABLED
            and request.method in ("GET", "HEAD")
            and not NEVER_CACHED.match(request.path)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES
        )

    @staticmethod
    def _cacheable_response(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
            and "no-cache" not in cache_control
        )


class RejectNullCharactersMiddleware:
    """Answers 400 to a query string holding a NUL character.

    No form or link ever sends one, PostgreSQL refuses it in any text (a 500 wherever a view
    filters on a raw parameter), and form fields already refuse it in posted data. Fuzzers send
    thousands: each is logged as one line, not as an exception with its traceback.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        texts = (text for key, values in request.GET.lists() for text in (key, *values))
        if any("\x00" in text for text in texts):
            logger.warning(
                "Bad request: a query parameter holds a NUL character: %s %r",
                request.method,
                request.path[:200],
            )
            response = HttpResponseBadRequest(
                "A query parameter holds a NUL character.", content_type="text/plain"
            )
            response._has_been_logged = True  # logged above, in one line
            return response
        return self.get_response(request)


class MaintenanceMiddleware:
    """Every request but /healthz answers 503 "maintenance" during a maintenance break (a
    restore with import_data); /healthz says "maintenance" itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if in_maintenance() and request.path != "/healthz":
            return maintenance_response(request)
        return self.get_response(request)


class WriteRefusedMiddleware:
    """Answers 503 "maintenance, try again shortly" (with Retry-After, logged once per outage)
    when a view fails because the database refuses writes: a failover to a read-only replica
    or a full disk. Reads keep working; signing in, which records the attempt, does not."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_write_refused(exception):
            return None
        log_write_refused(request, exception)
        return maintenance_response(request)
