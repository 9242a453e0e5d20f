"""The data endpoints: GeoJSON for the map, CSV in the import format, Open Referral HSDS; all with
the list's filters and a 400 JSON answer to filters they cannot use. HSDS in detail:
tests/places/test_hsds.py."""

import csv
import datetime as dt
import io
from unittest import mock

import pytest

from places import csv_io
from places.hours import HELSINKI
from places.models import Place
from tests.factories import (
    OrganizationFactory,
    PlaceFactory,
    WeeklyHoursFactory,
    audience,
    municipality,
)

DATA_URLS = ["/places.geojson", "/places.csv", "/open-data/hsds/services"]
TUESDAY_EVENING = dt.datetime(2026, 12, 1, 18, 30, tzinfo=HELSINKI)


@pytest.fixture
def places(db):
    organization = OrganizationFactory(name="Perheyhdistys ry", business_id="1234567-1")
    families = PlaceFactory(
        name="Perhekahvila Ilta",
        slug="perhekahvila-ilta",
        organization=organization,
        audiences=[audience("lapsiperheet")],
        latitude="62.2426123",
        longitude="25.7473456",
        phone="040 123 4567",
        languages=["fi", "sv"],
    )
    WeeklyHoursFactory(place=families, weekday=2, opens=dt.time(17), closes=dt.time(20))
    WeeklyHoursFactory(
        place=families,
        weekday=3,
        opens=dt.time(10),
        closes=dt.time(14),
        valid_from=dt.date(2026, 6, 1),
        valid_until=dt.date(2026, 8, 31),
    )
    WeeklyHoursFactory(
        place=families,
        weekday=5,
        opens=dt.time(10),
        closes=dt.time(12),
        valid_from=dt.date(2000, 12, 20),
        valid_until=dt.date(2000, 1, 10),
        recurs_yearly=True,
    )
    seniors = PlaceFactory(
        name="Seniorituvan olohuone",
        organization=organization,
        audiences=[audience("ikaihmiset")],
        municipality=municipality("091"),
        postal_code="00100",
        postal_town="Helsinki",
    )
    WeeklyHoursFactory(place=seniors, weekday=4)
    unlocated = PlaceFactory(name="Verkkokahvila", latitude=None, longitude=None)
    PlaceFactory(name="Luonnos", is_published=False)
    return {"families": families, "seniors": seniors, "unlocated": unlocated}


class TestGeoJSON:
    def test_is_a_compact_feature_collection_of_located_published_places(self, client, places):
        with mock.patch("django.utils.timezone.now", return_value=TUESDAY_EVENING):
            response = client.get("/en/places.geojson")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/geo+json"
        data = response.json()
        assert data["type"] == "FeatureCollection"
        by_name = {feature["properties"]["name"]: feature for feature in data["features"]}
        assert set(by_name) == {"Perhekahvila Ilta", "Seniorituvan olohuone"}
        feature = by_name["Perhekahvila Ilta"]
        assert feature["type"] == "Feature"
        assert feature["id"] == places["families"].pk
        assert feature["geometry"] == {"type": "Point", "coordinates": [25.74735, 62.24261]}
        assert feature["properties"] == {
            "slug": "perhekahvila-ilta",
            "name": "Perhekahvila Ilta",
            "url": "http://testserver/en/places/perhekahvila-ilta/",
            "hours_today": "17:00–20:00",
            "last_verified": places["families"].last_verified.isoformat(),
            "location_approximate": False,
        }
        assert by_name["Seniorituvan olohuone"]["properties"]["hours_today"] == "closed"
        assert b", " not in response.content

    def test_takes_the_list_filters(self, client, places):
        response = client.get("/places.geojson?audience=lapsiperheet&open_at=2026-12-01T18:00")
        names = [feature["properties"]["name"] for feature in response.json()["features"]]
        assert names == ["Perhekahvila Ilta"]


class TestCSV:
    def test_is_an_attachment_in_the_import_format(self, client, places):
        response = client.get("/places.csv")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith("attachment;")
        rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
        assert tuple(rows[0]) == tuple(csv_io.CSV_COLUMNS)
        assert sorted(row["name"] for row in rows) == [
            "Perhekahvila Ilta",
            "Seniorituvan olohuone",
            "Verkkokahvila",
        ]

    def test_takes_the_list_filters(self, client, places):
        response = client.get("/places.csv?municipality=091")
        rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
        assert [row["name"] for row in rows] == ["Seniorituvan olohuone"]

    def test_can_be_imported_again_without_changes(self, client, places):
        exported = client.get("/places.csv").getvalue().decode()
        before = Place.objects.count()
        report = csv_io.import_places(exported, dry_run=True)
        assert report.ok, report.problems
        assert report.created == 0
        assert report.unchanged == 3
        assert Place.objects.count() == before

    def test_rebuilds_the_places_in_an_empty_directory(self, client, places):
        exported = client.get("/places.csv").getvalue().decode()
        Place.objects.all().delete()
        report = csv_io.import_places(exported)
        assert report.ok, report.problems
        assert report.created == 3
        rebuilt = Place.objects.get(name="Perhekahvila Ilta")
        assert [a.slug for a in rebuilt.audiences.all()] == ["lapsiperheet"]
        assert rebuilt.weekly_hours.filter(weekday=2, opens=dt.time(17)).exists()
        assert rebuilt.municipality_id == "179"


@pytest.mark.parametrize("url", DATA_URLS)
@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("municipality=999", "municipality"),
        ("audience=dragons", "audience"),
        ("region=xx", "region"),
        ("open_at=garbage", "open_at"),
        ("day=0", "day"),
        ("day=8", "day"),
        ("day=x", "day"),
        ("open_now=perhaps", "open_now"),
        ("day=2&day=3", "day"),
        ("q=" + "x" * 5000, "q"),
        ("open_at=2026-03-29T03:30", "open_at"),
    ],
)
def test_bad_filters_are_a_400_with_json_errors(client, places, url, query, parameter):
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = response.json()["errors"]
    assert list(errors) == [parameter]
    assert errors[parameter] and all(isinstance(message, str) for message in errors[parameter])


# The HSDS API pages with ``page`` (tests/places/test_hsds.py).
@pytest.mark.parametrize("url", ["/places.geojson", "/places.csv"])
def test_data_endpoints_ignore_the_page_parameter(client, places, url):
    assert client.get(f"{url}?page=abc").status_code == 200
