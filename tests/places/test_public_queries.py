"""Every public page and data endpoint runs the same number of queries for 5 places as for 100."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    CoordinatorFactory,
    HoursExceptionFactory,
    ListingFactory,
    MeetingFactory,
    PlaceFactory,
    WeeklyHoursFactory,
    audience,
    municipality,
)

URLS = [
    "/",
    "/places/",
    "/places/?municipality=179&audience=lapsiperheet&open_at=2026-12-01T18:00&free=1",
    "/places/?q=olohuone&day=2",
    "/places/?q=kahvila",
    "/sv/places/?q=kohtamispaikka",
    "/places/map/",
    "/places/place-0/",
    "/municipalities/",
    "/municipalities/jyvaskyla/",
    "/places.geojson",
    "/places.geojson?audience=lapsiperheet",
    "/places.csv",
    "/open-data/hsds/services?full=true",
    "/open-data/hsds/organizations?full_service=true",
    "/open-data/",
    "/sitemap.xml",
    "/sitemap-places.xml",
    "/sitemap-municipalities.xml",
]


def add_places(count, first=0):
    families = audience("lapsiperheet")
    for number in range(first, first + count):
        place = PlaceFactory(
            slug=f"place-{number}",
            audiences=[families, audience("lapset")],
            municipality=municipality("179" if number % 2 else "091"),
        )
        WeeklyHoursFactory(place=place, weekday=2, opens=dt.time(9), closes=dt.time(20))
        WeeklyHoursFactory(place=place, weekday=4, opens=dt.time(9), closes=dt.time(12))
        HoursExceptionFactory(place=place, start_date=dt.date(2030, 1, 1))


@pytest.fixture
def network(db):
    jyvaskyla = municipality("179")
    CoordinatorFactory.create_batch(2, municipalities=[jyvaskyla], regions=[jyvaskyla.region])
    MeetingFactory.create_batch(2)
    for _index in range(3):
        ListingFactory(municipalities=[jyvaskyla, municipality("410")])


def queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def test_query_counts_do_not_grow_with_the_number_of_places(client, network):
    add_places(5)
    few = {url: queries_for(client, url) for url in URLS}
    add_places(95, first=5)
    many = {url: queries_for(client, url) for url in URLS}
    assert many == few


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        ("/places/", 7),
        ("/places/map/", 3),
        # One more when the place is closed: the open places nearby.
        ("/places/place-0/", 5),
        ("/municipalities/", 1),
        ("/municipalities/jyvaskyla/", 9),
        ("/places.geojson", 5),
        ("/places.csv", 6),  # the yearly closures are part of each place's opening_hours
        ("/open-data/hsds/services?full=true", 8),
    ],
)
def test_pages_stay_within_their_query_budget_with_100_places(
    client, network, django_assert_max_num_queries, url, limit
):
    add_places(100)
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200
