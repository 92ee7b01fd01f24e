"""Tagged PDFs: the author's structure tree is used, and a lying tree falls back to the layout with a warning.

The documents are made here: python-docx writes a course, LibreOffice exports it (and the ODT it makes of
it, and the DOCX of the corpus and samples) as tagged PDF. Lying trees are made by editing a real tree with
PyMuPDF's object API (order reversed, marked content unmapped, most of the text left out).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pymupdf
import pytest
from tagged_pdf import FIGURE_ALT, soffice_convert_all, write_course_docx
from test_golden import golden_json, golden_text, regenerating

from inclusio.adapt.alt_text import apply_alt_text
from inclusio.adapt.context import AdaptContext
from inclusio.config import Settings
from inclusio.converters.base import ConvertContext
from inclusio.converters.pdf import PdfConverter
from inclusio.converters.pdf_tags import read_tree
from inclusio.model import Document, Figure, Heading, ListBlock, Paragraph, Table
from inclusio.profiles import load_profile

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "tagged"
TAGS = "structure from the PDF's tags"


def _convert(path: Path) -> Document:
    return PdfConverter().convert(path, ConvertContext(filename=path.name))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The module's tagged PDFs, made by LibreOffice in three runs (one for every DOCX, then the course's ODT
    and its PDF), sharing one profile folder (the runs follow each other): each PDF under its golden name,
    plus ``cours-long.docx.pdf``."""
    folder = tmp_path_factory.mktemp("tagged")
    corpus = (ROOT / ".." / "shared" / "corpus").resolve()
    course = write_course_docx(folder / "cours-tagged.docx")
    docx_files = [
        course,
        # The same course with 12 paragraphs (enough lines to judge a tree that puts everything in one element).
        write_course_docx(folder / "cours-long.docx", paragraphs=12),
        corpus / "fixture-word.docx",
        ROOT / "samples" / "handout-water-cycle-en.docx",
    ]
    profile = folder / ".profile"
    pdfs = soffice_convert_all(docx_files, folder / "pdf", profile=profile)
    out = {f"{docx.stem}.docx.pdf": pdf for docx, pdf in zip(docx_files, pdfs, strict=True)}
    [odt] = soffice_convert_all([course], folder / "odt", target="odt", profile=profile)
    [out["cours-tagged.odt.pdf"]] = soffice_convert_all([odt], folder / "odt-pdf", profile=profile)
    return out


@pytest.fixture(scope="module")
def tagged(exported: dict[str, Path]) -> Path:
    return exported["cours-tagged.docx.pdf"]


@pytest.fixture(scope="module")
def long_tagged(exported: dict[str, Path]) -> Path:
    return exported["cours-long.docx.pdf"]


def _tree_parts(doc: pymupdf.Document) -> tuple[int, int, list[str]]:
    """The xrefs of the StructTreeRoot, its /ParentTree, and the references of the top element's /K."""
    root = int(doc.xref_get_key(doc.pdf_catalog(), "StructTreeRoot")[1].split()[0])
    parent_tree = int(doc.xref_get_key(root, "ParentTree")[1].split()[0])
    top = int(re.findall(r"(\d+) 0 R", doc.xref_get_key(root, "K")[1])[0])
    return parent_tree, top, re.findall(r"\d+ 0 R", doc.xref_get_key(top, "K")[1])


def test_headings_lists_tables_and_figure_come_from_the_tags(tagged: Path) -> None:
    doc = _convert(tagged)
    assert doc.source.converter and TAGS in doc.source.converter
    assert [(h.level, h.text) for h in doc.blocks if isinstance(h, Heading)] == [
        (1, "Le cycle de l'eau"),
        (2, "Les étapes"),
        (2, "Les réserves d'eau"),
        (2, "Conclusion"),
    ]
    lists = [b for b in doc.blocks if isinstance(b, ListBlock)]
    assert [(lst.ordered, [i.text for i in lst.items]) for lst in lists] == [
        (True, ["Évaporation des océans", "Condensation en nuages", "Précipitations"]),
        (False, ["L'eau douce est rare", "Il faut la protéger"]),
    ]
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert [[(c.text, c.header) for c in row] for row in table.rows] == [
        [("Réserve", True), ("Part (%)", True)],
        [("Océans", False), ("97", False)],
        [("Glaciers", False), ("2", False)],
    ]
    body = [b.text for b in doc.blocks if isinstance(b, Paragraph) and b.role == "body"]
    assert body[0].startswith("Paragraphe 1.") and body[-1] == "Fin du cours."
    assert not any(i.code.startswith("pdf.tags_") for i in doc.issues)


