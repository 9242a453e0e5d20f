import os

import pytest


@pytest.fixture
def english_admin(settings):
    """The admin at /admin/ in English, so that tests can read its messages."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Sign-in tests hash many passwords; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_terminal_summary(terminalreporter):
    from tests.security.fuzzing import TALLY

    if not TALLY.requests:
        return
    terminalreporter.write_sep("-", "fuzz")
    terminalreporter.write_line(
        f"fuzz: {TALLY.requests} requests, {len(TALLY.server_errors)} answered 5xx"
    )
    for error in TALLY.server_errors[:20]:
        terminalreporter.write_line(f"  {error}")


def pytest_sessionfinish(session):
    """`make fuzz` promises a number of requests: fewer is a failure too."""
    from tests.security.fuzzing import TALLY

    minimum = int(os.environ.get("FUZZ_MIN_REQUESTS", "0"))
    if TALLY.requests < minimum and session.exitstatus == 0:
        session.exitstatus = 1
