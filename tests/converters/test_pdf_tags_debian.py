"""A tagged PDF nobody here made: the manual of LuaTeX's ``minim`` packages, from Debian's ``texlive-luatex``.

Its author tagged it with his own ``minim-pdf`` (PDF/A-2a: a structure tree with ``H1``/``H2``, ``P``, ``L``,
``Table`` with ``TH``, ``Figure`` with ``/Alt``, ``Formula`` with its TeX source, ``Code``; ``/Lang`` en-UK).
Neither LibreOffice nor Word nor tagpdf made it, so it checks the tags reader on a tree it was not written
for. ``scripts/setup.sh --test`` installs the package (23 MB; the TeX base it depends on is ~45 MB more) and
the test reads the file where Debian puts it. The file's digest is checked first: a new Debian revision of the
package is a new document, whose golden files are regenerated on purpose (tests/golden/README.md).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pymupdf
import pytest
from test_golden import golden_json, golden_text, regenerating

from inclusio.converters.base import ConvertContext
from inclusio.converters.pdf import PdfConverter
from inclusio.model import Document, Figure, Formula, Heading, Table

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "tagged"
MINIM = Path("/usr/share/doc/texlive-doc/luatex/minim/minim.pdf")
MINIM_SHA256 = "3a0b7e78c347aaf6bcfe9267424ee9d4a40d825173eb3f62965e5157df27cace"
"""Debian 12 (bookworm) ``texlive-luatex`` 2022.20230122-3."""
TAGS = "structure from the PDF's tags"


@pytest.fixture(scope="module")
def minim() -> Document:
    assert MINIM.is_file(), f"{MINIM} is missing: run scripts/setup.sh --test (it installs texlive-luatex)"
    digest = hashlib.sha256(MINIM.read_bytes()).hexdigest()
    assert digest == MINIM_SHA256, (
        f"{MINIM} is not the file of the golden files (sha256 {digest}): another texlive-luatex revision; "
        "regenerate tests/golden/tagged/minim.pdf.* on purpose and update MINIM_SHA256"
    )
    return PdfConverter().convert(MINIM, ConvertContext(filename=MINIM.name))


def test_minim_manual_is_read_from_its_tags(minim: Document) -> None:
    assert minim.source.converter and TAGS in minim.source.converter
    assert minim.lang == "en"  # /Lang (en-UK) of the catalog
    assert not [i.code for i in minim.issues if i.code.startswith("pdf.tags_")]


def test_its_headings_are_its_title_and_then_exactly_its_bookmarks(minim: Document) -> None:
    """The tree's H1/H2 read in order give the title, then the outline's 50 entries, levels and pages."""
    headings = [
        (h.level, h.text, h.source.page if h.source else None) for h in minim.blocks if isinstance(h, Heading)
    ]
    assert headings[0] == (1, "minim version 2022/1.1", 1)
    toc = [(level, title, page) for level, title, page in pymupdf.open(MINIM).get_toc()]
    assert len(toc) == 50
    assert headings[1:] == toc


def test_its_figures_keep_their_authors_alt_and_its_formulas_their_source(minim: Document) -> None:
    alts = [b.alt for b in minim.blocks if isinstance(b, Figure)]
    assert alts == [
        "The text ‘Running TeX from within MetaPost’ set along a half-circle.",
        "A circle filled with red As in a rectangular pattern.",
    ]
    # The TeX source the author attached to each Formula element: a display formula is a block, an inline one
    # stays in its sentence.
    formulas = [b.text for b in minim.blocks if isinstance(b, Formula)]
    assert formulas == ["$$\\underbrace [=1]{(x^2 + y^2)}.$$"]
    texts = [b.plain_text() for b in minim.blocks if b.type == "paragraph"]
    assert any("sub- and superscripts: v^\\scr F will result in $v^\\scr F$ ." in t for t in texts)


def test_its_tables_have_their_header_rows(minim: Document) -> None:
    tables = [b for b in minim.blocks if isinstance(b, Table)]
    assert len(tables) >= 3
    first = tables[0]
    assert [(c.text, c.header) for c in first.rows[0]] == [
        ("Option", True),
        ("Default", True),
        ("Description", True),
    ]
    assert [c.text for c in first.rows[1]] == ["jobname", "':metapost:'", "Used in error messages."]
    assert not any(c.header for row in first.rows[1:] for c in row)


def test_minim_manual_matches_its_golden_files(minim: Document) -> None:
    expected = {"minim.pdf.json": golden_json(minim), "minim.pdf.txt": golden_text(minim)}
    if regenerating():
        assert os.environ.get("CI", "").lower() != "true"
        for file, content in expected.items():
            (GOLDEN / file).write_text(content, encoding="utf-8")
        return
    for file, content in expected.items():
        assert (GOLDEN / file).read_text(encoding="utf-8") == content, (
            f"minim.pdf differs from golden/tagged/{file}"
        )
