"""Accessibility audit of a source document: what its author can fix, and a score out of 100.

The audit reads the converted :class:`~inclusio.model.Document` (never the file again), so it
costs nothing once the document is converted. It answers the teacher's question "what is wrong
with my file for a disabled student, and what do I do about it?":

==================  ===================================================  =================
check               fails when                                            weight
==================  ===================================================  =================
``title``           the document has no title                            1
``lang``            no language could be told (neither fr nor en)        1
``headings``        no heading at all (a long text is one block)         3
``heading_order``   a heading level is skipped (h1 -> h3)                1
``alt_text``        an image that is not decorative has no alt text      3 × share missing
``tables``          a table has no header row or column                  2 × share missing
``scanned``         pages are scanned images (text only through OCR)     2 × share scanned
``slides``          slides without a title, objects needing description  1 × share affected
==================  ===================================================  =================

``score = 100 × (1 − Σ weight × failure share / Σ weight)``, rounded: relative, for comparing a
document with its next version, never a conformance verdict (only people can certify).
Every failed check carries a fix in French and English and the ids of the blocks concerned.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from inclusio.model.document import Document, Figure, Heading, Table

WEIGHTS: dict[str, float] = {
    "title": 1,
    "lang": 1,
    "headings": 3,
    "heading_order": 1,
    "alt_text": 3,
    "tables": 2,
    "scanned": 2,
    "slides": 1,
}
MIN_WORDS_FOR_HEADINGS = 150
"""A shorter text without headings is not faulted (a one-page handout may need none)."""


class AuditCheck(BaseModel):
    """One check of the audit; ``share`` is the fraction of the items concerned that fail (0 = pass)."""

    model_config = ConfigDict(frozen=True)

    id: str
    ok: bool
    share: float = Field(ge=0.0, le=1.0)
    weight: float
    title_en: str
    title_fr: str
    fix_en: str = ""
    fix_fr: str = ""
    count: int = 0
    """Items that fail (images, tables, pages...)."""
    total: int = 0
    """Items checked."""
    blocks: list[str] = Field(default_factory=list)
    """Ids of the blocks concerned (at most 50)."""


class AuditReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    score: int = Field(ge=0, le=100)
    checks: list[AuditCheck]

    @property
    def failed(self) -> list[AuditCheck]:
        return [c for c in self.checks if not c.ok]


def _check(
    check_id: str,
    share: float,
    *,
    title: tuple[str, str],
    fix: tuple[str, str],
    count: int = 0,
    total: int = 0,
    blocks: list[str] | None = None,
) -> AuditCheck:
    share = max(0.0, min(1.0, share))
    return AuditCheck(
        id=check_id,
        ok=share == 0.0,
        share=round(share, 3),
        weight=WEIGHTS[check_id],
        title_en=title[0],
        title_fr=title[1],
        fix_en=fix[0] if share else "",
        fix_fr=fix[1] if share else "",
        count=count,
        total=total,
        blocks=(blocks or [])[:50],
    )


def _heading_order(headings: list[Heading]) -> list[str]:
    skipped, previous = [], 0
    for heading in headings:
        if previous and heading.level > previous + 1:
            skipped.append(heading.id)
        previous = heading.level
    return skipped


def _metadata_checks(doc: Document) -> list[AuditCheck]:
    """``title`` and ``lang``."""
    checks: list[AuditCheck] = []
    checks.append(
        _check(
            "title",
            0.0 if (doc.title or "").strip() else 1.0,
            title=("Document title", "Titre du document"),
            fix=(
                "Give the file a title (File > Properties > Title) so readers and screen readers announce it.",
                "Donnez un titre au fichier (Fichier > Propriétés > Titre) : les lecteurs d'écran l'annoncent.",
            ),
        )
    )
    checks.append(
        _check(
            "lang",
            0.0 if (doc.lang or "").split("-")[0] in ("fr", "en") else 1.0,
            title=("Language of the text", "Langue du texte"),
            fix=(
                "Set the document's language (Review > Language) so speech reads it with the right voice.",
                "Indiquez la langue du document (Révision > Langue) : la synthèse vocale choisit sa voix.",
            ),
        )
    )
    return checks


def _heading_checks(doc: Document) -> list[AuditCheck]:
    """``headings`` and ``heading_order``."""
    checks: list[AuditCheck] = []
    headings = doc.headings()
    words = sum(len(b.plain_text().split()) for b in doc.blocks)
    no_headings = not headings and words >= MIN_WORDS_FOR_HEADINGS
    checks.append(
        _check(
            "headings",
            1.0 if no_headings else 0.0,
            count=int(no_headings),
            title=("Headings structure the text", "Des titres structurent le texte"),
            fix=(
                "Use the heading styles (Heading 1, Heading 2...) for titles, not bold or a bigger font: "
                "readers navigate by them.",
                "Utilisez les styles de titre (Titre 1, Titre 2...) plutôt que le gras ou une police plus grande : "
                "on navigue par les titres.",
            ),
        )
    )
    skipped = _heading_order(headings)
    checks.append(
        _check(
            "heading_order",
            len(skipped) / len(headings) if headings else 0.0,
            count=len(skipped),
            total=len(headings),
            blocks=skipped,
            title=("Heading levels in order", "Niveaux de titre dans l'ordre"),
            fix=(
                "Do not skip heading levels (a Heading 3 follows a Heading 2).",
                "Ne sautez pas de niveau de titre (un Titre 3 suit un Titre 2).",
            ),
        )
    )
    return checks


def _figure_and_table_checks(doc: Document) -> list[AuditCheck]:
    """``alt_text`` and ``tables``."""
    checks: list[AuditCheck] = []
    figures = [b for b in doc.blocks if isinstance(b, Figure) and not b.decorative]
    no_alt = [f.id for f in figures if not (f.alt or "").strip()]
    checks.append(
        _check(
            "alt_text",
            len(no_alt) / len(figures) if figures else 0.0,
            count=len(no_alt),
            total=len(figures),
            blocks=no_alt,
            title=("Images have a text alternative", "Les images ont une alternative textuelle"),
            fix=(
                "Add alt text to each image (right click > Edit Alt Text) saying what it shows for the course; "
                "mark purely decorative images as decorative.",
                "Ajoutez un texte alternatif à chaque image (clic droit > Modifier le texte de remplacement) qui dit "
                "ce qu'elle montre pour le cours ; marquez les images décoratives comme telles.",
            ),
        )
    )

    tables = [b for b in doc.blocks if isinstance(b, Table) and b.rows]
    no_header = [t.id for t in tables if not any(cell.header for row in t.rows for cell in row)]
    checks.append(
        _check(
            "tables",
            len(no_header) / len(tables) if tables else 0.0,
            count=len(no_header),
            total=len(tables),
            blocks=no_header,
            title=("Tables have header cells", "Les tableaux ont des cellules d'en-tête"),
            fix=(
                "Mark the first row as a header row (Table Properties > Repeat as header row).",
                "Marquez la première ligne comme ligne d'en-tête (Propriétés du tableau > Répéter en en-tête).",
            ),
        )
    )
    return checks


def _source_checks(doc: Document) -> list[AuditCheck]:
    """``scanned`` and ``slides``: faults of how the file was made."""
    checks: list[AuditCheck] = []
    pages = doc.source.pages or len([p for p in doc.page_markers() if p.kind == "page"]) or 0
    scanned = {
        i.source.page for i in doc.issues if i.code in ("pdf.scanned_page", "pdf.ocr_failed") and i.source
    }
    scanned_count = len(scanned) or sum(
        1 for i in doc.issues if i.code in ("pdf.scanned_page", "pdf.ocr_failed")
    )
    checks.append(
        _check(
            "scanned",
            scanned_count / pages if pages else float(scanned_count > 0),
            count=scanned_count,
            total=pages,
            title=("Text is real text, not a scan", "Le texte est du vrai texte, pas un scan"),
            fix=(
                "Export the PDF from the original file (Save as PDF) instead of scanning a printout: "
                "text read by OCR may contain errors.",
                "Exportez le PDF depuis le fichier d'origine (Enregistrer en PDF) au lieu de scanner un "
                "imprimé : le texte lu par OCR peut contenir des erreurs.",
            ),
        )
    )

    slide_codes = (
        "slide.no_title",
        "slide.object_needs_description",
        "slide.diagram_needs_description",
        "chart.needs_description",
    )
    slide_issues = [i for i in doc.issues if i.code in slide_codes]
    slides = len([p for p in doc.page_markers() if p.kind == "slide"])
    affected = {i.source.slide if i.source and i.source.slide else n for n, i in enumerate(slide_issues)}
    checks.append(
        _check(
            "slides",
            min(1.0, len(affected) / slides) if slides else float(bool(slide_issues)),
            count=len(affected),
            total=slides,
            blocks=[i.block_id for i in slide_issues if i.block_id],
            title=(
                "Slides have titles; charts and objects are described",
                "Les diapositives ont un titre ; graphiques et objets sont décrits",
            ),
            fix=(
                "Give every slide a title (use the layout's title box) and describe charts and diagrams.",
                "Donnez un titre à chaque diapositive (zone de titre de la mise en page) et décrivez les "
                "graphiques et schémas.",
            ),
        )
    )
    return checks


def audit_document(doc: Document) -> AuditReport:
    """The audit of ``doc`` (see the module docstring). Never raises for a valid Document."""
    checks = [
        *_metadata_checks(doc),
        *_heading_checks(doc),
        *_figure_and_table_checks(doc),
        *_source_checks(doc),
    ]
    total = sum(c.weight for c in checks)
    lost = sum(c.weight * c.share for c in checks)
    return AuditReport(score=round(100 * (1 - lost / total)), checks=checks)
