"""Jobs: submit one document, list, follow (JSON or Server-Sent Events), download, delete."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse

from inclusio import jobs
from inclusio.api.deps import Caller, Svc
from inclusio.api.file_responses import output_file_response
from inclusio.api.schemas import AUTH_ERRORS, ErrorResponse, JobAccepted, JobView, errors
from inclusio.auth.policy import check_artifact, job_filter
from inclusio.converters.registry import formats_label
from inclusio.errors import (
    ArtifactNotFound,
    JobNotFound,
    ProfileInvalid,
    RequestInvalid,
)
from inclusio.jobs.inputs import learner_profile, parse_outputs, parse_reading, resolve_profile, visible_job
from inclusio.jobs.uploads import display_name, store_document
from inclusio.profiles import with_reading

log = logging.getLogger("inclusio.api")
router = APIRouter(tags=["jobs"])

SSE_POLL_SECONDS = 0.25
SSE_KEEPALIVE_SECONDS = 15.0


@router.post(
    "/jobs",
    status_code=202,
    response_model=JobAccepted,
    responses=errors(400, 404, 413, 415, 422, 503, *AUTH_ERRORS),
    summary="Submit one document for a profile (or for a learner, with their stored profile)",
)
def submit(
    svc: Svc,
    who: Caller,
    file: Annotated[UploadFile, File(description=formats_label("en"))],
    profile: Annotated[str | None, Form(description="profile id, see GET /profiles")] = None,
    learner: Annotated[
        str | None, Form(description="staff: a learner's id or user name; their stored profile is used")
    ] = None,
    outputs: Annotated[str | None, Form(description="comma list, e.g. epub,report")] = None,
    reading: Annotated[
        str | None,
        Form(
            description="the learner's reading adjustments over the profile, as JSON, e.g. "
            '{"font_size_rem": 1.4, "line_height": 1.8, "letter_spacing_em": 0.05}'
        ),
    ] = None,
) -> JSONResponse:
    # A sync endpoint: FastAPI runs it in a thread, so hashing and copying never block the loop.
    wanted = parse_outputs(outputs)
    adjustments = parse_reading(reading)
    learner_id = institution = None
    if learner:
        learner_id, institution, chosen = learner_profile(svc, who, learner)
    elif profile:
        chosen = resolve_profile(svc, profile)
    else:
        raise RequestInvalid(
            "Give a profile (or, for staff, a learner).",
            message_fr="Indiquez un profil (ou, pour le personnel, un·e étudiant·e).",
            details={"field": "profile"},
        )
    if adjustments:
        try:
            with_reading(chosen, adjustments)
        except ProfileInvalid as exc:
            raise RequestInvalid(
                exc.message, message_fr=exc.message_fr, details={"field": "reading", **exc.details}
            ) from exc
    # Starlette has spooled the part to a temporary file; copy it in chunks, never whole.
    stored = store_document(
        svc.files, file.file, max_bytes=svc.settings.max_upload_bytes, filename=display_name(file.filename)
    )
    job = jobs.submit(
        svc,
        stored,
        filename=display_name(file.filename),
        profile=chosen,
        outputs=wanted,
        owner_id=who.id,
        institution=institution or who.institution,
        learner_id=learner_id,
        reading=adjustments,
    )
    return JSONResponse(
        JobAccepted(
            id=job.id, status="queued", links={"self": f"/jobs/{job.id}", "events": f"/jobs/{job.id}/events"}
        ).model_dump(),
        status_code=202,
        headers={"Location": f"/jobs/{job.id}"},
    )


@router.get(
    "/jobs",
    response_model=list[JobView],
    responses=errors(400, *AUTH_ERRORS),
    summary="The jobs the caller may see, newest first",
)
def list_jobs(
    svc: Svc,
    who: Caller,
    status: Annotated[str | None, Query(pattern="^(queued|running|succeeded|partial|failed)$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[JobView]:
    from dataclasses import replace

    where = replace(job_filter(who), status=status)
    return [JobView.of(job) for job in svc.store.list(where, limit=limit, offset=offset)]


@router.get("/jobs/{job_id}", response_model=JobView, responses=errors(404, *AUTH_ERRORS))
def get_job(svc: Svc, who: Caller, job_id: str) -> JobView:
    from inclusio.api.review import flag_counts

    job = visible_job(svc, who, job_id)
    return JobView.of(job, review=flag_counts(svc.files, job))


@router.delete(
    "/jobs/{job_id}",
    status_code=204,
    responses=errors(404, *AUTH_ERRORS),
    summary="Delete the job, its outputs, and its original if no other job uses it",
)
def delete_job(svc: Svc, who: Caller, job_id: str) -> Response:
    job = visible_job(svc, who, job_id)
    svc.store.delete_jobs([job.id])
    svc.files.delete_job(job.id)
    if svc.store.db.original_uses(job.input_sha256) == 0:
        svc.files.delete_original(job.input_sha256)
    return Response(status_code=204)


@router.get(
    "/jobs/{job_id}/artifacts/{name}",
    response_class=FileResponse,
    responses={
        200: {
            "content": {"application/octet-stream": {}},
            "description": "the file, named after the uploaded document",
        },
        **errors(404, *AUTH_ERRORS),
    },
    summary="Download one of a job's files (a student: the files made for them; the report, document "
    "JSON and audio timings are for teachers and staff: artifact.staff_only)",
)
def get_artifact(svc: Svc, who: Caller, job_id: str, name: str) -> FileResponse:
    job = visible_job(svc, who, job_id)
    check_artifact(who, job, name)  # technical files: teachers and staff only (the web pages' rule too)
    record = (job.artifacts or {}).get(name)
    if record is None:
        raise ArtifactNotFound(details={"job": job.id, "artifact": name[:64]})
    path = svc.files.artifact_path(job.id, record["file"])
    if not path.is_file():
        raise ArtifactNotFound(
            "The output file is no longer in storage. Submit the document again.",
            message_fr="Le fichier produit n'est plus dans le stockage. Soumettez de nouveau le document.",
            details={"job": job.id, "artifact": name},
        )
    if who.id == (job.learner_id or job.owner_id):  # the institution's reports count it (issue #15)
        from inclusio.reports.facts import record_download

        record_download(svc.store.db, job.id, name)
    # Our own content type, nosniff, attachment and a sandbox (inclusio.api.file_responses).
    return output_file_response(path, filename=download_name(job.filename, path))


def download_name(filename: str, path: Path) -> str:
    """The user's own file name with the artifact's extension (``Cours de bio.epub``, ``Cours de bio-01.mp3``)."""
    stem = Path(display_name(filename)).stem or "document"
    suffixes = "".join(path.suffixes[-2:]) if path.name.endswith(".report.json") else path.suffix
    ascii_base = path.name[: -len(suffixes)] if suffixes else path.name
    # Section files carry a number after the base name (NAME-03.mp3): keep it.
    tail = (
        ascii_base.rsplit("-", 1)[-1] if "-" in ascii_base and ascii_base.rsplit("-", 1)[-1].isdigit() else ""
    )
    return f"{stem}{'-' + tail if tail else ''}{suffixes}"


@router.get(
    "/jobs/{job_id}/events",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": "Server-Sent Events: queued, started, stage, requeued, finished "
            "(data: JSON with stage, progress, message, status)",
        },
        **errors(404, *AUTH_ERRORS),
    },
    summary="Follow a job's progress, one event per stage, until it finishes",
)
def job_events(
    svc: Svc,
    who: Caller,
    job_id: str,
    request: Request,
    last_event_id: Annotated[str | None, Header()] = None,
) -> StreamingResponse:
    job = visible_job(svc, who, job_id)
    start = (
        int(last_event_id) if (last_event_id and last_event_id.isascii() and last_event_id.isdigit()) else 0
    )

    async def stream() -> AsyncIterator[str]:
        after, idle = start, 0.0
        yield "retry: 2000\n\n"
        while True:
            events = await run_in_threadpool(svc.store.events, job.id, after=after)
            for event in events:
                after = event.id
                data = {
                    "kind": event.kind,
                    "stage": event.stage,
                    "progress": event.progress,
                    "message": event.message,
                    "at": event.at.isoformat(),
                }
                yield f"id: {event.id}\nevent: {event.kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
                if event.kind == "finished":
                    current = await run_in_threadpool(svc.store.get, job.id)
                    yield f"event: done\ndata: {json.dumps(JobView.of(current).model_dump())}\n\n"
                    return
            if not events:
                try:
                    current = await run_in_threadpool(svc.store.get, job.id)
                except JobNotFound:
                    yield "event: deleted\ndata: {}\n\n"
                    return
                if current.finished and not await run_in_threadpool(svc.store.events, job.id, after=after):
                    yield f"event: done\ndata: {json.dumps(JobView.of(current).model_dump())}\n\n"
                    return
            if await request.is_disconnected():
                return
            await asyncio.sleep(SSE_POLL_SECONDS)
            idle = 0.0 if events else idle + SSE_POLL_SECONDS
            if idle >= SSE_KEEPALIVE_SECONDS:
                idle = 0.0
                yield ": keep-alive\n\n"

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


__all__ = ["ErrorResponse", "router", "resolve_profile", "parse_outputs", "learner_profile"]
