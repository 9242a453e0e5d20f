"""Reading an uploaded file: checked to be a reasonably sized UTF-8 text file, then decoded."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


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
