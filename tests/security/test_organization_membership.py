"""Membership of an organisation makes a user staff of its places and of its draft meetings in
every region. A coordinator hands it out only for organisations whose places and meetings all
lie in their regions, and never to themselves."""

import pytest
from django.urls import reverse

from network.models import Meeting
from places.models import Organization
from tests.factories import (
    MeetingFactory,
    OrganizationFactory,
    UserFactory,
    municipality,
    organisation_staff,
    regional_coordinator,
)
from tests.security.forms import admin_form_data, signed_in, single

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]

JYVASKYLA, HELSINKI = "179", "091"  # in regions 13 (Keski-Suomi) and 01 (Uusimaa)
SELF_MEMBERSHIP_ERROR = (
    "You cannot add yourself to the staff of an organisation; ask a site administrator."
)


@pytest.fixture
def coordinator():
    return regional_coordinator("13", username="kaisa")


def change_url(organization):
    return reverse("admin:places_organization_change", args=[organization.pk])


def add_members(client, organization, *users):
    """Post the change form of ``organization`` as the browser shows it, with ``users`` as its
    members."""
    data = admin_form_data(client.get(change_url(organization)), "organization")
    return client.post(change_url(organization), single(data, members=[u.pk for u in users]))


def region(code):
    return municipality(code).region


@pytest.mark.parametrize(
    "regions",
    [(HELSINKI,), (JYVASKYLA, HELSINKI), ()],
    ids=["in region 01", "in regions 13 and 01", "without a region"],
)
def test_a_coordinator_may_not_give_access_to_drafts_of_another_region(coordinator, regions):
    organization = OrganizationFactory()  # no places at all
    draft = MeetingFactory(status=Meeting.Status.DRAFT, organizer=organization)
    draft.regions.set([region(code) for code in regions])
    accomplice = organisation_staff(username="apuri")
    client = signed_in(coordinator)

    page = client.get(change_url(organization))
    assert "members" not in page.context["adminform"].form.fields
    data = {"name": organization.name, "slug": organization.slug, "kind": organization.kind}
    response = client.post(change_url(organization), {**data, "members": [accomplice.pk]})

    assert response.status_code == 403
    assert not organization.members.exists()
    draft_url = reverse("admin:network_meeting_change", args=[draft.pk])
    assert signed_in(accomplice).get(draft_url).status_code == 403


def test_a_coordinator_maintains_an_organisation_whose_meetings_are_all_in_their_regions(
    coordinator,
):
    organization = OrganizationFactory()
    MeetingFactory(organizer=organization, regions=[region(JYVASKYLA)])
    colleague = UserFactory(username="kollega")

    response = add_members(signed_in(coordinator), organization, colleague)

    assert response.status_code == 302
    assert list(organization.members.all()) == [colleague]


def test_a_coordinator_may_not_add_themselves_to_an_organisation(coordinator):
    organization = OrganizationFactory()
    client = signed_in(coordinator)

    response = add_members(client, organization, coordinator)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["members"] == [SELF_MEMBERSHIP_ERROR]
    assert not organization.members.exists()


def test_a_coordinator_may_not_found_an_organisation_with_themselves_as_staff(coordinator):
    founded = {"name": "Oma yhdistys ry", "slug": "oma-yhdistys", "kind": "association"}

    response = signed_in(coordinator).post(
        reverse("admin:places_organization_add"), {**founded, "members": [coordinator.pk]}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["members"] == [SELF_MEMBERSHIP_ERROR]
    assert not Organization.objects.filter(slug="oma-yhdistys").exists()


def test_a_coordinator_who_is_a_member_already_stays_one_while_adding_others(coordinator):
    organization = OrganizationFactory()
    organization.members.add(coordinator)
    colleague = UserFactory(username="kollega")

    response = add_members(signed_in(coordinator), organization, coordinator, colleague)

    assert response.status_code == 302
    assert set(organization.members.all()) == {coordinator, colleague}


def test_a_site_admin_may_add_themselves():
    organization = OrganizationFactory()
    MeetingFactory(organizer=organization, regions=[region(HELSINKI)])
    site_admin = UserFactory(is_superuser=True)

    response = add_members(signed_in(site_admin), organization, site_admin)

    assert response.status_code == 302
    assert list(organization.members.all()) == [site_admin]
