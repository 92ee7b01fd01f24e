"""Celery tasks: a job id in, the job row updated. The work itself is :func:`inclusio.pipeline.run_job`.

:func:`execute_job` is the plain function (tests and other runners call it without Celery); the
tasks are one line around it, one task name per queue (``inclusio.job.cpu|llm|audio``, plus the
skeleton's ``inclusio.run_job``). Nothing here raises for a bad document: every failure ends in the
job row as ``failed`` with a coded error, and the worker goes on with the next message.

Exactly once, with no lost or duplicated artifacts:

* :meth:`JobStore.start` takes the job only if it is ``queued`` and gives this attempt a lease;
  a duplicate message (broker redelivery, watchdog re-send) finds it taken or finished and does
  nothing. A finished job is never run again.
* The attempt writes into its own folder (``jobs/.work/<id>-<lease>``); the outcome is recorded
  and the folder renamed to ``jobs/<id>`` in one database transaction that only the lease holder
  can commit. A killed attempt leaves its folder to the job's next attempt, which takes it over
  (renamed to its own lease) and publishes only the files it recorded; a folder no attempt takes
  over is removed by cleanup.
* While the job runs a heartbeat thread stamps the row; the watchdog (every worker runs one, see
  :func:`_start_watchdog`) re-queues a job whose heartbeat stopped (the whole worker died: the SQL
  broker never redelivers) and re-sends a queued job nobody took (a broker restarted without
  persistence lost its message).
* A job process that dies outright (a crash inside a C library, the OOM killer) is caught in the
  parent by :func:`_on_task_failure`, which records ``job.worker_lost`` (the same file would crash
  the next attempt too).
* A full disk in any stage fails the job with ``system.disk_full``; the attempt's folder is removed
  (nothing half-written is published) and the worker takes the next job. When the database cannot
  be written either (the same full disk), the outcome is retried every 2 s for up to
  ``job_stuck_seconds`` (:func:`_record`): once space is freed within that time the job ends
  ``failed`` with ``system.disk_full``. Past it, the task gives up and leaves the job ``running``
  with a stale heartbeat to the watchdog, which re-queues it once the database can be written
  again (or fails it with ``job.worker_lost`` after ``job_max_attempts``).

Stage-level reuse on redelivery: the converted Document is cached by the input's sha256 and
:func:`inclusio.pipeline.job.conversion_key` (the same document for another learner is not converted
again), and ``run_job`` records every finished stage in the attempt folder, keyed by the hash of its
inputs (:mod:`inclusio.pipeline.stages`). The next attempt of a job whose worker died takes that
folder over (:meth:`FileStore.resume_attempt`) and skips what is done: the adapted Document (and the
model calls it cost), each writer's files whose sha256 is still the one recorded, the validation.

LLM tokens: ``run_job`` returns the prompt + completion tokens the model server counted for the job
(``JobResult.llm_tokens``); they are written to ``jobs.llm_tokens`` with the outcome, and
``/metrics`` sums them (``inclusio_llm_tokens_total``).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any

from celery import Task, shared_task
from celery.signals import task_failure, worker_init, worker_process_init, worker_ready, worker_shutdown
from sqlalchemy.exc import OperationalError

from inclusio.config import Settings, get_settings
from inclusio.errors import (
    InclusioError,
    JobNotFound,
    QueueUnavailable,
    WorkerLost,
    as_inclusio_error,
    is_disk_full,
)
from inclusio.store.db import JobStore
from inclusio.store.files import FileStore
from inclusio.store.heartbeat import Heartbeat, heartbeat_interval
from workers.celery_app import TASK_BY_KIND, TASK_RUN_JOB, TASK_WATCHDOG

log = logging.getLogger("inclusio.worker")

PROGRESS_MIN_SECONDS = 0.5
"""At most one progress write per this many seconds (plus one at each stage change)."""
TRANSIENT = (OperationalError, QueueUnavailable, ConnectionError)
"""Faults worth retrying with backoff (the database or broker is briefly away)."""
FINISH_RETRIES = 6
DISK_FULL_RETRY_SECONDS = 2.0
"""How often the outcome is tried again while the database's disk is full."""

