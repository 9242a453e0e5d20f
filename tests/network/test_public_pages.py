"""The public network pages: meetings (drafts never show), filters that survive bad input,
coordinators by area."""

import datetime as dt

import pytest
from django.urls import reverse, translate_url
from django.utils import timezone, translation

from network.models import Meeting
from tests.factories import (
    CoordinatorFactory,
    FollowUpFactory,
    HeldMeetingFactory,
    MeetingFactory,
    OutcomeFactory,
    PlaceFactory,
    municipality,
)

pytestmark = pytest.mark.django_db


def page(client, url, params=None, status=200):
    """The page in English (unprefixed paths are Finnish, the default language)."""
    response = client.get(translate_url(url, "en"), params or {})
    assert response.status_code == status
    return response.content.decode()


def listed_titles(client, params=None):
    response = client.get("/en/network/meetings/", params or {})
    assert response.status_code == 200
    return [meeting.title for meeting in response.context["meetings"]]


def test_drafts_never_appear_on_any_page(client, keski_suomi):
    draft = MeetingFactory(title="Salainen luonnos", status=Meeting.Status.DRAFT)
    OutcomeFactory(meeting=HeldMeetingFactory(title="Salainen pidetty", status="draft"))
    for url in ["/network/", "/network/meetings/", "/network/statistics/"]:
        assert "Salainen" not in page(client, url)
    page(client, draft.get_absolute_url(), status=404)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_network_pages_answer_in_every_language(client, meeting_13, language):
    names = ["index", "meetings", "coordinators", "coverage", "statistics"]
    with translation.override(language):
        urls = [reverse(f"network:{name}") for name in names] + [meeting_13.get_absolute_url()]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.content.decode()


def test_meeting_list_shows_upcoming_soonest_first_then_past_latest_first(client):
    now = timezone.now()
    for title, days in [
        ("Ensi kuussa", 30),
        ("Huomenna", 1),
        ("Viime viikolla", -7),
        ("Kauan sitten", -300),
    ]:
        MeetingFactory(title=title, start=now + dt.timedelta(days=days))
    assert listed_titles(client) == ["Huomenna", "Ensi kuussa", "Viime viikolla", "Kauan sitten"]
    assert listed_titles(client, {"when": "past"}) == ["Viime viikolla", "Kauan sitten"]
    assert listed_titles(client, {"when": "upcoming"}) == ["Huomenna", "Ensi kuussa"]
    content = page(client, "/en/network/meetings/")
    assert content.index("Upcoming meetings") < content.index("Past meetings")


def test_meeting_list_filters_by_region_and_year(client, keski_suomi, uusimaa):
    this_year = timezone.localdate().year
    MeetingFactory(title="Jyväskylä", regions=[keski_suomi])
    MeetingFactory(title="Helsinki", regions=[uusimaa])
    MeetingFactory(
        title="Vanha Jyväskylä",
        start=timezone.now().replace(year=this_year - 2),
        regions=[keski_suomi],
    )
    assert listed_titles(client, {"region": "13"}) == ["Jyväskylä", "Vanha Jyväskylä"]
    assert listed_titles(client, {"region": "13", "year": str(this_year - 2)}) == [
        "Vanha Jyväskylä"
    ]


def test_the_calendar_link_of_a_region_filtered_list_carries_the_region(client, meeting_13):
    content = page(client, "/network/meetings/", {"region": "13"})
    assert 'href="/en/network/meetings.ics?region=13"' in content
    assert "calendar of Keski-Suomi (iCalendar)" in content
    unknown_region = client.get("/en/network/meetings/", {"region": "99"}).content.decode()
    assert 'href="/en/network/meetings.ics"' in unknown_region


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"region": "99"}, "There is no region with the code “99”."),
        ({"region": "<script>"}, "There is no region with the code “&lt;script&gt;”."),
        ({"year": "1066"}, "There are no meetings in the year “1066”."),
        ({"year": "kaksi"}, "There are no meetings in the year “kaksi”."),
        ({"when": "tomorrow"}, "Choose upcoming or past meetings."),
    ],
)
def test_bad_filter_values_give_a_clear_message_and_never_a_500(
    client, meeting_13, params, message
):
    content = page(client, "/network/meetings/", params)
    assert message in content
    assert "<script>" not in content


def test_a_bad_filter_is_left_out_and_the_good_ones_still_apply(client, keski_suomi, uusimaa):
    MeetingFactory(title="Jyväskylä", regions=[keski_suomi])
    MeetingFactory(title="Helsinki", regions=[uusimaa])
    assert listed_titles(client, {"region": "13", "year": "kaksi"}) == ["Jyväskylä"]


