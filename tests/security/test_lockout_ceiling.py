"""Sign-in lockout across addresses: a ceiling per username, the owner told once, and
X-Forwarded-For trusted only behind a proxy, and then only its right-most entry."""

import pytest
from django.core import mail
from django.core.management import call_command

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"
PASSWORD = "oikea-salasana-2026"


def sign_in(client, password, address, username="jasen", **headers):
    return client.post(
        LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


@pytest.fixture
def member():
    return UserFactory(
        username="jasen", password=PASSWORD, email="jasen@example.org", is_staff=True
    )


def test_twenty_failures_from_twenty_addresses_lock_the_username(client, member):
    for number in range(19):
        assert sign_in(client, "arvaus", f"198.51.100.{number}").status_code == 200
    assert mail.outbox == []
    assert sign_in(client, "arvaus", "198.51.100.19").status_code == 429

    locked = sign_in(client, PASSWORD, "203.0.113.50")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    english = client.post(
        "/en/admin/login/", {"username": "jasen", "password": PASSWORD}, REMOTE_ADDR="203.0.113.51"
    )
    assert english.status_code == 429
    assert "with this username, from several addresses" in english.content.decode()


def test_the_owner_is_told_once(client, member):
    for number in range(25):
        sign_in(client, "arvaus", f"198.51.100.{number}")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jasen@example.org"]
    assert "jasen" in message.body
    assert "20" in message.body


def test_under_the_ceiling_the_owner_still_signs_in_from_a_fresh_address(client, member):
    for number in range(19):
        sign_in(client, "arvaus", f"198.51.100.{number}")
    assert sign_in(client, PASSWORD, "203.0.113.50").status_code == 302


def test_other_usernames_are_not_affected(client, member):
    UserFactory(username="toinen", password=PASSWORD, is_staff=True)
    for number in range(20):
        sign_in(client, "arvaus", f"198.51.100.{number}")
    assert sign_in(client, PASSWORD, "198.51.100.1", username="toinen").status_code == 302


def test_axes_reset_username_lifts_the_ceiling(client, member):
    for number in range(20):
        sign_in(client, "arvaus", f"198.51.100.{number}")
    call_command("axes_reset_username", "jasen")
    assert sign_in(client, PASSWORD, "203.0.113.50").status_code == 302


def test_without_the_proxy_setting_x_forwarded_for_is_ignored(client, member, settings):
    settings.BEHIND_PROXY = False
    for number in range(4):
        forged = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{number}"}
        assert sign_in(client, "arvaus", "192.0.2.10", **forged).status_code == 200
    forged = {"HTTP_X_FORWARDED_FOR": "198.51.100.99"}
    assert sign_in(client, "arvaus", "192.0.2.10", **forged).status_code == 429


def test_behind_a_proxy_only_the_right_most_hop_counts(client, member, settings):
    settings.BEHIND_PROXY = True
    for number in range(4):
        # The client forges the entries before the one the proxy appends.
        forged = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{number}, 203.0.113.9"}
        assert sign_in(client, "arvaus", "10.0.0.1", **forged).status_code == 200
    forged = {"HTTP_X_FORWARDED_FOR": "198.51.100.99, 203.0.113.9"}
    assert sign_in(client, "arvaus", "10.0.0.1", **forged).status_code == 429
    assert (
        sign_in(client, PASSWORD, "10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.10").status_code
        == 302
    )


def test_behind_a_proxy_a_forwarded_value_that_is_no_address_is_not_trusted(rf, settings):
    from kohtaamispaikat.core.security import client_ip_address

    settings.BEHIND_PROXY = True
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, <script>")
    assert client_ip_address(request) == "10.0.0.1"
