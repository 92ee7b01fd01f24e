"""Celery tasks: a job id in, the job row updated. The work itself is :func:`inclusio.pipeline.run_job`.

:func:`execute_job` is the plain function (tests and other runners call it without Celery); the
task is one line around it. Nothing here raises for a bad document: every failure ends in the job
row as ``failed`` with a coded error, and the worker goes on with the next message. A worker
child that dies outright (a crash inside a C library, the OOM killer) is caught in the parent by
:func:`_on_task_failure`, which records ``job.worker_lost``.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from typing import Any

from celery import Task, shared_task
from celery.signals import task_failure, worker_process_init

from inclusio.config import Settings, get_settings
from inclusio.errors import InclusioError, JobNotFound, WorkerLost, as_inclusio_error
from inclusio.store.db import JobStore
from inclusio.store.files import FileStore
from workers.celery_app import TASK_RUN_JOB

log = logging.getLogger("inclusio.worker")

PROGRESS_MIN_SECONDS = 0.5
"""At most one progress write per this many seconds (plus one at each stage change)."""

_resources: dict[tuple[int, str, str], tuple[JobStore, FileStore]] = {}


def _stores(settings: Settings) -> tuple[JobStore, FileStore]:
    # One engine per process: a forked child must never reuse its parent's connections.
    key = (os.getpid(), settings.resolved_database_url(), str(settings.data_dir))
    if key not in _resources:
        store = JobStore.from_settings(settings)
        store.create_all()
        _resources[key] = (store, FileStore.from_settings(settings))
    return _resources[key]


def _json_safe(value: Any) -> Any:
    """What the JSON columns can hold (issues may carry tuples, paths or enums)."""
    return json.loads(json.dumps(value, default=str))


class _ProgressWriter:
    """``on_progress`` for run_job: writes stage/progress into the job row, throttled."""

    def __init__(self, store: JobStore, job_id: str) -> None:
        self.store, self.job_id = store, job_id
        self.stage: str | None = None
        self.last = 0.0

    def __call__(self, stage: str, fraction: float, message: str) -> None:
        now = time.monotonic()
        if stage == self.stage and now - self.last < PROGRESS_MIN_SECONDS:
            return
        self.stage, self.last = stage, now
        try:
            self.store.set_progress(self.job_id, stage, fraction, message)
        except Exception:  # noqa: BLE001 - progress is best effort; the job goes on
            log.warning("job %s: could not record progress", self.job_id, exc_info=True)


def execute_job(job_id: str, settings: Settings) -> str:
    """Run the stored job ``job_id`` and record its outcome; returns the final status.

    Returns ``"skipped"`` when the job had already finished (a redelivered message) and
    ``"missing"`` when no such job exists. Raises only if the database itself is unreachable.
    """
    store, files = _stores(settings)
    try:
        job = store.start(job_id)
    except JobNotFound:
        log.warning("job %s: no such job, message dropped", job_id)
        return "missing"
    if job is None:
        log.info("job %s: already finished, message ignored", job_id)
        return "skipped"
    try:
        from inclusio.pipeline import run_job
        from inclusio.profiles import load_profile

        profile = load_profile(job.profile_id, settings.profiles_dir)
        source = files.original_path(job.input_path)
        if not source.is_file():
            raise InclusioError(
                "The uploaded file is no longer in storage. Upload the document again.",
                message_fr="Le fichier déposé n'est plus dans le stockage. Déposez de nouveau le document.",
                details={"input_path": job.input_path})
        out_dir = files.clear_job_dir(job.id)
        result = run_job(source, profile, out_dir, settings=settings, outputs=job.outputs,
                         filename=job.filename, on_progress=_ProgressWriter(store, job.id))
        artifacts = _artifact_records(result.artifacts, out_dir)
        message = "done" if not result.errors else str(result.errors[0].get("message", ""))
        store.finish(job.id, status=result.status, errors=_json_safe(result.errors),
                     warnings=_json_safe(result.warnings), artifacts=artifacts, message=message)
        log.info("job %s: %s (%d artifacts)", job.id, result.status, len(artifacts))
        return result.status
    except Exception as exc:  # noqa: BLE001 - a bad job must never take the worker down
        log.exception("job %s failed", job_id)
        error = as_inclusio_error(exc)
        store.finish(job_id, status="failed", errors=[{"stage": "job", **_json_safe(error.to_dict())}],
                     message=error.message)
        return "failed"


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


@shared_task(name=TASK_RUN_JOB, bind=True, acks_late=True, ignore_result=True)
def run_job_task(self: Task, job_id: str) -> str:
    """Run one job (the message carries only its id)."""
    return execute_job(job_id, _settings_of(self))


@task_failure.connect
def _on_task_failure(sender: Task | None = None, task_id: str | None = None,
                     exception: BaseException | None = None, args: Any = None, **_: Any) -> None:
    """Record a job whose task failed outside :func:`execute_job` (its process died, a time limit)."""
    if sender is None or sender.name != TASK_RUN_JOB or not args:
        return
    job_id = str(args[0])
    try:
        store, _files = _stores(_settings_of(sender))
        job = store.get(job_id)
        if job.finished:
            return
        from billiard.exceptions import WorkerLostError

        error: InclusioError = (WorkerLost(details={"reason": str(exception)})
                                if isinstance(exception, WorkerLostError) else as_inclusio_error(exception or
                                                                                                 Exception()))
        store.finish(job_id, status="failed", errors=[{"stage": "job", **_json_safe(error.to_dict())}],
                     message=error.message)
    except Exception:  # noqa: BLE001 - never let a failure handler crash the worker
        log.exception("job %s: could not record the task failure", job_id)


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
