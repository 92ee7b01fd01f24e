"""Footnotes and endnotes of a Word document (``word/footnotes.xml``, ``word/endnotes.xml``).

python-docx has no API for them: the parts are found through the main part's relationships
and parsed with python-docx's own parser (no entity resolution). A note's label is what Word
prints at the call: the call's position among the calls of its kind, formatted with the
document's number format (footnotes ``1, 2, 3`` and endnotes ``i, ii, iii`` by default,
``w:footnotePr``/``w:endnotePr`` of the last section or of the settings part), or the custom
mark that follows the call (``w:customMarkFollows``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RELTYPES = {
    "footnote": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes",
    "endnote": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes",
}
_DEFAULT_FORMAT = {"footnote": "decimal", "endnote": "lowerRoman"}
_SYMBOLS = "*†‡§"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def roman(number: int) -> str:
    """Lower-case Roman numeral of ``number`` (1 -> "i", 14 -> "xiv")."""
    out = []
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def format_number(number: int, fmt: str) -> str:
    """``number`` in a Word ``w:numFmt`` (decimal, lowerRoman, upperLetter, chicago...); decimal otherwise."""
    if fmt == "lowerRoman":
        return roman(number)
    if fmt == "upperRoman":
        return roman(number).upper()
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "chicago":
        return _SYMBOLS[(number - 1) % 4] * ((number - 1) // 4 + 1)
    return str(number)


@dataclass
class NoteCall:
    """One call in the body: its kind, the note's id in its part and the label printed at the call."""

    kind: str
    note_id: str
    label: str


@dataclass
class WordNotes:
    """The note texts of a document and the counters that label its calls in reading order."""

    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    formats: dict[str, tuple[str, int]] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)

    def calls(self, p: Any) -> list[NoteCall]:
        """The footnote and endnote calls of paragraph ``p``, in order, with their labels."""
        out: list[NoteCall] = []
        for ref in p.iter(_w("footnoteReference"), _w("endnoteReference")):
            kind = "footnote" if ref.tag == _w("footnoteReference") else "endnote"
            note_id = ref.get(_w("id")) or ""
            if ref.get(_w("customMarkFollows")) in ("1", "true", "on"):
                label = _following_text(ref) or "*"
            else:
                self.counters[kind] = self.counters.get(kind, 0) + 1
                fmt, start = self.formats.get(kind, (_DEFAULT_FORMAT[kind], 1))
                label = format_number(self.counters[kind] + start - 1, fmt)
            out.append(NoteCall(kind=kind, note_id=note_id, label=label))
        return out

    def text(self, call: NoteCall) -> str | None:
        return self.texts.get(call.kind, {}).get(call.note_id)


def _following_text(ref: Any) -> str:
    """The text right after a call with a custom mark (the mark itself), in the same or the next run."""
    run = ref.getparent()
    for candidate in (run, run.getnext()):
        if candidate is None:
            continue
        texts = [t.text or "" for t in candidate.iter(_w("t"))]
        if texts and "".join(texts).strip():
            return "".join(texts).strip()
    return ""


def _note_texts(root: Any, kind: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    for note in root.iter(_w(kind)):
        if note.get(_w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        paragraphs = []
        for p in note.iter(_w("p")):
            words = "".join(t.text or "" for t in p.iter(_w("t")))
            if words.strip():
                paragraphs.append(" ".join(words.split()))
        if paragraphs:
            texts[note.get(_w("id")) or ""] = "\n".join(paragraphs)
    return texts


def _formats(document: Any) -> dict[str, tuple[str, int]]:
    """(number format, start) per kind from the body's last ``w:sectPr``, else the settings part."""
    found: dict[str, tuple[str, int]] = {}
    sources = []
    try:
        sources.append(document.element.body.find(_w("sectPr")))
        sources.append(document.settings.element)
    except Exception:  # no settings part: defaults
        pass
    for kind in ("footnote", "endnote"):
        for source in sources:
            pr = source.find(_w(f"{kind}Pr")) if source is not None else None
            if pr is None:
                continue
            fmt = pr.find(_w("numFmt"))
            start = pr.find(_w("numStart"))
            try:
                start_value = int(start.get(_w("val"))) if start is not None else 1
            except (TypeError, ValueError):
                start_value = 1
            found[kind] = (fmt.get(_w("val")) if fmt is not None else _DEFAULT_FORMAT[kind], start_value)
            break
    return found


def read_notes(document: Any) -> WordNotes:
    """The footnotes and endnotes of a python-docx ``Document`` (empty when it has none)."""
    from docx.oxml.parser import parse_xml

    notes = WordNotes(formats=_formats(document))
    for rel in document.part.rels.values():
        for kind, reltype in _RELTYPES.items():
            if rel.reltype != reltype or rel.is_external:
                continue
            part = rel.target_part
            root = part.element if hasattr(part, "element") else parse_xml(part.blob)
            notes.texts[kind] = _note_texts(root, kind)
    return notes
