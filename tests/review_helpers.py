"""Helpers shared by the API, release-gate and review tests (they were private to tests/api/test_api.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from inclusio.adapt.engine import adapt_document
from inclusio.config import Settings
from inclusio.model.document import Document, Heading, Paragraph, SourceInfo
from inclusio.profiles import load_profile
from inclusio.store.jobs import JobStore

PROFILES = Path(__file__).resolve().parents[1] / "profiles"


def _error(response: object, status: int) -> dict[str, str]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()["error"]  # type: ignore[attr-defined]
    assert body["message"] and body["message_fr"] and body["message"] != body["message_fr"]
    return dict(body)


def _wait_release(
    client: TestClient, job_id: str, worker: object, whole: Callable[[bytes], bool], timeout: float = 180
) -> dict[str, Any]:
    """Poll the job until its release is no longer under way, downloading its HTML each time (``whole``)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/jobs/{job_id}").json()
        if job["release"]["state"] != "releasing":
            return dict(job)
        served = client.get(f"/jobs/{job_id}/artifacts/html")
        assert served.status_code == 200 and whole(served.content), served.text[:300]
        time.sleep(0.1)
    pytest.fail(f"the release of {job_id} did not end in {timeout} s:\n{worker.log()[-4000:]}")  # type: ignore[attr-defined]


def _reviewable_job(settings: Settings, store: JobStore, *, finished: bool = True) -> str:
    """A job with its Document (the json output) in its folder, as a worker leaves it (no conversion run)."""
    from inclusio.model.document import Document, Paragraph, SourceInfo

    job = store.create(
        profile_id="dyslexia",
        filename="cours.pdf",
        input_sha256="0" * 64,
        input_path="originals/00/" + "0" * 64,
        input_bytes=1,
        outputs=["json"],
        institution="default",
    )
    doc = Document(
        title="Cours",
        source=SourceInfo(filename="cours.pdf", media_type="application/pdf", sha256="0" * 64),
        blocks=[Paragraph(id="p1", text="La cellule.")],
    )
    folder = settings.data_dir / "jobs" / job.id
    folder.mkdir(parents=True)
    (folder / "cours.document.json").write_text(doc.to_json())
    if finished:
        store.start(job.id)
        store.finish(
            job.id,
            status="succeeded",
            artifacts={"json": {"file": "cours.document.json", "media_type": "application/json"}},
        )
    return job.id


def lexicon_course(settings: Settings) -> Document:
    """A French course using ADN, HTML and CO2 (in inclusio's acronym lexicon) and XQZ (in no list), adapted
    offline for easy-to-read: lexicon entries flagged, XQZ to define."""
    source = Document(
        title="La cellule et le web",
        lang="fr",
        source=SourceInfo(filename="cours.pdf", media_type="application/pdf", sha256="0" * 64),
        blocks=[
            Heading(id="h1", level=1, text="La cellule et le web"),
            Paragraph(id="p1", text="Le noyau contient l'ADN de la cellule. L'ADN porte les gènes."),
            Paragraph(
                id="p2", text="Une page web est écrite en HTML. Le code XQZ du laboratoire sert aux tests."
            ),
            Paragraph(id="p3", text="La plante prend le CO2 de l'air pour fabriquer du sucre."),
        ],
    )
    profile = load_profile("easy-read", PROFILES)
    return adapt_document(source, profile, settings, created_at="2024-09-02T08:00:00+00:00").document


def stored_job(
    settings: Settings,
    store: JobStore,
    doc: Document,
    profile_id: str = "easy-read",
    owner_id: str | None = None,
) -> str:
    """A finished job for ``profile_id`` whose stored document is ``doc`` (no worker needed), owned by
    ``owner_id`` when given."""
    job = store.create(
        profile_id=profile_id,
        filename="cours.pdf",
        input_sha256="0" * 64,
        input_path="originals/00/" + "0" * 64,
        input_bytes=1,
        outputs=["json"],
        institution="default",
        owner_id=owner_id,
    )
    folder = settings.data_dir / "jobs" / job.id
    folder.mkdir(parents=True)
    (folder / "cours.document.json").write_text(doc.to_json())
    store.start(job.id)
    store.finish(
        job.id,
        status="succeeded",
        artifacts={"json": {"file": "cours.document.json", "media_type": "application/json"}},
    )
    return job.id
