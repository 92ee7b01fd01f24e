"""The three journeys in a real browser: sign in, upload, watch progress, review, download.

Every page visited is checked with axe-core (0 violations: WCAG 2.1 A/AA and best practices) and
photographed. The server, the worker and the browser are shared with the other modules (tests/web/conftest.py);
the accounts are this module's own.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from web_fixtures import AXE, PASSWORD, ROOT, Server

SAMPLES = ROOT / "samples"
JOB_TIMEOUT_MS = 90_000


def axe_clean(page: Any, what: str) -> None:
    """Run axe-core on the page as it is now: no violation at all.

    axe is evaluated through the DevTools protocol: a ``<script>`` tag would be (rightly) refused by the
    pages' Content-Security-Policy, which these journeys keep on."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                             nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
    }""")
    assert violations == [], f"axe on {what}: {violations}"
    # and nothing of the page was refused by its Content-Security-Policy (web_fixtures.WatchedBrowser)
    assert page.evaluate("window.__cspViolations || []") == [], f"CSP refusals on {what}"


MAX_SHOT_HEIGHT = 1800


def snap(page: Any, shots: Path, name: str, part: Any = None) -> None:
    """A small PNG of the page (or of one ``part`` of it): its first 1800 CSS pixels, in 64 colours
    (docs/screenshots stays light)."""
    import io

    from PIL import Image

    raw = (
        part.screenshot(scale="css", type="png")
        if part is not None
        else page.screenshot(full_page=True, scale="css", type="png")
    )
    image = Image.open(io.BytesIO(raw)).convert("RGB")
    image = image.crop((0, 0, image.width, min(image.height, MAX_SHOT_HEIGHT)))
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(shots / f"{name}.png", optimize=True)


def check_page(page: Any, shots: Path, name: str, part: Any = None) -> None:
    axe_clean(page, name)
    snap(page, shots, name, part)


def sign_in(page: Any, server: Server, username: str) -> None:
    # Pages that convert at once (the teacher's preview) can take long on a busy 2-core machine.
    page.set_default_timeout(JOB_TIMEOUT_MS)
    page.goto(f"{server.base}/web/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_label("Nom d'utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def release_and_download_epub(page: Any, server: Server, job_id: str, dest: Path) -> Path:
    """On the review page: publish the reviewed version, wait for the release, save the student's EPUB."""
    page.get_by_role("button", name="Publier la version relue").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/web/jobs/{job_id}")
    try:
        page.wait_for_function(
            "() => document.getElementById('release').dataset.state === 'released'", timeout=JOB_TIMEOUT_MS
        )
    except Exception:  # noqa: BLE001 - show the logs of the server and worker
        raise AssertionError(server.logs()) from None
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le livre numérique (EPUB)").click()
    download.value.save_as(dest)
    return dest


def wait_job_done(page: Any, server: Server) -> str:
    """On a job page: the status word becomes a finished one (Server-Sent Events, then a reload)."""
    word = page.locator("#job-status-word")
    try:
        page.wait_for_function(
            "() => ['terminé', 'done', 'échec', 'failed', 'terminé en partie', 'partly done']"
            ".includes(document.getElementById('job-status-word').textContent.trim()) "
            "&& document.getElementById('job').dataset.finished === 'true'",
            timeout=JOB_TIMEOUT_MS,
        )
    except Exception:  # noqa: BLE001 - show the logs of the server and worker
        raise AssertionError(server.logs()) from None
    return str(word.inner_text()).strip()


