"""Near me (#20): ?near=lat,lon and ?postcode=40100 sort places by distance, computed in SQL;
sub-region and county filters and pages; directions; open places nearby a closed one."""

import math
from datetime import time

import pytest
from django.test import override_settings
from django.urls import translate_url
from django.utils import timezone

from places.models import Place, SubRegion, WellbeingCounty
from tests.factories import (
    CoordinatorFactory,
    PlaceFactory,
    WeeklyHoursFactory,
    municipality,
)

pytestmark = pytest.mark.django_db

# The Jyväskylä city centre, and points at known distances from it.
CENTRE = (62.2415, 25.7209)
NEAR_CENTRE = "62.2415,25.7209"


def haversine_km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@pytest.fixture
def around_jyvaskyla():
    return {
        "Kompassi": PlaceFactory(name="Kompassi", latitude=62.2425, longitude=25.7480),
        "Kortepohja": PlaceFactory(
            name="Kortepohja", postal_code="40630", latitude=62.2570, longitude=25.7085
        ),
        "Muurame": PlaceFactory(
            name="Muurame",
            municipality=municipality("500"),
            postal_code="40950",
            latitude=62.1290,
            longitude=25.6720,
        ),
        "Jämsä": PlaceFactory(
            name="Jämsä",
            municipality=municipality("182"),
            postal_code="42100",
            latitude=61.9500,
            longitude=25.4500,
        ),
        "Helsinki": PlaceFactory(
            name="Helsinki",
            municipality=municipality("091"),
            postal_code="00180",
            latitude=60.1699,
            longitude=24.9384,
        ),
        "Ei sijaintia": PlaceFactory(name="Ei sijaintia", latitude=None, longitude=None),
    }


def listed(client, params, status=200):
    response = client.get("/en/places/", params)
    assert response.status_code == status
    return response, [place.name for place in response.context["places"]]


def test_near_sorts_by_distance_within_the_radius_and_shows_it(client, around_jyvaskyla):
    response, names = listed(client, {"near": NEAR_CENTRE})
    # Helsinki is 250 km away, beyond the 50 km radius; a place without coordinates has no
    # distance; the Jämsä place is 35 km away.
    assert names == ["Kompassi", "Kortepohja", "Muurame", "Jämsä"]
    content = response.content.decode()
    assert "Nearest first from your location, within 50 km." in content
    kompassi = haversine_km(CENTRE, (62.2425, 25.7480))
    assert f"{kompassi:.1f} km away" in content


def test_the_distance_in_sql_matches_the_great_circle_distance(around_jyvaskyla):
    for place in Place.objects.near(*CENTRE, radius_km=300):
        expected = haversine_km(CENTRE, (float(place.latitude), float(place.longitude)))
        assert place.distance_km == pytest.approx(expected, rel=0.005, abs=0.01)


@override_settings(NEAR_RADIUS_KM=10)
def test_the_radius_is_a_setting(client, around_jyvaskyla):
    _, names = listed(client, {"near": NEAR_CENTRE})
    assert names == ["Kompassi", "Kortepohja"]


def test_near_combines_with_other_filters(client, around_jyvaskyla):
    _, names = listed(client, {"near": NEAR_CENTRE, "municipality": "500"})
    assert names == ["Muurame"]


def test_a_postal_code_sorts_from_the_mean_of_its_places(client, around_jyvaskyla):
    # Two places carry the postal code 40100, one without coordinates: the origin is the mean
    # point of those located, Kompassi's.
    response, names = listed(client, {"postcode": "40100"})
    assert names[:3] == ["Kompassi", "Kortepohja", "Muurame"]
    assert "Nearest first from 40100 Jyväskylä Keskus" in response.content.decode()


def test_a_postal_code_without_places_sorts_from_its_municipalitys_centre(client, around_jyvaskyla):
    response, names = listed(client, {"postcode": "00100"})
    assert names == ["Helsinki"]


def test_a_typed_postal_code_wins_over_a_location_used_before(client, around_jyvaskyla):
    _, names = listed(client, {"near": "60.1699,24.9384", "postcode": "40100"})
    assert names[0] == "Kompassi"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"near": "abc"}, "Give the location as latitude and longitude in Finland"),
        ({"near": "62.24"}, "Give the location as latitude and longitude in Finland"),
        ({"near": "62.24,25.75,3"}, "Give the location as latitude and longitude in Finland"),
        ({"near": "nan,nan"}, "Give the location as latitude and longitude in Finland"),
        ({"near": "inf,25"}, "Give the location as latitude and longitude in Finland"),
        ({"near": "40.71,-74.00"}, "Give the location as latitude and longitude in Finland"),
        ({"near": "1e308,1e308"}, "Give the location as latitude and longitude in Finland"),
        ({"postcode": "4010"}, "Enter a postal code of five digits, such as 40100."),
        ({"postcode": "<b>x</b>"}, "Enter a postal code of five digits, such as 40100."),
        ({"postcode": "99999"}, "There is no postal code 99999 in Finland."),
    ],
)
def test_a_bad_location_or_postal_code_answers_400_with_a_message(
    client, around_jyvaskyla, params, message
):
    response, names = listed(client, params, status=400)
    content = response.content.decode()
    assert message in content
    assert "<b>x</b>" not in content
    # The other filters still apply; only the order cannot be given.
    assert len(names) == 6


