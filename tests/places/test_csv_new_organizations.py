"""The CSV import, for site admins and coordinators, creates the organisations it does not know:
the preview lists them as to be created, the confirmation creates them with the places in the
same transaction; staff get an error naming the unknown organisation (issue 16)."""

import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.urls import reverse
from django.utils import translation

import places.csv_io.plan
from places.csv_io import CSV_COLUMNS, import_places
from places.models import Organization, Place
from tests.factories import (
    OrganizationFactory,
    UserFactory,
    organisation_staff,
    regional_coordinator,
)

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:places_place_import")
HEADER = ",".join(CSV_COLUMNS[:6])
FILE = (
    f"{HEADER}\n"
    "Kylätalo,Uusi kyläyhdistys ry,Jyväskylä,Kauppakatu 1,40100,Jyväskylä\n"
    "Nuorisokahvila,uusi kyläyhdistys ry,Jyväskylä,Torikatu 2,40100,Jyväskylä\n"
    "Olohuone,Yhdistys A ry,Jyväskylä,Kauppakatu 3,40100,Jyväskylä\n"
)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def org_a():
    return OrganizationFactory(name="Yhdistys A ry", slug="yhdistys-a")


def upload(client, content):
    data = {"file": SimpleUploadedFile("paikat.csv", content.encode(), content_type="text/csv")}
    return client.post(IMPORT_URL, data)


def test_coordinator_preview_lists_the_new_organisation_and_confirm_creates_it(client, org_a):
    client.force_login(regional_coordinator("13"))
    preview = upload(client, FILE)
    page = preview.content.decode()
    assert "These will be created with their places:" in page
    assert "<li>Uusi kyläyhdistys ry</li>" in page
    assert "Would create 3, update 0, leave 0 unchanged." in page
    assert not Organization.objects.filter(name="Uusi kyläyhdistys ry").exists()

    done = client.post(IMPORT_URL, {"token": preview.context["token"], "confirm": "1"})
    assert [str(message) for message in get_messages(done.wsgi_request)] == [
        "Created 3, updated 0, unchanged 0.",
        "New organisations: Uusi kyläyhdistys ry.",
    ]
    created = Organization.objects.get(name="Uusi kyläyhdistys ry")
    assert created.slug == "uusi-kylayhdistys-ry"
    assert sorted(created.places.values_list("name", flat=True)) == ["Kylätalo", "Nuorisokahvila"]
    assert Place.objects.get(name="Olohuone").organization == org_a


def test_site_admin_import_creates_organisations_with_distinct_slugs(org_a):
    OrganizationFactory(name="Toinen", slug="uusi-kylayhdistys-ry")
    report = import_places(FILE, user=UserFactory(is_superuser=True, is_staff=True))
    assert report.ok, report.problems
    assert report.new_organizations == ["Uusi kyläyhdistys ry"]
    assert Organization.objects.get(name="Uusi kyläyhdistys ry").slug == "uusi-kylayhdistys-ry-2"


def test_staff_get_an_error_naming_the_unknown_organisation(client, org_a):
    staff = organisation_staff(org_a)
    report = import_places(FILE, user=staff)
    assert [(p.row, p.column, p.message) for p in report.problems][:2] == [
        (2, "organization", "Unknown organisation “Uusi kyläyhdistys ry”."),
        (3, "organization", "Unknown organisation “uusi kyläyhdistys ry”."),
    ]
    assert report.new_organizations == []
    client.force_login(staff)
    page = upload(client, FILE).content.decode()
    assert "Unknown organisation “Uusi kyläyhdistys ry”." in page
    assert 'name="confirm"' not in page
    assert not Organization.objects.filter(name="Uusi kyläyhdistys ry").exists()
    assert not Place.objects.exists()


def test_a_failure_while_writing_leaves_no_organisation_behind(monkeypatch, org_a):
    def refuse(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(places.csv_io.plan, "_save_in_bulk", refuse)
    report = import_places(FILE, user=regional_coordinator("13"))
    assert not report.ok
    assert report.new_organizations == []
    assert not Organization.objects.filter(name="Uusi kyläyhdistys ry").exists()
    assert not Place.objects.exists()


def test_a_coordinator_still_cannot_import_outside_their_regions(org_a):
    outside = f"{HEADER}\nKylätalo,Uusi kyläyhdistys ry,Helsinki,Katu 1,00100,Helsinki\n"
    report = import_places(outside, user=regional_coordinator("13"))
    assert [p.column for p in report.problems] == ["municipality"]
    assert not Organization.objects.filter(name="Uusi kyläyhdistys ry").exists()


def test_the_command_creates_them_when_asked_and_says_so(tmp_path, org_a):
    path = tmp_path / "paikat.csv"
    path.write_text(FILE, encoding="utf-8")
    stdout = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_places", str(path), stdout=stdout, stderr=io.StringIO())
    call_command("import_places", str(path), "--create-organizations", "--dry-run", stdout=stdout)
    assert "Would create the organisations Uusi kyläyhdistys ry." in stdout.getvalue()
    assert not Organization.objects.filter(name="Uusi kyläyhdistys ry").exists()
    call_command("import_places", str(path), "--create-organizations", stdout=stdout)
    assert "Created the organisations Uusi kyläyhdistys ry." in stdout.getvalue()
    assert Organization.objects.get(name="Uusi kyläyhdistys ry").places.count() == 2
