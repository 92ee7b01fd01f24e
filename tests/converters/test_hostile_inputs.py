"""Hostile Office, HTML and Markdown files: each gives a typed error or a safe, reported result."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from inclusio.converters.base import ConvertContext
from inclusio.converters.registry import convert
from inclusio.errors import InputCorrupt, InputTooLarge, InputUnsafe, InputUnsupported
from inclusio.model import Figure, PageMarker


def ctx(path: Path, **limits: int) -> ConvertContext:
    return ConvertContext(filename=path.name, **limits)


def billion_laughs(root: str, levels: int = 9) -> str:
    """The classic entity bomb: ``&lol9;`` expands to 10**9 'lol's (3 GB)."""
    entities = "".join(f'<!ENTITY lol{i + 1} "' + f"&lol{i};" * 10 + '">' for i in range(levels))
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE {root} [<!ENTITY lol0 "lol">{entities}]>\n'


def _rewrite(source: Path, out: Path, member: str, edit) -> Path:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, edit(data.decode("utf-8")) if info.filename == member else data)
    return out


def _with_bomb(xml: str, root: str) -> str:
    xml = re.sub(r"^<\?xml[^>]*\?>\s*", "", xml)
    first_text = xml.index("<a:t>" if root == "p:sld" else "<w:t")
    start = xml.index(">", first_text) + 1
    return billion_laughs(root) + xml[:start] + "&lol9;" + xml[start:]


@pytest.mark.parametrize(
    ("name", "member", "root"),
    [
        ("fixture-word.docx", "word/document.xml", "w:document"),
        ("fixture-slides-notes.pptx", "ppt/slides/slide1.xml", "p:sld"),
    ],
)
def test_billion_laughs_in_office_xml_is_refused_unexpanded(
    tmp_path: Path, corpus_dir: Path, name: str, member: str, root: str
) -> None:
    path = _rewrite(corpus_dir / name, tmp_path / name, member, lambda xml: _with_bomb(xml, root))
    with pytest.raises(InputUnsafe) as err:
        convert(path, ctx(path))
    assert err.value.code == "input.unsafe"
    assert err.value.details["member"] == member


def test_small_entity_in_a_relationship_part_is_refused_too(tmp_path: Path, corpus_dir: Path) -> None:
    """Even a harmless-looking DTD: python-docx would silently drop the entity's text."""

    def edit(xml: str) -> str:
        return xml.replace("?>", '?><!DOCTYPE Relationships [<!ENTITY x "x">]>', 1)

    path = _rewrite(
        corpus_dir / "fixture-word.docx", tmp_path / "rels.docx", "word/_rels/document.xml.rels", edit
    )
    with pytest.raises(InputUnsafe):
        convert(path, ctx(path))


def test_utf16_encoded_dtd_is_found(tmp_path: Path, corpus_dir: Path) -> None:
    source = corpus_dir / "fixture-word.docx"
    path = tmp_path / "utf16.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                xml = _with_bomb(data.decode("utf-8"), "w:document").replace(
                    'encoding="UTF-8"', 'encoding="UTF-16"'
                )
                data = xml.encode("utf-16")
            zout.writestr(info, data)
    with pytest.raises(InputUnsafe):
        convert(path, ctx(path))


def test_malformed_xml_is_input_corrupt(tmp_path: Path, corpus_dir: Path) -> None:
    path = _rewrite(
        corpus_dir / "fixture-slides-notes.pptx",
        tmp_path / "broken.pptx",
        "ppt/presentation.xml",
        lambda xml: xml[: len(xml) // 2],
    )
    with pytest.raises(InputCorrupt):
        convert(path, ctx(path))
    path = _rewrite(
        corpus_dir / "fixture-word.docx",
        tmp_path / "broken.docx",
        "word/document.xml",
        lambda xml: xml.replace("<w:body>", "<w:body><w:p><w:r>", 1),
    )
    with pytest.raises(InputCorrupt):
        convert(path, ctx(path))


def test_one_malformed_slide_leaves_a_placeholder_and_the_rest_converts(
    tmp_path: Path, corpus_dir: Path
) -> None:
    """A slide whose XML is cut in half is one lost slide, not a lost deck (issue #13): a coded issue."""
    path = _rewrite(
        corpus_dir / "fixture-slides-notes.pptx",
        tmp_path / "slide.pptx",
        "ppt/slides/slide2.xml",
        lambda xml: xml[: len(xml) // 2],
    )
    whole = convert(corpus_dir / "fixture-slides-notes.pptx", ctx(corpus_dir / "fixture-slides-notes.pptx"))
    document = convert(path, ctx(path))
    issues = [i for i in document.issues if i.code == "slide.unreadable"]
    assert len(issues) == 1 and issues[0].source.slide == 2 and issues[0].message_fr
    placeholder = next(b for b in document.blocks if b.id == issues[0].block_id)
    assert placeholder.plain_text() == "Slide 2 (unreadable)"  # the deck is in English
    markers = [b.number for b in document.blocks if isinstance(b, PageMarker)]
    assert markers == [b.number for b in whole.blocks if isinstance(b, PageMarker)]
    kept = [
        b.plain_text()
        for b in whole.blocks
        if b.source and b.source.slide != 2 and not isinstance(b, PageMarker)
    ]
    texts = [b.plain_text() for b in document.blocks]
    assert kept and all(t in texts for t in kept)


def test_corrupt_member_data_is_input_corrupt(tmp_path: Path, corpus_dir: Path) -> None:
    data = bytearray((corpus_dir / "fixture-word.docx").read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    offset = info.header_offset + 30 + len(info.filename) + len(info.extra) + 10
    data[offset : offset + 20] = bytes(20)  # damage the deflated stream, not the directory
    path = tmp_path / "crc.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(InputCorrupt):
        convert(path, ctx(path))


def _zip_bomb(path: Path, base: Path, member: str) -> Path:
    import shutil

    shutil.copy(base, path)
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open(member, "w", force_zip64=True) as handle,
    ):
        chunk = bytes(1024 * 1024)
        for _ in range(300):  # 300 MB of zeros, ~300 KB compressed: ratio ~1000
            handle.write(chunk)
    return path


def test_pptx_zip_bomb_is_refused_before_parsing(tmp_path: Path, corpus_dir: Path) -> None:
    path = _zip_bomb(
        tmp_path / "bomb.pptx", corpus_dir / "fixture-slides-notes.pptx", "ppt/slides/slide9.xml"
    )
    with pytest.raises(InputTooLarge) as err:
        convert(path, ctx(path))
    assert err.value.details["member"] == "ppt/slides/slide9.xml"


def test_declared_total_size_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, corpus_dir: Path
) -> None:
    from inclusio.converters import ooxml

    monkeypatch.setattr(ooxml, "MAX_UNCOMPRESSED_BYTES", 100_000)  # the fixture expands to ~130 kB
    path = corpus_dir / "fixture-word.docx"
    with pytest.raises(InputTooLarge) as err:
        convert(path, ctx(path))
    assert err.value.details["limit"] == 100_000


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    )


