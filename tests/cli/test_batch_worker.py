"""`inclusio batch` with no worker listening (issue 17): it said nothing and waited 24 hours. Now it says so
at once with `queue.no_worker` (how to start one), or converts the documents itself with --here."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from service_helpers import make_settings

from inclusio.config import Settings
from inclusio.jobs.presence import worker_listening
from inclusio.processes import settings_env
from inclusio.store.jobs import JobFilter, JobStore


def _inclusio(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "inclusio.cli", *args],
        env={**settings_env(settings), "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_batch_without_a_worker_says_so_at_once_and_runs_here_when_asked(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)  # the embedded default: SQLite database, broker-less queue
    folder = tmp_path / "cours"
    folder.mkdir()
    (folder / "volcans.md").write_text("# Les volcans\n\nUn volcan rejette de la lave.\n", encoding="utf-8")
    started = time.monotonic()
    refused = _inclusio(settings, "batch", str(folder), "--profile", "blind", "--to", "json")
    assert time.monotonic() - started < 120  # it ends (the start-up of Python; it used to wait 24 h)
    assert refused.returncode == 6, refused.stdout + refused.stderr
    said = " ".join(refused.stderr.split())
    assert "[queue.no_worker]" in said and "'inclusio worker'" in said and "--here" in said
    assert "« inclusio worker »" in said  # and in French
    assert "Traceback" not in said
    store = JobStore.from_settings(settings)
    store.migrate()
    assert store.list(JobFilter()) == []  # nothing was queued for a worker that is not there

    here = _inclusio(settings, "batch", str(folder), "--profile", "blind", "--to", "json", "--here")
    assert here.returncode == 0, here.stdout + here.stderr
    assert "1 job(s) to convert here" in here.stdout and "1 succeeded" in here.stdout, here.stdout
    [job] = store.list(JobFilter())
    assert job.status == "succeeded" and "json" in job.artifacts
    store.dispose()


def test_no_worker_on_redis_is_known_within_the_timeout(tmp_path: Path, redis_url: str) -> None:
    settings = make_settings(tmp_path, broker_url=redis_url)
    started = time.monotonic()
    assert worker_listening(settings, "inclusio.cpu", timeout=1.0) is False
    assert time.monotonic() - started < 15