def test_sign_in_refuses_a_wrong_password_and_a_forged_form(
    browser: Any, server: Server, shots: Path
) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server.base}/web/student")
    assert page.url.endswith("/web/sign-in?next=/web/student")
    check_page(page, shots, "sign-in")
    page.get_by_label("Nom d'utilisateur").fill("student1")
    page.get_by_label("Mot de passe").fill("wrong password")
    page.get_by_role("button", name="Se connecter").click()
    assert page.get_by_role("alert").inner_text() == "Nom d'utilisateur ou mot de passe incorrect."
    assert page.get_by_label("Mot de passe").get_attribute("aria-invalid") == "true"
    axe_clean(page, "sign-in failed")
    # A form posted without the CSRF cookie's twin is refused, with a page that says why.
    answer = context.request.post(
        f"{server.base}/web/sign-in",
        form={"username": "student1", "password": PASSWORD, "csrf_token": "forged"},
    )
    assert answer.status == 403 and "formulaire a expiré" in answer.text()
    cookies = {c["name"]: c for c in context.cookies()}
    assert cookies["inclusio_csrf"]["httpOnly"] and cookies["inclusio_csrf"]["sameSite"] == "Strict"
    context.close()


def test_password_page(browser: Any, server: Server, shots: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "student2")
    page.get_by_role("link", name="Mot de passe").click()
    assert page.locator("h1").inner_text() == "Changer de mot de passe"
    check_page(page, shots, "password")
    page.get_by_label("Mot de passe actuel").fill("pas le bon")
    page.get_by_label("Nouveau mot de passe (8 caractères au moins)").fill("nouveau-secret-1")
    page.get_by_label("Nouveau mot de passe, une seconde fois").fill("nouveau-secret-1")
    page.get_by_role("button", name="Changer le mot de passe").click()
    assert page.get_by_role("alert").inner_text() == "Le mot de passe actuel est incorrect."
    assert page.get_by_label("Mot de passe actuel").get_attribute("aria-invalid") == "true"
    axe_clean(page, "password refused")
    context.close()


def test_student_journey(browser: Any, server: Server, shots: Path, tmp_path: Path) -> None:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    sign_in(page, server, "student1")
    assert page.url.endswith("/web/student")
    session = {c["name"]: c for c in context.cookies()}["inclusio_session"]
    assert session["httpOnly"] and session["sameSite"] == "Strict"

    # Base profile and adjustments, previewed live (CSS variables set by the script).
    page.get_by_label("Dyslexie").check()
    page.get_by_label("Taille du texte (%)").fill("140")
    preview = page.locator("#preview")
    assert preview.evaluate("e => e.style.getPropertyValue('--pv-size')") == "1.4rem"
    assert preview.evaluate("e => getComputedStyle(e).fontSize") == "22.4px"
    assert page.get_by_role("button", name="Voir l'aperçu").is_hidden()  # the no-script button
    check_page(page, shots, "student-profile")
    page.get_by_role("button", name="Enregistrer mon profil").click()
    assert page.get_by_role("status").first.inner_text() == "Profil enregistré."
    assert page.get_by_label("Dyslexie").is_checked()

    # Request an adapted version of an upload, without audio (faster), and follow it.
    page.get_by_label("Document (PDF, PPTX, DOCX, ODT, ODP, HTML ou Markdown)").set_input_files(
        str(SAMPLES / "handout-water-cycle-en.docx")
    )
    page.get_by_label("Audio (MP3)").uncheck()
    page.get_by_role("button", name="Demander la version adaptée").click()
    assert re.search(r"/web/jobs/[0-9a-f]{32}$", page.url)
    assert page.locator("#job-progress").evaluate("e => e.tagName") == "PROGRESS"
    assert page.locator("#job-live").get_attribute("aria-live") == "polite"
    axe_clean(page, "job page (running)")
    assert wait_job_done(page, server) == "terminé"
    check_page(page, shots, "student-job")
    assert page.locator("#job-progress").get_attribute("value") == "100"

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le livre numérique (EPUB)").click()
    epub = tmp_path / download.value.suggested_filename
    download.value.save_as(epub)
    assert epub.name == "handout-water-cycle-en.epub"
    with zipfile.ZipFile(epub) as book:
        assert book.read("mimetype") == b"application/epub+zip"
        # The size the student chose on the profile page is the book's own (not only the preview's).
        css = next(name for name in book.namelist() if name.endswith("inclusio.css"))
        assert "font-size: 1.4rem" in book.read(css).decode("utf-8")
    assert page.get_by_role("link", name="Télécharger la page web (HTML)").count() == 1
    assert page.get_by_role("link", name=re.compile("audio")).count() == 0

    # The same page in English: the language switch sets the lang attribute, axe still clean.
    page.get_by_role("link", name="Read this page in English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Download the e-book (EPUB)").count() == 1
    check_page(page, shots, "student-job-en")
    page.goto(f"{server.base}/web/student")
    assert page.locator("#jobs-h").inner_text() == "My adapted documents"
    axe_clean(page, "student page (en)")
    context.close()


