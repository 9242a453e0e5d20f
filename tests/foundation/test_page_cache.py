import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kohtaamispaikat.core.models import DataVersion
from tests.factories import PlaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]


def test_a_repeated_anonymous_request_is_served_from_the_cache(client, django_assert_num_queries):
    place = PlaceFactory(name="Perhekahvila Nuppu")
    first = client.get(place.get_absolute_url())
    assert first.status_code == 200
    with django_assert_num_queries(1):  # only the data version
        second = client.get(place.get_absolute_url())
    assert second.content == first.content


# These two commit for real: the data version is bumped when a change commits.
committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@committing
def test_a_staff_edit_shows_on_the_very_next_request(client):
    place = PlaceFactory(name="Perhekahvila Nuppu")
    assert b"Perhekahvila Nuppu" in client.get("/places/").content
    place.name = "Perhekahvila Kielo"
    place.save()
    content = client.get("/places/").content
    assert b"Perhekahvila Kielo" in content
    assert b"Perhekahvila Nuppu" not in content


@committing
def test_a_change_to_opening_hours_also_invalidates(client):
    place = PlaceFactory()
    before = client.get(place.get_absolute_url()).content
    place.weekly_hours.create(weekday=2, opens=dt.time(17), closes=dt.time(20))
    assert client.get(place.get_absolute_url()).content != before


def test_a_rolled_back_change_does_not_invalidate(client, django_assert_num_queries):
    place = PlaceFactory()
    client.get(place.get_absolute_url())
    with mock.patch("django.db.transaction.on_commit"):
        place.save()
    with django_assert_num_queries(1):
        client.get(place.get_absolute_url())


def test_pages_that_depend_on_the_clock_are_never_a_minute_stale(client):
    place = PlaceFactory()
    now = timezone.now()
    with mock.patch("kohtaamispaikat.core.cache.timezone.now", return_value=now):
        client.get(place.get_absolute_url())
    later = now + dt.timedelta(minutes=1)
    with mock.patch("kohtaamispaikat.core.cache.timezone.now", return_value=later):
        response = client.get(place.get_absolute_url())
    # A new minute is a new key: the page was rendered again, not taken from the cache.
    assert response.status_code == 200
    assert response.has_header("ETag")


def test_browsers_revalidate_with_etag_and_get_304(client):
    place = PlaceFactory()
    etag = client.get(place.get_absolute_url())["ETag"]
    response = client.get(place.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_signed_in_staff_always_get_a_fresh_page(client, admin_user):
    place = PlaceFactory()
    client.force_login(admin_user)
    client.get(place.get_absolute_url())
    response = client.get(place.get_absolute_url())
    assert response.status_code == 200
    assert not response.has_header("ETag")


def test_compressed_and_plain_responses_are_cached_apart(client):
    place = PlaceFactory()
    compressed = client.get(place.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    plain = client.get(place.get_absolute_url())
    assert compressed["Content-Encoding"] == "gzip"
    assert not plain.has_header("Content-Encoding")
    assert b"<html" in plain.content


def test_a_disallowed_host_never_gets_a_cached_page(client):
    client.get("/robots.txt")
    response = client.get("/robots.txt", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert b"Sitemap" not in response.content


def test_an_allowed_host_on_another_port_does_not_poison_the_cache(client, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    poisoned = client.get("/robots.txt", HTTP_HOST="localhost:6666")
    assert b"localhost:6666" in poisoned.content
    response = client.get("/robots.txt", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert b"localhost:6666" not in response.content
    assert b"http://localhost/sitemap.xml" in response.content


# Daily pages: the GeoJSON of every place and the meetings calendar -----------------------------


def at(moment):
    return mock.patch("kohtaamispaikat.core.cache.timezone.now", return_value=moment)


@pytest.mark.parametrize("path", ["/places.geojson", "/en/places.geojson", "/network/meetings.ics"])
def test_a_daily_page_is_kept_for_the_data_version_all_day(client, path, django_assert_num_queries):
    PlaceFactory(name="Perhekahvila Nuppu")
    morning = timezone.now().replace(hour=6, minute=0)
    with at(morning):
        first = client.get(path)
    assert first.status_code == 200
    with at(morning + dt.timedelta(hours=5, minutes=7)), django_assert_num_queries(1):
        later = client.get(path)
    assert later.content == first.content
    with at(morning + dt.timedelta(days=1)):
        with django_assert_num_queries(1):
            client.get("/robots.txt")  # the cache's own query only, for comparison
        assert client.get(path).status_code == 200  # built again on a new day
        with django_assert_num_queries(1):
            client.get(path)


def test_a_daily_page_with_a_query_is_kept_only_for_the_minute(client):
    PlaceFactory()
    now = timezone.now()
    with at(now):
        client.get("/places.geojson?municipality=179")
    with at(now + dt.timedelta(minutes=1)), CaptureQueriesContext(connection) as queries:
        client.get("/places.geojson?municipality=179")
    assert len(queries) > 1


def test_a_daily_page_is_built_again_for_a_new_data_version(client):
    PlaceFactory(name="Perhekahvila Nuppu")
    assert b"Perhekahvila Nuppu" in client.get("/places.geojson").content
    PlaceFactory(name="Perhekahvila Kielo")
    DataVersion.objects.update_or_create(pk=1, defaults={"version": 41})
    content = client.get("/places.geojson").content
    assert b"Perhekahvila Kielo" in content
    DataVersion.objects.filter(pk=1).update(version=42)
    PlaceFactory(name="Perhekahvila Orvokki")
    assert b"Perhekahvila Orvokki" in client.get("/places.geojson").content


def test_a_daily_page_answers_revalidation_with_304(client):
    PlaceFactory()
    etag = client.get("/network/meetings.ics")["ETag"]
    assert client.get("/network/meetings.ics", headers={"if-none-match": etag}).status_code == 304
