"""Reading order on multi-column pages: columns are read one after the other, never interleaved."""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusio.converters.base import ConvertContext
from inclusio.converters.pdf_layout import Element, find_gutters, reading_order
from inclusio.converters.registry import convert
from inclusio.model import Document, Paragraph

GUTTER_X = 298.0
"""The gutter of paper-2col-math-en.pdf's two-column pages (left column ends at 292, right starts at 304)."""


@pytest.fixture(scope="module")
def paper(corpus_dir: Path) -> Document:
    path = corpus_dir / "paper-2col-math-en.pdf"
    return convert(path, ConvertContext(filename=path.name))


def _position(doc: Document, start: str) -> int:
    for index, block in enumerate(doc.blocks):
        if block.plain_text().startswith(start):
            return index
    raise AssertionError(f"no block starts with {start!r}")


def test_first_sentences_of_each_column_come_in_order(paper: Document) -> None:
    # Read off the rendered pages: page 1 is a main column with a narrow side column (subject areas,
    # dates) on its left; pages 2-5 have two columns.
    starts = [
        "Scalable quantum computation constitutes",  # p1, main column (drop cap "S" put back)
        "In this paper, we propose a scheme",  # p1, main column, last paragraph
        "SUBJECT AREAS",  # p1, side column, after the main one
        "A generic quadrupole Paul trap",  # p2, left column
        "It contains both a DC and an AC part",  # p2, left column
        "Normal modes in the transverse direction",  # p2, right column
        "The time-averaged coefficients",  # p2, right column
        "design. We now estimate various other sources",  # p4, left column (below the wide figure)
        "Discussion It is worthwhile to point out",  # p4, left column
        "In summary, we have demonstrated",  # p4, right column
    ]
    positions = [_position(paper, start) for start in starts]
    assert positions == sorted(positions)


def test_a_paragraph_cut_by_the_column_break_is_joined(paper: Document) -> None:
    # p4: the left column ends "...so the effect of micromotion is a", the right one starts "phase modulation."
    joined = [b for b in paper.blocks if "the effect of micromotion is a phase modulation" in b.plain_text()]
    assert len(joined) == 1 and joined[0].source.page == 4


@pytest.mark.parametrize("page", [2, 3, 4, 5])
def test_two_column_pages_never_go_back_to_the_left_column(paper: Document, page: int) -> None:
    columns = []
    for block in paper.blocks:
        if block.source is None or block.source.page != page or block.source.bbox is None:
            continue
        box = block.source.bbox
        if box.x1 <= GUTTER_X:
            columns.append("L")
        elif box.x0 >= GUTTER_X:
            columns.append("R")
        else:
            columns.append("|")  # spanning: a wide figure caption or title starts a new band
    for band in "".join(columns).split("|"):
        assert "RL" not in band, (page, "".join(columns))


def test_side_column_is_read_after_the_main_column_not_mixed_into_it(paper: Document) -> None:
    page1 = [b for b in paper.blocks if b.source and b.source.page == 1 and isinstance(b, Paragraph)]
    texts = [b.text for b in page1]
    side = [
        i for i, t in enumerate(texts) if t.startswith(("SUBJECT AREAS", "Received", "Accepted", "Published"))
    ]
    main = [i for i, t in enumerate(texts) if t.startswith(("We propose a scheme", "Generic ion traps"))]
    assert side and main and max(main) < min(side)


def test_scan_oracle_two_columns_then_the_full_width_list(corpus_dir: Path) -> None:
    path = corpus_dir / "scan-2col-en.oracle.pdf"
    doc = convert(path, ConvertContext(filename=path.name))
    order = [
        _position(doc, s)
        for s in (
            "The LinnSequencer is a state",  # full width, top
            "Recording",  # left column
            "To erase a wrong note",  # left column, bottom
            "The INSERT/COPY function",  # right column
            "Composition Without Compromise",  # right column
            "Additional Features",  # under both columns, the heading of the list below
            "Simple, easy to learn operation",  # full width list at the bottom (bullets read as "0")
        )
    ]
    assert order == sorted(order)
    # The heading comes right before its list, and the paragraph cut by the column break is one paragraph.
    assert order[-1] == order[-2] + 1
    assert any(
        b.plain_text().startswith("To erase a wrong note")
        and "simply use LOCATE, FAST FORWARD" in b.plain_text()
        for b in doc.blocks
    )
    # The page scan under the OCR layer is the page itself, not a figure.
    assert not [b for b in doc.blocks if b.type == "figure"]