def test_teacher_journey(browser: Any, server: Server, shots: Path, tmp_path: Path) -> None:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    sign_in(page, server, "teacher1")
    assert page.url.endswith("/web/teacher")
    check_page(page, shots, "teacher-upload")
    page.get_by_label("Document (PDF, PPTX, DOCX, ODT, ODP, HTML ou Markdown)").set_input_files(
        str(SAMPLES / "cours-photosynthese-fr.pdf")
    )
    page.get_by_label("Profil de la conversion").select_option("easy-read")
    page.get_by_role("button", name="Analyser et convertir").click()
    page.wait_for_load_state()
    # The preview is made in the background: its page shows the progress, then the preview (issue 17).
    page.locator("h1", has_text="Retour sur le document : cours-photosynthese-fr.pdf").wait_for(
        timeout=JOB_TIMEOUT_MS
    )
    assert page.locator("h1").inner_text() == "Retour sur le document : cours-photosynthese-fr.pdf"

    # Readability per passage: an SVG chart with a title and a description, and each section in a table.
    chart = page.locator("svg.chart")
    assert chart.get_attribute("role") == "img"
    assert chart.locator("title").text_content() == "Facilité de lecture par passage (0 à 100)"
    assert chart.locator("rect.bar").count() >= 1
    assert page.locator("table.passages tbody tr").count() >= chart.locator("rect.bar").count()
    # Hard sentences highlighted with their rule and a suggestion; the source's audit; the draft.
    assert page.locator("mark.hard-sentence").count() >= 1
    assert page.locator("sup.rules").first.inner_text().startswith("[T")
    assert "Suggestion" in page.locator("ul.hits li").first.inner_text()
    assert re.fullmatch(r"Accessibilité : \d+ sur 100", page.locator(".figure-access").inner_text())
    # the chart has no alt text: the first finding, located on its page
    assert (
        page.locator("article.finding h3").first.inner_text().startswith("1. Les images ont une alternative")
    )
    assert page.locator("article.finding .places li").first.inner_text().startswith("page ")
    side = page.locator("table.side")
    assert side.locator("thead th").all_inner_texts() == ["Original", "Brouillon facile à lire"]
    assert side.locator("tbody tr").count() >= 1
    check_page(page, shots, "teacher-preview")

    page.get_by_role("link", name="Suivre la conversion et télécharger").click()
    assert wait_job_done(page, server) == "terminé"
    check_page(page, shots, "teacher-job")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger la page web (HTML)").click()
    html = tmp_path / download.value.suggested_filename
    download.value.save_as(html)
    assert html.name == "cours-photosynthese-fr.html" and "<html" in html.read_text()

    # Share it with the students (no new upload: one of my documents), and a slide deck uploaded to share.
    page.get_by_role("link", name="Préparer un cours").click()
    page.wait_for_load_state()
    page.get_by_label("ou un de mes documents déjà déposés").select_option(label="cours-photosynthese-fr.pdf")
    page.get_by_label("Titre vu par les étudiant·e·s (facultatif)").fill("La photosynthèse")
    page.get_by_label("Cours : intitulé ou code (facultatif)").fill("BIO-101")
    page.get_by_role("button", name="Partager", exact=True).click()
    page.wait_for_load_state()
    assert (
        page.locator("p.notice").inner_text()
        == "Document « La photosynthèse » partagé avec vos étudiant·e·s."
    )
    page.get_by_label("Document à partager (PDF, PPTX, DOCX, ODT, ODP, HTML ou Markdown)").set_input_files(
        str(SAMPLES / "diaporama-cellule-fr.pptx")
    )
    page.get_by_label("Cours : intitulé ou code (facultatif)").fill("BIO-102")
    page.get_by_role("button", name="Partager", exact=True).click()
    page.wait_for_load_state()
    shared = page.locator("table.shares tbody tr")
    assert shared.count() == 2
    assert shared.locator("th").all_inner_texts() == ["diaporama-cellule-fr.pptx", "La photosynthèse"]
    assert page.get_by_role("button", name="Arrêter le partage de La photosynthèse").count() == 1
    check_page(page, shots, "teacher-shares")
    context.close()


