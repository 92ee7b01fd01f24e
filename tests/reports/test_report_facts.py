"""The facts the reports count are written when a job is recorded and when a file is downloaded: the source's
audit (the same as the teacher preview's, on the document as uploaded), its readability before and after, the
formats made, the student; downloads per format with the first time. A made HTML page and a corpus PDF."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from service_helpers import make_settings

from inclusio.analysis.audit import audit_document
from inclusio.converters.base import ConvertContext
from inclusio.converters.registry import convert
from inclusio.pipeline import run_job
from inclusio.profiles import load_profile
from inclusio.reports.facts import doc_type, output_format, record_download, record_job_facts
from inclusio.store.accounts import UserStore
from inclusio.store.jobs import JobStore
from inclusio.store.models import DocumentFacts, JobDownload, JobFactItem, JobFacts

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path("/work/shared/corpus")
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082"
    )
).decode()
WORDS = " ".join(["La photosynthèse transforme la lumière en énergie chimique dans les feuilles."] * 20)
PAGE = f"""<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"></head><body>
<p>{WORDS}</p>
<p><img src="data:image/png;base64,{PNG}" width="40" height="40"></p>
<table><tr><td>Eau</td><td>Lumière</td></tr><tr><td>6 H2O</td><td>photons</td></tr></table>
<p>{WORDS}</p>
</body></html>"""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    tmp = tmp_path_factory.mktemp("facts")
    settings = make_settings(tmp)
    store = JobStore(f"sqlite:///{tmp / 'facts.db'}")
    store.migrate()
    users = UserStore(store.engine)
    student = users.create_user("etu-facts", role="student", institution="uni").id
    teacher = users.create_user("prof-facts", role="teacher", institution="uni").id
    yield SimpleNamespace(tmp=tmp, settings=settings, store=store, student=student, teacher=teacher)
    store.dispose()


def _run(world: Any, path: Path, owner: str, profile: str = "easy-read") -> tuple[Any, Any]:
    job = world.store.create(
        profile_id=profile,
        filename=path.name,
        input_sha256="f" * 64,
        input_path="originals/x",
        input_bytes=path.stat().st_size,
        owner_id=owner,
        institution="uni",
    )
    result = run_job(
        path,
        load_profile(profile, ROOT / "profiles"),
        world.tmp / f"out-{job.id}",
        settings=world.settings,
        outputs=["html"],
        filename=path.name,
    )
    record_job_facts(world.store.db, job, result, status=result.status, errors=result.errors)
    return job, result


def _facts(world: Any, job_id: str) -> tuple[JobFacts, dict[tuple[str, str], int]]:
    with world.store.session() as session:
        facts = session.get(JobFacts, job_id)
        items = {
            (i.kind, i.key): i.count for i in session.query(JobFactItem).filter(JobFactItem.job_id == job_id)
        }
        session.expunge(facts)
    return facts, items


def _source_audit(world: Any, path: Path) -> Any:
    return audit_document(convert(path, ConvertContext.from_settings(world.settings, path.name)))


def test_a_made_page_records_the_audit_the_preview_shows_its_readability_and_formats(world: Any) -> None:
    page = world.tmp / "cours-sans-titre.html"
    page.write_text(PAGE, encoding="utf-8")
    job, result = _run(world, page, world.student)
    assert result.status in ("succeeded", "partial"), result.errors
    facts, items = _facts(world, job.id)
    expected = _source_audit(world, page)
    assert facts.audit_score == expected.score < 100
    failed = {c.id: max(c.count, 1) for c in expected.failed}
    assert {"alt_text", "tables"} <= set(failed)
    assert {k: v for (kind, k), v in items.items() if kind == "issue"} == failed
    assert ("output", "html") in items
    before = result.report["readability"]["before"]["document"]["reading_ease"]
    after = result.report["readability"]["after"]["document"]["reading_ease"]
    assert (facts.ease_before, facts.ease_after) == (pytest.approx(before), pytest.approx(after))
    assert facts.student_id == world.student and facts.doc_type == "html" and facts.status == result.status
    assert facts.month == job.created_at.strftime("%Y-%m") and facts.institution == "uni"
    # the document's row of the source report: the same audit, its failed checks, the first job's month
    with world.store.session() as session:
        doc = session.get(DocumentFacts, {"institution": "uni", "input_sha256": job.input_sha256})
        assert (doc.audit_score, doc.issues, doc.month) == (expected.score, failed, facts.month)
        assert doc.ease_before == pytest.approx(before)


def test_a_corpus_pdf_uploaded_by_a_teacher_counts_no_student(world: Any) -> None:
    pdf = CORPUS / "table-census-en.pdf"
    job, result = _run(world, pdf, world.teacher, profile="dyslexia")
    facts, items = _facts(world, job.id)
    assert facts.student_id is None and facts.doc_type == "pdf"
    assert facts.audit_score == _source_audit(world, pdf).score


def test_a_failed_job_records_its_code_and_no_audit(world: Any) -> None:
    job = world.store.create(
        profile_id="dyslexia",
        filename="notes.docx",
        input_sha256="e" * 64,
        input_path="originals/e",
        input_bytes=1,
        owner_id=world.student,
        institution="uni",
    )
    errors = [{"stage": "convert", "code": "input.encrypted"}]
    record_job_facts(world.store.db, job, None, status="failed", errors=errors)
    facts, items = _facts(world, job.id)
    assert (facts.status, facts.error_code, facts.audit_score, facts.doc_type) == (
        "failed",
        "input.encrypted",
        None,
        "docx",
    )
    assert items == {}


def test_downloads_are_counted_per_format_with_the_first_time_kept(world: Any) -> None:
    job = world.store.create(
        profile_id="dyslexia",
        filename="c.pdf",
        input_sha256="d" * 64,
        input_path="originals/d",
        input_bytes=1,
        owner_id=world.student,
        institution="uni",
    )
    for name in ("epub", "epub", "mp3-03", "audio-sections", "audio-timings"):
        record_download(world.store.db, job.id, name)
    with world.store.session() as session:
        rows = {
            r.format: (r.downloads, r.first_at) for r in session.query(JobDownload).filter_by(job_id=job.id)
        }
    assert {k: v[0] for k, v in rows.items()} == {"epub": 2, "mp3": 2}
    assert rows["epub"][1] <= rows["mp3"][1]


def test_names_of_formats_and_document_types() -> None:
    assert [
        output_format(n) for n in ("epub-2", "mp3", "mp3-12", "large-print", "audio-timings", "report")
    ] == [
        "epub",
        "mp3",
        "mp3",
        "large-print",
        None,
        "report",
    ]
    assert [doc_type(n) for n in ("A.PDF", "b.pptx", "c.md", "d.txt")] == ["pdf", "pptx", "markdown", "other"]


def test_a_deleted_job_takes_its_facts_and_downloads_with_it(world: Any) -> None:
    """A person's data erased (their jobs deleted) leaves nothing of them in the reports."""
    job = world.store.create(
        profile_id="dyslexia",
        filename="c.pdf",
        input_sha256="c" * 64,
        input_path="originals/c",
        input_bytes=1,
        owner_id=world.student,
        institution="uni",
    )
    made = SimpleNamespace(report={}, document=None, artifacts=[SimpleNamespace(name="epub")], llm_tokens=0)
    record_job_facts(world.store.db, job, made, status="succeeded", errors=[])
    record_download(world.store.db, job.id, "epub")
    with world.store.session() as session:
        assert session.get(JobFacts, job.id) is not None
        assert session.query(JobFactItem).filter_by(job_id=job.id).count() == 1
        assert session.query(JobDownload).filter_by(job_id=job.id).count() == 1
    assert world.store.delete_jobs([job.id]) == 1
    with world.store.session() as session:
        assert session.get(JobFacts, job.id) is None
        assert session.query(JobDownload).filter_by(job_id=job.id).count() == 0
        assert session.query(JobFactItem).filter_by(job_id=job.id).count() == 0