def _line(x0: float, y0: float, x1: float, text: str, block: int) -> Element:
    return Element(bbox=(x0, y0, x1, y0 + 9), payload=text, text=text, block=block)


def test_title_then_left_column_then_right_column() -> None:
    elements = [_line(50, 40, 550, "Title across the page", 0)]
    for row in range(10):
        elements.append(_line(300, 100 + 12 * row, 550, f"right {row} " + "x" * 40, 2))
        elements.append(_line(50, 100 + 12 * row, 280, f"left {row} " + "x" * 40, 1))
    order = [e.payload for e in reading_order(elements)]
    assert order[0] == "Title across the page"
    assert [t.split()[0] for t in order[1:]] == ["left"] * 10 + ["right"] * 10
    flows = [e.flow for e in reading_order(elements)]
    assert len(set(flows)) == 3


def test_a_tab_aligned_label_value_table_is_not_two_columns() -> None:
    elements = []
    for row in range(8):
        elements.append(_line(50, 100 + 12 * row, 120, f"Label {row}", row))
        elements.append(_line(300, 100 + 12 * row, 360, f"value {row}", row))
    assert find_gutters(elements) == []
    order = [e.payload for e in reading_order(elements)]
    assert order[:4] == ["Label 0", "value 0", "Label 1", "value 1"]


def _manual_pages(tmp_path: Path, corpus_dir: Path, pages: list[int]) -> Path:
    """Some pages (1-based) of the 265-page manual, as their own PDF."""
    import pymupdf

    out = tmp_path / "manual-pages.pdf"
    with pymupdf.open(corpus_dir / "manual-fr-265p.pdf") as manual, pymupdf.open() as doc:
        for number in pages:
            doc.insert_pdf(manual, from_page=number - 1, to_page=number - 1)
        doc.save(out)
    return out


