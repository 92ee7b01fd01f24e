"""What the reports count, written when it happens: a job's facts when it is recorded, a download when it is sent.

The reports never re-read a job's files: everything they aggregate is in ``job_facts``, ``job_fact_items``
and ``job_downloads`` (:mod:`inclusio.store.models`), filled here. Writing facts is best effort: a job's
outcome is recorded first and never fails because its facts could not be written (logged instead).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete as sql_delete
from sqlalchemy import select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError

from inclusio.store.models import DocumentFacts, Job, JobDownload, JobFactItem, JobFacts, User, utcnow

log = logging.getLogger("inclusio.reports")

DOC_TYPES = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".doc": "docx",
    ".pptx": "pptx",
    ".odt": "odt",
    ".odp": "odp",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
}
"""Document types the reports filter by (the uploaded file's kind); anything else is ``other``."""
_PART = re.compile(r"^(?P<base>[a-z][a-z0-9-]*?)(?:-\d+)?$")
NOT_FORMATS = frozenset({"audio-timings", "audio-sections"})


def listed(names: Any) -> str:
    """The facts' lists (formats made, downloads per format): comma-enclosed, ``,epub,mp3,`` (a report
    finds a format with ``LIKE '%,epub,%'``), empty when there is none."""
    text = ",".join(names)
    return f",{text},"[:255] if text else ""


def doc_type(filename: str) -> str:
    return DOC_TYPES.get(Path(filename).suffix.lower(), "other")


def output_format(artifact: str) -> str | None:
    """The format an artifact name stands for (``mp3-03`` and ``epub-2`` count as ``mp3``, ``epub``)."""
    if artifact in NOT_FORMATS:
        return "mp3" if artifact == "audio-sections" else None
    match = _PART.match(artifact)
    return match.group("base") if match else None


def _ease(readability: Any) -> float | None:
    doc = (readability or {}).get("document") if isinstance(readability, dict) else None
    value = (doc or {}).get("reading_ease")
    return float(value) if isinstance(value, int | float) else None


def student_of(session: Any, job: Any) -> str | None:
    """The learner the job was made for: staff's cohort learner, else its owner when a student."""
    if job.learner_id:
        return str(job.learner_id)
    if job.owner_id:
        role = session.scalar(select(User.role).where(User.id == job.owner_id))
        if role == "student":
            return str(job.owner_id)
    return None


def record_job_facts(db: Any, job: Any, result: Any | None, *, status: str, errors: list[Any]) -> None:
    """Write (or rewrite) the facts of ``job`` once its outcome is recorded; ``result`` is the JobResult
    (``None`` when the attempt failed as a whole). Never raises."""
    try:
        _record(db, job, result, status=status, errors=errors)
    except Exception:  # noqa: BLE001 - reports are never worth a job's outcome
        log.warning("job %s: could not record its report facts", job.id, exc_info=True)


def _record(db: Any, job: Any, result: Any | None, *, status: str, errors: list[Any]) -> None:
    report = (getattr(result, "report", None) or {}) if result is not None else {}
    readability = report.get("readability") or {}
    items: list[tuple[str, str, int]] = []
    score: int | None = None
    doc = getattr(result, "document", None)
    if doc is not None:
        from inclusio.analysis.audit import audit_document

        # The job's Document carries the adaptations beside the source blocks (never applied to them) and
        # the title the teacher preview's conversion finds (its own, else the file's name): the same audit.
        audit = audit_document(doc)
        score = audit.score
        items += [("issue", check.id, max(check.count, 1)) for check in audit.failed]
    formats = {output_format(a.name) for a in getattr(result, "artifacts", None) or []}
    items += [("output", name, 1) for name in sorted(f for f in formats if f)]
    code = next((str(e.get("code")) for e in errors if isinstance(e, dict) and e.get("code")), None)
    created = job.created_at
    with db.session() as session:
        row = session.get(JobFacts, job.id)
        recorded = session.get(Job, job.id)  # as just recorded: its flagged passages, end, tokens
        tokens = getattr(result, "llm_tokens", 0) if recorded is None else recorded.llm_tokens
        passages = getattr(recorded, "passages", None)
        values = {
            "institution": job.institution or "",
            "input_sha256": job.input_sha256,
            "student_id": student_of(session, job),
            "profile_id": job.profile_id,
            "doc_type": doc_type(job.filename),
            "month": created.strftime("%Y-%m"),
            "created_at": created,
            "status": status,
            "error_code": code[:64] if code and status != "succeeded" else None,
            "audit_score": score,
            "ease_before": _ease(readability.get("before")),
            "ease_after": _ease(readability.get("after")),
            "llm_tokens": int(tokens or 0),
            "outputs": listed(key for kind, key, _n in items if kind == "output"),
            "flagged": int((passages or {}).get("flagged") or 0) if isinstance(passages, dict) else 0,
            "finished_at": getattr(recorded, "finished_at", None),
        }
        if row is None:
            row = JobFacts(job_id=job.id, **values)
            session.add(row)
        else:  # recorded again (a release): the same row, its downloads kept
            for name, value in values.items():
                setattr(row, name, value)
            session.execute(sql_delete(JobFactItem).where(JobFactItem.job_id == job.id))
        session.flush()
        _sum_downloads(session, row)
        for kind, key, count in items:
            session.add(JobFactItem(job_id=job.id, kind=kind, key=key[:32], count=count))
    if score is not None:
        issues = {key: count for kind, key, count in items if kind == "issue"}
        _record_document(db, job, score, _ease(readability.get("before")), issues)


def _record_document(db: Any, job: Any, score: int, ease: float | None, issues: dict[str, int]) -> None:
    """The document's row of the source report: its latest audit; the time of its first job kept."""
    key = {"institution": job.institution or "", "input_sha256": job.input_sha256}
    latest = {"audit_score": score, "ease_before": ease, "issues": issues}
    for _attempt in range(2):  # two first jobs of one document recorded at once: the second updates
        try:
            with db.session() as session:
                row = session.get(DocumentFacts, key)
                if row is None:
                    created = job.created_at
                    session.add(
                        DocumentFacts(
                            **key,
                            **latest,
                            doc_type=doc_type(job.filename),
                            first_at=created,
                            month=created.strftime("%Y-%m"),
                        )
                    )
                else:
                    for name, value in latest.items():
                        setattr(row, name, value)
                    if job.created_at < row.first_at:
                        row.first_at, row.month = job.created_at, job.created_at.strftime("%Y-%m")
            return
        except IntegrityError:
            continue


def record_download(db: Any, job_id: str, artifact: str) -> None:
    """One more download of ``job_id``'s ``artifact`` by the person it was made for. Never raises."""
    fmt = output_format(artifact)
    if fmt is None:
        return
    try:
        with db.session() as session:
            count_download(session, job_id, fmt, utcnow())
    except IntegrityError:  # two first downloads at once: the other one counted first
        record_download(db, job_id, artifact)
    except Exception:  # noqa: BLE001 - a download is never refused for its count
        log.warning("job %s: could not count a download", job_id, exc_info=True)


def count_download(session: Any, job_id: str, fmt: str, at: datetime, n: int = 1) -> None:
    """``n`` more downloads of ``job_id``'s ``fmt`` (first at ``at``), in ``job_downloads`` and in the job's
    facts (downloads per format, first download, wait). The facts' row is locked first (PostgreSQL), so two
    downloads of one job at once both count in its summary."""
    facts = session.get(JobFacts, job_id, with_for_update=True)
    updated = session.execute(
        sql_update(JobDownload)
        .where(JobDownload.job_id == job_id, JobDownload.format == fmt)
        .values(downloads=JobDownload.downloads + n)
    )
    if updated.rowcount == 0:
        session.add(JobDownload(job_id=job_id, format=fmt, downloads=n, first_at=at))
        session.flush()
    if facts is not None:
        _sum_downloads(session, facts)


def _sum_downloads(session: Any, facts: JobFacts) -> None:
    """The job's downloads per format, its first download and the wait until it, from ``job_downloads``."""
    rows = session.execute(
        select(JobDownload.format, JobDownload.downloads, JobDownload.first_at)
        .where(JobDownload.job_id == facts.job_id)
        .order_by(JobDownload.format)
    ).all()
    facts.downloads = listed(f"{fmt}:{int(n)}" for fmt, n, _at in rows)
    first = min((at for _f, _n, at in rows), default=None)
    facts.first_download_at = first
    facts.wait_seconds = (
        None if first is None else max(0.0, float(round((first - facts.created_at).total_seconds())))
    )
