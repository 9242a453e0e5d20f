"""The Atom feed, the iCalendar file and the sitemap: public meetings only, parseable by
standard parsers, cancellations carried through."""

import datetime as dt
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from network.models import Meeting
from network.sitemaps import MeetingSitemap
from tests.factories import MeetingFactory, PlaceFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def meetings(keski_suomi, uusimaa):
    return {
        "published": MeetingFactory(title="Julkaistu", slug="julkaistu", regions=[keski_suomi]),
        "cancelled": MeetingFactory(
            title="Peruttu", slug="peruttu", status=Meeting.Status.CANCELLED, regions=[uusimaa]
        ),
        "postponed": MeetingFactory(
            title="Siirretty", slug="siirretty", status=Meeting.Status.POSTPONED
        ),
        "draft": MeetingFactory(title="Luonnos", slug="luonnos", status=Meeting.Status.DRAFT),
    }


def calendar_events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return calendar, {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_calendar_lists_public_meetings_with_stable_uids_and_statuses(client, meetings):
    response = client.get(reverse("network:ics"))
    _calendar, events = calendar_events(response)
    expected = {
        f"meeting-{meetings[name].pk}@kohtaamispaikat.fi": status
        for name, status in [
            ("published", "CONFIRMED"),
            ("cancelled", "CANCELLED"),
            ("postponed", "TENTATIVE"),
        ]
    }
    assert {uid: str(event["STATUS"]) for uid, event in events.items()} == expected
    assert "Luonnos" not in response.content.decode()


def test_calendar_times_are_in_helsinki_time_with_a_timezone_definition(client, meetings):
    calendar, events = calendar_events(client.get(reverse("network:ics")))
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Helsinki"]
    event = events[f"meeting-{meetings['published'].pk}@kohtaamispaikat.fi"]
    meeting = meetings["published"]
    start = event.decoded("DTSTART")
    assert event["DTSTART"].params["TZID"] == "Europe/Helsinki"
    # Calendars count whole seconds.
    assert start == meeting.start.replace(microsecond=0)
    assert start.utcoffset() == meeting.start.astimezone(ZoneInfo("Europe/Helsinki")).utcoffset()
    assert event.decoded("DTEND") == meeting.end.replace(microsecond=0)


def test_calendar_sequence_grows_when_a_meeting_changes(client, meetings):
    meeting = meetings["published"]
    uid = f"meeting-{meeting.pk}@kohtaamispaikat.fi"
    before = calendar_events(client.get(reverse("network:ics")))[1][uid]
    Meeting.objects.filter(pk=meeting.pk).update(
        updated_at=meeting.updated_at + dt.timedelta(minutes=5)
    )
    after = calendar_events(client.get(reverse("network:ics")))[1][uid]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("LAST-MODIFIED") > before.decoded("LAST-MODIFIED")


def test_calendar_event_carries_place_link_and_marked_title(client, meetings):
    venue = PlaceFactory(name="Perhetalo")
    Meeting.objects.filter(pk=meetings["published"].pk).update(venue=venue)
    _calendar, events = calendar_events(client.get("/en/network/meetings.ics"))
    published = events[f"meeting-{meetings['published'].pk}@kohtaamispaikat.fi"]
    assert str(published["LOCATION"]).startswith("Perhetalo, ")
    assert str(published["URL"]).endswith("/en/network/meetings/julkaistu/")
    cancelled = events[f"meeting-{meetings['cancelled'].pk}@kohtaamispaikat.fi"]
    assert str(cancelled["SUMMARY"]) == "Cancelled: Peruttu"


def test_calendar_of_one_region(client, meetings):
    _calendar, events = calendar_events(client.get(reverse("network:ics"), {"region": "01"}))
    assert list(events) == [f"meeting-{meetings['cancelled'].pk}@kohtaamispaikat.fi"]


@pytest.mark.parametrize("code", ["99", "abc", "", "1" * 500])
def test_calendar_of_an_unknown_region_is_a_clear_400(client, meetings, code):
    response = client.get("/en/network/meetings.ics", {"region": code})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "Unknown region" in response.content.decode()


def atom_entries(response):
    assert response.status_code == 200
    assert "application/atom+xml" in response["Content-Type"]
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root, root.findall(f"{ATOM}entry")


def test_atom_feed_lists_public_meetings_and_marks_cancellations(client, meetings):
    _root, entries = atom_entries(client.get("/en/network/feed/"))
    titles = {entry.find(f"{ATOM}title").text for entry in entries}
    assert titles == {"Julkaistu", "Cancelled: Peruttu", "Postponed: Siirretty"}
    for entry in entries:
        assert entry.find(f"{ATOM}id").text
        assert entry.find(f"{ATOM}updated").text
        link = entry.find(f"{ATOM}link").get("href")
        assert link.startswith("http://testserver/en/network/meetings/")


def test_atom_feed_escapes_what_coordinators_write(client, keski_suomi):
    MeetingFactory(description="<script>alert(1)</script>", regions=[keski_suomi])
    _root, entries = atom_entries(client.get(reverse("network:feed")))
    summary = entries[0].find(f"{ATOM}summary").text
    assert "<script>" not in summary
    assert "&lt;script&gt;" in summary


def test_sitemap_lists_public_meetings_never_drafts(meetings):
    sitemap = MeetingSitemap()
    slugs = {meeting.slug for meeting in sitemap.items()}
    assert slugs == {"julkaistu", "peruttu", "siirretty"}
    assert sitemap.lastmod(meetings["published"]) == meetings["published"].updated_at
