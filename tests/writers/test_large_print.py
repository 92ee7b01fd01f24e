"""The large-print PDF: large type from the profile, every page numbered, the whole text there."""

from __future__ import annotations

from pathlib import Path

import pytest
from docfactory import PROFILE_NAMES, MakeContext, sample_document

from inclusio.model import Document, Heading, Paragraph, SourceInfo
from inclusio.profiles import Profile
from inclusio.writers.large_print import MIN_BODY_PT, LargePrintWriter, body_size_pt


@pytest.mark.parametrize("profile_id", PROFILE_NAMES)
def test_body_text_is_large_and_follows_the_profile(
    profile_id: str, tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    import pymupdf

    profile = profiles[profile_id]
    doc = sample_document()
    [artifact] = LargePrintWriter().write(doc, make_ctx(tmp_path, profile, doc))
    assert artifact.name == "large-print" and artifact.path.name == "cours.large-print.pdf"
    assert "large_print.truncated" not in {w["code"] for w in artifact.warnings}
    pdf = pymupdf.open(artifact.path)
    spans = [
        s
        for page in pdf
        for b in page.get_text("dict")["blocks"]
        for line in b.get("lines", [])
        for s in line["spans"]
        if s["text"].strip()
    ]
    body = [s for s in spans if "unité de base du vivant" in s["text"]]
    assert body and all(s["size"] == pytest.approx(body_size_pt(profile)) for s in body)
    assert min(s["size"] for s in spans) >= MIN_BODY_PT * 0.8 - 0.01  # page numbers are the smallest text
    assert pdf.metadata["title"] == "La cellule et ses mesures"
    text = "".join(page.get_text() for page in pdf)
    for words in ("La cellule", "Les organites", "Mesures", "Fin du chapitre.", "The cell is the basic unit"):
        assert words in text
    assert profile.reading.font_size_rem < 1.5 or body_size_pt(profile) > MIN_BODY_PT


def test_a_long_document_gets_numbered_pages(
    tmp_path: Path, profiles: dict[str, Profile], make_ctx: MakeContext
) -> None:
    import pymupdf

    blocks = [Heading(id="h", level=1, text="Long")] + [
        Paragraph(id=f"p{i}", text=f"Paragraphe {i}. " + "Le texte continue encore et encore. " * 8)
        for i in range(60)
    ]
    doc = Document(
        title="Long",
        lang="fr",
        blocks=blocks,
        source=SourceInfo(filename="long.pdf", media_type="application/pdf", sha256="0" * 64),
    )
    [artifact] = LargePrintWriter().write(doc, make_ctx(tmp_path, profiles["low-vision"], doc))
    pdf = pymupdf.open(artifact.path)
    assert len(pdf) > 5
    for number, page in enumerate(pdf, start=1):
        assert f"{number} / {len(pdf)}" in page.get_text()
    assert "Paragraphe 59." in pdf[-1].get_text() or "Paragraphe 59." in "".join(p.get_text() for p in pdf)
