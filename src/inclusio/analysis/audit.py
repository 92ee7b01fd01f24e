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
Every failed check carries a fix in French and English, the same fix as one sentence for each of the
teacher's tools (PowerPoint, Word, LibreOffice: :data:`TOOL_FIXES`), the ids of the blocks concerned and
its findings, each located (slide or page) with the passage it is about. :attr:`AuditReport.by_cost`
orders the failed checks by what they cost students: the points of the score each one loses.
Images are counted by :func:`inclusio.analysis.images.count_images`, as the writers and the report count them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from inclusio.analysis.images import count_images
from inclusio.analysis.places import Place, places_of
from inclusio.model.document import Document, Figure, Heading, Table

TOOLS = ("powerpoint", "word", "libreoffice")

TOOL_FIXES: dict[str, dict[str, tuple[str, str]]] = {
    "title": {
        "powerpoint": (
            "File > Info > Properties > Title: type the deck's title.",
            "Fichier > Informations > Propriétés > Titre : saisissez le titre de la présentation.",
        ),
        "word": (
            "File > Info > Properties > Title: type the document's title.",
            "Fichier > Informations > Propriétés > Titre : saisissez le titre du document.",
        ),
        "libreoffice": (
            "File > Properties > Description > Title: type the document's title.",
            "Fichier > Propriétés > Description > Titre : saisissez le titre du document.",
        ),
    },
    "lang": {
        "powerpoint": (
            "Select the text (Ctrl+A on each slide), then Review > Language > Set Proofing Language.",
            "Sélectionnez le texte (Ctrl+A sur chaque diapositive), puis Révision > Langue > Définir la langue de vérification.",
        ),
        "word": (
            "Select all (Ctrl+A), then Review > Language > Set Proofing Language.",
            "Sélectionnez tout (Ctrl+A), puis Révision > Langue > Définir la langue de vérification.",
        ),
        "libreoffice": (
            "Tools > Language > For All Text, then pick the language.",
            "Outils > Langue > Pour tout le texte, puis choisissez la langue.",
        ),
    },
    "headings": {
        "powerpoint": (
            "Give each slide a layout with a title box (Home > Layout) and type the title in it.",
            "Donnez à chaque diapositive une disposition avec une zone de titre (Accueil > Disposition) et tapez-y le titre.",
        ),
        "word": (
            "Put the cursor in each title and pick Heading 1, Heading 2... in Home > Styles.",
            "Placez le curseur dans chaque titre et choisissez Titre 1, Titre 2... dans Accueil > Styles.",
        ),
        "libreoffice": (
            "Put the cursor in each title and pick Heading 1, Heading 2... in the paragraph style list (F11).",
            "Placez le curseur dans chaque titre et choisissez Titre 1, Titre 2... dans la liste des styles de paragraphe (F11).",
        ),
    },
    "heading_order": {
        "powerpoint": (
            "View > Outline shows the levels: move the title that skips a level up one level (Shift+Tab).",
            "Affichage > Mode Plan montre les niveaux : remontez d'un niveau le titre qui en saute un (Maj+Tab).",
        ),
        "word": (
            "View > Navigation Pane shows the headings: give the one that skips a level the next style (Heading 2 after Heading 1).",
            "Affichage > Volet de navigation montre les titres : donnez à celui qui saute un niveau le style suivant (Titre 2 après Titre 1).",
        ),
        "libreoffice": (
            "The Navigator (F5) shows the headings: give the one that skips a level the next style (Heading 2 after Heading 1).",
            "Le Navigateur (F5) montre les titres : donnez à celui qui saute un niveau le style suivant (Titre 2 après Titre 1).",
        ),
    },
    "alt_text": {
        "powerpoint": (
            "Right-click the image > View Alt Text, write what it shows for the course, or tick Mark as decorative.",
            "Clic droit sur l'image > Afficher le texte de remplacement, écrivez ce qu'elle montre pour le cours, ou cochez Marquer comme décoratif.",
        ),
        "word": (
            "Right-click the image > View Alt Text, write what it shows for the course, or tick Mark as decorative.",
            "Clic droit sur l'image > Afficher le texte de remplacement, écrivez ce qu'elle montre pour le cours, ou cochez Marquer comme décoratif.",
        ),
        "libreoffice": (
            "Right-click the image > Properties > Options > Text Alternative (in Impress: right-click > Description...).",
            "Clic droit sur l'image > Propriétés > Options > Alternative textuelle (dans Impress : clic droit > Description...).",
        ),
    },
    "tables": {
        "powerpoint": (
            "Click in the table, then Table Design > tick Header Row.",
            "Cliquez dans le tableau, puis Création de tableau > cochez Ligne d'en-tête.",
        ),
        "word": (
            "Click in the first row, then Table Layout > Repeat Header Rows (and Table Design > Header Row).",
            "Cliquez dans la première ligne, puis Disposition > Répéter les lignes d'en-tête (et Création > Ligne d'en-tête).",
        ),
        "libreoffice": (
            "Table > Properties > Text Flow > tick Repeat heading, with the first row in the Table Heading style.",
            "Tableau > Propriétés > Enchaînements > cochez Répéter le titre, la première ligne au style Titre de tableau.",
        ),
    },
    "scanned": {
        "powerpoint": (
            "File > Export > Create PDF/XPS from the original deck instead of scanning a printout.",
            "Fichier > Exporter > Créer PDF/XPS depuis la présentation d'origine plutôt que scanner un imprimé.",
        ),
        "word": (
            "File > Save As > PDF from the original document, with Options > Document structure tags ticked.",
            "Fichier > Enregistrer sous > PDF depuis le document d'origine, avec Options > Balises de structure cochée.",
        ),
        "libreoffice": (
            "File > Export As > Export as PDF from the original, with Universal Accessibility (PDF/UA) ticked.",
            "Fichier > Exporter au format PDF depuis l'original, avec Accessibilité universelle (PDF/UA) cochée.",
        ),
    },
    "slides": {
        "powerpoint": (
            "Home > Layout gives the slide a title box; right-click a chart or diagram > View Alt Text to describe it.",
            "Accueil > Disposition donne une zone de titre à la diapositive ; clic droit sur un graphique ou un schéma > Afficher le texte de remplacement pour le décrire.",
        ),
        "word": (
            "Give each part a Heading style (Home > Styles) and describe each chart: right-click > View Alt Text.",
            "Donnez un style de titre à chaque partie (Accueil > Styles) et décrivez chaque graphique : clic droit > Afficher le texte de remplacement.",
        ),
        "libreoffice": (
            "In Impress, Slide > Slide Layout with a title; right-click a chart > Description... to describe it.",
            "Dans Impress, Diapositive > Mise en page avec un titre ; clic droit sur un graphique > Description... pour le décrire.",
        ),
    },
}
"""Each check's fix in the teacher's tool, one sentence each, English then French (menus as in Microsoft 365
and LibreOffice 7)."""

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


