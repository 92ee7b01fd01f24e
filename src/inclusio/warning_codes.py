"""The catalogue of warning codes, beside :mod:`inclusio.errors` (which holds the failures).

A warning is something a job did that a person should check (a picture without alt text, a page read
by OCR, a fact the model dropped); the job goes on. Each warning has a stable code (never reused,
never renamed) and an English and a French message, templated with ``str.format`` fields when it
carries details. Emitters build warnings with :func:`warning` or :func:`warning_text`; the report,
the API and the web pages show :func:`message_for` in the reader's language.

``tests/test_warning_codes.py`` fails when a code emitted in ``src/inclusio`` or ``workers`` is
missing here, and when an entry lacks a language or its two templates take different fields.
This module imports nothing of ours: everything may import it.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

WARNINGS: dict[str, tuple[str, str]] = {
    # -- conversion (recorded by converters as ``ConversionIssue``) -----------------------------------
    "input.encrypted_empty_password": (
        "The PDF is encrypted with an empty password; it was opened without one.",
        "Le PDF est chiffré avec un mot de passe vide ; il a été ouvert sans mot de passe.",
    ),
    "input.repaired": (
        "The PDF's structure was damaged and has been repaired; check that nothing is missing.",
        "La structure du PDF était endommagée et a été réparée ; vérifiez que rien ne manque.",
    ),
    "pdf.scanned_page": (
        "Page {page} is a scanned image; its text was recognised by OCR (Tesseract) and may contain errors.",
        "La page {page} est une image numérisée ; son texte a été reconnu par OCR (Tesseract) et peut contenir "
        "des erreurs.",
    ),
    "pdf.ocr_failed": (
        "Page {page} is a scan and its text could not be recognised: {reason}",
        "La page {page} est numérisée et son texte n'a pas pu être reconnu : {reason}",
    ),
    "pdf.page_unreadable": (
        "Page {page} could not be read and was skipped{reason}.",
        "La page {page} n'a pas pu être lue et a été ignorée{reason}.",
    ),
    "pdf.formula_image": (
        "A formula on page {page} could not be rendered: {reason}",
        "Une formule de la page {page} n'a pas pu être rendue : {reason}",
    ),
    "pdf.table_failed": (
        "A table on page {page} could not be read: {reason}",
        "Un tableau de la page {page} n'a pas pu être lu : {reason}",
    ),
    "pdf.tags_no_text": (
        "The PDF is tagged but its tags hold no text; its structure was read from the page layout instead.",
        "Le PDF est balisé mais ses balises ne contiennent pas de texte ; sa structure a été lue d'après la mise "
        "en page.",
    ),
    "pdf.tags_partial": (
        "The PDF's tags hold only {percent} % of the page text; its structure was read from the page layout "
        "instead.",
        "Les balises du PDF ne contiennent que {percent} % du texte des pages ; sa structure a été lue d'après la "
        "mise en page.",
    ),
    "pdf.tags_one_block": (
        "The PDF's tags put the whole text in one element; its structure was read from the page layout instead.",
        "Les balises du PDF mettent tout le texte dans un seul élément ; sa structure a été lue d'après la mise "
        "en page.",
    ),
    "pdf.tags_out_of_order": (
        "The PDF's tags contradict the order of the page ({percent} % of comparable pairs read bottom-up, or "
        "pages read backwards); its structure was read from the page layout instead.",
        "Les balises du PDF contredisent l'ordre de la page ({percent} % des paires comparables lues de bas en "
        "haut, ou pages lues à rebours) ; sa structure a été lue d'après la mise en page.",
    ),
    "image.too_large": (
        "A picture ({megapixels} megapixels) is larger than the server accepts ({limit} megapixels) and was "
        "skipped.",
        "Une image ({megapixels} mégapixels) dépasse la taille acceptée par le serveur ({limit} mégapixels) et a "
        "été ignorée.",
    ),
    "image.unreadable": ("A picture could not be read: {reason}", "Une image n'a pas pu être lue : {reason}"),
    "image.not_embedded": (
        "The picture {src} is a link to a file or a web address, which is not read (only pictures inside the "
        "page are). Its alt text is kept.",
        "L'image {src} est un lien vers un fichier ou une adresse web, qui n'est pas lu (seules les images "
        "contenues dans la page le sont). Son texte alternatif est conservé.",
    ),
    "image.active_content_removed": (
        "Active or external content was removed from an SVG picture ({removed}); the drawing itself is kept.",
        "Du contenu actif ou externe a été retiré d'une image SVG ({removed}) ; le dessin lui-même est conservé.",
    ),
    "lang.declared_mismatch": (
        "The file declares language '{declared}' but its text reads as '{used}'; '{used}' was used.",
        "Le fichier déclare la langue « {declared} » mais son texte se lit comme « {used} » ; « {used} » a été "
        "retenue.",
    ),
    "html.truncated": (
        "The page is nested more than 2048 elements deep; the parser stopped there and the rest of the page is "
        "missing. Simplify the page and upload it again.",
        "La page imbrique plus de 2048 éléments ; la lecture s'est arrêtée là et la suite de la page manque. "
        "Simplifiez la page et déposez-la de nouveau.",
    ),
    "docx.notes_unreadable": (
        "The footnotes or endnotes could not be read: {reason}",
        "Les notes de bas de page ou de fin n'ont pas pu être lues : {reason}",
    ),
    "docx.part_unreadable": (
        "A {element} element could not be read: {reason}",
        "Un élément {element} n'a pas pu être lu : {reason}",
    ),
    "docx.file_part_unreadable": (
        "The part {part} of the file could not be read and was left out (the rest of the document is kept; what "
        "it held is shown as unreadable where it was used): {reason}",
        "La partie {part} du fichier n'a pas pu être lue et a été omise (le reste du document est gardé ; ce "
        "qu'elle contenait est signalé comme illisible là où il servait) : {reason}",
    ),
    "docx.note_missing": (
        "The {kind} {label} is called but has no text.",
        "La note ({kind}) {label} est appelée mais n'a pas de texte.",
    ),
    "docx.headings_inferred": (
        "The document uses no heading styles; {n} headings were inferred from bold or larger text. Check them, "
        "and use Word's heading styles (Heading 1, 2...) next time.",
        "Le document n'utilise pas de styles de titre ; {n} titres ont été déduits du texte en gras ou plus grand. "
        "Vérifiez-les, et utilisez les styles de titre de Word (Titre 1, 2...) la prochaine fois.",
    ),
    "formula.unconverted": (
        "An equation could not be converted to MathML: {reason}",
        "Une équation n'a pas pu être convertie en MathML : {reason}",
    ),
    "slide.unreadable": (
        "Slide {slide} could not be read: {reason}",
        "La diapositive {slide} n'a pas pu être lue : {reason}",
    ),
    "slide.part_unreadable": (
        "The part {part} of the deck could not be read and was left out (its slide is kept): {reason}",
        "La partie {part} de la présentation n'a pas pu être lue et a été omise (sa diapositive est gardée) : "
        "{reason}",
    ),
    "slide.no_title": (
        "Slide {slide} has no title: a heading was generated from its number so readers can navigate; give the "
        "slide a title.",
        "La diapositive {slide} n'a pas de titre : un titre a été créé à partir de son numéro pour la navigation ; "
        "donnez un titre à la diapositive.",
    ),
    "slide.order_differs": (
        "On slide {slide} the visual order (top to bottom, left to right) differs from the file's reading order "
        "({swapped} of {pairs} pairs of shapes swapped); the visual order was used. Check it, or set the order "
        "in PowerPoint's selection pane.",
        "Sur la diapositive {slide}, l'ordre visuel (de haut en bas, de gauche à droite) diffère de l'ordre de "
        "lecture du fichier ({swapped} paires de formes inversées sur {pairs}) ; l'ordre visuel a été utilisé. "
        "Vérifiez-le, ou réglez l'ordre dans le volet Sélection de PowerPoint.",
    ),
    "slide.diagram_needs_description": (
        "Slide {slide} has a SmartArt diagram ({name}); its texts were kept as a list but not how they relate: "
        "describe the diagram.",
        "La diapositive {slide} contient un diagramme SmartArt ({name}) ; ses textes ont été gardés en liste, "
        "mais pas leurs liens : décrivez le diagramme.",
    ),
    "slide.object_needs_description": (
        "Slide {slide} has an object ({name}) whose content cannot be read; describe it.",
        "La diapositive {slide} contient un objet ({name}) dont le contenu ne peut pas être lu ; décrivez-le.",
    ),
    "chart.needs_description": (
        "A chart's data could not be read ({reason}); describe it.",
        "Les données d'un graphique n'ont pas pu être lues ({reason}) ; décrivez-le.",
    ),
    # -- rendering (writers) ----------------------------------------------------------------------------
    "heading.empty": ("A heading without text was left out.", "Un titre sans texte a été retiré."),
    "heading.level_clamped": (
        "Heading '{text}' moved from level {old} to {new} so that no heading level is skipped.",
        "Le titre « {text} » est passé du niveau {old} au niveau {new} pour qu'aucun niveau ne soit sauté.",
    ),
    "render.block_failed": (
        "Block {block} could not be rendered ({reason}).",
        "Le bloc {block} n'a pas pu être affiché ({reason}).",
    ),
    "table.empty": ("A table without cells was left out.", "Un tableau sans cellule a été retiré."),
    "image.alt_from_caption": (
        "An image has no alternative text; its caption is used instead. Describe it.",
        "Une image n'a pas de texte alternatif ; sa légende est utilisée à la place. Décrivez-la.",
    ),
    "image.alt_missing": (
        "An image has no alternative text; it is marked '{marker}'. Describe it.",
        "Une image n'a pas de texte alternatif ; elle est signalée « {marker} ». Décrivez-la.",
    ),
    "image.unsupported_format": (
        "An image in {media_type} format cannot be shown; only its text is kept.",
        "Une image au format {media_type} ne peut pas être affichée ; seul son texte est conservé.",
    ),
    "image.missing": (
        "The image '{image}' is missing from the document.",
        "L'image « {image} » manque dans le document.",
    ),
    "formula.mathml_invalid": (
        "A formula's MathML is not well-formed; its text is shown.",
        "Le MathML d'une formule est mal formé ; son texte est affiché.",
    ),
    "epub.read_along_failed": (
        "The EPUB has no read-along audio: {reason}",
        "L'EPUB n'a pas de lecture synchronisée : {reason}",
    ),
    "font.not_installed": (
        "The font {name} named by the profile is not installed on the server, so it is not embedded "
        "(see docs/outputs.md).",
        "La police {name} demandée par le profil n'est pas installée sur le serveur : elle n'est pas intégrée "
        "(voir docs/outputs.md).",
    ),
    "large_print.truncated": (
        "The large-print layout engine stopped before the end of the document; use the HTML page or the EPUB "
        "for the full text.",
        "La mise en page en gros caractères s'est arrêtée avant la fin du document ; utilisez la page HTML ou "
        "l'EPUB pour le texte complet.",
    ),
    "audio.checks_skipped": (
        "ffmpeg is not installed: the audio was not checked (apt-get install ffmpeg).",
        "ffmpeg n'est pas installé : l'audio n'a pas été vérifié (apt-get install ffmpeg).",
    ),
    "audio.truncated": (
        "{file} lasts {decoded_s} s once decoded, {expected_s} s were synthesised: the end may be missing.",
        "{file} dure {decoded_s} s une fois décodé, {expected_s} s ont été synthétisées : la fin peut manquer.",
    ),
    "audio.long_silence": (
        "{file} is silent for {duration_s} s from {start_s} s.",
        "{file} est silencieux pendant {duration_s} s à partir de {start_s} s.",
    ),
    "audio.rate_unexpected": (
        "{file} lasts {decoded_s} s for {words} words at {rate_wpm} words per minute (about {predicted_s} s "
        "expected).",
        "{file} dure {decoded_s} s pour {words} mots à {rate_wpm} mots par minute (environ {predicted_s} s "
        "attendues).",
    ),
    "tts.voice_fallback": (
        "No Piper voice is installed for language '{language}': its passages were read by espeak-ng (voice "
        "{voice}). Install a Piper voice for it (docs/audio.md, 'inclusio voices list').",
        "Aucune voix Piper n'est installée pour la langue « {language} » : ses passages ont été lus par espeak-ng "
        "(voix {voice}). Installez une voix Piper pour cette langue (docs/audio.md, « inclusio voices list »).",
    ),
    "tts.voice_not_installed": (
        "The profile's voice '{voice}' for language '{language}' is not installed; {instead} read it instead "
        "('inclusio voices list' shows the installed voices).",
        "La voix « {voice} » choisie par le profil pour la langue « {language} » n'est pas installée ; {instead} "
        "l'a lue à la place (« inclusio voices list » montre les voix installées).",
    ),
    # -- adaptation -------------------------------------------------------------------------------------
    "adapt.facts_missing": (
        "The {kind} adaptation of block {block} lost: {missing}. Check it in review.",
        "L'adaptation ({kind}) du bloc {block} a perdu : {missing}. Vérifiez-la à la relecture.",
    ),
    "adapt.translation_unavailable": (
        "Translation into '{target}' needs the Mistral engine (INCLUSIO_ENGINE=mistral); the glossary and the "
        "other adaptations were made offline.",
        "La traduction en « {target} » nécessite le moteur Mistral (INCLUSIO_ENGINE=mistral) ; le glossaire et "
        "les autres adaptations ont été faits hors ligne.",
    ),
    "glossary.to_define": (
        "'{term}' has no definition: write one (it is not shown to students until then)",
        "« {term} » n'a pas de définition : écrivez-en une (elle n'est pas montrée aux étudiants d'ici là)",
    ),
    "glossary.lexicon": (
        "the meaning of '{term}' was chosen by the machine from inclusio's acronym lexicon ({basis}): "
        "check that it is the one this document means",
        "le sens de « {term} » a été choisi par la machine dans la liste de sigles d'inclusio ({basis}) : "
        "vérifiez que c'est bien celui du document",
    ),
    "adapt.model_fallback": (
        "the model's answer was not used ({text}); the offline result or the source is shown",
        "la réponse du modèle n'a pas été utilisée ({text}) ; le résultat hors ligne ou la source est affiché",
    ),
    # -- the verifier of model answers (inclusio.analysis.verify) ---------------------------------------
    "verify.empty": ("the answer is empty", "la réponse est vide"),
    "verify.number_changed": (
        "the number {old} in '{text}' became {new}",
        "le nombre {old} dans « {text} » est devenu {new}",
    ),
    "verify.number_added": (
        "the number {new} in '{text}' is not in the source",
        "le nombre {new} dans « {text} » n'est pas dans la source",
    ),
    "verify.date_changed": (
        "the date {old} in '{text}' became {new}",
        "la date {old} dans « {text} » est devenue {new}",
    ),
    "verify.date_added": (
        "the date {new} in '{text}' is not in the source",
        "la date {new} dans « {text} » n'est pas dans la source",
    ),
    "verify.fact_dropped": (
        "the {what} {old} ('{text}') is missing",
        "{what_fr} {old} (« {text} ») a disparu",
    ),
    "verify.entity_changed": ("the name {old} became {new}", "le nom {old} est devenu {new}"),
    "verify.entity_added": ("the name {new} is not in the source", "le nom {new} n'est pas dans la source"),
    "verify.link_added": ("the link {new} is not in the source", "le lien {new} n'est pas dans la source"),
    "verify.contact_added": (
        "the e-mail address or phone number {new} is not in the source",
        "l'adresse e-mail ou le numéro de téléphone {new} n'est pas dans la source",
    ),
    "verify.instruction": (
        "the answer tells the reader to act ('{text}'), the source does not",
        "la réponse donne une consigne au lecteur (« {text} »), pas la source",
    ),
    "verify.invented_words": (
        "the sentence '{text}' is not in the source ({n} of {total} words found)",
        "la phrase « {text} » n'est pas dans la source ({n} mots sur {total} retrouvés)",
    ),
    "verify.unrelated": (
        "the answer is unrelated to its source ({n} of {total} words shared)",
        "la réponse est sans rapport avec sa source ({n} mots sur {total} en commun)",
    ),
    "verify.untranslated": (
        "the term {old} is left untranslated (the glossary gives {new})",
        "le terme {old} n'est pas traduit (le glossaire donne {new})",
    ),
    "verify.too_long": (
        "the translation is {ratio} times as long as its source",
        "la traduction est {ratio} fois plus longue que sa source",
    ),
    "verify.unverifiable_data": (
        "values read from the image cannot be checked against the text: {text}",
        "des valeurs lues sur l'image ne peuvent pas être vérifiées dans le texte : {text}",
    ),
    # -- telling a learner that a document is ready (inclusio/notify.py; the service's log, not a job's) ----
    "notify.email_failed": (
        "The e-mail telling a learner that job {job} is ready could not be sent after {attempts} attempt(s) "
        "({reason}); the job is not affected and its notification is on the learner's page. Check the "
        "INCLUSIO_SMTP_* settings and the mail server.",
        "Le courriel prévenant un étudiant que la tâche {job} est prête n'a pas pu être envoyé après "
        "{attempts} essai(s) ({reason}) ; la tâche n'est pas touchée et sa notification est sur la page de "
        "l'étudiant. Vérifiez les réglages INCLUSIO_SMTP_* et le serveur de courriel.",
    ),
}
"""Every warning code with its English and French message template (one place)."""


PART_LOST_CODES = frozenset(
    {
        "pdf.page_unreadable",
        "pdf.ocr_failed",
        "image.unreadable",
        "html.truncated",
        "docx.notes_unreadable",
        "docx.part_unreadable",
        "docx.file_part_unreadable",
        "slide.unreadable",
        "slide.part_unreadable",
        "chart.needs_description",
    }
)
"""Conversion issues that mean a part of the source is missing from the outputs (a page, a slide, a picture, a
chart's data, the notes...; a placeholder stands for it where it was): one of them makes the job ``partial``
(error ``input.parts_lost``), never ``succeeded``. A limit the server sets (``image.too_large``) or something
the author left out (``docx.note_missing``) is not a lost part."""


def fields_of(template: str) -> set[str]:
    """The ``str.format`` field names of ``template``."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def warning_text(code: str, lang: str = "en", **fields: Any) -> str:
    """The message of ``code`` in ``lang`` (French for ``fr``, English otherwise), ``fields`` filled in.

    Raises ``KeyError`` for a code missing from the catalogue: that is a bug, not a user's problem."""
    english, french = WARNINGS[code]
    return (french if lang == "fr" else english).format(**fields)


def warning(
    code: str, *, severity: str = "warning", block_id: str | None = None, **fields: Any
) -> dict[str, Any]:
    """A report warning entry: ``{"code", "severity", "block_id", "message", "message_fr"}`` from the catalogue."""
    return {
        "code": code,
        "severity": severity,
        "block_id": block_id,
        "message": warning_text(code, "en", **fields),
        "message_fr": warning_text(code, "fr", **fields),
    }


def message_for(entry: Mapping[str, Any], lang: str) -> str:
    """The message of a stored warning in ``lang``: its own French or English text when it has one, else the
    catalogue's message when the code takes no details, else the English text it was stored with."""
    own = entry.get("message_fr") if lang == "fr" else entry.get("message")
    if own:
        return str(own)
    code = str(entry.get("code", ""))
    if code in WARNINGS and not fields_of(WARNINGS[code][0]):
        return warning_text(code, lang)
    return str(entry.get("message") or entry.get("reason") or code)


def with_messages(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A stored warning with both messages where the catalogue can give them: an entry recorded with its
    English text only gets its French one when its code takes no details (details are not stored)."""
    out = dict(entry)
    code = str(out.get("code", ""))
    if code in WARNINGS and not fields_of(WARNINGS[code][0]):
        out.setdefault("message", warning_text(code, "en"))
        out.setdefault("message_fr", warning_text(code, "fr"))
    return out