def test_student_requests_a_shared_document_in_one_step(
    browser: Any, server: Server, shots: Path, tmp_path: Path
) -> None:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    sign_in(page, server, "student2")
    page.get_by_label("Dyslexie").check()
    page.get_by_role("button", name="Enregistrer mon profil").click()
    page.wait_for_load_state()
    shares = page.locator("#teacher-shares")
    assert shares.get_by_role("heading").inner_text() == "Documents partagés par vos enseignants"
    assert shares.locator("tbody tr").count() == 2
    # Students find a course by its code; they see title, course and file name, not who shared it.
    page.get_by_role("searchbox", name="Chercher un cours ou un document").fill("bio-101")
    page.get_by_role("button", name="Chercher").click()
    page.wait_for_load_state()
    rows = shares.locator("tbody tr")
    assert rows.count() == 1
    assert rows.first.locator("th, td").all_inner_texts()[:3] == [
        "La photosynthèse",
        "BIO-101",
        "cours-photosynthese-fr.pdf",
    ]
    assert "teacher1" not in shares.inner_text()
    assert page.url.endswith("/web/student?search=bio-101#teachers-h")  # back at the list after searching
    check_page(page, shots, "student-shared", part=shares)

    # One step: formats, then the document's button (no upload; the student's profile and settings).
    shares.get_by_label("Audio (MP3)").uncheck()
    shares.get_by_role("button", name="Demander la version adaptée : La photosynthèse").click()
    assert re.search(r"/web/jobs/[0-9a-f]{32}$", page.url)
    job_url = page.url
    assert wait_job_done(page, server) == "terminé"
    assert page.locator("h1").inner_text() == "La photosynthèse"  # the teacher's title, not the file name
    assert page.get_by_role("link", name=re.compile("audio")).count() == 0
    # The student's short list (read online first, no technical file) and what a person reviewed: nothing yet.
    assert page.locator("#downloads a").first.inner_text() == "Lire en ligne"
    assert page.get_by_role("link", name=re.compile("rapport|JSON")).count() == 0
    assert page.locator("#review-status .review-label").inner_text() == "Brouillon automatique, non relu"
    axe_clean(page, "student's job page (shared document)")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le livre numérique (EPUB)").click()
    epub = tmp_path / download.value.suggested_filename
    download.value.save_as(epub)
    assert epub.name == "cours-photosynthese-fr.epub" and zipfile.is_zipfile(epub)

    # Another student never sees it; the teacher stops sharing the other document.
    other = browser.new_context()
    other_page = other.new_page()
    sign_in(other_page, server, "student1")
    answer = other_page.goto(job_url)
    assert answer is not None and answer.status == 404
    assert "Aucune tâche ne porte ce numéro" in other_page.get_by_role("alert").inner_text()
    other.close()
    teacher = browser.new_context()
    teacher_page = teacher.new_page()
    sign_in(teacher_page, server, "teacher1")
    teacher_page.get_by_role("button", name="Arrêter le partage de diaporama-cellule-fr.pptx").click()
    teacher_page.wait_for_load_state()
    assert teacher_page.locator("p.notice").inner_text() == "Ce document n'est plus partagé."
    teacher.close()
    page.goto(f"{server.base}/web/student")
    assert page.locator("#teacher-shares tbody tr th").all_inner_texts() == ["La photosynthèse"]
    # the student's own copy is listed by the teacher's title, its file name beneath it
    assert page.locator("table.jobs tbody tr th").all_inner_texts() == [
        "La photosynthèse\nFichier : cours-photosynthese-fr.pdf"
    ]
    context.close()


