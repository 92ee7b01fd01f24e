"""The student's job page (issue #16): the teacher's title, downloads a student understands (the section MP3s
as one zip), warnings in the student's words, and an honest review status through draft, partial review and
full review, the same in the released EPUB. Jobs are run by the worker's own code (``jobs.execute`` and
``jobs.release``, in this process: no broker round trip needed) on a course made here."""

from __future__ import annotations

import base64
import io
import re
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from service_helpers import make_settings, make_user
from web_fixtures import PASSWORD

from inclusio.config import Settings
from inclusio.model.document import Document
from inclusio.model.flags import machine_passages, shown_adaptation
from inclusio.profiles import load_profile
from inclusio.store.accounts import UserStore
from inclusio.store.files import FileStore
from inclusio.store.jobs import JobStore

pytestmark = pytest.mark.slow  # one easy-to-read job with audio (about 30 s), then two releases

PROFILES = Path(__file__).resolve().parents[2] / "profiles"
SHARE_TITLE = "Cours 3 : la cellule végétale"
HEADINGS = ("Introduction", "Les chloroplastes", "La vacuole : eau / sucres")
SAFE_NAMES = ["01 - Introduction.mp3", "02 - Les chloroplastes.mp3", "03 - La vacuole eau sucres.mp3"]
"""What a file system accepts of the headings above (the colon and the slash go)."""


def _png(color: str) -> str:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode("ascii")


def course_html() -> bytes:
    """Three sections, long sentences the easy-to-read rules rewrite, and two pictures without alt text."""
    long = (
        "La cellule végétale, qui constitue l'unité fondamentale de tout organisme végétal, se distingue de la "
        "cellule animale par la présence d'une paroi rigide composée essentiellement de cellulose, laquelle lui "
        "confère une résistance mécanique considérable.",
        "Les chloroplastes, organites spécialisés dans la photosynthèse, contiennent de la chlorophylle, pigment "
        "qui absorbe l'énergie lumineuse nécessaire à la transformation du dioxyde de carbone et de l'eau en "
        "glucose, libérant ainsi de l'oxygène dans l'atmosphère.",
        "La vacuole, volumineuse chez les cellules adultes, stocke l'eau ainsi que diverses substances dissoutes, "
        "participant de ce fait au maintien de la turgescence cellulaire, indispensable au port dressé des plantes "
        "herbacées.",
    )
    parts = []
    for n, (heading, text) in enumerate(zip(HEADINGS, long, strict=True)):
        parts.append(f"<h1>{heading}</h1><p>{text}</p>")
        if n < 2:
            parts.append(f'<img src="data:image/png;base64,{_png(["green", "blue"][n])}">')
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>La cellule végétale</title></head>'
        f"<body>{''.join(parts)}</body></html>"
    ).encode()


def csrf(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text[:500]
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]


def signed_in(app: Any, username: str) -> TestClient:
    client = TestClient(app)
    answer = client.post(
        "/web/sign-in",
        data={"username": username, "password": PASSWORD, "csrf_token": csrf(client, "/web/sign-in")},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return client


@dataclass
class Course:
    settings: Settings
    app: Any
    store: JobStore
    files: FileStore
    job_id: str
    student: TestClient
    staff: TestClient
    teacher: TestClient
    staff_api: TestClient


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Course]:
    """A teacher shares the course under their title; a student with the easy-to-read profile asks for it
    (EPUB, web page, audio, document); the worker's code runs the job."""
    from inclusio.jobs import execute
    from inclusio.server import create_app

    settings = make_settings(tmp_path_factory.mktemp("job_page"))
    for role, name in (("teacher", "prof"), ("student", "lea"), ("student", "max"), ("staff", "staff1")):
        make_user(settings, role, username=name, password=PASSWORD)
    _, staff_token = make_user(settings, "staff")
    store = JobStore.from_settings(settings)
    users = UserStore(store.engine)
    users.set_profile(users.by_username("lea").id, "easy-read")  # type: ignore[union-attr]
    app = create_app(settings, enqueue=lambda _kind, _job: None)
    teacher, student = signed_in(app, "prof"), signed_in(app, "lea")
    shared = teacher.post(
        "/web/teacher/shares",
        data={"csrf_token": csrf(teacher, "/web/teacher"), "title": SHARE_TITLE, "course": "BIO-1"},
        files={"file": ("cellule-v2.html", course_html(), "text/html")},
        follow_redirects=False,
    )
    assert shared.status_code == 303, shared.text
    share_id = students_share(student)
    asked = student.post(
        "/web/student/shares",
        data={
            "csrf_token": csrf(student, "/web/student"),
            "share": share_id,
            "outputs": ["epub", "html", "mp3", "json"],
        },
        follow_redirects=False,
    )
    assert asked.status_code == 303, asked.text
    job_id = asked.headers["location"].rsplit("/", 1)[1]
    assert execute(job_id, settings) == "succeeded"
    staff_api = TestClient(app)
    staff_api.headers["Authorization"] = f"Bearer {staff_token}"
    yield Course(
        settings,
        app,
        store,
        FileStore.from_settings(settings),
        job_id,
        student,
        signed_in(app, "staff1"),
        teacher,
        staff_api,
    )
    store.dispose()


