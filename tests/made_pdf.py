"""PDFs the tests make with PyMuPDF, laid out like documents the corpus lacks (a two-column paper's first page,
a long handout with running heads, a cover, symbol glyphs and bookmarks).

The files are byte-for-byte reproducible (no new document id, no dates), so their golden files
(tests/golden/, see :data:`MADE`) hold a stable sha256.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

ABSTRACT = (
    "We propose a layout of surface ion traps in which each trapping zone is separated from its neighbours by a "
    "shuttling region, so that gates between distant ions need no swap network. We estimate the heating rate, "
    "the crosstalk between zones and the fidelity of two-qubit gates, and show that arrays of one hundred zones "
    "are within reach of current fabrication."
)
INTRO = (
    "Trapped ions are among the best qubits known today: their coherence times reach minutes and their gates "
    "exceed the fault-tolerance threshold. Scaling them to many qubits, however, requires moving ions between "
    "zones without heating them. Earlier proposals used junctions whose pseudopotential barriers heat the ions "
    "at every crossing, and the effect of stray fields on such junctions is a"
)
CONTINUED = (
    "shift of the trap frequency that must be calibrated for every zone. In this paper we remove the junctions "
    "altogether. Section 2 describes the array, section 3 the shuttling sequence and section 4 the error budget."
)
METHOD = (
    "Each zone holds two ions, a logic ion and a cooling ion of another species. The zones are placed on a "
    "square grid with a pitch of two hundred micrometres, and the radio-frequency rails run between them. "
    "Direct-current electrodes below each zone move the ions along the rails."
)


def wrap_to_width(text: str, width: float, size: float, font: str = "helv") -> list[str]:
    """``text`` broken into lines no wider than ``width`` points in ``font`` at ``size``, as a typesetter
    does (by width, not by characters)."""
    import pymupdf

    lines: list[str] = []
    current = ""
    for word in text.split():
        longer = f"{current} {word}".strip()
        if current and pymupdf.get_text_length(longer, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = longer
    return [*lines, current]


def _save(doc: Any, path: Path) -> Path:
    doc.save(path, garbage=3, deflate=True, no_new_id=True)
    doc.close()
    return path


def paper_page(path: Path) -> Path:
    """Page one of a two-column paper: title, authors and affiliations centred across the page (they cross
    the gutter), then two columns; the left one opens with "Abstract" on the baseline of the right column's
    first line, which ends the sentence the left column's introduction leaves open."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)

    def put(x: float, y: float, text: str, size: float = 9.5, font: str = "tiro") -> None:
        page.insert_text((x, y), text, fontsize=size, fontname=font)

    def centred(y: float, text: str, size: float, font: str = "tiro") -> None:
        put(306 - pymupdf.get_text_length(text, font, size) / 2, y, text, size, font)

    centred(72, "Sparse Ion Trap Arrays for Scalable Quantum Logic", 16, "tibo")
    centred(96, "A. Martin, B. Keller and C. Dubois", 10)
    centred(110, "Institute of Applied Physics, Example University", 9)
    centred(122, "Correspondence: a.martin@example.org", 9)
    step = 11.5
    left = [("tibo", "Abstract"), *[("tiro", t) for t in textwrap.wrap(ABSTRACT, 52)]]
    left += [("tiro", ""), ("tibo", "1 Introduction"), *[("tiro", t) for t in textwrap.wrap(INTRO, 52)]]
    right = [("tiro", t) for t in textwrap.wrap(CONTINUED, 52)]
    right += [("tiro", ""), ("tibo", "2 Method"), *[("tiro", t) for t in textwrap.wrap(METHOD, 52)]]
    for rows, x in ((left, 54), (right, 316)):
        for i, (font, text) in enumerate(rows):
            if text:
                put(x, 160 + i * step, text, 10.5 if font == "tibo" else 9.5, font)
    return _save(doc, path)


HANDOUT_TITLE = "Introduction à LaTeX"
RUNNING_HEAD = "Introduction à LaTeX : support de cours"
CHAPTERS = [
    ("1 Qu'est-ce que TeX ?", ["1.1 Historique", "1.2 Installation", "1.3 Éditeurs"]),
    ("2 Premiers documents", ["2.1 Compiler", "2.2 Les erreurs", "2.3 Structure d'un fichier"]),
    ("3 Mathématiques", ["3.1 Formules en ligne", "3.2 Formules centrées", "3.3 Tableaux"]),
    ("4 Pour aller plus loin", ["4.1 Bibliographie"]),
]
"""Chapters and sections of the handout, as its bookmarks say them (the page sets "TeX" as "TEX" with a
lowered E, and section 2.3 as "2.3. Structure d'un fichier")."""
PARAGRAPH = (
    "Ce paragraphe explique une notion du cours avec des phrases ordinaires, assez longues pour remplir "
    "plusieurs lignes de la page, comme dans un vrai polycopié distribué aux étudiants de première année."
)