def test_near_on_the_data_endpoint_answers_400_for_garbage(client):
    response = client.get("/places.geojson", {"near": "kaksi"})
    assert response.status_code == 400
    assert "near" in response.json()["errors"]


def test_near_me_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    for n in range(30):
        PlaceFactory(latitude=62.20 + n / 1000, longitude=25.70)
    with django_assert_max_num_queries(10):
        response = client.get("/en/places/", {"near": "62.2,25.7", "audience": "nuoret"})
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/en/places/", {"postcode": "40100"}).status_code == 200


def test_the_near_me_controls_work_without_javascript(client):
    content = client.get("/en/places/").content.decode()
    assert '<label for="id_postcode">Postal code</label>' in content
    assert 'type="hidden" name="near"' in content
    # The location button needs the browser's geolocation: hidden until near-me.js shows it.
    assert '<p class="near-me__locate" hidden>' in content
    home = client.get("/en/").content.decode()
    assert 'name="postcode"' in home and "js/near-me.js" in home


def test_subregion_and_county_filters(client, around_jyvaskyla):
    _, names = listed(client, {"subregion": "131"})
    assert set(names) == {"Kompassi", "Kortepohja", "Muurame", "Ei sijaintia"}
    _, names = listed(client, {"county": "15"})
    assert set(names) == {"Kompassi", "Kortepohja", "Muurame", "Ei sijaintia", "Jämsä"}
    response, names = listed(client, {"subregion": "999"})
    assert "There is no sub-region with the code 999." in response.content.decode()
    response, names = listed(client, {"county": "x"})
    assert "There is no wellbeing services county with the code x." in response.content.decode()


def test_subregion_page_lists_its_municipalities_places_and_coordinators(
    client, around_jyvaskyla, django_assert_max_num_queries
):
    CoordinatorFactory(name="Maakunnan koordinaattori", regions=["13"])
    jyvaskyla = SubRegion.objects.get(code="131")
    with django_assert_max_num_queries(10):
        response = client.get(translate_url(jyvaskyla.get_absolute_url(), "en"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Meeting places in Jyväskylä</h1>" in content
    assert "Muurame</a> <span" in content and "Helsinki" not in content
    assert "4 meeting places" in content
    assert "Maakunnan koordinaattori" in content
    assert "?subregion=131" in content


def test_county_page_and_sitemap(client, around_jyvaskyla):
    county = WellbeingCounty.objects.get(code="15")
    response = client.get(translate_url(county.get_absolute_url(), "en"))
    assert response.status_code == 200
    assert "Jämsä" in response.content.decode()
    municipality_page = client.get(translate_url(municipality("179").get_absolute_url(), "en"))
    assert "/en/counties/keski-suomen-hyvinvointialue/" in municipality_page.content.decode()
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-subregions.xml" in index and "sitemap-counties.xml" in index
    counties = client.get("/sitemap-counties.xml").content.decode()
    assert county.get_absolute_url() in counties
    assert client.get("/en/counties/no-such-county/").status_code == 404


@override_settings(JOURNEY_PLANNER_URL="https://reittiopas.example/{name}::{lat},{lon}")
def test_place_page_has_walking_driving_and_public_transport_directions(client, around_jyvaskyla):
    kompassi = around_jyvaskyla["Kompassi"]
    kompassi.refresh_from_db()
    point = f"{kompassi.latitude},{kompassi.longitude}"
    content = client.get(translate_url(kompassi.get_absolute_url(), "en")).content.decode()
    assert f"engine=fossgis_osrm_foot&amp;route=%3B{point}" in content
    assert f"engine=fossgis_osrm_car&amp;route=%3B{point}" in content
    assert f"https://reittiopas.example/Kompassi::{point}" in content
    unlocated = around_jyvaskyla["Ei sijaintia"]
    assert "Getting there" not in client.get(unlocated.get_absolute_url()).content.decode()


def test_a_closed_place_suggests_nearby_places_that_are_open_now(
    client, around_jyvaskyla, django_assert_max_num_queries
):
    now = timezone.localtime()
    weekday = now.isoweekday()
    for name in ("Kortepohja", "Muurame", "Helsinki"):
        WeeklyHoursFactory(
            place=around_jyvaskyla[name], weekday=weekday, opens=time(0, 0), closes=time(23, 59)
        )
    kompassi = around_jyvaskyla["Kompassi"]
    WeeklyHoursFactory(place=kompassi, weekday=weekday % 7 + 1)  # known hours, closed today
    with django_assert_max_num_queries(5):
        response = client.get(translate_url(kompassi.get_absolute_url(), "en"))
    content = response.content.decode()
    section = content[content.index("Closed now? These nearby places are open") :]
    assert "Kortepohja</a>" in section and "Muurame</a>" in section
    muurame = haversine_km((62.2425, 25.7480), (62.1290, 25.6720))
    assert f"Muurame, {muurame:.1f} km away" in section
    assert "Helsinki</a>" not in section  # open, but 250 km away
    assert section.index("Kortepohja") < section.index("Muurame")
    open_page = client.get(around_jyvaskyla["Muurame"].get_absolute_url()).content.decode()
    assert "These nearby places are open" not in open_page
