"""The audit's findings a teacher can act on (issue 17): ordered by what they cost students, each located
(slide or page) with its passage, and the fix in PowerPoint, Word and LibreOffice in French and English."""

from __future__ import annotations

from inclusio.analysis.audit import TOOL_FIXES, TOOLS, WEIGHTS, audit_document
from inclusio.model.document import (
    Document,
    Figure,
    Heading,
    PageMarker,
    Paragraph,
    SourceInfo,
    SourceRef,
    Table,
    TableCell,
)


def _doc(*blocks: object, title: str | None = "Cours") -> Document:
    return Document(
        title=title,
        lang="fr",
        source=SourceInfo(filename="c.pptx", media_type="application/pdf", sha256="0" * 64),
        blocks=list(blocks),
    )


def test_failed_checks_come_costliest_first_with_their_places_and_a_fix_per_tool() -> None:
    report = audit_document(
        _doc(
            PageMarker(id="p1", number=1, kind="slide"),
            Heading(id="h1", level=1, text="Titre"),
            Figure(id="f1", image="img-a", source=SourceRef(slide=1)),
            PageMarker(id="p2", number=2, kind="slide"),
            Heading(id="h3", level=3, text="Un niveau sauté"),
            Figure(id="f2", image="img-b", alt="Un schéma de la feuille"),
            PageMarker(id="p3", number=3, kind="slide"),
            Table(id="t1", rows=[[TableCell(text="Organe"), TableCell(text="Rôle")]]),
            title=None,
        )
    )
    order = [c.id for c in report.by_cost]
    # alt_text: 3 x 1/2 = 1.5 points of weight; tables 2 x 1; title 1 x 1; heading_order 1 x 1/2
    assert order == ["tables", "alt_text", "title", "heading_order"]
    assert [c.cost for c in report.by_cost] == sorted((c.cost for c in report.by_cost), reverse=True)
    failed = {c.id: c for c in report.failed}
    assert [(f.block_id, f.place, f.image) for f in failed["alt_text"].findings] == [
        ("f1", ("slide", 1), "img-a")
    ]
    assert [(f.place, f.excerpt) for f in failed["tables"].findings] == [(("slide", 3), "Organe | Rôle")]
    assert [(f.place, f.excerpt) for f in failed["heading_order"].findings] == [
        (("slide", 2), "Un niveau sauté")
    ]
    assert [(f.block_id, f.place) for f in failed["title"].findings] == [(None, None)]  # the whole document
    for check in report.failed:
        assert set(check.tool_fixes) == set(TOOLS)
        for english, french in check.tool_fixes.values():
            assert english.endswith(".") and french.endswith(".") and english != french
    assert all(c.tool_fixes == {} and c.findings == [] for c in report.checks if c.ok)


def test_every_check_has_a_fix_in_each_tool_in_both_languages() -> None:
    assert set(TOOL_FIXES) == set(WEIGHTS)
    for check, fixes in TOOL_FIXES.items():
        assert tuple(fixes) == TOOLS, check
        assert all(en.strip() and fr.strip() for en, fr in fixes.values()), check


def test_a_picture_named_picture_3_is_not_described() -> None:
    report = audit_document(
        _doc(Figure(id="f1", image="i", alt="Picture 3"), Paragraph(id="p", text="Texte."))
    )
    alt = next(c for c in report.checks if c.id == "alt_text")
    assert (alt.ok, alt.count, alt.total) == (False, 1, 1)


def test_scanned_pages_and_untitled_slides_are_located_without_a_block() -> None:
    from inclusio.model.document import ConversionIssue

    scanned = _doc(
        PageMarker(id="p1", number=1),
        Paragraph(id="a", text="Texte lu par OCR."),
        PageMarker(id="p2", number=2),
        Paragraph(id="b", text="Texte."),
    )
    scanned = scanned.model_copy(
        update={
            "issues": [ConversionIssue(code="pdf.scanned_page", message="m", source=SourceRef(page=1))],
            "source": scanned.source.model_copy(update={"pages": 2}),
        }
    )
    check = next(c for c in audit_document(scanned).checks if c.id == "scanned")
    assert (check.count, check.total, [f.place for f in check.findings]) == (1, 2, [("page", 1)])
    slides = _doc(PageMarker(id="s1", number=1, kind="slide"), PageMarker(id="s2", number=2, kind="slide"))
    slides = slides.model_copy(
        update={"issues": [ConversionIssue(code="slide.no_title", message="m", source=SourceRef(slide=2))]}
    )
    check = next(c for c in audit_document(slides).checks if c.id == "slides")
    assert [f.place for f in check.findings] == [("slide", 2)]
