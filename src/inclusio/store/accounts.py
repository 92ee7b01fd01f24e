"""People, their bearer tokens, learner profiles (health data) and the audit log.

Passwords are hashed with Argon2id (argon2-cffi); bearer tokens are random and only their SHA-256
is stored. A learner profile holds the profile id and nothing else; the API writes an audit entry
for every read or change of one (:meth:`UserStore.audit`). A person's own settings (display settings of
the pages, the e-mail opt-in and its address) are one ``account_settings`` row, erased with the account
and with their data.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from inclusio.errors import RequestInvalid, UserExists, UserNotFound
from inclusio.store.db import looks_like_id
from inclusio.store.models import (
    ROLES,
    AccountSettings,
    ApiToken,
    AuditEntry,
    LearnerProfile,
    User,
    new_id,
    utcnow,
)

log = logging.getLogger("inclusio.store")

AUDIT_DETAIL_KEYS = frozenset({"found", "jobs", "shares", "account_deleted", "count", "role"})
"""What an audit entry's details may hold: counts and yes/no facts (booleans, integers) and an account's
role; never a profile id, a name or a file name."""
ERASED_PREFIX = "erased-"
"""Audit entries of a deleted account carry ``erased-<24 hex>`` instead of its id."""
TOKEN_PREFIX = "inc_"
"""Local tokens start with this, so they are never mistaken for a JWT from the identity provider."""


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class UserStore:
    """Users, tokens, learner profiles and audit entries, on the job store's database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._dummy_hash: str | None = None

    # -- users ----------------------------------------------------------------------------------

    def create_user(
        self,
        username: str,
        *,
        role: str,
        institution: str,
        password: str | None = None,
        oidc_subject: str | None = None,
    ) -> User:
        """A new user; :class:`~inclusio.errors.UserExists` if the name is taken."""
        username = username.strip()
        if not username or len(username) > 128 or any(c.isspace() or not c.isprintable() for c in username):
            raise RequestInvalid(
                "A user name is 1 to 128 printable characters without spaces.",
                message_fr="Un nom d'utilisateur fait 1 à 128 caractères imprimables sans espace.",
                details={"field": "username"},
            )
        if role not in ROLES:
            raise RequestInvalid(
                f"Unknown role {role!r}: choose among {', '.join(ROLES)}.",
                message_fr=f"Rôle inconnu {role!r} : choisissez parmi {', '.join(ROLES)}.",
                details={"field": "role", "allowed": list(ROLES)},
            )
        user = User(
            id=new_id(),
            username=username,
            role=role,
            institution=institution[:64],
            password_hash=_hasher().hash(password) if password else None,
            oidc_subject=oidc_subject,
            created_at=utcnow(),
        )
        try:
            with self._sessions.begin() as session:
                session.add(user)
        except IntegrityError as exc:
            raise UserExists(details={"username": username}) from exc
        return user

    def get(self, user_id: str) -> User:
        with self._sessions.begin() as session:
            user = session.get(User, user_id) if looks_like_id(user_id) else None
            if user is None:
                raise UserNotFound(details={"user": user_id[:64]})
            return user

    def by_username(self, username: str) -> User | None:
        with self._sessions.begin() as session:
            return session.scalar(select(User).where(User.username == username))

    def list(self, *, institution: str | None = None, limit: int = 500) -> list[User]:
        query = select(User).order_by(User.username).limit(limit)
        if institution is not None:
            query = query.where(User.institution == institution)
        with self._sessions.begin() as session:
            return list(session.scalars(query))

    def count(self) -> int:
        with self._sessions.begin() as session:
            return int(session.scalar(select(func.count()).select_from(User)) or 0)

    def set_password(self, user_id: str, password: str) -> int:
        """Set the password and revoke every bearer token of the user (web sessions included: the session
        cookie holds one), in one transaction; the number of tokens revoked. Whoever changed it signs in again
        (the routes hand the caller a fresh token)."""
        with self._sessions.begin() as session:
            user = session.get(User, user_id)
            if user is None:
                raise UserNotFound(details={"user": user_id})
            user.password_hash = _hasher().hash(password)
            result = session.execute(delete(ApiToken).where(ApiToken.user_id == user_id))
            return int(result.rowcount)  # type: ignore[attr-defined]

    def verify_password(self, username: str, password: str) -> User | None:
        """The user if the password is right, else ``None`` (same work whether the user exists or not)."""
        from argon2.exceptions import InvalidHashError, VerificationError

        hasher = _hasher()
        user = self.by_username(username)
        if user is None or not user.password_hash:
            if self._dummy_hash is None:
                self._dummy_hash = hasher.hash(secrets.token_hex(8))
            with contextlib.suppress(VerificationError):
                hasher.verify(self._dummy_hash, password)
            return None
        try:
            hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return None
        return user

    def upsert_oidc_user(self, subject: str, *, username: str, role: str, institution: str) -> User:
        """The account of an identity-provider user (made on first sign-in; role and institution follow the IdP)."""
        with self._sessions.begin() as session:
            user = session.scalar(select(User).where(User.oidc_subject == subject))
            if user is not None:
                user.role, user.institution = role, institution[:64]
                return user
        name = username if self.by_username(username) is None else f"{username}#{new_id()[:6]}"
        try:
            return self.create_user(name, role=role, institution=institution, oidc_subject=subject)
        except UserExists:  # two first requests of the same person at once
            with self._sessions.begin() as session:
                user = session.scalar(select(User).where(User.oidc_subject == subject))
                if user is None:
                    raise
                return user

    def delete_user(self, user_id: str) -> None:
        """Remove the account, its tokens and its learner profile (jobs are the caller's business)."""
        with self._sessions.begin() as session:
            session.execute(delete(ApiToken).where(ApiToken.user_id == user_id))
            session.execute(delete(LearnerProfile).where(LearnerProfile.user_id == user_id))
            session.execute(delete(AccountSettings).where(AccountSettings.user_id == user_id))
            session.execute(delete(User).where(User.id == user_id))

    # -- tokens ---------------------------------------------------------------------------------

    def issue_token(self, user_id: str, *, hours: float) -> tuple[str, datetime]:
        """A new bearer token for the user and its expiry; only its digest is stored."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        expires = utcnow() + timedelta(hours=hours)
        with self._sessions.begin() as session:
            session.add(
                ApiToken(
                    token_sha256=token_digest(token), user_id=user_id, created_at=utcnow(), expires_at=expires
                )
            )
        return token, expires

    def resolve_token(self, token: str) -> User | None:
        """The user of a valid, unexpired local token."""
        with self._sessions.begin() as session:
            row = session.get(ApiToken, token_digest(token))
            if row is None or row.expires_at <= utcnow():
                return None
            return session.get(User, row.user_id)

    def revoke_token(self, token: str) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(ApiToken).where(ApiToken.token_sha256 == token_digest(token)))

    def purge_expired_tokens(self) -> int:
        with self._sessions.begin() as session:
            result = session.execute(delete(ApiToken).where(ApiToken.expires_at <= utcnow()))
            return int(result.rowcount)  # type: ignore[attr-defined]

    # -- learner profiles (health data) -------------------------------------------------------------

    def get_profile(self, user_id: str) -> LearnerProfile | None:
        with self._sessions.begin() as session:
            return session.get(LearnerProfile, user_id)

    def set_profile(self, user_id: str, profile_id: str) -> LearnerProfile:
        with self._sessions.begin() as session:
            row = session.get(LearnerProfile, user_id)
            if row is None:
                row = LearnerProfile(user_id=user_id, profile_id=profile_id, updated_at=utcnow())
                session.add(row)
            else:
                row.profile_id, row.updated_at = profile_id, utcnow()
            return row

    def delete_profile(self, user_id: str) -> bool:
        with self._sessions.begin() as session:
            result = session.execute(delete(LearnerProfile).where(LearnerProfile.user_id == user_id))
            return bool(result.rowcount)  # type: ignore[attr-defined]

    # -- a person's own settings (display, e-mail opt-in) -----------------------------------------------

    def get_settings(self, user_id: str) -> AccountSettings | None:
        with self._sessions.begin() as session:
            return session.get(AccountSettings, user_id)

    def _settings_row(self, session: Any, user_id: str) -> AccountSettings:
        row = session.get(AccountSettings, user_id)
        if row is None:
            row = AccountSettings(user_id=user_id, notify_email=False, updated_at=utcnow())
            session.add(row)
        return row

    def set_reading(self, user_id: str, reading: dict[str, Any]) -> None:
        """Store the display settings of the pages (checked values, see ``web.pages._adjustments``)."""
        with self._sessions.begin() as session:
            row = self._settings_row(session, user_id)
            row.reading, row.updated_at = dict(reading) or None, utcnow()

    def set_email_notice(self, user_id: str, email: str | None) -> None:
        """Opt in to mails with ``email`` (already checked), or out with ``None``: the address then goes."""
        with self._sessions.begin() as session:
            row = self._settings_row(session, user_id)
            row.email, row.notify_email, row.updated_at = email, email is not None, utcnow()

    def delete_settings(self, user_id: str) -> bool:
        with self._sessions.begin() as session:
            result = session.execute(delete(AccountSettings).where(AccountSettings.user_id == user_id))
            return bool(result.rowcount)  # type: ignore[attr-defined]

    # -- audit log ------------------------------------------------------------------------------

    def audit(
        self,
        *,
        actor_id: str | None,
        action: str,
        subject_id: str | None = None,
        institution: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        """Record who did what to whose personal data (ids only, never the data itself).

        ``details`` keeps only the keys of :data:`AUDIT_DETAIL_KEYS` with plain values: the log says
        that a profile was written, never which one (a profile id tells a disability).
        """
        kept = {
            key: value
            for key, value in (details or {}).items()
            if key in AUDIT_DETAIL_KEYS
            and (isinstance(value, bool | int) or (key == "role" and value in ROLES))
        }
        if details and len(kept) != len(details):
            log.warning(
                "audit %s: details %s left out (the audit log holds no personal data)",
                action,
                sorted(set(details) - set(kept)),
            )
        with self._sessions.begin() as session:
            session.add(
                AuditEntry(
                    at=utcnow(),
                    actor_id=actor_id,
                    action=action[:48],
                    subject_id=subject_id,
                    institution=institution,
                    details=kept,
                )
            )

    def pseudonymise_audit(self, user_id: str) -> str:
        """Replace ``user_id`` in the audit log by a random pseudonym (``erased-<hex>``), returned.

        For an account that is deleted: its entries stay (accountability: what was read or changed,
        when, by whom), linked to each other by the pseudonym, but nothing ties them to the person
        any more.
        """
        pseudonym = ERASED_PREFIX + secrets.token_hex(12)
        with self._sessions.begin() as session:
            session.execute(
                update(AuditEntry).where(AuditEntry.subject_id == user_id).values(subject_id=pseudonym)
            )
            session.execute(
                update(AuditEntry).where(AuditEntry.actor_id == user_id).values(actor_id=pseudonym)
            )
        return pseudonym

    def audit_entries(
        self, *, institution: str | None = None, subject_id: str | None = None, limit: int = 200
    ) -> list[AuditEntry]:
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if institution is not None:
            query = query.where(AuditEntry.institution == institution)
        if subject_id is not None:
            query = query.where(AuditEntry.subject_id == subject_id)
        with self._sessions.begin() as session:
            return list(session.scalars(query))
