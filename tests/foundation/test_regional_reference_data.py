"""Sub-regions, wellbeing services counties, population and postal areas (#17), checked
against the shipped CSVs row for row, and the population refresh command."""

import csv

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import translation

from places.models import Municipality, PostalArea, SubRegion, WellbeingCounty
from places.reference_data import DATA_DIR

pytestmark = pytest.mark.django_db


def csv_rows(filename):
    with open(DATA_DIR / filename, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_municipality_in_its_subregion_as_in_the_csv():
    stored = dict(Municipality.objects.values_list("code", "subregion_id"))
    rows = csv_rows("subregions.csv")
    assert len(rows) == 308
    assert {row["code"]: row["subregion_code"] for row in rows} == stored
    names = {s.code: (s.name_fi, s.name_sv) for s in SubRegion.objects.all()}
    assert len(names) == 69
    for row in rows:
        assert names[row["subregion_code"]] == (row["subregion_fi"], row["subregion_sv"])


def test_a_subregion_lies_in_the_region_of_its_municipalities():
    for municipality in Municipality.objects.select_related("subregion"):
        assert municipality.subregion.region_id == municipality.region_id
    assert SubRegion.objects.get(name_fi="Jyväskylä").region.name_fi == "Keski-Suomi"


def test_every_municipality_in_its_wellbeing_county_as_in_the_csv():
    stored = dict(Municipality.objects.values_list("code", "wellbeing_county_id"))
    expected = {
        row["code"]: (None if row["county_code"] == "91" else row["county_code"])
        for row in csv_rows("wellbeing_counties.csv")
    }
    assert stored == expected
    names = {c.code: (c.name_fi, c.name_sv) for c in WellbeingCounty.objects.all()}
    for row in csv_rows("wellbeing_counties.csv"):
        if row["county_code"] != "91":
            assert names[row["county_code"]] == (row["county_fi"], row["county_sv"])


def test_twenty_one_counties_and_helsinki_and_none_for_aland():
    codes = list(WellbeingCounty.objects.values_list("code", flat=True))
    assert len(codes) == 22
    assert codes[:21] == [f"{n:02d}" for n in range(1, 22)]
    helsinki = Municipality.objects.get(code="091").wellbeing_county
    assert helsinki.code == "90" and helsinki.is_city
    assert not WellbeingCounty.objects.get(code="15").is_city
    aland = Municipality.objects.filter(region__code="21")
    assert aland.count() == 16
    assert not aland.filter(wellbeing_county__isnull=False).exists()
    assert Municipality.objects.filter(wellbeing_county__isnull=True).count() == 16


def test_population_and_its_year_as_in_the_csv():
    stored = {m.code: (m.population, m.population_year) for m in Municipality.objects.all()}
    expected = {
        row["code"]: (int(row["population"]), int(row["year"]))
        for row in csv_rows("population.csv")
    }
    assert stored == expected
    assert Municipality.objects.aggregate(total=Sum("population"))["total"] == 5_563_970
    assert Municipality.objects.get(code="091").population == 664_028


def test_postal_areas_as_in_the_csv():
    rows = csv_rows("postcodes.csv")
    stored = {a.code: (a.name_fi, a.name_sv, a.municipality_id) for a in PostalArea.objects.all()}
    assert stored == {
        row["postcode"]: (row["name_fi"], row["name_sv"], row["municipality_code"]) for row in rows
    }
    assert len(stored) == 3026


def test_a_postal_code_of_another_municipality_is_noticed():
    jyvaskyla = Municipality.objects.get(code="179")
    helsinki_area = PostalArea.municipality_mismatch("00100", jyvaskyla)
    assert helsinki_area.municipality.name_fi == "Helsinki"
    assert PostalArea.municipality_mismatch("00100", "091") is None
    assert PostalArea.municipality_mismatch("40100", jyvaskyla) is None
    # A code that is not (yet) in the key is no reason to warn.
    assert PostalArea.municipality_mismatch("99999", jyvaskyla) is None


def test_new_names_follow_the_active_language():
    county = WellbeingCounty.objects.get(code="15")
    with translation.override("sv"):
        assert str(county) == "Mellersta Finlands välfärdsområde"
    with translation.override("fi"):
        assert str(county) == "Keski-Suomen hyvinvointialue"


def write_population(path, rows, header="code,population,year"):
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return str(path)


def all_rows(year="2024", bump=1):
    return [
        f"{row['code']},{int(row['population']) + bump},{year}"
        for row in csv_rows("population.csv")
    ]


def test_refresh_population_replaces_every_figure_and_year(tmp_path, capsys):
    call_command("refresh_population", write_population(tmp_path / "p.csv", all_rows()))
    helsinki = Municipality.objects.get(code="091")
    assert (helsinki.population, helsinki.population_year) == (664_029, 2024)
    assert Municipality.objects.aggregate(total=Sum("population"))["total"] == 5_563_970 + 308
    assert not Municipality.objects.exclude(population_year=2024).exists()
    assert "Updated 308 municipalities" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda rows: rows[:-1], "missing from the file"),
        (lambda rows: [*rows, rows[0]], "appears twice"),
        (lambda rows: [*rows[1:], "999,10,2024"], "unknown municipality code '999'"),
        (lambda rows: ["005,-3,2024", *rows[1:]], "column population"),
        (lambda rows: ["005,many,2024", *rows[1:]], "column population"),
        (lambda rows: ["005,9000,2999", *rows[1:]], "column year"),
    ],
)
def test_refresh_population_changes_nothing_when_a_row_is_wrong(tmp_path, capsys, change, message):
    path = write_population(tmp_path / "p.csv", change(all_rows()))
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("refresh_population", path)
    assert message in capsys.readouterr().err
    assert Municipality.objects.get(code="091").population == 664_028
    assert not Municipality.objects.exclude(population_year=2022).exists()


def test_refresh_population_refuses_another_shape(tmp_path, capsys):
    path = write_population(tmp_path / "p.csv", all_rows(), header="kunta,asukkaat,vuosi")
    with pytest.raises(CommandError):
        call_command("refresh_population", path)
    assert "header must be code,population,year" in capsys.readouterr().err


def test_refresh_population_names_an_unreadable_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("refresh_population", str(tmp_path / "missing.csv"))
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("refresh_population", str(binary))
