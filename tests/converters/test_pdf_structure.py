"""PDF structure a reader relies on: heading levels, footnotes, formulas, languages, paragraphs across pages,
lists, tables, and the bad inputs the PDF converter owns (broken xref, page limit, oversized images)."""

from __future__ import annotations

from pathlib import Path

import pytest

from inclusio.converters.base import ConvertContext
from inclusio.converters.pdf import PdfConverter, join_continued, numbering_level
from inclusio.converters.pdf_text import join_lines
from inclusio.converters.registry import convert
from inclusio.errors import InputTooLarge
from inclusio.model import Code, Document, Formula, ListBlock, Note, PageMarker, Paragraph, Table

BODY = (
    "La photosynthèse est le processus par lequel les plantes vertes transforment l'énergie de la lumière "
    "en énergie chimique, grâce à la chlorophylle contenue dans les chloroplastes des cellules."
)


def _pdf(tmp_path: Path, name: str, pages: list[list[tuple[str, float, float, float]]]) -> Path:
    """A PDF whose pages hold (text, x, y, size) lines (Helvetica; "B:" prefix = bold)."""
    import pymupdf

    doc = pymupdf.open()
    for lines in pages:
        page = doc.new_page()
        for text, x, y, size in lines:
            bold = text.startswith("B:")
            page.insert_text(
                (x, y), text[2:] if bold else text, fontsize=size, fontname="hebo" if bold else "helv"
            )
    path = tmp_path / name
    doc.save(path)
    return path


def _convert(path: Path, **kwargs: object) -> object:
    return convert(path, ConvertContext(filename=path.name, **kwargs))


def _wrapped(
    text: str, x: float, y: float, size: float = 10, width: int = 90
) -> list[tuple[str, float, float, float]]:
    import textwrap

    return [(line, x, y + i * size * 1.3, size) for i, line in enumerate(textwrap.wrap(text, width))]


def test_numbering_gives_the_level() -> None:
    assert numbering_level("2.3.1 Détails du calcul") == 3
    assert numbering_level("4 Les maths") == 1
    assert numbering_level("1.2 Méthode") == 2
    assert numbering_level("12 mois plus tard") == 1 and numbering_level("Introduction") is None


def test_headings_of_the_same_size_get_their_levels_from_numbering(tmp_path: Path) -> None:
    lines = [("B:1 Introduction", 72, 80, 14)] + _wrapped(BODY, 72, 110)
    lines += [("B:1.1 Le rôle de la lumière", 72, 200, 14)] + _wrapped(BODY, 72, 230)
    lines += [("B:1.1.1 Le spectre visible", 72, 320, 14)] + _wrapped(BODY, 72, 350)
    lines += [("B:2 Conclusion", 72, 440, 14)] + _wrapped(BODY, 72, 470)
    doc = _convert(_pdf(tmp_path, "cours.pdf", [lines]))
    assert [(h.level, h.text) for h in doc.headings()] == [
        (1, "1 Introduction"),
        (2, "1.1 Le rôle de la lumière"),
        (3, "1.1.1 Le spectre visible"),
        (1, "2 Conclusion"),
    ]


def test_footnote_is_a_note_placed_after_the_paragraph_that_calls_it(tmp_path: Path) -> None:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_htmlbox(
        pymupdf.Rect(72, 72, 520, 200),
        '<p style="font-size:11pt">La cellule végétale contient des '
        "chloroplastes<sup>1</sup> qui captent la lumière du soleil pour nourrir la plante.</p>",
    )
    page.insert_htmlbox(pymupdf.Rect(72, 220, 520, 400), f'<p style="font-size:11pt">{BODY}</p>')
    page.insert_text((72, 740), "1 Organites verts de la cellule, visibles au microscope.", fontsize=8)
    path = tmp_path / "note.pdf"
    doc.save(path)
    result = _convert(path)
    notes = [b for b in result.blocks if isinstance(b, Note)]
    assert len(notes) == 1
    assert notes[0].kind == "footnote" and notes[0].label == "1"
    assert notes[0].text == "Organites verts de la cellule, visibles au microscope."
    index = result.blocks.index(notes[0])
    assert result.blocks[index - 1].plain_text().startswith("La cellule végétale")
    assert not any("Organites" in b.plain_text() for b in result.blocks if isinstance(b, Paragraph))


def test_paragraph_continued_on_the_next_page_is_joined_after_the_page_marker(tmp_path: Path) -> None:
    first = [("B:1 La photosynthèse", 72, 80, 14)] + _wrapped(BODY, 72, 110)
    first += [("Dans la feuille, les cellules du parenchyme reçoivent la lumière qui traverse", 72, 700, 10)]
    second = [("l'épiderme, puis la transforment en sucres.", 72, 80, 10)] + _wrapped(BODY, 72, 120)
    doc = _convert(_pdf(tmp_path, "deux-pages.pdf", [first, second]))
    joined = next(b for b in doc.blocks if "qui traverse l'épiderme, puis" in b.plain_text())
    index = doc.blocks.index(joined)
    assert isinstance(doc.blocks[index - 1], PageMarker) and doc.blocks[index - 1].number == 2
    assert joined.source.page == 1
    assert not any(b.plain_text().startswith("l'épiderme") for b in doc.blocks)


