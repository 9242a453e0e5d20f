"""The coordinators' dashboard of their regions (#16): what needs looking at, per region, each
figure a link to an admin list showing exactly those rows; constant queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from places.dashboard import MEASURES
from places.models import Region
from tests.factories import (
    OrganizationFactory,
    PlaceFactory,
    PlaceProposalFactory,
    SuggestionFactory,
    UserFactory,
    WeeklyHoursFactory,
    municipality,
    organisation_staff,
    regional_coordinator,
)

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/places/place/dashboard/"
KEYS = [key for key, *_rest in MEASURES]


def region_data(code, municipality_code, prefix):
    """Rows of one region, each measure counting what its name says."""
    where = municipality(municipality_code)
    today = timezone.localdate()
    staffed = OrganizationFactory(name=f"{prefix} miehitetty ry")
    organisation_staff(staffed)
    unstaffed = OrganizationFactory(name=f"{prefix} tyhjä ry")
    only_closed = OrganizationFactory(name=f"{prefix} suljettu ry")
    UserFactory(is_active=False).organizations.add(only_closed)

    def place(name, organization=staffed, hours=True, **fields):
        created = PlaceFactory(
            name=f"{prefix} {name}", municipality=where, organization=organization, **fields
        )
        if hours:
            WeeklyHoursFactory(place=created)
        return created

    place("tuore")
    place("vanha", last_verified=today - dt.timedelta(days=400))
    place("tarkistamaton", last_verified=None, is_published=False)
    place("tunniton", hours=False)
    with_suggestion = place("ehdotettu", organization=unstaffed)
    SuggestionFactory(place=with_suggestion)
    SuggestionFactory(place=with_suggestion)  # two suggestions, one place
    handled = place("käsitelty", organization=only_closed)
    SuggestionFactory(place=handled, status="rejected", handled_at=timezone.now())
    PlaceProposalFactory(municipality=where)
    PlaceProposalFactory(municipality=where)
    PlaceProposalFactory(municipality=where, status="rejected", handled_at=timezone.now())
    return {
        "stale": 2,
        "no_hours": 1,
        "open_suggestions": 1,
        "no_staff": 2,  # unstaffed, and only_closed whose only member cannot sign in
        "pending_proposals": 2,
    }


@pytest.fixture
def two_regions():
    return {"13": region_data("13", "179", "KS"), "01": region_data("01", "091", "UU")}


def figures(response):
    return {
        row.region.code if row.region else "all": dict(zip(KEYS, row.figures, strict=True))
        for row in response.context["rows"]
    }


def test_a_coordinator_sees_their_region_and_each_figure_opens_its_rows(client, two_regions):
    client.force_login(regional_coordinator("13"))
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    shown = figures(response)
    assert list(shown) == ["13"]
    assert {key: figure.count for key, figure in shown["13"].items()} == two_regions["13"]
    for key, figure in shown["13"].items():
        listing = client.get(figure.url)
        assert listing.status_code == 200, figure.url
        # The link really filters: the list shows exactly the counted rows, all of the region.
        assert listing.context["cl"].result_count == figure.count, (key, figure.url)
        assert "UU " not in listing.content.decode(), key
    page = response.content.decode()
    assert "Keski-Suomi" in page and "Uusimaa" not in page


def test_site_admins_see_every_region_and_the_whole_country(admin_client, two_regions):
    OrganizationFactory(name="Paikaton ry")  # no places, no staff: no region's, the country's
    shown = figures(admin_client.get(DASHBOARD))
    assert list(shown)[0] == "all"
    assert set(shown) == {"all", *Region.objects.values_list("code", flat=True)}
    for code in ("13", "01"):
        assert {key: figure.count for key, figure in shown[code].items()} == two_regions[code]
    assert shown["02"]["stale"].count == 0
    country = {key: figure.count for key, figure in shown["all"].items()}
    assert country == {
        "stale": 4,
        "no_hours": 2,
        "open_suggestions": 2,
        "no_staff": 5,
        "pending_proposals": 4,
    }
    for key, figure in shown["all"].items():
        assert admin_client.get(figure.url).context["cl"].result_count == country[key], key


def test_staff_and_visitors_have_no_dashboard(client):
    organization = OrganizationFactory()
    assert client.get(DASHBOARD).status_code == 302  # to sign in
    client.force_login(organisation_staff(organization))
    assert client.get(DASHBOARD).status_code == 403
    assert DASHBOARD not in client.get(reverse("admin:index")).content.decode()


def test_the_admin_index_links_to_it(client, admin_client):
    assert DASHBOARD in admin_client.get(reverse("admin:index")).content.decode()
    client.force_login(regional_coordinator("13"))
    index = client.get("/sv/admin/").content.decode()
    assert f"/sv{DASHBOARD}" in index


def test_the_new_list_filters_work_on_their_own(admin_client, two_regions):
    places = reverse("admin:places_place_changelist")
    organisations = reverse("admin:places_organization_changelist")
    for url, query in (
        (places, "?hours=none"),
        (places, "?hours=some"),
        (places, "?suggestions=open"),
        (organisations, "?staff=none"),
        (organisations, "?staff=some"),
        (organisations, "?region=13"),
        (organisations, "?region=99"),
    ):
        assert admin_client.get(url + query).status_code == 200, query
    some = admin_client.get(places + "?hours=some").context["cl"].result_count
    none = admin_client.get(places + "?hours=none").context["cl"].result_count
    assert (some, none) == (10, 2)


def test_the_dashboard_runs_a_constant_number_of_queries(admin_client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(DASHBOARD).status_code == 200
        return len(captured)

    region_data("13", "179", "KS")
    few = queries()
    for code, municipality_code in (("01", "091"), ("02", "853"), ("04", "609")):
        region_data(code, municipality_code, code)
    assert queries() == few
    assert few <= 12
