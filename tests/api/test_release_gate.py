"""Every flag on a generated text reaches a person (issue #11): the report lists the flags, the API counts the
unreviewed ones, and a release with a flagged block nobody reviewed is refused (``review.unreviewed_flags``)
unless staff confirm it, which the audit log, the job and the released report record.

The job is made by the real pipeline (offline engine, on a worker); flags are then put on some of its
adaptations in the job's review document, as the verifier would have left them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from review_helpers import _error, _wait_release
from service_helpers import api_client, submit, wait_finished
from test_glossary_review import review_glossary

from inclusio.api import review
from inclusio.auth.policy import Principal
from inclusio.config import Settings
from inclusio.model import Flag
from inclusio.model.document import Document
from inclusio.model.flags import flags_report, unreviewed_blocks
from inclusio.store.files import FileStore
from inclusio.store.jobs import JobStore


def _flag_blocks(settings: Settings, job_id: str, count: int) -> list[str]:
    """Put a ``verify.number_changed`` flag on ``count`` unflagged easy-to-read adaptations of the job's review
    document (saved as the reviewer's draft); returns their block ids."""
    store, files = JobStore.from_settings(settings), FileStore.from_settings(settings)
    job = store.get(job_id)
    doc = review.load_document(files, job)
    chosen: list[str] = []
    for block in doc.blocks:
        adaptation = block.adaptation("easy_read")
        if (
            adaptation is None
            or adaptation.needs_review
            or adaptation.provenance.reviewed_by
            or len(chosen) == count
        ):
            continue
        flag = Flag(
            code="verify.number_changed",
            reason=f"the number 6 in block {block.id} became 7",
            reason_fr=f"le nombre 6 du bloc {block.id} est devenu 7",
        )
        block.adaptations = [
            a.model_copy(update={"flags": [flag]}) if a is adaptation else a for a in block.adaptations
        ]
        chosen.append(block.id)
    assert len(chosen) == count, f"the job has fewer than {count} easy-to-read adaptations to flag"
    review.save_document(files, job, doc)
    store.dispose()
    return chosen


def _document(client: TestClient, job_id: str) -> Document:
    return Document.model_validate(client.get(f"/jobs/{job_id}/document").json())


def _report(client: TestClient, job_id: str) -> dict[str, Any]:
    answer = client.get(f"/jobs/{job_id}/artifacts/report")
    assert answer.status_code == 200, answer.text
    return dict(json.loads(answer.content))


def test_flags_are_reported_counted_and_hold_the_release_until_reviewed_or_confirmed(
    settings: Settings, small_pdf: Path, start_worker: object
) -> None:
    worker = start_worker(settings)  # type: ignore[operator]
    staff = api_client(settings, "staff")
    job_id = submit(staff, small_pdf, profile="easy-read", outputs="json,html,report")
    assert wait_finished(staff, job_id, worker)["status"] == "succeeded"

    # The report lists every flag of the document the pipeline made, with the same counts as the model.
    made = _document(staff, job_id)
    section = _report(staff, job_id)["review"]
    assert section == json.loads(json.dumps(flags_report(made)))
    assert set(section["summary"]) == {
        "flags",
        "by_code",
        "unreviewed_flags",
        "unreviewed_blocks",
        "glossary_unreviewed",
    }
    baseline = len(unreviewed_blocks(made))

    # Two blocks flagged (as the verifier would): the job says so, the report of the draft lists them.
    flagged = _flag_blocks(settings, job_id, 2)
    counts = staff.get(f"/jobs/{job_id}").json()["review"]
    assert counts["unreviewed_blocks"] == baseline + 2 and counts["unreviewed_flags"] >= 2
    entries = [e for e in flags_report(_document(staff, job_id))["blocks"] if e["block_id"] in flagged]
    assert [(e["block_id"], e["kind"], e["code"], e["engine"], e["reviewed"]) for e in entries] == [
        (flagged[0], "easy_read", "verify.number_changed", "offline", False),
        (flagged[1], "easy_read", "verify.number_changed", "offline", False),
    ]
    assert entries[0]["reason_fr"] == f"le nombre 6 du bloc {flagged[0]} est devenu 7"

    # Refused with the code, in French and English, saying how many and what to do.
    error = _error(staff.post(f"/jobs/{job_id}/release"), 409)
    assert error["code"] == "review.unreviewed_flags"
    assert error["details"]["flagged_blocks"] == baseline + 2 and set(flagged) <= set(
        error["details"]["blocks"]
    )
    assert f"{baseline + 2} flagged block(s)" in error["message"] and "accept_unreviewed" in error["message"]
    assert f"{baseline + 2} bloc(s) signalé(s)" in error["message_fr"]
    assert staff.get(f"/jobs/{job_id}").json()["release"] is None  # nothing was queued

    # Editing one (without the approve box) and approving the other clears them; so for any other flag.
    edited = "La cellule vit. Une personne a relu ce passage."
    assert (
        staff.put(
            f"/jobs/{job_id}/blocks/{flagged[0]}/adaptation", json={"kind": "easy_read", "text": edited}
        ).status_code
        == 200
    )
    assert staff.get(f"/jobs/{job_id}").json()["review"]["unreviewed_blocks"] == baseline + 1
    for block in unreviewed_blocks(_document(staff, job_id)):
        assert (
            staff.post(f"/jobs/{job_id}/blocks/{block.id}/approve", json={"kind": "easy_read"}).status_code
            == 200
        )
    assert staff.get(f"/jobs/{job_id}").json()["review"]["unreviewed_blocks"] == 0
    draft = _document(staff, job_id)
    [human] = [a for a in draft.find(flagged[0]).adaptations if a.kind == "easy_read"]
    assert human.provenance.engine == "human" and human.provenance.reviewed_by and not human.needs_review
    assert [f.code for f in human.flags] == ["verify.number_changed"]  # kept as history, cleared by the edit

    # The glossary's terms to define (and flagged definitions) hold the release back too: staff review them.
    refused = _error(staff.post(f"/jobs/{job_id}/release"), 409)
    assert refused["details"]["flagged_blocks"] == 0 and refused["details"]["glossary_terms"] >= 1
    review_glossary(staff, job_id)
    assert staff.get(f"/jobs/{job_id}").json()["review"]["glossary_unreviewed"] == 0

    # Accepted after review: released, no confirmation recorded, the page marks nothing.
    answer = staff.post(f"/jobs/{job_id}/release")
    assert answer.status_code == 202, answer.text
    job = _wait_release(staff, job_id, worker, lambda html: True)
    assert job["release"]["state"] == "released" and "unreviewed" not in job["message"]
    page = staff.get(f"/jobs/{job_id}/artifacts/html").text
    assert edited in page and 'class="unreviewed-note"' not in page
    released = _report(staff, job_id)["review"]
    assert "release_confirmed" not in released and released["summary"]["unreviewed_blocks"] == 0

    # Flagged again, released with the explicit confirmation: recorded in the audit log, the job and the report.
    [again] = _flag_blocks(settings, job_id, 1)
    assert _error(staff.post(f"/jobs/{job_id}/release"), 409)["code"] == "review.unreviewed_flags"
    answer = staff.post(f"/jobs/{job_id}/release", json={"accept_unreviewed": True})
    assert answer.status_code == 202, answer.text
    assert answer.json()["review"]["unreviewed_blocks"] == 1
    audit = staff.get(f"/audit?subject={staff.user_id}").json()  # type: ignore[attr-defined]
    [entry] = [e for e in audit if e["action"] == "release.accept_unreviewed"]
    assert entry["details"] == {"count": 1} and entry["actor_id"] == staff.user_id  # type: ignore[attr-defined]
    job = _wait_release(staff, job_id, worker, lambda html: True)
    assert job["release"]["state"] == "released"
    assert job["message"].endswith(
        f"; 1 flagged block(s) released unreviewed, confirmed by {job['release']['by']}"
    )
    confirmed = _report(staff, job_id)["review"]["release_confirmed"]
    assert confirmed["flagged_blocks"] == 1 and confirmed["by"] == job["release"]["by"] and confirmed["at"]
    # The reviewer's draft moved with the outputs: the block stays flagged until a person reviews it.
    assert [b.id for b in unreviewed_blocks(_document(staff, job_id))] == [again]
    assert staff.get(f"/jobs/{job_id}").json()["review"]["unreviewed_blocks"] == 1


def test_the_gate_needs_no_worker_and_the_confirmation_is_only_for_that_release(settings: Settings) -> None:
    from review_helpers import _reviewable_job

    staff = api_client(settings, "staff")  # the release message goes to the (unconsumed) embedded queue
    store, files = JobStore.from_settings(settings), FileStore.from_settings(settings)
    job_id = _reviewable_job(settings, store)
    doc = review.load_document(files, store.get(job_id))
    who = Principal(id="x", username="staff-x", role="staff", institution="default")
    review.edit_block(doc, "p1", "easy_read", "La cellule.", who)
    [adaptation] = doc.find("p1").adaptations
    machine = adaptation.model_copy(
        update={
            "provenance": adaptation.provenance.model_copy(
                update={"engine": "mistral", "reviewed_by": None, "reviewed_at": None}
            ),
            "flags": [Flag(code="adapt.model_fallback", reason="the model's answer was refused")],
        }
    )
    doc.find("p1").adaptations = [machine]
    review.save_document(files, store.get(job_id), doc)

    assert staff.get(f"/jobs/{job_id}").json()["review"] == {
        "flags": 1,
        "unreviewed_flags": 1,
        "unreviewed_blocks": 1,
        "glossary_unreviewed": 0,
    }
    assert (
        _error(staff.post(f"/jobs/{job_id}/release", json={"accept_unreviewed": False}), 409)["code"]
        == "review.unreviewed_flags"
    )
    assert staff.post(f"/jobs/{job_id}/release", json={"accept_unreviewed": True}).status_code == 202
    accepted = review.accepted_release(files, job_id)
    assert accepted is not None and accepted["flagged_blocks"] == 1 and accepted["blocks"] == ["p1"]
    # Once the block is approved, a later release removes the old confirmation (nothing left to accept).
    assert staff.post(f"/jobs/{job_id}/blocks/p1/approve", json={"kind": "easy_read"}).status_code == 200
    from datetime import timedelta

    from sqlalchemy import update

    from inclusio.store.models import Job, utcnow

    with store.session() as session:  # the first release's worker never came: let it be superseded
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(release_beat_at=utcnow() - timedelta(seconds=settings.job_stuck_seconds + 5))
        )
    assert staff.post(f"/jobs/{job_id}/release").status_code == 202
    assert review.accepted_release(files, job_id) is None
    store.dispose()
