"""Conversion issues speak from the warning catalogue, in French and English, with their details.

Documents built here trigger the issues whose converters used to write their own English text
(a picture over the pixel limit, an SVG with a script, a declared language the text contradicts, an
object on a slide nobody can read); the corpus documents are checked by ``test_golden.py``.
"""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

import pytest
from issue_checks import assert_catalogue_issues

from inclusio.converters.base import ConvertContext
from inclusio.converters.registry import convert
from inclusio.model import DocumentBuilder
from inclusio.warning_codes import warning_text

FRENCH = "Le cours présente les bases de la chimie et les réactions qui sont étudiées en classe. " * 10


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` x ``height`` pixels in a hundred bytes (no image data)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    )


def test_html_issues_have_french_and_english_messages_with_their_details(tmp_path: Path) -> None:
    huge = base64.b64encode(_png_header(10_000, 10_000)).decode()
    svg = base64.b64encode(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script>'
        b'<rect width="10" height="10"/></svg>'
    ).decode()
    path = tmp_path / "page.html"
    path.write_text(
        f'<!doctype html><html lang="en-US"><head><title>Chimie</title></head><body><h1>Chimie</h1><p>{FRENCH}</p>'
        f'<img alt="énorme" src="data:image/png;base64,{huge}">'
        f'<img alt="dessin" src="data:image/svg+xml;base64,{svg}">'
        '<img alt="lien" src="images/lien.png"></body></html>',
        encoding="utf-8",
    )
    doc = convert(path, ConvertContext(filename=path.name))

    by_code = {issue.code: issue for issue in doc.issues}
    assert {
        "lang.declared_mismatch",
        "image.too_large",
        "image.active_content_removed",
        "image.not_embedded",
    } <= set(by_code)
    assert_catalogue_issues(doc)
    mismatch = by_code["lang.declared_mismatch"]
    assert "en-US" in mismatch.message and "en-US" in (mismatch.message_fr or "")
    too_large = by_code["image.too_large"]
    assert "100 megapixels" in too_large.message and "100 mégapixels" in (too_large.message_fr or "")
    assert "50 mégapixels" in (too_large.message_fr or "")  # the server's limit, in both languages
    assert "script" in (by_code["image.active_content_removed"].message_fr or "")


def test_pptx_issues_have_french_and_english_messages(tmp_path: Path) -> None:
    import zipfile

    from pptx import Presentation
    from pptx.util import Inches

    image = tmp_path / "small.png"
    image.write_bytes(_png_header(64, 64))
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Image énorme"
    slide.shapes.add_picture(str(image), Inches(1), Inches(2), Inches(4), Inches(3))
    prs.save(tmp_path / "small.pptx")
    path = tmp_path / "huge.pptx"  # the picture swapped for one that declares 1.6 gigapixels
    with zipfile.ZipFile(tmp_path / "small.pptx") as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            media = info.filename.startswith("ppt/media/")
            zout.writestr(info, _png_header(40_000, 40_000) if media else zin.read(info))

    doc = convert(path, ConvertContext(filename=path.name))

    assert [i.code for i in doc.issues] == ["image.too_large"]
    assert_catalogue_issues(doc)
    assert "1600 mégapixels" in (doc.issues[0].message_fr or "")


def test_the_builder_takes_messages_only_from_the_catalogue() -> None:
    builder = DocumentBuilder()
    builder.issue("pdf.table_failed", page=3, reason="no cells")
    [issue] = builder.issues
    assert issue.message == warning_text("pdf.table_failed", "en", page=3, reason="no cells")
    assert issue.message_fr == "Un tableau de la page 3 n'a pas pu être lu : no cells"
    with pytest.raises(KeyError):
        builder.issue("pdf.not_a_code")
    with pytest.raises(KeyError):  # a detail the message names is missing
        builder.issue("pdf.table_failed", page=3)
