"""schema.org JSON-LD on place and meeting pages, read with extruct as search engines read it:
Google's required properties for LocalBusiness and Event, one @id per thing in every language,
and opening hours that mean what the hours engine says for every day of the coming year."""

import datetime as dt
import uuid
from unittest import mock

import extruct
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network.models import Meeting
from places.hours import HELSINKI
from tests.factories import (
    HoursExceptionFactory,
    MeetingFactory,
    OrganizationFactory,
    PlaceFactory,
    WeeklyHoursFactory,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 18, 30, tzinfo=HELSINKI)
TODAY = NOW.date()
CLOSED = ("00:00", "00:00")
DAYS = {
    "https://schema.org/Monday": 1,
    "https://schema.org/Tuesday": 2,
    "https://schema.org/Wednesday": 3,
    "https://schema.org/Thursday": 4,
    "https://schema.org/Friday": 5,
    "https://schema.org/Saturday": 6,
    "https://schema.org/Sunday": 7,
}


def get_at(client, url, when=NOW):
    with mock.patch("django.utils.timezone.now", return_value=when):
        response = client.get(url)
    assert response.status_code == 200
    return response


def json_ld_items(response):
    data = extruct.extract(
        response.content.decode(), base_url="http://testserver/", syntaxes=["json-ld"]
    )
    return data["json-ld"]


def only_item(response, type_):
    items = json_ld_items(response)
    assert [item["@type"] for item in items] == [type_]
    return items[0]


def google_local_business_errors(item):
    """Google's required properties for LocalBusiness rich results: name and address."""
    errors = [f"missing {name}" for name in ("name", "address") if not item.get(name)]
    address = item.get("address", {})
    if isinstance(address, dict) and address.get("@type") != "PostalAddress":
        errors.append("address is not a PostalAddress")
    return errors


def google_event_errors(item):
    """Google's required properties for Event rich results: name, startDate (ISO 8601 with an
    offset when it has a time) and location (a Place with an address, or a VirtualLocation
    with a URL)."""
    errors = [f"missing {name}" for name in ("name", "startDate", "location") if not item.get(name)]
    for name in ("startDate", "endDate"):
        if name in item and dt.datetime.fromisoformat(item[name]).utcoffset() is None:
            errors.append(f"{name} has no offset")
    locations = item.get("location", [])
    for location in locations if isinstance(locations, list) else [locations]:
        if location.get("@type") == "Place" and not location.get("address"):
            errors.append("a Place location without an address")
        elif location.get("@type") == "VirtualLocation" and not location.get("url"):
            errors.append("a VirtualLocation without a URL")
        elif location.get("@type") not in ("Place", "VirtualLocation"):
            errors.append(f"unknown location type {location.get('@type')}")
    return errors


@pytest.fixture
def place(db):
    place = PlaceFactory(
        name="Perhekahvila Ilta",
        slug="perhekahvila-ilta",
        contact_name="Maija Meikäläinen",
        phone="040 123 4567",
        email="ilta@example.org",
        languages=["fi", "sv"],
        closed_on_public_holidays=True,
        closed_on_eves=True,
    )
    WeeklyHoursFactory(place=place, weekday=2, opens=dt.time(17), closes=dt.time(20))
    WeeklyHoursFactory(place=place, weekday=5, opens=dt.time(22), closes=dt.time(1))
    # Summer hours that replace the regular ones, every year.
    WeeklyHoursFactory(
        place=place,
        weekday=3,
        opens=dt.time(10),
        closes=dt.time(14),
        valid_from=dt.date(2020, 6, 1),
        valid_until=dt.date(2020, 8, 15),
        recurs_yearly=True,
    )
    # A dated season over the turn of the year.
    WeeklyHoursFactory(
        place=place,
        weekday=1,
        opens=dt.time(9),
        closes=dt.time(12),
        valid_from=dt.date(2026, 12, 20),
        valid_until=dt.date(2027, 1, 10),
    )
    HoursExceptionFactory(
        place=place,
        start_date=dt.date(2027, 3, 1),
        end_date=dt.date(2027, 3, 7),
        reason="Remontti",
    )
    HoursExceptionFactory(
        place=place,
        start_date=dt.date(2026, 12, 10),
        closed=False,
        opens=dt.time(12),
        closes=dt.time(15),
        reason="Joulumyyjäiset",
    )
    # Open on Good Friday after all, with other hours.
    HoursExceptionFactory(
        place=place,
        start_date=dt.date(2027, 3, 26),
        closed=False,
        opens=dt.time(10),
        closes=dt.time(12),
    )
    return place


def covers(spec, day):
    return spec["validFrom"] <= day.isoformat() <= spec["validThrough"]


