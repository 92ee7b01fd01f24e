"""Heading levels on the PDF layout path, on documents made here: the title as a typographic reading, a
drop cap that takes no rank, and Word's Symbol-font bullets (U+F0B7) read as a list.

The PDFs are drawn with PyMuPDF, or written with python-docx and exported by LibreOffice (the only way here
to get Word's private-use bullet glyph into a PDF as LibreOffice writes it); their tags are ignored.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pymupdf
import pytest
from made_pdf import wrap_to_width
from tagged_pdf import soffice_convert

from inclusio.converters.base import ConvertContext
from inclusio.converters.pdf import PdfConverter
from inclusio.model import Document, Heading, ListBlock, Paragraph

PARAGRAPH = (
    "Water moves between the sea, the air and the land in a cycle that never stops. The sun warms the sea, "
    "the water rises as vapour, and the vapour becomes clouds when the air cools down."
)


@pytest.fixture(autouse=True)
def _tags_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("inclusio.converters.pdf_tags.build", lambda conv: False)


def _convert(path: Path) -> Document:
    return PdfConverter().convert(path, ConvertContext(filename=path.name))


def _headings(doc: Document) -> list[tuple[int, str]]:
    return [(b.level, b.text) for b in doc.blocks if isinstance(b, Heading)]


class _Writer:
    """Lines set down a page at the left margin, a new page when one is full."""

    def __init__(self) -> None:
        self.doc = pymupdf.open()
        self.page = self.doc.new_page(width=595, height=842)
        self.y = 90.0

    def put(self, text: str, size: float, font: str = "helv", gap: float = 0.0) -> None:
        if self.y > 740:
            self.page = self.doc.new_page(width=595, height=842)
            self.y = 72.0
        self.y += gap
        for line in wrap_to_width(text, 450, size, font):
            self.page.insert_text((72, self.y), line, fontsize=size, fontname=font)
            self.y += size * 1.3


SECTIONS = [
    ("Evaporation", ["The sun", "The sea"]),
    ("Condensation", ["Clouds"]),
    ("Precipitation", ["Rain", "Snow"]),
]


def _course(path: Path, title_size: float) -> Path:
    """A title, a subtitle under it, sections in bold 16 pt and subsections in bold 13 pt over 11 pt text."""
    w = _Writer()
    w.put("The Water Cycle", title_size, "hebo")
    w.put("A short course for first-year students", 15, gap=4)
    for section, subsections in SECTIONS:
        w.put(section, 16, "hebo", gap=14)
        w.put(PARAGRAPH, 11)
        for sub in subsections:
            w.put(sub, 13, "hebo", gap=8)
            w.put(PARAGRAPH, 11)
            w.put(PARAGRAPH, 11)
    assert w.doc.page_count >= 2
    w.doc.save(path)
    return path


def _outline(title_level: int) -> list[tuple[int, str]]:
    out = [(title_level, "The Water Cycle")]
    for section, subsections in SECTIONS:
        out += [(1, section)] + [(2, sub) for sub in subsections]
    return out


def test_a_title_subtitle_and_two_sizes_of_sections_are_levels_1_1_2(tmp_path: Path) -> None:
    """The title (26 pt, once, on the first page) is level 1 and the sections rank again below it, as a word
    processor's Title and Heading 1 are both level 1; the subtitle beside it is text, not a section."""
    doc = _convert(_course(tmp_path / "course.pdf", 26))
    assert _headings(doc) == _outline(1)
    assert doc.title == "The Water Cycle"
    subtitle = [b for b in doc.blocks if isinstance(b, Paragraph) and b.text.startswith("A short course")]
    assert [b.text for b in subtitle] == ["A short course for first-year students"]


def test_a_title_barely_larger_than_the_sections_is_ranked_with_them(tmp_path: Path) -> None:
    """At 18 pt over 16 pt sections the first line does not stand out as a title (under 1.25x): sizes rank
    as they come, 18 -> 1, 16 -> 2, 13 -> 3, and the 15 pt subtitle is one more level-2 heading."""
    doc = _convert(_course(tmp_path / "course.pdf", 18))
    expected = [(1, "The Water Cycle"), (2, "A short course for first-year students")]
    for section, subsections in SECTIONS:
        expected += [(2, section)] + [(3, sub) for sub in subsections]
    assert _headings(doc) == expected


