"""Uploaded files are judged by their bytes (kohtaamispaikat.core.uploads), and Markdown is
rendered sanitised (kohtaamispaikat.core.markup)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kohtaamispaikat.core.markup import render_markdown
from kohtaamispaikat.core.uploads import check_upload, random_upload_name

LIMIT = 1024 * 1024


def archive(*entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        for name, data in entries:
            zipped.writestr(name, data)
    return buffer.getvalue()


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("a.pdf", b"%PDF-1.7\n%%EOF", "application/pdf"),
        ("a.JPG", b"\xff\xd8\xff\xe0" + b"\0" * 10, "image/jpeg"),
        ("a.jpeg", b"\xff\xd8\xff\xdb" + b"\0" * 10, "image/jpeg"),
        ("a.gif", b"GIF87a" + b"\0" * 10, "image/gif"),
        ("a.webp", b"RIFF\0\0\0\0WEBPVP8 ", "image/webp"),
        ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8, "application/vnd.ms-excel"),
        (
            "a.xlsx",
            archive(("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<w/>")),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "a.odt",
            archive(("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "")),
            "application/vnd.oasis.opendocument.text",
        ),
    ],
)
def test_accepted_types_are_recognised_by_content(name, data, content_type):
    assert check_upload(upload(name, data), LIMIT) == content_type


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("a.zip", archive(("readme.txt", "hello")), "type"),
        ("a.docx", archive(("[Content_Types].xml", "<Types/>"), ("other/x.xml", "")), "type"),
        ("a.odt", archive(("mimetype", "text/html"), ("index.html", "")), "type"),
        ("a.docx", b"PK\x03\x04 not really a zip", "type"),
        ("a.svg", b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>", "type"),
        ("a.png", b"\x89PNG\r\n\x1a\n<SVG onload=alert(1)>", "markup"),
        ("a.jpg", b"\xff\xd8\xff\xe0" + b"x" * 70000 + b"<ScRiPt>", "markup"),
        ("a.pdf", b"%PDF-1.4 /URI (javascript:alert(1))", "markup"),
        ("a.pdf", b"%PDF-1.4 <!DOCTYPE html>", "markup"),
        ("a.png", b"%PDF-1.4", "name"),
        ("pdf", b"%PDF-1.4", "name"),
        ("a.pdf", b"", "empty"),
        ("a.pdf", b"%PDF-" + b"0" * LIMIT, "too_large"),
    ],
)
def test_refused_files_say_why(name, data, code):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(name, data), LIMIT)
    assert refused.value.code == code


def test_markup_split_across_read_chunks_is_found():
    data = b"%PDF-1.4" + b"0" * (64 * 1024 - 11) + b"<script>"
    with pytest.raises(ValidationError):
        check_upload(upload("a.pdf", data), LIMIT)


def test_stored_names_are_random_and_keep_only_the_extension():
    names = {random_upload_name("practices", "Salainen suunnitelma.PDF") for _ in range(20)}
    assert len(names) == 20
    assert all(n.startswith("practices/") and n.endswith(".pdf") for n in names)
    assert not any("Salainen" in n for n in names)
    assert random_upload_name("practices", "../../etc/passwd").count("/") == 1


def test_markdown_keeps_formatting_and_drops_everything_active():
    html = render_markdown(
        "**a** <b onclick=x>b</b> [c](https://example.org) [d](javascript:x) "
        '<a href="vbscript:x">e</a> <span style="color:red">f</span>'
    )
    assert "<strong>a</strong>" in html and "<b>b</b>" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">c</a>' in html
    for gone in ("onclick", "javascript", "vbscript", "style", "<span"):
        assert gone not in html
