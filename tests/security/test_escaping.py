"""Every text a user can type is shown escaped, on every public and admin page.

The hostile content puts a script and an image-with-handler payload into every free-text field
of every model; no page may contain either unescaped. The same pages carry no inline code
(scripts, style attributes, event handlers), so the Content-Security-Policy that forbids it
breaks nothing.
"""

import pytest
from django.contrib.auth.models import Group

from tests.factories import UserFactory
from tests.security.hostile import MARKERS, every_text_field_poisoned, hostile_content
from tests.security.pages import admin_pages, inline_code, public_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    return hostile_content()


def fetch(client, path):
    response = client.get(path, follow=True)
    assert response.status_code in (200, 400, 404), (path, response.status_code)
    return response


def assert_escaped(response, path):
    body = response.content.decode()
    for marker in MARKERS:
        assert marker not in body, f"{path} shows {marker!r} unescaped"
    if "html" in response.get("Content-Type", ""):
        assert inline_code(body) == [], f"{path} has inline code a strict policy blocks"


def test_every_free_text_field_holds_a_payload(content):
    assert every_text_field_poisoned() == []


def test_public_pages_escape_every_text(client, content):
    showing_payloads = 0
    for path in public_pages(content):
        response = fetch(client, path)
        assert_escaped(response, path)
        showing_payloads += "&lt;script&gt;alert(" in response.content.decode()
    # The payloads were on the pages, escaped: the test looked at real content.
    assert showing_payloads >= 15


def test_feeds_and_sitemaps_escape_every_text(client, content):
    for path in [
        "/network/feed/",
        "/network/board/feed/",
        "/sitemap.xml",
        "/sitemap-places.xml",
        "/sitemap-practices.xml",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_escaped(response, path)


@pytest.mark.parametrize("role", ["site_admin", "staff"])
def test_admin_pages_escape_every_text(client, content, role):
    if role == "site_admin":
        user = UserFactory(username="admin", is_superuser=True)
    else:
        user = content["user"]
        user.groups.add(Group.objects.get(name="Organisation staff"))
    client.force_login(user)
    shown = 0
    for path in admin_pages(content):
        response = client.get(path)
        assert response.status_code in (200, 302, 403, 404), (path, response.status_code)
        assert_escaped(response, path)
        shown += response.status_code == 200
    assert shown > 10
