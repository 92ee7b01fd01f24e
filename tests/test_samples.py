"""The committed samples are what samples/make_samples.py makes (compared as extracted text)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
NAMES = ["cours-photosynthese-fr.pdf", "diaporama-cellule-fr.pptx", "handout-water-cycle-en.docx"]


def pdf_text(path: Path) -> dict:
    import pymupdf

    with pymupdf.open(path) as doc:
        meta = {k: doc.metadata[k] for k in ("title", "author", "creationDate")}
        return {
            "pages": [page.get_text() for page in doc],
            "toc": doc.get_toc(),
            "meta": meta,
            "images": sum(len(page.get_images()) for page in doc),
        }


def pptx_text(path: Path) -> dict:
    from pptx import Presentation

    prs = Presentation(str(path))
    slides = []
    for slide in prs.slides:
        texts, alts = [], []
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
            if hasattr(shape, "image"):
                alts.append(shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr"))
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else None
        slides.append({"texts": texts, "alts": alts, "notes": notes})
    return {"slides": slides, "title": prs.core_properties.title}


def docx_text(path: Path) -> dict:
    from docx import Document

    doc = Document(str(path))
    return {
        "paragraphs": [(p.style.name, p.text) for p in doc.paragraphs],
        "tables": [[cell.text for row in t.rows for cell in row.cells] for t in doc.tables],
        "alts": [shape._inline.docPr.get("descr") for shape in doc.inline_shapes],
        "title": doc.core_properties.title,
    }


EXTRACT = {".pdf": pdf_text, ".pptx": pptx_text, ".docx": docx_text}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    run = subprocess.run(
        [sys.executable, str(SAMPLES / "make_samples.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return out


@pytest.mark.parametrize("name", NAMES)
def test_committed_sample_matches_the_generator(regenerated: Path, name: str) -> None:
    extract = EXTRACT[Path(name).suffix]
    assert extract(regenerated / name) == extract(SAMPLES / name), (
        f"samples/{name} is stale: run .venv/bin/python samples/make_samples.py and commit the result"
    )


def test_samples_exercise_what_the_readme_says() -> None:
    pdf = pdf_text(SAMPLES / NAMES[0])
    assert len(pdf["pages"]) >= 3 and pdf["images"] == 1
    assert [level for level, _, _ in pdf["toc"]].count(2) >= 3 and pdf["toc"][0][0] == 1
    assert all(f"Page {i} sur {len(pdf['pages'])}" in text for i, text in enumerate(pdf["pages"], 1))
    assert "Éclairement (lux)" in pdf["pages"][1]
    deck = pptx_text(SAMPLES / NAMES[1])
    assert len(deck["slides"]) == 5 and all(s["notes"] for s in deck["slides"])
    assert deck["slides"][2]["alts"][0].startswith("Schéma d'une cellule animale")
    assert deck["slides"][2]["alts"][1] == "image2.png"  # a file name: counts as no alt text
    handout = docx_text(SAMPLES / NAMES[2])
    styles = {style for style, _ in handout["paragraphs"]}
    assert {"Title", "Heading 1", "Heading 2", "List Number", "List Bullet", "Caption"} <= styles
    assert handout["alts"][0].startswith("Bar chart") and handout["tables"][0][:3] == [
        "Reservoir",
        "Share of all water (%)",
        "Average residence time",
    ]