def test_join_continued_leaves_finished_sentences_and_short_titles_alone() -> None:
    blocks = [
        Paragraph(id="b1", text="A finished sentence that is long enough to be a real paragraph."),
        PageMarker(id="b2", number=2),
        Paragraph(id="b3", text="lower-case start after a full stop."),
    ]
    assert [b.id for b in join_continued(blocks)] == ["b1", "b2", "b3"]
    blocks = [
        Paragraph(id="b1", text="Additional Features"),
        Paragraph(id="b2", text="simply use the button."),
    ]
    assert [b.id for b in join_continued(blocks)] == ["b1", "b2"]


def test_hyphenation_is_repaired_but_compounds_keep_their_hyphen() -> None:
    assert join_lines(["la photo-", "synthèse"]) == "la photosynthèse"
    assert join_lines(["nous avons rendez-", "vous demain"]) == "nous avons rendez-vous demain"
    assert join_lines(["peut-", "être"]) == "peut-être"
    assert join_lines(["a self-", "contained unit"]) == "a self-contained unit"
    assert join_lines(["soft\xad", "hyphen"]) == "softhyphen"


def test_nested_list_by_indent(tmp_path: Path) -> None:
    lines = _wrapped(BODY, 72, 80) + [
        ("• Les pigments", 72, 200, 10),
        ("– la chlorophylle a", 90, 215, 10),
        ("– la chlorophylle b", 90, 230, 10),
        ("• Les organites", 72, 245, 10),
    ]
    doc = _convert(_pdf(tmp_path, "liste.pdf", [lines]))
    lists = [b for b in doc.blocks if isinstance(b, ListBlock)]
    assert len(lists) == 1
    items = lists[0].items
    assert [i.text for i in items] == ["Les pigments", "Les organites"]
    assert [i.text for i in items[0].children.items] == ["la chlorophylle a", "la chlorophylle b"]


def test_an_english_paragraph_in_a_french_document_gets_its_language(tmp_path: Path) -> None:
    english = (
        "The light reactions of photosynthesis take place in the thylakoid membranes of the chloroplasts, "
        "where the energy of the light is used to make ATP and NADPH for the cycle of Calvin."
    )
    lines = (
        _wrapped(BODY, 72, 80)
        + _wrapped(BODY, 72, 160)
        + _wrapped(english, 72, 240)
        + _wrapped(BODY, 72, 320)
    )
    doc = _convert(_pdf(tmp_path, "bilingue.pdf", [lines]))
    assert doc.lang == "fr"
    langs = {b.plain_text()[:20]: b.lang for b in doc.blocks if isinstance(b, Paragraph)}
    assert langs["The light reactions "] == "en"
    assert langs["La photosynthèse est"] is None


def test_display_formulas_are_kept_with_text_and_image(corpus_dir: Path) -> None:
    doc = _convert(corpus_dir / "math-fr-2col.pdf")
    formulas = [b for b in doc.blocks if isinstance(b, Formula)]
    assert any("f(x)dx = F(1)" in f.text for f in formulas)
    for formula in formulas:
        assert formula.image and doc.resources[formula.image].data[:4] == b"\x89PNG"
        assert formula.latex is None and formula.mathml is None  # not recovered: we do not guess
    paper = _convert(corpus_dir / "paper-2col-math-en.pdf")
    assert sum(isinstance(b, Formula) for b in paper.blocks) >= 10
    # Prose with a little inline math stays prose.
    assert any(
        isinstance(b, Paragraph) and b.text.startswith("It contains both a DC and an AC part")
        for b in paper.blocks
    )


def test_census_table_has_header_rows_and_spans(corpus_dir: Path) -> None:
    doc = _convert(corpus_dir / "table-census-en.pdf")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert tables
    first = tables[0]
    # "Offense charged" spans the two header rows (Total / Male / Female over Under 18 years ...).
    assert first.rows[0][0].text == "Offense charged" and first.rows[0][0].row_span == 2
    assert all(cell.header for cell in first.rows[0] + first.rows[1])
    assert not any(cell.header for cell in first.rows[2])
    assert [c.text for c in first.rows[0][1:]] == ["Total", "Male", "Female"]


