"""DOCX structure on documents built here: notes, equations, inferred headings, languages, big pictures."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Pt
from lxml import etree

from inclusio.converters.base import ConvertContext
from inclusio.converters.docx import DocxConverter
from inclusio.model import Document, Figure, Formula, Heading, ListBlock, Note, Paragraph, Table

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
MATHML = "http://www.w3.org/1998/Math/MathML"


def _convert(path: Path, **limits: int) -> Document:
    return DocxConverter().convert(path, ConvertContext(filename=path.name, **limits))


def _call(paragraph, kind: str, note_id: int, custom: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Append a footnote/endnote call run to a python-docx paragraph (as Word writes it)."""
    attrs = ' w:customMarkFollows="1"' if custom else ""
    run = parse_xml(
        f'<w:r xmlns:w="{W}"><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
        f'<w:{kind}Reference w:id="{note_id}"{attrs}/></w:r>'
    )
    paragraph._p.append(run)
    if custom:
        paragraph._p.append(parse_xml(f'<w:r xmlns:w="{W}"><w:t>{custom}</w:t></w:r>'))


def _notes_part(document, kind: str, notes: dict[int, str]) -> None:  # type: ignore[no-untyped-def]
    body = "".join(
        f'<w:{kind} w:id="{i}"><w:p><w:r><w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p>'
        f"</w:{kind}>"
        for i, text in notes.items()
    )
    xml = (
        f'<w:{kind}s xmlns:w="{W}"><w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        f'</w:{kind}><w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        f"</w:r></w:p></w:{kind}>{body}</w:{kind}s>"
    )
    content_type = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml"
    part = Part(PackURI(f"/word/{kind}s.xml"), content_type, xml.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES)


