"""The entrance photo: staff upload it in the admin, the site keeps a resized JPEG without the
camera's metadata, the place page shows it with its description, and every wrong upload is
refused with a message that says why, never an error page."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from places.models import Place
from tests.factories import OrganizationFactory, PlaceFactory, regional_coordinator
from tests.places.test_admin_place_form import place_form

pytestmark = pytest.mark.django_db

ALT = "Vihreä ovi keltaisessa puutalossa, kyltti oven yläpuolella."


@pytest.fixture(autouse=True)
def english_admin(settings):
    settings.LANGUAGE_CODE = "en"


def image_bytes(size=(3000, 2000), kind="JPEG", exif=None):
    output = io.BytesIO()
    options = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, (20, 120, 60)).save(output, kind, **options)
    return output.getvalue()


def png_claiming(width, height):
    """A tiny PNG whose header claims ``width`` × ``height`` pixels: a decompression bomb's
    shape, without the memory to make a real one."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def staff(client):
    """The admin as Keski-Suomi's coordinator, who adds places (staff only change theirs)."""
    organization = OrganizationFactory()
    client.force_login(regional_coordinator("13"))
    return client, organization


def submit(client, organization, content, filename="ovi.jpg", alt=ALT, **overrides):
    data = place_form(organization, entrance_photo_alt=alt, **overrides)
    if content is not None:
        data["entrance_photo"] = SimpleUploadedFile(filename, content, content_type="image/jpeg")
    return client.post(reverse("admin:places_place_add"), data)


def errors_of(response, field="entrance_photo"):
    assert response.status_code == 200, "the form should be shown again with its errors"
    return response.context["adminform"].form.errors.get(field, [])


def test_staff_upload_a_photo_that_is_resized_and_stripped_of_its_metadata(staff, settings):
    client, organization = staff
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (62.0, 14.0, 0.0)}  # a GPS position
    exif[0x0110] = "Puhelin"
    exif[0x0112] = 6  # taken sideways: to be turned a quarter clockwise
    response = submit(client, organization, image_bytes(exif=exif))
    assert response.status_code == 302, errors_of(response)
    place = Place.objects.get(slug="uusi-olohuone")
    assert place.entrance_photo.name.startswith("entrances/")
    assert place.entrance_photo.name.endswith(".jpg")
    with Image.open(place.entrance_photo.path) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == settings.ENTRANCE_PHOTO_MAX_SIDE
        assert stored.size == (1067, 1600)
        assert not stored.getexif()
    assert (place.entrance_photo_width, place.entrance_photo_height) == (1067, 1600)


def test_png_and_webp_are_accepted_and_stored_as_jpeg(staff):
    client, organization = staff
    for index, (kind, name) in enumerate((("PNG", "ovi.png"), ("WEBP", "ovi.webp"))):
        response = submit(
            client,
            organization,
            image_bytes((400, 300), kind),
            filename=name,
            slug=f"paikka-{index}",
            name=f"Paikka {index}",
        )
        assert response.status_code == 302, errors_of(response)
        with Image.open(Place.objects.get(slug=f"paikka-{index}").entrance_photo.path) as stored:
            assert (stored.format, stored.size) == ("JPEG", (400, 300))


def test_the_page_shows_the_photo_with_its_description(staff):
    client, organization = staff
    submit(client, organization, image_bytes((800, 600)), is_published="on")
    place = Place.objects.get(slug="uusi-olohuone")
    page = client.get(place.get_absolute_url()).content.decode()
    assert f'<img src="/places/uusi-olohuone/entrance.jpg" alt="{ALT}" width="800"' in page
    photo = client.get(place.get_entrance_photo_url())
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    assert photo["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(photo.content)).size == (800, 600)


def test_no_photo_for_a_hidden_address_or_an_unpublished_place(staff):
    client, organization = staff
    submit(client, organization, image_bytes((800, 600)), is_published="on")
    place = Place.objects.get(slug="uusi-olohuone")
    Place.objects.filter(pk=place.pk).update(address_hidden=True)
    client.logout()
    assert "entrance.jpg" not in client.get(place.get_absolute_url()).content.decode()
    assert client.get(place.get_entrance_photo_url()).status_code == 404
    Place.objects.filter(pk=place.pk).update(address_hidden=False, is_published=False)
    assert client.get(place.get_entrance_photo_url()).status_code == 404


def test_a_place_without_a_photo_answers_404_for_it(client):
    assert client.get(PlaceFactory().get_entrance_photo_url()).status_code == 404


def test_a_photo_needs_its_description(staff):
    client, organization = staff
    response = submit(client, organization, image_bytes((400, 300)), alt="  ")
    assert errors_of(response, "entrance_photo_alt") == [
        "Describe what the photo shows, for those who cannot see it."
    ]
    assert not Place.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "ovi.jpg", "The submitted file is empty."),
        (b"<html><script>alert(1)</script></html>", "ovi.jpg", "This is not a photo"),
        (b"GIF89a" + b"\x00" * 100, "ovi.gif", "This is not a photo"),
        (b"%PDF-1.4 not a photo", "ovi.jpg", "This is not a photo"),
        (image_bytes((400, 300))[:300], "ovi.jpg", "The photo could not be read"),
        (png_claiming(100_000, 100_000), "ovi.png", "million pixels are accepted"),
    ],
    ids=["empty", "html", "gif", "pdf", "truncated", "decompression-bomb"],
)
def test_wrong_uploads_are_refused_with_a_message(staff, content, name, message):
    client, organization = staff
    errors = errors_of(submit(client, organization, content, filename=name))
    assert any(message in error for error in errors), errors
    assert not Place.objects.exists()


def test_a_huge_file_or_too_many_pixels_is_refused(staff, settings):
    client, organization = staff
    settings.ENTRANCE_PHOTO_MAX_BYTES = 10_000
    (error,) = errors_of(submit(client, organization, image_bytes((3000, 2000))))
    assert "at most 9.8\xa0KB is accepted" in error
    settings.ENTRANCE_PHOTO_MAX_BYTES = 8 * 1024 * 1024
    settings.ENTRANCE_PHOTO_MAX_PIXELS = 1_000_000
    (error,) = errors_of(submit(client, organization, image_bytes((3000, 2000))))
    assert error == (
        "The photo is 3000 × 2000 pixels; at most 1 million pixels are accepted. Make it "
        "smaller and upload it again."
    )
