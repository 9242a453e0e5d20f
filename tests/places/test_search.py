"""Searching places as a resident types: compound parts, prefixes, inflection, one typo,
audiences, Swedish and English pages, and input that is not a search at all."""

import pytest
from django.db import connection

from places import voikko
from tests.factories import PlaceFactory, audience

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the search of Finnish needs PostgreSQL"
)
with_voikko = pytest.mark.skipif(not voikko.available(), reason="Voikko is not installed")


def found(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return [place.name for place in response.context["places"]]


@pytest.fixture
def cafes(db):
    return {
        "family": PlaceFactory(
            name="Perhekahvila Aamu",
            audiences=[audience("lapsiperheet")],
            description="Vauvaryhmä ja muskari.",
        ),
        "youth": PlaceFactory(
            name="Nuorisokahvila Väylä",
            audiences=[audience("nuoret")],
            description="Pelejä ja läksykerho.",
        ),
        "meeting": PlaceFactory(
            name="Kylän kohtaamispaikka",
            audiences=[audience("ikaihmiset")],
            description="",
            name_sv="Byns mötesplats",
            name_en="Village meeting place",
        ),
        "library": PlaceFactory(
            name="Lukusali",
            description="Kirjaston kahvila on auki arkisin.",
            description_en="The library's family corner is open on weekdays.",
        ),
        "mothers": PlaceFactory(name="Äitien olohuone", description=""),
    }


@on_postgresql
def test_the_tail_of_a_compound_finds_the_compound(client, cafes):
    assert found(client, "/places/?q=kahvila") == [
        "Nuorisokahvila Väylä",
        "Perhekahvila Aamu",
        "Lukusali",
    ]


@on_postgresql
def test_a_prefix_and_an_inflected_word_find_the_place(client, cafes):
    assert found(client, "/places/?q=kohtaamis") == ["Kylän kohtaamispaikka"]
    assert found(client, "/places/?q=kirjastossa") == ["Lukusali"]
    assert found(client, "/places/?q=nuorisokahvilan") == ["Nuorisokahvila Väylä"]


@on_postgresql
def test_one_typo_still_finds_the_place(client, cafes):
    assert found(client, "/places/?q=kohtamispaikka") == ["Kylän kohtaamispaikka"]
    assert found(client, "/places/?q=nuorisokahvla") == ["Nuorisokahvila Väylä"]


@on_postgresql
def test_typos_are_tolerated_only_when_exact_matches_are_few(client, cafes):
    for number in range(3):
        PlaceFactory(name=f"Perhetalo {number}")
    # "perhetalo" matches three places exactly; "Perhekahvila" is one letter away in
    # trigrams but not offered among them.
    assert sorted(found(client, "/places/?q=perhetalo")) == [
        "Perhetalo 0",
        "Perhetalo 1",
        "Perhetalo 2",
    ]


@on_postgresql
def test_audiences_are_searched_in_every_inflection(client, cafes):
    assert found(client, "/places/?q=ikäihmisille") == ["Kylän kohtaamispaikka"]
    assert found(client, "/places/?q=nuorille") == ["Nuorisokahvila Väylä"]


@on_postgresql
def test_names_rank_above_descriptions(client, cafes):
    names = found(client, "/places/?q=kahvila")
    assert names.index("Lukusali") == len(names) - 1


@on_postgresql
def test_every_word_must_match(client, cafes):
    assert found(client, "/places/?q=kahvila muskari") == ["Perhekahvila Aamu"]
    assert found(client, "/places/?q=kahvila lohikäärme") == []


@on_postgresql
def test_swedish_and_english_pages_search_with_their_own_stemmers(client, cafes):
    # Only the Swedish stemmer takes "mötesplatser" to the "mötesplats" of the Swedish name.
    assert found(client, "/sv/places/?q=mötesplatser") == ["Kylän kohtaamispaikka"]
    assert found(client, "/places/?q=mötesplatser") == []
    # The English description, and the audience "Families with children".
    assert sorted(found(client, "/en/places/?q=families")) == ["Lukusali", "Perhekahvila Aamu"]
    # Finnish words still find Finnish content on the other languages' pages.
    assert found(client, "/sv/places/?q=kohtaamispaikka") == ["Kylän kohtaamispaikka"]


@on_postgresql
@with_voikko
def test_with_voikko_inflected_compounds_and_their_parts_are_found(client, cafes):
    assert found(client, "/places/?q=perhekahviloissa") == ["Perhekahvila Aamu"]
    PlaceFactory(name="Kahvila perheille")
    assert sorted(found(client, "/places/?q=perhekahvila")) == [
        "Kahvila perheille",
        "Perhekahvila Aamu",
    ]


@on_postgresql
def test_without_voikko_stems_prefixes_and_trigrams_still_work(client, cafes, monkeypatch):
    monkeypatch.setattr(voikko, "analyse", lambda word: ())
    assert found(client, "/places/?q=kahvila")[:2] == ["Nuorisokahvila Väylä", "Perhekahvila Aamu"]
    assert found(client, "/places/?q=kohtamispaikka") == ["Kylän kohtaamispaikka"]
    assert found(client, "/places/?q=perhe") == ["Perhekahvila Aamu"]


def test_case_is_ignored_for_finnish_letters_too(client, cafes):
    assert found(client, "/places/?q=ÄITIEN") == ["Äitien olohuone"]
    assert found(client, "/places/?q=äitien") == ["Äitien olohuone"]


def test_the_simple_search_finds_substrings(client, cafes):
    assert "Nuorisokahvila Väylä" in found(client, "/places/?q=kahvila")


@pytest.mark.parametrize(
    "query",
    [
        "%01%02%7F",
        "kahvila%1B%5B31m",
        "%E2%80%8B%E2%80%AE",
        "%21%26%7C%3A%2A%28%29%5C%27",
        "+".join(["sana"] * 60),
        "a" * 199,
        "%F0%9F%98%80",
    ],
)
def test_input_that_is_not_a_search_is_answered_not_failed(client, cafes, query):
    response = client.get(f"/places/?q={query}")
    assert response.status_code == 200


def test_a_null_character_is_refused_with_a_message(client, cafes):
    response = client.get("/en/places/?q=kahvila%00")
    assert response.status_code == 400
    assert response.content
