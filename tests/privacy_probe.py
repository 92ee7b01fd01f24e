"""Looking for a person where nothing of them should be: bytes of files (inside zips and PDFs too),
the ID3 tags of MP3s, braille, every column of every table.

A needle is searched case-insensitively in UTF-8 and in UTF-16 (PDF metadata and ID3 frames may use
it); a zip's members and a PDF's objects, decompressed streams and metadata are searched as well, so
a name cannot hide in a deflated EPUB member or a compressed PDF stream.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.schema import MetaData


def _encodings(needle: str) -> list[bytes]:
    low = needle.lower()
    return [low.encode("utf-8"), low.encode("utf-16-be"), low.encode("utf-16-le")]


def _pdf_views(data: bytes) -> Iterator[tuple[str, bytes]]:
    from inclusio.pymupdf_setup import load

    with load().open(stream=data, filetype="pdf") as pdf:
        yield "metadata", repr(pdf.metadata).encode("utf-8")
        xmp = pdf.get_xml_metadata()
        yield "xmp", xmp.encode("utf-8")
        for page in pdf:
            yield f"page {page.number + 1} text", page.get_text().encode("utf-8")
        for xref in range(1, pdf.xref_length()):
            yield f"object {xref}", pdf.xref_object(xref, compressed=False).encode("utf-8", "replace")
            if pdf.xref_is_stream(xref):
                yield f"stream {xref}", pdf.xref_stream(xref) or b""


def _id3_views(data: bytes) -> Iterator[tuple[str, bytes]]:
    from mutagen.id3 import ID3, ID3NoHeaderError

    try:
        tags = ID3(io.BytesIO(data))
    except ID3NoHeaderError:
        return
    yield "id3", tags.pprint().encode("utf-8")
    for frame in tags.values():
        for sub in getattr(frame, "sub_frames", {}).values():  # CHAP frames carry their own titles
            yield f"id3 {frame.HashKey} sub-frame", str(sub).encode("utf-8")


def views(label: str, data: bytes, depth: int = 0) -> Iterator[tuple[str, bytes]]:
    """``data`` itself and everything it contains that a reader could show (zip members, PDF, ID3)."""
    yield label, data
    if depth > 2:
        return
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                yield f"{label}!{info.filename} (name)", info.filename.encode("utf-8")
                yield from views(f"{label}!{info.filename}", archive.read(info), depth + 1)
    elif data[:5] == b"%PDF-":
        for name, part in _pdf_views(data):
            yield f"{label} [{name}]", part
    elif data[:3] == b"ID3":
        for name, part in _id3_views(data):
            yield f"{label} [{name}]", part


def hits(label: str, data: bytes, needles: Iterable[str]) -> list[str]:
    """``"<where>: <needle>"`` for every needle found in ``data`` or what it contains."""
    found = []
    wanted = [(needle, _encodings(needle)) for needle in needles]
    for where, part in views(label, data):
        low = part.lower()
        found += [f"{where}: {needle}" for needle, forms in wanted if any(form in low for form in forms)]
    return found


def grep_tree(root: Path, needles: Iterable[str]) -> list[str]:
    """Every file under ``root`` (all of them, hidden, binary, SQLite and its -wal/-shm), and its name."""
    needles = list(needles)
    found: list[str] = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        found += [f"path {rel}: {n}" for n in needles if n.lower() in rel.lower()]
        if path.is_file() and not path.is_symlink():
            found += hits(rel, path.read_bytes(), needles)
    return found


def grep_tables(engine: Engine, needles: Iterable[str]) -> list[str]:
    """Every column of every row of every table of the database behind ``engine``."""
    needles = [n.lower() for n in needles]
    metadata = MetaData()
    metadata.reflect(engine)
    found: list[str] = []
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                for column, value in row._mapping.items():
                    text = _text(value).lower()
                    found += [f"{table.name}.{column}: {n}" for n in needles if n in text]
    assert inspect(engine).get_table_names(), "no table at all: wrong database"
    return found


def _text(value: Any) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return str(value)
