"""Lists side by side (a slide's text boxes) are read list by list, not as the rows of a table; lists inside
the cells of a real table stay in their cells.

Documents: PDFs made here with PyMuPDF (one line per ``insert_text``, no tags), read by the layout path.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from inclusio.converters.base import ConvertContext
from inclusio.converters.pdf import PdfConverter
from inclusio.model import Document, Heading, ListBlock, Paragraph, Table

SLIDE = {"width": 960, "height": 540}


def _convert(path: Path) -> Document:
    return PdfConverter().convert(path, ConvertContext(filename=path.name))


def _content(doc: Document) -> list[tuple[str, str]]:
    """(type, text) of each block but page markers; a list's items joined by " / "."""
    out = []
    for block in doc.blocks:
        if isinstance(block, ListBlock):
            out.append(("list", " / ".join(item.text for item in block.items)))
        elif isinstance(block, Heading | Paragraph):
            out.append((block.type, block.text))
        elif isinstance(block, Table):
            out.append(("table", " | ".join(c.text for row in block.rows for c in row)))
    return out


def side_lists_slide(path: Path) -> Path:
    """A slide of four text boxes side by side, each a list (two of them after a lead-in line), their first
    lines level with each other, as fixture-slides-notes.pptx's third slide exported to PDF."""
    doc = pymupdf.open()
    page = doc.new_page(**SLIDE)
    page.insert_text((80, 80), "Ce que la cellule contient", fontsize=28, fontname="hebo")
    boxes = [
        (80, ["1. Le noyau", "2. Le cytoplasme", "3. La membrane"]),
        (300, ["• Ribosomes", "• Mitochondries", "• Vacuoles", "• Lysosomes"]),
        (500, ["Chez les plantes :", "• Chloroplastes", "• Paroi"]),
        (720, ["Et encore ?", "1. Centrioles", "2. Flagelles", "3. Cils"]),
    ]
    for x, lines in boxes:
        for k, text in enumerate(lines):
            page.insert_text((x, 200 + 26 * k), text, fontsize=20, fontname="helv")
    doc.save(path)
    return path


def two_column_slide(path: Path) -> Path:
    """A slide with a title and two columns, each a bold heading over bullets ("Avantages" / "Limites")."""
    doc = pymupdf.open()
    page = doc.new_page(**SLIDE)
    page.insert_text((80, 80), "Avantages et limites du microscope", fontsize=28, fontname="hebo")
    columns = [
        (80, "Avantages", ["Il grossit mille fois", "Il est peu coûteux", "On voit les cellules vivantes"]),
        (
            500,
            "Limites",
            ["Il ne voit pas les virus", "Il faut une lame mince", "La lumière limite sa précision"],
        ),
    ]
    for x, head, items in columns:
        page.insert_text((x, 170), head, fontsize=22, fontname="hebo")
        for k, text in enumerate(items):
            page.insert_text((x, 206 + 30 * k), f"• {text}", fontsize=20, fontname="helv")
    doc.save(path)
    return path


ORGANELLES = [
    ("Animale", ["• Noyau", "• Mitochondrie", "• Lysosome"], ["• Garder l'ADN", "• Produire l'énergie"]),
    ("Végétale", ["• Chloroplaste", "• Vacuole"], ["• Photosynthèse", "• Réserve d'eau", "• Soutien"]),
    ("Fongique", ["• Paroi de chitine"], ["• Protection"]),
]


def list_cells_page(path: Path, *, ruled: bool) -> Path:
    """A table whose cells hold lists (a label column, then two columns of bullets), with or without rules."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 80), "Les organites de la cellule, par type de cellule.", fontsize=11)
    xs = [72, 200, 380, 540]
    y = 120.0
    rules = [y - 14]
    for x, text in zip(xs, ("Cellule", "Organites", "Rôle"), strict=False):
        page.insert_text((x + 4, y), text, fontsize=11, fontname="hebo")
    y += 22
    for label, organelles, roles in ORGANELLES:
        rules.append(y - 14)
        for x, lines in zip(xs, ([label], organelles, roles), strict=False):
            for k, text in enumerate(lines):
                page.insert_text((x + 4, y + 14 * k), text, fontsize=11, fontname="helv")
        y += 14 * max(len(organelles), len(roles)) + 10
    rules.append(y - 14)
    if ruled:
        for top in rules:
            page.draw_line((xs[0], top), (xs[-1], top))
        for x in xs:
            page.draw_line((x, rules[0]), (x, rules[-1]))
    page.insert_text((72, y + 30), "Le tableau se lit ligne par ligne.", fontsize=11)
    doc.save(path)
    return path


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    folder = tmp_path_factory.mktemp("side-lists")
    return {
        "side": _convert(side_lists_slide(folder / "side.pdf")),
        "two": _convert(two_column_slide(folder / "two.pdf")),
        "ruled": _convert(list_cells_page(folder / "ruled.pdf", ruled=True)),
        "unruled": _convert(list_cells_page(folder / "unruled.pdf", ruled=False)),
    }


def test_lists_side_by_side_are_read_list_by_list(made: dict[str, Document]) -> None:
    assert _content(made["side"]) == [
        ("heading", "Ce que la cellule contient"),
        ("list", "Le noyau / Le cytoplasme / La membrane"),
        ("list", "Ribosomes / Mitochondries / Vacuoles / Lysosomes"),
        ("paragraph", "Chez les plantes :"),
        ("list", "Chloroplastes / Paroi"),
        ("paragraph", "Et encore ?"),
        ("list", "Centrioles / Flagelles / Cils"),
    ]
    assert [b.ordered for b in made["side"].blocks if isinstance(b, ListBlock)] == [True, False, False, True]


def test_a_two_column_slide_of_bullets_is_read_column_by_column(made: dict[str, Document]) -> None:
    content = _content(made["two"])
    assert not [kind for kind, _ in content if kind == "table"]
    assert [text for _, text in content] == [
        "Avantages et limites du microscope",
        "Avantages",
        "Il grossit mille fois / Il est peu coûteux / On voit les cellules vivantes",
        "Limites",
        "Il ne voit pas les virus / Il faut une lame mince / La lumière limite sa précision",
    ]


@pytest.mark.parametrize("kind", ["ruled", "unruled"])
def test_lists_inside_table_cells_stay_in_their_cells(made: dict[str, Document], kind: str) -> None:
    (table,) = [b for b in made[kind].blocks if isinstance(b, Table)]
    # Base-14 Helvetica's bullet comes back from the text layer as U+00B7; the cell keeps the marker it shows.
    rows = [[cell.text.replace("·", "•") for cell in row] for row in table.rows]
    assert rows[0] == ["Cellule", "Organites", "Rôle"]
    assert rows[1:] == [
        [label, " ".join(organelles), " ".join(roles)] for label, organelles, roles in ORGANELLES
    ]
    paragraphs = [b.text for b in made[kind].blocks if isinstance(b, Paragraph)]
    assert paragraphs == [
        "Les organites de la cellule, par type de cellule.",
        "Le tableau se lit ligne par ligne.",
    ]