class AuditFinding(BaseModel):
    """One thing to fix, where it is: a block of the document (an image, a table, a heading, a slide)."""

    model_config = ConfigDict(frozen=True)

    block_id: str | None = None
    place: Place | None = None
    """``("slide", 4)`` or ``("page", 12)``; None for the whole document or a format without pages."""
    excerpt: str = ""
    """The passage's text (at most 160 characters): the heading, the table's first cells, the slide's title."""
    image: str | None = None
    """The figure's resource key, for a thumbnail."""


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
    findings: list[AuditFinding] = Field(default_factory=list)
    """The blocks concerned, located (at most 50)."""
    tool_fixes: dict[str, tuple[str, str]] = Field(default_factory=dict)
    """``tool -> (English, French)``: the fix in PowerPoint, Word and LibreOffice (failed checks only)."""

    @property
    def cost(self) -> float:
        """Points of the 100 this check loses: what it costs students, for ordering the findings."""
        return self.weight * self.share


class AuditReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    score: int = Field(ge=0, le=100)
    checks: list[AuditCheck]

    @property
    def failed(self) -> list[AuditCheck]:
        return [c for c in self.checks if not c.ok]

    @property
    def by_cost(self) -> list[AuditCheck]:
        """The failed checks, the costliest first (ties in the order of the checks)."""
        return sorted(self.failed, key=lambda c: -c.cost)


def _check(
    check_id: str,
    share: float,
    *,
    title: tuple[str, str],
    fix: tuple[str, str],
    count: int = 0,
    total: int = 0,
    blocks: list[str] | None = None,
    places: list[Place] | None = None,
) -> AuditCheck:
    """One check; ``places`` locates what has no block of its own (a scanned page, a slide's issue)."""
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
        tool_fixes=dict(TOOL_FIXES[check_id]) if share else {},
        findings=[AuditFinding(place=p) for p in dict.fromkeys(places or [])][:50] if share else [],
    )


def _excerpt(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def locate(doc: Document, check: AuditCheck) -> AuditCheck:
    """``check`` with its findings: each block concerned with its place, its text and its image."""
    if check.ok:
        return check
    places = places_of(doc)
    by_id = {b.id: b for b in doc.blocks}
    findings = []
    for block_id in check.blocks:
        block = by_id.get(block_id)
        if block is None:
            continue
        excerpt = block.plain_text() if not isinstance(block, Figure) else (block.caption or block.alt or "")
        findings.append(
            AuditFinding(
                block_id=block_id,
                place=places.get(block_id),
                excerpt=_excerpt(excerpt),
                image=block.image if isinstance(block, Figure) else None,
            )
        )
    located = {f.place for f in findings}
    findings += [f for f in check.findings if f.place not in located]  # pages and slides without a block
    findings.sort(key=lambda f: (f.place is None, f.place or ("", 0)))
    if not findings:  # a check of the whole document (title, language, headings)
        findings.append(AuditFinding())
    return check.model_copy(update={"findings": findings[:50]})


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
    images = count_images(doc)  # the writers' and the report's count too
    no_alt = [b for status in ("caption", "generated", "missing") for b in images.blocks.get(status, [])]
    order = {b.id: n for n, b in enumerate(doc.blocks)}
    no_alt.sort(key=lambda block_id: order[block_id])
    checks.append(
        _check(
            "alt_text",
            images.without_alt_in_source / images.informative if images.informative else 0.0,
            count=images.without_alt_in_source,
            total=images.informative,
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
            places=[("page", n) for n in sorted(p for p in scanned if p)],
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
            places=[("slide", i.source.slide) for i in slide_issues if i.source and i.source.slide],
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
    return AuditReport(score=round(100 * (1 - lost / total)), checks=[locate(doc, c) for c in checks])
