"""A person's settings and notifications in the database (SQLite and PostgreSQL), and their erasure."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from inclusio.store.accounts import UserStore
from inclusio.store.erasure import erase_user_data
from inclusio.store.files import FileStore
from inclusio.store.jobs import JobStore
from inclusio.store.models import AccountSettings, Notification
from inclusio.store.notifications import NotificationStore


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[JobStore]:
    url = f"sqlite:///{tmp_path / 'a.db'}" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    job_store = JobStore(url)
    job_store.migrate()
    yield job_store
    job_store.dispose()


def _student(users: UserStore) -> str:
    return users.create_user(f"etu-{uuid.uuid4().hex[:8]}", role="student", institution="default").id


def _job(store: JobStore, owner: str) -> str:
    sha = uuid.uuid4().hex * 2
    return store.create(
        profile_id="dyslexia",
        filename="cours.pdf",
        input_sha256=sha,
        input_path=f"originals/{sha[:2]}/{sha}",
        input_bytes=1,
        owner_id=owner,
        institution="default",
    ).id


def _rows(store: JobStore, model: type, user_id: str) -> int:
    with store.session() as session:
        return int(
            session.scalar(select(func.count()).select_from(model).where(model.user_id == user_id)) or 0
        )


def test_settings_are_kept_per_account_and_opting_out_removes_the_address(store: JobStore) -> None:
    users = UserStore(store.engine)
    lea, max_ = _student(users), _student(users)
    assert users.get_settings(lea) is None
    users.set_reading(lea, {"font": "dys", "size": 140.0})
    users.set_email_notice(lea, "lea@example.org")
    row = users.get_settings(lea)
    assert row is not None and row.reading == {"font": "dys", "size": 140.0}
    assert row.notify_email and row.email == "lea@example.org"
    assert users.get_settings(max_) is None  # nothing leaks to another account
    users.set_email_notice(lea, None)
    row = users.get_settings(lea)
    assert row is not None and not row.notify_email and row.email is None
    assert row.reading == {"font": "dys", "size": 140.0}  # the display settings stay


def test_notifications_list_newest_first_and_are_marked_read_only_for_their_owner(store: JobStore) -> None:
    users = UserStore(store.engine)
    notes = NotificationStore(store.db)
    lea, max_ = _student(users), _student(users)
    first, second = _job(store, lea), _job(store, lea)
    a = notes.add(user_id=lea, job_id=first, event="finished", status="succeeded", email=True)
    b = notes.add(user_id=lea, job_id=second, event="released", status="partial", email=False)
    listed = notes.list_for(lea)
    assert [(n.id, job.id) for n, job in listed] == [(b.id, second), (a.id, first)]
    assert a.email_state == "pending" and b.email_state is None
    assert notes.unread_count(lea) == 2
    assert notes.mark_read(max_, [a.id, b.id]) == 0  # not theirs
    assert notes.mark_read(lea, [a.id]) == 1 and notes.unread_count(lea) == 1
    assert notes.email_attempted(a.id, "pending") == 1 and notes.email_attempted(a.id, "sent") == 2
    assert notes.get(a.id).email_state == "sent"  # type: ignore[union-attr]
    # A job deleted (retention, erasure) takes its notifications with it.
    store.delete_jobs([second])
    assert [n.id for n, _ in notes.list_for(lea)] == [a.id]


@pytest.mark.parametrize("delete_account", [False, True])
def test_erasure_removes_the_settings_the_address_and_the_notifications(
    store: JobStore, tmp_path: Path, delete_account: bool
) -> None:
    users = UserStore(store.engine)
    notes = NotificationStore(store.db)
    lea, max_ = _student(users), _student(users)
    for who in (lea, max_):
        users.set_reading(who, {"font": "hyper"})
        users.set_email_notice(who, f"{who[:6]}@example.org")
        notes.add(user_id=who, job_id=_job(store, who), event="finished", status="succeeded", email=True)
    erase_user_data(
        store, users, FileStore(tmp_path / "files"), lea, actor_id=lea, delete_account=delete_account
    )
    assert users.get_settings(lea) is None
    assert _rows(store, AccountSettings, lea) == 0 and _rows(store, Notification, lea) == 0
    # the other student's stay
    assert users.get_settings(max_) is not None and _rows(store, Notification, max_) == 1
