"""Checking uploaded attachments by what they are, not by what they are called.

A file is accepted when its first bytes are those of a PDF, a PNG, JPEG, GIF or WebP image, or
an office document (OOXML and OpenDocument are zip archives naming their own type; older
Word, Excel and PowerPoint files are OLE compound files), its name ends as that type's
does, and nothing in it looks like HTML or SVG: a "polyglot" that is a valid image and also a
page a browser would run is refused. The type stored and sent is the one found here, never
the browser's claim. Files are stored under a random name (``random_upload_name``) and
served as downloads with ``X-Content-Type-Options: nosniff``.
"""

import os
import re
import secrets
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple  # the first is the stored file's


PDF = FileType("application/pdf", (".pdf",))
PNG = FileType("image/png", (".png",))
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"))
GIF = FileType("image/gif", (".gif",))
WEBP = FileType("image/webp", (".webp",))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
)
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",)
)
ODT = FileType("application/vnd.oasis.opendocument.text", (".odt",))
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", (".ods",))
ODP = FileType("application/vnd.oasis.opendocument.presentation", (".odp",))
OLE = FileType("application/octet-stream", (".doc", ".xls", ".ppt"))
# An OLE compound file is a container: its name tells which program wrote it.
OLE_TYPES = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}

ACCEPTED = (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP, OLE)
OOXML_PARTS = {"word/": DOCX, "xl/": XLSX, "ppt/": PPTX}
OPENDOCUMENT = {t.content_type: t for t in (ODT, ODS, ODP)}

# Markup a browser would render or run if it ever took the file for a page; a binary
# format has no reason to hold any of it in the clear.
MARKUP = re.compile(
    rb"<\s*(?:script|html|svg|body|iframe|object|embed|meta|head|!doctype)\b|javascript:",
    re.IGNORECASE,
)

NOT_ACCEPTED_MESSAGE = _(
    "This kind of file is not accepted. Attach a PDF, an image (PNG, JPEG, GIF, WebP) or an "
    "office document (Word, Excel, PowerPoint, OpenDocument)."
)
NAME_MISMATCH_MESSAGE = _(
    "The file's name does not match its content (it is a %(kind)s file): rename it to end "
    "with %(extension)s."
)
MARKUP_MESSAGE = _(
    "The file holds web page code (HTML, SVG or script), so it is not accepted. Save it "
    "again as a plain PDF, image or office document."
)
TOO_LARGE_MESSAGE = _("The file is %(size)s; at most %(limit)s is accepted.")
EMPTY_MESSAGE = _("The file is empty.")


def _zip_type(upload):
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return OPENDOCUMENT.get(declared)
            if "[Content_Types].xml" in names:
                for prefix, file_type in OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return file_type
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        return None
    return None


def sniff(upload):
    """The accepted FileType whose signature ``upload`` (a file object) starts with, or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        found = _zip_type(upload)
        upload.seek(0)
        return found
    return None


def holds_markup(upload, chunk_size=64 * 1024):
    """Whether HTML, SVG or a script URL occurs anywhere in ``upload``'s bytes."""
    upload.seek(0)
    tail = b""
    while chunk := upload.read(chunk_size):
        if MARKUP.search(tail + chunk):
            upload.seek(0)
            return True
        tail = chunk[-32:]
    upload.seek(0)
    return False


def check_upload(upload, max_bytes):
    """The content type of an uploaded file that may be kept, or a ValidationError saying why
    not."""
    if upload.size == 0:
        raise ValidationError(EMPTY_MESSAGE, code="empty")
    if upload.size > max_bytes:
        raise ValidationError(
            TOO_LARGE_MESSAGE,
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
        )
    file_type = sniff(upload)
    if file_type is None:
        raise ValidationError(NOT_ACCEPTED_MESSAGE, code="type")
    name = (upload.name or "").lower()
    if not name.endswith(file_type.extensions):
        raise ValidationError(
            NAME_MISMATCH_MESSAGE,
            code="name",
            params={
                "kind": file_type.extensions[0].lstrip(".").upper(),
                "extension": " / ".join(file_type.extensions),
            },
        )
    if holds_markup(upload):
        raise ValidationError(MARKUP_MESSAGE, code="markup")
    if file_type is OLE:
        return OLE_TYPES[name[name.rindex(".") :]]
    return file_type.content_type


def random_upload_name(folder, original_name):
    """A stored name that tells nothing and cannot be guessed, keeping the (checked) extension."""
    extension = os.path.splitext(os.path.basename(original_name))[1].lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,8}", extension):
        extension = ""
    return f"{folder}/{secrets.token_urlsafe(18)}{extension}"
