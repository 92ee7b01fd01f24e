"""A ruled table broken by a page is one table (its repeated header row read once); two different tables are
never joined.

Documents: PDFs made here with PyMuPDF (rules drawn as lines), and a DOCX written with python-docx whose
ruled table ("Table Grid", header row repeated on each page) runs over three pages, exported by LibreOffice
(its tags ignored: the layout path is under test).
"""

from __future__ import annotations

from pathlib import Path

import docx
import pymupdf
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from tagged_pdf import soffice_convert

from inclusio.converters.base import ConvertContext
from inclusio.converters.pdf import PdfConverter
from inclusio.model import Document, PageMarker, Paragraph, Table

COLUMNS = [72.0, 250.0, 400.0, 523.0]
CITIES = ["Ville", "Pays", "Habitants"]
RIVERS = ["Fleuve", "Pays", "Longueur"]
CITY_ROWS = [[f"Ville {i}", "France" if i % 2 else "Belgique", f"{1000 * i}"] for i in range(1, 60)]
RIVER_ROWS = [[f"Fleuve {i}", "France", f"{10 * i} km"] for i in range(1, 6)]
FIRST_PAGE_ROWS = 34
"""Body rows of the city table on the first page (it reaches the page's bottom)."""


def _ruled(page: pymupdf.Page, y: float, header: list[str] | None, rows: list[list[str]]) -> float:
    """A ruled table at ``y`` (a bold header row when given); returns its bottom."""
    tops = [y]
    for r, row in enumerate(([header] if header else []) + rows):
        bold = header is not None and r == 0
        for x, text in zip(COLUMNS, row, strict=False):
            page.insert_text((x + 4, y + 14), text, fontsize=11, fontname="hebo" if bold else "helv")
        y += 20
        tops.append(y)
    for top in tops:
        page.draw_line((COLUMNS[0], top), (COLUMNS[-1], top))
    for x in COLUMNS:
        page.draw_line((x, tops[0]), (x, tops[-1]))
    return y


def broken_table(
    path: Path, *, repeat: bool, second: tuple[list[str], list[list[str]]] | None = None
) -> Path:
    """The city table from near the top of page 1 to its bottom, going on at the top of page 2 (its header
    row repeated or not); ``second``: another table (header, rows) right under the first on page 1, the one
    that goes on instead."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 80), "Les villes et leurs habitants, par pays.", fontsize=11)
    if second is None:
        _ruled(page, 100, CITIES, CITY_ROWS[:FIRST_PAGE_ROWS])
        rest, header = CITY_ROWS[FIRST_PAGE_ROWS:], CITIES
    else:
        bottom = _ruled(page, 100, second[0], second[1])
        _ruled(page, bottom + 12, CITIES, CITY_ROWS[: FIRST_PAGE_ROWS - len(second[1]) - 2])
        rest, header = CITY_ROWS[FIRST_PAGE_ROWS - len(second[1]) - 2 :], CITIES
    page = doc.new_page(width=595, height=842)
    bottom = _ruled(page, 72, header if repeat else None, rest)
    page.insert_text((72, bottom + 30), "Fin du tableau des villes.", fontsize=11)
    doc.save(path)
    return path


def two_tables_across(path: Path) -> Path:
    """Page 1 ends with the city table; page 2 starts with another table, the same columns but a header of
    its own (rivers)."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 80), "Les villes et leurs habitants, par pays.", fontsize=11)
    _ruled(page, 100, CITIES, CITY_ROWS[:FIRST_PAGE_ROWS])
    page = doc.new_page(width=595, height=842)
    _ruled(page, 72, RIVERS, RIVER_ROWS)
    doc.save(path)
    return path