def test_a_drop_cap_joins_its_word_and_takes_no_heading_rank(tmp_path: Path) -> None:
    """A 36 pt "W" beside the first three lines of a paragraph: the word is whole again ("Water"), the
    letter is no heading, and the sections keep levels 1 and 2 (the cap's size is no level above them)."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 90.0
    page.insert_text((72, y), "Evaporation", fontsize=16, fontname="hebo")
    y += 30
    page.insert_text((72, y + 22), "W", fontsize=36, fontname="hebo")
    first = wrap_to_width(PARAGRAPH[1:], 380, 11)
    for i, line in enumerate(first[:3]):
        page.insert_text((110, y + 14 * i), line, fontsize=11, fontname="helv")
    y += 3 * 14
    for line in wrap_to_width(" ".join(first[3:]), 450, 11):
        page.insert_text((72, y), line, fontsize=11, fontname="helv")
        y += 14
    for title, size in (("The sun", 13), ("The sea", 13), ("Condensation", 16), ("Clouds", 13)):
        y += 12
        page.insert_text((72, y), title, fontsize=size, fontname="hebo")
        y += size * 1.5
        for line in wrap_to_width(PARAGRAPH, 450, 11):
            page.insert_text((72, y), line, fontsize=11, fontname="helv")
            y += 14
    doc.save(tmp_path / "drop-cap.pdf")
    converted = _convert(tmp_path / "drop-cap.pdf")
    assert _headings(converted) == [
        (1, "Evaporation"),
        (2, "The sun"),
        (2, "The sea"),
        (1, "Condensation"),
        (2, "Clouds"),
    ]
    paragraphs = [b.text for b in converted.blocks if isinstance(b, Paragraph)]
    assert paragraphs == [PARAGRAPH] * 5


def test_word_symbol_font_bullets_are_a_list(tmp_path: Path) -> None:
    """python-docx's "List Bullet" style is Word's bullet: the Symbol font's U+F0B7, which LibreOffice
    draws as a line of its own a tab before the item's text. The items are one list, without the glyph."""
    items = ["Swim across the pond", "Eat the leaves of the water plants", "Sleep in the reeds"]
    source = docx.Document()
    source.add_heading("A duck's day", 1)
    source.add_paragraph("What a duck does on a summer day, in the order it does it:")
    for item in items:
        source.add_paragraph(item, style="List Bullet")
    source.add_paragraph("Then the day ends and the duck goes home to sleep.")
    source.save(tmp_path / "duck.docx")
    pdf = soffice_convert(tmp_path / "duck.docx", tmp_path / "out", "pdf")
    assert "\uf0b7" in pymupdf.open(pdf)[0].get_text()
    doc = _convert(pdf)
    lists = [b for b in doc.blocks if isinstance(b, ListBlock)]
    assert [[i.text for i in block.items] for block in lists] == [items]
    assert not any("\uf0b7" in b.plain_text() for b in doc.blocks)
    assert [b.type for b in doc.blocks if b.type != "page"] == ["heading", "paragraph", "list", "paragraph"]


def test_a_word_title_above_the_first_bookmarked_heading_is_not_its_label(tmp_path: Path) -> None:
    """LibreOffice writes bookmarks for the Heading styles, not for the Title: the title is a short line
    the bookmarks leave out, right above the first bookmarked heading, like a "Chapitre 1" label. Set larger
    than that heading, it is the document's title, a heading of its own, not glued to the heading with
    " : "; the bookmarks give the sections their levels."""
    from docx.shared import Pt

    source = docx.Document()
    source.styles["Normal"].font.size = Pt(10)
    source.styles["Title"].font.size = Pt(24)
    source.styles["Heading 1"].font.size = Pt(20)
    source.styles["Heading 2"].font.size = Pt(15)
    source.add_paragraph("Le cycle de l'eau", style="Title")
    outline = [("L'évaporation", ["Le rôle du soleil"]), ("La condensation", ["Les nuages", "Le brouillard"])]
    for section, subsections in outline:
        source.add_heading(section, 1)
        source.add_paragraph(PARAGRAPH)
        for sub in subsections:
            source.add_heading(sub, 2)
            source.add_paragraph(PARAGRAPH)
    source.save(tmp_path / "cours.docx")
    pdf = soffice_convert(tmp_path / "cours.docx", tmp_path / "out", "pdf")
    assert [title for _, title, _ in pymupdf.open(pdf).get_toc()] == [
        "L'évaporation",
        "Le rôle du soleil",
        "La condensation",
        "Les nuages",
        "Le brouillard",
    ]
    doc = _convert(pdf)
    expected = [(1, "Le cycle de l'eau")]
    for section, subsections in outline:
        expected += [(1, section)] + [(2, sub) for sub in subsections]
    assert _headings(doc) == expected


def _deck(path: Path, slides: list[tuple[list[str], list[str]]], bookmarks: list[str]) -> Path:
    """Slides exported to PDF as a presentation program does: a page per slide, its title lines in 40 pt
    centred (each line drawn as its own block), bullets in 28 pt, a bookmark per slide."""
    doc = pymupdf.open()
    for title_lines, bullets in slides:
        page = doc.new_page(width=960, height=540)
        y = 70.0
        for line in title_lines:
            width = pymupdf.get_text_length(line, "helv", 40)
            page.insert_text(((960 - width) / 2, y), line, fontsize=40, fontname="helv")
            y += 52
        for bullet in bullets:
            page.insert_text((60, y + 30), f"• {bullet}", fontsize=28, fontname="helv")
            y += 44
    doc.set_toc([[1, title, n + 1] for n, title in enumerate(bookmarks)])
    doc.save(path)
    return path