def json_ld_ranges(item, day):
    """A date's opening ranges as a consumer reads schema.org: special opening hours covering
    the date override the regular ones; opening and closing at midnight means closed."""
    special = [spec for spec in item["specialOpeningHoursSpecification"] if covers(spec, day)]
    if special:
        if any((spec["opens"], spec["closes"]) == CLOSED for spec in special):
            return []
        return sorted((spec["opens"], spec["closes"]) for spec in special)
    return sorted(
        (spec["opens"], spec["closes"])
        for spec in item["openingHoursSpecification"]
        if covers(spec, day) and day.isoweekday() in {DAYS[d] for d in spec["dayOfWeek"]}
    )


class TestPlacePage:
    def test_is_a_local_business_with_googles_required_properties(self, client, place):
        item = only_item(get_at(client, "/en/places/perhekahvila-ilta/"), "LocalBusiness")
        assert google_local_business_errors(item) == []
        assert item["name"] == "Perhekahvila Ilta"

    def test_has_one_id_in_every_language(self, client, place):
        items = [
            only_item(get_at(client, f"{prefix}/places/perhekahvila-ilta/"), "LocalBusiness")
            for prefix in ("", "/sv", "/en")
        ]
        assert {item["@id"] for item in items} == {
            "http://testserver/places/perhekahvila-ilta/#place"
        }
        assert items[2]["url"] == "http://testserver/en/places/perhekahvila-ilta/"

    def test_contact_is_a_contact_point_not_an_email_of_the_place(self, client, place):
        item = only_item(get_at(client, "/en/places/perhekahvila-ilta/"), "LocalBusiness")
        assert "email" not in item
        contact = item["contactPoint"]
        assert contact["@type"] == "ContactPoint"
        assert contact["email"] == "ilta@example.org"
        assert contact["name"] == "Maija Meikäläinen"
        assert contact["telephone"] == "040 123 4567"
        assert contact["availableLanguage"] == ["Finnish", "Swedish"]

    def test_weekly_hours_are_bounded_by_the_seasons(self, client, place):
        item = only_item(get_at(client, "/en/places/perhekahvila-ilta/"), "LocalBusiness")
        weekly = item["openingHoursSpecification"]
        assert all("validFrom" in spec and "validThrough" in spec for spec in weekly)
        summer = [spec for spec in weekly if spec["opens"] == "10:00"]
        # The yearly summer season as its coming occurrence, 2027.
        assert [(s["validFrom"], s["validThrough"]) for s in summer] == [
            ("2027-06-01", "2027-08-15")
        ]
        tuesdays = [spec for spec in weekly if spec["opens"] == "17:00"]
        assert [(s["validFrom"], s["validThrough"]) for s in tuesdays] == [
            ("2026-12-01", "2026-12-19"),
            ("2027-01-11", "2027-05-31"),
            ("2027-08-16", "2027-12-01"),
        ]

    def test_public_holidays_eves_and_exceptions_are_closed_specifications(self, client, place):
        item = only_item(get_at(client, "/en/places/perhekahvila-ilta/"), "LocalBusiness")
        closed = {
            (spec["validFrom"], spec["validThrough"]): spec.get("description")
            for spec in item["specialOpeningHoursSpecification"]
            if (spec["opens"], spec["closes"]) == CLOSED
        }
        assert closed[("2026-12-06", "2026-12-06")] == "Independence Day"
        assert closed[("2026-12-24", "2026-12-24")] == "Christmas Eve"
        assert closed[("2027-03-01", "2027-03-07")] == "Remontti"
        assert ("2027-03-26", "2027-03-26") not in closed  # Good Friday opened by an exception

    def test_hours_mean_what_the_engine_says_for_every_day_of_the_year(self, client, place):
        item = only_item(get_at(client, "/en/places/perhekahvila-ilta/"), "LocalBusiness")
        with mock.patch("django.utils.timezone.now", return_value=NOW):
            engine = place.__class__.objects.with_hours(TODAY).get(pk=place.pk)
            for offset in range(366):
                day = TODAY + dt.timedelta(days=offset)
                expected = sorted(
                    (f"{opens:%H:%M}", f"{closes:%H:%M}")
                    for opens, closes in engine.schedule_for(day).ranges
                )
                assert json_ld_ranges(item, day) == expected, day

    def test_names_ptv_as_the_source_of_a_place_imported_from_it(self, client, place):
        ptv_id = uuid.UUID("5a7c1c5e-0b1f-4c3a-9d55-2f1d1f0e6b11")
        place.__class__.objects.filter(pk=place.pk).update(ptv_id=ptv_id)
        response = get_at(client, "/en/places/perhekahvila-ilta/")
        assert "Suomi.fi Service Catalogue (PTV)" in response.content.decode()
        item = only_item(response, "LocalBusiness")
        assert item["identifier"]["value"] == str(ptv_id)
        assert "PTV" in item["identifier"]["propertyID"]

    def test_a_place_typed_in_here_names_no_source(self, client, place):
        response = get_at(client, "/en/places/perhekahvila-ilta/")
        assert "Service Catalogue" not in response.content.decode()
        assert "identifier" not in only_item(response, "LocalBusiness")

    def test_runs_the_same_queries_with_many_hours(
        self, client, place, django_assert_max_num_queries
    ):
        with CaptureQueriesContext(connection) as few:
            get_at(client, "/en/places/perhekahvila-ilta/")
        for day in range(1, 29):
            HoursExceptionFactory(place=place, start_date=dt.date(2027, 2, day))
            WeeklyHoursFactory(
                place=place,
                weekday=day % 7 + 1,
                opens=dt.time(6, day),
                closes=dt.time(7, day),
                valid_from=dt.date(2027, 9, day),
                valid_until=dt.date(2027, 9, day),
            )
        with django_assert_max_num_queries(len(few)):
            get_at(client, "/en/places/perhekahvila-ilta/")


