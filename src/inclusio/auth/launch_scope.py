"""What the web session needs to know of an LTI launch, below both ``inclusio.web`` and ``inclusio.lti``.

A launch's role and course belong to the session it opened (``inclusio.lti.scope`` says why and writes the
record); the web session reads it back here, and the password pages ask whether an account was made by a
launch. Kept in ``auth`` so that ``inclusio.web`` never imports ``inclusio.lti`` (which builds on the web
session): no import circle between the two packages.
"""

from __future__ import annotations

from typing import Any

from inclusio.errors import LtiNoPassword
from inclusio.store.lti import OnceStore

KIND = "session"
"""The ``lti_once`` kind of a launched session's record."""


def session_scope(svc: Any, token: str) -> dict[str, Any] | None:
    """The launch's ``role`` and ``course`` of the session ``token``, or ``None`` (not a launched session,
    or its record expired)."""
    data = OnceStore(svc.store.db).peek(KIND, token)
    if data is None or data.get("role") not in ("student", "teacher", "staff"):
        return None
    return data


def from_launch(user: Any) -> bool:
    """Whether ``user``'s account was made by a course platform's launch (it has no password)."""
    return (getattr(user, "oidc_subject", None) or "").startswith("lti|")


def refuse_password(user: Any) -> None:
    """``lti.no_password`` (403) for an account made by a launch: it has no password to change or sign in
    with; the person opens inclusio from their course."""
    if from_launch(user):
        raise LtiNoPassword(details={"reason": "account made by a course platform's launch"})
