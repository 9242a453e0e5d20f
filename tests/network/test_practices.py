"""Good practices on the public site: the list with its filters and pages, one practice with
its Markdown text rendered safely and its attachments as downloads, drafts kept private, the
sitemap, and the links from meeting outcomes."""

import re

import pytest
from django.urls import reverse

from network.models import GoodPractice
from tests.factories import (
    PDF_BYTES,
    GoodPracticeFactory,
    HeldMeetingFactory,
    MeetingFactory,
    OutcomeFactory,
    PracticeAttachmentFactory,
    audience,
    municipality,
    regional_coordinator,
)

pytestmark = pytest.mark.django_db

PRACTICES = reverse("network:practices")

# Stored XSS attempts in Markdown: raw HTML, event handlers, script URLs in links of both
# syntaxes, images, styles, iframes, SVG and entity-encoded schemes.
XSS_MARKDOWN = "\n\n".join(
    [
        '<script>alert("xss")</script>',
        "<img src=x onerror=alert(1)>",
        "[klikkaa](javascript:alert(1))",
        "[klikkaa](JaVaScRiPt:alert(1))",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<a href="javascript:alert(1)">linkki</a>',
        "<a href='&#106;avascript:alert(1)'>koodattu</a>",
        "![kuva](javascript:alert(1))",
        '<p style="background:url(javascript:alert(1))" onclick="alert(1)">tyyli</p>',
        '<iframe src="https://example.org"></iframe>',
        "<svg onload=alert(1)><circle r=1 /></svg>",
        "<style>body{display:none}</style>",
        '<form action="https://example.org"><input name=x></form>',
        "**lihavoitu** ja [oikea linkki](https://example.org/opas)",
    ]
)
DANGEROUS = re.compile(
    r"<script|<img|<iframe|<svg|<style|<form|<input|\son\w+\s*=|javascript:|data:text|style=",
    re.IGNORECASE,
)


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_the_list_shows_published_practices_only(client):
    GoodPracticeFactory(title="Julkaistu käytäntö")
    GoodPracticeFactory(title="Luonnos käytännöstä", status=GoodPractice.Status.DRAFT)
    html = page(client, PRACTICES)
    assert "Julkaistu käytäntö" in html
    assert "Luonnos käytännöstä" not in html
    assert "1 hyvä käytäntö löytyi" in html


def test_a_draft_answers_404_and_stays_out_of_the_sitemap(client):
    draft = GoodPracticeFactory(slug="salainen-luonnos", status=GoodPractice.Status.DRAFT)
    published = GoodPracticeFactory(slug="julkinen-kaytanto")
    page(client, draft.get_absolute_url(), status=404)
    sitemap = page(client, "/sitemap-practices.xml")
    assert "/network/practices/julkinen-kaytanto/" in sitemap
    assert "/sv/network/practices/julkinen-kaytanto/" in sitemap
    assert "salainen-luonnos" not in sitemap
    assert "sitemap-practices.xml" in page(client, "/sitemap.xml")
    assert published.title in page(client, published.get_absolute_url())


