"""The columns of the places CSV, and how a cell is written so that a spreadsheet keeps it as
text (and read back)."""

import re

CSV_COLUMNS = (
    "name",
    "organization",
    "municipality",
    "street_address",
    "postal_code",
    "postal_town",
    "latitude",
    "longitude",
    "audiences",
    "opening_hours",
    "phone",
    "email",
    "website",
    "description",
    "free_of_charge",
)
REQUIRED_COLUMNS = (
    "name",
    "organization",
    "municipality",
    "street_address",
    "postal_code",
    "postal_town",
)
# Columns copied to a model field of the same name once parsed.
PLACE_FIELD_COLUMNS = (
    "name",
    "street_address",
    "postal_code",
    "postal_town",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
    "description",
    "free_of_charge",
)
# Every field an import may change on an existing place.
UPDATED_FIELDS = (
    *PLACE_FIELD_COLUMNS,
    "municipality",
    "closed_on_public_holidays",
    "closed_on_eves",
    "updated_at",
    "edit_count",
)
AUDIENCE_SEPARATOR = ";"
TRUE_WORDS = {"1", "true", "yes", "kyllä", "kylla", "ja"}
FALSE_WORDS = {"0", "false", "no", "ei", "nej"}
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PHONE_NUMBER = re.compile(r"\+[\d ()-]+")


def as_text_in_spreadsheets(cell):
    """A leading apostrophe keeps a spreadsheet from running a cell as a formula; the import
    takes it off again. International phone numbers ("+358 40 …") are left as they are."""
    if cell.startswith(FORMULA_STARTS) and not PHONE_NUMBER.fullmatch(cell):
        return f"'{cell}"
    return cell


def from_spreadsheet(cell):
    cell = cell.strip()
    if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell
