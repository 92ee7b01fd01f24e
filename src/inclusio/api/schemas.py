"""The shapes of the API's answers (they make the OpenAPI description complete)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from inclusio.store.models import AuditEntry, Batch, Job, Share, User
from inclusio.warning_codes import with_messages


class ErrorBody(BaseModel):
    code: str = Field(description="stable error code, e.g. input.too_large")
    message: str
    message_fr: str
    details: dict[str, Any] | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: each status answers with the one error body."""
    return {status: {"model": ErrorResponse} for status in statuses}


AUTH_ERRORS = (401, 403)


class Health(BaseModel):
    status: str
    version: str


class ProfileInfo(BaseModel):
    id: str
    name: dict[str, str]
    description: dict[str, str]
    outputs: list[str]


class ArtifactLink(BaseModel):
    url: str
    media_type: str | None = None
    bytes: int | None = None


class InputInfo(BaseModel):
    sha256: str
    bytes: int


class ReleaseInfo(BaseModel):
    state: str = Field(description="releasing (a worker renders the reviewed document), released or failed")
    by: str | None = Field(description="the reviewer who asked for it")
    released_at: str | None = Field(
        description="when the reviewed version replaced the outputs (last success)"
    )
    errors: list[dict[str, Any]] = Field(description="coded errors of the last release")

    @classmethod
    def of(cls, job: Job) -> ReleaseInfo | None:
        if not job.release_state:
            return None
        return cls(
            state=job.release_state,
            by=job.released_by,
            released_at=_iso(job.released_at),
            errors=job.release_errors or [],
        )


class ReviewFlags(BaseModel):
    flags: int = Field(description="flags on the latest adaptations and the glossary entries")
    unreviewed_flags: int = Field(description="flags on block adaptations no person has reviewed")
    unreviewed_blocks: int = Field(
        description="blocks flagged and not reviewed: a release is refused "
        "(review.unreviewed_flags) until they are, or accept_unreviewed"
    )
    glossary_unreviewed: int = Field(
        description="glossary entries flagged or without definition, not reviewed"
    )


class JobView(BaseModel):
    id: str
    status: str = Field(description="queued, running, succeeded, partial or failed")
    stage: str | None
    progress: float
    message: str
    profile: str
    outputs: list[str] | None
    filename: str
    kind: str = Field(description="the queue: cpu, llm or audio")
    input: InputInfo
    attempts: int
    owner_id: str | None
    learner_id: str | None
    batch_id: str | None
    created_at: str | None
    started_at: str | None
    finished_at: str | None
    errors: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    artifacts: dict[str, ArtifactLink]
    links: dict[str, str]
    release: ReleaseInfo | None = Field(
        default=None, description="the release of the reviewed version, if any (POST /jobs/{id}/release)"
    )
    review: ReviewFlags | None = Field(
        default=None,
        description="flags on the document under review (GET /jobs/{id} only, once the job has finished)",
    )

    @classmethod
    def of(cls, job: Job, review: dict[str, int] | None = None) -> JobView:
        return cls(
            id=job.id,
            status=job.status,
            stage=job.stage,
            progress=job.progress,
            message=job.message,
            profile=job.profile_id,
            outputs=job.outputs,
            filename=job.filename,
            kind=job.kind or "cpu",
            input=InputInfo(sha256=job.input_sha256, bytes=job.input_bytes),
            attempts=job.attempts,
            owner_id=job.owner_id,
            learner_id=job.learner_id,
            batch_id=job.batch_id,
            created_at=_iso(job.created_at),
            started_at=_iso(job.started_at),
            finished_at=_iso(job.finished_at),
            errors=job.errors or [],
            warnings=[with_messages(w) for w in job.warnings or []],
            artifacts={
                name: ArtifactLink(
                    url=f"/jobs/{job.id}/artifacts/{name}",
                    media_type=rec.get("media_type"),
                    bytes=rec.get("bytes"),
                )
                for name, rec in (job.artifacts or {}).items()
            },
            links={"self": f"/jobs/{job.id}", "events": f"/jobs/{job.id}/events"},
            release=ReleaseInfo.of(job),
            review=ReviewFlags.model_validate(review) if review is not None else None,
        )


class JobAccepted(BaseModel):
    id: str
    status: str
    links: dict[str, str]


class Rejected(BaseModel):
    filename: str
    error: ErrorBody


class BatchView(BaseModel):
    id: str
    name: str
    owner_id: str | None
    created_at: str | None
    counts: dict[str, int] = Field(description="jobs by status")
    jobs: list[JobView]
    rejected: list[Rejected]

    @classmethod
    def of(cls, batch: Batch, jobs: list[Job]) -> BatchView:
        counts: dict[str, int] = {}
        for job in jobs:
            counts[job.status] = counts.get(job.status, 0) + 1
        return cls(
            id=batch.id,
            name=batch.name,
            owner_id=batch.owner_id,
            created_at=_iso(batch.created_at),
            counts=counts,
            jobs=[JobView.of(j) for j in jobs],
            rejected=[Rejected.model_validate(r) for r in batch.rejected or []],
        )


class ShareView(BaseModel):
    """A shared document. Students get its title, course and file name only; ``owner_id`` and ``input``
    are for those who may stop sharing it (its owner, staff, admins)."""

    id: str
    title: str
    course: str = Field(description="course label or code (may be empty)")
    filename: str
    created_at: str | None
    owner_id: str | None = None
    input: InputInfo | None = None
    links: dict[str, str]

    @classmethod
    def of(cls, share: Share, *, full: bool) -> ShareView:
        return cls(
            id=share.id,
            title=share.title,
            course=share.course,
            filename=share.filename,
            created_at=_iso(share.created_at),
            owner_id=share.owner_id if full else None,
            input=InputInfo(sha256=share.input_sha256, bytes=share.input_bytes) if full else None,
            links={"self": f"/shares/{share.id}", "request": f"/shares/{share.id}/jobs"},
        )


class UserView(BaseModel):
    id: str
    username: str
    role: str
    institution: str
    created_at: str | None

    @classmethod
    def of(cls, user: User) -> UserView:
        return cls(
            id=user.id,
            username=user.username,
            role=user.role,
            institution=user.institution,
            created_at=_iso(user.created_at),
        )


class NewUser(BaseModel):
    username: str = Field(min_length=1, max_length=128)
    role: str = Field(description="student, teacher, staff or admin")
    password: str | None = Field(default=None, min_length=8, max_length=256)
    institution: str | None = Field(
        default=None, max_length=64, description="default: the creator's institution"
    )


class LearnerProfileView(BaseModel):
    user_id: str
    profile: str | None = Field(description="the profile id (e.g. dyslexia); null when none is set")
    updated_at: str | None


class LearnerProfileUpdate(BaseModel):
    profile: str = Field(min_length=1, max_length=64)


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: str


class AuditView(BaseModel):
    id: int
    at: str | None
    actor_id: str | None
    action: str
    subject_id: str | None
    details: dict[str, Any]

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditView:
        return cls(
            id=entry.id,
            at=_iso(entry.at),
            actor_id=entry.actor_id,
            action=entry.action,
            subject_id=entry.subject_id,
            details=entry.details or {},
        )


class Erased(BaseModel):
    user_id: str
    jobs: int
    files: int
    account_deleted: bool
    shares: int = Field(default=0, description="documents they had shared with students (no longer shared)")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
