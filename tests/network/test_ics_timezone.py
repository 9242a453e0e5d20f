"""The iCalendar file's times as independent readers compute them from its own VTIMEZONE:
Mozilla's ical.js (Thunderbird, FullCalendar; run with node) and dateutil's tzical."""

import datetime as dt
import io
import json
import os
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dateutil.tz import tzical
from django.urls import reverse
from icalendar import Calendar

from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
JS_TESTS = Path(__file__).resolve().parent.parent / "js"
UTC = dt.UTC


def last_sunday(year, month):
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


@pytest.fixture
def meetings():
    """Next year's meetings in winter, in summer and just after each change of the clocks
    (the hours that readers of a list of transitions get wrong), as (local start, UTC start)."""
    year = dt.date.today().year + 1
    cases = {
        "winter": (dt.datetime(year, 1, 15, 10, 0), dt.datetime(year, 1, 15, 8, 0, tzinfo=UTC)),
        "summer": (dt.datetime(year, 6, 15, 10, 0), dt.datetime(year, 6, 15, 7, 0, tzinfo=UTC)),
    }
    march, october = last_sunday(year, 3), last_sunday(year, 10)
    cases["march_change_day"] = (
        dt.datetime.combine(march, dt.time(4, 30)),
        dt.datetime.combine(march, dt.time(1, 30), UTC),
    )
    cases["october_change_day"] = (
        dt.datetime.combine(october, dt.time(4, 30)),
        dt.datetime.combine(october, dt.time(2, 30), UTC),
    )
    result = {}
    for name, (local, utc) in cases.items():
        meeting = MeetingFactory(
            start=local.replace(tzinfo=HELSINKI),
            end=local.replace(tzinfo=HELSINKI) + dt.timedelta(hours=2),
        )
        assert meeting.start == utc  # the case itself is right
        result[name] = (f"meeting-{meeting.pk}@kohtaamispaikat.fi", utc)
    return result


def ics(client):
    response = client.get(reverse("network:ics"))
    assert response.status_code == 200
    return response.content


def test_vtimezone_is_rule_based(client, meetings):
    (zone,) = Calendar.from_ical(ics(client)).walk("VTIMEZONE")
    rules = {
        component.name: (
            component["DTSTART"].dt.time(),
            component["RRULE"].to_ical().decode(),
            str(component["TZOFFSETTO"].to_ical()),
        )
        for component in zone.subcomponents
    }
    assert rules == {
        "DAYLIGHT": (dt.time(3), "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "+0300"),
        "STANDARD": (dt.time(4), "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "+0200"),
    }
    assert "RDATE" not in zone.to_ical().decode()


def test_ical_js_reads_summer_and_winter_meetings_at_their_utc_instants(client, meetings):
    if not (JS_TESTS / "node_modules" / "ical.js").is_dir() and not os.environ.get("CI"):
        pytest.skip("ical.js is not installed: npm ci --prefix tests/js (.ci/run does)")
    node = shutil.which("node")
    assert node, "node is needed to run ical.js"
    result = subprocess.run(
        [node, str(JS_TESTS / "ical_instants.mjs")],
        input=ics(client),
        capture_output=True,
        check=True,
        timeout=60,
        # A reader in another time zone: floating times would come out wrong.
        env={**os.environ, "TZ": "America/New_York"},
    )
    events = json.loads(result.stdout)
    for name, (uid, utc) in meetings.items():
        assert events[uid]["zone"] == "Europe/Helsinki", name
        assert events[uid]["start"] == utc.strftime("%Y-%m-%dT%H:%M:%S.000Z"), name


def test_dateutil_reads_summer_and_winter_meetings_at_their_utc_instants(client, meetings):
    calendar = Calendar.from_ical(ics(client))
    (zone,) = calendar.walk("VTIMEZONE")
    helsinki = tzical(io.StringIO(zone.to_ical().decode())).get("Europe/Helsinki")
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    for name, (uid, utc) in meetings.items():
        start = events[uid]["DTSTART"]
        assert start.params["TZID"] == "Europe/Helsinki"
        local = dt.datetime.strptime(start.to_ical().decode(), "%Y%m%dT%H%M%S")
        assert local.replace(tzinfo=helsinki).astimezone(UTC) == utc, name
