"""The state of what the site depends on (database, cache, e-mail), for /healthz and for the
maintenance answer when the database refuses writes.

A database can answer reads and refuse writes: a failover to a replica (read-only until it is
promoted), a full disk, a restore in progress. Public pages then keep working; whatever writes
(signing in, which records the attempt and the session) answers 503 "maintenance" instead of 500.
"""

import logging
import os
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.mail import get_connection
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from kohtaamispaikat.core.models import DataVersion

logger = logging.getLogger("kohtaamispaikat.health")

# PostgreSQL's SQLSTATEs for a write refused: read_only_sql_transaction (a replica, or
# default_transaction_read_only), disk_full; SQLite says it in words.
WRITE_REFUSED_SQLSTATES = {"25006", "53100"}
WRITE_REFUSED_WORDS = ("read-only transaction", "readonly database", "database or disk is full")
RETRY_AFTER_SECONDS = 60
LOG_INTERVAL_SECONDS = 600
EMAIL_CHECK_SECONDS = 60

_last_logged = {"write_refused": float("-inf")}
_migrated = {}


def is_write_refused(error):
    """Whether ``error`` is the database refusing a write while still answering."""
    if not isinstance(error, DatabaseError):
        return False
    cause = error.__cause__ or error
    if getattr(cause, "sqlstate", None) in WRITE_REFUSED_SQLSTATES:
        return True
    message = str(error).lower()
    return any(words in message for words in WRITE_REFUSED_WORDS)


def log_write_refused(request, error):
    """One warning per outage (at most one in LOG_INTERVAL_SECONDS per process), not one
    traceback per request."""
    now = time.monotonic()
    if now - _last_logged["write_refused"] < LOG_INTERVAL_SECONDS:
        return
    _last_logged["write_refused"] = now
    logger.warning(
        "The database refuses writes (%s); answering 503 to %s %s and to other writes.",
        str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__,
        request.method,
        request.path,
    )


def maintenance_response(request=None):
    """503 "maintenance, try again shortly", rendered without the database."""
    response = HttpResponse(render_to_string("maintenance.html", request=request), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    patch_cache_control(response, no_store=True)
    # Already logged (once) by log_write_refused; Django would log each one again.
    response._has_been_logged = True
    return response


def database_state():
    """ "ok", "read-only", "unmigrated" (migrations not yet applied) or "down"."""
    try:
        # A write that changes nothing and is rolled back: refused on a read-only database.
        # Raw SQL, because the ORM skips an UPDATE it can tell matches no row.
        table = connection.ops.quote_name(DataVersion._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET version = version WHERE 1 = 0")
            transaction.set_rollback(True)
    except DatabaseError as error:
        if is_write_refused(error):
            return "read-only"
        return "unmigrated" if _has_unapplied_migrations() is True else "down"
    try:
        return "unmigrated" if _has_unapplied_migrations() else "ok"
    except DatabaseError:
        return "down"


def _has_unapplied_migrations():
    """Checked until the database is migrated; then remembered (new migrations come with new
    code, which starts new processes). None when the database cannot tell."""
    alias = connection.alias
    if _migrated.get(alias):
        return False
    try:
        executor = MigrationExecutor(connection)
        unapplied = bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError:
        return None
    _migrated[alias] = not unapplied
    return unapplied


def cache_state():
    try:
        cache.set("healthz:probe", "ok", 10)
        return "ok" if cache.get("healthz:probe") == "ok" else "down"
    except Exception:  # any backend's failure (Redis refusing, a timeout) means "down"
        return "down"


def email_state(cache_works=True):
    """Whether the mail server accepts a connection; checked once a minute at most (the result
    is cached), with a short timeout, so that monitoring cannot hammer it or hang on it."""
    state = cache.get("healthz:email") if cache_works else None
    if state is None:
        try:
            mail_connection = get_connection(timeout=min(settings.EMAIL_TIMEOUT, 5))
            mail_connection.open()
            mail_connection.close()
            state = "ok"
        except Exception:  # refused, unknown host, timeout, bad credentials: all "down"
            state = "down"
        if cache_works:
            cache.set("healthz:email", state, EMAIL_CHECK_SECONDS)
    return state


def site_state():
    """The state of each dependency and the HTTP status a load balancer should see: 503 when
    pages cannot be served (the database down or unmigrated, a maintenance break), 200
    otherwise, also when only writes, the cache or e-mail are affected ("degraded": the body
    says which)."""
    state = {"database": database_state(), "cache": cache_state()}
    state["email"] = email_state(cache_works=state["cache"] == "ok")
    if in_maintenance():
        return {"status": "maintenance", **state}, 503
    if state["database"] in ("down", "unmigrated"):
        return {"status": "down", **state}, 503
    overall = "ok" if set(state.values()) == {"ok"} else "degraded"
    return {"status": overall, **state}, 200


def maintenance_file():
    return Path(settings.MAINTENANCE_FILE)


def in_maintenance():
    """Whether a restore (or an operator) has put the site into a maintenance break: one
    ``stat`` per request, no query, seen by every process on the host."""
    return maintenance_file().exists()


@contextmanager
def maintenance_break():
    """The site answers 503 "maintenance" while the block runs (import_data: a restore into an
    empty database would otherwise show an empty directory until it commits). The flag file
    holds who set it; it is removed however the block ends, except by kill -9, after which
    the operator deletes it (README, Backups)."""
    flag = maintenance_file()
    flag.parent.mkdir(parents=True, exist_ok=True)
    flag.write_text(f"import_data, process {os.getpid()}, since {time.ctime()}\n")
    try:
        yield
    finally:
        flag.unlink(missing_ok=True)