def students_share(student: TestClient) -> str:
    page = student.get("/web/student").text
    return re.search(r'name="share" value="([0-9a-f]{32})"', page).group(1)  # type: ignore[union-attr]


def hrefs(page: str, section: str) -> list[str]:
    """The links of one ``<section id=...>`` (or ``<details id=...>``) of the page, in order."""
    match = re.search(rf'<(section|details)[^>]*id="{section}".*?</\1>', page, re.S)
    return re.findall(r'href="([^"]+)"', match.group(0)) if match else []


def document_of(course: Course) -> Document:
    job = course.store.get(course.job_id)
    path = course.files.artifact_path(
        job.id, job.artifacts["json"]["file"]
    )  # the student's copy, not a draft
    return Document.from_json(path.read_bytes())


def passages(course: Course) -> dict[str, int]:
    profile = load_profile("easy-read", PROFILES)
    return machine_passages(document_of(course), profile.adaptation_kinds, profile.parallel_kinds)


# -- the student's page ---------------------------------------------------------------------------------


def test_the_student_sees_the_teachers_title_a_short_list_a_draft_status_and_warnings_in_words(
    course: Course,
) -> None:
    job_id = course.job_id
    page = unescape(course.student.get(f"/web/jobs/{job_id}").text)
    assert f"<title>{SHARE_TITLE} · inclusio</title>" in page
    assert f"<h1>{SHARE_TITLE}</h1>" in page and "cellule-v2.html</h1>" not in page
    assert hrefs(page, "downloads") == [
        f"/web/read/{job_id}",
        f"/web/jobs/{job_id}/download/epub",
        f"/web/jobs/{job_id}/download/mp3",
        f"/web/jobs/{job_id}/audio-sections.zip",
        f"/web/jobs/{job_id}/download/html",
    ]
    assert ">Lire en ligne</a>" in page
    assert "Télécharger l'audio par section (3 fichiers MP3 nommés par leurs titres, en un zip)" in page
    assert "Fichiers techniques" not in page
    # The honest status, from the counts of the student's copy.
    counts = passages(course)
    assert counts["machine"] >= 2 and counts["reviewed"] == 0
    status = re.search(r'<section[^>]*id="review-status".*?</section>', page, re.S).group(0)  # type: ignore[union-attr]
    assert 'data-state="draft"' in status and "hidden" not in status.split(">")[0]
    assert "Brouillon automatique, non relu" in status
    assert (
        f"Le texte a été adapté automatiquement ({counts['machine']} passages écrits par une machine) et n'a "
        "pas encore été relu par une personne." in status
    )
    # Warnings: what they mean, counted once per picture (the EPUB and the page both warned), no raw code.
    assert hrefs(page, "good-to-know") == []
    good = re.search(r'<section[^>]*id="good-to-know".*?</section>', page, re.S).group(0)  # type: ignore[union-attr]
    assert re.findall(r"<li>(.*?)</li>", good) == ["2 images n'ont pas de description."]
    assert "image.alt_missing" not in page and 'id="warnings"' not in page
    course.student.get("/web/lang/en")
    try:
        page = unescape(course.student.get(f"/web/jobs/{job_id}").text)
    finally:
        course.student.get("/web/lang/fr")
    assert "Automatic draft, not reviewed" in page and "<li>2 pictures have no description.</li>" in page
    assert ">Read online</a>" in page
    # Another student does not see the job, nor its zip.
    other = signed_in(course.app, "max")
    assert other.get(f"/web/jobs/{job_id}").status_code == 404
    assert other.get(f"/web/jobs/{job_id}/audio-sections.zip").status_code == 404


def test_staff_and_teachers_see_the_technical_files_and_the_raw_codes(course: Course) -> None:
    from inclusio.jobs import execute

    job_id = course.job_id
    page = unescape(course.staff.get(f"/web/jobs/{job_id}").text)
    technical = re.search(r'<h3 id="technical-h">.*?</ul>', page, re.S).group(0)  # type: ignore[union-attr]
    names = [h.rsplit("/", 1)[1] for h in re.findall(r'href="([^"]+)"', technical)]
    assert sorted(names) == sorted(["audio-timings", "json", "mp3-01", "mp3-02", "mp3-03", "report"])
    assert "<strong>image.alt_missing</strong>" in page and "Codes des avertissements (4)" in page
    assert "2 images n'ont pas de description." in page  # what the student reads, too
    # A teacher's own job: the same technical list; nothing machine-written with the dyslexia profile.
    teacher_job = course.store.create(
        profile_id="dyslexia",
        filename="cellule.html",
        input_sha256=(job := course.store.get(job_id)).input_sha256,
        input_path=job.input_path,
        input_bytes=job.input_bytes,
        outputs=["html", "report"],
        owner_id=UserStore(course.store.engine).by_username("prof").id,  # type: ignore[union-attr]
        institution="default",
    )
    assert execute(teacher_job.id, course.settings) == "succeeded"
    page = unescape(course.teacher.get(f"/web/jobs/{teacher_job.id}").text)
    assert "<h1>La cellule végétale</h1>" in page  # the document's own title, not the file name
    assert '<p class="hint">Fichier : cellule.html</p>' in page
    assert f"/web/jobs/{teacher_job.id}/download/report" in hrefs(page, "downloads")
    assert "Texte d'origine, sans réécriture automatique" in page


