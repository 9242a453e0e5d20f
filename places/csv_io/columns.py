"""The columns of the places CSV and of its sister file of exceptions, and how a cell is written
so that a spreadsheet keeps it as text (and read back)."""

import csv
import functools
import re
from pathlib import Path

# The first fifteen are the original format's, in its order, so that files made for it still
# line up; the rest carry every other field a place has (issue 19).
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
    "slug",
    "is_published",
    "last_verified",
    "name_sv",
    "name_en",
    "description_sv",
    "description_en",
    "price_note",
    "step_free_access",
    "accessible_toilet",
    "induction_loop",
    "accessibility_note",
    "languages",
    "amenities",
    "online_url",
    "contact_name",
    "hours_note",
    "uuid",
    "ptv_id",
    "location_approximate",
    "arrival",
    "greets_newcomers",
    "arrival_note",
    "nearest_stop",
    "accessible_parking",
    "stroller_space",
    "guide_dogs_welcome",
    "accessibility_contact",
    "address_hidden",
    "entrance_photo_alt",
    "by_appointment_otherwise",
)
# What the public file leaves empty for a place whose address is hidden (Place.public_location).
HIDDEN_ADDRESS_COLUMNS = (
    "street_address",
    "postal_code",
    "postal_town",
    "latitude",
    "longitude",
    "nearest_stop",
    "entrance_photo_alt",
)
REQUIRED_COLUMNS = (
    "name",
    "organization",
    "municipality",
    "street_address",
    "postal_code",
    "postal_town",
)
BOOLEAN_COLUMNS = (
    "by_appointment_otherwise",
    "free_of_charge",
    "step_free_access",
    "accessible_toilet",
    "induction_loop",
    "is_published",
    "location_approximate",
    "greets_newcomers",
    "accessible_parking",
    "stroller_space",
    "guide_dogs_welcome",
    "address_hidden",
)
COORDINATE_COLUMNS = ("latitude", "longitude")
CHOICE_LIST_COLUMNS = ("languages", "amenities")
URL_COLUMNS = ("website", "online_url")
DATE_COLUMNS = ("last_verified",)
# Set when a place is created; an import never changes them on an existing place.
IDENTIFIER_COLUMNS = ("uuid", "ptv_id")
# Columns copied to a model field of the same name once parsed.
PLACE_FIELD_COLUMNS = tuple(
    name
    for name in CSV_COLUMNS
    if name not in ("organization", "municipality", "audiences", "opening_hours")
    and name not in IDENTIFIER_COLUMNS
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
LIST_SEPARATOR = ";"
AUDIENCE_SEPARATOR = LIST_SEPARATOR

# The sister file: one row per exception to a place's opening hours.
EXCEPTION_COLUMNS = ("place", "start_date", "end_date", "closed", "opens", "closes", "reason")
EXCEPTION_REQUIRED_COLUMNS = ("place", "start_date")

# Finnish and Swedish names of the columns, which a spreadsheet made by hand may use: a data
# file, one row per column, aliases separated by "|".
COLUMN_NAMES_FILE = Path(__file__).resolve().parent.parent / "data" / "csv_column_names.csv"

TRUE_WORDS = {"1", "true", "yes", "kyllä", "kylla", "ja"}
FALSE_WORDS = {"0", "false", "no", "ei", "nej"}
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
APOSTROPHE = "'"
PHONE_NUMBER = re.compile(r"\+[\d ()-]+")
# "PH" in an opening_hours text outside its comments ("…"): the text says what public holidays
# are; one that does not is closed on them, as the admin's form is by default.
PUBLIC_HOLIDAYS = re.compile(r"(?<![A-Za-z])PH(?![A-Za-z])", re.IGNORECASE)
COMMENT = re.compile(r'"[^"]*"')


def as_text_in_spreadsheets(cell):
    """A leading apostrophe keeps a spreadsheet from running a cell as a formula; the import
    takes it off again. International phone numbers ("+358 40 …") are left as they are. A text
    that itself starts with an apostrophe before such a character (or before another
    apostrophe) gets one more, so that taking one off on import gives it back unchanged."""
    if cell.startswith(FORMULA_STARTS) and not PHONE_NUMBER.fullmatch(cell):
        return APOSTROPHE + cell
    if _is_escaped(cell):
        return APOSTROPHE + cell
    return cell


def mentions_public_holidays(opening_hours):
    return bool(PUBLIC_HOLIDAYS.search(COMMENT.sub("", opening_hours)))


def from_spreadsheet(cell):
    """The inverse of as_text_in_spreadsheets (after stripping the cell)."""
    cell = cell.strip()
    if _is_escaped(cell):
        return cell[1:]
    return cell


def _is_escaped(cell):
    return cell.startswith(APOSTROPHE) and cell[1:].startswith((*FORMULA_STARTS, APOSTROPHE))


def _folded(name):
    return " ".join(name.replace("\ufeff", "").split()).casefold()


@functools.cache
def column_aliases():
    """{folded name: column} for every Finnish, Swedish and English name of every column."""
    aliases = {}
    with COLUMN_NAMES_FILE.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            column = row["column"]
            aliases[_folded(column)] = column
            for language in ("fi", "sv"):
                for alias in filter(None, row[language].split("|")):
                    aliases[_folded(alias)] = column
    return aliases


def canonical_column(name):
    """The format's name of a header cell: "Nimi", "namn" and " NAME " are all "name". A name
    that is no column's comes back stripped and case-folded."""
    folded = _folded(name)
    return column_aliases().get(folded, folded)
