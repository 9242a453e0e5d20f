"""Figures of held meetings: only public, held meetings with outcomes count; the mean feedback
is weighted by respondents."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from network.models import Meeting
from network.statistics import figures_by_year
from places.models import Region
from tests.factories import HeldMeetingFactory, MeetingFactory, OutcomeFactory

pytestmark = pytest.mark.django_db


def held_in(year, regions, **outcome):
    start = timezone.make_aware(dt.datetime(year, 5, 20, 10))
    meeting = HeldMeetingFactory(start=start, regions=regions)
    return OutcomeFactory(meeting=meeting, **outcome)


@pytest.fixture
def outcomes(keski_suomi, uusimaa):
    held_in(
        2025,
        [keski_suomi],
        participants_associations=10,
        participants_municipality=10,
        feedback_average=Decimal("3.0"),
        feedback_respondents=10,
    )
    held_in(
        2025,
        [keski_suomi, uusimaa],
        participants_associations=20,
        participants_parish=0,
        participants_municipality=0,
        feedback_average=Decimal("4.0"),
        feedback_respondents=30,
    )
    held_in(
        2024,
        [uusimaa],
        participants_associations=5,
        participants_municipality=0,
        feedback_average=None,
        feedback_respondents=0,
    )
    # None of these count: a draft, a cancelled meeting, a meeting with no outcome yet.
    draft = HeldMeetingFactory(
        status=Meeting.Status.DRAFT, start=timezone.make_aware(dt.datetime(2025, 3, 1))
    )
    OutcomeFactory(meeting=draft, participants_associations=1000)
    cancelled = HeldMeetingFactory(
        status=Meeting.Status.CANCELLED, start=timezone.make_aware(dt.datetime(2025, 3, 2))
    )
    OutcomeFactory(meeting=cancelled, participants_associations=1000)
    HeldMeetingFactory(start=timezone.make_aware(dt.datetime(2025, 4, 1)))


def test_figures_per_year_and_region(outcomes):
    years = figures_by_year()
    assert [year.year for year in years] == [2025, 2024]
    total_2025 = years[0].total
    assert (total_2025.meetings, total_2025.participants, total_2025.region_count) == (2, 40, 2)
    assert total_2025.association_share == 75
    # (3.0 × 10 + 4.0 × 30) / 40, not the plain mean 3.5.
    assert total_2025.feedback_average == Decimal("3.75")
    by_region = {figures.region.code: figures for figures in years[0].regions}
    # The meeting of two regions is held in both, its 20 participants divided between them.
    assert (by_region["13"].meetings, by_region["13"].participants) == (2, 30)
    assert (by_region["01"].meetings, by_region["01"].participants) == (1, 10)
    assert by_region["01"].feedback_average == Decimal("4")
    # (3.0 × 10 + 4.0 × 30 / 2) / (10 + 30 / 2)
    assert by_region["13"].feedback_average == Decimal("3.6")


def test_the_regions_participants_add_up_to_the_total(keski_suomi, uusimaa):
    lappi = Region.objects.get(code="19")
    nobody_else = {"participants_associations": 0, "participants_municipality": 0}
    held_in(2025, [keski_suomi, uusimaa, lappi], participants_residents=10, **nobody_else)
    held_in(2025, [keski_suomi], participants_residents=7, **nobody_else)
    [year] = figures_by_year(year=2025)
    by_region = {figures.region.code: figures for figures in year.regions}
    assert by_region["13"].participants == Decimal("10.33")
    assert by_region["19"].participants == Decimal("3.33")
    assert sum(figures.participants for figures in year.regions) == pytest.approx(17, abs=0.02)
    assert year.total.participants == 17


def test_the_page_states_how_a_meeting_of_several_regions_counts(client, outcomes):
    content = client.get("/en/network/statistics/").content.decode()
    assert "divided equally among its regions" in content
    assert '<td class="number">30</td>' in content


def test_a_year_without_feedback_has_no_average(outcomes):
    [year_2024] = figures_by_year(year=2024)
    assert year_2024.total.participants == 5
    assert year_2024.total.feedback_average is None


def test_upcoming_meetings_never_count(keski_suomi):
    OutcomeFactory(meeting=MeetingFactory(regions=[keski_suomi]))
    assert figures_by_year() == []


def test_statistics_page_shows_the_summary_and_shares(client, outcomes):
    response = client.get("/en/network/statistics/")
    content = response.content.decode()
    assert "2 meetings" in content and "in 2 regions" in content
    assert "40 participants" in content
    assert "75 % from associations" in content
    assert "feedback 3.8 / 4" in content
    assert "1000" not in content
