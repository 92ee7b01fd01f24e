"""The service's tables (SQLAlchemy 2, typed). The schema itself is made by Alembic migrations.

* ``jobs``: one conversion job; the only record of its state (the broker carries just its id).
* ``job_events``: what happened to a job, one row per stage change (queued, started, each stage,
  requeued, finished): the per-stage progress stream (``GET /jobs/{id}/events``) and metrics.
* ``batches``: documents submitted together (a folder, a zip, a cohort).
* ``users``, ``api_tokens``: people and their bearer tokens (local accounts; OIDC users are
  created on first sign-in).
* ``learner_profiles``: the profile a learner needs. Health data: only the profile id is stored,
  never a diagnosis; every read and write is written to ``audit_log``.
* ``audit_log``: who read or changed whose personal data, when.
* ``shares``: a document a teacher shares with the students of their institution (revision 0004).
* ``sign_in_throttle``: wrong sign-in attempts per account name and per address (revision 0005).
* ``account_settings``: a person's display settings and e-mail opt-in, with their account (revision 0006).
* ``notifications``: a job finished or released, for the learner it was made for (revision 0006).
* ``lti_platforms``, ``lti_once``: LTI 1.3 platform registrations and single-use launch records (revision 0008).
* ``job_facts``, ``job_fact_items``, ``job_downloads``: what the institution's reports count (revision 0009; the
  service report's columns of ``job_facts``, revision 0012).
* ``previews``: the teacher's preview of one original, built once by a worker (revision 0011); no person.
* ``document_versions``: a teacher's job that is a new version of an earlier one (revision 0011).

Changing a table = a new revision in ``store/migrations/versions`` (``inclusio db revision``
is not offered: write it by hand, it is a few lines) and the column here.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

JobState = Literal["queued", "running", "succeeded", "partial", "failed"]
ReleaseState = Literal["releasing", "released", "failed"]
JOB_STATES: tuple[JobState, ...] = ("queued", "running", "succeeded", "partial", "failed")
FINISHED_STATES: frozenset[str] = frozenset({"succeeded", "partial", "failed"})
Role = Literal["student", "teacher", "staff", "admin"]
ROLES: tuple[Role, ...] = ("student", "teacher", "staff", "admin")


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


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

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
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
    # -- service issue (revision 0002) --
    owner_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    """Who submitted it (a student, a teacher, staff)."""
    learner_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    """The learner it was made for, when staff submitted it for a cohort (their profile was used)."""
    institution: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    batch_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    kind: Mapped[str] = mapped_column(String(16), default="cpu")
    """Which queue it goes to: ``cpu``, ``llm`` or ``audio`` (see workers/celery_app.py)."""
    lease: Mapped[str | None] = mapped_column(String(32), default=None)
    """The current attempt's id: only that attempt may record progress or the outcome."""
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    llm_tokens: Mapped[int] = mapped_column(Integer, default=0)
    # -- revision 0003 --
    reading: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    """The learner's reading adjustments (font, size, spacing) over the profile's ``reading``."""
    # -- revision 0004: release of the reviewed version, done by a worker (workers/release_tasks.py) --
    release_state: Mapped[str | None] = mapped_column(String(16), default=None)
    """``None`` (never released), ``releasing``, ``released`` or ``failed`` (the last release's outcome)."""
    release_token: Mapped[str | None] = mapped_column(String(32), default=None)
    """The current release attempt's id: only it may record the release (a later request supersedes it)."""
    release_beat_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    """Last sign of life of the release under way (request, start, heartbeat)."""
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    released_by: Mapped[str | None] = mapped_column(String(128), default=None)
    """The reviewer who asked for the (last) release: their user name."""
    release_errors: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=None)
    """Coded errors of the last release (its outputs' failures, or why it failed as a whole)."""
    # -- revision 0007: what the student's page says of the job (web/status.py) --
    title: Mapped[str | None] = mapped_column(String(255), default=None)
    """The teacher's share title (set when asked of a share), else the document's own title (set when it
    finished); ``None``: the file name stands for it."""
    passages: Mapped[dict[str, int] | None] = mapped_column(JSON, default=None)
    """Machine-written passages of the student's copy: ``{"machine", "reviewed", "flagged"}`` (model/flags.py
    ``machine_passages``), recorded when the job finishes and at each release."""

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATES


