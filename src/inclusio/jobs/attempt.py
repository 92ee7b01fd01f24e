"""One attempt at a job: a job id in, the job row updated. The work itself is :func:`inclusio.pipeline.run_job`.

:func:`execute` runs a queued job and :func:`release` renders a reviewed one again; both are one
:class:`_Attempt` (lease, heartbeat, run, record, publish, failure) with their own lease, run and
record. The Celery tasks (``workers/``) are one line around them. Nothing here raises for a bad document: every failure ends in the
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
  :func:`workers.tasks._start_watchdog`) re-queues a job whose heartbeat stopped (the whole worker died: the SQL
  broker never redelivers) and re-sends a queued job nobody took (a broker restarted without
  persistence lost its message).
* A job process that dies outright (a crash inside a C library, the OOM killer) is caught in the
  parent by :func:`fail_dead_job` (from the task-failure signal), which records ``job.worker_lost`` (the same file would crash
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
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.exc import OperationalError

from inclusio.config import Settings
from inclusio.errors import (
    InclusioError,
    JobNotFound,
    QueueUnavailable,
    WorkerLost,
    as_inclusio_error,
    is_disk_full,
)
from inclusio.store.files import FileStore
from inclusio.store.heartbeat import Heartbeat, heartbeat_interval
from inclusio.store.jobs import JobStore

log = logging.getLogger("inclusio.worker")

PROGRESS_MIN_SECONDS = 0.5
"""At most one progress write per this many seconds (plus one at each stage change)."""
TRANSIENT = (OperationalError, QueueUnavailable, ConnectionError)
"""Faults worth retrying with backoff (the database or broker is briefly away)."""
FINISH_RETRIES = 6
DISK_FULL_RETRY_SECONDS = 2.0
"""How often the outcome is tried again while the database's disk is full."""
RELEASE_STAGE = "release"
"""The stage named in a failed release's errors."""

_resources: dict[tuple[int, str, str], tuple[JobStore, FileStore]] = {}


def stores(settings: Settings) -> tuple[JobStore, FileStore]:
    """The job store and file store of this process for ``settings`` (migrated on first use)."""
    # One engine per process: a forked child must never reuse its parent's connections.
    key = (os.getpid(), settings.resolved_database_url(), str(settings.data_dir))
    if key not in _resources:
        store = JobStore.from_settings(settings)
        store.migrate()
        _resources[key] = (store, FileStore.from_settings(settings))
    return _resources[key]


def forget_inherited_stores() -> None:
    """In a freshly forked job process: drop the parent's pooled connections without closing them."""
    for store, _files in _resources.values():
        store.engine.dispose(close=False)
    _resources.clear()


def json_safe(value: Any) -> Any:
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
            self.store.set_progress(
                self.job_id, stage, fraction, message, lease=self.lease, new_stage=new_stage
            )
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
            log.warning(
                "job %s: database %s while recording; retrying in %.1f s",
                job_id,
                "disk full" if full else "unavailable",
                wait,
            )
            time.sleep(wait)
            delay = min(delay * 2, 8.0)


def artifact_records(artifacts: list[Any], out_dir: Path) -> dict[str, dict[str, Any]]:
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
        records[name] = {
            "file": path.relative_to(root).as_posix(),
            "media_type": artifact.media_type,
            "bytes": path.stat().st_size,
        }
    return records


def own_title(result: Any, filename: str) -> str | None:
    """The document's own title (its metadata or first heading), or None when it only repeats the file name."""
    doc = getattr(result, "document", None)
    title = " ".join((getattr(doc, "title", None) or "").split())
    return title if title and title != Path(filename).stem else None


def passages_of(result: Any) -> dict[str, int] | None:
    """The machine-written passages of the student's copy (the report's ``passages``), if the job has them."""
    passages = (getattr(result, "report", None) or {}).get("passages")
    return dict(passages) if isinstance(passages, dict) else None


# -- one attempt: lease taken -> heartbeat -> run -> record and publish, or record the failure --------


@dataclass
class _Attempt:
    """What differs between running a job and releasing it; :func:`_run_attempt` does the rest."""

    job_id: str
    lease: str
    beat: Callable[[], Any]
    """Stamps the row while the attempt runs (False: the lease is lost)."""
    beat_name: str
    lost_note: str
    prepare: Callable[[], Path]
    """The attempt's folder (created or taken over)."""
    run: Callable[[Path], Any]
    """Runs the pipeline into the folder, under the heartbeat; returns a ``JobResult``."""
    record: Callable[[Any, Path], str | None]
    """Records the outcome and publishes the folder in one transaction; None when another attempt owns it."""
    record_failure: Callable[[InclusioError, BaseException], bool]
    """Records a coded failure; False when another attempt owns the job."""
    failed_note: str


