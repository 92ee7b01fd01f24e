"""Faults with real processes: a worker killed with kill -9 mid-job, a Redis restarted mid-batch, RabbitMQ queues.

Each job must finish exactly once: one ``finished`` event, its artifacts on disk exactly as recorded,
no attempt folder left behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_helpers import RunningWorker, api_client, make_settings, submit, wait_finished

from inclusio.config import Settings
from inclusio.store.db import JobStore


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def assert_finished_exactly_once(settings: Settings, client: TestClient, job_id: str) -> dict[str, Any]:
    job = client.get(f"/jobs/{job_id}").json()
    assert job["status"] == "succeeded", job
    kinds = [e.kind for e in JobStore.from_settings(settings).events(job_id)]
    assert kinds.count("finished") == 1 and kinds[-1] == "finished", kinds
    folder = settings.data_dir / "jobs" / job_id
    on_disk = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    recorded = sorted(client.get(f"/jobs/{job_id}").json()["artifacts"])
    assert len(on_disk) == len(recorded), (on_disk, recorded)
    for name, record in job["artifacts"].items():
        assert len(client.get(record["url"]).content) == record["bytes"], name
    work = settings.data_dir / "jobs" / ".work"
    assert not work.exists() or not list(work.glob(f"{job_id}-*"))
    job["_events"] = kinds
    return dict(job)


@pytest.mark.slow
def test_a_worker_killed_with_kill_9_mid_job_is_recovered_by_the_watchdog(tmp_path: Path, corpus: Path) -> None:
    from inclusio.service import prepare_broker, start_worker, stop_worker

    # No table detection: the 265-page manual converts in a few seconds, long enough to be caught.
    settings = make_settings(tmp_path, pdf_tables=False, job_stuck_seconds=5, watchdog_interval_seconds=1)
    prepare_broker(settings)
    client = api_client(settings)
    log1 = (tmp_path / "w1.log").open("wb")
    first = start_worker(settings, log_file=log1, new_session=True)
    job_id = submit(client, corpus / "manual-fr-265p.pdf", outputs="json,report", media_type="application/pdf")
    deadline = time.monotonic() + 120
    while (job := client.get(f"/jobs/{job_id}").json())["status"] != "running" or not job["stage"]:
        assert time.monotonic() < deadline and job["status"] in ("queued", "running"), job
        time.sleep(0.02)
    os.killpg(first.pid, signal.SIGKILL)  # the whole worker: main process and job process, no goodbye
    first.wait(10)
    time.sleep(0.5)
    assert client.get(f"/jobs/{job_id}").json()["status"] == "running"  # nobody will ever say otherwise...
    second = RunningWorker(settings, tmp_path / "w2.log")  # ...but the next worker's watchdog does
    try:
        wait_finished(client, job_id, second, timeout=180)
        job = assert_finished_exactly_once(settings, client, job_id)
        assert job["attempts"] == 2 and job["_events"].count("requeued") == 1
        assert job["_events"].count("started") == 2
        assert "re-sent" in second.log()
    finally:
        second.stop()
        log1.close()
        stop_worker(first)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A redis-server of our own on a free port (restarting the shared one would disturb others)."""
    server = shutil.which("redis-server")
    assert server, "redis-server is needed (Debian: redis-server)"
    port = _free_port()
    state: dict[str, Any] = {"port": port, "url": f"redis://127.0.0.1:{port}/0"}

    def start() -> None:
        # No persistence: a restart loses every message, the worst case the watchdog must cover.
        state["proc"] = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                          "--appendonly", "no", "--dir", str(tmp_path)],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)

    def restart() -> None:
        state["proc"].send_signal(signal.SIGKILL)
        state["proc"].wait(10)
        time.sleep(1.0)
        start()

    state["restart"] = restart
    start()
    yield state
    state["proc"].send_signal(signal.SIGTERM)
    state["proc"].wait(10)


@pytest.mark.slow
@pytest.mark.redis
def test_a_redis_restart_mid_batch_loses_no_job_and_runs_none_twice(
        tmp_path: Path, private_redis: dict[str, Any], small_pdf: Path, corpus: Path) -> None:
    settings = make_settings(tmp_path, broker_url=private_redis["url"], job_stuck_seconds=5,
                             watchdog_interval_seconds=1)
    worker = RunningWorker(settings, tmp_path / "worker.log")
    client = api_client(settings)
    try:
        docs = [small_pdf, corpus / "fixture-word.docx", small_pdf, corpus / "table-census-en.pdf", small_pdf]
        ids = [submit(client, doc, outputs="json,report", filename=f"doc-{i}{doc.suffix}") for i, doc in enumerate(docs)]
        deadline = time.monotonic() + 120
        while not any(client.get(f"/jobs/{i}").json()["status"] == "succeeded" for i in ids):
            assert time.monotonic() < deadline, worker.log()[-3000:]
            time.sleep(0.05)
        private_redis["restart"]()  # mid-batch: some done, one running, the rest queued and now lost
        statuses = [client.get(f"/jobs/{i}").json()["status"] for i in ids]
        assert "queued" in statuses or "running" in statuses, statuses
        for job_id in ids:
            wait_finished(client, job_id, worker, timeout=180)
        for job_id in ids:
            job = assert_finished_exactly_once(settings, client, job_id)
            assert job["_events"].count("started") == job["attempts"]
    finally:
        worker.stop()


@pytest.fixture
def rabbit_vhost() -> Iterator[str]:
    """A vhost of our own on the shared RabbitMQ, so other test runs never take our messages."""
    ctl = shutil.which("rabbitmqctl")
    assert ctl, "rabbitmqctl is needed to make a test vhost"
    vhost = f"inclusio-test-{uuid.uuid4().hex[:8]}"
    subprocess.run([ctl, "add_vhost", vhost], check=True, capture_output=True, timeout=60)
    subprocess.run([ctl, "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"], check=True,
                   capture_output=True, timeout=60)
    try:
        yield f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    finally:
        subprocess.run([ctl, "delete_vhost", vhost], capture_output=True, timeout=60)


@pytest.mark.slow
@pytest.mark.rabbitmq
@pytest.mark.postgres
def test_rabbitmq_queues_per_kind_scale_separately(tmp_path: Path, rabbit_vhost: str, pg_url: str,
                                                  small_pdf: Path) -> None:
    settings = make_settings(tmp_path, broker_url=rabbit_vhost, database_url=pg_url)
    from inclusio.service import prepare_broker, start_worker, stop_worker

    prepare_broker(settings)
    client = api_client(settings)
    log = (tmp_path / "cpu.log").open("wb")
    cpu_worker = start_worker(settings, queues=["cpu"], log_file=log)
    audio_worker = None
    try:
        text_job = submit(client, small_pdf, outputs="json,report", media_type="application/pdf")
        audio_job = submit(client, small_pdf, outputs="mp3,report", media_type="application/pdf")
        assert client.get(f"/jobs/{audio_job}").json()["kind"] == "audio"
        wait_finished(client, text_job, None, timeout=120)
        assert_finished_exactly_once(settings, client, text_job)
        time.sleep(1.0)
        assert client.get(f"/jobs/{audio_job}").json()["status"] == "queued"  # no audio worker yet
        audio_worker = start_worker(settings, queues=["audio"], log_file=log)
        wait_finished(client, audio_job, None, timeout=180)
        job = assert_finished_exactly_once(settings, client, audio_job)
        assert "mp3" in job["artifacts"]
    finally:
        for proc in (cpu_worker, audio_worker):
            if proc is not None:
                stop_worker(proc)
        log.close()
