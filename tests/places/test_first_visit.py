"""What decides a first visit (#20): arriving, the nearest stop, the languages spoken and
accessibility in detail on the place page, the filters residents use for them, and a hidden
address that no page, map or export gives away."""

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from places.filters import postal_area_origin
from places.models import Place, PostalArea
from tests.factories import (
    HoursExceptionFactory,
    MeetingFactory,
    PlaceFactory,
    WeeklyHoursFactory,
    municipality,
    organisation_staff,
)

pytestmark = pytest.mark.django_db

# Somewhere in Jyväskylä that is not the municipality's centre (where the factory puts places).
SECRET_LATITUDE, SECRET_LONGITUDE = "62.271234", "25.812345"
SECRET_STREET = "Salakuja 7"


def page_text(response):
    """The page's text as a browser shows it: without tags, runs of whitespace collapsed."""
    assert response.status_code == 200
    return " ".join(strip_tags(response.content.decode()).split())


def listed(response):
    assert response.status_code == 200
    return sorted(place.name for place in response.context["places"])


@pytest.fixture
def hidden():
    return PlaceFactory(
        name="Turvakoti Olohuone",
        slug="turvakoti-olohuone",
        street_address=SECRET_STREET,
        postal_code="40520",
        postal_town="Jyväskylä",
        latitude=SECRET_LATITUDE,
        longitude=SECRET_LONGITUDE,
        nearest_stop="Salakujan pysäkki",
        address_hidden=True,
    )


def assert_secret_absent(text):
    for secret in (SECRET_STREET, "40520", "62.271", "25.812", "Salakujan"):
        assert secret not in text


# The place page ----------------------------------------------------------------------------


def test_the_page_shows_what_happens_on_arrival_first(client):
    place = PlaceFactory(
        arrival=Place.Arrival.RING,
        greets_newcomers=True,
        arrival_note="Ovikello on kyltin vieressä.",
        nearest_stop="Kauppatori, linjat 2 ja 12, 200 m",
        languages=["fi", "sv", "fi-plain"],
    )
    text = page_text(client.get(place.get_absolute_url()))
    first_visit = text[text.index("Ensimmäinen käynti") :]
    assert "Soita ovikelloa" in first_visit
    assert "Voit tulla yksin: joku ottaa sinut vastaan." in first_visit
    assert "Ovikello on kyltin vieressä." in first_visit
    assert "Lähin bussipysäkki Kauppatori, linjat 2 ja 12, 200 m" in first_visit
    assert "suomi, ruotsi, selkosuomi" in first_visit
    # Before the opening hours: it decides whether one goes at all.
    assert text.index("Ensimmäinen käynti") < text.index("Aukioloajat")


def test_a_place_without_arrival_details_has_no_empty_section(client):
    text = page_text(client.get(PlaceFactory().get_absolute_url()))
    assert "Ensimmäinen käynti" not in text


def test_the_page_lists_every_accessibility_feature_and_whom_to_ask(client):
    place = PlaceFactory(
        step_free_access=True,
        accessible_toilet=True,
        induction_loop=True,
        accessible_parking=True,
        stroller_space=True,
        guide_dogs_welcome=True,
        accessibility_note="Hissi pihan puolella.",
        accessibility_contact="Maija Mallikas, 040 123 4567",
    )
    client.cookies.load({"django_language": "en"})
    text = page_text(client.get("/en" + place.get_absolute_url()))
    for feature in (
        "Step-free entrance",
        "Accessible toilet",
        "Induction loop",
        "Accessible parking",
        "Space for prams and strollers",
        "Guide and assistance dogs welcome",
        "Hissi pihan puolella.",
        "Ask about accessibility: Maija Mallikas, 040 123 4567",
    ):
        assert feature in text
    assert "Step-free entrance not confirmed" not in text


def test_swedish_page_names_the_arrival_in_swedish(client):
    place = PlaceFactory(arrival=Place.Arrival.WALK_IN, languages=["fi-plain"])
    text = page_text(client.get("/sv" + place.get_absolute_url()))
    assert "Kom direkt in" in text
    assert "lättläst finska" in text


