"""The preview store: the teacher's preview of one original, claimed once and built once (issue #17).

One row per original and preview key (:class:`~inclusio.store.models.Preview`). The web page *claims* it
(:meth:`PreviewStore.claim`): the process whose INSERT wins sends the task, the others find the row. The
message carries the row's ``token``; a worker *starts* it only with that token and while it is queued
(:meth:`PreviewStore.start`, one conditional UPDATE giving the attempt a ``lease``), so a message delivered
twice, or an older message, builds nothing. Only the lease holder records progress and the outcome.
:meth:`PreviewStore.requeue` gives a row a new token (its file was erased, it failed, its worker stopped
beating, its message was lost), again in one conditional UPDATE, so two web processes never both send it.

It also keeps the link from a teacher's job to the job of the version before it (``document_versions``).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from inclusio.store.db import RowStore, looks_like_id
from inclusio.store.models import DocumentVersion, Preview, utcnow


def _token() -> str:
    return uuid.uuid4().hex


class PreviewStore(RowStore):
    """Preview rows and version links (detached objects, one short transaction per change)."""

    def get(self, key: str) -> Preview | None:
        with self.session() as session:
            return session.get(Preview, key)

    def claim(self, key: str, *, input_sha256: str, input_path: str, suffix: str) -> tuple[Preview, bool]:
        """The row of ``key``, made ``queued`` if there was none: ``(row, True)`` when this call made it (the
        caller sends its task), ``(row, False)`` when it was there."""
        row = Preview(
            key=key,
            input_sha256=input_sha256,
            input_path=input_path,
            suffix=suffix[:16],
            status="queued",
            token=_token(),
            attempts=0,
            queued_at=utcnow(),
        )
        try:
            with self.session() as session:
                session.add(row)
            return row, True
        except IntegrityError:
            found = self.get(key)
            if found is None:  # erased between the two statements: claim it again
                return self.claim(key, input_sha256=input_sha256, input_path=input_path, suffix=suffix)
            return found, False

    def requeue(self, row: Preview, *, input_path: str | None = None) -> str | None:
        """Queue ``row`` again with a new token if nobody changed it since it was read: the new token (the
        caller sends the task with it), or ``None`` when another process did it first."""
        token = _token()
        with self.session() as session:
            done = session.execute(
                update(Preview)
                .where(Preview.key == row.key, Preview.token == row.token, Preview.status == row.status)
                .values(
                    status="queued",
                    token=token,
                    lease=None,
                    stage=None,
                    error=None,
                    queued_at=utcnow(),
                    heartbeat_at=None,
                    finished_at=None,
                    result=None,
                    input_path=input_path or row.input_path,
                )
            )
            return token if done.rowcount == 1 else None

    def start(self, key: str, token: str) -> str | None:
        """Take the queued preview ``key`` for the message carrying ``token``: the attempt's lease, or ``None``
        (taken, finished, or the message is not the row's latest)."""
        lease = _token()
        with self.session() as session:
            done = session.execute(
                update(Preview)
                .where(Preview.key == key, Preview.token == token, Preview.status == "queued")
                .values(
                    status="running",
                    lease=lease,
                    stage="queued",
                    heartbeat_at=utcnow(),
                    attempts=Preview.attempts + 1,
                )
            )
            return lease if done.rowcount == 1 else None

    def _update(self, key: str, lease: str, **values: Any) -> bool:
        with self.session() as session:
            done = session.execute(
                update(Preview)
                .where(Preview.key == key, Preview.lease == lease, Preview.status == "running")
                .values(heartbeat_at=utcnow(), **values)
            )
            return done.rowcount == 1

    def progress(self, key: str, lease: str, stage: str) -> bool:
        return self._update(key, lease, stage=stage)

    def beat(self, key: str, lease: str) -> bool:
        return self._update(key, lease)

    def finish(
        self, key: str, lease: str, *, error: dict[str, Any] | None = None, result: str | None = None
    ) -> bool:
        """Record the outcome of the attempt holding ``lease``: ``done`` with the cache key of its JSON
        (``result``), or ``failed`` with a coded error."""
        return self._update(
            key,
            lease,
            status="failed" if error is not None else "done",
            stage=None,
            error=error,
            result=None if error is not None else result,
            finished_at=utcnow(),
        )

    def stale(self, row: Preview, *, seconds: float, now: datetime | None = None) -> bool:
        """Whether ``row`` waits for a worker that will not come: running without a beat for ``seconds``
        (its worker died), or queued for that long (its message was lost)."""
        now = now or utcnow()
        limit = timedelta(seconds=seconds)
        if row.status == "running":
            return row.heartbeat_at is None or now - row.heartbeat_at > limit
        if row.status == "queued":
            return now - row.queued_at > limit
        return False

    # -- versions ---------------------------------------------------------------------------------------

    def link_version(self, job_id: str, previous_id: str) -> None:
        """Record that ``job_id`` is a new version of the document of ``previous_id``."""
        if job_id == previous_id:
            return
        with self.session() as session:
            session.merge(DocumentVersion(job_id=job_id, previous_id=previous_id))

    def previous_of(self, job_id: str) -> str | None:
        """The job of the version before ``job_id``'s document, if it was uploaded as a new version."""
        if not looks_like_id(job_id):
            return None
        with self.session() as session:
            return session.scalar(select(DocumentVersion.previous_id).where(DocumentVersion.job_id == job_id))
