"""Screenshots of the main pages on a desktop and a phone, with the demo content, for people
reviewing a change (test-artifacts/screenshots/, kept by CI).

With UPDATE_DOCS_SCREENSHOTS=1 the run also refreshes the README's screenshots in
docs/screenshots/: the visible part of the page only, so that each stays small.
"""

import os
from pathlib import Path

import pytest

from kohtaamispaikat.demo.loader import load_demo_data
from places.models import Place
from tests.e2e.helpers import open_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DOCS_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DOCS_MAX_BYTES = 300_000
# (name in the README, page, viewport width)
DOCS_SHOTS = [("home", "home", "desktop"), ("list", "list", "desktop"), ("map", "map", "desktop")]
DOCS_SHOTS += [("detail", "detail", "desktop"), ("detail-phone", "detail", "phone")]


@pytest.fixture
def demo_pages():
    load_demo_data(places=80, meetings=12, seed=2026)
    place = (
        Place.objects.published()
        .filter(municipality__code="179")
        .exclude(latitude=None)
        .order_by("name")
        .first()
    )
    return {
        "home": "/",
        "list": "/places/?municipality=179",
        "map": "/places/map/",
        "detail": place.get_absolute_url(),
        "municipality": "/municipalities/jyvaskyla/",
        "network": "/network/",
        "meetings": "/network/meetings/",
    }


def test_screenshots_of_the_main_pages(page, phone_page, live_server, screenshot, demo_pages):
    update_docs = os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1"
    for width, browser_page in [("desktop", page), ("phone", phone_page)]:
        for name, path in demo_pages.items():
            open_page(browser_page, live_server.url + path)
            screenshot(browser_page, f"{name}-{width}")
            for docs_name, docs_page, docs_width in DOCS_SHOTS:
                if update_docs and (docs_page, docs_width) == (name, width):
                    target = DOCS_DIR / f"{docs_name}.png"
                    DOCS_DIR.mkdir(parents=True, exist_ok=True)
                    browser_page.screenshot(path=str(target))
                    assert target.stat().st_size < DOCS_MAX_BYTES, f"{target} is too big"
