"""Organisations in the admin: membership of an organisation makes a user staff of its places, so
a coordinator changes (and adds members to) only organisations whose places all lie in their
regions. They still see every organisation: a place of their region may belong to any."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from places.models import Organization
from tests.factories import (
    OrganizationFactory,
    PlaceFactory,
    UserFactory,
    municipality,
    organisation_staff,
    regional_coordinator,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]

JYVASKYLA, HELSINKI = "179", "091"  # in regions 13 (Keski-Suomi) and 01 (Uusimaa)


def organisation_with_places_in(*municipality_codes, **kwargs):
    organization = OrganizationFactory(**kwargs)
    for code in municipality_codes:
        PlaceFactory(organization=organization, municipality=municipality(code))
    return organization


def change_url(organization):
    return reverse("admin:places_organization_change", args=[organization.pk])


def logged_in(client, user):
    client.force_login(user)
    return client


def unchanged_form_data(client, organization):
    """What the change form of ``organization`` posts when nothing is changed."""
    form = client.get(change_url(organization)).context["adminform"].form
    values = {name: form[name].value() for name in form.fields}
    return {name: value for name, value in values.items() if value is not None}


def assert_read_only(client, organization):
    response = client.get(change_url(organization))
    assert response.status_code == 200  # coordinators may look at every organisation
    assert 'name="_save"' not in response.content.decode()
    assert "members" not in response.context["adminform"].form.fields


def hijack(client, organization, user):
    """Post the change form of ``organization`` adding ``user`` to its members."""
    data = {
        "name": "Kaapattu ry",
        "slug": organization.slug,
        "kind": organization.kind,
        "members": [user.pk],
    }
    return client.post(change_url(organization), data)


@pytest.mark.parametrize(
    "places_in",
    [(HELSINKI,), (JYVASKYLA, HELSINKI)],
    ids=["places in region 01", "places in regions 13 and 01"],
)
def test_a_coordinator_may_not_join_an_organisation_with_places_in_another_region(
    client, places_in
):
    coordinator = regional_coordinator("13")
    organization = organisation_with_places_in(*places_in, name="Uudenmaan yhdistys ry")
    logged_in(client, coordinator)

    assert_read_only(client, organization)
    assert hijack(client, organization, coordinator).status_code == 403

    organization.refresh_from_db()
    assert organization.name == "Uudenmaan yhdistys ry"
    assert not organization.members.exists()


def test_a_coordinator_may_not_delete_an_organisation_with_places_in_another_region(client):
    organization = organisation_with_places_in(HELSINKI)
    logged_in(client, regional_coordinator("13"))

    url = reverse("admin:places_organization_delete", args=[organization.pk])

    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_a_coordinator_maintains_an_organisation_whose_places_are_all_in_their_regions(client):
    coordinator = regional_coordinator("13")
    organization = organisation_with_places_in(JYVASKYLA, JYVASKYLA)
    colleague = UserFactory(username="kollega")
    logged_in(client, coordinator)
    data = unchanged_form_data(client, organization)

    response = client.post(change_url(organization), {**data, "members": [colleague.pk]})

    assert response.status_code == 302
    assert list(organization.members.all()) == [colleague]


def test_a_coordinator_maintains_an_organisation_without_places(client):
    coordinator = regional_coordinator("13")
    logged_in(client, coordinator)
    added = {"name": "Uusi yhdistys ry", "slug": "uusi-yhdistys", "kind": "association"}

    response = client.post(reverse("admin:places_organization_add"), added)
    assert response.status_code == 302
    organization = Organization.objects.get(slug="uusi-yhdistys")
    data = unchanged_form_data(client, organization)
    colleague = UserFactory(username="kollega")
    response = client.post(change_url(organization), {**data, "members": [colleague.pk]})

    assert response.status_code == 302
    assert list(organization.members.all()) == [colleague]


def test_a_coordinator_who_is_also_staff_does_not_maintain_their_organisation_elsewhere(client):
    organization = organisation_with_places_in(HELSINKI)
    coordinator = regional_coordinator("13")
    organization.members.add(coordinator)
    logged_in(client, coordinator)

    assert_read_only(client, organization)
    assert hijack(client, organization, UserFactory()).status_code == 403
    assert list(organization.members.all()) == [coordinator]


def test_coordinators_still_list_every_organisation(client):
    outside = organisation_with_places_in(HELSINKI, name="Uudenmaan yhdistys ry")
    logged_in(client, regional_coordinator("13"))

    response = client.get(reverse("admin:places_organization_changelist"))

    assert outside.name in response.content.decode()


def test_the_maintenance_check_asks_the_database_once_per_page(client):
    organization = organisation_with_places_in(JYVASKYLA, HELSINKI)
    logged_in(client, regional_coordinator("13"))

    with CaptureQueriesContext(connection) as queries:
        assert client.get(change_url(organization)).status_code == 200

    assert sum('"places_place"' in query["sql"] for query in queries) == 1


def test_site_admins_maintain_every_organisation(client):
    organization = organisation_with_places_in(JYVASKYLA, HELSINKI)
    member = UserFactory(username="jasen")
    logged_in(client, UserFactory(is_superuser=True))
    data = unchanged_form_data(client, organization)

    response = client.post(change_url(organization), {**data, "members": [member.pk]})

    assert response.status_code == 302
    assert list(organization.members.all()) == [member]


def test_staff_may_not_reach_another_organisation(client):
    own, other = organisation_with_places_in(JYVASKYLA), organisation_with_places_in(JYVASKYLA)
    staff = organisation_staff(own)
    logged_in(client, staff)

    response = client.get(change_url(other))
    assert response.status_code == 302  # as for a missing organisation
    assert response["Location"] == reverse("admin:index")
    assert hijack(client, other, staff).status_code == 403  # staff change no organisation
    assert not other.members.exists()


def test_staff_see_their_own_organisation_without_changing_it(client):
    own = organisation_with_places_in(JYVASKYLA, name="Oma yhdistys ry")
    staff = organisation_staff(own)
    logged_in(client, staff)

    assert_read_only(client, own)
    assert hijack(client, own, UserFactory()).status_code == 403
    own.refresh_from_db()
    assert own.name == "Oma yhdistys ry"
    assert list(own.members.all()) == [staff]
