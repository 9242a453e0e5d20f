"""Reading an uploaded file: checked to be a reasonably sized text file, decoded, and split into
records by its header."""

import csv
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from places.csv_io.columns import from_spreadsheet


def csv_import_max_bytes():
    return getattr(settings, "CSV_IMPORT_MAX_BYTES", 5 * 1024 * 1024)


class CsvFileError(ValidationError):
    """The file as a whole cannot be imported (too large, not text, not UTF-8)."""


def read_csv_source(source):
    """The text of ``source`` (a str, bytes, or a text or binary file), checked to be a
    reasonably sized UTF-8 text file; raises CsvFileError otherwise."""
    limit = csv_import_max_bytes()
    if hasattr(source, "read"):
        try:
            source = source.read(limit + 1)
        except UnicodeDecodeError as error:  # a file opened as text in another encoding
            raise _not_utf8() from error
    data = source.encode("utf-8") if isinstance(source, str) else bytes(source)
    if len(data) > limit:
        raise CsvFileError(
            _("The file is too large: at most %(limit)s megabytes can be imported at once."),
            code="too_large",
            params={"limit": round(limit / (1024 * 1024), 1)},
        )
    if b"\x00" in data:
        raise CsvFileError(
            _("This is not a CSV file. Save the spreadsheet as “CSV UTF-8” and try again."),
            code="binary",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _not_utf8() from error
    if not text.strip():
        raise CsvFileError(_("The file is empty."), code="empty")
    return text


def _not_utf8():
    return CsvFileError(
        _(
            "The file is not in UTF-8. Save the spreadsheet as “CSV UTF-8 (comma delimited)” "
            "and try again."
        ),
        code="not_utf8",
    )


def delimiter_of(text):
    """Comma or semicolon (Excel in Finnish saves with semicolons), judged on the header."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def csv_import_max_rows():
    return getattr(settings, "CSV_IMPORT_MAX_ROWS", 5000)


def header_of(text):
    """The column names of the file's first row, stripped and in lower case."""
    try:
        first = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text)), [])
    except csv.Error:
        return []
    return [name.strip().lower() for name in first]


def read_records(text, columns, required, report, empty_message):
    """The data rows of ``text`` as (spreadsheet row number, {column: cell}), the cells
    stripped and taken out of their spreadsheet escaping; problems with the file as a whole
    (unknown, missing or repeated columns, too many rows) go to ``report``."""
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text)))
    except csv.Error:
        report.add(None, "", _("The file cannot be read as CSV."))
        return []
    header = [name.strip().lower() for name in rows[0]] if rows else []
    unknown = [name for name in header if name and name not in columns]
    missing = [name for name in required if name not in header]
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if unknown:
        report.add(
            None,
            "",
            _("Unknown columns: %(columns)s. The columns are: %(known)s.")
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
