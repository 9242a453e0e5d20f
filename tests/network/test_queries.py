"""Every network page runs a fixed number of queries: the same with 5 rows as with 30."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import (
    CoordinatorFactory,
    FollowUpFactory,
    HeldMeetingFactory,
    ListingFactory,
    MeetingFactory,
    OutcomeFactory,
    PlaceFactory,
    audience,
    municipality,
)

pytestmark = pytest.mark.django_db

MEETING_PAGES = [
    "/network/",
    "/network/meetings/",
    "/network/meetings/?region=13",
    "/network/meetings.ics",
    "/network/meetings.ics?region=13",
    "/network/feed/",
    "/network/statistics/",
    "/network/coordinators/",
]


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_meetings(count, keski_suomi, uusimaa):
    venue = PlaceFactory()
    for index in range(count):
        start = timezone.now() + dt.timedelta(days=index - count // 2)
        meeting = MeetingFactory(start=start, venue=venue, regions=[keski_suomi, uusimaa])
        CoordinatorFactory(regions=[keski_suomi], municipalities=[municipality("179")])
        held = HeldMeetingFactory(start=start - dt.timedelta(days=400), regions=[keski_suomi])
        FollowUpFactory(outcome=OutcomeFactory(meeting=held))
        meeting.contact = CoordinatorFactory(municipalities=[municipality("182")])
        meeting.save()


@pytest.mark.parametrize("url", MEETING_PAGES)
def test_meeting_pages_run_the_same_queries_for_5_or_30_meetings(
    client, url, keski_suomi, uusimaa, django_assert_max_num_queries
):
    add_meetings(5, keski_suomi, uusimaa)
    with_five = queries_of(client, url)
    add_meetings(25, keski_suomi, uusimaa)
    with django_assert_max_num_queries(with_five):
        assert client.get(url).status_code == 200


def test_a_held_meeting_page_with_many_follow_ups_runs_the_same_queries(
    client, django_assert_max_num_queries
):
    outcome = OutcomeFactory(meeting=HeldMeetingFactory(venue=PlaceFactory()))
    for _index in range(5):
        FollowUpFactory(outcome=outcome)
    url = outcome.meeting.get_absolute_url()
    with_five = queries_of(client, url)
    for _index in range(25):
        FollowUpFactory(outcome=outcome, municipality=municipality("091"))
    with django_assert_max_num_queries(with_five):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/network/coverage/", "/network/coverage.csv"])
def test_coverage_runs_the_same_queries_for_5_or_30_places(
    client, url, django_assert_max_num_queries
):
    families, youth = audience("lapsiperheet"), audience("nuoret")
    codes = ["179", "091", "398", "837", "853"]
    for code in codes:
        PlaceFactory(municipality=municipality(code), audiences=[families])
    ListingFactory(municipalities=[municipality("410")], audiences=[families])
    with_five = queries_of(client, url)
    for index in range(25):
        PlaceFactory(municipality=municipality(codes[index % 5]), audiences=[families, youth])
        ListingFactory(
            municipalities=[municipality(code) for code in ("410", "297", "020")[: index % 3 + 1]],
            audiences=[families, youth],
        )
    with django_assert_max_num_queries(with_five):
        assert client.get(url).status_code == 200
