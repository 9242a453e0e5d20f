import csv

import pytest
from django.utils import translation

from places.models import Audience, Municipality, Region
from places.reference_data import DATA_DIR, DEFAULT_AUDIENCES

pytestmark = pytest.mark.django_db


def test_all_nineteen_regions_with_official_codes():
    codes = list(Region.objects.values_list("code", flat=True))
    assert len(codes) == 19
    assert "03" not in codes
    assert codes[0] == "01" and codes[-1] == "21"


def test_all_308_municipalities_with_codes_kept_as_text():
    assert Municipality.objects.count() == 308
    helsinki = Municipality.objects.get(code="091")
    assert (helsinki.name_fi, helsinki.name_sv, helsinki.region.name_fi) == (
        "Helsinki",
        "Helsingfors",
        "Uusimaa",
    )


@pytest.mark.parametrize(
    ("code", "name", "region_code", "region_name"),
    [
        ("179", "Jyväskylä", "13", "Keski-Suomi"),
        ("171", "Joroinen", "11", "Pohjois-Savo"),
        ("478", "Maarianhamina", "21", "Ahvenanmaa"),
        ("214", "Kankaanpää", "04", "Satakunta"),
    ],
)
def test_known_municipalities_sit_in_their_regions(code, name, region_code, region_name):
    municipality = Municipality.objects.select_related("region").get(code=code)
    assert municipality.name_fi == name
    assert municipality.region.code == region_code
    assert municipality.region.name_fi == region_name


def test_merged_municipalities_are_gone():
    assert not Municipality.objects.filter(name_fi__in=["Honkajoki", "Pertunmaa"]).exists()


def test_database_matches_the_shipped_csv_row_for_row():
    with open(DATA_DIR / "municipalities.csv", encoding="utf-8") as handle:
        rows = {row["code"]: row for row in csv.DictReader(handle)}
    stored = {m.code: m for m in Municipality.objects.all()}
    assert stored.keys() == rows.keys()
    for code, row in rows.items():
        municipality = stored[code]
        assert municipality.name_fi == row["name_fi"]
        assert municipality.name_sv == row["name_sv"]
        assert municipality.region_id == row["region_code"]
        assert float(municipality.latitude) == pytest.approx(float(row["lat"]))
        assert float(municipality.longitude) == pytest.approx(float(row["lon"]))


def test_municipality_slugs_are_readable_and_unique():
    assert Municipality.objects.get(code="179").slug == "jyvaskyla"
    assert Municipality.objects.values("slug").distinct().count() == 308


def test_names_follow_the_active_language():
    turku = Municipality.objects.get(code="853")
    with translation.override("sv"):
        assert str(turku) == "Åbo"
        assert str(turku.region) == "Egentliga Finland"
    with translation.override("fi"):
        assert str(turku) == "Turku"
    with translation.override("en"):
        assert str(turku) == "Turku"


def test_default_audiences_in_three_languages():
    assert Audience.objects.count() == len(DEFAULT_AUDIENCES)
    families = Audience.objects.get(slug="lapsiperheet")
    with translation.override("sv"):
        assert str(families) == "Barnfamiljer"
    with translation.override("en"):
        assert str(families) == "Families with children"
    assert set(Audience.objects.values_list("name_fi", flat=True)) >= {
        "Kaikille",
        "Lapsiperheet",
        "Nuoret",
        "Ikäihmiset",
        "Omaishoitajat",
        "Kesäasukkaat",
    }
