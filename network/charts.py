"""Server-rendered SVG charts of the reports (#17), drawn by pygal.

pygal's SVG carries a ``<style>`` element, a ``<script>`` for its tooltips and style attributes:
the site's Content-Security-Policy allows none of them, and no chart needs JavaScript. They are
taken out here and the site's stylesheet colours the series by pygal's ``color-N`` classes.
What remains is a static image with a title and a description (``role="img"``); the table
beside it holds the same numbers for screen readers and for printing.
"""

import xml.etree.ElementTree as ET

import pygal
from django.utils.formats import number_format
from pygal.style import Style

SVG = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")

DROPPED_GROUPS = {"tooltip-overlay", "overlay"}
# Sizes as the site's stylesheet draws the text: pygal lays the chart out by them, though the
# styles it would write are left out.
LAYOUT = Style(
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=12,
    legend_font_size=13,
    title_font_size=17,
)


def _config(decimals=0, **options):
    # The section's heading names the chart on the page; the SVG's own <title> (set in _clean)
    # names it for screen readers. pygal would not wrap a long title.
    return {
        # Values printed on the bars as the page's tables write them (3,45 in Finnish).
        "value_formatter": lambda value: number_format(value, decimals, use_l10n=True),
        "js": [],
        "css": [],
        "disable_xml_declaration": True,
        "no_prefix": True,
        "show_legend": True,
        "legend_at_bottom": True,
        "print_values": True,
        "style": LAYOUT,
        "truncate_label": -1,
        "width": 800,
        "height": 400,
        **options,
    }


def _clean(svg_text, key, title, description):
    root = ET.fromstring(svg_text)
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag.rsplit("}", 1)[-1]
            classes = set(child.get("class", "").split())
            if tag in ("defs", "script", "style") or classes & DROPPED_GROUPS:
                parent.remove(child)
            elif tag == "desc" and parent is not root:
                parent.remove(child)  # pygal's tooltip data
    for element in root.iter():
        element.attrib.pop("style", None)
        element.attrib.pop("id", None)
    root.set("id", f"chart-{key}")
    root.set("class", "chart pygal-chart")
    root.set("role", "img")
    root.set("aria-labelledby", f"chart-{key}-title chart-{key}-desc")
    title_element = root.find(f"{{{SVG}}}title")
    if title_element is None:
        title_element = ET.Element(f"{{{SVG}}}title")
        root.insert(0, title_element)
    title_element.text = title
    title_element.set("id", f"chart-{key}-title")
    desc = ET.Element(f"{{{SVG}}}desc", {"id": f"chart-{key}-desc"})
    desc.text = description
    root.insert(list(root).index(title_element) + 1, desc)
    return ET.tostring(root, encoding="unicode")


def bar_chart(key, title, description, labels, series, horizontal=False, **options):
    """``series``: [(name, [value or None per label])]; values are Decimals or numbers."""
    chart_class = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = chart_class(**_config(**options))
    chart.x_labels = [str(label) for label in labels]
    for name, values in series:
        chart.add(str(name), [None if value is None else float(value) for value in values])
    return _clean(chart.render(is_unicode=True), key, title, description)


def line_chart(key, title, description, labels, series, **options):
    chart = pygal.Line(**_config(**options))
    chart.x_labels = [str(label) for label in labels]
    for name, values in series:
        chart.add(str(name), [None if value is None else float(value) for value in values])
    return _clean(chart.render(is_unicode=True), key, title, description)
