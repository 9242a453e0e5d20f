"""A database that answers reads but refuses writes (a failover to a replica, a full disk):
public pages keep working, signing in answers a 503 maintenance page, /healthz says so."""

import json
import logging
from unittest import mock

import psycopg.errors
import pytest
from django.db import InternalError, OperationalError, connection
from django.db.backends.utils import CursorWrapper
from django.test import Client

from kohtaamispaikat.core import health
from tests.factories import PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db

execute = CursorWrapper.execute


def refusing_writes(self, sql, params=None):
    if sql.lstrip().split(None, 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}:
        message = "cannot execute INSERT in a read-only transaction"
        raise InternalError(message) from psycopg.errors.ReadOnlySqlTransaction(message)
    return execute(self, sql, params)


def read_only():
    return mock.patch.object(CursorWrapper, "execute", autospec=True, side_effect=refusing_writes)


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False


@pytest.fixture(autouse=True)
def _fresh_health_state(monkeypatch):
    monkeypatch.setitem(health._last_logged, "write_refused", float("-inf"))
    monkeypatch.setattr(health, "_migrated", {})


@pytest.fixture
def browser_client():
    return Client(raise_request_exception=False)


def sign_in(client, password="väärä salasana 123"):
    return client.post("/admin/login/", {"username": "liisa", "password": password})


def assert_maintenance(response):
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "huoltokatko" in body.lower() or "maintenance" in body.lower()
    for leak in ("Traceback", "InternalError", "read-only transaction"):
        assert leak not in body


@pytest.mark.parametrize("password", ["väärä salasana 123", "oikea salasana 123"])
def test_signing_in_answers_a_maintenance_503(production, browser_client, password):
    UserFactory(username="liisa", password="oikea salasana 123", is_staff=True)
    with read_only():
        response = sign_in(browser_client, password)
    assert_maintenance(response)


def test_the_refusal_is_logged_once_not_per_request(production, browser_client, caplog):
    with caplog.at_level(logging.WARNING), read_only():
        for _attempt in range(3):
            assert sign_in(browser_client).status_code == 503
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 1, [r.getMessage() for r in records]
    assert "refuses writes" in records[0].getMessage()
    assert records[0].exc_info is None


def test_public_pages_keep_serving(production, browser_client):
    place = PlaceFactory(is_published=True)
    with read_only():
        assert browser_client.get(place.get_absolute_url()).status_code == 200
        assert browser_client.get("/places/").status_code == 200


def health_of(response):
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_healthz_reports_each_dependency(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert health_of(response) == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "email": "ok",
    }


def test_healthz_reports_a_read_only_database(client):
    with read_only():
        response = client.get("/healthz")
    assert response.status_code == 200
    assert health_of(response)["database"] == "read-only"
    assert health_of(response)["status"] == "degraded"


def test_healthz_reports_a_database_that_is_down(client):
    with mock.patch.object(
        CursorWrapper, "execute", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert health_of(response)["database"] == "down"


def test_healthz_is_not_200_on_an_unmigrated_database(client):
    with mock.patch(
        "django.db.migrations.executor.MigrationExecutor.migration_plan",
        return_value=[("a migration", False)],
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert health_of(response)["database"] == "unmigrated"


def test_healthz_reports_a_mail_server_that_refuses(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # discard: nothing listens
    response = client.get("/healthz")
    assert response.status_code == 200
    assert health_of(response)["email"] == "down"


def test_healthz_is_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/places/").status_code == 301
    response = client.get("/healthz")
    assert response.status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's read-only mode")
@pytest.mark.django_db(transaction=True)
def test_signing_in_on_a_really_read_only_postgresql(production, browser_client):
    UserFactory(username="liisa", password="oikea salasana 123", is_staff=True)
    with connection.cursor() as cursor:
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    try:
        assert_maintenance(sign_in(browser_client))
        assert health_of(browser_client.get("/healthz"))["database"] == "read-only"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE")
