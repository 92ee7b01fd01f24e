"""The job table and the few queries the API and the worker need (SQLAlchemy 2, typed).

One row per job; it is the source of truth for a job's state (the Celery broker only carries the
job id). SQLite is the embedded default, PostgreSQL the production database; the same code runs
on both. On SQLite, WAL mode and a busy timeout let the API process and the worker process share
the file.

Schema creation is ``create_all`` at start-up for now. Migrations (Alembic), users, batches and
the stuck-job watchdog come with the service issue; keep new columns nullable or defaulted so
that step stays simple.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    Integer,
    String,
    Text,
    TypeDecorator,
    create_engine,
    event,
    select,
)
from sqlalchemy import update as sql_update
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from inclusio.errors import JobNotFound

JobState = Literal["queued", "running", "succeeded", "partial", "failed"]
JOB_STATES: tuple[JobState, ...] = ("queued", "running", "succeeded", "partial", "failed")
FINISHED_STATES: frozenset[str] = frozenset({"succeeded", "partial", "failed"})

SQLITE_BUSY_TIMEOUT_MS = 30_000
"""How long a SQLite writer waits for the other process's lock before failing."""


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware UTC datetime")
        value = value.astimezone(UTC)
        # SQLite has no zone type: store naive UTC; PostgreSQL keeps the zone.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class Job(Base):
    """One conversion job: an uploaded original, a profile, and what the worker made of it."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=lambda: uuid.uuid4().hex)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    stage: Mapped[str | None] = mapped_column(String(32), default=None)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(Text, default="")
    profile_id: Mapped[str] = mapped_column(String(64))
    outputs: Mapped[list[str] | None] = mapped_column(JSON, default=None)
    """Outputs asked for; ``None`` means the profile's own list."""
    filename: Mapped[str] = mapped_column(String(255))
    """The user's file name, for display and output names only (never used as a path)."""
    input_sha256: Mapped[str] = mapped_column(String(64), index=True)
    input_bytes: Mapped[int] = mapped_column(Integer, default=0)
    input_path: Mapped[str] = mapped_column(String(255))
    """Where the original is, relative to the storage root (``originals/ab/abcd...``)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    artifacts: Mapped[dict[str, dict[str, Any]]] = mapped_column(JSON, default=dict)
    """``{name: {"file": <name inside the job folder>, "media_type": ..., "bytes": ...}}``."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATES


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL mode and a busy timeout on every connection."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster commits
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


class JobStore:
    """Job rows: create, read, and the state changes the worker makes.

    Methods return detached :class:`Job` objects (plain reads after the session closed). Each
    state change is one short transaction, so the API and the worker never hold locks long.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: Any) -> JobStore:
        """The store for ``settings.resolved_database_url()`` (creates the data folder for SQLite)."""
        url = settings.resolved_database_url()
        if url.startswith("sqlite"):
            settings.ensure_dirs()
        return cls(url)

    def create_all(self) -> None:
        """Create missing tables. Two processes starting together may race: the loser retries."""
        for attempt in range(3):
            try:
                Base.metadata.create_all(self.engine)
                return
            except (OperationalError, ProgrammingError):
                if attempt == 2:
                    raise
                time.sleep(0.2)

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    def ping(self) -> None:
        """Raise if the database cannot be reached."""
        with self.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")

    # -- reads --------------------------------------------------------------------------------

    def get(self, job_id: str) -> Job:
        """The job ``job_id``, or :class:`~inclusio.errors.JobNotFound`."""
        with self.session() as session:
            job = session.get(Job, job_id) if _looks_like_id(job_id) else None
            if job is None:
                raise JobNotFound(details={"job": job_id[:64]})
            return job

    def recent(self, *, status: str | None = None, limit: int = 100) -> list[Job]:
        """The most recent jobs first, optionally only those in ``status``."""
        query = select(Job).order_by(Job.created_at.desc()).limit(limit)
        if status is not None:
            query = query.where(Job.status == status)
        with self.session() as session:
            return list(session.scalars(query))

    # -- writes -------------------------------------------------------------------------------

    def create(self, *, profile_id: str, filename: str, input_sha256: str, input_path: str,
               input_bytes: int, outputs: list[str] | None = None) -> Job:
        """A new ``queued`` job."""
        job = Job(id=uuid.uuid4().hex, status="queued", profile_id=profile_id, filename=filename[:255],
                  input_sha256=input_sha256, input_path=input_path, input_bytes=input_bytes,
                  outputs=outputs, created_at=utcnow(), errors=[], warnings=[], artifacts={},
                  attempts=0, progress=0.0, message="")
        with self.session() as session:
            session.add(job)
        return job

    def start(self, job_id: str) -> Job | None:
        """Mark the job ``running`` and count the attempt; ``None`` if it has already finished.

        The check and the update are one statement, so a message delivered twice (a broker
        redelivery) never runs a finished job again.
        """
        with self.session() as session:
            result = session.execute(
                sql_update(Job)
                .where(Job.id == job_id, Job.status.in_(("queued", "running")))
                .values(status="running", attempts=Job.attempts + 1, started_at=utcnow(), finished_at=None,
                        stage=None, progress=0.0, message="")
            )
            if result.rowcount == 0:  # type: ignore[attr-defined]
                if session.get(Job, job_id) is None:
                    raise JobNotFound(details={"job": job_id})
                return None
        return self.get(job_id)

    def set_progress(self, job_id: str, stage: str, progress: float, message: str) -> None:
        """Record where a running job is (called by the worker, throttled)."""
        with self.session() as session:
            session.execute(
                sql_update(Job).where(Job.id == job_id, Job.status == "running")
                .values(stage=stage, progress=max(0.0, min(1.0, progress)), message=message[:500])
            )

    def finish(self, job_id: str, *, status: JobState, errors: list[dict[str, Any]] | None = None,
               warnings: list[dict[str, Any]] | None = None,
               artifacts: dict[str, dict[str, Any]] | None = None, message: str = "") -> None:
        """Record the outcome (``succeeded``, ``partial`` or ``failed``)."""
        if status not in FINISHED_STATES:
            raise ValueError(f"finish() needs a final status, not {status!r}")
        with self.session() as session:
            values: dict[str, Any] = {"status": status, "errors": errors or [], "warnings": warnings or [],
                                      "finished_at": utcnow(), "message": message[:500]}
            if artifacts is not None:
                values["artifacts"] = artifacts
            if status != "failed":
                values["progress"] = 1.0
            result = session.execute(sql_update(Job).where(Job.id == job_id).values(**values))
            if result.rowcount == 0:  # type: ignore[attr-defined]
                raise JobNotFound(details={"job": job_id})


def _looks_like_id(job_id: str) -> bool:
    return 0 < len(job_id) <= 32 and all(c in "0123456789abcdef" for c in job_id)
