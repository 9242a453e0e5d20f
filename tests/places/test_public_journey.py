"""Acceptance: "find places open in Jyväskylä for families on a Tuesday evening", starting from
the home page, in Finnish, Swedish and English."""

import datetime as dt
import re

import pytest

from tests.factories import PlaceFactory, WeeklyHoursFactory, audience, municipality

JOURNEYS = [
    # language prefix, the audience as the page names it, the "open at" label
    ("", "Lapsiperheet"),
    ("/sv", "Barnfamiljer"),
    ("/en", "Families with children"),
]


@pytest.fixture
def places(db):
    families = audience("lapsiperheet")
    evening = PlaceFactory(name="Perhekahvila Ilta", audiences=[families])
    WeeklyHoursFactory(place=evening, weekday=2, opens=dt.time(17), closes=dt.time(20))
    morning = PlaceFactory(name="Perhekahvila Aamu", audiences=[families])
    WeeklyHoursFactory(place=morning, weekday=2, opens=dt.time(9), closes=dt.time(12))
    seniors = PlaceFactory(name="Senioritupa", audiences=[audience("ikaihmiset")])
    WeeklyHoursFactory(place=seniors, weekday=2, opens=dt.time(17), closes=dt.time(20))
    helsinki = PlaceFactory(
        name="Kallion perhetalo", audiences=[families], municipality=municipality("091")
    )
    WeeklyHoursFactory(place=helsinki, weekday=2, opens=dt.time(17), closes=dt.time(20))


def form_action(html):
    return re.search(r'<form class="filter-form[^"]*" method="get" action="([^"]+)"', html)[1]


@pytest.mark.parametrize(("prefix", "audience_name"), JOURNEYS)
def test_families_in_jyvaskyla_on_a_tuesday_evening(client, places, prefix, audience_name):
    home = client.get(f"{prefix}/").content.decode()
    action = form_action(home)
    assert action == f"{prefix}/places/"
    assert '<option value="179">Jyväskylä</option>' in home

    # The resident picks Jyväskylä on the home page and searches.
    first = client.get(action, {"q": "", "municipality": "179"})
    first_html = first.content.decode()
    assert sorted(p.name for p in first.context["places"]) == [
        "Perhekahvila Aamu",
        "Perhekahvila Ilta",
        "Senioritupa",
    ]
    assert form_action(first_html) == action
    assert 'value="lapsiperheet"' in first_html and audience_name in first_html
    assert 'type="datetime-local" name="open_at"' in first_html

    # Then ticks families and gives Tuesday evening in the filter form.
    second = client.get(
        action,
        {"municipality": "179", "audience": "lapsiperheet", "open_at": "2026-12-01T18:00"},
    )
    html = second.content.decode()
    assert [p.name for p in second.context["places"]] == ["Perhekahvila Ilta"]
    assert "Perhekahvila Ilta" in html
    assert "Perhekahvila Aamu" not in html
    assert "Kallion perhetalo" not in html
    assert 'value="2026-12-01T18:00"' in html
    assert f'href="{prefix}/places/perhekahvila-ilta/"' in html or "perhekahvila-ilta" not in html
