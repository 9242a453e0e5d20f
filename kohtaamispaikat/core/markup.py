"""Markdown written in the admin, rendered to HTML that is safe to put on a page.

Python-Markdown turns the text into HTML (and passes raw HTML through, as Markdown allows);
nh3 (the Ammonia sanitiser) then keeps only the tags and attributes below and links with
http, https or mailto addresses. Whatever the author typed, scripts, event handlers, styles,
iframes and ``javascript:`` links never reach the page. Images are left out: the
Content-Security-Policy allows images from the site only, and attachments serve that need.
"""

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text):
    """Sanitised HTML of the Markdown ``text`` (a str: mark it safe where it is shown)."""
    html = markdown.markdown(text or "", extensions=["sane_lists", "tables"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
