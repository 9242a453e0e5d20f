"""On a phone, an association finds a space offered on the notice board and answers it: the
answer reaches the poster by e-mail with Reply-To the association, and the poster's address
is on no page along the way."""

import re

import pytest
from playwright.sync_api import expect

from network.models import Listing
from tests.e2e.conftest import EXTERNAL_REQUEST
from tests.factories import ListingFactory, audience, municipality

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE_390 = {"width": 390, "height": 844}
POSTER = "salainen.kylatalo@example.org"
ANSWERER = "vertaisryhma@yhdistys.example"


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport=PHONE_390, locale="fi-FI", is_mobile=True, has_touch=True
    )
    context.route(EXTERNAL_REQUEST, lambda route: route.abort("internetdisconnected"))
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def board():
    space = ListingFactory(
        kind=Listing.Kind.SPACE_OFFERED,
        title_fi="Kylätalon sali vapaana tiistaisin",
        text_fi="Sali 40 hengelle, keittiö ja esteetön sisäänkäynti.",
        contact_name="Kyllikki Kylätalo",
        contact_email=POSTER,
        municipalities=[municipality("179")],
        audiences=[audience("kaikille")],
    )
    ListingFactory(
        kind=Listing.Kind.ACTIVITY_OFFERED,
        title_fi="Omaishoitajien ryhmä etsii tilaa Laukaasta",
        municipalities=[municipality("410")],
    )
    ListingFactory(kind=Listing.Kind.VOLUNTEERS_WANTED, title_fi="Vapaaehtoisia kahvilaan")
    return space


def assert_no_poster_address(page):
    assert POSTER not in page.content()
    assert "salainen.kylatalo" not in page.content()


def assert_fits_the_phone(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE_390["width"], f"the page is {width}px wide on a 390px phone"


def test_an_association_answers_a_space_offered_on_a_phone(phone, live_server, board, mailoutbox):
    phone.goto(f"{live_server.url}/network/board/")
    assert_no_poster_address(phone)
    assert_fits_the_phone(phone)

    phone.get_by_label("Tyyppi").select_option("space_offered")
    phone.get_by_role("button", name="Näytä ilmoitukset").click()
    expect(phone.locator(".result-count")).to_have_text("1 ilmoitus löytyi")
    phone.get_by_role("link", name="Kylätalon sali vapaana tiistaisin").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Kylätalon sali vapaana tiistaisin")
    expect(phone.get_by_text("Kyllikki Kylätalo")).to_be_visible()
    # The activity looking for a space in the same sub-region is suggested.
    expect(
        phone.get_by_role("link", name="Omaishoitajien ryhmä etsii tilaa Laukaasta")
    ).to_be_visible()
    assert_no_poster_address(phone)
    assert_fits_the_phone(phone)

    # First a mistake: the e-mail address is not one. Nothing is sent.
    phone.get_by_label("Nimesi").fill("Vertaisryhmä Tuki ry")
    phone.get_by_label("Sähköpostiosoitteesi").fill("ei-osoite")
    phone.get_by_label("Viesti").fill("Sopisiko ryhmällemme tiistai klo 18–20?")
    phone.get_by_role("button", name="Lähetä vastaus").click()
    expect(phone.locator(".errorlist")).to_contain_text("sähköpostiosoite")
    assert mailoutbox == []
    expect(phone.get_by_label("Viesti")).to_have_value("Sopisiko ryhmällemme tiistai klo 18–20?")

    phone.get_by_label("Sähköpostiosoitteesi").fill(ANSWERER)
    phone.get_by_role("button", name="Lähetä vastaus").click()
    expect(phone.get_by_text("Vastauksesi lähetettiin.")).to_be_visible()
    assert_no_poster_address(phone)
    assert re.search(r"/network/board/[^/]+/$", phone.url)

    [message] = mailoutbox
    assert message.to == [POSTER]
    assert message.reply_to == [ANSWERER]
    assert "Sopisiko ryhmällemme tiistai klo 18–20?" in message.body
    assert "Vertaisryhmä Tuki ry" in message.body
    assert "Kylätalon sali vapaana tiistaisin" in message.subject
    board.refresh_from_db()
    assert board.answer_count == 1
