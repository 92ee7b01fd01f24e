"""Sign-in throttling: a growing delay, then a lock, per account name and per network address.

State lives in the database (table ``sign_in_throttle``), so every API process sees the same counts.
Two keys are checked on each password attempt:

* ``account:<name>``: whatever the name, known or not (an unknown name is throttled and locked
  exactly as a known one: the answers tell nothing about who has an account);
* ``address:<ip>``: the client's address, with higher thresholds (a campus NAT shares one address).

Per key: ``free`` failures in a row cost nothing; from then on, after the n-th failure the next attempt
waits ``delay * 2**(n - free)`` seconds (at most ``max_delay``) and is answered ``auth.throttled`` (429,
Retry-After) without checking the password; ``lock`` failures lock the key (``auth.locked``, even for the right
password) for ``signin_lock_minutes`` (0: until an administrator lifts it). Failures older than
``signin_window_minutes`` are forgotten unless locked. A success clears the account's record.

Each attempt is *claimed* before the password is checked: a compare-and-set on the failure count
counts it as a failure and sets the next allowed time, so parallel attempts cannot all slip through
one free slot; a success then gives the claim back. Losing the race is answered ``auth.throttled``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from inclusio.config import Settings
from inclusio.errors import AuthInvalid, AuthLocked, AuthThrottled
from inclusio.store.accounts import UserStore
from inclusio.store.models import SignInThrottle, User, utcnow

FOREVER = datetime(9999, 1, 1, tzinfo=UTC)
"""``locked_until`` of a lock only an administrator lifts."""


@dataclass(frozen=True)
class Rule:
    free: int
    lock: int


@dataclass
class Claim:
    """The attempts in flight for one sign-in: each key's failure count before this attempt."""

    keys: dict[str, int]


def account_key(username: str) -> str:
    return f"account:{username[:180]}"


def address_key(address: str | None) -> str | None:
    return f"address:{address[:180]}" if address else None


