"""The job table (SQLite and PostgreSQL) and the file store."""

from __future__ import annotations

import io
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from inclusio.errors import InputEmpty, InputTooLarge, JobNotFound
from inclusio.store.files import FileStore
from inclusio.store.jobs import JobStore


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[JobStore]:
    url = (
        f"sqlite:///{tmp_path / 'jobs.db'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_url")
    )
    job_store = JobStore(url)
    job_store.create_all()
    job_store.create_all()  # a second start finds the tables and changes nothing
    yield job_store
    job_store.dispose()


def _new_job(store: JobStore, **kw: object) -> str:
    values: dict[str, object] = {
        "profile_id": "dyslexia",
        "filename": "Cours n°1 — chimie.pdf",
        "input_sha256": "ab" * 32,
        "input_path": "originals/ab/" + "ab" * 32,
        "input_bytes": 1234,
    }
    values.update(kw)
    return store.create(**values).id  # type: ignore[arg-type]


def test_a_job_goes_from_queued_to_succeeded_with_its_outputs_recorded(store: JobStore) -> None:
    before = datetime.now(UTC) - timedelta(seconds=5)
    job_id = _new_job(store, outputs=["epub", "report"])
    job = store.get(job_id)
    assert (job.status, job.progress, job.attempts, job.outputs) == ("queued", 0.0, 0, ["epub", "report"])
    assert job.filename == "Cours n°1 — chimie.pdf" and len(job_id) == 32
    assert job.created_at.tzinfo is not None and job.created_at >= before

    taken = store.start(job_id)
    assert taken is not None
    running, lease = taken
    assert running.status == "running" and running.attempts == 1 and running.lease == lease
    assert running.started_at is not None and running.started_at >= job.created_at
    store.set_progress(job_id, "render", 0.62, "writing epub")
    job = store.get(job_id)
    assert (job.stage, job.progress, job.message) == ("render", 0.62, "writing epub")

    artifacts = {"epub": {"file": "cours.epub", "media_type": "application/epub+zip", "bytes": 2048}}
    warnings = [
        {"stage": "convert", "code": "figure.no_alt", "message": "Figure 2 n'a pas de texte alternatif"}
    ]
    store.finish(job_id, status="succeeded", artifacts=artifacts, warnings=warnings, message="done")
    job = store.get(job_id)
    assert job.status == "succeeded" and job.finished and job.progress == 1.0
    assert job.artifacts == artifacts and job.warnings == warnings and job.errors == []
    assert job.finished_at is not None and job.finished_at >= running.started_at
    assert job_id in [j.id for j in store.recent(status="succeeded")]
    assert job_id not in [j.id for j in store.recent(status="queued")]


def test_a_finished_job_is_not_started_again_when_its_message_comes_twice(store: JobStore) -> None:
    job_id = _new_job(store)
    store.start(job_id)
    store.finish(
        job_id, status="failed", errors=[{"code": "input.corrupt", "message": "x", "stage": "convert"}]
    )
    assert store.start(job_id) is None
    job = store.get(job_id)
    assert job.status == "failed" and job.attempts == 1 and job.errors[0]["code"] == "input.corrupt"
    # progress from a stale worker does not touch a finished job
    store.set_progress(job_id, "render", 0.5, "late")
    assert store.get(job_id).stage != "render"


def test_unknown_or_malformed_job_ids_are_job_not_found(store: JobStore) -> None:
    for job_id in ("0" * 32, "not-a-job", "'; DROP TABLE jobs; --", ""):
        with pytest.raises(JobNotFound):
            store.get(job_id)
    with pytest.raises(JobNotFound):
        store.start("f" * 32)
    with pytest.raises(ValueError):
        store.finish(_new_job(store), status="running")  # type: ignore[arg-type]