def test_pptx_picture_beyond_the_pixel_limit_is_skipped_and_reported(tmp_path: Path) -> None:
    from pptx import Presentation
    from pptx.util import Inches

    image = tmp_path / "small.png"
    image.write_bytes(_png_header(64, 64))
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Image énorme"
    slide.shapes.add_picture(str(image), Inches(1), Inches(2), Inches(4), Inches(3))
    prs.save(tmp_path / "small.pptx")
    # Then swap the picture for one declaring 1.6 gigapixels in ~100 bytes (Pillow refuses to even open it).
    path = tmp_path / "huge.pptx"
    with zipfile.ZipFile(tmp_path / "small.pptx") as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            is_media = info.filename.startswith("ppt/media/")
            zout.writestr(info, _png_header(40_000, 40_000) if is_media else zin.read(info))

    doc = convert(path, ctx(path))
    assert not [b for b in doc.blocks if isinstance(b, Figure)]
    assert [i.code for i in doc.issues] == ["image.too_large"]
    assert "1600 megapixels" in doc.issues[0].message


def test_renamed_xlsx_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputUnsupported) as err:
        convert(path, ctx(path))
    assert "DOCX" in err.value.message and "Markdown" in err.value.message


def test_html_with_a_billion_laughs_dtd_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lol.html"
    path.write_text(
        billion_laughs("html").replace('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n', "")
        + "<html><body><p>&lol9;</p></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(InputUnsafe):
        convert(path, ctx(path))


def test_html_parser_never_expands_entities_even_unchecked(tmp_path: Path) -> None:
    """Defence in depth: without our check, lxml's HTML parser still does not expand a DTD's entities."""
    from inclusio.converters.html_input import html_to_document

    text = billion_laughs("html").split("\n", 1)[1] + "<html><body><p>avant &lol9; après</p></body></html>"
    doc = html_to_document(text, ConvertContext(filename="x.html"), media_type="text/html", converter="test")
    assert len(doc.to_json()) < 10_000
    assert "lollollol" not in doc.to_json()


def test_markdown_with_an_entity_bomb_in_raw_html_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lol.md"
    path.write_text("# Titre\n\n" + billion_laughs("x").split("\n", 1)[1] + "\n&lol9;\n", encoding="utf-8")
    with pytest.raises(InputUnsafe):
        convert(path, ctx(path))


def test_html_picture_beyond_the_pixel_limit_is_left_out(tmp_path: Path) -> None:
    import base64

    data = base64.b64encode(_png_header(20_000, 20_000)).decode()
    path = tmp_path / "page.html"
    path.write_text(
        f'<html><body><p>Texte.</p><img alt="Carte" src="data:image/png;base64,{data}"></body></html>'
    )
    doc = convert(path, ctx(path))
    figure = next(b for b in doc.blocks if isinstance(b, Figure))
    assert figure.image is None and figure.alt == "Carte"
    assert [i.code for i in doc.issues] == ["image.too_large"]


def test_unknown_zip_compression_method_is_input_corrupt(tmp_path: Path, corpus_dir: Path) -> None:
    """A member whose compression method zipfile does not know (NotImplementedError) was internal.error."""
    data = bytearray((corpus_dir / "fixture-slides-notes.pptx").read_bytes())
    name = b"ppt/slides/slide1.xml"
    entry = data.find(b"PK\x01\x02")  # central directory entries: name at offset 46
    while data[entry + 46 : entry + 46 + len(name)] != name:
        entry = data.find(b"PK\x01\x02", entry + 4)
        assert entry > 0, "slide1.xml not found in the central directory"
    data[entry + 10 : entry + 12] = struct.pack("<H", 99)  # its compression method
    path = tmp_path / "method.pptx"
    path.write_bytes(bytes(data))
    with pytest.raises(InputCorrupt) as err:
        convert(path, ctx(path))
    assert "NotImplementedError" in err.value.details["reason"]