def _run_attempt(attempt: _Attempt, settings: Settings, files: FileStore) -> str:
    """Run one attempt whose lease is taken; returns its outcome (a status, ``failed`` or ``lost``)."""
    job_id, lease = attempt.job_id, attempt.lease
    try:
        folder = attempt.prepare()
        with Heartbeat(
            attempt.beat,
            interval=heartbeat_interval(settings),
            name=f"{attempt.beat_name}-{job_id[:8]}",
            lost=attempt.lost_note,
        ):
            result = attempt.run(folder)
        outcome = attempt.record(result, folder)
        if outcome is None:
            files.discard_attempt(job_id, lease)
            log.warning("job %s: finished, but another attempt owns it now; outputs discarded", job_id)
            return "lost"
        return outcome
    except Exception as exc:  # noqa: BLE001 - a bad job must never take the worker down
        log.exception("job %s: %s", job_id, attempt.failed_note)
        try:
            files.discard_attempt(job_id, lease)  # nothing half-written is ever published
        except Exception:  # noqa: BLE001 - the outcome must still be recorded
            log.exception("job %s: could not remove the attempt's folder", job_id)
        return "failed" if attempt.record_failure(as_inclusio_error(exc), exc) else "lost"


def _load_profile(job: Any, settings: Settings) -> Any:
    from inclusio.profiles import load_profile, with_reading

    return with_reading(load_profile(job.profile_id, settings.profiles_dir), job.reading)


# -- a queued job ------------------------------------------------------------------------------------


def execute(job_id: str, settings: Settings) -> str:
    """Run the stored job ``job_id`` and record its outcome; returns the final status.

    Returns ``"skipped"`` when the job is not queued (already taken or finished: a duplicate
    message), ``"missing"`` when no such job exists and ``"lost"`` when the watchdog gave the job
    to another attempt meanwhile. Raises only if the database itself is unreachable at the start
    (the task retries with backoff).
    """
    store, files = stores(settings)
    try:
        taken = store.start(job_id)
    except JobNotFound:
        log.warning("job %s: no such job, message dropped", job_id)
        return "missing"
    if taken is None:
        log.info("job %s: not queued (taken or finished), message ignored", job_id)
        return "skipped"
    job, lease = taken
    outcome = _run_attempt(_JobRun(job, lease, store, files, settings).attempt(), settings, files)
    if outcome in ("succeeded", "partial", "failed"):
        notify(store, settings, job_id, "finished", job.kind)
    return outcome


@dataclass
class _JobRun:
    """The parts of :func:`execute`'s attempt: a queued job, its lease and where it is stored."""

    job: Any
    lease: str
    store: JobStore
    files: FileStore
    settings: Settings

    def attempt(self) -> _Attempt:
        return _Attempt(
            job_id=self.job.id,
            lease=self.lease,
            beat=lambda: self.store.heartbeat(self.job.id, self.lease),
            beat_name="heartbeat",
            failed_note="failed",
            lost_note="this attempt lost its lease; its outcome will be discarded",
            prepare=self.prepare,
            run=self.run,
            record=self.record,
            record_failure=self.record_failure,
        )

    def prepare(self) -> Path:
        job, files = self.job, self.files
        if not files.original_path(job.input_path).is_file():
            raise InclusioError(
                "The uploaded file is no longer in storage. Upload the document again.",
                message_fr="Le fichier déposé n'est plus dans le stockage. Déposez de nouveau le document.",
                details={"input_path": job.input_path},
            )
        # A redelivered job takes over the folder its dead attempt left: run_job skips the stages
        # recorded there (see the module doc).
        return files.resume_attempt(job.id, self.lease)

    def run(self, out_dir: Path) -> Any:
        from inclusio.pipeline import run_job
        from inclusio.pipeline.job import conversion_key

        job, files, settings = self.job, self.files, self.settings
        profile = _load_profile(job, settings)
        # The converted Document is cached by content: a redelivered job, or the same document
        # for another learner, is not converted again.
        cache = files.document_cache_path(job.input_sha256, conversion_key(settings))
        return run_job(
            files.original_path(job.input_path),
            profile,
            out_dir,
            settings=settings,
            outputs=job.outputs,
            filename=job.filename,
            on_progress=_ProgressWriter(self.store, job.id, self.lease),
            document_cache=cache,
        )

    def record(self, result: Any, out_dir: Path) -> str | None:
        job, lease = self.job, self.lease
        artifacts = artifact_records(result.artifacts, out_dir)
        keep = {item["file"] for item in artifacts.values()}
        message = "done" if not result.errors else str(result.errors[0].get("message", ""))
        if not _record(
            self.store,
            job.id,
            status=result.status,
            errors=json_safe(result.errors),
            warnings=json_safe(result.warnings),
            artifacts=artifacts,
            message=message,
            lease=lease,
            llm_tokens=result.llm_tokens,
            title=own_title(result, job.filename),
            passages=passages_of(result),
            patience_s=self.settings.job_stuck_seconds,
            before_commit=lambda: self.files.publish_attempt(job.id, lease, keep=keep),
        ):
            return None
        from inclusio.reports.facts import record_job_facts

        record_job_facts(self.store.db, job, result, status=result.status, errors=result.errors)
        log.info(
            "job %s: %s (%d artifacts, reused: %s, %d LLM tokens)",
            job.id,
            result.status,
            len(artifacts),
            ", ".join(result.reused) or "nothing",
            result.llm_tokens,
        )
        return str(result.status)

    def record_failure(self, error: InclusioError, exc: BaseException) -> bool:
        # Recording already waited for a full database's disk (OperationalError): not twice.
        patience = 0.0 if isinstance(exc, OperationalError) else self.settings.job_stuck_seconds
        errors = [{"stage": str(error.details.get("stage", "job")), **json_safe(error.to_dict())}]
        recorded = _record(
            self.store,
            self.job.id,
            status="failed",
            lease=self.lease,
            message=error.message,
            patience_s=patience,
            errors=errors,
        )
        if recorded:
            from inclusio.reports.facts import record_job_facts

            record_job_facts(self.store.db, self.job, None, status="failed", errors=errors)
        return recorded


