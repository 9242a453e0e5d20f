"""Every form that takes submissions from the public (#22), door by door: CSRF, a honeypot,
limits per address (an IPv6 /64 counting as one) and for everyone, size limits, no HTML stored
and no header injected into the e-mails it sends.

Each door is a row of DOORS: a valid submission, and how many submissions got through (rows
stored, e-mails sent, visits counted). A flood from 200 addresses past the overall ceiling stores
nothing more and tells the senders why.
"""

import datetime as dt
import email
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from network.board import ANSWERS_PER_HOUR, SUBMISSIONS_PER_HOUR, announce_expired, relay_answer
from network.models import Listing
from places import proposals
from places.models import Feedback, PlaceProposal, Suggestion, VisitCount
from places.suggestions import handle
from places.views import (
    COUNTER_TAPS_PER_ADDRESS,
    FEEDBACK_PER_ADDRESS_PER_HOUR,
    PROPOSALS_PER_HOUR,
    SUGGESTIONS_PER_HOUR,
)
from tests.factories import (
    ListingFactory,
    OrganizationFactory,
    PlaceFactory,
    UserFactory,
    organisation_staff,
)

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
INJECTION = "\r\nBcc: victim@example.org\r\nSubject: spam"
FLOOD, CEILING = 200, 100
TOO_MANY_AT_ONCE = "too many submissions right now"
TOO_MANY_FROM_ONE = "Please try again in an hour"


def english(name, **kwargs):
    with translation.override("en"):
        return reverse(name, **kwargs)


def public_ceiling(settings, monkeypatch, limit):
    settings.PUBLIC_FORMS_PER_HOUR = limit


def feedback_ceiling(settings, monkeypatch, limit):
    settings.FEEDBACK_PER_HOUR = limit


def counter_ceiling(settings, monkeypatch, limit):
    monkeypatch.setattr("places.views.COUNTER_TAPS_PER_PLACE", limit)


@dataclass
class Door:
    url: Callable  # world -> the form's address (English)
    data: Callable  # number -> a valid submission
    taken: Callable  # world -> how many submissions got through
    per_address: int
    ceiling: Callable = public_ceiling  # (settings, monkeypatch, limit): set the overall ceiling
    too_many: str = TOO_MANY_AT_ONCE
    too_many_from_one: str = TOO_MANY_FROM_ONE
    signed_in: bool = False  # the staff's door counter; the others take anyone
    honeypot: bool = True
    text_fields: dict = field(default_factory=dict)  # name -> max_length
    header_fields: tuple = ()  # what reaches an e-mail's headers
    follow_up: Callable = lambda world: None  # sends the e-mails a stored submission leads to
    # When the mail server refuses: (status, what the sender reads, how many get through).
    mail_down: tuple = None


def suggestion(number):
    return {
        "kind": "hours",
        "text": f"Auki myös torstaisin ({number}).",
        "email": "",
        "website": "",
    }


def feedback(number):
    return {
        "participation": "4",
        "safety": "3",
        "happiness": str(1 + number % 4),
        "come_again": "yes",
        "comment": f"Kiva käynti ({number}).",
        "website": "",
    }


def listing(number):
    return {
        "kind": "activity_offered",
        "title_fi": f"Vertaisryhmä etsii tilaa {number}",
        "text_fi": "Ryhmämme kokoontuu kerran viikossa.",
        "municipalities": ["410"],
        "valid_until": (timezone.localdate() + dt.timedelta(days=60)).isoformat(),
        "contact_name": "Liisa Lahtinen",
        "contact_email": "liisa@example.org",
        "website": "",
    }


def answer(number):
    return {
        "name": "Aino Avustaja",
        "email": "aino@example.org",
        "message": f"Sopisiko keskiviikko? ({number})",
        "website": "",
    }


def proposal(number):
    return {
        "organization_name": f"Kylätaloyhdistys {number} ry",
        "business_id": "",
        "contact_name": "Maija Meikäläinen",
        "contact_email": "maija@example.org",
        "place_name": f"Kylätalon olohuone {number}",
        "municipality": "179",
        "street_address": "Kylätie 5",
        "postal_code": "40100",
        "postal_town": "Jyväskylä",
        "description": "",
        "opens_2": "10:00",
        "closes_2": "14:00",
        "hours_text": "",
        "consent": "on",
        "website": "",
    }


def handle_proposals(world):
    """Approve the first proposal (the contact person's e-mail) and reject the others."""
    site_admin = UserFactory(username="root", email="root@example.org", is_superuser=True)
    for number, received in enumerate(PlaceProposal.objects.order_by("pk")):
        if number == 0:
            proposals.approve(received, user=site_admin, publish=True)
        else:
            proposals.reject(received, user=site_admin, note="Jo luettelossa.")


def answer_suggestions(world):
    for received in Suggestion.objects.all():
        handle(received, status=Suggestion.Status.ACCEPTED, user=world["staff"])


