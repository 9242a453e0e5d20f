"""Print (#20): the place's A4 poster with a QR code of its page, and lists that print each
place's hours in full with its address."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
import zxingcpp
from django.contrib.staticfiles import finders
from PIL import Image

from places.feedback import feedback_qr
from places.views import poster_qr_svg
from tests.factories import (
    HoursExceptionFactory,
    PlaceFactory,
    WeeklyHoursFactory,
    audience,
    municipality,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(db):
    place = PlaceFactory(
        name="Perhekahvila Ilta",
        slug="perhekahvila-ilta",
        audiences=[audience("lapsiperheet")],
        contact_name="Maija Meikäläinen",
        phone="040 123 4567",
        email="ilta@example.org",
        website="https://ilta.example.org/",
        hours_note="Myös sopimuksen mukaan.",
        closed_on_public_holidays=True,
    )
    WeeklyHoursFactory(place=place, weekday=4, opens=dt.time(9), closes=dt.time(12))
    WeeklyHoursFactory(place=place, weekday=2, opens=dt.time(17), closes=dt.time(20))
    # A summer season of every year, and last summer's one-off season, which is over.
    WeeklyHoursFactory(
        place=place,
        weekday=3,
        opens=dt.time(10),
        closes=dt.time(14),
        valid_from=dt.date(2026, 6, 1),
        valid_until=dt.date(2026, 8, 31),
        recurs_yearly=True,
    )
    WeeklyHoursFactory(
        place=place,
        weekday=5,
        opens=dt.time(10),
        closes=dt.time(12),
        valid_from=dt.date(2026, 6, 1),
        valid_until=dt.date(2026, 6, 30),
    )
    return place


def decode(qr):
    png = io.BytesIO()
    qr.save(png, kind="png", scale=6)
    png.seek(0)
    return [result.text for result in zxingcpp.read_barcodes(Image.open(png))]


@pytest.mark.parametrize("language", ["", "/sv", "/en"])
def test_the_poster_carries_a_qr_code_of_the_places_absolute_address(client, place, language):
    response = client.get(f"{language}/places/{place.slug}/print/")
    assert response.status_code == 200
    page = response.content.decode()
    absolute = f"http://testserver{language}/places/{place.slug}/"
    svg = re.search(r'<svg viewBox="[^"]+" class="poster__qr">.*?</svg>', page, re.S).group(0)
    assert svg == poster_qr_svg(absolute)
    assert decode(feedback_qr(absolute)) == [absolute]
    assert absolute in page  # printed for those who type it


def test_the_poster_tells_name_hours_in_words_and_contact(client, place):
    HoursExceptionFactory(
        place=place, start_date=dt.date.today() + dt.timedelta(days=3), reason="Remontti"
    )
    page = client.get(f"/en/places/{place.slug}/print/").content.decode()
    for text in (
        "Perhekahvila Ilta",
        "Kauppakatu",
        "For whom: Families with children",
        "Tue 17–20, Thu 9–12",
        "In summer 1 June–31 August Wed 10–14",
        "Closed on public holidays",
        "Myös sopimuksen mukaan.",
        "Remontti",
        "Maija Meikäläinen",
        "040 123 4567",
        "ilta@example.org",
        "https://ilta.example.org/",
    ):
        assert text in page, text
    finnish = client.get(f"/places/{place.slug}/print/").content.decode()
    assert "Ti 17–20" in finnish


def test_a_place_without_hours_says_so(client, db):
    place = PlaceFactory(slug="ilman-aikoja")
    page = client.get("/en/places/ilman-aikoja/print/").content.decode()
    assert "Opening hours not known" in page
    assert place.name in page


def test_only_published_places_have_a_poster(client, db):
    PlaceFactory(slug="luonnos", is_published=False)
    assert client.get("/places/luonnos/print/").status_code == 404
    assert client.get("/places/no-such-place/print/").status_code == 404


def test_the_place_page_links_to_its_poster(client, place):
    assert f"/places/{place.slug}/print/" in client.get(place.get_absolute_url()).content.decode()


def test_the_poster_runs_a_constant_number_of_queries(client, place, django_assert_num_queries):
    with django_assert_num_queries(4):
        assert client.get(f"/places/{place.slug}/print/").status_code == 200


def test_escaping_on_the_poster(client, db):
    PlaceFactory(slug="paha", name="<script>alert(1)</script>", contact_name="<b>x</b>")
    page = client.get("/places/paha/print/").content.decode()
    assert "<script>alert(1)" not in page and "<b>x</b>" not in page


@pytest.mark.parametrize("url", ["/en/places/?municipality=179", "/en/municipalities/jyvaskyla/"])
def test_lists_print_each_places_hours_in_full_and_its_address(client, place, url):
    PlaceFactory(name="Kallion perhetalo", municipality=municipality("091"), postal_code="00530")
    page = client.get(url).content.decode()
    block = re.search(r'<div class="print-only print-hours">(.*?)</div>', page, re.S).group(1)
    assert "Tue 17–20, Thu 9–12, in summer 1 June–31 August Wed 10–14" in block
    assert "30 June 2026" not in block  # last summer's season is over
    assert "Myös sopimuksen mukaan." in block
    assert f"http://testserver/en/places/{place.slug}/" in block


def test_the_print_stylesheet_hides_navigation_and_shows_addresses():
    css = Path(finders.find("css/site.css")).read_text(encoding="utf-8")
    print_rules = " ".join(re.findall(r"@media print \{(.*?)\n\}", css, re.S))
    for selector in (".site-header", ".site-nav", ".filter-form", ".pagination"):
        assert selector in print_rules
    assert 'content: " (" attr(href) ")"' in print_rules
    assert "@page { size: A4 portrait;" in css
