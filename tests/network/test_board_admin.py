"""The notice board in the admin: staff post only for their own organisation, coordinators
approve only the listings of their regions, and posters see how many answers they had."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kohtaamispaikat.core.history import versions_of
from network.models import Listing
from tests.factories import (
    ListingFactory,
    OrganizationFactory,
    municipality,
    organisation_staff,
    regional_coordinator,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:network_listing_changelist")
ADD = reverse("admin:network_listing_add")


def listing_form(organization=None, **overrides):
    data = {
        "kind": Listing.Kind.VOLUNTEERS_WANTED,
        "status": Listing.Status.APPROVED,
        "organization": organization.pk if organization else "",
        "valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "title_fi": "Lauantaikahvilaan vapaaehtoisia",
        "text_fi": "Tarvitsemme kaksi vapaaehtoista lauantaisin.",
        "title_sv": "",
        "text_sv": "",
        "title_en": "",
        "text_en": "",
        "municipalities": ["179"],
        "place": "",
        "audiences": [],
        "volunteer_tasks": "Kahvinkeitto",
        "volunteer_when": "Lauantaisin 10–14",
        "volunteer_frequency": "weekly",
        "suitable_for_minors": "on",
        "contact_name": "Kalle",
        "contact_email": "kalle@example.org",
    }
    data.update(overrides)
    return data


def test_staff_post_for_their_own_organisation_only(client):
    own, other = OrganizationFactory(), OrganizationFactory()
    user = organisation_staff(own)
    client.force_login(user)
    refused = client.post(ADD, listing_form(other))
    assert refused.status_code == 200  # the form again, with an error
    assert not Listing.objects.exists()
    assert client.post(ADD, listing_form(own)).status_code == 302
    listing = Listing.objects.get()
    assert listing.organization == own and listing.posted_by == user
    assert listing.is_on_board()


def test_staff_cannot_leave_the_organisation_empty_nor_approve_others(client):
    own = OrganizationFactory()
    client.force_login(organisation_staff(own))
    assert client.post(ADD, listing_form(None)).status_code == 200
    pending = ListingFactory(status=Listing.Status.PENDING)  # a public submission
    client.post(CHANGELIST, {"action": "approve", "_selected_action": [pending.pk]})
    pending.refresh_from_db()
    assert pending.status == Listing.Status.PENDING


def test_valid_until_more_than_six_months_ahead_is_refused(client):
    own = OrganizationFactory()
    client.force_login(organisation_staff(own))
    late = (timezone.localdate() + dt.timedelta(days=200)).isoformat()
    response = client.post(ADD, listing_form(own, valid_until=late))
    assert response.status_code == 200
    assert not Listing.objects.exists()


def test_a_coordinator_approves_only_in_their_regions(client):
    client.force_login(regional_coordinator("13"))
    own_region = ListingFactory(status=Listing.Status.PENDING)
    elsewhere = ListingFactory(status=Listing.Status.PENDING, municipalities=[municipality("091")])
    client.post(
        CHANGELIST, {"action": "approve", "_selected_action": [own_region.pk, elsewhere.pk]}
    )
    own_region.refresh_from_db()
    elsewhere.refresh_from_db()
    assert own_region.status == Listing.Status.APPROVED and own_region.approved_at
    assert elsewhere.status == Listing.Status.PENDING
    assert client.get(own_region.get_absolute_url()).status_code == 200


def test_a_coordinator_can_reject(client):
    client.force_login(regional_coordinator("13"))
    pending = ListingFactory(status=Listing.Status.PENDING)
    client.post(CHANGELIST, {"action": "reject", "_selected_action": [pending.pk]})
    pending.refresh_from_db()
    assert pending.status == Listing.Status.REJECTED


def test_a_coordinator_editing_keeps_the_municipalities_of_other_regions(client):
    client.force_login(regional_coordinator("13"))
    shared = ListingFactory(municipalities=[municipality("179"), municipality("091")])
    url = reverse("admin:network_listing_change", args=[shared.pk])
    response = client.post(url, listing_form(None, municipalities=["410"]))
    assert response.status_code == 302
    assert set(shared.municipalities.values_list("code", flat=True)) == {"410", "091"}


def test_the_poster_sees_the_answer_count(client):
    own = OrganizationFactory()
    client.force_login(organisation_staff(own))
    listing = ListingFactory(organization=own, answer_count=3)
    page = client.get(reverse("admin:network_listing_change", args=[listing.pk]))
    assert page.status_code == 200
    assert "3" in page.content.decode()
    changelist = client.get(CHANGELIST).content.decode()
    assert "field-answer_count" in changelist


def test_admin_saves_are_recorded_in_the_history(client):
    own = OrganizationFactory()
    client.force_login(organisation_staff(own))
    client.post(ADD, listing_form(own))
    listing = Listing.objects.get()
    history = client.get(reverse("admin:network_listing_history", args=[listing.pk]))
    assert history.status_code == 200
    assert versions_of(listing).count() == 1