def test_a_tagged_figure_keeps_its_authors_alt_through_the_alt_text_pass(
    tagged: Path, tmp_path: Path
) -> None:
    doc = _convert(tagged)
    (figure,) = [b for b in doc.blocks if isinstance(b, Figure)]
    assert figure.alt == FIGURE_ALT
    assert figure.image in doc.resources
    assert figure.caption == "Figure 1 : le cycle de l'eau."
    ctx = AdaptContext(settings=Settings(data_dir=tmp_path), profile=load_profile("blind", ROOT / "profiles"))
    adapted, counts = apply_alt_text(doc, ctx)
    assert counts["images"] == 0  # nothing to write: the author already did
    (after,) = [b for b in adapted.blocks if isinstance(b, Figure)]
    assert after.alt == FIGURE_ALT  # neither the caption nor a model replaced the author's words
    assert not after.adaptations


def test_the_reading_order_is_the_trees(tagged: Path) -> None:
    doc = _convert(tagged)
    kinds = [b.type for b in doc.blocks]
    assert kinds[:2] == ["page", "heading"]
    assert kinds.index("table") < kinds.index("figure") < len(kinds) - 1


def test_a_tree_read_backwards_falls_back_to_the_layout_with_a_warning(tagged: Path, tmp_path: Path) -> None:
    pdf = pymupdf.open(tagged)
    _, top, kids = _tree_parts(pdf)
    pdf.xref_set_key(top, "K", "[" + " ".join(reversed(kids)) + "]")
    pdf.save(tmp_path / "reversed.pdf")
    doc = _convert(tmp_path / "reversed.pdf")
    assert doc.source.converter and TAGS not in doc.source.converter
    assert "pdf.tags_out_of_order" in [i.code for i in doc.issues]
    headings = [h.text for h in doc.blocks if isinstance(h, Heading)]
    assert headings[0] == "Le cycle de l'eau"  # the layout reads the page top-down


def test_tags_without_text_fall_back(tagged: Path, tmp_path: Path) -> None:
    pdf = pymupdf.open(tagged)
    parent_tree, _, _ = _tree_parts(pdf)
    pdf.xref_set_key(parent_tree, "Nums", "[]")  # no marked content reaches an element
    pdf.save(tmp_path / "empty.pdf")
    doc = _convert(tmp_path / "empty.pdf")
    assert "pdf.tags_no_text" in [i.code for i in doc.issues]
    assert any(isinstance(b, Paragraph) and b.text.startswith("Paragraphe 1.") for b in doc.blocks)


def test_tags_covering_a_fraction_of_the_page_fall_back(tagged: Path, tmp_path: Path) -> None:
    pdf = pymupdf.open(tagged)
    _, top, kids = _tree_parts(pdf)
    pdf.xref_set_key(top, "K", "[" + " ".join(kids[:3]) + "]")
    pdf.save(tmp_path / "partial.pdf")
    doc = _convert(tmp_path / "partial.pdf")
    codes = [i.code for i in doc.issues]
    assert "pdf.tags_partial" in codes
    assert any(isinstance(b, Paragraph) and b.text == "Fin du cours." for b in doc.blocks)


def test_everything_in_one_element_falls_back(long_tagged: Path, tmp_path: Path) -> None:
    pdf = pymupdf.open(long_tagged)
    parent_tree, top, kids = _tree_parts(pdf)
    nums = pdf.xref_get_key(parent_tree, "Nums")[1]
    count = len(re.findall(r"\d+ 0 R", nums.split("[", 2)[2]))
    first_p = kids[1]  # the first paragraph element: every marked content now belongs to it
    pdf.xref_set_key(parent_tree, "Nums", f"[0 [{' '.join([first_p] * count)}]]")
    pdf.xref_set_key(int(first_p.split()[0]), "K", "[" + " ".join(str(i) for i in range(count)) + "]")
    pdf.xref_set_key(top, "K", f"[{first_p}]")
    pdf.save(tmp_path / "one.pdf")
    doc = _convert(tmp_path / "one.pdf")
    assert "pdf.tags_one_block" in [i.code for i in doc.issues]
    assert len([b for b in doc.blocks if isinstance(b, Paragraph)]) > 5


