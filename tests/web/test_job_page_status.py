"""What the job page says without running a job: the review status of each state from the job row, the
warning catalogue in the student's words (every code has a sentence or is staff-only), and safe names for the
section zip's files."""

from __future__ import annotations

import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from inclusio.store.jobs import JobStore
from inclusio.store.models import Job, utcnow
from inclusio.warning_codes import WARNINGS, warning
from inclusio.web.downloads import NAME_MAX, can_read_online, safe_entry_name
from inclusio.web.status import STAFF_ONLY, STUDENT_WARNINGS, job_title, review_status, student_warnings


@pytest.fixture
def store(tmp_path: Path) -> Iterator[JobStore]:
    jobs = JobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    jobs.migrate()
    yield jobs
    jobs.dispose()


def _job(
    store: JobStore,
    *,
    passages: dict[str, int] | None,
    released: bool = False,
    status: str = "succeeded",
    share_title: str | None = None,
    doc_title: str | None = None,
) -> Job:
    job = store.create(
        profile_id="easy-read",
        filename="slides-fr-web-course.pptx",
        input_sha256="0" * 64,
        input_path="originals/00/" + "0" * 64,
        input_bytes=1,
        title=share_title,
    )
    store.start(job.id)
    store.finish(job.id, status=status, passages=passages, title=doc_title)  # type: ignore[arg-type]
    if released:
        with store.session() as session:
            session.execute(update(Job).where(Job.id == job.id).values(released_at=utcnow()))
    return store.get(job.id)


def test_each_review_state_is_said_as_it_is_in_french_and_english(store: JobStore) -> None:
    def said(lang: str = "fr", **kw: object) -> tuple[str, str, str]:
        status = review_status(_job(store, **kw), lang)  # type: ignore[arg-type]
        return status["state"], status["label"], status["detail"]

    draft = said(passages={"machine": 21, "reviewed": 0, "flagged": 0})
    assert draft == (
        "draft",
        "Brouillon automatique, non relu",
        "Le texte a été adapté automatiquement (21 passages écrits par une machine) et n'a pas encore été relu "
        "par une personne.",
    )
    # The case: 3 of 21 reviewed and released is "relu en partie", never "relue et publiée".
    partial = said(passages={"machine": 21, "reviewed": 3, "flagged": 2}, released=True)
    assert partial == (
        "partial",
        "Relu en partie (3 sur 21 passages), publié par le service handicap",
        "Sur les 21 passages écrits par une machine, 3 ont été relus par une personne ; les autres pas encore. "
        "2 passages signalés par la vérification automatique n'ont pas été relus : ils sont marqués dans le "
        "texte.",
    )
    assert said("en", passages={"machine": 21, "reviewed": 3, "flagged": 1})[1:] == (
        "Partly reviewed (3 of 21 passages)",
        "Of the 21 machine-written passages, 3 have been reviewed by a person; the others not yet. 1 passage "
        "flagged by the automatic check has not been reviewed: it is marked in the text.",
    )
    assert said(passages={"machine": 21, "reviewed": 21, "flagged": 0}, released=True)[:2] == (
        "reviewed",
        "Relu et publié par le service handicap",
    )
    assert said("en", passages={"machine": 4, "reviewed": 4, "flagged": 0})[1] == "Reviewed by a person"
    assert said(passages={"machine": 0, "reviewed": 0, "flagged": 0})[:2] == (
        "original",
        "Texte d'origine, sans réécriture automatique",
    )
    assert said(passages={"machine": 5, "reviewed": 0, "flagged": 0}, released=True)[1] == (
        "Brouillon automatique, non relu, publié par le service handicap"
    )
    # A job recorded before the counts were kept claims nothing but its release; a failed one nothing at all.
    assert said(passages=None) == ("unknown", "", "")
    assert said(passages=None, released=True)[1] == "Publié par le service handicap"
    assert said(passages={"machine": 3, "reviewed": 0, "flagged": 0}, status="failed") == ("pending", "", "")


