"""PPTX conversion: one section per slide, visual order, notes, tables, pictures and alt text."""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusio.converters.base import ConvertContext
from inclusio.converters.pptx import PptxConverter
from inclusio.model import Document, Figure, Heading, ListBlock, Note, PageMarker, Table


def _convert(path: Path) -> Document:
    return PptxConverter().convert(path, ConvertContext(filename=path.name))


@pytest.fixture(scope="module")
def notes_deck(corpus_dir: Path) -> Document:
    return _convert(corpus_dir / "fixture-slides-notes.pptx")


@pytest.fixture(scope="module")
def course(corpus_dir: Path) -> Document:
    return _convert(corpus_dir / "slides-fr-web-course.pptx")


def test_fixture_deck_has_three_slides_with_notes_and_a_table(notes_deck: Document) -> None:
    markers = notes_deck.page_markers()
    assert [(m.number, m.kind) for m in markers] == [(1, "slide"), (2, "slide"), (3, "slide")]
    notes = [b for b in notes_deck.blocks if isinstance(b, Note)]
    assert [(n.kind, n.source.slide) for n in notes] == [("speaker", 2), ("speaker", 3)]
    assert notes[1].text.startswith("Final notes on the third slide.")
    table = next(b for b in notes_deck.blocks if isinstance(b, Table))
    assert table.source.slide == 1
    assert [c.text for c in table.rows[0]] == ["", "Class1", "Class2"]
    assert all(c.header for c in table.rows[0])
    assert table.rows[0][1].col_span == 3  # horizontally merged header cell
    assert any(c.row_span > 1 for row in table.rows for c in row)


def test_slide_titles_are_level_one_headings_and_the_deck_title(notes_deck: Document) -> None:
    assert [(h.level, h.text) for h in notes_deck.headings()] == [
        (1, "Test Table Slide"),
        (1, "Second slide title"),
        (1, "Slide 3 (untitled)"),
    ]
    assert notes_deck.title == "Test Table Slide"
    # Slide 3 has no title: a heading made from its number (so its content is not read as part of slide
    # 2), and an issue pointing at that heading so the author and reviewers know it was generated.
    untitled = [i for i in notes_deck.issues if i.code == "slide.no_title"]
    assert [(i.source.slide, notes_deck.find(i.block_id).plain_text()) for i in untitled] == [
        (3, "Slide 3 (untitled)")
    ]


def test_bullets_become_lists_and_numbered_ones_are_ordered(notes_deck: Document) -> None:
    lists = [b for b in notes_deck.blocks if isinstance(b, ListBlock)]
    items = {tuple(i.text for i in lst.items): lst.ordered for lst in lists}
    assert items[("With foo", "Bar", "And baz things")] is False
    assert items[("List1", "List2", "List3")] is True
    assert items[("Item A", "Item B")] is False


def test_shapes_are_read_in_visual_order(notes_deck: Document) -> None:
    # On slide 2 the rectangle sits above the content placeholder, though it comes later in z-order.
    texts = [b.plain_text() for b in notes_deck.blocks if b.source and b.source.slide == 2]
    assert texts.index("A rectangle shape with this text inside.") < texts.index("Let’s introduce a list")
    # Slide 3: four text boxes side by side, read left to right.
    lists = [b for b in notes_deck.blocks if isinstance(b, ListBlock) and b.source.slide == 3]
    assert [lst.items[0].text for lst in lists] == ["List item4", "I1", "Item A", "List1", "l1"]
    # Slides 1 and 2 put a shape above one that comes first in the file: flagged for review.
    assert [i.source.slide for i in notes_deck.issues if i.code == "slide.order_differs"] == [1, 2]


def test_french_course_has_48_slides_in_french(course: Document) -> None:
    markers = [b for b in course.blocks if isinstance(b, PageMarker)]
    assert [m.number for m in markers] == list(range(1, 49))
    assert course.lang.startswith("fr")
    assert course.title == "HTML, CSS, Bootstrap"
    assert sum(isinstance(b, Heading) for b in course.blocks) >= 40
    assert not [i for i in course.issues if i.code == "slide.unreadable"]


def test_french_course_pictures_have_resources_and_no_filename_alt(course: Document) -> None:
    figures = [b for b in course.blocks if isinstance(b, Figure)]
    assert len(figures) >= 3
    for figure in figures:
        assert figure.image in course.resources
        assert course.resources[figure.image].media_type in ("image/png", "image/jpeg", "image/gif")
        assert figure.alt is None or not figure.alt.lower().endswith((".png", ".jpg"))
    slide_numbers = [b.number for b in course.blocks if isinstance(b, PageMarker)]
    assert figures[0].source.slide in slide_numbers


def test_alt_text_and_decorative_flag_are_read(tmp_path: Path, corpus_dir: Path) -> None:
    """A deck made here: one picture with real alt text, one named like a file, one decorative."""
    import zipfile

    from pptx import Presentation
    from pptx.util import Inches

    with zipfile.ZipFile(corpus_dir / "fixture-word.docx") as archive:
        png = archive.read("word/media/image1.png")
    image = tmp_path / "duck.png"
    image.write_bytes(png)
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Canards"
    described = slide.shapes.add_picture(str(image), Inches(1), Inches(2), Inches(2))
    described._element.nvPicPr.cNvPr.set("descr", "Un caneton tient une feuille")
    slide.shapes.add_picture(str(image), Inches(4), Inches(2), Inches(2))  # descr = "duck.png"
    decorative = slide.shapes.add_picture(str(image), Inches(7), Inches(2), Inches(2))
    from lxml import etree

    c_nv_pr = decorative._element.nvPicPr.cNvPr
    ext_lst = etree.SubElement(c_nv_pr, "{http://schemas.openxmlformats.org/drawingml/2006/main}extLst")
    ext = etree.SubElement(
        ext_lst,
        "{http://schemas.openxmlformats.org/drawingml/2006/main}ext",
        uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}",
    )
    etree.SubElement(ext, "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative", val="1")
    path = tmp_path / "canards.pptx"
    prs.save(path)

    doc = _convert(path)
    figures = [b for b in doc.blocks if isinstance(b, Figure)]
    assert [(f.alt, f.decorative) for f in figures] == [
        ("Un caneton tient une feuille", False),
        (None, False),
        (None, True),
    ]
    assert len(doc.resources) == 1  # the same picture is stored once