def test_an_untagged_pdf_has_no_tree(samples_dir: Path) -> None:
    assert read_tree(pymupdf.open(samples_dir / "cours-photosynthese-fr.pdf")) == []


# -- a tree made by hand: roles, role map, /Lang, /Alt of a formula, Sect nesting, notes, artifacts ------

HELVETICA = "<</Font <</F1 <</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>>>>>"
"""Helvetica as the hand-made pages' F1."""


def _page_content(
    doc: pymupdf.Document, page: pymupdf.Page, content: bytes, *, fonts: str = HELVETICA
) -> None:
    """Give ``page`` the marked-content stream ``content`` (written by hand, MCIDs in it), the fonts it names
    and its StructParents 0 (the ParentTree's first entry)."""
    cx = doc.get_new_xref()
    doc.update_object(cx, "<<>>")
    doc.update_stream(cx, content)
    doc.xref_set_key(page.xref, "Contents", f"{cx} 0 R")
    doc.xref_set_key(page.xref, "Resources", fonts)
    doc.xref_set_key(page.xref, "StructParents", "0")


def _mark_tagged(doc: pymupdf.Document, root: int) -> int:
    """Make ``doc`` a tagged PDF whose structure tree is ``root``; the catalog's xref (for /Lang)."""
    cat = doc.pdf_catalog()
    doc.xref_set_key(cat, "StructTreeRoot", f"{root} 0 R")
    doc.xref_set_key(cat, "MarkInfo", "<</Marked true>>")
    return cat


def tagged_by_hand(path: Path) -> Path:
    """One page tagged by hand: H1, P, a role-mapped P in English, a Formula with /Alt, H in two nested
    Sect, a Note, a page number marked /Artifact."""
    doc = pymupdf.Document()
    page = doc.new_page(width=595, height=842)
    content = b"""
/H1 <</MCID 0>> BDC BT /F1 18 Tf 72 760 Td (Le titre du cours) Tj ET EMC
/P <</MCID 1>> BDC BT /F1 11 Tf 72 730 Td (Ce paragraphe est ecrit en francais pour le cours.) Tj ET EMC
/Para <</MCID 2>> BDC BT /F1 11 Tf 72 710 Td (This paragraph is written in English for the course.) Tj ET EMC
/Formula <</MCID 3>> BDC BT /F1 11 Tf 72 690 Td (E = mc2) Tj ET EMC
/H <</MCID 4>> BDC BT /F1 14 Tf 72 660 Td (Une sous-partie) Tj ET EMC
/P <</MCID 5>> BDC BT /F1 11 Tf 72 640 Td (Le texte de la sous-partie continue ici.) Tj ET EMC
/Note <</MCID 6>> BDC BT /F1 8 Tf 72 80 Td (1 Une note de bas de page.) Tj ET EMC
/Artifact BMC BT /F1 9 Tf 290 30 Td (Page 1) Tj ET EMC
"""
    _page_content(doc, page, content)
    x = {
        name: doc.get_new_xref()
        for name in ["root", "doc", "h1", "p1", "p2", "f", "sect", "inner", "h", "p3", "note", "pt"]
    }
    pg = f"/Pg {page.xref} 0 R"

    def elem(name: str, s: str, parent: str, k: str, extra: str = "") -> None:
        doc.update_object(x[name], f"<</Type/StructElem/S/{s}/P {x[parent]} 0 R {pg} /K {k} {extra}>>")

    doc.update_object(
        x["root"], f"<</Type/StructTreeRoot/K {x['doc']} 0 R/ParentTree {x['pt']} 0 R/RoleMap <</Para/P>>>>"
    )
    elem(
        "doc",
        "Document",
        "root",
        f"[{x['h1']} 0 R {x['p1']} 0 R {x['p2']} 0 R {x['f']} 0 R {x['sect']} 0 R {x['note']} 0 R]",
    )
    elem("h1", "H1", "doc", "0")
    elem("p1", "P", "doc", "1")
    elem("p2", "Para", "doc", "2", "/Lang (en-GB)")
    elem("f", "Formula", "doc", "3", "/Alt (E egale m c au carre)")
    elem("sect", "Sect", "doc", f"[{x['inner']} 0 R]")
    elem("inner", "Sect", "sect", f"[{x['h']} 0 R {x['p3']} 0 R]")
    elem("h", "H", "inner", "4")
    elem("p3", "P", "inner", "5")
    elem("note", "Note", "doc", "6")
    refs = " ".join(f"{x[n]} 0 R" for n in ["h1", "p1", "p2", "f", "h", "p3", "note"])
    doc.update_object(x["pt"], f"<</Nums [0 [{refs}]]>>")
    cat = _mark_tagged(doc, x["root"])
    doc.xref_set_key(cat, "Lang", "(fr-FR)")
    doc.save(path)
    return path


