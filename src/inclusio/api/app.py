"""The HTTP API: submit a document for a profile, follow the job, download its outputs.

::

    POST /jobs                       multipart: file, profile, [outputs=epub,report] -> 202 {id, links}
    GET  /jobs/{id}                  state, stage, progress, errors, artifacts (with download urls)
    GET  /jobs/{id}/artifacts/{name} the file (epub, html, mp3, report, json)
    GET  /profiles                   available profiles, names in French and English
    GET  /health                     the API and its database answer

Every error body is ``{"error": {"code", "message", "message_fr"}}`` with the status of the
:class:`~inclusio.errors.InclusioError` (one handler). The API stores the upload and the job row,
then sends the task *by name* to the broker; it never imports :mod:`workers.tasks` and runs no
conversion itself. Authentication, batches and live progress (SSE) come with the service issue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from inclusio import __version__
from inclusio.config import Settings
from inclusio.errors import (
    ArtifactNotFound,
    InclusioError,
    InputTooLarge,
    ProfileNotFound,
    QueueUnavailable,
    RequestInvalid,
    RequestNotFound,
    as_inclusio_error,
)
from inclusio.pipeline.job import failure_of
from inclusio.profiles import ALL_OUTPUTS, list_profiles, load_profile
from inclusio.store.db import Job, JobStore
from inclusio.store.files import FileStore

log = logging.getLogger("inclusio.api")

MULTIPART_OVERHEAD_BYTES = 1024 * 1024
"""Room for the form's other fields when refusing an upload early on its Content-Length."""


def error_response(err: InclusioError, status: int | None = None) -> JSONResponse:
    """The one error body: ``{"error": {code, message, message_fr[, details]}}``."""
    return JSONResponse({"error": err.to_dict()}, status_code=status or err.http_status)


def _job_links(job_id: str) -> dict[str, str]:
    return {"self": f"/jobs/{job_id}"}


def job_view(job: Job) -> dict[str, Any]:
    """The public JSON of a job (``GET /jobs/{id}``)."""
    return {
        "id": job.id,
        "status": job.status,
        "stage": job.stage,
        "progress": job.progress,
        "message": job.message,
        "profile": job.profile_id,
        "outputs": job.outputs,
        "filename": job.filename,
        "input": {"sha256": job.input_sha256, "bytes": job.input_bytes},
        "attempts": job.attempts,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "errors": job.errors or [],
        "warnings": job.warnings or [],
        "artifacts": {name: {"url": f"/jobs/{job.id}/artifacts/{name}", "media_type": rec.get("media_type"),
                             "bytes": rec.get("bytes")}
                      for name, rec in (job.artifacts or {}).items()},
        "links": _job_links(job.id),
    }


def _parse_outputs(raw: str | None) -> list[str] | None:
    if raw is None or not raw.strip():
        return None
    names = [part.strip() for part in raw.split(",") if part.strip()]
    unknown = [name for name in names if name not in ALL_OUTPUTS]
    if unknown or not names:
        raise RequestInvalid(
            f"Unknown output(s) {', '.join(unknown)}. Choose among: {', '.join(ALL_OUTPUTS)}.",
            message_fr=f"Sortie(s) inconnue(s) {', '.join(unknown)}. Choisissez parmi : {', '.join(ALL_OUTPUTS)}.",
            details={"field": "outputs", "allowed": list(ALL_OUTPUTS)})
    return list(dict.fromkeys(names))


