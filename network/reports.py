"""Reports for decision makers (#17): ``/network/reports/``.

One *area* (the whole country, or the municipalities that lie in the chosen region, sub-region,
wellbeing services county and municipality) in one year, beside the same figures of the whole
country. Every section is a ``ReportTable``: the page, its charts, the CSV and the Excel
workbook are all written from the same rows, so they hold the same numbers.

A constant number of queries whatever the amount of data: the municipalities once, and for each
section one or a few aggregates grouped by municipality that are added up in Python for the area
and for the country. Per-place visitor figures never appear: only totals.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from kohtaamispaikat.core.cache import current_data_version
from network.charts import bar_chart, line_chart
from network.models import FollowUp, Meeting, Outcome, Survey
from network.statistics import figures_by_year
from network.surveys import comparison, means_by_municipality
from places.csv_io.columns import as_text_in_spreadsheets
from places.feedback import MIN_ANSWERS, QUESTIONS, FeedbackSummary, add_sums
from places.models import Audience, Feedback, Municipality, Place, VisitCount

PER_INHABITANTS = 10_000
# The public report shows a survey mean only from this many places' answers (the admin shows
# every mean to the region's coordinators).
SURVEY_MIN_RESPONSES = 3
HOURS_CACHE_SECONDS = 60 * 60


def rounded(value, places=2):
    """A figure as shown on the page and written to the downloads (None stays None)."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def per_inhabitants(count, population):
    if not population:
        return None
    return rounded(count * PER_INHABITANTS / population)


def share(part, whole, places=1):
    if not whole:
        return None
    return rounded(100 * part / whole, places)


@dataclass
class ReportTable:
    """A table of the report: a caption, column headings, and rows whose first cell names the
    row. Cells are text, whole numbers, Decimals (already rounded) or None (no figure)."""

    key: str
    title: str
    columns: list
    rows: list
    note: str = ""
    chart: str = ""  # the rendered SVG chart of the same numbers, if any

    def text_columns(self):
        """Indexes of the columns holding text (the page aligns the others as numbers)."""
        return {
            index
            for index in range(len(self.columns))
            if any(isinstance(row[index], str) for row in self.rows)
        }


@dataclass
class Area:
    municipalities: list
    label: str
    is_country: bool

    @cached_property
    def codes(self):
        return frozenset(municipality.code for municipality in self.municipalities)

    @cached_property
    def population(self):
        return sum(municipality.population or 0 for municipality in self.municipalities)

    @property
    def population_years(self):
        return sorted(
            {m.population_year for m in self.municipalities if m.population_year is not None}
        )

    @cached_property
    def region_codes(self):
        return {municipality.region_id for municipality in self.municipalities}


def all_municipalities():
    """Every municipality with its region, sub-region and county, in one query."""
    return list(
        Municipality.objects.select_related("region", "subregion", "wellbeing_county").order_by(
            "name_fi"
        )
    )


def choose_area(municipalities, region=None, subregion=None, county=None, municipality=None):
    """The municipalities matching every given code (None: any), named for the page."""
    chosen = [
        m
        for m in municipalities
        if (region is None or m.region_id == region)
        and (subregion is None or m.subregion_id == subregion)
        and (county is None or m.wellbeing_county_id == county)
        and (municipality is None or m.code == municipality)
    ]
    if not any((region, subregion, county, municipality)):
        return Area(chosen, _("Finland"), is_country=True)
    names = []
    by_code = {m.code: m for m in municipalities}
    if municipality and municipality in by_code:
        names.append(by_code[municipality].name)
    for code, attribute in ((subregion, "subregion"), (county, "wellbeing_county")):
        match = next(
            (
                getattr(m, attribute)
                for m in municipalities
                if getattr(m, f"{attribute}_id") == code
            ),
            None,
        )
        if code and match is not None:
            names.append(match.name)
    if region:
        match = next((m.region for m in municipalities if m.region_id == region), None)
        if match is not None:
            names.append(match.name)
    return Area(chosen, " / ".join(names), is_country=False)


def compared(area, country):
    """The areas a table's columns compare: the area and the whole country, or the country
    alone when it is the area."""
    return [area] if area.is_country else [area, country]