def test_a_tree_made_by_hand_gives_every_kind_of_block(tmp_path: Path) -> None:
    doc = _convert(tagged_by_hand(tmp_path / "hand.pdf"))
    assert doc.source.converter and TAGS in doc.source.converter and doc.lang == "fr"
    blocks = [b for b in doc.blocks if b.type != "page"]
    assert [(b.type, b.plain_text(), b.lang) for b in blocks] == [
        ("heading", "Le titre du cours", None),
        ("paragraph", "Ce paragraphe est ecrit en francais pour le cours.", None),
        (
            "paragraph",
            "This paragraph is written in English for the course.",
            "en",
        ),  # /Para -> P, /Lang en-GB
        ("formula", "E egale m c au carre", None),  # the author's /Alt
        ("heading", "Une sous-partie", None),
        ("paragraph", "Le texte de la sous-partie continue ici.", None),
        ("note", "Une note de bas de page.", None),  # the /Artifact page number after it is left out
    ]
    assert blocks[4].level == 2  # /H inside two /Sect
    assert blocks[6].label == "1"


# -- golden files: tagged PDFs made from DOCX and ODT --------------------------------------------


@pytest.fixture(scope="module")
def golden_sources(exported: dict[str, Path]) -> dict[str, Path]:
    return exported


@pytest.mark.parametrize(
    "name",
    [
        "cours-tagged.docx.pdf",
        "cours-tagged.odt.pdf",
        "fixture-word.docx.pdf",
        "handout-water-cycle-en.docx.pdf",
    ],
)
def test_tagged_pdf_matches_its_golden_files(golden_sources: dict[str, Path], name: str) -> None:
    path = golden_sources[name]
    doc = PdfConverter().convert(path, ConvertContext(filename=name))
    assert doc.source.converter and TAGS in doc.source.converter
    # LibreOffice writes the export date and a new document id into each PDF: the file's digest varies.
    doc.source.sha256 = "made by LibreOffice at test time"
    expected = {name + ".json": golden_json(doc), name + ".txt": golden_text(doc)}
    if regenerating():
        assert os.environ.get("CI", "").lower() != "true"
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for file, content in expected.items():
            (GOLDEN / file).write_text(content, encoding="utf-8")
        return
    for file, content in expected.items():
        assert (GOLDEN / file).read_text(encoding="utf-8") == content, (
            f"{name} differs from golden/tagged/{file}"
        )


def test_a_tree_without_headings_takes_them_from_the_bookmarks(tmp_path: Path) -> None:
    """tagpdf's own 2022 manual tags its section titles as P; its bookmarks name them."""
    pdf = pymupdf.open(tagged_by_hand(tmp_path / "hand.pdf"))
    for xref in range(1, pdf.xref_length()):
        if pdf.xref_get_key(xref, "S")[1] in ("/H1", "/H"):
            pdf.xref_set_key(xref, "S", "/P")
    pdf.set_toc([[1, "Le titre du cours", 1], [2, "Une sous-partie", 1], [1, "Annexe", 1]])
    pdf.save(tmp_path / "no-headings.pdf")
    doc = _convert(tmp_path / "no-headings.pdf")
    assert doc.source.converter and TAGS in doc.source.converter
    assert [(h.level, h.text) for h in doc.blocks if isinstance(h, Heading)] == [
        (1, "Le titre du cours"),
        (2, "Une sous-partie"),
    ]