def create_app(settings: Settings, *, enqueue: Callable[[str], None] | None = None) -> FastAPI:
    """The API for ``settings``: creates missing tables, stores under ``settings.data_dir``.

    ``enqueue(job_id)`` sends the job to the workers; the default sends the task
    ``inclusio.run_job`` by name to ``settings.resolved_broker_url()``.
    """
    settings.ensure_dirs()
    store = JobStore.from_settings(settings)
    store.create_all()
    files = FileStore.from_settings(settings)
    send = enqueue or _celery_sender(settings)

    app = FastAPI(title="inclusio", version=__version__,
                  description="Accessible, profile-specific versions of course materials.")
    app.state.settings, app.state.store, app.state.files = settings, store, files

    @app.exception_handler(InclusioError)
    async def _inclusio_error(_request: Request, exc: InclusioError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"field": ".".join(str(p) for p in err.get("loc", ()) if p != "body"),
                     "problem": err.get("msg", "")} for err in exc.errors()]
        fields = ", ".join(p["field"] for p in problems) or "?"
        return error_response(RequestInvalid(
            f"The request is missing a field or has a wrong value ({fields}). See the API documentation at /docs.",
            message_fr=(f"La requête est incomplète ou contient une valeur incorrecte ({fields}). Consultez la "
                        "documentation de l'API sur /docs."),
            details={"errors": problems}))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Unknown routes (404) and wrong methods (405) get the same error shape as everything else.
        if exc.status_code == 404:
            return error_response(RequestNotFound())
        return error_response(RequestInvalid(details={"http": exc.status_code}), status=exc.status_code)

    @app.middleware("http")
    async def _refuse_oversized(request: Request, call_next: Any) -> Any:
        # Refuse a too-large upload before its body is received (when the client says its size);
        # without Content-Length the store's streaming limit still applies.
        length = request.headers.get("content-length")
        if request.method == "POST" and length and length.isdigit() and \
                int(length) > settings.max_upload_bytes + MULTIPART_OVERHEAD_BYTES:
            return error_response(InputTooLarge(details={"max_bytes": settings.max_upload_bytes}))
        return await call_next(request)

    @app.get("/health")
    def health() -> dict[str, Any]:
        store.ping()
        return {"status": "ok", "version": __version__}

    @app.get("/profiles")
    def profiles() -> list[dict[str, Any]]:
        return [{"id": p.id, "name": p.name.model_dump(), "description": p.description.model_dump(),
                 "outputs": list(p.outputs)} for p in list_profiles(settings.profiles_dir)]

    @app.post("/jobs", status_code=202)
    def submit(file: Annotated[UploadFile, File(description="PDF, PPTX or DOCX")],
               profile: Annotated[str, Form(description="profile id, see GET /profiles")],
               outputs: Annotated[str | None, Form(description="comma list, e.g. epub,report")] = None,
               ) -> JSONResponse:
        # A sync endpoint: FastAPI runs it in a thread, so hashing and copying never block the loop.
        wanted = _parse_outputs(outputs)
        name = profile.strip()
        if not name or "/" in name or "\\" in name or name.endswith((".yaml", ".yml")):
            # load_profile also accepts a YAML path (for the CLI): the API takes names only.
            raise ProfileNotFound(details={"profile": name[:64]})
        chosen = load_profile(name, settings.profiles_dir)
        # Starlette has spooled the part to a temporary file; copy it in chunks, never whole.
        stored = files.save_original(file.file, max_bytes=settings.max_upload_bytes)
        job = store.create(profile_id=chosen.id, filename=file.filename or "document",
                           input_sha256=stored.sha256, input_path=stored.relpath, input_bytes=stored.size,
                           outputs=wanted)
        try:
            send(job.id)
        except Exception as exc:  # noqa: BLE001 - the broker is down or refused the message
            log.exception("could not enqueue job %s", job.id)
            error = QueueUnavailable(details={"reason": type(exc).__name__})
            store.finish(job.id, status="failed", errors=[failure_of(error)], message=error.message)
            raise error from exc
        return JSONResponse({"id": job.id, "status": "queued", "links": _job_links(job.id)}, status_code=202,
                            headers={"Location": f"/jobs/{job.id}"})

    @app.get("/jobs/{job_id}")
    def get_job(job_id: str) -> dict[str, Any]:
        return job_view(store.get(job_id))

    @app.get("/jobs/{job_id}/artifacts/{name}")
    def get_artifact(job_id: str, name: str) -> FileResponse:
        job = store.get(job_id)
        record = (job.artifacts or {}).get(name)
        if record is None:
            raise ArtifactNotFound(details={"job": job.id, "artifact": name[:64]})
        path = files.artifact_path(job.id, record["file"])
        if not path.is_file():
            raise ArtifactNotFound(
                "The output file is no longer in storage. Submit the document again.",
                message_fr="Le fichier produit n'est plus dans le stockage. Soumettez de nouveau le document.",
                details={"job": job.id, "artifact": name})
        return FileResponse(path, media_type=record.get("media_type") or "application/octet-stream",
                            filename=path.name)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return error_response(as_inclusio_error(exc))

    return app


def _celery_sender(settings: Settings) -> Callable[[str], None]:
    """Send ``inclusio.run_job(job_id)`` by name; the Celery app is built on first use."""
    state: dict[str, Any] = {}

    def send(job_id: str) -> None:
        if "app" not in state:
            # The factory only: the API must not import (or depend on) the task code.
            from workers.celery_app import TASK_RUN_JOB, create_celery_app

            state["app"], state["name"] = create_celery_app(settings), TASK_RUN_JOB
        state["app"].send_task(state["name"], args=[job_id])

    return send
