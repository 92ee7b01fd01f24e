"""Footnotes at the bottom of a PDF page.

A footnote is small text (at most :data:`SMALL` of the body font size, not monospaced: small code
listings are not notes) in the lower part of the
page (below :data:`ZONE` of its height), below all the body text of the page, whose first line
starts with its label: a number, a letter or a symbol (``1``, ``a``, ``*``, ``†``...), possibly
printed as a superscript. Lines that follow a label without one belong to the same note. The
small lines above the first label are left in the text (the end of a note begun on the previous
page, or small print that is not a note).

The note's *call* is the same label printed as a superscript in the body text of the page;
:func:`split_footnotes` only cuts the notes out, the converter places each note right after the
paragraph that holds its call (else at the end of the page) and records the label.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

SMALL = 0.92
ZONE = 0.55
_LABEL = re.compile(r"^\s*(\d{1,3}|[a-z]|[*†‡§¶]{1,3})(?:[.)]\s*|\s+|(?=[A-ZÀ-Ýa-zà-ÿ(\"«“]))(\S.*)$")


class _LineLike(Protocol):
    text: str
    bbox: tuple[float, float, float, float]
    size: float
    mono: bool
    sups: tuple[str, ...]


@dataclass
class FootnoteLines:
    label: str
    lines: list[_LineLike]


def split_footnotes(
    lines: Sequence[_LineLike], page_height: float, body_size: float
) -> tuple[list[_LineLike], list[FootnoteLines]]:
    """(The lines that stay in the text, the footnotes cut out of ``lines``)."""
    if not lines or body_size <= 0:
        return list(lines), []
    small = SMALL * body_size
    by_bottom = sorted(lines, key=lambda ln: ln.bbox[1], reverse=True)
    zone: list[_LineLike] = []
    for line in by_bottom:
        if line.size > small or line.bbox[1] < ZONE * page_height or line.mono:
            break
        zone.append(line)
    if not zone:
        return list(lines), []
    zone.reverse()
    notes: list[FootnoteLines] = []
    for line in zone:
        label = _label(line)
        if label is not None:
            notes.append(FootnoteLines(label=label, lines=[line]))
        elif notes:
            notes[-1].lines.append(line)
    if not notes:
        return list(lines), []
    taken = {id(line) for note in notes for line in note.lines}
    return [line for line in lines if id(line) not in taken], notes


def _label(line: _LineLike) -> str | None:
    """The label a note line starts with (a leading superscript counts), or None."""
    text = line.text.strip()
    if line.sups and text.startswith(line.sups[0]) and len(text) > len(line.sups[0]):
        return line.sups[0].strip()
    match = _LABEL.match(text)
    if match is None:
        return None
    label = match.group(1)
    # A lower-case letter is a label only when a separator follows ("a) ...", "a. ..."), not "a word".
    if label.isalpha() and not re.match(r"^\s*[a-z][.)]", text):
        return None
    return label


def note_text(note: FootnoteLines, join: object) -> str:
    """The note's text without its label (``join`` joins wrapped lines, see ``pdf.join_lines``)."""
    texts = [line.text for line in note.lines]
    first = texts[0].strip()
    first = first[len(note.label) :].lstrip(" .)") if first.startswith(note.label) else first
    texts[0] = first
    return join(texts)  # type: ignore[operator,no-any-return]
