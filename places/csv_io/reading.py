"""Reading an uploaded file: checked to be a reasonably sized text file, decoded, and split into
records by its header."""

import csv
import io
import re
import string

from charset_normalizer import from_bytes
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from places.csv_io.columns import canonical_column, from_spreadsheet

DELIMITERS = (",", ";", "\t")


def csv_import_max_bytes():
    return getattr(settings, "CSV_IMPORT_MAX_BYTES", 5 * 1024 * 1024)


class CsvFileError(ValidationError):
    """The file as a whole cannot be imported (too large, not text, in no encoding we read)."""


# What spreadsheet programs in Finland save CSV files in, besides UTF-8: Windows-1252 (Excel's
# "CSV (semicolon delimited)" on Windows), ISO 8859-15, Mac Roman, the DOS code page 850, and
# UTF-16/32 (Excel's "Unicode text"). The first is preferred when two read the same.
SPREADSHEET_ENCODINGS = ("cp1252", "iso8859_15", "mac_roman", "cp850", "utf_16", "utf_32")
ENCODING_NAMES = {
    "utf_8": "UTF-8",
    "cp1252": "Windows-1252",
    "iso8859_15": "ISO 8859-15",
    "mac_roman": "Mac Roman",
    "cp850": "DOS 850",
    "utf_16": "UTF-16",
    "utf_32": "UTF-32",
}
# Characters that Finnish and Swedish texts have: of the readings charset-normalizer finds
# plausible, the one with the fewest other characters is the file's.
EXPECTED_CHARACTERS = frozenset(string.printable + "äöåÄÖÅéÉüÜèàáóíúñçøæØÆšžŠŽ€–—”“’‘•§½°«»…\xa0")


def read_csv_source(source):
    """The text of ``source`` (a str, bytes, or a text or binary file), checked to be a
    reasonably sized text file and decoded (see decode_csv); raises CsvFileError otherwise."""
    return read_csv(source)[0]


def read_csv(source):
    """(text, encoding) of ``source``, as read_csv_source."""
    limit = csv_import_max_bytes()
    if hasattr(source, "read"):
        try:
            source = source.read(limit + 1)
        except UnicodeDecodeError as error:  # a file opened as text in another encoding
            raise _not_text() from error
    data = source.encode("utf-8") if isinstance(source, str) else bytes(source)
    if len(data) > limit:
        raise CsvFileError(
            _("The file is too large: at most %(limit)s megabytes can be imported at once."),
            code="too_large",
            params={"limit": round(limit / (1024 * 1024), 1)},
        )
    text, encoding = decode_csv(data)
    if not text.strip():
        raise CsvFileError(_("The file is empty."), code="empty")
    return text, encoding


def decode_csv(data):
    """(text, encoding) of the bytes of a CSV file: UTF-8 (with or without a byte order mark)
    when they read as UTF-8, else the encoding charset-normalizer finds among
    SPREADSHEET_ENCODINGS. Raises CsvFileError for bytes that are no text in any of them."""
    try:
        return _text_only(data.decode("utf-8-sig")), "utf_8"
    except UnicodeDecodeError:
        pass
    readings = [
        (str(match), match.encoding)
        for match in from_bytes(data, cp_isolation=list(SPREADSHEET_ENCODINGS), threshold=0.5)
    ]
    if not readings:
        raise _not_text()
    text, encoding = min(
        readings,
        key=lambda reading: (
            sum(character not in EXPECTED_CHARACTERS for character in reading[0]),
            SPREADSHEET_ENCODINGS.index(reading[1])
            if reading[1] in SPREADSHEET_ENCODINGS
            else len(SPREADSHEET_ENCODINGS),
        ),
    )
    return _text_only(text.removeprefix("\ufeff")), encoding


def _text_only(text):
    if "\x00" in text:
        raise _not_text()
    return text


def _not_text():
    return CsvFileError(
        _(
            "This is not a CSV file, or it is in an encoding that cannot be read. Save the "
            "spreadsheet as “CSV UTF-8” or “CSV (semicolon delimited)” and try again."
        ),
        code="not_text",
    )


def delimiter_of(text):
    """Comma, semicolon (Excel in Finnish saves with semicolons) or tab, judged on the header:
    the one it has most of, outside quotes."""
    header = re.sub(r'"[^"]*"', "", text.split("\n", 1)[0])
    return max(DELIMITERS, key=header.count)


def csv_import_max_rows():
    return getattr(settings, "CSV_IMPORT_MAX_ROWS", 5000)


def header_of(text):
    """The columns of the file's first row, as the format names them (see canonical_column)."""
    try:
        first = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text)), [])
    except csv.Error:
        return []
    return [canonical_column(name) for name in first]


def read_records(text, columns, required, report, empty_message):
    """The data rows of ``text`` as (spreadsheet row number, {column: cell}), the cells
    stripped and taken out of their spreadsheet escaping; problems with the file as a whole
    (unknown, missing or repeated columns, too many rows) go to ``report``."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text)))
    except csv.Error:
        report.add(None, "", _("The file cannot be read as CSV."))
        return []
    given = rows[0] if rows else []
    header = [canonical_column(name) for name in given]
    unknown = [
        name.strip() for name, column in zip(given, header, strict=True) if column not in columns
    ]
    header = [column if column in columns else "" for column in header]
    missing = [name for name in required if name not in header]
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if unknown:
        report.add(
            None,
            "",
            _(
                "Unknown columns: %(columns)s. The columns are: %(known)s (or their Finnish or "
                "Swedish names, see the documentation)."
            )
            % {"columns": ", ".join(unknown), "known": ", ".join(columns)},
        )
    if missing:
        report.add(
            None,
            "",
            _("The file lacks required columns: %(columns)s.") % {"columns": ", ".join(missing)},
        )
    if repeated:
        report.add(
            None,
            "",
            _("These columns appear twice: %(columns)s.") % {"columns": ", ".join(repeated)},
        )
    if not report.ok:
        return []
    records = []
    for index, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if any(cell.strip() for cell in cells[len(header) :]):
            report.add(index, "", _("This row has more cells than there are columns."))
            continue
        cells = [from_spreadsheet(cell) for cell in cells[: len(header)]]
        cells += [""] * (len(header) - len(cells))
        records.append(
            (index, {name: cell for name, cell in zip(header, cells, strict=True) if name})
        )
    if not records:
        report.add(None, "", empty_message)
    elif len(records) > csv_import_max_rows():
        report.add(
            None,
            "",
            _("The file has %(count)d rows; at most %(limit)d can be imported at once.")
            % {"count": len(records), "limit": csv_import_max_rows()},
        )
    return records
