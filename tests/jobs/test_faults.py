"""Faults with real processes: a worker killed with kill -9 mid-job and a broker restarted mid-batch, on the
broker-less default, Redis and RabbitMQ (a private redis-server and a private RabbitMQ node, so the shared
services are never stopped), and RabbitMQ queues per kind.

Each job must finish exactly once: one ``finished`` event, its artifacts on disk exactly as recorded,
no attempt folder left behind, and no message left in the broker.
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
from service_helpers import (
    PrivateRabbitMQ,
    RunningWorker,
    api_client,
    free_port,
    make_settings,
    submit,
    wait_finished,
)

from inclusio.config import Settings
from inclusio.store.jobs import JobStore

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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


def messages_waiting(settings: Settings) -> dict[str, int]:
    """Job queues that still hold messages, with their counts (none once every job has finished and been acknowledged)."""
    from workers.celery_app import create_celery_app
    from workers.tasks import queue_sizes

    return {kind: n for kind, n in queue_sizes(create_celery_app(settings)).items() if n}


@pytest.fixture(scope="module")
def manual_excerpt(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """Pages 21-50 of the corpus manual: a job of 5-15 s, long enough to be killed after its convert stage."""
    import pymupdf

    path = tmp_path_factory.mktemp("excerpt") / "manuel-30-pages.pdf"
    with pymupdf.open(corpus / "manual-fr-265p.pdf") as manual, pymupdf.open() as out:
        out.insert_pdf(manual, from_page=20, to_page=49)
        out.save(path)
    return path


def fault_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """No table detection (faster jobs); the watchdog calls a job stuck after 5 s without heartbeat."""
    return make_settings(
        tmp_path, pdf_tables=False, job_stuck_seconds=5, watchdog_interval_seconds=1, **overrides
    )


def kill_mid_job(
    client: TestClient, job_id: str, worker: subprocess.Popen[bytes], timeout: float = 120
) -> str:
    """``kill -9`` the whole worker (main process and job process) once the job is past its convert stage."""
    deadline = time.monotonic() + timeout
    while (job := client.get(f"/jobs/{job_id}").json())["status"] != "running" or job["stage"] in (
        None,
        "convert",
    ):
        assert time.monotonic() < deadline and job["status"] in ("queued", "running"), job
        time.sleep(0.02)
    os.killpg(worker.pid, signal.SIGKILL)  # no goodbye: no ack, no requeue, no outcome
    worker.wait(10)
    return str(job["stage"])


@pytest.mark.slow
def test_a_worker_killed_with_kill_9_mid_job_is_recovered_by_the_watchdog(
    tmp_path: Path, manual_excerpt: Path
) -> None:
    from inclusio.processes import prepare_broker, start_worker, stop_worker

    settings = fault_settings(tmp_path)
    prepare_broker(settings)
    client = api_client(settings)
    log1 = (tmp_path / "w1.log").open("wb")
    first = start_worker(settings, log_file=log1, new_session=True)
    job_id = submit(client, manual_excerpt, outputs="json,report", media_type="application/pdf")
    kill_mid_job(client, job_id, first)
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
        second.kill()
        log1.close()
        stop_worker(first)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A redis-server of our own on a free port (restarting the shared one would disturb others)."""
    server = shutil.which("redis-server")
    assert server, "redis-server is needed (Debian: redis-server)"
    port = free_port()
    state: dict[str, Any] = {"port": port, "url": f"redis://127.0.0.1:{port}/0"}

    def start() -> None:
        # No persistence: a restart loses every message, the worst case the watchdog must cover.
        state["proc"] = subprocess.Popen(
            [
                server,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp_path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
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
    tmp_path: Path, private_redis: dict[str, Any], small_pdf: Path, corpus: Path
) -> None:
    settings = make_settings(
        tmp_path, broker_url=private_redis["url"], job_stuck_seconds=5, watchdog_interval_seconds=1
    )
    worker = RunningWorker(settings, tmp_path / "worker.log")
    client = api_client(settings)
    try:
        docs = [small_pdf, corpus / "fixture-word.docx", small_pdf, corpus / "table-census-en.pdf", small_pdf]
        ids = [
            submit(client, doc, outputs="json,report", filename=f"doc-{i}{doc.suffix}")
            for i, doc in enumerate(docs)
        ]
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
        worker.kill()


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.postgres
def test_a_worker_killed_with_kill_9_mid_job_on_redis_runs_the_job_once(
    tmp_path: Path,
    private_redis: dict[str, Any],
    pg_db: str,
    manual_excerpt: Path,
    small_pdf: Path,
    corpus: Path,
) -> None:
    """Redis keeps the killed attempt's message unacknowledged for the visibility timeout (6 h); the product
    does not wait for it: the watchdog re-sends the job, and the message Redis hands out 6 h later is a no-op."""
    import redis
    from kombu import Connection

    from inclusio.processes import prepare_broker, start_worker, stop_worker

    settings = fault_settings(tmp_path, broker_url=private_redis["url"], database_url=pg_db)
    prepare_broker(settings)
    client = api_client(settings)
    log1 = (tmp_path / "w1.log").open("wb")
    first = start_worker(settings, log_file=log1, new_session=True)
    long_id = submit(client, manual_excerpt, outputs="json,report", media_type="application/pdf")
    behind = [
        submit(client, small_pdf, outputs="json,report", media_type="application/pdf"),
        submit(client, corpus / "fixture-word.docx", outputs="epub,report", media_type=DOCX),
    ]
    kill_mid_job(client, long_id, first)
    r = redis.Redis.from_url(private_redis["url"])
    unacked = [v.decode() for v in r.hvals("unacked")]
    assert len(unacked) == 1 and long_id in unacked[0], unacked  # prefetch 1: only the running job's message
    assert client.get(f"/jobs/{long_id}").json()["status"] == "running"
    second = RunningWorker(settings, tmp_path / "w2.log")
    try:
        for job_id in (long_id, *behind):
            wait_finished(client, job_id, second, timeout=180)
        assert "re-sent" in second.log()
        # Six hours later: Redis hands the killed attempt's message out again (a visibility timeout of 0
        # here, the same restore the worker runs every few seconds). The worker ignores it.
        with Connection(private_redis["url"], transport_options={"visibility_timeout": 0}) as conn:
            conn.default_channel.qos.restore_visible(num=100)
        deadline = time.monotonic() + 30
        while f"job {long_id}: not queued" not in second.log():
            assert time.monotonic() < deadline, second.log()[-3000:]
            time.sleep(0.1)
        for job_id in (long_id, *behind):
            job = assert_finished_exactly_once(settings, client, job_id)
            assert job["_events"].count("started") == job["attempts"]
        job = assert_finished_exactly_once(settings, client, long_id)
        assert job["attempts"] == 2 and job["_events"].count("requeued") == 1
        deadline = time.monotonic() + 10
        while r.hlen("unacked") or messages_waiting(settings):
            assert time.monotonic() < deadline, (r.hgetall("unacked"), messages_waiting(settings))
            time.sleep(0.1)
    finally:
        second.kill()
        log1.close()
        stop_worker(first)
        r.close()


@pytest.fixture
def rabbit_vhost() -> Iterator[str]:
    """A vhost of our own on the shared RabbitMQ, so other test runs never take our messages."""
    ctl = shutil.which("rabbitmqctl")
    assert ctl, "rabbitmqctl is needed to make a test vhost"
    vhost = f"inclusio-test-{uuid.uuid4().hex[:8]}"
    subprocess.run([ctl, "add_vhost", vhost], check=True, capture_output=True, timeout=60)
    subprocess.run(
        [ctl, "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    try:
        yield f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    finally:
        subprocess.run([ctl, "delete_vhost", vhost], capture_output=True, timeout=60)


@pytest.mark.slow
@pytest.mark.rabbitmq
@pytest.mark.postgres
def test_rabbitmq_queues_per_kind_scale_separately(
    tmp_path: Path, rabbit_vhost: str, pg_url: str, small_pdf: Path
) -> None:
    settings = make_settings(tmp_path, broker_url=rabbit_vhost, database_url=pg_url)
    cpu_worker = RunningWorker(settings, tmp_path / "cpu.log", queues=["cpu"])
    client = api_client(settings)
    audio_worker = None
    try:
        text_job = submit(client, small_pdf, outputs="json,report", media_type="application/pdf")
        audio_job = submit(client, small_pdf, outputs="mp3,report", media_type="application/pdf")
        assert client.get(f"/jobs/{audio_job}").json()["kind"] == "audio"
        wait_finished(client, text_job, cpu_worker, timeout=120)
        assert_finished_exactly_once(settings, client, text_job)
        time.sleep(1.0)
        assert client.get(f"/jobs/{audio_job}").json()["status"] == "queued"  # no audio worker yet
        audio_worker = RunningWorker(settings, tmp_path / "audio.log", queues=["audio"])
        wait_finished(client, audio_job, audio_worker, timeout=180)
        job = assert_finished_exactly_once(settings, client, audio_job)
        assert "mp3" in job["artifacts"]
    finally:
        for worker in (cpu_worker, audio_worker):
            if worker is not None:
                worker.kill()


@pytest.fixture(scope="module")
def private_rabbitmq(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateRabbitMQ]:
    """A RabbitMQ node of our own on free ports (restarting the shared one would disturb others), one for
    the module: an Erlang node takes seconds to boot (tens on a loaded machine). Each test that uses it
    ends with no message left in its queues (asserted), and its jobs live in a database of the test's own
    (``pg_db``), so the next test starts from empty queues. Killed at the end: it is thrown away."""
    node = PrivateRabbitMQ(tmp_path_factory.mktemp("rabbitmq"))
    node.start()
    try:
        yield node
    finally:
        node.kill()


@pytest.mark.slow
@pytest.mark.rabbitmq
@pytest.mark.postgres
def test_a_worker_killed_with_kill_9_mid_job_on_rabbitmq_runs_the_job_once(
    tmp_path: Path,
    private_rabbitmq: PrivateRabbitMQ,
    pg_db: str,
    manual_excerpt: Path,
    small_pdf: Path,
    corpus: Path,
) -> None:
    """RabbitMQ gives the killed attempt's message back at once (its connection closed): the next worker
    finds the job still running under the dead attempt's lease and ignores it; the watchdog re-sends the
    job once the heartbeat has stopped long enough."""
    from inclusio.processes import prepare_broker, start_worker, stop_worker

    settings = fault_settings(tmp_path, broker_url=private_rabbitmq.url, database_url=pg_db)
    prepare_broker(settings)
    client = api_client(settings)
    log1 = (tmp_path / "w1.log").open("wb")
    first = start_worker(settings, log_file=log1, new_session=True)
    long_id = submit(client, manual_excerpt, outputs="json,report", media_type="application/pdf")
    behind = [
        submit(client, small_pdf, outputs="json,report", media_type="application/pdf"),
        submit(client, corpus / "fixture-word.docx", outputs="epub,report", media_type=DOCX),
    ]
    kill_mid_job(client, long_id, first)
    second = RunningWorker(settings, tmp_path / "w2.log")
    try:
        for job_id in (long_id, *behind):
            wait_finished(client, job_id, second, timeout=180)
        log = second.log()
        assert f"job {long_id}: not queued" in log, log[-3000:]  # the redelivered message: a no-op
        assert "re-sent" in log
        for job_id in (long_id, *behind):
            job = assert_finished_exactly_once(settings, client, job_id)
            assert job["_events"].count("started") == job["attempts"]
        job = assert_finished_exactly_once(settings, client, long_id)
        assert job["attempts"] == 2 and job["_events"].count("requeued") == 1
        deadline = time.monotonic() + 10
        while waiting := messages_waiting(settings):
            assert time.monotonic() < deadline, waiting
            time.sleep(0.1)
    finally:
        second.kill()
        log1.close()
        stop_worker(first)


@pytest.mark.slow
@pytest.mark.rabbitmq
@pytest.mark.postgres
def test_a_rabbitmq_restart_mid_batch_loses_no_job_and_runs_none_twice(
    tmp_path: Path,
    private_rabbitmq: PrivateRabbitMQ,
    pg_db: str,
    manual_excerpt: Path,
    small_pdf: Path,
    corpus: Path,
) -> None:
    """The node is killed (-9) while one job runs and others wait, then started again: the running job goes
    on through the outage, the waiting ones come back from disk (durable queues, persistent messages) or
    are re-sent by the watchdog, the API publishes again, and nothing runs twice."""
    settings = fault_settings(tmp_path, broker_url=private_rabbitmq.url, database_url=pg_db)
    worker = RunningWorker(settings, tmp_path / "worker.log")
    client = api_client(settings)
    try:
        ids = [
            submit(client, small_pdf, outputs="json,report", media_type="application/pdf"),
            submit(client, manual_excerpt, outputs="json,report", media_type="application/pdf"),
            submit(client, corpus / "fixture-word.docx", outputs="epub,report", media_type=DOCX),
            submit(
                client, corpus / "table-census-en.pdf", outputs="json,report", media_type="application/pdf"
            ),
        ]
        deadline = time.monotonic() + 120
        while (job := client.get(f"/jobs/{ids[1]}").json())["stage"] in (None, "convert"):
            assert time.monotonic() < deadline and job["status"] in ("queued", "running"), worker.log()[
                -3000:
            ]
            time.sleep(0.02)
        statuses = [client.get(f"/jobs/{i}").json()["status"] for i in ids]
        assert statuses == ["succeeded", "running", "queued", "queued"], statuses
        private_rabbitmq.restart()
        # The API's connection died with the node: the next upload must reach the new one.
        ids.append(
            submit(
                client,
                corpus / "fixture-slides-notes.pptx",
                outputs="json,report",
                media_type="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            )
        )
        for job_id in ids:
            wait_finished(client, job_id, worker, timeout=180)
        for job_id in ids:
            job = assert_finished_exactly_once(settings, client, job_id)
            assert job["_events"].count("started") == job["attempts"]
        # The running job was never interrupted: the worker kept it through the outage.
        assert client.get(f"/jobs/{ids[1]}").json()["attempts"] == 1
        deadline = time.monotonic() + 10
        while waiting := messages_waiting(settings):
            assert time.monotonic() < deadline, waiting
            time.sleep(0.1)
        print(
            f"\n  duplicate deliveries ignored: {worker.log().count(': not queued')}; "
            f"re-sent by the watchdog: {worker.log().count('re-sent')}"
        )
    finally:
        worker.kill()
