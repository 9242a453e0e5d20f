"""The Service Catalogue (PTV) import in the admin: a coordinator's municipalities only, a
preview, and a confirmation that applies what was previewed. A fake Service Catalogue on
127.0.0.1 serves the two sample pages (nothing touches the internet)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse

from places.models import Place
from tests.factories import (
    OrganizationFactory,
    PlaceFactory,
    UserFactory,
    organisation_staff,
    regional_coordinator,
)

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).resolve().parent.parent / "data" / "ptv"
IMPORT_URL = reverse("admin:places_place_import_ptv")
CHANGELIST_URL = reverse("admin:places_place_changelist")
PTV_ORGANIZATION = "5f3b1d2e-8c7a-4e55-9a61-2b7d0c4e9a10"
KOMPASSI = "3c1e7a52-0d4b-4f7e-9b0a-6f1d2c3b4a01"
TUULENTUPA = "3c1e7a52-0d4b-4f7e-9b0a-6f1d2c3b4a04"


@pytest.fixture(autouse=True)
def english_admin(settings):
    settings.LANGUAGE_CODE = "en"


class FakeCatalogue:
    """Serves ``pages`` (number → listing page) for any municipality, or answers ``status``."""

    def __init__(self):
        self.pages = {
            number: json.loads((PAGES / f"service_channels_page{number}.json").read_text())
            for number in (1, 2)
        }
        self.status = 200
        self.requests = []

    def change(self, number, index, change):
        change(self.pages[number]["itemList"][index])

    def handler(self):
        catalogue = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlparse(self.path)
                catalogue.requests.append(url.path)
                if catalogue.status != 200:
                    self.send_error(catalogue.status)
                    return
                page = catalogue.pages[int(parse_qs(url.query)["page"][0])]
                body = json.dumps(page).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def catalogue(settings):
    fake = FakeCatalogue()
    server = HTTPServer(("127.0.0.1", 0), fake.handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PTV_API_URL = f"http://127.0.0.1:{server.server_port}/api/v11"
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def organization():
    return OrganizationFactory(name="Jyväskylän kaupunki", ptv_id=PTV_ORGANIZATION)


@pytest.fixture
def coordinator(client):
    client.force_login(regional_coordinator("13"))
    return client


def preview(client, municipality="179", **data):
    return client.post(IMPORT_URL, {"municipality": municipality, **data})


def confirm(client, response):
    return client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]})


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def rows(response):
    """The preview's table as {PTV id: (change, updated fields, differing fields, note)}."""
    return {
        outcome.ptv_id: (
            outcome.get_action_display(),
            ", ".join(outcome.changed_labels()),
            ", ".join(outcome.differs_labels()),
            outcome.message,
        )
        for outcome in response.context["report"].outcomes
    }


def test_changelist_links_to_the_ptv_import_for_coordinators_only(client):
    client.force_login(regional_coordinator("13"))
    assert f'href="{IMPORT_URL}"' in client.get(CHANGELIST_URL).content.decode()

    client.force_login(organisation_staff(OrganizationFactory()))
    assert f'href="{IMPORT_URL}"' not in client.get(CHANGELIST_URL).content.decode()
    assert client.get(IMPORT_URL).status_code == 403


def test_the_form_offers_only_the_coordinators_municipalities(coordinator):
    choices = coordinator.get(IMPORT_URL).context["form"].fields["municipality"].queryset
    assert "179" in {m.code for m in choices}
    assert {m.region_id for m in choices} == {"13"}


def test_a_crafted_municipality_code_is_refused_without_asking_ptv(coordinator, catalogue):
    response = preview(coordinator, municipality="091")  # Helsinki, in Uusimaa

    assert response.status_code == 200
    assert response.context["form"].errors["municipality"]
    assert catalogue.requests == []


def test_preview_then_confirm_imports_the_service_locations(coordinator, catalogue, organization):
    response = preview(coordinator)

    assert response.status_code == 200
    assert "3 created, 0 updated, 0 unchanged, 2 skipped" in response.content.decode()
    assert rows(response)[KOMPASSI][0] == "created"
    assert not Place.objects.exists()
    assert (
        catalogue.requests
        == [
            "/api/v11/ServiceChannel/list/area/Municipality/code/179",
        ]
        * 2
    )

    response = confirm(coordinator, response)

    assert response.status_code == 302
    assert "3 created" in message_texts(response)[0]
    assert Place.objects.filter(organization=organization, is_published=False).count() == 3
    assert len(catalogue.requests) == 2  # the confirmation imports the previewed pages


