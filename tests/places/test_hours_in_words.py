"""The hours in words (places.hours.hours_in_words): the one text renderer of the opening hours,
read by people on the place page, in the admin and in the CSV import's preview (#14)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from places.hours import hours_in_words
from places.osm_hours import parse_opening_hours
from tests.factories import HoursExceptionFactory, PlaceFactory, WeeklyHoursFactory


def words(text, language="fi", **options):
    parsed = parse_opening_hours(text)
    with translation.override(language):
        return str(
            hours_in_words(
                parsed.rules,
                parsed.closures,
                parsed.closed_on_public_holidays,
                parsed.closed_on_eves,
                **options,
            )
        )


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Mo-Fr 09:00-16:00; Jun 01-Aug 15 Tu 10:00-13:00; Jun 01-Aug 15 Mo,We-Fr off; PH off",
            "fi",
            "ma–pe 9–16, kesällä 1.6.–15.8. ti 10–13, suljettu juhlapyhinä",
        ),
        (
            "Mo-Fr 09:00-16:00; Jun 01-Aug 15 Tu 10:00-13:00; Jun 01-Aug 15 Mo,We-Fr off; PH off",
            "sv",
            "mån–fre 9–16, på sommaren 1.6.–15.8. tis 10–13, stängt på helgdagar",
        ),
        (
            "Mo-Fr 09:00-16:00; Jun 01-Aug 15 Tu 10:00-13:00; Jun 01-Aug 15 Mo,We-Fr off; PH off",
            "en",
            "Mon–Fri 9–16, in summer 1 June–15 August Tue 10–13, closed on public holidays",
        ),
        (
            "Mo,We 09:30-12:00,13:00-15:45; Sa 10:00-14:00",
            "fi",
            "ma, ke 9.30–12 ja 13–15.45, la 10–14, juhlapyhinä auki kuten muinakin päivinä",
        ),
        ("Mo,We 09:30-12:00", "en", "Mon, Wed 9:30–12, open on public holidays as on other days"),
        (
            "Mo-Fr 09:00-15:00; PH 12:00-16:00; Dec 24-Jan 06 off",
            "fi",
            "ma–pe 9–15, juhlapyhinä 12–16, suljettu 24.12.–6.1.",
        ),
        (
            "Mo-Fr 09:00-15:00; PH off; Jun 19-25 Fr off; Dec 24 off; Dec 31 off",
            "fi",
            "ma–pe 9–15, suljettu juhlapyhinä, suljettu juhannus-, joulu- ja uudenvuodenaattona",
        ),
        (
            "Fr 20:00-02:00; Su 18:00-24:00",
            "fi",
            "pe 20–2, su 18–24, juhlapyhinä auki kuten muinakin päivinä",
        ),
        ("24/7", "fi", "ma–su 0–24, juhlapyhinä auki kuten muinakin päivinä"),
        (
            "Sep-May Tu 10:00-12:00; PH off",
            "fi",
            "1.9.–31.5. ti 10–12, suljettu juhlapyhinä",
        ),
        (
            "Tu 10:00-12:00; week 01-53/2 Th 17:00-19:00; Fr[-1] 14:00-16:00; PH off",
            "fi",
            "ti 10–12, to 17–19 (parittomat viikot), pe 14–16 (kuukauden viimeinen), "
            "suljettu juhlapyhinä",
        ),
    ],
)
def test_hours_read_in_words_in_each_language(text, language, expected):
    assert words(text, language) == expected


def test_a_dated_season_has_its_years_and_an_open_end_says_so():
    assert words(
        "Mo 10:00-12:00; 2027 Jun 01-2027 Aug 31 Tu 10:00-13:00; 2027 Jun 01-2027 Aug 31 Mo off"
    ) == ("ma 10–12, kesällä 1.6.2027–31.8.2027 ti 10–13, juhlapyhinä auki kuten muinakin päivinä")
    assert "1.6.2027 alkaen ti 10–13" in words(
        "Mo 10:00-12:00; 2027 Jun 01+ Tu 10:00-13:00; 2027 Jun 01+ Mo off"
    )


def test_a_season_over_is_left_out_when_asked_for_what_is_coming():
    text = "Mo 10:00-12:00; 2020 Jun 01-2020 Aug 31 Tu 10:00-13:00; 2020 Jun 01-2020 Aug 31 Mo off"
    assert "2020" in words(text)
    assert "2020" not in words(text, today=dt.date(2026, 1, 1))
    # A yearly season always comes again.
    assert "kesällä" in words("Jun-Aug Tu 10:00-13:00", today=dt.date(2026, 9, 1))


def test_no_hours_are_not_known_rather_than_closed():
    with translation.override("fi"):
        assert (
            str(hours_in_words([], [], True)) == "Aukioloaikoja ei tiedetä: ota yhteyttä paikkaan."
        )


@pytest.mark.django_db
def test_the_place_page_shows_coming_seasons_in_words(client):
    place = PlaceFactory(closed_on_public_holidays=True)
    for weekday in range(1, 6):
        WeeklyHoursFactory(place=place, weekday=weekday, opens=dt.time(9), closes=dt.time(16))
    WeeklyHoursFactory(
        place=place,
        weekday=2,
        opens=dt.time(10),
        closes=dt.time(13),
        valid_from=dt.date(2000, 6, 1),
        valid_until=dt.date(2000, 8, 15),
        recurs_yearly=True,
    )
    WeeklyHoursFactory(
        place=place,
        weekday=3,
        opens=dt.time(10),
        closes=dt.time(13),
        valid_from=dt.date(2001, 6, 1),
        valid_until=dt.date(2001, 8, 31),
    )
    HoursExceptionFactory(
        place=place,
        start_date=dt.date(2000, 12, 24),
        end_date=dt.date(2000, 1, 6),
        recurs_yearly=True,
        closed=True,
    )
    content = client.get(reverse("places:detail", args=[place.slug])).content.decode()
    assert "Tavallisesti: ma–pe 9–16" in content
    assert "Kesällä 1.6.–15.8.: ti 10–13" in content
    assert "Suljettu 24.12.–6.1." in content
    assert "2001" not in content  # a season long over
    swedish = client.get("/sv" + reverse("places:detail", args=[place.slug])).content.decode()
    assert "På sommaren 1.6.–15.8.: tis 10–13" in swedish
