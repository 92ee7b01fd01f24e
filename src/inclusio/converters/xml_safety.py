"""Refuse XML with document type declarations before any parser sees it ("billion laughs").

OOXML (DOCX, PPTX) and ODF parts never carry a ``<!DOCTYPE``: the formats forbid it (ECMA-376
Part 2 §8.1.4 for OPC packages). A part that has one is either damaged or hostile, typically
nested entity declarations that expand to gigabytes. python-docx and python-pptx parse with
``resolve_entities=False`` (measured: the entities are not expanded, the text is silently lost),
but a document whose text disappears is not an honest conversion, and other readers (our own
footnote parser, LibreOffice for ODF) may behave differently. So we reject such files with
``input.unsafe`` before parsing, reading each XML member as a stream (bounded memory, members'
total size already checked by :func:`inclusio.converters.ooxml.check_archive`).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from inclusio.errors import InputCorrupt, InputUnsafe

_XML_SUFFIXES = (".xml", ".rels", ".vml")
_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
_CHUNK = 1 << 20
_OVERLAP = max(len(m) for m in _MARKERS) - 1


def has_dtd(stream: object) -> bool:
    """Whether a binary stream (``.read(n)``) contains a DOCTYPE or ENTITY declaration, read in chunks."""
    tail = b""
    while True:
        chunk = stream.read(_CHUNK)  # type: ignore[attr-defined]
        if not chunk:
            return False
        window = tail + chunk
        if any(marker in window for marker in _MARKERS):
            return True
        tail = window[-_OVERLAP:]


def check_zip_xml(path: Path, *, suffixes: tuple[str, ...] = _XML_SUFFIXES) -> None:
    """Raise ``input.unsafe`` when an XML member of the zip at ``path`` declares a DTD or entities.

    Raises ``input.corrupt`` when a member cannot be decompressed (bad CRC, truncated data, a compression
    method zipfile does not know: ``NotImplementedError``; an encrypted member: ``RuntimeError``).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.is_dir() or not info.filename.lower().endswith(suffixes):
                    continue
                with archive.open(info) as member:
                    if has_dtd(member):
                        raise InputUnsafe(
                            details={
                                "member": info.filename,
                                "reason": "XML document type declaration (DTD/entities)",
                            }
                        )
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        raise InputCorrupt(details={"reason": f"{type(exc).__name__}: {exc}"}) from exc


def check_ooxml_xml(path: Path) -> None:
    """:func:`check_zip_xml` for a DOCX or PPTX (every ``.xml``, ``.rels`` and ``.vml`` part)."""
    check_zip_xml(path)


def check_xml_bytes(data: bytes, *, what: str = "document") -> None:
    """Raise ``input.unsafe`` when ``data`` (an XML or HTML file) declares entities in a DTD.

    A plain ``<!DOCTYPE html>`` is fine for HTML; only an internal subset with ``<!ENTITY`` is refused.
    """
    for encoding in ("ascii", "utf-16-le", "utf-16-be"):
        if "<!ENTITY".encode(encoding) in data:
            raise InputUnsafe(details={"member": what, "reason": "XML entity declaration"})
