"""Restoring and recovering bring back only what the user could have typed into the admin's
form: no wider scope, no read-only or hidden fields, no rows of other regions; and they stop
when something changed since the user compared."""

import re

import pytest
from django.db.models import F
from django.urls import reverse

import kohtaamispaikat.core.admin_history as admin_history
from kohtaamispaikat.core.history import record_versions, versions_of
from network.models import Coordinator, Meeting, Outcome
from places.models import Municipality, Place, Region
from places.roles import coordinated_regions
from tests.factories import (
    CoordinatorFactory,
    FollowUpFactory,
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
from tests.security.forms import admin_form_data, signed_in, single
from tests.security.test_history import confirm_restore, restore_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]


def signed_in_quietly(user):
    """Server errors answered as 500 pages, as a browser would see them."""
    return signed_in(user, raise_request_exception=False)


def regions(*codes):
    return list(Region.objects.filter(code__in=codes))


def test_a_coordinator_cannot_restore_wider_areas_for_themselves():
    coordinator = regional_coordinator("13", "01", username="kaisa")
    record = Coordinator.objects.get(user=coordinator)
    record_versions([record])
    wide = versions_of(record).get()
    record.regions.set(regions("13"))  # a site admin narrows the areas

    confirm_restore(signed_in_quietly(coordinator), record, wide)

    # Of the areas, only those among the form's choices (the coordinator's own) are restored.
    assert set(coordinated_regions(coordinator).values_list("code", flat=True)) == {"13"}


def test_restoring_leaves_fields_the_user_may_not_change():
    coordinator = regional_coordinator("13")
    revoked = UserFactory(username="revoked")
    colleague = CoordinatorFactory(regions=regions("13"), user=revoked, title="Koordinaattori")
    record_versions([colleague])
    old = versions_of(colleague).get()
    Coordinator.objects.filter(pk=colleague.pk).update(user=None, title="Uusi titteli")

    confirm_restore(signed_in_quietly(coordinator), colleague, old)

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

    confirm_restore(signed_in_quietly(coordinator), meeting, old)

    assert set(meeting.regions.all()) == {keski_suomi, uusimaa}


def test_staff_neither_see_nor_restore_a_field_their_form_hides():
    organization = OrganizationFactory()
    staff = organisation_staff(organization)
    contact = CoordinatorFactory(name="Piilotettu Koordinaattori", is_published=False)
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, organizer=organization, contact=contact)
    record_versions([meeting])
    old = versions_of(meeting).get()
    Meeting.objects.filter(pk=meeting.pk).update(contact=None, title="Uusi otsikko")
    client = signed_in_quietly(staff)

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
    client = signed_in_quietly(coordinator)
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
    client = signed_in_quietly(coordinator)

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

    page = signed_in_quietly(coordinator).get(reverse("admin:places_place_deleted"))

    assert "Meidän paikka" in page.content.decode()


def test_deleting_a_meeting_keeps_its_outcome_recoverable():
    coordinator = regional_coordinator("13")
    outcome = OutcomeFactory(meeting=HeldMeetingFactory(regions=regions("13")), themes="Teemat")
    meeting = outcome.meeting
    client = signed_in_quietly(coordinator)
    client.post(reverse("admin:network_meeting_delete", args=[meeting.pk]), {"post": "yes"})
    assert not Outcome.objects.exists()

    client.post(reverse("admin:network_meeting_recover", args=[versions_of(meeting).first().pk]))
    client.post(reverse("admin:network_outcome_recover", args=[versions_of(outcome).first().pk]))

    assert Outcome.objects.get().themes == "Teemat"
    assert Outcome.objects.get().meeting_id == meeting.pk


def test_only_lists_with_recovery_offer_the_deleted_link():
    client = signed_in_quietly(regional_coordinator("13"))

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

    response = confirm_restore(signed_in_quietly(coordinator), organization, old, follow=True)

    assert "outside what you may manage" in response.content.decode()
    assert not organization.members.exists()


def messages_of(response):
    return " ".join(
        re.findall(r'<li class="(?:error|success)">(.*?)</li>', response.content.decode())
    )


def test_a_meeting_of_another_region_too_is_not_recovered_by_one_regions_coordinator():
    shared = MeetingFactory(regions=regions("13", "19"), title="Yhteinen päivä")
    signed_in_quietly(regional_coordinator("19", username="lappi")).post(
        reverse("admin:network_meeting_delete", args=[shared.pk]), {"post": "yes"}
    )
    deleted = versions_of(shared).first()

    response = signed_in_quietly(regional_coordinator("13")).post(
        reverse("admin:network_meeting_recover", args=[deleted.pk]), follow=True
    )

    assert "outside what you may manage" in messages_of(response)
    assert not Meeting.objects.exists()


def test_a_coordinator_cannot_restore_their_own_record_out_of_their_regions():
    coordinator = regional_coordinator("13", username="kaisa")
    record = Coordinator.objects.get(user=coordinator)
    record.regions.clear()
    record.municipalities.set([Municipality.objects.filter(region_id="19").first()])
    record_versions([record])
    elsewhere = versions_of(record).get()
    record.municipalities.clear()
    record.regions.set(regions("13"))

    response = confirm_restore(signed_in_quietly(coordinator), record, elsewhere, follow=True)

    assert "outside what you may manage" in messages_of(response)
    assert list(record.regions.values_list("code", flat=True)) == ["13"]


