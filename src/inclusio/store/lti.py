"""Platform registrations and single-use launch records, on the service database (revision 0008)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from inclusio.errors import RequestInvalid
from inclusio.store.db import RowStore, looks_like_id
from inclusio.store.models import LtiOnce, LtiPlatform, new_id, utcnow


def _url(value: str, field: str) -> str:
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc or len(value) > 1000:
        raise RequestInvalid(
            f"{field} must be an http(s) address.",
            message_fr=f"{field} doit être une adresse http(s).",
            details={"field": field},
        )
    return value


class PlatformStore(RowStore):
    """The platforms registered with the tool (several per institution)."""

    def add(
        self,
        *,
        issuer: str,
        client_id: str,
        deployment_ids: list[str],
        jwks_url: str,
        auth_login_url: str,
        token_url: str,
        institution: str,
        staff_role: str | None = None,
        keep_names: bool = False,
    ) -> LtiPlatform:
        """Register a platform; the same issuer and client id again adds its new deployment ids (and sets the
        disability-services role, or turns keeping names on, when given)."""
        issuer, client_id = issuer.strip(), client_id.strip()
        if not issuer or not client_id or len(issuer) > 255 or len(client_id) > 255:
            raise RequestInvalid(
                "A platform needs its issuer and the client id it gave the tool.",
                message_fr="Une plateforme demande son émetteur (issuer) et l'identifiant client donné à l'outil.",
                details={"field": "issuer"},
            )
        deployments = [d.strip() for d in deployment_ids if d.strip()]
        row = LtiPlatform(
            id=new_id(),
            issuer=issuer,
            client_id=client_id,
            deployment_ids=deployments,
            jwks_url=_url(jwks_url, "jwks_url"),
            auth_login_url=_url(auth_login_url, "auth_login_url"),
            token_url=_url(token_url, "token_url"),
            institution=institution[:64] or "default",
            staff_role=(staff_role or "").strip()[:255] or None,
            keep_names=keep_names,
            created_at=utcnow(),
        )
        with self.session() as session:
            existing = session.scalar(
                select(LtiPlatform).where(LtiPlatform.issuer == issuer, LtiPlatform.client_id == client_id)
            )
            if existing is not None:  # new deployments added; a role or keeping names given is set
                existing.deployment_ids = sorted({*existing.deployment_ids, *deployments})
                existing.staff_role = row.staff_role or existing.staff_role
                existing.keep_names = existing.keep_names or keep_names
                return existing
            session.add(row)
        return row

    def list(self, *, institution: str | None = None) -> list[LtiPlatform]:
        query = select(LtiPlatform).order_by(LtiPlatform.issuer, LtiPlatform.client_id)
        if institution is not None:
            query = query.where(LtiPlatform.institution == institution)
        with self.session() as session:
            return list(session.scalars(query))

    def get(self, platform_id: str) -> LtiPlatform | None:
        with self.session() as session:
            return session.get(LtiPlatform, platform_id) if looks_like_id(platform_id) else None

    def find(self, issuer: str, client_id: str | None) -> LtiPlatform | None:
        """The registration of ``issuer`` (and ``client_id``; without it, the issuer's only one)."""
        query = select(LtiPlatform).where(LtiPlatform.issuer == issuer)
        if client_id is not None:
            query = query.where(LtiPlatform.client_id == client_id)
        with self.session() as session:
            rows = list(session.scalars(query.limit(2)))
        return rows[0] if len(rows) == 1 else None

    def remove(self, platform_id: str) -> bool:
        with self.session() as session:
            row = session.get(LtiPlatform, platform_id) if looks_like_id(platform_id) else None
            if row is not None:
                session.delete(row)
            return row is not None


class OnceStore(RowStore):
    """Records used at most once, each until it expires: taking one deletes it in the same transaction."""

    def put(self, kind: str, key: str, data: dict[str, Any], *, seconds: float) -> bool:
        """Store ``key`` (``False`` if it is already there: a nonce seen before)."""
        self.purge()
        try:
            with self.session() as session:
                session.add(
                    LtiOnce(
                        key=_key(kind, key),
                        kind=kind,
                        data=data,
                        expires_at=utcnow() + timedelta(seconds=seconds),
                    )
                )
        except IntegrityError:
            return False
        return True

    def take(self, kind: str, key: str) -> dict[str, Any] | None:
        """The record's data, deleted as it is read; ``None`` if unknown, already taken or expired."""
        with self.session() as session:
            row = session.get(LtiOnce, _key(kind, key))
            if row is None:
                return None
            data, expires = dict(row.data), row.expires_at
            deleted = session.execute(delete(LtiOnce).where(LtiOnce.key == row.key)).rowcount  # type: ignore[attr-defined]
        return data if deleted == 1 and expires > utcnow() else None

    def peek(self, kind: str, key: str) -> dict[str, Any] | None:
        """The record's data, left in place; ``None`` if unknown or expired."""
        with self.session() as session:
            row = session.get(LtiOnce, _key(kind, key))
            if row is None or row.expires_at <= utcnow():
                return None
            return dict(row.data)

    def purge(self, now: datetime | None = None) -> int:
        with self.session() as session:
            result = session.execute(delete(LtiOnce).where(LtiOnce.expires_at < (now or utcnow())))
            return int(result.rowcount)  # type: ignore[attr-defined]


def _key(kind: str, key: str) -> str:
    # the value itself is never stored: a leaked table gives no usable state, nonce or ticket
    return kind[:16] + ":" + hashlib.sha256(key.encode("utf-8")).hexdigest()