def grouped(number):
    return number_format(number, use_l10n=True, force_grouping=True)


def _summed(by_municipality, codes):
    return sum(by_municipality.get(code, 0) for code in codes)


def places_tables(area, country):
    """Published places per audience per 10,000 inhabitants, and the municipalities with none."""
    published = Place.objects.published().order_by()
    totals = dict(published.values_list("municipality").annotate(count=Count("pk")))
    by_audience = {}
    for code, audience_id, count in (
        published.filter(audiences__isnull=False)
        .values_list("municipality", "audiences")
        .annotate(count=Count("pk"))
    ):
        by_audience.setdefault(audience_id, {})[code] = count
    audiences = list(Audience.objects.all())

    def figures(counts, of):
        places = _summed(counts, of.codes)
        without = sum(1 for code in of.codes if not counts.get(code))
        return [places, per_inhabitants(places, of.population), without]

    areas = compared(area, country)
    rows = [[_("All audiences"), *(cell for of in areas for cell in figures(totals, of))]]
    for audience in audiences:
        counts = by_audience.get(audience.pk, {})
        rows.append([audience.name, *(cell for of in areas for cell in figures(counts, of))])
    years = ", ".join(str(year) for year in country.population_years) or "–"
    columns = [_("Audience")]
    for of in areas:
        columns += [
            _("Places: %(area)s") % {"area": of.label},
            _("Per 10,000 inhabitants: %(area)s") % {"area": of.label},
            _("Municipalities with none: %(area)s") % {"area": of.label},
        ]
    places = ReportTable(
        key="places",
        title=_("Published meeting places per audience per 10,000 inhabitants"),
        columns=columns,
        rows=rows,
        note=_(
            "Population on 31 December %(years)s (Statistics Finland): %(populations)s. A place "
            "for several audiences counts for each."
        )
        % {
            "years": years,
            "populations": ", ".join(f"{of.label} {grouped(of.population)}" for of in areas),
        },
    )
    none = ReportTable(
        key="no_places",
        title=_("Municipalities with no published meeting place: %(area)s") % {"area": area.label},
        columns=[_("Municipality"), _("Region"), _("Population")],
        rows=[
            [m.name, m.region.name, m.population]
            for m in area.municipalities
            if not totals.get(m.code)
        ],
    )
    return places, none


def hours_by_municipality(day):
    """``{municipality code: (open hours in the week of day, places with hours)}`` of the
    published places, read with the hours engine (places.hours). Kept in the cache for the
    data version and the week: only a change to the directory changes it."""
    monday = day - timedelta(days=day.isoweekday() - 1)
    key = f"report-hours:{current_data_version()}:{monday.isoformat()}"
    figures = cache.get(key)
    if figures is None:
        figures = {}
        places = (
            Place.objects.published()
            .only("pk", "municipality_id", "closed_on_public_holidays", "closed_on_eves")
            .order_by()
            .with_hours(since=monday - timedelta(days=1))
        )
        for place in places:
            hours = place.open_hours_in_week(monday)
            if hours is None:
                continue
            total, counted = figures.get(place.municipality_id, (0.0, 0))
            figures[place.municipality_id] = (total + hours, counted + 1)
        cache.set(key, figures, HOURS_CACHE_SECONDS)
    return monday, figures


def hours_table(area, country, today):
    monday, figures = hours_by_municipality(today)

    def column(of):
        hours = sum(figures.get(code, (0, 0))[0] for code in of.codes)
        places = sum(figures.get(code, (0, 0))[1] for code in of.codes)
        return [
            rounded(hours, 1),
            per_inhabitants(hours, of.population),
            rounded(hours / places, 1) if places else None,
            places,
        ]

    areas = compared(area, country)
    columns = [column(of) for of in areas]
    labels = [
        _("Open hours in the week, all places together"),
        _("Open hours per 10,000 inhabitants"),
        _("Average open hours of a place"),
        _("Places with opening hours entered"),
    ]
    return ReportTable(
        key="hours",
        title=_("Opening hours in the week of %(date)s") % {"date": date_format(monday)},
        columns=[_("Figure"), *(of.label for of in areas)],
        rows=[
            [label, *(figures[index] for figures in columns)] for index, label in enumerate(labels)
        ],
        note=_(
            "Hours of that Monday to Sunday as the places' pages show them: seasons, exceptions "
            "and closed holidays included."
        ),
    )


