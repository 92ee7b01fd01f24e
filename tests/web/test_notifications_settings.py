"""Display settings belong to the account, the notification list and the e-mail opt-in on the student's page
(no worker: the pages against a real database; tests/web/test_notifications.py sends real mails)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_helpers import make_settings, make_user
from web_fixtures import PASSWORD

from inclusio.notify import job_event
from inclusio.store.accounts import UserStore
from inclusio.store.jobs import JobStore

SAVED = "--reader-size:1.50rem"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from inclusio.server import create_app

    settings = make_settings(tmp_path_factory.mktemp("settings"))
    for name in ("lea", "max", "noe"):
        make_user(settings, "student", username=name, password=PASSWORD)
    store = JobStore.from_settings(settings)
    store.migrate()
    app = create_app(settings, enqueue=lambda _k, _j: None)
    yield {"settings": settings, "store": store, "users": UserStore(store.engine), "app": app}
    store.dispose()


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def _sign_in(client: TestClient, username: str) -> Any:
    token = _csrf(client.get("/web/sign-in").text)
    answer = client.post(
        "/web/sign-in",
        data={"username": username, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return answer


def _sign_out(client: TestClient) -> None:
    token = _csrf(client.get("/web/student").text)
    client.post("/web/sign-out", data={"csrf_token": token}, follow_redirects=False)


def test_display_settings_are_the_accounts_on_every_browser_and_never_the_next_persons(
    site: dict[str, Any],
) -> None:
    first = TestClient(site["app"])
    _sign_in(first, "lea")
    form = {
        "profile": "dyslexia",
        "font": "dys",
        "size": "150",
        "line": "2",
        "letter": "0.1",
        "action": "save",
    }
    saved = first.post(
        "/web/student/profile", data={**form, "csrf_token": _csrf(first.get("/web/student").text)}
    )
    # applied on the page where they are saved, and stored with the account, not in a cookie
    assert saved.status_code == 200 and SAVED in saved.text and "--reader-font:OpenDyslexic" in saved.text
    assert "inclusio_reading=" not in saved.headers.get("set-cookie", "")
    lea = site["users"].by_username("lea").id
    assert site["users"].get_settings(lea).reading == {
        "font": "dys",
        "size": 150.0,
        "line": 2.0,
        "letter": 0.1,
    }

    second = TestClient(site["app"])  # another computer: the same settings once signed in
    _sign_in(second, "lea")
    assert SAVED in second.get("/web/student").text

    _sign_out(first)  # a shared computer: the next student does not get them
    _sign_in(first, "max")
    page = first.get("/web/student").text
    assert SAVED not in page and "--reader-font" not in page


def test_the_display_cookie_serves_only_before_sign_in_and_is_dropped_at_sign_in(
    site: dict[str, Any],
) -> None:
    client = TestClient(site["app"])
    client.cookies.set("inclusio_reading", '{"size":200}')
    assert "--reader-size:2.00rem" in client.get("/web/sign-in").text
    answer = _sign_in(client, "noe")
    assert 'inclusio_reading=""' in answer.headers.get("set-cookie", "")  # deleted
    client.cookies.set(
        "inclusio_reading", '{"size":200}'
    )  # even if it came back, a signed-in page ignores it
    assert "--reader-size:2.00rem" not in client.get("/web/student").text


def test_the_notification_list_shows_new_entries_once_then_marks_them_read(site: dict[str, Any]) -> None:
    store, users = site["store"], site["users"]
    max_ = users.by_username("max").id
    done = store.create(
        profile_id="dyslexia",
        filename="chimie-organique.pdf",
        input_sha256="c" * 64,
        input_path="originals/cc/" + "c" * 64,
        input_bytes=1,
        owner_id=max_,
        institution="default",
    )
    store.start(done.id)
    store.finish(done.id, status="partial")
    note = job_event(store, site["settings"], done.id, "finished")
    assert note is not None and note.email_state is None  # not opted in, and no mail server
    client = TestClient(site["app"])
    _sign_in(client, "max")
    page = client.get("/web/student").text
    entry = re.search(r'<li class="unread">(.*?)</li>', page, re.S)
    assert entry, page
    assert "nouveau" in entry.group(1) and f'href="/web/jobs/{done.id}"' in entry.group(1)
    assert "« chimie-organique.pdf » est prêt en partie." in entry.group(1)
    again = client.get("/web/student").text
    assert "« chimie-organique.pdf » est prêt en partie." in again and 'class="unread"' not in again
    client.get("/web/lang/en")
    english = client.get("/web/student").text
    assert (
        "“chimie-organique.pdf” is partly ready." in english
        and "E-mail me when a document is ready" in english
    )
    # another student's list does not hold it
    other = TestClient(site["app"])
    _sign_in(other, "noe")
    assert "chimie-organique.pdf" not in other.get("/web/student").text


def test_the_email_opt_in_checks_the_address_and_opting_out_erases_it(site: dict[str, Any]) -> None:
    client = TestClient(site["app"])
    _sign_in(client, "noe")
    noe = site["users"].by_username("noe").id

    def post(**data: str) -> Any:
        token = _csrf(client.get("/web/student").text)
        return client.post("/web/student/notifications", data={"csrf_token": token, **data})

    assert site["users"].get_settings(noe) is None  # off by default
    bad = post(email_notice="on", email="noe@example.org\r\nBcc: x@evil.example")
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.text
    assert site["users"].get_settings(noe) is None
    good = post(email_notice="on", email=" noe@example.org ")
    assert good.status_code == 200 and "Choix enregistré. Ce service" in good.text
    row = site["users"].get_settings(noe)
    assert row.notify_email and row.email == "noe@example.org"
    assert 'id="email-notice" name="email_notice" value="on" checked' in good.text
    off = post(email="noe@example.org")  # box unticked
    assert off.status_code == 200 and "votre adresse a été effacée" in off.text
    row = site["users"].get_settings(noe)
    assert not row.notify_email and row.email is None
    # without a session the form is refused (no CSRF token of a session)
    assert (
        TestClient(site["app"]).post("/web/student/notifications", data={"email_notice": "on"}).status_code
        == 403
    )


def test_a_job_the_watchdog_fails_after_its_last_lost_attempt_is_notified_to_its_student(
    site: dict[str, Any],
) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from inclusio.store.models import Job, utcnow
    from inclusio.store.notifications import NotificationStore
    from workers.tasks import run_watchdog_once

    store, settings = site["store"], site["settings"]
    lea = site["users"].by_username("lea").id
    job = store.create(
        profile_id="dyslexia",
        filename="perdu.pdf",
        input_sha256="d" * 64,
        input_path="originals/dd/" + "d" * 64,
        input_bytes=1,
        owner_id=lea,
        institution="default",
    )
    store.start(job.id)  # a worker took it, then died on its last attempt
    with store.session() as session:
        session.execute(
            update(Job)
            .where(Job.id == job.id)
            .values(attempts=settings.job_max_attempts, heartbeat_at=utcnow() - timedelta(hours=1))
        )
    actions = run_watchdog_once(settings, lambda _name, _job: None)
    assert [(a.job_id, a.action) for a in actions] == [(job.id, "failed")]
    notes = [(n.job_id, n.event, n.status) for n, _ in NotificationStore(store.db).list_for(lea)]
    assert (job.id, "finished", "failed") in notes
