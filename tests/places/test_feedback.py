"""Visitors' voice (#17): the anonymous feedback form at /places/<slug>/feedback/, its abuse
resistance, the 5-answer threshold, the scoped comments in the admin and the QR poster."""

import io
import re
from pathlib import Path

import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from PIL import Image

from places.feedback import MIN_ANSWERS, feedback_qr
from places.models import Feedback
from places.views import FEEDBACK_PER_ADDRESS_PER_HOUR
from tests.factories import (
    FeedbackFactory,
    OrganizationFactory,
    PlaceFactory,
    municipality,
    organisation_staff,
    regional_coordinator,
)

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'


def feedback_url(place, language=""):
    return f"{language}{reverse('places:feedback', kwargs={'slug': place.slug})}"


def answers(**overrides):
    data = {
        "participation": "4",
        "safety": "3",
        "happiness": "4",
        "come_again": "yes",
        "comment": "Mukava aamupäivä.",
        "website": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def place():
    return PlaceFactory(name="Perhekahvila Pilke")


# The public form -------------------------------------------------------------------------------


def test_the_place_page_links_to_an_accessible_anonymous_form(client, place):
    page = client.get(place.get_absolute_url()).content.decode()
    assert f'href="{feedback_url(place)}"' in page
    response = client.get(f"/en/places/{place.slug}/feedback/")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in content
    assert 'name="website"' in content  # the honeypot
    # Each question is a radio group with its question as the legend, each face has words.
    for question in ("Did you feel you could take part?", "Did you feel safe?"):
        assert f"<legend>{question}</legend>" in content.replace("\n", "")
    fieldsets = re.findall(r"<fieldset.*?</fieldset>", content, re.S)
    assert len(fieldsets) >= 4  # three face scales and "would you come again"
    face_labels = re.findall(r'<label class="face-scale__choice".*?</label>', content, re.S)
    assert len(face_labels) == 12
    for label in face_labels:
        assert 'type="radio"' in label and 'aria-hidden="true"' in label
        assert re.search(r"<span>\w[^<]+</span>", label)  # the face's words
    assert "email" not in content.lower().split("<main", 1)[1].split("</main>")[0]


def test_unpublished_or_unknown_places_have_no_form(client):
    draft = PlaceFactory(is_published=False)
    assert client.get(feedback_url(draft)).status_code == 404
    assert client.post(feedback_url(draft), answers()).status_code == 404
    assert client.get("/places/ei-ole/feedback/").status_code == 404
    assert client.get("/places/ei-ole/poster/").status_code == 404
    assert not Feedback.objects.exists()


def test_an_answer_is_stored_with_the_month_and_language_and_nothing_personal(client, place):
    response = Client(REMOTE_ADDR="198.51.100.23").post(feedback_url(place, "/sv"), answers())
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    stored = Feedback.objects.get()
    assert (stored.place, stored.participation, stored.safety, stored.happiness) == (
        place,
        4,
        3,
        4,
    )
    assert stored.come_again is True
    assert stored.language == "sv"
    assert stored.comment == "Mukava aamupäivä."
    row = Feedback.objects.values().get()
    assert "198.51.100.23" not in str(row)
    assert set(row) == {
        "id",
        "place_id",
        "year",
        "month",
        "participation",
        "safety",
        "happiness",
        "come_again",
        "comment",
        "language",
    }


@pytest.mark.parametrize(
    ("choice", "stored"), [("yes", True), ("no", False), ("", None)], ids=["yes", "no", "blank"]
)
def test_would_you_come_again_may_be_left_open(client, place, choice, stored):
    assert client.post(feedback_url(place), answers(come_again=choice)).status_code == 302
    assert Feedback.objects.get().come_again is stored


def test_every_face_must_be_chosen_on_the_scale(client, place):
    for bad in (
        answers(participation=""),
        answers(safety="5"),
        answers(happiness="0"),
        answers(participation="many"),
        answers(comment="x" * 1001),
        answers(comment=XSS),
        answers(comment="nul \x00 char"),
    ):
        response = client.post(feedback_url(place), bad)
        assert response.status_code == 400, bad
        assert "<script>alert" not in response.content.decode()
    assert not Feedback.objects.exists()
    missing = client.post(feedback_url(place), answers(safety="")).content.decode()
    assert "Choose one of the faces." in missing or "Valitse" in missing


def test_the_honeypot_is_thanked_and_ignored(client, place):
    response = client.post(feedback_url(place), answers(website="http://spam.example"))
    assert response.status_code == 302
    assert not Feedback.objects.exists()


def test_one_address_is_limited_per_hour(client, place):
    for _ in range(FEEDBACK_PER_ADDRESS_PER_HOUR):
        assert client.post(feedback_url(place), answers()).status_code == 302
    assert client.post(feedback_url(place), answers()).status_code == 429
    assert Feedback.objects.count() == FEEDBACK_PER_ADDRESS_PER_HOUR
    assert Client(REMOTE_ADDR="192.0.2.7").post(feedback_url(place), answers()).status_code == 302


def test_past_the_overall_ceiling_everyone_is_asked_to_wait(place, settings):
    settings.FEEDBACK_PER_HOUR = 3
    for number in range(3):
        sender = Client(REMOTE_ADDR=f"192.0.2.{number + 1}")
        assert sender.post(feedback_url(place), answers()).status_code == 302
    late = Client(REMOTE_ADDR="192.0.2.99").post(feedback_url(place, "/en"), answers())
    assert late.status_code == 429
    assert "too many submissions right now" in late.content.decode()
    assert Feedback.objects.count() == 3


def test_csrf_is_required(place):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(feedback_url(place), answers()).status_code == 403
    assert not Feedback.objects.exists()


def test_an_answer_does_not_empty_the_page_cache(client, place):
    from kohtaamispaikat.core.cache import current_data_version as data_version

    before = data_version()
    client.post(feedback_url(place), answers())
    assert data_version() == before


# Aggregated only, from five answers -------------------------------------------------------------


def test_averages_appear_only_from_five_answers(place):
    FeedbackFactory.create_batch(MIN_ANSWERS - 1, place=place)
    summary = place.feedback.summary()
    assert summary.answers == MIN_ANSWERS - 1
    assert not summary.is_shown
    assert summary.participation is None and summary.come_again_share is None
    FeedbackFactory(place=place, participation=1, safety=2, happiness=4, come_again=None)
    summary = place.feedback.summary()
    assert summary.is_shown
    assert summary.participation == pytest.approx((4 * 3 + 1) / 5)
    assert summary.safety == pytest.approx((4 * 4 + 2) / 5)
    assert summary.happiness == pytest.approx((4 * 3 + 4) / 5)
    assert summary.come_again_share == pytest.approx(100)  # of the four who answered


def place_admin_page(client, user, place):
    client.force_login(user)
    return client.get(reverse("admin:places_place_change", args=[place.pk])).content.decode()


def test_the_place_admin_shows_averages_only_from_five_answers(client, place):
    staff = organisation_staff(place.organization)
    FeedbackFactory.create_batch(4, place=place, participation=2)
    page = place_admin_page(client, staff, place)
    assert "4 answers so far" in page or "4 vastausta" in page
    assert "2.0 / 4" not in page
    FeedbackFactory(place=place, participation=2)
    page = place_admin_page(client, staff, place)
    assert "2.0 / 4" in page
    assert reverse("places:poster", kwargs={"slug": place.slug}) in page


# Comments in the admin, scoped -------------------------------------------------------------------


def test_comments_are_shown_to_the_places_staff_and_its_regions_coordinators_only(client):
    own = PlaceFactory(municipality=municipality("179"))  # Jyväskylä, Keski-Suomi (13)
    FeedbackFactory(place=own, comment="Ihana ohjaaja")
    FeedbackFactory(place=own, comment="")
    foreign = PlaceFactory(municipality=municipality("091"), organization=OrganizationFactory())
    FeedbackFactory(place=foreign, comment="Helsingin palaute")
    changelist = reverse("admin:places_feedback_changelist")

    for user in (organisation_staff(own.organization), regional_coordinator("13")):
        client.force_login(user)
        page = client.get(changelist).content.decode()
        assert "Ihana ohjaaja" in page
        assert "Helsingin palaute" not in page
        foreign_row = Feedback.objects.get(place=foreign)
        change = client.get(reverse("admin:places_feedback_change", args=[foreign_row.pk]))
        assert change.status_code in (302, 404)

    client.force_login(regional_coordinator("01", username="uusimaa"))
    page = client.get(changelist).content.decode()
    assert "Helsingin palaute" in page and "Ihana ohjaaja" not in page


def test_the_comment_page_shows_the_words_but_not_the_faces(client, place):
    row = FeedbackFactory(place=place, comment="Kiitos!", participation=1)
    client.force_login(organisation_staff(place.organization))
    page = client.get(reverse("admin:places_feedback_change", args=[row.pk])).content.decode()
    assert "Kiitos!" in page
    assert "not at all" not in page and "ei lainkaan" not in page
    assert "Did you feel safe?" not in page
    # Read only: nobody edits a visitor's words.
    client.post(reverse("admin:places_feedback_change", args=[row.pk]), {"comment": "Muutettu"})
    row.refresh_from_db()
    assert row.comment == "Kiitos!"


def test_coordinators_may_delete_an_abusive_comment_and_staff_may_not(client, place):
    row = FeedbackFactory(place=place, comment="Asiaton")
    delete = reverse("admin:places_feedback_delete", args=[row.pk])
    client.force_login(organisation_staff(place.organization))
    client.post(delete, {"post": "yes"})
    assert Feedback.objects.filter(pk=row.pk).exists()
    client.force_login(regional_coordinator("13"))
    client.post(delete, {"post": "yes"})
    assert not Feedback.objects.filter(pk=row.pk).exists()


# The poster ------------------------------------------------------------------------------------


def decode(qr):
    png = io.BytesIO()
    qr.save(png, kind="png", scale=6)
    png.seek(0)
    return [result.text for result in zxingcpp.read_barcodes(Image.open(png))]


@pytest.mark.parametrize("language", ["", "/sv", "/en"])
def test_the_poster_carries_a_qr_code_of_the_feedback_pages_absolute_address(
    client, place, language
):
    response = client.get(f"{language}/places/{place.slug}/poster/", HTTP_HOST="testserver")
    assert response.status_code == 200
    page = response.content.decode()
    absolute = f"http://testserver{language}/places/{place.slug}/feedback/"
    qr = feedback_qr(absolute)
    # The page's SVG is exactly that code's, and the code reads back as the address.
    svg = re.search(r'<svg viewBox="[^"]+" class="poster__qr">.*?</svg>', page, re.S).group(0)
    assert svg == qr.svg_inline(
        scale=1, omitsize=True, svgclass="poster__qr", lineclass=None, title=absolute
    )
    assert decode(qr) == [absolute]
    assert absolute in page  # printed for those who type it
    assert place.name in page


def test_the_poster_has_a_print_stylesheet_for_a4(client):
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    assert re.search(r"@page poster \{[^}]*size: A4", css)
    assert ".poster { page: poster;" in css
