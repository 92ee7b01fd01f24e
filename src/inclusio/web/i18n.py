"""The pages' words in French (first) and English. One table, no gettext: the pages are few.

``translator(lang)("key", n=3)`` gives the text with ``str.format`` fields filled; a key
missing from the table is a bug and raises ``KeyError`` (a test renders every page in both
languages).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

LANGS = ("fr", "en")

TEXT: dict[str, tuple[str, str]] = {
    # frame
    "site": ("inclusio", "inclusio"),
    "tagline": ("Supports de cours accessibles", "Accessible course materials"),
    "skip": ("Aller au contenu", "Skip to content"),
    "nav": ("Navigation principale", "Main navigation"),
    "switch_lang": ("English", "Français"),
    "switch_lang_label": ("Read this page in English", "Lire cette page en français"),
    "signed_in_as": ("Connecté·e : {name} ({role})", "Signed in: {name} ({role})"),
    "sign_out": ("Se déconnecter", "Sign out"),
    "role_student": ("étudiant·e", "student"),
    "role_teacher": ("enseignant·e", "teacher"),
    "role_staff": ("service handicap", "disability services"),
    "role_admin": ("administration", "administrator"),
    "nav_student": ("Mes documents", "My documents"),
    "nav_teacher": ("Préparer un cours", "Prepare a course"),
    "nav_staff": ("File et lots", "Queue and batches"),
    "footer": (
        "inclusio : logiciel libre (AGPL-3.0). Les versions adaptées sont des brouillons tant qu'une "
        "personne ne les a pas relues.",
        "inclusio: free software (AGPL-3.0). Adapted versions are drafts until a person has reviewed them.",
    ),
    "required": ("obligatoire", "required"),
    # sign in
    "sign_in_title": ("Connexion", "Sign in"),
    "username": ("Nom d'utilisateur", "User name"),
    "password": ("Mot de passe", "Password"),
    "sign_in": ("Se connecter", "Sign in"),
    "sign_in_failed": ("Nom d'utilisateur ou mot de passe incorrect.", "Wrong user name or password."),
    "sign_in_wait": (
        "Trop de tentatives erronées : patientez {seconds} s puis réessayez.",
        "Too many wrong attempts: wait {seconds} s and try again.",
    ),
    # password change
    "nav_password": ("Mot de passe", "Password"),
    "password_title": ("Changer de mot de passe", "Change your password"),
    "password_help": (
        "Après le changement, vos autres sessions et vos jetons d'accès ne fonctionnent plus : "
        "reconnectez-vous sur vos autres appareils.",
        "After the change, your other sessions and access tokens stop working: sign in again on "
        "your other devices.",
    ),
    "current_password": ("Mot de passe actuel", "Current password"),
    "new_password": ("Nouveau mot de passe (8 caractères au moins)", "New password (at least 8 characters)"),
    "confirm_password": ("Nouveau mot de passe, une seconde fois", "New password, once more"),
    "password_change": ("Changer le mot de passe", "Change the password"),
    "password_changed": (
        "Mot de passe changé. Vos autres sessions et jetons ne fonctionnent plus.",
        "Password changed. Your other sessions and tokens no longer work.",
    ),
    "password_wrong": ("Le mot de passe actuel est incorrect.", "The current password is wrong."),
    "password_mismatch": ("Les deux nouveaux mots de passe diffèrent.", "The two new passwords differ."),
    "password_short": (
        "Le nouveau mot de passe doit faire 8 caractères au moins.",
        "The new password needs at least 8 characters.",
    ),
    "password_external": (
        "Ce compte se connecte par le fournisseur d'identité de l'établissement : changez le "
        "mot de passe là-bas.",
        "This account signs in through the institution's identity provider: change the password there.",
    ),
    # errors
    "error_title": ("Un problème est survenu", "Something went wrong"),
    "error_code": ("Code de l'erreur : {code}", "Error code: {code}"),
    "back_home": ("Retour à l'accueil", "Back to the home page"),
    # error pages by HTTP status (error.html; web/__init__.py turns /web/ errors into pages)
    "error_title_400": ("Le formulaire ou l'adresse est incorrect", "The form or the address is wrong"),
    "error_title_403": ("Accès refusé", "Access denied"),
    "error_title_404": ("Page introuvable", "Page not found"),
    "error_title_405": ("Cette adresse ne s'ouvre pas ainsi", "This address cannot be opened this way"),
    "error_title_500": ("Erreur du serveur", "Server error"),
    "table_label": ("tableau", "table"),  # a table's scroll region: "<caption> (tableau)" (static/reflow.js)
    # jobs
    "status_queued": ("en attente", "waiting"),
    "status_running": ("en cours", "in progress"),
    "status_succeeded": ("terminé", "done"),
    "status_partial": ("terminé en partie", "partly done"),
    "status_failed": ("échec", "failed"),
    "job_file": ("Fichier : {name}", "File: {name}"),
    "progress": ("Avancement", "Progress"),
    "progress_value": ("{pct} %", "{pct}%"),
    "stage_label": ("Étape : {stage}", "Stage: {stage}"),
    "stage_convert": ("lecture du document", "reading the document"),
    "stage_analyse": ("analyse", "analysis"),
    "stage_adapt": ("adaptation", "adaptation"),
    "stage_render": ("fabrication des fichiers", "making the files"),
    "stage_validate": ("vérification", "checking"),
    "stage_report": ("rapport", "report"),
    "refresh": ("Actualiser l'avancement", "Refresh the progress"),
    "refresh_hint": (
        "L'avancement se met à jour tout seul ; sans JavaScript, utilisez ce lien.",
        "Progress updates by itself; without JavaScript, use this link.",
    ),
    "downloads": ("Téléchargements", "Downloads"),
    "no_downloads": ("Aucun fichier pour l'instant.", "No file yet."),
    "download": ("Télécharger {what}", "Download {what}"),
    "art_epub": ("le livre numérique (EPUB)", "the e-book (EPUB)"),
    "art_html": ("la page web (HTML)", "the web page (HTML)"),
    "art_mp3": ("l'audio en un fichier MP3, avec chapitres", "the audio as one MP3 file, with chapters"),
    "art_brf": ("le braille (BRF)", "the braille (BRF)"),
    "art_report": ("le rapport (JSON)", "the report (JSON)"),
    "art_json": ("le document structuré (JSON)", "the structured document (JSON)"),
    "art_large-print": ("le PDF en gros caractères", "the large-print PDF"),
    "art_other": ("le fichier {name}", "the file {name}"),
    # the job page for students (issue #16): read online, downloads they understand, an honest status
    "read_online": ("Lire en ligne", "Read online"),
    "read_online_hint": ("dans le navigateur, sans rien installer", "in the browser, nothing to install"),
    "art_sections": (
        "l'audio par section ({n} fichiers MP3 nommés par leurs titres, en un zip)",
        "the audio by section ({n} MP3 files named by their headings, in one zip)",
    ),
    "art_audio-timings": ("les temps de l'audio (JSON)", "the audio timings (JSON)"),
    "art_section": ("l'audio de la section {n} (MP3)", "the audio of section {n} (MP3)"),
    "technical_files": ("Fichiers techniques", "Technical files"),
    "technical_hint": (
        "Pour le personnel et les enseignants : ils ne sont pas montrés aux étudiants.",
        "For staff and teachers: students are not shown them.",
    ),
    "review_status_title": ("Relecture", "Review"),
    "review_released_only": ("Publié par le service handicap", "Released by disability services"),
    "review_original": (
        "Texte d'origine, sans réécriture automatique",
        "Original text, not rewritten by a machine",
    ),
    "review_original_detail": (
        "Aucun passage n'a été réécrit par une machine : c'est le texte du document d'origine, mis en forme "
        "pour votre profil.",
        "No passage was rewritten by a machine: this is the original document's text, laid out for your profile.",
    ),
    "review_reviewed": ("Relu par une personne", "Reviewed by a person"),
    "review_reviewed_released": (
        "Relu et publié par le service handicap",
        "Reviewed and released by disability services",
    ),
    "review_reviewed_detail": (
        "Les passages écrits par une machine ({n}) ont tous été relus par une personne.",
        "All the machine-written passages ({n}) have been reviewed by a person.",
    ),
    "review_partial": ("Relu en partie ({r} sur {n} passages)", "Partly reviewed ({r} of {n} passages)"),
    "review_partial_detail": (
        "Sur les {n} passages écrits par une machine, {r} ont été relus par une personne ; les autres pas "
        "encore.",
        "Of the {n} machine-written passages, {r} have been reviewed by a person; the others not yet.",
    ),
    "review_partial_detail_one": (
        "Sur les {n} passages écrits par une machine, 1 a été relu par une personne ; les autres pas encore.",
        "Of the {n} machine-written passages, 1 has been reviewed by a person; the others not yet.",
    ),
    "review_draft": ("Brouillon automatique, non relu", "Automatic draft, not reviewed"),
    "review_draft_detail": (
        "Le texte a été adapté automatiquement ({n} passages écrits par une machine) et n'a pas encore été "
        "relu par une personne.",
        "The text was adapted automatically ({n} machine-written passages) and has not been reviewed by a "
        "person yet.",
    ),
    "review_draft_detail_one": (
        "Le texte a été adapté automatiquement (1 passage écrit par une machine) et n'a pas encore été relu "
        "par une personne.",
        "The text was adapted automatically (1 machine-written passage) and has not been reviewed by a "
        "person yet.",
    ),
    "review_released_suffix": (", publié par le service handicap", ", released by disability services"),
    "review_flagged": (
        "{f} passages signalés par la vérification automatique n'ont pas été relus : ils sont marqués dans "
        "le texte.",
        "{f} passages flagged by the automatic check have not been reviewed: they are marked in the text.",
    ),
    "review_flagged_one": (
        "1 passage signalé par la vérification automatique n'a pas été relu : il est marqué dans le texte.",
        "1 passage flagged by the automatic check has not been reviewed: it is marked in the text.",
    ),
    "good_to_know": ("À savoir sur ce document", "Good to know about this document"),
    "warning_codes": ("Codes des avertissements ({n})", "Warning codes ({n})"),
    "warning_times": ("{n} fois", "{n} times"),
    "bytes_kb": ("{kb} Ko", "{kb} KB"),
    "problems": ("Problèmes", "Problems"),
    "warnings_count": ("{n} avertissement(s) dans le rapport.", "{n} warning(s) in the report."),
    "jobs_title": ("Mes documents adaptés", "My adapted documents"),
    "no_jobs": ("Aucun document pour l'instant.", "No document yet."),
    "col_document": ("Document", "Document"),
    "col_profile": ("Profil", "Profile"),
    "col_status": ("État", "Status"),
    "col_progress": ("Avancement", "Progress"),
    "col_created": ("Déposé le", "Submitted"),
    "col_actions": ("Actions", "Actions"),
    "col_message": ("Message", "Message"),
    "open_job": ("Ouvrir {name}", "Open {name}"),
    "review_job": ("Relire {name}", "Review {name}"),
    "released_note": (
        "Nouvelle version publiée par le service handicap.",
        "New version released by disability services.",
    ),
    "released_on": ("Publiée le {at} par {who}.", "Released on {at} by {who}."),
    "released_status": ("État du document : {status}.", "Document status: {status}."),
    "releasing": (
        "Publication de la version relue en cours. Les fichiers actuels restent disponibles jusqu'à ce "
        "que les nouveaux soient prêts.",
        "Releasing the reviewed version. The current files stay available until the new ones are ready.",
    ),
    "release_failed": (
        "La publication de la version relue a échoué. Les fichiers précédents restent disponibles.",
        "Releasing the reviewed version failed. The previous files are still available.",
    ),
    "release_stalled": (
        "La publication semble arrêtée (aucun signe du serveur de traitement). Relancez-la depuis "
        "la page de relecture.",
        "The release seems to have stopped (no sign from the processing server). Start it again "
        "from the review page.",
    ),
    "status_releasing": ("publication en cours", "releasing"),
    # student
    "student_title": ("Mon profil de lecture et mes documents", "My reading profile and documents"),
    "profile_title": ("Mon profil de lecture", "My reading profile"),
    "base_profile": ("Profil de base", "Base profile"),
    "adjust": ("Réglages d'affichage", "Display settings"),
    "font": ("Police", "Font"),
    "font_profile": ("Celle du profil", "The profile's"),
    "font_sans": ("Sans empattement (Arial, Verdana)", "Sans-serif (Arial, Verdana)"),
    "font_hyper": ("Atkinson Hyperlegible", "Atkinson Hyperlegible"),
    "font_dys": ("OpenDyslexic", "OpenDyslexic"),
    "font_serif": ("Avec empattement (Georgia)", "Serif (Georgia)"),
    "size": ("Taille du texte (%)", "Text size (%)"),
    "line_height": ("Interligne", "Line spacing"),
    "letter_spacing": ("Espacement des lettres (em)", "Letter spacing (em)"),
    "preview_title": ("Aperçu", "Preview"),
    "preview_text": (
        "La photosynthèse permet aux plantes de fabriquer leur nourriture. Elles utilisent la "
        "lumière du soleil, l'eau et le gaz carbonique.",
        "Photosynthesis lets plants make their food. They use sunlight, water and carbon dioxide.",
    ),
    "preview_button": ("Voir l'aperçu", "Show the preview"),
    "save_profile": ("Enregistrer mon profil", "Save my profile"),
    "profile_saved": ("Profil enregistré.", "Profile saved."),
    # student: notifications and the e-mail opt-in (issue #16)
    "notices_title": ("Notifications", "Notifications"),
    "notices_none": ("Aucune notification pour l'instant.", "No notifications yet."),
    "notice_new": ("nouveau", "new"),
    "notice_ready": ("« {name} » est prêt.", "“{name}” is ready."),
    "notice_partial": ("« {name} » est prêt en partie.", "“{name}” is partly ready."),
    "notice_failed": ("« {name} » n'a pas pu être préparé.", "“{name}” could not be made."),
    "notice_released": (
        "Une nouvelle version de « {name} », publiée par le service handicap, est prête.",
        "A new version of “{name}”, published by disability services, is ready.",
    ),
    "notice_at": ("le {at} (UTC)", "on {at} (UTC)"),
    "email_title": ("Être prévenu·e par courriel", "Be told by e-mail"),
    "email_help": (
        "Le courriel dit seulement qu'un document est prêt, avec un lien vers sa page : rien de son contenu, "
        "ni son nom, ni votre profil. Sans courriel, les notifications restent sur cette page.",
        "The e-mail only says that a document is ready, with a link to its page: nothing of its content, "
        "nor its name, nor your profile. Without e-mail, notifications stay on this page.",
    ),
    "email_checkbox": (
        "Me prévenir par courriel quand un document est prêt",
        "E-mail me when a document is ready",
    ),
    "email_label": ("Adresse électronique", "E-mail address"),
    "email_save": ("Enregistrer ce choix", "Save this choice"),
    "email_invalid": (
        "Cette adresse électronique n'est pas valide (exemple : prenom.nom@univ.fr).",
        "This e-mail address is not valid (for example: first.last@univ.example).",
    ),
    "email_notice_on": ("Vous serez prévenu·e par courriel.", "You will be told by e-mail."),
    "email_notice_off": (
        "Vous ne recevrez plus de courriel ; votre adresse a été effacée.",
        "You will get no more e-mails; your address was erased.",
    ),
    "email_notice_no_server": (
        "Choix enregistré. Ce service n'envoie pas encore de courriel : les notifications restent sur cette page.",
        "Choice saved. This service does not send e-mails yet: notifications stay on this page.",
    ),
    "profile_note": (
        "Le profil de base règle les versions adaptées (EPUB, HTML, audio, braille). Les réglages "
        "d'affichage s'appliquent aux pages d'inclusio.",
        "The base profile sets the adapted versions (EPUB, HTML, audio, braille). The display "
        "settings apply to inclusio's pages.",
    ),
    "request_title": ("Demander une version adaptée", "Request an adapted version"),
    "request_upload": ("Déposer un document", "Upload a document"),
    "file_label": ("Document ({formats})", "Document ({formats})"),
    "or_shared": (
        "ou choisir un document que le service handicap a préparé pour moi",
        "or choose a document disability services prepared for me",
    ),
    "shared_none": ("Aucun document préparé pour moi", "No document prepared for me"),
    "outputs": ("Formats voulus", "Formats wanted"),
    "out_epub": ("Livre numérique (EPUB)", "E-book (EPUB)"),
    "out_html": ("Page web (HTML)", "Web page (HTML)"),
    "out_mp3": ("Audio (MP3)", "Audio (MP3)"),
    "out_brf": ("Braille (BRF)", "Braille (BRF)"),
    "out_report": ("Rapport de lisibilité", "Readability report"),
    "request_button": ("Demander la version adaptée", "Request the adapted version"),
    "need_profile": ("Choisissez d'abord votre profil de base.", "Choose your base profile first."),
    "need_document": (
        "Déposez un document ou choisissez-en un partagé.",
        "Upload a document or choose a shared one.",
    ),
    "shared_by_teachers": ("Documents partagés par vos enseignants", "Shared by your teachers"),
    "shared_help": (
        "Choisissez les formats, puis demandez la version adaptée d'un document : elle est faite pour "
        "votre profil, sans rien déposer.",
        "Choose the formats, then request the adapted version of a document: it is made for your "
        "profile, with nothing to upload.",
    ),
    "shared_search": ("Chercher un cours ou un document", "Search a course or a document"),
    "search_button": ("Chercher", "Search"),
    "show_all": ("Tout afficher", "Show all"),
    "shared_none_teachers": ("Aucun document partagé pour l'instant.", "No shared document yet."),
    "shared_none_match": (
        "Aucun document partagé ne correspond à « {q} ».",
        "No shared document matches “{q}”.",
    ),
    "request_shared": ("Demander la version adaptée : {title}", "Request the adapted version: {title}"),
    "col_title": ("Titre", "Title"),
    "col_course": ("Cours", "Course"),
    "col_file": ("Fichier", "File"),
    "col_shared": ("Partagé le", "Shared on"),
    "no_course": ("(aucun)", "(none)"),
    # teacher
    "teacher_title": ("Préparer un support de cours", "Prepare course material"),
    "teacher_intro": (
        "Déposez un document : vous obtenez en quelques secondes sa lisibilité, les phrases "
        "difficiles, l'audit d'accessibilité et un brouillon facile à lire. La conversion pour le "
        "profil choisi démarre en même temps.",
        "Upload a document: in seconds you get its readability, the hard sentences, the "
        "accessibility audit and an easy-to-read draft. The conversion for the chosen profile "
        "starts at the same time.",
    ),
    "profile_for_job": ("Profil de la conversion", "Profile of the conversion"),
    "preview_submit": ("Analyser et convertir", "Analyse and convert"),
    "preview_of": ("Aperçu de lisibilité : {name}", "Readability preview: {name}"),
    "conversion_started": ("La conversion a démarré.", "The conversion has started."),
    "follow_job": ("Suivre la conversion et télécharger", "Follow the conversion and download"),
    "scores_title": ("Lisibilité par section", "Readability per section"),
    "scores_help": (
        "Score de Kandel et Moles (français) ou de Flesch (anglais) : plus il est haut, plus le "
        "texte est facile. Au-dessous de 50 : difficile.",
        "Kandel–Moles (French) or Flesch (English) score: the higher, the easier. Below 50: hard.",
    ),
    "chart_title": ("Facilité de lecture par section (0 à 100)", "Reading ease per section (0 to 100)"),
    "chart_desc": (
        "Diagramme en barres : une barre par section, sa valeur écrite au bout. Les mêmes données "
        "sont dans le tableau qui suit.",
        "Bar chart: one bar per section, its value written at its end. The same data is in the "
        "table that follows.",
    ),
    "table_caption": (
        "Lisibilité par section (données du diagramme)",
        "Readability per section (chart data)",
    ),
    "col_section": ("Section", "Section"),
    "col_ease": ("Facilité", "Ease"),
    "col_words_sentence": ("Mots par phrase", "Words per sentence"),
    "col_long": ("Phrases longues", "Long sentences"),
    "col_words": ("Mots", "Words"),
    "whole_document": ("Document entier", "Whole document"),
    "untitled_section": ("(avant le premier titre)", "(before the first heading)"),
    "hard_title": ("Phrases et mots difficiles", "Hard sentences and words"),
    "hard_help": (
        "Chaque passage repéré est encadré et suivi du numéro de la règle (règles européennes du "
        "« facile à lire »). La liste dit ce qui gêne et propose une correction.",
        "Each flagged passage is outlined and followed by the rule's number (European easy-to-read "
        "rules). The list says what is wrong and suggests a fix.",
    ),
    "hard_none": ("Aucune phrase difficile repérée.", "No hard sentence found."),
    "hard_more": (
        "{n} autres blocs ont des phrases difficiles (voir le rapport).",
        "{n} more blocks have hard sentences (see the report).",
    ),
    "sentence_n": ("Phrase {n}", "Sentence {n}"),
    "sev_fail": ("à corriger", "to fix"),
    "sev_warn": ("à vérifier", "to check"),
    "suggestion": ("Suggestion : {text}", "Suggestion: {text}"),
    "audit_title": ("Accessibilité du document source", "Accessibility of the source document"),
    "audit_score": ("Score : {score} sur 100", "Score: {score} out of 100"),
    "audit_help": (
        "Un score relatif, pour comparer deux versions du document ; pas une certification.",
        "A relative score, to compare two versions of the document; not a certification.",
    ),
    "audit_ok": ("Réussi", "Passed"),
    "audit_fail": ("À corriger", "To fix"),
    "audit_count": ("{count} sur {total}", "{count} of {total}"),
    "draft_title": (
        "Brouillon facile à lire, à côté de l'original",
        "Easy-to-read draft next to the original",
    ),
    "draft_help": (
        "Brouillon fait par le moteur hors ligne (règles) : à relire par une personne.",
        "Draft made by the offline engine (rules): a person must review it.",
    ),
    "original": ("Original", "Original"),
    "draft": ("Brouillon facile à lire", "Easy-to-read draft"),
    "draft_none": ("Aucun paragraphe n'a été modifié par les règles.", "The rules changed no paragraph."),
    "unchanged": ("(inchangé)", "(unchanged)"),
    "share_title": ("Partager un document avec mes étudiant·e·s", "Share a document with my students"),
    "share_help": (
        "Les étudiant·e·s de votre établissement le trouvent dans « Documents partagés par vos "
        "enseignants » et demandent une version adaptée à leur profil. Ils voient seulement le titre, "
        "le cours et le nom du fichier.",
        "The students of your institution find it under “Shared by your teachers” and request a "
        "version adapted to their profile. They see only the title, the course and the file name.",
    ),
    "share_file": ("Document à partager ({formats})", "Document to share ({formats})"),
    "share_pick": ("ou un de mes documents déjà déposés", "or one of the documents I already uploaded"),
    "share_doc_title": ("Titre vu par les étudiant·e·s (facultatif)", "Title students see (optional)"),
    "share_course": ("Cours : intitulé ou code (facultatif)", "Course: name or code (optional)"),
    "share_submit": ("Partager", "Share"),
    "shares_mine": ("Mes documents partagés", "My shared documents"),
    "shares_none_mine": ("Vous ne partagez aucun document.", "You share no document."),
    "stop_share": ("Arrêter le partage de {title}", "Stop sharing {title}"),
    "share_done": (
        "Document « {title} » partagé avec vos étudiant·e·s.",
        "Document “{title}” shared with your students.",
    ),
    "unshare_done": ("Ce document n'est plus partagé.", "This document is no longer shared."),
    # staff
    "staff_title": ("File de traitement et lots", "Processing queue and batches"),
    "batch_title": ("Déposer un lot", "Submit a batch"),
    "batch_files": ("Documents (plusieurs fichiers possibles)", "Documents (several files allowed)"),
    "batch_zip": ("ou un zip de documents", "or a zip of documents"),
    "batch_name": ("Nom du lot", "Batch name"),
    "batch_for": ("Pour", "For"),
    "batch_profile": ("un profil", "one profile"),
    "batch_profile_label": ("Profil du lot", "Profile of the batch"),
    "batch_cohort": (
        "les étudiant·e·s cochés ci-dessous, chacun·e avec son profil",
        "the students ticked below, each with their own profile",
    ),
    "batch_submit": ("Envoyer le lot", "Submit the batch"),
    "batch_done": (
        "Lot « {name} » : {jobs} tâche(s) créée(s), {rejected} fichier(s) refusé(s).",
        "Batch “{name}”: {jobs} job(s) created, {rejected} file(s) refused.",
    ),
    "rejected_file": ("{name} : {message}", "{name}: {message}"),
    "cohort_title": ("Appliquer un profil à une cohorte", "Apply a profile to a cohort"),
    "cohort_learners": ("Étudiant·e·s", "Students"),
    "cohort_none": ("Aucun·e étudiant·e dans votre établissement.", "No student in your institution."),
    "cohort_current": ("{name} (profil actuel : {profile})", "{name} (current profile: {profile})"),
    "no_profile": ("aucun", "none"),
    "cohort_submit": ("Appliquer le profil", "Apply the profile"),
    "cohort_done": (
        "Profil « {profile} » appliqué à {n} étudiant·e(s).",
        "Profile “{profile}” applied to {n} student(s).",
    ),
    "queue_title": ("File de traitement", "Processing queue"),
    "queue_summary": (
        "{queued} en attente, {running} en cours, {done} terminé(s), {failed} en échec.",
        "{queued} waiting, {running} in progress, {done} done, {failed} failed.",
    ),
    "queue_refresh": ("Actualiser la file", "Refresh the queue"),
    "queue_empty": ("La file est vide.", "The queue is empty."),
    "queue_added": ("{n} nouvelle(s) tâche(s) ajoutée(s) à la file.", "{n} new job(s) added to the queue."),
    "failures_title": ("Échecs et leurs messages", "Failures and their messages"),
    "no_failures": ("Aucun échec.", "No failure."),
    # review
    "review_title": ("Relecture : {name}", "Review: {name}"),
    "review_help": (
        "Pour chaque bloc : l'original à gauche, l'adaptation à droite. Une ligne par paragraphe ; "
        "« - » au début d'une ligne pour un élément de liste. « Approuver » enregistre votre nom et "
        "la date dans la provenance et dans les métadonnées de l'EPUB.",
        "For each block: the original on the left, the adaptation on the right. One line per "
        "paragraph; “- ” at the start of a line for a list item. “Approve” records your name and "
        "the date in the provenance and in the EPUB's metadata.",
    ),
    "review_state": (
        "{reviewed} adaptation(s) approuvée(s) sur {total}.",
        "{reviewed} of {total} adaptation(s) approved.",
    ),
    "review_none": (
        "Ce document n'a aucune adaptation à relire.",
        "This document has no adaptation to review.",
    ),
    "block_heading": ("Bloc {n} : {type}{page}", "Block {n}: {type}{page}"),
    "on_page": (", page {page}", ", page {page}"),
    "type_paragraph": ("paragraphe", "paragraph"),
    "type_figure": ("image", "image"),
    "type_heading": ("titre", "heading"),
    "type_list": ("liste", "list"),
    "type_table": ("tableau", "table"),
    "type_note": ("note", "note"),
    "type_formula": ("formule", "formula"),
    "kind_easy_read": ("Texte facile à lire", "Easy-to-read text"),
    "kind_plain": ("Texte en langage clair", "Plain-language text"),
    "kind_alt_text": ("Texte alternatif de l'image", "Alt text of the image"),
    "kind_translation": ("Traduction", "Translation"),
    "kind_summary": ("Points clés", "Key points"),
    "current_alt": ("Texte alternatif d'origine : {alt}", "Original alt text: {alt}"),
    "no_alt": ("Aucun texte alternatif d'origine.", "No original alt text."),
    "image_of_block": (
        "Image du bloc {n} (son texte alternatif est à relire à droite)",
        "Image of block {n} (its alt text is reviewed on the right)",
    ),
    "state_draft": ("Brouillon non relu ({engine})", "Draft, not reviewed ({engine})"),
    "state_edited": ("Modifié par une personne, pas encore approuvé", "Edited by a person, not approved yet"),
    "state_approved": ("Approuvé par {who} le {at}", "Approved by {who} on {at}"),
    "notes": ("Notes du moteur", "Engine notes"),
    "save": ("Enregistrer", "Save"),
    "save_approve": ("Enregistrer et approuver", "Save and approve"),
    "approve": ("Approuver tel quel", "Approve as it is"),
    "regenerate": ("Régénérer ce bloc", "Regenerate this block"),
    "saved": ("Bloc {n} enregistré.", "Block {n} saved."),
    "approved": ("Bloc {n} approuvé.", "Block {n} approved."),
    "regenerated": ("Bloc {n} régénéré.", "Block {n} regenerated."),
    "release_title": ("Publier pour l'étudiant·e", "Release to the student"),
    "release_help": (
        "Refait les fichiers (EPUB, HTML, audio...) à partir du document relu, en arrière-plan ; ils "
        "remplacent ceux de la tâche quand ils sont prêts. Les adaptations non approuvées restent des "
        "brouillons et l'EPUB le dit.",
        "Makes the files again (EPUB, HTML, audio...) from the reviewed document, in the background; "
        "they replace the job's files once ready. Adaptations not approved stay drafts and the EPUB "
        "says so.",
    ),
    "release": ("Publier la version relue", "Release the reviewed version"),
    "flags_title": ("À relire en priorité : {n} bloc(s) signalé(s)", "Review first: {n} flagged block(s)"),
    "flags_help": (
        "La vérification automatique a signalé ces blocs ; ils sont affichés en premier, puis les autres "
        "dans l'ordre de lecture. Modifier ou approuver un bloc le compte comme relu.",
        "The automatic check flagged these blocks; they are shown first, then the others in reading "
        "order. Editing or approving a block counts as reviewing it.",
    ),
    "flags_none": ("Aucun bloc signalé à relire.", "No flagged block left to review."),
    "flagged_mark": ("Signalé, à relire", "Flagged, to review"),
    "flag_reasons": ("Pourquoi ce texte est signalé :", "Why this text is flagged:"),
    "flag_cleared": ("Signalement levé par la relecture :", "Flag cleared by review:"),
    "others_title": ("Les autres blocs, dans l'ordre de lecture", "The other blocks, in reading order"),
    "release_flagged": (
        "{n} bloc(s) signalé(s) ne sont pas encore relus. Relisez-les (en haut de la page), ou "
        "cochez la case pour publier quand même.",
        "{n} flagged block(s) are not reviewed yet. Review them (at the top of the page), or tick "
        "the box to release anyway.",
    ),
    "accept_unreviewed": (
        "Je confirme la publication avec {n} bloc(s) signalé(s) non relu(s) : l'étudiant·e en est "
        "averti·e dans le document, et ma décision est enregistrée.",
        "I confirm the release with {n} flagged block(s) not reviewed: the student is told so "
        "in the document, and my decision is recorded.",
    ),
    "release_again": ("Publier de nouveau la version relue", "Release the reviewed version again"),
    # the glossary in the review workspace
    "glossary_title": ("Glossaire", "Glossary"),
    "glossary_pending": (
        "À relire en priorité : {n} terme(s) du glossaire à définir ou à vérifier",
        "Review first: {n} glossary term(s) to define or check",
    ),
    "glossary_help": (
        "Un terme sans définition n'est jamais montré à l'étudiant·e : écrivez sa définition, en phrases "
        "simples, ou retirez le terme. Une définition signalée par la vérification automatique se corrige, "
        "s'approuve telle quelle ou se retire. Votre définition est vérifiée comme un texte de machine, "
        "mais elle compte comme relue.",
        "A term without a definition is never shown to the student: write its definition, in simple "
        "sentences, or remove the term. A definition flagged by the automatic check is corrected, approved "
        "as it is, or removed. Your definition is checked like a machine's text, but it counts as reviewed.",
    ),
    "glossary_none": ("Aucun terme à définir ou à vérifier.", "No term left to define or check."),
    "glossary_others": ("Les autres termes du glossaire", "The other glossary terms"),
    "term_to_define": ("À définir", "To define"),
    "term_flagged": ("Signalé, à vérifier", "Flagged, to check"),
    "term_draft": ("Définition non relue ({engine})", "Definition not reviewed ({engine})"),
    "term_approved": ("Relu par {who} le {at}", "Reviewed by {who} on {at}"),
    "term_removed": (
        "Retiré du glossaire par {who} : l'étudiant·e ne le verra pas",
        "Removed from the glossary by {who}: the student will not see it",
    ),
    "term_findings": (
        "Remarques de la vérification automatique (levées par la relecture) :",
        "Remarks of the automatic check (cleared by review):",
    ),
    "definition_of": ("Définition de « {term} »", "Definition of “{term}”"),
    "save_definition": ("Enregistrer la définition", "Save the definition"),
    "approve_definition": ("Approuver la définition telle quelle", "Approve the definition as it is"),
    "remove_term": ("Retirer ce terme du glossaire", "Remove this term from the glossary"),
    "term_saved": ("Définition de « {term} » enregistrée.", "Definition of “{term}” saved."),
    "term_approved_notice": ("Définition de « {term} » approuvée.", "Definition of “{term}” approved."),
    "term_removed_notice": ("« {term} » retiré du glossaire.", "“{term}” removed from the glossary."),
    "term_translated_notice": ("Traduction de « {term} » enregistrée.", "Translation of “{term}” saved."),
    "translation_of": ("Traduction de « {term} » ({lang})", "Translation of “{term}” ({lang})"),
    "save_translation": ("Enregistrer la traduction", "Save the translation"),
    "translation_after_definition": (
        "Écrivez, corrigez ou approuvez d'abord la définition ; la traduction se modifie ensuite.",
        "Write, correct or approve the definition first; the translation can be changed then.",
    ),
    "translation_help": (
        "Enregistrer la traduction approuve aussi la définition telle qu'elle est.",
        "Saving the translation also approves the definition as it is.",
    ),
    # many glossary terms at once
    "bulk_title": ("Relire plusieurs termes à la fois", "Review several terms at once"),
    "bulk_help": (
        "Chaque terme est enregistré comme si vous l'aviez traité seul (votre nom, la date). Cochez la case "
        "pour confirmer le nombre de termes concernés.",
        "Each term is recorded as if you had handled it alone (your name, the date). Tick the box to confirm "
        "the number of terms concerned.",
    ),
    "bulk_terms": ("Voir les {n} terme(s) concerné(s)", "See the {n} term(s) concerned"),
    "bulk_legend_remove": ("Les termes à définir", "The terms to define"),
    "bulk_legend_approve": ("Les définitions {origin}", "The definitions {origin}"),
    "bulk_remove_confirm": (
        "Je confirme : retirer du glossaire de l'étudiant·e les {n} terme(s) sans définition (je peux encore "
        "en définir un ensuite).",
        "I confirm: remove the {n} term(s) without a definition from the student's glossary (I can still "
        "define one afterwards).",
    ),
    "bulk_remove_button": (
        "Retirer les {n} terme(s) sans définition",
        "Remove the {n} term(s) without a definition",
    ),
    "bulk_approve_confirm": (
        "Je confirme : approuver telles quelles les {n} définition(s) {origin} non relues, dont {f} "
        "signalée(s) par la vérification automatique.",
        "I confirm: approve as they are the {n} definition(s) {origin} not reviewed, {f} of them flagged by "
        "the automatic check.",
    ),
    "bulk_approve_button": (
        "Approuver les {n} définition(s) {origin}",
        "Approve the {n} definition(s) {origin}",
    ),
    "origin_document": ("tirées du document", "taken from the document"),
    "origin_model": ("écrites par le modèle", "written by the model"),
    "origin_course": ("données pour le cours", "given for the course"),
    "origin_lexicon": ("tirées du lexique des sigles", "taken from the acronym lexicon"),
    "bulk_removed_notice": (
        "{n} terme(s) sans définition retiré(s) du glossaire.",
        "{n} term(s) without a definition removed from the glossary.",
    ),
    "bulk_approved_notice": ("{n} définition(s) approuvée(s).", "{n} definition(s) approved."),
    "bulk_unconfirmed": (
        "Rien n'a été changé : cochez la case de confirmation avant de valider.",
        "Nothing was changed: tick the confirmation box first.",
    ),
    "bulk_changed": (
        "Rien n'a été changé : le glossaire a changé depuis l'affichage de la page. Relisez le nombre de "
        "termes et confirmez de nouveau.",
        "Nothing was changed: the glossary changed since the page was shown. Check the number of terms and "
        "confirm again.",
    ),
    "release_flagged_terms": (
        "{n} terme(s) du glossaire à définir ou à vérifier ne sont pas encore relus. Définissez, "
        "approuvez ou retirez chacun (dans le glossaire, en haut de la page), ou cochez la case pour "
        "publier quand même.",
        "{n} glossary term(s) to define or check are not reviewed yet. Define, approve or remove each "
        "one (in the glossary, at the top of the page), or tick the box to release anyway.",
    ),
    "accept_unreviewed_terms": (
        "Je confirme la publication avec {n} bloc(s) signalé(s) et {m} terme(s) du glossaire non relus : "
        "les termes sans définition ne sont pas montrés à l'étudiant·e, et ma décision est enregistrée.",
        "I confirm the release with {n} flagged block(s) and {m} glossary term(s) not reviewed: terms "
        "without a definition are not shown to the student, and my decision is recorded.",
    ),
    # the reader in the browser (web/reader.py, templates/read.html)
    "rd_title": ("Lire : {name}", "Read: {name}"),
    "rd_status_none": ("Version produite automatiquement.", "Version made automatically."),
    "rd_back": ("Retour à la page du document (téléchargements)", "Back to the document's page (downloads)"),
    "rd_toc": ("Table des matières", "Contents"),
    "rd_tools": ("Affichage", "Display"),
    "rd_ruler_on": ("Activer la règle de lecture", "Turn the reading ruler on"),
    "rd_ruler_off": ("Désactiver la règle de lecture", "Turn the reading ruler off"),
    "rd_ruler_hint": (
        "La règle de lecture surligne la ligne sous le pointeur et la phrase lue.",
        "The reading ruler highlights the line under the pointer and the sentence being read.",
    ),
    "rd_points_hide": ("Masquer les points clés", "Hide the key points"),
    "rd_points_show": ("Afficher les points clés", "Show the key points"),
    "rd_help_link": ("Raccourcis clavier et aide", "Keyboard shortcuts and help"),
    "rd_player": ("Lecture audio", "Audio player"),
    "rd_play": ("Lire", "Play"),
    "rd_pause": ("Pause", "Pause"),
    "rd_resume": ("Reprendre", "Resume"),
    "rd_prev": ("Phrase précédente", "Previous sentence"),
    "rd_next": ("Phrase suivante", "Next sentence"),
    "rd_speed": ("Vitesse", "Speed"),
    "rd_where": ("Reprise : partie {n}, {time}", "Resume: part {n}, {time}"),
    "rd_shortcut": (
        "Pause et reprise au clavier : Alt+Maj+P.",
        "Pause and resume from the keyboard: Alt+Shift+P.",
    ),
    "rd_listen": ("Écouter : {title}", "Listen: {title}"),
    "rd_download_audio": ("Télécharger l'audio de cette partie", "Download this part's audio"),
    "rd_glossary": ("Glossaire", "Glossary"),
    "rd_help": ("Aide", "Help"),
    "rd_help_keys": (
        "Alt+Maj+P met la lecture en pause ou la reprend, où que soit le curseur ; les boutons du lecteur "
        "s'utilisent avec Tab et Entrée. Ces touches ne gênent pas les lecteurs d'écran.",
        "Alt+Shift+P pauses or resumes the audio wherever the focus is; the player's buttons work with Tab "
        "and Enter. These keys do not clash with screen readers.",
    ),
    "rd_help_click": (
        "Cliquez sur une phrase pour lancer la lecture à cet endroit. Un mot souligné en pointillés ouvre "
        "sa définition.",
        "Click a sentence to start reading there. A word underlined with dots opens its definition.",
    ),
    "rd_help_nojs": (
        "Sans JavaScript, le texte reste lisible et chaque partie a son propre lecteur audio.",
        "Without JavaScript, the text stays readable and each part has its own audio player.",
    ),
    "rd_help_position": (
        "L'endroit où vous vous êtes arrêté·e est gardé avec votre compte, pour ce document, et effacé avec lui.",
        "Where you stopped is kept with your account, for this document, and erased with it.",
    ),
}


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **fields)`` in ``lang`` (French for anything else than ``en``)."""
    index = 1 if lang == "en" else 0

    def t(key: str, **fields: Any) -> str:
        text = TEXT[key][index]
        return text.format(**fields) if fields else text

    return t


