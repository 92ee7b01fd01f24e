"""An instructor's launch: the course's shared documents with their source accessibility audit and reading
ease (``/lti/course?course=<label>``), so a teacher sees in the course what to fix in the originals.

Each document is converted once per process and original (its SHA-256 keys the cache): the audit and the
readability scores of the source, as the teacher's preview computes them (:mod:`inclusio.analysis.audit`,
:mod:`inclusio.analysis.readability`), without adapting anything.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from inclusio.errors import InclusioError
from inclusio.web import session as web

router = APIRouter(route_class=web.WebRoute, include_in_schema=False)
_LOCK = threading.Lock()
CACHE_KEY = "lti-course"
MAX_CACHED = 64


def source_summary(svc: Any, share: Any) -> dict[str, Any]:
    """The audit score, the failed checks and the reading ease of a shared original (cached per process)."""
    cache: dict[str, Any] = svc.preview_cache.setdefault(CACHE_KEY, {})
    with _LOCK:
        if share.input_sha256 in cache:
            return cache[share.input_sha256]  # type: ignore[no-any-return]
    from inclusio.analysis.audit import audit_document
    from inclusio.analysis.passages import shown_ease, verdict
    from inclusio.analysis.readability import score_document
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.registry import convert

    try:
        doc = convert(
            svc.files.original_path(share.input_path),
            ConvertContext.from_settings(svc.settings, share.filename),
        )
        audit = audit_document(doc)
        ease = score_document(doc).document.reading_ease
        summary: dict[str, Any] = {
            "score": audit.score,
            "failed": [c for c in audit.checks if not c.ok],
            "ease": shown_ease(ease),
            "verdict": verdict(ease),
            "error": None,
        }
    except InclusioError as err:  # a document that cannot be read says so, the others are shown
        summary = {"error": err}
    with _LOCK:
        if len(cache) >= MAX_CACHED:
            cache.pop(next(iter(cache)))
        cache[share.input_sha256] = summary
    return summary


@router.get("/lti/course")
async def course_page(request: Request, course: str = "") -> Response:
    from inclusio.lti.scope import check_course

    who = web.require_user(request, "teacher", "staff")
    svc = web.svc_of(request)
    label = " ".join(course.split())[:120]
    check_course(request, label)  # a session launched in another course is not a teacher of this one
    shares = [
        s for s in svc.shares.list(institution=who.institution, limit=500) if label and s.course == label
    ]
    rows = []
    for share in shares[:30]:
        rows.append({"share": share, **await run_in_threadpool(source_summary, svc, share)})
    return web.render(request, "lti_course.html", {"course": label, "rows": rows}, who=who)
