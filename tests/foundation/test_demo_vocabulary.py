"""The demo data files (kohtaamispaikat/demo/data/) load, hold what the generator needs, and a
mistake in one is reported with the file, the place in it and what is wrong."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from kohtaamispaikat.demo import datafiles
from kohtaamispaikat.demo.datafiles import DATA_DIR, DemoDataError
from kohtaamispaikat.demo.towns import ALAND, load_town_data
from kohtaamispaikat.demo.vocabulary import ORGANISER_KINDS, load_vocabulary
from network.models import Meeting
from places.models import Audience, Municipality, Place, Region

# The job titles network.py gives coordinators.
COORDINATOR_TITLES = {
    "perhekeskuskoordinaattori",
    "järjestöagentti",
    "hyvinvointikoordinaattori",
    "kohtaamispaikkakoordinaattori",
    "yhteisötyön koordinaattori",
}


@pytest.fixture
def data_copy(tmp_path):
    """A copy of the data files to break; the cached loaders read it as a directory of its own."""
    directory = tmp_path / "data"
    shutil.copytree(DATA_DIR, directory)
    return directory


def replace_in(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_place_kind_has_names_and_descriptions_in_finnish():
    words = load_vocabulary()
    assert [kind.key for kind in words.place_kinds] == [
        "family",
        "youth",
        "village",
        "living",
        "peer",
        "carers",
        "seniors",
        "multicultural",
        "unemployed",
        "disability",
        "parish",
        "summer",
    ]
    for kind in words.place_kinds:
        for texts in filter(None, (kind.finnish, kind.swedish)):
            assert texts.prefixes and texts.proper_names, kind.key
            assert texts.intros and texts.middles and texts.price_notes, kind.key
            assert all("{name}" in intro for intro in texts.intros), kind.key
            assert texts.regional_associations, kind.key
        assert kind.schedules or kind.seasonal_only, kind.key
    swedish_kinds = {kind.key for kind in words.place_kinds if kind.swedish}
    assert {"family", "youth", "village", "living", "seniors", "multicultural"} <= swedish_kinds


@pytest.mark.django_db
def test_place_kinds_name_only_what_the_site_knows():
    words = load_vocabulary()
    audiences = set(Audience.objects.values_list("slug", flat=True))
    for kind in words.place_kinds:
        slugs = {*kind.audiences, *(slug for slug, _chance in kind.optional_audiences)}
        assert slugs <= audiences, kind.key
        assert {role for role, _weight in kind.organisers} <= set(ORGANISER_KINDS), kind.key
        assert set(kind.amenities) <= set(Place.Amenity.values), kind.key
        assert {code for code, _p in kind.extra_languages} <= set(Place.Language.values)
        for schedule in [*kind.schedules, *kind.summer_schedules]:
            for weekdays, opens, closes in schedule:
                assert weekdays and set(weekdays) <= set(range(1, 8)) and opens != closes


def test_schedules_are_read_as_weekday_numbers_and_times():
    family = load_vocabulary().place_kinds_by_key["family"]
    assert family.schedules[0] == (((1, 3, 5), "09:00", "12:00"),)
    assert family.evening_extras[0] == (0.3, (((2,), "17:00", "19:30"),))
    assert family.finnish.prefixes[0] == ("Perhekahvila", 6)
    assert family.finnish.price_notes[-1] == ("Kerhomaksu 10 €/kausi", False)


def test_network_texts_cover_every_kind_of_meeting_and_coordinator():
    words = load_vocabulary()
    assert set(words.meeting_topics) == set(Meeting.Kind.values)
    assert set(words.meeting_descriptions) == set(Meeting.Kind.values)
    assert set(words.coordinator_introductions) == COORDINATOR_TITLES
    assert set(words.town_hall) == {"kaupunki", "kunta"}
    assert all(words.agenda_items)


@pytest.mark.django_db
def test_every_municipality_and_region_has_what_a_town_needs():
    data = load_town_data()
    assert set(Region.objects.values_list("code", flat=True)) <= set(data.regions)
    codes = set(Municipality.objects.values_list("code", flat=True))
    assert set(data.curated) <= codes
    assert data.bilingual <= codes and data.sami_homeland <= codes
    assert data.curated["091"].genitive == "Helsingin"
    assert data.curated["710"].postal_town == "Tammisaari"
    assert data.curated["091"].weight == 660.0
    assert data.regions["13"].genitive == "Keski-Suomen"
    aland = Municipality.objects.filter(region_id=ALAND).values_list("code", flat=True)
    for code in data.curated:
        if code in aland:
            assert data.curated[code].municipality_word in ("stad", "kommun")
    counties = [code for codes in data.uusimaa_counties.values() for code in codes]
    assert len(counties) == len(set(counties)), "a municipality in two Uusimaa counties"


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("place_kinds.toml", "[youth]\n", "[youth\n", "place_kinds.toml: not valid TOML"),
        (
            "place_kinds.toml",
            '"ma ke pe 09:00-12:00"',
            '"ma ke px 09:00-12:00"',
            '[family] schedules: "ma ke px 09:00-12:00": px is not a day',
        ),
        (
            "place_kinds.toml",
            '"ma ke pe 09:00-12:00"',
            '"ma ke pe 9-12"',
            '[family] schedules: "9-12": hours must be written like 09:00-12:00',
        ),
        ("place_kinds.toml", "\nintros = [", "\nintro = [", "[family.fi] intros: missing"),
        (
            "place_kinds.toml",
            "organisers = { association = 4,",
            "organisers = { assocation = 4,",
            '[family] organisers: has "assocation"',
        ),
        (
            "place_kinds.toml",
            '"{name} on avoin kohtaamispaikka',
            '"{nimi} on avoin kohtaamispaikka',
            '[family.fi] intros: "{nimi} on avoin',
        ),
        (
            "place_kinds.toml",
            "weight = 20\n",
            'weight = "20"\n',
            "[family] weight: must be a number",
        ),
        (
            "place_kinds.toml",
            "summer_probability = 0.15",
            "summer_probability = 15",
            "[family] summer_probability: must be between 0 and 1, not 15",
        ),
        (
            "place_kinds.toml",
            "summer_probability = 0.15",
            "summer_probability = 0.15\nsummer_probabilty = 0.2",
            "[family]: unknown key summer_probabilty (misspelt?)",
        ),
        (
            "regions.toml",
            '"047", "148", "758", "890"',
            "",
            "[languages] sami_homeland: must not be empty",
        ),
        (
            "network.toml",
            "\nworkshop = [",
            "\nworkshops = [",
            "[meeting_titles]: has no workshop",
        ),
        ("regions.toml", '[regions.13]\ngenitive = "', '[regions.13]\ngenitiv = "', "[regions.13]"),
        (
            "towns.csv",
            "179,Jyväskylän,kaupunki,40100,148,",
            "179,Jyväskylän,kaupunki,40100,,",
            "line",
        ),
        (
            "towns.csv",
            "179,Jyväskylän,kaupunki,40100,148,",
            "179,Jyväskylän,kaupunki,40100,paljon,",
            'the weight must be a number, not "paljon"',
        ),
        ("towns.csv", "code,genitive,", "koodi,genitive,", "must be the header"),
    ],
)
def test_a_malformed_file_is_reported_where_it_is_wrong(data_copy, file, old, new, message):
    replace_in(data_copy / file, old, new)
    loader = load_town_data if file in ("regions.toml", "towns.csv") else load_vocabulary
    with pytest.raises(DemoDataError) as raised:
        loader(data_copy)
    assert message in str(raised.value)
    assert str(data_copy / file) in str(raised.value)


def test_a_missing_file_is_named(data_copy):
    (data_copy / "people.toml").unlink()
    with pytest.raises(DemoDataError, match="people.toml: the demo data file is missing"):
        load_vocabulary(data_copy)


def test_the_data_files_must_be_utf8(data_copy):
    (data_copy / "towns.csv").write_bytes("code,genitive\n091,Hämeen\n".encode("latin-1"))
    with pytest.raises(DemoDataError, match="not UTF-8"):
        load_town_data(data_copy)


@pytest.mark.django_db
def test_demo_data_reports_a_broken_file_without_loading_anything(monkeypatch, data_copy):
    replace_in(data_copy / "people.toml", "first_names = [", "first_names = [[")
    monkeypatch.setattr(datafiles, "DATA_DIR", data_copy)
    with pytest.raises(CommandError, match="A demo data file needs fixing: .*people.toml"):
        call_command("demo_data", places=3, meetings=1)
    assert not Place.objects.exists()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('kind = "space_offered"', 'kind = "room"', '"room" is not a kind'),
        ('status = "pending"', 'status = "waiting"', '"waiting" is not a status'),
        ("valid_days = 120", "valid_days = 400", "must be between 1 and 180"),
        ('frequency = "weekly"', 'frequency = "daily"', '"daily" is not one of'),
        ('title = "Perhekahvila', 'titel = "Perhekahvila', r"\[practices\[1\]\] title: missing"),
    ],
)
def test_a_mistake_in_the_board_file_is_named(data_copy, old, new, message):
    from kohtaamispaikat.demo.board import load_board

    replace_in(data_copy / "board.toml", old, new)
    with pytest.raises(DemoDataError, match=message) as error:
        load_board(data_copy)
    assert "board.toml" in str(error.value)
