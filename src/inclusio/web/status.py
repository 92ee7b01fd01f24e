"""What a student is told of a finished job: how much of it a person reviewed, and its warnings in plain words.

:func:`review_status` is the one honest reading of a job's review for the pages (the job page, and the reader
at ``/web/read/{job}``): "brouillon automatique, non relu", "relu en partie (3 sur 21 passages)", "relu et
publié par le service handicap". It reads the job row only: ``jobs.passages`` (the machine-written passages
of the student's copy, :func:`inclusio.model.flags.machine_passages`, recorded by the job and by each release)
and ``jobs.released_at``. The files say the same in their accessibility summary
(:func:`inclusio.writers.xhtml.review_sentences`).

:func:`student_warnings` turns the job's warnings into what they mean for the student, grouped by code with
counts ("2 images n'ont pas de description"). Every code of :data:`inclusio.warning_codes.WARNINGS` is either
in :data:`STUDENT_WARNINGS` or in :data:`STAFF_ONLY` (``tests/web/test_job_page_status.py`` enumerates the
catalogue): a new warning code needs one or the other here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from inclusio.web.i18n import translator


def job_title(job: Any) -> str:
    """What the job's pages call it: the teacher's share title, else the document's own title, else the file
    name (``jobs.title``, recorded when the job was asked of a share or when it finished)."""
    return str(getattr(job, "title", None) or job.filename)


# -- review status ---------------------------------------------------------------------------------------


def review_status(job: Any, lang: str = "fr") -> dict[str, Any]:
    """How much of the job's copy a person reviewed, in ``lang`` (fr, else en).

    ``state``: ``pending`` (not finished, or failed: nothing to say), ``unknown`` (a job recorded before
    the counts were kept), ``original`` (no passage written by a machine), ``draft`` (none reviewed),
    ``partial`` (some reviewed), ``reviewed`` (all reviewed). ``released``: staff released a reviewed
    version (its files are the ones served). ``machine``, ``reviewed``, ``flagged``: passage counts
    (``flagged``: flagged by the automatic check and not reviewed). ``label``: the short status;
    ``detail``: a sentence or two saying what it means (both empty for ``pending``).
    """
    t = translator(lang)
    released = getattr(job, "released_at", None) is not None
    counts = getattr(job, "passages", None) or None
    out: dict[str, Any] = {"state": "pending", "released": released, "label": "", "detail": ""}
    if getattr(job, "status", None) not in ("succeeded", "partial"):
        return out
    if not isinstance(counts, Mapping):
        out.update(state="unknown", label=t("review_released_only") if released else "")
        return out
    n, reviewed = int(counts.get("machine", 0)), int(counts.get("reviewed", 0))
    flagged = int(counts.get("flagged", 0))
    out.update(machine=n, reviewed=reviewed, flagged=flagged)
    if n <= 0:
        state, label, detail = "original", t("review_original"), t("review_original_detail")
    elif reviewed >= n:
        state = "reviewed"
        label = t("review_reviewed_released" if released else "review_reviewed")
        detail = t("review_reviewed_detail", n=n)
    elif reviewed > 0:
        state, label = "partial", t("review_partial", r=reviewed, n=n)
        detail = t("review_partial_detail_one" if reviewed == 1 else "review_partial_detail", r=reviewed, n=n)
    else:
        state, label = "draft", t("review_draft")
        detail = t("review_draft_detail_one" if n == 1 else "review_draft_detail", n=n)
    if released and state != "reviewed":
        label += t("review_released_suffix")
    if flagged:
        detail += " " + t("review_flagged_one" if flagged == 1 else "review_flagged", f=flagged)
    out.update(state=state, label=label, detail=detail)
    return out


# -- warnings in the student's words --------------------------------------------------------------------

STUDENT_WARNINGS: dict[str, tuple[str, str, str, str]] = {
    # code: (French for 1, French for n, English for 1, English for n); {n} is the number of warnings of the code
    "pdf.scanned_page": (
        "1 page est une image numérisée : son texte a été reconnu automatiquement et peut contenir des erreurs.",
        "{n} pages sont des images numérisées : leur texte a été reconnu automatiquement et peut contenir des "
        "erreurs.",
        "1 page is a scanned image: its text was recognised automatically and may contain mistakes.",
        "{n} pages are scanned images: their text was recognised automatically and may contain mistakes.",
    ),
    "pdf.ocr_failed": (
        "Le texte d'1 page numérisée n'a pas pu être reconnu : il manque.",
        "Le texte de {n} pages numérisées n'a pas pu être reconnu : il manque.",
        "The text of 1 scanned page could not be recognised: it is missing.",
        "The text of {n} scanned pages could not be recognised: it is missing.",
    ),
    "pdf.page_unreadable": (
        "1 page n'a pas pu être lue : elle manque.",
        "{n} pages n'ont pas pu être lues : elles manquent.",
        "1 page could not be read: it is missing.",
        "{n} pages could not be read: they are missing.",
    ),
    "pdf.formula_image": (
        "1 formule n'a pas pu être affichée.",
        "{n} formules n'ont pas pu être affichées.",
        "1 formula could not be shown.",
        "{n} formulas could not be shown.",
    ),
    "pdf.table_failed": (
        "1 tableau n'a pas pu être lu : il manque.",
        "{n} tableaux n'ont pas pu être lus : ils manquent.",
        "1 table could not be read: it is missing.",
        "{n} tables could not be read: they are missing.",
    ),
    "image.too_large": (
        "1 image trop grande manque.",
        "{n} images trop grandes manquent.",
        "1 picture that was too large is missing.",
        "{n} pictures that were too large are missing.",
    ),
    "image.unreadable": (
        "1 image n'a pas pu être lue : elle manque.",
        "{n} images n'ont pas pu être lues : elles manquent.",
        "1 picture could not be read: it is missing.",
        "{n} pictures could not be read: they are missing.",
    ),
    "image.not_embedded": (
        "1 image était un lien vers un autre fichier : seule sa description est donnée.",
        "{n} images étaient des liens vers d'autres fichiers : seule leur description est donnée.",
        "1 picture was a link to another file: only its description is given.",
        "{n} pictures were links to other files: only their description is given.",
    ),
    "html.truncated": (
        "La fin du document manque (la page était trop complexe pour être lue en entier).",
        "La fin du document manque (la page était trop complexe pour être lue en entier).",
        "The end of the document is missing (the page was too complex to be read in full).",
        "The end of the document is missing (the page was too complex to be read in full).",
    ),
    "docx.notes_unreadable": (
        "Les notes de bas de page ou de fin n'ont pas pu être lues : elles manquent.",
        "Les notes de bas de page ou de fin n'ont pas pu être lues : elles manquent.",
        "The footnotes or endnotes could not be read: they are missing.",
        "The footnotes or endnotes could not be read: they are missing.",
    ),
    "docx.part_unreadable": (
        "1 élément du document n'a pas pu être lu : il manque.",
        "{n} éléments du document n'ont pas pu être lus : ils manquent.",
        "1 part of the document could not be read: it is missing.",
        "{n} parts of the document could not be read: they are missing.",
    ),
    "docx.file_part_unreadable": (
        "1 partie du fichier n'a pas pu être lue : ce qu'elle contenait manque.",
        "{n} parties du fichier n'ont pas pu être lues : ce qu'elles contenaient manque.",
        "1 part of the file could not be read: what it held is missing.",
        "{n} parts of the file could not be read: what they held is missing.",
    ),
    "docx.note_missing": (
        "1 note appelée dans le texte n'a pas de contenu.",
        "{n} notes appelées dans le texte n'ont pas de contenu.",
        "1 note called in the text has no content.",
        "{n} notes called in the text have no content.",
    ),
    "docx.headings_inferred": (
        "Les titres ont été devinés d'après la mise en forme : la table des matières peut être imparfaite.",
        "Les titres ont été devinés d'après la mise en forme : la table des matières peut être imparfaite.",
        "The headings were guessed from the formatting: the table of contents may be imperfect.",
        "The headings were guessed from the formatting: the table of contents may be imperfect.",
    ),
    "formula.unconverted": (
        "1 équation n'a pas pu être mise en forme pour la lecture : elle est donnée telle quelle.",
        "{n} équations n'ont pas pu être mises en forme pour la lecture : elles sont données telles quelles.",
        "1 equation could not be prepared for reading: it is given as it was.",
        "{n} equations could not be prepared for reading: they are given as they were.",
    ),
    "slide.unreadable": (
        "1 diapositive n'a pas pu être lue : elle manque.",
        "{n} diapositives n'ont pas pu être lues : elles manquent.",
        "1 slide could not be read: it is missing.",
        "{n} slides could not be read: they are missing.",
    ),
    "slide.part_unreadable": (
        "1 partie de la présentation n'a pas pu être lue : elle manque.",
        "{n} parties de la présentation n'ont pas pu être lues : elles manquent.",
        "1 part of the presentation could not be read: it is missing.",
        "{n} parts of the presentation could not be read: they are missing.",
    ),
    "slide.no_title": (
        "1 diapositive n'a pas de titre : elle est nommée par son numéro.",
        "{n} diapositives n'ont pas de titre : elles sont nommées par leur numéro.",
        "1 slide has no title: it is named by its number.",
        "{n} slides have no title: they are named by their number.",
    ),
    "slide.order_differs": (
        "Sur 1 diapositive, l'ordre de lecture a été déduit de la disposition : il peut être imparfait.",
        "Sur {n} diapositives, l'ordre de lecture a été déduit de la disposition : il peut être imparfait.",
        "On 1 slide the reading order was taken from the layout: it may be imperfect.",
        "On {n} slides the reading order was taken from the layout: it may be imperfect.",
    ),
    "slide.diagram_needs_description": (
        "1 schéma est donné comme une liste de ses textes, sans les liens entre eux.",
        "{n} schémas sont donnés comme des listes de leurs textes, sans les liens entre eux.",
        "1 diagram is given as a list of its texts, without how they relate.",
        "{n} diagrams are given as lists of their texts, without how they relate.",
    ),
    "slide.object_needs_description": (
        "1 objet d'une diapositive ne peut pas être lu et n'a pas de description.",
        "{n} objets des diapositives ne peuvent pas être lus et n'ont pas de description.",
        "1 object on a slide cannot be read and has no description.",
        "{n} objects on the slides cannot be read and have no description.",
    ),
    "chart.needs_description": (
        "1 graphique n'a pas de description (ses données n'ont pas pu être lues).",
        "{n} graphiques n'ont pas de description (leurs données n'ont pas pu être lues).",
        "1 chart has no description (its data could not be read).",
        "{n} charts have no description (their data could not be read).",
    ),
    "render.block_failed": (
        "1 passage n'a pas pu être affiché.",
        "{n} passages n'ont pas pu être affichés.",
        "1 passage could not be shown.",
        "{n} passages could not be shown.",
    ),
    "image.alt_from_caption": (
        "1 image n'est décrite que par sa légende.",
        "{n} images ne sont décrites que par leur légende.",
        "1 picture is described by its caption only.",
        "{n} pictures are described by their caption only.",
    ),
    "image.alt_missing": (
        "1 image n'a pas de description.",
        "{n} images n'ont pas de description.",
        "1 picture has no description.",
        "{n} pictures have no description.",
    ),
    "image.unsupported_format": (
        "1 image ne peut pas être affichée (format non pris en charge) : seul son texte est donné.",
        "{n} images ne peuvent pas être affichées (format non pris en charge) : seul leur texte est donné.",
        "1 picture cannot be shown (unsupported format): only its text is given.",
        "{n} pictures cannot be shown (unsupported format): only their text is given.",
    ),
    "image.missing": (
        "1 image manque.",
        "{n} images manquent.",
        "1 picture is missing.",
        "{n} pictures are missing.",
    ),
    "formula.mathml_invalid": (
        "1 formule est donnée en texte simple.",
        "{n} formules sont données en texte simple.",
        "1 formula is given as plain text.",
        "{n} formulas are given as plain text.",
    ),
    "epub.read_along_failed": (
        "Le livre numérique ne lit pas le texte à voix haute : écoutez le fichier audio ou lisez en ligne.",
        "Le livre numérique ne lit pas le texte à voix haute : écoutez le fichier audio ou lisez en ligne.",
        "The e-book does not read the text aloud: listen to the audio file or read online.",
        "The e-book does not read the text aloud: listen to the audio file or read online.",
    ),
    "font.not_installed": (
        "La police de votre profil n'est pas incluse dans le livre numérique : votre application de lecture "
        "utilise la sienne.",
        "Les polices de votre profil ne sont pas incluses dans le livre numérique : votre application de "
        "lecture utilise la sienne.",
        "Your profile's font is not included in the e-book: your reading app uses its own.",
        "Your profile's fonts are not included in the e-book: your reading app uses its own.",
    ),
    "large_print.truncated": (
        "Le PDF en gros caractères s'arrête avant la fin : lisez en ligne ou le livre numérique pour le texte "
        "complet.",
        "Le PDF en gros caractères s'arrête avant la fin : lisez en ligne ou le livre numérique pour le texte "
        "complet.",
        "The large-print PDF stops before the end: read online or the e-book for the full text.",
        "The large-print PDF stops before the end: read online or the e-book for the full text.",
    ),
    "audio.truncated": (
        "La fin d'1 fichier audio peut manquer.",
        "La fin de {n} fichiers audio peut manquer.",
        "The end of 1 audio file may be missing.",
        "The end of {n} audio files may be missing.",
    ),
    "audio.long_silence": (
        "L'audio contient 1 long silence.",
        "L'audio contient {n} longs silences.",
        "The audio has 1 long silence.",
        "The audio has {n} long silences.",
    ),
    "tts.voice_fallback": (
        "Une langue du document est lue par une voix de synthèse plus simple.",
        "{n} langues du document sont lues par une voix de synthèse plus simple.",
        "One language of the document is read by a simpler synthetic voice.",
        "{n} languages of the document are read by a simpler synthetic voice.",
    ),
    "tts.voice_not_installed": (
        "La voix choisie dans votre profil n'est pas disponible : une autre voix lit le texte.",
        "Des voix choisies dans votre profil ne sont pas disponibles : d'autres voix lisent le texte.",
        "The voice chosen in your profile is not available: another voice reads the text.",
        "Voices chosen in your profile are not available: other voices read the text.",
    ),
    "adapt.facts_missing": (
        "1 passage adapté automatiquement a peut-être perdu une information (nombre, date, nom) : comparez "
        "avec le document d'origine.",
        "{n} passages adaptés automatiquement ont peut-être perdu une information (nombre, date, nom) : "
        "comparez avec le document d'origine.",
        "1 passage adapted automatically may have lost a fact (number, date, name): compare with the original "
        "document.",
        "{n} passages adapted automatically may have lost a fact (number, date, name): compare with the original "
        "document.",
    ),
    "adapt.translation_unavailable": (
        "La traduction demandée par votre profil n'a pas pu être faite.",
        "La traduction demandée par votre profil n'a pas pu être faite.",
        "The translation your profile asks for could not be made.",
        "The translation your profile asks for could not be made.",
    ),
}
"""Warning codes a student is told about: what they mean for the copy they read."""

STAFF_ONLY: frozenset[str] = frozenset(
    {
        # how the structure was read (the student sees the result; staff judge the method)
        "input.encrypted_empty_password",
        "input.repaired",
        "pdf.tags_no_text",
        "pdf.tags_partial",
        "pdf.tags_one_block",
        "pdf.tags_out_of_order",
        "image.active_content_removed",
        "lang.declared_mismatch",
        # small repairs that leave nothing missing for the reader
        "heading.empty",
        "heading.level_clamped",
        "table.empty",
        # the server's own tools and checks
        "audio.checks_skipped",
        "audio.rate_unexpected",
        "notify.email_failed",
        # review work: the student is told how much was reviewed (review_status) and the files mark
        # each unreviewed passage; the reasons are for the reviewer
        "glossary.to_define",
        "glossary.lexicon",
        "adapt.model_fallback",
        "verify.empty",
        "verify.number_changed",
        "verify.number_added",
        "verify.date_changed",
        "verify.date_added",
        "verify.fact_dropped",
        "verify.entity_changed",
        "verify.entity_added",
        "verify.link_added",
        "verify.contact_added",
        "verify.instruction",
        "verify.invented_words",
        "verify.unrelated",
        "verify.untranslated",
        "verify.too_long",
        "verify.unverifiable_data",
    }
)
"""Warning codes only staff and teachers see (with their raw codes), each for the reason said above."""


def student_warnings(warnings: Iterable[Mapping[str, Any]], lang: str = "fr") -> list[dict[str, Any]]:
    """The job's warnings a student is told about, one line per code with its count, in ``lang``.

    Codes in :data:`STAFF_ONLY`, and codes outside the catalogue (none should be), are left to staff.
    The order is the order in which the codes first appear in the job's warnings (the reading order).
    A thing is counted once however many outputs said it (the EPUB and the HTML page both warn of the same
    picture): by its block, else by its message.
    """
    things = dict.fromkeys(
        (str(w.get("code", "")), w.get("block_id") or w.get("message") or w.get("message_fr") or "")
        for w in warnings
    )
    counts = Counter(code for code, _ in things)
    index = 1 if lang == "en" else 0
    out = []
    for code, n in counts.items():
        texts = STUDENT_WARNINGS.get(code)
        if texts is None:
            continue
        text = texts[2 * index + (0 if n == 1 else 1)]
        out.append({"code": code, "count": n, "text": text.format(n=n)})
    return out
