"""The staff dashboard and the review workspace's actions (issue #17), in a real browser at 1280 and 320 px.

The shared server, worker and browser (tests/web/conftest.py), with this module's accounts. The jobs are a
batch sent through the page (a Word document made here, with a title and a picture without alt text, and an
empty file that is refused), plus job rows written to the same database as a student's upload and a cohort's
failure would leave them (a queued job asked three hours ago, a failed one made for a student). axe-core finds
0 violations on every state, at both widths; at 320 px the page itself never scrolls sideways, the queue's
table scrolls inside its own labelled region, which the keyboard reaches.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_journeys import JOB_TIMEOUT_MS, axe_clean, check_page, sign_in
from web_fixtures import Server

pytestmark = pytest.mark.slow  # a real job of the batch (about a minute on a loaded machine), then the pages

WIDE, NARROW = {"width": 1280, "height": 900}, {"width": 320, "height": 800}
TITLE = "Le cycle de l'eau au fil des saisons"


def _docx(path: Path) -> Path:
    """A Word document with its own title, long sentences (the easy-to-read pass rewrites them) and a
    picture without alt text."""
    import docx
    from docx.oxml.ns import qn
    from PIL import Image

    made = docx.Document()
    made.core_properties.title = TITLE
    for lang in made.styles.element.xpath("./w:docDefaults//w:lang"):  # Word's template says en-US
        lang.set(qn("w:val"), "fr-FR")
    made.add_heading("Le cycle de l'eau", level=1)
    made.add_paragraph(
        "L'eau des océans, chauffée par le soleil pendant les longues journées d'été, s'évapore lentement et "
        "forme des nuages qui, poussés par les vents, se déplacent au-dessus des continents où ils se "
        "refroidissent et donnent la pluie, qui ruisselle ensuite jusqu'aux rivières et retourne à la mer."
    )
    made.add_paragraph(
        "La neige, qui tombe en hiver sur les montagnes, fond au printemps et alimente les rivières."
    )
    picture = io.BytesIO()
    Image.new("RGB", (120, 80), (30, 90, 160)).save(picture, format="PNG")
    picture.seek(0)
    made.add_picture(picture)
    made.save(str(path))
    return path


@dataclass
class Made:
    batch_id: str
    job_id: str
    """The batch's job (finished)."""
    waiting_id: str
    """A student's own job, queued three hours ago."""
    failed_id: str
    """A job made for student2 that failed."""


def _stores(server: Server) -> tuple[Any, Any, Any]:
    from inclusio.store.batches import BatchStore
    from inclusio.store.files import FileStore
    from inclusio.store.jobs import JobStore

    store = JobStore.from_settings(server.settings)
    return store, BatchStore(store.db), FileStore.from_settings(server.settings)


def _row_of(store: Any, institution: str, **fields: Any) -> str:
    """A job row of ``institution`` as the service writes it, then moved in time or state with ``fields``
    (enqueued far ahead: the watchdog never sends it to the worker)."""
    from sqlalchemy import update

    from inclusio.store.models import Job, utcnow

    job = store.create(
        profile_id=fields.pop("profile_id"),
        filename=fields.pop("filename"),
        input_sha256="0" * 64,
        input_path="originals/00/none",
        input_bytes=10,
        owner_id=fields.pop("owner_id", None),
        learner_id=fields.pop("learner_id", None),
        institution=institution,
    )
    fields.setdefault("enqueued_at", utcnow() + timedelta(days=1))
    with store.session() as session:
        session.execute(update(Job).where(Job.id == job.id).values(**fields))
    return str(job.id)


def _user_id(server: Server, name: str) -> str:
    from inclusio.store.accounts import UserStore
    from inclusio.store.jobs import JobStore

    store = JobStore.from_settings(server.settings)
    try:
        user = UserStore(store.engine).by_username(name)
        assert user is not None
        return str(user.id)
    finally:
        store.dispose()


def no_sideways_scroll(page: Any, what: str) -> None:
    """The page itself does not scroll sideways (WCAG 1.4.10): what is wider scrolls in its own region."""
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{what}: the page is {width[0]} px wide in a {width[1]} px window"


