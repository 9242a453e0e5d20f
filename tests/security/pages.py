"""The pages of the site, for tests that must look at every one of them."""

import contextlib
from html.parser import HTMLParser

from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests.security.hostile import SCRIPT

REFLECTED = SCRIPT.replace('"', "'")


def public_pages(content):
    place, meeting, held = content["place"], content["meeting"], content["held"]
    pages = [
        "/",
        "/places/",
        f"/places/?q={REFLECTED}",
        f"/places/?municipality={REFLECTED}&audience={REFLECTED}&day={REFLECTED}",
        f"/places/?open_at={REFLECTED}&free={REFLECTED}&page={REFLECTED}",
        "/places/map/",
        f"/places/map/?region={REFLECTED}",
        place.get_absolute_url(),
        place.get_feedback_url(),
        f"/places/{place.slug}/poster/",
        "/municipalities/",
        "/municipalities/jyvaskyla/",
        f"/municipalities/jyvaskyla/?page={REFLECTED}",
        "/open-data/",
        "/network/",
        "/network/meetings/",
        f"/network/meetings/?region={REFLECTED}&year={REFLECTED}&when={REFLECTED}",
        meeting.get_absolute_url(),
        held.get_absolute_url(),
        "/network/coordinators/",
        "/network/coverage/",
        f"/network/coverage/?audience={REFLECTED}",
        "/network/statistics/",
        "/network/reports/",
        f"/network/reports/?region={REFLECTED}&year={REFLECTED}&municipality={REFLECTED}",
        f"/places/{REFLECTED}/",
        "/network/board/",
        f"/network/board/?q={REFLECTED}&kind={REFLECTED}&municipality={REFLECTED}",
        content["listing"].get_absolute_url(),
        "/network/board/new/",
        "/network/practices/",
        f"/network/practices/?q={REFLECTED}&region={REFLECTED}&audience={REFLECTED}",
        f"/network/practices/?page={REFLECTED}",
        content["practice"].get_absolute_url(),
        "/join/",
        f"/join/?municipality={REFLECTED}",
    ]
    return pages + [f"/sv{path}" for path in pages[:3]] + [f"/en{path}" for path in pages[:3]]


def admin_pages(content):
    """Changelist, search, add, change, history and delete pages of every admin model."""
    objects = {
        "places.place": content["place"],
        "network.meeting": content["meeting"],
        "network.outcome": content["held"].outcome,
        "places.organization": content["place"].organization,
        "auth.user": content["user"],
        "network.listing": content["listing"],
        "network.goodpractice": content["practice"],
    }
    pages = ["/admin/"]
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages += [reverse(f"{info}_changelist"), reverse(f"{info}_changelist") + f"?q={SCRIPT}"]
        with contextlib.suppress(NoReverseMatch):
            pages.append(reverse(f"{info}_add"))
        instance = objects.get(model._meta.label_lower) or model.objects.first()
        if instance is not None:
            for view in ("change", "history", "delete"):
                pages.append(reverse(f"{info}_{view}", args=[instance.pk]))
    return pages


class InlineCodeFinder(HTMLParser):
    """Collects what a strict Content-Security-Policy would block: inline scripts, style
    attributes and elements, and event-handler attributes."""

    DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}

    def __init__(self):
        super().__init__()
        self.found = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self._in_inline_script = attributes.get("type") not in self.DATA_SCRIPT_TYPES
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action") and (value or "").lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.found.append(f"inline script: {data.strip()[:60]!r}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def inline_code(html):
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.found
