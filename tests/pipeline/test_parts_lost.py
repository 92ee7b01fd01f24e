"""A document converted with a lost part (a placeholder stands for it) makes the job ``partial``, never
``succeeded``: in ``run_job``'s result, in the job's report and in ``GET /jobs/{id}`` (issue #13)."""

from __future__ import annotations

import json
from pathlib import Path

from broken_office import cut, damage, media, word_document
from service_helpers import api_client, make_settings

from inclusio.config import Settings
from inclusio.pipeline import run_job
from inclusio.profiles import load_profile

PROFILES = Path(__file__).resolve().parents[2] / "profiles"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _run(path: Path, tmp_path: Path, settings: Settings) -> dict:
    result = run_job(
        path,
        load_profile("dyslexia", PROFILES),
        tmp_path / "out",
        settings=settings,
        outputs=["html", "report"],
    )
    report = json.loads(result.artifact("report").path.read_text(encoding="utf-8"))
    assert report["status"] == result.status
    assert result.artifact("html") is not None  # the rest of the document is rendered
    return report


def test_a_whole_document_succeeds_and_a_damaged_one_is_partial(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    word = word_document(tmp_path / "cellule.docx")
    report = _run(word, tmp_path / "whole", settings)
    assert report["status"] == "succeeded" and report["errors"] == []

    broken = damage(word, tmp_path / "abime.docx", media(word), lambda data: b"\x89PNG not really" * 20)
    report = _run(broken, tmp_path / "broken", settings)
    assert report["status"] == "partial"
    [error] = report["errors"]
    assert error["stage"] == "convert" and error["code"] == "input.parts_lost"
    assert error["details"] == {"parts": 1, "codes": ["image.unreadable"]} and error["message_fr"]
    [warning] = [w for w in report["warnings"] if w["code"] == "image.unreadable"]
    assert warning["block_id"] and warning["message_fr"]
    html = next((tmp_path / "broken" / "out").glob("*.html")).read_text(encoding="utf-8")
    assert "Image non disponible" in html and "noyau contient" in html  # the placeholder, in French


def test_a_lost_notes_part_makes_the_job_partial_through_the_api(tmp_path: Path) -> None:
    from inclusio.jobs import execute as execute_job

    settings = make_settings(tmp_path)
    client = api_client(settings, enqueue=lambda _kind, _job: None)
    word = word_document(tmp_path / "cellule.docx")
    broken = damage(word, tmp_path / "notes.docx", "word/footnotes.xml", cut)
    with broken.open("rb") as fh:
        response = client.post(
            "/jobs",
            files={"file": ("notes.docx", fh, DOCX)},
            data={"profile": "dyslexia", "outputs": "html,report"},
        )
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    assert execute_job(job_id, settings) == "partial"
    job = client.get(f"/jobs/{job_id}").json()
    assert job["status"] == "partial"
    assert [e["code"] for e in job["errors"]] == ["input.parts_lost"]
    assert any(w["code"] == "docx.notes_unreadable" for w in job["warnings"])
    assert {"html", "report"} <= set(job["artifacts"])
    report = client.get(job["artifacts"]["report"]["url"]).json()
    assert report["status"] == "partial" and report["errors"][0]["details"]["codes"] == [
        "docx.notes_unreadable"
    ]
    assert [j["id"] for j in client.get("/jobs", params={"status": "partial"}).json()] == [job_id]
    assert client.get("/jobs", params={"status": "succeeded"}).json() == []