def _approve_all(page: Any) -> int:
    """Press "Approuver tel quel" until no draft is left; returns how many were approved."""
    done = 0
    while (button := page.get_by_role("button", name="Approuver tel quel")).count():
        button.first.click()
        page.wait_for_load_state()
        done += 1
        assert done < 80
    return done


def test_staff_journey(browser: Any, server: Server, shots: Path, tmp_path: Path) -> None:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    sign_in(page, server, "staff1")
    assert page.url.endswith("/web/staff")
    axe_clean(page, "staff dashboard (empty)")

    # A batch of two documents for one profile, without audio.
    page.get_by_label("Documents (plusieurs fichiers possibles)").set_input_files(
        [str(SAMPLES / "cours-photosynthese-fr.pdf"), str(SAMPLES / "diaporama-cellule-fr.pptx")]
    )
    page.get_by_label("Nom du lot").fill("Biologie L1")
    page.get_by_label("Profil du lot").select_option("easy-read")
    page.get_by_role("button", name="Envoyer le lot").click()
    page.wait_for_load_state()
    assert (
        page.locator("p.notice").inner_text()
        == "Lot « Biologie L1 » : 2 tâche(s) créée(s), 0 fichier(s) refusé(s)."
    )
    # The dashboard updates itself without a reload: bars, statuses, review links; the summary is a polite
    # live region rewritten only when the counts change.
    summary = page.locator("#queue-summary")
    assert summary.get_attribute("aria-live") == "polite"
    page.evaluate("() => { window.inclusioSamePage = true; }")  # gone if the page were loaded again
    batch = [
        page.locator("table.jobs tbody tr").filter(has=page.get_by_role("rowheader", name=name)).first
        for name in ("cours-photosynthese-fr.pdf", "diaporama-cellule-fr.pptx")
    ]
    before = [int(row.locator("progress").evaluate("b => b.value")) for row in batch]
    assert min(before) < 100, before  # at least one job was still waiting or running
    page.wait_for_function(
        "() => document.getElementById('queue-summary').textContent.startsWith('0 en attente, 0 en cours')",
        timeout=JOB_TIMEOUT_MS * 2,
    )
    for row in batch:
        page.wait_for_function(
            "row => row.querySelector('progress').value === 100", arg=row.element_handle(), timeout=10_000
        )
        assert row.locator("[data-field=status]").inner_text() == "terminé"
    # Each finished row of the batch got its review link, added live (other journeys' jobs of the same
    # file, made by the web pages with their document JSON, have theirs too).
    for row, name in zip(batch, ("cours-photosynthese-fr.pdf", "diaporama-cellule-fr.pptx"), strict=True):
        assert row.get_by_role("link", name=f"Relire {name}").count() == 1
    assert page.evaluate("() => window.inclusioSamePage === true")
    axe_clean(page, "staff dashboard (updated live)")
    page.get_by_role("link", name="Actualiser la file").click()  # the no-script way gives the same page
    page.wait_for_load_state()
    axe_clean(page, "staff dashboard (refreshed)")  # its screenshot: test_staff_dashboard.py
    # Without JavaScript: the same dashboard, its refresh link, its bars as they are.
    nojs = browser.new_context(java_script_enabled=False)
    plain = nojs.new_page()
    sign_in(plain, server, "staff1")
    assert plain.locator("table.jobs tbody tr progress").first.get_attribute("value") == "100"
    assert plain.get_by_role("link", name="Actualiser la file").get_attribute("href") == "/web/staff#queue-h"
    nojs.close()

    # The review workspace: source and adaptation side by side, edit, regenerate, alt text, approve.
    batch[0].get_by_role("link", name="Relire cours-photosynthese-fr.pdf").click()  # the batch's job
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Relecture : cours-photosynthese-fr.pdf"
    check_page(page, shots, "staff-review")
    first = page.locator("section.block").filter(has=page.get_by_label("Texte facile à lire")).first
    first.get_by_label("Texte facile à lire").fill(
        "La photosynthèse fabrique du sucre.\n- avec la lumière\n- avec l'eau"
    )
    first.get_by_role("button", name="Enregistrer et approuver").click()
    page.wait_for_load_state()
    assert re.fullmatch(r"Bloc \d+ enregistré\.", page.locator("p.notice").inner_text())
    approved = page.locator("p.state-approved").first.inner_text()
    assert "Approuvé par staff1" in approved
    second = (
        page.locator("section.block").filter(has=page.get_by_role("button", name="Régénérer ce bloc")).nth(1)
    )
    second_id = second.get_attribute("id")
    second.get_by_role("button", name="Régénérer ce bloc").click()
    page.wait_for_load_state()
    # The offline rules may give the same text again: the page says so (and the block keeps its state).
    assert re.fullmatch(
        r"Bloc \d+ régénéré\.|Bloc \d+ : le moteur a redonné le même texte, rien n'a changé \(l'état du bloc est "
        r"gardé\)\.",
        page.locator("p.notice").inner_text(),
    )
    assert page.locator(f"#{second_id} p.state").inner_text().startswith("⚠ Brouillon non relu")
    image = page.locator("section.block img").first
    assert image.evaluate("e => e.complete && e.naturalWidth > 0")
    figure = page.locator("section.block").filter(has=page.locator("img")).first
    figure.get_by_label("Texte alternatif de l'image").fill(
        "Diagramme en barres : la photosynthèse augmente avec la lumière."
    )
    figure.get_by_role("button", name="Enregistrer et approuver").click()
    page.wait_for_load_state()
    assert _approve_all(page) >= 1
    state = page.locator("#review-state").inner_text()
    total = re.match(r"(\d+) adaptation\(s\) approuvée\(s\) sur (\d+)\.", state)
    assert total and total.group(1) == total.group(2), state
    # The glossary's terms to define hold the release back too: removed here (test_review_glossary.py defines one).
    from test_review_glossary import remove_pending_terms

    assert remove_pending_terms(page) >= 1
    axe_clean(page, "review (approved)")

    # Release: queued to a worker; the job page says so, keeps the old files meanwhile, and shows the
    # released version when the worker is done (the same job: the student downloads it there).
    reviewed_id = page.url.split("/web/review/")[1].split("?")[0].split("#")[0]
    page.get_by_role("button", name="Publier la version relue").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/web/jobs/{reviewed_id}")
    state = page.locator("#release-state")
    assert state.get_attribute("aria-live") == "polite"
    page.evaluate("() => { window.inclusioSamePage = true; }")
    if page.locator("#release").get_attribute("data-state") == "releasing":
        assert state.inner_text().startswith("Publication de la version relue en cours.")
        assert (
            page.get_by_role("link", name="Télécharger le livre numérique (EPUB)").count() == 1
        )  # old files
        axe_clean(page, "job page (releasing)")
    try:  # the page follows the release by itself, and shows the new files in place
        page.wait_for_function(
            "() => document.getElementById('release').dataset.state === 'released'", timeout=JOB_TIMEOUT_MS
        )
    except Exception:  # noqa: BLE001 - show the logs of the server and worker
        raise AssertionError(server.logs()) from None
    assert page.evaluate("() => window.inclusioSamePage === true")
    assert page.get_by_role("link", name="Actualiser l'avancement").count() == 0
    assert page.get_by_role("link", name="Relire cours-photosynthese-fr.pdf").count() == 1
    assert re.fullmatch(
        r"Nouvelle version publiée par le service handicap\. Publiée le \d{4}-\d\d-\d\d \d\d:\d\d par staff1\.",
        page.locator("#release-state").inner_text(),
    )
    check_page(page, shots, "staff-released")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le livre numérique (EPUB)").click()
    epub = tmp_path / "released.epub"
    download.value.save_as(epub)
    with zipfile.ZipFile(epub) as book:
        opf = next(book.read(n).decode() for n in book.namelist() if n.endswith(".opf"))
    summary_text = re.search(r'property="schema:accessibilitySummary">([^<]*)<', opf)
    assert summary_text, opf[:2000]
    assert "relu par une personne" in summary_text.group(1) and "non relu" not in summary_text.group(1), (
        summary_text.group(1)
    )
    context.close()


