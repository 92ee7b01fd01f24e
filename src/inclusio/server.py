"""The whole HTTP server: the API (:mod:`inclusio.api`) with the web pages (:mod:`inclusio.web`) on it.

This is the one place that joins the two, so the API never imports the pages (the pages build on the
API's dependencies, security headers and file responses). For an ASGI server:
``uvicorn --factory inclusio.server:create``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from inclusio.api.deps import Sender
    from inclusio.config import Settings


def create_app(settings: Settings, *, enqueue: Sender | None = None) -> FastAPI:
    """The API for ``settings`` with the web pages mounted under ``/web`` (see :func:`create_api`)."""
    from inclusio.api.app import create_api
    from inclusio.lti.routes import mount_lti
    from inclusio.web import mount
    from inclusio.web.session import error_page

    app = create_api(settings, enqueue=enqueue, html_error=error_page)
    mount(app)  # the web pages under /web (templates, static files)
    mount_lti(app)  # the LTI 1.3 tool under /lti (issue #14)
    return app


def create() -> FastAPI:
    """The server for the process's settings (``INCLUSIO_*``); runs the migrations first."""
    from inclusio.config import get_settings

    return create_app(get_settings())
