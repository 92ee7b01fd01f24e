"""Tables drawn without rules (columns from white space) and list markers drawn apart, in the PDF layout path.

Documents: PDFs made here with PyMuPDF, the corpus's census table with its rules removed (its tags ignored,
as for an untagged copy), and the corpus's Word fixture exported by LibreOffice (Word's Symbol-font bullets
and its shaded table without rules).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import docx
import pymupdf
import pytest
from made_pdf import paper_page, wrap_to_width
from tagged_pdf import soffice_convert

from inclusio.converters.base import ConvertContext
from inclusio.converters.pdf import PdfConverter
from inclusio.model import Document, Heading, ListBlock, Paragraph, Table


@pytest.fixture(autouse=True)
def _tags_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    """The layout path is under test: a tagged PDF's tags are ignored, as for an untagged copy."""
    monkeypatch.setattr("inclusio.converters.pdf_tags.build", lambda conv: False)


def _convert(path: Path) -> Document:
    return PdfConverter().convert(path, ConvertContext(filename=path.name))


def _tables(doc: Document) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def _rows(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row] for row in table.rows]


PROSE = (
    "The table below lists what a duck may eat in a day, with the energy each food gives. It is read by "
    "columns of text set apart by white space only, with no rule drawn between the rows or the columns."
)


def unruled_page(path: Path) -> Path:
    """A paragraph, a table without rules (a bold header row, a wrapped cell, figures), a paragraph."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 80.0
    for line in textwrap.wrap(PROSE, 90):
        page.insert_text((72, y), line, fontsize=11, fontname="helv")
        y += 14
    y += 20
    for x, text in ((72, "Food"), (220, "Where it grows"), (420, "Calories")):
        page.insert_text((x, y), text, fontsize=11, fontname="hebo")
    y += 22
    rows = [
        ("Leaves", ["Ash, elm and maple"], "50"),
        ("Berries", ["Blueberry, strawberry", "and cranberry"], "150"),
    ]
    rows += [("Grain", ["Corn, buckwheat, barley"], "200"), ("Snails", ["Pond edges"], "90")]
    for label, place, calories in rows:
        page.insert_text((72, y), label, fontsize=11, fontname="helv")
        page.insert_text((420, y), calories, fontsize=11, fontname="helv")
        for part in place:
            page.insert_text((220, y), part, fontsize=11, fontname="helv")
            y += 13
        y += 9
    y += 20
    page.insert_text(
        (72, y), "Ducks also drink a lot of water on hot days, as every reader knows.", fontsize=11
    )
    doc.save(path)
    return path


def test_a_table_without_rules_is_read_from_its_columns(tmp_path: Path) -> None:
    doc = _convert(unruled_page(tmp_path / "unruled.pdf"))
    (table,) = _tables(doc)
    assert _rows(table) == [
        ["Food", "Where it grows", "Calories"],
        ["Leaves", "Ash, elm and maple", "50"],
        ["Berries", "Blueberry, strawberry and cranberry", "150"],
        ["Grain", "Corn, buckwheat, barley", "200"],
        ["Snails", "Pond edges", "90"],
    ]
    assert [c.header for c in table.rows[0]] == [True, True, True]
    assert not any(c.header for row in table.rows[1:] for c in row)
    paragraphs = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert paragraphs[0].startswith("The table below") and paragraphs[-1].startswith("Ducks also drink")
    assert not [b for b in doc.blocks if isinstance(b, Heading)]  # the bold header row is no heading
    order = [b.type for b in doc.blocks if b.type != "page"]
    assert order == ["paragraph", "table", "paragraph"]


def test_the_census_without_its_rules_is_still_two_tables(corpus_dir: Path, tmp_path: Path) -> None:
    """Every drawing of the census page removed: columns and rows come from the text's alignment alone."""
    source = pymupdf.open(corpus_dir / "table-census-en.pdf")
    page = source[0]
    assert page.get_drawings()
    page.add_redact_annot(page.rect)
    page.apply_redactions(
        images=pymupdf.PDF_REDACT_IMAGE_NONE,
        graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED,
        text=pymupdf.PDF_REDACT_TEXT_NONE,
    )
    assert not page.get_drawings()
    path = tmp_path / "census-without-rules.pdf"
    source.save(path)
    sex, race = _tables(_convert(path))
    ruled_sex, ruled_race = _tables(_convert(corpus_dir / "table-census-en.pdf"))  # read with its rules

    def body(table: Table) -> list[list[str]]:
        return [[c.text for c in row] for row in table.rows if not row[0].header and len(row) > 1]

    # Arrests by sex and age: ten columns (three under each of Total, Male and Female), figures joined again.
    assert body(sex) == body(ruled_sex) and len(body(sex)) == 32
    assert body(sex)[0] == ["Total", "11,062.6", "1,540.0", "9,522.6", "8,263.3", "1,071.6", "7,191.7"] + [
        "2,799.2",
        "468.3",
        "2,330.9",
    ]
    group = [c for c in sex.rows[0] if c.col_span == 3]
    assert [c.text for c in group] == ["Total", "Male", "Female"] and all(c.header for c in group)
    assert [c.text for c in sex.rows[1][1:4]] == ["Total", "Under 18 years", "18 years and over"]
    # Arrests by race: six columns, the header over figures recognised as a header.
    assert all(c.header for c in race.rows[0]) and race.rows[0][0].text == "Offense charged"
    assert body(race) == body(ruled_race)[: len(body(race))] and body(race)[-1][0] == "Runaways"
    assert _rows(race)[1] == ["Total", "10,690,561", "7,389,208", "3,027,153", "150,544", "123,656"]


