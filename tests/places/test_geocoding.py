"""Imported places without coordinates: a geocoder (a fake Nominatim on 127.0.0.1) or the
municipality's centre, flagged approximate on the map, in the list and in the admin."""

import json
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.forms import FileField
from django.urls import reverse

from places.csv_io import CSV_COLUMNS, import_places
from places.models import Place
from tests.factories import OrganizationFactory, PlaceFactory, regional_coordinator

pytestmark = pytest.mark.django_db

HEADER = ",".join(CSV_COLUMNS[:6])  # name, organization, municipality, address
PTV_PAGES = Path(__file__).resolve().parent.parent / "data" / "ptv"
KOMPASSI = "3c1e7a52-0d4b-4f7e-9b0a-6f1d2c3b4a01"
JYVASKYLA_CENTRE = (Decimal("62.2417"), Decimal("25.7495"))


class FakeNominatim:
    """Answers ``results`` to /search, or ``status``, after ``delay`` seconds."""

    def __init__(self):
        self.results = [{"lat": "62.2426034", "lon": "25.7472567", "display_name": "Kauppakatu 1"}]
        self.status = 200
        self.delay = 0
        self.queries = []

    def handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlparse(self.path)
                fake.queries.append({key: values[0] for key, values in parse_qs(url.query).items()})
                time.sleep(fake.delay)
                if fake.status != 200:
                    self.send_error(fake.status)
                    return
                body = json.dumps(fake.results).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def geocoder(settings):
    fake = FakeNominatim()
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.GEOCODER_URL = f"http://127.0.0.1:{server.server_port}/search"
    settings.GEOCODER_TIMEOUT = 0.5
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def organization():
    return OrganizationFactory(slug="yhdistys-a")


def csv_import(*rows, header=HEADER):
    return import_places("\n".join([header, *rows]) + "\n")


UNLOCATED = "Kylän olohuone,yhdistys-a,179,Kauppakatu 1,40100,Jyväskylä"


def test_a_place_without_coordinates_is_geocoded(geocoder, organization):
    report = csv_import(UNLOCATED)

    assert report.ok and report.notes == []
    place = Place.objects.get()
    assert (place.latitude, place.longitude) == (Decimal("62.242603"), Decimal("25.747257"))
    assert place.location_approximate
    assert geocoder.queries == [
        {
            "street": "Kauppakatu 1",
            "postalcode": "40100",
            "city": "Jyväskylä",
            "countrycodes": "fi",
            "format": "jsonv2",
            "limit": "1",
        }
    ]


def test_without_a_geocoder_the_municipalitys_centre(settings, organization):
    settings.GEOCODER_URL = ""
    report = csv_import(UNLOCATED)

    assert report.ok and report.notes == []
    place = Place.objects.get()
    assert (place.latitude, place.longitude) == JYVASKYLA_CENTRE
    assert place.location_approximate


def test_coordinates_in_the_file_are_exact_and_not_looked_up(geocoder, organization):
    header = ",".join([*CSV_COLUMNS[:6], "latitude", "longitude"])
    csv_import(f"{UNLOCATED},62.2,25.7", header=header)

    place = Place.objects.get()
    assert (place.latitude, place.longitude) == (Decimal("62.2"), Decimal("25.7"))
    assert not place.location_approximate
    assert geocoder.queries == []


def test_coordinates_in_the_file_make_an_approximate_place_exact(settings, organization):
    settings.GEOCODER_URL = ""
    csv_import(UNLOCATED)
    header = ",".join([*CSV_COLUMNS[:6], "latitude", "longitude"])
    csv_import(f"{UNLOCATED},62.2,25.7", header=header)

    place = Place.objects.get()
    assert (place.latitude, not place.location_approximate) == (Decimal("62.2"), True)


