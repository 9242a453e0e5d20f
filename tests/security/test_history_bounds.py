"""Restoring and recovering bring back only what the user could have typed into the admin's
form: no wider scope, no read-only or hidden fields, no rows of other regions; and they stop
when something changed since the user compared."""

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

import kohtaamispaikat.admin_history as admin_history
from kohtaamispaikat.history import record_versions, versions_of
from network.models import Coordinator, Meeting, Outcome
from places.models import Place, Region
from places.roles import coordinated_regions
from tests.factories import (
    CoordinatorFactory,
    HeldMeetingFactory,
    MeetingFactory,
    OrganizationFactory,
    OutcomeFactory,
    PlaceFactory,
    UserFactory,
    municipality,
    organisation_staff,
    regional_coordinator,
)
from tests.security.test_history import confirm_restore, restore_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_admin(settings):
    settings.LANGUAGE_CODE = "en"


def signed_in(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def regions(*codes):
    return list(Region.objects.filter(code__in=codes))


def test_a_coordinator_cannot_restore_wider_areas_for_themselves():
    coordinator = regional_coordinator("13", "01", username="kaisa")
    record = Coordinator.objects.get(user=coordinator)
    record_versions([record])
    wide = versions_of(record).get()
    record.regions.set(regions("13"))  # a site admin narrows the areas

    confirm_restore(signed_in(coordinator), record, wide)

    # Of the areas, only those among the form's choices (the coordinator's own) are restored.
    assert set(coordinated_regions(coordinator).values_list("code", flat=True)) == {"13"}


def test_restoring_leaves_fields_the_user_may_not_change():
    coordinator = regional_coordinator("13")
    revoked = UserFactory(username="revoked")
    colleague = CoordinatorFactory(regions=regions("13"), user=revoked, title="Koordinaattori")
    record_versions([colleague])
    old = versions_of(colleague).get()
    Coordinator.objects.filter(pk=colleague.pk).update(user=None, title="Uusi titteli")

    confirm_restore(signed_in(coordinator), colleague, old)

    colleague.refresh_from_db()
    assert colleague.title == "Koordinaattori"  # restored: the coordinator may change it
    assert colleague.user is None  # kept: only site admins link admin accounts


def test_a_meeting_keeps_the_regions_the_coordinator_does_not_manage():
    coordinator = regional_coordinator("13")
    keski_suomi, uusimaa, lappi = regions("13")[0], regions("01")[0], regions("19")[0]
    meeting = MeetingFactory(regions=[keski_suomi, lappi])
    record_versions([meeting])
    old = versions_of(meeting).get()
    meeting.regions.set([keski_suomi, uusimaa])  # another coordinator's change

    confirm_restore(signed_in(coordinator), meeting, old)

    assert set(meeting.regions.all()) == {keski_suomi, uusimaa}


def test_staff_neither_see_nor_restore_a_field_their_form_hides():
    organization = OrganizationFactory()
    staff = organisation_staff(organization)
    contact = CoordinatorFactory(name="Piilotettu Koordinaattori", is_published=False)
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, organizer=organization, contact=contact)
    record_versions([meeting])
    old = versions_of(meeting).get()
    Meeting.objects.filter(pk=meeting.pk).update(contact=None, title="Uusi otsikko")
    client = signed_in(staff)

    page = client.get(restore_url(meeting, old)).content.decode()
    confirm_restore(client, meeting, old)

    assert "Piilotettu Koordinaattori" not in page
    meeting.refresh_from_db()
    assert meeting.title != "Uusi otsikko"
    assert meeting.contact is None


def test_a_save_after_the_comparison_stops_the_restore():
    coordinator = regional_coordinator("13")
    place = PlaceFactory(name="Alkuperäinen")
    record_versions([place])
    old = versions_of(place).get()
    Place.objects.filter(pk=place.pk).update(name="Muutettu", edit_count=F("edit_count") + 1)
    client = signed_in(coordinator)
    compared = client.get(restore_url(place, old))
    Place.objects.filter(pk=place.pk).update(
        name="Tallennettu välissä", edit_count=F("edit_count") + 1
    )

    response = client.post(
        restore_url(place, old), {"edit_count": compared.context["object"].edit_count}, follow=True
    )

    assert "Compare again" in response.content.decode()
    assert Place.objects.get(pk=place.pk).name == "Tallennettu välissä"


def test_a_version_that_can_no_longer_be_read_is_reported_not_a_server_error():
    coordinator = regional_coordinator("13")
    place, gone = PlaceFactory(), PlaceFactory(name="Poistettu")
    record_versions([place, gone])
    for version in (versions_of(place).get(), versions_of(gone).get()):
        version.serialized_data = version.serialized_data.replace('"latitude": "', '"latitude": "x')
        version.save()
    gone.delete()
    client = signed_in(coordinator)

    page = client.get(restore_url(place, versions_of(place).get()), follow=True)
    listing = client.get(reverse("admin:places_place_deleted"))

    assert "can no longer be read" in page.content.decode()
    assert listing.status_code == 200
    assert "Poistettu" not in listing.content.decode()


def test_the_deleted_list_finds_the_users_own_among_many_others(monkeypatch):
    monkeypatch.setattr(admin_history, "DELETED_LISTED", 3)
    coordinator = regional_coordinator("13")
    ours = PlaceFactory(name="Meidän paikka")
    others = [PlaceFactory(municipality=municipality("091")) for _ in range(4)]
    record_versions([ours])
    record_versions(others)
    Place.objects.all().delete()

    page = signed_in(coordinator).get(reverse("admin:places_place_deleted"))

    assert "Meidän paikka" in page.content.decode()


def test_deleting_a_meeting_keeps_its_outcome_recoverable():
    coordinator = regional_coordinator("13")
    outcome = OutcomeFactory(meeting=HeldMeetingFactory(regions=regions("13")), themes="Teemat")
    meeting = outcome.meeting
    client = signed_in(coordinator)
    client.post(reverse("admin:network_meeting_delete", args=[meeting.pk]), {"post": "yes"})
    assert not Outcome.objects.exists()

    client.post(reverse("admin:network_meeting_recover", args=[versions_of(meeting).first().pk]))
    client.post(reverse("admin:network_outcome_recover", args=[versions_of(outcome).first().pk]))

    assert Outcome.objects.get().themes == "Teemat"
    assert Outcome.objects.get().meeting_id == meeting.pk


def test_only_lists_with_recovery_offer_the_deleted_link():
    client = signed_in(regional_coordinator("13"))

    places = client.get(reverse("admin:places_place_changelist")).content.decode()
    organisations = client.get(reverse("admin:places_organization_changelist")).content.decode()

    assert reverse("admin:places_place_deleted") in places
    assert reverse("admin:places_organization_deleted") not in organisations
    assert client.get(reverse("admin:places_organization_deleted")).status_code == 403


def test_a_coordinator_cannot_make_themselves_staff_by_restoring_an_organisation():
    coordinator = regional_coordinator("13")
    organization = OrganizationFactory()
    organization.members.add(coordinator)
    record_versions([organization])
    old = versions_of(organization).get()
    organization.members.clear()  # a site admin took the membership away

    response = confirm_restore(signed_in(coordinator), organization, old, follow=True)

    assert "outside what you may manage" in response.content.decode()
    assert not organization.members.exists()
