"""Visitor figures (#17): one row per place and month, no negatives or future months, a warning
for a figure ten times the usual, the month grid and the door counter scoped by role, and an
import that saves all rows or none."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from places.models import VisitCount
from places.visits import import_visits
from tests.factories import (
    OrganizationFactory,
    PlaceFactory,
    VisitCountFactory,
    municipality,
    organisation_staff,
    regional_coordinator,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_YEAR = TODAY.year - 1


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def org():
    return OrganizationFactory(name="Oma ry")


@pytest.fixture
def place(org):
    return PlaceFactory(name="Oma olohuone", slug="oma-olohuone", organization=org)


@pytest.fixture
def staff(org):
    return organisation_staff(org, username="jasen")


def months_of(place, year, figures):
    for month, visits in enumerate(figures, start=1):
        VisitCountFactory(place=place, year=year, month=month, visits=visits)


# The model ------------------------------------------------------------------------------------


def test_one_row_per_place_and_month_is_a_database_constraint(place):
    VisitCountFactory(place=place, year=LAST_YEAR, month=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitCount.objects.create(place=place, year=LAST_YEAR, month=3, visits=5)


@pytest.mark.parametrize(
    "values",
    [{"visits": -1}, {"visits": 10, "first_time": 11}, {"month": 13}, {"month": 0}],
)
def test_negative_figures_and_impossible_months_are_refused_by_the_database(place, values):
    fields = {"place": place, "year": LAST_YEAR, "month": 3, "visits": 10, **values}
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitCount.objects.create(**fields)


def test_a_future_month_is_refused_with_a_message(place):
    next_month = (TODAY.replace(day=28) + dt.timedelta(days=7)).replace(day=1)
    count = VisitCount(place=place, year=next_month.year, month=next_month.month, visits=3)
    with pytest.raises(ValidationError) as error:
        count.full_clean()
    assert "this month and earlier" in str(error.value)
    VisitCount(place=place, year=TODAY.year, month=TODAY.month, visits=3).full_clean()


def test_the_usual_figure_is_the_median_of_the_other_recent_months(place):
    months_of(place, LAST_YEAR, [100, 120, 80, 5000])
    usual = VisitCount.objects.usual_by_place([place.pk], excluding=[(place.pk, LAST_YEAR, 4)])
    assert usual == {place.pk: 100}
    assert VisitCount(visits=1000).unusual_against(100)
    assert not VisitCount(visits=999).unusual_against(100)
    assert not VisitCount(visits=10**6).unusual_against(None)


# The month grid -------------------------------------------------------------------------------


def grid_url(place, year):
    return f"{reverse('admin:places_visitcount_grid')}?place={place.pk}&year={year}"


def grid_post(**months):
    data = {f"visits_{m}": "" for m in range(1, 13)} | {f"first_time_{m}": "" for m in range(1, 13)}
    for key, value in months.items():
        data[key] = str(value)
    return data


def test_staff_enter_a_year_on_the_month_grid(client, staff, place):
    client.force_login(staff)
    page = client.get(grid_url(place, LAST_YEAR))
    html = page.content.decode()
    assert page.status_code == 200
    # Every input has its own label naming the month.
    assert f'for="id_visits_1">Visits, January {LAST_YEAR}' in html
    assert f'for="id_first_time_12">First-time visitors, December {LAST_YEAR}' in html
    response = client.post(
        grid_url(place, LAST_YEAR), grid_post(visits_1=100, first_time_1=20, visits_2=90)
    )
    assert response.status_code == 302
    assert dict(place.visit_counts.values_list("month", "visits")) == {1: 100, 2: 90}
    assert place.visit_counts.get(month=1).first_time == 20
    # Emptying a month removes its figure.
    client.post(grid_url(place, LAST_YEAR), grid_post(visits_1=100, first_time_1=20))
    assert list(place.visit_counts.values_list("month", flat=True)) == [1]


def test_the_grid_warns_of_a_figure_ten_times_the_usual_and_saves_it_when_confirmed(
    client, staff, place
):
    months_of(place, LAST_YEAR, [100, 110, 90])
    client.force_login(staff)
    figures = grid_post(visits_1=100, visits_2=110, visits_3=90, visits_4=1000)
    response = client.post(grid_url(place, LAST_YEAR), figures)
    assert response.status_code == 200
    assert "1000 visits is ten times the usual 100" in response.content.decode()
    assert not place.visit_counts.filter(month=4).exists()
    response = client.post(grid_url(place, LAST_YEAR), {**figures, "confirm_unusual": "on"})
    assert response.status_code == 302
    assert place.visit_counts.get(month=4).visits == 1000


def test_the_grid_refuses_first_timers_beyond_the_visits_and_future_months(client, staff, place):
    client.force_login(staff)
    response = client.post(grid_url(place, LAST_YEAR), grid_post(visits_1=10, first_time_1=11))
    assert "cannot be more than the visits" in response.content.decode()
    assert not place.visit_counts.exists()
    if TODAY.month < 12:
        client.post(grid_url(place, TODAY.year), grid_post(visits_12=5))
        assert not place.visit_counts.filter(month=12).exists()


def test_coordinators_read_their_regions_figures_and_cannot_change_them(client, place):
    VisitCountFactory(place=place, year=LAST_YEAR, month=1, visits=77)
    coordinator = regional_coordinator("13", username="koordinaattori")
    client.force_login(coordinator)
    page = client.get(grid_url(place, LAST_YEAR))
    assert page.status_code == 200
    assert 'value="77"' in page.content.decode()
    assert "disabled" in page.content.decode()
    assert client.post(grid_url(place, LAST_YEAR), grid_post(visits_1=1)).status_code == 403
    assert place.visit_counts.get().visits == 77
    changelist = client.get(reverse("admin:places_visitcount_changelist"))
    assert "Oma olohuone" in changelist.content.decode()


def test_no_one_reaches_another_organisations_or_regions_figures(client, staff):
    other = PlaceFactory(
        name="Vieras paikka", municipality=municipality("091"), postal_code="00100"
    )
    count = VisitCountFactory(place=other, year=LAST_YEAR, month=1)
    for user in (staff, regional_coordinator("13", username="koordinaattori")):
        client.force_login(user)
        assert client.get(grid_url(other, LAST_YEAR)).status_code == 200  # the choice is refused
        assert "Vieras paikka" not in client.get(grid_url(other, LAST_YEAR)).content.decode()
        assert client.post(grid_url(other, LAST_YEAR), grid_post(visits_1=1)).status_code in (
            200,
            403,
        )
        changelist = client.get(reverse("admin:places_visitcount_changelist"))
        assert "Vieras paikka" not in changelist.content.decode()
        change = client.get(reverse("admin:places_visitcount_change", args=[count.pk]))
        assert change.status_code == 302  # "not found", as for a missing row
    count.refresh_from_db()
    assert count.visits == 120


def test_the_admin_form_warns_of_an_unusual_figure(client, staff, place):
    months_of(place, LAST_YEAR, [10, 12, 8])
    client.force_login(staff)
    data = {
        "place": place.pk,
        "year": LAST_YEAR,
        "month": 5,
        "visits": 500,
        "audiences-TOTAL_FORMS": 0,
        "audiences-INITIAL_FORMS": 0,
    }
    url = reverse("admin:places_visitcount_add")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "ten times the usual 10" in response.content.decode()
    assert client.post(url, {**data, "confirm_unusual": "on"}).status_code == 302
    assert place.visit_counts.get(month=5).visits == 500


# The door counter -----------------------------------------------------------------------------


def test_the_counter_adds_one_visit_to_this_month(client, staff, place):
    client.force_login(staff)
    assert "Count a visit to Oma olohuone" in client.get(reverse("places:counter")).content.decode()
    for _tap in range(3):
        response = client.post(reverse("places:counter"), {"place": place.pk})
        assert response.status_code == 302
    assert place.visit_counts.get(year=TODAY.year, month=TODAY.month).visits == 3
    page = client.get(response.url)
    assert "3 visits this month" in page.content.decode()


def test_the_counter_needs_sign_in_post_csrf_and_an_own_place(client, staff, place):
    assert client.get(reverse("places:counter")).status_code == 302
    assert client.post(reverse("places:counter"), {"place": place.pk}).status_code == 302
    other = PlaceFactory(name="Vieras paikka")
    client.force_login(staff)
    response = client.post(reverse("places:counter"), {"place": other.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not VisitCount.objects.exists()
    csrf_client = client.__class__(enforce_csrf_checks=True)
    csrf_client.force_login(staff)
    assert csrf_client.post(reverse("places:counter"), {"place": place.pk}).status_code == 403


# The import -----------------------------------------------------------------------------------


def test_the_import_saves_every_row(place, tmp_path, capsys):
    VisitCountFactory(place=place, year=LAST_YEAR, month=1, visits=1)
    path = tmp_path / "visits.csv"
    path.write_text(
        f"place,year,month,visits,first_time\n"
        f"oma-olohuone,{LAST_YEAR},1,100,10\n"
        f"oma-olohuone,{LAST_YEAR},2,90,\n",
        encoding="utf-8",
    )
    call_command("import_visits", str(path))
    assert dict(place.visit_counts.values_list("month", "visits")) == {1: 100, 2: 90}
    assert "1 new month(s), 1 updated" in capsys.readouterr().out


def test_one_bad_row_saves_nothing_and_names_row_and_column(place, tmp_path):
    path = tmp_path / "visits.csv"
    path.write_text(
        f"place,year,month,visits\n"
        f"oma-olohuone,{LAST_YEAR},1,100\n"
        f"oma-olohuone,{LAST_YEAR},2,-5\n"
        f"tuntematon,{LAST_YEAR},13,5\n"
        f"oma-olohuone,{LAST_YEAR},1,100\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="Nothing was saved: 4 problem"):
        call_command("import_visits", str(path))
    assert not VisitCount.objects.exists()
    report = import_visits(path.read_text())
    assert report.errors == [
        "Row 3, column “visits”: “-5” is not a whole number of zero or more.",
        "Row 4, column “place”: no meeting place you may enter figures for has the slug "
        "“tuntematon”.",
        "Row 4, column “month”: a month is from 1 to 12.",
        "Row 5: the same place and month are already on row 2.",
    ]


def test_the_import_refuses_future_months_and_unknown_columns(place):
    report = import_visits(f"place,year,month,visits\noma-olohuone,{TODAY.year + 1},1,5\n")
    assert report.errors == [
        "Row 2, column “month”: the month is in the future: count it when it is over."
    ]
    report = import_visits("place,year,month,visitors\n")
    assert "lacks the column(s): visits" in report.errors[0]
    assert "Unknown column(s): visitors" in report.errors[1]


def test_an_unusual_figure_stops_the_import_until_confirmed(place, tmp_path):
    months_of(place, LAST_YEAR, [100, 100, 100])
    path = tmp_path / "visits.csv"
    path.write_text(f"place;year;month;visits\noma-olohuone;{LAST_YEAR};4;1000\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--confirm-unusual"):
        call_command("import_visits", str(path))
    assert not place.visit_counts.filter(month=4).exists()
    call_command("import_visits", str(path), "--confirm-unusual")
    assert place.visit_counts.get(month=4).visits == 1000


def test_the_import_of_a_missing_or_binary_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_visits", str(tmp_path / "missing.csv"))
    binary = tmp_path / "visits.xlsx"
    binary.write_bytes(b"PK\x03\x04\x00\x00")
    with pytest.raises(CommandError, match="not a CSV file"):
        call_command("import_visits", str(binary))
