"""Figures of the held network meetings, per region and year.

Only public meetings that were held (published and over) and have a recorded outcome count;
drafts, cancelled and postponed meetings never do. A meeting for several regions is a meeting
held in each of them, but its participants and feedback respondents are divided equally among
its regions, so that the regions' participants add up to the total (the page says so).
Everything is aggregated in the database: two queries whatever the number of meetings.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, FloatField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Cast, ExtractYear
from django.utils import timezone

from network.models import Meeting, Outcome
from places.models import Region

ASSOCIATIONS = "participants_associations"


@dataclass
class Figures:
    """Meetings, participants and feedback of one region (or all regions) in one year."""

    year: int
    meetings: int = 0
    participants_by_sector: dict = field(default_factory=dict)
    feedback_points: Decimal = Decimal(0)
    feedback_respondents: int = 0
    region: Region | None = None
    region_count: int = 0

    @property
    def participants(self):
        """People who took part; a fraction where a meeting of several regions is shared."""
        total = sum(self.participants_by_sector.values())
        return int(total) if total == int(total) else total

    @property
    def respondent_count(self):
        """Respondents to the nearest whole person, for the plural of the hint beside the mean."""
        return round(self.feedback_respondents)

    @property
    def feedback_average(self):
        """Mean feedback (1–4), each meeting weighted by its number of respondents."""
        if not self.feedback_respondents:
            return None
        return self.feedback_points / self.feedback_respondents

    def share(self, sector):
        """Percentage of participants from ``sector`` (a field of Outcome.SECTOR_FIELDS)."""
        if not self.participants:
            return None
        return 100 * self.participants_by_sector.get(sector, 0) / self.participants

    @property
    def association_share(self):
        return self.share(ASSOCIATIONS)

    def sector_shares(self):
        """(label, participants, percentage) for every sector, in the order of the form."""
        return [
            (label, self.participants_by_sector.get(name, 0), self.share(name))
            for name, label in Outcome.sectors()
        ]


@dataclass
class YearFigures:
    year: int
    total: Figures
    regions: list


def _meeting_region_count():
    """The number of regions of the outcome's meeting, as a subquery."""
    return Subquery(
        Meeting.regions.through.objects.filter(meeting=OuterRef("meeting"))
        .order_by()
        .values("meeting")
        .annotate(count=Count("pk"))
        .values("count")
    )


def _aggregates(shared_among_regions=False):
    """The figures' aggregates; with ``shared_among_regions`` each meeting's people are divided
    by its number of regions."""
    with_feedback = Q(feedback_average__isnull=False)

    def share(expression):
        if not shared_among_regions:
            return expression
        return Cast(expression, FloatField()) / _meeting_region_count()

    return {
        "meeting_count": Count("pk"),
        **{name: Sum(share(F(name))) for name in Outcome.SECTOR_FIELDS},
        "feedback_points": Sum(
            share(F("feedback_average") * F("feedback_respondents")),
            filter=with_feedback,
            output_field=FloatField()
            if shared_among_regions
            else DecimalField(max_digits=14, decimal_places=2),
        ),
        "respondents": Sum(share(F("feedback_respondents")), filter=with_feedback),
    }


def _exact(number):
    """An aggregate as Decimal; a share of people (a float) to a hundredth of a person."""
    if isinstance(number, float):
        return Decimal(str(round(number, 2))).normalize()
    return Decimal(number or 0)


def _figures(row, **extra):
    return Figures(
        year=row["year"],
        meetings=row["meeting_count"],
        participants_by_sector={
            name: _exact(row[name]) if row[name] else 0 for name in Outcome.SECTOR_FIELDS
        },
        feedback_points=_exact(row["feedback_points"]),
        feedback_respondents=_exact(row["respondents"]) if row["respondents"] else 0,
        **extra,
    )


def figures_by_year(year=None, now=None):
    """YearFigures, latest year first: all regions together, and each region apart.

    A meeting held in several regions counts once in the total and as a meeting in each
    region, its participants and respondents divided equally among its regions.
    """
    outcomes = Outcome.objects.filter(meeting__in=Meeting.objects.held(now))
    if year is not None:
        outcomes = outcomes.filter(meeting__start__year=year)
    per_year = outcomes.values(year=ExtractYear("meeting__start")).annotate(**_aggregates())
    per_region = outcomes.values(
        year=ExtractYear("meeting__start"), region_code=F("meeting__regions")
    ).annotate(**_aggregates(shared_among_regions=True))
    regions = Region.objects.in_bulk()

    region_figures = {}
    for row in per_region.order_by("year", "region_code"):
        figures = _figures(row, region=regions[row["region_code"]])
        region_figures.setdefault(row["year"], []).append(figures)
    years = []
    for row in per_year.order_by("-year"):
        in_regions = region_figures.get(row["year"], [])
        total = _figures(row, region_count=len(in_regions))
        years.append(YearFigures(year=row["year"], total=total, regions=in_regions))
    return years


def figures_this_year(now=None):
    """This year's figures (in Helsinki time), or None before the first meeting of the year."""
    now = now or timezone.now()
    year = timezone.localtime(now).year
    return next(iter(figures_by_year(year=year, now=now)), None)
