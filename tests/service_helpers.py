"""Helpers shared by the service tests: settings in a temporary folder, a real worker process, polling,
a private RabbitMQ node."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from inclusio.config import Settings

FINISHED = {"succeeded", "partial", "failed"}


def make_settings(tmp: Path, **overrides: Any) -> Settings:
    """Settings for a test of the service (API, queue, faults): everything under ``tmp``; EPUBCheck off
    unless asked (it takes ~15 s), and the quality checks off unless asked (spaCy's load and the rule and
    faithfulness checks are a third of a sample job's CPU; tests/analysis and tests/pipeline test them)."""
    values: dict[str, Any] = {"data_dir": tmp / "data", "validate_epub": False, "quality_checks": False}
    values.update(overrides)
    return Settings(**values)


class RunningWorker:
    """A real Celery worker child process, in a process group of its own (main process and job
    processes); its log is printed when a test fails."""

    def __init__(self, settings: Settings, log_path: Path, queues: list[str] | None = None) -> None:
        from inclusio.processes import prepare_broker, start_worker

        prepare_broker(settings)
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.proc = start_worker(settings, queues=queues, log_file=self._log, new_session=True)

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout: float = 240.0) -> None:
        """Wait until the worker says it is ready (its log's ``... ready.``), however loaded the machine."""
        deadline = time.monotonic() + timeout
        while " ready." not in self.log():
            if self.proc.poll() is not None:
                pytest.fail(f"the worker exited ({self.proc.returncode}):\n{self.log()[-4000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"the worker was not ready in {timeout:.0f} s:\n{self.log()[-4000:]}")
            time.sleep(0.2)

    def child_pids(self) -> list[int]:
        """Pids of the pool processes (children of the worker's main process)."""
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    def stop(self) -> None:
        """Stop the worker as an operator does (SIGTERM, warm shutdown): for the tests that check it is gone."""
        from inclusio.processes import stop_worker

        stop_worker(self.proc, timeout=20)
        self._log.close()

    def kill(self) -> None:
        """End the worker at once: ``kill -9`` of its process group (main process and job processes).

        For the end of a test, which checks nothing of the shutdown (``stop`` is for those that do): the
        warm shutdown on the SQL broker waits for the worker's 2-s poll, then joins its pool threads and
        processes, ~5 s a worker (twice that on a loaded machine), for nothing the test asserts.
        """
        if self.proc.poll() is None:  # not reaped yet: its pid is still its group's id
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self._log.close()


def make_user(
    settings: Settings,
    role: str = "admin",
    *,
    institution: str = "default",
    username: str | None = None,
    password: str | None = None,
) -> tuple[str, str]:
    """A user in the service database and a bearer token for them: ``(user_id, token)``."""
    import uuid

    from inclusio.store.accounts import UserStore
    from inclusio.store.jobs import JobStore

    store = JobStore.from_settings(settings)
    store.migrate()
    users = UserStore(store.engine)
    user = users.create_user(
        username or f"{role}-{uuid.uuid4().hex[:8]}", role=role, institution=institution, password=password
    )
    token, _ = users.issue_token(user.id, hours=1)
    store.dispose()
    return user.id, token


def api_client(
    settings: Settings, role: str = "admin", *, institution: str = "default", **kw: Any
) -> TestClient:
    """A TestClient of the API signed in as a new user of ``role`` (``client.user_id`` is their id)."""
    from inclusio.server import create_app

    client = TestClient(create_app(settings, **kw))
    user_id, token = make_user(settings, role, institution=institution)
    client.headers["Authorization"] = f"Bearer {token}"
    client.user_id = user_id  # type: ignore[attr-defined]
    return client


def submit(
    client: TestClient,
    path: Path,
    profile: str = "dyslexia",
    outputs: str | None = "epub,report",
    filename: str | None = None,
    media_type: str = "application/octet-stream",
) -> str:
    data = {"profile": profile}
    if outputs:
        data["outputs"] = outputs
    with path.open("rb") as fh:
        response = client.post("/jobs", files={"file": (filename or path.name, fh, media_type)}, data=data)
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["status"] == "queued" and body["links"]["self"] == f"/jobs/{body['id']}"
    return str(body["id"])


def wait_finished(
    client: TestClient, job_id: str, worker: RunningWorker | None = None, timeout: float = 240.0
) -> dict[str, Any]:
    """Poll ``GET /jobs/{id}`` until the job has finished (fails with the worker's log on timeout)."""
    deadline = time.monotonic() + timeout
    seen_states: set[str] = set()
    while time.monotonic() < deadline:
        job = client.get(f"/jobs/{job_id}").json()
        seen_states.add(job["status"])
        if job["status"] in FINISHED:
            job["_seen_states"] = seen_states
            return dict(job)
        if worker is not None and worker.proc.poll() is not None:
            pytest.fail(f"the worker exited ({worker.proc.returncode}):\n{worker.log()[-4000:]}")
        time.sleep(0.05)
    pytest.fail(
        f"job {job_id} did not finish in {timeout} s (last: {job}):\n{worker.log()[-4000:] if worker else ''}"
    )


def free_port() -> int:
    """A TCP port nobody listens on right now (127.0.0.1)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(
    port: int, timeout: float, proc: subprocess.Popen[bytes] | None = None, what: str = "server"
) -> None:
    """Wait until something accepts connections on ``127.0.0.1:port`` (fails if ``proc`` exits first)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if proc is not None and proc.poll() is not None:
                pytest.fail(f"{what} exited with code {proc.returncode} before listening on {port}")
            if time.monotonic() > deadline:
                pytest.fail(f"{what} did not listen on {port} within {timeout:.0f} s")
            time.sleep(0.1)


class PrivateRabbitMQ:
    """A RabbitMQ node of a test's own: free ports, its own node name, data, logs, config and Erlang cookie.

    The shared node on 5672 is never touched, so this one can be killed and restarted at will. No
    plugins (the management port would clash with the shared node's). Messages and queues are kept on
    disk in ``root`` across restarts, as on a production node.
    """

    SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"  # Debian's /usr/sbin wrapper would switch to the rabbitmq user

    def __init__(self, root: Path, *, consumer_timeout_ms: int = 21_600_000) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.root = root
        self.port, self.dist_port = free_port(), free_port()
        self.url = f"amqp://guest:guest@127.0.0.1:{self.port}//"
        self.log_path = root / "node.out"
        (root / "rabbitmq.conf").write_text(
            f"listeners.tcp.default = 127.0.0.1:{self.port}\n"
            # As docs/deployment.md asks of production nodes: longer than any job.
            f"consumer_timeout = {consumer_timeout_ms}\n"
        )
        (root / "enabled_plugins").write_text("[].\n")
        (root / "rabbitmq-env.conf").write_text("")  # never read /etc/rabbitmq/rabbitmq-env.conf
        self.env = {
            **os.environ,
            "HOME": str(root),  # the Erlang cookie lives here, not in /root
            "RABBITMQ_NODENAME": f"inclusio-test-{uuid.uuid4().hex[:8]}@localhost",
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
            "RABBITMQ_MNESIA_BASE": str(root / "mnesia"),
            "RABBITMQ_LOG_BASE": str(root / "log"),
            "RABBITMQ_CONFIG_FILE": str(root / "rabbitmq.conf"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(root / "advanced.config"),
            "RABBITMQ_CONF_ENV_FILE": str(root / "rabbitmq-env.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(root / "enabled_plugins"),
        }
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 90.0) -> None:
        if not Path(self.SERVER).exists():
            pytest.fail(f"{self.SERVER} is needed (Debian: rabbitmq-server)")
        with self.log_path.open("ab") as out:
            # Its own process group: stop() and kill() reach the shell script, beam and epmd helpers.
            self.proc = subprocess.Popen(
                [self.SERVER],
                env=self.env,
                cwd=self.root,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_port(self.port, timeout, self.proc, "the private RabbitMQ node")

    def kill(self) -> None:
        """``kill -9`` the whole node (no goodbye to the clients; persistent messages stay on disk)."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM)

    def restart(self) -> None:
        self.kill()
        self.start()

    def _signal(self, sig: int) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        # The node's children (erl_child_setup, inet_gethost) die with the group; wait for the port too.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            except OSError:
                return
            time.sleep(0.1)
