"""The student's job page and lists (issue #16), with a real server, worker and Chromium: technical files are
refused to students with a coded page (teachers and staff still get them), the lists show the document's title
with its file name beneath, a notification is read once the student opens the job's page or its reader, and a
partly reviewed, released job with flagged passages says so on its page (axe 0, 320 px)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from service_helpers import make_user, submit, wait_finished
from sqlalchemy import update
from test_journeys import JOB_TIMEOUT_MS, SAMPLES, check_page, sign_in
from web_fixtures import PASSWORD, Server

from inclusio.store.accounts import UserStore
from inclusio.store.jobs import JobStore
from inclusio.store.models import Job, utcnow
from inclusio.store.notifications import NotificationStore

pytestmark = pytest.mark.slow  # two jobs by the worker (no audio) and four browser journeys: ~1-2 min loaded

TITLE = "La photosynthèse : comment les plantes fabriquent leur matière"


@pytest.fixture(scope="module")
def store(server: Server) -> Iterator[JobStore]:
    jobs = JobStore.from_settings(server.settings)
    yield jobs
    jobs.dispose()


@pytest.fixture(scope="module")
def finished(server: Server) -> Iterator[dict[str, str]]:
    """Two finished jobs of one student (web page and document JSON: no audio, quick), made by the worker,
    which leaves a notification for each."""
    user_id, token = make_user(
        server.settings, "student", username="noa", password=PASSWORD, institution=server.institution
    )
    with httpx.Client(base_url=server.base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as api:
        first = submit(
            api, SAMPLES / "cours-photosynthese-fr.pdf", profile="dyslexia", outputs="html,json,report"
        )
        second = submit(
            api, SAMPLES / "cours-photosynthese-fr.pdf", profile="adhd", outputs="html,json,report"
        )
        for job_id in (first, second):
            job = wait_finished(api, job_id, server.worker, timeout=JOB_TIMEOUT_MS / 1000 + 60)
            assert job["status"] == "succeeded", server.logs()
    yield {"user": user_id, "first": first, "second": second}


def _unread(store: JobStore, user_id: str) -> dict[str, bool]:
    """job id -> whether its notification is still unread."""
    notes = NotificationStore(store.db).list_for(user_id)
    return {job.id: note.read_at is None for note, job in notes}


def test_a_notification_is_read_once_its_job_page_or_reader_is_opened(
    browser: Any, server: Server, store: JobStore, finished: dict[str, str]
) -> None:
    assert _unread(store, finished["user"]) == {finished["first"]: True, finished["second"]: True}
    context = browser.new_context()
    page = context.new_page()
    # Signed in from the job's own address: straight to it, never through the home page (which lists them).
    page.goto(f"{server.base}/web/jobs/{finished['first']}")
    page.get_by_label("Nom d'utilisateur").fill("noa")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{server.base}/web/jobs/{finished['first']}")
    assert _unread(store, finished["user"]) == {finished["first"]: False, finished["second"]: True}
    page.goto(f"{server.base}/web/read/{finished['second']}")
    assert _unread(store, finished["user"]) == {finished["first"]: False, finished["second"]: False}
    page.goto(f"{server.base}/web/student")
    assert page.locator("#notices li.unread").count() == 0  # the home page shows them as read
    context.close()


def test_the_student_is_refused_technical_files_with_a_coded_page_and_staff_are_not(
    browser: Any, server: Server, shots: Path, finished: dict[str, str]
) -> None:
    job = finished["first"]
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "noa")
    for name in ("report", "json"):
        answer = page.goto(f"{server.base}/web/jobs/{job}/download/{name}")
        assert answer is not None and answer.status == 403, name
        assert "artifact.staff_only" in page.locator("main").inner_text()
        assert "fichier technique" in page.locator(".problem").inner_text()
    check_page(page, shots, "download-staff-only")
    answer = context.request.get(f"{server.base}/web/jobs/{job}/download/html")  # theirs: served
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/html")
    missing = context.request.get(f"{server.base}/web/jobs/{job}/download/brf")  # none made: not found
    assert missing.status == 404 and "artifact.not_found" in missing.text()
    context.close()
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "staff1")
    answer = context.request.get(f"{server.base}/web/jobs/{job}/download/report")
    assert answer.status == 200 and b'"readability"' in answer.body()
    context.close()


def test_the_lists_show_the_documents_title_with_its_file_name_beneath(
    browser: Any, server: Server, shots: Path, finished: dict[str, str]
) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    sign_in(page, server, "noa")
    page.goto(f"{server.base}/web/student")
    row = page.locator(f"tr[data-job='{finished['first']}']")
    assert row.locator("[data-field=title]").inner_text() == TITLE
    assert row.locator("[data-field=file]").inner_text() == "Fichier : cours-photosynthese-fr.pdf"
    assert row.get_by_role("link", name=f"Ouvrir {TITLE}").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check_page(page, shots, "student-list-titles")
    context.close()


def test_a_partly_reviewed_released_job_with_flagged_passages_says_so_on_its_page(
    browser: Any, server: Server, shots: Path, store: JobStore
) -> None:
    users = UserStore(store.engine)
    lea = users.by_username("student1")
    assert lea is not None
    job = store.create(
        profile_id="easy-read",
        filename="slides-fr-web-course.pptx",
        input_sha256="1" * 64,
        input_path="originals/11/" + "1" * 64,
        input_bytes=1,
        owner_id=lea.id,
        institution=lea.institution,
        title="Cours 3 : HTML, CSS, Bootstrap",
    )
    store.start(job.id)
    store.finish(job.id, status="succeeded", passages={"machine": 21, "reviewed": 3, "flagged": 2})
    with store.session() as session:
        session.execute(update(Job).where(Job.id == job.id).values(released_at=utcnow()))
    for lang, label, detail in (
        (
            "fr",
            "Relu en partie (3 sur 21 passages), publié par le service handicap",
            "Sur les 21 passages écrits par une machine, 3 ont été relus par une personne ; les autres pas "
            "encore. 2 passages signalés par la vérification automatique n'ont pas été relus : ils sont "
            "marqués dans le texte.",
        ),
        (
            "en",
            "Partly reviewed (3 of 21 passages), released by disability services",
            "Of the 21 machine-written passages, 3 have been reviewed by a person; the others not yet. "
            "2 passages flagged by the automatic check have not been reviewed: they are marked in the text.",
        ),
    ):
        context = browser.new_context(viewport={"width": 320, "height": 640})
        page = context.new_page()
        sign_in(page, server, "student1")
        if lang == "en":
            page.goto(f"{server.base}/web/lang/en?next=/web/jobs/{job.id}")
        page.goto(f"{server.base}/web/jobs/{job.id}")
        box = page.locator("#review-status")
        assert box.get_attribute("data-state") == "partial" and box.is_visible()
        assert box.locator(".review-label").inner_text() == label
        assert " ".join(box.locator("p").nth(1).inner_text().split()) == detail
        assert page.locator("h1").inner_text() == "Cours 3 : HTML, CSS, Bootstrap"
        assert "Version relue et publiée" not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        check_page(page, shots, f"job-partial-flagged-{lang}")
        context.close()
