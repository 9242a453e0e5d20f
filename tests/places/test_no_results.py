"""An empty result offers a way on (nearby municipalities, other audiences, a spelling the
directory knows, the search without the other filters), and every search that found nothing
is counted for the coordinators: words, day, language, municipality, and nothing about who."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from kohtaamispaikat.core.personal_data import expire_past_retention
from places.models import SearchMiss
from tests.factories import (
    OrganizationFactory,
    PlaceFactory,
    audience,
    municipality,
    organisation_staff,
    regional_coordinator,
)

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/places/place/dashboard/"
MISSES = "/admin/places/searchmiss/"


@pytest.fixture
def places(db):
    PlaceFactory(
        name="Laukaan perhekahvila",
        municipality=municipality("410"),
        audiences=[audience("lapsiperheet")],
    )
    PlaceFactory(
        name="Kallion perhekahvila",
        municipality=municipality("091"),
        postal_town="Helsinki",
        audiences=[audience("lapsiperheet")],
    )
    PlaceFactory(
        name="Jyväskylän senioritupa",
        description="Tervetuloa.",
        audiences=[audience("ikaihmiset")],
    )


def test_nearby_municipalities_are_offered_nearest_first(client, places):
    response = client.get("/en/places/?q=perhekahvila&municipality=179")
    assert response.status_code == 200
    offers = response.context["no_results"].municipalities()
    assert [offer.label for offer in offers] == ["Laukaa", "Helsinki"]
    assert offers[0].query == "q=perhekahvila&municipality=410"
    html = response.content.decode()
    assert "Nearby municipalities" in html
    assert 'href="?q=perhekahvila&amp;municipality=410">Laukaa</a> (1)' in html


def test_other_audiences_are_offered(client, places):
    response = client.get("/en/places/?municipality=179&audience=lapsiperheet")
    offers = response.context["no_results"].audiences()
    assert [(offer.label, offer.count) for offer in offers] == [("Seniors", 1)]
    assert "For other groups" in response.content.decode()


def test_a_misspelt_word_is_offered_as_the_directory_spells_it(client, places):
    response = client.get("/en/places/?q=sneioritupa")
    html = response.content.decode()
    assert "Did you mean" in html
    assert 'href="?q=senioritupa">senioritupa</a>' in html
    assert client.get("/en/places/?q=senioritupa").context["places"]


def test_the_search_without_the_other_filters_is_offered(client, places):
    response = client.get("/en/places/?q=senioritupa&audience=lapsiperheet")
    html = response.content.decode()
    assert "“senioritupa” finds 1 place without the other filters" in html
    assert 'href="?q=senioritupa"' in html


def test_a_search_that_found_nothing_is_counted_per_day_and_municipality(client, places):
    cache.clear()
    for _repeat in range(2):
        client.get("/places/?q=Lohikäärme%20%20KERHO&municipality=179")
    client.get("/sv/places/?q=lohikäärme kerho")
    client.get("/places/?q=perhekahvila")  # found something: not counted
    client.get("/places/?municipality=179&audience=lapsiperheet")  # no words: not counted
    rows = sorted(
        (row.query, row.municipality_id or "", row.language, row.count, row.day)
        for row in SearchMiss.objects.all()
    )
    today = timezone.localdate()
    assert rows == [
        ("lohikäärme kerho", "", "sv", 1, today),
        ("lohikäärme kerho", "179", "fi", 2, today),
    ]


def test_an_empty_result_is_never_served_from_the_page_cache(client, places):
    response = client.get("/places/?q=lohikäärme")
    assert "no-store" in response["Cache-Control"]
    client.get("/places/?q=lohikäärme")
    assert SearchMiss.objects.get().count == 2


def test_coordinators_see_their_regions_and_unplaced_searches_staff_nothing(client, places):
    today = timezone.localdate()
    SearchMiss.objects.create(
        query="keski-suomi", day=today, language="fi", municipality_id="179", count=4
    )
    SearchMiss.objects.create(
        query="uusimaa", day=today, language="fi", municipality_id="091", count=9
    )
    SearchMiss.objects.create(query="koko maa", day=today, language="fi", count=2)
    client.force_login(regional_coordinator("13"))
    listing = client.get(MISSES)
    assert listing.status_code == 200
    assert sorted(row.query for row in listing.context["cl"].result_list) == [
        "keski-suomi",
        "koko maa",
    ]
    other = SearchMiss.objects.get(query="uusimaa")
    assert client.get(f"{MISSES}{other.pk}/change/").status_code in (302, 404)
    dashboard = client.get(DASHBOARD)
    assert [row[:2] for row in dashboard.context["search_misses"]] == [
        ("keski-suomi", 4),
        ("koko maa", 2),
    ]
    assert "Searches that found nothing" in client.get("/en" + DASHBOARD).content.decode()
    client.force_login(organisation_staff(OrganizationFactory()))
    assert client.get(MISSES).status_code == 403


def test_site_admins_see_all_and_nobody_edits(admin_client, places):
    SearchMiss.objects.create(query="uusimaa", day=timezone.localdate(), language="fi", count=1)
    assert admin_client.get(MISSES).context["cl"].result_count == 1
    assert admin_client.get(reverse("admin:places_searchmiss_add")).status_code == 403


def test_counts_expire_with_the_retention_period(places):
    old = timezone.localdate() - dt.timedelta(days=800)
    SearchMiss.objects.create(query="vanha", day=old, language="fi", count=1)
    SearchMiss.objects.create(query="uusi", day=timezone.localdate(), language="fi", count=1)
    expire_past_retention()
    assert list(SearchMiss.objects.values_list("query", flat=True)) == ["uusi"]


@pytest.mark.parametrize("query", ["%01" * 50, "a" * 199, "%E2%80%AE" * 30, "x+" * 150])
def test_bad_input_on_an_empty_result_is_no_error(client, places, query):
    assert client.get(f"/places/?q={query}&municipality=179&audience=lapset").status_code == 200
