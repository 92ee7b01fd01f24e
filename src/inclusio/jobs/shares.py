"""Documents teachers share with their institution's students, and the job a student asks of one.

The API routes (:mod:`inclusio.api.routes.shares`) and the web pages (:mod:`inclusio.web.shares`) call
these; nothing here knows about HTTP. A student's version of a share is an ordinary job
(:func:`inclusio.jobs.submit`) on the shared original.
"""

from __future__ import annotations

from typing import Any

from inclusio.auth.policy import Principal, can_manage_share, can_see_share, may_share, require
from inclusio.errors import ProfileInvalid, RequestInvalid, ShareNotFound
from inclusio.jobs.enqueue import submit
from inclusio.jobs.inputs import resolve_profile, visible_job
from inclusio.jobs.uploads import display_name, store_document
from inclusio.profiles import Profile, with_reading
from inclusio.store.files import StoredOriginal
from inclusio.store.models import Job, Share

MAX_TITLE = 255
MAX_COURSE = 120


def share_not_found(share_id: str) -> ShareNotFound:
    return ShareNotFound(details={"share": share_id[:64]})


def visible_share(svc: Any, who: Principal, share_id: str) -> Share:
    """The share if ``who`` may see it; ``share.not_found`` otherwise (its existence is not revealed)."""
    share = svc.shares.get(share_id)
    if share is None or not can_see_share(who, share):
        raise share_not_found(share_id)
    return share


def share_document(
    svc: Any,
    who: Principal,
    *,
    upload: Any = None,
    upload_name: str | None = None,
    job_id: str | None = None,
    title: str | None = None,
    course: str | None = None,
) -> Share:
    """Share an upload (a binary file object) or the original of one of ``who``'s own jobs."""
    require(may_share(who), "share a document")
    if upload is not None:
        filename = display_name(upload_name)
        stored = store_document(svc.files, upload, max_bytes=svc.settings.max_upload_bytes, filename=filename)
    elif job_id:
        job = visible_job(svc, who, job_id)
        # Only one's own uploads: staff see their institution's jobs, students' uploads among them.
        require(job.owner_id == who.id or who.is_admin, "share a document someone else uploaded")
        filename = job.filename
        stored = StoredOriginal(sha256=job.input_sha256, size=job.input_bytes, relpath=job.input_path)
    else:
        raise RequestInvalid(
            "Upload a document ('file') or give one of your jobs ('job').",
            message_fr="Déposez un document (« file ») ou indiquez une de vos tâches (« job »).",
            details={"field": "file"},
        )
    clean_title = " ".join((title or "").split())[:MAX_TITLE] or filename
    clean_course = " ".join((course or "").split())[:MAX_COURSE]
    share = svc.shares.create(
        owner_id=who.id,
        institution=who.institution,
        title=clean_title,
        course=clean_course,
        filename=filename,
        input_sha256=stored.sha256,
        input_path=stored.relpath,
        input_bytes=stored.size,
    )
    return share


def stop_sharing(svc: Any, who: Principal, share: Share) -> None:
    """Delete the share; its original goes too unless a job (a student's request) or another share uses it."""
    require(can_manage_share(who, share), "stop sharing this document")
    svc.shares.delete(share.id)
    if svc.store.db.original_uses(share.input_sha256) == 0:
        svc.files.delete_original(share.input_sha256)


def own_profile(svc: Any, who: Principal) -> Profile:
    """The caller's stored learner profile (audited), or ``request.invalid`` when they have none."""
    stored = svc.users.get_profile(who.id)
    svc.users.audit(
        actor_id=who.id,
        action="profile.used",
        subject_id=who.id,
        institution=who.institution,
        details={"found": stored is not None},
    )
    if stored is None:
        raise RequestInvalid(
            "Choose your reading profile first (PUT /me/profile), or give a profile.",
            message_fr=(
                "Choisissez d'abord votre profil de lecture (PUT /me/profile), ou indiquez un profil."
            ),
            details={"field": "profile"},
        )
    return resolve_profile(svc, stored.profile_id)


def request_version(
    svc: Any,
    who: Principal,
    share: Share,
    *,
    profile: Profile | None = None,
    outputs: list[str] | None = None,
    reading: dict[str, Any] | None = None,
) -> Job:
    """A job of ``who``'s own on the shared original, for ``profile`` (default: their stored profile)."""
    chosen = profile or own_profile(svc, who)
    if reading:
        try:
            with_reading(chosen, reading)
        except ProfileInvalid as exc:
            raise RequestInvalid(
                exc.message, message_fr=exc.message_fr, details={"field": "reading", **exc.details}
            ) from exc
    stored = StoredOriginal(sha256=share.input_sha256, size=share.input_bytes, relpath=share.input_path)
    return submit(
        svc,
        stored,
        filename=share.filename,
        profile=chosen,
        outputs=outputs,
        owner_id=who.id,
        institution=who.institution,
        reading=reading,
        # the teacher's title; one that is only the file name (none was given) leaves the document's own
        title=share.title if share.title != share.filename else None,
    )
