"""Program code is a Code block in every input format, with its lines and indentation as written.

Each test makes its document (python-docx, python-pptx, PyMuPDF, plain HTML and Markdown text) and
converts it with the real converter; the corpus web-course deck is read from ``../shared/corpus``.
"""

from __future__ import annotations

from pathlib import Path

from inclusio.converters.base import ConvertContext
from inclusio.converters.code import code_language, is_code_style, is_monospace_font
from inclusio.converters.registry import convert
from inclusio.model import Code, Document, ListBlock, Paragraph

PYTHON = [
    "def somme(n):",
    "    total = 0",
    "    for i in range(n):",
    "        total += i",
    "    return total",
]


def _convert(path: Path) -> Document:
    return convert(path, ConvertContext(filename=path.name))


def _codes(doc: Document) -> list[Code]:
    return [b for b in doc.blocks if isinstance(b, Code)]


def _prose(doc: Document) -> str:
    """Every text that is not code (paragraphs and list items)."""
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    texts += [item.text for b in doc.blocks if isinstance(b, ListBlock) for item in b.items]
    return "\n".join(texts)


def test_font_and_style_names() -> None:
    for font in (
        "Courier New",
        "ABCDEF+Consolas-Bold",
        "DejaVu Sans Mono",
        "SourceCodePro-Regular",
        "Monaco",
        "CMTT10",
    ):
        assert is_monospace_font(font), font
    for font in ("Calibri", "Monotype Corsiva", "Times New Roman", "DejaVu Sans", None, ""):
        assert not is_monospace_font(font), font
    for style in (
        "Code",
        "HTML Preformatted",
        "Preformatted Text",
        "Source_20_Text",
        "Source Code",
        "Texte préformaté",
    ):
        assert is_code_style(style), style
    assert not is_code_style("Normal") and not is_code_style("Heading 1") and not is_code_style(None)
    assert code_language("language-python") == "python"
    assert code_language("sourceCode js") == "js"
    assert code_language("highlight") is None and code_language(None) is None


def test_docx_code_style_and_monospace_paragraphs(tmp_path: Path) -> None:
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    code_style = document.styles.add_style("Code", WD_STYLE_TYPE.PARAGRAPH)
    code_style.font.name = "Courier New"
    document.add_paragraph("Voici une fonction. Elle additionne les entiers.")
    for line in PYTHON[:2]:
        document.add_paragraph(line, style="Code")
    document.add_paragraph("")  # a blank Normal paragraph inside the listing is one of its lines
    for line in PYTHON[2:]:
        document.add_paragraph(line, style="Code")
    document.add_paragraph("")  # and after it, nothing
    document.add_paragraph("Puis une commande :")
    mono = document.add_paragraph()
    mono.add_run("$ ls   -l").font.name = "Consolas"
    inline = document.add_paragraph("Appelez ")
    inline.add_run("somme(3)").font.name = "Consolas"
    inline.add_run(" pour essayer.")
    path = tmp_path / "code.docx"
    document.save(path)

    doc = _convert(path)
    codes = _codes(doc)
    assert [c.text for c in codes] == ["\n".join([*PYTHON[:2], "", *PYTHON[2:]]), "$ ls   -l"]
    # Inline code stays inside its sentence.
    assert any(isinstance(b, Paragraph) and b.text == "Appelez somme(3) pour essayer." for b in doc.blocks)
    assert "total" not in _prose(doc)


def test_pptx_consolas_text_box_is_one_code_block(tmp_path: Path) -> None:
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only
    slide.shapes.title.text = "Une boucle"
    box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(3))
    frame = box.text_frame
    for index, line in enumerate(PYTHON):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        run.font.name = "Consolas"
    other = slide.shapes.add_textbox(Inches(1), Inches(5.5), Inches(6), Inches(1)).text_frame.paragraphs[0]
    other.add_run().text = "La fonction "
    inline = other.add_run()
    inline.text = "somme"
    inline.font.name = "Consolas"
    other.add_run().text = " renvoie un entier."
    path = tmp_path / "code.pptx"
    prs.save(path)

    doc = _convert(path)
    [code] = _codes(doc)
    assert code.text == "\n".join(PYTHON) and code.source is not None and code.source.slide == 1
    assert any(
        isinstance(b, Paragraph) and b.text == "La fonction somme renvoie un entier." for b in doc.blocks
    )


