"""Hardening: sign-in rate limiting, passwords, cookies, HSTS, Content-Security-Policy, uploads."""

import json
import secrets
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kohtaamispaikat.settings import csp_source_of
from places.csv_io import CSV_COLUMNS
from places.models import Place
from tests.factories import OrganizationFactory, UserFactory

LOGIN_URL = "/admin/login/"
PASSWORD = "correct horse battery staple"
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "kohtaamispaikat.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "kohtaamispaikat.example",
}


def run_with_production_settings(*args):
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    return subprocess.run(
        [sys.executable, *args],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def production_settings():
    names = [
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "X_FRAME_OPTIONS",
    ]
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    result = run_with_production_settings("-c", script)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_is_clean_with_production_settings():
    result = run_with_production_settings(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_cookies_are_secure_and_hsts_lasts_a_year(production_settings):
    assert production_settings["SESSION_COOKIE_SECURE"] is True
    assert production_settings["SESSION_COOKIE_HTTPONLY"] is True
    assert production_settings["CSRF_COOKIE_SECURE"] is True
    assert production_settings["SECURE_SSL_REDIRECT"] is True
    assert production_settings["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert production_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True


@pytest.mark.django_db
def test_production_responses_carry_hsts_and_secure_cookies(client, settings, production_settings):
    for name, value in production_settings.items():
        setattr(settings, name, value)
    UserFactory(username="admin", password=PASSWORD)

    page = client.get("/", secure=True)
    assert page["Strict-Transport-Security"].startswith("max-age=31536000")
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["X-Frame-Options"] == "DENY"
    assert client.get("/", secure=False).status_code == 301

    form = client.get(LOGIN_URL, secure=True)
    assert form.cookies["csrftoken"]["secure"]
    signed_in = client.post(LOGIN_URL, {"username": "admin", "password": PASSWORD}, secure=True)
    assert signed_in.status_code == 302
    session = signed_in.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"


# Sign-in rate limiting (django-axes) ----------------------------------------------------------


def sign_in(client, username, password, address="192.0.2.10"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_five_failed_sign_ins_lock_out_even_the_right_password(client):
    UserFactory(username="jasen", password=PASSWORD)
    for _ in range(4):
        assert sign_in(client, "jasen", "wrong guess").status_code == 200
    assert sign_in(client, "jasen", "wrong guess").status_code == 429

    locked = sign_in(client, "jasen", PASSWORD)

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "15" in locked.content.decode()


@pytest.mark.django_db
def test_a_lockout_holds_one_username_at_one_address(client):
    UserFactory(username="jasen", password=PASSWORD)
    UserFactory(username="toinen", password=PASSWORD)
    for _ in range(5):
        sign_in(client, "jasen", "wrong guess")

    assert sign_in(client, "toinen", PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "jasen", PASSWORD, address="198.51.100.7").status_code == 302


@pytest.mark.django_db
def test_a_successful_sign_in_clears_the_failures(client):
    UserFactory(username="jasen", password=PASSWORD)
    for _ in range(4):
        sign_in(client, "jasen", "wrong guess")
    assert sign_in(client, "jasen", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, "jasen", "wrong guess")

    assert sign_in(client, "jasen", PASSWORD).status_code == 302


def test_behind_a_proxy_the_forwarded_client_is_counted(rf, settings):
    from kohtaamispaikat.core.security import client_ip_address

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_ip_address(request) == "10.0.0.1"
    settings.BEHIND_PROXY = True
    assert client_ip_address(request) == "203.0.113.9"


# Passwords ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["lyhyt", "password123", "12345678901234", "kohtaamispaikka-jasen"]
)
def test_weak_passwords_are_refused(password):
    user = UserFactory.build(username="kohtaamispaikka-jasen", email="jasen@example.org")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_long_unusual_password_is_accepted():
    validate_password("vihreä kirahvi laulaa aamulla", UserFactory.build(username="jasen"))


@pytest.mark.django_db
def test_the_admin_refuses_to_set_a_weak_password(client):
    admin = UserFactory(username="admin", is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:auth_user_password_change", args=[admin.pk])
    response = client.post(url, {"password1": "password123", "password2": "password123"})
    assert response.status_code == 200
    admin.refresh_from_db()
    assert admin.check_password(PASSWORD)


# Content-Security-Policy ----------------------------------------------------------------------


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/places/map/", "/admin/login/"])
def test_pages_forbid_inline_scripts_and_styles(client, path):
    policy = directives(client.get(path))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["default-src"]


@pytest.mark.django_db
def test_map_tiles_are_allowed_from_the_configured_tile_server(client):
    policy = directives(client.get("/places/map/"))
    assert csp_source_of(django_settings.MAP_TILE_URL) in policy["img-src"]
    assert "data:" in policy["img-src"]


@pytest.mark.parametrize(
    "url, source",
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tiles.example.fi/{z}/{x}/{y}.png", "https://*.tiles.example.fi"),
        ("http://localhost:8080/tiles/{z}/{x}/{y}.png", "http://localhost:8080"),
        ("/tiles/{z}/{x}/{y}.png", None),
    ],
)
def test_tile_sources(url, source):
    assert csp_source_of(url) == source


# Uploaded CSV limits --------------------------------------------------------------------------


@pytest.fixture
def import_as_admin(client, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(UserFactory(is_superuser=True))
    organization = OrganizationFactory(slug="yhdistys")

    def upload(rows):
        lines = [",".join(CSV_COLUMNS[:6])] + [
            f"Paikka {n},yhdistys,Jyväskylä,Katu {n},40100,Jyväskylä" for n in range(rows)
        ]
        data = "\n".join(lines).encode()
        return client.post(
            reverse("admin:places_place_import"),
            {"file": SimpleUploadedFile("paikat.csv", data, "text/csv")},
        )

    upload.organization = organization
    return upload


@pytest.mark.django_db
def test_a_csv_over_the_size_limit_is_refused_unread(import_as_admin, settings):
    settings.CSV_IMPORT_MAX_BYTES = 1000
    response = import_as_admin(rows=40)
    assert "The file is too large" in response.content.decode()
    assert not Place.objects.exists()


@pytest.mark.django_db
def test_a_csv_over_the_row_limit_is_refused(import_as_admin, settings):
    settings.CSV_IMPORT_MAX_ROWS = 3
    response = import_as_admin(rows=4)
    assert "The file has 4 rows; at most 3 can be imported at once." in response.content.decode()
    assert not Place.objects.exists()
