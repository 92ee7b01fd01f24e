"""A small institution whose every report figure is known by hand (tests/reports).

Institution ``uni``: teachers T1 (shares A and B under BIO-101) and T2 (shares C under MATH-200), staff, an
administrator, students s1..s6. Institution ``other``: student o1. Every job is a real row (users, shares,
jobs) with the facts the worker records (``job_facts``, ``job_fact_items``) and downloads (``job_downloads``):

==========  =======================  ====================  =====  ==========  ======  =======  =========
job         who, profile             created               audit  ease b/a    status  outputs  downloads
==========  =======================  ====================  =====  ==========  ======  =======  =========
T           T1 (no student), easy    2026-03-01 10:00      60     40 / 70     ok      epub     -
A x5        s1..s5, dyslexia         2026-03-10 09:00      60     40 / 70     ok      epub,mp3 epub +1..+5 h (s1: 3)
B x6        s1..s5 dyslexia, s6 easy 2026-04-05 09:00      90     55 / 75     ok      html     html +10 h (s6 +20 h)
C           s6, easy                 2026-04-20 09:00      30     20 / 45     partial epub     -   (2 flags)
E           s2, dyslexia (own docx)  2026-04-22 09:00      -      -           failed  -        -
D           o1 (other), blind        2026-03-15 09:00      10     -           ok      epub     -
==========  =======================  ====================  =====  ==========  ======  =======  =========

Issues: A alt_text 3 + headings 1; C alt_text 5 + tables 2; D scanned 4. Tokens: T 1000, B(s6) 2000, C 500.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from inclusio.reports.facts import count_download, listed
from inclusio.store.accounts import UserStore
from inclusio.store.jobs import JobStore
from inclusio.store.models import DocumentFacts, Job, JobFactItem, JobFacts, Share

NOW = datetime(2026, 4, 25, 10, 0, tzinfo=UTC)
SHA = {name: (name * 64)[:64] for name in "abcde"}


@dataclass
class World:
    store: JobStore
    users: UserStore
    ids: dict[str, str] = field(default_factory=dict)


def _user(world: World, name: str, role: str, institution: str = "uni") -> str:
    user = world.users.create_user(f"{name}-{uuid.uuid4().hex[:6]}", role=role, institution=institution)
    world.ids[name] = user.id
    return str(user.id)


def _job(
    session: object,
    *,
    owner: str,
    student: str | None,
    sha: str,
    profile: str,
    created: datetime,
    audit: int | None,
    ease: tuple[float | None, float | None],
    status: str = "succeeded",
    outputs: tuple[str, ...] = (),
    issues: dict[str, int] | None = None,
    tokens: int = 0,
    error: str | None = None,
    institution: str = "uni",
    filename: str = "cours.pdf",
    flagged: int = 0,
) -> str:
    job_id = uuid.uuid4().hex
    session.add(  # type: ignore[attr-defined]
        Job(
            id=job_id,
            status=status,
            profile_id=profile,
            filename=filename,
            input_sha256=sha,
            input_bytes=1,
            input_path=f"originals/{sha[:2]}/{sha}",
            created_at=created,
            finished_at=created + timedelta(hours=1),
            errors=[{"code": error}] if error else [],
            warnings=[],
            artifacts={},
            owner_id=owner,
            institution=institution,
            llm_tokens=tokens,
            passages={"machine": 4, "reviewed": 0, "flagged": flagged} if flagged else None,
        )
    )
    session.flush()  # type: ignore[attr-defined]
    session.add(  # type: ignore[attr-defined]
        JobFacts(
            job_id=job_id,
            institution=institution,
            input_sha256=sha,
            student_id=student,
            profile_id=profile,
            doc_type=filename.rsplit(".", 1)[-1],
            month=created.strftime("%Y-%m"),
            created_at=created,
            status=status,
            error_code=error,
            audit_score=audit,
            ease_before=ease[0],
            ease_after=ease[1],
            llm_tokens=tokens,
            outputs=listed(outputs),
            flagged=flagged,
            finished_at=created + timedelta(hours=1),
        )
    )
    session.flush()  # type: ignore[attr-defined]
    for key, count in (issues or {}).items():
        session.add(JobFactItem(job_id=job_id, kind="issue", key=key, count=count))  # type: ignore[attr-defined]
    for key in outputs:
        session.add(JobFactItem(job_id=job_id, kind="output", key=key, count=1))  # type: ignore[attr-defined]
    if audit is not None:  # the document's row, as reports.facts writes it (the first job's time kept)
        doc = session.get(DocumentFacts, {"institution": institution, "input_sha256": sha})  # type: ignore[attr-defined]
        if doc is None:
            session.add(  # type: ignore[attr-defined]
                DocumentFacts(
                    institution=institution,
                    input_sha256=sha,
                    doc_type=filename.rsplit(".", 1)[-1],
                    first_at=created,
                    month=created.strftime("%Y-%m"),
                    audit_score=audit,
                    ease_before=ease[0],
                    issues=dict(issues or {}),
                )
            )
            session.flush()  # type: ignore[attr-defined]
    return job_id


def _download(session: object, job_id: str, fmt: str, at: datetime, n: int = 1) -> None:
    """Counted as the API counts a download: in ``job_downloads`` and the job's facts (its wait)."""
    count_download(session, job_id, fmt, at, n)