@pytest.mark.parametrize(
    ("setup", "note"),
    [
        (lambda fake: setattr(fake, "results", []), "The geocoder did not find"),
        (lambda fake: setattr(fake, "status", 500), "The geocoder did not answer"),
        (lambda fake: setattr(fake, "delay", 2), "The geocoder did not answer"),
        # A point in Stockholm is not a Finnish address's.
        (
            lambda fake: setattr(fake, "results", [{"lat": "59.33", "lon": "18.06"}]),
            "The geocoder did not find",
        ),
        (lambda fake: setattr(fake, "results", {"error": "bad"}), "The geocoder did not answer"),
    ],
    ids=["not found", "server error", "timeout", "outside Finland", "not a result list"],
)
def test_geocoder_failures_fall_back_to_the_centre_with_a_note(
    geocoder, organization, setup, note, settings
):
    settings.LANGUAGE_CODE = "en"
    setup(geocoder)

    report = csv_import(UNLOCATED)

    assert report.ok
    place = Place.objects.get()
    assert (place.latitude, place.longitude) == JYVASKYLA_CENTRE
    assert place.location_approximate
    [problem] = report.notes
    assert problem.row == 2
    assert note in problem.message
    assert "“Kauppakatu 1, 40100, Jyväskylä”" in problem.message
    assert "centre of Jyväskylä" in problem.message


def test_the_command_prints_the_note(geocoder, organization, tmp_path, settings):
    settings.LANGUAGE_CODE = "en"
    geocoder.results = []
    path = tmp_path / "places.csv"
    path.write_text(f"{HEADER}\n{UNLOCATED}\n")
    out = StringIO()
    call_command("import_places", str(path), stdout=out)
    assert "row 2: The geocoder did not find" in out.getvalue()


def test_the_admin_import_shows_the_note(client, geocoder, organization, settings):
    settings.LANGUAGE_CODE = "en"
    geocoder.status = 503
    client.force_login(regional_coordinator("13"))
    url = reverse("admin:places_place_import")
    content = f"{HEADER}\n{UNLOCATED}\n".encode()
    preview = client.post(url, {"file": SimpleUploadedFile("p.csv", content)})
    assert geocoder.queries == []  # the preview asks no geocoder

    response = client.post(url, {"confirm": "1", "token": preview.context["token"]})

    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any(text.startswith("Row 2: The geocoder did not answer") for text in texts)
    assert Place.objects.get().location_approximate


# The PTV import -------------------------------------------------------------------------------


def ptv_page_without_coordinates(tmp_path):
    page = json.loads((PTV_PAGES / "service_channels_page1.json").read_text())
    address = page["itemList"][0]["addresses"][0]["streetAddress"]
    address["latitude"] = address["longitude"] = None
    path = tmp_path / "page1.json"
    path.write_text(json.dumps(page))
    return str(path)


def import_ptv(*files):
    out = StringIO()
    call_command("import_ptv", "--municipality", "179", "--from-file", *files, stdout=out)
    return out.getvalue()


@pytest.fixture
def ptv_organization():
    return OrganizationFactory(ptv_id="5f3b1d2e-8c7a-4e55-9a61-2b7d0c4e9a10")


def test_a_ptv_channel_without_coordinates_is_geocoded_once(geocoder, ptv_organization, tmp_path):
    page = ptv_page_without_coordinates(tmp_path)
    page_2 = str(PTV_PAGES / "service_channels_page2.json")

    import_ptv(page, page_2)
    kompassi = Place.objects.get(ptv_id=KOMPASSI)
    assert (kompassi.latitude, kompassi.longitude) == (Decimal("62.242603"), Decimal("25.747257"))
    assert kompassi.location_approximate
    assert len(geocoder.queries) == 1
    assert geocoder.queries[0]["street"] == "Kauppakatu 1"
    # The others have PTV's coordinates.
    assert Place.objects.filter(location_approximate=True).count() == 1

    output = import_ptv(page, page_2)
    assert "0 luotu, 0 päivitetty, 3 ennallaan" in output
    assert len(geocoder.queries) == 1  # the same address is not looked up again