def test_plans_naming_a_municipality_deleted_since_are_shown_not_a_server_error():
    outcome = OutcomeFactory(meeting=HeldMeetingFactory())
    merged = Municipality.objects.create(
        code="998",
        name_fi="Yhdistetty kunta",
        slug="yhdistetty",
        region_id="13",
        latitude=62,
        longitude=25,
    )
    plan = FollowUpFactory(outcome=outcome, municipality=merged)
    record_versions([outcome])
    old = versions_of(outcome).get()
    plan.delete()
    merged.delete()
    outcome.themes = "Muutettu"
    outcome.save()

    page = signed_in_quietly(UserFactory(is_superuser=True)).get(restore_url(outcome, old))

    assert page.status_code == 200
    assert "(deleted)" in page.content.decode()


def test_staff_are_not_shown_the_name_of_a_venue_their_form_would_not_offer():
    organization = OrganizationFactory()
    secret = PlaceFactory(name="Salainen paikka", is_published=False)
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, organizer=organization, venue=secret)
    record_versions([meeting])
    old = versions_of(meeting).get()
    Meeting.objects.filter(pk=meeting.pk).update(venue=None)

    page = signed_in_quietly(organisation_staff(organization)).get(restore_url(meeting, old))

    assert "Salainen paikka" not in page.content.decode()
    assert "(not shown to you)" in page.content.decode()


def test_a_version_the_model_no_longer_accepts_is_not_restored():
    place = PlaceFactory(slug="vanha")
    Place.objects.filter(pk=place.pk).update(slug="map")  # before the map page reserved it
    record_versions([Place.objects.get(pk=place.pk)])
    old = versions_of(place).get()
    Place.objects.filter(pk=place.pk).update(slug="uusi", edit_count=F("edit_count") + 1)

    response = confirm_restore(
        signed_in_quietly(UserFactory(is_superuser=True)), place, old, follow=True
    )

    assert "can no longer be restored" in messages_of(response)
    assert Place.objects.get(pk=place.pk).slug == "uusi"


@pytest.mark.parametrize("filtered", ["", "?regions__code__exact=13"])
def test_publishing_from_a_list_filtered_by_region(filtered):
    meetings = MeetingFactory.create_batch(
        2, status=Meeting.Status.DRAFT, regions=regions("13"), venue_address="Katu 1"
    )

    response = signed_in_quietly(regional_coordinator("13")).post(
        reverse("admin:network_meeting_changelist") + filtered,
        {"action": "publish", "_selected_action": [m.pk for m in meetings]},
    )

    assert response.status_code == 302
    assert set(Meeting.objects.values_list("status", flat=True)) == {Meeting.Status.PUBLISHED}


def test_the_coordinator_page_links_straight_to_the_public_page():
    colleague = CoordinatorFactory(regions=regions("13"), is_published=True)
    page = signed_in_quietly(regional_coordinator("13")).get(
        reverse("admin:network_coordinator_change", args=[colleague.pk])
    )

    assert f'href="{colleague.get_absolute_url()}"' in page.content.decode()


@pytest.fixture
def shared_outcome():
    """An outcome of a meeting of regions 13 and 19, with a plan for each."""
    meeting = HeldMeetingFactory(regions=regions("13", "19"))
    outcome = OutcomeFactory(meeting=meeting, themes="Yhteiset teemat")
    FollowUpFactory(
        outcome=outcome, municipality=municipality("179"), plan="Jyväskylän suunnitelma"
    )
    lapland = Municipality.objects.filter(region_id="19").first()
    FollowUpFactory(outcome=outcome, municipality=lapland, plan="Lapin suunnitelma")
    return outcome


def test_a_coordinator_edits_a_shared_outcome_without_touching_the_other_regions_plan(
    shared_outcome,
):
    client = signed_in(regional_coordinator("13"))
    url = reverse("admin:network_outcome_change", args=[shared_outcome.pk])
    page = client.get(url)
    assert "Lapin suunnitelma" not in page.content.decode()

    data = single(admin_form_data(page, "outcome"), themes="Uudet teemat")
    response = client.post(url, data)

    assert response.status_code == 302
    assert set(shared_outcome.follow_ups.values_list("plan", flat=True)) == {
        "Jyväskylän suunnitelma",
        "Lapin suunnitelma",
    }


def test_a_restore_may_not_delete_the_other_regions_plans(shared_outcome):
    lapland_plan = shared_outcome.follow_ups.get(plan="Lapin suunnitelma")
    lapland_plan.delete()
    record_versions([shared_outcome])  # a version from before Lapland agreed its plan
    old = versions_of(shared_outcome).get()
    lapland_plan.save()

    response = confirm_restore(
        signed_in(regional_coordinator("13")), shared_outcome, old, follow=True
    )

    assert "outside what you may manage" in messages_of(response)
    assert shared_outcome.follow_ups.filter(plan="Lapin suunnitelma").exists()
