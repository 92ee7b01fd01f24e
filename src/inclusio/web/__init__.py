"""inclusio's web pages for students, teachers and staff (server-rendered, French first, WCAG 2.1 AA).

:func:`mount` adds them to the API app under ``/web`` (static files under ``/web/static``);
``/`` sends the browser there. Pages: sign-in (:mod:`.pages`), students (profile with a live
preview, requests, progress, downloads), teachers (readability preview, hard sentences, audit,
easy-to-read draft side by side), staff (:mod:`.staff`: batches, cohort profiles, the queue
dashboard, the review workspace and release), shared documents (:mod:`.shares`: teachers share,
students ask for an adapted version in one step). Errors become HTML pages in the reader's language:
those of the pages' own routes (:class:`.session.WebRoute`), and, on any ``/web/`` address, an unknown
address (``page.not_found``, 404), a wrong method (``page.wrong_method``, 405: a form's address
reloaded) and an unexpected failure (``page.failed``, 500); the API's addresses keep their JSON.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException


def mount(app: FastAPI) -> None:
    """Add the pages and their static files to ``app``."""
    from fastapi.staticfiles import StaticFiles

    from inclusio.web import pages, reader, shares, staff

    app.include_router(pages.router)
    app.include_router(shares.router)
    app.include_router(staff.router)
    app.include_router(reader.router)  # /web/read/{job}: the reader in the browser
    from inclusio.web import reports

    app.include_router(reports.router)  # /web/reports/...: reports for the institution (issue #15)
    from inclusio.web import preview

    app.include_router(preview.router)  # /web/teacher/preview...: the teacher feedback, in the background
    app.mount("/web/static", StaticFiles(directory=Path(__file__).parent / "static"), name="web-static")
    _html_errors(app)


def is_page(request: Request) -> bool:
    """Whether ``request`` is for the web pages (``/web/...``), whose errors are pages, not JSON."""
    path = request.url.path
    return path == "/web" or path.startswith("/web/")


def _html_errors(app: FastAPI) -> None:
    """Wrap the API's handlers of HTTP errors (404, 405...) and unexpected exceptions: under ``/web/``
    they answer with the error page in the reader's language; elsewhere the API's JSON as before."""
    import logging

    from inclusio.errors import (
        DiskFull,
        PageFailed,
        PageNotFound,
        PageWrongMethod,
        RequestInvalid,
        is_disk_full,
    )
    from inclusio.web.session import error_page

    api_http = app.exception_handlers[StarletteHTTPException]
    api_unexpected = app.exception_handlers[Exception]
    log = logging.getLogger("inclusio.web")

    async def http_error(request: Request, exc: Any) -> Response:
        if not is_page(request) or not isinstance(exc, StarletteHTTPException):
            return await api_http(request, exc)  # type: ignore[no-any-return]
        if is_disk_full(exc):
            err = DiskFull()
        elif exc.status_code == 404:
            err = PageNotFound()
        elif exc.status_code == 405:
            err = PageWrongMethod()
        else:
            err = RequestInvalid(details={"http": exc.status_code})
        response = error_page(request, err)
        response.status_code = exc.status_code
        for name, value in (exc.headers or {}).items():  # Allow: on a 405
            response.headers[name] = value
        return response

    async def unexpected(request: Request, exc: Exception) -> Response:
        if not is_page(request):
            return await api_unexpected(request, exc)  # type: ignore[no-any-return]
        log.exception("unexpected error on a page")
        err = DiskFull() if is_disk_full(exc) else PageFailed(details={"exception": type(exc).__name__})
        try:
            response: Response = error_page(request, err)
        except Exception:  # noqa: BLE001 - the page itself cannot be rendered (database down...): plain words
            log.exception("the error page failed too")
            response = HTMLResponse(_bare_error_page(err), status_code=err.http_status)
        # This handler answers outside every middleware: it adds the security headers itself.
        from inclusio.api import security

        for name, value in security.security_headers(request.app.state.settings).items():
            response.headers.setdefault(name, value)
        return response

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)


def _bare_error_page(err: Any) -> str:
    """The error in French and English without templates or database (when the error page fails too)."""
    from html import escape

    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Erreur · inclusio</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main>'
        f"<h1>Un problème est survenu</h1><p>{escape(err.message_fr)}</p><p>Code : {escape(err.code)}</p>"
        f'<div lang="en"><h2>Something went wrong</h2><p>{escape(err.message)}</p></div>'
        '<p><a href="/web/">Accueil</a> · <a href="/web/" lang="en">Home</a></p></main></body></html>'
    )
