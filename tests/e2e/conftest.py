"""Real-browser tests: Python Playwright driving Debian's Chromium against pytest-django's live server.

Skipped with one line of reason when Chromium is missing (`.ci/run` installs it). Screenshots of the
main pages go to test-artifacts/screenshots/, which CI keeps.
"""

import os
import shutil
from pathlib import Path

import pytest

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

# Playwright's sync API runs an event loop in this thread; the live server's database work happens
# in its own thread, and the test's own ORM calls are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    missing = not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists())
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            if missing:
                item.add_marker(pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}"))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser, viewport, **options):
    context = browser.new_context(viewport=viewport, locale="fi-FI", **options)
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