def test_a_title_above_a_table_is_read_before_it(corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The census page: "Table 324. Arrests by Sex and Age: 2009" and its note, then the table. The table's
    # height once made the title count as "on the same line" as its top edge, and the table came first.
    # The census is tagged: its tags are ignored, the layout's reading order is tested.
    monkeypatch.setattr("inclusio.converters.pdf_tags.build", lambda conv: False)
    path = corpus_dir / "table-census-en.pdf"
    doc = convert(path, ConvertContext(filename=path.name))
    kinds = [
        (b.type, b.plain_text()[:20] if b.type == "heading" else "")
        for b in doc.blocks
        if b.type in ("heading", "table")
    ]
    assert kinds[:4] == [
        ("heading", "Table 324. Arrests b"),
        ("table", ""),
        ("heading", "Table 325. Arrests b"),
        ("table", ""),
    ]


def test_text_above_a_table_stays_above_it_and_a_caption_below_goes_to_its_own_table(
    tmp_path: Path, corpus_dir: Path
) -> None:
    # Manual pages 4 (form labels above two tables), 54 (two tables, each captioned below) and 137 (a tip
    # box above a table). Read off the rendered pages.
    doc = convert(
        _manual_pages(tmp_path, corpus_dir, [4, 54, 137]), ConvertContext(filename="manual-pages.pdf")
    )
    order = [
        (b.type, b.source.page, b.plain_text()[:24] if b.type != "table" else (b.caption or "")[:11])
        for b in doc.blocks
        if b.type in ("heading", "paragraph", "table")
    ]
    page4 = [(entry[0] == "table", entry[2]) for entry in order if entry[1] == 1]
    assert page4 == [(False, "INDEXATION DU DOCUMENT"), (True, ""), (False, "SUIVI DU DOCUMENT"), (True, "")]
    tables54 = [entry[2] for entry in order if entry[1] == 2 and entry[0] == "table"]
    assert tables54 == ["Table 1.18 ", "Table 1.19 "]
    page137 = [entry[2] for entry in order if entry[1] == 3]
    assert page137.index("ASTUCE") < page137.index("Table 6.3 –")


def test_a_photo_beside_a_paragraph_comes_before_it(corpus_dir: Path) -> None:
    # math-fr-2col.pdf, page 4: the author's photo, with his biography to its right.
    path = corpus_dir / "math-fr-2col.pdf"
    doc = convert(path, ConvertContext(filename=path.name))
    last = [
        (b.type, b.plain_text()[:20] if b.type != "figure" else "")
        for b in doc.blocks
        if b.source and b.source.page == 4
    ][-2:]
    assert last == [("figure", ""), ("paragraph", "Georges Felepin est ")]


def test_section_numbers_set_apart_in_a_table_of_contents_stay_with_their_titles(
    tmp_path: Path, corpus_dir: Path
) -> None:
    # Manual page 12 (contents): "9.3.1" sits left of "Le démon de journal . . . 168" on the same baseline,
    # far enough to look like a narrow column; the numbers were read after all the titles.
    doc = convert(_manual_pages(tmp_path, corpus_dir, [12]), ConvertContext(filename="manual-pages.pdf"))
    texts = [b.plain_text() for b in doc.blocks if isinstance(b, Paragraph)]
    assert not [t for t in texts if t.startswith("9.") and len(t) <= 6]  # no number left alone
    entries = [t for t in texts if t.startswith("9.3.")]
    assert [t.split(" ", 1)[0] for t in entries] == [f"9.3.{n}" for n in range(1, 10)]
    assert entries[0].startswith("9.3.1 Le démon de journal")
    assert entries[-1].startswith("9.3.9 Enregistrer les modifications dans des fichiers de configuration")


def test_headings_set_beside_their_paragraphs_come_before_them() -> None:
    # A side heading on the baselines of the first lines of its paragraph, in a narrow left column.
    elements = []
    for part in range(3):
        top = 100 + 100 * part
        elements.append(_line(50, top, 110, f"Heading {part}", 10 + part))
        elements.append(_line(50, top + 12, 110, "(suite)", 10 + part))
        for row in range(6):
            elements.append(_line(150, top + 12 * row, 540, f"body {part}.{row} " + "x" * 60, 20 + part))
    assert find_gutters(elements) == []
    order = [e.payload.split()[0] for e in reading_order(elements)]
    assert order == (["Heading", "(suite)"] + ["body"] * 6) * 3


def test_a_paper_page_reads_the_left_column_before_the_right_one(tmp_path: Path) -> None:
    # A paper's first page (tests/made_pdf.py): three centred lines under the title cross the gutter of the
    # short columns below; they once closed it, the page was read as one column by block tops, and the right
    # column's first paragraph (the end of the introduction's last sentence) came right after the abstract.
    from made_pdf import paper_page

    path = paper_page(tmp_path / "paper.pdf")
    doc = convert(path, ConvertContext(filename=path.name))
    texts = [b.plain_text() for b in doc.blocks if b.type in ("heading", "paragraph")]
    assert texts[4:6] == ["Abstract", texts[5]] and texts[5].startswith("We propose a layout")
    intro = [t for t in texts if t.startswith("Trapped ions")]
    assert len(intro) == 1 and "on such junctions is a shift of the trap frequency" in intro[0]
    assert texts.index("1 Introduction") < texts.index(intro[0]) < texts.index("2 Method")
    assert not [t for t in texts if t.startswith("shift of the trap")]


def test_a_heading_beside_a_column_start_is_not_a_label() -> None:
    # "Abstract" on the baseline of the first line of the right column, a narrow column of short lines under
    # it, every one of them level with a line on the right: not labels (those stand beside the start of an
    # entry, three at least), so the gutter stays and the columns are not interleaved.
    elements = [_line(50, 100, 95, "Abstract", 1)]
    for row in range(1, 9):
        elements.append(_line(50, 100 + 12 * row, 140, f"short {row} xxxx", 2))
    elements.append(_line(350, 100, 560, "shift of the frequency that ends the sentence " + "x" * 20, 3))
    for row in range(1, 9):
        elements.append(_line(350, 100 + 12 * row, 560, f"right {row} " + "x" * 50, 3))
    assert find_gutters(elements)
    order = [e.payload.split()[0] for e in reading_order(elements)]
    assert order.index("Abstract") + 1 == order.index("short")
    assert order[order.index("short") : order.index("short") + 8] == ["short"] * 8


def test_labels_beside_the_start_of_each_entry_still_read_before_their_line() -> None:
    # The shape of a list or table of contents: a number on the baseline of each entry, each entry its own
    # block, numbers aligned.
    elements = []
    for row in range(6):
        elements.append(_line(50, 100 + 14 * row, 70, f"{row + 1}.", 10 + row))
        elements.append(_line(150, 100 + 14 * row, 520, f"Entry {row} " + "x" * 50, 30 + row))
    assert find_gutters(elements) == []
    order = [e.payload.split()[0] for e in reading_order(elements)]
    assert order[:4] == ["1.", "Entry", "2.", "Entry"]
