"""The job store: jobs, their events, and the state changes the API, worker and watchdog make.

The job row is the source of truth for a job's state (the Celery broker only carries its id).

Exactly once: :meth:`JobStore.start` takes a ``queued`` job in one conditional UPDATE and gives
the attempt a *lease*; only the holder of the current lease may record progress or the outcome
(:meth:`JobStore.finish`), so a message delivered twice, or a worker presumed dead that comes back,
can never record a second outcome. :meth:`JobStore.requeue_stuck` (the watchdog) hands a job
whose worker stopped beating back to the queue with a new lease to come.

The release of a reviewed job works the same way on the job's ``release_*`` columns (the job
itself stays finished): :meth:`JobStore.request_release` gives the release a token,
:meth:`JobStore.start_release` swaps it for the attempt's own (a duplicate message finds it taken),
and only that attempt may record the outcome (:meth:`JobStore.finish_release`, :meth:`JobStore.fail_release`).

Shares and batches have their own stores (:mod:`inclusio.store.shares`, :mod:`inclusio.store.batches`)
on the same :class:`~inclusio.store.db.Database`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy import update as sql_update

from inclusio.errors import JobNotFound
from inclusio.store.db import RowStore, looks_like_id
from inclusio.store.models import FINISHED_STATES, Job, JobEvent, JobState, utcnow


@dataclass(frozen=True)
class JobFilter:
    """Which jobs a caller may see: all conditions given are OR-ed (owner, learner), AND the rest."""

    owner_or_learner: str | None = None
    owner: str | None = None
    institution: str | None = None
    batch_id: str | None = None
    status: str | None = None
    profile: str | None = None

    def apply(self, query: Select[Any]) -> Select[Any]:
        if self.owner_or_learner is not None:
            query = query.where(
                or_(Job.owner_id == self.owner_or_learner, Job.learner_id == self.owner_or_learner)
            )
        if self.owner is not None:
            query = query.where(Job.owner_id == self.owner)
        if self.institution is not None:
            query = query.where(Job.institution == self.institution)
        if self.batch_id is not None:
            query = query.where(Job.batch_id == self.batch_id)
        if self.status is not None:
            query = query.where(Job.status == self.status)
        if self.profile is not None:
            query = query.where(Job.profile_id == self.profile)
        return query


@dataclass(frozen=True)
class Requeued:
    """What the watchdog did to one job: ``resend`` (back to the queue) or ``failed`` (too many attempts)."""

    job_id: str
    kind: str
    action: str


class JobStore(RowStore):
    """Job rows and their events.

    Methods return detached objects (plain reads after the session closed). Each state change is
    one short transaction, so the API and the workers never hold locks long.
    """

    # -- reads --------------------------------------------------------------------------------

    def get(self, job_id: str) -> Job:
        """The job ``job_id``, or :class:`~inclusio.errors.JobNotFound`."""
        with self.session() as session:
            job = session.get(Job, job_id) if looks_like_id(job_id) else None
            if job is None:
                raise JobNotFound(details={"job": job_id[:64]})
            return job

    def recent(self, *, status: str | None = None, limit: int = 100) -> list[Job]:
        """The most recent jobs first, optionally only those in ``status``."""
        return self.list(JobFilter(status=status), limit=limit)

    def list(self, where: JobFilter, *, limit: int = 100, offset: int = 0) -> list[Job]:
        """Jobs matching ``where``, most recent first."""
        query = where.apply(select(Job)).order_by(Job.created_at.desc(), Job.id).limit(limit).offset(offset)
        with self.session() as session:
            return list(session.scalars(query))

    def count(self, where: JobFilter) -> int:
        """How many jobs match ``where``."""
        with self.session() as session:
            return int(session.scalar(where.apply(select(func.count()).select_from(Job))) or 0)

    def events(self, job_id: str, *, after: int = 0) -> list[JobEvent]:
        """The job's events with an id above ``after``, oldest first."""
        with self.session() as session:
            return list(
                session.scalars(
                    select(JobEvent)
                    .where(JobEvent.job_id == job_id, JobEvent.id > after)
                    .order_by(JobEvent.id)
                )
            )

    def finished_before(self, cutoff: datetime, limit: int = 1000) -> list[Job]:
        with self.session() as session:
            return list(
                session.scalars(
                    select(Job).where(Job.status.in_(FINISHED_STATES), Job.finished_at < cutoff).limit(limit)
                )
            )

    def count_by_status(self) -> dict[str, int]:
        with self.session() as session:
            rows = session.execute(select(Job.status, func.count()).group_by(Job.status))
            return {status: int(n) for status, n in rows}

    def count_stage_events(self) -> dict[str, int]:
        with self.session() as session:
            rows = session.execute(
                select(JobEvent.kind, JobEvent.stage, func.count()).group_by(JobEvent.kind, JobEvent.stage)
            )
            return {(stage or kind): int(n) for kind, stage, n in rows}

    def failure_codes(self) -> dict[str, int]:
        """Failed jobs by the code of their first error."""
        counts: dict[str, int] = {}
        with self.session() as session:
            for errors in session.scalars(select(Job.errors).where(Job.status == "failed")):
                code = str((errors or [{}])[0].get("code", "unknown"))
                counts[code] = counts.get(code, 0) + 1
        return counts

    def llm_tokens(self) -> int:
        with self.session() as session:
            return int(session.scalar(select(func.coalesce(func.sum(Job.llm_tokens), 0))) or 0)

    # -- writes -------------------------------------------------------------------------------

    def create(
        self,
        *,
        profile_id: str,
        filename: str,
        input_sha256: str,
        input_path: str,
        input_bytes: int,
        outputs: list[str] | None = None,
        owner_id: str | None = None,
        learner_id: str | None = None,
        institution: str | None = None,
        batch_id: str | None = None,
        kind: str = "cpu",
        reading: dict[str, Any] | None = None,
        title: str | None = None,
    ) -> Job:
        """A new ``queued`` job (and its ``queued`` event). ``reading``: the learner's adjustments; ``title``:
        the teacher's share title when the job is asked of a share (the document's own comes with the outcome)."""
        now = utcnow()
        job = Job(
            id=uuid.uuid4().hex,
            status="queued",
            profile_id=profile_id,
            filename=filename[:255],
            input_sha256=input_sha256,
            input_path=input_path,
            input_bytes=input_bytes,
            outputs=outputs,
            created_at=now,
            errors=[],
            warnings=[],
            artifacts={},
            attempts=0,
            progress=0.0,
            message="",
            owner_id=owner_id,
            learner_id=learner_id,
            institution=institution,
            batch_id=batch_id,
            kind=kind,
            enqueued_at=now,
            llm_tokens=0,
            reading=reading or None,
            title=(title or "")[:255] or None,
        )
        with self.session() as session:
            session.add(job)
            session.flush()
            session.add(JobEvent(job_id=job.id, at=now, kind="queued", progress=0.0, message=""))
        return job

    def start(self, job_id: str) -> tuple[Job, str] | None:
        """Take the ``queued`` job: ``running``, one more attempt, a new lease; ``None`` if it is not queued.

        The check and the update are one statement, so a message delivered twice (a broker
        redelivery, a watchdog re-send) starts the job once.
        """
        lease = uuid.uuid4().hex
        now = utcnow()
        with self.session() as session:
            result = session.execute(
                sql_update(Job)
                .where(Job.id == job_id, Job.status == "queued")
                .values(
                    status="running",
                    attempts=Job.attempts + 1,
                    started_at=now,
                    finished_at=None,
                    stage=None,
                    progress=0.0,
                    message="",
                    lease=lease,
                    heartbeat_at=now,
                )
            )
            if result.rowcount == 0:  # type: ignore[attr-defined]
                if session.get(Job, job_id) is None:
                    raise JobNotFound(details={"job": job_id})
                return None
            session.add(JobEvent(job_id=job_id, at=now, kind="started", progress=0.0, message=""))
        return self.get(job_id), lease

    def heartbeat(self, job_id: str, lease: str) -> bool:
        """The attempt holding ``lease`` is alive; ``False`` if it lost the job (watchdog, deletion)."""
        with self.session() as session:
            result = session.execute(
                sql_update(Job)
                .where(Job.id == job_id, Job.lease == lease, Job.status == "running")
                .values(heartbeat_at=utcnow())
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def set_progress(
        self,
        job_id: str,
        stage: str,
        progress: float,
        message: str,
        *,
        lease: str | None = None,
        new_stage: bool = False,
    ) -> None:
        """Record where a running job is (throttled by the worker); a new stage is also an event."""
        now = utcnow()
        fraction = max(0.0, min(1.0, progress))
        where = [Job.id == job_id, Job.status == "running"]
        if lease is not None:
            where.append(Job.lease == lease)
        with self.session() as session:
            result = session.execute(
                sql_update(Job)
                .where(*where)
                .values(stage=stage, progress=fraction, message=message[:500], heartbeat_at=now)
            )
            if new_stage and result.rowcount:  # type: ignore[attr-defined]
                session.add(
                    JobEvent(
                        job_id=job_id,
                        at=now,
                        kind="stage",
                        stage=stage,
                        progress=fraction,
                        message=message[:500],
                    )
                )

    def finish(
        self,
        job_id: str,
        *,
        status: JobState,
        errors: list[dict[str, Any]] | None = None,
        warnings: list[dict[str, Any]] | None = None,
        artifacts: dict[str, dict[str, Any]] | None = None,
        message: str = "",
        lease: str | None = None,
        before_commit: Callable[[], None] | None = None,
        llm_tokens: int | None = None,
        title: str | None = None,
        passages: dict[str, int] | None = None,
    ) -> bool:
        """Record the outcome (``succeeded``, ``partial`` or ``failed``); ``False`` if ``lease`` lost the job.

        ``llm_tokens``, when given, is the job's model usage, written in the same transaction. ``title``: the
        document's own title, kept only when the job has none yet (a share's title wins); ``passages``: the
        machine-written passages of the student's copy (:func:`inclusio.model.flags.machine_passages`).

        ``before_commit`` runs inside the transaction once the row is known to be ours (the
        worker moves the job's outputs into place there): if it raises, nothing is recorded.
        """
        if status not in FINISHED_STATES:
            raise ValueError(f"finish() needs a final status, not {status!r}")
        now = utcnow()
        values: dict[str, Any] = {
            "status": status,
            "errors": errors or [],
            "warnings": warnings or [],
            "finished_at": now,
            "message": message[:500],
            "lease": None,
        }
        if artifacts is not None:
            values["artifacts"] = artifacts
        if llm_tokens is not None:
            values["llm_tokens"] = llm_tokens
        if title:
            values["title"] = func.coalesce(Job.title, title[:255])
        if passages is not None:
            values["passages"] = passages
        if status != "failed":
            values["progress"] = 1.0
        where = [Job.id == job_id]
        if lease is not None:
            where += [Job.lease == lease, Job.status == "running"]
        with self.session() as session:
            result = session.execute(sql_update(Job).where(*where).values(**values))
            if result.rowcount == 0:  # type: ignore[attr-defined]
                if lease is None and session.get(Job, job_id) is None:
                    raise JobNotFound(details={"job": job_id})
                return False  # another attempt owns it, or it was deleted (its owner erased their data)
            session.add(
                JobEvent(
                    job_id=job_id,
                    at=now,
                    kind="finished",
                    stage=status,
                    progress=values.get("progress", 0.0),
                    message=message[:500],
                )
            )
            if before_commit is not None:
                before_commit()
        return True

    def mark_enqueued(self, job_id: str) -> None:
        with self.session() as session:
            session.execute(sql_update(Job).where(Job.id == job_id).values(enqueued_at=utcnow()))

    def requeue_stuck(
        self,
        *,
        stuck_seconds: float,
        max_attempts: int,
        on_fail: Callable[[Job], dict[str, Any]] | None = None,
        resend_queued: Callable[[str], bool] | None = None,
    ) -> list[Requeued]:
        """The watchdog: jobs whose worker stopped (no heartbeat) or whose message was lost (never taken).

        * ``running`` with no heartbeat for ``stuck_seconds``: back to ``queued`` (the lease is
          dropped, so the old attempt can record nothing), or ``failed`` after ``max_attempts``
          (``on_fail(job)`` gives the error to record);
        * ``queued`` and not taken for ``stuck_seconds`` (a broker restarted without persistence
          loses its messages): sent again.

        Each change is a conditional UPDATE, so watchdogs running in several workers at once act
        once per job. The caller sends a message for every ``resend``. ``resend_queued(kind)`` says
        whether queued jobs of that kind may be re-sent (the caller answers "yes" when the kind's
        queue is empty: a job still queued then has lost its message; a long backlog is not re-sent).
        """
        cutoff = utcnow() - timedelta(seconds=stuck_seconds)
        done: list[Requeued] = []
        with self.session() as session:
            stale = list(
                session.scalars(select(Job).where(Job.status == "running", Job.heartbeat_at < cutoff))
            )
            queued = list(
                session.scalars(select(Job).where(Job.status == "queued", Job.enqueued_at < cutoff))
            )
        for job in stale:
            now = utcnow()
            with self.session() as session:
                if job.attempts >= max_attempts:
                    error = on_fail(job) if on_fail else {"code": "job.worker_lost"}
                    values: dict[str, Any] = {
                        "status": "failed",
                        "lease": None,
                        "finished_at": now,
                        "errors": [error],
                        "message": str(error.get("message", ""))[:500],
                    }
                    action, kind = "failed", "finished"
                else:
                    values = {
                        "status": "queued",
                        "lease": None,
                        "enqueued_at": now,
                        "stage": None,
                        "progress": 0.0,
                        "message": "requeued by the watchdog",
                    }
                    action, kind = "resend", "requeued"
                result = session.execute(
                    sql_update(Job)
                    .where(Job.id == job.id, Job.status == "running", Job.lease == job.lease)
                    .values(**values)
                )
                if result.rowcount:  # type: ignore[attr-defined]
                    session.add(
                        JobEvent(
                            job_id=job.id,
                            at=now,
                            kind=kind,
                            stage="failed" if action == "failed" else None,
                            progress=0.0,
                            message=values["message"],
                        )
                    )
                    done.append(Requeued(job.id, job.kind, action))
        for job in queued:
            if resend_queued is not None and not resend_queued(job.kind):
                continue
            with self.session() as session:
                result = session.execute(
                    sql_update(Job)
                    .where(Job.id == job.id, Job.status == "queued", Job.enqueued_at == job.enqueued_at)
                    .values(enqueued_at=utcnow())
                )
                if result.rowcount:  # type: ignore[attr-defined]
                    done.append(Requeued(job.id, job.kind, "resend"))
        return done

    def delete_jobs(self, job_ids: list[str]) -> int:
        """Delete job rows and their events (files are the caller's business)."""
        if not job_ids:
            return 0
        with self.session() as session:
            session.execute(delete(JobEvent).where(JobEvent.job_id.in_(job_ids)))
            result = session.execute(delete(Job).where(Job.id.in_(job_ids)))
            return int(result.rowcount)  # type: ignore[attr-defined]

    # -- release of a reviewed job (workers/release_tasks.py) ---------------------------------------

    def request_release(self, job_id: str, *, by: str, stale_before: datetime) -> str | None:
        """Mark the finished job ``releasing`` with a new token; ``None`` if a live release is under way.

        A release whose last sign of life is older than ``stale_before`` (its worker died, its message
        was lost) is superseded: the new token voids the old attempt.
        """
        token = uuid.uuid4().hex
        now = utcnow()
        live = (Job.release_state == "releasing") & (Job.release_beat_at >= stale_before)
        with self.session() as session:
            result = session.execute(
                sql_update(Job)
                .where(
                    Job.id == job_id,
                    Job.status.in_(("succeeded", "partial")),
                    or_(Job.release_state.is_(None), ~live),
                )
                .values(
                    release_state="releasing",
                    release_token=token,
                    release_beat_at=now,
                    released_by=by[:128],
                    release_errors=[],
                )
            )
            if result.rowcount == 0:  # type: ignore[attr-defined]
                return None
            session.add(
                JobEvent(job_id=job_id, at=now, kind="release", progress=1.0, message=f"asked by {by}"[:500])
            )
        return token

    def start_release(self, job_id: str, token: str) -> str | None:
        """The attempt takes the release asked with ``token``: its own lease, or ``None`` (taken or superseded)."""
        lease = uuid.uuid4().hex
        with self.session() as session:
            result = session.execute(
                sql_update(Job)
                .where(Job.id == job_id, Job.release_token == token, Job.release_state == "releasing")
                .values(release_token=lease, release_beat_at=utcnow())
            )
            return lease if result.rowcount else None  # type: ignore[attr-defined]

    def beat_release(self, job_id: str, lease: str) -> bool:
        """The release attempt holding ``lease`` is alive; ``False`` if it was superseded or the job deleted."""
        with self.session() as session:
            result = session.execute(
                sql_update(Job)
                .where(Job.id == job_id, Job.release_token == lease, Job.release_state == "releasing")
                .values(release_beat_at=utcnow())
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def finish_release(
        self,
        job_id: str,
        lease: str,
        *,
        status: JobState,
        artifacts: dict[str, dict[str, Any]],
        errors: list[dict[str, Any]],
        warnings: list[dict[str, Any]],
        message: str,
        before_commit: Callable[[], None] | None = None,
        passages: dict[str, int] | None = None,
    ) -> bool:
        """Record the released outputs (the job's status, files and problems become the release's).

        ``passages``: the machine-written passages of the released copy and how many a person reviewed.

        ``before_commit`` runs inside the transaction once the row is known to be ours (the worker
        swaps the job's folder for the new one there); ``False`` if ``lease`` lost the release.
        """
        now = utcnow()
        with self.session() as session:
            result = session.execute(
                sql_update(Job)
                .where(Job.id == job_id, Job.release_token == lease, Job.release_state == "releasing")
                .values(
                    status=status,
                    artifacts=artifacts,
                    errors=errors,
                    warnings=warnings,
                    message=message[:500],
                    release_state="released",
                    release_token=None,
                    released_at=now,
                    release_beat_at=now,
                    release_errors=errors,
                    **({"passages": passages} if passages is not None else {}),
                )
            )
            if result.rowcount == 0:  # type: ignore[attr-defined]
                return False
            session.add(
                JobEvent(
                    job_id=job_id, at=now, kind="released", stage=status, progress=1.0, message=message[:500]
                )
            )
            if before_commit is not None:
                before_commit()
        return True

    def fail_release(self, job_id: str, lease: str, errors: list[dict[str, Any]]) -> bool:
        """The release failed as a whole: the job keeps its outputs; the errors are recorded with it."""
        now = utcnow()
        with self.session() as session:
            result = session.execute(
                sql_update(Job)
                .where(Job.id == job_id, Job.release_token == lease, Job.release_state == "releasing")
                .values(
                    release_state="failed", release_token=None, release_beat_at=now, release_errors=errors
                )
            )
            if result.rowcount == 0:  # type: ignore[attr-defined]
                return False
            first = errors[0] if errors else {}
            session.add(
                JobEvent(
                    job_id=job_id,
                    at=now,
                    kind="release_failed",
                    stage=str(first.get("code", ""))[:32],
                    progress=1.0,
                    message=str(first.get("message", ""))[:500],
                )
            )
        return True
