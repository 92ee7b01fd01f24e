"""The reports' aggregate queries: SQL through SQLAlchemy, the same on SQLite and PostgreSQL.

Every query reads ``job_facts`` (one row per recorded job, :mod:`inclusio.reports.facts`) joined with the
course label of the institution's share of the same original (``shares``), filtered by
:class:`ReportFilter`. They return raw figures (counts of distinct students included); the small-cell rule
is applied after (:mod:`inclusio.reports.privacy`). Medians and percentiles are taken in Python from the
durations the database returns (one number per job), which both databases do alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Float, Select, and_, case, distinct, func, literal_column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from inclusio.store.models import DocumentFacts, Job, JobDownload, JobFactItem, JobFacts, Share

BANDS: tuple[tuple[float | None, float | None, str], ...] = (
    (None, 30.0, "0-30"),
    (30.0, 50.0, "30-50"),
    (50.0, 60.0, "50-60"),
    (60.0, 70.0, "60-70"),
    (70.0, 80.0, "70-80"),
    (80.0, None, "80-100"),
)
"""Reading-ease bands (Kandel-Moles and Flesch share the scale: 0 very hard, 100 very easy)."""
NO_COURSE = ""


@dataclass(frozen=True)
class ReportFilter:
    """Which jobs a report counts. ``institution`` ``None``: every institution (administrators only);
    ``courses`` not ``None``: only documents of these course labels (a teacher's own)."""

    start: date | None = None
    end: date | None = None
    """Inclusive: the whole day counts."""
    institution: str | None = None
    course: str | None = None
    doc_type: str | None = None
    courses: tuple[str, ...] | None = None


def course_labels() -> Any:
    """institution, original -> one course label (the first in order when shared in several courses)."""
    return (
        select(
            Share.institution.label("institution"),
            Share.input_sha256.label("sha"),
            func.min(Share.course).label("course"),
        )
        .where(Share.course != "")
        .group_by(Share.institution, Share.input_sha256)
        .subquery("courses")
    )


def course_filter(f: ReportFilter) -> Any:
    """The course labels to join when ``f`` filters by course (a table that does not show the course
    needs the join only then: one scan of the facts instead of a scan and a join)."""
    return course_labels() if f.course is not None or f.courses is not None else None


def _filtered(query: Select[Any], courses: Any, f: ReportFilter, table: Any = JobFacts) -> Select[Any]:
    """``query`` over the facts ``f`` selects (``table``: the jobs' facts, or the documents' with the time of
    their first job); ``courses``: the course labels joined (None: no join, and ``f`` must not filter by
    course)."""
    when = table.first_at if table is DocumentFacts else table.created_at
    query = query.select_from(table)
    if courses is not None:
        query = query.join(
            courses,
            and_(courses.c.institution == table.institution, courses.c.sha == table.input_sha256),
            isouter=True,
        )
    if f.institution is not None:
        query = query.where(table.institution == f.institution)
    if f.start is not None:
        query = query.where(when >= datetime.combine(f.start, time(), UTC))
    if f.end is not None:
        query = query.where(when < datetime.combine(f.end + timedelta(days=1), time(), UTC))
    if f.doc_type:
        query = query.where(table.doc_type == f.doc_type)
    if f.course is not None:
        if f.course == NO_COURSE:
            query = query.where(courses.c.course.is_(None))
        else:
            query = query.where(courses.c.course == f.course, table.input_sha256.in_(_originals((f.course,))))
    if f.courses is not None:
        wanted = f.courses or ("",)
        query = query.where(courses.c.course.in_(wanted), table.input_sha256.in_(_originals(wanted)))
    return query


def _originals(labels: tuple[str, ...]) -> Any:
    """The originals shared under ``labels``: lets the database start from them (index on the facts'
    institution + original) instead of scanning every fact; the join still decides the one course."""
    return select(Share.input_sha256).where(Share.course.in_(labels))


def _course(courses: Any) -> Any:
    # a literal, not a bound parameter: PostgreSQL must see the same expression in SELECT and GROUP BY
    return func.coalesce(courses.c.course, literal_column("''"))


def _band(column: Any) -> Any:
    """The reading-ease band of ``column``, written with literals: PostgreSQL must see the same expression
    in SELECT and GROUP BY (bound parameters would differ)."""
    whens = []
    for low, high, label in BANDS:
        name = literal_column(f"'{label}'")
        lo = column >= literal_column(str(low)) if low is not None else None
        hi = column < literal_column(str(high)) if high is not None else None
        whens.append(
            (and_(lo, hi) if lo is not None and hi is not None else (lo if lo is not None else hi), name)
        )
    return case(*whens)


# -- source accessibility ----------------------------------------------------------------------------


def audit_by_course_month(session: Session, f: ReportFilter) -> list[dict[str, Any]]:
    """Per course and month of the document's first job: documents audited and their mean (latest) score."""
    c = course_labels()
    query = _filtered(
        select(
            _course(c).label("course"),
            DocumentFacts.month,
            func.count().label("documents"),
            func.avg(DocumentFacts.audit_score).label("score"),
        ),
        c,
        f,
        DocumentFacts,
    ).group_by(_course(c), DocumentFacts.month)
    return [
        {
            "course": r.course,
            "month": r.month,
            "documents": int(r.documents),
            "score": round(float(r.score), 1),
        }
        for r in session.execute(query.order_by(_course(c), DocumentFacts.month))
    ]


def documents_audited(session: Session, f: ReportFilter) -> int:
    query = _filtered(select(func.count()), course_filter(f), f, DocumentFacts)
    return int(session.scalar(query) or 0)


def frequent_issues(session: Session, f: ReportFilter) -> list[dict[str, Any]]:
    """Per failed audit check: documents failing it and their items (images without alt text...); the
    documents' rows are read and their checks counted here (a JSON object per document, not per job)."""
    documents: dict[str, int] = {}
    items: dict[str, int] = {}
    for issues in session.scalars(
        _filtered(select(DocumentFacts.issues), course_filter(f), f, DocumentFacts)
    ):
        for check, count in (issues or {}).items():
            documents[check] = documents.get(check, 0) + 1
            items[check] = items.get(check, 0) + int(count)
    order = sorted(documents, key=lambda k: (-documents[k], k))
    return [{"check": k, "documents": documents[k], "items": items[k]} for k in order]


def documents_to_fix(session: Session, f: ReportFilter, limit: int = 20) -> list[dict[str, Any]]:
    """Course documents (shared ones: never a person's own upload) that would gain most from a fix:
    (100 - audit score) × requests, with the share's title, course and the students who asked."""
    c = course_labels()
    title = (
        select(Share.institution, Share.input_sha256, func.min(Share.title).label("title"))
        .group_by(Share.institution, Share.input_sha256)
        .subquery("titles")
    )
    score = func.max(JobFacts.audit_score)
    requests = func.count(JobFacts.student_id)
    query = (
        _filtered(
            select(
                func.min(title.c.title).label("title"),
                _course(c).label("course"),
                score.label("score"),
                requests.label("requests"),
                func.count(distinct(JobFacts.student_id)).label("students"),
            ),
            c,
            f,
        )
        .join(
            title,
            and_(title.c.institution == JobFacts.institution, title.c.input_sha256 == JobFacts.input_sha256),
        )
        .where(JobFacts.audit_score.is_not(None))
        .group_by(JobFacts.institution, JobFacts.input_sha256, _course(c))
        .order_by(((100 - score) * requests).desc(), score, func.min(title.c.title))
        .limit(limit)
    )
    return [
        {
            "title": r.title,
            "course": r.course,
            "score": int(r.score),
            "requests": int(r.requests),
            "students": int(r.students),
        }
        for r in session.execute(query)
    ]


# -- readability ------------------------------------------------------------------------------------


def readability_by_course(session: Session, f: ReportFilter) -> list[dict[str, Any]]:
    """Per course: documents per reading-ease band before adaptation (each document once), and adapted
    versions per band after (each job: its profile's adaptation), with the students behind them."""
    c = course_labels()
    before_docs = _filtered(
        select(_course(c).label("course"), DocumentFacts.ease_before.label("ease")).where(
            DocumentFacts.ease_before.is_not(None)
        ),
        c,
        f,
        DocumentFacts,
    ).subquery()
    out: dict[str, dict[str, Any]] = {}

    def row(course: str) -> dict[str, Any]:
        return out.setdefault(
            course,
            {"course": course, "documents": 0, "students": 0, "mean_before": None, "mean_after": None}
            | {f"before_{b[2]}": 0 for b in BANDS}
            | {f"after_{b[2]}": 0 for b in BANDS},
        )

    for r in session.execute(
        select(
            before_docs.c.course, _band(before_docs.c.ease).label("band"), func.count().label("n")
        ).group_by(before_docs.c.course, _band(before_docs.c.ease))
    ):
        row(r.course)[f"before_{r.band}"] = int(r.n)
    for r in session.execute(
        select(before_docs.c.course, func.count(), func.avg(before_docs.c.ease)).group_by(
            before_docs.c.course
        )
    ):
        row(r[0]).update(documents=int(r[1]), mean_before=round(float(r[2]), 1))
    after = _filtered(
        select(_course(c).label("course"), _band(JobFacts.ease_after).label("band"), func.count().label("n")),
        c,
        f,
    ).where(JobFacts.ease_after.is_not(None))
    for r in session.execute(after.group_by(_course(c), _band(JobFacts.ease_after))):
        row(r.course)[f"after_{r.band}"] = int(r.n)
    means = _filtered(
        select(
            _course(c).label("course"),
            func.avg(JobFacts.ease_after).label("mean"),
            func.count(distinct(JobFacts.student_id)).label("students"),
        ),
        c,
        f,
    ).where(JobFacts.ease_after.is_not(None))
    for r in session.execute(means.group_by(_course(c))):
        row(r.course).update(mean_after=round(float(r.mean), 1), students=int(r.students))
    return [out[k] for k in sorted(out)]


# -- service ----------------------------------------------------------------------------------------


def by_profile(session: Session, f: ReportFilter) -> list[dict[str, Any]]:
    c = course_filter(f)
    query = _filtered(
        select(
            JobFacts.profile_id,
            func.count().label("jobs"),
            func.count(distinct(JobFacts.student_id)).label("students"),
        ),
        c,
        f,
    ).group_by(JobFacts.profile_id)
    return [
        {"profile": r.profile_id, "jobs": int(r.jobs), "students": int(r.students)}
        for r in session.execute(query.order_by(JobFacts.profile_id))
    ]


def by_output(session: Session, f: ReportFilter) -> list[dict[str, Any]]:
    c = course_filter(f)
    query = (
        _filtered(
            select(
                JobFactItem.key,
                func.count().label("jobs"),
                func.count(distinct(JobFacts.student_id)).label("students"),
            ),
            c,
            f,
        )
        .join(JobFactItem, JobFactItem.job_id == JobFacts.job_id)
        .where(JobFactItem.kind == "output")
        .group_by(JobFactItem.key)
    )
    return [
        {"format": r.key, "jobs": int(r.jobs), "students": int(r.students)}
        for r in session.execute(query.order_by(JobFactItem.key))
    ]


def downloads_by_format(session: Session, f: ReportFilter) -> list[dict[str, Any]]:
    c = course_filter(f)
    query = (
        _filtered(
            select(
                JobDownload.format,
                func.sum(JobDownload.downloads).label("downloads"),
                func.count().label("jobs"),
                func.count(distinct(JobFacts.student_id)).label("students"),
            ),
            c,
            f,
        )
        .join(JobDownload, JobDownload.job_id == JobFacts.job_id)
        .group_by(JobDownload.format)
    )
    return [
        {"format": r.format, "downloads": int(r.downloads), "jobs": int(r.jobs), "students": int(r.students)}
        for r in session.execute(query.order_by(JobDownload.format))
    ]


def distinct_students(session: Session, f: ReportFilter, of: str) -> int:
    """Distinct students behind a table's total: ``jobs`` (every request), ``downloads``, ``failures``."""
    c = course_filter(f)
    query = _filtered(select(func.count(distinct(JobFacts.student_id))), c, f)
    if of == "downloads":
        query = query.where(JobFacts.job_id.in_(select(JobDownload.job_id)))
    elif of == "failures":
        query = query.where(JobFacts.status.in_(("failed", "partial")))
    return int(session.scalar(query) or 0)


class seconds_between(FunctionElement[float]):
    """``later - earlier`` in seconds, computed by the database (no timestamp decoded in Python)."""

    type = Float()
    inherit_cache = True


@compiles(seconds_between)
def _seconds_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return f"((julianday({compiler.process(later, **kw)}) - julianday({compiler.process(earlier, **kw)})) * 86400.0)"


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return f"EXTRACT(EPOCH FROM ({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)}))"


def waits(session: Session, f: ReportFilter) -> list[tuple[str, str | None, float]]:
    """(month, student, seconds from upload to the job's first download) of every downloaded job."""
    c = course_filter(f)
    first = (
        select(JobDownload.job_id, func.min(JobDownload.first_at).label("first"))
        .group_by(JobDownload.job_id)
        .subquery("first_downloads")
    )
    query = _filtered(
        select(JobFacts.month, JobFacts.student_id, seconds_between(first.c.first, JobFacts.created_at)),
        c,
        f,
    ).join(first, first.c.job_id == JobFacts.job_id)
    # to the second: SQLite's julianday arithmetic leaves a few microseconds of float error
    return [
        (month, student, max(0.0, float(round(seconds))))
        for month, student, seconds in session.execute(query)
    ]


def failures(session: Session, f: ReportFilter) -> list[dict[str, Any]]:
    c = course_filter(f)
    query = (
        _filtered(
            select(
                JobFacts.status,
                JobFacts.error_code,
                func.count().label("jobs"),
                func.count(distinct(JobFacts.student_id)).label("students"),
            ),
            c,
            f,
        )
        .where(JobFacts.status.in_(("failed", "partial")))
        .group_by(JobFacts.status, JobFacts.error_code)
    )
    return [
        {"status": r.status, "code": r.error_code or "", "jobs": int(r.jobs), "students": int(r.students)}
        for r in session.execute(query.order_by(JobFacts.status, JobFacts.error_code))
    ]


AGES: tuple[tuple[float, float | None, str], ...] = (
    (0, 1, "0-1"),
    (1, 7, "1-7"),
    (7, 30, "7-30"),
    (30, None, "30+"),
)
"""Ages of flags waiting for review, in days since the job finished."""


def flags_waiting(session: Session, f: ReportFilter, now: datetime) -> list[dict[str, Any]]:
    """Jobs whose copy has machine-written passages flagged and not reviewed, by age (days since finished)."""
    c = course_filter(f)
    flagged = Job.passages["flagged"].as_integer()
    query = (
        _filtered(select(Job.finished_at, flagged.label("flagged"), JobFacts.student_id), c, f)
        .join(Job, Job.id == JobFacts.job_id)
        .where(Job.status.in_(("succeeded", "partial")), flagged > 0)
    )
    rows = {
        label: {"age": label, "jobs": 0, "passages": 0, "oldest": 0.0, "ids": set()} for *_, label in AGES
    }
    for r in session.execute(query):
        finished = r.finished_at if r.finished_at.tzinfo else r.finished_at.replace(tzinfo=UTC)
        days = max(0.0, (now - finished).total_seconds() / 86400)
        label = next(lab for low, high, lab in AGES if days >= low and (high is None or days < high))
        row = rows[label]
        row["jobs"] += 1
        row["passages"] += int(r.flagged)
        row["oldest"] = max(row["oldest"], round(days, 1))
        if r.student_id:
            row["ids"].add(r.student_id)
    out = []
    for row in rows.values():
        ids = row.pop("ids")
        out.append({**row, "students": len(ids)})
    return out


def tokens_by_month(session: Session, f: ReportFilter) -> list[dict[str, Any]]:
    c = course_filter(f)
    query = _filtered(
        select(
            JobFacts.month,
            func.sum(JobFacts.llm_tokens).label("tokens"),
            func.count(distinct(JobFacts.student_id)).label("students"),
        ),
        c,
        f,
    ).group_by(JobFacts.month)
    return [
        {"month": r.month, "tokens": int(r.tokens or 0), "students": int(r.students)}
        for r in session.execute(query.order_by(JobFacts.month))
    ]


def courses_of_teacher(session: Session, teacher_id: str, institution: str) -> tuple[str, ...]:
    """The course labels a teacher shares documents under: the courses they see reports of."""
    rows = session.scalars(
        select(Share.course)
        .where(Share.owner_id == teacher_id, Share.institution == institution, Share.course != "")
        .distinct()
    )
    return tuple(sorted(rows))


def filter_choices(session: Session, f: ReportFilter) -> dict[str, list[str]]:
    """Course labels (of the institution's shares, or the teacher's own) and document types, for the form."""
    if f.courses is not None:
        courses = list(f.courses)
    else:
        query = select(Share.course).where(Share.course != "").distinct().order_by(Share.course)
        if f.institution is not None:
            query = query.where(Share.institution == f.institution)
        courses = list(session.scalars(query))
    from inclusio.reports.facts import DOC_TYPES

    return {"courses": courses, "doc_types": sorted({*DOC_TYPES.values(), "other"})}