def test_tables_off_means_the_same_on_the_tags_path_and_the_layout_path(tagged: Path, tmp_path: Path) -> None:
    """``INCLUSIO_PDF_TABLES=false``: no table from the structure tree either; its rows are read as
    paragraphs, as the layout path reads the same page (here: the same PDF with its tree removed)."""
    off = ConvertContext(filename=tagged.name, pdf_tables=False)
    pdf = pymupdf.open(tagged)
    pdf.xref_set_key(pdf.pdf_catalog(), "StructTreeRoot", "null")
    pdf.save(tmp_path / "untagged.pdf")
    for path, path_kind in ((tagged, TAGS), (tmp_path / "untagged.pdf", None)):
        on = PdfConverter().convert(path, ConvertContext(filename=path.name))
        doc = PdfConverter().convert(path, off)
        assert doc.source.converter and (
            path_kind in doc.source.converter if path_kind else TAGS not in doc.source.converter
        )
        assert [b for b in on.blocks if isinstance(b, Table)], path_kind  # with tables on, both paths find it
        assert not [b for b in doc.blocks if isinstance(b, Table)], path_kind
        text = "\n".join(b.plain_text() for b in doc.blocks if isinstance(b, Paragraph))
        for cell in ("Réserve", "Part (%)", "Océans", "97", "Glaciers"):
            assert cell in text, (path_kind, cell)
    tagged_off = PdfConverter().convert(tagged, off)
    rows = [
        b.text
        for b in tagged_off.blocks
        if isinstance(b, Paragraph) and b.text.startswith(("Réserve", "Océans"))
    ]
    assert rows == ["Réserve Part (%)", "Océans 97"]  # one paragraph per row, its cells in order
    assert [h.text for h in tagged_off.blocks if isinstance(h, Heading)][:2] == [
        "Le cycle de l'eau",
        "Les étapes",
    ]


def sections_with_loose_titles(path: Path) -> Path:
    """A tree as tagpdf's own 2022 manual has it: each section's title is text straight in its ``Sect`` (after
    a ``Lbl`` holding its number), followed by a line of the section's text also straight in the ``Sect``,
    then a ``P``; the bookmarks name the titles. Titles larger than the text, or bold at its size."""
    doc = pymupdf.Document()
    page = doc.new_page(width=595, height=842)
    titles = [("Introduction", 14, "F1"), ("Loading", 14, "F1"), ("Options", 11, "F2")]
    lines, y, mcid = [], 760, 0
    for number, (title, size, font) in enumerate(titles, start=1):
        for text, sz, fnt in (
            (str(number), size, font),
            (title, size, font),
            ("Breaking change!", 11, "F1"),
            (f"The section {number} explains what the package does in this part.", 11, "F1"),
        ):
            lines.append(
                f"/Span <</MCID {mcid}>> BDC BT /{fnt} {sz} Tf {72 if text != title else 90} {y} Td ({text}) Tj ET EMC"
            )
            mcid += 1
            y -= 0 if text == str(number) else 22
    _page_content(
        doc,
        page,
        "\n".join(lines).encode(),
        fonts="<</Font <</F1 <</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>"
        "/F2 <</Type/Font/Subtype/Type1/BaseFont/Helvetica-Bold/Encoding/WinAnsiEncoding>>>>>>",
    )
    root, top, tree = doc.get_new_xref(), doc.get_new_xref(), doc.get_new_xref()
    pg = f"/Pg {page.xref} 0 R"
    sects, owners = [], []
    for n in range(len(titles)):
        sect, lbl, para = doc.get_new_xref(), doc.get_new_xref(), doc.get_new_xref()
        base = 4 * n
        doc.update_object(lbl, f"<</Type/StructElem/S/Lbl/P {sect} 0 R {pg} /K {base}>>")
        doc.update_object(para, f"<</Type/StructElem/S/P/P {sect} 0 R {pg} /K {base + 3}>>")
        doc.update_object(
            sect,
            f"<</Type/StructElem/S/Sect/P {top} 0 R {pg} /K [{lbl} 0 R {base + 1} {base + 2} {para} 0 R]>>",
        )
        sects.append(f"{sect} 0 R")
        owners += [f"{lbl} 0 R", f"{sect} 0 R", f"{sect} 0 R", f"{para} 0 R"]
    doc.update_object(top, f"<</Type/StructElem/S/Document/P {root} 0 R /K [{' '.join(sects)}]>>")
    doc.update_object(root, f"<</Type/StructTreeRoot/K {top} 0 R/ParentTree {tree} 0 R>>")
    doc.update_object(tree, f"<</Nums [0 [{' '.join(owners)}]]>>")
    _mark_tagged(doc, root)
    doc.set_toc([[1, title, 1] for title, _, _ in titles])
    doc.save(path)
    return path


