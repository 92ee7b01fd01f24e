"""The operator commands: `inclusio batch` against a real worker, `inclusio users`, `inclusio cleanup`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from service_helpers import RunningWorker, make_settings

from inclusio.config import Settings
from inclusio.processes import settings_env
from inclusio.store.batches import BatchStore
from inclusio.store.jobs import JobFilter, JobStore


def _inclusio(settings: Settings, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "inclusio.cli", *args],
        env=settings_env(settings),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_batch_submits_a_folder_and_follows_it_to_the_end(
    tmp_path: Path, start_worker: Callable[[Settings], RunningWorker], small_pdf: Path, corpus: Path
) -> None:
    settings = make_settings(tmp_path)
    folder = tmp_path / "semestre"
    folder.mkdir()
    shutil.copy(small_pdf, folder / "cours 1.pdf")
    shutil.copy(corpus / "fixture-word.docx", folder / "td.docx")
    (folder / "lisez-moi.txt").write_text("not a document")
    worker = start_worker(settings)
    worker.wait_ready()  # `batch` refuses to queue for no worker (queue.no_worker)
    out = _inclusio(settings, "batch", str(folder), "--profile", "blind", "--to", "json,report")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 job(s) queued on 'cpu'" in out.stdout and "2 succeeded" in out.stdout, out.stdout
    store = JobStore.from_settings(settings)
    [batch] = BatchStore(store.db).list()
    jobs = store.list(JobFilter(batch_id=batch.id))
    assert batch.name == "semestre" and sorted(j.filename for j in jobs) == ["cours 1.pdf", "td.docx"]
    assert all(j.status == "succeeded" and "json" in j.artifacts for j in jobs)
    missing = _inclusio(settings, "batch", str(tmp_path / "nowhere"), "--profile", "blind")
    assert missing.returncode == 3 and "[input.not_found]" in missing.stderr
    worker.stop()  # the worker that listened is gone: the next batch says so instead of waiting (issue 17)
    gone = _inclusio(settings, "batch", str(folder), "--profile", "blind", "--to", "json")
    assert gone.returncode == 6 and "[queue.no_worker]" in gone.stderr, gone.stderr
    assert len(store.list(JobFilter())) == 2  # nothing more was queued


def test_users_and_tokens_from_the_command_line_and_cleanup(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    made = _inclusio(
        settings,
        "users",
        "create",
        "mme.leroy",
        "--role",
        "staff",
        "--password-stdin",
        stdin="un mot de passe\n",
    )
    assert made.returncode == 0 and "mme.leroy (staff, default)" in made.stdout, made.stderr
    again = _inclusio(settings, "users", "create", "mme.leroy", "--password-stdin", stdin="un mot de passe\n")
    assert again.returncode == 4 and "user.exists" in again.stderr
    token = _inclusio(settings, "users", "token", "mme.leroy").stdout.strip()
    from fastapi.testclient import TestClient

    from inclusio.server import create_app

    client = TestClient(create_app(settings, enqueue=lambda _k, _j: None))
    assert client.get("/me", headers={"Authorization": f"Bearer {token}"}).json()["role"] == "staff"
    assert (
        client.post("/auth/token", data={"username": "mme.leroy", "password": "un mot de passe"}).status_code
        == 200
    )
    listed = _inclusio(settings, "users", "list")
    assert "mme.leroy" in listed.stdout and "staff" in listed.stdout
    report = json.loads(_inclusio(settings, "cleanup", "--dry-run").stdout)
    assert report == {
        "jobs": 0,
        "originals": 0,
        "leftovers": 0,
        "tokens": 0,
        "broker_messages": 0,
        "dry_run": True,
    }