@pytest.fixture
def venue(db):
    return PlaceFactory(name="Perhetalo", slug="perhetalo", latitude=62.24, longitude=25.75)


class TestMeetingPage:
    def meeting_item(self, client, meeting, prefix="/en"):
        return only_item(get_at(client, f"{prefix}/network/meetings/{meeting.slug}/"), "Event")

    def test_is_an_event_with_googles_required_properties(self, client, venue):
        start = dt.datetime(2027, 7, 1, 9, 0, tzinfo=HELSINKI)
        meeting = MeetingFactory(
            title="Verkostopäivä",
            start=start,
            end=start + dt.timedelta(hours=6),
            venue=venue,
            organizer=OrganizationFactory(name="Järjestöverkosto ry"),
        )
        item = self.meeting_item(client, meeting)
        assert google_event_errors(item) == []
        assert item["startDate"] == "2027-07-01T09:00+03:00"
        assert item["endDate"] == "2027-07-01T15:00+03:00"
        assert item["eventStatus"] == "https://schema.org/EventScheduled"
        assert item["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
        assert item["location"]["name"] == "Perhetalo"
        assert item["location"]["@id"] == "http://testserver/places/perhetalo/#place"
        assert item["location"]["address"]["@type"] == "PostalAddress"
        assert item["organizer"] == {"@type": "Organization", "name": "Järjestöverkosto ry"}

    def test_a_winter_meeting_has_winter_time(self, client):
        start = dt.datetime(2027, 1, 14, 13, 0, tzinfo=HELSINKI)
        meeting = MeetingFactory(start=start, end=start + dt.timedelta(hours=2))
        item = self.meeting_item(client, meeting)
        assert item["startDate"] == "2027-01-14T13:00+02:00"
        assert item["location"] == {
            "@type": "Place",
            "name": "Kauppakatu 1, 40100 Jyväskylä",
            "address": "Kauppakatu 1, 40100 Jyväskylä",
        }
        assert item["organizer"]["name"] == "Kohtaamispaikat"

    @pytest.mark.parametrize(
        ("status", "expected"),
        [
            (Meeting.Status.CANCELLED, "https://schema.org/EventCancelled"),
            (Meeting.Status.POSTPONED, "https://schema.org/EventPostponed"),
        ],
    )
    def test_cancelled_and_postponed_meetings_say_so(self, client, status, expected):
        meeting = MeetingFactory(status=status)
        item = self.meeting_item(client, meeting)
        assert item["eventStatus"] == expected
        assert google_event_errors(item) == []

    def test_online_and_mixed_attendance(self, client, venue):
        online = MeetingFactory(venue_address="", online_url="https://meet.example.org/x")
        item = self.meeting_item(client, online)
        assert item["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
        assert item["location"] == {"@type": "VirtualLocation", "url": "https://meet.example.org/x"}
        mixed = MeetingFactory(venue=venue, online_url="https://meet.example.org/y")
        item = self.meeting_item(client, mixed)
        assert item["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
        assert [location["@type"] for location in item["location"]] == ["Place", "VirtualLocation"]
        assert google_event_errors(item) == []

    def test_has_one_id_in_every_language(self, client):
        meeting = MeetingFactory(slug="verkostopaiva")
        ids = {self.meeting_item(client, meeting, prefix)["@id"] for prefix in ("", "/sv", "/en")}
        assert ids == {"http://testserver/network/meetings/verkostopaiva/#event"}
