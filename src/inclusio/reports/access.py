"""Who sees which report, with which filters; every view and export written to the audit log.

* Staff see the three reports of their own institution; administrators of any institution (or all).
* Teachers see the source-accessibility and readability reports, for the courses they share documents
  under only (the course labels of their shares): never the service report (profiles, downloads, waits).
* Students see none.

The web pages (:mod:`inclusio.web.reports`) and the API (:mod:`inclusio.api.routes.reports`) both call
:func:`open_report`, never each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from inclusio.auth.policy import Principal
from inclusio.errors import Forbidden, ReportFilterInvalid
from inclusio.reports.build import REPORTS, TEACHER_REPORTS, Report, build_report
from inclusio.reports.facts import DOC_TYPES
from inclusio.reports.queries import NO_COURSE, ReportFilter, courses_of_teacher, filter_choices

MAX_FILTER = 120
NO_COURSE_PARAM = "-"
"""``course=-``: the documents shared under no course label (and people's own uploads)."""


@dataclass
class OpenedReport:
    report: Report
    filter: ReportFilter
    params: dict[str, str]
    """The filters as given (for the form and the CSV links)."""
    choices: dict[str, list[str]] = field(default_factory=dict)
    teacher_courses: tuple[str, ...] | None = None


def reports_for(who: Principal) -> tuple[str, ...]:
    if who.is_staff:
        return REPORTS
    if who.role == "teacher":
        return TEACHER_REPORTS
    return ()


def _date(params: Mapping[str, str], key: str) -> date | None:
    value = (params.get(key) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ReportFilterInvalid(details={"field": key}) from None


def parse_params(params: Mapping[str, str]) -> dict[str, str]:
    """The known filters only, trimmed and bounded (``from``, ``to``, ``institution``, ``course``, ``type``)."""
    out = {}
    for key in ("from", "to", "institution", "course", "type"):
        value = " ".join(str(params.get(key) or "").split())[:MAX_FILTER]
        if value:
            out[key] = value
    return out


def open_report(
    svc: Any, who: Principal, name: str, params: Mapping[str, str], lang: str, *, export: str | None = None
) -> OpenedReport:
    """Report ``name`` for ``who`` with the filters ``params``; ``export``: the table exported (CSV), written
    to the audit log as an export rather than a view. ``auth.forbidden`` for a report ``who`` may not see."""
    if name not in reports_for(who):
        if name not in REPORTS:
            from inclusio.errors import ReportNotFound

            raise ReportNotFound(details={"report": name[:64]})
        raise Forbidden(details={"report": name})
    given = parse_params(params)
    start, end = _date(given, "from"), _date(given, "to")
    if start and end and start > end:
        raise ReportFilterInvalid(details={"field": "to"})
    if given.get("type") and given["type"] not in set(DOC_TYPES.values()) | {"other"}:
        raise ReportFilterInvalid(details={"field": "type"})
    institution: str | None = who.institution
    if who.is_admin:
        institution = given.get("institution") or None
    with svc.store.db.session() as session:
        courses = courses_of_teacher(session, who.id, who.institution) if who.role == "teacher" else None
        report_filter = ReportFilter(
            start=start,
            end=end,
            institution=institution,
            course=NO_COURSE if given.get("course") == NO_COURSE_PARAM else given.get("course"),
            doc_type=given.get("type"),
            courses=courses,
        )
        report = build_report(session, name, report_filter, lang, svc.settings)
        choices = filter_choices(session, report_filter)
    svc.users.audit(
        actor_id=who.id,
        action=f"report.{'export' if export else 'view'}.{name}",
        institution=who.institution,
        details={"count": len(report.tables)},
    )
    return OpenedReport(report, report_filter, given, choices, courses)