def both_widths(page: Any, what: str) -> None:
    """axe at 1280 and at 320 px, and no sideways scrolling of the page at 320 px."""
    page.set_viewport_size(WIDE)
    axe_clean(page, f"{what} (1280 px)")
    page.set_viewport_size(NARROW)
    axe_clean(page, f"{what} (320 px)")
    no_sideways_scroll(page, what)
    page.set_viewport_size(WIDE)


@pytest.fixture(scope="module")
def made(browser: Any, server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Made]:
    """The batch sent through the page (checked step by step in the first test), and two rows of others."""
    from inclusio.store.models import utcnow

    tmp = tmp_path_factory.mktemp("dashboard")
    empty = tmp / "vide.pdf"
    empty.write_bytes(b"")
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "staff1")
    page.get_by_label("Documents (plusieurs fichiers possibles)").set_input_files(
        [str(_docx(tmp / "cycle-eau.docx")), str(empty)]
    )
    page.get_by_label("Nom du lot").fill("Sciences L1")
    page.get_by_label("Profil du lot").select_option("easy-read")
    page.get_by_role("button", name="Envoyer le lot").click()
    page.wait_for_load_state()
    batch_id = re.search(r"batch=([0-9a-f]{32})", page.url).group(1)  # type: ignore[union-attr]
    store, _, _ = _stores(server)
    try:
        student1, student2 = _user_id(server, "student1"), _user_id(server, "student2")
        now = utcnow()
        waiting = _row_of(
            store,
            server.institution,
            profile_id="dyslexia",
            filename="notes-td.pdf",
            owner_id=student1,
            created_at=now - timedelta(hours=3),
        )
        failed = _row_of(
            store,
            server.institution,
            profile_id="low-vision",
            filename="chapitre-2.pdf",
            owner_id=student1,
            learner_id=student2,
            status="failed",
            created_at=now - timedelta(minutes=50),
            finished_at=now - timedelta(minutes=45),
            errors=[{"code": "input.encrypted", "message": "Locked.", "message_fr": "Verrouillé."}],
        )
        job_id = page.locator("table.jobs tbody tr").first.get_attribute("data-job")
        try:
            page.wait_for_function(
                "() => document.querySelector('table.jobs tbody tr [data-field=status]').textContent === 'terminé'",
                timeout=JOB_TIMEOUT_MS * 2,
            )
        except Exception:  # noqa: BLE001 - show the logs of the server and worker
            raise AssertionError(server.logs()) from None
        _flag_the_first_adaptation(server, str(job_id))
        yield Made(batch_id, str(job_id), waiting, failed)
    finally:
        store.dispose()
        context.close()


def test_the_batch_form_chooses_no_profile_and_says_so_with_a_code(
    browser: Any, server: Server, made: Made
) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "staff1")
    select = page.get_by_label("Profil du lot")
    assert select.input_value() == "" and select.get_attribute("required") is not None
    assert select.locator("option").first.inner_text() == "— Choisir un profil —"
    assert page.locator("#cohort-profile").input_value() == ""  # the cohort form's list too
    assert page.locator("#cohort-profile").get_attribute("required") is not None
    # The browser will not send the form without a choice; a client that does gets the coded error page.
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    for lang, words in (("fr", "Aucun profil n'a été choisi"), ("en", "No profile was chosen")):
        answer = httpx.post(
            f"{server.base}/web/staff/batch",
            data={"csrf_token": token, "name": "sans profil"},
            files=[("files", ("a.md", b"# A\n\nTexte.", "text/markdown"))],
            cookies={**cookies, "inclusio_lang": lang},
        )
        assert answer.status_code == 400 and "text/html" in answer.headers["content-type"], answer.text[:300]
        assert "request.profile_not_chosen" in answer.text and words in html.unescape(answer.text)
    answer = httpx.post(
        f"{server.base}/web/staff/cohort",
        data={"csrf_token": token, "learners": _user_id(server, "student1")},
        cookies=cookies,
    )
    assert answer.status_code == 400 and "request.profile_not_chosen" in answer.text
    store, batches, _ = _stores(server)
    try:  # nothing was made of the refused forms
        assert [b.name for b in batches.list()] == ["Sciences L1"]
    finally:
        store.dispose()
    context.close()