def test_staff_edit_the_first_visit_fields_in_the_admin(client):
    place = PlaceFactory()
    client.force_login(organisation_staff(place.organization))
    page = page_text(client.get(reverse("admin:places_place_change", args=[place.pk])))
    for label in (
        "Kun saavut",
        "Lähin bussipysäkki",
        "Esteetön pysäköinti",
        "Tilaa lastenvaunuille",
        "Opas- ja avustajakoirat tervetulleita",
        "Esteettömyyden yhteyshenkilö",
        "Osoite piilotettu",
        "Isäntien puhumat kielet",
    ):
        assert label.casefold() in page.casefold()


# Filters -----------------------------------------------------------------------------------


@pytest.fixture
def served():
    PlaceFactory(name="Suomeksi", languages=["fi"])
    PlaceFactory(name="Ruotsiksi", languages=["fi", "sv"], stroller_space=True)
    PlaceFactory(name="Englanniksi", languages=["en"], induction_loop=True)
    PlaceFactory(name="Selkosuomeksi", languages=["fi-plain"], stroller_space=True)
    PlaceFactory(name="Piilossa", languages=["sv"], is_published=False)


def test_language_filter_finds_places_served_in_any_chosen_language(client, served):
    assert listed(client.get("/places/?language=sv")) == ["Ruotsiksi"]
    assert listed(client.get("/places/?language=sv&language=en")) == [
        "Englanniksi",
        "Ruotsiksi",
    ]
    # Plain Finnish is a language of its own, not any Finnish.
    assert listed(client.get("/places/?language=fi-plain")) == ["Selkosuomeksi"]
    assert listed(client.get("/places/?language=fi")) == ["Ruotsiksi", "Suomeksi"]


def test_stroller_and_induction_loop_filters(client, served):
    assert listed(client.get("/places/?stroller=1")) == ["Ruotsiksi", "Selkosuomeksi"]
    assert listed(client.get("/places/?loop=1")) == ["Englanniksi"]
    assert listed(client.get("/places/?stroller=1&language=sv")) == ["Ruotsiksi"]


def test_filter_form_offers_the_new_filters(client, served):
    text = page_text(client.get("/en/places/?language=sv"))
    assert "Languages spoken" in text
    assert "plain Finnish (selkosuomi)" in text
    assert "Stroller friendly" in text
    html = client.get("/places/?language=sv").content.decode()
    assert re.search(r'<input type="checkbox" name="language" value="sv"[^>]* checked', html)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("language=klingon", "Kieltä, jonka koodi on “klingon”, ei ole."),
        ("stroller=maybe", "Ota rajaus käyttöön arvolla 1"),
        ("loop=2", "Ota rajaus käyttöön arvolla 1"),
    ],
)
def test_unknown_values_get_a_message_not_an_error(client, served, query, message):
    response = client.get(f"/places/?{query}")
    assert response.status_code == 200
    assert message in page_text(response)
    data = client.get(f"/places.geojson?{query}")
    assert data.status_code == 400
    assert data.json()["errors"]


def test_the_list_with_the_new_filters_keeps_its_query_budget(
    client, served, django_assert_max_num_queries
):
    for n in range(30):
        PlaceFactory(languages=["sv"], stroller_space=True, induction_loop=n % 2 == 0)
    with django_assert_max_num_queries(12):
        assert client.get("/places/?language=sv&stroller=1&loop=1").status_code == 200


# A hidden address --------------------------------------------------------------------------


def test_the_page_of_a_hidden_address_shows_only_the_municipality(client, hidden):
    response = client.get(hidden.get_absolute_url())
    text = page_text(response)
    assert_secret_absent(text)
    assert "Osoitetta ei julkaista" in text
    point = response.context["map_config"]["point"]
    centre = municipality("179")
    assert (point["lat"], point["lon"]) == (float(centre.latitude), float(centre.longitude))
    assert point["approximate"] is True
    assert response.context["place"].directions_links() == []


