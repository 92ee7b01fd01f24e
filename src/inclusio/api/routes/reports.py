"""Reports for the institution as JSON (issue #15): the same tables as the report pages, small-cell rule
applied ("< 5" for a hidden cell), for staff (their institution; administrators any) and teachers (source and
readability, their own courses only). Every call is written to the audit log (:mod:`inclusio.reports.access`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from inclusio.api.deps import Caller, Svc
from inclusio.api.schemas import AUTH_ERRORS, errors
from inclusio.reports.access import open_report

router = APIRouter(tags=["reports"])


@router.get("/reports/{name}", responses=errors(400, 404, *AUTH_ERRORS))
def get_report(
    svc: Svc,
    who: Caller,
    name: str,
    start: Annotated[str | None, Query(alias="from", description="first day, YYYY-MM-DD")] = None,
    end: Annotated[str | None, Query(alias="to", description="last day, YYYY-MM-DD")] = None,
    institution: Annotated[str | None, Query(description="administrators only")] = None,
    course: Annotated[str | None, Query(description="a course label; '-' for none")] = None,
    doc_type: Annotated[
        str | None, Query(alias="type", description="pdf, docx, pptx, odt, odp, html, markdown, other")
    ] = None,
    lang: Annotated[str, Query(pattern="^(fr|en)$")] = "fr",
) -> dict[str, Any]:
    """``source``, ``readability`` or ``service``: its tables with their columns and rows."""
    params = {"from": start, "to": end, "institution": institution, "course": course, "type": doc_type}
    opened = open_report(svc, who, name, {k: v for k, v in params.items() if v}, lang)
    return {
        "report": opened.report.name,
        "title": opened.report.title,
        "filters": opened.params,
        "courses": list(opened.teacher_courses) if opened.teacher_courses is not None else None,
        "tables": [table.as_json() for table in opened.report.tables],
    }
