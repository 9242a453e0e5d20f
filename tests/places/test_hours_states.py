"""States of opening hours beside open and closed (issue #14), as a visitor meets them: by
appointment, self-service with a key, not known; notes on a range in Finnish, Swedish and
English; "by appointment at other times". Only *open* is open, in Python and in SQL alike."""

import datetime as dt
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from places.hours import HELSINKI, HoursState
from places.models import Place, WeeklyHours
from tests.factories import HoursExceptionFactory, PlaceFactory, WeeklyHoursFactory

pytestmark = pytest.mark.django_db

# Tuesday 2 February 2026, an ordinary week.
TUESDAY = dt.date(2026, 2, 3)


def at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=HELSINKI)


def fresh(place):
    return Place.objects.with_hours(since=TUESDAY - dt.timedelta(days=7)).get(pk=place.pk)


def is_open(place, when):
    in_python = fresh(place).is_open_at(when)
    in_sql = Place.objects.open_at(when).filter(pk=place.pk).exists()
    assert in_python == in_sql, f"the faces disagree at {when}"
    return in_python


def weekly(place, opens, closes, state=HoursState.OPEN, weekday=2, **notes):
    return WeeklyHoursFactory(
        place=place,
        weekday=weekday,
        opens=dt.time(opens),
        closes=dt.time(closes),
        state=state,
        **notes,
    )


@pytest.mark.parametrize(
    "state", [HoursState.BY_APPOINTMENT, HoursState.SELF_SERVICE, HoursState.UNKNOWN]
)
def test_only_open_ranges_make_a_place_open(state):
    place = PlaceFactory()
    weekly(place, 10, 12)
    weekly(place, 14, 18, state)
    assert is_open(place, at(TUESDAY, 11))
    assert not is_open(place, at(TUESDAY, 15))
    assert fresh(place).state_at(at(TUESDAY, 15)) == state
    assert fresh(place).state_at(at(TUESDAY, 13)) == ""


def test_a_weekday_only_by_appointment_is_not_among_places_open_that_weekday():
    place = PlaceFactory()
    weekly(place, 14, 18, HoursState.BY_APPOINTMENT, weekday=4)
    assert not Place.objects.open_on_weekday(4).filter(pk=place.pk).exists()


def test_special_hours_by_appointment_replace_the_day_but_do_not_open_it():
    place = PlaceFactory()
    weekly(place, 10, 16)
    HoursExceptionFactory(
        place=place,
        start_date=TUESDAY,
        closed=False,
        opens=dt.time(12),
        closes=dt.time(14),
        state=HoursState.BY_APPOINTMENT,
        note="soita ensin",
    )
    assert not is_open(place, at(TUESDAY, 11))
    assert not is_open(place, at(TUESDAY, 13))
    status = fresh(place).status_at(at(TUESDAY, 13))
    assert (status.is_open, status.state, status.note) == (
        False,
        HoursState.BY_APPOINTMENT,
        "soita ensin",
    )


def test_a_by_appointment_range_past_midnight_is_that_state_the_next_morning():
    place = PlaceFactory()
    weekly(place, 22, 2, HoursState.SELF_SERVICE)
    assert not is_open(place, at(TUESDAY + dt.timedelta(days=1), 1))
    assert fresh(place).state_at(at(TUESDAY + dt.timedelta(days=1), 1)) == HoursState.SELF_SERVICE


def test_by_appointment_at_other_times_is_shown_when_closed_but_never_open():
    place = PlaceFactory(by_appointment_otherwise=True, hours_note="Soita 040 123 4567.")
    weekly(place, 10, 12)
    assert not is_open(place, at(TUESDAY, 15))
    status = fresh(place).status_at(at(TUESDAY, 15))
    assert status.state == HoursState.BY_APPOINTMENT
    assert status.note == "Soita 040 123 4567."
    assert fresh(place).state_at(at(TUESDAY, 11)) == HoursState.OPEN


def test_a_place_without_hours_is_not_known_never_closed():
    place = fresh(PlaceFactory())
    assert place.state_at(at(TUESDAY, 11)) == HoursState.UNKNOWN
    assert not place.status_at(at(TUESDAY, 11)).hours_known


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fi", "parillisilla viikoilla"), ("sv", "jämna veckor"), ("en", "parillisilla viikoilla")],
)
def test_the_note_is_in_the_visitors_language_with_finnish_as_fallback(language, expected):
    place = PlaceFactory()
    weekly(place, 10, 12, note="parillisilla viikoilla", note_sv="jämna veckor")
    with translation.override(language):
        (slot,) = fresh(place).schedule_for(TUESDAY).slots
        assert slot.localized_note == expected
        assert slot.describe() == f"10:00–12:00 ({expected})"


def test_an_unknown_state_is_refused_by_the_database():
    place = PlaceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        WeeklyHours.objects.create(
            place=place, weekday=1, opens=dt.time(10), closes=dt.time(12), state="maybe"
        )


class TestPlacePage:
    @pytest.fixture
    def place(self):
        place = PlaceFactory(slug="kerhotila")
        weekly(place, 9, 12, note="avoin kaikille", note_en="open to all")
        weekly(
            place,
            13,
            16,
            HoursState.BY_APPOINTMENT,
            note="soita ensin",
            note_sv="ring först",
        )
        weekly(place, 18, 22, HoursState.SELF_SERVICE, weekday=3)
        return place

    def get(self, client, language, when):
        with mock.patch("django.utils.timezone.now", return_value=when):
            prefix = "" if language == "fi" else f"/{language}"  # Finnish has no prefix
            return client.get(f"{prefix}/places/kerhotila/").content.decode()

    def test_the_week_shows_each_state_and_note_in_the_visitors_language(self, client, place):
        html = self.get(client, "en", at(TUESDAY, 10))
        assert "09:00–12:00 (open to all); 13:00–16:00, by appointment (soita ensin)" in html
        assert "18:00–22:00, self-service, with a key" in html
        swedish = self.get(client, "sv", at(TUESDAY, 10))
        assert "13:00–16:00, på tidsbeställning (ring först)" in swedish
        finnish = self.get(client, "fi", at(TUESDAY, 10))
        assert "09:00–12:00 (avoin kaikille); 13:00–16:00, ajanvarauksella (soita ensin)" in finnish

    def test_the_status_line_says_by_appointment_now_rather_than_open(self, client, place):
        html = self.get(client, "en", at(TUESDAY, 14))
        assert "Open now" not in html
        assert "By appointment</span> (soita ensin)" in html
        assert "Open now" in self.get(client, "en", at(TUESDAY, 10))

    def test_other_times_by_appointment_are_said_beside_the_hours(self, client, place):
        Place.objects.filter(pk=place.pk).update(
            by_appointment_otherwise=True, hours_note="Soita 040 123 4567."
        )
        html = self.get(client, "en", at(TUESDAY, 20))
        assert "At other times by appointment. Soita 040 123 4567." in html
        assert "By appointment</span> (Soita 040 123 4567.)" in html