def test_a_ptv_geocoder_failure_is_reported(geocoder, ptv_organization, tmp_path):
    geocoder.status = 500
    output = import_ptv(
        ptv_page_without_coordinates(tmp_path), str(PTV_PAGES / "service_channels_page2.json")
    )
    kompassi = Place.objects.get(ptv_id=KOMPASSI)
    assert (kompassi.latitude, kompassi.longitude) == JYVASKYLA_CENTRE
    assert kompassi.location_approximate
    assert f"({KOMPASSI}): Geokoodauspalvelu ei vastannut" in output


def test_coordinates_arriving_in_ptv_make_the_place_exact(settings, ptv_organization, tmp_path):
    settings.GEOCODER_URL = ""
    page_2 = str(PTV_PAGES / "service_channels_page2.json")
    import_ptv(ptv_page_without_coordinates(tmp_path), page_2)
    assert Place.objects.get(ptv_id=KOMPASSI).location_approximate

    import_ptv(str(PTV_PAGES / "service_channels_page1.json"), page_2)

    kompassi = Place.objects.get(ptv_id=KOMPASSI)
    assert not kompassi.location_approximate
    assert abs(kompassi.latitude - Decimal("62.2418")) < Decimal("0.00001")


# Where it shows ------------------------------------------------------------------------------


@pytest.fixture
def approximate_place():
    return PlaceFactory(
        name="Arvioitu paikka",
        is_published=True,
        latitude=JYVASKYLA_CENTRE[0],
        longitude=JYVASKYLA_CENTRE[1],
        location_approximate=True,
    )


def test_the_geojson_flags_the_approximate_place(client, approximate_place):
    exact = PlaceFactory(is_published=True, latitude=Decimal("62.1"), longitude=Decimal("25.1"))
    features = client.get("/en/places.geojson").json()["features"]
    flags = {feature["id"]: feature["properties"]["location_approximate"] for feature in features}
    assert flags == {approximate_place.pk: True, exact.pk: False}


def test_the_map_script_styles_and_labels_approximate_markers():
    script = (Path(__file__).resolve().parents[2] / "static" / "js" / "map.js").read_text()
    assert "markerStyle(feature.properties.location_approximate)" in script
    assert "labels.approximate" in script


def test_the_place_page_and_the_list_say_approximate(client, approximate_place):
    page = client.get(approximate_place.get_absolute_url()).content.decode()
    assert "Sijainti kartalla on likimääräinen" in page
    assert '"approximate": true' in page  # the map's configuration

    listing = client.get(reverse("places:list")).content.decode()
    assert "Likimääräinen sijainti kartalla" in listing


def test_the_admin_filters_and_notes_approximate_places(client, approximate_place, settings):
    settings.LANGUAGE_CODE = "en"
    exact = PlaceFactory(latitude=Decimal("62.1"), longitude=Decimal("25.1"))
    client.force_login(regional_coordinator("13"))

    changelist = client.get(
        reverse("admin:places_place_changelist"), {"location_approximate__exact": "1"}
    )
    assert list(changelist.context["cl"].result_list) == [approximate_place]
    assert "approximate location" in changelist.content.decode()

    change = client.get(reverse("admin:places_place_change", args=[approximate_place.pk]))
    assert "The location of this place is approximate" in change.content.decode()
    other = client.get(reverse("admin:places_place_change", args=[exact.pk]))
    assert "The location of this place is approximate" not in other.content.decode()


def change_form_data(response, **overrides):
    """The POST data of the admin change form as it was rendered, with ``overrides``."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            # A browser sends no file again for a file input (the entrance photo).
            if value is None or value is False or isinstance(form.fields[name], FileField):
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "approximate"),
    [
        ({"latitude": "62.242603", "longitude": "25.747257"}, False),  # the marker moved
        ({"phone": "040 1"}, True),  # another change leaves the flag
    ],
)
def test_moving_the_marker_in_the_admin_makes_the_location_exact(
    client, approximate_place, overrides, approximate
):
    client.force_login(regional_coordinator("13"))
    url = reverse("admin:places_place_change", args=[approximate_place.pk])
    response = client.post(url, change_form_data(client.get(url), **overrides))

    assert response.status_code == 302, response.context["adminform"].form.errors
    approximate_place.refresh_from_db()
    assert approximate_place.location_approximate is approximate
