"""One bad part, not a lost document: a Word file whose secondary parts are broken, read from a repaired copy.

python-docx parses the XML parts it knows (numbering, styles, settings, notes, headers, footers, comments,
core properties) and follows every relationship when it opens a file: one of them that does not parse, or
one relationship whose target is not in the archive, fails the whole document. When that happens
:func:`without_broken_parts` makes a temporary copy of the file where:

* each such XML part (any part but the main document) that does not parse is replaced by an empty one of
  its kind (``<w:numbering/>``, ``<w:footnotes/>``...), chosen from its content type;
* a relationships part that does not parse is replaced by an empty one (the main document's included: its
  pictures then become placeholders);
* a relationship whose target is not in the archive is dropped (the picture it pointed at becomes a
  placeholder where it was used).

The caller reads the copy and reports each repaired part. The main document part and the package's own
relationships cannot be repaired: without them there is no document (``input.corrupt``). The DTD check
(:func:`~inclusio.converters.xml_safety.check_ooxml_xml`) ran before: no entity is expanded here.
"""

from __future__ import annotations

import posixpath
import tempfile
import zipfile
from pathlib import Path
from typing import IO

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_STUBS = {
    _WML + "numbering+xml": f'<w:numbering xmlns:w="{_W}"/>',
    _WML + "styles+xml": f'<w:styles xmlns:w="{_W}"/>',
    _WML + "settings+xml": f'<w:settings xmlns:w="{_W}"/>',
    _WML + "footnotes+xml": f'<w:footnotes xmlns:w="{_W}"/>',
    _WML + "endnotes+xml": f'<w:endnotes xmlns:w="{_W}"/>',
    _WML + "header+xml": f'<w:hdr xmlns:w="{_W}"/>',
    _WML + "footer+xml": f'<w:ftr xmlns:w="{_W}"/>',
    _WML + "comments+xml": f'<w:comments xmlns:w="{_W}"/>',
    "application/vnd.openxmlformats-package.core-properties+xml": (
        "<cp:coreProperties xmlns:cp="
        '"http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>'
    ),
}
"""Content type -> an empty part of that kind, for the parts python-docx parses when it opens a file."""
_EMPTY_RELS = f'<Relationships xmlns="{_RELS_NS}"/>'.encode()
_MAIN = ("word/document.xml", "_rels/.rels", "[Content_Types].xml")

NOTES_PARTS = (_WML + "footnotes+xml", _WML + "endnotes+xml")


class Repair:
    """What the repaired copy changed: part name (``/word/numbering.xml``) -> reason, and its content type."""

    def __init__(self) -> None:
        self.broken: dict[str, str] = {}
        self.types: dict[str, str] = {}

    def notes_lost(self) -> str | None:
        """The reason the footnotes or endnotes part was lost, or None when it was not."""
        return next((r for part, r in self.broken.items() if self.types.get(part) in NOTES_PARTS), None)


def without_broken_parts(path: Path) -> tuple[IO[bytes], Repair] | None:
    """A temporary copy of the Word file with its broken parts replaced (see the module), and what was
    replaced; None when nothing could be repaired (the main part itself is broken, or nothing is)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    repair = Repair()
    try:
        with zipfile.ZipFile(path) as source:
            names = set(source.namelist())
            types = _content_types(source.read("[Content_Types].xml"), names, parser)
            parts: dict[str, bytes] = {}
            for info in source.infolist():
                parts[info.filename] = _checked_part(info.filename, source.read(info), types, parser, repair)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, etree.XMLSyntaxError):
        return None  # no content types, or the main document itself is broken
    names = set(parts)
    for name, data in parts.items():
        if name.endswith(".rels"):
            parts[name] = _drop_missing_targets(name, data, names, parser, repair)
    repair.types = {"/" + name: kind for name, kind in types.items()}
    if not repair.broken:
        return None
    copy = tempfile.TemporaryFile()  # noqa: SIM115 (handed to the caller, closed with the document)
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    copy.seek(0)
    return copy, repair


def _content_types(data: bytes, names: set[str], parser: object) -> dict[str, str]:
    """Member name -> content type, from ``[Content_Types].xml`` (overrides, then defaults by extension)."""
    from lxml import etree

    root = etree.fromstring(data, parser)
    defaults = {
        (el.get("Extension") or "").lower(): el.get("ContentType") or ""
        for el in root.iter(f"{{{_CT_NS}}}Default")
    }
    overrides = {
        (el.get("PartName") or "").lstrip("/"): el.get("ContentType") or ""
        for el in root.iter(f"{{{_CT_NS}}}Override")
    }
    return {name: overrides.get(name) or defaults.get(name.rsplit(".", 1)[-1].lower(), "") for name in names}


def _checked_part(name: str, data: bytes, types: dict[str, str], parser: object, repair: Repair) -> bytes:
    """The part as it is, or an empty one of its kind when it is an XML part python-docx would parse and
    it does not parse (the main document and the package relationships raise instead)."""
    from lxml import etree

    stub = _EMPTY_RELS if name.endswith(".rels") else _STUBS.get(types.get(name, ""), "").encode()
    if not stub and name not in _MAIN:
        return data
    try:
        etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if name in _MAIN:
            raise
        repair.broken["/" + name] = str(exc)
        return stub
    return data


def _drop_missing_targets(name: str, data: bytes, names: set[str], parser: object, repair: Repair) -> bytes:
    """The relationships part without the internal relationships whose target is not in the archive."""
    from lxml import etree

    root = etree.fromstring(data, parser)
    folder = posixpath.dirname(posixpath.dirname(name))  # word/_rels/document.xml.rels -> word
    dropped = False
    for rel in list(root.iter(f"{{{_RELS_NS}}}Relationship")):
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or not target:
            continue
        member = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        member = posixpath.normpath(member)
        if member not in names:
            repair.broken["/" + member] = f"{rel.get('Id')}: no such part in the file ({target})"
            root.remove(rel)
            dropped = True
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) if dropped else data