def test_two_columns_of_prose_and_a_table_of_contents_are_not_tables(
    corpus_dir: Path, tmp_path: Path
) -> None:
    assert not _tables(_convert(paper_page(tmp_path / "paper.pdf")))
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for i in range(8):
        y = 100 + 18 * i
        page.insert_text((72, y), f"{i + 1}.1", fontsize=10)
        page.insert_text((110, y), f"Section title number {i + 1} " + ". " * 30, fontsize=10)
        page.insert_text((540, y), str(3 + 4 * i), fontsize=10)
    doc.save(tmp_path / "toc.pdf")
    assert not _tables(_convert(tmp_path / "toc.pdf"))


def test_word_bullets_and_shaded_table_of_the_word_fixture(corpus_dir: Path, tmp_path: Path) -> None:
    """LibreOffice draws Word's Symbol-font bullet (U+F0B7, private use) as its own line a tab before the
    item; the fixture's table is shaded, with no rules."""
    pdf = soffice_convert(corpus_dir / "fixture-word.docx", tmp_path)
    doc = _convert(pdf)
    lists = [b for b in doc.blocks if isinstance(b, ListBlock)]
    assert [i.text for i in lists[0].items] == [
        "You can relax and look around",
        "Paddle about",
        "Enjoy summer warmth",
    ]
    assert not any("\uf0b7" in b.plain_text() for b in doc.blocks)
    (table,) = _tables(doc)
    assert _rows(table) == [
        ["", "Food", "Calories per portion"],
        ["Leaves", "Ash, Elm, Maple", "50"],
        ["Berries", "Blueberry, Strawberry, Cranberry", "150"],
        ["Grain", "Corn, Buckwheat, Barley", "200"],
    ]
    assert all(c.header for c in table.rows[0])
    headings = {b.text for b in doc.blocks if isinstance(b, Heading)}
    assert not headings & {"Leaves", "Berries", "Grain", "Food Calories per portion"}


LEFT_COLUMN = (
    "Paris is the capital of France. Lyon lies to the south, where the Rhone meets the Saone. "
    "Marseille is the oldest port of the country. Boats carry grain and wine up the rivers. "
    "Trains carry people between the cities. Many tourists come in June, when the days are long."
)
RIGHT_COLUMN = (
    "Museums open at nine in the morning. The Louvre is the largest of them, and it is closed on "
    "Tuesdays. Some streets of Lyon are very old. Rome is older still, but Lyon was a Roman town too. "
    "Students can visit the museums for free. Guides speak French, English and Spanish."
)


