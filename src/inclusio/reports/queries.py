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

from sqlalchemy import Select, and_, case, distinct, func, literal_column, select
from sqlalchemy.orm import Session

from inclusio.store.models import DocumentFacts, JobFacts, Share

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
    (100 - audit score) × requests, with the share's title, course and the students who asked. The jobs
    are counted per document first; the titles and courses are joined to the documents, not to each job."""
    per_document = (
        _filtered(
            select(
                JobFacts.institution.label("institution"),
                JobFacts.input_sha256.label("sha"),
                func.max(JobFacts.audit_score).label("score"),
                func.count(JobFacts.student_id).label("requests"),
                func.count(distinct(JobFacts.student_id)).label("students"),
            ),
            course_filter(f),
            f,
        )
        .where(JobFacts.audit_score.is_not(None))
        .group_by(JobFacts.institution, JobFacts.input_sha256)
        .subquery("per_document")
    )
    title = (
        select(Share.institution, Share.input_sha256, func.min(Share.title).label("title"))
        .group_by(Share.institution, Share.input_sha256)
        .subquery("titles")
    )
    c = course_labels()
    d = per_document.c
    query = (
        select(title.c.title, _course(c).label("course"), d.score, d.requests, d.students)
        .select_from(per_document)
        .join(title, and_(title.c.institution == d.institution, title.c.input_sha256 == d.sha))
        .join(c, and_(c.c.institution == d.institution, c.c.sha == d.sha), isouter=True)
        .order_by(((100 - d.score) * d.requests).desc(), d.score, title.c.title)
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


def _band_counts(column: Any) -> list[Any]:
    """One count per reading-ease band of ``column`` (in :data:`BANDS` order), for one GROUP BY."""
    counts = []
    for low, high, _label in BANDS:
        lo = column >= literal_column(str(low)) if low is not None else None
        hi = column < literal_column(str(high)) if high is not None else None
        inside = and_(lo, hi) if lo is not None and hi is not None else (lo if lo is not None else hi)
        counts.append(func.sum(case((inside, 1), else_=0)))
    return counts


def readability_by_course(session: Session, f: ReportFilter) -> list[dict[str, Any]]:
    """Per course: documents per reading-ease band before adaptation (each document once), and adapted
    versions per band after (each job: its profile's adaptation), with the students behind them. One
    grouped query for the documents and one for the jobs."""
    out: dict[str, dict[str, Any]] = {}

    def row(course: str) -> dict[str, Any]:
        return out.setdefault(
            course,
            {"course": course, "documents": 0, "students": 0, "mean_before": None, "mean_after": None}
            | {f"before_{b[2]}": 0 for b in BANDS}
            | {f"after_{b[2]}": 0 for b in BANDS},
        )

    c = course_labels()
    before = _filtered(
        select(
            _course(c).label("course"),
            func.count(),
            func.avg(DocumentFacts.ease_before),
            *_band_counts(DocumentFacts.ease_before),
        ),
        c,
        f,
        DocumentFacts,
    ).where(DocumentFacts.ease_before.is_not(None))
    for course, n, mean, *bands in session.execute(before.group_by(_course(c))):
        r = row(course)
        r.update(documents=int(n), mean_before=round(float(mean), 1))
        r.update({f"before_{b[2]}": int(k or 0) for b, k in zip(BANDS, bands, strict=True)})
    c = course_labels()
    # per course and student first, then per course: hashed by PostgreSQL (COUNT(DISTINCT) sorts every job)
    per_student = (
        _filtered(
            select(
                _course(c).label("course"),
                JobFacts.student_id.label("student"),
                func.sum(JobFacts.ease_after).label("ease"),
                func.count().label("n"),
                *(k.label(f"b{i}") for i, k in enumerate(_band_counts(JobFacts.ease_after))),
            ),
            c,
            f,
        )
        .where(JobFacts.ease_after.is_not(None))
        .group_by(_course(c), JobFacts.student_id)
        .subquery("per_student")
    )
    p = per_student.c
    after = select(
        p.course,
        func.sum(p.ease) / func.sum(p.n),
        func.count(p.student),
        *(func.sum(p[f"b{i}"]) for i in range(len(BANDS))),
    ).group_by(p.course)
    for course, mean, students, *bands in session.execute(after):
        r = row(course)
        r.update(mean_after=round(float(mean), 1), students=int(students))
        r.update({f"after_{b[2]}": int(k or 0) for b, k in zip(BANDS, bands, strict=True)})
    return [out[k] for k in sorted(out)]


# -- service ----------------------------------------------------------------------------------------


# The service report reads the job facts' own columns only (revision 0012: formats made, downloads, wait,
# flagged passages, end): each query is one scan of the facts the filter selects, no join (but the course
# labels' when the filter names a course), and returns a few rows. Every table counts distinct students, so
# a roll-up without the student could not give them, and one with the student is as long as the facts.


def by_profile(session: Session, f: ReportFilter) -> list[dict[str, Any]]:
    # students counted by grouping twice (profile and student, then profile): hashed by PostgreSQL, where
    # COUNT(DISTINCT) sorts every row by its collation
    inner = (
        _filtered(
            select(
                JobFacts.profile_id.label("profile"),
                JobFacts.student_id.label("student"),
                func.count().label("n"),
            ),
            course_filter(f),
            f,
        )
        .group_by(JobFacts.profile_id, JobFacts.student_id)
        .subquery("per_student")
    )
    query = select(inner.c.profile, func.sum(inner.c.n), func.count(inner.c.student)).group_by(
        inner.c.profile
    )
    rows = [{"profile": p, "jobs": int(n), "students": int(k)} for p, n, k in session.execute(query)]
    return sorted(rows, key=lambda r: r["profile"])


@dataclass
class UseCounts:
    """Per format made (jobs), per format downloaded (downloads, jobs), the distinct students of each, and
    those behind the tables' totals: ``jobs`` (every request), ``downloads``, ``failures``."""

    made: list[dict[str, Any]]
    got: list[dict[str, Any]]
    totals: dict[str, int]


def use_counts(session: Session, f: ReportFilter) -> UseCounts:
    """Jobs and downloads per format from the jobs grouped by their lists (``,epub,mp3,``;
    ``,epub:3,html:1,``: a few hundred distinct pairs); every distinct-student figure from one grouping of the jobs by student
    (does the student have a job with this format, a download, a failure?), summed by the database."""
    c = course_filter(f)
    made: dict[str, int] = {}
    got: dict[str, list[int]] = {}
    lists = _filtered(select(JobFacts.outputs, JobFacts.downloads, func.count()), c, f)
    for outputs, downloads, n in session.execute(lists.group_by(JobFacts.outputs, JobFacts.downloads)):
        for fmt in outputs.strip(",").split(",") if outputs else ():
            made[fmt] = made.get(fmt, 0) + int(n)
        for part in downloads.strip(",").split(",") if downloads else ():
            fmt, _, count = part.rpartition(":")
            row = got.setdefault(fmt, [0, 0])
            row[0] += int(count) * int(n)
            row[1] += int(n)
    made_keys, got_keys = sorted(made), sorted(got)
    flags = [
        JobFacts.wait_seconds.is_not(None),
        JobFacts.status.in_(("failed", "partial")),
        *(JobFacts.outputs.like(f"%,{fmt},%") for fmt in made_keys),
        *(JobFacts.downloads.like(f"%,{fmt}:%") for fmt in got_keys),
    ]
    per_student = (
        _filtered(
            select(*(func.max(case((flag, 1), else_=0)).label(f"f{i}") for i, flag in enumerate(flags))),
            c,
            f,
        )
        .where(JobFacts.student_id.is_not(None))
        .group_by(JobFacts.student_id)
        .subquery("per_student")
    )
    sums = session.execute(
        select(func.count(), *(func.coalesce(func.sum(col), 0) for col in per_student.c))
    ).one()
    students, with_download, with_failure, *per_format = (int(x) for x in sums)
    return UseCounts(
        [{"format": k, "jobs": made[k], "students": n} for k, n in zip(made_keys, per_format, strict=False)],
        [
            {"format": k, "downloads": got[k][0], "jobs": got[k][1], "students": n}
            for k, n in zip(got_keys, per_format[len(made_keys) :], strict=True)
        ],
        {"jobs": students, "downloads": with_download, "failures": with_failure},
    )


def wait_figures(session: Session, f: ReportFilter) -> list[dict[str, Any]]:
    """From upload to the first download, over the whole period (``month`` None) then per month: downloaded
    jobs, their students, the median and the 95th percentile (nearest rank). The waits come sorted by the
    database (two numbers and an id per downloaded job; window functions were slower on SQLite)."""
    wait = JobFacts.wait_seconds
    query = (
        _filtered(select(JobFacts.month, wait, JobFacts.student_id), course_filter(f), f)
        .where(wait.is_not(None))
        .order_by(wait)
    )
    values: dict[str | None, list[float]] = {None: []}
    students: dict[str | None, set[str]] = {None: set()}
    for month, seconds, student in session.execute(query):
        values[None].append(seconds)
        values.setdefault(month, []).append(seconds)
        if student:
            students[None].add(student)
            students.setdefault(month, set()).add(student)
    out = []
    for key in sorted(values, key=lambda k: (k is not None, k or "")):
        ordered = values[key]  # sorted
        n = len(ordered)
        if not n:
            continue
        out.append(
            {
                "month": key,
                "jobs": n,
                "students": len(students.get(key, ())),
                "median": (ordered[(n - 1) // 2] + ordered[n // 2]) / 2,
                "p95": ordered[(n * 95 + 99) // 100 - 1],
            }
        )
    return out


def failures(session: Session, f: ReportFilter) -> list[dict[str, Any]]:
    query = (
        _filtered(
            select(
                JobFacts.status,
                JobFacts.error_code,
                func.count().label("jobs"),
                func.count(distinct(JobFacts.student_id)).label("students"),
            ),
            course_filter(f),
            f,
        )
        .where(JobFacts.status.in_(("failed", "partial")))
        .group_by(JobFacts.status, JobFacts.error_code)
    )
    rows = [
        {"status": r.status, "code": r.error_code or "", "jobs": int(r.jobs), "students": int(r.students)}
        for r in session.execute(query)
    ]
    return sorted(rows, key=lambda r: (r["status"], r["code"]))


AGES: tuple[tuple[float, float | None, str], ...] = (
    (0, 1, "0-1"),
    (1, 7, "1-7"),
    (7, 30, "7-30"),
    (30, None, "30+"),
)
"""Ages of flags waiting for review, in days since the job finished."""


def flags_waiting(session: Session, f: ReportFilter, now: datetime) -> list[dict[str, Any]]:
    """Jobs whose copy has machine-written passages flagged and not reviewed, by age (days since finished)."""
    query = _filtered(
        select(JobFacts.finished_at, JobFacts.flagged, JobFacts.student_id), course_filter(f), f
    ).where(
        JobFacts.flagged > 0, JobFacts.status.in_(("succeeded", "partial")), JobFacts.finished_at.is_not(None)
    )
    rows = {
        label: {"age": label, "jobs": 0, "passages": 0, "oldest": 0.0, "ids": set()} for *_, label in AGES
    }
    for finished, flagged, student in session.execute(query):
        days = max(0.0, (now - finished).total_seconds() / 86400)
        label = next(lab for low, high, lab in AGES if days >= low and (high is None or days < high))
        row = rows[label]
        row["jobs"] += 1
        row["passages"] += int(flagged)
        row["oldest"] = max(row["oldest"], round(days, 1))
        if student:
            row["ids"].add(student)
    out = []
    for row in rows.values():
        ids = row.pop("ids")
        out.append({**row, "students": len(ids)})
    return out


def tokens_by_month(session: Session, f: ReportFilter) -> list[dict[str, Any]]:
    inner = (
        _filtered(
            select(
                JobFacts.month.label("month"),
                JobFacts.student_id.label("student"),
                func.sum(JobFacts.llm_tokens).label("tokens"),
            ),
            course_filter(f),
            f,
        )
        .group_by(JobFacts.month, JobFacts.student_id)
        .subquery("per_student")
    )
    query = select(inner.c.month, func.sum(inner.c.tokens), func.count(inner.c.student)).group_by(
        inner.c.month
    )
    rows = [{"month": m, "tokens": int(t or 0), "students": int(k)} for m, t, k in session.execute(query)]
    return sorted(rows, key=lambda r: r["month"])


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
