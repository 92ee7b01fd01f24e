"""DOCX conversion: headings, lists, tables with merged cells, pictures with alt text and captions."""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusio.converters.base import ConvertContext
from inclusio.converters.docx import DocxConverter
from inclusio.model import Document, Figure, Heading, ListBlock, Paragraph, Table


def _convert(path: Path) -> Document:
    return DocxConverter().convert(path, ConvertContext(filename=path.name))


@pytest.fixture(scope="module")
def word(corpus_dir: Path) -> Document:
    return _convert(corpus_dir / "fixture-word.docx")


def test_headings_and_title(word: Document) -> None:
    assert [(h.level, h.text) for h in word.headings()] == [(1, "Let’s swim!"), (2, "Let’s eat")]
    assert word.title == "Swimming in the lake"
    assert word.lang == "en-US"
    titles = [b.text for b in word.blocks if isinstance(b, Paragraph) and b.role == "title"]
    assert titles == ["Summer activities", "Swimming in the lake"]


def test_lists_in_order_between_paragraphs(word: Document) -> None:
    lists = [b for b in word.blocks if isinstance(b, ListBlock)]
    assert [i.text for i in lists[-1].items] == ["Leaves", "Berries", "Grain"]
    first = [i.text for i in lists[0].items]
    assert first[:3] == ["You can relax and look around", "Paddle about", "Enjoy summer warmth"]
    # A list-styled paragraph whose numbering was removed (numId 0) is not a bullet.
    assert "Also, don’t forget:" not in first
    swim = word.sections()[1] if word.sections()[0].heading is None else word.sections()[0]
    assert swim.title == "Let’s swim!"


def test_table_with_header_row_and_caption(word: Document) -> None:
    table = next(b for b in word.blocks if isinstance(b, Table))
    assert [c.text for c in table.rows[0]] == ["", "Food", "Calories per portion"]
    assert all(c.header for c in table.rows[0]) and not any(c.header for c in table.rows[1])
    assert [c.text for c in table.rows[1]] == ["Leaves", "Ash, Elm, Maple", "50"]
    assert table.caption == "Content table"
    # The table sits after the paragraph that introduces it.
    index = word.blocks.index(table)
    assert word.blocks[index - 1].plain_text().startswith("Here are some interesting things")


def test_picture_has_bytes_alt_and_caption(word: Document) -> None:
    figure = next(b for b in word.blocks if isinstance(b, Figure))
    assert figure.alt == "A cartoon duck holding a paper"  # Word's "Description automatically generated" cut
    assert figure.caption == "Figure 1: This is a cute duckling"
    assert word.resources[figure.image].data[:4] == b"\x89PNG"
    assert not [b for b in word.blocks if isinstance(b, Paragraph) and b.role == "caption"]


def test_merged_cells_and_nested_numbering(tmp_path: Path) -> None:
    """A document made here: vertical and horizontal merges, a two-level numbered list, French."""
    import docx

    document = docx.Document()
    document.add_heading("Chapitre premier", level=1)
    document.add_paragraph("La cellule est l'unité de base de la vie et elle contient un noyau.")
    document.add_paragraph("Premier point", style="List Number")
    document.add_paragraph("Sous-point", style="List Number 2")
    document.add_paragraph("Second point", style="List Number")
    table = document.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            table.cell(r, c).text = f"{r}{c}"
    table.cell(0, 0).merge(table.cell(0, 1)).text = "fusion horizontale"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "fusion verticale"
    path = tmp_path / "cours.docx"
    document.save(path)

    doc = _convert(path)
    assert [(h.level, h.text) for h in doc.headings()] == [(1, "Chapitre premier")]
    lst = next(b for b in doc.blocks if isinstance(b, ListBlock))
    assert lst.ordered
    assert [i.text for i in lst.items] == ["Premier point", "Second point"]
    assert lst.items[0].children is not None and lst.items[0].children.items[0].text == "Sous-point"
    result = next(b for b in doc.blocks if isinstance(b, Table))
    assert result.rows[0][0].text == "fusion horizontale" and result.rows[0][0].col_span == 2
    assert len(result.rows[0]) == 2
    vertical = next(c for row in result.rows for c in row if c.text == "fusion verticale")
    assert vertical.row_span == 2
    assert len(result.rows[2]) == 2


def test_json_round_trip_of_a_converted_document(word: Document) -> None:
    again = Document.from_json(word.to_json())
    assert again == word
    assert isinstance(again.blocks[0], Paragraph | Heading)
