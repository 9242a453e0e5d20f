"""Embeds (#20): /embed/ pages that other sites may frame while no other page may be, and the
admin's embed builder."""

import html
import re

import pytest
from django.test import override_settings

from tests.factories import (
    PlaceFactory,
    UserFactory,
    audience,
    municipality,
    organisation_staff,
    regional_coordinator,
)

pytestmark = pytest.mark.django_db

BUILDER = "/admin/places/place/embed/"


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def assert_frameable(response, ancestors=("*",)):
    assert response.status_code in (200, 400), response.status_code
    assert "X-Frame-Options" not in response
    assert directives(response)["frame-ancestors"] == list(ancestors)


def assert_not_frameable(response):
    assert response["X-Frame-Options"] == "DENY"
    assert directives(response)["frame-ancestors"] == ["'none'"]


@pytest.fixture
def places(db):
    families, seniors = audience("lapsiperheet"), audience("ikaihmiset")
    return {
        "family": PlaceFactory(name="Perhekahvila Aurinko", audiences=[families]),
        "seniors": PlaceFactory(name="Seniorien olohuone", audiences=[seniors]),
        "helsinki": PlaceFactory(
            name="Kallion perhetalo",
            municipality=municipality("091"),
            postal_code="00530",
            audiences=[families],
        ),
        "draft": PlaceFactory(name="Luonnos", is_published=False),
    }


EMBEDS = [
    "/embed/places/",
    "/embed/places/?municipality=179&audience=lapsiperheet",
    "/embed/places/map/?audience=ikaihmiset",
    "/embed/municipality/jyvaskyla/",
    "/sv/embed/places/",
    "/en/embed/municipality/helsinki/",
]


@pytest.mark.parametrize("url", EMBEDS)
def test_embeds_may_be_framed_by_any_site(client, places, url):
    assert_frameable(client.get(url))


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/places/",
        "/places/map/",
        "/municipalities/jyvaskyla/",
        "/sv/municipalities/jyvaskyla/",
        "/open-data/",
        "/admin/login/",
        "/embed/municipality/no-such-town/",  # a 404 is not an embed
    ],
)
def test_every_other_page_refuses_to_be_framed(client, places, url):
    assert_not_frameable(client.get(url))


def test_the_places_that_may_frame_them_are_a_setting(client, places):
    hosts = ["https://www.jyvaskyla.fi", "https://*.example.fi"]
    with override_settings(EMBED_FRAME_ANCESTORS=hosts):
        assert_frameable(client.get("/embed/places/"), hosts)
        assert_not_frameable(client.get("/places/"))


@pytest.mark.page_cache
def test_a_cached_embed_keeps_its_headers(client, places):
    first = client.get("/embed/municipality/jyvaskyla/")
    again = client.get("/embed/municipality/jyvaskyla/")
    assert again.content == first.content
    assert_frameable(again)
    client.get("/municipalities/jyvaskyla/")
    assert_not_frameable(client.get("/municipalities/jyvaskyla/"))


def test_an_embed_has_no_site_chrome_and_opens_links_in_a_new_tab(client, places):
    page = client.get("/embed/places/?municipality=179").content.decode()
    assert '<base target="_blank">' in page
    for chrome in ("site-header", "site-nav", "site-footer", "skip-link", "filter-form"):
        assert chrome not in page
    assert 'name="viewport"' in page
    assert places["family"].get_absolute_url() in page
    assert "/places/?municipality=179" in page  # the same places on the full site


def test_the_places_embed_takes_the_lists_filters(client, places):
    page = client.get("/embed/places/?municipality=179&audience=lapsiperheet").content.decode()
    assert "Perhekahvila Aurinko" in page
    assert "Seniorien olohuone" not in page
    assert "Kallion perhetalo" not in page
    assert "Luonnos" not in page


def test_unusable_filters_are_named_not_a_server_error(client, places):
    response = client.get("/en/embed/places/?near=north-pole&audience=nobody")
    assert response.status_code == 400
    assert_frameable(response)
    page = response.content.decode()
    assert "Some filters could not be used" in page
    assert "nobody" in page


def test_the_municipality_embed_lists_its_published_places(client, places):
    page = client.get("/embed/municipality/jyvaskyla/").content.decode()
    assert "Perhekahvila Aurinko" in page and "Seniorien olohuone" in page
    assert "Kallion perhetalo" not in page and "Luonnos" not in page
    assert client.get("/embed/municipality/no-such-town/").status_code == 404