def test_each_student_with_nobody_ticked_has_its_own_code_shown_in_the_form(
    browser: Any, server: Server, made: Made, tmp_path: Path
) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "staff1")
    document = tmp_path / "cours.md"
    document.write_text("# Cours\n\nLa cellule est l'unité du vivant.\n")
    page.get_by_label("Documents (plusieurs fichiers possibles)").set_input_files(str(document))
    page.get_by_label("Profil du lot").select_option(
        label="les étudiant·e·s cochés ci-dessous, chacun·e avec son profil"
    )
    page.get_by_role("button", name="Envoyer le lot").click()
    page.wait_for_load_state()
    alert = page.locator("#batch-refused")
    assert alert.get_attribute("role") == "alert"
    text = alert.inner_text()
    assert text.startswith("Aucun·e étudiant·e n'a été coché·e") and "request.no_learner_chosen" in text, text
    fieldset = page.locator(
        "fieldset", has=page.get_by_text("Étudiant·e·s (pour « chacun·e avec son profil »)")
    )
    assert fieldset.get_attribute("aria-describedby") == "batch-refused"
    axe_clean(page, "the batch form refused: nobody ticked")
    # the cohort form the same way, in its own words
    page.goto(f"{server.base}/web/staff")
    page.locator("#cohort-profile").select_option("dyslexia")
    page.get_by_role("button", name="Appliquer le profil").click()
    page.wait_for_load_state()
    text = page.locator("#cohort-refused").inner_text()
    assert (
        "cochez les étudiant·e·s dont vous changez le profil" in text and "request.no_learner_chosen" in text
    )
    assert page.locator("#batch-refused").count() == 0
    # the answer is 400 and in English for an English reader; nothing was made
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    answer = httpx.post(
        f"{server.base}/web/staff/batch",
        data={"csrf_token": token, "profile": "@learners", "name": "personne"},
        files=[("files", ("a.md", b"# A\n\nTexte.", "text/markdown"))],
        cookies={**cookies, "inclusio_lang": "en"},
    )
    assert answer.status_code == 400 and "text/html" in answer.headers["content-type"]
    assert (
        "No student was ticked" in html.unescape(answer.text) and "request.no_learner_chosen" in answer.text
    )
    store, batches, _ = _stores(server)
    try:
        assert [b.name for b in batches.list()] == ["Sciences L1"]
    finally:
        store.dispose()
    context.close()


def test_the_batch_result_has_its_own_address_and_lists_the_refused_file(
    browser: Any, server: Server, made: Made
) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "staff1")
    page.goto(f"{server.base}/web/staff?batch={made.batch_id}&done=batch")
    assert (
        page.locator("p.notice").inner_text()
        == "Lot « Sciences L1 » : 1 tâche(s) créée(s), 1 fichier(s) refusé(s)."
    )
    refused = page.locator("#rejected")
    assert refused.get_by_role("heading").inner_text() == "Fichiers refusés (1)"
    assert refused.locator("li").inner_text().startswith("vide.pdf : Le fichier est vide")
    assert "input.empty" in refused.locator("li").inner_text()
    assert page.locator("[role=alert]").count() == 0  # a page loaded after the post: nothing to interrupt
    both_widths(page, "batch result with a refused file")
    # Reloading the result sends nothing again; the form's address opened with GET is the dashboard.
    page.reload()
    page.goto(f"{server.base}/web/staff?batch={made.batch_id}&done=batch")
    store, batches, _ = _stores(server)
    try:
        from inclusio.store.jobs import JobFilter

        assert len(store.list(JobFilter(batch_id=made.batch_id))) == 1
        assert [b.name for b in batches.list()] == ["Sciences L1"]
    finally:
        store.dispose()
    answer = page.goto(f"{server.base}/web/staff/batch")
    assert answer is not None and answer.status == 200 and page.url.endswith("/web/staff")
    assert page.locator("h1").inner_text() == "File de traitement et lots"
    context.close()