def test_slide_titles_repeated_or_broken_over_two_lines_match_their_bookmarks(tmp_path: Path) -> None:
    """A presentation program names the bookmark of a slide repeating an earlier slide's title "Prérequis
    (2)", and draws a title that wraps as two blocks: both are still the slide's heading, at the bookmark's
    level, in the page's own words; a line that only starts like a bookmark and is not completed is text."""
    slides = [
        (["Le cours"], ["Deux séances de deux heures", "Un projet à rendre en mai"]),
        (["Prérequis"], ["Savoir lire un schéma", "Connaître la cellule"]),
        (["Prérequis"], ["Avoir suivi la séance 1", "Apporter son cahier"]),
        (["Schéma d'une cellule", "animale"], ["Le noyau contient l'ADN", "La membrane entoure la cellule"]),
        (["Les organites"], ["Les organites", "Les mitochondries produisent l'énergie"]),
    ]
    bookmarks = [
        "Le cours",
        "Prérequis",
        "Prérequis (2)",
        "Schéma d'une cellule animale",
        "Les organites et leur rôle",
    ]
    doc = _convert(_deck(tmp_path / "deck.pdf", slides, bookmarks))
    headings = _headings(doc)
    assert headings[:4] == [
        (1, "Le cours"),
        (1, "Prérequis"),
        (1, "Prérequis"),
        (1, "Schéma d'une cellule animale"),
    ]
    assert "animale" not in [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    # Slide 5: its title only starts its bookmark ("Les organites" of "Les organites et leur rôle") and the
    # next run does not complete it: it is what the rules make of it alone (text here: on slides the title
    # size is too common to be a heading size), glued to nothing; the bullet stays a list item.
    assert headings[4:] == []
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert paragraphs == ["Les organites"]
    items = [i.text for b in doc.blocks if isinstance(b, ListBlock) for i in b.items]
    assert items[-2:] == ["Les organites", "Les mitochondries produisent l'énergie"]


def test_larger_text_inside_a_slide_is_not_a_heading(tmp_path: Path) -> None:
    """A deck written with python-pptx and exported by LibreOffice (a landscape page and one top-level
    bookmark per slide): the slides' titles are the headings, and a 40 pt line inside a slide (over 32 pt
    bullets, a heading size by the rules alone) is text, as the deck's own tags have it."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    cover = deck.slides.add_slide(deck.slide_layouts[0])
    cover.shapes.title.text = "Water in the city"
    cover.placeholders[1].text = "Second-year seminar, spring term"
    slides = [
        (
            "Where the water comes from",
            ["Rivers and lakes", "Ground water pumped from wells", "Rain in tanks"],
        ),
        ("How it is cleaned", ["Screens stop the large objects", "Sand filters stop the small ones"]),
        (
            "How it reaches the taps",
            ["Pumps lift it into towers", "Gravity does the rest", "Pipes run under"],
        ),
    ]
    for n, (title, bullets) in enumerate(slides):
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        body = slide.placeholders[1].text_frame
        body.text = bullets[0]
        for bullet in bullets[1:] + ["Meters count what each house uses", "Leaks are found by listening"]:
            body.add_paragraph().text = bullet
        if n == 0:
            box = slide.shapes.add_textbox(Inches(1), Inches(5.8), Inches(10), Inches(1))
            run = box.text_frame.paragraphs[0].add_run()
            run.text, run.font.size, run.font.bold = "Most of it is ground water", Pt(40), True
    deck.save(tmp_path / "deck.pptx")
    slides_filter = 'pdf:impress_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
    pdf = soffice_convert(tmp_path / "deck.pptx", tmp_path / "out", slides_filter)
    assert [level for level, _, _ in pymupdf.open(pdf).get_toc()] == [1, 1, 1, 1]
    doc = _convert(pdf)
    assert _headings(doc) == [(1, "Water in the city")] + [(1, title) for title, _ in slides]
    assert "Most of it is ground water" in [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def test_a_portrait_handout_with_a_bookmark_per_page_keeps_its_other_headings(tmp_path: Path) -> None:
    """One top-level bookmark per page, but portrait pages: a handout, not a deck. A sub-heading the
    bookmarks leave out (bold 13 pt over 11 pt text) is still a heading, below them."""
    doc = pymupdf.open()
    sections = ["Evaporation", "Condensation", "Precipitation"]
    for section in sections:
        page = doc.new_page(width=595, height=842)
        page.insert_text((72, 90), section, fontsize=18, fontname="hebo")
        y = 120.0
        for line in wrap_to_width(PARAGRAPH, 450, 11):
            page.insert_text((72, y), line, fontsize=11, fontname="helv")
            y += 14
        page.insert_text((72, y + 16), "In the classroom", fontsize=13, fontname="hebo")
        y += 40
        for line in wrap_to_width(PARAGRAPH, 450, 11) * 3:
            page.insert_text((72, y), line, fontsize=11, fontname="helv")
            y += 14
    doc.set_toc([[1, section, n + 1] for n, section in enumerate(sections)])
    doc.save(tmp_path / "handout.pdf")
    headings = _headings(_convert(tmp_path / "handout.pdf"))
    assert headings == [h for section in sections for h in ((1, section), (2, "In the classroom"))]