def test_preview_shows_updates_local_edits_and_vanished_channels(
    coordinator, catalogue, organization
):
    call_command("import_ptv", "--municipality", "179", stdout=StringIO())
    kompassi = Place.objects.get(ptv_id=KOMPASSI)
    kompassi.phone = "+358 40 765 4321"
    kompassi.save()

    def change(item):
        item["phoneNumbers"][0]["number"] = "409999999"
        item["emails"][0]["value"] = "uusi@example.fi"

    catalogue.change(1, 0, change)
    del catalogue.pages[2]["itemList"][0]  # Tuulentupa is no longer listed

    response = preview(coordinator)

    assert rows(response)[KOMPASSI][:3] == ("updated", "email", "phone")
    assert rows(response)[TUULENTUPA][0] == "no longer in PTV"
    content = response.content.decode()
    assert "Differs from PTV (kept as edited here)" in content
    assert "1 updated, 1 unchanged, 2 skipped, 1 no longer in PTV" in content

    confirm(coordinator, response)
    kompassi.refresh_from_db()
    assert (kompassi.phone, kompassi.email) == ("+358 40 765 4321", "uusi@example.fi")
    assert Place.objects.filter(ptv_id=TUULENTUPA).exists()


def test_a_place_outside_the_coordinators_regions_is_skipped(coordinator, catalogue, organization):
    def move_to_helsinki(item):
        item["addresses"][0]["streetAddress"]["municipality"]["code"] = "091"
        item["addresses"][0]["streetAddress"]["postalCode"] = "00100"

    catalogue.change(2, 0, move_to_helsinki)

    response = preview(coordinator)
    assert rows(response)[TUULENTUPA][0] == "skipped"
    assert "outside your regions" in rows(response)[TUULENTUPA][3]

    confirm(coordinator, response)
    assert not Place.objects.filter(ptv_id=TUULENTUPA).exists()
    assert Place.objects.filter(ptv_id=KOMPASSI).exists()


def test_an_existing_place_of_another_region_is_not_updated(coordinator, catalogue, organization):
    call_command("import_ptv", "--municipality", "179", stdout=StringIO())
    kompassi = Place.objects.get(ptv_id=KOMPASSI)
    Place.objects.filter(pk=kompassi.pk).update(municipality="091", postal_code="00100")

    response = preview(coordinator)
    assert rows(response)[KOMPASSI][0] == "skipped"
    confirm(coordinator, response)
    assert Place.objects.get(pk=kompassi.pk).municipality_id == "091"


def test_confirm_is_refused_when_a_place_changed_after_the_preview(
    coordinator, catalogue, organization
):
    call_command("import_ptv", "--municipality", "179", stdout=StringIO())
    catalogue.change(1, 0, lambda item: item["emails"][0].update(value="uusi@example.fi"))
    response = preview(coordinator)
    assert rows(response)[KOMPASSI][:2] == ("updated", "email")

    kompassi = Place.objects.get(ptv_id=KOMPASSI)
    kompassi.email = "oma@example.fi"  # someone edits the place meanwhile
    kompassi.save()
    response = confirm(coordinator, response)

    assert response.status_code == 302
    assert "changed after the preview, so nothing was imported" in message_texts(response)[0]
    kompassi.refresh_from_db()
    assert kompassi.email == "oma@example.fi"


def test_confirm_is_refused_when_a_place_was_imported_meanwhile(
    coordinator, catalogue, organization
):
    response = preview(coordinator)
    call_command("import_ptv", "--municipality", "179", stdout=StringIO())
    Place.objects.update(name="Muutettu")

    response = confirm(coordinator, response)
    assert "nothing was imported" in message_texts(response)[0]
    assert set(Place.objects.values_list("name", flat=True)) == {"Muutettu"}


def test_a_confirmation_works_once(coordinator, catalogue, organization):
    response = preview(coordinator)
    confirm(coordinator, response)
    again = confirm(coordinator, response)
    assert "expired or was already done" in message_texts(again)[-1]
    assert Place.objects.count() == 3


def test_a_server_error_is_a_clear_message(coordinator, catalogue):
    catalogue.status = 500

    response = preview(coordinator)

    assert response.status_code == 200
    content = response.content.decode()
    assert "The service locations cannot be imported." in content
    assert "The Service Catalogue did not answer" in content
    assert not Place.objects.exists()


def test_a_page_that_is_not_ptv_json_is_a_clear_message(coordinator, catalogue):
    catalogue.pages[1] = {"hello": "world"}

    response = preview(coordinator)

    assert response.status_code == 200
    assert "is not a page of a PTV service channel listing" in response.content.decode()


def test_a_problem_is_shown_and_cannot_be_confirmed(coordinator, catalogue):
    response = preview(coordinator)  # no organisation here has the PTV organisation's ID

    assert "nothing was imported" in response.content.decode()
    assert response.context["token"] == ""
    assert 'name="confirm"' not in response.content.decode()


def test_new_places_go_to_the_chosen_organisation(coordinator, catalogue):
    target = OrganizationFactory()
    response = preview(coordinator, organization=target.pk, ptv_organization=PTV_ORGANIZATION)
    confirm(coordinator, response)
    assert Place.objects.filter(organization=target).count() == 3


def test_a_site_admin_may_import_any_municipality(client, catalogue, organization):
    client.force_login(UserFactory(is_superuser=True))
    PlaceFactory()
    response = preview(client, municipality="091")
    assert response.status_code == 200
    assert "report" in response.context