# -- the zip of the section MP3s ------------------------------------------------------------------------


def test_the_section_zip_holds_the_stored_mp3s_named_by_their_headings(
    course: Course, tmp_path: Path
) -> None:
    job_id = course.job_id
    answer = course.student.get(f"/web/jobs/{job_id}/audio-sections.zip")
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"] == "application/zip"
    assert answer.headers["content-disposition"].startswith("attachment;")
    assert answer.headers["x-content-type-options"] == "nosniff"
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    assert archive.testzip() is None
    assert archive.namelist() == SAFE_NAMES
    for index, name in enumerate(SAFE_NAMES, start=1):
        stored = course.student.get(f"/web/jobs/{job_id}/download/mp3-{index:02d}")
        assert stored.status_code == 200 and stored.content[:3] in (b"ID3", b"\xff\xfb")
        info = archive.getinfo(name)
        assert info.compress_type == zipfile.ZIP_STORED and not info.flag_bits & 0x08  # sizes in the header
        assert archive.read(name) == stored.content  # the stored bytes, not encoded again
    # Info-ZIP's unzip reads it too.
    path = tmp_path / "audio.zip"
    path.write_bytes(answer.content)
    tested = subprocess.run(["unzip", "-t", str(path)], capture_output=True, text=True, check=False)
    assert tested.returncode == 0 and "No errors detected" in tested.stdout, tested.stdout + tested.stderr


# -- review: partial, then whole; the page and the released EPUB say which ------------------------------


def _release(course: Course) -> None:
    from inclusio.jobs import release

    answer = course.staff_api.post(f"/jobs/{course.job_id}/release", json={"accept_unreviewed": True})
    assert answer.status_code == 202, answer.text
    token = course.store.get(course.job_id).release_token
    assert release(course.job_id, token, course.settings) in ("succeeded", "partial")


def _epub_summary(course: Course) -> str:
    epub = course.student.get(f"/web/jobs/{course.job_id}/download/epub").content
    with zipfile.ZipFile(io.BytesIO(epub)) as book:
        opf = next(n for n in book.namelist() if n.endswith(".opf"))
        text = book.read(opf).decode("utf-8")
    return re.search(r'property="schema:accessibilitySummary">(.*?)</meta>', text, re.S).group(1)  # type: ignore[union-attr]


def test_partial_then_whole_review_is_said_as_it_is_on_the_page_and_in_the_epub(course: Course) -> None:
    profile = load_profile("easy-read", PROFILES)
    doc = document_of(course)
    shown = [(b.id, shown_adaptation(b, profile.adaptation_kinds)) for b in doc.blocks]
    machine = [(block_id, a.kind) for block_id, a in shown if a is not None]
    n = len(machine)
    assert n >= 2
    # Staff approve one passage of n and release (the glossary's terms to define are confirmed as they are).
    first_id, first_kind = machine[0]
    approved = course.staff_api.post(
        f"/jobs/{course.job_id}/blocks/{first_id}/approve", json={"kind": first_kind}
    )
    assert approved.status_code == 200, approved.text
    _release(course)
    page = unescape(course.student.get(f"/web/jobs/{course.job_id}").text)
    assert "Version relue et publiée" not in page and "relue par" not in page
    assert "Nouvelle version publiée par le service handicap." in page
    assert f"Relu en partie (1 sur {n} passages), publié par le service handicap" in page
    assert f"Sur les {n} passages écrits par une machine, 1 a été relu par une personne" in page
    assert passages(course) == {"machine": n, "reviewed": 1, "flagged": 0}
    others = "l'autre n'a pas été relu" if n == 2 else f"les {n - 1} autres n'ont pas été relus"
    summary = _epub_summary(course)
    assert (
        f"Ce document contient {n} passages écrits par une machine ; 1 a été relu par une personne ; {others}"
        in summary
    ), summary

    # Every passage reviewed and released again: now, and only now, "relu et publié".
    for block_id, kind in machine[1:]:
        answer = course.staff_api.post(
            f"/jobs/{course.job_id}/blocks/{block_id}/approve", json={"kind": kind}
        )
        assert answer.status_code == 200, answer.text
    _release(course)
    page = unescape(course.student.get(f"/web/jobs/{course.job_id}").text)
    assert "Relu et publié par le service handicap" in page and "Relu en partie" not in page
    assert f"Les passages écrits par une machine ({n}) ont tous été relus par une personne." in page
    assert "tous ont été relus par une personne." in _epub_summary(course)
    assert course.student.get(f"/web/jobs/{course.job_id}/state.json").json()["release"] == "released"