def test_footnotes_and_endnotes_follow_the_block_that_calls_them(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("La photosynthèse", level=1)
    first = document.add_paragraph("Les plantes produisent de l'oxygène à partir de la lumière.")
    _call(first, "footnote", 2)
    _call(first, "footnote", 1)
    document.add_paragraph("Eau", style="List Bullet")
    _call(document.add_paragraph("Lumière", style="List Bullet"), "endnote", 1)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Gaz"
    _call(table.cell(0, 1).paragraphs[0], "footnote", 3, custom="*")
    document.add_paragraph("Fin du chapitre.")
    _notes_part(
        document,
        "footnote",
        {1: "Voir le manuel, p. 12.", 2: "Source : INSEE, 2023.", 3: "Valeur mesurée en laboratoire."},
    )
    _notes_part(document, "endnote", {1: "La lumière du Soleil."})
    path = tmp_path / "notes.docx"
    document.save(path)

    doc = _convert(path)
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == [
        "Heading",
        "Paragraph",
        "Note",
        "Note",
        "ListBlock",
        "Note",
        "Table",
        "Note",
        "Paragraph",
    ]
    notes = [b for b in doc.blocks if isinstance(b, Note)]
    # Labels as Word prints them: calls numbered in reading order (the first call is note id 2),
    # endnotes in lower-case Roman numerals, a custom mark kept.
    assert [(n.kind, n.label, n.text) for n in notes] == [
        ("footnote", "1", "Source : INSEE, 2023."),
        ("footnote", "2", "Voir le manuel, p. 12."),
        ("endnote", "i", "La lumière du Soleil."),
        ("footnote", "*", "Valeur mesurée en laboratoire."),
    ]
    assert not doc.issues


def test_corpus_document_has_no_invented_notes(corpus_dir: Path) -> None:
    """fixture-word.docx has (empty) footnote and endnote parts and no calls."""
    doc = _convert(corpus_dir / "fixture-word.docx")
    assert not [b for b in doc.blocks if isinstance(b, Note)]


def _math_paragraph(document, omml: str, *, display: bool) -> None:  # type: ignore[no-untyped-def]
    p = document.add_paragraph()
    math = f'<m:oMath xmlns:m="{M}">{omml}</m:oMath>'
    p._p.append(parse_xml(f'<m:oMathPara xmlns:m="{M}">{math}</m:oMathPara>' if display else math))


def _r(text: str) -> str:
    return f"<m:r><m:t>{text}</m:t></m:r>"


def test_equations_become_formulas_with_mathml_and_linear_text(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Le discriminant se calcule ainsi.")
    quadratic = (
        f'{_r("x=")}<m:f><m:num>{_r("-b±")}<m:rad><m:radPr><m:degHide m:val="1"/></m:radPr><m:deg/>'
        f"<m:e><m:sSup><m:e>{_r('b')}</m:e><m:sup>{_r('2')}</m:sup></m:sSup>{_r('-4ac')}</m:e></m:rad>"
        f"</m:num><m:den>{_r('2a')}</m:den></m:f>"
    )
    _math_paragraph(document, quadratic, display=True)
    _math_paragraph(document, f"<m:sSub><m:e>{_r('x')}</m:e><m:sub>{_r('i')}</m:sub></m:sSub>", display=False)
    sentence = document.add_paragraph("On pose ")
    sentence._p.append(
        parse_xml(
            f'<m:oMath xmlns:m="{M}"><m:sSup><m:e>{_r("a")}</m:e><m:sup>{_r("2")}</m:sup></m:sSup></m:oMath>'
        )
    )
    sentence.add_run(" dans la suite.")
    path = tmp_path / "maths.docx"
    document.save(path)

    doc = _convert(path)
    formulas = [b for b in doc.blocks if isinstance(b, Formula)]
    assert [f.text for f in formulas] == ["x=(-b±√(b^2-4ac))/(2a)", "x_i"]
    root = etree.fromstring(formulas[0].mathml)
    assert root.tag == f"{{{MATHML}}}math" and root.get("display") == "block"
    assert [etree.QName(e).localname for e in root.iter()][:4] == ["math", "mrow", "mi", "mo"]
    for element in ("mfrac", "msqrt", "msup", "mn"):
        assert root.find(f".//{{{MATHML}}}{element}") is not None, element
    # MathML layout elements take a fixed number of children (EPUBCheck rejects anything else).
    arity = {"mfrac": 2, "msup": 2, "msub": 2, "mroot": 2, "msubsup": 3, "munderover": 3}
    for formula in formulas:
        for node in etree.fromstring(formula.mathml).iter():
            expected = arity.get(etree.QName(node).localname)
            assert expected is None or len(node) == expected, etree.tostring(node)
    assert etree.fromstring(formulas[1].mathml).find(f"{{{MATHML}}}msub") is not None
    # Math inside a sentence stays in the sentence, as linear text.
    assert any(isinstance(b, Paragraph) and b.text == "On pose a^2 dans la suite." for b in doc.blocks)


def _sized(document, text: str, size: float | None = None, bold: bool = False):  # type: ignore[no-untyped-def]
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    return paragraph


BODY = (
    "La cellule est l'unité de base du vivant. Elle contient un noyau, un cytoplasme et une membrane "
    "qui la sépare du milieu extérieur."
)


def test_headings_are_inferred_from_bold_and_size_when_no_style_is_used(tmp_path: Path) -> None:
    document = docx.Document()
    _sized(document, "La cellule", 18, bold=True)
    for _ in range(2):
        _sized(document, BODY)
    _sized(document, "Le noyau", 14, bold=True)
    _sized(document, BODY)
    _sized(document, "Une remarque importante", bold=True)
    _sized(document, BODY)
    _sized(document, "Cette phrase en gras est une phrase.", bold=True)
    _sized(document, "Le cytoplasme", 14)
    _sized(document, BODY)
    path = tmp_path / "sans-styles.docx"
    document.save(path)

    doc = _convert(path)
    assert [(h.level, h.text) for h in doc.headings()] == [
        (1, "La cellule"),
        (2, "Le noyau"),
        (3, "Une remarque importante"),
        (2, "Le cytoplasme"),
    ]
    assert any(isinstance(b, Paragraph) and b.text.startswith("Cette phrase en gras") for b in doc.blocks)
    # (python-docx's template declares en-US: the French text overrides it, which is reported too.)
    assert [i.code for i in doc.issues] == ["docx.headings_inferred", "lang.declared_mismatch"]


def test_bold_lines_stay_paragraphs_when_the_author_used_heading_styles(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("La cellule", level=1)
    _sized(document, BODY)
    _sized(document, "Une remarque importante", bold=True)
    _sized(document, BODY)
    path = tmp_path / "styles.docx"
    document.save(path)

    doc = _convert(path)
    assert [h.text for h in doc.headings()] == ["La cellule"]
    assert not doc.issues


def _lang(paragraph, tag: str) -> None:  # type: ignore[no-untyped-def]
    for run in paragraph.runs:
        r_pr = run._r.get_or_add_rPr()
        r_pr.append(parse_xml(f'<w:lang xmlns:w="{W}" w:val="{tag}"/>'))


def test_paragraphs_in_another_declared_language_get_their_lang(tmp_path: Path) -> None:
    document = docx.Document()
    for text in (BODY, BODY):
        _lang(document.add_paragraph(text), "fr-FR")
    _lang(document.add_paragraph("The cell is the basic unit of life and it has a nucleus."), "en-GB")
    # Tagged English by the keyboard, but French text: not trusted.
    _lang(document.add_paragraph("Le noyau contient les chromosomes de la cellule."), "en-US")
    path = tmp_path / "langues.docx"
    document.save(path)

    doc = _convert(path)
    assert doc.lang == "fr-FR"
    langs = [(b.text[:12], b.lang) for b in doc.blocks if isinstance(b, Paragraph)]
    assert langs == [
        ("La cellule e", None),
        ("La cellule e", None),
        ("The cell is ", "en-GB"),
        ("Le noyau con", None),
    ]


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` x ``height`` with (almost) no pixel data: a pixel bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    )


def test_pictures_beyond_the_pixel_limit_are_skipped_and_reported(tmp_path: Path, corpus_dir: Path) -> None:
    import zipfile

    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_header(30_000, 30_000))
    with zipfile.ZipFile(corpus_dir / "fixture-word.docx") as archive:
        duck = archive.read("word/media/image1.png")
    (tmp_path / "duck.png").write_bytes(duck)
    document = docx.Document()
    document.add_paragraph("Deux images.")
    document.add_picture(str(bomb))
    document.add_picture(str(tmp_path / "duck.png"))
    path = tmp_path / "images.docx"
    document.save(path)

    doc = _convert(path)
    figures = [b for b in doc.blocks if isinstance(b, Figure)]
    assert len(figures) == 1 and doc.resources[figures[0].image].data == duck
    assert [i.code for i in doc.issues] == ["image.too_large"]
    assert "900 megapixels" in doc.issues[0].message


def test_lists_keep_levels_and_tables_keep_merges_with_notes_around(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Un", style="List Bullet")
    document.add_paragraph("Un point un", style="List Bullet 2")
    document.add_paragraph("Deux", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Titre fusionné"
    path = tmp_path / "listes.docx"
    document.save(path)

    doc = _convert(path)
    lst = next(b for b in doc.blocks if isinstance(b, ListBlock))
    assert [i.text for i in lst.items] == ["Un", "Deux"] and not lst.ordered
    assert lst.items[0].children.items[0].text == "Un point un"
    table_block = next(b for b in doc.blocks if isinstance(b, Table))
    assert table_block.rows[0][0].col_span == 2
    assert not any(isinstance(b, Heading) for b in doc.blocks)


@pytest.mark.slow
def test_notes_equations_and_languages_give_an_epub_that_epubcheck_accepts(tmp_path: Path) -> None:
    from inclusio.config import Settings
    from inclusio.pipeline import run_job
    from inclusio.profiles import load_profile

    document = docx.Document()
    document.add_heading("La photosynthèse", level=1)
    _lang(document.add_paragraph(BODY), "fr-FR")
    _call(document.add_paragraph("Les plantes produisent de l'oxygène."), "footnote", 1)
    _notes_part(document, "footnote", {1: "Source : INSEE, 2023."})
    _math_paragraph(
        document,
        f"{_r('x=')}<m:f><m:num>{_r('-b')}</m:num><m:den>{_r('2a')}</m:den></m:f>"
        f'<m:nary><m:naryPr><m:chr m:val="∑"/></m:naryPr><m:sub>{_r("i=1")}</m:sub>'
        f"<m:sup>{_r('n')}</m:sup><m:e>{_r('i')}</m:e></m:nary>",
        display=True,
    )
    _lang(document.add_paragraph("The cell is the basic unit of life and it has a nucleus."), "en-GB")
    path = tmp_path / "chapitre.docx"
    document.save(path)

    root = Path(__file__).resolve().parents[2]
    settings = Settings(data_dir=tmp_path / "data", profiles_dir=root / "profiles", validate_epub=True)
    result = run_job(
        path,
        load_profile("blind", settings.profiles_dir),
        tmp_path / "out",
        settings=settings,
        outputs=["epub", "report"],
    )
    assert result.status == "succeeded", result.errors
    check = result.report["validation"]["epubcheck"]
    assert check["ran"] is True and check["errors"] == 0 and check["fatals"] == 0
