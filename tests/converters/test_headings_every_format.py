"""No one-character heading on any document of the corpus and samples, whatever its format (issue #13's proof).

The PDFs are walked by tests/converters/test_pdf_headings.py (one- or two-character headings: they come from
the layout's guesses). The other formats take their headings from the author's styles and title placeholders:
a two-letter title an author typed ("TP", a slide of practical work) is theirs to keep, but a heading of one
character, or of no letter or digit at all, is a bullet, a symbol or a drop cap read as a heading.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_golden import CORPUS, SAMPLES, SLOW, converted

from inclusio.model import Heading

SUFFIXES = (".docx", ".pptx", ".odt", ".odp", ".md", ".html", ".htm")


def _documents() -> list[object]:
    found = [
        p
        for folder in (CORPUS, SAMPLES)
        for p in sorted(folder.iterdir())
        if p.suffix.lower() in SUFFIXES and p.name.lower() != "readme.md"
    ]
    return [pytest.param(p, id=p.name, marks=[pytest.mark.slow] if p.name in SLOW else []) for p in found]


def test_the_corpus_has_documents_of_other_formats() -> None:
    names = {p.values[0].suffix for p in _documents()}  # type: ignore[attr-defined]
    assert {".docx", ".pptx"} <= names


@pytest.mark.parametrize("path", _documents())
def test_no_document_of_another_format_has_a_one_character_heading(path: Path) -> None:
    headings = [b.text for b in converted(path).blocks if isinstance(b, Heading)]
    assert headings, f"{path.name}: no heading at all"
    short = [h for h in headings if len("".join(h.split())) <= 1 or not any(c.isalnum() for c in h)]
    assert not short, f"{path.name}: headings that are no text: {short}"
