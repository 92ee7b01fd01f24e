"""The role and course of an LTI launch belong to the session that launch opened, not to the account.

A person is often a teacher in one course and a learner in another. A launch's role (Instructor, Learner,
the disability-services role...) is therefore kept with the web session it opens, with the launch's course
(the ``context`` claim's label, else title, else id): a ``session`` record in ``lti_once`` keyed by the
session token's digest, expiring with the token (erased with the person's data, like every ``lti_once``
record naming them). The account made by a first launch has the least role, ``student``; launches never
change it (an administrator may). So:

* :func:`inclusio.web.session.current_user` gives a launched session the launch's role;
* course-scoped pages (the course's documents, deep linking, the roster) call :func:`check_course`: a
  session launched in course A is refused (``lti.other_course``) on course B's pages.

A browser holds one session cookie: the latest launch in that browser decides its role (two courses open
side by side in one browser share the latest one; docs/lms.md).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from inclusio.auth.launch_scope import KIND, from_launch, refuse_password, session_scope
from inclusio.errors import LtiOtherCourse
from inclusio.store.lti import OnceStore

__all__ = [
    "KIND",
    "check_course",
    "course_key",
    "from_launch",
    "launched",
    "refuse_password",
    "remember",
    "session_scope",
]


def course_key(context: dict[str, str]) -> str:
    """The launch's course as shares name it: the context's label, else its title, else its id."""
    return (context.get("label") or context.get("title") or context.get("id") or "")[:120]


def remember(once: OnceStore, token: str, *, user_id: str, role: str, course: str, seconds: float) -> None:
    """Bind the launch's role and course to the session ``token`` (for as long as the token lives)."""
    once.put(KIND, token, {"user": user_id, "role": role, "course": course}, seconds=seconds)


def launched(request: Request) -> dict[str, Any] | None:
    """This request's launch scope (set by :func:`inclusio.web.session.current_user`), or ``None``."""
    from inclusio.web import session as web

    web.current_user(request)
    return getattr(request.state, "lti_scope", None)


def check_course(request: Request, course: str) -> None:
    """``lti.other_course`` (403) when this session was opened by a launch in another course than ``course``
    (a session signed in otherwise is not scoped to a course)."""
    scope = launched(request)
    if scope is not None and scope.get("course") != course:
        raise LtiOtherCourse(details={"course": course[:120]})
