"""Terms beside their prose definitions (a glossary laid out in two columns) are a two-column table, term as
row header (the model has no definition list); where the shape is not clear (side headings beside long
paragraphs, label/value lines) they are not.

Documents: PDFs made here with PyMuPDF, and a DOCX glossary (a table without borders) written with
python-docx and exported by LibreOffice (its tags ignored: the layout path is under test).
"""

from __future__ import annotations

from pathlib import Path

import docx
import pymupdf
import pytest
from docx.shared import Inches
from made_pdf import wrap_to_width
from tagged_pdf import soffice_convert

from inclusio.converters.base import ConvertContext
from inclusio.converters.pdf import PdfConverter
from inclusio.model import Document, Heading, Paragraph, Table

TERMS = [
    (
        "Osmose",
        "Passage de l'eau à travers une membrane, du milieu le moins concentré vers le milieu le plus "
        "concentré, sans dépense d'énergie par la cellule.",
    ),
    (
        "Diffusion",
        "Déplacement des molécules d'une zone où elles sont nombreuses vers une zone où elles sont rares.",
    ),
    (
        "Membrane plasmique",
        "Fine enveloppe qui entoure la cellule et choisit ce qui entre et ce qui sort, grâce aux protéines "
        "qu'elle porte.",
    ),
    (
        "Cytoplasme",
        "Milieu gélatineux qui remplit la cellule autour du noyau ; il contient les organites et l'eau.",
    ),
    ("Noyau", "Organite qui garde l'ADN."),
]
INTRO = (
    "Les mots du chapitre, dans l'ordre où ils apparaissent. Chaque définition tient en une ou deux phrases "
    "courtes, écrites pour être lues sans le cours."
)
OUTRO = (
    "Ces mots reviennent dans les exercices du chapitre suivant, où ils sont utilisés sans être redéfinis."
)
BODY = (
    "Cette partie présente la démarche suivie pendant toute l'année : observer une cellule, la dessiner, "
    "nommer ses parties, puis comparer ce que l'on voit avec ce que disent les livres. Chaque séance commence "
    "par une question posée à la classe et se termine par une courte trace écrite que chacun recopie. Les "
    "élèves travaillent par deux au microscope et changent de rôle à la moitié de la séance."
)


def _put_lines(page: pymupdf.Page, x: float, y: float, text: str, width: float) -> float:
    for line in wrap_to_width(text, width, 11):
        page.insert_text((x, y), line, fontsize=11, fontname="helv")
        y += 14
    return y


