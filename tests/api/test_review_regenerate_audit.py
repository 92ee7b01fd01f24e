"""The review API answers as the review workspace does (issue #17): regenerating a block into the same text
changes nothing (``changed: false``, a message in English and French, no new version of the draft saved), and
approvals through the API are written to the audit log (``review.approve``, how many, never which text)."""

from __future__ import annotations

from pathlib import Path

from review_helpers import stored_job
from service_helpers import api_client, make_settings

from inclusio.model.document import Document, Paragraph, SourceInfo
from inclusio.store.accounts import UserStore
from inclusio.store.jobs import JobStore

LONG = (
    "La photosynthèse, qui est un processus biologique fondamental que réalisent les plantes vertes, les algues "
    "et certaines bactéries, permet de transformer l'énergie lumineuse en énergie chimique."
)


def _job(settings, owner_id: str) -> str:  # type: ignore[no-untyped-def]
    """A finished easy-to-read job with its Document in its folder, as a worker leaves it."""
    doc = Document(
        title="Cours",
        lang="fr",
        source=SourceInfo(filename="cours.pdf", media_type="application/pdf", sha256="0" * 64),
        blocks=[Paragraph(id="p1", text=LONG)],
    )
    store = JobStore.from_settings(settings)
    try:
        return stored_job(settings, store, doc, owner_id=owner_id)
    finally:
        store.dispose()


def _approvals(settings) -> list[tuple[str, dict]]:  # type: ignore[no-untyped-def]
    store = JobStore.from_settings(settings)
    try:
        entries = UserStore(store.engine).audit_entries(institution="default")
        return [(e.action, e.details) for e in entries if e.action.startswith("review.")]
    finally:
        store.dispose()


def test_regenerating_into_the_same_text_changes_nothing_and_says_so(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    staff = api_client(settings, "staff", enqueue=lambda _kind, _job: None)
    job_id = _job(settings, staff.user_id)  # type: ignore[attr-defined]
    url = f"/jobs/{job_id}/blocks/p1/regenerate"
    first = staff.post(url, json={"kind": "easy_read"})
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["changed"] is True and body["text"] and body["message"] is None
    draft = settings.data_dir / "jobs" / job_id / "review.document.json"
    saved = draft.read_bytes()
    again = staff.post(
        url, json={"kind": "easy_read"}
    )  # the offline rules give the same text on the same input
    assert again.status_code == 200, again.text
    same = again.json()
    assert same["changed"] is False and same["text"] == body["text"]
    assert (
        same["adaptation"] == body["adaptation"]
    )  # the same adaptation (its time, its provenance), not a copy
    assert "nothing changed" in same["message"] and "rien n'a changé" in same["message_fr"]
    assert draft.read_bytes() == saved  # no new version of the draft
    # approved, then regenerated into the same text: it stays approved (the web keeps the block's state too)
    approved = staff.post(f"/jobs/{job_id}/blocks/p1/approve", json={"kind": "easy_read"})
    assert approved.status_code == 200 and approved.json()["adaptation"]["provenance"]["reviewed_by"]
    kept = staff.post(url, json={"kind": "easy_read"}).json()
    assert kept["changed"] is False and kept["adaptation"]["provenance"]["reviewed_by"]


def test_approvals_through_the_api_are_in_the_audit_log(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    staff = api_client(settings, "staff", enqueue=lambda _kind, _job: None)
    job_id = _job(settings, staff.user_id)  # type: ignore[attr-defined]
    assert staff.post(f"/jobs/{job_id}/blocks/p1/regenerate", json={"kind": "easy_read"}).status_code == 200
    assert _approvals(settings) == []  # a regeneration is no approval
    assert staff.post(f"/jobs/{job_id}/blocks/p1/approve", json={"kind": "easy_read"}).status_code == 200
    assert _approvals(settings) == [("review.approve", {"count": 1})]
    edited = staff.put(
        f"/jobs/{job_id}/blocks/p1/adaptation",
        json={
            "kind": "easy_read",
            "text": "La photosynthèse transforme la lumière en énergie.",
            "approve": True,
        },
    )
    assert edited.status_code == 200, edited.text
    saved_only = staff.put(
        f"/jobs/{job_id}/blocks/p1/adaptation",
        json={"kind": "easy_read", "text": "La plante transforme la lumière en énergie.", "approve": False},
    )
    assert saved_only.status_code == 200, saved_only.text
    assert _approvals(settings) == [("review.approve", {"count": 1})] * 2  # the edit without approval: none
