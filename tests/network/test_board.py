"""The notice board: what the public sees, the submission form, the answer relay, expiry and
the feed."""

import datetime as dt

import feedparser
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from network.board import ANSWERS_PER_HOUR, SUBMISSIONS_PER_HOUR
from network.models import Listing, latest_valid_until, months_ahead
from tests.factories import ListingFactory, audience, municipality

pytestmark = pytest.mark.django_db

BOARD = reverse("network:board")
SUBMIT = reverse("network:listing_submit")
FEED = reverse("network:board_feed")
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def submission(**overrides):
    data = {
        "kind": "activity_offered",
        "title_fi": "Vertaistukiryhmä etsii tilaa",
        "text_fi": "Ryhmämme kokoontuu kerran viikossa ja etsii tilaa Laukaasta.",
        "municipalities": ["410"],
        "valid_until": (timezone.localdate() + dt.timedelta(days=60)).isoformat(),
        "contact_name": "Liisa Lahtinen",
        "contact_email": "liisa@example.org",
        "website": "",
    }
    data.update(overrides)
    return data


def answer(**overrides):
    data = {
        "name": "Aino Avustaja",
        "email": "aino@example.org",
        "message": "Sopisiko keskiviikko?",
    }
    data.update(overrides)
    return data


# The board ----------------------------------------------------------------------------------


