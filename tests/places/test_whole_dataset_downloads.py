"""The whole-dataset downloads are written a chunk at a time, byte for byte as before.

The places CSV (public and admin) and its exceptions file stream; the GeoJSON and the meetings
calendar are built from chunks into one response (which the page cache keeps). Each reads a
fixed number of queries per chunk, whatever the number of places or meetings. The reference
bodies below are written the way the views wrote them before they were chunked: everything
built in memory, then serialised at once.
"""

import datetime as dt
import io
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

import network.feeds
import places.csv_io.export
import places.open_data
from kohtaamispaikat.core.text import normalise_text
from network.feeds import calendar_event, feed_meetings, helsinki_vtimezone
from network.models import Meeting
from places import serializers
from places.csv_io import write_exceptions_csv, write_places_csv
from places.filters import PlaceFilter
from places.models import Place
from places.querysets import schedules_on
from tests.factories import (
    HoursExceptionFactory,
    MeetingFactory,
    PlaceFactory,
    UserFactory,
    WeeklyHoursFactory,
    audience,
    municipality,
)

pytestmark = pytest.mark.django_db


def varied_places(count, start=0):
    """Places with audiences, weekly hours and an exception each; a control character and
    text needing CSV quoting in some."""
    made = []
    for number in range(start, start + count):
        place = PlaceFactory(
            name=f'Olohuone "{number}", Ä',
            slug=f"olohuone-{number}",
            audiences=[audience("lapsiperheet"), audience("ikaihmiset")],
            municipality=municipality("179" if number % 2 else "091"),
            description="Rivi yksi.\nRivi kaksi; =kaava" if number % 3 == 0 else "",
            latitude=None if number % 5 == 4 else "62.2426123",
            longitude=None if number % 5 == 4 else "25.7473456",
        )
        WeeklyHoursFactory(place=place, weekday=timezone.localdate().isoweekday())
        WeeklyHoursFactory(place=place, weekday=5, opens=dt.time(17), closes=dt.time(20))
        HoursExceptionFactory(
            place=place,
            start_date=timezone.localdate() + dt.timedelta(days=number % 4),
            reason=f"Remontti {number}",
        )
        made.append(place)
    return made