_resources: dict[tuple[int, str, str], tuple[JobStore, FileStore]] = {}


def _stores(settings: Settings) -> tuple[JobStore, FileStore]:
    # One engine per process: a forked child must never reuse its parent's connections.
    key = (os.getpid(), settings.resolved_database_url(), str(settings.data_dir))
    if key not in _resources:
        store = JobStore.from_settings(settings)
        store.migrate()
        _resources[key] = (store, FileStore.from_settings(settings))
    return _resources[key]


def _json_safe(value: Any) -> Any:
    """What the JSON columns can hold (issues may carry tuples, paths or enums)."""
    return json.loads(json.dumps(value, default=str))


class _ProgressWriter:
    """``on_progress`` for run_job: writes stage/progress into the job row (throttled), an event per stage."""

    def __init__(self, store: JobStore, job_id: str, lease: str) -> None:
        self.store, self.job_id, self.lease = store, job_id, lease
        self.stage: str | None = None
        self.last = 0.0

    def __call__(self, stage: str, fraction: float, message: str) -> None:
        now = time.monotonic()
        new_stage = stage != self.stage
        if not new_stage and now - self.last < PROGRESS_MIN_SECONDS:
            return
        self.stage, self.last = stage, now
        try:
            self.store.set_progress(self.job_id, stage, fraction, message, lease=self.lease, new_stage=new_stage)
        except Exception:  # noqa: BLE001 - progress is best effort; the job goes on
            log.warning("job %s: could not record progress", self.job_id, exc_info=True)


def _record(store: JobStore, job_id: str, *, patience_s: float = 0.0, **kwargs: Any) -> bool:
    """:meth:`JobStore.finish` with retries: a database away for a few seconds must not lose the outcome.

    A database whose disk is full is tried again every :data:`DISK_FULL_RETRY_SECONDS` for up to
    ``patience_s`` (the worker has nothing better to do: no other job could write either).
    """
    delay = 0.5
    deadline = time.monotonic() + patience_s
    attempt = 0
    while True:
        try:
            return store.finish(job_id, **kwargs)
        except OperationalError as exc:
            attempt += 1
            full = is_disk_full(exc)
            if attempt >= FINISH_RETRIES and not (full and time.monotonic() < deadline):
                raise
            wait = DISK_FULL_RETRY_SECONDS if full else delay
            log.warning("job %s: database %s while recording; retrying in %.1f s", job_id,
                        "disk full" if full else "unavailable", wait)
            time.sleep(wait)
            delay = min(delay * 2, 8.0)


