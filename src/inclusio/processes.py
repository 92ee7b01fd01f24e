"""Running the service: the API in the foreground, Celery workers as processes.

* :func:`serve` (``inclusio serve``): one worker child process plus the API (uvicorn) in the
  foreground, on the embedded default or any configured broker and database; Ctrl-C stops both.
* :func:`run_worker` (``inclusio worker``): a worker in this process (production: several
  machines against Redis or RabbitMQ and PostgreSQL).
* :func:`start_worker` / :func:`stop_worker`: a worker as a child process, configured by passing
  the settings as ``INCLUSIO_*`` environment variables (tests use these too).

Workers use Celery's prefork pool even at concurrency 1: the job runs in a child process, so a
crash inside a C library (a hostile PDF) or the OOM killer takes down that child only; the parent
records ``job.worker_lost`` and forks a new one. A job left ``running`` by a worker killed outright
(``kill -9``, a machine lost) is put back on its queue by the watchdog every worker runs
(:mod:`workers.tasks`), whatever the broker: the SQL broker never redelivers, Redis only after its
visibility timeout (6 h), RabbitMQ at once but to a worker that finds the job still held and drops
the message (docs/deployment.md, tests/jobs/test_faults.py).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import IO, Any

from inclusio.config import Settings
from inclusio.errors import QueueUnavailable

log = logging.getLogger("inclusio.processes")


def settings_env(settings: Settings, base: dict[str, str] | None = None) -> dict[str, str]:
    """An environment for a child process whose ``Settings()`` equals ``settings``.

    Starts from ``base`` (default: this process's environment); a setting that is ``None`` removes
    its variable, so a value from the parent's environment cannot creep back in.
    """
    env = dict(os.environ if base is None else base)
    dumped = settings.model_dump(mode="json")
    for name in type(settings).model_fields:
        key = f"INCLUSIO_{name.upper()}"
        raw = getattr(settings, name)
        if raw is None:
            env.pop(key, None)
            if name == "mistral_api_key":
                env.pop("MISTRAL_API_KEY", None)
            continue
        if hasattr(raw, "get_secret_value"):
            value = raw.get_secret_value()
        elif isinstance(raw, Path):
            value = str(raw.resolve())
        elif isinstance(raw, bool):
            value = "true" if raw else "false"
        elif isinstance(dumped[name], (dict, list)):
            value = json.dumps(dumped[name])
        else:
            value = str(dumped[name])
        env[key] = value
    return env


def resolve_queues(queues: list[str] | None) -> list[str]:
    """Queue names from ``cpu,llm,audio`` or full names; default: all of them."""
    from inclusio.jobs.queue import ALL_QUEUES, QUEUES

    if not queues:
        return list(ALL_QUEUES)
    out = [QUEUES.get(q.strip(), q.strip()) for q in queues if q.strip()]
    unknown = [q for q in out if q not in ALL_QUEUES]
    if unknown:
        from inclusio.errors import ConfigError

        raise ConfigError(
            f"Unknown queue(s) {', '.join(unknown)}: choose among cpu, llm, audio.",
            message_fr=f"File(s) inconnue(s) {', '.join(unknown)} : choisissez parmi cpu, llm, audio.",
            details={"queues": unknown},
        )
    return out


def _worker_args(queues: list[str] | None, concurrency: int, loglevel: str) -> list[str]:
    return [
        "worker",
        "-Q",
        ",".join(resolve_queues(queues)),
        "-P",
        "prefork",
        "-c",
        str(max(1, concurrency)),
        "-n",
        f"inclusio-{uuid.uuid4().hex[:8]}@%h",
        "-l",
        loglevel,
        # One host or a few: no worker-to-worker chatter (it also slows the SQL broker down).
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]


def prepare_broker(settings: Settings) -> None:
    """Connect to the broker and declare the job queues, or raise :class:`QueueUnavailable`.

    For the SQL broker this also creates its tables once, before the API and the worker would
    otherwise race to create them.
    """
    from inclusio.jobs.queue import ALL_QUEUES, create_celery_app

    app = create_celery_app(settings)
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=2, interval_start=0.2, interval_step=0.5)
            for name in ALL_QUEUES:
                app.amqp.queues[name](conn.default_channel).declare()
    except Exception as exc:  # noqa: BLE001 - any broker failure is the same advice to the user
        raise QueueUnavailable(
            details={
                "broker": _redact(settings.resolved_broker_url()),
                "reason": f"{type(exc).__name__}: {exc}",
            }
        ) from exc


def _redact(url: str) -> str:
    """The broker URL without its password, for messages and logs."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def start_worker(
    settings: Settings,
    queues: list[str] | None = None,
    concurrency: int = 1,
    *,
    loglevel: str = "INFO",
    log_file: IO[Any] | None = None,
    new_session: bool = False,
) -> subprocess.Popen[bytes]:
    """Start a Celery worker for ``settings`` as a child process (same Python) and return it.

    Its output goes to ``log_file`` (default: this process's stdout/stderr). Stop it with
    :func:`stop_worker`. ``new_session`` puts it in its own process group (tests kill the group).
    """
    cmd = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "workers.celery_app",
        *_worker_args(queues, concurrency, loglevel),
    ]
    return subprocess.Popen(
        cmd,
        env=settings_env(settings),
        stdout=log_file,
        stderr=subprocess.STDOUT if log_file is not None else None,
        start_new_session=new_session,
    )