# -- a reviewed job, rendered again ------------------------------------------------------------------


def release(
    job_id: str,
    token: str,
    settings: Settings,
    *,
    store: JobStore | None = None,
    files: FileStore | None = None,
) -> str:
    """The worker's side of a release: render the reviewed document, then swap the outputs.

    ``released`` statuses are the job's new status (``succeeded`` or ``partial``); ``failed`` (the old
    outputs stay, the coded errors are recorded), ``skipped`` (a duplicate message, or a release asked
    again meanwhile), ``missing`` (no such job) or ``lost`` (superseded or deleted while rendering).
    Raises only if the database cannot be reached at the start (the task retries).
    """
    if store is None or files is None:
        store, files = stores(settings)
    try:
        job = store.get(job_id)
    except JobNotFound:
        return "missing"
    lease = store.start_release(job_id, token)
    if lease is None:
        return "skipped"
    outcome = _run_attempt(_ReleaseRun(job, lease, store, files, settings).attempt(), settings, files)
    if outcome in ("succeeded", "partial"):
        notify(store, settings, job_id, "released", job.kind)
    return outcome


def notify(store: JobStore, settings: Settings, job_id: str, event: str, kind: str | None) -> None:
    """After the record: tell the job's student (notification list, and e-mail by the queue if they asked;
    :mod:`inclusio.notify`, which never raises)."""
    from inclusio.jobs.queue import send_notice
    from inclusio.notify import job_event

    job_event(store, settings, job_id, event, send=lambda note_id: send_notice(settings, note_id, kind))


