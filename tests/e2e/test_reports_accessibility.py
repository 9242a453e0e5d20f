"""axe-core in Chromium finds nothing on the report page (#17), with charts and every table
filled, in Finnish, Swedish and English; and no serious problem on the visitors' feedback form
and its poster."""

import pytest
from django.utils import timezone

from tests.e2e.helpers import AXE_SOURCE, axe_violations, describe_violations, open_page
from tests.factories import FeedbackFactory, VisitCountFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def figures(directory):
    today = timezone.localdate()
    for month in range(1, today.month + 1):
        VisitCountFactory(place=directory.open_family, year=today.year, month=month, visits=90)
        VisitCountFactory(place=directory.open_family, year=today.year - 1, month=month, visits=70)
    FeedbackFactory.create_batch(6, place=directory.open_family, happiness=4, comment="Kiva")
    return directory


def every_violation(page):
    page.evaluate(AXE_SOURCE)
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("query", ["", "?region=13", "?municipality=179&year=nonsense"])
def test_axe_finds_nothing_on_the_report_page(page, site_url, figures, language, query):
    url = site_url(f"/network/reports/{query}", language)
    open_page(page, url)
    assert page.locator("svg.chart[role=img]").count() == 3
    problems = describe_violations(url, every_violation(page))
    assert not problems, "axe-core found problems:\n" + "\n".join(problems)


def test_the_feedback_form_and_poster_have_no_serious_problems(page, site_url, figures):
    problems = []
    for path in ("/places/perhekahvila-aurinko/feedback/", "/places/perhekahvila-aurinko/poster/"):
        for language in ("fi", "en"):
            url = site_url(path, language)
            open_page(page, url)
            problems += describe_violations(url, axe_violations(page))
    assert not problems, "axe-core found problems:\n" + "\n".join(problems)


def test_the_feedback_form_is_answered_by_keyboard(page, site_url, figures):
    open_page(page, site_url("/places/perhekahvila-aurinko/feedback/", "en"))
    page.get_by_role("group", name="Did you feel you could take part?").get_by_label(
        "Very much"
    ).check()
    page.get_by_role("group", name="Did you feel safe?").get_by_label("Quite a lot").check()
    happiness = page.get_by_role("group", name="Did the visit make you happier?")
    happiness.get_by_label("A little").focus()
    page.keyboard.press("ArrowRight")  # radio groups move with the arrow keys
    assert happiness.get_by_label("Quite a lot").is_checked()
    page.get_by_role("button", name="Send").click()
    assert "Thank you" in page.content()
