"""Control characters (a vertical tab is what Word's Shift+Enter pastes): normalised when text
is saved, and never able to break a feed or an export that holds what was stored before."""

import json
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.urls import reverse
from django.utils import translation

from kohtaamispaikat.core.text import normalise_text
from network.models import Listing, Meeting
from places.csv_io import import_places
from places.models import Place, Region
from tests.factories import ListingFactory, MeetingFactory, OrganizationFactory, PlaceFactory
from tests.network.test_board import submission
from tests.places.test_csv_import import csv_text, place_row

pytestmark = pytest.mark.django_db

HOSTILE = "Rivi\x0btoinen\x0csivu\x01\x08\x1b\x7f\x85loppu"


def test_the_helper_keeps_tabs_and_newlines_and_turns_line_breaks_into_newlines():
    assert normalise_text("a\tb\r\nc") == "a\tb\r\nc"
    assert normalise_text(HOSTILE) == "Rivi\ntoinen\nsivu\nloppu"
    assert normalise_text(HOSTILE, multiline=False) == "Rivi toinen sivu loppu"
    assert normalise_text("Ääkköset – “lainaus” 😀") == "Ääkköset – “lainaus” 😀"


def test_saving_normalises_every_text_field():
    place = PlaceFactory(name="Perhe\x0bkahvila", description="Ensimmäinen\x0btoinen\x00")
    place.refresh_from_db()
    assert place.name == "Perhe kahvila"
    assert place.description == "Ensimmäinen\ntoinen"


def test_a_public_submission_is_stored_normalised(client):
    response = client.post(
        reverse("network:listing_submit"),
        submission(title_fi="Tila\x0bvapaana", text_fi="Iso sali\x0bja keittiö\x1b."),
    )
    assert response.status_code == 302
    listing = Listing.objects.get()
    assert (listing.title_fi, listing.text_fi) == ("Tila vapaana", "Iso sali\nja keittiö.")


def test_the_csv_import_stores_normalised_text():
    OrganizationFactory(slug="yhdistys-a")
    report = import_places(
        csv_text(place_row(name="Kylän\x0bolohuone", description="Avoin\x0bkaikille\x1b"))
    )
    assert report.problems == []
    place = Place.objects.get()
    assert (place.name, place.description) == ("Kylän olohuone", "Avoin\nkaikille")


@pytest.fixture
def stored_control_characters():
    """Rows written before normalisation existed: straight into the tables, past save()."""
    venue = PlaceFactory(is_published=True)
    meeting = MeetingFactory(
        title="Verkostopäivä", venue=venue, regions=[Region.objects.get(code="13")]
    )
    Place.objects.filter(pk=venue.pk).update(
        name=f"Olohuone{HOSTILE}",
        street_address=f"Kauppakatu{HOSTILE} 1",
        description=f"Tervetuloa{HOSTILE}",
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        title=f"Päivä{HOSTILE}", description=f"Tervetuloa{HOSTILE}"
    )
    listing = ListingFactory()
    Listing.objects.filter(pk=listing.pk).update(
        text_fi=f"Tila{HOSTILE}", title_fi=f"Tila{HOSTILE}"
    )
    return meeting


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("feed", ["network:feed", "network:board_feed"])
def test_feeds_stay_well_formed_with_stored_control_characters(
    client, stored_control_characters, language, feed
):
    with translation.override(language):
        url = reverse(feed)
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.entries
    assert b"\x0b" not in response.content


def test_the_calendar_carries_no_control_characters(client, stored_control_characters):
    response = client.get(reverse("network:ics"))
    assert response.status_code == 200
    assert b"\x0b" not in response.content
    assert b"\x1b" not in response.content


@pytest.mark.parametrize(
    "url",
    [
        "/places.geojson",
        "/open-data/hsds/services?full=true",
        "/places.csv",
        "/sitemap-places.xml",
    ],
)
def test_exports_answer_with_stored_control_characters(client, stored_control_characters, url):
    response = client.get(url)
    assert response.status_code == 200
    content = b"".join(response) if response.streaming else response.content
    if "hsds" in url or url.endswith(".geojson"):
        assert json.loads(content)
    if url.endswith(".xml"):
        assert ET.fromstring(content) is not None


def test_the_place_page_and_its_json_ld_answer(client, stored_control_characters):
    response = client.get(stored_control_characters.venue.get_absolute_url())
    assert response.status_code == 200