def visits_tables(area, country, year, today):
    """Visits per month in ``year`` against the year before, and first-time visitors' share:
    totals only, never a place's own figures."""
    sums = {}
    for row in (
        VisitCount.objects.filter(year__in=(year, year - 1))
        .order_by()
        .values("place__municipality", "year", "month")
        .annotate(
            visit_sum=Sum("visits"),
            first_time_sum=Sum("first_time"),
            counted_sum=Sum("visits", filter=Q(first_time__isnull=False)),
        )
    ):
        key = (row["year"], row["month"])
        per_municipality = sums.setdefault(key, {})
        per_municipality[row["place__municipality"]] = (
            row["visit_sum"] or 0,
            row["first_time_sum"] or 0,
            row["counted_sum"] or 0,
        )

    def total(of, years, months=range(1, 13), index=0):
        return sum(
            figures[index]
            for y in years
            for m in months
            for code, figures in sums.get((y, m), {}).items()
            if code in of.codes
        )

    rows = []
    for month in range(1, 13):
        future = date(year, month, 1) > today
        this_year = None if future else total(area, [year], [month])
        last_year = total(area, [year - 1], [month])
        change = share(this_year - last_year, last_year) if this_year is not None else None
        rows.append([str(MONTHS[month]).capitalize(), this_year, last_year, change])
    this_total, last_total = total(area, [year]), total(area, [year - 1])
    rows.append(
        [_("Whole year"), this_total, last_total, share(this_total - last_total, last_total)]
    )
    monthly = ReportTable(
        key="visits",
        title=_("Visits per month in %(year)s against %(last)s: %(area)s")
        % {"year": year, "last": year - 1, "area": area.label},
        columns=[_("Month"), str(year), str(year - 1), _("Change (%)")],
        rows=rows,
        note=_("As the places counted them; months not yet over are counted so far."),
    )

    def summary(of):
        first_time = total(of, [year], index=1)
        counted = total(of, [year], index=2)
        return [total(of, [year]), share(first_time, counted)]

    areas = compared(area, country)
    summaries = [summary(of) for of in areas]
    totals = ReportTable(
        key="visit_totals",
        title=_("Visits and first-time visitors in %(year)s") % {"year": year},
        columns=[_("Figure"), *(of.label for of in areas)],
        rows=[
            [_("Visits"), *(figures[0] for figures in summaries)],
            [_("First-time visitors (%)"), *(figures[1] for figures in summaries)],
        ],
        note=_(
            "The share of first-time visitors is of the visits of the months in which they "
            "were counted."
        ),
    )
    return monthly, totals


def feedback_tables(area, country, year):
    by_municipality = Feedback.objects.filter(year=year).sums_by("place__municipality")

    def summary_of(codes):
        return FeedbackSummary.from_row(
            add_sums(by_municipality[code] for code in codes if code in by_municipality)
        )

    areas = compared(area, country)
    summaries = [summary_of(of.codes) for of in areas]
    labels = {name: Feedback._meta.get_field(name).verbose_name for name in QUESTIONS}

    def cells(summary):
        return [
            *(rounded(value) for _name, value in summary.averages()),
            rounded(summary.come_again_share, 1),
            summary.answers,
        ]

    row_labels = [
        *(str(labels[name]) for name in QUESTIONS),
        _("Would come again (%)"),
        _("Answers"),
    ]
    averages = ReportTable(
        key="feedback",
        title=_("Visitors' feedback in %(year)s (averages on a scale of 1–4)") % {"year": year},
        columns=[_("Question"), *(of.label for of in areas)],
        rows=[
            [label, *(cells(summary)[index] for summary in summaries)]
            for index, label in enumerate(row_labels)
        ],
        note=_("Averages are shown from %(minimum)s answers on.") % {"minimum": MIN_ANSWERS},
    )
    rows = []
    for municipality in area.municipalities:
        if municipality.code not in by_municipality:
            continue
        summary = FeedbackSummary.from_row(by_municipality[municipality.code])
        rows.append([municipality.name, summary.answers, *cells(summary)[:4]])
    per_municipality = ReportTable(
        key="feedback_municipalities",
        title=_("Visitors' feedback per municipality in %(year)s") % {"year": year},
        columns=[
            _("Municipality"),
            _("Answers"),
            *(str(labels[name]) for name in QUESTIONS),
            _("Would come again (%)"),
        ],
        rows=rows,
        note=averages.note,
    )
    return averages, per_municipality


