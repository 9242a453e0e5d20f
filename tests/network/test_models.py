"""The rules of meetings and outcomes: model validation (what forms show) and the database
constraints behind it, which hold even when code skips validation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from network.models import Meeting
from tests.factories import HeldMeetingFactory, MeetingFactory, OutcomeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    """The assertions compare the English source messages."""
    with translation.override("en"):
        yield


def validation_errors(instance):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def assert_refused_by_database(instance):
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def test_a_meeting_must_end_after_it_starts():
    meeting = MeetingFactory()
    meeting.end = meeting.start
    assert validation_errors(meeting)["end"] == ["The meeting must end after it starts."]
    meeting.end = meeting.start - dt.timedelta(hours=1)
    assert_refused_by_database(meeting)


def test_registration_cannot_close_after_the_meeting_starts():
    meeting = MeetingFactory(registration_url="https://example.org/ilmo")
    meeting.registration_deadline = meeting.start + dt.timedelta(minutes=1)
    assert "registration_deadline" in validation_errors(meeting)
    assert_refused_by_database(meeting)


def test_registration_may_close_when_the_meeting_starts():
    meeting = MeetingFactory(registration_url="https://example.org/ilmo")
    meeting.registration_deadline = meeting.start
    meeting.full_clean()


@pytest.mark.parametrize(
    "status", [Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED, Meeting.Status.POSTPONED]
)
def test_a_public_meeting_needs_a_venue_an_address_or_a_link(status):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, venue_address="")
    meeting.status = status
    assert "venue_address" in validation_errors(meeting)
    assert_refused_by_database(meeting)


def test_a_draft_may_be_without_a_place_yet():
    MeetingFactory(status=Meeting.Status.DRAFT, venue_address="").full_clean()


def test_an_online_link_is_enough_to_publish():
    MeetingFactory(venue_address="", online_url="https://example.org/teams").full_clean()


def test_published_time_is_set_when_first_published_and_then_kept():
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    assert meeting.published_at is None
    meeting.status = Meeting.Status.PUBLISHED
    meeting.save()
    first_published = meeting.published_at
    assert first_published is not None
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status"])
    meeting.refresh_from_db()
    assert meeting.published_at == first_published


def test_published_time_is_saved_with_update_fields():
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    meeting.status = Meeting.Status.PUBLISHED
    meeting.save(update_fields=["status"])
    meeting.refresh_from_db()
    assert meeting.published_at is not None


@pytest.mark.parametrize("average", ["0.99", "4.01"])
def test_feedback_is_on_the_scale_from_one_to_four(average):
    outcome = OutcomeFactory()
    outcome.feedback_average = Decimal(average)
    assert "feedback_average" in validation_errors(outcome)
    assert_refused_by_database(outcome)


def test_feedback_needs_respondents():
    outcome = OutcomeFactory()
    outcome.feedback_respondents = 0
    assert validation_errors(outcome)["feedback_respondents"] == [
        "Give the number of respondents for the feedback."
    ]
    assert_refused_by_database(outcome)


@pytest.mark.parametrize("field", ["participants_associations", "feedback_respondents"])
def test_counts_cannot_be_negative(field):
    outcome = OutcomeFactory()
    setattr(outcome, field, -1)
    assert field in validation_errors(outcome)
    assert_refused_by_database(outcome)


def test_an_outcome_is_recorded_for_a_held_meeting_only():
    upcoming = MeetingFactory()
    outcome = OutcomeFactory.build(meeting=upcoming)
    assert "meeting" in validation_errors(outcome)
    OutcomeFactory.build(meeting=HeldMeetingFactory()).full_clean()


def test_only_published_cancelled_and_postponed_meetings_are_public():
    statuses = [Meeting.Status.DRAFT, *Meeting.PUBLIC_STATUSES]
    for status in statuses:
        MeetingFactory(status=status, title=status)
    assert sorted(Meeting.objects.public().values_list("title", flat=True)) == sorted(
        Meeting.PUBLIC_STATUSES
    )


def test_held_meetings_are_published_and_over():
    held = HeldMeetingFactory()
    HeldMeetingFactory(status=Meeting.Status.CANCELLED)
    HeldMeetingFactory(status=Meeting.Status.DRAFT)
    MeetingFactory()
    assert list(Meeting.objects.held()) == [held]


def test_registration_is_open_until_the_deadline():
    now = timezone.now()
    meeting = MeetingFactory(
        registration_url="https://example.org/ilmo",
        registration_deadline=now + dt.timedelta(days=1),
    )
    assert meeting.registration_is_open(now)
    assert not meeting.registration_is_open(now + dt.timedelta(days=2))