def glossary_page(path: Path, *, term_width: float = 320, side_text: list[tuple[str, str]] = TERMS) -> Path:
    """A heading, a paragraph, terms (bold) at x=72 beside their definitions at x=200, a paragraph."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 72), "Glossaire", fontsize=18, fontname="hebo")
    y = _put_lines(page, 72, 100, INTRO, 451) + 16
    for term, definition in side_text:
        page.insert_text((72, y), term, fontsize=11, fontname="hebo")
        y = _put_lines(page, 200, y, definition, term_width) + 8
    _put_lines(page, 72, y + 16, OUTRO, 451)
    doc.save(path)
    return path


def glossary_docx(path: Path) -> Path:
    """A heading, a paragraph, the glossary as a table without borders (bold terms), a paragraph."""
    d = docx.Document()
    d.add_heading("Glossaire", 1)
    d.add_paragraph(INTRO)
    table = d.add_table(rows=len(TERMS), cols=2)
    for r, (term, definition) in enumerate(TERMS):
        table.cell(r, 0).width, table.cell(r, 1).width = Inches(1.6), Inches(4.4)
        table.cell(r, 0).paragraphs[0].add_run(term).bold = True
        table.cell(r, 1).paragraphs[0].add_run(definition)
    d.add_paragraph(OUTRO)
    d.save(path)
    return path


def _convert(path: Path) -> Document:
    return PdfConverter().convert(path, ConvertContext(filename=path.name))


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    folder = tmp_path_factory.mktemp("terms")
    sides = [(f"Séance {n}", BODY) for n in range(1, 4)]
    docs = {
        "glossary": _convert(glossary_page(folder / "glossary.pdf")),
        "side-headings": _convert(glossary_page(folder / "side.pdf", side_text=sides)),
        "values": _convert(
            glossary_page(
                folder / "values.pdf", side_text=[(t, d.split(",")[0][:40].strip()) for t, d in TERMS]
            )
        ),
    }
    pdf = soffice_convert(glossary_docx(folder / "glossaire.docx"), folder)
    mp = pytest.MonkeyPatch()
    mp.setattr("inclusio.converters.pdf_tags.build", lambda conv: False)  # the layout path, tags ignored
    try:
        docs["word"] = _convert(pdf)
    finally:
        mp.undo()
    return docs


@pytest.mark.parametrize("kind", ["glossary", "word"])
def test_terms_beside_their_definitions_are_a_two_column_table(made: dict[str, Document], kind: str) -> None:
    doc = made[kind]
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert [[c.text for c in row] for row in table.rows] == [list(entry) for entry in TERMS]
    assert [[c.header for c in row] for row in table.rows] == [[True, False]] * len(TERMS)
    kinds = [(b.type, b.plain_text()[:12]) for b in doc.blocks if b.type != "page"]
    assert kinds == [
        ("heading", "Glossaire"),
        ("paragraph", INTRO[:12]),
        ("table", table.plain_text()[:12]),
        ("paragraph", OUTRO[:12]),
    ]


def test_side_headings_beside_long_paragraphs_are_no_term_list(made: dict[str, Document]) -> None:
    doc = made["side-headings"]
    assert not [b for b in doc.blocks if isinstance(b, Table)]
    texts = [b.plain_text() for b in doc.blocks if isinstance(b, Heading | Paragraph)]
    for n in range(1, 4):  # each side heading still comes right before its paragraph
        at = next(i for i, t in enumerate(texts) if t.startswith(f"Séance {n}"))
        assert BODY[:40] in texts[at] or texts[at + 1].startswith(BODY[:40])


def test_labels_beside_one_line_values_are_left_to_the_table_reader(made: dict[str, Document]) -> None:
    """Values of one line each: a label/value table of the unruled reader, with no row headers."""
    (table,) = [b for b in made["values"].blocks if isinstance(b, Table)]
    assert [[c.text for c in row] for row in table.rows] == [
        [t, d.split(",")[0][:40].strip()] for t, d in TERMS
    ]
    assert not any(c.header for row in table.rows for c in row)


RUN_IN = [(term, definition[0].lower() + definition[1:]) for term, definition in TERMS[:4]]


def run_in_page(path: Path, *, entries: list[tuple[str, str]], bold: bool = True) -> Path:
    """A heading, then paragraphs each opening on a run-in term ("Osmose :" in bold, the definition after it
    on the same line and wrapping to the left margin), then a closing remark in regular type."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 72), "Vocabulaire", fontsize=18, fontname="hebo")
    y = 110.0
    font = "hebo" if bold else "helv"
    for term, definition in entries:
        indent = pymupdf.get_text_length(f"{term} : ", font, 11)
        first, *rest = wrap_to_width(definition, 451 - indent, 11)
        page.insert_text((72, y), f"{term} :", fontsize=11, fontname=font)
        page.insert_text((72 + indent, y), first, fontsize=11, fontname="helv")
        for line in wrap_to_width(" ".join(rest), 451, 11) if rest else []:
            y += 14
            page.insert_text((72, y), line, fontsize=11, fontname="helv")
        y += 24
    page.insert_text((72, y), "Remarque : ces mots reviennent dans le chapitre suivant.", fontsize=11)
    doc.save(path)
    return path


@pytest.fixture(scope="module")
def run_in(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    folder = tmp_path_factory.mktemp("run-in")
    return {
        "bold": _convert(run_in_page(folder / "bold.pdf", entries=RUN_IN)),
        "two": _convert(run_in_page(folder / "two.pdf", entries=RUN_IN[:2])),
        "regular": _convert(run_in_page(folder / "regular.pdf", entries=RUN_IN, bold=False)),
    }


def test_paragraphs_opening_on_a_bold_term_are_a_two_column_table(run_in: dict[str, Document]) -> None:
    doc = run_in["bold"]
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert [[c.text for c in row] for row in table.rows] == [list(entry) for entry in RUN_IN]
    assert [[c.header for c in row] for row in table.rows] == [[True, False]] * len(RUN_IN)
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)] == [
        "Remarque : ces mots reviennent dans le chapitre suivant."
    ]


@pytest.mark.parametrize("kind", ["two", "regular"])
def test_two_run_in_terms_or_terms_in_regular_type_stay_paragraphs(
    run_in: dict[str, Document], kind: str
) -> None:
    doc = run_in[kind]
    assert not [b for b in doc.blocks if isinstance(b, Table)]
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    entries = RUN_IN[:2] if kind == "two" else RUN_IN
    assert texts[: len(entries)] == [f"{term} : {definition}" for term, definition in entries]