def test_a_section_title_straight_in_its_sect_is_a_heading(tmp_path: Path) -> None:
    """The title is cut from the section's next line (its size or its weight differs) and its bookmark makes
    it a heading; before, the two were one paragraph that no bookmark named."""
    doc = _convert(sections_with_loose_titles(tmp_path / "sections.pdf"))
    assert doc.source.converter and TAGS in doc.source.converter
    headings = [(b.level, b.text) for b in doc.blocks if isinstance(b, Heading)]
    assert headings == [(1, "1 Introduction"), (1, "2 Loading"), (1, "3 Options")]
    texts = [b.plain_text() for b in doc.blocks if isinstance(b, Paragraph)]
    assert texts.count("Breaking change!") == 3


def test_a_section_number_tagged_lbl_is_read_with_its_title_before_it(tmp_path: Path) -> None:
    """The Lbl holding a section's number comes first in its Sect, on the title's baseline: before, it was read
    after the title and the section's first line, as a paragraph of its own ("Introduction", "Breaking
    change!", "1")."""
    doc = _convert(sections_with_loose_titles(tmp_path / "sections.pdf"))
    kinds = [(b.type, b.plain_text()) for b in doc.blocks if b.type != "page"]
    assert kinds[:3] == [
        ("heading", "1 Introduction"),
        ("paragraph", "Breaking change!"),
        ("paragraph", "The section 1 explains what the package does in this part."),
    ]
    assert not [t for _, t in kinds if t in ("1", "2", "3")]


def numbered_headings(path: Path, *, label_x: float = 72) -> Path:
    """Two sections tagged ``Sect`` [``Lbl`` (the number), ``H1`` (the title), ``P``]; the number drawn at
    ``label_x`` on the title's baseline (at 760 and 700), or, with ``label_x`` past the title, after it."""
    doc = pymupdf.Document()
    page = doc.new_page(width=595, height=842)
    parts = []
    for n, (title, y) in enumerate([("Les étapes", 760), ("Les réserves", 700)]):
        title_x = 72 if label_x > 72 else 90
        parts += [
            f"/Lbl <</MCID {3 * n}>> BDC BT /F1 16 Tf {label_x} {y} Td ({n + 1}.) Tj ET EMC",
            f"/H1 <</MCID {3 * n + 1}>> BDC BT /F1 16 Tf {title_x} {y} Td ({title}) Tj ET EMC",
            f"/P <</MCID {3 * n + 2}>> BDC BT /F1 11 Tf 72 {y - 24} Td (Le texte de la partie {n + 1}.) Tj ET EMC",
        ]
    _page_content(doc, page, "\n".join(parts).encode("latin-1"))
    root, top, tree = doc.get_new_xref(), doc.get_new_xref(), doc.get_new_xref()
    pg = f"/Pg {page.xref} 0 R"
    sects, owners = [], []
    for n in range(2):
        sect, lbl, h1, para = (doc.get_new_xref() for _ in range(4))
        for xref, role, mcid in ((lbl, "Lbl", 3 * n), (h1, "H1", 3 * n + 1), (para, "P", 3 * n + 2)):
            doc.update_object(xref, f"<</Type/StructElem/S/{role}/P {sect} 0 R {pg} /K {mcid}>>")
        doc.update_object(
            sect, f"<</Type/StructElem/S/Sect/P {top} 0 R {pg} /K [{lbl} 0 R {h1} 0 R {para} 0 R]>>"
        )
        sects.append(f"{sect} 0 R")
        owners += [f"{lbl} 0 R", f"{h1} 0 R", f"{para} 0 R"]
    doc.update_object(top, f"<</Type/StructElem/S/Document/P {root} 0 R /K [{' '.join(sects)}]>>")
    doc.update_object(root, f"<</Type/StructTreeRoot/K {top} 0 R/ParentTree {tree} 0 R>>")
    doc.update_object(tree, f"<</Nums [0 [{' '.join(owners)}]]>>")
    cat = _mark_tagged(doc, root)
    doc.xref_set_key(cat, "Lang", "(fr-FR)")
    doc.save(path)
    return path


