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


MADE: dict[str, Callable[[Path], Path]] = {"made-paper-2col-abstract.pdf": paper_page}
"""Documents made here that have golden files, by file name."""
