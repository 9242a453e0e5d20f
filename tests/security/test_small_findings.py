"""Smaller findings of the second security round (#22): formulas in the coverage CSV, sessions
that outlived the browser, a traceback per NUL request, gunicorn's timeout."""

import csv
import io
import logging
import re

import pytest
from django.conf import settings as django_settings

from places.models import Audience
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_coverage_csv_shows_formulas_as_text(client):
    Audience.objects.create(slug="kaava", name_fi='=HYPERLINK("http://evil.example","x")')
    Audience.objects.create(slug="plus", name_fi="+SUM(1,2)")
    response = client.get("/network/coverage.csv")
    header = next(csv.reader(io.StringIO(response.content.decode())))
    assert '\'=HYPERLINK("http://evil.example","x")' in header
    assert "'+SUM(1,2)" in header
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in header)


def test_an_admin_session_ends_when_the_browser_closes(client):
    UserFactory(username="admin", password="correct horse battery staple", is_staff=True)
    response = client.post(
        "/admin/login/", {"username": "admin", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    # and on the server it still ends after a working day
    assert client.session.get_expiry_age() == django_settings.SESSION_COOKIE_AGE


def test_a_nul_request_logs_one_line_not_a_traceback(client, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get("/places/?q=a%00b")
    assert response.status_code == 400
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 1
    assert records[0].exc_info is None
    assert "\n" not in records[0].getMessage()


def test_the_deploy_command_sets_a_worker_timeout():
    readme = (django_settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    command = re.search(r"gunicorn kohtaamispaikat\.wsgi[^`\n]*", readme).group(0)
    timeout = re.search(r"--timeout (\d+)", command)
    assert timeout and int(timeout.group(1)) >= 60