def long_docx(path: Path) -> Path:
    """A paragraph, a ruled table of 90 rows whose header row Word repeats on each page, a paragraph; then
    a short ruled table of its own on the last page, under a paragraph."""
    d = docx.Document()
    d.add_paragraph("Les villes et leurs habitants, par pays.")
    rows = [[f"Ville {i}", "France" if i % 2 else "Belgique", f"{1000 * i}"] for i in range(1, 91)]
    table = d.add_table(rows=len(rows) + 1, cols=3, style="Table Grid")
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for r, row in enumerate([CITIES, *rows]):
        for c, text in enumerate(row):
            table.cell(r, c).paragraphs[0].add_run(text).bold = r == 0
    d.add_paragraph("Fin du tableau des villes. Les fleuves suivent.")
    rivers = d.add_table(rows=len(RIVER_ROWS) + 1, cols=3, style="Table Grid")
    for r, row in enumerate([RIVERS, *RIVER_ROWS]):
        for c, text in enumerate(row):
            rivers.cell(r, c).paragraphs[0].add_run(text).bold = r == 0
    d.save(path)
    return path


def _convert(path: Path) -> Document:
    return PdfConverter().convert(path, ConvertContext(filename=path.name))


def _tables(doc: Document) -> list[list[list[str]]]:
    return [[[c.text for c in row] for row in b.rows] for b in doc.blocks if isinstance(b, Table)]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    folder = tmp_path_factory.mktemp("across")
    return {
        "repeated": _convert(broken_table(folder / "repeated.pdf", repeat=True)),
        "plain": _convert(broken_table(folder / "plain.pdf", repeat=False)),
        "two-in-a-row": _convert(broken_table(folder / "two.pdf", repeat=True, second=(RIVERS, RIVER_ROWS))),
        "other-table": _convert(two_tables_across(folder / "other.pdf")),
    }


@pytest.fixture(scope="module")
def word(tmp_path_factory: pytest.TempPathFactory) -> Document:
    folder = tmp_path_factory.mktemp("across-docx")
    pdf = soffice_convert(long_docx(folder / "villes.docx"), folder)
    with pymupdf.open(pdf) as doc:
        assert doc.page_count >= 3  # the table does run over pages
    mp = pytest.MonkeyPatch()
    mp.setattr("inclusio.converters.pdf_tags.build", lambda conv: False)  # the layout path, tags ignored
    try:
        return _convert(pdf)
    finally:
        mp.undo()


@pytest.mark.parametrize("kind", ["repeated", "plain"])
def test_a_ruled_table_broken_by_a_page_is_one_table(made: dict[str, Document], kind: str) -> None:
    (table,) = _tables(made[kind])
    assert table == [CITIES, *CITY_ROWS]  # the repeated header row read once
    (block,) = [b for b in made[kind].blocks if isinstance(b, Table)]
    assert [c.header for c in block.rows[0]] == [True] * 3
    assert not any(c.header for row in block.rows[1:] for c in row)
    texts = [b.text for b in made[kind].blocks if isinstance(b, Paragraph)]
    assert texts == ["Les villes et leurs habitants, par pays.", "Fin du tableau des villes."]


def test_two_tables_in_a_row_are_not_joined(made: dict[str, Document]) -> None:
    """Two tables one under the other on page 1 (same columns), the second going on on page 2."""
    rivers, cities = _tables(made["two-in-a-row"])
    assert rivers == [RIVERS, *RIVER_ROWS]
    assert cities == [CITIES, *CITY_ROWS]


def test_a_table_of_its_own_at_the_top_of_the_next_page_is_not_joined(made: dict[str, Document]) -> None:
    cities, rivers = _tables(made["other-table"])
    assert cities == [CITIES, *CITY_ROWS[:FIRST_PAGE_ROWS]]
    assert rivers == [RIVERS, *RIVER_ROWS]
    blocks = [b.type for b in made["other-table"].blocks]
    assert blocks == ["page", "paragraph", "table", "page", "table"]


def test_a_word_table_over_three_pages_is_one_table(word: Document) -> None:
    cities, rivers = _tables(word)
    assert cities[0] == CITIES and len(cities) == 91
    assert [row[0] for row in cities[1:]] == [f"Ville {i}" for i in range(1, 91)]
    assert rivers == [RIVERS, *RIVER_ROWS]
    assert sum(isinstance(b, PageMarker) for b in word.blocks) >= 3
