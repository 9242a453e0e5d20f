"""Dates as written in Finland in every language: 12.8.2026 in Finnish and Swedish,
"12 August 2026" in English, never the US 08/12/2026 (which a Finn reads as 8 December)."""

import datetime as dt

import pytest
from django.utils import formats, translation

from tests.factories import ListingFactory, PlaceFactory

pytestmark = pytest.mark.django_db

AUGUST_12 = dt.date(2026, 8, 12)


@pytest.mark.parametrize(
    ("language", "written"),
    [("fi", "12.8.2026"), ("sv", "12.8.2026"), ("en", "12 August 2026")],
)
def test_short_dates_follow_the_languages_conventions(language, written):
    with translation.override(language):
        assert formats.date_format(AUGUST_12, "SHORT_DATE_FORMAT") == written


@pytest.mark.parametrize(
    ("prefix", "written"),
    [("", "Tiedot tarkistettu 12.8.2026"), ("/sv", "12.8.2026"), ("/en", "on 12 August 2026")],
)
def test_the_place_page_writes_the_check_date_in_the_visitors_convention(client, prefix, written):
    place = PlaceFactory(last_verified=AUGUST_12)
    content = client.get(f"{prefix}/places/{place.slug}/").content.decode()
    assert written in content
    assert "08/12/2026" not in content


def test_english_date_input_is_never_read_month_first():
    with translation.override("en"):
        day_first = [
            dt.datetime.strptime("08/12/2026", pattern).date()
            for pattern in formats.get_format("DATE_INPUT_FORMATS")
            if "/" in pattern
        ]
    assert day_first == [dt.date(2026, 12, 8)]


def test_the_notice_board_writes_validity_in_the_visitors_convention(client):
    listing = ListingFactory(valid_until=dt.date.today() + dt.timedelta(days=30))
    english = client.get(f"/en/network/board/{listing.slug}/").content.decode()
    assert formats.date_format(listing.valid_until, "j F Y") in english
