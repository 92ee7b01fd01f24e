"""API answers without a worker: errors with stable codes, profiles, health, the upload path."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from service_helpers import api_client, make_settings

from inclusio.config import Settings
from inclusio.store.db import JobStore


@pytest.fixture
def client(settings: Settings) -> TestClient:
    return api_client(settings)


def _error(response: object, status: int) -> dict[str, str]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()["error"]  # type: ignore[attr-defined]
    assert body["message"] and body["message_fr"] and body["message"] != body["message_fr"]
    return dict(body)


def test_health_and_profiles_list_names_in_french_and_english(client: TestClient) -> None:
    assert client.get("/health").json()["status"] == "ok"
    profiles = {p["id"]: p for p in client.get("/profiles").json()}
    assert {"dyslexia", "easy-read", "low-vision", "blind"} <= set(profiles)
    assert profiles["dyslexia"]["name"] == {"fr": "Dyslexie", "en": "Dyslexia"}


def test_an_upload_is_stored_by_hash_and_queued(client: TestClient, settings: Settings, small_pdf: Path) -> None:
    with small_pdf.open("rb") as fh:
        response = client.post("/jobs", files={"file": ("Cours de bio.pdf", fh, "application/pdf")},
                               data={"profile": "easy-read", "outputs": "epub, report,epub"})
    assert response.status_code == 202 and response.headers["location"] == f"/jobs/{response.json()['id']}"
    job = client.get(f"/jobs/{response.json()['id']}").json()
    sha = hashlib.sha256(small_pdf.read_bytes()).hexdigest()
    assert job["status"] == "queued" and job["profile"] == "easy-read" and job["filename"] == "Cours de bio.pdf"
    assert job["outputs"] == ["epub", "report"] and job["input"] == {"sha256": sha, "bytes": small_pdf.stat().st_size}
    assert job["artifacts"] == {} and job["errors"] == [] and job["created_at"].endswith("+00:00")
    stored = settings.data_dir / "originals" / sha[:2] / sha
    assert stored.read_bytes() == small_pdf.read_bytes()


def test_plain_markdown_is_accepted_by_its_name_and_plain_text_is_not(client: TestClient, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("Quelques notes de cours sans titre ni liste.\n\nUn second paragraphe.\n", encoding="utf-8")
    with notes.open("rb") as fh:
        accepted = client.post("/jobs", files={"file": ("notes.md", fh, "text/markdown")},
                               data={"profile": "dyslexia", "outputs": "json"})
    assert accepted.status_code == 202, accepted.text
    with notes.open("rb") as fh:
        refused = client.post("/jobs", files={"file": ("notes.txt", fh, "text/plain")},
                              data={"profile": "dyslexia", "outputs": "json"})
    assert _error(refused, 415)["code"] == "input.unsupported"


def test_reading_adjustments_are_validated_field_by_field(client: TestClient, small_pdf: Path) -> None:
    for reading, field in (('{"font_size_rem": 12}', "reading.font_size_rem"), ('{"colour": "red"}', "reading.colour"),
                           ("[1, 2]", None), ("{not json", None)):
        with small_pdf.open("rb") as fh:
            response = client.post("/jobs", files={"file": ("c.pdf", fh, "application/pdf")},
                                   data={"profile": "dyslexia", "reading": reading})
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
    response = client.post("/jobs", files={"file": ("vide.pdf", b"", "application/pdf")}, data={"profile": "blind"})
    assert _error(response, 422)["code"] == "input.empty"
    assert JobStore.from_settings(settings).recent() == []  # no job was created


def test_too_large_upload_is_413_input_too_large(tmp_path: Path) -> None:
    client = api_client(make_settings(tmp_path, max_upload_bytes=1000))
    response = client.post("/jobs", files={"file": ("gros.pdf", b"%PDF" + b"x" * 5000)}, data={"profile": "blind"})
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
        body = _error(client.post("/jobs", files={"file": ("a.pdf", fh)},
                                  data={"profile": "dyslexia", "outputs": "epub,docx"}), 400)
    assert body["code"] == "request.invalid" and "docx" in body["message"]


def test_unknown_job_and_unknown_artifact_are_404(client: TestClient, small_pdf: Path) -> None:
    assert _error(client.get("/jobs/" + "0" * 32), 404)["code"] == "job.not_found"
    assert _error(client.get("/jobs/nope"), 404)["code"] == "job.not_found"
    assert _error(client.get("/jobs/" + "0" * 32 + "/artifacts/epub"), 404)["code"] == "job.not_found"
    with small_pdf.open("rb") as fh:
        job_id = client.post("/jobs", files={"file": ("a.pdf", fh)}, data={"profile": "dyslexia"}).json()["id"]
    assert _error(client.get(f"/jobs/{job_id}/artifacts/epub"), 404)["code"] == "artifact.not_found"
    assert _error(client.get(f"/jobs/{job_id}/artifacts/..%2F..%2Fetc"), 404)["code"] in {
        "artifact.not_found", "request.not_found"}
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
    code = ("import sys; from inclusio.config import Settings; from inclusio.api.app import create_app; "
            "from fastapi.testclient import TestClient; "
            f"c = TestClient(create_app(Settings(data_dir={str(tmp_path)!r}))); "
            f"c.headers['Authorization'] = 'Bearer {token}'; "
            "r = c.post('/jobs', files={'file': ('a.pdf', b'%PDF-1.4 x')}, data={'profile': 'blind'}); "
            "assert r.status_code == 202, r.text; "
            "assert 'workers.tasks' not in sys.modules; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
