"""The coverage page: published places per region and municipality, gaps for an audience."""

import csv
import datetime as dt
import io

import pytest

from tests.factories import ListingFactory, PlaceFactory, audience, municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    families, youth = audience("lapsiperheet"), audience("nuoret")
    PlaceFactory(audiences=[families, youth])
    PlaceFactory(audiences=[families])
    PlaceFactory(municipality=municipality("091"), postal_code="00100", audiences=[youth])
    PlaceFactory(
        municipality=municipality("398"),
        postal_code="15100",
        audiences=[families],
        is_published=False,
    )


def coverage_rows(client, params=None):
    response = client.get("/en/network/coverage/", params or {})
    assert response.status_code == 200
    coverage = response.context["coverage"]
    return response, {row.municipality.code: row for row in coverage.municipalities}


def test_coverage_counts_published_places_in_total_and_for_the_audience(client, places):
    response, rows = coverage_rows(client)
    assert (rows["179"].published_places, rows["179"].audience_places) == (2, 2)
    assert (rows["091"].published_places, rows["091"].audience_places) == (1, 0)
    # Lahti's only place is unpublished: it does not count.
    assert (rows["398"].published_places, rows["398"].audience_places) == (0, 0)
    assert rows["179"].places_by_audience == {"lapsiperheet": 2, "nuoret": 1}
    assert len(rows) == 308
    content = response.content.decode()
    assert (
        "1 of 308 municipalities have at least one published place for families with children."
        in content
    )


def test_gaps_stand_out_with_a_class_and_a_text_marker(client, places):
    response, rows = coverage_rows(client)
    content = response.content.decode()
    assert rows["091"].is_gap and not rows["179"].is_gap
    helsinki_row = content[: content.index(">Helsinki</a>")].rsplit("<tr", 1)[1]
    jyvaskyla_row = content[: content.index(">Jyväskylä</a>")].rsplit("<tr", 1)[1]
    assert 'class="gap"' in helsinki_row
    assert 'class="gap"' not in jyvaskyla_row
    assert content.count("No place</strong>") == 307


def test_region_totals_add_up(client, places):
    response, _rows = coverage_rows(client)
    regions = {region.region.code: region for region in response.context["coverage"].regions}
    assert (regions["13"].published_places, regions["13"].audience_places) == (2, 2)
    assert regions["13"].gaps == len(regions["13"].municipalities) - 1
    assert regions["01"].published_places == 1


def test_another_audience_can_be_chosen(client, places):
    response, rows = coverage_rows(client, {"audience": "nuoret"})
    assert not rows["091"].is_gap
    assert "2 of 308 municipalities" in response.content.decode()


def test_an_unknown_audience_is_explained_and_families_shown(client, places):
    response, _rows = coverage_rows(client, {"audience": "marsilaiset"})
    content = response.content.decode()
    assert "Unknown audience" in content
    assert response.context["coverage"].audience.slug == "lapsiperheet"
    assert '<option value="lapsiperheet" selected>' in content


def test_the_default_audience_is_the_one_selected_in_the_form(client, places):
    response, _rows = coverage_rows(client)
    assert '<option value="lapsiperheet" selected>' in response.content.decode()


def test_map_points_match_the_table(client, places):
    response, rows = coverage_rows(client)
    points = {point["name"]: point for point in response.context["map_config"]["points"]}
    assert points["Helsinki"]["gap"] is True
    assert points["Jyväskylä"]["audiencePlaces"] == 2
    assert len(points) == 308


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_coverage_csv_has_every_municipality_with_counts_per_audience(client, places):
    rows = read_csv(client.get("/en/network/coverage.csv"))
    by_code = {row["Municipality code"]: row for row in rows}
    assert len(rows) == 308
    assert by_code["179"]["Published places"] == "2"
    assert by_code["179"]["Families with children"] == "2"
    assert by_code["179"]["Young people"] == "1"
    assert by_code["091"]["No place for: Families with children"] == "yes"
    assert by_code["179"]["No place for: Families with children"] == "no"


def test_coverage_csv_follows_the_audience(client, places):
    rows = read_csv(client.get("/en/network/coverage.csv", {"audience": "nuoret"}))
    assert {row["Municipality code"]: row for row in rows}["091"][
        "No place for: Young people"
    ] == "no"


def test_coverage_csv_refuses_an_unknown_audience_with_a_clear_400(client):
    response = client.get("/en/network/coverage.csv", {"audience": "marsilaiset"})
    assert response.status_code == 400
    assert "Unknown audience" in response.content.decode()


