"""A report as the pages, the CSV export and the API show it: tables of figures (small-cell rule applied),
each with its columns in the reader's language and a chart of its main figure.

``build_report(session, name, filter, lang, settings)`` runs the queries of one report
(:mod:`inclusio.reports.queries`), applies :func:`inclusio.reports.privacy.protect` to every table whose
figures come from students' requests, and returns plain data: the web page renders it, the CSV export
writes one table, the API returns it as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy.orm import Session

from inclusio.errors import ReportNotFound
from inclusio.reports import queries as q
from inclusio.reports.charts import Series, bar_chart
from inclusio.reports.privacy import Hidden, protect
from inclusio.reports.words import REPORT_TEXT, report_translator

REPORTS = ("source", "readability", "service")
TEACHER_REPORTS = ("source", "readability")


@dataclass
class Column:
    key: str
    label: str
    kind: str = "count"
    """``text``, ``count``, ``number`` (one decimal), ``duration`` (seconds), ``percent``."""


@dataclass
class Table:
    id: str
    caption: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    note: str = ""
    chart: Markup | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "caption": self.caption,
            "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in self.columns],
            "rows": [{c.key: json_cell(row.get(c.key)) for c in self.columns} for row in self.rows],
        }


@dataclass
class Report:
    name: str
    title: str
    intro: str
    tables: list[Table] = field(default_factory=list)

    def table(self, table_id: str) -> Table:
        for table in self.tables:
            if table.id == table_id:
                return table
        raise ReportNotFound(details={"report": self.name, "table": table_id[:64]})


def json_cell(value: Any) -> Any:
    return str(value) if isinstance(value, Hidden) else value


def cell_text(value: Any, kind: str, lang: str) -> str:
    """A cell as the page shows it: "< 5" when hidden, "—" when there is no figure."""
    if isinstance(value, Hidden):
        return str(value)
    if value is None or value == "":
        return "—"
    if kind == "duration":
        return duration_text(float(value))
    if kind == "percent":
        text = f"{100 * float(value):.0f} %"
    elif kind == "number" and isinstance(value, float):
        text = f"{value:.1f}"
    elif kind in ("count", "number") and isinstance(value, int):
        text = f"{value:,}".replace(",", "\u202f" if lang == "fr" else ",")
    else:
        return str(value)
    return text.replace(".", ",") if lang == "fr" else text


def duration_text(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h {int(seconds % 3600 // 60):02d}"
    return f"{seconds / 86400:.1f} j".replace(".", ",")


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (0-100) by the nearest-rank method (a value that occurred)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def build_report(
    session: Session, name: str, f: q.ReportFilter, lang: str, settings: Any, now: datetime | None = None
) -> Report:
    if name not in REPORTS:
        raise ReportNotFound(details={"report": name[:64]})
    t = report_translator(lang)
    report = Report(name, t(f"rp_{name}"), t(f"rp_{name}_intro"))
    if name == "source":
        report.tables = source_tables(session, f, t)
    elif name == "readability":
        report.tables = readability_tables(session, f, t)
    else:
        report.tables = service_tables(session, f, t, settings, now or datetime.now(UTC))
    for table in report.tables:
        for row in table.rows:
            if row.get("course") == q.NO_COURSE:
                row["course"] = t("rp_no_course")
    return report


def _values(rows: list[dict[str, Any]], key: str) -> list[float | str | None]:
    return [
        str(r[key]) if isinstance(r.get(key), Hidden) else r.get(key) for r in rows if not r.get("is_total")
    ]


def source_tables(session: Session, f: q.ReportFilter, t: Any) -> list[Table]:
    by_cm = q.audit_by_course_month(session, f)
    months: dict[str, list[float]] = {}
    for row in by_cm:
        months.setdefault(row["month"], []).extend([row["score"]] * row["documents"])
    by_month = [
        {"month": m, "documents": len(v), "score": round(sum(v) / len(v), 1)}
        for m, v in sorted(months.items())
    ]
    audited = q.documents_audited(session, f)
    issues = q.frequent_issues(session, f)
    for row in issues:
        row["share"] = row["documents"] / audited if audited else 0.0
        key = f"rp_check_{row['check']}"
        row["check"] = t(key) if key in REPORT_TEXT else row["check"]
    to_fix = protect(q.documents_to_fix(session, f), ["requests", "students"], ["requests", "students"])
    month_cols = [
        Column("month", t("rp_c_month"), "text"),
        Column("documents", t("rp_c_documents")),
        Column("score", t("rp_c_score"), "number"),
    ]
    return [
        Table(
            "by_month",
            t("rp_t_by_month"),
            month_cols,
            by_month,
            chart=bar_chart(
                "chart-by-month",
                t("rp_t_by_month"),
                t("rp_chart_desc"),
                [r["month"] for r in by_month],
                [Series(t("rp_c_score"), _values(by_month, "score"))],
                scale_max=100,
            ),
        ),
        Table(
            "by_course_month",
            t("rp_t_by_course_month"),
            [Column("course", t("rp_c_course"), "text"), *month_cols],
            by_cm,
        ),
        Table(
            "issues",
            t("rp_t_issues"),
            [
                Column("check", t("rp_c_check"), "text"),
                Column("documents", t("rp_c_documents")),
                Column("share", t("rp_c_share"), "percent"),
                Column("items", t("rp_c_items")),
            ],
            issues,
            chart=bar_chart(
                "chart-issues",
                t("rp_t_issues"),
                t("rp_chart_desc"),
                [r["check"] for r in issues],
                [Series(t("rp_c_documents"), _values(issues, "documents"))],
            ),
        ),
        Table(
            "to_fix",
            t("rp_t_to_fix"),
            [
                Column("title", t("rp_c_title"), "text"),
                Column("course", t("rp_c_course"), "text"),
                Column("score", t("rp_c_score1"), "number"),
                Column("requests", t("rp_c_requests")),
                Column("students", t("rp_c_students")),
            ],
            to_fix,
            note=t("rp_t_to_fix_note"),
        ),
    ]


def readability_tables(session: Session, f: q.ReportFilter, t: Any) -> list[Table]:
    rows = q.readability_by_course(session, f)
    after_keys = ["mean_after", "students", *(f"after_{b[2]}" for b in q.BANDS)]
    shown = protect(rows, after_keys, ["students", *(f"after_{b[2]}" for b in q.BANDS)])
    columns = [
        Column("course", t("rp_c_course"), "text"),
        Column("documents", t("rp_c_documents")),
        Column("mean_before", t("rp_c_mean_before"), "number"),
        *(Column(f"before_{b[2]}", t("rp_c_before", band=b[2])) for b in q.BANDS),
        Column("students", t("rp_c_students")),
        Column("mean_after", t("rp_c_mean_after"), "number"),
        *(Column(f"after_{b[2]}", t("rp_c_after", band=b[2])) for b in q.BANDS),
    ]
    chart = bar_chart(
        "chart-readability",
        t("rp_t_readability_chart"),
        t("rp_chart_desc"),
        [r["course"] or t("rp_no_course") for r in shown],
        [
            Series(t("rp_before"), _values(shown, "mean_before")),
            Series(t("rp_after"), _values(shown, "mean_after")),
        ],
        scale_max=100,
    )
    return [Table("by_course", t("rp_t_readability"), columns, shown, chart=chart)]


def service_tables(session: Session, f: q.ReportFilter, t: Any, settings: Any, now: datetime) -> list[Table]:
    use = q.use_counts(session, f)
    return [*_use_tables(session, f, t, use), *_work_tables(session, f, t, settings, now, use.totals)]


COUNT_COLS = ["jobs", "students"]


def _use_tables(session: Session, f: q.ReportFilter, t: Any, use: q.UseCounts) -> list[Table]:
    """Documents converted by profile and by format, downloads by format."""
    profiles = protect(
        q.by_profile(session, f),
        COUNT_COLS,
        COUNT_COLS,
        total_label={"profile": t("rp_total")},
        total_students=use.totals["jobs"],
    )
    outputs = protect(use.made, COUNT_COLS, COUNT_COLS)
    dl_cols = ["downloads", *COUNT_COLS]
    downloads = protect(
        use.got,
        dl_cols,
        dl_cols,
        total_label={"format": t("rp_total")},
        total_students=use.totals["downloads"],
    )
    job_cols = [Column("jobs", t("rp_c_jobs")), Column("students", t("rp_c_students"))]
    fmt = Column("format", t("rp_c_format"), "text")
    return [
        Table(
            "by_profile",
            t("rp_t_by_profile"),
            [Column("profile", t("rp_c_profile"), "text"), *job_cols],
            profiles,
            chart=_chart(
                "chart-profiles", t("rp_t_by_profile"), t, profiles, "profile", "jobs", t("rp_c_jobs")
            ),
        ),
        Table(
            "by_output",
            t("rp_t_by_output"),
            [fmt, *job_cols],
            outputs,
            chart=_chart("chart-outputs", t("rp_t_by_output"), t, outputs, "format", "jobs", t("rp_c_jobs")),
        ),
        Table(
            "downloads",
            t("rp_t_downloads"),
            [fmt, Column("downloads", t("rp_c_downloads")), *job_cols],
            downloads,
            chart=_chart(
                "chart-downloads",
                t("rp_t_downloads"),
                t,
                downloads,
                "format",
                "downloads",
                t("rp_c_downloads"),
            ),
        ),
    ]


def _work_tables(
    session: Session, f: q.ReportFilter, t: Any, settings: Any, now: datetime, totals: dict[str, int]
) -> list[Table]:
    """Waiting time, failures, flags waiting for review, language-model tokens and their cost."""
    fails = q.failures(session, f)
    for row in fails:
        row["status"] = t(f"rp_status_{row['status']}")
    fails = protect(
        fails,
        COUNT_COLS,
        COUNT_COLS,
        total_label={"status": t("rp_total"), "code": ""},
        total_students=totals["failures"],
    )
    flags = protect(q.flags_waiting(session, f, now), ["jobs", "passages", "oldest", "students"], COUNT_COLS)
    tokens = q.tokens_by_month(session, f)
    price = float(getattr(settings, "llm_price_per_million_tokens", 0.0) or 0.0)
    currency = str(getattr(settings, "llm_price_currency", "EUR"))
    for row in tokens:
        row["cost"] = round(row["tokens"] * price / 1_000_000, 2) if price else None
    tokens = protect(tokens, ["tokens", "cost", "students"], ["students"])
    jobs_col, students = Column("jobs", t("rp_c_jobs")), Column("students", t("rp_c_students"))
    return [
        Table(
            "wait",
            t("rp_t_wait"),
            [
                Column("period", t("rp_c_period"), "text"),
                jobs_col,
                students,
                Column("median", t("rp_c_median"), "duration"),
                Column("p95", t("rp_c_p95"), "duration"),
            ],
            wait_rows(q.wait_figures(session, f), t),
        ),
        Table(
            "failures",
            t("rp_t_failures"),
            [
                Column("status", t("rp_c_status"), "text"),
                Column("code", t("rp_c_code"), "text"),
                jobs_col,
                students,
            ],
            fails,
        ),
        Table(
            "flags",
            t("rp_t_flags"),
            [
                Column("age", t("rp_c_age"), "text"),
                jobs_col,
                Column("passages", t("rp_c_passages")),
                Column("oldest", t("rp_c_oldest"), "number"),
                students,
            ],
            flags,
        ),
        Table(
            "tokens",
            t("rp_t_tokens"),
            [
                Column("month", t("rp_c_month"), "text"),
                Column("tokens", t("rp_c_tokens")),
                Column("cost", t("rp_c_cost", currency=currency), "number"),
                students,
            ],
            tokens,
            chart=_chart("chart-tokens", t("rp_t_tokens"), t, tokens, "month", "tokens", t("rp_c_tokens")),
        ),
    ]


def _chart(
    chart_id: str, title: str, t: Any, rows: list[dict[str, Any]], label: str, key: str, name: str
) -> Markup:
    body = [r for r in rows if not r.get("is_total")]
    return bar_chart(
        chart_id, title, t("rp_chart_desc"), [str(r[label]) for r in body], [Series(name, _values(body, key))]
    )


def wait_rows(figures: list[dict[str, Any]], t: Any) -> list[dict[str, Any]]:
    """Median and 95th percentile of the wait, over the whole period and per month (small-cell rule)."""
    rows = [
        {"period": t("rp_all_period") if r["month"] is None else r["month"]}
        | {k: r[k] for k in ("jobs", "students", "median", "p95")}
        for r in figures
    ]
    measures = ["jobs", "students", "median", "p95"]
    whole, months = rows[:1], rows[1:]
    return protect(whole, measures, ["jobs", "students"]) + protect(months, measures, ["jobs", "students"])
