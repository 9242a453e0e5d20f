"""How the reports write a cell: the same value the CSV holds, in the page's language."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def report_cell(value):
    """None as a dash (no figure), numbers with the language's separators, text as it is."""
    if value is None:
        return "–"
    if isinstance(value, Decimal):
        decimals = max(0, -value.as_tuple().exponent)
        return number_format(value, decimals, use_l10n=True, force_grouping=True)
    if isinstance(value, int):
        return number_format(value, use_l10n=True, force_grouping=True)
    return value
