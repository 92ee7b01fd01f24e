"""Helpers shared by the service tests: settings in a temporary folder, a real worker process, polling."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from inclusio.config import Settings

FINISHED = {"succeeded", "partial", "failed"}


def make_settings(tmp: Path, **overrides: Any) -> Settings:
    """Settings for a test: everything under ``tmp``; EPUBCheck off unless asked (it takes ~15 s)."""
    values: dict[str, Any] = {"data_dir": tmp / "data", "validate_epub": False}
    values.update(overrides)
    return Settings(**values)


class RunningWorker:
    """A real Celery worker child process; its log is printed when a test fails."""

    def __init__(self, settings: Settings, log_path: Path) -> None:
        from inclusio.service import prepare_broker, start_worker

        prepare_broker(settings)
        self.log_path = log_path
        self._log = log_path.open("wb")
        self.proc = start_worker(settings, log_file=self._log)

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def child_pids(self) -> list[int]:
        """Pids of the pool processes (children of the worker's main process)."""
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    def stop(self) -> None:
        from inclusio.service import stop_worker

        stop_worker(self.proc, timeout=20)
        self._log.close()


def make_user(settings: Settings, role: str = "admin", *, institution: str = "default",
              username: str | None = None, password: str | None = None) -> tuple[str, str]:
    """A user in the service database and a bearer token for them: ``(user_id, token)``."""
    import uuid

    from inclusio.store.accounts import UserStore
    from inclusio.store.db import JobStore

    store = JobStore.from_settings(settings)
    store.migrate()
    users = UserStore(store.engine)
    user = users.create_user(username or f"{role}-{uuid.uuid4().hex[:8]}", role=role, institution=institution,
                             password=password)
    token, _ = users.issue_token(user.id, hours=1)
    store.dispose()
    return user.id, token


def api_client(settings: Settings, role: str = "admin", *, institution: str = "default", **kw: Any) -> TestClient:
    """A TestClient of the API signed in as a new user of ``role`` (``client.user_id`` is their id)."""
    from inclusio.api.app import create_app

    client = TestClient(create_app(settings, **kw))
    user_id, token = make_user(settings, role, institution=institution)
    client.headers["Authorization"] = f"Bearer {token}"
    client.user_id = user_id  # type: ignore[attr-defined]
    return client


def submit(client: TestClient, path: Path, profile: str = "dyslexia", outputs: str | None = "epub,report",
           filename: str | None = None, media_type: str = "application/octet-stream") -> str:
    data = {"profile": profile}
    if outputs:
        data["outputs"] = outputs
    with path.open("rb") as fh:
        response = client.post("/jobs", files={"file": (filename or path.name, fh, media_type)}, data=data)
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["status"] == "queued" and body["links"]["self"] == f"/jobs/{body['id']}"
    return str(body["id"])


def wait_finished(client: TestClient, job_id: str, worker: RunningWorker | None = None,
                  timeout: float = 240.0) -> dict[str, Any]:
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
    pytest.fail(f"job {job_id} did not finish in {timeout} s (last: {job}):\n"
                f"{worker.log()[-4000:] if worker else ''}")
