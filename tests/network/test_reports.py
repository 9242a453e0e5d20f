"""Reports for decision makers (#17): /network/reports/, its charts, and its CSV and Excel
downloads, which must hold the same numbers as the page."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from html import unescape
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.utils import timezone

from network.reports import PER_INHABITANTS
from network.statistics import figures_by_year
from places.models import Place
from tests.factories import (
    FeedbackFactory,
    FollowUpFactory,
    OutcomeFactory,
    PlaceFactory,
    VisitCountFactory,
    WeeklyHoursFactory,
    audience,
    municipality,
)

pytestmark = pytest.mark.django_db

REPORTS = "/en/network/reports/"
POPULATION_CSV = Path(settings.BASE_DIR) / "places" / "data" / "population.csv"
MUNICIPALITIES_CSV = Path(settings.BASE_DIR) / "places" / "data" / "municipalities.csv"


def reference_population(region_code=None, municipality_code=None):
    """Population straight from the reference files, not from the database."""
    with MUNICIPALITIES_CSV.open(encoding="utf-8") as handle:
        region_of = {row["code"]: row["region_code"] for row in csv.DictReader(handle)}
    with POPULATION_CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return sum(
        int(row["population"])
        for row in rows
        if (region_code is None or region_of[row["code"]] == region_code)
        and (municipality_code is None or row["code"] == municipality_code)
    )


def page_tables(html):
    """{table id: [[cell text, ...], ...]} of the page's report tables, headings first."""
    tables = {}
    for key, body in re.findall(
        r'<table class="report-table" id="table-([\w-]+)">(.*?)</table>', html, re.S
    ):
        rows = []
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            rows.append([unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells])
        tables[key] = rows
    return tables


def number(text):
    """A page cell (English: 1,234.50; a dash for no figure) as a Decimal, or the text."""
    if text in ("–", ""):
        return None
    plain = text.replace(",", "")
    try:
        return Decimal(plain)
    except ArithmeticError:
        return text


def same(page_cell, download_cell):
    expected = number(page_cell)
    if download_cell in (None, ""):
        return expected is None
    if isinstance(expected, Decimal):
        return expected == Decimal(str(download_cell).replace("'", ""))
    return str(download_cell).lstrip("'") == expected


@pytest.fixture
def content():
    """Places in Jyväskylä and Helsinki, visits of two years, feedback and a held meeting."""
    families, youth = audience("lapsiperheet"), audience("nuoret")
    today = timezone.localdate()
    jkl = [
        PlaceFactory(municipality=municipality("179"), audiences=[families]),
        PlaceFactory(municipality=municipality("179"), audiences=[families, youth]),
        PlaceFactory(municipality=municipality("992"), audiences=[youth]),  # Äänekoski, 13
    ]
    helsinki = PlaceFactory(municipality=municipality("091"), audiences=[families])
    PlaceFactory(municipality=municipality("179"), is_published=False, audiences=[families])
    for weekday in range(1, 6):
        WeeklyHoursFactory(place=jkl[0], weekday=weekday, opens=dt.time(10), closes=dt.time(14))
    for month in range(1, today.month + 1):
        VisitCountFactory(place=jkl[0], year=today.year, month=month, visits=100, first_time=10)
        VisitCountFactory(place=jkl[0], year=today.year - 1, month=month, visits=80)
        VisitCountFactory(place=helsinki, year=today.year, month=month, visits=1000)
    FeedbackFactory.create_batch(5, place=jkl[0], participation=4, safety=3, happiness=2)
    FeedbackFactory.create_batch(4, place=helsinki, participation=1)
    outcome = OutcomeFactory(meeting__regions=[municipality("179").region])
    FollowUpFactory(outcome=outcome, municipality=municipality("179"), plan="=HYPERLINK(1)")
    FollowUpFactory(outcome=outcome, municipality=municipality("091"), plan="Helsingin suunnitelma")
    return {"jkl": jkl, "helsinki": helsinki, "outcome": outcome}