# -- LTI 1.3: pages of a launch from a course platform (inclusio.lti; issue #14) ---------------------
TEXT.update(
    {
        "lti_error_title": ("Lancement refusé", "Launch refused"),
        "lti_error_nothing": (
            "Rien n'a été créé ni enregistré pour cette demande.",
            "Nothing was created or recorded for this request.",
        ),
        "lti_new_window": (
            "Ouvrir inclusio dans une nouvelle fenêtre (nouvel onglet)",
            "Open inclusio in a new window (new tab)",
        ),
        "lti_continue_title": ("Connexion depuis votre cours", "Signing in from your course"),
        "lti_continue": ("Continuer vers inclusio", "Continue to inclusio"),
        "lti_profile_title": ("Choisissez votre profil de lecture", "Choose your reading profile"),
        "lti_profile_intro": (
            "Avant d'ouvrir « {title} », choisissez une fois votre profil de lecture : vos versions "
            "accessibles seront faites pour lui. Vous pourrez le changer sur votre page.",
            "Before opening “{title}”, choose your reading profile once: your accessible versions will be "
            "made for it. You can change it on your page.",
        ),
        "lti_profile_save": ("Enregistrer et ouvrir le document", "Save and open the document"),
        "lti_dl_title": (
            "Ajouter un document accessible au cours",
            "Add an accessible document to the course",
        ),
        "lti_dl_course": ("Cours : {course}", "Course: {course}"),
        "lti_dl_pick": ("Un de vos documents partagés", "One of your shared documents"),
        "lti_dl_documents": ("Vos documents", "Your documents"),
        "lti_dl_add": ("Ajouter au cours", "Add to the course"),
        "lti_dl_upload": ("Ou déposer un nouveau document", "Or upload a new document"),
        "lti_dl_file": ("Document ({formats})", "Document ({formats})"),
        "lti_dl_doc_title": ("Titre montré aux étudiant·es (facultatif)", "Title students see (optional)"),
        "lti_dl_return_title": ("Retour au cours", "Back to the course"),
        "lti_dl_return_text": (
            "Le lien vers les versions accessibles est prêt. S'il ne s'ajoute pas tout seul, utilisez le "
            "bouton.",
            "The link to the accessible versions is ready. If it is not added by itself, use the button.",
        ),
        "lti_dl_return_button": ("Ajouter le lien au cours", "Add the link to the course"),
    }
)


