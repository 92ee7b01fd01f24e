"""Shared documents on the pages: teachers share and stop sharing; a student asks for an adapted version of
a shared document in one step (:mod:`inclusio.jobs.shares` does the work, as for the API)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from inclusio.errors import RequestInvalid
from inclusio.jobs.inputs import parse_outputs, resolve_profile
from inclusio.jobs.shares import request_version, share_document, stop_sharing, visible_share
from inclusio.web import session as web
from inclusio.web.i18n import TEXT
from inclusio.web.pages import reading_overrides
from inclusio.web.reader import with_reader_output

router = APIRouter(route_class=web.WebRoute, include_in_schema=False)


@router.post("/web/teacher/shares")
async def teacher_share(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
    job: Annotated[str | None, Form(max_length=64)] = None,
    title: Annotated[str | None, Form(max_length=255)] = None,
    course: Annotated[str | None, Form(max_length=120)] = None,
) -> Response:
    web.check_csrf(request, csrf_token)
    who = web.require_user(request, "teacher", "staff")
    svc = web.svc_of(request)
    upload = file if file is not None and file.filename else None
    share = await run_in_threadpool(
        share_document,
        svc,
        who,
        upload=upload.file if upload else None,
        upload_name=upload.filename if upload else None,
        job_id=job or None,
        title=title,
        course=course,
    )
    return RedirectResponse(f"/web/teacher?done=shared&title={quote(share.title)}#shares-h", status_code=303)


@router.post("/web/teacher/shares/{share_id}/stop")
def teacher_unshare(request: Request, share_id: str, csrf_token: Annotated[str, Form()] = "") -> Response:
    web.check_csrf(request, csrf_token)
    who = web.require_user(request, "teacher", "staff")
    svc = web.svc_of(request)
    stop_sharing(svc, who, visible_share(svc, who, share_id))
    return RedirectResponse("/web/teacher?done=unshared#shares-h", status_code=303)


@router.post("/web/student/shares")
def student_request_shared(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    share: Annotated[str, Form(max_length=64)] = "",
    outputs: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """One step: the shared document, for the student's stored profile and display adjustments."""
    web.check_csrf(request, csrf_token)
    who = web.require_user(request, "student")
    svc = web.svc_of(request)
    shared = visible_share(svc, who, share)
    stored = svc.users.get_profile(who.id)
    if stored is None:
        raise RequestInvalid(TEXT["need_profile"][1], message_fr=TEXT["need_profile"][0])
    wanted = parse_outputs(",".join(outputs)) if outputs else None
    if wanted is not None and "report" not in wanted:
        wanted.append("report")
    wanted = with_reader_output(wanted, resolve_profile(svc, stored.profile_id))  # what /web/read needs
    job = request_version(
        svc, who, shared, outputs=wanted, reading=reading_overrides(web.reading_prefs(request))
    )
    return RedirectResponse(f"/web/jobs/{job.id}", status_code=303)
