"""A CSV import confirmed in the admin writes nothing over an edit made between its preview and
its confirmation: the preview records each place's edit count, the confirmation locks the rows
and, if one was saved since, previews the file again naming the place (issue 22)."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kohtaamispaikat.core.history import versions_of
from places.csv_io import CSV_COLUMNS, EXCEPTION_COLUMNS
from places.models import Place
from tests.factories import (
    HoursExceptionFactory,
    OrganizationFactory,
    PlaceFactory,
    regional_coordinator,
)

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:places_place_import")
HEADER = ",".join(CSV_COLUMNS[:6])


@pytest.fixture(autouse=True)
def english_admin(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def coordinator(client):
    client.force_login(regional_coordinator("13"))
    return client


@pytest.fixture
def place():
    return PlaceFactory(
        name="Kylän olohuone",
        organization=OrganizationFactory(slug="yhdistys-a"),
        street_address="Kauppakatu 1",
        postal_code="40100",
        postal_town="Jyväskylä",
    )


def preview(client, content):
    data = {"file": SimpleUploadedFile("paikat.csv", content.encode(), content_type="text/csv")}
    return client.post(IMPORT_URL, data)


def confirm(client, response):
    return client.post(IMPORT_URL, {"token": response.context["token"], "confirm": "1"})


def row_of(place, street):
    return f"{place.name},yhdistys-a,179,{street},{place.postal_code},{place.postal_town}\n"


def test_an_edit_after_the_preview_stops_the_import_and_the_file_is_previewed_again(
    coordinator, place
):
    content = HEADER + "\n" + row_of(place, "Kauppakatu 1")
    first = preview(coordinator, content)
    assert "Would create 0, update 0, leave 1 unchanged." in first.content.decode()

    # An admin changes the street between the preview and the confirmation.
    edited = Place.objects.get(pk=place.pk)
    edited.street_address = "Torikatu 5"
    edited.save()

    refused = confirm(coordinator, first)
    assert refused.status_code == 200
    messages = [str(message) for message in get_messages(refused.wsgi_request)]
    assert messages == [
        "Nothing was imported: “Kylän olohuone” was saved by someone else after the preview. "
        "Check the new preview and confirm again."
    ]
    place.refresh_from_db()
    assert place.street_address == "Torikatu 5"
    assert place.edit_count == edited.edit_count
    # The new preview shows what confirming would now do, with a new token.
    page = refused.content.decode()
    assert "Would create 0, update 1, leave 0 unchanged." in page
    assert refused.context["token"] not in ("", first.context["token"])

    # Confirming that preview deliberately replaces the edit.
    done = coordinator.post(
        IMPORT_URL, {"token": refused.context["token"], "confirm": "1"}, follow=True
    )
    assert [str(m) for m in get_messages(done.wsgi_request)] == [
        "Created 0, updated 1, unchanged 0."
    ]
    place.refresh_from_db()
    assert place.street_address == "Kauppakatu 1"


def test_the_old_token_is_spent_after_a_refusal(coordinator, place):
    first = preview(coordinator, HEADER + "\n" + row_of(place, "Uusi katu 2"))
    Place.objects.get(pk=place.pk).save()
    confirm(coordinator, first)
    again = confirm(coordinator, first)
    assert again["Location"] == IMPORT_URL
    place.refresh_from_db()
    assert place.street_address == "Kauppakatu 1"


def test_a_place_created_after_the_preview_is_not_overwritten(coordinator, place):
    organization = place.organization
    first = preview(coordinator, HEADER + "\nUusi paikka,yhdistys-a,179,Katu 1,40100,Jyväskylä\n")
    assert "Would create 1, update 0" in first.content.decode()
    other = PlaceFactory(name="Uusi paikka", organization=organization, street_address="Oma 1")

    refused = confirm(coordinator, first)
    assert "“Uusi paikka” was saved by someone else after the preview" in (refused.content.decode())
    other.refresh_from_db()
    assert other.street_address == "Oma 1"
    assert Place.objects.filter(name="Uusi paikka").count() == 1


def test_an_exceptions_file_is_refused_the_same_way(coordinator, place):
    HoursExceptionFactory(place=place, start_date=dt.date(2027, 1, 1), reason="Vanha")
    first = preview(
        coordinator, ",".join(EXCEPTION_COLUMNS) + f"\n{place.slug},2027-06-24,,,,,Juhannus\n"
    )
    assert first.context["report"].updated == 1
    Place.objects.get(pk=place.pk).save()

    refused = confirm(coordinator, first)
    assert "was saved by someone else after the preview" in refused.content.decode()
    assert list(place.exceptions.values_list("reason", flat=True)) == ["Vanha"]


def test_without_an_edit_the_confirmation_writes_and_records_a_version(coordinator, place):
    first = preview(coordinator, HEADER + "\n" + row_of(place, "Uusi katu 2"))
    done = confirm(coordinator, first)
    assert done.status_code == 302
    place.refresh_from_db()
    assert place.street_address == "Uusi katu 2"
    assert versions_of(place).first().field_dict["street_address"] == "Uusi katu 2"