def execute_job(job_id: str, settings: Settings) -> str:
    """Run the stored job ``job_id`` and record its outcome; returns the final status.

    Returns ``"skipped"`` when the job is not queued (already taken or finished: a duplicate
    message), ``"missing"`` when no such job exists and ``"lost"`` when the watchdog gave the job
    to another attempt meanwhile. Raises only if the database itself is unreachable at the start
    (the task retries with backoff).
    """
    store, files = _stores(settings)
    try:
        taken = store.start(job_id)
    except JobNotFound:
        log.warning("job %s: no such job, message dropped", job_id)
        return "missing"
    if taken is None:
        log.info("job %s: not queued (taken or finished), message ignored", job_id)
        return "skipped"
    job, lease = taken
    try:
        from inclusio.pipeline import run_job
        from inclusio.pipeline.job import conversion_key
        from inclusio.profiles import load_profile, with_reading

        profile = with_reading(load_profile(job.profile_id, settings.profiles_dir), job.reading)
        source = files.original_path(job.input_path)
        if not source.is_file():
            raise InclusioError(
                "The uploaded file is no longer in storage. Upload the document again.",
                message_fr="Le fichier déposé n'est plus dans le stockage. Déposez de nouveau le document.",
                details={"input_path": job.input_path})
        # A redelivered job takes over the folder its dead attempt left: run_job skips the stages
        # recorded there (see the module doc).
        out_dir = files.resume_attempt(job.id, lease)
        with Heartbeat(lambda: store.heartbeat(job.id, lease), interval=heartbeat_interval(settings),
                       name=f"heartbeat-{job.id[:8]}", lost="this attempt lost its lease; its outcome will be discarded"):
            # The converted Document is cached by content: a redelivered job, or the same document
            # for another learner, is not converted again.
            cache = files.document_cache_path(job.input_sha256, conversion_key(settings))
            result = run_job(source, profile, out_dir, settings=settings, outputs=job.outputs,
                             filename=job.filename, on_progress=_ProgressWriter(store, job.id, lease),
                             document_cache=cache)
        artifacts = _artifact_records(result.artifacts, out_dir)
        keep = {record["file"] for record in artifacts.values()}
        message = "done" if not result.errors else str(result.errors[0].get("message", ""))
        recorded = _record(store, job.id, status=result.status, errors=_json_safe(result.errors),
                           warnings=_json_safe(result.warnings), artifacts=artifacts, message=message,
                           lease=lease, llm_tokens=result.llm_tokens, patience_s=settings.job_stuck_seconds,
                           before_commit=lambda: files.publish_attempt(job.id, lease, keep=keep))
        if not recorded:
            files.discard_attempt(job.id, lease)
            log.warning("job %s: finished, but another attempt owns it now; outputs discarded", job.id)
            return "lost"
        log.info("job %s: %s (%d artifacts, reused: %s, %d LLM tokens)", job.id, result.status,
                 len(artifacts), ", ".join(result.reused) or "nothing", result.llm_tokens)
        return result.status
    except Exception as exc:  # noqa: BLE001 - a bad job must never take the worker down
        log.exception("job %s failed", job_id)
        try:
            files.discard_attempt(job_id, lease)  # nothing half-written is ever published
        except Exception:  # noqa: BLE001 - the outcome must still be recorded
            log.exception("job %s: could not remove the attempt's folder", job_id)
        error = as_inclusio_error(exc)
        # Recording already waited for a full database's disk (OperationalError): not twice.
        patience = 0.0 if isinstance(exc, OperationalError) else settings.job_stuck_seconds
        recorded = _record(store, job_id, status="failed", lease=lease, message=error.message, patience_s=patience,
                           errors=[{"stage": str(error.details.get("stage", "job")), **_json_safe(error.to_dict())}])
        return "failed" if recorded else "lost"


def _artifact_records(artifacts: list[Any], out_dir: Path) -> dict[str, dict[str, Any]]:
    """``{name: {file, media_type, bytes}}`` with ``file`` relative to the job folder."""
    records: dict[str, dict[str, Any]] = {}
    root = out_dir.resolve()
    for artifact in artifacts:
        path = Path(artifact.path).resolve()
        if not path.is_file() or not path.is_relative_to(root):
            log.warning("artifact %s at %s is not a file in the job folder; skipped", artifact.name, path)
            continue
        name, n = artifact.name, 2
        while name in records:  # a writer that returns two files of one kind: epub, epub-2
            name, n = f"{artifact.name}-{n}", n + 1
        records[name] = {"file": path.relative_to(root).as_posix(), "media_type": artifact.media_type,
                         "bytes": path.stat().st_size}
    return records


def _settings_of(task: Task) -> Settings:
    return getattr(task.app, "settings", None) or get_settings()


_RETRY = {"autoretry_for": TRANSIENT, "retry_backoff": 2, "retry_backoff_max": 60, "retry_jitter": True,
          "max_retries": 8}