@pytest.mark.parametrize("page_number", ["2", "999999", "-1", "abc", "1e9"])
def test_meeting_list_pages_never_fail(client, page_number):
    for index in range(25):
        MeetingFactory(start=timezone.now() + dt.timedelta(days=index + 1))
    response = client.get("/en/network/meetings/", {"page": page_number})
    assert response.status_code == 200
    assert len(response.context["meetings"]) in (20, 5)


def test_meeting_page_shows_details_registration_and_venue_map(client, keski_suomi):
    venue = PlaceFactory(name="Kohtaamispaikka Kompassi")
    contact = CoordinatorFactory(name="Kaisa Koordinaattori", regions=[keski_suomi])
    meeting = MeetingFactory(
        title="Kevään verkostopäivä",
        venue=venue,
        contact=contact,
        registration_url="https://example.org/ilmoittaudu",
        registration_deadline=timezone.now() + dt.timedelta(days=3),
        agenda="9.00 Aloitus",
        regions=[keski_suomi],
    )
    content = page(client, meeting.get_absolute_url())
    assert "Kevään verkostopäivä" in content
    assert 'href="https://example.org/ilmoittaudu"' in content
    assert "Register by" in content
    assert venue.get_absolute_url() in content
    assert "Kaisa Koordinaattori" in content
    assert 'id="meeting-map"' in content and "leaflet/leaflet.js" in content
    assert "Keski-Suomi" in content


def test_a_meeting_at_a_free_text_address_has_no_map(client, meeting_13):
    content = page(client, meeting_13.get_absolute_url())
    assert meeting_13.venue_address in content
    assert "leaflet.js" not in content


def test_a_cancelled_meeting_stays_visible_and_is_clearly_marked(client):
    meeting = MeetingFactory(
        title="Syysseminaari",
        status=Meeting.Status.CANCELLED,
        registration_url="https://example.org/ilmo",
    )
    content = page(client, f"/en{meeting.get_absolute_url()}")
    assert "Cancelled:" in content
    assert "This meeting has been cancelled" in content
    assert "https://example.org/ilmo" not in content
    assert "Cancelled" in page(client, "/en/network/meetings/")


def test_a_postponed_meeting_is_marked(client):
    meeting = MeetingFactory(status=Meeting.Status.POSTPONED)
    assert "has been postponed" in page(client, meeting.get_absolute_url())


def test_registration_closed_after_the_deadline(client):
    meeting = MeetingFactory(
        registration_url="https://example.org/ilmo",
        registration_deadline=timezone.now() - dt.timedelta(hours=1),
    )
    content = page(client, meeting.get_absolute_url())
    assert "Registration has closed." in content
    assert 'href="https://example.org/ilmo"' not in content


def test_a_held_meeting_shows_its_outcome_summary(client):
    outcome = OutcomeFactory(themes="Nuorten tilat puuttuvat")
    FollowUpFactory(outcome=outcome, plan="Avataan perhekahvila")
    content = page(client, outcome.meeting.get_absolute_url())
    assert "15 participants" in content
    assert "feedback 3.2 / 4 (12 respondents)" in content
    assert "Nuorten tilat puuttuvat" in content
    assert "Avataan perhekahvila" in content


def test_meeting_text_is_escaped(client):
    meeting = MeetingFactory(description="<script>alert(1)</script>")
    content = page(client, meeting.get_absolute_url())
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content


def test_coordinators_page_lists_published_coordinators_by_region_and_municipality(
    client, keski_suomi
):
    CoordinatorFactory(name="Alueen Anna", regions=[keski_suomi])
    CoordinatorFactory(name="Kunnan Kalle", municipalities=[municipality("179")])
    CoordinatorFactory(name="Piilotettu Pekka", regions=[keski_suomi], is_published=False)
    content = page(client, "/network/coordinators/")
    assert "Alueen Anna" in content and "Kunnan Kalle" in content
    assert "Piilotettu Pekka" not in content
    region_section = content[content.index('id="region-13"') :]
    assert region_section.index("Whole region:") < region_section.index("Jyväskylä")


def test_index_shows_upcoming_meetings_coordinators_and_this_years_figures(client, keski_suomi):
    MeetingFactory(title="Tuleva tapaaminen", regions=[keski_suomi])
    CoordinatorFactory(name="Alueen Anna", regions=[keski_suomi])
    now = timezone.now()
    start_of_year = timezone.localtime(now).replace(month=1, day=1, hour=0, minute=0, second=0)
    earlier_this_year = max(now - dt.timedelta(hours=4), start_of_year)
    OutcomeFactory(
        meeting=HeldMeetingFactory(start=earlier_this_year, end=now - dt.timedelta(seconds=1))
    )
    content = page(client, "/network/")
    assert "Tuleva tapaaminen" in content
    assert "Alueen Anna" in content
    assert "1 meeting" in content and "15 participants" in content