def test_the_list_filters_by_region_audience_and_words(client):
    GoodPracticeFactory(title="Nuorten ilta Äänekoskella", audiences=[audience("nuoret")])
    GoodPracticeFactory(
        title="Seniorien kahvila Kuopiossa",
        region=municipality("297").region,
        municipality=municipality("297"),
        audiences=[audience("ikaihmiset")],
        text="Kahvila ja **tuolijumppa**.",
    )

    def titles(query):
        html = page(client, PRACTICES + query)
        return {t for t in ("Nuorten ilta", "Seniorien kahvila") if t in html}

    assert titles("") == {"Nuorten ilta", "Seniorien kahvila"}
    assert titles("?region=13") == {"Nuorten ilta"}
    assert titles("?region=11") == {"Seniorien kahvila"}
    assert titles("?audience=nuoret") == {"Nuorten ilta"}
    assert titles("?audience=nuoret&audience=ikaihmiset") == {"Nuorten ilta", "Seniorien kahvila"}
    assert titles("?q=tuolijumppa") == {"Seniorien kahvila"}
    assert titles("?q=NUORTEN ILTA") == {"Nuorten ilta"}
    assert titles("?q=ei-mitään-tällaista") == set()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?region=99", "Maakunta: Maakuntaa koodilla 99 ei ole."),
        ("?audience=marsilaiset", "Kenelle: Kohderyhmää ”marsilaiset” ei ole."),
        ("?region=13&region=11", "Anna tälle rajaukselle vain yksi arvo."),
        ("?q=" + "x" * 500, "Haku:"),
        ("?page=abc", "”abc” ei ole sivunumero, joten näytetään ensimmäinen sivu."),
        ("?page=0", "Sivunumerot alkavat 1:stä, joten näytetään ensimmäinen sivu."),
        ("?page=-3", "Sivunumerot alkavat 1:stä, joten näytetään ensimmäinen sivu."),
        ("?page=99999", "Sivuja on vain 1, joten näytetään viimeinen sivu."),
        ("?page=1e9", "”1e9” ei ole sivunumero"),
    ],
)
def test_bad_filters_and_page_numbers_get_a_clear_message_never_an_error(client, query, message):
    GoodPracticeFactory(title="Näkyvä käytäntö")
    html = page(client, PRACTICES + query)
    assert message in html.replace("&quot;", '"')
    assert "Näkyvä käytäntö" in html


def test_the_list_pages_through_many_practices(client):
    for number in range(25):
        GoodPracticeFactory(title=f"Käytäntö numero {number:02d}")
    first, second = page(client, PRACTICES), page(client, PRACTICES + "?page=2")
    assert "Sivu 1/2" in first and 'rel="next"' in first
    assert "Sivu 2/2" in second
    shown = set(re.findall(r"Käytäntö numero \d\d", first + second))
    assert len(shown) == 25


def test_the_list_and_a_practice_run_a_constant_number_of_queries(
    client, django_assert_max_num_queries
):
    for number in range(12):
        practice = GoodPracticeFactory(audiences=[audience("nuoret"), audience("ikaihmiset")])
        PracticeAttachmentFactory(practice=practice, title=f"Liite {number}")
        PracticeAttachmentFactory(practice=practice)
        outcome = OutcomeFactory(meeting=HeldMeetingFactory())
        outcome.practices.add(practice)
    with django_assert_max_num_queries(12):
        assert client.get(PRACTICES).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(practice.get_absolute_url()).status_code == 200


def test_markdown_is_rendered(client):
    practice = GoodPracticeFactory(
        text="## Näin aloitimme\n\nPerhekahvila on **avoin** kaikille.\n\n"
        "- kahvi\n- leikki\n\n[Lue lisää](https://example.org/opas)"
    )
    html = page(client, practice.get_absolute_url())
    assert "<h2>Näin aloitimme</h2>" in html
    assert "<strong>avoin</strong>" in html
    assert "<li>kahvi</li>" in html
    assert '<a href="https://example.org/opas" rel="nofollow noopener noreferrer">' in html


def article(html):
    return html[html.index('<div class="practice-text">') : html.index('<dl class="facts">')]


def test_stored_xss_in_markdown_is_inert_on_every_page_and_in_the_sitemap(client):
    practice = GoodPracticeFactory(
        title='<script>alert("t")</script>',
        summary="<img src=x onerror=alert(1)>",
        text=XSS_MARKDOWN,
        contact_name="<svg onload=alert(1)>",
        audiences=[audience("nuoret")],
    )
    meeting = HeldMeetingFactory(title="Elinvoimapaja")
    OutcomeFactory(meeting=meeting).practices.add(practice)
    detail = page(client, practice.get_absolute_url())
    rendered = article(detail)
    assert not DANGEROUS.search(rendered), DANGEROUS.search(rendered)
    # What stays is harmless text and the safe link.
    assert "<strong>lihavoitu</strong>" in rendered
    assert 'href="https://example.org/opas"' in rendered
    for url in (
        practice.get_absolute_url(),
        PRACTICES,
        PRACTICES + "?q=script",
        meeting.get_absolute_url(),
        "/sv" + practice.get_absolute_url(),
        "/en" + PRACTICES,
    ):
        html = page(client, url)
        assert '<script>alert("t")' not in html, url
        assert "<img src=x" not in html and "<svg onload" not in html, url
        assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in html, url
    sitemap = page(client, "/sitemap-practices.xml")
    assert "<script" not in sitemap and practice.slug in sitemap