@shared_task(name=TASK_RUN_JOB, bind=True, acks_late=True, ignore_result=True, **_RETRY)
def run_job_task(self: Task, job_id: str) -> str:
    """Run one job (the message carries only its id). The skeleton's name, on the CPU queue."""
    return execute_job(job_id, _settings_of(self))


@shared_task(name=TASK_BY_KIND["cpu"], bind=True, acks_late=True, ignore_result=True, **_RETRY)
def run_cpu_job(self: Task, job_id: str) -> str:
    """A job that mostly extracts and renders (queue ``inclusio.cpu``)."""
    return execute_job(job_id, _settings_of(self))


@shared_task(name=TASK_BY_KIND["llm"], bind=True, acks_late=True, ignore_result=True, **_RETRY)
def run_llm_job(self: Task, job_id: str) -> str:
    """A job whose text the Mistral engine adapts (queue ``inclusio.llm``)."""
    return execute_job(job_id, _settings_of(self))


@shared_task(name=TASK_BY_KIND["audio"], bind=True, acks_late=True, ignore_result=True, **_RETRY)
def run_audio_job(self: Task, job_id: str) -> str:
    """A job that makes MP3 audio (queue ``inclusio.audio``)."""
    return execute_job(job_id, _settings_of(self))


JOB_TASKS = frozenset({TASK_RUN_JOB, *TASK_BY_KIND.values()})


@task_failure.connect
def _on_task_failure(sender: Task | None = None, task_id: str | None = None,
                     exception: BaseException | None = None, args: Any = None, **_: Any) -> None:
    """Record a job whose task failed outside :func:`execute_job` (its process died, a time limit)."""
    if sender is None or sender.name not in JOB_TASKS or not args:
        return
    if isinstance(exception, TRANSIENT):
        return  # retried (or, after the last retry, left to the watchdog)
    job_id = str(args[0])
    try:
        store, files = _stores(_settings_of(sender))
        job = store.get(job_id)
        if job.finished:
            return
        from billiard.exceptions import WorkerLostError

        error: InclusioError = (WorkerLost(details={"reason": str(exception)})
                                if isinstance(exception, WorkerLostError) else as_inclusio_error(exception or
                                                                                                 Exception()))
        if job.lease:
            files.discard_attempt(job.id, job.lease)
        store.finish(job_id, status="failed", errors=[{"stage": "job", **_json_safe(error.to_dict())}],
                     message=error.message, lease=job.lease)
    except Exception:  # noqa: BLE001 - never let a failure handler crash the worker
        log.exception("job %s: could not record the task failure", job_id)


# -- the watchdog: one thread in every worker's main process ---------------------------------------

def run_watchdog_once(settings: Settings, send: Any, queue_sizes: Any = None) -> list[Any]:
    """Re-queue stuck jobs and re-send lost messages once; ``send(task_name, job_id)`` enqueues.

    ``queue_sizes()`` gives ``{kind: messages waiting}``; queued jobs are re-sent only for kinds
    whose queue is empty (their message was lost), never behind a backlog. Without it (or when the
    broker cannot say) queued jobs are left alone; stuck running jobs are always handled.
    """
    sizes: dict[str, int] = {}
    if queue_sizes is not None:
        try:
            sizes = queue_sizes()
        except Exception:  # noqa: BLE001 - broker away: the next round asks again
            log.warning("watchdog: could not read the queue sizes", exc_info=True)
    store = JobStore.from_settings(settings)
    try:
        def lost(job: Any) -> dict[str, Any]:
            return {"stage": "job", **WorkerLost(details={"attempts": job.attempts}).to_dict()}

        actions = store.requeue_stuck(stuck_seconds=settings.job_stuck_seconds,
                                      max_attempts=settings.job_max_attempts, on_fail=lost,
                                      resend_queued=lambda kind: sizes.get(kind) == 0)
        for action in actions:
            if action.action == "resend":
                log.warning("watchdog: job %s re-sent to the %s queue", action.job_id, action.kind)
                send(TASK_BY_KIND.get(action.kind, TASK_BY_KIND["cpu"]), action.job_id)
            else:
                log.error("watchdog: job %s failed after too many lost attempts", action.job_id)
        return actions
    finally:
        store.dispose()  # no connection survives into job processes forked later


