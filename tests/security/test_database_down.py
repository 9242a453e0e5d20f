"""With the database down every page answers a friendly 503, never a stack trace."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from tests.factories import PlaceFactory, UserFactory

PAGES = [
    "/",
    "/places/",
    "/places/map/",
    "/places/olohuone/",
    "/places.geojson",
    "/municipalities/jyvaskyla/",
    "/network/",
    "/network/meetings/",
    "/sv/places/",
]


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False


@pytest.fixture
def browser_client():
    """A client that sees what a browser sees: the error page, not the exception."""
    return Client(raise_request_exception=False)


def database_down():
    return mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("could not connect to server: Connection refused"),
    )


def cannot_connect():
    return mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("connection to server failed"),
    )


def assert_friendly_503(response):
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "try again" in body.lower()
    for leak in ("Traceback", "OperationalError", "could not connect", "connection to server"):
        assert leak not in body


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("outage", [database_down, cannot_connect])
def test_public_pages_answer_a_friendly_503(production, browser_client, path, outage):
    PlaceFactory(slug="olohuone")
    with outage():
        response = browser_client.get(path)
    assert_friendly_503(response)


@pytest.mark.django_db
@pytest.mark.page_cache
def test_the_page_cache_does_not_turn_an_outage_into_a_500(production, browser_client):
    with database_down():
        response = browser_client.get("/places/")
    assert_friendly_503(response)


@pytest.mark.django_db
def test_signed_in_staff_get_the_503_too(production, browser_client):
    browser_client.force_login(UserFactory(is_superuser=True))
    with database_down():
        response = browser_client.get("/admin/places/place/")
    assert_friendly_503(response)


@pytest.mark.django_db
def test_signing_in_answers_503(production, browser_client):
    with database_down():
        response = browser_client.post(
            "/admin/login/", {"username": "admin", "password": "whatever it is"}
        )
    assert_friendly_503(response)


@pytest.mark.django_db
def test_healthz_reports_the_outage(production, browser_client):
    with cannot_connect():
        response = browser_client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "down", "cache": "ok", "email": "ok"}


@pytest.mark.django_db
def test_other_errors_stay_a_plain_500_without_details(production, browser_client):
    with mock.patch(
        "places.views.HomeView.get_context_data", side_effect=RuntimeError("secret detail")
    ):
        response = browser_client.get("/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert b"secret detail" not in response.content
    assert b"Traceback" not in response.content