def _cells(page: Any) -> list[dict[str, str]]:
    heads = page.locator("#queue-jobs thead th").all_inner_texts()
    out = []
    for row in page.locator("#queue-jobs tbody tr").all():
        texts = [row.locator("th").inner_text(), *row.locator("td").all_inner_texts()]
        out.append(dict(zip(heads, texts, strict=True)) | {"id": str(row.get_attribute("data-job"))})
    return out


def test_the_dashboard_says_whose_job_of_which_batch_and_how_long_it_waits(
    browser: Any, server: Server, made: Made, shots: Path
) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "staff1")
    rows = {row["id"]: row for row in _cells(page)}
    done, waiting, failed = rows[made.job_id], rows[made.waiting_id], rows[made.failed_id]
    assert done["Document"] == f"{TITLE} (cycle-eau.docx)"  # the document's title, then its file
    assert done["Étudiant·e"] == "aucun·e (lot pour un profil)" and done["Lot"] == "Sciences L1"
    assert done["Profil"] == "Facile à lire (brouillon FALC)" and done["État"].startswith("terminé")
    assert re.fullmatch(r"\d+ (s|min)", done["Attente"]), done
    assert waiting["Étudiant·e"] == "student1" and waiting["Lot"] == "hors lot"
    assert waiting["Attente"].startswith("3 h") and waiting["État"].startswith("en attente")
    assert waiting["À relire"] == "pas encore"
    assert failed["Étudiant·e"] == "student2" and failed["Attente"] == "5 min"
    assert failed["À relire"] == "sans objet (échec)"
    region = page.get_by_role("region", name="Tableau de la file")
    assert region.get_attribute("tabindex") == "0"
    both_widths(page, "staff dashboard")
    # At 320 px the table is wider than its region, which scrolls; Tab reaches it from the filters.
    page.set_viewport_size(NARROW)
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    page.get_by_role("link", name="Actualiser la file").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "queue-jobs"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.getElementById('queue-jobs').scrollLeft > 0")
    page.set_viewport_size(WIDE)
    page.evaluate(
        "() => { document.getElementById('queue-jobs').scrollLeft = 0; document.activeElement.blur(); }"
    )
    check_page(page, shots, "staff-dashboard")  # docs/screenshots/ with INCLUSIO_WEB_SCREENSHOTS=1
    # In English: the same columns in its words, axe 0 at both widths.
    page.goto(f"{server.base}/web/lang/en?next=/web/staff")
    assert page.locator("#queue-jobs thead th").all_inner_texts() == [
        "Document",
        "Student",
        "Batch",
        "Profile",
        "Status",
        "Progress",
        "Waiting",
        "To review",
        "Actions",
    ]
    english = {row["id"]: row for row in _cells(page)}
    assert english[made.job_id]["Student"] == "none (batch for a profile)"
    assert english[made.waiting_id]["Batch"] == "no batch"
    both_widths(page, "staff dashboard in English")
    context.close()


def _flag_the_first_adaptation(server: Server, job_id: str) -> None:
    """Flag the document's first easy-to-read adaptation as the verifier would (saved as the review draft)."""
    from inclusio.api import review
    from inclusio.model.document import Flag

    store, _, files = _stores(server)
    try:
        job = store.get(job_id)
        doc = review.load_document(files, job)
        block = next(b for b in doc.blocks if b.adaptation("easy_read") is not None)
        flag = Flag(
            code="verify.number_changed", reason="the number 3 became 4", reason_fr="le nombre 3 est devenu 4"
        )
        block.adaptations = [
            a.model_copy(update={"flags": [flag]}) if a.kind == "easy_read" else a for a in block.adaptations
        ]
        review.save_document(files, job, doc)
    finally:
        store.dispose()


