"""Embeds (#20) in Chromium: a municipal website on another origin frames the embed, and the
browser refuses to frame any other page; a coordinator builds the embed in the admin."""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import axe_violations, describe_violations, open_page, result_slugs
from tests.factories import regional_coordinator

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HOST_PAGE = """<!DOCTYPE html>
<html lang="fi"><head><meta charset="utf-8"><title>Jyväskylän kaupunki</title></head>
<body>
<h1>Kohtaamispaikat Jyväskylässä</h1>
<iframe id="embed" src="{embed}" title="Kohtaamispaikat" width="100%" height="600"></iframe>
<iframe id="normal" src="{normal}" title="Tavallinen sivu" width="100%" height="300"></iframe>
</body></html>
"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def other_origin(tmp_path):
    """A municipal website: a static server on another port, that is another origin."""

    def serve(html):
        (tmp_path / "index.html").write_text(html, encoding="utf-8")
        return f"http://127.0.0.1:{server.server_port}/index.html"

    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield serve
    server.shutdown()
    server.server_close()


def test_another_site_frames_the_embed_but_no_other_page(page, site_url, directory, other_origin):
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    host = other_origin(
        HOST_PAGE.format(
            embed=site_url("/embed/municipality/jyvaskyla/"),
            normal=site_url("/municipalities/jyvaskyla/"),
        )
    )
    page.goto(host)
    embed = page.frame_locator("#embed")
    expect(embed.get_by_role("heading", level=1)).to_have_text("Kohtaamispaikat: Jyväskylä")
    expect(embed.locator(".place-card").first).to_be_visible()
    # The other page is refused: its frame never shows the site's content.
    normal = page.locator("#normal").element_handle().content_frame()
    page.wait_for_timeout(500)
    assert normal.locator(".site-header").count() == 0
    assert any("frame-ancestors" in text for text in refused), refused

    # A place's link opens the full site in a new tab, not inside the municipality's page.
    with page.context.expect_page() as new_tab:
        embed.locator(".place-card h3 a").first.click()
    opened = new_tab.value
    opened.wait_for_load_state()
    assert opened.url.startswith(site_url("/places/"))
    assert opened.locator(".site-header").count() == 1
    assert page.url == host


def test_the_embeds_are_accessible_and_fit_a_phone(phone_page, site_url, directory):
    problems = []
    for path in ("/embed/places/?audience=lapsiperheet", "/sv/embed/municipality/jyvaskyla/"):
        language = "sv" if path.startswith("/sv/") else "fi"
        url = site_url(path.removeprefix("/sv"), language)
        open_page(phone_page, url)
        width = phone_page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, f"{url} is {width} px wide"
        problems += describe_violations(url, axe_violations(phone_page))
    open_page(phone_page, site_url("/embed/places/map/?municipality=179"))
    problems += describe_violations("map embed", axe_violations(phone_page, contrast=False))
    assert not problems, "axe-core found serious or critical problems:\n" + "\n".join(problems)


def test_a_coordinator_builds_an_embed_without_javascript(
    browser, live_server, site_url, directory
):
    regional_coordinator("13", username="koordinaattori", password="salasana-2026")
    context = browser.new_context(java_script_enabled=False, locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(site_url("/admin/login/"))
    page.fill("#id_username", "koordinaattori")
    page.fill("#id_password", "salasana-2026")
    page.click("input[type=submit]")
    page.get_by_role("link", name="Upota kohtaamispaikat omalle sivustollesi").click()
    page.select_option("#id_municipality", label="Jyväskylä")
    page.get_by_label("Lapsiperheet").check()
    page.get_by_label("Luettelo").check()
    page.get_by_role("button", name="Näytä esikatselu ja koodi").click()
    code = page.locator("#embed-iframe-code").input_value()
    assert code.startswith(f'<iframe src="{live_server.url}/embed/places/?municipality=179')
    assert 'title="Kohtaamispaikat: Jyväskylä – Kohtaamispaikat"' in code
    preview = page.frame_locator(".embed-builder__preview")
    expect(preview.locator(".place-card").first).to_be_visible()
    slugs = result_slugs(page.locator(".embed-builder__preview").content_frame)
    assert "seniorien-olohuone" not in slugs
    context.close()
