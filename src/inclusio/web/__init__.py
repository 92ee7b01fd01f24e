"""inclusio's web pages for students, teachers and staff (server-rendered, French first, WCAG 2.1 AA).

:func:`mount` adds them to the API app under ``/web`` (static files under ``/web/static``);
``/`` sends the browser there. Pages: sign-in (:mod:`.pages`), students (profile with a live
preview, requests, progress, downloads), teachers (readability preview, hard sentences, audit,
easy-to-read draft side by side), staff (:mod:`.staff`: batches, cohort profiles, the queue
dashboard, the review workspace and release), shared documents (:mod:`.shares`: teachers share,
students ask for an adapted version in one step). Errors become HTML pages in the reader's language.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI


def mount(app: FastAPI) -> None:
    """Add the pages and their static files to ``app``."""
    from fastapi.staticfiles import StaticFiles

    from inclusio.web import pages, reader, shares, staff

    app.include_router(pages.router)
    app.include_router(shares.router)
    app.include_router(staff.router)
    app.include_router(reader.router)  # /web/read/{job}: the reader in the browser
    app.mount("/web/static", StaticFiles(directory=Path(__file__).parent / "static"), name="web-static")