def build(url: str) -> World:
    store = JobStore(url)
    store.migrate()
    world = World(store, UserStore(store.engine))
    t1, t2 = _user(world, "t1", "teacher"), _user(world, "t2", "teacher")
    _user(world, "t3", "teacher")  # shares nothing
    _user(world, "staff", "staff")
    _user(world, "admin", "admin")
    _user(world, "staff_other", "staff", "other")
    students = [_user(world, f"s{i}", "student") for i in range(1, 7)]
    o1 = _user(world, "o1", "student", "other")
    s6 = students[5]
    with store.session() as session:
        for owner, sha, title, course in (
            (t1, SHA["a"], "Photosynthèse", "BIO-101"),
            (t1, SHA["b"], "=La cellule", "BIO-101"),
            (t2, SHA["c"], "Intégrales", "MATH-200"),
        ):
            session.add(
                Share(
                    owner_id=owner,
                    institution="uni",
                    title=title,
                    course=course,
                    filename="cours.pdf",
                    input_sha256=sha,
                    input_path="x",
                    input_bytes=1,
                )
            )
        a = dict(sha=SHA["a"], audit=60, ease=(40.0, 70.0), issues={"alt_text": 3, "headings": 1})
        _job(
            session,
            owner=t1,
            student=None,
            profile="easy-read",
            created=datetime(2026, 3, 1, 10, tzinfo=UTC),
            outputs=("epub",),
            tokens=1000,
            **a,
        )
        march = datetime(2026, 3, 10, 9, tzinfo=UTC)
        for i, student in enumerate(students[:5]):
            job = _job(
                session,
                owner=student,
                student=student,
                profile="dyslexia",
                created=march,
                outputs=("epub", "mp3"),
                **a,
            )
            _download(session, job, "epub", march + timedelta(hours=i + 1), n=3 if i == 0 else 1)
        april = datetime(2026, 4, 5, 9, tzinfo=UTC)
        for student in students:
            job = _job(
                session,
                owner=student,
                student=student,
                sha=SHA["b"],
                profile="easy-read" if student == s6 else "dyslexia",
                created=april,
                audit=90,
                ease=(55.0, 75.0),
                outputs=("html",),
                tokens=2000 if student == s6 else 0,
            )
            _download(session, job, "html", april + timedelta(hours=20 if student == s6 else 10))
        _job(
            session,
            owner=s6,
            student=s6,
            sha=SHA["c"],
            profile="easy-read",
            created=datetime(2026, 4, 20, 9, tzinfo=UTC),
            audit=30,
            ease=(20.0, 45.0),
            status="partial",
            error="input.parts_lost",
            outputs=("epub",),
            issues={"alt_text": 5, "tables": 2},
            tokens=500,
            flagged=2,
        )
        _job(
            session,
            owner=students[1],
            student=students[1],
            sha=SHA["e"],
            profile="dyslexia",
            created=datetime(2026, 4, 22, 9, tzinfo=UTC),
            audit=None,
            ease=(None, None),
            status="failed",
            error="input.encrypted",
            filename="mes notes.docx",
        )
        _job(
            session,
            owner=o1,
            student=o1,
            sha=SHA["d"],
            profile="blind",
            created=datetime(2026, 3, 15, 9, tzinfo=UTC),
            audit=10,
            ease=(None, None),
            outputs=("epub",),
            issues={"scanned": 4},
            institution="other",
        )
    return world