# -- staff: the queue dashboard, the batch form, the review workspace's actions (issue #17) -----------------
TEXT.update(
    {
        "col_student": ("Étudiant·e", "Student"),
        "queue_table_region": ("Tableau de la file", "Queue table"),
        "table_region_of": ("Tableau : {name}", "Table: {name}"),
        "col_batch": ("Lot", "Batch"),
        "col_waiting": ("Attente", "Waiting"),
        "col_flags": ("À relire", "To review"),
        "queue_no_student": ("aucun·e (lot pour un profil)", "none (batch for a profile)"),
        "queue_no_batch": ("hors lot", "no batch"),
        "queue_unnamed_batch": ("lot sans nom", "unnamed batch"),
        "queue_flags_na": ("pas encore", "not yet"),
        "queue_flags_failed": ("sans objet (échec)", "none (failed)"),
        "queue_flags": ("{blocks} bloc(s), {terms} terme(s)", "{blocks} block(s), {terms} term(s)"),
        "queue_flags_none": ("rien de signalé", "nothing flagged"),
        "queue_none_match": (
            "Aucune tâche ne correspond à ces filtres.",
            "No job matches these filters.",
        ),
        "queue_shown": ("{n} tâche(s) affichée(s) sur {m}.", "{n} of {m} job(s) shown."),
        "queue_show_all": ("Voir toute la file", "Show the whole queue"),
        "filters_title": ("Filtrer et trier la file", "Filter and sort the queue"),
        "filter_all": ("Tous", "All"),
        "filter_flagged": (
            "Seulement les tâches avec des passages signalés à relire",
            "Only jobs with flagged passages to review",
        ),
        "filter_apply": ("Afficher", "Show"),
        "sort_by": ("Trier par", "Sort by"),
        "sort_direction": ("Ordre", "Order"),
        "sort_desc": (
            "décroissant (le plus récent, long ou nombreux d'abord ; Z à A)",
            "descending (newest, longest or most first; Z to A)",
        ),
        "sort_asc": (
            "croissant (A à Z ; le plus ancien, court ou rare d'abord)",
            "ascending (A to Z; oldest, shortest or fewest first)",
        ),
        "sort_created": ("date de dépôt", "date submitted"),
        "sort_waiting": ("attente", "waiting time"),
        "sort_flags": ("passages à relire", "passages to review"),
        "sort_status": ("état", "status"),
        "sort_title": ("titre du document", "document title"),
        "sort_student": ("étudiant·e", "student"),
        "sort_batch": ("lot", "batch"),
        "sort_profile": ("profil", "profile"),
        "batch_result_title": ("Lot « {name} »", "Batch “{name}”"),
        "rejected_title": ("Fichiers refusés ({n})", "Files refused ({n})"),
        "batch_another": ("Déposer un autre lot", "Submit another batch"),
        "choose_profile": ("— Choisir un profil —", "— Choose a profile —"),
        "batch_profile_help": (
            "Aucun profil n'est choisi d'avance. Le dernier choix de la liste convertit chaque document pour "
            "chaque étudiant·e coché·e ci-dessous, avec son propre profil.",
            "No profile is chosen in advance. The list's last choice converts each document for each student "
            "ticked below, with their own profile.",
        ),
        "batch_learners": (
            "Étudiant·e·s (pour « chacun·e avec son profil »)",
            "Students (for “each with their own profile”)",
        ),
        "review_to_actions": (
            "Aller aux actions : tout approuver sauf les blocs signalés, publier",
            "Go to the actions: approve all unflagged blocks, release",
        ),
        "review_actions_title": ("Actions de relecture", "Review actions"),
        "approve_unflagged": (
            "Approuver les {n} adaptation(s) non signalée(s)",
            "Approve the {n} unflagged adaptation(s)",
        ),
        "approve_unflagged_help": (
            "Approuve telles quelles, en une fois, les {n} adaptation(s) non relue(s) que la vérification "
            "automatique n'a pas signalées, à votre nom. Les {f} bloc(s) signalé(s) restent à lire un par un.",
            "Approves as they are, at once and in your name, the {n} adaptation(s) not reviewed that the "
            "automatic check did not flag. The {f} flagged block(s) are left for you to read one by one.",
        ),
        "unflagged_approved_notice": (
            "{n} adaptation(s) non signalée(s) approuvée(s).",
            "{n} unflagged adaptation(s) approved.",
        ),
        "regenerated_same": (
            "Bloc {n} : le moteur a redonné le même texte, rien n'a changé (l'état du bloc est gardé).",
            "Block {n}: the engine gave the same text again, nothing changed (the block keeps its state).",
        ),
    }
)

