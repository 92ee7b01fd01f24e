"""The share store: documents teachers share with students (a share points at a stored original)."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, func, or_, select

from inclusio.store.db import RowStore, looks_like_id
from inclusio.store.models import Share, utcnow


class ShareStore(RowStore):
    """Share rows. An original stays while a job or a share uses it (:meth:`Database.original_uses`)."""

    def create(
        self,
        *,
        owner_id: str,
        institution: str,
        title: str,
        course: str,
        filename: str,
        input_sha256: str,
        input_path: str,
        input_bytes: int,
    ) -> Share:
        """Share a stored original; the same original shared again by its owner for the same course
        is the same share (no duplicate)."""
        with self.session() as session:
            existing = session.scalar(
                select(Share).where(
                    Share.owner_id == owner_id,
                    Share.input_sha256 == input_sha256,
                    Share.course == course[:120],
                )
            )
            if existing is not None:
                return existing
            share = Share(
                id=uuid.uuid4().hex,
                owner_id=owner_id,
                institution=institution,
                title=title[:255],
                course=course[:120],
                filename=filename[:255],
                input_sha256=input_sha256,
                input_path=input_path,
                input_bytes=input_bytes,
                created_at=utcnow(),
            )
            session.add(share)
        return share

    def get(self, share_id: str) -> Share | None:
        with self.session() as session:
            return session.get(Share, share_id) if looks_like_id(share_id) else None

    def list(
        self,
        *,
        owner: str | None = None,
        institution: str | None = None,
        search: str | None = None,
        limit: int = 200,
    ) -> list[Share]:
        """Shares, newest first; ``search``: part of the course, title or file name (any case)."""
        query = select(Share).order_by(Share.created_at.desc(), Share.id).limit(limit)
        if owner is not None:
            query = query.where(Share.owner_id == owner)
        if institution is not None:
            query = query.where(Share.institution == institution)
        if search:
            pattern = "%" + search.lower().replace("\\", "").replace("%", "").replace("_", "") + "%"
            query = query.where(
                or_(
                    func.lower(Share.course).like(pattern),
                    func.lower(Share.title).like(pattern),
                    func.lower(Share.filename).like(pattern),
                )
            )
        with self.session() as session:
            return list(session.scalars(query))

    def delete(self, share_id: str) -> Share | None:
        """Stop sharing: the row goes (the caller deletes the original if nothing uses it any more)."""
        with self.session() as session:
            share = session.get(Share, share_id) if looks_like_id(share_id) else None
            if share is not None:
                session.delete(share)
            return share

    def delete_of(self, owner_id: str) -> list[Share]:
        """Delete every share of ``owner_id`` (the caller deletes the originals nothing uses any more)."""
        with self.session() as session:
            shares = list(session.scalars(select(Share).where(Share.owner_id == owner_id)))
            session.execute(delete(Share).where(Share.owner_id == owner_id))
        return shares
