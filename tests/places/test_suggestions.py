"""Residents' correction suggestions (#16): the public form at /places/<slug>/suggest/, its
abuse resistance, who is told, and the scoped admin where staff and coordinators handle them."""

import email

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from kohtaamispaikat.core.models import UserProfile
from places.models import Place, Suggestion
from places.views import SUGGESTIONS_PER_HOUR
from tests.factories import (
    OrganizationFactory,
    PlaceFactory,
    WeeklyHoursFactory,
    municipality,
    organisation_staff,
    regional_coordinator,
)

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def suggest_url(place, language=""):
    return f"{language}{reverse('places:suggest', kwargs={'slug': place.slug})}"


def suggestion(**overrides):
    data = {
        "kind": "hours",
        "text": "Avoinna nykyään myös torstaisin 10–14.",
        "email": "asukas@example.org",
        "website": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def place():
    return PlaceFactory(name="Perhekahvila Pilke")


# The public form -------------------------------------------------------------------------------


def test_each_place_page_links_to_its_suggestion_form(client, place):
    page = client.get(place.get_absolute_url()).content.decode()
    assert f'href="{suggest_url(place)}"' in page
    form = client.get(suggest_url(place))
    assert form.status_code == 200
    content = form.content.decode()
    assert "Perhekahvila Pilke" in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert 'name="website"' in content  # the honeypot


def test_unpublished_or_unknown_places_have_no_form(client):
    draft = PlaceFactory(is_published=False)
    assert client.get(suggest_url(draft)).status_code == 404
    assert client.post(suggest_url(draft), suggestion()).status_code == 404
    assert client.get("/places/ei-ole/suggest/").status_code == 404
    assert not Suggestion.objects.exists()


def test_a_suggestion_is_stored_and_the_place_stays_as_it_was(client, place):
    WeeklyHoursFactory(place=place)
    before = Place.objects.values().get(pk=place.pk)
    response = client.post(suggest_url(place, "/sv"), suggestion(kind="closed"))
    assert response.status_code == 302
    assert "thanks" in response["Location"]
    stored = Suggestion.objects.get()
    assert (stored.place, stored.kind, stored.status) == (place, "closed", "new")
    assert stored.language == "sv"  # the resident wrote in Swedish
    assert stored.email == "asukas@example.org"
    assert Place.objects.values().get(pk=place.pk) == before
    assert place.weekly_hours.count() == 1
    assert client.get(response["Location"]).status_code == 200


def test_staff_and_the_regions_coordinators_are_told_in_their_language(client, place):
    staff = organisation_staff(place.organization, email="henkilokunta@example.org")
    UserProfile.objects.create(user=staff, language="sv")
    coordinator = regional_coordinator("13", email="koordinaattori@example.org")
    other_staff = organisation_staff(OrganizationFactory(), email="muu@example.org")
    regional_coordinator("01", email="uusimaa@example.org")
    client.post(suggest_url(place), suggestion())
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {staff.email, coordinator.email}
    assert other_staff.email not in by_recipient
    swedish = by_recipient[staff.email]
    assert "Perhekahvila Pilke" in swedish.subject
    assert "öppettiderna" in swedish.body  # the kind, in Swedish
    assert "Avoinna nykyään myös torstaisin" in swedish.body
    link = reverse("admin:places_suggestion_change", args=[Suggestion.objects.get().pk])
    assert link in swedish.body
    assert swedish.alternatives[0].mimetype == "text/html"
    assert "aukioloajat" in by_recipient[coordinator.email].body  # Finnish


def test_a_refusing_mail_server_loses_no_suggestion_and_shows_no_error(client, place, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    organisation_staff(place.organization)
    response = client.post(suggest_url(place), suggestion())
    assert response.status_code == 302
    assert Suggestion.objects.count() == 1


def test_html_is_refused_and_nothing_stored(client, place):
    response = client.post(suggest_url(place), suggestion(text=XSS))
    assert response.status_code == 400
    assert "HTML" in response.content.decode()
    assert "<script>alert" not in response.content.decode()
    assert not Suggestion.objects.exists()


def test_length_kind_and_address_are_checked(client, place):
    for bad in (
        suggestion(text="x" * 2001),
        suggestion(text=""),
        suggestion(kind="everything"),
        suggestion(email="not an address"),
        suggestion(email="a@example.org\r\nBcc: victim@example.org"),
        suggestion(text="nul \x00 char"),
    ):
        assert client.post(suggest_url(place), bad).status_code == 400, bad
    assert not Suggestion.objects.exists()
    assert client.post(suggest_url(place), suggestion(email="")).status_code == 302


def test_the_honeypot_is_thanked_and_ignored(client, place):
    organisation_staff(place.organization)
    response = client.post(suggest_url(place), suggestion(website="http://spam.example"))
    assert response.status_code == 302
    assert not Suggestion.objects.exists()
    assert not mail.outbox


def test_one_address_is_limited_per_hour(client, place):
    for _ in range(SUGGESTIONS_PER_HOUR):
        assert client.post(suggest_url(place), suggestion()).status_code == 302
    refused = client.post(suggest_url(place), suggestion())
    assert refused.status_code == 429
    assert "Please try again in an hour" in refused.content.decode() or "tunnin" in (
        refused.content.decode()
    )
    assert Suggestion.objects.count() == SUGGESTIONS_PER_HOUR
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert other.post(suggest_url(place), suggestion()).status_code == 302


def test_past_the_overall_ceiling_everyone_is_asked_to_wait(client, place, settings):
    settings.PUBLIC_FORMS_PER_HOUR = 3
    for number in range(3):
        sender = Client(REMOTE_ADDR=f"192.0.2.{number + 1}")
        assert sender.post(suggest_url(place), suggestion()).status_code == 302
    late = Client(REMOTE_ADDR="192.0.2.99").post(suggest_url(place, "/en"), suggestion())
    assert late.status_code == 429
    assert "too many submissions right now" in late.content.decode()
    assert Suggestion.objects.count() == 3


def test_a_place_name_with_line_breaks_cannot_inject_headers(client):
    place = PlaceFactory(name="Pilke\r\nBcc: victim@example.org")
    organisation_staff(place.organization)
    assert client.post(suggest_url(place), suggestion()).status_code == 302
    (message,) = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    parsed = email.message_from_bytes(message.message().as_bytes())
    assert parsed["Bcc"] is None
    assert parsed.get_all("To") == [message.to[0]]


# The admin ------------------------------------------------------------------------------------


@pytest.fixture
def received(place):
    return Suggestion.objects.create(
        place=place,
        kind="hours",
        text="Torstaisin myös auki.",
        email="a@example.org",
        language="sv",
    )


def change_url(suggestion):
    return reverse("admin:places_suggestion_change", args=[suggestion.pk])


def test_staff_see_the_suggestion_beside_the_places_current_values(client, received, place):
    WeeklyHoursFactory(place=place)
    client.force_login(organisation_staff(place.organization))
    page = client.get(change_url(received)).content.decode()
    assert "Torstaisin myös auki." in page
    assert place.street_address in page
    assert "09:00" in page  # the current hours
    assert 'name="_accept"' in page and 'name="_reject"' in page
    assert "a@example.org" not in page  # the resident's address is only for the answer


def test_accepting_leads_to_the_place_and_answers_in_the_residents_language(
    client, received, place
):
    user = organisation_staff(place.organization)
    client.force_login(user)
    response = client.post(change_url(received), {"note": "Korjattu, kiitos!", "_accept": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:places_place_change", args=[place.pk])
    received.refresh_from_db()
    assert (received.status, received.handled_by, received.note) == (
        "accepted",
        user,
        "Korjattu, kiitos!",
    )
    assert received.handled_at is not None
    (answer,) = mail.outbox
    assert answer.to == ["a@example.org"]
    assert "Tack" in answer.body  # Swedish, as the resident wrote
    assert "Korjattu, kiitos!" in answer.body
    place.refresh_from_db()
    assert place.street_address.startswith("Kauppakatu")  # still untouched


def test_rejecting_needs_a_note_and_sends_it(client, received, place):
    client.force_login(regional_coordinator("13"))
    response = client.post(change_url(received), {"note": "", "_reject": "1"})
    assert response.status_code == 200
    received.refresh_from_db()
    assert received.status == "new"
    assert not mail.outbox
    client.post(change_url(received), {"note": "Tiedot ovat oikein.", "_reject": "1"})
    received.refresh_from_db()
    assert received.status == "rejected"
    assert "Tiedot ovat oikein." in mail.outbox[0].body


def test_a_handled_suggestion_is_not_handled_twice(client, received, place):
    client.force_login(organisation_staff(place.organization))
    client.post(change_url(received), {"note": "Ok", "_accept": "1"})
    client.post(change_url(received), {"note": "Toisin", "_reject": "1"})
    received.refresh_from_db()
    assert (received.status, received.note) == ("accepted", "Ok")
    assert len(mail.outbox) == 1


def test_staff_never_see_another_organisations_suggestions(client, received):
    other_org = OrganizationFactory()
    foreign = Suggestion.objects.create(
        place=PlaceFactory(organization=other_org, name="VIERAS paikka"),
        kind="other",
        text="VIERAS ehdotus",
        language="fi",
    )
    client.force_login(organisation_staff(received.place.organization))
    listing = client.get(reverse("admin:places_suggestion_changelist")).content.decode()
    assert "Torstaisin" in listing or received.place.name in listing
    assert "VIERAS" not in listing
    assert (
        "VIERAS"
        not in client.get(
            reverse("admin:places_suggestion_changelist") + "?q=VIER"
        ).content.decode()
    )
    for view in ("change", "delete", "history"):
        response = client.get(reverse(f"admin:places_suggestion_{view}", args=[foreign.pk]))
        assert response.status_code in (302, 403, 404)
        assert "VIERAS" not in response.content.decode()
    client.post(change_url(foreign), {"note": "Kaapattu", "_reject": "1"})
    foreign.refresh_from_db()
    assert foreign.status == "new"


def test_coordinators_see_their_regions_suggestions_only(client, received):
    foreign = Suggestion.objects.create(
        place=PlaceFactory(municipality=municipality("091"), name="VIERAS paikka"),
        kind="other",
        text="VIERAS ehdotus",
        language="fi",
    )
    client.force_login(regional_coordinator("13"))
    listing = client.get(reverse("admin:places_suggestion_changelist")).content.decode()
    assert received.place.name in listing
    assert "VIERAS" not in listing
    assert client.get(change_url(foreign)).status_code in (302, 404)


def test_suggestions_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:places_suggestion_add")).status_code == 403


def test_the_changelist_runs_a_constant_number_of_queries(
    client, place, django_assert_max_num_queries
):
    client.force_login(regional_coordinator("13"))
    for number in range(15):
        Suggestion.objects.create(
            place=PlaceFactory(), kind="hours", text=f"Ehdotus {number}", language="fi"
        )
    with django_assert_max_num_queries(20):
        assert client.get(reverse("admin:places_suggestion_changelist")).status_code == 200


def test_suggestions_expire_after_the_retention_period(place, settings):
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    old = timezone.now() - dt.timedelta(days=400)
    Suggestion.objects.create(
        place=place,
        kind="hours",
        text="Vanha",
        email="a@example.org",
        language="fi",
        created_at=old,
    )
    Suggestion.objects.create(place=place, kind="hours", text="Uusi", language="fi")
    call_command("expire_personal_data")
    assert list(Suggestion.objects.values_list("text", flat=True)) == ["Uusi"]


def test_geojson_features_carry_the_last_verified_date(client):
    import datetime as dt

    PlaceFactory(slug="tarkistettu", last_verified=dt.date(2026, 3, 12))
    PlaceFactory(slug="tarkistamaton", last_verified=None)
    features = client.get("/places.geojson").json()["features"]
    dates = {
        feature["properties"]["slug"]: feature["properties"]["last_verified"]
        for feature in features
    }
    assert dates == {"tarkistettu": "2026-03-12", "tarkistamaton": None}
