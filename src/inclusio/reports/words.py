"""The reports' words in French (first) and English; :mod:`inclusio.web.i18n` adds them to the pages' table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

REPORT_TEXT: dict[str, tuple[str, str]] = {
    "nav_reports": ("Rapports", "Reports"),
    "rp_title": ("Rapports pour l'établissement", "Reports for the institution"),
    "rp_reports_nav": ("Rapports", "Reports"),
    "rp_source": ("Accessibilité des documents sources", "Accessibility of the source documents"),
    "rp_readability": ("Lisibilité", "Readability"),
    "rp_service": ("Service rendu", "Service"),
    "rp_source_intro": (
        "Le score d'audit (sur 100) des documents de cours déposés, le même que l'aperçu enseignant : "
        "il compare un document avec sa version suivante, ce n'est pas un verdict de conformité.",
        "The audit score (out of 100) of the course documents uploaded, the same as the teacher preview's: it "
        "compares a document with its next version, it is not a conformance verdict.",
    ),
    "rp_readability_intro": (
        "Score de facilité de lecture (Kandel-Moles en français, Flesch en anglais ; 0 très difficile, "
        "100 très facile) des documents avant adaptation, et des versions adaptées après.",
        "Reading ease (Kandel-Moles in French, Flesch in English; 0 very hard, 100 very easy) of the documents "
        "before adaptation, and of the adapted versions after.",
    ),
    "rp_service_intro": (
        "Documents convertis, téléchargements, délais, échecs, relecture et consommation du modèle de langue.",
        "Documents converted, downloads, waiting times, failures, review and language-model use.",
    ),
    "rp_privacy": (
        "Confidentialité : aucun rapport ne montre le profil, le handicap ou les documents d'une personne. "
        "Un nombre d'étudiant·es inférieur à 5 s'affiche « < 5 », avec la ligne la plus proche pour qu'on ne "
        "puisse pas le retrouver par soustraction ; les autres nombres de personnes et de demandes sont "
        "arrondis à 5 près. Chaque consultation et export est inscrit au journal d'audit.",
        "Privacy: no report shows a person's profile, disability or documents. A number of students below 5 "
        "is shown \u201c< 5\u201d, together with the nearest row so that it cannot be found by subtraction; the "
        "other numbers of people and requests are rounded to the nearest 5. Every view and export is written "
        "to the audit log.",
    ),
    "rp_teacher_scope": (
        "Vous voyez les documents des cours sous lesquels vous partagez des documents : {courses}.",
        "You see the documents of the courses you share documents under: {courses}.",
    ),
    "rp_teacher_none": (
        "Vous n'avez encore partagé aucun document avec un intitulé de cours : partagez-en un pour voir ses "
        "rapports.",
        "You have not shared any document with a course label yet: share one to see its reports.",
    ),
    "rp_filters": ("Filtres", "Filters"),
    "rp_from": ("Du (AAAA-MM-JJ)", "From (YYYY-MM-DD)"),
    "rp_to": ("Au (AAAA-MM-JJ)", "To (YYYY-MM-DD)"),
    "rp_institution": ("Établissement", "Institution"),
    "rp_course": ("Cours", "Course"),
    "rp_doc_type": ("Type de document", "Document type"),
    "rp_all": ("Tous", "All"),
    "rp_no_course": ("(sans cours)", "(no course)"),
    "rp_apply": ("Afficher le rapport", "Show the report"),
    "rp_csv": ("Télécharger ce tableau (CSV)", "Download this table (CSV)"),
    "rp_csv_named": (
        "Télécharger le tableau « {name} » (CSV)",
        "Download the table \u201c{name}\u201d (CSV)",
    ),
    "rp_empty": ("Aucune donnée pour ces filtres.", "No data for these filters."),
    "rp_total": ("Total", "Total"),
    "rp_chart_desc": (
        "Graphique en barres ; les mêmes chiffres sont dans le tableau qui suit.",
        "Bar chart; the same figures are in the table that follows.",
    ),
    # tables
    "rp_t_by_course_month": ("Score d'audit par cours et par mois", "Audit score by course and month"),
    "rp_t_by_month": ("Score d'audit moyen par mois", "Mean audit score by month"),
    "rp_t_issues": ("Problèmes les plus fréquents", "Most frequent issues"),
    "rp_t_to_fix": (
        "Documents qui gagneraient le plus à être corrigés",
        "Documents that would gain most from a fix",
    ),
    "rp_t_to_fix_note": (
        "Documents partagés (jamais le document personnel d'un·e étudiant·e), classés par (100 − score) × demandes.",
        "Shared documents (never a student's own document), ranked by (100 − score) × requests.",
    ),
    "rp_t_readability": (
        "Lisibilité par cours, avant et après adaptation",
        "Readability by course, before and after adaptation",
    ),
    "rp_t_readability_chart": ("Facilité de lecture moyenne par cours", "Mean reading ease by course"),
    "rp_t_by_profile": ("Documents convertis par profil", "Documents converted by profile"),
    "rp_t_by_output": ("Documents convertis par format de sortie", "Documents converted by output format"),
    "rp_t_downloads": ("Téléchargements par format", "Downloads by format"),
    "rp_t_wait": (
        "Délai entre le dépôt et le premier téléchargement",
        "Time from upload to first download",
    ),
    "rp_t_failures": ("Échecs et résultats partiels par code", "Failures and partial results by code"),
    "rp_t_flags": (
        "Signalements en attente de relecture, par ancienneté",
        "Flags waiting for review, by age",
    ),
    "rp_t_tokens": ("Jetons du modèle de langue par mois", "Language-model tokens per month"),
    # columns
    "rp_c_course": ("Cours", "Course"),
    "rp_c_month": ("Mois", "Month"),
    "rp_c_documents": ("Documents", "Documents"),
    "rp_c_score": ("Score moyen /100", "Mean score /100"),
    "rp_c_score1": ("Score /100", "Score /100"),
    "rp_c_check": ("Problème", "Issue"),
    "rp_c_items": ("Éléments concernés", "Items concerned"),
    "rp_c_share": ("Part des documents", "Share of documents"),
    "rp_c_title": ("Document", "Document"),
    "rp_c_requests": ("Demandes", "Requests"),
    "rp_c_students": ("Étudiant·es", "Students"),
    "rp_c_mean_before": ("Moyenne avant", "Mean before"),
    "rp_c_mean_after": ("Moyenne après", "Mean after"),
    "rp_c_before": ("Avant {band}", "Before {band}"),
    "rp_c_after": ("Après {band}", "After {band}"),
    "rp_c_profile": ("Profil", "Profile"),
    "rp_c_format": ("Format", "Format"),
    "rp_c_jobs": ("Demandes", "Requests"),
    "rp_c_downloads": ("Téléchargements", "Downloads"),
    "rp_c_period": ("Période", "Period"),
    "rp_c_median": ("Médiane", "Median"),
    "rp_c_p95": ("95e centile", "95th percentile"),
    "rp_c_status": ("Résultat", "Outcome"),
    "rp_c_code": ("Code", "Code"),
    "rp_c_age": ("Ancienneté (jours)", "Age (days)"),
    "rp_c_passages": ("Passages signalés", "Flagged passages"),
    "rp_c_oldest": ("Le plus ancien (jours)", "Oldest (days)"),
    "rp_c_tokens": ("Jetons", "Tokens"),
    "rp_c_cost": ("Coût estimé ({currency})", "Estimated cost ({currency})"),
    "rp_all_period": ("Toute la période", "Whole period"),
    "rp_status_failed": ("échec", "failed"),
    "rp_status_partial": ("partiel", "partial"),
    "rp_before": ("Avant adaptation", "Before adaptation"),
    "rp_after": ("Après adaptation", "After adaptation"),
    "rp_check_title": ("Pas de titre", "No title"),
    "rp_check_lang": ("Langue inconnue", "Unknown language"),
    "rp_check_headings": ("Pas de titres de section", "No headings"),
    "rp_check_heading_order": ("Niveaux de titres sautés", "Heading levels skipped"),
    "rp_check_alt_text": ("Images sans texte alternatif", "Images without alt text"),
    "rp_check_tables": ("Tableaux sans en-têtes", "Tables without headers"),
    "rp_check_scanned": ("Pages scannées sans texte", "Scanned pages without text"),
    "rp_check_slides": (
        "Diapositives sans titre ou objets non décrits",
        "Slides without titles or undescribed objects",
    ),
}


def report_translator(lang: str) -> Callable[..., str]:
    index = 1 if lang == "en" else 0

    def t(key: str, **fields: Any) -> str:
        text = REPORT_TEXT[key][index]
        return text.format(**fields) if fields else text

    return t
