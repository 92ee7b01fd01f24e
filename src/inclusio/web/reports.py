"""Report pages for staff, administrators and teachers (issue #15): ``/web/reports/{source|readability|service}``
with filters in the query string, and each table as CSV (``/web/reports/{name}/{table}.csv``).

The figures, the small-cell rule, the access rules and the audit log are :mod:`inclusio.reports`; this module
only renders them (server-side SVG charts, the same figures in a table beside each).
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from inclusio.reports.access import NO_COURSE_PARAM, open_report, reports_for
from inclusio.reports.build import cell_text
from inclusio.reports.export import table_csv
from inclusio.web import session as web

router = APIRouter(route_class=web.WebRoute, include_in_schema=False)
REPORT_ROLES = ("teacher", "staff")


@router.get("/web/reports")
def reports_home(request: Request) -> Response:
    who = web.require_user(request, *REPORT_ROLES)
    return RedirectResponse(f"/web/reports/{reports_for(who)[0]}", status_code=303)


@router.get("/web/reports/{name}")
def report_page(request: Request, name: str) -> Response:
    who = web.require_user(request, *REPORT_ROLES)
    svc = web.svc_of(request)
    lang = web.lang_of(request)
    opened = open_report(svc, who, name, request.query_params, lang)
    query = urlencode(opened.params)
    return web.render(
        request,
        "report.html",
        {
            "report": opened.report,
            "params": opened.params,
            "query": f"?{query}" if query else "",
            "choices": opened.choices,
            "names": reports_for(who),
            "teacher_courses": opened.teacher_courses,
            "no_course": NO_COURSE_PARAM,
            "cell": lambda value, kind: cell_text(value, kind, lang),
        },
        who=who,
    )


@router.get("/web/reports/{name}/{table}.csv")
def report_csv(request: Request, name: str, table: str) -> Response:
    who = web.require_user(request, *REPORT_ROLES)
    opened = open_report(
        web.svc_of(request), who, name, request.query_params, web.lang_of(request), export=table
    )
    chosen = opened.report.table(table)
    return Response(
        "\ufeff" + table_csv(chosen),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="inclusio-{name}-{chosen.id}.csv"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
