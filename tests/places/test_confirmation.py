"""Confirmation (#16): every staff save and the "Still correct" button confirm a place's
information; the public page shows the date and, after a year, a polite notice."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from places.models import Place
from tests.factories import OrganizationFactory, PlaceFactory, organisation_staff
from tests.places.test_admin_place_form import place_form

pytestmark = pytest.mark.django_db

HELSINKI = dt.timezone(dt.timedelta(hours=2))


def travel_to(day):
    """Time travel: timezone.now() (and so localdate()) answers noon of ``day``."""
    moment = dt.datetime.combine(day, dt.time(12), tzinfo=HELSINKI)
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture
def organization():
    return OrganizationFactory()


@pytest.fixture
def staff_client(client, organization):
    client.force_login(organisation_staff(organization))
    return client


def test_any_staff_save_confirms_the_information(staff_client, organization):
    place = PlaceFactory(organization=organization, last_verified=dt.date(2020, 1, 1))
    data = place_form(organization, slug=place.slug, loaded_edit_count=place.edit_count)
    # A date typed into the post is not taken: the save itself is the confirmation.
    data["last_verified"] = "2019-05-05"
    response = staff_client.post(reverse("admin:places_place_change", args=[place.pk]), data)
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.last_verified == timezone.localdate()


def test_still_correct_button_confirms_without_changing_anything(staff_client, organization):
    place = PlaceFactory(organization=organization, last_verified=dt.date(2020, 1, 1))
    confirm_url = reverse("admin:places_place_confirm", args=[place.pk])
    change_page = staff_client.get(reverse("admin:places_place_change", args=[place.pk]))
    assert confirm_url in change_page.content.decode()

    response = staff_client.post(confirm_url, follow=True)

    assert response.redirect_chain[-1][0] == reverse("admin:places_place_change", args=[place.pk])
    place.refresh_from_db()
    assert place.last_verified == timezone.localdate()
    assert place.name == Place.objects.get(pk=place.pk).name
    assert "is confirmed as still correct" in response.content.decode() or (
        "vahvistettu" in response.content.decode()
    )


def test_confirm_page_from_a_reminder_asks_before_confirming(staff_client, organization):
    place = PlaceFactory(organization=organization, last_verified=dt.date(2020, 1, 1))
    response = staff_client.get(reverse("admin:places_place_confirm", args=[place.pk]))
    assert response.status_code == 200
    assert place.name in response.content.decode()
    place.refresh_from_db()
    assert place.last_verified == dt.date(2020, 1, 1)  # a GET changes nothing


def test_confirm_page_needs_a_sign_in(client, organization):
    place = PlaceFactory(organization=organization)
    response = client.get(reverse("admin:places_place_confirm", args=[place.pk]))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_cannot_confirm_another_organisations_place(staff_client, method):
    other = PlaceFactory(last_verified=dt.date(2020, 1, 1))
    response = getattr(staff_client, method)(reverse("admin:places_place_confirm", args=[other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.last_verified == dt.date(2020, 1, 1)


def test_unknown_place_to_confirm_is_not_found(staff_client):
    assert staff_client.get(reverse("admin:places_place_confirm", args=["nope"])).status_code in {
        302,
        404,
    }


def test_public_page_shows_the_date_in_finnish_swedish_and_english(client):
    place = PlaceFactory(last_verified=dt.date(2026, 3, 12))
    pages = {}
    with travel_to(dt.date(2026, 6, 1)):
        for language in ("fi", "sv", "en"):
            with translation.override(language):
                pages[language] = client.get(place.get_absolute_url()).content.decode()
    finnish, swedish, english = pages["fi"], pages["sv"], pages["en"]
    assert "Tiedot tarkistettu 12.3.2026" in finnish
    assert "Uppgifterna kontrollerade 12.3.2026" in swedish
    assert "Information checked on 12 March 2026" in english
    assert "yli vuosi sitten" not in finnish


def test_stale_notice_appears_only_after_a_year(client):
    place = PlaceFactory(last_verified=dt.date(2025, 3, 12))
    with travel_to(dt.date(2026, 3, 12)):  # exactly 365 days: not yet stale
        assert "yli vuosi sitten" not in client.get(place.get_absolute_url()).content.decode()
    with travel_to(dt.date(2026, 3, 13)):
        page = client.get(place.get_absolute_url()).content.decode()
    assert "yli vuosi sitten" in page
    assert 'role="note"' in page


def test_never_confirmed_place_gets_the_notice(client):
    place = PlaceFactory(last_verified=None)
    page = client.get(place.get_absolute_url()).content.decode()
    assert "pitkään aikaan" in page


def test_the_queryset_and_the_page_agree_on_what_is_stale(settings):
    settings.PUBLIC_STALE_AFTER_DAYS = 365
    days = [dt.date(2025, 3, 11), dt.date(2025, 3, 12), dt.date(2025, 3, 13), None]
    places = [PlaceFactory(last_verified=day) for day in days]
    with travel_to(dt.date(2026, 3, 12)):
        stale = set(Place.objects.unconfirmed_for(365).values_list("pk", flat=True))
        assert stale == {place.pk for place in places if place.confirmation_is_stale}
    assert stale == {places[0].pk, places[3].pk}
