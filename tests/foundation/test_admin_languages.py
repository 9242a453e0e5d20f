"""The admin speaks the three languages of the site: /admin/ in Finnish, /sv/admin/ in Swedish
and /en/admin/ in English, with a link to the same admin page in the other two."""

import re

import pytest

from kohtaamispaikat.core.middleware import AnonymousPageCacheMiddleware
from tests.factories import PlaceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True))
    return client


@pytest.mark.parametrize(
    "prefix, language, text",
    [("", "fi", "Tallenna ja poistu"), ("/sv", "sv", "Spara"), ("/en", "en", "Save")],
)
def test_each_language_has_its_admin(admin_client, prefix, language, text):
    place = PlaceFactory()

    page = admin_client.get(f"{prefix}/admin/places/place/{place.pk}/change/").content.decode()

    assert f'<html lang="{language}"' in page
    assert f'value="{text}"' in page


def test_the_admin_links_to_the_same_page_in_the_other_languages(admin_client):
    page = admin_client.get("/sv/admin/places/place/").content.decode()

    links = set(re.findall(r'href="([^"]+)" hreflang="(\w+)"', page))
    assert links == {("/admin/places/place/", "fi"), ("/en/admin/places/place/", "en")}


@pytest.mark.page_cache
@pytest.mark.parametrize("path", ["/admin/login/", "/sv/admin/login/", "/en/admin/"])
def test_no_admin_page_in_any_language_goes_through_the_page_cache(rf, path):
    assert not AnonymousPageCacheMiddleware._cacheable_request(rf.get(path))
    assert AnonymousPageCacheMiddleware._cacheable_request(rf.get(path.replace("admin", "places")))
