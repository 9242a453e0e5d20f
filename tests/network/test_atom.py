"""Both Atom feeds (network meetings, the notice board) as feed readers take them: valid Atom
1.0 with an author (RFC 4287 4.1.1) and entry ids that are tag URIs, the same whatever host
and language serve the feed."""

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ListingFactory,
    MeetingFactory,
    OrganizationFactory,
    municipality,
)

pytestmark = pytest.mark.django_db

FEEDS = ["network:feed", "network:board_feed"]


@pytest.fixture
def entries(db):
    organizer = OrganizationFactory(name="Järjestöverkosto ry")
    return {
        "meeting": MeetingFactory(title="Verkostopäivä", organizer=organizer),
        "meeting without organiser": MeetingFactory(title="Koulutus"),
        "listing": ListingFactory(title_fi="Sali vapaana", organization=organizer),
        "listing without organisation": ListingFactory(
            title_fi="Vapaaehtoisia", contact_name="Maija Meikäläinen"
        ),
    }


def read_feed(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


@pytest.mark.parametrize("name", FEEDS)
def test_every_feed_and_entry_has_an_author(client, entries, name):
    feed = read_feed(client, reverse(name))
    assert feed.feed.author == "Kohtaamispaikat"
    assert feed.entries
    for entry in feed.entries:
        assert entry.author


def test_an_entry_is_written_by_its_organiser_or_the_site(client, entries):
    meetings = read_feed(client, reverse("network:feed"))
    by_title = {entry.title: entry.author for entry in meetings.entries}
    assert by_title == {"Verkostopäivä": "Järjestöverkosto ry", "Koulutus": "Kohtaamispaikat"}
    board = read_feed(client, reverse("network:board_feed"))
    authors = sorted(entry.author for entry in board.entries)
    assert authors == ["Järjestöverkosto ry", "Maija Meikäläinen"]
    assert "@" not in board_text(client)


def board_text(client):
    return client.get(reverse("network:board_feed")).content.decode()


@pytest.mark.parametrize("name", FEEDS)
def test_entry_ids_are_tag_uris_independent_of_host_and_language(client, settings, entries, name):
    settings.ALLOWED_HOSTS = ["testserver", "kohtaamispaikat.example"]
    path = reverse(name)
    finnish = read_feed(client, path)
    ids = [entry.id for entry in finnish.entries]
    assert all(entry_id.startswith("tag:kohtaamispaikat.fi,2026:") for entry_id in ids)
    assert len(set(ids)) == len(ids)
    for other in (
        read_feed(client, path, HTTP_HOST="kohtaamispaikat.example", secure=True),
        read_feed(client, "/sv" + path),
        read_feed(client, "/en" + path),
    ):
        assert [entry.id for entry in other.entries] == ids
        assert other.feed.id == finnish.feed.id
    assert finnish.feed.id.startswith("tag:kohtaamispaikat.fi,2026:")


def test_an_entry_keeps_its_id_when_it_changes(client, entries):
    meeting = entries["meeting"]
    before = {entry.title: entry.id for entry in read_feed(client, reverse("network:feed")).entries}
    meeting.title = "Verkostopäivä (uusi aika)"
    meeting.slug = "verkostopaiva-uusi-aika"
    meeting.save()
    after = {entry.title: entry.id for entry in read_feed(client, reverse("network:feed")).entries}
    assert after["Verkostopäivä (uusi aika)"] == before["Verkostopäivä"]


def test_a_regions_board_feed_has_an_id_of_its_own(client, entries):
    whole = read_feed(client, reverse("network:board_feed"))
    region = read_feed(client, reverse("network:board_feed") + "?region=13")
    assert whole.feed.id != region.feed.id


def test_the_board_feed_runs_the_same_queries_for_2_or_20_listings(
    client, django_assert_max_num_queries
):
    organizer = OrganizationFactory()
    for _ in range(2):
        ListingFactory(organization=organizer, municipalities=[municipality("179")])
    with CaptureQueriesContext(connection) as few:
        read_feed(client, reverse("network:board_feed") + "?region=13")
    for _ in range(18):
        ListingFactory(organization=OrganizationFactory(), municipalities=[municipality("179")])
    with django_assert_max_num_queries(len(few)):
        assert len(read_feed(client, reverse("network:board_feed") + "?region=13").entries) == 20
