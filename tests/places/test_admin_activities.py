"""The activities' admin (#15): inline on the place, the list of their own, the organiser's
staff managing an activity in another organisation's place without reaching that place, and
history and restore."""

from datetime import date

import pytest
from django.urls import reverse

from kohtaamispaikat.core.history import record_versions, versions_of
from places.models import Activity
from tests.factories import (
    ActivityFactory,
    OrganizationFactory,
    PlaceFactory,
    organisation_staff,
)
from tests.security.forms import admin_form_data, signed_in, single

pytestmark = pytest.mark.django_db


def change_url(activity):
    return reverse("admin:places_activity_change", args=[activity.pk])


@pytest.fixture
def association_in_a_parish_place():
    """An association running a group in a parish's place, and the staff of each."""
    parish = OrganizationFactory(name="Seurakunta")
    association = OrganizationFactory(name="MLL Jyväskylä")
    place = PlaceFactory(organization=parish, name="Seurakuntakoti")
    activity = ActivityFactory(place=place, organization=association, title_fi="Perhekahvila")
    return {
        "place": place,
        "activity": activity,
        "association_staff": organisation_staff(association, username="mll"),
        "parish_staff": organisation_staff(parish, username="srk"),
    }


def test_the_organiser_s_staff_edit_the_activity_but_not_its_place(association_in_a_parish_place):
    world = association_in_a_parish_place
    activity, place = world["activity"], world["place"]
    client = signed_in(world["association_staff"])
    listing = client.get(reverse("admin:places_activity_changelist")).content.decode()
    assert "Perhekahvila" in listing

    page = client.get(change_url(activity))
    data = single(admin_form_data(page, "activity"))
    other_place = PlaceFactory(organization=place.organization, name="Toinen paikka")
    data.update(title_fi="Perhekahvila muuttunut", place=other_place.pk)
    response = client.post(change_url(activity), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    activity.refresh_from_db()
    assert activity.title_fi == "Perhekahvila muuttunut"
    assert activity.place == place  # shown, not chosen

    place_change = reverse("admin:places_place_change", args=[place.pk])
    assert client.get(place_change).status_code in (302, 404)
    assert (
        "Seurakuntakoti"
        not in client.get(reverse("admin:places_place_changelist")).content.decode()
    )


def test_the_organiser_s_staff_cannot_add_activities_to_the_other_s_place(
    association_in_a_parish_place,
):
    world = association_in_a_parish_place
    client = signed_in(world["association_staff"])
    page = client.get(reverse("admin:places_activity_add"))
    data = single(admin_form_data(page, "activity"))
    data.update(
        place=world["place"].pk,
        title_fi="Kaapattu",
        description_fi="x",
        schedule="Mo 10:00-12:00",
    )
    client.post(reverse("admin:places_activity_add"), data)
    assert not Activity.objects.filter(title_fi="Kaapattu").exists()


def test_the_place_s_staff_manage_every_activity_of_their_place(association_in_a_parish_place):
    world = association_in_a_parish_place
    client = signed_in(world["parish_staff"])
    page = client.get(reverse("admin:places_place_change", args=[world["place"].pk]))
    assert "Perhekahvila" in page.content.decode()
    response = client.get(change_url(world["activity"]))
    assert response.status_code == 200


def test_staff_of_a_third_organisation_reach_nothing(association_in_a_parish_place):
    world = association_in_a_parish_place
    stranger = organisation_staff(OrganizationFactory(name="Muu ry"), username="muu")
    client = signed_in(stranger)
    assert client.get(change_url(world["activity"])).status_code in (302, 404)
    listing = client.get(reverse("admin:places_activity_changelist")).content.decode()
    assert "Perhekahvila" not in listing


def test_a_bad_schedule_is_refused_in_the_form_with_why(association_in_a_parish_place):
    world = association_in_a_parish_place
    client = signed_in(world["parish_staff"])
    page = client.get(reverse("admin:places_activity_add"))
    data = single(admin_form_data(page, "activity"))
    data.update(
        place=world["place"].pk,
        title_fi="Laulupiiri",
        description_fi="Laulamme yhdessä.",
        schedule="sunrise-sunset",
    )
    response = client.post(reverse("admin:places_activity_add"), data)
    assert response.status_code == 200
    assert "sunrise" in response.content.decode()
    assert not Activity.objects.filter(title_fi="Laulupiiri").exists()


def test_adding_in_an_own_place_with_a_cancellation(association_in_a_parish_place):
    world = association_in_a_parish_place
    client = signed_in(world["parish_staff"])
    page = client.get(reverse("admin:places_activity_add"))
    data = single(admin_form_data(page, "activity"))
    data.update(
        {
            "place": world["place"].pk,
            "title_fi": "Laulupiiri",
            "description_fi": "Laulamme yhdessä.",
            "schedule": "Th[1] 13:00-15:00",
            "cancellations-0-date": "2027-01-07",
            "cancellations-0-reason": "Loppiaisviikko",
        }
    )
    response = client.post(reverse("admin:places_activity_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    activity = Activity.objects.get(title_fi="Laulupiiri")
    assert activity.organization == world["place"].organization
    cancelled = activity.occurrences.get(date=date(2027, 1, 7))
    assert (cancelled.cancelled, cancelled.cancellation_reason) == (True, "Loppiaisviikko")
    assert versions_of(activity).exists()


def test_restoring_an_earlier_version_brings_back_its_schedule_and_dates(
    association_in_a_parish_place,
):
    world = association_in_a_parish_place
    activity = world["activity"]
    activity.schedule = "Tu 10:00-12:00"
    activity.save()
    record_versions([activity])
    version = versions_of(activity).get()
    activity.schedule = "We 10:00-12:00"
    activity.save()
    client = signed_in(world["association_staff"])
    restore = reverse("admin:places_activity_restore", args=[activity.pk, version.pk])
    activity.refresh_from_db()
    assert client.post(restore, {"edit_count": activity.edit_count}).status_code == 302
    activity.refresh_from_db()
    assert activity.schedule == "Tu 10:00-12:00"
    assert {o.date.isoweekday() for o in activity.occurrences.all()} == {2}
