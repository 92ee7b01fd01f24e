"""Health data handled minimally: audited profile access, erasure leaving no file; progress events, metrics
(LLM tokens included), cleanup."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from service_helpers import RunningWorker, api_client, make_settings, submit, wait_finished

from inclusio.config import Settings
from inclusio.store.files import FileStore
from inclusio.store.jobs import JobStore


def _run_queued(settings: Settings) -> None:
    """Run every queued job in this process, as a worker would (the plain function behind the task)."""
    from inclusio.jobs import execute as execute_job

    for job in JobStore.from_settings(settings).recent(status="queued"):
        assert execute_job(job.id, settings) in ("succeeded", "partial"), job.id


def _files_of(settings: Settings) -> set[str]:
    files = FileStore.from_settings(settings)
    return {
        p.relative_to(settings.data_dir).as_posix()
        for p in files.all_files()
        if not p.name.endswith((".db", ".db-wal", ".db-shm", ".lock"))
    }


def test_delete_me_erases_every_job_and_file_but_keeps_what_others_share(
    tmp_path: Path, small_pdf: Path, corpus: Path
) -> None:
    settings = make_settings(tmp_path)
    student = api_client(settings, "student", enqueue=lambda _k, _j: None)
    other = api_client(settings, "student", enqueue=lambda _k, _j: None)
    assert student.put("/me/profile", json={"profile": "dyslexia"}).json()["profile"] == "dyslexia"
    docx = (corpus / "fixture-word.docx").read_bytes()
    for name, data in (("mine.docx", docx), ("shared.pdf", small_pdf.read_bytes())):
        assert (
            student.post(
                "/jobs", files={"file": (name, data)}, data={"profile": "dyslexia", "outputs": "json,report"}
            ).status_code
            == 202
        )
    assert (
        other.post(
            "/jobs",
            files={"file": ("copie.pdf", small_pdf.read_bytes())},
            data={"profile": "blind", "outputs": "json,report"},
        ).status_code
        == 202
    )
    _run_queued(settings)
    before = _files_of(settings)
    assert len([f for f in before if f.startswith("originals/")]) == 2 and len(before) >= 8
    # the preview of a stored original caches its conversion: that goes too
    student.post("/preview/readability", files={"file": ("mine.docx", docx)})
    assert any(f.startswith("cache/documents/") for f in _files_of(settings))

    erased = student.delete("/me")
    assert erased.status_code == 200 and erased.json()["jobs"] == 2 and erased.json()["account_deleted"]
    after = _files_of(settings)
    other_jobs = other.get("/jobs").json()
    import hashlib

    shared_sha = hashlib.sha256(small_pdf.read_bytes()).hexdigest()
    # What the other person's job uses stays: its folder, the shared original and that original's
    # converted Document (cached by content); nothing else of the erased student's.
    keep = {f"jobs/{other_jobs[0]['id']}", f"cache/documents/{shared_sha}-"}
    leftover = {f for f in after if not any(f.startswith(k) for k in keep)}
    assert leftover == {f"originals/{shared_sha[:2]}/{shared_sha}"}, leftover
    assert not [f for f in after if f.startswith("cache/documents/") and shared_sha not in f]
    assert student.get("/me").json()["error"]["code"] == "auth.invalid"  # account and tokens gone
    # the erasure is in the audit log, under a pseudonym once the account is gone; no entry says which
    # profile was written (a profile id tells a disability)
    admin = api_client(settings, "admin")
    entries = admin.get("/audit").json()
    erased_entry = next(e for e in entries if e["action"] == "data.erased")
    assert erased_entry["subject_id"].startswith("erased-")
    assert not any(student.user_id in (e["subject_id"], e["actor_id"]) for e in entries)  # type: ignore[attr-defined]
    assert any(
        e["action"] == "profile.write" and e["subject_id"] == erased_entry["subject_id"] for e in entries
    )
    assert all("dyslexia" not in str(e) for e in entries)
    # the other learner deletes theirs: now nothing of anybody is left
    assert other.delete("/me").status_code == 200
    assert _files_of(settings) == set()


def test_staff_erase_a_students_data_and_profile_reads_are_audited(
    settings: Settings, small_pdf: Path
) -> None:
    staff = api_client(settings, "staff", enqueue=lambda _k, _j: None)
    learner = staff.post("/users", json={"username": "noa", "role": "student"}).json()
    staff.put(f"/users/{learner['id']}/profile", json={"profile": "low-vision"})
    assert staff.get(f"/users/{learner['id']}/profile").json()["profile"] == "low-vision"
    job = staff.post(
        "/jobs",
        files={"file": ("td.pdf", small_pdf.read_bytes())},
        data={"learner": "noa", "outputs": "json"},
    ).json()
    result = staff.delete(f"/users/{learner['id']}/data").json()
    assert result == {"user_id": learner["id"], "jobs": 1, "files": 1, "shares": 0, "account_deleted": False}
    assert staff.get(f"/jobs/{job['id']}").status_code == 404
    assert staff.get(f"/users/{learner['id']}/profile").json()["profile"] is None
    actions = [e["action"] for e in staff.get(f"/audit?subject={learner['id']}").json()]
    assert actions.count("profile.read") == 2 and {"profile.write", "profile.used", "data.erased"} <= set(
        actions
    )


def test_progress_events_per_stage_over_sse_and_metrics(settings: Settings, small_pdf: Path) -> None:
    client = api_client(settings, "admin", enqueue=lambda _k, _j: None)
    job_id = client.post(
        "/jobs",
        files={"file": ("cours.pdf", small_pdf.read_bytes())},
        data={"profile": "easy-read", "outputs": "html,report"},
    ).json()["id"]
    _run_queued(settings)
    with client.stream("GET", f"/jobs/{job_id}/events") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        text = "".join(response.iter_text())
    events = [line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("event: ")]
    assert events[:2] == ["queued", "started"] and events[-2:] == ["finished", "done"]
    stages = [line for line in text.splitlines() if line.startswith("data: ") and '"kind": "stage"' in line]
    assert [s.split('"stage": "')[1].split('"')[0] for s in stages] == [
        "convert",
        "analyse",
        "adapt",
        "render",
        "validate",
        "report",
    ]
    # resuming after the third event gives the rest only
    with client.stream("GET", f"/jobs/{job_id}/events", headers={"Last-Event-ID": "3"}) as response:
        resumed = "".join(response.iter_text())
    assert "event: queued" not in resumed and "event: finished" in resumed
    metrics = client.get("/metrics").text
    assert 'inclusio_jobs{status="succeeded"} 1.0' in metrics
    assert (
        'inclusio_job_events_total{event="render"} 1.0' in metrics
        and "inclusio_llm_tokens_total 0.0" in metrics
    )
    assert 'inclusio_http_requests_total{method="POST",route="/jobs",status="202"} 1.0' in metrics
    html = client.get(f"/jobs/{job_id}/artifacts/html")
    assert html.headers["content-disposition"].startswith('attachment; filename="cours.html"')


def test_cleanup_applies_retention_and_removes_crash_leftovers(tmp_path: Path, small_pdf: Path) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from inclusio.store.models import Job, utcnow
    from inclusio.store.retention import cleanup

    settings = make_settings(tmp_path, retention_days=30)
    client = api_client(settings, "admin", enqueue=lambda _k, _j: None)
    ids = [
        client.post(
            "/jobs",
            files={"file": (f"c{i}.pdf", small_pdf.read_bytes())},
            data={"profile": "blind", "outputs": "json"},
        ).json()["id"]
        for i in range(2)
    ]
    _run_queued(settings)
    store = JobStore.from_settings(settings)
    with store.session() as session:  # the first job finished 40 days ago
        session.execute(update(Job).where(Job.id == ids[0]).values(finished_at=utcnow() - timedelta(days=40)))
    leftovers = [
        settings.data_dir / "jobs" / ".work" / f"{ids[1]}-{'a' * 32}",
        settings.data_dir / "tmp" / "upload-x",
    ]
    leftovers[0].mkdir(parents=True)
    leftovers[1].write_bytes(b"half")
    old = time.time() - 7200
    for path in leftovers:
        os.utime(path, (old, old))
    dry = cleanup(settings, dry_run=True)
    assert dry.jobs == [ids[0]] and len(dry.leftovers) == 2 and all(p.exists() for p in leftovers)
    report = cleanup(settings)
    assert report.jobs == [ids[0]] and not any(p.exists() for p in leftovers)
    assert (
        client.get(f"/jobs/{ids[0]}").status_code == 404 and client.get(f"/jobs/{ids[1]}").status_code == 200
    )
    assert (
        not (settings.data_dir / "jobs" / ids[0]).exists() and (settings.data_dir / "jobs" / ids[1]).is_dir()
    )
    assert report.broker_messages == 0  # no worker ever consumed from this broker


def test_a_second_delivery_of_a_finished_job_does_nothing(settings: Settings, small_pdf: Path) -> None:
    from inclusio.jobs import execute as execute_job

    client = api_client(settings, "admin", enqueue=lambda _k, _j: None)
    job_id = client.post(
        "/jobs",
        files={"file": ("c.pdf", small_pdf.read_bytes())},
        data={"profile": "blind", "outputs": "json"},
    ).json()["id"]
    assert execute_job(job_id, settings) == "succeeded"
    files_before = sorted(p.name for p in (settings.data_dir / "jobs" / job_id).iterdir())
    assert execute_job(job_id, settings) == "skipped"
    assert sorted(p.name for p in (settings.data_dir / "jobs" / job_id).iterdir()) == files_before
    job = client.get(f"/jobs/{job_id}").json()
    assert job["attempts"] == 1 and job["status"] == "succeeded"
    assert TestClient(client.app).get(f"/jobs/{job_id}").status_code == 401


def test_llm_tokens_of_a_mistral_job_reach_the_job_row_its_report_and_the_metrics(
    tmp_path: Path, small_pdf: Path, start_worker: Callable[[Settings], RunningWorker]
) -> None:
    # A real worker process adapts through the real SDK against the local Mistral-speaking server;
    # the tokens the server counted end in the job row, its report and /metrics.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "llm"))
    from mistral_server import MistralServer

    with MistralServer() as server:
        settings = make_settings(
            tmp_path,
            engine="mistral",
            mistral_server_url=server.url,
            mistral_api_key="test-key",
            llm_timeout_s=5,
            quality_checks=False,
        )
        client = api_client(settings, "admin")
        worker = start_worker(settings)
        first = submit(client, small_pdf, profile="easy-read", outputs="json,report")
        assert wait_finished(client, first, worker)["status"] == "succeeded"
        billed = server.tokens_billed()
        assert billed > 0
        assert JobStore.from_settings(settings).get(first).llm_tokens == billed
        report = client.get(f"/jobs/{first}/artifacts/report").json()
        assert report["llm_tokens"] == billed
        assert f"inclusio_llm_tokens_total {float(billed)}" in client.get("/metrics").text

        # The same document for another learner: the answers come from the cache, no token is spent.
        calls = len(server.calls())
        second = submit(client, small_pdf, profile="easy-read", outputs="json,report", filename="copie.pdf")
        assert wait_finished(client, second, worker)["status"] == "succeeded"
        assert len(server.calls()) == calls
        assert JobStore.from_settings(settings).get(second).llm_tokens == 0
        metrics = client.get("/metrics").text
        assert f"inclusio_llm_tokens_total {float(billed)}" in metrics
        assert "# HELP inclusio_llm_tokens_total LLM tokens (prompt + completion" in metrics
