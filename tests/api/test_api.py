"""API answers: errors with stable codes, profiles, health, the upload path (without a worker); documents
teachers share with students and the release of a reviewed job (with a real worker where the work runs)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from review_helpers import _error, _reviewable_job, _wait_release
from service_helpers import api_client, make_settings, submit, wait_finished

from inclusio.config import Settings
from inclusio.store.files import FileStore
from inclusio.store.jobs import JobStore
from inclusio.store.shares import ShareStore


@pytest.fixture
def client(settings: Settings) -> TestClient:
    return api_client(settings)


def test_health_and_profiles_list_names_in_french_and_english(client: TestClient) -> None:
    assert client.get("/health").json()["status"] == "ok"
    profiles = {p["id"]: p for p in client.get("/profiles").json()}
    assert {"dyslexia", "easy-read", "low-vision", "blind"} <= set(profiles)
    assert profiles["dyslexia"]["name"] == {"fr": "Dyslexie", "en": "Dyslexia"}


def test_an_upload_is_stored_by_hash_and_queued(
    client: TestClient, settings: Settings, small_pdf: Path
) -> None:
    with small_pdf.open("rb") as fh:
        response = client.post(
            "/jobs",
            files={"file": ("Cours de bio.pdf", fh, "application/pdf")},
            data={"profile": "easy-read", "outputs": "epub, report,epub"},
        )
    assert response.status_code == 202 and response.headers["location"] == f"/jobs/{response.json()['id']}"
    job = client.get(f"/jobs/{response.json()['id']}").json()
    sha = hashlib.sha256(small_pdf.read_bytes()).hexdigest()
    assert (
        job["status"] == "queued" and job["profile"] == "easy-read" and job["filename"] == "Cours de bio.pdf"
    )
    assert job["outputs"] == ["epub", "report"] and job["input"] == {
        "sha256": sha,
        "bytes": small_pdf.stat().st_size,
    }
    assert job["artifacts"] == {} and job["errors"] == [] and job["created_at"].endswith("+00:00")
    stored = settings.data_dir / "originals" / sha[:2] / sha
    assert stored.read_bytes() == small_pdf.read_bytes()


def test_plain_markdown_is_accepted_by_its_name_and_plain_text_is_not(
    client: TestClient, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text(
        "Quelques notes de cours sans titre ni liste.\n\nUn second paragraphe.\n", encoding="utf-8"
    )
    with notes.open("rb") as fh:
        accepted = client.post(
            "/jobs",
            files={"file": ("notes.md", fh, "text/markdown")},
            data={"profile": "dyslexia", "outputs": "json"},
        )
    assert accepted.status_code == 202, accepted.text
    with notes.open("rb") as fh:
        refused = client.post(
            "/jobs",
            files={"file": ("notes.txt", fh, "text/plain")},
            data={"profile": "dyslexia", "outputs": "json"},
        )
    assert _error(refused, 415)["code"] == "input.unsupported"


def test_reading_adjustments_are_validated_field_by_field(client: TestClient, small_pdf: Path) -> None:
    for reading, field in (
        ('{"font_size_rem": 12}', "reading.font_size_rem"),
        ('{"colour": "red"}', "reading.colour"),
        ("[1, 2]", None),
        ("{not json", None),
    ):
        with small_pdf.open("rb") as fh:
            response = client.post(
                "/jobs",
                files={"file": ("c.pdf", fh, "application/pdf")},
                data={"profile": "dyslexia", "reading": reading},
            )
        body = _error(response, 400)
        assert body["code"] == "request.invalid"
        if field:
            assert field in body["message"]


def test_unknown_profile_is_404_profile_not_found(client: TestClient, small_pdf: Path) -> None:
    for name in ("klingon", "../profiles/dyslexia", "/etc/passwd.yaml"):
        with small_pdf.open("rb") as fh:
            response = client.post("/jobs", files={"file": ("a.pdf", fh)}, data={"profile": name})
        assert _error(response, 404)["code"] == "profile.not_found"


def test_empty_upload_is_422_input_empty(client: TestClient, settings: Settings) -> None:
    response = client.post(
        "/jobs", files={"file": ("vide.pdf", b"", "application/pdf")}, data={"profile": "blind"}
    )
    assert _error(response, 422)["code"] == "input.empty"
    assert JobStore.from_settings(settings).recent() == []  # no job was created


def test_too_large_upload_is_413_input_too_large(tmp_path: Path) -> None:
    client = api_client(make_settings(tmp_path, max_upload_bytes=1000))
    response = client.post(
        "/jobs", files={"file": ("gros.pdf", b"%PDF" + b"x" * 5000)}, data={"profile": "blind"}
    )
    assert _error(response, 413)["code"] == "input.too_large"
    # refused on its announced size, before the body is read
    big = b"x" * (2 * 1024 * 1024)
    response = client.post("/jobs", files={"file": ("gros.pdf", big)}, data={"profile": "blind"})
    assert _error(response, 413)["code"] == "input.too_large"


def test_missing_fields_and_bad_outputs_are_400_request_invalid(client: TestClient, small_pdf: Path) -> None:
    body = _error(client.post("/jobs", data={"profile": "dyslexia"}), 400)
    assert body["code"] == "request.invalid" and "file" in body["message"]
    with small_pdf.open("rb") as fh:
        body = _error(client.post("/jobs", files={"file": ("a.pdf", fh)}), 400)
    assert body["code"] == "request.invalid" and "profile" in body["message"]
    with small_pdf.open("rb") as fh:
        body = _error(
            client.post(
                "/jobs", files={"file": ("a.pdf", fh)}, data={"profile": "dyslexia", "outputs": "epub,docx"}
            ),
            400,
        )
    assert body["code"] == "request.invalid" and "docx" in body["message"]


def test_unknown_job_and_unknown_artifact_are_404(client: TestClient, small_pdf: Path) -> None:
    assert _error(client.get("/jobs/" + "0" * 32), 404)["code"] == "job.not_found"
    assert _error(client.get("/jobs/nope"), 404)["code"] == "job.not_found"
    assert _error(client.get("/jobs/" + "0" * 32 + "/artifacts/epub"), 404)["code"] == "job.not_found"
    with small_pdf.open("rb") as fh:
        job_id = client.post("/jobs", files={"file": ("a.pdf", fh)}, data={"profile": "dyslexia"}).json()[
            "id"
        ]
    assert _error(client.get(f"/jobs/{job_id}/artifacts/epub"), 404)["code"] == "artifact.not_found"
    assert _error(client.get(f"/jobs/{job_id}/artifacts/..%2F..%2Fetc"), 404)["code"] in {
        "artifact.not_found",
        "request.not_found",
    }
    assert _error(client.get("/nowhere"), 404)["code"] == "request.not_found"
    assert _error(client.put(f"/jobs/{job_id}"), 405)["code"] == "request.invalid"


def test_a_broker_that_cannot_be_reached_gives_503_and_a_failed_job(tmp_path: Path, small_pdf: Path) -> None:
    # Nothing listens on port 1: publishing fails quickly, the job is recorded as failed.
    settings = make_settings(tmp_path, broker_url="redis://127.0.0.1:1/0")
    client = api_client(settings)
    with small_pdf.open("rb") as fh:
        response = client.post("/jobs", files={"file": ("a.pdf", fh)}, data={"profile": "dyslexia"})
    assert _error(response, 503)["code"] == "queue.unavailable"
    [job] = JobStore.from_settings(settings).recent()
    assert job.status == "failed" and job.errors[0]["code"] == "queue.unavailable"


def test_the_api_does_not_import_the_task_code(tmp_path: Path) -> None:
    from service_helpers import make_user

    _user, token = make_user(Settings(data_dir=tmp_path))
    code = (
        "import sys; from inclusio.config import Settings; from inclusio.server import create_app; "
        "from fastapi.testclient import TestClient; "
        f"c = TestClient(create_app(Settings(data_dir={str(tmp_path)!r}))); "
        f"c.headers['Authorization'] = 'Bearer {token}'; "
        "r = c.post('/jobs', files={'file': ('a.pdf', b'%PDF-1.4 x')}, data={'profile': 'blind'}); "
        "assert r.status_code == 202, r.text; "
        "assert 'workers.tasks' not in sys.modules; print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


# -- documents teachers share with their students ------------------------------------------------------


def _files_of(settings: Settings) -> set[str]:
    """Every file the service stores (the SQLite databases aside)."""
    return {
        p.relative_to(settings.data_dir).as_posix()
        for p in FileStore.from_settings(settings).all_files()
        if not p.name.endswith((".db", ".db-wal", ".db-shm", ".lock"))
    }


def test_students_get_their_own_version_of_a_shared_document_converted_once(
    settings: Settings, small_pdf: Path, start_worker: object
) -> None:
    worker = start_worker(settings)  # type: ignore[operator]
    teacher = api_client(settings, "teacher")
    s1, s2 = api_client(settings, "student"), api_client(settings, "student")
    assert s1.put("/me/profile", json={"profile": "dyslexia"}).status_code == 200
    with small_pdf.open("rb") as fh:
        shared = teacher.post(
            "/shares",
            files={"file": ("Cours de bio.pdf", fh, "application/pdf")},
            data={"title": "La cellule", "course": "BIO-101"},
        )
    assert shared.status_code == 201 and shared.headers["location"] == f"/shares/{shared.json()['id']}"
    share_id, sha = shared.json()["id"], shared.json()["input"]["sha256"]
    assert sha == hashlib.sha256(small_pdf.read_bytes()).hexdigest()
    found = s2.get("/shares", params={"search": "bio-101"}).json()
    assert [s["id"] for s in found] == [share_id] and found[0]["title"] == "La cellule"

    # One step each, no upload: s1 with their stored profile, s2 naming one.
    first = s1.post(f"/shares/{share_id}/jobs", data={"outputs": "html,report"})
    assert first.status_code == 202, first.text
    done1 = wait_finished(s1, first.json()["id"], worker)
    second = s2.post(f"/shares/{share_id}/jobs", data={"profile": "easy-read", "outputs": "html,report"})
    done2 = wait_finished(s2, second.json()["id"], worker)
    assert done1["status"] == done2["status"] == "succeeded", (done1["errors"], done2["errors"])
    assert done1["profile"] == "dyslexia" and done2["profile"] == "easy-read"
    assert done1["filename"] == done2["filename"] == "Cours de bio.pdf" and done1["input"]["sha256"] == sha
    # The document was read once: the second job took the converted Document from the cache.
    # The report is a technical file: staff read it (the students get artifact.staff_only, issue #16).
    staff = api_client(settings, "staff", enqueue=lambda _k, _j: None)
    assert s1.get(f"/jobs/{done1['id']}/artifacts/report").json()["error"]["code"] == "artifact.staff_only"
    report1 = staff.get(f"/jobs/{done1['id']}/artifacts/report").json()
    report2 = staff.get(f"/jobs/{done2['id']}/artifacts/report").json()
    assert not report1["input"].get("from_cache") and report2["input"]["from_cache"] is True
    stored = _files_of(settings)
    assert [f for f in stored if f.startswith("originals/")] == [f"originals/{sha[:2]}/{sha}"]
    assert len([f for f in stored if f.startswith(f"cache/documents/{sha}-")]) == 1
    assert s2.get(f"/jobs/{done1['id']}").status_code == 404  # nobody else's job, not even on the same file


def test_stopping_a_share_keeps_the_students_versions_and_then_nothing_is_left(
    settings: Settings, small_pdf: Path
) -> None:
    from inclusio.jobs import execute as execute_job

    teacher = api_client(settings, "teacher", enqueue=lambda _k, _j: None)
    student = api_client(settings, "student", enqueue=lambda _k, _j: None)
    share_id = teacher.post("/shares", files={"file": ("td.pdf", small_pdf.read_bytes())}).json()["id"]
    job_id = student.post(f"/shares/{share_id}/jobs", data={"profile": "blind", "outputs": "html"}).json()[
        "id"
    ]
    assert execute_job(job_id, settings) == "succeeded"
    assert student.get(f"/shares/{share_id}").json()["title"] == "td.pdf"  # the file name by default

    assert _error(student.delete(f"/shares/{share_id}"), 403)["code"] == "auth.forbidden"
    assert teacher.delete(f"/shares/{share_id}").status_code == 204
    gone = _error(student.post(f"/shares/{share_id}/jobs", data={"profile": "blind"}), 404)
    assert gone["code"] == "share.not_found" and "enseignant" in gone["message_fr"]
    assert student.get(f"/jobs/{job_id}/artifacts/html").status_code == 200  # the student's version stays
    sha = hashlib.sha256(small_pdf.read_bytes()).hexdigest()
    assert f"originals/{sha[:2]}/{sha}" in _files_of(settings)
    assert student.delete(f"/jobs/{job_id}").status_code == 204  # the last use of the original
    assert _files_of(settings) == set()


def test_erasing_a_teacher_and_their_students_leaves_no_share_job_row_or_file(
    settings: Settings, small_pdf: Path, corpus: Path
) -> None:
    from inclusio.jobs import execute as execute_job

    teacher = api_client(settings, "teacher", enqueue=lambda _k, _j: None)
    s1, s2 = (api_client(settings, "student", enqueue=lambda _k, _j: None) for _ in range(2))
    requested = teacher.post(
        "/shares", files={"file": ("cours.pdf", small_pdf.read_bytes())}, data={"course": "BIO"}
    ).json()["id"]
    teacher.post("/shares", files={"file": ("notes.docx", (corpus / "fixture-word.docx").read_bytes())})
    jobs = [
        s.post(f"/shares/{requested}/jobs", data={"profile": "blind", "outputs": "html,report"}).json()["id"]
        for s in (s1, s2)
    ]
    for job_id in jobs:
        assert execute_job(job_id, settings) == "succeeded"
    sha = hashlib.sha256(small_pdf.read_bytes()).hexdigest()

    erased = teacher.delete("/me").json()
    assert erased["shares"] == 2 and erased["jobs"] == 0 and erased["account_deleted"]
    left = _files_of(settings)
    # The unrequested document went with its share; the one the students' jobs use stays for them.
    assert [f for f in left if f.startswith("originals/")] == [f"originals/{sha[:2]}/{sha}"]
    assert s1.get("/shares").json() == []
    assert s1.get(f"/jobs/{jobs[0]}/artifacts/html").status_code == 200
    assert s1.delete("/me").json()["jobs"] == 1 and s2.delete("/me").json()["jobs"] == 1
    assert _files_of(settings) == set()
    store = JobStore.from_settings(settings)
    assert store.recent(limit=1000) == [] and ShareStore(store.db).list(limit=1000) == []
    assert store.db.original_uses(sha) == 0
    store.dispose()


# -- release of a reviewed job: on the queue, run by a worker ---------------------------------------------


def test_release_runs_on_a_worker_keeping_the_old_outputs_until_the_new_are_in_place(
    settings: Settings, small_pdf: Path, start_worker: object
) -> None:
    from sqlalchemy import update

    from inclusio.store.models import Job

    worker = start_worker(settings)  # type: ignore[operator]
    staff = api_client(settings, "staff")
    job_id = submit(staff, small_pdf, profile="easy-read", outputs="json,html,report")
    assert wait_finished(staff, job_id, worker)["status"] == "succeeded"
    old_html = staff.get(f"/jobs/{job_id}/artifacts/html").content
    doc = staff.get(f"/jobs/{job_id}/document").json()
    block = next(b for b in doc["blocks"] if any(a["kind"] == "easy_read" for a in b.get("adaptations", [])))
    edited = "La cellule vit. Une personne a relu cette phrase."
    assert (
        staff.put(
            f"/jobs/{job_id}/blocks/{block['id']}/adaptation",
            json={"kind": "easy_read", "text": edited, "approve": True},
        ).status_code
        == 200
    )
    assert edited not in old_html.decode("utf-8")
    from test_glossary_review import review_glossary

    review_glossary(staff, job_id)  # terms to define hold a release back (tests/api/test_glossary_review.py)

    answer = staff.post(f"/jobs/{job_id}/release")
    assert answer.status_code == 202 and answer.headers["location"] == f"/jobs/{job_id}"
    assert answer.json()["release"]["state"] == "releasing" and answer.json()["status"] == "succeeded"
    # Meanwhile the HTML is always whole: the old one, until the new one (with the edit) replaces it.
    job = _wait_release(
        staff, job_id, worker, lambda html: html == old_html or edited in html.decode("utf-8")
    )
    assert (
        job["release"]["state"] == "released"
        and job["release"]["released_at"]
        and job["status"] == "succeeded"
    )
    assert job["message"].startswith("released after review by ")
    new_html = staff.get(f"/jobs/{job_id}/artifacts/html").content.decode("utf-8")
    assert edited in new_html
    # The reviewer's draft moved with the new outputs: the approval is still there.
    again = staff.get(f"/jobs/{job_id}/document").json()
    [adaptation] = [
        a
        for b in again["blocks"]
        if b["id"] == block["id"]
        for a in b["adaptations"]
        if a["kind"] == "easy_read"
    ]
    assert adaptation["provenance"]["reviewed_by"] and adaptation["provenance"]["engine"] == "human"

    # A release that fails (the job's profile was withdrawn meanwhile) keeps the outputs and says why.
    store = JobStore.from_settings(settings)
    with store.session() as session:
        session.execute(update(Job).where(Job.id == job_id).values(profile_id="withdrawn-profile"))
    assert staff.post(f"/jobs/{job_id}/release").status_code == 202
    job = _wait_release(staff, job_id, worker, lambda html: html.decode("utf-8") == new_html)
    assert job["release"]["state"] == "failed" and job["status"] == "succeeded"
    assert job["release"]["errors"][0]["code"] == "profile.not_found"
    assert staff.get(f"/jobs/{job_id}/artifacts/html").text == new_html
    # A message delivered again (or superseded) does nothing.
    from inclusio.jobs import release

    assert (
        release(job_id, "0" * 32, settings, store=store, files=FileStore.from_settings(settings)) == "skipped"
    )
    store.dispose()


def test_a_release_the_queue_cannot_take_is_503_and_recorded_failed(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, broker_url="redis://127.0.0.1:1/0")
    staff = api_client(settings, "staff")
    store = JobStore.from_settings(settings)
    job_id = _reviewable_job(settings, store, finished=False)
    assert _error(staff.post(f"/jobs/{job_id}/release"), 400)["code"] == "request.invalid"  # not finished yet
    store.start(job_id)
    store.finish(
        job_id,
        status="succeeded",
        artifacts={"json": {"file": "cours.document.json", "media_type": "application/json"}},
    )
    assert _error(staff.post(f"/jobs/{job_id}/release"), 503)["code"] == "queue.unavailable"
    release = staff.get(f"/jobs/{job_id}").json()["release"]
    assert release["state"] == "failed" and release["errors"][0]["code"] == "queue.unavailable"
    store.dispose()


def test_asking_again_joins_a_live_release_and_supersedes_a_dead_one(settings: Settings) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from inclusio.jobs import release
    from inclusio.store.models import Job, utcnow

    staff = api_client(settings, "staff")  # the release message goes to the (unconsumed) embedded queue
    store = JobStore.from_settings(settings)
    job_id = _reviewable_job(settings, store)
    assert staff.post(f"/jobs/{job_id}/release").json()["release"]["state"] == "releasing"
    first = store.get(job_id).release_token
    assert staff.post(f"/jobs/{job_id}/release").status_code == 202
    assert store.get(job_id).release_token == first  # joined: nothing new was sent
    # Its worker died: no sign of life for longer than the watchdog's limit. Asking again starts anew.
    with store.session() as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(release_beat_at=utcnow() - timedelta(seconds=settings.job_stuck_seconds + 5))
        )
    assert staff.post(f"/jobs/{job_id}/release").json()["release"]["state"] == "releasing"
    assert store.get(job_id).release_token not in (None, first)
    assert release(job_id, first, settings, store=store, files=FileStore.from_settings(settings)) == "skipped"
    store.dispose()
