"""Headings that generalise beyond the corpus the PDF converter was tuned on: headings are text, furniture
is left out, the cover is read once, bookmarks give the hierarchy and the spelling, one heading is read once.

The handout is made by ``tests/made_pdf.py`` (30 pages, running heads, a cover printed twice, symbol glyphs
in a large font, bookmarks); every PDF of ``../shared/corpus`` is walked for one-character headings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from made_pdf import CHAPTERS, RUNNING_HEAD, handout
from test_golden import CORPUS, SLOW, converted

from inclusio.converters.base import ConvertContext
from inclusio.converters.pdf_headings import bookmark_text, drop_repeated_headings, is_heading_text
from inclusio.converters.registry import convert
from inclusio.model import Document, Heading, PageMarker, Paragraph


@pytest.fixture(scope="module")
def made_handout(tmp_path_factory: pytest.TempPathFactory) -> Document:
    path = handout(tmp_path_factory.mktemp("handout") / "handout.pdf")
    return convert(path, ConvertContext(filename=path.name))


def _corpus_pdfs() -> list[object]:
    return [
        pytest.param(p, id=p.name, marks=[pytest.mark.slow] if p.name in SLOW else [])
        for p in sorted(CORPUS.glob("*.pdf"))
    ]


@pytest.mark.parametrize("path", _corpus_pdfs())
def test_no_corpus_pdf_has_a_one_or_two_character_heading(path: Path) -> None:
    headings = [b.text for b in converted(path).blocks if isinstance(b, Heading)]
    assert not [h for h in headings if len("".join(h.split())) <= 2]


def test_the_bookmarks_give_the_headings_their_levels_and_spelling(made_handout: Document) -> None:
    expected = []
    for chapter, sections in CHAPTERS:
        expected.append((1, chapter))
        expected += [(2, "2.3. Structure d'un fichier" if s.startswith("2.3") else s) for s in sections]
    found = [(b.level, b.text) for b in made_handout.blocks if isinstance(b, Heading) and b.source.page > 1]
    # "TeX" as the bookmark says it (the page sets it "TEX" with a lowered E); section 2.3 read once, with
    # the page's own numbering, although its title is also the running head above it.
    assert found == expected


def test_symbol_glyphs_running_heads_and_page_numbers_are_not_text(made_handout: Document) -> None:
    texts = [b.plain_text() for b in made_handout.blocks if not isinstance(b, PageMarker)]
    assert not [t for t in texts if len("".join(t.split())) <= 2]  # ZapfDingbats "u", Symbol "S"
    assert not [t for t in texts if RUNNING_HEAD in t or t.startswith("- ")]
    section_heads = {s for _, sections in CHAPTERS for s in sections}
    assert not [b for b in made_handout.blocks if isinstance(b, Paragraph) and b.text in section_heads]
    body = [b for b in made_handout.blocks if isinstance(b, Paragraph)]
    assert len(body) == 29 * 3 and all(b.text.startswith("Ce paragraphe") for b in body)


def test_the_cover_printed_twice_is_read_once(made_handout: Document) -> None:
    cover = [
        b.plain_text() for b in made_handout.blocks if b.source.page == 1 and not isinstance(b, PageMarker)
    ]
    assert cover == ["Introduction à LaTeX", "Support de cours", "Université Exemple, 2024"]


def test_headings_are_text() -> None:
    assert not is_heading_text("u") and not is_heading_text("S") and not is_heading_text("E1")
    assert is_heading_text("Annexe") and is_heading_text("1 Introduction") and is_heading_text("Q&A")


def test_bookmark_spelling_keeps_the_page_numbering() -> None:
    assert bookmark_text("1 Qu'est-ce que TEX ?", "1 Qu'est-ce que TeX ?") == "1 Qu'est-ce que TeX ?"
    assert bookmark_text("2.3. STRUCTURE D'UN FICHIER", "2.3 Structure d'un fichier") == (
        "2.3. Structure d'un fichier"
    )
    assert bookmark_text("Structure", "Structure d'un fichier") == "Structure"  # not the same words
    assert bookmark_text("2.4 Structure", "2.3 Structure") == "2.4 Structure"  # not the same number


def test_one_heading_read_twice_at_two_levels_is_one_heading() -> None:
    first = Heading(id="h1", level=3, text="2.3 Structure d'un fichier")
    marker = PageMarker(id="p1", number=4)
    second = Heading(id="h2", level=2, text="2.3. Structure d'un fichier")
    other = Heading(id="h3", level=3, text="2.4 Autre chose")
    blocks = drop_repeated_headings([first, marker, second, other], bookmarked={"h2"})
    assert [b.id for b in blocks] == ["p1", "h2", "h3"] or [b.id for b in blocks] == ["h2", "p1", "h3"]
    assert [b.id for b in drop_repeated_headings([first, second], bookmarked=set())] == ["h1"]


def test_a_bookmark_names_its_heading_across_quotes_and_an_appendix_letter(tmp_path: Path) -> None:
    """tagpdf's manual: the heading '“Real” space glyphs' has the bookmark '"Real" space glyphs' (here the other
    way round: base-14 Helvetica has no curly quotes), and the
    appendix heading "A Some remarks about the PDF syntax" the bookmark without its letter; both are level 1
    in the bookmarks, where the font alone gives level 2 (they were read at level 2 before)."""
    import pymupdf
    from made_pdf import wrap_to_width

    doc = pymupdf.open()
    titles = [
        (1, "1 Introduction", "Introduction", 16),
        (2, "1.1 Tagging and accessibility", "Tagging and accessibility", 13),
        (1, '2 "Real" space glyphs', "\u201cReal\u201d space glyphs", 13),
        (2, "2.1 Spaces in lua mode", "Spaces in lua mode", 13),
        (1, "A Some remarks about the PDF syntax", "Some remarks about the PDF syntax", 13),
    ]
    toc = []
    for pno, (level, text, bookmark, size) in enumerate(titles, start=1):
        page = doc.new_page(width=595, height=842)
        page.insert_text((72, 90), text, fontsize=size, fontname="hebo")
        y = 120.0
        for _ in range(3):
            for line in wrap_to_width(
                "The package marks the text of each page and builds the tree. " * 4, 451, 10
            ):
                page.insert_text((72, y), line, fontsize=10, fontname="helv")
                y += 13
            y += 8
        toc.append([level, bookmark, pno])
    doc.set_toc(toc)
    doc.save(tmp_path / "bookmarks.pdf")
    converted_doc = convert(tmp_path / "bookmarks.pdf", ConvertContext(filename="bookmarks.pdf"))
    levels = [(b.level, b.text) for b in converted_doc.blocks if isinstance(b, Heading)]
    assert [level for level, _ in levels] == [1, 2, 1, 2, 1]
    assert levels[2][1].endswith("space glyphs") and levels[4][1].endswith(
        "Some remarks about the PDF syntax"
    )