class JobEvent(Base):
    """One step of a job: ``queued``, ``started``, ``stage`` (with its name), ``requeued``, ``finished``."""

    __tablename__ = "job_events"
    __table_args__ = (Index("ix_job_events_job_seq", "job_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(String(32), ForeignKey("jobs.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    kind: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str | None] = mapped_column(String(32), default=None)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(Text, default="")


class Batch(Base):
    """Documents submitted together; each is a job with ``batch_id``."""

    __tablename__ = "batches"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    institution: Mapped[str | None] = mapped_column(String(64), default=None, index=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    rejected: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """Files of the batch refused at submission (name and coded error); the others are jobs."""


class User(Base):
    """A person: a local account (password) or one from the identity provider (issuer + subject)."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(128), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="student")
    institution: Mapped[str] = mapped_column(String(64), default="default")
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)
    oidc_subject: Mapped[str | None] = mapped_column(String(255), default=None, unique=True)
    """``<issuer>|<sub>`` for accounts from the identity provider."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored (a leaked table gives no usable token)."""

    __tablename__ = "api_tokens"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LearnerProfile(Base):
    """The profile a learner needs: its id only (``dyslexia``), nothing about why."""

    __tablename__ = "learner_profiles"

    user_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    profile_id: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AuditEntry(Base):
    """Who did what to whose personal data (ids, counts, yes/no facts: never which profile). Kept after the
    subject's data is erased; when their account is deleted, their id becomes a random ``erased-<hex>``."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[str | None] = mapped_column(String(32), default=None)
    action: Mapped[str] = mapped_column(String(48))
    subject_id: Mapped[str | None] = mapped_column(String(32), default=None, index=True)
    institution: Mapped[str | None] = mapped_column(String(64), default=None)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Share(Base):
    """A document a teacher (or staff) shares with the students of their institution.

    It points at a stored original (content-addressed), not at anyone's job: a student who asks for
    an adapted version gets a job of their own on the same original, converted once for everyone
    (the document cache). Students see its title, course and file name only.
    """

    __tablename__ = "shares"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner_id: Mapped[str] = mapped_column(String(32), ForeignKey("users.id", ondelete="CASCADE"), index=True)
    institution: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(255))
    course: Mapped[str] = mapped_column(String(120), default="")
    """A course label or code students search by (``BIO-101``); may be empty."""
    filename: Mapped[str] = mapped_column(String(255))
    input_sha256: Mapped[str] = mapped_column(String(64), index=True)
    input_path: Mapped[str] = mapped_column(String(255))
    input_bytes: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SignInThrottle(Base):
    """Wrong sign-in attempts per account name (``account:<name>``, known or not) and per network address
    (``address:<ip>``): the growing delay and the lock of :mod:`inclusio.store.throttle` (revision 0005)."""

    __tablename__ = "sign_in_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class AccountSettings(Base):
    """A person's own settings, kept with their account and erased with it (revision 0006).

    ``reading``: display settings of the pages (checked values: font key, size %, line height, letter
    spacing). ``email``: an address only while ``notify_email`` is on (the opt-in to be told by e-mail that
    a document is ready); turning it off removes the address."""

    __tablename__ = "account_settings"

    user_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    reading: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    email: Mapped[str | None] = mapped_column(String(254), default=None)
    notify_email: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Notification(Base):
    """A job of a learner finished (``finished``) or its reviewed version was released (``released``).

    Only ids, the event and the job's status: the page shows the job's own name; the e-mail says no more
    than "a document you asked for is ready" (revision 0006). ``email_state``: ``None`` (no mail asked),
    ``pending``, ``sent``, ``failed`` (after the last attempt) or ``skipped`` (opted out, or no mail server,
    by the time it was to be sent)."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(String(32), ForeignKey("users.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[str] = mapped_column(String(32), ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    email_state: Mapped[str | None] = mapped_column(String(16), default=None)
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)


class LtiPlatform(Base):
    """A learning platform (Moodle, Canvas...) registered with inclusio as an LTI 1.3 tool (revision 0008).

    One row per registration (``issuer`` + ``client_id``); several per institution. ``staff_role``: the
    platform's role that means disability services (its people become staff); ``keep_names``: keep a
    launch's name and e-mail (off: the account holds the issuer and subject only)."""

    __tablename__ = "lti_platforms"
    __table_args__ = (UniqueConstraint("issuer", "client_id", name="uq_lti_platforms_issuer_client"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    issuer: Mapped[str] = mapped_column(String(255))
    client_id: Mapped[str] = mapped_column(String(255))
    deployment_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    jwks_url: Mapped[str] = mapped_column(String(1000))
    auth_login_url: Mapped[str] = mapped_column(String(1000))
    token_url: Mapped[str] = mapped_column(String(1000))
    institution: Mapped[str] = mapped_column(String(64), default="default")
    staff_role: Mapped[str | None] = mapped_column(String(255), default=None)
    keep_names: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LtiOnce(Base):
    """Something an LTI launch may use once before ``expires_at``: a login's ``state`` (with its nonce),
    a ``nonce`` seen in a launch, a session ``ticket`` (its SHA-256 as the key) (revision 0008)."""

    __tablename__ = "lti_once"

    key: Mapped[str] = mapped_column(String(96), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


# -- reports for the institution (issue #15; revision 0009: inclusio.reports) -------------------------


class JobFacts(Base):
    """What the institution's reports count of one job, written when the job is recorded (``inclusio.reports``).

    Ids and numbers only: the learner it was made for (``student_id``, to count distinct students and hide
    small cells), never their name; the profile id is read only to count per profile with the small-cell
    rule. ``audit_score``: the source's accessibility audit (:mod:`inclusio.analysis.audit`);
    ``ease_before``/``ease_after``: the document's reading ease (Kandel-Moles in French, Flesch in English)
    before and after adaptation. The job's course is the course label of the institution's share of the
    same original, joined when a report is asked (a document shared after its first job still counts)."""

    __tablename__ = "job_facts"
    __table_args__ = (
        Index("ix_job_facts_inst_created", "institution", "created_at"),
        Index("ix_job_facts_inst_sha", "institution", "input_sha256"),
        # revision 0012: the service report's scans read this index only, in student order (distinct counts)
        Index(
            "ix_job_facts_service",
            "institution",
            "student_id",
            "created_at",
            "doc_type",
            "profile_id",
            "month",
            "status",
            "error_code",
            "llm_tokens",
            "wait_seconds",
            "flagged",
            "outputs",
            "downloads",
        ),
    )

    job_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True
    )
    institution: Mapped[str] = mapped_column(String(64), default="")
    input_sha256: Mapped[str] = mapped_column(String(64))
    student_id: Mapped[str | None] = mapped_column(String(32), default=None)
    profile_id: Mapped[str] = mapped_column(String(64), default="")
    doc_type: Mapped[str] = mapped_column(String(16), default="other")
    month: Mapped[str] = mapped_column(String(7))
    """``YYYY-MM`` of ``created_at`` (the upload), the reports' time unit."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))
    error_code: Mapped[str | None] = mapped_column(String(64), default=None)
    """The first error's code of a failed or partial job."""
    audit_score: Mapped[int | None] = mapped_column(Integer, default=None)
    ease_before: Mapped[float | None] = mapped_column(Float, default=None)
    ease_after: Mapped[float | None] = mapped_column(Float, default=None)
    llm_tokens: Mapped[int] = mapped_column(Integer, default=0)
    # -- revision 0012: what the service report counts, in the job's row (one read for the whole page) --
    outputs: Mapped[str] = mapped_column(String(255), default="")
    """The formats made, comma-enclosed (``,epub,mp3,``; empty: none)."""
    downloads: Mapped[str] = mapped_column(String(255), default="")
    """Downloads per format by the person it was made for (``,epub:3,html:1,``), as ``job_downloads``."""
    first_download_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    wait_seconds: Mapped[float | None] = mapped_column(Float, default=None)
    """From the upload to the first download, to the second."""
    flagged: Mapped[int] = mapped_column(Integer, default=0)
    """Machine-written passages flagged and not yet reviewed (``jobs.passages``), kept by each release."""
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class JobFactItem(Base):
    """A counted item of a job's facts: ``kind`` ``issue`` (an audit check that failed, ``count`` its items)
    or ``output`` (a format made, ``count`` 1)."""

    __tablename__ = "job_fact_items"
    __table_args__ = (Index("ix_job_fact_items_kind_key", "kind", "key"),)

    job_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("job_facts.job_id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class JobDownload(Base):
    """How often a job's file of one format was downloaded by the person it was made for, and when first
    (no address, no time of each download: enough for "downloads by format" and the wait until the first)."""

    __tablename__ = "job_downloads"

    job_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True
    )
    format: Mapped[str] = mapped_column(String(32), primary_key=True)
    downloads: Mapped[int] = mapped_column(Integer, default=0)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DocumentFacts(Base):
    """What the source-accessibility report counts of one original in one institution (revision 0010): its
    latest audit (score, failed checks with their items) and reading ease before adaptation, with the time of
    its first job (the report's month). 4,000 documents instead of their 30,000 jobs for the source report."""

    __tablename__ = "document_facts"
    __table_args__ = (Index("ix_document_facts_inst_first", "institution", "first_at"),)

    institution: Mapped[str] = mapped_column(String(64), primary_key=True)
    input_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(16), default="other")
    first_at: Mapped[datetime] = mapped_column(UTCDateTime())
    month: Mapped[str] = mapped_column(String(7))
    audit_score: Mapped[int] = mapped_column(Integer)
    ease_before: Mapped[float | None] = mapped_column(Float, default=None)
    issues: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    """``{check id: items}`` of the audit checks that failed."""


class Preview(Base):
    """The teacher's preview of one original (revision 0011): one row per original and preview key, so two
    web processes never build it twice. A worker builds it (``inclusio.preview``, :mod:`inclusio.jobs.preview`);
    the result is JSON beside the original's cached conversion. Content only: no person, no file name."""

    __tablename__ = "previews"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    """``{input_sha256}-preview{version}``."""
    input_sha256: Mapped[str] = mapped_column(String(64), index=True)
    input_path: Mapped[str] = mapped_column(String(255))
    suffix: Mapped[str] = mapped_column(String(16), default="")
    """The upload's extension (the converters tell Markdown from text by it), never its name."""
    status: Mapped[str] = mapped_column(String(16), default="queued")
    """``queued``, ``running``, ``done`` or ``failed``."""
    stage: Mapped[str | None] = mapped_column(String(32), default=None)
    token: Mapped[str] = mapped_column(String(32))
    """The message that may start it: a message carrying another token (an older send) does nothing."""
    lease: Mapped[str | None] = mapped_column(String(32), default=None)
    """The running attempt's id: only it may record progress or the outcome."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    result: Mapped[str | None] = mapped_column(String(64), default=None)
    """The cache key of the JSON the worker wrote (``cache/documents/{sha256}-{result}.json``): its code's."""
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class DocumentVersion(Base):
    """A teacher's job made from a new version of the document of an earlier job (revision 0011): the
    preview page compares the two. Goes with either job."""

    __tablename__ = "document_versions"

    job_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True
    )
    previous_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("jobs.id", ondelete="CASCADE"), index=True
    )