def report(client, query=""):
    response = client.get(REPORTS + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_report_is_public_trilingual_and_linked_from_the_network_pages(client, content):
    for prefix, heading in (("", "Raportti"), ("/sv", "Rapport"), ("/en", "Report")):
        page = client.get(f"{prefix}/network/reports/").content.decode()
        assert f"<h1>{heading}" in page
    assert 'href="/en/network/reports/"' in client.get("/en/network/").content.decode()


def test_places_per_10000_inhabitants_follow_the_reference_population(client, content):
    tables = page_tables(report(client, "?region=13"))
    rows = {row[0]: row for row in tables["places"][1:]}
    population_13 = reference_population(region_code="13")
    population_fi = reference_population()
    # Region 13: three published places, two for families; Finland: four, three for families.
    all_places = rows["All audiences"]
    assert number(all_places[1]) == 3
    assert number(all_places[2]) == round(Decimal(3 * PER_INHABITANTS) / population_13, 2)
    assert number(all_places[4]) == 4
    assert number(all_places[5]) == round(Decimal(4 * PER_INHABITANTS) / population_fi, 2)
    families = rows["Families with children"]
    assert number(families[1]) == 2
    assert number(families[2]) == round(Decimal(2 * PER_INHABITANTS) / population_13, 2)
    # Municipalities of region 13 without any place: all but Jyväskylä and Äänekoski.
    municipalities_13 = sum(1 for row in tables["no_places"][1:])
    assert number(all_places[3]) == municipalities_13
    assert "Jyväskylä" not in [row[0] for row in tables["no_places"]]
    page = report(client, "?region=13")
    assert "Population on 31 December 2022" in page


def test_one_municipality_against_the_country(client, content):
    tables = page_tables(report(client, "?municipality=179"))
    families = {row[0]: row for row in tables["places"][1:]}["Families with children"]
    assert number(families[1]) == 2  # the unpublished one does not count
    population = reference_population(municipality_code="179")
    expected = round(Decimal(2 * PER_INHABITANTS) / population, 2)
    assert number(families[2]) == expected


def test_open_hours_come_from_the_hours_engine(client, content):
    place = content["jkl"][0]
    expected = Place.objects.with_hours().get(pk=place.pk).open_hours_in_week()
    assert expected == 20
    rows = page_tables(report(client, "?municipality=179"))["hours"]
    assert rows[1][1] == "20.0"  # all places together: only this one has hours
    assert rows[4][1] == "1"  # places with hours entered


def test_visits_per_month_this_year_against_last_year_totals_only(client, content):
    today = timezone.localdate()
    page = report(client, "?region=13")
    rows = page_tables(page)["visits"]
    assert rows[0][1:3] == [str(today.year), str(today.year - 1)]
    january = rows[1]
    assert [number(cell) for cell in january[1:]] == [100, 80, Decimal("25.0")]
    if today.month < 12:
        assert rows[12][1] == "–"  # December is not over yet
    whole_year = rows[13]
    assert number(whole_year[1]) == 100 * today.month
    totals = {row[0]: row for row in page_tables(page)["visit_totals"][1:]}
    assert number(totals["Visits"][1]) == 100 * today.month
    assert number(totals["Visits"][2]) == 1100 * today.month  # Finland
    assert number(totals["First-time visitors (%)"][1]) == Decimal("10.0")
    # Totals only: no place is named in the visit tables.
    for place in content["jkl"]:
        assert place.name not in page


def test_feedback_averages_need_five_answers(client, content):
    rows = {row[0]: row for row in page_tables(report(client, "?region=13"))["feedback"][1:]}
    assert number(rows["Did you feel you could take part?"][1]) == Decimal("4.00")
    assert number(rows["Did you feel safe?"][1]) == Decimal("3.00")
    assert number(rows["Answers"][1]) == 5
    helsinki = {
        row[0]: row for row in page_tables(report(client, "?municipality=091"))["feedback"][1:]
    }
    assert helsinki["Did you feel you could take part?"][1] == "–"  # four answers only
    assert number(helsinki["Answers"][1]) == 4
    # The country has nine answers: its averages include Helsinki's.
    assert number(helsinki["Did you feel you could take part?"][2]) == round(
        Decimal(5 * 4 + 4 * 1) / 9, 2
    )


def test_network_figures_are_the_statistics_figures_and_plans_follow_the_area(client, content):
    page = report(client, "?region=13")
    tables = page_tables(page)
    statistics = figures_by_year(year=timezone.localdate().year)[0]
    region_row = next(row for row in tables["meetings"][1:] if row[0] == "Keski-Suomi")
    region_figures = next(f for f in statistics.regions if f.region.code == "13")
    assert number(region_row[1]) == region_figures.meetings
    assert number(region_row[2]) == region_figures.participants
    assert number(region_row[-1]) == round(region_figures.feedback_average, 2)
    plans = tables["follow_ups"]
    assert [row[0] for row in plans[1:]] == ["Jyväskylä"]
    assert plans[1][3] == "=HYPERLINK(1)"
    assert "Helsingin suunnitelma" not in page


def test_every_table_downloads_as_csv_and_xlsx_with_the_pages_numbers(client, content):
    query = "?region=13"
    tables = page_tables(report(client, query))
    assert len(tables) == 9
    whole = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/en/network/reports.xlsx{query}").content)
    )
    assert sorted(whole.sheetnames) == sorted(tables)
    for key, rows in tables.items():
        response = client.get(f"{REPORTS}{key}.csv{query}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        csv_rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert len(csv_rows) == len(rows), key
        for page_row, csv_row in zip(rows, csv_rows, strict=True):
            assert all(same(a, b) for a, b in zip(page_row, csv_row, strict=True)), (
                key,
                page_row,
                csv_row,
            )
        one = openpyxl.load_workbook(io.BytesIO(client.get(f"{REPORTS}{key}.xlsx{query}").content))
        for book in (one, whole):
            sheet = book[key]
            sheet_rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
            sheet_rows = sheet_rows[: len(rows)]
            for page_row, sheet_row in zip(rows, sheet_rows, strict=True):
                assert all(same(a, b) for a, b in zip(page_row, sheet_row, strict=False)), (
                    key,
                    page_row,
                    sheet_row,
                )


def test_text_that_looks_like_a_formula_stays_text_in_the_downloads(client, content):
    plans = list(csv.reader(io.StringIO(client.get(f"{REPORTS}follow_ups.csv").content.decode())))
    assert [row[3] for row in plans[1:]].count("'=HYPERLINK(1)") == 1
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{REPORTS}follow_ups.xlsx").content))
    cells = [cell for row in book["follow_ups"].iter_rows() for cell in row]
    formula_like = [cell for cell in cells if cell.value == "=HYPERLINK(1)"]
    assert formula_like and all(cell.data_type == "s" for cell in formula_like)


@pytest.mark.parametrize(
    "query",
    [
        "?region=99",
        "?year=abc",
        "?year=1999",
        "?year=99999999999999999999999",
        f"?year={dt.date.today().year + 1}",
        "?municipality=<script>",
        "?county=xx&subregion=%00",
        "?region=13&region=01",
        "?municipality=091&region=13",
    ],
)
def test_bad_values_get_a_message_never_a_server_error(client, content, query):
    response = client.get(REPORTS + query)
    assert response.status_code in (200, 400)
    page = response.content.decode()
    assert "<script>" not in page.split("<main", 1)[-1]
    if response.status_code == 200 and "&" not in query:
        assert 'class="notice notice--error" role="alert"' in page
    download = client.get(f"{REPORTS}places.csv{query}")
    assert download.status_code in (200, 400)


def test_a_bad_value_names_the_field_and_downloads_refuse_it(client, content):
    page = report(client, "?region=99&year=2026")
    assert "Region: Unknown code “99”" in page
    download = client.get(f"{REPORTS}places.csv?region=99")
    assert download.status_code == 400
    assert "Region" in download.content.decode()
    assert client.get(f"{REPORTS}nothing.csv").status_code == 404
    empty = report(client, "?municipality=091&region=13")
    assert "No municipality lies in all the chosen areas" in empty


def test_charts_are_static_svg_with_title_and_description(client, content):
    page = report(client, "?region=13")
    charts = re.findall(r"<svg[^>]*class=\"chart pygal-chart\".*?</svg>", page, re.S)
    assert len(charts) == 3
    for chart in charts:
        assert 'role="img"' in chart and "aria-labelledby=" in chart
        assert "<title" in chart and "<desc" in chart
        assert "<script" not in chart and "<style" not in chart and "style=" not in chart
    main = page.split("<main", 1)[1]
    assert "<script" not in main


def test_the_page_prints_on_a4():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text(encoding="utf-8")
    assert re.search(r"@page report \{[^}]*size: A4", css)
    assert ".report-page { page: report; }" in css


def grow(times):
    from network.models import SurveyResponse
    from tests.factories import SurveyFactory, SurveyQuestionFactory

    families = audience("lapsiperheet")
    today = timezone.localdate()
    baseline = SurveyFactory(status="closed")
    follow_up = SurveyFactory(
        status="open", baseline=baseline, period_start=baseline.period_start + dt.timedelta(1)
    )
    for index in range(times):
        place = PlaceFactory(municipality=municipality(("179", "091", "992")[index % 3]))
        place.audiences.set([families])
        WeeklyHoursFactory(place=place, weekday=1 + index % 5)
        VisitCountFactory(place=place, year=today.year, month=1, visits=10 + index)
        FeedbackFactory(place=place)
        outcome = OutcomeFactory(meeting__regions=[place.municipality.region])
        FollowUpFactory(outcome=outcome, municipality=place.municipality)
        for survey in (baseline, follow_up):
            question = SurveyQuestionFactory(survey=survey, key=f"q{index}")
            response = SurveyResponse.objects.create(survey=survey, place=place, status="submitted")
            response.answers.create(question=question, number=index % 4 + 1)


@pytest.mark.parametrize("query", ["", "?region=13&year=2026", "?municipality=179"])
def test_a_constant_number_of_queries_at_any_size(client, django_assert_max_num_queries, query):
    grow(2)
    with django_assert_max_num_queries(20) as small:
        report(client, query)
    grow(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        report(client, query)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"/en/network/reports.xlsx{query}")


def test_survey_results_show_the_change_from_the_baseline_from_three_places(client, content):
    from network.models import SurveyResponse
    from tests.factories import SurveyFactory, SurveyQuestionFactory

    baseline = SurveyFactory(title="Lähtötaso", status="closed")
    follow_up = SurveyFactory(
        title="Seuranta",
        status="closed",
        baseline=baseline,
        period_start=baseline.period_start + dt.timedelta(days=60),
    )
    for survey in (baseline, follow_up):
        SurveyQuestionFactory(survey=survey, key="osallisuus", text="Osallisuus?")
    places = [*content["jkl"][:2], PlaceFactory(municipality=municipality("179"))]
    for survey, values in ((baseline, (1, 2, 3)), (follow_up, (3, 3, 4))):
        question = survey.questions.get()
        for place, value in zip(places, values, strict=True):
            response = SurveyResponse.objects.create(
                survey=survey, place=place, status="submitted", submitted_at=timezone.now()
            )
            response.answers.create(question=question, number=value)
    rows = page_tables(report(client, "?region=13"))[f"survey-{follow_up.pk}"]
    by_area = {row[1]: row for row in rows[1:]}
    assert [number(cell) for cell in by_area["Keski-Suomi"][2:]] == [
        Decimal("2.00"),
        Decimal("3.33"),
        Decimal("1.33"),
        3,
        3,
    ]
    assert [number(cell) for cell in by_area["Jyväskylä"][2:5]] == [
        Decimal("2.00"),
        Decimal("3.33"),
        Decimal("1.33"),
    ]
    # Helsinki's report has no Keski-Suomi survey.
    assert f"survey-{follow_up.pk}" not in page_tables(report(client, "?municipality=091"))