def test_one_region_can_be_chosen_with_the_whole_country_beside_it(client, places):
    response, rows = coverage_rows(client, {"region": "13"})
    assert rows and all(row.municipality.region_id == "13" for row in rows.values())
    assert "091" not in rows and rows["179"].audience_places == 2
    content = response.content.decode()
    assert "Keski-Suomi: 1 of 22 municipalities have at least one published place" in content
    assert "The whole country: 1 of 308 municipalities." in content
    assert '<option value="13" selected>' in content
    assert "region=13" in content  # the CSV link keeps the region


def test_an_unknown_region_is_explained_and_the_whole_country_shown(client, places):
    response, rows = coverage_rows(client, {"region": "99", "audience": "nuoret"})
    assert len(rows) == 308
    assert response.context["coverage"].audience.slug == "nuoret"
    assert "Unknown region “99”" in response.content.decode()


def test_coverage_csv_follows_the_region_and_refuses_an_unknown_one(client, places):
    response = client.get("/en/network/coverage.csv", {"region": "01"})
    assert response.status_code == 200
    assert 'filename="coverage-lapsiperheet-01.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))[1:]
    assert rows and {row[0] for row in rows} == {"01"}
    refused = client.get("/en/network/coverage.csv", {"region": "xx"})
    assert refused.status_code == 400
    assert "Unknown region “xx”" in refused.content.decode()


def test_a_gap_links_to_open_listings_that_could_fill_it(client):
    youth, seniors = audience("nuoret"), audience("ikaihmiset")
    ListingFactory(
        title_fi="Nuorten ryhmä etsii tilaa Laukaasta",
        kind="activity_offered",
        municipalities=[municipality("410")],
        audiences=[youth],
    )
    ListingFactory(
        title_fi="Jyväskylän nuorisotila vapaana",
        municipalities=[municipality("179")],
        audiences=[youth],
    )
    kuopio, laukaa = [municipality("297")], [municipality("410")]
    ListingFactory(title_fi="Kuopion nuoret", municipalities=kuopio, audiences=[youth])
    ListingFactory(title_fi="Seniorit Laukaa", municipalities=laukaa, audiences=[seniors])
    ListingFactory(
        title_fi="Odottaa hyväksyntää",
        status="pending",
        municipalities=[municipality("410")],
        audiences=[youth],
    )
    ListingFactory(
        title_fi="Vanhentunut",
        valid_until=dt.date.today() - dt.timedelta(days=3),
        municipalities=[municipality("410")],
        audiences=[youth],
    )
    PlaceFactory(municipality=municipality("179"), audiences=[youth])
    response, rows = coverage_rows(client, {"audience": "nuoret"})
    for_laukaa = [listing.title_fi for listing in rows["410"].listings]
    # The municipality's own listing first, then its sub-region's (Jyväskylä's seutukunta).
    assert for_laukaa == ["Nuorten ryhmä etsii tilaa Laukaasta", "Jyväskylän nuorisotila vapaana"]
    assert rows["179"].listings == []  # no gap: Jyväskylä has a place for youth
    assert [listing.title_fi for listing in rows["297"].listings] == ["Kuopion nuoret"]
    assert rows["091"].listings == []
    html = response.content.decode()
    assert "Open listings that could fill it:" in html
    for listing in rows["410"].listings:
        assert listing.get_absolute_url() in html
    for hidden in ("Odottaa hyväksyntää", "Vanhentunut", "Seniorit Laukaa"):
        assert hidden not in html
    _response, rows = coverage_rows(client, {"audience": "ikaihmiset"})
    assert [listing.title_fi for listing in rows["410"].listings] == ["Seniorit Laukaa"]


def test_a_municipality_page_shows_its_open_listings(client):
    ListingFactory(title_fi="Laukaan kylätalo vapaana", municipalities=[municipality("410")])
    ListingFactory(title_fi="Jyväskylän tila", municipalities=[municipality("179")])
    ListingFactory(
        title_fi="Odottava Laukaa", status="pending", municipalities=[municipality("410")]
    )
    html = client.get("/municipalities/laukaa/").content.decode()
    assert "Ilmoitustaulun avoimet ilmoitukset" in html
    assert "Laukaan kylätalo vapaana" in html
    assert "Jyväskylän tila" not in html and "Odottava Laukaa" not in html
    assert "/network/board/?municipality=410" in html
    empty = client.get("/municipalities/muurame/").content.decode()
    assert "Tätä kuntaa koskevia avoimia ilmoituksia ei juuri nyt ole." in empty