def test_filters_and_sorting_are_links_and_a_form_that_work_without_javascript(
    browser: Any, server: Server, made: Made
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, server, "staff1")
    ids = lambda: [row["id"] for row in _cells(page)]  # noqa: E731
    assert ids() == [made.job_id, made.failed_id, made.waiting_id]  # newest first
    page.get_by_label("Trier par").select_option("waiting")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_load_state()
    assert "sort=waiting" in page.url and ids() == [made.waiting_id, made.failed_id, made.job_id]
    assert page.locator("th[aria-sort] a").inner_text() == "Attente ▼"  # the arrow is hidden from readers
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "descending"
    page.get_by_label("Ordre").select_option("asc")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_load_state()
    assert ids() == [made.job_id, made.failed_id, made.waiting_id]
    # Filters: by status, by profile, by batch (the batch cell is a link to it), flagged only.
    page.goto(f"{server.base}/web/staff")
    page.get_by_label("État").select_option("failed")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_load_state()
    assert (
        ids() == [made.failed_id]
        and page.locator("#queue-shown").inner_text() == "1 tâche(s) affichée(s) sur 1."
    )
    page.goto(f"{server.base}/web/staff?profile=dyslexia")
    assert ids() == [made.waiting_id]
    assert page.get_by_label("Profil", exact=True).first.input_value() == "dyslexia"
    page.goto(f"{server.base}/web/staff")
    page.get_by_role("link", name="Sciences L1").click()
    page.wait_for_load_state()
    assert ids() == [made.job_id] and f"batch={made.batch_id}" in page.url
    page.goto(f"{server.base}/web/staff")
    page.get_by_label("Seulement les tâches avec des passages signalés à relire").check()
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_load_state()
    rows = _cells(page)
    assert [r["id"] for r in rows] == [made.job_id], rows
    assert re.fullmatch(r"⚠ 1 bloc\(s\), \d+ terme\(s\)", rows[0]["À relire"]), rows
    flagged_url = page.url
    page.goto(f"{server.base}/web/staff?status=queued&profile=fle")
    assert page.locator("#queue-jobs").inner_text() == "Aucune tâche ne correspond à ces filtres."
    context.close()
    # The same states with scripts on (axe runs as a script), and the keyboard's way through the filters.
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "staff1")
    page.goto(flagged_url)
    assert ids() == [made.job_id]
    both_widths(page, "staff dashboard, flagged only")
    page.goto(f"{server.base}/web/staff?status=queued&profile=fle")
    axe_clean(page, "staff dashboard, nothing matches")
    page.goto(f"{server.base}/web/staff")
    # Every control of the filters is reached with Tab, in the page's order, then the table's region.
    page.get_by_label("État").focus()
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("() => document.activeElement.id || document.activeElement.textContent"))
    assert reached[:6] == ["f-profile", "f-batch", "f-sort", "f-dir", "f-flagged", "Afficher"], reached
    assert "queue-jobs" in reached, reached
    context.close()


def test_each_sortable_header_is_a_link_that_sorts_on_the_server_by_keyboard(
    browser: Any, server: Server, made: Made
) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "staff1")
    page.goto(f"{server.base}/web/staff?status=&flagged=")
    ids = lambda: [row["id"] for row in _cells(page)]  # noqa: E731
    headers = page.locator("table.queue thead th")
    links = [h.locator("a").inner_text() if h.locator("a").count() else None for h in headers.all()]
    assert links == ["Document", "Étudiant·e", "Lot", "Profil", "État", None, "Attente", "À relire", None], (
        links
    )
    assert page.locator("th[aria-sort]").count() == 0  # newest first: no column's order

    def tab_to(name: str) -> None:
        page.get_by_role("button", name="Afficher").focus()
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.textContent") == name:
                return
        pytest.fail(f"{name!r} is not reached with Tab")

    tab_to("Attente")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "sort=waiting" in page.url and "dir=" not in page.url, (
        page.url
    )  # its first direction: longest first
    sorted_th = page.locator("th[aria-sort]")
    assert sorted_th.count() == 1 and sorted_th.get_attribute("aria-sort") == "descending"
    assert ids() == [made.waiting_id, made.failed_id, made.job_id]
    tab_to("Attente ▼")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the same header again: the other way round
    assert "sort=waiting" in page.url and "dir=asc" in page.url, page.url
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "ascending"
    assert ids() == [made.job_id, made.failed_id, made.waiting_id]
    # a filter is kept when the order changes
    page.goto(f"{server.base}/web/staff?status=failed")
    tab_to("Document")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "status=failed" in page.url and "sort=title" in page.url and ids() == [made.failed_id]
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "ascending"
    axe_clean(page, "staff dashboard sorted by a header")
    context.close()


