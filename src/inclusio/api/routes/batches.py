"""Batches: many documents (files or one zip), for one profile or for a cohort of learners."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse

from inclusio.api.deps import Caller, Svc
from inclusio.api.schemas import AUTH_ERRORS, BatchView, errors
from inclusio.auth.policy import can_see_batch
from inclusio.errors import BatchNotFound
from inclusio.jobs import batches as batch_jobs
from inclusio.store.jobs import JobFilter

router = APIRouter(tags=["batches"])


@router.post(
    "/batches",
    status_code=202,
    response_model=BatchView,
    responses=errors(400, 404, 413, 415, 422, 503, *AUTH_ERRORS),
    summary="Submit many documents (files and/or a zip) for a profile or a cohort of learners",
)
def submit_batch(
    svc: Svc,
    who: Caller,
    files: Annotated[list[UploadFile] | None, File(description="documents")] = None,
    archive: Annotated[UploadFile | None, File(description="a zip of documents")] = None,
    profile: Annotated[str | None, Form(description="one profile for every document")] = None,
    learners: Annotated[
        str | None,
        Form(
            description="staff: comma list of learner ids or "
            "user names; each gets every document "
            "with their stored profile"
        ),
    ] = None,
    outputs: Annotated[str | None, Form(description="comma list, e.g. epub,report")] = None,
    name: Annotated[str | None, Form(max_length=255)] = None,
) -> JSONResponse:
    uploads = [(f.filename, f.file) for f in files or [] if f.filename is not None or f.size]
    batch = batch_jobs.submit_batch(
        svc,
        who,
        uploads=uploads,
        archive=(archive.filename, archive.file) if archive is not None else None,
        profile=profile,
        learners=learners,
        outputs=outputs,
        name=name,
    )
    view = BatchView.of(
        svc.batches.get(batch.id), svc.store.list(JobFilter(batch_id=batch.id), limit=100_000)
    )
    return JSONResponse(view.model_dump(), status_code=202, headers={"Location": f"/batches/{batch.id}"})


@router.get("/batches", response_model=list[BatchView], responses=errors(*AUTH_ERRORS))
def list_batches(svc: Svc, who: Caller) -> list[BatchView]:
    if who.is_admin:
        batches = svc.batches.list()
    elif who.role == "staff":
        batches = svc.batches.list(institution=who.institution)
    else:
        batches = svc.batches.list(owner=who.id)
    return [BatchView.of(b, svc.store.list(JobFilter(batch_id=b.id), limit=100_000)) for b in batches]


@router.get("/batches/{batch_id}", response_model=BatchView, responses=errors(404, *AUTH_ERRORS))
def get_batch(svc: Svc, who: Caller, batch_id: str) -> BatchView:
    batch = svc.batches.get(batch_id)
    if not can_see_batch(who, batch):
        raise BatchNotFound(details={"batch": batch_id[:64]})
    return BatchView.of(batch, svc.store.list(JobFilter(batch_id=batch.id), limit=100_000))