# reports for the institution (issue #15): their words live with them (inclusio.reports.words)
from inclusio.reports.words import REPORT_TEXT  # noqa: E402

TEXT.update(REPORT_TEXT)

# the teacher's feedback pages (issue #17): their words live with them (inclusio.web.teacher_words)
from inclusio.web.teacher_words import TEACHER_TEXT  # noqa: E402

TEXT.update(TEACHER_TEXT)


# -- LTI 1.3: the administrator's page of the tool (inclusio.lti.admin; issue #14) -----------------------
TEXT.update(
    {
        "lti_admin_title": ("Plateformes de cours (LTI 1.3)", "Course platforms (LTI 1.3)"),
        "lti_admin_added": ("Plateforme enregistrée.", "Platform registered."),
        "lti_admin_removed": ("Plateforme retirée.", "Platform removed."),
        "lti_admin_rotated": (
            "Nouvelle clé de signature publiée ; les anciennes restent publiées.",
            "New signing key published; the older ones stay published.",
        ),
        "lti_admin_urls": ("Adresses à donner à la plateforme", "Addresses to give the platform"),
        "lti_admin_login_url": ("Connexion (initiate login URL)", "Initiate login URL"),
        "lti_admin_launch_url": (
            "Lancement, redirection et liens profonds (tool URL, redirection URI)",
            "Launch, redirection and deep linking (tool URL, redirection URI)",
        ),
        "lti_admin_jwks_url": (
            "Clés publiques de l'outil (keyset URL)",
            "The tool's public keys (keyset URL)",
        ),
        "lti_admin_platforms": ("Plateformes enregistrées", "Registered platforms"),
        "lti_admin_none": ("Aucune plateforme n'est enregistrée.", "No platform is registered."),
        "lti_admin_client_id": ("Identifiant client", "Client id"),
        "lti_admin_deployments": ("Identifiants de déploiement", "Deployment ids"),
        "lti_admin_deployments_hint": (
            "Séparés par des espaces ou des virgules.",
            "Separated by spaces or commas.",
        ),
        "lti_admin_institution": ("Établissement", "Institution"),
        "lti_admin_jwks": ("Adresse des clés publiques de la plateforme", "The platform's public keyset URL"),
        "lti_admin_auth": ("Adresse d'autorisation (auth login URL)", "Authorization (auth login) URL"),
        "lti_admin_token": ("Adresse des jetons d'accès (token URL)", "Access token URL"),
        "lti_admin_issuer": ("Émetteur (issuer, platform ID)", "Issuer (platform ID)"),
        "lti_admin_staff_role": ("Rôle du service handicap", "Disability-services role"),
        "lti_admin_staff_role_hint": (
            "Le rôle de la plateforme dont les personnes deviennent « service handicap » dans inclusio (facultatif).",
            "The platform role whose people become disability services in inclusio (optional).",
        ),
        "lti_admin_names": (
            "Garder le nom envoyé par la plateforme (sinon rien que l'émetteur et l'identifiant)",
            "Keep the name the platform sends (otherwise only the issuer and the subject)",
        ),
        "lti_admin_yes": ("oui", "yes"),
        "lti_admin_no": ("non", "no"),
        "lti_admin_remove": ("Retirer {issuer}", "Remove {issuer}"),
        "lti_admin_add": ("Enregistrer une plateforme", "Register a platform"),
        "lti_admin_add_button": ("Enregistrer la plateforme", "Register the platform"),
        "lti_admin_keys": ("Clés de l'outil", "The tool's keys"),
        "lti_admin_signing": ("(signe les réponses)", "(signs the answers)"),
        "lti_admin_rotate_hint": (
            "Une nouvelle clé signe désormais ; les anciennes restent publiées jusqu'à leur retrait "
            "(inclusio lti retire-key).",
            "A new key signs from now on; the older ones stay published until retired (inclusio lti retire-key).",
        ),
        "lti_admin_rotate": ("Changer de clé de signature", "Rotate the signing key"),
    }
)