class Throttle:
    """The sign-in throttle of one database."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.settings = settings
        self.account = Rule(settings.signin_free_failures, settings.signin_lock_failures)
        self.address = Rule(settings.signin_address_free_failures, settings.signin_address_lock_failures)

    # -- the attempt ------------------------------------------------------------------------------

    def delay_after(self, failures: int, rule: Rule) -> float:
        """Seconds the next attempt waits after ``failures`` failures."""
        extra = failures - rule.free
        if extra < 0:
            return 0.0
        return float(
            min(self.settings.signin_delay_s * 2 ** min(extra, 30), self.settings.signin_max_delay_s)
        )

    def claim(self, username: str, address: str | None) -> Claim:
        """Count this attempt before the password is checked; ``auth.locked`` / ``auth.throttled`` if it may not
        be made now (the password is then not checked at all, for a known name as for an unknown one)."""
        rules = {account_key(username): self.account}
        addr = address_key(address)
        if addr:
            rules[addr] = self.address
        claim = Claim({})
        try:
            for key, rule in rules.items():
                claim.keys[key] = self._claim_key(key, rule)
        except (AuthLocked, AuthThrottled):
            self.give_back(claim)
            raise
        return claim

    def _ensure_row(self, key: str) -> None:
        with self._sessions.begin() as session:
            if session.get(SignInThrottle, key) is not None:
                return
        try:
            with self._sessions.begin() as session:
                session.add(SignInThrottle(key=key, failures=0))
        except IntegrityError:  # another attempt made it at the same moment
            pass

    def _claim_key(self, key: str, rule: Rule) -> int:
        self._ensure_row(key)
        now = utcnow()
        with self._sessions.begin() as session:
            row = session.get(SignInThrottle, key)
            if row is None:  # lifted by an administrator at this very moment: try again
                raise AuthThrottled(details={"retry_after_s": 1})
            if row.locked_until is not None and row.locked_until > now:
                raise AuthLocked(details=self._lock_details(row.locked_until, now))
            if row.next_attempt_at is not None and row.next_attempt_at > now:
                wait = math.ceil((row.next_attempt_at - now).total_seconds())
                raise AuthThrottled(details={"retry_after_s": max(1, wait)})
            window = timedelta(minutes=self.settings.signin_window_minutes)
            # a lock that has ended, or failures older than the window, start the count again
            stale = row.locked_until is not None or (
                row.last_failure_at is not None and row.last_failure_at < now - window
            )
            counted = (0 if stale else row.failures) + 1
            done = session.execute(
                update(SignInThrottle)
                .where(SignInThrottle.key == key, SignInThrottle.failures == row.failures)
                .values(
                    failures=counted,
                    last_failure_at=now,
                    locked_until=None,
                    next_attempt_at=now + timedelta(seconds=self.delay_after(counted, rule)),
                )
            )
            if done.rowcount != 1:  # type: ignore[attr-defined]  # a parallel attempt claimed it first
                raise AuthThrottled(details={"retry_after_s": 1})
        return counted

    @staticmethod
    def _lock_details(until: datetime, now: datetime) -> dict[str, object]:
        if until >= FOREVER:
            return {"until": "unlocked by an administrator"}
        return {
            "until": until.isoformat(timespec="seconds"),
            "retry_after_s": math.ceil((until - now).total_seconds()),
        }

    def failed(self, claim: Claim) -> None:
        """The password was wrong: the claimed failures stand, the wait runs from now; a key at its lock
        threshold is locked."""
        now, minutes = utcnow(), self.settings.signin_lock_minutes
        until = FOREVER if minutes <= 0 else now + timedelta(minutes=minutes)
        with self._sessions.begin() as session:
            for key, counted in claim.keys.items():
                rule = self.account if key.startswith("account:") else self.address
                # the wait starts from the answer (checking the password took a moment)
                values: dict[str, object] = {
                    "next_attempt_at": now + timedelta(seconds=self.delay_after(counted, rule))
                }
                if counted >= rule.lock:
                    values["locked_until"] = until
                session.execute(
                    update(SignInThrottle)
                    .where(SignInThrottle.key == key, SignInThrottle.failures == counted)
                    .values(**values)
                )

    def succeeded(self, claim: Claim) -> None:
        """The password was right: the account's record is cleared, the address gets its claim back."""
        with self._sessions.begin() as session:
            for key in claim.keys:
                if key.startswith("account:"):
                    session.execute(delete(SignInThrottle).where(SignInThrottle.key == key))
        self.give_back(Claim({k: v for k, v in claim.keys.items() if not k.startswith("account:")}))

    def give_back(self, claim: Claim) -> None:
        """Undo the claims of an attempt that was not made (another key refused it) or that succeeded."""
        with self._sessions.begin() as session:
            for key in claim.keys:
                row = session.get(SignInThrottle, key)
                if row is None or row.failures <= 0:
                    continue
                rule = self.account if key.startswith("account:") else self.address
                left = row.failures - 1
                session.execute(
                    update(SignInThrottle)
                    .where(SignInThrottle.key == key, SignInThrottle.failures == row.failures)
                    .values(
                        failures=left,
                        next_attempt_at=row.next_attempt_at if self.delay_after(left, rule) else None,
                    )
                )

    # -- administration ---------------------------------------------------------------------------

    def unlock(self, *, username: str | None = None, address: str | None = None) -> bool:
        """Lift the lock and forget the failures of an account name and/or an address; whether there was any."""
        keys = [k for k in (account_key(username) if username else None, address_key(address)) if k]
        with self._sessions.begin() as session:
            result = session.execute(delete(SignInThrottle).where(SignInThrottle.key.in_(keys)))
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def purge(self) -> int:
        """Forget records whose last failure is older than the window and that hold no lock (``inclusio cleanup``)."""
        now = utcnow()
        cutoff = now - timedelta(minutes=self.settings.signin_window_minutes)
        with self._sessions.begin() as session:
            result = session.execute(
                delete(SignInThrottle).where(
                    SignInThrottle.last_failure_at < cutoff,
                    (SignInThrottle.locked_until.is_(None)) | (SignInThrottle.locked_until <= now),
                )
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

    def locked(self, username: str) -> datetime | None:
        """When the account name's lock ends (``None``: not locked)."""
        with self._sessions.begin() as session:
            until = session.scalar(
                select(SignInThrottle.locked_until).where(SignInThrottle.key == account_key(username))
            )
        return until if until is not None and until > utcnow() else None


def check_password(
    users: UserStore, throttle: Throttle, username: str, password: str, address: str | None
) -> User:
    """The user whose password this is, through the throttle: ``auth.throttled`` or ``auth.locked`` before any
    check, ``auth.invalid`` for a wrong password or an unknown name (the same answer and the same hashing work)."""
    claim = throttle.claim(username, address)
    try:
        user = users.verify_password(username, password)
    except BaseException:
        throttle.give_back(claim)
        raise
    if user is None:
        throttle.failed(claim)
        raise AuthInvalid()
    throttle.succeeded(claim)
    return user