def test_the_list_and_the_map_hide_the_address(client, hidden):
    assert_secret_absent(page_text(client.get("/places/")))
    assert_secret_absent(page_text(client.get("/places/map/")))
    features = client.get("/places.geojson").json()["features"]
    (feature,) = features
    centre = municipality("179")
    assert feature["geometry"]["coordinates"] == [
        round(float(centre.longitude), 5),
        round(float(centre.latitude), 5),
    ]
    assert feature["properties"]["location_approximate"] is True


def test_near_me_measures_a_hidden_place_from_its_municipality(client, hidden):
    # Next to the secret point, 4 km or so from the centre: a distance of 0.0 km would tell.
    response = client.get(f"/places/?near={SECRET_LATITUDE},{SECRET_LONGITUDE}")
    (place,) = response.context["places"]
    assert place.distance_km > 2
    centre = municipality("179")
    (place,) = client.get(f"/places/?near={centre.latitude},{centre.longitude}").context["places"]
    assert place.distance_km < 0.01


def test_the_public_csv_leaves_the_address_out(client, hidden):
    PlaceFactory(name="Avoin", street_address="Kauppakatu 1")
    response = client.get("/places.csv")
    body = response.getvalue().decode()
    assert_secret_absent(body)
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(body))}
    assert rows["Turvakoti Olohuone"]["address_hidden"] == "true"
    assert rows["Turvakoti Olohuone"]["street_address"] == ""
    assert rows["Turvakoti Olohuone"]["municipality"] == "Jyväskylä"
    assert rows["Avoin"]["street_address"] == "Kauppakatu 1"


def test_the_staff_csv_export_keeps_the_address_for_editing(client, hidden):
    client.force_login(organisation_staff(hidden.organization))
    response = client.post(
        reverse("admin:places_place_changelist"),
        {"action": "export_as_csv", "_selected_action": [hidden.pk]},
    )
    assert response.status_code == 200
    assert SECRET_STREET in response.getvalue().decode()


def test_hsds_and_json_ld_hide_the_address(client, hidden):
    for url in (
        reverse("places:hsds_services") + "?full=true",
        reverse("places:hsds_service_at_locations") + "?full=true",
        reverse("places:hsds_service", args=[hidden.uuid]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_secret_absent(json.dumps(response.json(), ensure_ascii=False))
    page = client.get(hidden.get_absolute_url()).context["json_ld"]
    assert_secret_absent(str(page))
    assert '"geo"' not in str(page)


def test_meetings_at_a_hidden_venue_do_not_give_it_away(client, hidden):
    meeting = MeetingFactory(venue=hidden, venue_address="")
    texts = [
        page_text(client.get(reverse("network:meeting", args=[meeting.slug]))),
        page_text(client.get(reverse("network:meetings"))),
        client.get(reverse("network:ics")).content.decode(),
        client.get(reverse("network:feed")).content.decode(),
    ]
    for text in texts:
        assert_secret_absent(text)
    assert "Turvakoti Olohuone" in texts[0]


def test_a_nearby_page_is_not_measured_from_a_hidden_address(client, hidden):
    other = PlaceFactory(name="Naapuri", latitude=SECRET_LATITUDE, longitude="25.812400")
    # Closed today and the neighbour open round the clock: it is offered, measured from the
    # municipality's centre (4 km or so) rather than from the hidden point next door (0.0 km).
    HoursExceptionFactory(place=hidden, start_date=timezone.localdate(), closed=True)
    for weekday in range(1, 8):
        WeeklyHoursFactory(place=other, weekday=weekday, opens=dt.time(0), closes=dt.time(0))
    response = client.get(hidden.get_absolute_url())
    (nearby,) = response.context["open_nearby"]
    assert nearby.distance_km > 2


def test_a_search_for_the_hidden_street_does_not_find_the_place(client, hidden):
    assert listed(client.get("/places/?q=Salakuja")) == []
    assert listed(client.get("/places/?q=Turvakoti")) == ["Turvakoti Olohuone"]


def test_a_postal_code_is_not_centred_on_a_hidden_address(client, hidden):
    # 40520 has only the hidden place: the municipality's centre is used instead of its point.
    area = PostalArea.objects.get(code="40520")
    origin = postal_area_origin(area)
    centre = municipality(area.municipality_id)
    assert (origin.latitude, origin.longitude) == (float(centre.latitude), float(centre.longitude))
