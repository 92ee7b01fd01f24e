"""The release form of the review workspace and the gate (no browser needed: the journey in
test_review_flags.py refuses, edits and releases in Chromium; the explicit confirmation is checked here)."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from service_helpers import make_settings, make_user
from test_release_states import _signed_in
from web_fixtures import PASSWORD

from inclusio.api import review
from inclusio.model import Flag
from inclusio.store.accounts import UserStore
from inclusio.store.files import FileStore
from inclusio.store.jobs import JobStore


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]


def test_the_release_form_is_refused_then_accepted_with_the_confirmation_box(tmp_path: Path) -> None:
    from review_helpers import _reviewable_job

    from inclusio.auth.policy import Principal
    from inclusio.server import create_app

    settings = make_settings(tmp_path)
    make_user(settings, "staff", username="rania", password=PASSWORD)
    store, files = JobStore.from_settings(settings), FileStore.from_settings(settings)
    store.migrate()
    job_id = _reviewable_job(settings, store)
    job = store.get(job_id)
    doc = review.load_document(files, job)
    review.edit_block(doc, "p1", "easy_read", "La cellule vit.", Principal("x", "x", "staff", "default"))
    [edited] = doc.find("p1").adaptations
    doc.find("p1").adaptations = [
        edited.model_copy(
            update={
                "provenance": edited.provenance.model_copy(update={"engine": "offline", "reviewed_by": None}),
                "flags": [
                    Flag(
                        code="verify.fact_dropped",
                        reason="the name 'Mendel' is missing",
                        reason_fr="le nom « Mendel » a disparu",
                    )
                ],
            }
        )
    ]
    review.save_document(files, job, doc)

    client = TestClient(create_app(settings))  # the release goes to the embedded queue (no worker here)
    _signed_in(client, "rania")
    page = client.get(f"/web/review/{job_id}").text
    assert "le nom « Mendel » a disparu" in page and 'id="accept-unreviewed"' in page
    # Without the box: back to the review page, the refusal and its code next to the release button.
    answer = client.post(
        f"/web/review/{job_id}/release", data={"csrf_token": _csrf(page)}, follow_redirects=False
    )
    assert (
        answer.status_code == 303
        and answer.headers["location"] == f"/web/review/{job_id}?refused=1#release-h"
    )
    refused = client.get(answer.headers["location"]).text
    alert = refused.split('<div class="problem" role="alert" id="release-problem">')[1].split("</div>")[0]
    assert (
        "1 bloc(s) signalé(s) ne sont pas encore relus." in alert and ": review.unreviewed_flags</p>" in alert
    )
    assert store.get(job_id).release_state is None and review.accepted_release(files, job_id) is None
    # With the box ticked: queued, the confirmation recorded for the worker and in the audit log.
    answer = client.post(
        f"/web/review/{job_id}/release",
        data={"csrf_token": _csrf(refused), "accept_unreviewed": "yes"},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == f"/web/jobs/{job_id}"
    assert store.get(job_id).release_state == "releasing"
    accepted = review.accepted_release(files, job_id)
    assert accepted is not None and accepted["by"] == "rania" and accepted["flagged_blocks"] == 1
    rania = UserStore(store.engine).by_username("rania")
    assert rania is not None
    entries = [e for e in UserStore(store.engine).audit_entries() if e.action == "release.accept_unreviewed"]
    assert [(e.actor_id, e.details) for e in entries] == [(rania.id, {"count": 1})]
    store.dispose()