ROW_SHAPE = """row => Array.from(row.querySelectorAll('*')).map(e => e.tagName + ' '
    + Array.from(e.attributes).map(a => a.name + '=' + a.value).sort().join(' ')
    + (e.children.length ? '' : ' | ' + e.textContent.trim()))"""

RECORD_LIVE = """ids => { window.said = [];
    ids.forEach(id => { const e = document.getElementById(id);
        new MutationObserver(() => window.said.push([id, e.textContent])).observe(
            e, {childList: true, characterData: true, subtree: true}); }); }"""


def test_new_jobs_join_the_dashboard_live_and_a_release_says_the_new_status(
    browser: Any, server: Server
) -> None:
    # The dashboard is open; a batch is sent from another tab. Its rows arrive without a reload, where the
    # server would put them, with one polite sentence, and the focus stays where it was.
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "staff1")
    before = page.locator("#queue-jobs tbody tr").count()
    focused = (
        page.locator("#queue-jobs tbody tr a").first
        if before
        else page.get_by_role("link", name="Actualiser la file")
    )
    focused.focus()
    page.evaluate("() => { window.inclusioSamePage = true; window.focusedBefore = document.activeElement; }")
    page.evaluate(RECORD_LIVE, ["queue-summary"])

    sender_context = browser.new_context()
    sender = sender_context.new_page()
    sign_in(sender, server, "staff1")
    sender.get_by_label("Documents (plusieurs fichiers possibles)").set_input_files(
        [str(SAMPLES / "handout-water-cycle-en.docx"), str(SAMPLES / "diaporama-cellule-fr.pptx")]
    )
    sender.get_by_label("Nom du lot").fill("Lot audio")
    sender.get_by_label("Profil du lot").select_option("blind")
    sender.get_by_label("Audio (MP3)").check()
    sender.get_by_role("button", name="Envoyer le lot").click()
    sender.wait_for_load_state()
    assert (
        sender.locator("p.notice").inner_text()
        == "Lot « Lot audio » : 2 tâche(s) créée(s), 0 fichier(s) refusé(s)."
    )

    page.wait_for_function(
        "n => document.querySelectorAll('#queue-jobs tbody tr').length === n", arg=before + 2, timeout=30_000
    )
    assert page.evaluate("() => window.inclusioSamePage === true")
    assert page.evaluate("() => document.activeElement === window.focusedBefore")
    news = [text for _, text in page.evaluate("() => window.said") if "nouvelle" in text]
    assert len(news) == 1 and news[0].startswith("2 nouvelle(s) tâche(s) ajoutée(s) à la file. "), news
    assert page.locator("#queue-summary").get_attribute("aria-live") == "polite"
    live_order = page.locator("#queue-jobs tbody tr").evaluate_all("rows => rows.map(r => r.dataset.job)")
    sender.goto(f"{server.base}/web/staff")
    served_order = sender.locator("#queue-jobs tbody tr").evaluate_all("rows => rows.map(r => r.dataset.job)")
    assert live_order == served_order  # newest first, as the server sorts them
    axe_clean(page, "staff dashboard (rows added live)")

    # Once the jobs are done, the rows added live are the server's rows (same elements, attributes, words).
    page.wait_for_function(
        "() => document.getElementById('queue-summary').textContent.includes('0 en attente, 0 en cours')",
        timeout=JOB_TIMEOUT_MS * 2,
    )
    sender.reload()
    for job_id in served_order[:2]:
        row = f"#queue-jobs tr[data-job='{job_id}']"
        page.wait_for_function(
            "s => document.querySelector(s).querySelector('progress').value === 100", arg=row, timeout=10_000
        )
        assert page.locator(row).evaluate(ROW_SHAPE) == sender.locator(row).evaluate(ROW_SHAPE)
    rows = {  # a row's header is the document's title, then its file name in brackets when they differ
        re.sub(
            r"^.* \((.+)\)$", r"\1", page.locator(f"#queue-jobs tr[data-job='{job_id}'] th").inner_text()
        ): job_id
        for job_id in served_order[:2]
    }
    assert sorted(rows) == ["diaporama-cellule-fr.pptx", "handout-water-cycle-en.docx"]
    for job_id in rows.values():
        assert (
            page.locator(f"#queue-jobs tr[data-job='{job_id}'] [data-field=status]").inner_text() == "terminé"
        ), server.logs()
    sender_context.close()

    # Then the profile's voice is changed to one this server does not have (a misconfigured profile): the
    # release of the French slides' reviewed version cannot make the audio (no French voice to fall back
    # on), and the job becomes partial. The job page was loaded while releasing; its status word changes in
    # place, and the news is heard once.
    profile = server.settings.profiles_dir / "blind.yaml"
    original = profile.read_text(encoding="utf-8")
    profile.write_text(
        original.replace("speech:\n", "speech:\n  voice: zz-no-such-voice\n", 1), encoding="utf-8"
    )
    try:
        slides = page.locator(f"#queue-jobs tr[data-job='{rows['diaporama-cellule-fr.pptx']}']")
        slides.get_by_role("link", name="Relire diaporama-cellule-fr.pptx").click()
        page.wait_for_load_state()
        page.get_by_role("button", name="Publier la version relue").click()
        page.wait_for_load_state()
        page.evaluate(RECORD_LIVE, ["release-state", "job-live"])
        page.evaluate("() => { window.inclusioSamePage = true; }")
        assert page.locator("#release").get_attribute("data-state") == "releasing"
        assert page.locator("#job-status-word").inner_text() == "terminé"
        try:
            page.wait_for_function(
                "() => document.getElementById('release').dataset.state === 'released'",
                timeout=JOB_TIMEOUT_MS,
            )
        except Exception:  # noqa: BLE001 - show the logs of the server and worker
            raise AssertionError(server.logs()) from None
    finally:
        profile.write_text(original, encoding="utf-8")
    assert page.evaluate("() => window.inclusioSamePage === true")
    word = page.locator("#job-status-word")
    assert word.inner_text() == "terminé en partie"
    assert word.get_attribute("class") == "status status-partial"
    said = page.evaluate("() => window.said")
    assert [where for where, text in said if "terminé en partie" in text] == ["release-state"], said
    assert re.fullmatch(
        r"Nouvelle version publiée par le service handicap\. Publiée le \d{4}-\d\d-\d\d \d\d:\d\d par staff1\. "
        r"État du document : terminé en partie\.",
        page.locator("#release-state").inner_text(),
    )
    # The problems say why (the voice, with its code and what to do), in place; the other files are the release's.
    problems = page.locator("#problems")
    assert problems.get_by_role("heading").inner_text() == "Problèmes"
    assert problems.locator("li").all_inner_texts() == [
        "stage.failed : Aucune voix espeak-ng « zz-no-such-voice » pour la langue « fr ». Installez-la (voir "
        "« espeak-ng --voices ») ou choisissez une voix installée avec INCLUSIO_SPEECH_VOICE_FR / "
        "INCLUSIO_SPEECH_VOICE_EN."
    ]
    assert page.get_by_role("link", name="Télécharger le livre numérique (EPUB)").count() == 1
    assert page.get_by_role("link", name=re.compile("audio")).count() == 0
    axe_clean(page, "job page (released, partial)")
    # The page as the server renders it now says the same.
    page.reload()
    assert page.locator("#job-status-word").inner_text() == "terminé en partie"
    assert page.locator("#release-state").inner_text().endswith("État du document : terminé en partie.")
    context.close()
