"""PDF conversion on the real corpus: structure, page markers, running headers, scans, tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from inclusio.converters.base import ConvertContext
from inclusio.converters.pdf import PdfConverter, join_lines
from inclusio.converters.registry import convert
from inclusio.model import Code, Document, Figure, ListBlock, Paragraph, Table

PAGE_NUMBER_ONLY = re.compile(r"^\s*(?:\d{1,4}|[ivxlc]{1,6})(?:\s*/\s*\d{1,4})?\s*$", re.IGNORECASE)


def _convert(path: Path, **kwargs: object) -> Document:
    return convert(path, ConvertContext(filename=path.name, **kwargs))


def _texts(doc: Document) -> list[str]:
    return [block.plain_text() for block in doc.blocks]


@pytest.fixture(scope="module")
def paper(corpus_dir: Path) -> Document:
    return _convert(corpus_dir / "paper-2col-math-en.pdf")


def test_join_lines_removes_line_end_hyphens_only_inside_words() -> None:
    assert (
        join_lines(["Ut purus elit, vesti-", "bulum ut, placerat"])
        == "Ut purus elit, vestibulum ut, placerat"
    )
    assert join_lines(["le rendez-vous de l'après-", "Midi"]) == "le rendez-vous de l'après- Midi"
    assert join_lines(["a line", "", "another"]) == "a line another"


def test_paper_is_english_with_one_marker_per_page(paper: Document) -> None:
    assert paper.lang == "en"
    markers = paper.page_markers()
    assert [m.number for m in markers] == [1, 2, 3, 4, 5]
    assert paper.title == "Quantum Computation under Micromotion in a Planar Ion Crystal"


def test_paper_running_header_and_footer_are_removed(paper: Document) -> None:
    # Both lines are printed at the top/bottom of every page of the article.
    for text in _texts(paper):
        assert "www.nature.com/scientificreports" not in text
        assert "SCIENTIFIC REPORTS | 5 : 8555" not in text
    body = " ".join(_texts(paper))
    assert "Paul trap" in body


def test_paper_blocks_all_point_back_to_their_page(paper: Document) -> None:
    for block in paper.blocks:
        assert block.source is not None and block.source.page is not None
        if block.type != "page":
            assert block.source.bbox is not None
            assert 0 <= block.source.bbox.x0 <= block.source.bbox.x1 <= 600


def test_paper_figures_have_image_resources(paper: Document) -> None:
    figures = [b for b in paper.blocks if isinstance(b, Figure)]
    assert figures
    for figure in figures:
        resource = paper.resources[figure.image]
        assert resource.media_type in ("image/png", "image/jpeg")
        assert (
            resource.data[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1", b"\xff\xd8\xff\xdb")
            or resource.data[:2] == b"\xff\xd8"
        )


def test_french_article_headings_from_bookmarks_and_dehyphenation(corpus_dir: Path) -> None:
    doc = _convert(corpus_dir / "math-fr-2col.pdf")
    assert doc.lang == "fr"
    levels = {h.text: h.level for h in doc.headings()}
    assert any(text.endswith("Première section") and level == 2 for text, level in levels.items())
    assert any(text.endswith("Sous section") and level == 3 for text, level in levels.items())
    body = " ".join(b.plain_text() for b in doc.blocks if isinstance(b, Paragraph))
    assert "vestibulum" in body and "vesti- bulum" not in body


def test_census_table_is_a_table_with_header_cells(corpus_dir: Path) -> None:
    doc = _convert(corpus_dir / "table-census-en.pdf")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert tables
    cells = " ".join(c.text for t in tables for row in t.rows for c in row)
    assert "Total" in cells and "Female" in cells
    assert doc.title == "Arrests by Sex and Age"


def test_tables_can_be_switched_off(corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The switch is the layout's grid reader: the census's tags (whose tables are the author's) are ignored.
    monkeypatch.setattr("inclusio.converters.pdf_tags.build", lambda conv: False)
    doc = _convert(corpus_dir / "table-census-en.pdf", pdf_tables=False)
    assert not [b for b in doc.blocks if isinstance(b, Table)]
    assert "Female" in " ".join(_texts(doc))


def test_scan_oracles_with_text_layer_convert(corpus_dir: Path) -> None:
    fr = _convert(corpus_dir / "scan-fr.oracle.pdf")
    assert "whisky" in " ".join(_texts(fr))
    # The file declares /Lang en; 342 characters are too few to overrule the declaration.
    assert fr.lang == "en" and "lang.declared_mismatch" not in {i.code for i in fr.issues}
    en = _convert(corpus_dir / "scan-2col-en.oracle.pdf")
    assert en.lang.startswith("en")
    assert len(en.page_markers()) == 1 and len(" ".join(_texts(en))) > 2000


def test_layout_model_stays_off_after_conversion(paper: Document) -> None:
    import pymupdf

    assert pymupdf._get_layout is None


def test_a_conversion_process_loads_neither_the_layout_model_nor_pymupdf4llm(samples_dir: Path) -> None:
    # A fresh process, as a worker: ``import pymupdf`` would load the ONNX layout model and pymupdf4llm
    # (~2 s and ~40 MiB per process) for code inclusio never runs.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from inclusio.converters.base import ConvertContext\n"
        "from inclusio.converters.registry import convert\n"
        "path = Path(sys.argv[1])\n"
        "doc = convert(path, ConvertContext(filename=path.name))\n"
        "print(len(doc.page_markers()), sorted(m for m in ('onnxruntime', 'pymupdf.layout', 'pymupdf4llm')"
        " if sys.modules.get(m) is not None))\n"
        "import pymupdf4llm\n"  # still importable afterwards, for whoever wants it
        "print(pymupdf4llm.__name__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(samples_dir / "cours-photosynthese-fr.pdf")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert out.stdout.splitlines() == ["3 []", "pymupdf4llm"]


def test_progress_is_reported_per_page(corpus_dir: Path) -> None:
    calls: list[float] = []
    path = corpus_dir / "math-fr-2col.pdf"
    PdfConverter().convert(path, ConvertContext(filename=path.name, progress=lambda f, m: calls.append(f)))
    assert len(calls) >= 8 and calls[-1] == 1.0
    assert calls == sorted(calls)


@pytest.mark.slow
def test_a_page_that_is_a_scan_in_a_text_pdf_is_ocred_and_reported(tmp_path: Path, corpus_dir: Path) -> None:
    import pymupdf

    out = tmp_path / "mixed.pdf"
    with (
        pymupdf.open(corpus_dir / "math-fr-2col.pdf") as doc,
        pymupdf.open(corpus_dir / "scan-fr.pdf") as scan,
    ):
        doc.insert_pdf(scan)
        doc.save(out)
    result = _convert(out)
    issues = [i for i in result.issues if i.code == "pdf.scanned_page"]
    assert [i.source.page for i in issues] == [5]
    page5 = " ".join(b.plain_text() for b in result.blocks if b.source and b.source.page == 5)
    assert "whisky" in page5


@pytest.mark.slow
def test_manual_265_pages(corpus_dir: Path) -> None:
    import pymupdf

    path = corpus_dir / "manual-fr-265p.pdf"
    doc = _convert(path)
    assert len(doc.page_markers()) == 265
    assert doc.lang == "fr"
    # Page labels: the front matter is numbered i, ii...
    assert doc.page_markers()[1].label == "i"
    # Headings come from the bookmarks, with their levels.
    with pymupdf.open(path) as pdf:
        toc = [(level, title) for level, title, _ in pdf.get_toc()]
    headings = [(h.level, h.text) for h in doc.headings()]
    matched = sum(
        1 for level, title in toc if any(lv == level and text.endswith(title) for lv, text in headings)
    )
    assert matched >= 0.8 * len(toc)
    # No block is only a page number, and the running header is gone.
    for block in doc.blocks:
        text = block.plain_text().strip()
        if block.type != "page" and text:
            assert not PAGE_NUMBER_ONLY.match(text), text
            assert not re.match(r"^Référence Debian \d+ / 237$", text)
    assert sum(isinstance(b, Table) for b in doc.blocks) > 50
    assert sum(isinstance(b, ListBlock) for b in doc.blocks) > 50
    assert any(isinstance(b, Code) for b in doc.blocks)