def meetings_tables(area, year):
    """The network statistics' figures (network.statistics) of the area's regions, and the
    follow-up plans made for the area's municipalities."""
    year_figures = next(iter(figures_by_year(year=year)), None)
    sectors = Outcome.sectors()
    rows = []

    def row(label, figures):
        return [
            label,
            figures.meetings,
            figures.participants,
            *(figures.participants_by_sector.get(name, 0) for name, _label in sectors),
            rounded(figures.feedback_average),
        ]

    if year_figures is not None:
        for figures in year_figures.regions:
            if area.is_country or figures.region.code in area.region_codes:
                rows.append(row(figures.region.name, figures))
        rows.append(row(_("Finland"), year_figures.total))
    meetings = ReportTable(
        key="meetings",
        title=_("Network meetings held in %(year)s") % {"year": year},
        columns=[
            _("Region"),
            _("Meetings"),
            _("Participants"),
            *(str(label) for _name, label in sectors),
            _("Average feedback (1–4)"),
        ],
        rows=rows,
        note=_(
            "Meetings are recorded per region, as in the network statistics; participants by "
            "sector and the feedback average weighted by respondents."
        ),
    )
    follow_ups = (
        FollowUp.objects.filter(
            outcome__meeting__in=Meeting.objects.held(),
            outcome__meeting__start__year=year,
            municipality__in=area.codes,
        )
        .select_related("municipality", "outcome__meeting")
        .order_by("municipality__name_fi", "outcome__meeting__start", "pk")
    )
    plans = ReportTable(
        key="follow_ups",
        title=_("Follow-up plans per municipality in %(year)s") % {"year": year},
        columns=[_("Municipality"), _("Meeting"), _("Date"), _("Plan")],
        rows=[
            [
                plan.municipality.name,
                plan.outcome.meeting.title,
                date_format(
                    timezone.localtime(plan.outcome.meeting.start).date(), "SHORT_DATE_FORMAT"
                ),
                plan.plan,
            ]
            for plan in follow_ups
        ],
    )
    return meetings, plans


def survey_tables(area, year):
    """For each follow-up survey of the area's regions begun in ``year``: the change from its
    baseline per question, for the region and each of the area's municipalities."""
    surveys = list(
        Survey.objects.filter(
            baseline__isnull=False,
            region__in=area.region_codes,
            period_start__year=year,
        )
        .exclude(status=Survey.Status.DRAFT)
        .select_related("region", "baseline")
        .prefetch_related("questions", "baseline__questions")
        .order_by("region__name_fi", "period_start", "pk")
    )
    if not surveys:
        return []
    means = means_by_municipality(
        [survey.pk for survey in surveys] + [survey.baseline_id for survey in surveys]
    )
    tables = []
    for survey in surveys:
        municipalities = [m for m in area.municipalities if m.region_id == survey.region_id]
        rows = comparison(
            survey, list(survey.questions.all()), municipalities, means, SURVEY_MIN_RESPONSES
        )
        tables.append(
            ReportTable(
                key=f"survey-{survey.pk}",
                title=_("%(survey)s against the baseline “%(baseline)s”")
                % {"survey": survey.title, "baseline": survey.baseline.title},
                columns=[
                    _("Question"),
                    _("Area"),
                    _("Baseline"),
                    _("Follow-up"),
                    _("Change"),
                    _("Places answering the baseline"),
                    _("Places answering the follow-up"),
                ],
                rows=[
                    [
                        row.question.text,
                        row.label,
                        row.baseline.mean,
                        row.follow_up.mean,
                        row.change,
                        row.baseline.responses,
                        row.follow_up.responses,
                    ]
                    for row in rows
                ],
                note=_(
                    "Means of the places' submitted answers (yes or no as the percentage of yes), "
                    "shown from %(minimum)s places' answers on."
                )
                % {"minimum": SURVEY_MIN_RESPONSES},
            )
        )
    return tables


