"""Good practices in the admin: coordinators write those of their regions only (crafted URLs and
posts too), attachments are checked by their content, and outcomes link practices."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from network.models import GoodPractice, PracticeAttachment
from tests.factories import (
    PDF_BYTES,
    GoodPracticeFactory,
    HeldMeetingFactory,
    OrganizationFactory,
    OutcomeFactory,
    organisation_staff,
    regional_coordinator,
)

pytestmark = pytest.mark.django_db

ADD = reverse("admin:network_goodpractice_add")
CHANGELIST = reverse("admin:network_goodpractice_changelist")


def change_url(practice):
    return reverse("admin:network_goodpractice_change", args=[practice.pk])


def practice_form(attachments=(), **overrides):
    data = {
        "title": "Nuorten ilta kylätalolla",
        "slug": "nuorten-ilta-kylatalolla",
        "status": GoodPractice.Status.PUBLISHED,
        "summary": "Kylätalo avasi ovensa nuorille perjantai-iltaisin.",
        "text": "Nuoret suunnittelivat illat **itse**.",
        "region": "13",
        "municipality": "992",
        "audiences": ["nuoret"],
        "organization": "",
        "contact_name": "Kaisa",
        "contact_email": "kaisa@example.org",
        "contact_phone": "",
        "attachments-TOTAL_FORMS": str(len(attachments)),
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "10",
    }
    for index, (title, upload) in enumerate(attachments):
        data[f"attachments-{index}-title"] = title
        data[f"attachments-{index}-file"] = upload
    data.update(overrides)
    return data


@pytest.fixture
def coordinator(client):
    client.force_login(regional_coordinator("13", username="keskisuomi"))
    return client


def audiences_as_pks(data):
    from places.models import Audience

    data["audiences"] = list(
        Audience.objects.filter(slug__in=data["audiences"]).values_list("pk", flat=True)
    )
    return data


def post(client, url, data):
    return client.post(url, audiences_as_pks(data))


def errors(response):
    assert response.status_code == 200, response.get("Location")
    return response.context["adminform"].form.errors


def inline_errors(response):
    assert response.status_code == 200, response.get("Location")
    return response.context["inline_admin_formsets"][0].formset.errors


def test_a_coordinator_writes_a_practice_of_their_region_with_an_attachment(coordinator):
    upload = SimpleUploadedFile("toimintamalli.pdf", PDF_BYTES, content_type="text/html")
    response = post(coordinator, ADD, practice_form([("Toimintamalli", upload)]))
    assert response.status_code == 302
    practice = GoodPractice.objects.get()
    assert practice.is_published and practice.published_at is not None
    attachment = practice.attachments.get()
    # The type comes from the content, not the browser's claim; the name is random.
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "toimintamalli.pdf"
    assert attachment.size == len(PDF_BYTES)
    assert "toimintamalli" not in attachment.file.name
    assert attachment.file.name.endswith(".pdf")


def test_a_coordinator_cannot_write_for_another_region(coordinator):
    for municipality in ("", "091"):
        overrides = {"region": "01", "municipality": municipality}
        assert "region" in errors(post(coordinator, ADD, practice_form(**overrides)))
    assert "municipality" in errors(post(coordinator, ADD, practice_form(municipality="091")))
    assert not GoodPractice.objects.exists()


def test_the_municipality_must_lie_in_the_region(client):
    client.force_login(regional_coordinator("13", "11", username="kaksi"))
    response = post(client, ADD, practice_form(region="11", municipality="992"))
    assert errors(response)["municipality"] == ["Kunnan on oltava valitulla alueella."]


def test_a_coordinator_sees_and_changes_only_their_regions_practices(coordinator):
    own = GoodPracticeFactory(title="Oma käytäntö")
    foreign = GoodPracticeFactory(
        title="Vieras käytäntö", region_id="01", municipality=None, slug="vieras"
    )
    changelist = coordinator.get(CHANGELIST).content.decode()
    assert "Oma käytäntö" in changelist and "Vieras käytäntö" not in changelist
    assert coordinator.get(change_url(own)).status_code == 200
    for view in ("change", "delete", "history"):
        url = reverse(f"admin:network_goodpractice_{view}", args=[foreign.pk])
        assert coordinator.get(url).status_code in (302, 404), url
    coordinator.post(change_url(foreign), practice_form(title="Kaapattu", region="13"))
    coordinator.post(
        reverse("admin:network_goodpractice_delete", args=[foreign.pk]), {"post": "yes"}
    )
    foreign.refresh_from_db()
    assert foreign.title == "Vieras käytäntö"


def test_organisation_staff_have_no_practices_in_the_admin(client):
    client.force_login(organisation_staff(OrganizationFactory()))
    assert client.get(CHANGELIST).status_code == 403
    assert client.post(ADD, practice_form()).status_code == 403
    assert not GoodPractice.objects.exists()


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("kuva.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="x"/>', "ei hyväksytä"),
        ("sivu.html", b"<html><script>alert(1)</script></html>", "ei hyväksytä"),
        ("sivu.pdf", b"<html><script>alert(1)</script></html>", "ei hyväksytä"),
        ("polyglotti.gif", b"GIF89a/*<script>alert(1)</script>*/", "verkkosivun koodia"),
        ("polyglotti.pdf", PDF_BYTES + b"<html><body>x</body></html>", "verkkosivun koodia"),
        ("malli.docx", PDF_BYTES, "nimeä se uudelleen"),
        ("ohjelma.exe", b"MZ\x90\x00", "ei hyväksytä"),
        ("tyhja.pdf", b"", "tyhjä"),
    ],
)
def test_attachments_are_refused_by_content(coordinator, name, content, message):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = post(coordinator, ADD, practice_form([("Liite", upload)]))
    found = " ".join(str(e) for e in inline_errors(response)[0].get("file", []))
    assert message in found, found
    assert not GoodPractice.objects.exists() and not PracticeAttachment.objects.exists()


def test_too_large_attachments_are_refused(coordinator, settings):
    settings.PRACTICE_ATTACHMENT_MAX_BYTES = 100
    upload = SimpleUploadedFile("iso.pdf", PDF_BYTES + b"0" * 200)
    response = post(coordinator, ADD, practice_form([("Iso", upload)]))
    assert "enintään 100\xa0tavua hyväksytään" in str(inline_errors(response)[0]["file"])


def test_office_documents_and_images_are_accepted(coordinator):
    uploads = [
        ("Asiakirja", SimpleUploadedFile("ohje.docx", docx_bytes())),
        ("Kuva", SimpleUploadedFile("kuva.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)),
        ("Vanha", SimpleUploadedFile("vanha.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8)),
    ]
    assert post(coordinator, ADD, practice_form(uploads)).status_code == 302
    types = dict(PracticeAttachment.objects.values_list("title", "content_type"))
    assert types == {
        "Asiakirja": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Kuva": "image/png",
        "Vanha": "application/msword",
    }


def test_an_outcome_links_practices_and_the_meeting_page_shows_them(coordinator, client):
    practice = GoodPracticeFactory(title="Perhekahvila kirjastossa")
    other_region = GoodPracticeFactory(
        title="Toisen alueen luonnos", region_id="01", municipality=None, status="draft"
    )
    meeting = HeldMeetingFactory(title="Äänekosken Elinvoimapaja")
    outcome = OutcomeFactory(meeting=meeting)
    outcome.practices.add(other_region)
    url = reverse("admin:network_outcome_change", args=[outcome.pk])
    form = coordinator.get(url).content.decode()
    assert "Perhekahvila kirjastossa" in form and "Toisen alueen luonnos" not in form
    data = {
        "participants_associations": "10",
        "participants_municipality": "5",
        "participants_wellbeing_county": "0",
        "participants_parish": "0",
        "participants_education": "0",
        "participants_business": "0",
        "participants_residents": "0",
        "participants_other": "0",
        "feedback_average": "3.2",
        "feedback_respondents": "12",
        "themes": "",
        "practices": [practice.pk],
        "follow_ups-TOTAL_FORMS": "0",
        "follow_ups-INITIAL_FORMS": "0",
        "follow_ups-MIN_NUM_FORMS": "0",
        "follow_ups-MAX_NUM_FORMS": "1000",
    }
    assert coordinator.post(url, data).status_code == 302
    # The other region's link stays: the coordinator was not offered it.
    assert set(outcome.practices.all()) == {practice, other_region}
    coordinator.logout()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Mitä sovimme: Äänekosken Elinvoimapaja" in page
    assert practice.get_absolute_url() in page and "Toisen alueen luonnos" not in page


def test_an_attachments_name_is_kept_on_one_line_for_the_download_header(client):
    from network.admin import PracticeAttachmentForm

    practice = GoodPracticeFactory()
    upload = SimpleUploadedFile("x", PDF_BYTES)
    upload.name = "Ohje\r\nSet-Cookie: a=b\x0b.pdf"
    form = PracticeAttachmentForm(
        {"title": "Ohje"}, {"file": upload}, instance=PracticeAttachment(practice=practice)
    )
    assert form.is_valid(), form.errors
    attachment = form.save()
    assert attachment.original_name == "Ohje Set-Cookie: a=b .pdf"
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert "\n" not in response["Content-Disposition"]
    assert "Set-Cookie" not in response.cookies


def test_a_practices_contact_is_exported_and_erased_with_the_person():
    from kohtaamispaikat.core.personal_data import erase_person, export_person, pseudonym

    practice = GoodPracticeFactory(
        contact_name="Kaisa K.", contact_email="kaisa.k@example.org", contact_phone="040 123"
    )
    exported = str(export_person("kaisa.k@example.org"))
    assert "Kaisa K." in exported and "040 123" in exported
    erase_person("kaisa.k@example.org")
    practice.refresh_from_db()
    alias = pseudonym("kaisa.k@example.org")
    assert "Kaisa" not in practice.contact_name and "kaisa" not in practice.contact_email
    assert practice.contact_phone == "" and alias in practice.contact_name + practice.contact_email
