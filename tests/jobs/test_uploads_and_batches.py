"""Bad input at the door, batches of files and zips, cohorts, and the readability preview."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from fastapi.testclient import TestClient
from service_helpers import api_client, make_settings, make_user

from inclusio.config import Settings

NO_QUEUE = {"enqueue": lambda _kind, _job: None}


def _zip(members: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _only_known_files(settings: Settings) -> list[Path]:
    """Every file the service wrote lies under its data folder (nothing escaped the storage root)."""
    root = settings.data_dir.resolve()
    return [p for p in root.rglob("*") if p.is_file() and not p.resolve().is_relative_to(root)]


def test_path_traversal_names_and_wrong_types_are_refused_or_defused(
    settings: Settings, small_pdf: Path, tmp_path: Path
) -> None:
    client = api_client(settings, **NO_QUEUE)
    pdf = small_pdf.read_bytes()
    for name in ("../../../../tmp/evil.pdf", "/etc/passwd", "..\\..\\win.ini", "a/../../b.pdf", "\x00.pdf"):
        response = client.post(
            "/jobs", files={"file": (name, pdf, "application/pdf")}, data={"profile": "blind"}
        )
        assert response.status_code == 202, response.text
        job = client.get(f"/jobs/{response.json()['id']}").json()
        assert "/" not in job["filename"] and "\\" not in job["filename"] and job["filename"] != ".."
    assert not (tmp_path.parent / "evil.pdf").exists() and _only_known_files(settings) == []
    for data, code, status in (
        (b"GIF89a" + b"\x00" * 100, "input.unsupported", 415),
        (b"#!/bin/sh\nrm -rf /\n", "input.unsupported", 415),
        (b"", "input.empty", 422),
    ):
        response = client.post("/jobs", files={"file": ("cours.pdf", data)}, data={"profile": "blind"})
        assert response.status_code == status and response.json()["error"]["code"] == code
    assert list((settings.data_dir / "tmp").iterdir()) == []  # refused uploads leave nothing


def test_malformed_multipart_is_a_coded_400(settings: Settings) -> None:
    client = api_client(settings, **NO_QUEUE)
    bodies = [
        (b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF', "xyz"),  # cut
        (b"not multipart at all", "xyz"),
        (b"--xyz\r\nGarbage-Header\r\n\r\n--xyz--\r\n", "xyz"),
    ]
    for body, boundary in bodies:
        response = client.post(
            "/jobs", content=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )
        assert 400 <= response.status_code < 500, response.text
        assert response.json()["error"]["code"].startswith("request."), response.text
    response = client.post("/jobs", content=b"x", headers={"Content-Type": "multipart/form-data"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "request.invalid"


def test_a_batch_of_files_and_a_zip_for_one_profile(
    settings: Settings, small_pdf: Path, corpus: Path
) -> None:
    sent: list[tuple[str, str]] = []
    client = api_client(settings, "teacher", enqueue=lambda kind, job: sent.append((kind, job)))
    pdf, docx = small_pdf.read_bytes(), (corpus / "fixture-word.docx").read_bytes()
    archive = _zip(
        {
            "cours/annexe.docx": docx,
            "cours/chapitre 1.pdf": pdf,
            "cours/notes.txt": b"hello",
            "__MACOSX/._x": b"junk",
            "cours/": b"",
        }
    )
    response = client.post(
        "/batches",
        files=[("files", ("loose.pdf", pdf)), ("archive", ("semestre.zip", archive))],
        data={"profile": "blind", "outputs": "json,report", "name": "S1 biologie"},
    )
    assert response.status_code == 202, response.text
    batch = response.json()
    names = sorted(j["filename"] for j in batch["jobs"])
    assert names == ["annexe.docx", "chapitre 1.pdf", "loose.pdf"]
    assert [r["filename"] for r in batch["rejected"]] == ["notes.txt"]
    assert batch["rejected"][0]["error"]["code"] == "input.unsupported"
    assert batch["counts"] == {"queued": 3} and len(sent) == 3 and {k for k, _ in sent} == {"cpu"}
    # queued largest first, so the longest job does not start last and keep one worker alone at the end
    size = {j["id"]: j["input"]["bytes"] for j in batch["jobs"]}
    assert [size[job_id] for _, job_id in sent] == sorted(size.values(), reverse=True)
    assert (
        len(set(size.values())) > 1
    )  # the smaller DOCX comes before a PDF in the zip: the order says something
    assert client.get(f"/batches/{batch['id']}").json()["name"] == "S1 biologie"
    # the same PDF twice is stored once
    originals = list((settings.data_dir / "originals").rglob("*"))
    assert len([p for p in originals if p.is_file()]) == 2


def test_zips_with_traversal_names_or_bombs_are_refused_whole(settings: Settings, small_pdf: Path) -> None:
    client = api_client(settings, "staff", **NO_QUEUE)
    pdf = small_pdf.read_bytes()
    for bad in (
        {"ok.pdf": pdf, "../../etc/cron.d/x.pdf": pdf},
        {"/abs/path.pdf": pdf},
        {"C:/win/x.pdf": pdf},
    ):
        response = client.post(
            "/batches", files={"archive": ("bad.zip", _zip(bad))}, data={"profile": "blind"}
        )
        assert response.status_code == 422 and response.json()["error"]["code"] == "input.unsafe_archive"
    bomb = _zip({"bomb.pdf": b"%PDF-1.7\n" + b"\x00" * (30 * 1024 * 1024)})  # 30 MB of zeros in ~30 KB
    assert len(bomb) < 100_000
    response = client.post("/batches", files={"archive": ("bomb.zip", bomb)}, data={"profile": "blind"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "input.too_large"
    response = client.post(
        "/batches", files={"archive": ("x.zip", b"PK\x03\x04 not really")}, data={"profile": "blind"}
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == "input.corrupt"
    assert not (settings.data_dir / "jobs").exists() and _only_known_files(settings) == []
    assert client.get("/batches").json() == []  # nothing was half-created


def test_a_cohort_batch_uses_each_learners_stored_profile(settings: Settings, small_pdf: Path) -> None:
    staff = api_client(settings, "staff", institution="A", **NO_QUEUE)
    learners = {}
    for name, profile in (("ines", "dyslexia"), ("hugo", "low-vision")):
        user = staff.post("/users", json={"username": name, "role": "student", "password": "12345678"}).json()
        assert staff.put(f"/users/{user['id']}/profile", json={"profile": profile}).status_code == 200
        learners[name] = user["id"]
    nobody = staff.post("/users", json={"username": "sans-profil", "role": "student"}).json()
    response = staff.post(
        "/batches",
        files=[("files", ("td.pdf", small_pdf.read_bytes()))],
        data={"learners": "ines,hugo", "outputs": "html,report"},
    )
    assert response.status_code == 202, response.text
    jobs = {j["learner_id"]: j["profile"] for j in response.json()["jobs"]}
    assert jobs == {learners["ines"]: "dyslexia", learners["hugo"]: "low-vision"}
    refused = staff.post(
        "/batches",
        files=[("files", ("td.pdf", small_pdf.read_bytes()))],
        data={"learners": f"ines,{nobody['id']}"},
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "request.invalid"
    # each use of a profile is in the audit log, and the learner sees the job made for them
    actions = [e["action"] for e in staff.get(f"/audit?subject={learners['ines']}").json()]
    assert actions.count("profile.used") >= 2 and "profile.write" in actions
    login = (
        TestClient(staff.app).post("/auth/token", data={"username": "ines", "password": "12345678"}).json()
    )
    mine = (
        TestClient(staff.app)
        .get("/jobs", headers={"Authorization": f"Bearer {login['access_token']}"})
        .json()
    )
    assert [j["profile"] for j in mine] == ["dyslexia"]


def test_readability_preview_is_synchronous_and_keeps_no_copy(settings: Settings, small_pdf: Path) -> None:
    client = api_client(settings, "student", **NO_QUEUE)
    first = client.post("/preview/readability", files={"file": ("cours.pdf", small_pdf.read_bytes())})
    assert first.status_code == 200, first.text
    scores = first.json()
    assert scores["sections"] and scores["words"] > 20
    again = client.post("/preview/readability", files={"file": ("autre nom.pdf", small_pdf.read_bytes())})
    assert again.json() == scores
    assert (
        not (settings.data_dir / "originals").exists() and list((settings.data_dir / "tmp").iterdir()) == []
    )
    bad = client.post("/preview/readability", files={"file": ("x.pdf", b"nope")})
    assert bad.status_code == 415


def test_uploads_over_the_limit_are_413_with_or_without_content_length(
    tmp_path: Path, small_pdf: Path
) -> None:
    settings = make_settings(tmp_path, max_upload_bytes=50_000)
    client = api_client(settings, **NO_QUEUE)
    big = b"%PDF-1.7\n" + b"0" * 60_000
    response = client.post("/jobs", files={"file": ("gros.pdf", big)}, data={"profile": "blind"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "input.too_large"

    def chunks() -> object:  # no Content-Length: refused while streaming
        boundary = b"--b0\r\n"
        yield boundary + b'Content-Disposition: form-data; name="profile"\r\n\r\nblind\r\n'
        yield boundary + b'Content-Disposition: form-data; name="file"; filename="g.pdf"\r\n\r\n'
        for _ in range(20):
            yield b"%" * 10_000
        yield b"\r\n--b0--\r\n"

    response = client.post(
        "/jobs", content=chunks(), headers={"Content-Type": "multipart/form-data; boundary=b0"}
    )
    assert response.status_code == 413, response.text
    assert not (settings.data_dir / "originals").exists()
    _uid, _tok = make_user(settings, "student")
