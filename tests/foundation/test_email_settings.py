"""E-mail settings from the environment (#16): EMAIL_URL, the console backend in development,
and production refusing the console backend unless told so."""

import subprocess
import sys

import pytest

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "kohtaamispaikat.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "test-only-secret-key-that-is-long-enough-for-the-checks-0123456789",
    "DJANGO_ALLOWED_HOSTS": "kohtaamispaikat.example",
}
SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL, "
    "s.SITE_URL)"
)


def settings_with(**environment):
    return subprocess.run(
        [sys.executable, "-c", SHOW], env=environment, capture_output=True, text=True
    )


def test_development_prints_messages_in_the_terminal():
    result = settings_with(DJANGO_SETTINGS_MODULE="kohtaamispaikat.settings", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("django.core.mail.backends.console.EmailBackend")


def test_email_url_configures_smtp_and_the_sender():
    result = settings_with(
        **PRODUCTION,
        EMAIL_URL="submission://posti:salasana@smtp.example:587",
        DEFAULT_FROM_EMAIL="Kohtaamispaikat <noreply@kohtaamispaikat.example>",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example",
        "587",
        "True",
        "Kohtaamispaikat",
        "<noreply@kohtaamispaikat.example>",
        "https://kohtaamispaikat.example",
    ]


@pytest.mark.parametrize(
    "environment",
    [
        {"EMAIL_URL": "console:"},
        {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
    ],
)
def test_production_refuses_the_console_backend(environment):
    result = settings_with(**PRODUCTION, **environment)
    assert result.returncode != 0
    assert "console e-mail backend" in result.stderr


def test_production_takes_the_console_backend_when_told_so():
    result = settings_with(**PRODUCTION, EMAIL_URL="console:", EMAIL_ALLOW_CONSOLE="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("django.core.mail.backends.console.EmailBackend")
