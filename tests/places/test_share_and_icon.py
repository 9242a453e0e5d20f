"""A place's page can be shared (its link to copy, the phone's share sheet where there is one);
the site has an icon; the map tells when its background tiles fail."""

import json

import pytest

from tests.factories import PlaceFactory

pytestmark = pytest.mark.django_db


def test_a_place_page_offers_its_link_to_copy_and_share(client):
    place = PlaceFactory(name="Kahvila <Kohtaamo>")
    content = client.get(f"/en/places/{place.slug}/").content.decode()
    assert '<label for="share-link">Link to this page</label>' in content
    assert f'value="http://testserver/en/places/{place.slug}/"' in content
    # The buttons need JavaScript (clipboard, Web Share API): hidden until share.js shows them.
    assert '<p class="share__actions" hidden>' in content
    assert 'data-title="Kahvila &lt;Kohtaamo&gt;"' in content
    assert "js/share.js" in content


def test_the_site_has_an_icon_also_at_favicon_ico(client):
    content = client.get("/en/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in content
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"


def test_the_map_knows_what_to_say_when_its_tiles_fail(client):
    response = client.get("/en/places/map/")
    config = json.loads(
        response.content.decode()
        .split('id="map-config" type="application/json">')[1]
        .split("</script>")[0]
    )
    assert config["labels"]["tilesFailed"].startswith("The background map could not be loaded")