def test_review_actions_are_one_jump_away_approve_the_unflagged_and_say_an_unchanged_regeneration(
    browser: Any, server: Server, made: Made
) -> None:
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "staff1")
    page.goto(f"{server.base}/web/review/{made.job_id}")
    # What the count says waits is what the page shows to review: every form of a block, the picture's too.
    shown = page.locator("section.block form").count()
    state = page.locator("#review-state").inner_text()
    assert state == f"0 adaptation(s) approuvée(s) sur {shown}.", state
    assert page.locator("section.block img").count() == 1 and shown >= 2
    both_widths(page, "review workspace")
    # The jump link is among the first Tab stops; from it, the approve-all button and "Publier" are next.
    page.locator("body").focus()
    presses = 0
    while page.evaluate("() => document.activeElement.id") != "to-actions":
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 12, "the jump link is not among the first 12 Tab stops"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "actions-h"
    stops = []
    for _ in range(4):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("() => document.activeElement.textContent.trim()"))
    assert stops[0].startswith("Approuver les") and "Publier la version relue" in stops, stops
    # Approve every unflagged adaptation in one post; the flagged block stays to read; reloading sends nothing.
    button = page.get_by_role(
        "button", name=re.compile(r"Approuver les \d+ adaptation\(s\) non signalée\(s\)")
    )
    n = int(re.search(r"\d+", button.inner_text()).group())  # type: ignore[union-attr]
    assert n == shown - 2  # all but the flagged block and the picture, whose alt text a person must write
    button.click()
    page.wait_for_load_state()
    assert page.locator("p.notice").inner_text() == f"{n} adaptation(s) non signalée(s) approuvée(s)."
    assert page.locator("#review-state").inner_text() == f"{n} adaptation(s) approuvée(s) sur {shown}."
    page.reload()
    assert page.locator("#review-state").inner_text() == f"{n} adaptation(s) approuvée(s) sur {shown}."
    assert page.get_by_role("button", name=re.compile("Approuver les 0 ")).is_disabled()
    assert page.locator("section.block.flagged p.state").first.inner_text().startswith("⚠ Brouillon non relu")
    both_widths(page, "review workspace after approving the unflagged")
    from inclusio.store.accounts import UserStore

    store, _, _ = _stores(server)
    try:
        entries = [
            e for e in UserStore(store.engine).audit_entries() if e.action == "review.approve_unflagged"
        ]
        assert len(entries) == 1 and entries[0].details == {"count": n}, entries
    finally:
        store.dispose()
    # The offline engine rewrites the same sentence the same way: the page says nothing changed, and the
    # block keeps its approval.
    approved = (
        page.locator("section.block:not(.flagged)")
        .filter(has=page.get_by_role("button", name="Régénérer ce bloc"))
        .first
    )
    block_id = approved.get_attribute("id")
    before = approved.locator("textarea").first.input_value()
    approved.get_by_role("button", name="Régénérer ce bloc").first.click()
    page.wait_for_load_state()
    number = block_id.split("-")[1]
    assert page.locator("p.notice").inner_text() == (
        f"Bloc {number} : le moteur a redonné le même texte, rien n'a changé (l'état du bloc est gardé)."
    )
    assert page.locator(f"#{block_id} textarea").first.input_value() == before
    assert page.locator(f"#{block_id} p.state").first.inner_text().startswith("✔ Approuvé par staff1")
    both_widths(page, "review workspace after an unchanged regeneration")
    context.close()