def answer_and_expire_listings(world):
    """Approve the submitted listings, answer each, and tell their posters they expired."""
    new = Listing.objects.exclude(pk=world["listing"].pk)
    new.update(status=Listing.Status.APPROVED)
    for submitted in new:
        relay_answer(
            submitted, name="Aino", email="aino@example.org", message="Hei", listing_url="/"
        )
    announce_expired(lambda listing: "/", today=timezone.localdate() + dt.timedelta(days=400))


def answers_sent(world):
    return sum(message.to == [world["listing"].contact_email] for message in mail.outbox)


def visits_counted(world):
    return sum(VisitCount.objects.filter(place=world["place"]).values_list("visits", flat=True))


DOORS = {
    "suggestion": Door(
        url=lambda world: english("places:suggest", kwargs={"slug": world["place"].slug}),
        data=suggestion,
        taken=lambda world: Suggestion.objects.count(),
        per_address=SUGGESTIONS_PER_HOUR,
        text_fields={"text": Suggestion._meta.get_field("text").max_length},
        header_fields=("email",),
        follow_up=answer_suggestions,
        mail_down=(302, "", 1),  # stored all the same; the admin shows it
    ),
    "visitor feedback": Door(
        url=lambda world: english("places:feedback", kwargs={"slug": world["place"].slug}),
        data=feedback,
        taken=lambda world: Feedback.objects.count(),
        per_address=FEEDBACK_PER_ADDRESS_PER_HOUR,
        ceiling=feedback_ceiling,
        text_fields={"comment": Feedback._meta.get_field("comment").max_length},
    ),
    "board listing": Door(
        url=lambda world: english("network:listing_submit"),
        data=listing,
        taken=lambda world: Listing.objects.exclude(pk=world["listing"].pk).count(),
        per_address=SUBMISSIONS_PER_HOUR,
        text_fields={
            name: Listing._meta.get_field(name).max_length
            for name in ("title_fi", "text_fi", "contact_name")
        },
        header_fields=("title_fi", "contact_name", "contact_email"),
        follow_up=answer_and_expire_listings,
    ),
    "board answer": Door(
        url=lambda world: english("network:listing", kwargs={"slug": world["listing"].slug}),
        data=answer,
        taken=answers_sent,
        per_address=ANSWERS_PER_HOUR,
        text_fields={"name": 200, "message": 2000},
        header_fields=("name", "email"),
        mail_down=(503, "could not be sent just now", 0),
    ),
    "join": Door(
        url=lambda world: english("places:join"),
        data=proposal,
        taken=lambda world: PlaceProposal.objects.count(),
        per_address=PROPOSALS_PER_HOUR,
        text_fields={
            name: PlaceProposal._meta.get_field(name).max_length
            for name in (
                "organization_name",
                "contact_name",
                "place_name",
                "street_address",
                "postal_town",
                "description",
                "hours_text",
            )
        },
        header_fields=("organization_name", "place_name", "contact_name", "contact_email"),
        follow_up=handle_proposals,
    ),
    "visit counter": Door(
        url=lambda world: english("places:counter"),
        data=lambda number: {"place": None},  # the world's place, filled in by submission()
        taken=visits_counted,
        per_address=COUNTER_TAPS_PER_ADDRESS,
        ceiling=counter_ceiling,
        too_many="Too many taps right now",
        too_many_from_one="Too many taps right now",
        signed_in=True,
        # Behind sign-in: no bot without an account reaches it, and a hidden field beside
        # every +1 button would only be read out to screen-reader users.
        honeypot=False,
    ),
}


@pytest.fixture
def world():
    organization = OrganizationFactory(name="Oma ry")
    place = PlaceFactory(name="Perhekahvila Pilke", organization=organization)
    staff = organisation_staff(organization, username="jasen", email="jasen@example.org")
    return {"place": place, "listing": ListingFactory(), "staff": staff}


@pytest.fixture(params=DOORS)
def door(request):
    return request.param, DOORS[request.param]


def submission(door, world, number=0, **changes):
    data = door.data(number)
    if "place" in data:  # the counter taps the world's place
        data["place"] = world["place"].pk
    data.update(changes)
    return data


def sender(door, world, address="192.0.2.1", **options):
    client = Client(REMOTE_ADDR=address, **options)
    if door.signed_in:
        client.force_login(world["staff"])
    return client


def test_a_valid_submission_gets_through(door, world):
    _name, door = door
    response = sender(door, world).post(door.url(world), submission(door, world))
    assert response.status_code == 302
    assert door.taken(world) == 1


def test_every_door_needs_the_csrf_token(door, world):
    _name, door = door
    client = sender(door, world, enforce_csrf_checks=True)
    page = client.get(door.url(world))
    assert page.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    assert client.post(door.url(world), submission(door, world)).status_code == 403
    assert door.taken(world) == 0


