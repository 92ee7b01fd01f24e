"""Shared documents: a teacher shares a document with the students of their institution; a student asks
for an adapted version of it for their own profile in one step.

A share points at the stored original (content-addressed): the student's request is a job of their
own on that same file, with no new upload, and the document is converted once for every student (the
worker's document cache). Students see a share's title, course and file name, never who shared it or
who else asked for it; their jobs are theirs alone (:mod:`inclusio.auth.policy`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse, Response

from inclusio.api.deps import Caller, Svc
from inclusio.api.schemas import AUTH_ERRORS, JobAccepted, ShareView, errors
from inclusio.auth.policy import Principal, can_manage_share, share_scope
from inclusio.converters.registry import formats_label
from inclusio.jobs.inputs import parse_outputs, parse_reading, resolve_profile
from inclusio.jobs.shares import (
    MAX_COURSE,
    MAX_TITLE,
    request_version,
    share_document,
    stop_sharing,
    visible_share,
)
from inclusio.store.models import Share

router = APIRouter(tags=["shares"])


def view(who: Principal, share: Share) -> ShareView:
    return ShareView.of(share, full=can_manage_share(who, share))


@router.post(
    "/shares",
    status_code=201,
    response_model=ShareView,
    responses=errors(400, 404, 413, 415, 422, *AUTH_ERRORS),
    summary="Teachers and staff: share a document (an upload, or one of your jobs' originals) with "
    "the students of your institution",
)
def share(
    svc: Svc,
    who: Caller,
    file: Annotated[UploadFile | None, File(description=f"{formats_label('en')} (or give 'job')")] = None,
    job: Annotated[
        str | None,
        Form(max_length=64, description="one of your jobs: its original is shared, with no new upload"),
    ] = None,
    title: Annotated[
        str | None, Form(max_length=MAX_TITLE, description="what students see (default: the file name)")
    ] = None,
    course: Annotated[
        str | None, Form(max_length=MAX_COURSE, description="a course label or code students search by")
    ] = None,
) -> JSONResponse:
    upload = file if file is not None and (file.filename or file.size) else None
    shared = share_document(
        svc,
        who,
        upload=upload.file if upload else None,
        upload_name=upload.filename if upload else None,
        job_id=job,
        title=title,
        course=course,
    )
    return JSONResponse(
        view(who, shared).model_dump(), status_code=201, headers={"Location": f"/shares/{shared.id}"}
    )


@router.get(
    "/shares",
    response_model=list[ShareView],
    responses=errors(*AUTH_ERRORS),
    summary="The shared documents the caller may see (students: their institution's), newest first",
)
def list_shares(
    svc: Svc,
    who: Caller,
    search: Annotated[
        str | None, Query(max_length=MAX_COURSE, description="part of the course, title or file name")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[ShareView]:
    return [view(who, s) for s in svc.shares.list(**share_scope(who), search=search, limit=limit)]


@router.get("/shares/{share_id}", response_model=ShareView, responses=errors(404, *AUTH_ERRORS))
def get_share(svc: Svc, who: Caller, share_id: str) -> ShareView:
    return view(who, visible_share(svc, who, share_id))


@router.delete(
    "/shares/{share_id}",
    status_code=204,
    responses=errors(404, *AUTH_ERRORS),
    summary="Stop sharing (the students' own jobs made from it stay theirs)",
)
def unshare(svc: Svc, who: Caller, share_id: str) -> Response:
    stop_sharing(svc, who, visible_share(svc, who, share_id))
    return Response(status_code=204)


@router.post(
    "/shares/{share_id}/jobs",
    status_code=202,
    response_model=JobAccepted,
    responses=errors(400, 404, 422, 503, *AUTH_ERRORS),
    summary="Ask for an adapted version of a shared document: a job of your own, for your stored "
    "profile (or the one given)",
)
def request_from_share(
    svc: Svc,
    who: Caller,
    share_id: str,
    profile: Annotated[str | None, Form(max_length=64, description="default: your stored profile")] = None,
    outputs: Annotated[str | None, Form(description="comma list, e.g. epub,report")] = None,
    reading: Annotated[
        str | None, Form(description="your reading adjustments, as JSON (see POST /jobs)")
    ] = None,
) -> JSONResponse:
    share = visible_share(svc, who, share_id)
    wanted = parse_outputs(outputs)
    adjustments = parse_reading(reading)
    job = request_version(
        svc,
        who,
        share,
        profile=resolve_profile(svc, profile) if profile else None,
        outputs=wanted,
        reading=adjustments,
    )
    return JSONResponse(
        JobAccepted(
            id=job.id, status="queued", links={"self": f"/jobs/{job.id}", "events": f"/jobs/{job.id}/events"}
        ).model_dump(),
        status_code=202,
        headers={"Location": f"/jobs/{job.id}"},
    )