@dataclass
class Report:
    area: Area
    year: int
    tables: list = field(default_factory=list)

    def table(self, key):
        return next((table for table in self.tables if table.key == key), None)


def build_report(municipalities, area, year, today=None):
    today = today or timezone.localdate()
    country = Area(municipalities, _("Finland"), is_country=True)
    places, no_places = places_tables(area, country)
    visits, visit_totals = visits_tables(area, country, year, today)
    feedback, feedback_municipalities = feedback_tables(area, country, year)
    meetings, follow_ups = meetings_tables(area, year)
    tables = [
        places,
        no_places,
        hours_table(area, country, today),
        visits,
        visit_totals,
        feedback,
        feedback_municipalities,
        *survey_tables(area, year),
        meetings,
        follow_ups,
    ]
    attach_charts(places, visits, feedback, compared(area, country))
    return Report(area=area, year=year, tables=tables)


def attach_charts(places, visits, feedback, areas):
    """The charts beside three tables, drawn from the tables' own cells."""
    names = " / ".join(of.label for of in areas)
    places.chart = bar_chart(
        "places",
        places.title,
        _(
            "Bars per audience: published meeting places per 10,000 inhabitants (%(areas)s). "
            "The table below has the same numbers."
        )
        % {"areas": names},
        [row[0] for row in places.rows],
        [(of.label, [row[2 + 3 * index] for row in places.rows]) for index, of in enumerate(areas)],
        horizontal=True,
        decimals=2,
        height=120 + 26 * len(areas) * len(places.rows),
        print_values=False,
    )
    months = visits.rows[:12]
    visits.chart = line_chart(
        "visits",
        visits.title,
        _("Two lines, one per year: visits in each month. The table below has the same numbers."),
        [row[0][:3] for row in months],
        [
            (visits.columns[1], [row[1] for row in months]),
            (visits.columns[2], [row[2] for row in months]),
        ],
        print_values=False,
    )
    questions = feedback.rows[:3]
    feedback.chart = bar_chart(
        "feedback",
        feedback.title,
        _(
            "Bars per question: the average answer from 1 (not at all) to 4 (very much), "
            "where there are enough answers (%(areas)s). The table below has the same numbers."
        )
        % {"areas": names},
        [row[0] for row in questions],
        [(of.label, [row[1 + index] for row in questions]) for index, of in enumerate(areas)],
        decimals=2,
        range=(0, 4),
    )


# Downloads: the same rows as the page --------------------------------------------------------


def _csv_cell(cell):
    if cell is None:
        return ""
    if isinstance(cell, str):
        return as_text_in_spreadsheets(cell)
    return str(cell)


def write_csv(table, stream):
    """The table as CSV: the headings, then the rows; text that a spreadsheet would run as a
    formula is written as text (as the places' CSV does)."""
    writer = csv.writer(stream)
    writer.writerow([_csv_cell(column) for column in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(cell) for cell in row])


def _put(sheet, row, column, value):
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula
    return cell


def workbook(tables):
    """The tables as an Excel workbook, one sheet each: the title, the headings, the rows and
    the note. Returns the file's bytes."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(title=table.key[:31])
        _put(sheet, 1, 1, table.title).font = Font(bold=True, size=13)
        for column, heading in enumerate(table.columns, start=1):
            _put(sheet, 2, column, heading).font = Font(bold=True)
        for number, row in enumerate(table.rows, start=3):
            for column, value in enumerate(row, start=1):
                _put(sheet, number, column, value)
        if table.note:
            _put(sheet, len(table.rows) + 4, 1, table.note)
        sheet.column_dimensions["A"].width = 40
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