def test_a_filled_honeypot_is_thanked_and_ignored(door, world):
    name, door = door
    if not door.honeypot:
        pytest.skip(f"the {name} is behind sign-in")
    client = sender(door, world)
    assert 'name="website"' in client.get(door.url(world)).content.decode()
    response = client.post(door.url(world), submission(door, world, website="http://spam.example"))
    assert response.status_code == 302
    assert door.taken(world) == 0
    assert not mail.outbox


def test_one_address_is_stopped_at_its_limit(door, world):
    _name, door = door
    client = sender(door, world)
    for number in range(door.per_address):
        assert client.post(door.url(world), submission(door, world, number)).status_code == 302
    refused = client.post(door.url(world), submission(door, world, door.per_address))
    assert refused.status_code == 429
    assert door.too_many_from_one in refused.content.decode()
    assert door.taken(world) == door.per_address
    other = sender(door, world, "192.0.2.2").post(door.url(world), submission(door, world))
    assert other.status_code == 302


def test_one_ipv6_network_counts_as_one_address(door, world):
    # A subscriber gets a whole /64 and can give each request an address of its own.
    _name, door = door
    for number in range(door.per_address):
        client = sender(door, world, f"2001:db8:0:1::{number + 1:x}")
        assert client.post(door.url(world), submission(door, world, number)).status_code == 302
    rotated = sender(door, world, "2001:db8:0:1:ffff::1")
    assert rotated.post(door.url(world), submission(door, world)).status_code == 429
    assert door.taken(world) == door.per_address
    neighbour = sender(door, world, "2001:db8:0:2::1")
    assert neighbour.post(door.url(world), submission(door, world)).status_code == 302


def test_a_flood_from_many_addresses_stops_at_the_overall_ceiling(
    door, world, settings, monkeypatch
):
    _name, door = door
    door.ceiling(settings, monkeypatch, CEILING)
    answers = []
    for number in range(FLOOD):
        client = sender(door, world, f"198.51.{number // 250}.{number % 250 + 1}")
        answers.append(client.post(door.url(world), submission(door, world, number)))
    assert [response.status_code for response in answers[:CEILING]] == [302] * CEILING
    assert {response.status_code for response in answers[CEILING:]} == {429}
    assert door.too_many in answers[-1].content.decode()
    assert door.taken(world) == CEILING


def needs(door, what):
    name, door = door
    if not getattr(door, what):
        pytest.skip(f"the {name} has no {what.replace('_', ' ')}")
    return door


def test_too_long_text_is_refused_and_nothing_taken(door, world):
    door = needs(door, "text_fields")
    client = sender(door, world)
    for name, max_length in door.text_fields.items():
        response = client.post(
            door.url(world), submission(door, world, **{name: "a" * (max_length + 1)})
        )
        assert response.status_code == 400, name
    assert door.taken(world) == 0


def test_an_oversized_body_answers_400_and_nothing_taken(door, world):
    _name, door = door
    huge = submission(door, world, padding="x" * 3_000_000)
    assert sender(door, world).post(door.url(world), huge).status_code == 400
    assert door.taken(world) == 0


def test_html_is_refused_and_nothing_stored(door, world):
    door = needs(door, "text_fields")
    client = sender(door, world)
    for name in door.text_fields:
        response = client.post(door.url(world), submission(door, world, **{name: f"Hei {XSS}"}))
        assert response.status_code == 400, name
    assert door.taken(world) == 0
    assert not Suggestion.objects.filter(text__contains="<").exists()
    assert not Listing.objects.filter(text_fi__contains="<").exists()
    assert not PlaceProposal.objects.filter(place_name__contains="<").exists()


def test_line_breaks_cannot_add_e_mail_headers(door, world):
    door = needs(door, "header_fields")
    client = sender(door, world)
    accepted = []
    for name in door.header_fields:
        data = submission(door, world)
        data[name] = f"{data[name] or 'a@example.org'}{INJECTION}"
        if client.post(door.url(world), data).status_code == 302:
            accepted.append(name)
    door.follow_up(world)
    assert mail.outbox or not accepted, f"{accepted} were taken but led to no e-mail"
    for message in mail.outbox:
        parsed = email.message_from_bytes(message.message().as_bytes(), policy=policy.default)
        assert parsed["Bcc"] is None
        assert [" ".join(subject.split()) for subject in parsed.get_all("Subject")] == [
            message.subject
        ]
        assert "\n" not in message.subject and "\r" not in message.subject
        assert all("victim" not in address for address in message.recipients())


def test_a_refusing_mail_server_loses_nothing_and_answers_clearly(door, world, settings):
    door = needs(door, "mail_down")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    status, message, taken = door.mail_down
    data = submission(door, world, message="Tämä teksti säilyy.")
    response = sender(door, world).post(door.url(world), data)
    assert response.status_code == status
    assert message in response.content.decode()
    if status != 302:
        assert "Tämä teksti säilyy." in response.content.decode()
    assert door.taken(world) == taken
