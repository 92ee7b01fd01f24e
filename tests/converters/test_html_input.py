"""HTML input: headings, nested lists, tables with spans, figures and alt text, languages, safe pictures."""

from __future__ import annotations

import base64
import zipfile
from pathlib import Path

import pytest

from inclusio.converters.base import ConvertContext
from inclusio.converters.html_input import HtmlConverter
from inclusio.converters.registry import convert, detect
from inclusio.model import Code, Document, Figure, Formula, Heading, ListBlock, Paragraph, Table

PAGE = """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>Cours de biologie : la cellule</title>
<meta name="author" content="Équipe pédagogique">
<style>p {{ color: red; }}</style><script>alert("non");</script></head>
<body>
<nav><ul><li><a href="/">Accueil</a></li></ul></nav>
<main>
<h1>La cellule</h1>
<p>La cellule est l'unité de base du vivant. Elle contient un <b>noyau</b> et un cytoplasme.</p>
<h2>Les organites</h2>
<ul>
  <li>Le noyau
    <ul><li>l'ADN</li><li>le nucléole</li></ul>
  </li>
  <li>Les mitochondries</li>
</ul>
<ol><li>Observer</li><li>Dessiner</li></ol>
<table>
  <caption>Tailles des cellules</caption>
  <thead><tr><th rowspan="2">Cellule</th><th colspan="2">Taille</th></tr>
         <tr><th>min</th><th>max</th></tr></thead>
  <tbody><tr><th scope="row">Bactérie</th><td>1 µm</td><td>10 µm</td></tr></tbody>
</table>
<figure><img src="data:image/png;base64,{png}" alt="Schéma d'une cellule animale">
  <figcaption>Figure 1 : une cellule animale</figcaption></figure>
<p><img src="data:image/png;base64,{png}" alt=""></p>
<img src="https://example.org/photo.jpg" alt="Photo au microscope">
<img src="../../etc/passwd">
<blockquote><p>Omnis cellula e cellula.</p></blockquote>
<pre><code>def f(x):
    return x</code></pre>
<p lang="en">The cell is the basic unit of life, and every living thing is made of cells.</p>
<p><math><mfrac><mi>a</mi><mi>b</mi></mfrac></math></p>
<div>Texte libre dans un div, sans paragraphe.<section><h3>Sous-partie</h3></section>Après.</div>
<dl><dt>Mitose</dt><dd>division cellulaire</dd></dl>
</main>
</body></html>
"""


@pytest.fixture(scope="module")
def png(corpus_dir: Path) -> bytes:
    with zipfile.ZipFile(corpus_dir / "fixture-word.docx") as archive:
        return archive.read("word/media/image1.png")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory, png: bytes) -> Document:
    path = tmp_path_factory.mktemp("html") / "cours.html"
    path.write_text(PAGE.format(png=base64.b64encode(png).decode()), encoding="utf-8")
    return convert(path, ConvertContext(filename=path.name))


def test_metadata_and_headings(page: Document) -> None:
    assert page.title == "Cours de biologie : la cellule"
    assert page.lang == "fr"
    assert page.authors == ["Équipe pédagogique"]
    assert page.source.media_type == "text/html"
    assert [(h.level, h.text) for h in page.headings()] == [
        (1, "La cellule"),
        (2, "Les organites"),
        (3, "Sous-partie"),
    ]
    assert "Accueil" not in "\n".join(b.plain_text() for b in page.blocks)  # navigation menu left out
    assert "alert" not in page.to_json()


def test_nested_lists(page: Document) -> None:
    lists = [b for b in page.blocks if isinstance(b, ListBlock)]
    bullets, numbered, definitions = lists
    assert not bullets.ordered and numbered.ordered
    assert [i.text for i in bullets.items] == ["Le noyau", "Les mitochondries"]
    assert [i.text for i in bullets.items[0].children.items] == ["l'ADN", "le nucléole"]
    assert [i.text for i in numbered.items] == ["Observer", "Dessiner"]
    assert [i.text for i in definitions.items] == ["Mitose : division cellulaire"]


def test_table_keeps_header_cells_and_spans(page: Document) -> None:
    table = next(b for b in page.blocks if isinstance(b, Table))
    assert table.caption == "Tailles des cellules"
    first, second, body = table.rows
    assert [(c.text, c.header, c.row_span, c.col_span) for c in first] == [
        ("Cellule", True, 2, 1),
        ("Taille", True, 1, 2),
    ]
    assert [c.text for c in second] == ["min", "max"]
    assert [(c.text, c.header) for c in body] == [("Bactérie", True), ("1 µm", False), ("10 µm", False)]


