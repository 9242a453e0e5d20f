"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Skipped with one line of reason when Chromium is missing (`.ci/run` installs it). Screenshots of the
main pages go to test-artifacts/screenshots/, which CI keeps.
"""

import datetime as dt
import os
import re
import shutil
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connections
from django.utils import timezone

from tests.factories import (
    CoordinatorFactory,
    FollowUpFactory,
    GoodPracticeFactory,
    HeldMeetingFactory,
    HoursExceptionFactory,
    MeetingFactory,
    OrganizationFactory,
    OutcomeFactory,
    PlaceFactory,
    WeeklyHoursFactory,
    audience,
    municipality,
)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}

# Requests leaving the live server (map tiles) fail at once, as they do offline: the pages must
# work without them, and the suite never waits on the network.
EXTERNAL_REQUEST = re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)(:\d+)?/)[a-z]+://")
LANGUAGE_PREFIXES = {"fi": "", "sv": "/sv", "en": "/en"}

# Playwright's sync API runs an event loop in this thread; the live server's database work happens
# in its own thread, and the test's own ORM calls are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# While an event loop counts as running, Django keeps a thread's database connections per asyncio
# context instead of per thread, so after the first Playwright call the tests would get new
# connection objects: without the test database's reference data that serialized_rollback
# restores after each test (it is kept on the connection object), and outside the transaction
# of a non-transactional test. The tests are synchronous: keep connections per thread. This
# runs at collection, before any connection to the test database exists.
connections._connections = threading.local()


def pytest_collection_modifyitems(config, items):
    missing = not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists())
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            if missing:
                item.add_marker(pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}"))


# Per module: while Playwright runs, its event loop counts as running in this thread, so another
# module cannot start a Playwright of its own (the place admin's location picker tests do).
@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser, viewport, **options):
    context = browser.new_context(viewport=viewport, locale="fi-FI", **options)
    context.route(EXTERNAL_REQUEST, lambda route: route.abort("internetdisconnected"))
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.fixture
def page(browser):
    context, page = _new_page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context, page = _new_page(browser, PHONE, is_mobile=True, has_touch=True)
    yield page
    context.close()


@pytest.fixture
def no_js_page(browser):
    context, page = _new_page(browser, PHONE, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def site_url(live_server):
    """``site_url("/places/", "sv")``: an address of the live server in a language."""

    def build(path, language="fi"):
        return f"{live_server.url}{LANGUAGE_PREFIXES[language]}{path}"

    return build


def every_day(place, opens, closes):
    for weekday in range(1, 8):
        WeeklyHoursFactory(place=place, weekday=weekday, opens=opens, closes=closes)


def wall_clock(moment):
    return moment.time().replace(second=0, microsecond=0)


@pytest.fixture
def directory():
    """Places in Jyväskylä and Helsinki, open and closed right now, and the network around them.

    The hours are relative to the current time: "open now" is open for two hours either side of
    it every day, "closed now" opens four hours from now.
    """
    now = timezone.localtime()
    families, seniors = audience("lapsiperheet"), audience("ikaihmiset")
    jyvaskyla, helsinki = municipality("179"), municipality("091")
    organization = OrganizationFactory(name="Perhepalvelut ry", website="https://example.org/")
    hours = dt.timedelta(hours=1)
    open_hours = (wall_clock(now - 2 * hours), wall_clock(now + 2 * hours))
    closed_hours = (wall_clock(now + 4 * hours), wall_clock(now + 6 * hours))

    def place(name, slug, **fields):
        fields.setdefault("audiences", [families])
        return PlaceFactory(name=name, slug=slug, organization=organization, **fields)

    open_family = place(
        "Perhekahvila Aurinko",
        "perhekahvila-aurinko",
        latitude="62.24200",
        longitude="25.74700",
        free_of_charge=True,
        step_free_access=True,
        phone="014 123 4567",
        email="aurinko@example.org",
        description="Kahvia, leikkiä ja vertaistukea vauvaperheille.\n\nTervetuloa!",
    )
    every_day(open_family, *open_hours)
    HoursExceptionFactory(
        place=open_family, start_date=now.date() + dt.timedelta(days=20), reason="Remontti"
    )
    closed_family = place(
        "Perhetupa Kuu", "perhetupa-kuu", latitude="62.22000", longitude="25.70000"
    )
    every_day(closed_family, *closed_hours)
    unlocated_family = place("Vauvapiiri Tähti", "vauvapiiri-tahti", latitude=None, longitude=None)
    every_day(unlocated_family, *open_hours)
    seniors_place = place(
        "Seniorien olohuone",
        "seniorien-olohuone",
        audiences=[seniors],
        latitude="62.25500",
        longitude="25.78000",
    )
    every_day(seniors_place, *open_hours)
    helsinki_family = place(
        "Kallion perhetalo",
        "kallion-perhetalo",
        municipality=helsinki,
        postal_code="00530",
        postal_town="Helsinki",
    )
    every_day(helsinki_family, *open_hours)

    coordinator = CoordinatorFactory(
        name="Kaisa Koordinaattori", organization=organization, regions=[jyvaskyla.region]
    )
    upcoming = MeetingFactory(
        title="Keski-Suomen verkostopäivä",
        slug="keski-suomen-verkostopaiva",
        venue=open_family,
        contact=coordinator,
        description="Ajankohtaista perhekeskuksista.",
        agenda="9.00 Aloitus\n12.00 Lounas",
        regions=[jyvaskyla.region],
    )
    held = HeldMeetingFactory(
        title="Kevään verkostotapaaminen",
        slug="kevaan-verkostotapaaminen",
        regions=[jyvaskyla.region],
    )
    outcome = OutcomeFactory(meeting=held)
    FollowUpFactory(outcome=outcome, municipality=jyvaskyla)
    practice = GoodPracticeFactory(
        title="Perhekahvila kirjaston aulassa",
        slug="perhekahvila-kirjaston-aulassa",
        text="## Miten teimme\n\nKirjasto antaa aulan **tiistaisin**.\n\n- kahvit\n- lorut\n\n"
        "[Opas](https://example.org/opas)",
        audiences=[families],
    )
    outcome.practices.add(practice)
    return SimpleNamespace(
        now=now,
        open_hours=open_hours,
        closed_hours=closed_hours,
        organization=organization,
        open_family=open_family,
        closed_family=closed_family,
        unlocated_family=unlocated_family,
        seniors_place=seniors_place,
        helsinki_family=helsinki_family,
        coordinator=coordinator,
        upcoming_meeting=upcoming,
        held_meeting=held,
        practice=practice,
    )