def test_a_number_tagged_lbl_beside_its_h1_is_part_of_the_heading(tmp_path: Path) -> None:
    doc = _convert(numbered_headings(tmp_path / "numbered.pdf"))
    assert doc.source.converter and TAGS in doc.source.converter
    assert [(b.type, b.plain_text()) for b in doc.blocks if b.type != "page"] == [
        ("heading", "1. Les étapes"),
        ("paragraph", "Le texte de la partie 1."),
        ("heading", "2. Les réserves"),
        ("paragraph", "Le texte de la partie 2."),
    ]


def test_a_lbl_set_after_its_title_stays_a_paragraph_of_its_own(tmp_path: Path) -> None:
    """Guard: a label that is not to the left of the title on its baseline is not made part of it."""
    doc = _convert(numbered_headings(tmp_path / "after.pdf", label_x=400))
    headings = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert headings == ["Les étapes", "Les réserves"]
    assert "1." in [b.plain_text() for b in doc.blocks if isinstance(b, Paragraph)]


def inline_code(path: Path) -> Path:
    """One P whose text runs on either side of a Code element on the same line, as TeX sets it: "You will need
    the " (its word space drawn at the end) + Code "glyph" + " operator ..."; then "Say" + Code "\\input" set
    with no space between (a space a text layer does not hold is not made up)."""
    doc = pymupdf.Document()
    page = doc.new_page(width=595, height=842)
    first = "You will need the "
    x_code = 72 + pymupdf.get_text_length(first, "helv", 11)
    x_after = x_code + pymupdf.get_text_length("glyph", "cour", 11)
    x_tight = 72 + pymupdf.get_text_length("Say", "helv", 11)
    content = f"""
/P <</MCID 0>> BDC BT /F1 11 Tf 72 700 Td ({first}) Tj ET EMC
/Code <</MCID 1>> BDC BT /F2 11 Tf {x_code:.2f} 700 Td (glyph) Tj ET EMC
/P <</MCID 2>> BDC BT /F1 11 Tf {x_after:.2f} 700 Td ( operator, which returns the contours.) Tj ET EMC
/P <</MCID 3>> BDC BT /F1 11 Tf 72 670 Td (Say) Tj ET EMC
/Code <</MCID 4>> BDC BT /F2 11 Tf {x_tight:.2f} 670 Td (input) Tj ET EMC
"""
    _page_content(
        doc,
        page,
        content.encode(),
        fonts="<</Font <</F1 <</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>"
        "/F2 <</Type/Font/Subtype/Type1/BaseFont/Courier/Encoding/WinAnsiEncoding>>>>>>",
    )
    root, top, tree, p1, code1, p2, code2 = (doc.get_new_xref() for _ in range(7))
    pg = f"/Pg {page.xref} 0 R"
    doc.update_object(p1, f"<</Type/StructElem/S/P/P {top} 0 R {pg} /K [0 {code1} 0 R 2]>>")
    doc.update_object(code1, f"<</Type/StructElem/S/Code/P {p1} 0 R {pg} /K 1>>")
    doc.update_object(p2, f"<</Type/StructElem/S/P/P {top} 0 R {pg} /K [3 {code2} 0 R]>>")
    doc.update_object(code2, f"<</Type/StructElem/S/Code/P {p2} 0 R {pg} /K 4>>")
    doc.update_object(top, f"<</Type/StructElem/S/Document/P {root} 0 R /K [{p1} 0 R {p2} 0 R]>>")
    doc.update_object(root, f"<</Type/StructTreeRoot/K {top} 0 R/ParentTree {tree} 0 R>>")
    doc.update_object(tree, f"<</Nums [0 [{p1} 0 R {code1} 0 R {p1} 0 R {p2} 0 R {code2} 0 R]]>>")
    _mark_tagged(doc, root)
    doc.save(path)
    return path