def test_the_title_is_the_share_title_else_the_document_title_else_the_file_name(store: JobStore) -> None:
    shared = _job(store, passages=None, share_title="Cours 3 : HTML, CSS, Bootstrap", doc_title="Diapos")
    assert job_title(shared) == "Cours 3 : HTML, CSS, Bootstrap"  # the finish did not replace it
    assert job_title(_job(store, passages=None, doc_title="HTML et CSS")) == "HTML et CSS"
    assert job_title(_job(store, passages=None)) == "slides-fr-web-course.pptx"


def test_every_warning_code_has_a_student_sentence_or_is_staff_only() -> None:
    student, staff = set(STUDENT_WARNINGS), set(STAFF_ONLY)
    assert not student & staff, student & staff
    neither = sorted(set(WARNINGS) - student - staff)
    assert neither == [], (
        f"say what these mean for a student (web/status.py), or list them as staff-only: {neither}"
    )
    for code, texts in STUDENT_WARNINGS.items():
        assert code in WARNINGS, code
        assert len(texts) == 4 and all(t.strip() for t in texts), code
        fr_one, fr_many, en_one, en_many = texts
        assert fr_one != en_one and fr_many != en_many, code
        for text in texts:
            fields = {name for _, name, _, _ in string.Formatter().parse(text) if name}
            assert fields <= {"n"}, (code, fields)


def test_student_warnings_count_each_thing_once_and_leave_the_rest_to_staff() -> None:
    warnings = [
        {"stage": "render.epub", **warning("image.alt_missing", block_id="b3", marker="Image")},
        {"stage": "render.epub", **warning("image.alt_missing", block_id="b6", marker="Image")},
        {"stage": "render.html", **warning("image.alt_missing", block_id="b3", marker="Image")},
        {"stage": "render.html", **warning("image.alt_missing", block_id="b6", marker="Image")},
        {"stage": "convert", **warning("pdf.scanned_page", page=2)},
        {"stage": "convert", **warning("heading.level_clamped", text="Titre", old=3, new=2)},
        {"stage": "render.epub", **warning("slide.no_title", slide=4)},
    ]
    assert [w["text"] for w in student_warnings(warnings)] == [
        "2 images n'ont pas de description.",
        "1 page est une image numérisée : son texte a été reconnu automatiquement et peut contenir des erreurs.",
        "1 diapositive n'a pas de titre : elle est nommée par son numéro.",
    ]
    assert student_warnings(warnings, "en")[0] == {
        "code": "image.alt_missing",
        "count": 2,
        "text": "2 pictures have no description.",
    }


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("La vacuole : eau / sucres", "03 - La vacuole eau sucres.mp3"),
        ("../../etc/passwd", "03 - etc passwd.mp3"),
        ("a\x00b\u202ec\td", "03 - a bc d.mp3"),
        ("  ...  ", "03 - Section.mp3"),
        (None, "03 - Section.mp3"),
        ("Été, à l'école", "03 - Été, à l'école.mp3"),
    ],
)
def test_zip_entry_names_are_safe_on_every_file_system(title: str | None, name: str) -> None:
    assert safe_entry_name(3, title) == name


def test_a_long_heading_is_cut() -> None:
    name = safe_entry_name(12, "x" * 500, width=3)
    assert name == f"012 - {'x' * NAME_MAX}.mp3" and len(name.encode("utf-8")) < 255


def test_read_online_is_offered_only_for_a_finished_job_with_its_document_json(store: JobStore) -> None:
    """The reader is built from the job's document JSON: a job made without it (an API job asked for the EPUB
    only) gets no "Lire en ligne" link that would lead to an error page."""
    epub = {"epub": {"file": "cours.epub", "bytes": 1, "sha256": "0" * 64}}
    with_json = {**epub, "json": {"file": "cours.json", "bytes": 1, "sha256": "0" * 64}}
    job = _job(store, passages=None)
    for status, artifacts, offered in (
        ("succeeded", epub, False),
        ("succeeded", with_json, True),
        ("partial", with_json, True),
        ("failed", with_json, False),
    ):
        job.status, job.artifacts = status, artifacts
        assert can_read_online(job) is offered, (status, sorted(artifacts))