def test_two_processes_can_write_the_sqlite_file_at_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    store_a, store_b = JobStore(url), JobStore(url)
    store_a.create_all()
    mode = sqlite3.connect(tmp_path / "jobs.db").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    ids = [_new_job(store_a) for _ in range(5)]
    for job_id in ids:
        store_a.start(job_id)
    failures: list[BaseException] = []

    def hammer(store: JobStore, stage: str) -> None:
        try:
            for i in range(40):
                for job_id in ids:
                    store.set_progress(job_id, stage, i / 40, "x")
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion below
            failures.append(exc)

    threads = [
        threading.Thread(target=hammer, args=(s, name)) for s, name in ((store_a, "a"), (store_b, "b"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert {store_b.get(i).stage for i in ids} <= {"a", "b"}


# -- files ---------------------------------------------------------------------------------------


def test_originals_are_stored_once_by_content_hash(tmp_path: Path) -> None:
    files = FileStore(tmp_path / "data")
    data = b"%PDF-1.7\n" + bytes(range(256)) * 5000
    first = files.save_original(io.BytesIO(data), max_bytes=10_000_000)
    second = files.save_original(io.BytesIO(data), max_bytes=10_000_000)
    import hashlib

    sha = hashlib.sha256(data).hexdigest()
    assert first == second and first.sha256 == sha and first.size == len(data)
    assert first.relpath == f"originals/{sha[:2]}/{sha}"
    assert files.original_path(first.relpath).read_bytes() == data
    assert list((tmp_path / "data" / "tmp").iterdir()) == []  # no temporary file left behind


def test_too_large_and_empty_uploads_are_refused_and_leave_nothing(tmp_path: Path) -> None:
    files = FileStore(tmp_path / "data")
    with pytest.raises(InputTooLarge) as too_large:
        files.save_original(io.BytesIO(b"x" * 3_000_001), max_bytes=3_000_000)
    assert too_large.value.code == "input.too_large" and too_large.value.http_status == 413
    with pytest.raises(InputEmpty):
        files.save_original(io.BytesIO(b""), max_bytes=100)
    assert list((tmp_path / "data" / "tmp").iterdir()) == []
    assert not (tmp_path / "data" / "originals").exists()


def test_no_path_from_a_job_row_can_leave_the_storage_root(tmp_path: Path) -> None:
    files = FileStore(tmp_path / "data")
    for bad in ("../../etc/passwd", "/etc/passwd", "originals/../../x"):
        with pytest.raises(ValueError):
            files.original_path(bad)
    for bad_id in ("../x", "ABC", "", "a/b"):
        with pytest.raises(ValueError):
            files.job_dir(bad_id)
    with pytest.raises(ValueError):
        files.artifact_path("ab12", "../other/file.epub")
    assert (
        files.artifact_path("ab12", "cours.epub")
        == (tmp_path / "data" / "jobs" / "ab12" / "cours.epub").resolve()
    )


def test_the_watchdog_requeues_silent_jobs_resends_lost_messages_and_gives_up_after_n_attempts(
    store: JobStore,
) -> None:
    from sqlalchemy import update

    from inclusio.store.models import Job, utcnow

    old = utcnow() - timedelta(seconds=120)
    lost, backlog, silent, hopeless = (_new_job(store) for _ in range(4))
    for job_id in (silent, hopeless):
        store.start(job_id)
    with store.session() as session:
        session.execute(update(Job).where(Job.id.in_([lost, backlog])).values(enqueued_at=old))
        session.execute(update(Job).where(Job.id.in_([silent, hopeless])).values(heartbeat_at=old))
        session.execute(update(Job).where(Job.id == hopeless).values(attempts=3))
        session.execute(update(Job).where(Job.id == backlog).values(kind="audio"))  # its queue is not empty
    actions = store.requeue_stuck(
        stuck_seconds=60,
        max_attempts=3,
        resend_queued=lambda kind: kind == "cpu",
        on_fail=lambda job: {"code": "job.worker_lost", "message": "lost"},
    )
    assert {(a.job_id, a.action) for a in actions} == {
        (lost, "resend"),
        (silent, "resend"),
        (hopeless, "failed"),
    }
    assert store.get(silent).status == "queued" and store.get(silent).lease is None
    assert (
        store.get(hopeless).status == "failed" and store.get(hopeless).errors[0]["code"] == "job.worker_lost"
    )
    assert store.get(backlog).status == "queued"
    # a second watchdog right after finds nothing to do (each change happened once)
    assert (
        store.requeue_stuck(stuck_seconds=60, max_attempts=3, resend_queued=lambda kind: kind == "cpu") == []
    )
    # the old attempt of the requeued job can no longer record anything
    assert store.finish(silent, status="succeeded", lease="0" * 32) is False


def test_write_atomic_gives_outputs_the_usual_mode_and_store_files_owner_only(tmp_path: Path) -> None:
    """An HTML output written atomically is readable as the EPUB beside it is (umask); the store's files stay 0600."""
    import stat

    from inclusio.store.files import write_atomic

    write_atomic(tmp_path / "cours.html", b"<html></html>")
    write_atomic(tmp_path / "doc.json", b"{}", private=True)
    (tmp_path / "cours.epub").write_bytes(b"PK")  # as the other writers write
    mode = {
        name: stat.S_IMODE((tmp_path / name).stat().st_mode)
        for name in ("cours.html", "doc.json", "cours.epub")
    }
    assert mode["cours.html"] == mode["cours.epub"] and mode["doc.json"] == 0o600
    assert mode["cours.epub"] & 0o044 == 0o044, "the test needs the usual umask (022) to tell the modes apart"
    assert (tmp_path / "cours.html").read_bytes() == b"<html></html>" and not list(tmp_path.glob(".part-*"))