def test_a_word_space_at_the_edge_of_an_inline_element_is_kept(tmp_path: Path) -> None:
    """The space the text layer holds before an inline Code element set on the same line: before, the line's
    text was stripped while its box kept the space's width, so no gap was seen and the words were glued
    ("need theglyph", the manual of Debian's minim, tests/golden/tagged/minim.pdf.txt)."""
    doc = _convert(inline_code(tmp_path / "inline.pdf"))
    assert doc.source.converter and TAGS in doc.source.converter
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert texts == ["You will need the glyph operator, which returns the contours.", "Sayinput"]


def inline_formula(path: Path) -> Path:
    """A P with a Formula inside its line ("the energy E = mc2 of a body", the formula's /ActualText its TeX
    source, its glyphs apart as math is set), and a second Formula of the same P on a line of its own."""
    doc = pymupdf.Document()
    page = doc.new_page(width=595, height=842)
    before = "We write the energy "
    x_math = 72 + pymupdf.get_text_length(before, "helv", 11)
    content = f"""
/P <</MCID 0>> BDC BT /F1 11 Tf 72 700 Td ({before}) Tj ET EMC
/Span <</MCID 1>> BDC BT /F1 11 Tf {x_math:.2f} 700 Td (E = mc) Tj /F1 7 Tf 5 4 Td (2) Tj ET EMC
/P <</MCID 2>> BDC BT /F1 11 Tf {x_math + 42:.2f} 700 Td ( of a body at rest:) Tj ET EMC
/Span <</MCID 3>> BDC BT /F1 11 Tf 250 670 Td (p = mv) Tj ET EMC
"""
    _page_content(doc, page, content.encode())
    root, top, tree, para, inline, display = (doc.get_new_xref() for _ in range(6))
    pg = f"/Pg {page.xref} 0 R"
    doc.update_object(para, f"<</Type/StructElem/S/P/P {top} 0 R {pg} /K [0 {inline} 0 R 2 {display} 0 R]>>")
    doc.update_object(
        inline, f"<</Type/StructElem/S/Formula/P {para} 0 R {pg} /K 1 /ActualText (E=mc^2) /Alt (E=mc^2)>>"
    )
    doc.update_object(display, f"<</Type/StructElem/S/Formula/P {para} 0 R {pg} /K 3 /Alt (p = m v)>>")
    doc.update_object(top, f"<</Type/StructElem/S/Document/P {root} 0 R /K [{para} 0 R]>>")
    doc.update_object(root, f"<</Type/StructTreeRoot/K {top} 0 R/ParentTree {tree} 0 R>>")
    doc.update_object(tree, f"<</Nums [0 [{para} 0 R {inline} 0 R {para} 0 R {display} 0 R]]>>")
    _mark_tagged(doc, root)
    doc.save(path)
    return path


def test_a_formula_inside_a_sentence_stays_in_it(tmp_path: Path) -> None:
    """Math inside a sentence stays in the sentence as its text, as the DOCX path does; before, it was taken
    out to a formula block after the paragraph, leaving "the energy  of a body" (minim.pdf: "e.g. ."). A
    formula on a line of its own stays a formula block."""
    doc = _convert(inline_formula(tmp_path / "formula.pdf"))
    assert doc.source.converter and TAGS in doc.source.converter
    assert [(b.type, b.plain_text()) for b in doc.blocks if b.type != "page"] == [
        ("paragraph", "We write the energy E=mc^2 of a body at rest:"),
        ("formula", "p = m v"),
    ]
