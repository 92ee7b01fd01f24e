"""The e-mail telling a student that a document is ready, against a real local SMTP server (aiosmtpd) and a
real worker: sent when a job finishes and when its reviewed version is released, not sent to a student who
did not opt in, and holding no document text, file name, title or profile. A mail server that does not
answer never fails the job: the mail is tried a bounded number of times, then given up with its code."""

from __future__ import annotations

import email
import email.policy
import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from service_helpers import RunningWorker, free_port, make_settings, make_user, wait_finished
from web_fixtures import PASSWORD

from inclusio.store.accounts import UserStore
from inclusio.store.jobs import JobStore
from inclusio.store.notifications import NotificationStore

BASE_URL = "https://inclusio.univ.example"
FILENAME = "bilan-zebre-confidentiel.md"
TITLE = "Les zèbres de Camargue"
TEXT = "Le zèbre rayé broute l'herbe salée des marais."
SECRETS = ("zebre", "zèbre", "Camargue", "confidentiel", "marais", "dyslexia", "Dyslexie", FILENAME)


class Inbox:
    """aiosmtpd handler keeping every message it is given."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.original_content or envelope.content)))
        return "250 OK"

    def wait_for(self, count: int, worker: RunningWorker, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                pytest.fail(f"{len(self.messages)} mail(s) of {count} arrived:\n{worker.log()[-4000:]}")
            time.sleep(0.1)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from aiosmtpd.controller import Controller

    from inclusio.server import create_app

    tmp = tmp_path_factory.mktemp("notify")
    inbox = Inbox()
    port = free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    settings = make_settings(
        tmp,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls=False,
        base_url=BASE_URL,
        smtp_from="inclusio@univ.example",
        smtp_retry_seconds=1,
    )
    for name in ("lea", "max", "noe"):
        make_user(settings, "student", username=name, password=PASSWORD)
    _staff_id, staff_token = make_user(settings, "staff")
    worker = RunningWorker(settings, tmp / "worker.log")
    store = JobStore.from_settings(settings)
    state: dict[str, Any] = {"smtp": smtp}
    try:
        worker.wait_ready()
        app = create_app(settings)
        staff = TestClient(app)
        staff.headers["Authorization"] = f"Bearer {staff_token}"
        state.update(
            settings=settings, app=app, staff=staff, inbox=inbox, worker=worker, store=store, port=port
        )
        yield state
    finally:
        worker.kill()  # nothing of its shutdown is checked (RunningWorker.kill)
        state["smtp"].stop()  # the last one started (a test restarts it)
        store.dispose()


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def _student(app: Any, username: str, *, email_to: str | None) -> TestClient:
    client = TestClient(app)
    token = _csrf(client.get("/web/sign-in").text)
    client.post("/web/sign-in", data={"username": username, "password": PASSWORD, "csrf_token": token})
    token = _csrf(client.get("/web/student").text)
    client.post("/web/student/profile", data={"csrf_token": token, "profile": "dyslexia", "action": "save"})
    if email_to:
        answer = client.post(
            "/web/student/notifications", data={"csrf_token": token, "email_notice": "on", "email": email_to}
        )
        assert "Vous serez prévenu·e par courriel." in answer.text
    return client


def _read(raw: bytes) -> tuple[Any, str]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    return message, message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def _holds_nothing_of_the_document(raw: bytes) -> None:
    message, body = _read(raw)
    seen = (str(message["Subject"]) + "\n" + body + "\n" + raw.decode("utf-8", "replace")).lower()
    for secret in SECRETS:
        assert secret.lower() not in seen, secret


@pytest.mark.slow
def test_mails_on_finish_and_on_release_only_to_the_student_who_opted_in(
    service: dict[str, Any], tmp_path: Path
) -> None:
    inbox, worker, staff = service["inbox"], service["worker"], service["staff"]
    lea = _student(service["app"], "lea", email_to="lea@example.org")
    _student(service["app"], "max", email_to=None)
    source = tmp_path / FILENAME
    source.write_text(f"# {TITLE}\n\n{TEXT}\n", encoding="utf-8")

    # Léa's own request, from her page
    token = _csrf(lea.get("/web/student").text)
    with source.open("rb") as fh:
        answer = lea.post(
            "/web/student/request",
            data={"csrf_token": token, "outputs": ["html", "json"]},
            files={"file": (FILENAME, fh, "text/markdown")},
            follow_redirects=False,
        )
    job_id = answer.headers["location"].rsplit("/", 1)[1]
    # a job staff make for Max (who did not opt in)
    with source.open("rb") as fh:
        made = staff.post(
            "/jobs",
            data={"learner": "max", "outputs": "html"},
            files={"file": (FILENAME, fh, "text/markdown")},
        )
    assert made.status_code == 202, made.text
    assert wait_finished(staff, job_id, worker)["status"] == "succeeded"
    assert wait_finished(staff, made.json()["id"], worker)["status"] == "succeeded"

    inbox.wait_for(1, worker)
    rcpt, raw = inbox.messages[0]
    message, body = _read(raw)
    assert rcpt == ["lea@example.org"] and message["To"] == "lea@example.org"
    assert message["Subject"] == "Votre document est prêt / Your document is ready"
    assert (
        "Un document que vous avez demandé est prêt." in body and "A document you asked for is ready." in body
    )
    assert f"{BASE_URL}/web/jobs/{job_id}" in body and message["Auto-Submitted"] == "auto-generated"
    _holds_nothing_of_the_document(raw)

    released = staff.post(f"/jobs/{job_id}/release", json={"accept_unreviewed": True})
    assert released.status_code == 202, released.text
    inbox.wait_for(2, worker)
    rcpt, raw = inbox.messages[1]
    message, body = _read(raw)
    assert rcpt == ["lea@example.org"]
    # Released with nothing reviewed (accept_unreviewed): the mail says "new version", never "relue".
    assert message["Subject"].startswith("Une nouvelle version de votre document est prête")
    assert "relu" not in message["Subject"] and "Sa page dit ce qui a été relu." in body
    assert f"{BASE_URL}/web/jobs/{job_id}" in body
    _holds_nothing_of_the_document(raw)

    # Max got no mail, but the notification is on his page
    time.sleep(0.5)
    assert [r for r, _ in inbox.messages] == [["lea@example.org"], ["lea@example.org"]]
    store = service["store"]
    max_id = UserStore(store.engine).by_username("max").id  # type: ignore[union-attr]
    notes = NotificationStore(store.db).list_for(max_id)
    assert [(n.event, n.status, n.email_state) for n, _ in notes] == [("finished", "succeeded", None)]
    lea_id = UserStore(store.engine).by_username("lea").id  # type: ignore[union-attr]
    lea_notes = NotificationStore(store.db).list_for(lea_id)
    assert [(n.event, n.job_id, n.email_state) for n, _ in lea_notes] == [
        ("released", job_id, "sent"),
        ("finished", job_id, "sent"),
    ]
    page = lea.get("/web/student").text
    assert page.count('class="unread"') == 2 and "Une nouvelle version de" in page


@pytest.mark.slow
def test_a_mail_refused_while_the_server_is_down_is_retried_by_the_worker_and_arrives(
    service: dict[str, Any], tmp_path: Path
) -> None:
    from aiosmtpd.controller import Controller

    inbox, worker, store = service["inbox"], service["worker"], service["store"]
    noe = _student(service["app"], "noe", email_to="noe@example.org")
    noe_id = UserStore(store.engine).by_username("noe").id  # type: ignore[union-attr]
    before = len(inbox.messages)
    service["smtp"].stop()  # the mail server is down when the job finishes
    source = tmp_path / "cours.md"
    source.write_text("# Cours\n\nUn paragraphe.\n", encoding="utf-8")
    token = _csrf(noe.get("/web/student").text)
    with source.open("rb") as fh:
        answer = noe.post(
            "/web/student/request",
            data={"csrf_token": token, "outputs": ["html"]},
            files={"file": ("cours.md", fh, "text/markdown")},
            follow_redirects=False,
        )
    job_id = answer.headers["location"].rsplit("/", 1)[1]
    assert wait_finished(service["staff"], job_id, worker)["status"] == "succeeded"
    deadline = time.monotonic() + 60
    while True:  # the first try failed: one attempt counted, the mail still pending
        [(note, _job)] = NotificationStore(store.db).list_for(noe_id)
        if note.email_attempts >= 1:
            break
        assert time.monotonic() < deadline, worker.log()[-3000:]
        time.sleep(0.1)
    assert note.email_state == "pending"
    service["smtp"] = Controller(inbox, hostname="127.0.0.1", port=service["port"])
    service["smtp"].start()
    inbox.wait_for(before + 1, worker)
    assert inbox.messages[before][0] == ["noe@example.org"]
    # the worker records "sent" just after the server took the mail: the inbox can be first
    deadline = time.monotonic() + 10
    while True:
        [(note, _job)] = NotificationStore(store.db).list_for(noe_id)
        if note.email_state != "pending" or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert note.email_state == "sent" and note.email_attempts >= 2


def test_a_mail_server_that_does_not_answer_never_fails_the_job_and_is_given_up_with_its_code(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The job runs in this process (jobs.execute, the worker's own function); the mail task is queued on the
    broker, and its body (notify.deliver) is called here as the worker would, against a closed port."""
    from inclusio.jobs import execute
    from inclusio.notify import deliver
    from inclusio.store.files import FileStore
    from inclusio.store.jobs import JobStore

    settings = make_settings(tmp_path, smtp_host="127.0.0.1", smtp_port=free_port(), smtp_starttls=False)
    lea_id, _ = make_user(settings, "student")
    store = JobStore.from_settings(settings)
    users = UserStore(store.engine)
    users.set_email_notice(lea_id, "lea@example.org")
    source = tmp_path / FILENAME
    source.write_text(f"# {TITLE}\n\n{TEXT}\n", encoding="utf-8")
    stored = FileStore.from_settings(settings).save_original_path(source, max_bytes=10**6)
    job = store.create(
        profile_id="dyslexia",
        filename=FILENAME,
        input_sha256=stored.sha256,
        input_path=stored.relpath,
        input_bytes=stored.size,
        owner_id=lea_id,
        outputs=["html"],
    )
    assert execute(job.id, settings) == "succeeded"
    [(note, _job)] = NotificationStore(store.db).list_for(lea_id)
    assert note.email_state == "pending"
    with caplog.at_level(logging.INFO, logger="inclusio.notify"):
        outcomes = [deliver(settings, note.id, store.db) for _ in range(settings.smtp_max_attempts + 1)]
    assert outcomes == ["retry"] * (settings.smtp_max_attempts - 1) + ["failed", "skipped"]
    assert NotificationStore(store.db).get(note.id).email_state == "failed"  # type: ignore[union-attr]
    assert any(r.getMessage().startswith("notify.email_failed: ") for r in caplog.records)
    assert store.get(job.id).status == "succeeded"
    store.dispose()


def test_a_failed_jobs_mail_says_so_and_without_a_base_url_says_to_sign_in(tmp_path: Path) -> None:
    from inclusio.notify import compose, valid_email
    from inclusio.store.models import Notification

    note = Notification(id=1, user_id="u" * 32, job_id="j" * 32, event="finished", status="failed")
    message = compose(make_settings(tmp_path), note, "lea@example.org")
    body = message.get_content()
    assert message["Subject"] == "Votre document n'a pas pu être préparé / Your document could not be made"
    assert "Connectez-vous à inclusio pour le voir." in body and "/web/jobs/" not in body
    assert [
        valid_email(a) for a in ("Lea <lea@example.org>", "lea@localhost", "a@b.c\nBcc: x@y.z", "@x.org")
    ] == [None] * 4
    assert valid_email(" Lea.Martin+cours@etu.univ-a.example ") == "Lea.Martin+cours@etu.univ-a.example"