def test_embeds_speak_the_language_of_their_prefix(client, places):
    swedish = client.get("/sv/embed/municipality/helsinki/").content.decode()
    assert '<html lang="sv">' in swedish
    assert "Mötesplatser i Helsingfors" in swedish
    assert 'href="/sv/places/' in swedish
    english = client.get("/en/embed/places/").content.decode()
    assert '<html lang="en">' in english
    assert "Links open in a new tab." in english


def test_the_map_embed_loads_the_filtered_places(client, places):
    response = client.get("/embed/places/map/?audience=ikaihmiset")
    config = response.context["map_config"]
    assert config["geojsonUrl"] == "/places.geojson?audience=ikaihmiset"
    assert 'id="places-map"' in response.content.decode()


def test_pagination_stays_inside_the_embed(client, db):
    for number in range(25):
        PlaceFactory(name=f"Olohuone {number:02}")
    page = client.get("/embed/places/").content.decode()
    assert re.search(r'<a href="\?page=2" rel="next" target="_self">', page)


def test_embeds_run_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for count in (3, 30):
        PlaceFactory.create_batch(count, audiences=[audience("lapsiperheet")])
        for url in ("/embed/places/?audience=lapsiperheet", "/embed/municipality/jyvaskyla/"):
            with django_assert_max_num_queries(8):
                assert client.get(url).status_code == 200


# The builder ------------------------------------------------------------------------------


def builder_page(client, **query):
    response = client.get(BUILDER, query)
    return response, response.content.decode()


def test_the_builder_is_for_signed_in_staff_only(client, db):
    response = client.get(BUILDER)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    client.force_login(UserFactory(is_staff=False))
    assert client.get(BUILDER).status_code == 302


@pytest.fixture(params=["coordinator", "staff"])
def builder_user(request, db):
    if request.param == "coordinator":
        return regional_coordinator("13")
    return organisation_staff(PlaceFactory().organization)


def test_the_admin_front_page_links_to_the_builder(client, builder_user):
    client.force_login(builder_user)
    assert BUILDER in client.get("/admin/").content.decode()


def test_the_builder_gives_a_municipality_embed(client, builder_user):
    client.force_login(builder_user)
    response, page = builder_page(
        client, municipality="091", language="sv", view="list", height="500"
    )
    assert response.status_code == 200
    embed = response.context["embed"]
    assert embed["url"] == "http://testserver/sv/embed/municipality/helsinki/"
    assert embed["title"] == "Mötesplatser i Helsingfors – Kohtaamispaikat"
    assert str(embed["iframe_code"]) == (
        '<iframe src="http://testserver/sv/embed/municipality/helsinki/" '
        'title="Mötesplatser i Helsingfors – Kohtaamispaikat" width="100%" height="500" '
        'style="border: 0;" loading="lazy"></iframe>'
    )
    assert embed["site_url"] == "http://testserver/sv/municipalities/helsinki/"
    # The preview is the embed itself, in a frame with its title; the code is shown as text.
    assert '<iframe class="embed-builder__preview" src="http://testserver/sv/embed/' in page
    assert html.escape(str(embed["iframe_code"])) in page
    assert html.escape(str(embed["link_code"])) in page


def test_the_builder_gives_filtered_lists_and_maps(client, builder_user):
    client.force_login(builder_user)
    response, _page = builder_page(
        client,
        municipality="179",
        audiences=["lapsiperheet", "ikaihmiset"],
        language="fi",
        view="list",
        height="600",
    )
    query = "?municipality=179&audience=lapsiperheet&audience=ikaihmiset"
    assert response.context["embed"]["url"] == f"http://testserver/embed/places/{query}"
    assert response.context["embed"]["site_url"] == f"http://testserver/places/{query}"
    response, _page = builder_page(client, language="en", view="map", height="600")
    embed = response.context["embed"]
    assert embed["url"] == "http://testserver/en/embed/places/map/"
    assert embed["title"] == "Meeting places – Kohtaamispaikat"
    assert embed["site_url"] == "http://testserver/en/places/map/"
    # The embed it gives is served, and frameable.
    assert_frameable(client.get(embed["url"].removeprefix("http://testserver")))


def test_the_builder_shows_the_form_first_and_explains_bad_choices(client, builder_user):
    client.force_login(builder_user)
    response, page = builder_page(client)
    assert response.status_code == 200 and response.context["embed"] is None
    assert "<iframe" not in page
    response, page = builder_page(
        client, municipality="999", audiences=["nobody"], language="xx", view="list", height="9"
    )
    assert response.status_code == 400
    assert response.context["embed"] is None
    assert set(response.context["form"].errors) == {
        "municipality",
        "audiences",
        "language",
        "height",
    }