def test_census_figures_ruled_around_the_body_only_are_one_row_per_line(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Read off the rendered page: under "Total", "Male" and "Female" three columns of figures each, rules
    # only around the header and the body; the body was one row of multi-line cells. The census PDF is
    # tagged: its tags are ignored here, the layout reader is what is tested (as for an untagged copy).
    monkeypatch.setattr("inclusio.converters.pdf_tags.build", lambda conv: False)
    doc = _convert(corpus_dir / "table-census-en.pdf")
    by_sex, by_race = [b for b in doc.blocks if isinstance(b, Table)]
    assert [(c.text, c.col_span) for c in by_sex.rows[0][1:]] == [("Total", 3), ("Male", 3), ("Female", 3)]
    assert [c.text for c in by_sex.rows[1]] == ["Total", "Under 18 years", "18 years and over"] * 3
    body = {row[0].text: [c.text for c in row[1:]] for row in by_sex.rows[2:]}
    assert len(body) == 32 and all(not any(c.header for c in row) for row in by_sex.rows[2:])
    assert body["Total"] == [
        "11,062.6",
        "1,540.0",
        "9,522.6",
        "8,263.3",
        "1,071.6",
        "7,191.7",
        "2,799.2",
        "468.3",
        "2,330.9",
    ]
    assert body["Larceny-theft"][:3] == ["1,080.1", "258.1", "822.0"]
    # A label on two lines is one row label; empty figures ("–", "(X)") stay in their columns.
    assert body["Murder and nonnegligent manslaughter"] == [
        "10.0",
        "0.9",
        "9.1",
        "9.0",
        "0.9",
        "8.1",
        "1.1",
        "–",
        "1.0",
    ]
    assert body["Runaways"][2::3] == ["(X)", "(X)", "(X)"]
    assert [(c.text, c.header) for c in by_race.rows[0]] == [
        ("Offense charged", True),
        ("Total", True),
        ("White", True),
        ("Black", True),
        ("American Indian/Alaskan Native", True),
        ("Asian Pacific Islander", True),
    ]
    assert [c.text for c in by_race.rows[-1]] == ["Runaways", "73,616", "48,343", "19,670", "1,653", "3,950"]
    assert len(by_race.rows) == 33


def test_ruled_rows_with_wrapped_prose_are_not_split(tmp_path: Path, corpus_dir: Path) -> None:
    # Manual page 32: descriptions wrap onto two lines inside ruled rows; one row per package.
    doc = _convert(_manual_pages(tmp_path, corpus_dir, [32]))
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert [row[0].text for row in table.rows] == [
        "paquet",
        "mc",
        "sudo",
        "vim",
        "vim-tiny",
        "emacs-nox",
        "w3m",
        "gpm",
    ]
    assert table.rows[3][3].text.startswith(
        "éditeur de texte UNIX Vi amélioré (Vi IMproved), éditeur de texte pour"
    )


@pytest.mark.parametrize("rotation", [90, 270])
def test_a_page_turned_by_a_quarter_reads_like_the_upright_page(
    tmp_path: Path, corpus_dir: Path, rotation: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # /Rotate 90 swaps page.rect's width and height, while text, drawings and images stay in unrotated
    # coordinates: the second census table (below the swapped height) was cut off, and formula images
    # were rendered from the wrong area. The census's tags are ignored: the layout reader is tested.
    import pymupdf

    monkeypatch.setattr("inclusio.converters.pdf_tags.build", lambda conv: False)

    def turned(name: str) -> Document:
        with pymupdf.open(corpus_dir / name) as doc:
            for page in doc:
                page.set_rotation(rotation)
            doc.save(tmp_path / name)
        return _convert(tmp_path / name)

    census, upright = turned("table-census-en.pdf"), _convert(corpus_dir / "table-census-en.pdf")
    assert [b.plain_text() for b in census.blocks] == [b.plain_text() for b in upright.blocks]
    assert [len(b.rows) for b in census.blocks if isinstance(b, Table)] == [34, 33]
    article = turned("math-fr-2col.pdf")
    formulas = [b for b in article.blocks if isinstance(b, Formula)]
    assert any("f(x)dx = F(1)" in f.text for f in formulas)
    for formula in formulas:
        pix = pymupdf.Pixmap(article.resources[formula.image].data)
        assert pix.width > 10 and pix.height > 10 and pix.color_count() > 1  # the formula, not a blank strip


def test_a_framed_paragraph_is_not_a_table(tmp_path: Path) -> None:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.draw_rect(pymupdf.Rect(60, 60, 540, 140), color=(0, 0, 0), width=1)
    for line in _wrapped(BODY, 72, 80):
        page.insert_text((line[1], line[2]), line[0], fontsize=10)
    path = tmp_path / "cadre.pdf"
    doc.save(path)
    result = _convert(path)
    assert not [b for b in result.blocks if isinstance(b, Table)]
    assert any(isinstance(b, Paragraph) and b.text.startswith("La photosynthèse") for b in result.blocks)


def _manual_pages(tmp_path: Path, corpus_dir: Path, pages: list[int]) -> Path:
    """Some pages (1-based) of the 265-page manual, as their own PDF."""
    import pymupdf

    out = tmp_path / "manual-pages.pdf"
    with pymupdf.open(corpus_dir / "manual-fr-265p.pdf") as manual, pymupdf.open() as doc:
        for number in pages:
            doc.insert_pdf(manual, from_page=number - 1, to_page=number - 1)
        doc.save(out)
    return out


def test_manual_tables_keep_every_column_and_the_text_above_them(tmp_path: Path, corpus_dir: Path) -> None:
    # Pages 61, 104 and 196 of the manual: PyMuPDF's table finder took the body sentence above the first
    # table as a header row, and read only the two middle columns of the other two.
    doc = _convert(_manual_pages(tmp_path, corpus_dir, [61, 104, 196]))
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert [t.source.page for t in tables] == [1, 2, 3, 3]
    regex, proxies, mtools = tables[:3]
    assert [c.text for c in regex.rows[0]] == ["BRE", "ERE", "description de l’expression rationnelle"]
    assert all(c.header for c in regex.rows[0]) and not any(c.header for c in regex.rows[1])
    sentence = next(
        b for b in doc.blocks if isinstance(b, Paragraph) and b.text.startswith("Un métacaractère")
    )
    assert sentence.text.endswith(
        "deux styles principaux, BRE et ERE suivant les outils de texte décrits ci-dessus."
    )
    assert [c.text for c in proxies.rows[0]] == ["paquet", "popcon", "taille", "description"]
    assert [c.text for c in proxies.rows[1][:3]] == ["approx", "V:0, I:0", "6610"]
    assert proxies.caption == "Table 2.19 – Liste des outils de proxy spécifiques à l’archive Debian"
    assert [[c.text for c in row[:2]] for row in mtools.rows[1:]] == [
        ["mtools", "V:9, I:71"],
        ["hfsutils", "V:0, I:5"],
    ]
    # The cells' text is not read a second time as paragraphs.
    texts = [b.plain_text() for b in doc.blocks if isinstance(b, Paragraph)]
    assert not any(t in ("approx", "mtools", "paquet description") for t in texts)


def test_manual_pages_without_a_table_have_none(tmp_path: Path, corpus_dir: Path) -> None:
    # Page 32 holds a code listing on a shaded background (a box, not a grid) beside a real table;
    # page 5 is the table of contents (leader dots, no rules).
    doc = _convert(_manual_pages(tmp_path, corpus_dir, [5, 32]))
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert [t.source.page for t in tables] == [2]
    assert [c.text for c in tables[0].rows[0]] == ["paquet", "popcon", "taille", "description"]
    assert any(isinstance(b, Code) for b in doc.blocks if b.source.page == 2)


# -- bad input ------------------------------------------------------------------------------------


def test_broken_xref_is_repaired_with_a_warning(tmp_path: Path, samples_dir: Path) -> None:
    data = (samples_dir / "cours-photosynthese-fr.pdf").read_bytes()
    start = data.rindex(b"startxref")
    broken = data[:start] + b"startxref\n999999\n%%EOF\n"  # the xref offset points nowhere
    path = tmp_path / "xref.pdf"
    path.write_bytes(broken)
    doc = _convert(path)
    assert "input.repaired" in {i.code for i in doc.issues}
    assert any("photosynthèse" in b.plain_text().lower() for b in doc.blocks)


def test_page_limit_is_checked_before_reading_pages(tmp_path: Path) -> None:
    import pymupdf

    doc = pymupdf.open()
    for _ in range(30):
        doc.new_page().insert_text((72, 72), "Page de texte.", fontsize=10)
    path = tmp_path / "long.pdf"
    doc.save(path)
    with pytest.raises(InputTooLarge) as err:
        _convert(path, max_pages=25)
    assert err.value.details == {"pages": 30, "limit": 25}
    assert len(_convert(path, max_pages=30).page_markers()) == 30


def test_image_beyond_the_pixel_limit_is_skipped_and_reported(tmp_path: Path) -> None:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    for line in _wrapped(BODY, 72, 80):
        page.insert_text((line[1], line[2]), line[0], fontsize=10)
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 400, 300), 0)
    pix.clear_with(200)
    page.insert_image(pymupdf.Rect(72, 200, 472, 500), pixmap=pix)
    path = tmp_path / "image.pdf"
    doc.save(path)
    result = PdfConverter().convert(path, ConvertContext(filename=path.name, max_image_pixels=100_000))
    assert [i.code for i in result.issues if i.code.startswith("image.")] == ["image.too_large"]
    assert not [b for b in result.blocks if b.type == "figure"]
    assert len(_convert(path).resources) == 1  # within the default limit it is a figure
