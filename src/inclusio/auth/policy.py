"""Who may see and do what. Every route asks these functions; none decides on its own.

=========  ==============================================  ===========================================
role       jobs and batches                                people and learner profiles (health data)
=========  ==============================================  ===========================================
student    those they submitted or that were made for them  their own profile; delete all their data
teacher    those they submitted                            their own profile; delete all their data
staff      every one of their institution                  users of their institution: create students
                                                           and teachers, read/set profiles, erase data;
                                                           the audit log of their institution
admin      every one                                       everyone, every role; the whole audit log
=========  ==============================================  ===========================================

Submitting for a cohort (jobs made with each learner's stored profile) is for staff and admins:
teachers choose a profile by name and never read a learner's profile.

Shared documents (a teacher shares an original with the students of their institution):

=========  =====================================================================================
student    sees the shares of their institution (title, course, file name: not who shared it nor
           who else uses it) and asks for an adapted version: a job of their own, seen by them only
teacher    shares their uploads, sees and stops their own shares
staff      shares, sees and stops every share of their institution
admin      every share
=========  =====================================================================================

A job's files (the API's ``/jobs/{id}/artifacts/{name}`` and the web pages' downloads alike): a student
fetches the files made for them (:data:`STUDENT_FILES` and each section MP3); the technical files (report,
document JSON, audio timings) are for teachers, staff and admins (:func:`check_artifact`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from inclusio.errors import ArtifactStaffOnly, Forbidden
from inclusio.store.jobs import JobFilter
from inclusio.store.models import Batch, Job, Share, User


@dataclass(frozen=True)
class Principal:
    """The signed-in person making a request."""

    id: str
    username: str
    role: str
    institution: str

    @classmethod
    def of(cls, user: User) -> Principal:
        return cls(id=user.id, username=user.username, role=user.role, institution=user.institution)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_staff(self) -> bool:
        """Staff or admin: sees their institution's jobs (an admin sees all)."""
        return self.role in ("staff", "admin")


def job_filter(who: Principal) -> JobFilter:
    """The jobs ``who`` may list."""
    if who.is_admin:
        return JobFilter()
    if who.role == "staff":
        return JobFilter(institution=who.institution)
    if who.role == "teacher":
        return JobFilter(owner=who.id)
    return JobFilter(owner_or_learner=who.id)


def can_see_job(who: Principal, job: Job) -> bool:
    if who.is_admin:
        return True
    if who.role == "staff":
        return job.institution == who.institution
    if who.role == "teacher":
        return job.owner_id == who.id
    return who.id in (job.owner_id, job.learner_id)


def can_see_batch(who: Principal, batch: Batch) -> bool:
    if who.is_admin:
        return True
    if who.role == "staff":
        return batch.institution == who.institution
    return batch.owner_id == who.id


def can_manage_user(who: Principal, user: User) -> bool:
    """Read the account and learner profile of ``user``, set the profile, erase the data."""
    if who.id == user.id or who.is_admin:
        return True
    return who.role == "staff" and user.institution == who.institution and user.role in ("student", "teacher")


def require(allowed: bool, what: str) -> None:
    """Raise :class:`~inclusio.errors.Forbidden` unless ``allowed``."""
    if not allowed:
        raise Forbidden(details={"action": what})


def require_staff(who: Principal, what: str) -> None:
    require(who.is_staff, what)


def may_create_user(who: Principal, role: str, institution: str) -> bool:
    if who.is_admin:
        return True
    return who.role == "staff" and role in ("student", "teacher") and institution == who.institution


def may_share(who: Principal) -> bool:
    """Share a document with students: teachers, staff and admins."""
    return who.role in ("teacher", "staff", "admin")


def share_scope(who: Principal) -> dict[str, str | None]:
    """Which shares ``who`` may list: ``owner`` and ``institution`` filters for the store."""
    if who.is_admin:
        return {"owner": None, "institution": None}
    if who.role == "teacher":
        return {"owner": who.id, "institution": None}
    return {"owner": None, "institution": who.institution}


def can_see_share(who: Principal, share: Share) -> bool:
    if who.is_admin:
        return True
    if who.role == "teacher":
        return share.owner_id == who.id
    return share.institution == who.institution


def can_manage_share(who: Principal, share: Share) -> bool:
    """Stop sharing: its owner, staff of its institution, admins."""
    if who.is_admin or share.owner_id == who.id:
        return True
    return who.role == "staff" and share.institution == who.institution


TECHNICAL_ROLES = ("teacher", "staff", "admin")
"""Who may fetch a job's technical files (report, document JSON, audio timings) and sees them listed."""
STUDENT_FILES = ("epub", "mp3", "html", "brf", "large-print")
"""The job's files a student may fetch: what their document's page lists for them (the e-book, the audio with
chapters, the web page, braille, large print)."""
SECTION_FILE = re.compile(r"mp3-\d+")
"""A section's MP3 (``mp3-01``...): a student may fetch it too (the reader plays them, the zip holds them)."""


def may_fetch_artifact(who: Principal, name: str) -> bool:
    """Whether ``who`` may fetch the job file ``name`` of a job they can see: any file for teachers, staff and
    admins; for a student the files of :data:`STUDENT_FILES` and the section MP3s, never the report, the
    document JSON or the audio timings (the reader is built from them on the server)."""
    return who.role in TECHNICAL_ROLES or name in STUDENT_FILES or SECTION_FILE.fullmatch(name) is not None


def check_technical(who: Principal, job: Any, what: str) -> None:
    """Raise ``artifact.staff_only`` (403) unless ``who`` may read ``job``'s technical files (``what``: the
    file's name in the error's details): the review API's Document is one of them."""
    if who.role not in TECHNICAL_ROLES:
        raise ArtifactStaffOnly(details={"job": job.id, "artifact": what[:64]})


def check_artifact(who: Principal, job: Any, name: str) -> None:
    """Raise ``artifact.staff_only`` (403) when a student asks for one of ``job``'s technical files; a name the
    job does not have is left to the caller's ``artifact.not_found``."""
    if name in (job.artifacts or {}) and not may_fetch_artifact(who, name):
        raise ArtifactStaffOnly(details={"job": job.id, "artifact": name[:64]})
