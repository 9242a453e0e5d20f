"""History and revert: every admin change is recorded with who and when, shown in the admin,
and whoever may change an object can restore an earlier version of it, within their scope."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from kohtaamispaikat.core.history import record_versions, versions_of
from network.models import Meeting
from places.csv_io import import_places
from places.models import Place
from tests.factories import (
    FollowUpFactory,
    HeldMeetingFactory,
    HoursExceptionFactory,
    MeetingFactory,
    OrganizationFactory,
    PlaceFactory,
    UserFactory,
    WeeklyHoursFactory,
    audience,
    municipality,
    organisation_staff,
    regional_coordinator,
)
from tests.security.forms import admin_form_data, signed_in, single

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]


def edit(client, obj, model_name, **changes):
    """Open the change form of ``obj`` and save it with ``changes``, as a browser would."""
    url = reverse(f"admin:{obj._meta.app_label}_{model_name}_change", args=[obj.pk])
    data = single(admin_form_data(client.get(url), model_name), **changes)
    return client.post(url, data)


def restore_url(obj, version):
    return reverse(
        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_restore", args=[obj.pk, version.pk]
    )


def confirm_restore(client, obj, version, **options):
    """Open the comparison page and press its Restore button, as a browser would."""
    page = client.get(restore_url(obj, version)).content.decode()
    seen = re.search(r'name="edit_count" value="(\d*)"', page)
    data = {"edit_count": seen.group(1)} if seen else {}
    return client.post(restore_url(obj, version), data, **options)


def history_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])


@pytest.fixture
def organization():
    return OrganizationFactory(name="Perhekeskus ry")


@pytest.fixture
def place(organization):
    place = PlaceFactory(
        organization=organization, name="Perhekahvila", description="Avoin kaikille."
    )
    place.audiences.set([audience("lapsiperheet")])
    WeeklyHoursFactory(place=place, weekday=1, opens=dt.time(9), closes=dt.time(12))
    return place


@pytest.fixture
def coordinator():
    return regional_coordinator("13", username="koordinaattori", first_name="Kaisa")


@pytest.fixture
def staff(organization):
    return organisation_staff(organization, username="henkilokunta")


def test_an_admin_save_is_recorded_with_who_when_and_what(staff, place):
    client = signed_in(staff)

    response = edit(client, place, "place", name="Perhekahvila Myllynkivi")

    assert response.status_code == 302
    newest, baseline = versions_of(place)
    assert newest.revision.user == staff
    assert "Changed Name" in newest.revision.get_comment()
    assert newest.field_dict["name"] == "Perhekahvila Myllynkivi"
    assert baseline.field_dict["name"] == "Perhekahvila"  # what the first change replaced
    assert timezone.now() - newest.revision.date_created < dt.timedelta(minutes=1)
    page = client.get(history_url(place)).content.decode()
    assert "henkilokunta" in page
    assert "Changed Name" in page
    assert restore_url(place, baseline) in page


def test_a_coordinator_restores_a_place_with_its_opening_hours(coordinator, staff, place):
    exception = HoursExceptionFactory(place=place, reason="Joulu")
    edit(
        signed_in(staff),
        place,
        "place",
        name="Väärä nimi",
        description="Vahingossa pyyhitty.",
        audiences=[],
        **{"weekly_hours-0-DELETE": "on", "exceptions-0-DELETE": "on"},
    )
    assert not place.weekly_hours.exists()
    baseline = versions_of(place).last()
    client = signed_in(coordinator)

    preview = client.get(restore_url(place, baseline))
    assert "Väärä nimi" in preview.content.decode()
    assert Place.objects.get(pk=place.pk).name == "Väärä nimi"  # looking changes nothing
    response = confirm_restore(client, place, baseline)

    assert response.status_code == 302
    place.refresh_from_db()
    assert (place.name, place.description) == ("Perhekahvila", "Avoin kaikille.")
    assert [a.slug for a in place.audiences.all()] == ["lapsiperheet"]
    assert [(h.weekday, h.opens) for h in place.weekly_hours.all()] == [(1, dt.time(9))]
    assert list(place.exceptions.values_list("pk", flat=True)) == [exception.pk]
    restored = versions_of(place).first()
    assert restored.revision.user == coordinator
    assert "Restored the version of" in restored.revision.get_comment()


def test_restoring_removes_rows_added_since(staff, place):
    client = signed_in(staff)
    edit(client, place, "place", name="Perhekahvila")  # records the version to go back to
    version = versions_of(place).first()
    WeeklyHoursFactory(place=place, weekday=3, opens=dt.time(17), closes=dt.time(19))

    confirm_restore(client, place, version)

    assert list(place.weekly_hours.values_list("weekday", flat=True)) == [1]


def test_the_restore_page_shows_what_would_change(staff, place):
    client = signed_in(staff)
    edit(client, place, "place", name="Uusi nimi", free_of_charge="")
    baseline = versions_of(place).last()

    page = client.get(restore_url(place, baseline)).content.decode()

    assert "Uusi nimi" in page and "Perhekahvila" in page
    assert "Free of charge" in page
    assert "Description" not in page  # unchanged fields are not listed


def test_restoring_one_place_leaves_the_others_of_the_same_bulk_action(coordinator):
    ours, theirs = PlaceFactory(is_published=False), PlaceFactory(is_published=False)
    client = signed_in(coordinator)
    client.post(
        reverse("admin:places_place_changelist"),
        {"action": "publish", "_selected_action": [ours.pk, theirs.pk]},
    )
    assert Place.objects.filter(is_published=True).count() == 2
    before_publishing = versions_of(ours).last()

    confirm_restore(client, ours, before_publishing)

    assert not Place.objects.get(pk=ours.pk).is_published
    assert Place.objects.get(pk=theirs.pk).is_published


def test_bulk_actions_and_csv_imports_are_recorded(coordinator, organization, place):
    signed_in(coordinator).post(
        reverse("admin:places_place_changelist"),
        {"action": "mark_verified_today", "_selected_action": [place.pk]},
    )
    csv = (
        "name,organization,municipality,street_address,postal_code,postal_town\n"
        f"{place.name},{organization.slug},Jyväskylä,Tuontikatu 1,40100,Jyväskylä\n"
    )
    report = import_places(csv, user=coordinator)

    assert report.ok
    comments = [version.revision.get_comment() for version in versions_of(place)]
    assert comments[0] == "Imported from a CSV file."
    assert "verified" in comments[1]
    assert len(comments) == 3  # and the state before the first recorded change
    assert versions_of(place).first().field_dict["street_address"] == "Tuontikatu 1"


def test_staff_cannot_see_or_restore_versions_of_another_organisations_place(staff, place):
    foreign = PlaceFactory(organization=OrganizationFactory(), name="Vieras paikka")
    record_versions([foreign])
    version = versions_of(foreign).get()
    foreign_name = "Vieras paikka"
    Place.objects.filter(pk=foreign.pk).update(name="Muutettu")
    client = signed_in(staff)

    for response in (
        client.get(history_url(foreign)),
        client.get(restore_url(foreign, version)),
        client.post(restore_url(foreign, version)),
    ):
        assert response.status_code in (302, 403, 404)
        assert foreign_name not in response.content.decode()
    # A version of the foreign place through the URL of the staff's own place.
    own_url = reverse("admin:places_place_restore", args=[place.pk, version.pk])
    assert client.post(own_url).status_code == 404
    assert Place.objects.get(pk=foreign.pk).name == "Muutettu"
    assert Place.objects.get(pk=place.pk).name == "Perhekahvila"


def test_a_version_outside_the_users_scope_is_not_restored(staff, organization):
    other = OrganizationFactory(name="Toinen ry")
    place = PlaceFactory(organization=other, name="Siirretty paikka")
    record_versions([place])  # the version from when the place was the other's
    old = versions_of(place).get()
    place.organization = organization
    place.save()
    client = signed_in(staff)

    response = confirm_restore(client, place, old, follow=True)

    assert "outside what you may manage" in response.content.decode()
    place.refresh_from_db()
    assert place.organization == organization


def test_a_version_naming_a_deleted_organisation_cannot_be_restored(coordinator, place):
    gone = OrganizationFactory(name="Lakkautettu ry")
    original = place.organization
    place.organization = gone
    place.save()
    record_versions([place])
    old = versions_of(place).get()
    place.organization = original
    place.save()
    gone.delete()

    response = confirm_restore(signed_in(coordinator), place, old, follow=True)

    assert "can no longer be restored" in response.content.decode()
    place.refresh_from_db()
    assert place.organization == original


def test_view_only_users_see_the_history_but_cannot_restore(coordinator):
    # Coordinators see organisations of other regions but may not change them.
    organization = OrganizationFactory(name="Uudenmaan yhdistys ry")
    PlaceFactory(organization=organization, municipality=municipality("091"))
    record_versions([organization])
    version = versions_of(organization).get()
    client = signed_in(coordinator)

    page = client.get(history_url(organization)).content.decode()

    assert version.revision.date_created.strftime("%Y") in page
    assert restore_url(organization, version) not in page
    assert client.post(restore_url(organization, version)).status_code == 403


def test_a_coordinator_restores_a_meeting_and_an_outcome_with_its_plans(coordinator):
    meeting = MeetingFactory(title="Verkostopäivä", regions=[municipality("179").region])
    record_versions([meeting])
    Meeting.objects.filter(pk=meeting.pk).update(title="Väärin")
    held = HeldMeetingFactory(regions=[municipality("179").region])
    plan = FollowUpFactory(outcome__meeting=held, plan="Alkuperäinen suunnitelma")
    outcome = plan.outcome
    record_versions([outcome])
    plan.delete()
    client = signed_in(coordinator)

    confirm_restore(client, meeting, versions_of(meeting).last())
    confirm_restore(client, outcome, versions_of(outcome).last())

    meeting.refresh_from_db()
    assert meeting.title == "Verkostopäivä"
    assert [p.plan for p in outcome.follow_ups.all()] == ["Alkuperäinen suunnitelma"]


def test_the_history_page_runs_a_constant_number_of_queries(
    staff, place, django_assert_max_num_queries
):
    for number in range(60):
        record_versions([place], user=UserFactory(), comment=f"Muutos {number}")
    client = signed_in(staff)

    with django_assert_max_num_queries(20):
        response = client.get(history_url(place))

    assert response.status_code == 200
    assert "Muutos 59" in response.content.decode()
    assert "Muutos 0" not in response.content.decode()  # on the next page
    assert "Muutos 0" in client.get(history_url(place) + "?page=2").content.decode()
    assert client.get(history_url(place) + "?page=99999999999999999999").status_code == 200


def deleted_url(model_name):
    return reverse(f"admin:places_{model_name}_deleted")


def recover_url(version):
    model = version.content_type.model_class()
    return reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_recover", args=[version.pk]
    )


def test_a_coordinator_recovers_a_deleted_place_with_its_hours(coordinator, place):
    client = signed_in(coordinator)
    delete = reverse("admin:places_place_delete", args=[place.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Place.objects.filter(pk=place.pk).exists()

    listing = client.get(deleted_url("place")).content.decode()
    deleted = versions_of(place).first()
    assert "Perhekahvila" in listing and recover_url(deleted) in listing
    assert "Perhekahvila" in client.get(recover_url(deleted)).content.decode()
    response = client.post(recover_url(deleted))

    assert response.status_code == 302
    recovered = Place.objects.get(pk=place.pk)
    assert recovered.name == "Perhekahvila"
    assert [(h.weekday, h.opens) for h in recovered.weekly_hours.all()] == [(1, dt.time(9))]
    assert [a.slug for a in recovered.audiences.all()] == ["lapsiperheet"]
    assert versions_of(recovered).first().revision.get_comment() == "Recovered after deletion."
    assert recover_url(deleted) not in client.get(deleted_url("place")).content.decode()


def test_deleted_places_of_other_regions_are_neither_listed_nor_recovered(coordinator):
    foreign = PlaceFactory(municipality=municipality("091"), name="Helsingin paikka")
    superuser = signed_in(UserFactory(is_superuser=True))
    superuser.post(reverse("admin:places_place_delete", args=[foreign.pk]), {"post": "yes"})
    deleted = versions_of(foreign).first()
    client = signed_in(coordinator)

    assert "Helsingin paikka" not in client.get(deleted_url("place")).content.decode()
    assert client.get(recover_url(deleted)).status_code == 404
    assert client.post(recover_url(deleted)).status_code == 404
    assert not Place.objects.filter(pk=foreign.pk).exists()
    assert "Helsingin paikka" in superuser.get(deleted_url("place")).content.decode()


def test_staff_have_no_recovery_of_places(staff):
    assert signed_in(staff).get(deleted_url("place")).status_code == 403


def test_a_recovered_object_may_not_take_a_slug_taken_since(coordinator, place):
    client = signed_in(coordinator)
    client.post(reverse("admin:places_place_delete", args=[place.pk]), {"post": "yes"})
    PlaceFactory(slug=place.slug)

    response = client.post(recover_url(versions_of(place).first()), follow=True)

    assert "can no longer be recovered" in response.content.decode()
    assert not Place.objects.filter(pk=place.pk).exists()


def test_meetings_deleted_in_a_bulk_action_are_recovered_by_their_regions_coordinator(
    coordinator,
):
    keski_suomi = municipality("179").region
    ours = MeetingFactory(title="Keski-Suomen päivä", regions=[keski_suomi])
    theirs = MeetingFactory(title="Uudenmaan päivä", regions=[municipality("091").region])
    signed_in(UserFactory(is_superuser=True)).post(
        reverse("admin:network_meeting_changelist"),
        {"action": "delete_selected", "_selected_action": [ours.pk, theirs.pk], "post": "yes"},
    )
    assert not Meeting.objects.exists()
    client = signed_in(coordinator)

    listing = client.get(reverse("admin:network_meeting_deleted")).content.decode()
    assert "Keski-Suomen päivä" in listing and "Uudenmaan päivä" not in listing
    client.post(recover_url(versions_of(ours).first()))

    assert Meeting.objects.get().regions.get() == keski_suomi
