"""Security headers on every response, and the OpenAPI pages with a policy of their own.

Every response gets (unless its route already set the header: set-default semantics, so a route that
serves a user's file with its own sandbox policy keeps it):

* ``Content-Security-Policy``: :func:`content_security_policy`. Scripts and styles from this site only;
  a page with a little inline CSS (a student's reading settings) carries a per-response nonce for its
  one ``<style>`` element (:func:`inclusio.web.session.render` sets that header itself);
* ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin``;
* framing: ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY`` unless ``INCLUSIO_FRAME_ANCESTORS``
  lists the LMS origins allowed to frame the pages (then only ``frame-ancestors``, which browsers prefer).

``/docs`` (Swagger UI) loads its script and CSS from the jsDelivr CDN, as FastAPI's page does (no
offline copy ships with the dependencies): its policy allows that CDN and the SHA-256 of the page's own
inline script and nothing else. ``/redoc`` likewise.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

from inclusio.config import Settings

CDN = "https://cdn.jsdelivr.net"
FAVICON = "https://fastapi.tiangolo.com"
_INLINE = re.compile(r"<(script|style)(?:\s[^>]*)?>(.*?)</\1>", re.S)


def frame_ancestors(settings: Settings) -> str:
    return settings.frame_ancestors or "'none'"


def content_security_policy(settings: Settings, *, style_nonce: str | None = None) -> str:
    """The pages' policy: everything from this site, no inline script, inline CSS only with ``style_nonce``."""
    style = "'self'" + (f" 'nonce-{style_nonce}'" if style_nonce else "")
    return (
        "default-src 'self'; script-src 'self'; style-src " + style + "; img-src 'self'; font-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        f"frame-ancestors {frame_ancestors(settings)}"
    )


def security_headers(settings: Settings) -> dict[str, str]:
    """The headers every response carries unless its route set them."""
    headers = {
        "Content-Security-Policy": content_security_policy(settings),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }
    if not settings.frame_ancestors:
        headers["X-Frame-Options"] = "DENY"
    return headers


def _hashes(html: str) -> dict[str, list[str]]:
    """``'sha256-...'`` sources of each inline ``<script>`` and ``<style>`` element of ``html``."""
    out: dict[str, list[str]] = {"script": [], "style": []}
    for tag, body in _INLINE.findall(html):
        if body.strip():
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
            out[tag].append(f"'sha256-{digest}'")
    return out


def docs_policy(settings: Settings, html: str, *, extra_style: str = "", extra_font: str = "") -> str:
    """The policy of an OpenAPI page: this site, the CDN it loads from, the hashes of its inline code."""
    found = _hashes(html)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", CDN, *found["script"]],
        "style-src": ["'self'", CDN, extra_style, "'unsafe-inline'"],
        "img-src": ["'self'", "data:", FAVICON],
        "font-src": ["'self'", CDN, extra_font],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": [frame_ancestors(settings)],
    }
    return "; ".join(f"{name} {' '.join(v for v in values if v)}" for name, values in directives.items())


def install(app: FastAPI, settings: Settings) -> None:
    """Add the headers middleware and the ``/docs`` and ``/redoc`` pages (create the app with both URLs off)."""
    defaults = security_headers(settings)

    @app.middleware("http")
    async def _security_headers(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        for name, value in defaults.items():
            response.headers.setdefault(name, value)
        return response

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        page = get_swagger_ui_html(
            openapi_url=root + (app.openapi_url or "/openapi.json"), title=f"{app.title} - Swagger UI"
        )
        # Swagger UI sets inline styles from its scripts; its CSS is the CDN's: 'unsafe-inline' for styles
        # only, on this page only (it shows the public API description, no personal data).
        page.headers["Content-Security-Policy"] = docs_policy(settings, bytes(page.body).decode())
        return page

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        page = get_redoc_html(
            openapi_url=root + (app.openapi_url or "/openapi.json"), title=f"{app.title} - ReDoc"
        )
        page.headers["Content-Security-Policy"] = docs_policy(
            settings,
            bytes(page.body).decode(),
            extra_style="https://fonts.googleapis.com",
            extra_font="https://fonts.gstatic.com",
        )
        return page
