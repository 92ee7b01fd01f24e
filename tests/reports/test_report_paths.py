"""The facts follow a job's life beyond its first record (issue #15): a release by staff (the API, then the
worker's own release code) rewrites them from the released version (status, flagged passages, end, formats)
and keeps the downloads already counted; a job whose worker died outright (the watchdog's last lost attempt,
and a process killed under the task: the task-failure signal's path) is counted among the failures with its
code. Jobs run by the worker's code in this process on a page made here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_helpers import make_settings, make_user
from sqlalchemy import update

from inclusio.reports.build import build_report
from inclusio.reports.queries import ReportFilter
from inclusio.store.jobs import JobFilter, JobStore
from inclusio.store.models import Job, JobFacts, utcnow

LONG = (
    "La cellule végétale, qui constitue l'unité fondamentale de tout organisme végétal, se distingue de la "
    "cellule animale par la présence d'une paroi rigide composée essentiellement de cellulose, laquelle lui "
    "confère une résistance mécanique considérable face aux contraintes de son environnement."
)
PAGE = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>La cellule</title></head><body>'
    + "".join(f"<h1>Partie {n}</h1><p>{LONG}</p><p>{LONG}</p>" for n in range(1, 4))
    + "</body></html>"
).encode()
PRICE = SimpleNamespace(llm_price_per_million_tokens=0.0, llm_price_currency="EUR")


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from inclusio.server import create_app

    settings = make_settings(tmp_path_factory.mktemp("report_paths"))
    _, student_token = make_user(settings, "student", username="lou")
    _, staff_token = make_user(settings, "staff")
    app = create_app(settings, enqueue=lambda _kind, _job: None)
    student, staff = TestClient(app), TestClient(app)
    student.headers["Authorization"] = f"Bearer {student_token}"
    staff.headers["Authorization"] = f"Bearer {staff_token}"
    store = JobStore.from_settings(settings)
    yield SimpleNamespace(settings=settings, student=student, staff=staff, store=store)
    store.dispose()


def _submit(svc: Any, name: str) -> str:
    answer = svc.student.post(
        "/jobs",
        files={"file": (name, PAGE, "text/html")},
        data={"profile": "easy-read", "outputs": "html,json"},
    )
    assert answer.status_code in (201, 202), answer.text
    return str(answer.json()["id"])


def _facts(svc: Any, job_id: str) -> JobFacts:
    with svc.store.session() as session:
        facts = session.get(JobFacts, job_id)
        assert facts is not None, "no facts recorded"
        session.expunge(facts)
    return facts


def _failures(svc: Any) -> dict[tuple[str, str], Any]:
    with svc.store.session() as session:
        report = build_report(session, "service", ReportFilter(institution="default"), "en", PRICE)
    return {
        (r["status"], r["code"]): r["jobs"] for r in report.table("failures").rows if not r.get("is_total")
    }


def test_a_release_rewrites_the_facts_from_the_released_version_and_keeps_the_downloads(svc: Any) -> None:
    from inclusio.jobs import execute, release

    job_id = _submit(svc, "cellule.html")
    assert execute(job_id, svc.settings) in ("succeeded", "partial")
    before = _facts(svc, job_id)
    job = svc.store.get(job_id)
    assert before.status == job.status and before.finished_at == job.finished_at
    assert before.flagged == int((job.passages or {}).get("flagged") or 0)
    assert before.outputs == ",html,json,"
    assert svc.student.get(f"/jobs/{job_id}/artifacts/html").status_code == 200
    downloaded = _facts(svc, job_id)
    assert downloaded.downloads == ",html:1," and downloaded.wait_seconds is not None
    # the facts as a stale state would leave them: a release must rewrite them, not keep them
    with svc.store.session() as session:
        session.execute(
            update(JobFacts).where(JobFacts.job_id == job_id).values(status="failed", flagged=99, outputs="")
        )
    answer = svc.staff.post(f"/jobs/{job_id}/release", json={"accept_unreviewed": True})
    assert answer.status_code == 202, answer.text
    token = svc.store.get(job_id).release_token
    assert release(job_id, token, svc.settings) in ("succeeded", "partial")
    released = svc.store.get(job_id)
    after = _facts(svc, job_id)
    assert released.released_at is not None
    assert after.status == released.status != "failed"
    assert after.flagged == int((released.passages or {}).get("flagged") or 0) != 99
    assert after.finished_at == released.finished_at and after.outputs == ",html,json,"
    # the downloads counted before the release stay, with the first one's wait
    assert (after.downloads, after.first_download_at, after.wait_seconds) == (
        downloaded.downloads,
        downloaded.first_download_at,
        downloaded.wait_seconds,
    )
    assert after.created_at == before.created_at and after.student_id == before.student_id


def test_a_job_the_watchdog_fails_after_its_last_lost_attempt_counts_as_a_failure(svc: Any) -> None:
    from workers.tasks import run_watchdog_once

    job_id = _submit(svc, "perdu.html")
    svc.store.start(job_id)  # a worker took it, then died outright on its last attempt
    with svc.store.session() as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(attempts=svc.settings.job_max_attempts, heartbeat_at=utcnow() - timedelta(hours=1))
        )
    actions = run_watchdog_once(svc.settings, lambda _name, _job: None)
    assert [(a.job_id, a.action) for a in actions] == [(job_id, "failed")]
    facts = _facts(svc, job_id)
    assert (facts.status, facts.error_code, facts.doc_type) == ("failed", "job.worker_lost", "html")
    assert ("failed", "job.worker_lost") in _failures(svc)


def test_a_job_whose_process_was_killed_counts_as_a_failure_with_its_code(svc: Any) -> None:
    from billiard.exceptions import WorkerLostError

    from inclusio.jobs import fail_dead_job

    job_id = _submit(svc, "tue.html")
    svc.store.start(job_id)
    fail_dead_job(svc.settings, job_id, WorkerLostError("Worker exited prematurely: signal 9 (SIGKILL)."))
    assert svc.store.get(job_id).status == "failed"
    facts = _facts(svc, job_id)
    assert (facts.status, facts.error_code) == ("failed", "job.worker_lost")
    with svc.store.session() as session:
        report = build_report(session, "service", ReportFilter(institution="default"), "en", PRICE)
    # two jobs of one student failed with job.worker_lost: counted (hidden as "< 5": one student)
    (row,) = [r for r in report.table("failures").rows if r.get("code") == "job.worker_lost"]
    assert str(row["jobs"]) == "< 5" and row["status"] == "failed"


def test_an_erased_student_leaves_no_job_facts_and_no_row_of_their_own_document(svc: Any) -> None:
    """Last in this file: it erases the student whose jobs the tests above made."""
    from sqlalchemy import select

    from inclusio.jobs import execute
    from inclusio.store.accounts import UserStore
    from inclusio.store.erasure import erase_user_data
    from inclusio.store.files import FileStore
    from inclusio.store.models import DocumentFacts

    own = _submit(svc, "mes-notes.html")
    assert execute(own, svc.settings) in ("succeeded", "partial")
    sha = svc.store.get(own).input_sha256
    with svc.store.session() as session:
        assert session.get(DocumentFacts, {"institution": "default", "input_sha256": sha}) is not None
    # a course document another student also asked for: its row stays (it is about the document)
    other = _submit(svc, "commun.html")
    with svc.store.session() as session:
        session.add(
            JobFacts(
                job_id=other,
                institution="default",
                input_sha256="c" * 64,
                student_id="someone-else",
                profile_id="dyslexia",
                doc_type="pdf",
                month="2026-03",
                created_at=utcnow(),
                status="succeeded",
            )
        )
        session.add(
            DocumentFacts(
                institution="default",
                input_sha256="c" * 64,
                doc_type="pdf",
                first_at=utcnow(),
                month="2026-03",
                audit_score=50,
                issues={},
            )
        )
    users = UserStore(svc.store.engine)
    lou = users.by_username("lou")
    mine = [j.id for j in svc.store.list(JobFilter(), limit=100) if j.owner_id == lou.id and j.id != other]
    with svc.store.session() as session:  # the other job is someone else's: not the erased student's
        session.execute(update(Job).where(Job.id == other).values(owner_id=None))
    erase_user_data(
        svc.store, users, FileStore.from_settings(svc.settings), lou.id, actor_id=None, delete_account=True
    )
    with svc.store.session() as session:
        assert session.scalars(select(JobFacts.job_id).where(JobFacts.job_id.in_(mine))).all() == []
        assert session.scalars(select(JobFacts.job_id).where(JobFacts.student_id == lou.id)).all() == []
        assert session.get(DocumentFacts, {"institution": "default", "input_sha256": sha}) is None
        assert session.get(DocumentFacts, {"institution": "default", "input_sha256": "c" * 64}) is not None
