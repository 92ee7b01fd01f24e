"""Whether a worker listens on a job queue (``inclusio batch`` asks before it queues anything).

* Redis, RabbitMQ: Celery's remote control (``inspect().active_queues()``), bounded by a short timeout.
* The embedded default (``sqla+sqlite``): Celery's remote control needs fanout exchanges, which kombu's SQL
  transport does not have (a ``control.ping()`` is dropped: it answers ``[]`` with a worker running). So every
  worker holds a shared lock on one file per queue it consumes, beside the broker's file, for as long as it
  runs (:func:`hold_worker_queues`, called at ``worker_init``). The kernel releases the lock when the
  process ends, however it ends (``kill -9`` too); its job processes inherit it. A queue has a worker when an
  exclusive lock on its file cannot be taken (:func:`worker_listening`).
* Another SQL broker (``sqla+postgresql``): its workers may run on other machines and cannot be asked, so the
  answer is "unknown" (``None``) and the caller goes on as before.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from inclusio.config import Settings

log = logging.getLogger("inclusio.jobs.presence")

SQLITE_BROKER = "sqla+sqlite:///"

_held: dict[Path, IO[bytes]] = {}
"""The lock files this process holds open (a worker's main process; its job processes inherit them)."""


def lock_folder(settings: Settings) -> Path | None:
    """``<broker file>.listening/``: one ``<queue>.lock`` per queue; None when the broker is not a SQLite file."""
    url = settings.resolved_broker_url()
    if not url.startswith(SQLITE_BROKER):
        return None
    broker_file = Path(url.removeprefix(SQLITE_BROKER).split("?", 1)[0])
    return broker_file.parent / f"{broker_file.name}.listening"


def hold_queues(settings: Settings, queues: Iterable[str]) -> None:
    """Hold a shared lock on each queue's file until this process ends (a worker calls it once)."""
    folder = lock_folder(settings)
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for queue in queues:
        path = folder / f"{queue}.lock"
        if path in _held:
            continue
        handle = path.open("ab")
        # Blocks only while a checker holds its exclusive lock (microseconds).
        fcntl.flock(handle, fcntl.LOCK_SH)
        _held[path] = handle


def hold_worker_options(app: Any, options: dict[str, Any]) -> None:
    """:func:`hold_queues` as early as a ``celery worker`` can (``celeryd_init``: before it imports the tasks
    and loads the pipeline, seconds before ``worker_init``): its ``-Q`` queues, else all of them."""
    from inclusio.jobs.queue import ALL_QUEUES

    raw = options.get("queues") or []
    names = [q.strip() for part in ([raw] if isinstance(raw, str) else raw) for q in str(part).split(",")]
    _hold_logged(app.settings, [q for q in names if q] or list(ALL_QUEUES))


def hold_worker_queues(app: Any) -> None:
    """:func:`hold_queues` for the queues a starting Celery worker consumes (``-Q``; else all it knows)."""
    queues = app.amqp.queues
    _hold_logged(app.settings, list((queues.consume_from or queues).keys()))


def _hold_logged(settings: Settings, names: list[str]) -> None:
    try:
        hold_queues(settings, names)
    except OSError:  # a read-only data folder: the worker still works, `inclusio batch` cannot see it
        log.warning("could not mark the queues %s as listened to", names, exc_info=True)


def worker_listening(settings: Settings, queue: str, timeout: float = 2.0) -> bool | None:
    """True when a worker consumes ``queue``, False when none does, None when it cannot be known."""
    url = settings.resolved_broker_url()
    if url.startswith(SQLITE_BROKER):
        folder = lock_folder(settings)
        return None if folder is None else _locked(folder / f"{queue}.lock")
    if url.startswith("sqla+"):
        return None
    return _inspect(settings, queue, timeout)


def _locked(path: Path) -> bool | None:
    """Whether some process holds a lock on ``path`` (an exclusive lock cannot be taken)."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return False  # no worker ever started on this broker
    except OSError:
        return None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return None
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def _inspect(settings: Settings, queue: str, timeout: float) -> bool | None:
    """Ask the workers which queues they consume (Redis, RabbitMQ); None when the broker cannot be reached."""
    from inclusio.jobs.queue import sending_app

    app = sending_app(settings)
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0.2, interval_step=0.2, timeout=timeout)
            replies = app.control.inspect(timeout=timeout, connection=conn).active_queues() or {}
    except Exception:  # noqa: BLE001 - the submission says what is wrong with the broker (queue.unavailable)
        log.info("could not ask the workers which queues they consume", exc_info=True)
        return None
    return any(entry.get("name") == queue for entries in replies.values() for entry in entries or [])
