"""The words of the teacher's feedback pages (preview, progress, new version), French first, then English.

Kept apart from :mod:`inclusio.web.i18n`'s table, which takes them in with ``TEXT.update``.
"""

from __future__ import annotations

TEACHER_TEXT: dict[str, tuple[str, str]] = {
    "teacher_intro_job": (
        "Déposez un document : inclusio prépare un retour sur son accessibilité et sa lisibilité (une vingtaine "
        "de secondes pour un diaporama de 50 diapositives) et lance la conversion pour le profil choisi. Vous "
        "retrouvez l'aperçu dans vos documents, plus bas.",
        "Upload a document: inclusio prepares feedback on its accessibility and readability (about twenty "
        "seconds for a 50-slide deck) and starts the conversion for the chosen profile. You find the preview "
        "again in your documents, below.",
    ),
    "feedback_of": ("Retour sur le document : {name}", "Feedback on the document: {name}"),
    "wait_title": ("Aperçu en préparation : {name}", "Preview being prepared: {name}"),
    "wait_help": (
        "Vous pouvez quitter cette page : l'aperçu restera disponible dans vos documents (page « Préparer un "
        "cours »).",
        "You may leave this page: the preview stays available in your documents (page 'Prepare a course').",
    ),
    "wait_progress": ("Avancement de l'aperçu", "Progress of the preview"),
    "wait_stage": ("Étape : {stage} ({pct} %)", "Step: {stage} ({pct} %)"),
    "wait_stage_queued": ("en attente", "waiting"),
    "wait_stage_convert": ("lecture du fichier", "reading the file"),
    "wait_stage_analyse": ("lisibilité et phrases difficiles", "readability and hard sentences"),
    "wait_stage_audit": ("audit d'accessibilité", "accessibility audit"),
    "wait_stage_draft": ("brouillon facile à lire", "easy-to-read draft"),
    "wait_refresh": (
        "Actualiser la page pour voir si l'aperçu est prêt",
        "Refresh the page to see whether the preview is ready",
    ),
    "wait_failed": ("L'aperçu n'a pas pu être fait.", "The preview could not be made."),
    "wait_ready": ("L'aperçu est prêt : chargement…", "The preview is ready: loading…"),
    "headline_title": ("En bref", "In short"),
    "headline_access": ("Accessibilité : {score} sur 100", "Accessibility: {score} out of 100"),
    "headline_read": ("Lisibilité : {verdict}", "Readability: {verdict}"),
    "headline_read_score": (
        "Lisibilité : {verdict} ({ease} sur 100)",
        "Readability: {verdict} ({ease} out of 100)",
    ),
    "headline_fixes": ("{n} point(s) à corriger", "{n} thing(s) to fix"),
    "band_very_easy": ("très facile", "very easy"),
    "band_easy": ("facile", "easy"),
    "band_fairly_easy": ("assez facile", "fairly easy"),
    "band_standard": ("moyenne", "standard"),
    "band_fairly_difficult": ("assez difficile", "fairly difficult"),
    "band_difficult": ("difficile", "difficult"),
    "band_very_difficult": ("très difficile", "very difficult"),
    "too_short": ("trop court pour être mesuré", "too short to measure"),
    "findings_title": (
        "À corriger, du plus coûteux pour les étudiant·e·s au moins coûteux",
        "To fix, what costs students most first",
    ),
    "findings_help": (
        "Chaque point dit où il se trouve et comment le corriger dans PowerPoint, Word ou LibreOffice.",
        "Each point says where it is and how to fix it in PowerPoint, Word or LibreOffice.",
    ),
    "findings_none": (
        "Rien à corriger : tous les contrôles sont réussis.",
        "Nothing to fix: every check passed.",
    ),
    "finding_count": ("{count} sur {total}", "{count} of {total}"),
    "finding_lost": ("Fait perdre {n} point(s) au score", "Costs the score {n} point(s)"),
    "finding_places": ("Où", "Where"),
    "finding_whole": ("tout le document", "the whole document"),
    "finding_more": ("et {n} autre(s)", "and {n} more"),
    "fix_in_tools": ("Comment corriger", "How to fix it"),
    "tool_powerpoint": ("PowerPoint", "PowerPoint"),
    "tool_word": ("Word", "Word"),
    "tool_libreoffice": ("LibreOffice", "LibreOffice"),
    "thumb_alt": ("Miniature de l'image ({place})", "Thumbnail of the image ({place})"),
    "passed_title": ("Contrôles réussis", "Checks passed"),
    "passages_title": ("Lisibilité par passage", "Readability per passage"),
    "passages_help": (
        "Un score n'a de sens que sur au moins {n} mots : les sections plus courtes sont mesurées avec leurs "
        "voisines. Score de Kandel et Moles (français) ou de Flesch (anglais), de 0 à 100 : plus il est haut, "
        "plus le texte est facile ; au-dessous de 50 : difficile.",
        "A score means something only on {n} words or more: shorter sections are measured with their "
        "neighbours. Kandel–Moles (French) or Flesch (English) score, 0 to 100: the higher, the easier; "
        "below 50: hard.",
    ),
    "passages_chart_title": (
        "Facilité de lecture par passage (0 à 100)",
        "Reading ease per passage (0 to 100)",
    ),
    "passages_chart_desc": (
        "Diagramme en barres : une barre par passage mesuré, sa valeur écrite au bout. Le tableau qui suit "
        "donne chaque section et le passage où elle est mesurée.",
        "Bar chart: one bar per passage measured, its value written at its end. The table that follows gives "
        "each section and the passage it is measured in.",
    ),
    "passages_caption": (
        "Sections et passage où chacune est mesurée",
        "Sections and the passage each is measured in",
    ),
    "col_place": ("Emplacement", "Place"),
    "col_measured_with": ("Mesurée avec", "Measured with"),
    "whole_too_short": (
        "Le document compte {words} mot(s) de texte suivi : trop court pour être mesuré (il en faut {n}).",
        "The document has {words} word(s) of running text: too short to measure ({n} are needed).",
    ),
    "draft_unchanged": (
        "{n} autre(s) passage(s) de texte n'ont pas été modifiés par les règles.",
        "{n} other passage(s) of text were left as they were by the rules.",
    ),
    "diff_title": (
        "Avant et après : cette version et la précédente",
        "Before and after: this version and the previous one",
    ),
    "diff_scores": (
        "Accessibilité : {before} → {after} sur 100. Lisibilité : {vb} → {va}.",
        "Accessibility: {before} → {after} out of 100. Readability: {vb} → {va}.",
    ),
    "diff_fixed": ("Corrigé ({n})", "Fixed ({n})"),
    "diff_new": ("Nouveau ({n})", "New ({n})"),
    "diff_still": ("Toujours là ({n})", "Still there ({n})"),
    "diff_none": ("aucun", "none"),
    "diff_pending": (
        "L'aperçu de la version précédente se prépare : actualisez la page dans un moment.",
        "The previous version's preview is being prepared: refresh the page in a moment.",
    ),
    "new_version_title": ("Envoyer une nouvelle version", "Upload a new version"),
    "new_version_help": (
        "Après avoir corrigé le fichier, envoyez-le ici : l'aperçu compare le score et les points à corriger "
        "avant et après.",
        "Once the file is fixed, upload it here: the preview compares the score and the points to fix before "
        "and after.",
    ),
    "new_version_file": ("Nouvelle version ({formats})", "New version ({formats})"),
    "new_version_submit": ("Envoyer et comparer", "Upload and compare"),
    "previews_title": ("Mes documents et leurs aperçus", "My documents and their previews"),
    "previews_caption": ("Documents déposés (le plus récent d'abord)", "Documents uploaded (newest first)"),
    "col_document": ("Document", "Document"),
    "col_uploaded": ("Déposé le", "Uploaded"),
    "col_actions": ("Actions", "Actions"),
    "open_preview": ("Aperçu", "Preview"),
    "open_preview_of": ("Aperçu de {name}", "Preview of {name}"),
    "new_version_of": ("Nouvelle version de {name}", "New version of {name}"),
    "previews_none": ("Aucun document déposé pour l'instant.", "No document uploaded yet."),
}
