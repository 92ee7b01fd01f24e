"""The first admin of a fresh installation (``inclusio serve`` calls :func:`ensure_first_admin`).

Decision: when the database has no user at all, an ``admin`` account (``INCLUSIO_ADMIN_USERNAME``)
is created. Its password is ``INCLUSIO_ADMIN_PASSWORD`` when set (automated deployments); otherwise
a random one is generated and printed once on the console with a ready-to-use bearer token, and
stored nowhere but as its Argon2 hash. Change it with ``inclusio users passwd admin``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from inclusio.config import Settings
from inclusio.store.accounts import UserStore


@dataclass(frozen=True)
class FirstAdmin:
    username: str
    password: str | None
    """The generated password (``None`` when it came from the settings)."""
    token: str


def ensure_first_admin(settings: Settings, users: UserStore) -> FirstAdmin | None:
    """Create the first admin if there is no user yet; ``None`` when there already is one."""
    if users.count() > 0:
        return None
    given = settings.admin_password.get_secret_value() if settings.admin_password else None
    password = given or secrets.token_urlsafe(12)
    from inclusio.errors import UserExists

    try:
        user = users.create_user(
            settings.admin_username, role="admin", institution=settings.institution, password=password
        )
    except UserExists:  # another process made it at the same moment
        return None
    token, _expires = users.issue_token(user.id, hours=settings.token_hours)
    return FirstAdmin(username=user.username, password=None if given else password, token=token)