@dataclass
class _ReleaseRun:
    """The parts of :func:`release`'s attempt; ``run`` keeps what ``record`` needs (document, profile)."""

    job: Any
    lease: str
    store: JobStore
    files: FileStore
    settings: Settings
    doc: Any = None
    profile: Any = None
    accepted: Any = None

    def attempt(self) -> _Attempt:
        job_id, lease = self.job.id, self.lease
        return _Attempt(
            job_id=job_id,
            lease=lease,
            beat=lambda: self.store.beat_release(job_id, lease),
            beat_name="release-beat",
            failed_note="release failed",
            lost_note="release superseded or deleted; its outcome will not be recorded",
            prepare=lambda: self.files.attempt_dir(job_id, lease),
            run=self.run,
            record=self.record,
            record_failure=self.record_failure,
        )

    def run(self, folder: Path) -> Any:
        from inclusio.pipeline import run_job
        from inclusio.store.review_drafts import accepted_release, load_document

        job, files = self.job, self.files
        self.doc, self.accepted = load_document(files, job), accepted_release(files, job.id)
        self.profile = _load_profile(job, self.settings)
        return run_job(
            files.original_path(job.input_path),
            self.profile,
            folder,
            settings=self.settings,
            outputs=job.outputs,
            filename=job.filename,
            document=self.doc,
            accepted_unreviewed=self.accepted,
        )

    def message(self) -> str:
        from inclusio.store.review_drafts import review_state

        state = review_state(self.doc, self.profile.adaptation_kinds)
        message = (
            f"released after review by {self.job.released_by or '?'} "
            f"({state['reviewed']}/{state['adaptations']} adaptations approved)"
        )
        if self.accepted is not None:
            terms = self.accepted.get("glossary_terms") or 0
            message += (
                f"; {self.accepted.get('flagged_blocks')} flagged block(s)"
                f"{f' and {terms} glossary term(s)' if terms else ''} released unreviewed, confirmed by "
                f"{self.accepted.get('by')}"
            )
        return message

    def swap(self, folder: Path) -> None:
        """The reviewer's draft (approvals, edits) moves with the outputs into the new folder."""
        from inclusio.store.review_drafts import ACCEPTED_FILE, REVIEW_FILE, review_path

        job, files = self.job, self.files
        draft = review_path(files, job)
        if draft.is_file() and not (folder / REVIEW_FILE).exists():
            shutil.copy2(draft, folder / REVIEW_FILE)
        confirmation = Path(files.job_dir(job.id)) / ACCEPTED_FILE
        if confirmation.is_file() and not (folder / ACCEPTED_FILE).exists():
            shutil.copy2(confirmation, folder / ACCEPTED_FILE)
        files.publish_attempt(job.id, self.lease)

    def record(self, result: Any, folder: Path) -> str | None:
        job_id, lease = self.job.id, self.lease
        if result.status == "failed":
            self.files.discard_attempt(job_id, lease)
            errors = json_safe(result.errors) or [{"stage": RELEASE_STAGE, "code": "stage.failed"}]
            return "failed" if self.store.fail_release(job_id, lease, errors) else "lost"
        if not self.store.finish_release(
            job_id,
            lease,
            status=result.status,
            artifacts=artifact_records(result.artifacts, folder),
            errors=json_safe(result.errors),
            warnings=json_safe(result.warnings),
            message=self.message(),
            before_commit=lambda: self.swap(folder),
            passages=passages_of(result),
        ):
            return None
        from inclusio.reports.facts import record_job_facts

        # the reports follow the released version: its status, flagged passages, formats (downloads kept)
        record_job_facts(self.store.db, self.job, result, status=result.status, errors=result.errors)
        return str(result.status)

    def record_failure(self, error: InclusioError, _exc: BaseException) -> bool:
        return self.store.fail_release(
            self.job.id, self.lease, [{"stage": RELEASE_STAGE, **json_safe(error.to_dict())}]
        )


# -- an attempt whose process died (recorded from the parent, on the task-failure signal) -------------


def _dead_error(exception: BaseException | None) -> InclusioError:
    from billiard.exceptions import WorkerLostError

    if isinstance(exception, WorkerLostError):
        return WorkerLost(details={"reason": str(exception)})
    return as_inclusio_error(exception or Exception())


def fail_dead_job(settings: Settings, job_id: str, exception: BaseException | None) -> None:
    """Record a job whose task failed outside :func:`execute` (its process died, a time limit)."""
    if isinstance(exception, TRANSIENT):
        return  # retried (or, after the last retry, left to the watchdog)
    try:
        store, files = stores(settings)
        job = store.get(job_id)
        if job.finished:
            return
        error = _dead_error(exception)
        if job.lease:
            files.discard_attempt(job.id, job.lease)
        errors = [{"stage": "job", **json_safe(error.to_dict())}]
        if store.finish(job_id, status="failed", errors=errors, message=error.message, lease=job.lease):
            from inclusio.reports.facts import record_job_facts

            # the reports count it among the failures, with its code (job.worker_lost, a time limit...)
            record_job_facts(store.db, job, None, status="failed", errors=errors)
        notify(store, settings, job_id, "finished", job.kind)
    except Exception:  # noqa: BLE001 - never let a failure handler crash the worker
        log.exception("job %s: could not record the task failure", job_id)


def fail_dead_release(settings: Settings, job_id: str, exception: BaseException | None) -> None:
    """Record a release whose task failed outside :func:`release` (its process died, a time limit)."""
    if isinstance(exception, TRANSIENT):
        return
    try:
        store, files = stores(settings)
        job = store.get(job_id)
        if job.release_state != "releasing" or not job.release_token:
            return
        error = _dead_error(exception)
        files.discard_attempt(job.id, job.release_token)
        store.fail_release(
            job.id, job.release_token, [{"stage": RELEASE_STAGE, **json_safe(error.to_dict())}]
        )
    except Exception:  # noqa: BLE001 - never let a failure handler crash the worker
        log.exception("job %s: could not record the release failure", job_id)