def test_board_shows_approved_current_listings_only(client):
    ListingFactory(title_fi="Näkyvä ilmoitus")
    ListingFactory(title_fi="Odottava ilmoitus", status=Listing.Status.PENDING)
    ListingFactory(title_fi="Luonnosilmoitus", status=Listing.Status.DRAFT)
    ListingFactory(title_fi="Hylätty ilmoitus", status=Listing.Status.REJECTED)
    ListingFactory(
        title_fi="Vanhentunut ilmoitus", valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    page = client.get(BOARD).content.decode()
    assert "Näkyvä ilmoitus" in page
    for hidden in ("Odottava", "Luonnosilmoitus", "Hylätty", "Vanhentunut"):
        assert hidden not in page


def test_listings_off_the_board_answer_404(client):
    for listing in (
        ListingFactory(status=Listing.Status.PENDING),
        ListingFactory(valid_until=timezone.localdate() - dt.timedelta(days=1)),
    ):
        assert client.get(listing.get_absolute_url()).status_code == 404


def test_board_filters_by_kind_region_municipalities_audience_and_text(client):
    ListingFactory(title_fi="Sali Jyväskylässä", municipalities=[municipality("179")])
    ListingFactory(
        title_fi="Vapaaehtoisia Kuopioon",
        kind=Listing.Kind.VOLUNTEERS_WANTED,
        municipalities=[municipality("297")],
        audiences=[audience("nuoret")],
    )
    ListingFactory(title_fi="Helsingin kumppani", municipalities=[municipality("091")])

    def titles(query):
        return client.get(BOARD + query).content.decode()

    assert "Kuopioon" in titles("?kind=volunteers_wanted")
    assert "Sali" not in titles("?kind=volunteers_wanted")
    assert "Kuopioon" in titles("?region=11") and "Sali" not in titles("?region=11")
    both = titles("?municipality=179&municipality=091")
    assert "Sali" in both and "Helsingin" in both and "Kuopioon" not in both
    assert "Kuopioon" in titles("?audience=nuoret") and "Sali" not in titles("?audience=nuoret")
    assert "Sali" in titles("?q=jyväskylässä") and "Kuopioon" not in titles("?q=jyväskylässä")


@pytest.mark.parametrize(
    "query", ["?kind=nonsense", "?region=99", "?municipality=abc", "?audience=x", "?page=99999"]
)
def test_bad_filter_values_get_a_message_not_an_error(client, query):
    ListingFactory(title_fi="Ilmoitus joka jää näkyviin")
    response = client.get(BOARD + query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ilmoitus joka jää näkyviin" in page
    assert 'role="alert"' in page or "last page" in page or "viimeinen sivu" in page


def test_board_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for _index in range(30):
        ListingFactory(audiences=[audience("nuoret")])
    with django_assert_max_num_queries(10):
        assert client.get(BOARD + "?region=13&audience=nuoret").status_code == 200


def test_text_shows_in_the_visitors_language_with_finnish_fallback(client):
    listing = ListingFactory(title_fi="Tila vapaana", title_sv="Lokal ledig", title_en="")
    path = f"/network/board/{listing.slug}/"
    assert "Lokal ledig" in client.get("/sv" + path).content.decode()
    assert "Tila vapaana" in client.get("/en" + path).content.decode()


# Submissions --------------------------------------------------------------------------------


def test_a_public_submission_waits_for_approval(client):
    response = client.post(SUBMIT, submission())
    assert response.status_code == 302
    listing = Listing.objects.get()
    assert listing.status == Listing.Status.PENDING
    assert listing.posted_by is None
    assert "Vertaistukiryhmä" not in client.get(BOARD).content.decode()
    assert client.get(listing.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("text_fi", "<b>lihava</b> teksti"),
        ("title_fi", XSS),
        ("valid_until", "2099-01-01"),
        ("valid_until", "1.2.kolme"),
        ("municipalities", ["999"]),
        ("contact_email", "ei-osoite"),
        ("text_fi", "x" * 5000),
    ],
)
def test_bad_submissions_are_refused_with_a_message_and_store_nothing(client, field, value):
    response = client.post(SUBMIT, submission(**{field: value}))
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Listing.objects.exists()


def test_valid_until_is_at_most_six_months_ahead():
    assert months_ahead(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert latest_valid_until(dt.date(2026, 12, 4)) == dt.date(2027, 6, 4)


def test_the_honeypot_swallows_bot_submissions(client):
    response = client.post(SUBMIT, submission(website="http://spam.example"))
    assert response.status_code == 302
    assert not Listing.objects.exists()


def test_submissions_are_rate_limited_per_address(client):
    for index in range(SUBMISSIONS_PER_HOUR):
        assert client.post(SUBMIT, submission(title_fi=f"Ilmoitus {index}")).status_code == 302
    response = client.post(SUBMIT, submission(title_fi="Yksi liikaa"))
    assert response.status_code == 429
    assert Listing.objects.count() == SUBMISSIONS_PER_HOUR
    other = client.post(SUBMIT, submission(title_fi="Toinen osoite"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_the_submission_form_needs_csrf():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(SUBMIT, submission()).status_code == 403
    assert not Listing.objects.exists()


# Answers ------------------------------------------------------------------------------------


def test_an_answer_reaches_the_poster_with_reply_to_the_answerer(client):
    listing = ListingFactory(contact_email="tilat@kylatalo.example")
    page = client.get(listing.get_absolute_url()).content.decode()
    assert "tilat@kylatalo.example" not in page
    response = client.post(listing.get_absolute_url(), answer(), follow=True)
    assert "tilat@kylatalo.example" not in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["tilat@kylatalo.example"]
    assert message.reply_to == ["aino@example.org"]
    assert "Sopisiko keskiviikko?" in message.body
    listing.refresh_from_db()
    assert listing.answer_count == 1


def test_each_answer_tells_the_poster_how_many_they_have_had(client):
    listing = ListingFactory()
    client.post(listing.get_absolute_url(), answer())
    client.post(listing.get_absolute_url(), answer(name="Bertta", email="bertta@example.org"))
    first, second = mail.outbox
    assert "Tämä on ensimmäinen vastaus ilmoitukseesi." in first.body
    assert "Ilmoituksesi on saanut tähän mennessä 2 vastausta, tämä mukaan lukien." in second.body
    listing.refresh_from_db()
    assert listing.answer_count == 2


def test_an_answer_the_mail_server_refuses_is_not_counted(client, monkeypatch):
    listing = ListingFactory()

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    response = client.post(listing.get_absolute_url(), answer())
    assert response.status_code == 503
    assert "Vastaustasi ei juuri nyt voitu lähettää." in response.content.decode()
    assert "Sopisiko keskiviikko?" in response.content.decode()  # the answer stays in the form
    listing.refresh_from_db()
    assert listing.answer_count == 0


def test_answers_cannot_inject_headers(client):
    listing = ListingFactory()
    response = client.post(
        listing.get_absolute_url(),
        answer(email="aino@example.org\r\nBcc: kaikki@example.org", name="Aino\r\nBcc: x@y.z"),
    )
    assert response.status_code == 400
    assert not mail.outbox


def test_a_title_with_line_breaks_stays_on_the_subject_line(client):
    listing = ListingFactory(title_fi="Tila\r\nBcc: kaikki@example.org")
    client.post(listing.get_absolute_url(), answer())
    [message] = mail.outbox
    assert message.bcc == []
    assert "\n" not in message.subject
    assert "Bcc" not in str(message.message()["Bcc"] or "")


def test_answers_are_rate_limited(client):
    listing = ListingFactory()
    for _index in range(ANSWERS_PER_HOUR):
        assert client.post(listing.get_absolute_url(), answer()).status_code == 302
    assert client.post(listing.get_absolute_url(), answer()).status_code == 429
    assert len(mail.outbox) == ANSWERS_PER_HOUR


def test_the_answer_honeypot_sends_nothing(client):
    listing = ListingFactory()
    client.post(listing.get_absolute_url(), answer(website="x"))
    assert not mail.outbox


# Expiry -------------------------------------------------------------------------------------


def test_expired_listings_leave_the_board_and_their_author_is_told_once(client):
    expired = ListingFactory(
        title_fi="Kesän tila", valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    ListingFactory(title_fi="Voimassa")
    ListingFactory(
        status=Listing.Status.PENDING, valid_until=timezone.localdate() - dt.timedelta(days=1)
    )
    Listing.objects.filter(pk=expired.pk).update(answer_count=4)
    call_command("expire_listings", stdout=None)
    [message] = mail.outbox
    assert message.to == [expired.contact_email]
    assert "Kesän tila" in message.subject
    assert "Se sai 4 vastausta." in message.body
    call_command("expire_listings")
    assert len(mail.outbox) == 1
    assert "Kesän tila" not in client.get(BOARD).content.decode()


# Matching by sub-region -----------------------------------------------------------------------


def test_a_space_offered_shows_activities_offered_nearby(client):
    space = ListingFactory(title_fi="Tila Jyväskylässä", municipalities=[municipality("179")])
    ListingFactory(
        title_fi="Ryhmä Laukaasta",
        kind=Listing.Kind.ACTIVITY_OFFERED,
        municipalities=[municipality("410")],
    )
    ListingFactory(
        title_fi="Ryhmä Kuopiosta",
        kind=Listing.Kind.ACTIVITY_OFFERED,
        municipalities=[municipality("297")],
    )
    ListingFactory(
        title_fi="Ryhmä Keuruulta",  # Keski-Suomi too, but the Keuruu sub-region
        kind=Listing.Kind.ACTIVITY_OFFERED,
        municipalities=[municipality("249")],
    )
    ListingFactory(title_fi="Toinen tila Laukaassa", municipalities=[municipality("410")])
    assert municipality("179").subregion == municipality("410").subregion
    assert municipality("249").subregion != municipality("179").subregion
    page = client.get(space.get_absolute_url()).content.decode()
    assert "Ryhmä Laukaasta" in page
    assert "Ryhmä Kuopiosta" not in page and "Ryhmä Keuruulta" not in page
    assert "Toinen tila" not in page


# The feed -----------------------------------------------------------------------------------


def test_the_feed_validates_and_lists_a_regions_new_listings(client):
    ListingFactory(title_fi="Keski-Suomen tila", municipalities=[municipality("179")])
    ListingFactory(title_fi="Savon tila", municipalities=[municipality("297")])
    ListingFactory(title_fi="Odottaa", status=Listing.Status.PENDING)
    feed = feedparser.parse(client.get(FEED + "?region=13").content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    titles = [entry.title for entry in feed.entries]
    assert len(titles) == 1 and "Keski-Suomen tila" in titles[0]
    assert len(feedparser.parse(client.get(FEED).content).entries) == 2


def test_the_feed_refuses_an_unknown_region_clearly(client):
    response = client.get(FEED + "?region=99")
    assert response.status_code == 400
    assert "99" in response.content.decode()


# Stored XSS ---------------------------------------------------------------------------------


def test_stored_scripts_are_inert_on_every_board_page_and_the_feed(client):
    listing = ListingFactory(
        title_fi=XSS,
        text_fi=XSS,
        contact_name=XSS,
        volunteer_tasks=XSS,
        kind=Listing.Kind.VOLUNTEERS_WANTED,
    )
    ListingFactory(title_fi=XSS, kind=Listing.Kind.SPACE_OFFERED)
    match = ListingFactory(title_fi=XSS, kind=Listing.Kind.ACTIVITY_OFFERED)
    for url in (BOARD, BOARD + "?q=script", listing.get_absolute_url(), match.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, url
    feed = client.get(FEED).content.decode()
    assert "<script>" not in feed and "<img src=x" not in feed
    entries = feedparser.parse(feed).entries
    # Escaped once in the XML: readers show the text, they do not run it.
    assert any("&lt;script&gt;" in entry.summary for entry in entries)