def test_outcomes_link_practices_shown_on_the_meeting_page_and_back(client):
    practice = GoodPracticeFactory(title="Kylätalon nuorten ilta")
    draft = GoodPracticeFactory(title="Keskeneräinen käytäntö", status=GoodPractice.Status.DRAFT)
    meeting = HeldMeetingFactory(title="Äänekosken Elinvoimapaja")
    OutcomeFactory(meeting=meeting).practices.add(practice, draft)
    meeting_page = page(client, meeting.get_absolute_url())
    assert "Mitä sovimme: Äänekosken Elinvoimapaja – hyvät käytännöt" in meeting_page
    assert practice.get_absolute_url() in meeting_page
    assert "Keskeneräinen käytäntö" not in meeting_page
    practice_page = page(client, practice.get_absolute_url())
    assert "Mitä sovimme tilaisuudessa" in practice_page
    assert meeting.get_absolute_url() in practice_page


def test_a_practice_names_no_meeting_that_is_not_public_and_held(client):
    practice = GoodPracticeFactory()
    draft_meeting = HeldMeetingFactory(title="Luonnostapaaminen", status="draft")
    OutcomeFactory(meeting=draft_meeting).practices.add(practice)
    assert "Luonnostapaaminen" not in page(client, practice.get_absolute_url())


# Attachments --------------------------------------------------------------------------------


def test_an_attachment_is_a_download_with_nosniff(client):
    attachment = PracticeAttachmentFactory(title="Toimintamalli", original_name="Malli ä.pdf")
    html = page(client, attachment.practice.get_absolute_url())
    assert attachment.get_absolute_url() in html and "Toimintamalli" in html
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Malli" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_attachments_are_stored_under_random_names(settings):
    first, second = PracticeAttachmentFactory(), PracticeAttachmentFactory()
    assert first.file.name != second.file.name
    for attachment in (first, second):
        assert attachment.file.name.startswith("practices/")
        assert "malli" not in attachment.file.name
        assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))


def test_a_drafts_attachment_is_private(client):
    draft = GoodPracticeFactory(status=GoodPractice.Status.DRAFT)
    attachment = PracticeAttachmentFactory(practice=draft)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    client.force_login(regional_coordinator("01", username="uusimaa"))
    assert client.get(attachment.get_absolute_url()).status_code == 404
    client.force_login(regional_coordinator("13", username="keskisuomi"))
    preview = client.get(attachment.get_absolute_url())
    assert preview.status_code == 200
    assert "no-store" in preview["Cache-Control"]


def test_an_attachment_is_found_only_under_its_own_practice(client):
    attachment = PracticeAttachmentFactory()
    other = GoodPracticeFactory(slug="toinen")
    wrong = reverse("network:practice_attachment", kwargs={"slug": "toinen", "pk": attachment.pk})
    assert other.slug == "toinen"
    assert client.get(wrong).status_code == 404


def test_a_missing_file_answers_404(client):
    attachment = PracticeAttachmentFactory()
    attachment.file.storage.delete(attachment.file.name)
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_deleting_an_attachment_deletes_its_file(django_capture_on_commit_callbacks):
    attachment = PracticeAttachmentFactory()
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        attachment.delete()
    assert not storage.exists(name)


def test_a_meeting_page_without_practices_has_no_practice_section(client):
    meeting = MeetingFactory()
    assert "hyvät käytännöt" not in page(client, meeting.get_absolute_url())