def test_pdf_courier_lines_keep_their_indentation(tmp_path: Path) -> None:
    import pymupdf

    pdf = pymupdf.open()
    page = pdf.new_page()
    page.insert_text((72, 72), "Un exemple de boucle en Python :", fontname="helv", fontsize=11)
    y = 100.0
    for line in PYTHON:
        indent = len(line) - len(line.lstrip())
        page.insert_text((72 + indent * 6.0, y), line.strip(), fontname="cour", fontsize=10)
        y += 13
    page.insert_text((72, y + 20), "La fonction renvoie la somme des entiers.", fontname="helv", fontsize=11)
    path = tmp_path / "code.pdf"
    pdf.save(path)

    doc = _convert(path)
    [code] = _codes(doc)
    assert code.text == "\n".join(PYTHON)
    assert "Un exemple de boucle en Python :" in _prose(doc) and "total" not in _prose(doc)


def test_html_pre_and_standalone_code_keep_whitespace(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        '<html lang="fr"><body><h1>Boucles</h1><p>Appelez <code>somme(3)</code> ici.</p>'
        '<pre><code class="language-python">' + "\n".join(PYTHON) + "\n</code></pre>"
        "<div><code>a = 1\n  b = 2</code></div></body></html>",
        encoding="utf-8",
    )
    doc = _convert(path)
    codes = _codes(doc)
    assert [(c.text, c.language) for c in codes] == [("\n".join(PYTHON), "python"), ("a = 1\n  b = 2", None)]
    assert any(isinstance(b, Paragraph) and b.text == "Appelez somme(3) ici." for b in doc.blocks)


def test_markdown_fenced_and_indented_code(tmp_path: Path) -> None:
    path = tmp_path / "cours.md"
    path.write_text(
        "# Boucles\n\nAppelez `somme(3)` ici. Deux phrases.\n\n```python\n"
        + "\n".join(PYTHON)
        + "\n```\n\n    $ python3 somme.py\n      6\n\nFin.\n",
        encoding="utf-8",
    )
    doc = _convert(path)
    assert [(c.text, c.language) for c in _codes(doc)] == [
        ("\n".join(PYTHON), "python"),
        ("$ python3 somme.py\n  6", None),
    ]
    assert any(
        isinstance(b, Paragraph) and b.text == "Appelez somme(3) ici. Deux phrases." for b in doc.blocks
    )


def test_web_course_deck_code_is_code(corpus_dir: Path) -> None:
    doc = _convert(corpus_dir / "slides-fr-web-course.pptx")
    codes = _codes(doc)
    assert len(codes) >= 20
    table = next(c for c in codes if c.text.startswith("<table>"))
    # Indentation as the author typed it (two spaces per level), one line per paragraph.
    assert table.text.split("\n")[:3] == ["<table>", "  <tr>", "    <td>Colonne 1</td>"]
    lorem = next(c for c in codes if c.text.startswith("<p>Lorem ipsum"))
    assert lorem.text.count("\n") >= 2 and lorem.text.rstrip().endswith("laborum.</p>")
    # No HTML tag of the examples is left in a paragraph or a list item.
    prose = _prose(doc)
    for tag in ("<p>", "<table>", "<h1>", "</article>", "<!DOCTYPE"):
        assert tag not in prose, tag


ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"'
)


def test_odt_preformatted_text_style_is_code(tmp_path: Path) -> None:
    """An ODT whose lines use LibreOffice's "Preformatted Text" style (converted through LibreOffice)."""
    import zipfile

    from inclusio.converters import odf

    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {ODF_NS} office:version="1.3">'
        '<office:styles><style:style style:name="Preformatted_20_Text" style:display-name="Preformatted Text" '
        'style:family="paragraph"><style:text-properties style:font-name="Liberation Mono" '
        'fo:font-family="&apos;Liberation Mono&apos;"/></style:style></office:styles></office:document-styles>'
    )
    lines = "".join(
        f'<text:p text:style-name="Preformatted_20_Text"><text:s text:c="{len(line) - len(line.lstrip())}"/>'
        f"{line.strip()}</text:p>"
        if line.startswith(" ")
        else f'<text:p text:style-name="Preformatted_20_Text">{line}</text:p>'
        for line in PYTHON
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODF_NS} office:version="1.3">'
        '<office:body><office:text><text:h text:outline-level="1">Boucles</text:h>'
        f"<text:p>Une fonction qui additionne les entiers.</text:p>{lines}<text:p>Fin.</text:p>"
        "</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    path = tmp_path / "code.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), odf.ODT)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("styles.xml", styles, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    doc = _convert(path)
    assert [c.text for c in _codes(doc)] == ["\n".join(PYTHON)]
    assert "Une fonction qui additionne les entiers." in _prose(doc)