def stop_worker(proc: subprocess.Popen[bytes], timeout: float = 30.0) -> int:
    """Ask the worker to stop (warm shutdown: the running job may finish), kill it after ``timeout``."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            log.warning("worker %s did not stop in %.0f s; killing it", proc.pid, timeout)
            proc.kill()
            proc.wait()
    return proc.returncode


def run_worker(
    settings: Settings, queues: list[str] | None = None, concurrency: int = 1, loglevel: str = "INFO"
) -> None:
    """Run a Celery worker in this process until it is stopped (Ctrl-C, SIGTERM).

    ``queues`` (``cpu``, ``llm``, ``audio``) defaults to all three; ``concurrency`` is the number of
    job processes (one job each at a time).
    """
    from inclusio.jobs.presence import hold_queues
    from inclusio.jobs.queue import create_celery_app

    # `inclusio batch` sees this worker from now on (jobs.presence).
    hold_queues(settings, resolve_queues(queues))
    prepare_broker(settings)
    from inclusio.store.jobs import JobStore

    store = JobStore.from_settings(settings)
    store.migrate()
    store.dispose()  # the forked job processes open their own connections
    create_celery_app(settings).worker_main(_worker_args(queues, concurrency, loglevel))


def announce_first_admin(settings: Settings, store: Any, out: IO[str] | None = None) -> None:
    """Create the first admin of an empty database and print its credentials once (see auth.bootstrap)."""
    from inclusio.auth.bootstrap import ensure_first_admin
    from inclusio.store.accounts import UserStore

    first = ensure_first_admin(settings, UserStore(store.engine))
    if first is None:
        return
    out = out or sys.stderr
    lines = [f"First start: created the admin account '{first.username}'."]
    if first.password:
        lines.append(
            f"  password (shown once, change it with 'inclusio users passwd {first.username}'): "
            f"{first.password}"
        )
    lines.append(f"  bearer token, valid {settings.token_hours:g} h: {first.token}")
    out.write("\n".join(lines) + "\n")
    out.flush()


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the API on ``host:port`` and one worker process until Ctrl-C; stops the worker on exit."""
    import uvicorn

    from inclusio.server import create_app
    from inclusio.store.jobs import JobStore

    settings.ensure_dirs()
    store = JobStore.from_settings(settings)
    store.migrate()  # before the worker starts (the two would wait for each other's lock anyway)
    announce_first_admin(settings, store)
    store.dispose()
    prepare_broker(settings)
    worker = start_worker(settings)
    stopping = threading.Event()

    def _watch() -> None:
        code = worker.wait()
        if not stopping.is_set():
            log.error(
                "the worker process exited (code %s): jobs stay queued until a worker runs "
                "('inclusio worker')",
                code,
            )

    threading.Thread(target=_watch, name="worker-watch", daemon=True).start()
    try:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
    finally:
        stopping.set()
        stop_worker(worker)