def body(response):
    assert response.status_code == 200
    return response.getvalue()


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        body(client.get(url))
    return len(queries)


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of two, so that a handful of rows spans several chunks."""
    monkeypatch.setattr(places.csv_io.export, "EXPORT_CHUNK", 2)
    monkeypatch.setattr(places.open_data, "GEOJSON_CHUNK", 2)
    monkeypatch.setattr(network.feeds, "CALENDAR_CHUNK", 2)


# The places CSV -------------------------------------------------------------------------------


def written(write, places, excel=False):
    stream = io.StringIO()
    write(places, stream, excel=excel)
    return stream.getvalue().encode()


@pytest.mark.parametrize("excel", ["", "?excel=1"])
def test_places_csv_streams_the_same_bytes(client, small_chunks, excel):
    varied_places(7)
    response = client.get(f"/en/places.csv{excel}")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kohtaamispaikat.csv"'
    published = Place.objects.published()
    with translation.override("en"):
        assert body(response) == written(write_places_csv, published, excel=bool(excel))
    assert body(client.get(f"/en/places.csv{excel}")).count(b"\r\n") == 1 + 7


def test_exceptions_csv_streams_the_same_bytes(client, small_chunks):
    varied_places(5)
    response = client.get("/en/places-exceptions.csv")
    assert response.streaming
    expected = written(write_exceptions_csv, Place.objects.published())
    assert body(response) == expected
    assert expected.count(b"\r\n") == 1 + 5


def test_admin_export_streams_the_same_bytes_with_a_byte_order_mark(client, small_chunks):
    varied_places(5)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("admin:places_place_export"))
    assert response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="kohtaamispaikat-')
    content = body(response)
    assert content.startswith("\ufeff".encode())
    assert content == "\ufeff".encode() + written(write_places_csv, Place.objects.all())


def test_places_csv_reads_three_queries_per_chunk_of_places(client, small_chunks):
    varied_places(2)
    one_chunk = queries_of(client, "/places.csv")
    varied_places(2, start=2)
    two_chunks = queries_of(client, "/places.csv")
    varied_places(1, start=4)
    # The places are one query read a chunk at a time; each chunk's audiences, weekly hours
    # and exceptions are three.
    assert two_chunks - one_chunk == 3
    assert queries_of(client, "/places.csv") == one_chunk + 2 * 3


def test_places_csv_queries_do_not_grow_within_a_chunk(client):
    varied_places(2)
    few = queries_of(client, "/places.csv")
    varied_places(8, start=2)
    assert queries_of(client, "/places.csv") == few


def test_exceptions_csv_is_one_query_however_many_exceptions(client, small_chunks):
    varied_places(2)
    few = queries_of(client, "/places-exceptions.csv")
    varied_places(5, start=2)
    assert queries_of(client, "/places-exceptions.csv") == few


# The GeoJSON ----------------------------------------------------------------------------------


def geojson_at_once(request):
    """/places.geojson as the view wrote it before: every feature built, then dumped."""
    filtered = PlaceFilter(request.GET, queryset=Place.objects.published(), request=request).qs
    located = filtered.filter(latitude__isnull=False)
    rows = list(
        located.values_list(
            "pk",
            "slug",
            "name",
            "latitude",
            "longitude",
            "closed_on_public_holidays",
            "closed_on_eves",
            "last_verified",
            "location_approximate",
        )
    )
    schedules = schedules_on(
        located, timezone.localdate(), {row[0]: (row[5], row[6]) for row in rows}
    )
    collection = serializers.geojson_feature_collection(
        [(*row[:5], *row[7:]) for row in rows],
        {pk: serializers.hours_text(schedule, "closed") for pk, schedule in schedules.items()},
        places.open_data.detail_url_builder(request),
    )
    text = json.dumps(collection, cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False)
    return text.encode()


@pytest.mark.parametrize("query", ["", "?municipality=179", "?audience=nuoret"])
def test_geojson_is_written_in_chunks_with_the_same_bytes(client, small_chunks, query):
    varied_places(7)
    response = client.get(f"/en/places.geojson{query}")
    assert response["Content-Type"] == "application/geo+json"
    with translation.override("en"):
        expected = geojson_at_once(RequestFactory().get(f"/en/places.geojson{query}"))
    assert body(response) == expected
    assert len(json.loads(expected)["features"]) == {"": 6, "?municipality=179": 3}.get(query, 0)


def test_geojson_reads_two_queries_per_chunk_of_places(client, small_chunks):
    varied_places(2)
    one_chunk = queries_of(client, "/places.geojson")
    varied_places(2, start=2)
    two_chunks = queries_of(client, "/places.geojson")
    # The rows are one query read a chunk at a time; each chunk's weekly hours and exceptions
    # that matter today are two.
    assert two_chunks - one_chunk == 2
    varied_places(2, start=4)  # one of them without a location
    assert queries_of(client, "/places.geojson") == one_chunk + 2 * 2


def test_geojson_queries_do_not_grow_within_a_chunk(client):
    varied_places(2)
    few = queries_of(client, "/places.geojson")
    varied_places(8, start=2)
    assert queries_of(client, "/places.geojson") == few


def test_empty_geojson_is_an_empty_collection(client):
    assert json.loads(body(client.get("/places.geojson"))) == {
        "type": "FeatureCollection",
        "features": [],
    }


# The meetings calendar ------------------------------------------------------------------------


def calendar_at_once(request, name="Network meetings"):
    """meetings.ics as the view wrote it before: one Calendar with every event."""
    calendar = Calendar()
    calendar.add("prodid", "-//Kohtaamispaikat//Network meetings//FI")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Helsinki")
    calendar.add_component(helsinki_vtimezone())
    meetings = feed_meetings().filter(end__gte=timezone.now() - network.feeds.CALENDAR_HISTORY)
    for meeting in meetings.order_by("start", "pk"):
        calendar.add_component(calendar_event(meeting, request))
    return normalise_text(calendar.to_ical().decode(), multiline=False).encode()


def some_meetings(count, start=0):
    venue = PlaceFactory()
    for number in range(start, start + count):
        MeetingFactory(
            title=f"Tapaaminen {number}\x0b– {'pitkä otsikko ' * 8}",
            start=timezone.now() + dt.timedelta(days=number - 3),
            venue=venue if number % 2 else None,
            status=Meeting.Status.CANCELLED if number == 1 else Meeting.Status.PUBLISHED,
            description="Ohjelma:\nkahvi, keskustelu",
        )


def test_calendar_is_written_event_by_event_with_the_same_bytes(client, small_chunks):
    some_meetings(5)
    MeetingFactory(title="Luonnos", status=Meeting.Status.DRAFT)
    response = client.get("/en/network/meetings.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    with translation.override("en"):
        expected = calendar_at_once(RequestFactory().get("/en/network/meetings.ics"))
    assert body(response) == expected
    assert expected.count(b"BEGIN:VEVENT") == 5
    assert b"\x0b" not in expected


def test_empty_calendar_is_unchanged(client):
    with translation.override("en"):
        expected = calendar_at_once(RequestFactory().get("/en/network/meetings.ics"))
    assert body(client.get("/en/network/meetings.ics")) == expected


def test_calendar_reads_one_query_per_chunk_of_meetings(client, small_chunks):
    some_meetings(2)
    one_chunk = queries_of(client, "/network/meetings.ics")
    some_meetings(2, start=2)
    # The meetings (with their venues) are one query; each chunk's regions one more.
    assert queries_of(client, "/network/meetings.ics") == one_chunk + 1
    some_meetings(8, start=4)
    assert queries_of(client, "/network/meetings.ics") == one_chunk + 5
