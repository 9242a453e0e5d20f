"""The open-data page lists every dataset with its format, size, licence, last change and a
link to its schema or documentation, and every link works."""

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kohtaamispaikat.core.models import DataVersion
from tests.factories import HoursExceptionFactory, ListingFactory, MeetingFactory, PlaceFactory

pytestmark = pytest.mark.django_db

DATASETS = [
    ("Meeting places (CSV)", "text/csv", "/en/places.csv"),
    ("Exceptions to the opening hours (CSV)", "text/csv", "/en/places-exceptions.csv"),
    ("Meeting places on the map (GeoJSON)", "application/geo+json", "/en/places.geojson"),
    ("Services (Open Referral HSDS 3.0)", "application/json", "/en/open-data/hsds/services"),
    (
        "Organisations (Open Referral HSDS 3.0)",
        "application/json",
        "/en/open-data/hsds/organizations",
    ),
    (
        "Services at locations (Open Referral HSDS 3.0)",
        "application/json",
        "/en/open-data/hsds/service_at_locations",
    ),
    ("Place pages (schema.org LocalBusiness, JSON-LD)", "application/ld+json", "/en/places/"),
    ("Sitemap", "application/xml", "/sitemap.xml"),
    ("Network meetings (Atom)", "application/atom+xml", "/en/network/feed/"),
    ("Network meetings (iCalendar)", "text/calendar", "/en/network/meetings.ics"),
    ("Meeting pages (schema.org Event, JSON-LD)", "application/ld+json", "/en/network/meetings/"),
    ("Notice board (Atom)", "application/atom+xml", "/en/network/board/feed/"),
]


def rows(html):
    body = re.search(r'<table class="datasets">.*?<tbody>(.*?)</tbody>', html, re.S)[1]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


@override_settings(OPEN_DATA_LICENSE="CC BY 4.0")
def test_lists_every_dataset_with_format_size_licence_change_and_documentation(client):
    first, _second = PlaceFactory.create_batch(2)
    HoursExceptionFactory(place=first)
    HoursExceptionFactory(place=first, start_date=first.last_verified.replace(year=2040))
    PlaceFactory(latitude=None, longitude=None)
    MeetingFactory()
    ListingFactory()
    html = client.get("/en/open-data/").content.decode()
    found = rows(html)
    assert len(found) == len(DATASETS)
    changed = DataVersion.objects.get()
    for row, (name, media_type, path) in zip(found, DATASETS, strict=True):
        assert f'<a href="http://testserver{path}">{name}</a>' in row
        assert f"<code>{media_type}</code>" in row
        assert 'rel="license">CC BY 4.0</a>' in row
        assert f'datetime="{timezone.localtime(changed.changed_at).isoformat()}"' in row
        documentation = re.findall(r'<a href="([^"]+)">', row)[-1]
        assert documentation.startswith(("https://", "#"))
    assert "3 places" in found[0] and "2 exceptions" in found[1]
    assert "2 places" in found[2] and "3 services" in found[3]
    assert "1 meeting" in found[9] and "1 listing" in found[11]
    assert f"data version {changed.version}" in html


def test_every_dataset_link_answers(client):
    PlaceFactory()
    MeetingFactory()
    html = client.get("/en/open-data/").content.decode()
    for row in rows(html):
        url = re.search(r'<a href="http://testserver([^"]+)">', row)[1]
        assert client.get(url).status_code == 200, url


def test_links_the_excel_versions_of_both_csv_files(client):
    html = client.get("/en/open-data/").content.decode()
    assert 'href="http://testserver/en/places.csv?excel=1"' in html
    assert 'href="http://testserver/en/places-exceptions.csv?excel=1"' in html


def test_finnish_and_swedish_pages_name_the_datasets_in_their_language(client):
    assert "Kohtaamispaikat (CSV)" in client.get("/open-data/").content.decode()
    assert "Poikkeusaukiolot (CSV)" in client.get("/open-data/").content.decode()
    assert "Mötesplatser (CSV)" in client.get("/sv/open-data/").content.decode()
    assert "Avvikande öppettider (CSV)" in client.get("/sv/open-data/").content.decode()


def test_runs_the_same_queries_for_few_or_many_places(client, django_assert_max_num_queries):
    PlaceFactory()
    with CaptureQueriesContext(connection) as few:
        client.get("/en/open-data/")
    PlaceFactory.create_batch(20)
    MeetingFactory.create_batch(5)
    with django_assert_max_num_queries(len(few)):
        assert client.get("/en/open-data/").status_code == 200
