import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BUSINESS_ID_PATTERN = re.compile(r"^(\d{7})-(\d)$")
BUSINESS_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def business_id_check_digit(first_seven):
    """The check digit of a Finnish business ID (Y-tunnus), or None when none is valid."""
    remainder = sum(int(d) * w for d, w in zip(first_seven, BUSINESS_ID_WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def validate_business_id(value):
    match = BUSINESS_ID_PATTERN.match(value or "")
    if not match:
        raise ValidationError(
            _("Enter a business ID in the form 1234567-1."), code="invalid_business_id"
        )
    digits, check = match.groups()
    if business_id_check_digit(digits) != int(check):
        raise ValidationError(
            _("The check digit of this business ID is wrong. Check the number."),
            code="invalid_business_id_check",
        )


# Paths under /places/ that are pages of their own: a place with such a slug could not be reached.
RESERVED_PLACE_SLUGS = frozenset({"map"})


def validate_place_slug(value):
    if value in RESERVED_PLACE_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is the address of another page. Choose another slug."),
            code="reserved_slug",
            params={"slug": value},
        )