def test_figures_alt_text_and_pictures_that_are_not_fetched(page: Document, png: bytes) -> None:
    figures = [b for b in page.blocks if isinstance(b, Figure)]
    assert [(f.alt, f.caption, f.decorative) for f in figures] == [
        ("Schéma d'une cellule animale", "Figure 1 : une cellule animale", False),
        (None, None, True),  # alt="": decorative by the author's choice
        ("Photo au microscope", None, False),
        (None, None, False),  # no alt at all: missing, not decorative
    ]
    assert page.resources[figures[0].image].data == png
    assert figures[2].image is None and figures[3].image is None
    not_embedded = [i.block_id for i in page.issues if i.code == "image.not_embedded"]
    assert not_embedded == [figures[2].id, figures[3].id]


def test_quote_code_formula_language_and_loose_text(page: Document) -> None:
    by_role = {b.role: b.text for b in page.blocks if isinstance(b, Paragraph) and b.role != "body"}
    assert by_role == {"quote": "Omnis cellula e cellula."}
    assert [b.text for b in page.blocks if isinstance(b, Code)] == ["def f(x):\n    return x"]
    english = next(b for b in page.blocks if b.plain_text().startswith("The cell"))
    assert english.lang == "en"
    assert all(b.lang is None for b in page.blocks if b is not english)
    formula = next(b for b in page.blocks if isinstance(b, Formula))
    assert formula.text == "ab" and "<mfrac>" in formula.mathml
    assert formula.mathml.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
    texts = [b.plain_text() for b in page.blocks]
    start = texts.index("Texte libre dans un div, sans paragraphe.")
    assert texts[start + 1 : start + 3] == ["Sous-partie", "Après."]


def test_detected_by_content_whatever_the_name(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(
        b"\xef\xbb\xbf  <!-- export -->\n<HTML><body><h1>Titre</h1><p>Un paragraphe.</p></body></HTML>"
    )
    assert detect(path).name == "html"
    doc = convert(path, ConvertContext(filename="page.txt"))
    assert [h.text for h in doc.headings()] == ["Titre"]


def test_windows_1252_page_without_charset_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "ancien.html"
    path.write_bytes("<html><body><p>Été, château, cœur.</p></body></html>".encode("cp1252"))
    doc = HtmlConverter().convert(path, ConvertContext(filename=path.name))
    assert doc.blocks[0].plain_text() == "Été, château, cœur."


def _nested(tmp_path: Path, depth: int) -> Document:
    path = tmp_path / f"profond-{depth}.html"
    path.write_text(
        "<html><body><p>Début.</p>"
        + "<div>" * depth
        + "<p>Au fond.</p>"
        + "</div>" * depth
        + "<p>Fin.</p></body></html>"
    )
    return HtmlConverter().convert(path, ConvertContext(filename=path.name))


def test_deep_nesting_keeps_the_text_or_says_what_was_lost(tmp_path: Path) -> None:
    deep = _nested(tmp_path, 1500)  # beyond the walker's depth: read as text, nothing lost
    assert [b.plain_text() for b in deep.blocks] == ["Début.", "Au fond.", "Fin."]
    assert not deep.issues
    absurd = _nested(tmp_path, 5000)  # beyond the parser's limit: the rest is lost, and reported
    assert absurd.blocks[0].plain_text() == "Début."
    assert [i.code for i in absurd.issues] == ["html.truncated"]


def test_heading_order_comes_from_the_page_not_from_a_guess(page: Document) -> None:
    assert isinstance(page.blocks[0], Heading)


@pytest.mark.slow
def test_html_page_gives_an_epub_that_epubcheck_accepts(tmp_path: Path, png: bytes) -> None:
    from inclusio.config import Settings
    from inclusio.pipeline import run_job
    from inclusio.profiles import load_profile

    path = tmp_path / "cours.html"
    path.write_text(PAGE.format(png=base64.b64encode(png).decode()), encoding="utf-8")
    root = Path(__file__).resolve().parents[2]
    settings = Settings(data_dir=tmp_path / "data", profiles_dir=root / "profiles", validate_epub=True)
    result = run_job(
        path,
        load_profile("low-vision", settings.profiles_dir),
        tmp_path / "out",
        settings=settings,
        outputs=["epub", "report"],
    )
    assert result.status == "succeeded", result.errors
    check = result.report["validation"]["epubcheck"]
    assert check["ran"] is True and check["errors"] == 0 and check["fatals"] == 0
