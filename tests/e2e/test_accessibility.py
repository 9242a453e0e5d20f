"""axe-core finds no serious or critical problem on any public page type, in Finnish, Swedish
and English, on a desktop and on a phone; the filter form works by keyboard, focus visible."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    axe_violations,
    describe_violations,
    open_page,
    query_of,
    result_slugs,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LANGUAGES = ["fi", "sv", "en"]
PUBLIC_PAGES = {
    "home": "/",
    "list": "/places/?audience=lapsiperheet",
    "detail": "/places/perhekahvila-aurinko/",
    "map": "/places/map/?municipality=179",
    "municipalities": "/municipalities/",
    "municipality": "/municipalities/jyvaskyla/",
    "open data": "/open-data/",
    "network": "/network/",
    "meetings": "/network/meetings/",
    "meeting": "/network/meetings/keski-suomen-verkostopaiva/",
    "held meeting": "/network/meetings/kevaan-verkostotapaaminen/",
    "coordinators": "/network/coordinators/",
    "board": "/network/board/",
    "practices": "/network/practices/",
    "practice": "/network/practices/perhekahvila-kirjaston-aulassa/",
    "coverage": "/network/coverage/",
    "statistics": "/network/statistics/",
}
PHONE_PAGES = [
    "home",
    "list",
    "detail",
    "map",
    "municipality",
    "meetings",
    "meeting",
    "practice",
]


def assert_no_serious_violations(page, site_url, names, language, width, *, contrast=True):
    problems = []
    for name in names:
        url = site_url(PUBLIC_PAGES[name], language)
        open_page(page, url)
        where = f"{name} ({language}, {width} px) {url}"
        problems += describe_violations(where, axe_violations(page, contrast=contrast))
    assert not problems, "axe-core found serious or critical problems:\n" + "\n".join(problems)


# Colour contrast depends on the style sheet, not the language: checked in Finnish, where it
# costs most of axe's time on the long pages (every municipality), and on a phone.
@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_on_a_desktop(page, site_url, directory, language):
    contrast = language == "fi"
    assert_no_serious_violations(page, site_url, PUBLIC_PAGES, language, 1280, contrast=contrast)


def test_main_pages_on_a_phone(phone_page, site_url, directory):
    assert_no_serious_violations(phone_page, site_url, PHONE_PAGES, "fi", 360)
    assert_no_serious_violations(phone_page, site_url, ["list", "detail"], "sv", 360)


FOCUS_STATE = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    return {
        id: element.id,
        tag: element.tagName.toLowerCase(),
        type: element.type || "",
        inForm: element.closest("form.filter-form") !== null,
        focusVisible: element.matches(":focus-visible"),
        focusWithin: !element.matches(":focus") && element.matches(":focus-within"),
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth),
    };
}"""


def tab_to(page, wanted_id, limit=60):
    """Press Tab until the element with ``wanted_id`` has focus; return every stop on the way."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        stops.append(state)
        if state["id"] == wanted_id:
            return stops
    raise AssertionError(f"#{wanted_id} was not reached in {limit} presses of Tab: {stops}")


def test_the_filter_form_works_by_keyboard_with_visible_focus(page, site_url, directory):
    page.goto(site_url("/places/?municipality=179"))
    tab_to(page, "id_q")
    # Through every control of the form (the location button too) to the submit button.
    stops = [page.evaluate(FOCUS_STATE)]
    while (stops[-1]["tag"], stops[-1]["type"]) != ("button", "submit"):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(FOCUS_STATE))
        assert stops[-1]["inForm"], f"Tab left the filter form before its button: {stops}"
        if stops[-1]["id"] == "id_open_now":
            page.keyboard.press("Space")
    reached = {stop["id"] for stop in stops}
    controls = page.locator("form.filter-form").locator("input:not([type=hidden]), select, button")
    expected = set(controls.evaluate_all("elements => elements.map(e => e.id).filter(Boolean)"))
    assert expected <= reached, f"not reachable by Tab: {expected - reached}"
    for stop in stops:
        # A stop inside a date field's own controls (its calendar button) focuses no element
        # of the page: the field itself must show where the focus is.
        assert stop["focusVisible"] or stop["focusWithin"], f"focus not shown as such: {stop}"
        assert stop["outlineStyle"] != "none" and stop["outlineWidth"] >= 2, (
            f"no visible focus outline on {stop}"
        )
    expect(page.locator("#id_open_now")).to_be_checked()

    page.keyboard.press("Enter")
    expect(page.locator("#id_open_now")).to_be_checked()
    assert query_of(page.url)["open_now"] == ["1"]
    assert query_of(page.url)["municipality"] == ["179"]
    assert sorted(result_slugs(page)) == [
        "perhekahvila-aurinko",
        "seniorien-olohuone",
        "vauvapiiri-tahti",
    ]