@pytest.mark.parametrize("width", [90, 120, 150, 200])
def test_narrow_columns_of_running_text_are_not_a_table(tmp_path: Path, width: int) -> None:
    """Two narrow columns of prose set on one baseline grid: every text row holds two lines a gutter apart
    and the lines are short (under the prose length of a wide column), yet the text runs on from line to
    line: two paragraphs, left column first."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for x, text in ((72, LEFT_COLUMN), (72 + width + 24, RIGHT_COLUMN)):
        for i, line in enumerate(wrap_to_width(text, width, 10)):
            page.insert_text((x, 100 + 13 * i), line, fontsize=10, fontname="helv")
    assert len(wrap_to_width(LEFT_COLUMN, width, 10)) >= 6
    doc.save(tmp_path / "columns.pdf")
    converted = _convert(tmp_path / "columns.pdf")
    assert not _tables(converted)
    assert [b.text for b in converted.blocks if isinstance(b, Paragraph)] == [LEFT_COLUMN, RIGHT_COLUMN]


def test_short_entries_at_line_spacing_are_still_a_table(tmp_path: Path) -> None:
    """Names and services of similar widths, rows at the text's own line spacing: each line would wrap
    the next one's first word, but the entries do not run on (no lower-case start, no sentence across the
    break), so the columns are cells, not running text."""
    rows = [
        ("Name", "Service", "Room"),
        ("Alice Martin", "Student records", "A 102"),
        ("Bruno Keller", "Exams office", "A 104"),
        ("Chloé Dubois", "Library desk", "B 010"),
        ("David Morel", "Sports centre", "C 201"),
        ("Emma Laurent", "Help desk", "A 001"),
    ]
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 80), "Who to ask during the exam weeks, by service and room.", fontsize=10)
    for r, row in enumerate(rows):
        for x, text in zip((72, 200, 330), row, strict=True):
            page.insert_text((x, 110 + 13 * r), text, fontsize=10, fontname="hebo" if r == 0 else "helv")
    doc.save(tmp_path / "names.pdf")
    (table,) = _tables(_convert(tmp_path / "names.pdf"))
    assert _rows(table) == [list(row) for row in rows]
    assert all(c.header for c in table.rows[0]) and not any(c.header for c in table.rows[1])


def test_a_word_table_without_borders_exported_by_libreoffice(tmp_path: Path) -> None:
    """A DOCX table with no style (python-docx's default: no borders), a bold first row, exported to PDF by
    LibreOffice: nothing is drawn, the three columns are read from the text."""
    rows = [
        ("Service", "Building", "Hours"),
        ("Library", "Main hall, second floor", "8:00 to 22:00"),
        ("Cafeteria", "Student centre", "11:30 to 14:00"),
        ("Sports centre", "North campus", "7:00 to 21:00"),
        ("Help desk", "Main hall", "9:00 to 17:00"),
    ]
    source = docx.Document()
    source.add_paragraph(
        "Opening hours of the campus services during the exam weeks, as the office sent them."
    )
    table = source.add_table(rows=len(rows), cols=3)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).paragraphs[0].add_run(text).bold = r == 0
    source.add_paragraph("The office closes on public holidays and on the last Friday of the month.")
    source.save(tmp_path / "hours.docx")
    pdf = soffice_convert(tmp_path / "hours.docx", tmp_path / "out")
    assert not pymupdf.open(pdf)[0].get_drawings()
    doc = _convert(pdf)
    (read,) = _tables(doc)
    assert _rows(read) == [list(row) for row in rows]
    assert [c.header for c in read.rows[0]] == [True, True, True]
    assert not any(c.header for row in read.rows[1:] for c in row)
    assert not [b for b in doc.blocks if isinstance(b, Heading)]
    assert [b.type for b in doc.blocks if b.type != "page"] == ["paragraph", "table", "paragraph"]


TIDES = [
    ("Harbour", "High tide", "Height"),
    ("Brest", "06:12", "6.8 m"),
    ("Saint-Malo", "07:40", "11.2 m"),
    ("Le Havre", "09:05", "7.4 m"),
    ("Dunkerque", "10:31", "5.9 m"),
    ("Calais", "10:58", "6.6 m"),
]


def _tide_rows(
    page: pymupdf.Page, rows: list[tuple[str, str, str]], y: float, *, bold: bool = False
) -> float:
    for row in rows:
        for x, text in zip((72, 240, 400), row, strict=True):
            page.insert_text((x, y), text, fontsize=11, fontname="hebo" if bold else "helv")
        y += 18
    return y


def split_table(path: Path, *, on_next: int, header_again: bool = False, text_under: bool = False) -> Path:
    """A paragraph, then the tide table without rules breaking across a page: all but ``on_next`` of its body
    rows at the foot of page 1, the rest at the top of page 2 (under its header repeated when
    ``header_again``), then a paragraph. ``text_under``: a sentence under the rows of page 1 (the table
    ends there; what starts page 2 is not its rows)."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 560.0
    for line in textwrap.wrap(PROSE, 90):
        page.insert_text((72, y), line, fontsize=11)
        y += 14
    y = _tide_rows(page, TIDES[:1], y + 20, bold=True)
    y = _tide_rows(page, TIDES[1 : len(TIDES) - on_next], y)
    if text_under:
        page.insert_text((72, y + 10), "Times are given for the first of May, in local time.", fontsize=11)
    page = doc.new_page(width=595, height=842)
    y = 80.0
    if header_again:
        y = _tide_rows(page, TIDES[:1], y, bold=True)
    y = _tide_rows(page, TIDES[len(TIDES) - on_next :], y)
    page.insert_text(
        (72, y + 20), "Ducks also drink a lot of water on hot days, as every reader knows.", fontsize=11
    )
    doc.save(path)
    return path


@pytest.mark.parametrize(("on_next", "header_again"), [(1, False), (2, False), (2, True)])
def test_a_table_without_rules_goes_on_across_a_page(
    tmp_path: Path, on_next: int, header_again: bool
) -> None:
    """One or two rows left for page 2 are too few to be a table alone: they go on with the table that ends
    page 1 in the same columns (a repeated header row is not read twice)."""
    doc = _convert(split_table(tmp_path / "tides.pdf", on_next=on_next, header_again=header_again))
    (table,) = _tables(doc)
    assert _rows(table) == [list(row) for row in TIDES]
    assert [c.header for c in table.rows[0]] == [True, True, True]
    assert not any(c.header for row in table.rows[1:] for c in row)
    assert [b.type for b in doc.blocks if b.type != "page"] == ["paragraph", "table", "paragraph"]


def test_rows_after_text_under_a_table_do_not_go_on_with_it(tmp_path: Path) -> None:
    """A sentence under the table on page 1 ends it: the two lines of figures at the top of page 2 are not
    its rows (they stay text)."""
    doc = _convert(split_table(tmp_path / "tides.pdf", on_next=2, text_under=True))
    (table,) = _tables(doc)
    assert _rows(table) == [list(row) for row in TIDES[:4]]
    text = " ".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    assert "Dunkerque" in text and "Calais" in text


DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
"""The font LibreOffice exported the slide with (installed with it): its line boxes are as tight as there."""


def test_labels_of_a_diagram_are_not_a_table(tmp_path: Path) -> None:
    """A slide's diagram (a browser, a server, the requests between them) as LibreOffice exports it from the
    corpus's web-course deck: rows of labels a gutter apart, but not on one baseline (the arrows' labels sit
    between the boxes' lines). Not a table (without the baseline rule it is one, with empty cells): its
    words stay text."""
    assert DEJAVU.is_file()
    doc = pymupdf.open()
    page = doc.new_page(width=960, height=540)
    page.insert_text((107, 120), "Généralités", fontsize=44, fontname="helv")
    labels = [  # x, the line's centre as in the exported slide, text, size
        (307, 247, "GET https://monsite.fr/style.css", 16),
        (127, 295, "Navigateur web", 18),
        (308, 301, "GET https://monsite.fr/script.js", 16),
        (121, 317, "(Chrome, Firefox,", 18),
        (642, 317, "Serveur", 18),
        (186, 339, "etc.)", 18),
        (300, 347, "GET https://monsite.fr/image.png", 16),
        (150, 350, "index.html", 18),
    ]
    for x, centre, text, size in labels:
        page.insert_text((x, centre + 0.3 * size), text, fontsize=size, fontname="dv", fontfile=str(DEJAVU))
    doc.save(tmp_path / "diagram.pdf")
    converted = _convert(tmp_path / "diagram.pdf")
    assert not _tables(converted)
    text = " ".join(b.plain_text() for b in converted.blocks)
    assert all(label in text for _, _, label, _ in labels)
