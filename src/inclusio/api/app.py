"""The HTTP API: submit documents for a profile or a cohort, follow jobs, download outputs, manage people.

Routes (``/docs`` has the full OpenAPI description)::

    POST /auth/token                  local sign-in -> bearer token (or a token from the identity provider)
    POST /jobs, GET /jobs, GET|DELETE /jobs/{id}, GET /jobs/{id}/events (SSE), GET /jobs/{id}/artifacts/{name}
    POST /batches, GET /batches, GET /batches/{id}
    POST|GET /shares, GET|DELETE /shares/{id}, POST /shares/{id}/jobs   documents teachers share with students
    POST /jobs/{id}/release           queue the release of a reviewed job (202; the job shows its state)
    POST /preview/readability         scores at once, the file is not kept
    GET|DELETE /me, GET|PUT /me/profile, GET|POST /users, GET /users/{id}, GET|PUT /users/{id}/profile,
    DELETE /users/{id}/data, GET /audit
    GET /profiles, GET /profiles/{id}, GET /health, GET /metrics

Every error body is ``{"error": {"code", "message", "message_fr"}}`` with the status of the
:class:`~inclusio.errors.InclusioError` (one handler). Who may do what is
:mod:`inclusio.auth.policy`. The API stores uploads and job rows, then sends the task *by name*
to the queue of the job's kind; it never imports :mod:`workers.tasks` and runs no conversion
(except the readability preview, which converts and scores without writing outputs).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from inclusio import __version__
from inclusio.api import security
from inclusio.api.body_limit import BodyLimit
from inclusio.api.deps import Sender, Services
from inclusio.auth.oidc import OidcVerifier
from inclusio.config import Settings
from inclusio.errors import InclusioError, RequestInvalid, RequestNotFound, as_inclusio_error, is_disk_full
from inclusio.store.accounts import UserStore
from inclusio.store.batches import BatchStore
from inclusio.store.files import FileStore
from inclusio.store.jobs import JobStore
from inclusio.store.shares import ShareStore

log = logging.getLogger("inclusio.api")

MULTIPART_OVERHEAD_BYTES = 1024 * 1024
"""Room for the form's other fields in a request body (the limit of every body is the upload limit plus this)."""


def error_response(err: InclusioError, status: int | None = None) -> JSONResponse:
    """The one error body: ``{"error": {code, message, message_fr[, details]}}``."""
    headers = {"WWW-Authenticate": "Bearer"} if (status or err.http_status) == 401 else {}
    if isinstance(err.details.get("retry_after_s"), int):  # auth.throttled, auth.locked
        headers["Retry-After"] = str(err.details["retry_after_s"])
    return JSONResponse({"error": err.to_dict()}, status_code=status or err.http_status, headers=headers)


def create_api(settings: Settings, *, enqueue: Sender | None = None, html_error: Any = None) -> FastAPI:
    """The API for ``settings``: runs the migrations, stores under ``settings.data_dir``.

    The web pages are not part of it: :func:`inclusio.server.create_app` mounts them on it (so the API
    never imports :mod:`inclusio.web`); ``html_error(request, error)`` is their error page, which the
    body-size limit answers with on ``/web/`` paths.

    ``enqueue(kind, job_id)`` sends a job to the workers; the default sends the task of the job's
    kind by name to the broker of ``settings``.
    """
    settings.ensure_dirs()
    svc = _services(settings, enqueue)
    app = FastAPI(
        title="inclusio",
        version=__version__,
        description="Accessible, profile-specific versions of course materials. Sign in with "
        "POST /auth/token (or a token from the university's identity provider) and send "
        "`Authorization: Bearer <token>`.",
        # /docs and /redoc are added by api/security.py with a policy of their own
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.services = svc
    app.state.settings, app.state.store, app.state.files = settings, svc.store, svc.files

    from inclusio.api.routes import batches, jobs, monitoring, people, preview, profiles, shares
    from inclusio.api.routes import review as review_routes

    app.include_router(monitoring.router)
    app.include_router(profiles.router)
    app.include_router(preview.router)
    app.include_router(people.router)
    app.include_router(jobs.router)
    app.include_router(batches.router)
    app.include_router(shares.router)
    app.include_router(review_routes.router)
    from inclusio.api.routes import reports as report_routes

    app.include_router(report_routes.router)  # /reports/{name}: reports for the institution (issue #15)
    app.state.metrics = monitoring.metrics_registry(svc)
    _install_error_handlers(app)
    _install_middleware(app, settings, svc, html_error)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        response = error_response(as_inclusio_error(exc))
        # this handler answers outside every middleware: it adds the security headers itself
        for name, value in security.security_headers(settings).items():
            response.headers.setdefault(name, value)
        return response

    return app


def _services(settings: Settings, enqueue: Sender | None) -> Services:
    """The row stores on one database (migrated), the file store, the sender and the identity provider's verifier."""
    store = JobStore.from_settings(settings)
    store.migrate()
    return Services(
        settings=settings,
        store=store,
        shares=ShareStore(store.db),
        batches=BatchStore(store.db),
        users=UserStore(store.engine),
        files=FileStore.from_settings(settings),
        send=enqueue or celery_sender(settings),
        oidc=OidcVerifier.from_settings(settings),
    )


def _install_error_handlers(app: FastAPI) -> None:
    """Coded errors, invalid requests and Starlette's HTTP errors all answer with :func:`error_response`."""

    @app.exception_handler(InclusioError)
    async def _inclusio_error(_request: Request, exc: InclusioError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {
                "field": ".".join(str(p) for p in err.get("loc", ()) if p != "body"),
                "problem": str(err.get("msg", "")),
            }
            for err in exc.errors()
        ]
        fields = ", ".join(p["field"] for p in problems) or "?"
        return error_response(
            RequestInvalid(
                f"The request is missing a field or has a wrong value ({fields}). See the API documentation at /docs.",
                message_fr=(
                    f"La requête est incomplète ou contient une valeur incorrecte ({fields}). Consultez la "
                    "documentation de l'API sur /docs."
                ),
                details={"errors": problems},
            )
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Unknown routes (404), wrong methods (405), malformed multipart (400) get the same error shape.
        if is_disk_full(exc):  # the form parser spools uploads to the system's temporary folder: full
            return error_response(as_inclusio_error(exc))
        if exc.status_code == 404:
            return error_response(RequestNotFound())
        return error_response(
            RequestInvalid(details={"http": exc.status_code, "reason": str(exc.detail)[:200]}),
            status=exc.status_code,
        )


def _install_middleware(app: FastAPI, settings: Settings, svc: Services, html_error: Any) -> None:
    """The body-size limit (innermost), the request counter, then the security headers (outermost)."""
    # Innermost of ours: a body over the limit is refused on its Content-Length before it is read, or as
    # soon as the bytes received pass the limit when it is sent chunked (api/body_limit.py).
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.max_upload_bytes + MULTIPART_OVERHEAD_BYTES,
        upload_limit=settings.max_upload_bytes,
        html_error=html_error,
    )
    requests_counter = svc.preview_cache["http_requests"]

    @app.middleware("http")
    async def _count_requests(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        route = request.scope.get("route")
        requests_counter.labels(
            request.method, getattr(route, "path", "unmatched"), str(response.status_code)
        ).inc()
        return response

    # Added last, so outermost: the security headers also reach the answers of the middleware above.
    security.install(app, settings)


def celery_sender(settings: Settings) -> Sender:
    """``send(kind, job_id)``: the task of the job's kind, by name (:func:`inclusio.jobs.queue.sender_for`)."""
    from inclusio.jobs.queue import sender_for

    return sender_for(settings)