_watchdog_stop = threading.Event()


def queue_sizes(app: Any) -> dict[str, int]:
    """Messages waiting in each kind's queue (a passive declare: Redis, RabbitMQ and the SQL broker)."""
    from amqp.exceptions import ChannelError

    from workers.celery_app import QUEUES

    out: dict[str, int] = {}
    with app.connection_for_read() as conn:
        for kind, name in QUEUES.items():
            channel = conn.channel()  # a failed passive declare closes the channel (AMQP): one each
            try:
                out[kind] = int(channel.queue_declare(queue=name, passive=True).message_count)
            except ChannelError as exc:
                if getattr(exc, "reply_code", None) != 404 and "NOT_FOUND" not in str(exc):
                    raise
                out[kind] = 0  # Redis keeps no key for an empty queue
            finally:
                channel.close()
    return out


@worker_ready.connect
def _start_watchdog(sender: Any = None, **_: Any) -> None:
    app = getattr(sender, "app", None)
    settings = getattr(app, "settings", None) or get_settings()
    interval = max(0.2, min(settings.watchdog_interval_seconds, settings.job_stuck_seconds / 2))

    def send(name: str, job_id: str) -> None:
        app.send_task(name, args=[job_id])  # type: ignore[union-attr]

    def sizes() -> dict[str, int]:
        return queue_sizes(app)

    def loop() -> None:
        while not _watchdog_stop.wait(interval):
            try:
                run_watchdog_once(settings, send, sizes)
            except Exception:  # noqa: BLE001 - the next round tries again
                log.warning("watchdog round failed", exc_info=True)

    if app is not None:
        _watchdog_stop.clear()
        threading.Thread(target=loop, name="inclusio-watchdog", daemon=True).start()


@worker_shutdown.connect
def _stop_watchdog(**_: Any) -> None:
    _watchdog_stop.set()


@shared_task(name=TASK_WATCHDOG, bind=True, ignore_result=True)
def watchdog_task(self: Task) -> int:
    """One watchdog round on demand (``celery call inclusio.watchdog`` or a beat schedule)."""
    return len(run_watchdog_once(_settings_of(self), lambda name, job_id: self.app.send_task(name, args=[job_id]),
                                 lambda: queue_sizes(self.app)))


@worker_init.connect
def _preload(**_: Any) -> None:
    """Import the pipeline and load spaCy's French model in the worker's main process, before the pool
    forks: every job process, the first and each one Celery starts later (after 1000 jobs or 1 GiB),
    has them from the start (first job ~1 s instead of 5-8 s; the worker starts ~4 s later). Nothing
    here starts a thread or opens a connection, so forking afterwards is safe."""
    try:
        import inclusio.converters.registry  # noqa: F401
        import inclusio.pipeline.job  # noqa: F401

        if get_settings().quality_checks:
            from inclusio.analysis.nlp import load_pipeline

            load_pipeline("fr")
    except Exception:  # noqa: BLE001 - the first job loads them instead
        log.warning("could not preload the pipeline", exc_info=True)


@worker_process_init.connect
def _warm_up(**_: Any) -> None:
    """Import the pipeline in each fresh job process, so the first job does not pay for it."""
    # A child forked after the parent recorded a lost job inherits the parent's engine: drop its
    # pooled connections without closing them (they belong to the parent).
    for store, _files in _resources.values():
        store.engine.dispose(close=False)
    _resources.clear()
    try:
        import inclusio.converters.registry  # noqa: F401
        import inclusio.pipeline.job  # noqa: F401
    except Exception:  # noqa: BLE001 - a missing piece shows up, coded, in the first job instead
        log.warning("could not preload the pipeline", exc_info=True)
