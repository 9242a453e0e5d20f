"""What the browser tests read off pages: result slugs, query strings, axe-core findings."""

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import axe_playwright_python
from playwright.sync_api import expect

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
BLOCKING_IMPACTS = ("serious", "critical")
PLACE_SLUG = re.compile(r"/places/([^/?#]+)/$")

# Leaflet keeps its maps to itself. Defined before the page's scripts run, this records every
# map Leaflet creates in window.leafletMaps, so a test can turn coordinates into pixels.
RECORD_LEAFLET_MAPS = """
(() => {
  let leaflet;
  Object.defineProperty(window, "L", {
    configurable: true,
    get: () => leaflet,
    set: (value) => {
      leaflet = value;
      if (value && value.Map && !value.Map.recordedByTests) {
        value.Map.recordedByTests = true;
        value.Map.addInitHook(function () {
          (window.leafletMaps = window.leafletMaps || []).push(this);
        });
      }
    },
  });
})();
"""


def slug_of(href):
    return PLACE_SLUG.search(urlsplit(href).path)[1]


def result_slugs(page):
    """Slugs of the place cards listed on the page, in their order."""
    links = page.locator(".card-list .place-card h3 a")
    return [slug_of(href) for href in links.evaluate_all("as => as.map(a => a.href)")]


def query_of(url):
    return parse_qs(urlsplit(url).query)


def path_of(url):
    return urlsplit(url).path


def open_page(page, url):
    """Go to ``url`` and wait for its maps to be drawn (without tiles, which cannot load here:
    their absence must not matter)."""
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    for element in page.locator("[data-map-config], [data-coverage-config]").all():
        expect(element).to_have_class(re.compile(r"\bleaflet-container\b"))
    if page.locator("#places-map").count():
        expect(page.locator("#places-map")).to_have_attribute(
            "data-marker-count", re.compile(r"^\d+$")
        )


def axe_violations(page, *, contrast=True):
    """axe-core's serious and critical violations on the page as it is now.

    ``contrast=False`` leaves out the colour contrast rule, by far the slowest on long pages.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated rather than added as a <script>: the site's CSP allows no inline scripts.
        page.evaluate(AXE_SOURCE)
    options = {"resultTypes": ["violations"]}
    if not contrast:
        options["rules"] = {"color-contrast": {"enabled": False}}
    violations = page.evaluate(
        "async (options) => (await axe.run(document, options)).violations", options
    )
    return [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]


def describe_violations(where, violations):
    lines = []
    for violation in violations:
        lines.append(
            f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}"
            f" – {violation['helpUrl']}"
        )
        for node in violation["nodes"][:5]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    {target}: {node['failureSummary'].splitlines()[-1].strip()}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return lines
