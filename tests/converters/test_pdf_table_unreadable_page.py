"""A table left open at the foot of a page does not go on across a page that cannot be read.

Before, the converter kept the table open over the unreadable page: the rows at the top of the page after it
were appended to the table of the page before (two pages back, above the unreadable page's marker). The
documents are the ruled and unruled tables broken by a page of test_pdf_table_across_pages.py and
test_pdf_unruled.py, with a page between their two parts whose place in the page tree loops back to the root
(MuPDF: "cycle in page tree"; the other pages still load).
"""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf
from test_pdf_table_across_pages import CITIES, CITY_ROWS, FIRST_PAGE_ROWS, broken_table
from test_pdf_unruled import TIDES, split_table

from inclusio.converters.base import ConvertContext
from inclusio.converters.pdf import PdfConverter
from inclusio.model import Document, PageMarker, Paragraph, Table


def with_unreadable_page(path: Path, out: Path) -> Path:
    """``path`` with an unreadable page after its first: a /Pages node whose only kid is the root."""
    doc = pymupdf.open(path)
    root = int(doc.xref_get_key(doc.pdf_catalog(), "Pages")[1].split()[0])
    kids = re.findall(r"\d+ 0 R", doc.xref_get_key(root, "Kids")[1])
    loop = doc.get_new_xref()
    doc.update_object(loop, f"<< /Type /Pages /Parent {root} 0 R /Kids [{root} 0 R] /Count 1 >>")
    doc.xref_set_key(root, "Kids", "[" + " ".join([kids[0], f"{loop} 0 R", *kids[1:]]) + "]")
    doc.xref_set_key(root, "Count", str(len(kids) + 1))
    doc.save(out)
    with pymupdf.open(out) as made:
        assert made.page_count == len(kids) + 1
        made.load_page(0)
        made.load_page(2)
        try:
            made.load_page(1)
        except Exception:  # noqa: BLE001 - what the document is made for
            pass
        else:
            raise AssertionError("the middle page should not load")
    return out


def _convert(path: Path) -> Document:
    return PdfConverter().convert(path, ConvertContext(filename=path.name))


def _rows(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


def _page_of(doc: Document, block_id: str) -> int:
    number = 0
    for block in doc.blocks:
        if isinstance(block, PageMarker):
            number = block.number
        if block.id == block_id:
            return number
    raise AssertionError(block_id)


def test_a_ruled_table_does_not_go_on_across_an_unreadable_page(tmp_path: Path) -> None:
    made = broken_table(tmp_path / "cities.pdf", repeat=False)
    doc = _convert(with_unreadable_page(made, tmp_path / "gap.pdf"))
    assert [i.source.page for i in doc.issues if i.code == "pdf.page_unreadable" and i.source] == [2]
    first, second = [b for b in doc.blocks if isinstance(b, Table)]
    assert _rows(first) == [CITIES, *CITY_ROWS[:FIRST_PAGE_ROWS]]
    assert _rows(second) == CITY_ROWS[FIRST_PAGE_ROWS:]  # a table of its own, on its own page
    assert (_page_of(doc, first.id), _page_of(doc, second.id)) == (1, 3)


def test_a_table_without_rules_does_not_go_on_across_an_unreadable_page(tmp_path: Path) -> None:
    made = split_table(tmp_path / "tides.pdf", on_next=2)
    doc = _convert(with_unreadable_page(made, tmp_path / "gap.pdf"))
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert _rows(table) == [list(row) for row in TIDES[:4]]
    after = " ".join(b.text for b in doc.blocks if isinstance(b, Paragraph) and _page_of(doc, b.id) == 3)
    assert "Dunkerque" in after and "Calais" in after  # two lines alone are no table: they stay text
