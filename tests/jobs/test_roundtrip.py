"""Upload -> queue -> real Celery worker process -> job row -> download, on each broker/database pair."""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from service_helpers import RunningWorker, api_client, free_port, make_settings, submit, wait_finished

from inclusio.config import Settings
from inclusio.processes import settings_env

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def check_artifact(name: str, response: httpx.Response, media_type: str) -> None:
    """The downloaded bytes are a real file of their kind, served under its own name and type."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "attachment" in response.headers["content-disposition"]
    data = response.content
    if name == "epub":
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            first = book.infolist()[0]
            assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
            assert book.read("mimetype") == b"application/epub+zip"
            assert "META-INF/container.xml" in book.namelist()
            assert any(n.endswith(".xhtml") for n in book.namelist())
        assert ".epub" in response.headers["content-disposition"]
    elif name == "html":
        text = data.decode("utf-8")
        assert "<html" in text.lower() and "lang=" in text
    elif name == "mp3":
        assert data[:3] == b"ID3" or (data[0] == 0xFF and data[1] & 0xE0 == 0xE0)
        assert len(data) > 2000
    elif name in ("report", "json"):
        parsed = json.loads(data)
        assert isinstance(parsed, dict) and parsed
    else:
        assert data


def round_trip(
    client: TestClient,
    worker: RunningWorker,
    path: Path,
    *,
    outputs: str,
    media_type: str,
    profile: str = "dyslexia",
) -> tuple[dict[str, Any], float]:
    """Submit ``path``, wait for the job, download and check every artifact; returns (job, seconds)."""
    started = time.perf_counter()
    job_id = submit(client, path, profile=profile, outputs=outputs, media_type=media_type)
    job = wait_finished(client, job_id, worker)
    seconds = time.perf_counter() - started
    assert job["status"] in ("succeeded", "partial"), (job["errors"], worker.log()[-3000:])
    assert job["progress"] == 1.0 and job["started_at"] and job["finished_at"] >= job["started_at"]
    assert job["stage"] == "report" and job["attempts"] == 1
    for name in outputs.split(","):
        assert name in job["artifacts"], (name, job["errors"])
    for name, record in job["artifacts"].items():
        response = client.get(record["url"])
        assert len(response.content) == record["bytes"]
        check_artifact(name, response, record["media_type"])
    report = client.get(job["artifacts"]["report"]["url"]).json()
    assert report["status"] == job["status"] and report["profile"] == profile
    print(
        f"\n  round trip {path.name} [{outputs}] via {worker.log().count('received')} task(s): {seconds:.2f} s"
    )
    return job, seconds


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, RunningWorker]]:
    """One worker on the embedded default (SQLite database, SQL broker in the data folder) for the tests of
    this module that run on it, one after the other, as jobs do on a service: a worker starts and stops in
    seconds, which each test paid again. EPUBCheck is on for the job that asks for an EPUB to be checked
    through the queue; the others ask for outputs without an EPUB."""
    tmp = tmp_path_factory.mktemp("embedded")
    settings = make_settings(tmp, validate_epub=True)
    assert settings.resolved_broker_url().startswith("sqla+sqlite:///")
    assert settings.resolved_database_url().startswith("sqlite:///")
    worker = RunningWorker(settings, tmp / "worker.log")
    yield settings, worker
    worker.kill()


def cached_documents(settings: Settings, path: Path) -> list[Path]:
    """The converted Documents of ``path``'s bytes in the workers' shared cache."""
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return list((settings.data_dir / "cache" / "documents").glob(f"{sha}-*.json"))


@pytest.mark.slow
def test_embedded_default_round_trip_pdf_all_outputs_and_docx(
    embedded: tuple[Settings, RunningWorker], small_pdf: Path, corpus: Path
) -> None:
    settings, worker = embedded  # EPUBCheck on: the first job's EPUB is checked through the queue
    client = api_client(settings)

    job, _ = round_trip(
        client, worker, small_pdf, outputs="epub,html,mp3,report,json", media_type="application/pdf"
    )
    report = client.get(job["artifacts"]["report"]["url"]).json()
    assert report["validation"]["epubcheck"]["ran"] is True
    assert report["validation"]["epubcheck"]["errors"] == 0
    assert "running" in job["_seen_states"] or job["_seen_states"] >= {"queued"}

    assert len(cached_documents(settings, small_pdf)) == 1

    # (An EPUB again would be checked again: the Word document's round trip asks for its HTML.)
    docx = corpus / "fixture-word.docx"
    job, _ = round_trip(client, worker, docx, outputs="html,report", media_type=DOCX)
    assert job["filename"] == "fixture-word.docx"

    # The same document for another profile is not converted again: the worker reads the
    # Document cached by content.
    assert len(cached_documents(settings, docx)) == 1
    job, _ = round_trip(client, worker, docx, outputs="report", media_type=DOCX, profile="blind")
    report = client.get(job["artifacts"]["report"]["url"]).json()
    assert report["input"]["from_cache"] is True and report["profile"] == "blind"
    assert len(cached_documents(settings, docx)) == 1


@pytest.mark.redis
@pytest.mark.postgres
def test_production_shape_round_trip_redis_broker_postgres_database(
    tmp_path: Path,
    start_worker: Callable[[Settings], RunningWorker],
    redis_url: str,
    pg_url: str,
    small_pdf: Path,
    corpus: Path,
) -> None:
    settings = make_settings(tmp_path, broker_url=redis_url, database_url=pg_url)
    worker = start_worker(settings)
    client = api_client(settings)
    round_trip(client, worker, small_pdf, outputs="epub,report", media_type="application/pdf")
    round_trip(client, worker, corpus / "fixture-word.docx", outputs="json,report", media_type=DOCX)
    assert not (settings.data_dir / "broker.db").exists()  # really went through Redis
    assert not (settings.data_dir / "inclusio.db").exists()  # and PostgreSQL


@pytest.mark.redis
def test_round_trip_redis_broker_sqlite_database(
    tmp_path: Path, start_worker: Callable[[Settings], RunningWorker], redis_url: str, small_pdf: Path
) -> None:
    settings = make_settings(tmp_path, broker_url=redis_url)
    worker = start_worker(settings)
    client = api_client(settings)
    round_trip(client, worker, small_pdf, outputs="epub,report", media_type="application/pdf")


def test_a_corrupt_file_fails_with_a_code_and_the_next_job_on_the_same_worker_succeeds(
    tmp_path: Path, embedded: tuple[Settings, RunningWorker], small_pdf: Path, corrupt_pdf: Path
) -> None:
    settings, worker = embedded
    client = api_client(settings)
    bad_id = submit(client, corrupt_pdf, outputs="epub,report", media_type="application/pdf")
    garbage = tmp_path / "notes.docx"  # random bytes under a Word name: refused at the upload by sniffing
    garbage.write_bytes(os.urandom(4096))
    with garbage.open("rb") as fh:
        refused = client.post("/jobs", files={"file": ("notes.docx", fh, DOCX)}, data={"profile": "dyslexia"})
    assert refused.status_code == 415 and refused.json()["error"]["code"] == "input.unsupported"
    bad = wait_finished(client, bad_id, worker)
    assert bad["status"] == "failed" and bad["artifacts"].keys() <= {"report"}
    error = bad["errors"][0]
    assert error["code"].startswith("input.") and error["stage"] == "convert", error
    assert error["message"] and error["message_fr"]
    pid = worker.proc.pid
    round_trip(client, worker, small_pdf, outputs="html,report", media_type="application/pdf")
    assert worker.proc.poll() is None and worker.proc.pid == pid


@pytest.mark.slow
def test_a_killed_job_process_is_recorded_as_worker_lost_and_the_worker_goes_on(
    embedded: tuple[Settings, RunningWorker], small_pdf: Path, corpus: Path
) -> None:
    settings, worker = embedded
    client = api_client(settings)
    # A 265-page manual takes long enough to be caught running.
    job_id = submit(
        client, corpus / "manual-fr-265p.pdf", outputs="epub,report", media_type="application/pdf"
    )
    deadline = time.monotonic() + 120
    while client.get(f"/jobs/{job_id}").json()["status"] != "running":
        assert time.monotonic() < deadline, worker.log()[-3000:]
        time.sleep(0.02)
    [child] = worker.child_pids()
    os.kill(child, signal.SIGKILL)  # what the OOM killer or a segfault in a C library does
    job = wait_finished(client, job_id, worker, timeout=60)
    assert job["status"] == "failed" and job["errors"][0]["code"] == "job.worker_lost", job["errors"]
    assert job["errors"][0]["message_fr"]
    round_trip(client, worker, small_pdf, outputs="html,report", media_type="application/pdf")
    assert worker.child_pids() != [child]


@pytest.mark.slow
def test_serve_runs_the_api_and_a_worker_and_stops_both_on_ctrl_c(tmp_path: Path, small_pdf: Path) -> None:
    settings = make_settings(tmp_path)
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"from inclusio.config import Settings; from inclusio.processes import serve; "
            f"serve(Settings(), port={port})",
        ],
        env=settings_env(settings),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.1)
        # The first start created the admin and printed a password and a bearer token, once.
        import re

        text = (tmp_path / "serve.log").read_text()
        assert "created the admin account 'admin'" in text and "password" in text, text[-2000:]
        auth = {"Authorization": f"Bearer {re.search(r'(inc_[A-Za-z0-9_-]+)', text).group(1)}"}  # type: ignore[union-attr]
        assert httpx.get(f"{base}/jobs").status_code == 401
        with small_pdf.open("rb") as fh:
            response = httpx.post(
                f"{base}/jobs",
                files={"file": ("Cours.pdf", fh, "application/pdf")},
                data={"profile": "low-vision", "outputs": "html,report"},
                timeout=30,
                headers=auth,
            )
        assert response.status_code == 202, response.text
        job_url = f"{base}/jobs/{response.json()['id']}"
        while (job := httpx.get(job_url, headers=auth).json())["status"] not in (
            "succeeded",
            "partial",
            "failed",
        ):
            assert time.monotonic() < deadline + 120, (tmp_path / "serve.log").read_text()
            time.sleep(0.1)
        assert job["status"] == "succeeded", job["errors"]
        html = httpx.get(base + job["artifacts"]["html"]["url"], headers=auth)
        check_artifact("html", html, "text/html")
        assert 'filename="Cours.html"' in html.headers["content-disposition"]
    finally:
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole process group
        proc.wait(60)
        log.close()
    assert proc.returncode is not None
    text = (tmp_path / "serve.log").read_text()
    assert "Warm shutdown" in text or "worker: " in text, text[-2000:]
    assert subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True).stdout.strip() == b""


def test_run_worker_runs_jobs_in_the_calling_process_and_stops_on_sigterm(
    tmp_path: Path, small_pdf: Path
) -> None:
    settings = make_settings(tmp_path)
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from inclusio.config import Settings; from inclusio.processes import run_worker; "
                "run_worker(Settings(), queues=None, concurrency=1)",
            ],
            env=settings_env(settings),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            client = api_client(settings)
            job_id = submit(client, small_pdf, outputs="json,report", media_type="application/pdf")
            deadline = time.monotonic() + 120
            while (job := client.get(f"/jobs/{job_id}").json())["status"] not in (
                "succeeded",
                "partial",
                "failed",
            ):
                assert proc.poll() is None and time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.05)
            assert job["status"] == "succeeded", job["errors"]
            assert json.loads(client.get(job["artifacts"]["json"]["url"]).content)
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(30) == 0, log_path.read_text()[-2000:]
    assert str(settings.data_dir) in log_path.read_text()  # it used the settings it was given


@pytest.mark.slow
def test_a_learners_reading_adjustments_reach_the_outputs(embedded: tuple[Settings, RunningWorker]) -> None:
    settings, worker = embedded
    client = api_client(settings)
    sample = Path(__file__).resolve().parents[2] / "samples" / "handout-water-cycle-en.docx"
    with sample.open("rb") as fh:
        response = client.post(
            "/jobs",
            files={"file": (sample.name, fh, DOCX)},
            data={
                "profile": "dyslexia",
                "outputs": "html,report",
                "reading": '{"font_size_rem": 2.2, "line_height": 2.4}',
            },
        )
    assert response.status_code == 202, response.text
    job = wait_finished(client, response.json()["id"], worker)
    assert job["status"] == "succeeded", job["errors"]
    html = client.get(job["artifacts"]["html"]["url"]).text
    assert "2.2rem" in html and "line-height: 2.4" in html
    report = client.get(job["artifacts"]["report"]["url"]).json()
    assert report["reading"]["font_size_rem"] == 2.2
    # The rest of the profile is the base profile's.
    assert report["reading"]["letter_spacing_em"] == 0.05
