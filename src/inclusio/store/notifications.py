"""The notification store: a learner's job finished, or its reviewed version was released.

A row holds ids, the event, the job's status then, when it was read and the state of its e-mail: never a
file name, a title or a profile (the page reads the job's own row to name it). Rows go with the account
(``ON DELETE CASCADE`` on ``users``), with the job (on ``jobs``: retention and erasure delete jobs) and
with an erasure of the person's data (:meth:`NotificationStore.delete_of`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update

from inclusio.store.db import RowStore
from inclusio.store.models import Job, Notification, utcnow

EVENTS = ("finished", "released")
EMAIL_STATES = ("pending", "sent", "failed", "skipped")
LIST_LIMIT = 20
"""How many notifications the student's page lists (the newest)."""


class NotificationStore(RowStore):
    """Notification rows, made by the worker after a job's record, read on the student's page."""

    def add(self, *, user_id: str, job_id: str, event: str, status: str, email: bool) -> Notification:
        """A new notification; ``email``: a mail is to be sent (``email_state`` ``pending``)."""
        if event not in EVENTS:
            raise ValueError(f"unknown notification event {event!r}")
        row = Notification(
            user_id=user_id,
            job_id=job_id,
            event=event,
            status=status[:16],
            created_at=utcnow(),
            email_state="pending" if email else None,
            email_attempts=0,
        )
        with self.session() as session:
            session.add(row)
        return row

    def get(self, notification_id: int) -> Notification | None:
        with self.session() as session:
            return session.get(Notification, notification_id)

    def list_for(self, user_id: str, *, limit: int = LIST_LIMIT) -> list[tuple[Notification, Any]]:
        """The newest notifications of ``user_id`` with their job (``(notification, job)``)."""
        query = (
            select(Notification, Job)
            .join(Job, Job.id == Notification.job_id)
            .where(Notification.user_id == user_id)
            .order_by(Notification.id.desc())
            .limit(limit)
        )
        with self.session() as session:
            return [(n, j) for n, j in session.execute(query).all()]

    def unread_count(self, user_id: str) -> int:
        query = select(func.count()).where(Notification.user_id == user_id, Notification.read_at.is_(None))
        with self.session() as session:
            return int(session.scalar(query.select_from(Notification)) or 0)

    def mark_read(self, user_id: str, ids: list[int]) -> int:
        """Mark ``ids`` (of ``user_id`` only) read; the number changed."""
        if not ids:
            return 0
        with self.session() as session:
            result = session.execute(
                update(Notification)
                .where(
                    Notification.user_id == user_id,
                    Notification.id.in_(ids),
                    Notification.read_at.is_(None),
                )
                .values(read_at=utcnow())
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

    def mark_read_for_job(self, user_id: str, job_id: str) -> int:
        """Mark every unread notification of ``user_id`` about ``job_id`` read (they opened its page or its
        reader: they know); the number changed. Someone else's notifications are left as they are."""
        with self.session() as session:
            result = session.execute(
                update(Notification)
                .where(
                    Notification.user_id == user_id,
                    Notification.job_id == job_id,
                    Notification.read_at.is_(None),
                )
                .values(read_at=utcnow())
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

    def email_attempted(self, notification_id: int, state: str) -> int:
        """Record one sending attempt and the mail's state now; the number of attempts so far."""
        if state not in EMAIL_STATES:
            raise ValueError(f"unknown e-mail state {state!r}")
        with self.session() as session:
            row = session.get(Notification, notification_id)
            if row is None:
                return 0
            row.email_attempts += 1
            row.email_state = state
            return row.email_attempts

    def delete_of(self, user_id: str) -> int:
        with self.session() as session:
            result = session.execute(delete(Notification).where(Notification.user_id == user_id))
            return int(result.rowcount)  # type: ignore[attr-defined]
