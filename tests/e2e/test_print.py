"""Print (#20) in Chromium: the filtered list and a place's poster printed to PDF on A4, read
back with poppler's pdftotext (and the poster's QR code from pdftoppm's picture of the page)."""

import re
import shutil
import subprocess

import pytest
import zxingcpp
from PIL import Image

from tests.e2e.helpers import open_page

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed"),
]


def print_to_pdf(page, url, path):
    open_page(page, url)
    page.pdf(path=str(path), format="A4", prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    fields = dict(line.split(":", 1) for line in info.stdout.splitlines() if ":" in line)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text, int(fields["Pages"]), fields["Page size"].strip().endswith("(A4)")


def test_the_list_prints_on_a4_with_hours_and_addresses(page, site_url, directory, tmp_path):
    text, pages, a4 = print_to_pdf(
        page, site_url("/places/?municipality=179&audience=lapsiperheet", "en"), tmp_path / "l.pdf"
    )
    assert a4, "not printed on A4"
    flat = " ".join(text.split())
    for name in ("Perhekahvila Aurinko", "Perhetupa Kuu", "Vauvapiiri Tähti"):
        assert name in flat
    assert "Seniorien olohuone" not in flat
    # The week's hours in full and each place's address, instead of "open now".
    assert re.search(r"Opening hours: (Mon|daily|every day)", flat, re.I), flat
    assert site_url("/places/perhekahvila-aurinko/", "en") in flat.replace(" ", "")
    assert "Open now" not in flat
    # No navigation, filters, skip links or footer on paper.
    for chrome in (
        "Skip to content",
        "Skip the filters",
        "Show these places on a map",
        "Open data",
        "Sign in for organisations",
        "Filter",
    ):
        assert chrome not in flat, chrome
    assert pages >= 1


def test_the_municipality_page_prints_its_address(page, site_url, directory, tmp_path):
    text, _pages, a4 = print_to_pdf(
        page, site_url("/municipalities/jyvaskyla/", "en"), tmp_path / "m.pdf"
    )
    flat = " ".join(text.split())
    assert a4, "not printed on A4"
    assert "Meeting places in Jyväskylä" in flat
    assert site_url("/municipalities/jyvaskyla/", "en") in flat.replace(" ", "")
    assert re.search(r"Opening hours: (Mon|daily|every day)", flat, re.I), flat
    assert "Skip to content" not in flat and "Open data" not in flat


def test_a_places_poster_is_one_a4_page_whose_qr_code_opens_the_place(
    page, site_url, directory, tmp_path
):
    url = site_url("/places/perhekahvila-aurinko/", "en")
    pdf = tmp_path / "poster.pdf"
    text, pages, a4 = print_to_pdf(page, url + "print/", pdf)
    assert a4 and pages == 1, pages
    flat = " ".join(text.split())
    for expected in (
        "Perhekahvila Aurinko",
        "For whom: Families with children",
        "Opening hours",
        "Remontti",
        "014 123 4567",
        "aurinko@example.org",
        "Perhepalvelut ry",
    ):
        assert expected in flat, expected
    assert url in flat.replace(" ", "")
    assert "Print this page" not in flat and "Skip to content" not in flat
    # The printed code, as a phone's camera would see it on the paper.
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(tmp_path / "poster")],
        check=True,
    )
    results = zxingcpp.read_barcodes(Image.open(tmp_path / "poster.png"))
    assert [result.text for result in results] == [url]
