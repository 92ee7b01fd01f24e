"""The batch store: a batch groups the jobs of one folder or one multi-file upload."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy import update as sql_update

from inclusio.errors import BatchNotFound
from inclusio.store.db import RowStore, looks_like_id
from inclusio.store.models import Batch, utcnow


class BatchStore(RowStore):
    """Batch rows (their jobs are in the job store, ``JobFilter(batch_id=...)``)."""

    def create(self, *, owner_id: str | None, institution: str | None, name: str) -> Batch:
        batch = Batch(
            owner_id=owner_id, institution=institution, name=name[:255], created_at=utcnow(), rejected=[]
        )
        with self.session() as session:
            session.add(batch)
        return batch

    def set_rejected(self, batch_id: str, rejected: list[dict[str, Any]]) -> None:
        with self.session() as session:
            session.execute(sql_update(Batch).where(Batch.id == batch_id).values(rejected=rejected))

    def get(self, batch_id: str) -> Batch:
        with self.session() as session:
            batch = session.get(Batch, batch_id) if looks_like_id(batch_id) else None
            if batch is None:
                raise BatchNotFound(details={"batch": batch_id[:64]})
            return batch

    def list(
        self, *, owner: str | None = None, institution: str | None = None, limit: int = 100
    ) -> list[Batch]:
        query = select(Batch).order_by(Batch.created_at.desc()).limit(limit)
        if owner is not None:
            query = query.where(Batch.owner_id == owner)
        if institution is not None:
            query = query.where(Batch.institution == institution)
        with self.session() as session:
            return list(session.scalars(query))

    def delete_of(self, owner_id: str) -> None:
        with self.session() as session:
            session.execute(delete(Batch).where(Batch.owner_id == owner_id))
