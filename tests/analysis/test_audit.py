"""The source accessibility audit: what fails, the blocks concerned, the fixes, the score."""

from __future__ import annotations

from pathlib import Path

from inclusio.analysis.audit import audit_document
from inclusio.config import Settings
from inclusio.converters.base import ConvertContext
from inclusio.converters.registry import convert
from inclusio.model.document import (
    Document,
    Figure,
    Heading,
    Paragraph,
    SourceInfo,
    Table,
    TableCell,
)


def _doc(*blocks: object, title: str | None = "Cours") -> Document:
    return Document(
        title=title,
        source=SourceInfo(filename="c.pdf", media_type="application/pdf", sha256="0" * 64),
        blocks=list(blocks),
    )


def test_a_clean_document_scores_100() -> None:
    report = audit_document(
        _doc(Heading(id="h1", level=1, text="Titre"), Paragraph(id="p1", text="Du texte."))
    )
    assert report.score == 100 and report.failed == []


def test_missing_alt_headerless_table_skipped_level_and_no_title_are_each_reported_with_a_fix() -> None:
    report = audit_document(
        _doc(
            Heading(id="h1", level=1, text="Titre"),
            Heading(id="h3", level=3, text="Sous-titre"),
            Figure(id="f1", image="img"),
            Figure(id="f2", image="img2", alt="Un schéma"),
            Figure(id="f3", image="img3", decorative=True),
            Table(id="t1", rows=[[TableCell(text="a"), TableCell(text="b")]]),
            title=None,
        )
    )
    failed = {c.id: c for c in report.failed}
    assert set(failed) == {"title", "heading_order", "alt_text", "tables"}
    assert failed["alt_text"].blocks == ["f1"] and (failed["alt_text"].count, failed["alt_text"].total) == (
        1,
        2,
    )
    assert failed["tables"].blocks == ["t1"] and failed["heading_order"].blocks == ["h3"]
    assert all(c.fix_fr and c.fix_en for c in failed.values())
    assert 0 < report.score < 100


def test_a_long_text_without_headings_fails_but_a_short_note_does_not() -> None:
    long_text = " ".join(["mot"] * 200)
    assert "headings" in {c.id for c in audit_document(_doc(Paragraph(id="p", text=long_text))).failed}
    assert "headings" not in {c.id for c in audit_document(_doc(Paragraph(id="p", text="Court."))).failed}


def test_the_samples_are_audited_from_their_conversion(samples_dir: Path) -> None:
    settings = Settings()
    pdf = convert(
        samples_dir / "cours-photosynthese-fr.pdf",
        ConvertContext.from_settings(settings, "cours-photosynthese-fr.pdf"),
    )
    report = audit_document(pdf)
    # The sample's bar chart has a caption but no alt text; headings, table headers and title are there.
    assert [c.id for c in report.failed] == ["alt_text"]
    docx = convert(
        samples_dir / "handout-water-cycle-en.docx",
        ConvertContext.from_settings(settings, "handout-water-cycle-en.docx"),
    )
    assert audit_document(docx).score == 100
