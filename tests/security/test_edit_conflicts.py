"""No lost updates: when two people edit the same place or meeting at once, the second save is
refused with what the first one changed, and saving again deliberately keeps the second."""

import contextlib
import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from network.models import Meeting
from places.csv_io import import_places
from places.models import Place
from tests.factories import (
    MeetingFactory,
    OrganizationFactory,
    PlaceFactory,
    UserFactory,
    WeeklyHoursFactory,
    municipality,
    organisation_staff,
    regional_coordinator,
)
from tests.security.forms import admin_form_data, signed_in, single

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_admin")]


class OpenForm:
    """A change form opened in someone's browser: read once, posted later."""

    def __init__(self, client, obj, model_name):
        self.client = client
        self.url = reverse(f"admin:{obj._meta.app_label}_{model_name}_change", args=[obj.pk])
        self.model_name = model_name
        self.data = admin_form_data(client.get(self.url), model_name)

    def save(self, **changes):
        response = self.client.post(self.url, single(self.data, **changes))
        if response.status_code == 200:  # the form again, as the browser now shows it
            self.data = admin_form_data(response, self.model_name)
        return response


def errors(response):
    return " ".join(response.context["adminform"].form.non_field_errors())


@pytest.fixture
def organization():
    return OrganizationFactory()


@pytest.fixture
def place(organization):
    return PlaceFactory(organization=organization, name="Perhekahvila", description="Tervetuloa")


@pytest.fixture
def staff(organization):
    return organisation_staff(organization, username="maija", first_name="Maija", last_name="M")


@pytest.fixture
def coordinator():
    return regional_coordinator("13", username="kaisa")


def test_the_second_of_two_simultaneous_saves_is_refused_with_what_changed(
    staff, coordinator, place
):
    first = OpenForm(signed_in(staff), place, "place")
    second = OpenForm(signed_in(coordinator), place, "place")
    assert first.save(name="Perhekahvila Myllynkivi").status_code == 302

    response = second.save(description="Uusi kuvaus")

    assert response.status_code == 200
    message = errors(response)
    assert "Maija M saved this meeting place at" in message
    assert "Name is now “Perhekahvila Myllynkivi” (it was “Perhekahvila”)" in message
    assert "Description" not in message  # only what the other person changed
    assert "have not been saved" in message
    place.refresh_from_db()
    assert (place.name, place.description) == ("Perhekahvila Myllynkivi", "Tervetuloa")


def test_saving_again_after_the_warning_keeps_the_second_version(staff, coordinator, place):
    first = OpenForm(signed_in(staff), place, "place")
    second = OpenForm(signed_in(coordinator), place, "place")
    first.save(name="Perhekahvila Myllynkivi")
    second.save(description="Uusi kuvaus")

    response = second.save()

    assert response.status_code == 302
    place.refresh_from_db()
    assert (place.name, place.description) == ("Perhekahvila", "Uusi kuvaus")


def test_a_change_to_the_opening_hours_alone_is_a_conflict_too(staff, coordinator, place):
    WeeklyHoursFactory(place=place, weekday=1, opens=dt.time(9), closes=dt.time(12))
    first = OpenForm(signed_in(staff), place, "place")
    second = OpenForm(signed_in(coordinator), place, "place")
    first.save(**{"weekly_hours-0-closes": "15:00"})

    response = second.save(name="Toinen nimi")

    assert "Weekly opening hours is now" in errors(response)
    assert place.weekly_hours.get().closes == dt.time(15)


def test_a_form_opened_before_a_bulk_action_or_an_import_is_stale(coordinator, place):
    form = OpenForm(signed_in(coordinator), place, "place")
    signed_in(coordinator).post(
        reverse("admin:places_place_changelist"),
        {"action": "unpublish", "_selected_action": [place.pk]},
    )
    assert form.save(name="Vanhasta lomakkeesta").status_code == 200

    form = OpenForm(signed_in(coordinator), place, "place")
    csv = (
        "name,organization,municipality,street_address,postal_code,postal_town\n"
        f"{place.name},{place.organization.slug},Jyväskylä,Tuontikatu 1,40100,Jyväskylä\n"
    )
    assert import_places(csv).ok
    response = form.save(name="Vanhasta lomakkeesta")

    assert "Street address is now “Tuontikatu 1”" in errors(response)
    assert Place.objects.get(pk=place.pk).name == "Perhekahvila"


def test_a_form_without_its_edit_count_is_refused(coordinator, place):
    form = OpenForm(signed_in(coordinator), place, "place")
    del form.data["loaded_edit_count"]

    response = form.save(name="Muokattu")

    assert response.status_code == 200
    assert "after you opened it" in errors(response)
    assert Place.objects.get(pk=place.pk).name == "Perhekahvila"


def test_two_coordinators_editing_a_meeting(coordinator):
    meeting = MeetingFactory(title="Verkostopäivä", regions=[municipality("179").region])
    colleague = regional_coordinator("13", username="pekka")
    first = OpenForm(signed_in(colleague), meeting, "meeting")
    second = OpenForm(signed_in(coordinator), meeting, "meeting")
    assert first.save(venue_address="Kauppakatu 2, Jyväskylä").status_code == 302

    response = second.save(title="Verkostopäivä 2")

    assert "pekka saved this network meeting at" in errors(response)
    assert "Venue address is now “Kauppakatu 2, Jyväskylä”" in errors(response)
    assert Meeting.objects.get(pk=meeting.pk).title == "Verkostopäivä"
    assert second.save().status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).title == "Verkostopäivä 2"


def test_a_save_without_a_recorded_version_still_names_no_one_wrongly(coordinator, place):
    form = OpenForm(signed_in(coordinator), place, "place")
    Place.objects.filter(pk=place.pk).update(name="Skriptin nimi")
    place.refresh_from_db()
    place.save()  # a save outside the admin: counted, but not recorded

    response = form.save(description="Uusi")

    assert "Someone else saved this meeting place after you opened it." in errors(response)


def test_adding_is_never_a_conflict(coordinator, organization):
    client = signed_in(UserFactory(is_superuser=True))
    url = reverse("admin:places_place_add")
    data = single(admin_form_data(client.get(url), "place"))

    response = client.post(
        url,
        {
            **data,
            "name": "Uusi paikka",
            "slug": "uusi-paikka",
            "organization": organization.pk,
            "municipality": "179",
            "street_address": "Katu 1",
            "postal_code": "40100",
            "postal_town": "Jyväskylä",
        },
    )

    assert response.status_code == 302


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite has none)"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_saves_at_the_same_moment_are_taken_in_turn(staff, coordinator, place, monkeypatch):
    first = OpenForm(signed_in(staff), place, "place")
    second = OpenForm(signed_in(coordinator), place, "place")
    # Each save waits for the other to reach the same point. Without the row lock both get
    # there and both write; with it the second waits on the lock, the first goes on alone.
    both_saving = threading.Barrier(2, timeout=3)
    save = Place.save

    def save_when_both_arrive(self, *args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            both_saving.wait()
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Place, "save", save_when_both_arrive)
    answers = []

    def post(form, **changes):
        try:
            answers.append(form.save(**changes).status_code)
        finally:
            connections.close_all()

    posts = [
        threading.Thread(target=post, args=(first,), kwargs={"name": "Ensimmäinen"}),
        threading.Thread(target=post, args=(second,), kwargs={"description": "Toinen"}),
    ]
    for thread in posts:
        thread.start()
    for thread in posts:
        thread.join()

    assert sorted(answers) == [200, 302]
    place.refresh_from_db()
    assert (place.name == "Ensimmäinen") != (place.description == "Toinen")  # one save only