def handout(path: Path) -> Path:
    """A 30-page French handout: a cover whose lines are printed twice (a shadow); on every other page a
    running head outside the top band ("Introduction à LaTeX : support de cours"), the section's title as a
    running head in the top band (on the section's first page too, above its heading) and a page number;
    chapter headings (18 pt) and section headings (13 pt); tips opened by a symbol glyph in a large font
    (ZapfDingbats "u", Symbol "S", extracted as those letters); bookmarks for every chapter and section."""
    import pymupdf

    doc = pymupdf.open()
    cover = doc.new_page(width=595, height=842)
    for dx in (0.0, 0.6):  # printed twice, the second slightly offset: a shadow
        cover.insert_text((120 + dx, 300 + dx), HANDOUT_TITLE, fontsize=28, fontname="hebo")
        cover.insert_text((200 + dx, 340 + dx), "Support de cours", fontsize=18, fontname="hebo")
    cover.insert_text((210, 380), "Université Exemple, 2024", fontsize=12, fontname="helv")
    toc: list[list[Any]] = []
    headings = [(1, chapter, sections) for chapter, sections in CHAPTERS]
    for _, chapter, sections in headings:
        for section_index, section in enumerate(sections):
            for part in range(2 if chapter.startswith("4") else 3):
                page = doc.new_page(width=595, height=842)
                number = doc.page_count
                page.insert_text((72, 96), RUNNING_HEAD, fontsize=9, fontname="helv")
                page.insert_text((380, 50), section, fontsize=9, fontname="hebo")
                page.insert_text((290, 800), f"- {number} -", fontsize=9, fontname="helv")
                y = 140.0
                if section_index == 0 and part == 0:
                    _chapter_heading(page, chapter, y)
                    toc.append([1, chapter, number])
                    y += 40
                if part == 0:
                    shown = "2.3. Structure d'un fichier" if section.startswith("2.3") else section
                    page.insert_text((72, y), shown, fontsize=13, fontname="hebo")
                    toc.append([2, section, number])
                    y += 28
                y = _body(page, y, glyph=("u", "zadb") if part == 1 else ("S", "symb") if part == 2 else None)
    doc.set_toc(toc)
    return _save(doc, path)


def _chapter_heading(page: Any, chapter: str, y: float) -> None:
    """The chapter title; "TeX" set as the TeX logo (T, a lowered E, X)."""
    if "TeX" not in chapter:
        page.insert_text((72, y), chapter, fontsize=18, fontname="hebo")
        return
    import pymupdf

    head, tail = chapter.split("TeX", 1)
    x = 72 + pymupdf.get_text_length(head, "hebo", 18)
    page.insert_text((72, y), head, fontsize=18, fontname="hebo")
    page.insert_text((x, y), "T", fontsize=18, fontname="hebo")
    x += pymupdf.get_text_length("T", "hebo", 18) - 1
    page.insert_text((x, y + 4), "E", fontsize=18, fontname="hebo")
    x += pymupdf.get_text_length("E", "hebo", 18) - 1
    page.insert_text((x, y), "X" + tail, fontsize=18, fontname="hebo")


def _body(page: Any, y: float, glyph: tuple[str, str] | None) -> float:
    """Three paragraphs of body text (10 pt); with ``glyph``, the second is a tip opened by that symbol."""
    for index in range(3):
        x = 72.0
        if glyph is not None and index == 1:
            page.insert_text((72, y + 4), glyph[0], fontsize=20, fontname=glyph[1])
            x = 100.0
        for line in textwrap.wrap(PARAGRAPH, 88 if x == 72 else 83):
            page.insert_text((x, y), line, fontsize=10, fontname="helv")
            y += 13
        y += 18
    return y


MADE: dict[str, Callable[[Path], Path]] = {
    "made-paper-2col-abstract.pdf": paper_page,
    "made-handout-30p-fr.pdf": handout,
}
"""Documents made here that have golden files, by file name."""
