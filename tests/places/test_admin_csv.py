"""CSV in the admin: upload → preview → confirm, refused files, and the export link."""

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from places.csv_io import CSV_COLUMNS
from places.models import Place
from tests.factories import (
    OrganizationFactory,
    PlaceFactory,
    UserFactory,
    municipality,
    organisation_staff,
    regional_coordinator,
)

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:places_place_import")
EXPORT_URL = reverse("admin:places_place_export")
CHANGELIST_URL = reverse("admin:places_place_changelist")
HEADER = ",".join(CSV_COLUMNS[:6])


@pytest.fixture(autouse=True)
def english_admin(settings):
    # The admin speaks the site's default language; English keeps the assertions readable.
    settings.LANGUAGE_CODE = "en"


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def org_a():
    return OrganizationFactory(name="Yhdistys A ry", slug="yhdistys-a")


@pytest.fixture
def org_b():
    return OrganizationFactory(name="Yhdistys B ry", slug="yhdistys-b")


@pytest.fixture
def coordinator(client):
    return login(client, regional_coordinator("13"))


def upload(client, content, organization=None, name="paikat.csv"):
    if isinstance(content, str):
        content = content.encode("utf-8")
    data = {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    if organization is not None:
        data["organization"] = organization.pk
    return client.post(IMPORT_URL, data)


def message_texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_changelist_links_to_import_and_export(coordinator):
    content = coordinator.get(CHANGELIST_URL).content.decode()
    assert f'href="{IMPORT_URL}"' in content
    assert f'href="{EXPORT_URL}' in content


def test_upload_preview_and_confirm(coordinator, org_a):
    existing = PlaceFactory(name="Vanha olohuone", organization=org_a)
    content = (
        f"{HEADER}\n"
        "Uusi olohuone,yhdistys-a,Jyväskylä,Kauppakatu 1,40100,Jyväskylä\n"
        f"Vanha olohuone,yhdistys-a,179,Uusi katu 9,40100,Jyväskylä\n"
    )
    form = coordinator.get(IMPORT_URL)
    assert form.status_code == 200
    assert 'type="file"' in form.content.decode()

    preview = upload(coordinator, content)
    assert preview.status_code == 200
    assert [(row.name, row.action) for row in preview.context["report"].rows] == [
        ("Uusi olohuone", "created"),
        ("Vanha olohuone", "updated"),
    ]
    assert "Would create 1, update 1, leave 0 unchanged." in preview.content.decode()
    assert Place.objects.count() == 1

    token = preview.context["token"]
    done = coordinator.post(IMPORT_URL, {"token": token, "confirm": "1"}, follow=True)
    assert done.redirect_chain == [(CHANGELIST_URL, 302)]
    assert message_texts(done) == ["Created 1, updated 1, unchanged 0."]
    assert Place.objects.count() == 2
    existing.refresh_from_db()
    assert existing.street_address == "Uusi katu 9"

    again = coordinator.post(IMPORT_URL, {"token": token, "confirm": "1"})
    assert again["Location"] == IMPORT_URL
    assert message_texts(again) == [
        "This import has expired or was already done. Upload the file again."
    ]
    assert Place.objects.count() == 2


def test_confirming_with_a_forged_token_imports_nothing(coordinator, org_a):
    upload(coordinator, f"{HEADER}\nUusi,yhdistys-a,179,Katu 1,40100,Jyväskylä\n")
    response = coordinator.post(IMPORT_URL, {"token": "forged", "confirm": "1"})
    assert response["Location"] == IMPORT_URL
    assert not Place.objects.exists()


def test_preview_lists_row_problems_and_offers_no_confirmation(coordinator, org_a):
    response = upload(
        coordinator,
        f"{HEADER}\nHyvä,yhdistys-a,179,Katu 1,40100,Jyväskylä\n"
        "Huono,yhdistys-a,179,Katu 2,4010,Jyväskylä\n",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported: 1 problem found." in content
    assert "<td>3</td><td>postal_code</td><td>Enter a postal code of five digits.</td>" in content
    assert 'name="confirm"' not in content
    assert not Place.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "This is not a CSV file,"),
        (b"", "The submitted file is empty."),
        ("nimi;kunta\nä;ö\n".encode("cp1252"), "The file lacks required columns: organization"),
        (b"foo,bar\n1,2\n", "Unknown columns: foo, bar."),
    ],
)
def test_upload_of_garbage_shows_the_message(coordinator, org_a, content, message):
    response = upload(coordinator, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Place.objects.exists()


def test_upload_problems_are_shown_in_the_admin_language(coordinator, org_a, settings):
    settings.LANGUAGE_CODE = "fi"
    response = upload(coordinator, b"")
    assert "Lähetetty tiedosto on tyhjä." in response.content.decode()


def test_upload_of_a_too_large_file_shows_the_message(coordinator, org_a, settings):
    settings.CSV_IMPORT_MAX_BYTES = 50
    response = upload(coordinator, f"{HEADER}\nUusi,yhdistys-a,179,Katu 1,40100,Jyväskylä\n")
    assert "The file is too large" in response.content.decode()


def test_staff_choose_only_their_organisation_and_cannot_import_for_another(client, org_a, org_b):
    login(client, organisation_staff(org_a))
    PlaceFactory(name="Bertan olohuone", organization=org_b)
    form = client.get(IMPORT_URL).context["form"]
    assert list(form.fields["organization"].queryset) == [org_a]
    assert form.fields["organization"].initial == org_a.pk

    response = upload(client, f"{HEADER}\nBertan olohuone,yhdistys-b,179,Katu 1,40100,Jyväskylä\n")
    assert "Unknown organisation “yhdistys-b”." in response.content.decode()
    forced = upload(
        client, f"{HEADER}\nBertan olohuone,,179,Katu 1,40100,Jyväskylä\n", organization=org_b
    )
    assert forced.context["form"].errors["organization"]
    assert Place.objects.get().street_address != "Katu 1"


def test_staff_update_their_place_through_the_admin_import(client, org_a):
    place = PlaceFactory(name="Oma olohuone", organization=org_a)
    login(client, organisation_staff(org_a))
    preview = upload(
        client,
        "name,municipality,street_address,postal_code,postal_town\n"
        "Oma olohuone,179,Uusi katu 1,40100,Jyväskylä\n",
        organization=org_a,
    )
    assert preview.context["report"].ok
    client.post(IMPORT_URL, {"token": preview.context["token"], "confirm": "1"})
    place.refresh_from_db()
    assert place.street_address == "Uusi katu 1"


def test_user_without_change_permission_cannot_import(client):
    login(client, UserFactory())
    assert client.get(IMPORT_URL).status_code == 403


def test_export_link_applies_the_changelist_filters(client):
    PlaceFactory(name="Jyväskylän paikka")
    PlaceFactory(name="Helsingin paikka", municipality=municipality("091"), postal_code="00100")
    login(client, UserFactory(is_superuser=True))
    response = client.get(EXPORT_URL, {"region": "01"})
    assert response["Content-Disposition"].startswith('attachment; filename="kohtaamispaikat-')
    content = response.getvalue()  # a stream: read once
    assert content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [row["name"] for row in rows] == ["Helsingin paikka"]


def test_export_link_with_a_bad_filter_goes_back_to_the_changelist(client):
    login(client, UserFactory(is_superuser=True))
    response = client.get(EXPORT_URL, {"no_such_field__gt": "1"})
    assert response.status_code == 302
