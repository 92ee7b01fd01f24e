"""Shared documents: a teacher shares a document with the students of their institution; a student asks
for an adapted version of it for their own profile in one step.

A share points at the stored original (content-addressed): the student's request is a job of their
own on that same file, with no new upload, and the document is converted once for every student (the
worker's document cache). Students see a share's title, course and file name, never who shared it or
who else asked for it; their jobs are theirs alone (:mod:`inclusio.auth.policy`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse, Response

from inclusio import jobs
from inclusio.api.routes.jobs import parse_outputs, parse_reading, resolve_profile, visible_job
from inclusio.api.schemas import AUTH_ERRORS, JobAccepted, ShareView, errors
from inclusio.api.services import Caller, Services, Svc
from inclusio.api.uploads import display_name, store_document
from inclusio.auth.policy import Principal, can_manage_share, can_see_share, may_share, require, share_scope
from inclusio.errors import ProfileInvalid, RequestInvalid, ShareNotFound
from inclusio.profiles import Profile, with_reading
from inclusio.store.files import StoredOriginal
from inclusio.store.models import Job, Share

router = APIRouter(tags=["shares"])

MAX_TITLE = 255
MAX_COURSE = 120


def share_not_found(share_id: str) -> ShareNotFound:
    return ShareNotFound(details={"share": share_id[:64]})


def visible_share(svc: Services, who: Principal, share_id: str) -> Share:
    """The share if ``who`` may see it; ``share.not_found`` otherwise (its existence is not revealed)."""
    share = svc.store.get_share(share_id)
    if share is None or not can_see_share(who, share):
        raise share_not_found(share_id)
    return share


def view(who: Principal, share: Share) -> ShareView:
    return ShareView.of(share, full=can_manage_share(who, share))


def share_document(svc: Services, who: Principal, *, upload: Any = None, upload_name: str | None = None,
                   job_id: str | None = None, title: str | None = None, course: str | None = None) -> Share:
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
        raise RequestInvalid("Upload a document ('file') or give one of your jobs ('job').",
                             message_fr="Déposez un document (« file ») ou indiquez une de vos tâches (« job »).",
                             details={"field": "file"})
    clean_title = " ".join((title or "").split())[:MAX_TITLE] or filename
    clean_course = " ".join((course or "").split())[:MAX_COURSE]
    share = svc.store.create_share(owner_id=who.id, institution=who.institution, title=clean_title,
                                   course=clean_course, filename=filename, input_sha256=stored.sha256,
                                   input_path=stored.relpath, input_bytes=stored.size)
    return share


def stop_sharing(svc: Services, who: Principal, share: Share) -> None:
    """Delete the share; its original goes too unless a job (a student's request) or another share uses it."""
    require(can_manage_share(who, share), "stop sharing this document")
    svc.store.delete_share(share.id)
    if svc.store.jobs_using_original(share.input_sha256) == 0:
        svc.files.delete_original(share.input_sha256)


def own_profile(svc: Services, who: Principal) -> Profile:
    """The caller's stored learner profile (audited), or ``request.invalid`` when they have none."""
    stored = svc.users.get_profile(who.id)
    svc.users.audit(actor_id=who.id, action="profile.used", subject_id=who.id, institution=who.institution,
                    details={"found": stored is not None})
    if stored is None:
        raise RequestInvalid("Choose your reading profile first (PUT /me/profile), or give a profile.",
                             message_fr=("Choisissez d'abord votre profil de lecture (PUT /me/profile), ou "
                                         "indiquez un profil."),
                             details={"field": "profile"})
    return resolve_profile(svc, stored.profile_id)


def request_version(svc: Services, who: Principal, share: Share, *, profile: Profile | None = None,
                    outputs: list[str] | None = None, reading: dict[str, Any] | None = None) -> Job:
    """A job of ``who``'s own on the shared original, for ``profile`` (default: their stored profile)."""
    chosen = profile or own_profile(svc, who)
    if reading:
        try:
            with_reading(chosen, reading)
        except ProfileInvalid as exc:
            raise RequestInvalid(exc.message, message_fr=exc.message_fr,
                                 details={"field": "reading", **exc.details}) from exc
    stored = StoredOriginal(sha256=share.input_sha256, size=share.input_bytes, relpath=share.input_path)
    return jobs.submit(svc, stored, filename=share.filename, profile=chosen, outputs=outputs, owner_id=who.id,
                       institution=who.institution, reading=reading)


@router.post("/shares", status_code=201, response_model=ShareView,
             responses=errors(400, 404, 413, 415, 422, *AUTH_ERRORS),
             summary="Teachers and staff: share a document (an upload, or one of your jobs' originals) with "
                     "the students of your institution")
def share(svc: Svc, who: Caller,
           file: Annotated[UploadFile | None, File(description="PDF, PPTX, DOCX... (or give 'job')")] = None,
           job: Annotated[str | None, Form(max_length=64, description="one of your jobs: its original is "
                                                                     "shared, with no new upload")] = None,
           title: Annotated[str | None, Form(max_length=MAX_TITLE, description="what students see "
                                                                              "(default: the file name)")] = None,
           course: Annotated[str | None, Form(max_length=MAX_COURSE, description="a course label or code "
                                                                                 "students search by")] = None,
           ) -> JSONResponse:
    upload = file if file is not None and (file.filename or file.size) else None
    shared = share_document(svc, who, upload=upload.file if upload else None,
                            upload_name=upload.filename if upload else None, job_id=job, title=title, course=course)
    return JSONResponse(view(who, shared).model_dump(), status_code=201,
                        headers={"Location": f"/shares/{shared.id}"})


@router.get("/shares", response_model=list[ShareView], responses=errors(*AUTH_ERRORS),
            summary="The shared documents the caller may see (students: their institution's), newest first")
def list_shares(svc: Svc, who: Caller,
             search: Annotated[str | None, Query(max_length=MAX_COURSE,
                                                 description="part of the course, title or file name")] = None,
             limit: Annotated[int, Query(ge=1, le=500)] = 200) -> list[ShareView]:
    return [view(who, s) for s in svc.store.list_shares(**share_scope(who), search=search, limit=limit)]


@router.get("/shares/{share_id}", response_model=ShareView, responses=errors(404, *AUTH_ERRORS))
def get_share(svc: Svc, who: Caller, share_id: str) -> ShareView:
    return view(who, visible_share(svc, who, share_id))


@router.delete("/shares/{share_id}", status_code=204, responses=errors(404, *AUTH_ERRORS),
               summary="Stop sharing (the students' own jobs made from it stay theirs)")
def unshare(svc: Svc, who: Caller, share_id: str) -> Response:
    stop_sharing(svc, who, visible_share(svc, who, share_id))
    return Response(status_code=204)


@router.post("/shares/{share_id}/jobs", status_code=202, response_model=JobAccepted,
             responses=errors(400, 404, 422, 503, *AUTH_ERRORS),
             summary="Ask for an adapted version of a shared document: a job of your own, for your stored "
                     "profile (or the one given)")
def request_from_share(svc: Svc, who: Caller, share_id: str,
            profile: Annotated[str | None, Form(max_length=64, description="default: your stored profile")] = None,
            outputs: Annotated[str | None, Form(description="comma list, e.g. epub,report")] = None,
            reading: Annotated[str | None, Form(description="your reading adjustments, as JSON (see POST "
                                                            "/jobs)")] = None) -> JSONResponse:
    share = visible_share(svc, who, share_id)
    wanted = parse_outputs(outputs)
    adjustments = parse_reading(reading)
    job = request_version(svc, who, share, profile=resolve_profile(svc, profile) if profile else None,
                          outputs=wanted, reading=adjustments)
    return JSONResponse(JobAccepted(id=job.id, status="queued",
                                    links={"self": f"/jobs/{job.id}", "events": f"/jobs/{job.id}/events"}
                                    ).model_dump(), status_code=202, headers={"Location": f"/jobs/{job.id}"})
