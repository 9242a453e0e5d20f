"""Nothing half-written: a failure in the middle of a multi-row write leaves the database as it
was, for the demo data, the CSV import, and admin saves with inline rows."""

import datetime as dt
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from kohtaamispaikat.demo import loader
from network.models import FollowUp
from places import csv_io
from places.models import WeeklyHours
from tests.factories import (
    FollowUpFactory,
    HeldMeetingFactory,
    OrganizationFactory,
    OutcomeFactory,
    PlaceFactory,
    UserFactory,
    WeeklyHoursFactory,
    audience,
)
from tests.security.forms import admin_form_data, single
from tests.security.test_backup import snapshot

pytestmark = pytest.mark.django_db


class Interrupted(Exception):
    """The failure injected in the middle of a write."""


def fail_on_call(number, real):
    """A stand-in for ``real`` that works ``number - 1`` times, then fails."""
    calls = []

    def stand_in(*args, **kwargs):
        calls.append(args)
        if len(calls) == number:
            raise Interrupted
        return real(*args, **kwargs)

    stand_in.calls = calls
    return stand_in


# Demo data -------------------------------------------------------------------------------------


def load_demo(**options):
    call_command("demo_data", places=8, meetings=4, seed=1, stdout=None, **options)


@pytest.mark.parametrize("step", ["_save_coordinators", "save_demo_users"])
def test_demo_data_interrupted_midway_keeps_the_previous_content(step, capsys):
    load_demo()
    PlaceFactory(name="Not demo content")
    before = snapshot()

    with mock.patch.object(loader, step, side_effect=Interrupted), pytest.raises(Interrupted):
        call_command("demo_data", places=20, meetings=6, seed=2)

    assert snapshot() == before


# CSV import ------------------------------------------------------------------------------------


CSV = (
    "name,organization,municipality,street_address,postal_code,postal_town,audiences,"
    "opening_hours\n"
    "Olohuone,yhdistys,Jyväskylä,Uusi katu 5,40100,Jyväskylä,nuoret,Mo-Fr 10:00-14:00\n"
    "Uusi paikka,yhdistys,Jyväskylä,Katu 9,40100,Jyväskylä,nuoret,Tu 09:00-12:00\n"
)


@pytest.fixture
def existing_place():
    place = PlaceFactory(
        name="Olohuone",
        organization=OrganizationFactory(slug="yhdistys"),
        audiences=[audience("lapsiperheet")],
    )
    WeeklyHoursFactory(place=place, weekday=3, opens=dt.time(9), closes=dt.time(12))
    return place


@pytest.mark.parametrize("failure", [Interrupted, DatabaseError])
def test_csv_import_interrupted_after_the_places_are_written_changes_nothing(
    existing_place, failure
):
    before = snapshot()
    interrupted = mock.patch.object(
        WeeklyHours.objects, "bulk_create", side_effect=failure("while writing hours")
    )
    with interrupted, translation.override("en"):
        try:
            report = csv_io.import_places(CSV)
        except Interrupted:
            report = None

    assert snapshot() == before
    if report is not None:  # a database error is reported, not raised
        assert not report.ok
        assert "nothing was saved" in str(report.problems[0].message)


def test_the_same_import_succeeds_without_the_failure(existing_place):
    report = csv_io.import_places(CSV)
    assert report.ok, report.problems
    existing_place.refresh_from_db()
    assert existing_place.street_address == "Uusi katu 5"
    assert list(existing_place.audiences.values_list("slug", flat=True)) == ["nuoret"]


# Admin saves with inlines ----------------------------------------------------------------------


@pytest.fixture
def admin_client(settings):
    settings.LANGUAGE_CODE = "en"
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(username="admin", is_superuser=True))
    return client


def test_place_saved_with_inline_hours_is_all_or_nothing(admin_client, existing_place):
    url = reverse("admin:places_place_change", args=[existing_place.pk])
    data = admin_form_data(admin_client.get(url), "place")
    data = single(
        data,
        name="Renamed",
        **{
            "weekly_hours-0-opens": "08:00",
            "weekly_hours-1-weekday": "5",
            "weekly_hours-1-opens": "10:00",
            "weekly_hours-1-closes": "16:00",
        },
    )
    before = snapshot()
    failing_save = fail_on_call(2, WeeklyHours.save)

    with mock.patch.object(WeeklyHours, "save", failing_save):
        response = admin_client.post(url, data)

    assert response.status_code == 500
    assert len(failing_save.calls) == 2  # the place and one row of hours were written
    assert snapshot() == before

    response = admin_client.post(url, data)
    assert response.status_code == 302
    existing_place.refresh_from_db()
    assert existing_place.name == "Renamed"
    assert existing_place.weekly_hours.count() == 2


def test_outcome_saved_with_inline_follow_ups_is_all_or_nothing(admin_client):
    outcome = OutcomeFactory(meeting=HeldMeetingFactory())
    FollowUpFactory(outcome=outcome)
    url = reverse("admin:network_outcome_change", args=[outcome.pk])
    data = single(
        admin_form_data(admin_client.get(url), "outcome"),
        themes="Changed themes",
        participants_residents="7",
        **{"follow_ups-1-municipality": "091", "follow_ups-1-plan": "Uusi suunnitelma"},
    )
    before = snapshot()

    with mock.patch.object(FollowUp, "save", side_effect=Interrupted):
        response = admin_client.post(url, data)

    assert response.status_code == 500
    assert snapshot() == before
