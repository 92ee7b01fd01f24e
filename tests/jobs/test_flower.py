"""Flower (Celery's monitoring UI) works against inclusio's workers on Redis: it sees the worker and the job."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from service_helpers import RunningWorker, api_client, make_settings, submit, wait_finished, wait_port

from inclusio.config import Settings
from inclusio.processes import settings_env

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - 127.0.0.1 only
        return json.loads(response.read())


def _poll(fetch: Callable[[], Any], accept: Callable[[Any], bool], seconds: float) -> Any:
    deadline, last = time.monotonic() + seconds, None
    while time.monotonic() < deadline:
        try:
            last = fetch()
            if accept(last):
                return last
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"Flower did not show it in {seconds:.0f} s; last answer: {last!r}")


@pytest.mark.slow
@pytest.mark.redis
def test_flower_lists_the_worker_and_the_finished_job(
    tmp_path: Path, start_worker: Callable[[Settings], RunningWorker], redis_url: str
) -> None:
    settings = make_settings(tmp_path, broker_url=redis_url)
    port = _free_port()
    env = settings_env(settings) | {"FLOWER_UNAUTHENTICATED_API": "true"}
    log = (tmp_path / "flower.log").open("wb")
    flower = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "workers.celery_app",
            "flower",
            f"--port={port}",
            "--address=127.0.0.1",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    try:
        worker = start_worker(settings)
        # Under load both start slowly: wait for each, then give Flower 60 s to see the worker.
        wait_port(port, 240, flower, "Flower")
        worker.wait_ready()
        base = f"http://127.0.0.1:{port}"
        workers = _poll(lambda: _get(f"{base}/api/workers?refresh=1"), lambda answer: bool(answer), 60)
        assert any(name.startswith("inclusio") or "@" in name for name in workers)

        client = api_client(settings)
        job_id = submit(client, ROOT / "samples" / "handout-water-cycle-en.docx", outputs="json,report")
        job = wait_finished(client, job_id, worker)
        assert job["status"] == "succeeded"
        tasks = _poll(
            lambda: _get(f"{base}/api/tasks"),
            lambda answer: any(t.get("state") == "SUCCESS" for t in answer.values()),
            30,
        )
        done = [t for t in tasks.values() if t.get("state") == "SUCCESS"]
        assert done[0]["name"].startswith("inclusio.job.") and job_id in str(done[0]["args"])
    finally:
        flower.terminate()
        flower.wait(20)
        log.close()
