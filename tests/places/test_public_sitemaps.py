"""sitemap.xml (every language, with alternates) and robots.txt."""

import pytest

from tests.factories import MeetingFactory, PlaceFactory


@pytest.fixture
def content(db):
    PlaceFactory(slug="olohuone")
    PlaceFactory(slug="luonnos", is_published=False)
    MeetingFactory(slug="verkostopaiva")
    MeetingFactory(slug="keskeneräinen", status="draft")


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_the_admin(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Disallow: /sv/admin/" in text and "Disallow: /en/admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_sitemap_index_lists_every_section(client, content):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    text = response.content.decode()
    for section in ("pages", "places", "municipalities", "meetings"):
        assert f"http://testserver/sitemap-{section}.xml" in text


def test_place_sitemap_has_every_language_with_alternates(client, content):
    text = client.get("/sitemap-places.xml").content.decode()
    for prefix in ("", "/sv", "/en"):
        assert f"<loc>http://testserver{prefix}/places/olohuone/</loc>" in text
    assert 'hreflang="sv" href="http://testserver/sv/places/olohuone/"' in text
    assert 'hreflang="x-default"' in text
    assert "luonnos" not in text


def test_municipality_sitemap_lists_municipalities_with_places(client, content):
    text = client.get("/sitemap-municipalities.xml").content.decode()
    assert "<loc>http://testserver/municipalities/jyvaskyla/</loc>" in text
    assert "/municipalities/helsinki/" not in text


def test_static_pages_and_public_meetings_are_in_the_sitemap(client, content):
    pages = client.get("/sitemap-pages.xml").content.decode()
    assert "<loc>http://testserver/en/open-data/</loc>" in pages
    assert "<loc>http://testserver/sv/places/map/</loc>" in pages
    meetings = client.get("/sitemap-meetings.xml").content.decode()
    assert "/network/meetings/verkostopaiva/" in meetings
    assert "/sv/network/meetings/verkostopaiva/" in meetings
    assert "keskener" not in meetings