# -- LTI 1.3: Dynamic Registration (inclusio.lti.dynamic; issue #14) -------------------------------------
TEXT.update(
    {
        "lti_admin_dynamic": (
            "Installation automatique (Dynamic Registration)",
            "Automatic install (Dynamic Registration)",
        ),
        "lti_admin_dynamic_hint": (
            "Créez une adresse d'installation à usage unique (valable 24 heures) et collez-la dans la plateforme "
            "(Moodle : « Tool URL » de « Manage tools » ; Canvas : « Dynamic Registration »).",
            "Make a one-time install address (valid 24 hours) and paste it into the platform (Moodle: “Tool URL” "
            "in “Manage tools”; Canvas: “Dynamic Registration”).",
        ),
        "lti_admin_dynamic_url": ("Adresse d'installation (à usage unique) :", "Install address (one use):"),
        "lti_admin_dynamic_button": ("Créer une adresse d'installation", "Make an install address"),
        "lti_registered_title": ("inclusio est installé", "inclusio is installed"),
        "lti_registered_text": (
            "La plateforme {issuer} est enregistrée. Vous pouvez fermer cette fenêtre.",
            "The platform {issuer} is registered. You can close this window.",
        ),
    }
)


# -- LTI 1.3: an instructor's launch, the course's documents (inclusio.lti.course; issue #14) ------------
TEXT.update(
    {
        "lti_course_title": ("Documents du cours {course}", "Documents of the course {course}"),
        "lti_course_intro": (
            "Les documents partagés pour ce cours, avec l'accessibilité de leur fichier d'origine et leur "
            "facilité de lecture : ce qu'il faut corriger dans l'original pour que chaque version soit meilleure.",
            "The documents shared for this course, with the accessibility of their original file and their "
            "reading ease: what to fix in the original so that every version is better.",
        ),
        "lti_course_none": (
            "Aucun document n'est encore partagé pour ce cours. Ajoutez-en un depuis la plateforme "
            "(« Sélectionner un contenu ») ou sur votre page.",
            "No document is shared for this course yet. Add one from the platform (“Select content”) or on "
            "your page.",
        ),
        "lti_course_file": ("Fichier : {name}", "File: {name}"),
        "lti_course_audit": ("Accessibilité du fichier d'origine", "Accessibility of the original file"),
        "lti_course_score": ("{score} sur 100", "{score} out of 100"),
        "lti_course_ease": ("Facilité de lecture", "Reading ease"),
        "lti_course_no_ease": ("trop court pour être mesuré", "too short to measure"),
        "lti_course_fix": ("À corriger dans l'original", "To fix in the original"),
        "lti_course_all_ok": ("Rien à corriger d'après l'audit.", "Nothing to fix according to the audit."),
        "lti_course_teacher_page": ("Ma page enseignant·e", "My teacher page"),
        "lti_band_very_easy": ("très facile", "very easy"),
        "lti_band_easy": ("facile", "easy"),
        "lti_band_fairly_easy": ("assez facile", "fairly easy"),
        "lti_band_standard": ("standard", "standard"),
        "lti_band_fairly_difficult": ("assez difficile", "fairly difficult"),
        "lti_band_difficult": ("difficile", "difficult"),
        "lti_band_very_difficult": ("très difficile", "very difficult"),
    }
)


# -- LTI 1.3: a course's roster for staff (inclusio.lti.nrps; issue #14) --------------------------------
TEXT.update(
    {
        "lti_roster_title": ("Liste du cours {course}", "Roster of the course {course}"),
        "lti_roster_intro": (
            "Les membres du cours d'après la plateforme. Les noms sont montrés, jamais enregistrés ; un profil "
            "se choisit pour un·e étudiant·e qui a déjà ouvert inclusio depuis la plateforme.",
            "The course's members according to the platform. Names are shown, never stored; a profile can be "
            "chosen for a student who has already opened inclusio from the platform.",
        ),
        "lti_roster_unnamed": ("Membre {n}", "Member {n}"),
        "lti_roster_account": ("a un compte inclusio", "has an inclusio account"),
        "lti_roster_no_account": ("pas encore de compte inclusio", "no inclusio account yet"),
        "lti_roster_profile": ("Profil de {name}", "Profile of {name}"),
        "lti_roster_choose": ("Choisir un profil", "Choose a profile"),
        "lti_roster_save": ("Enregistrer le profil de {name}", "Save the profile of {name}"),
        "lti_roster_saved": ("Profil enregistré.", "Profile saved."),
    }
)
