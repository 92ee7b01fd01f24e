"""What the job page and its JSON say of a release in each state, in French and English (no browser needed:
the journeys in test_journeys.py follow a real release; failures and dead workers are set up here)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from service_helpers import make_settings, make_user
from sqlalchemy import update
from web_fixtures import PASSWORD

from inclusio.store.accounts import UserStore
from inclusio.store.jobs import JobStore
from inclusio.store.models import Job, utcnow


def _signed_in(client: TestClient, username: str) -> None:
    page = client.get("/web/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    answer = client.post(
        "/web/sign-in",
        data={"username": username, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


def test_the_job_page_says_releasing_failed_with_its_code_or_stalled(tmp_path: Path) -> None:
    from inclusio.server import create_app

    settings = make_settings(tmp_path)
    make_user(settings, "student", username="lea", password=PASSWORD)
    store = JobStore.from_settings(settings)
    store.migrate()
    lea = UserStore(store.engine).by_username("lea").id  # type: ignore[union-attr]
    job = store.create(
        profile_id="dyslexia",
        filename="cours.pdf",
        input_sha256="0" * 64,
        input_path="originals/00/" + "0" * 64,
        input_bytes=1,
        owner_id=lea,
        institution="default",
    )
    store.start(job.id)
    store.finish(job.id, status="succeeded")
    client = TestClient(create_app(settings, enqueue=lambda _k, _j: None))
    _signed_in(client, "lea")

    def set_release(**values: object) -> None:
        with store.session() as session:
            session.execute(update(Job).where(Job.id == job.id).values(**values))

    set_release(
        release_state="releasing", release_token="a" * 32, release_beat_at=utcnow(), released_by="staff1"
    )
    page = client.get(f"/web/jobs/{job.id}").text
    assert 'data-state="releasing"' in page and "Publication de la version relue en cours." in page
    assert client.get(f"/web/jobs/{job.id}/state.json").json()["release"] == "releasing"

    set_release(release_beat_at=utcnow() - timedelta(seconds=settings.job_stuck_seconds + 5))
    state = client.get(f"/web/jobs/{job.id}/state.json").json()
    assert state["release"] == "stalled" and state["release_text"].startswith("La publication semble arrêtée")

    error = {
        "stage": "release",
        "code": "profile.not_found",
        "message": "No profile has this name.",
        "message_fr": "Aucun profil ne porte ce nom.",
    }
    set_release(release_state="failed", release_token=None, release_errors=[error])
    page = client.get(f"/web/jobs/{job.id}").text
    assert "La publication de la version relue a échoué. Les fichiers précédents restent disponibles." in page
    assert "<strong>profile.not_found</strong> : Aucun profil ne porte ce nom." in page
    client.get("/web/lang/en")
    page = client.get(f"/web/jobs/{job.id}").text
    assert "Releasing the reviewed version failed. The previous files are still available." in page
    assert "No profile has this name." in page

    set_release(release_state="released", released_at=utcnow(), release_errors=[])
    state = client.get(f"/web/jobs/{job.id}/state.json").json()
    assert re.fullmatch(
        r"New version released by disability services\. Released on \S+ \S+ by staff1\.",
        state["release_text"],
    ), state

    # A release whose audio failed leaves the job partial: the page's status word and the release's news say it.
    set_release(status="partial")
    state = client.get(f"/web/jobs/{job.id}/state.json").json()
    assert state["status"] == "partial" and state["status_text"] == "partly done"
    assert state["release_text"].endswith(" by staff1. Document status: partly done."), state
    client.get("/web/lang/fr")
    page = client.get(f"/web/jobs/{job.id}").text
    assert '<span class="status status-partial" id="job-status-word">terminé en partie</span>' in page
    assert " par staff1. État du document : terminé en partie.</p>" in page

    # The dashboard's rows are for staff only.
    assert client.get(f"/web/staff/queue/rows?ids={job.id}").status_code == 403
    store.dispose()
