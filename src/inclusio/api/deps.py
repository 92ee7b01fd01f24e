"""What the routes share: settings, stores, the sender, the identity-provider verifier; and the caller."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from inclusio.auth.oidc import OidcVerifier
from inclusio.auth.policy import Principal
from inclusio.config import Settings
from inclusio.errors import AuthInvalid, AuthRequired, Forbidden
from inclusio.jobs.queue import Sender
from inclusio.store.accounts import TOKEN_PREFIX, UserStore
from inclusio.store.batches import BatchStore
from inclusio.store.files import FileStore
from inclusio.store.jobs import JobStore
from inclusio.store.shares import ShareStore


@dataclass
class Services:
    """What every route reaches through :data:`Svc`. The row stores share one database (one engine)."""

    settings: Settings
    store: JobStore
    """The job store (jobs and their events)."""
    shares: ShareStore
    batches: BatchStore
    users: UserStore
    files: FileStore
    send: Sender
    oidc: OidcVerifier | None
    preview_cache: dict[str, Any] = field(default_factory=dict)


def services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


bearer = HTTPBearer(auto_error=False, description="a token from POST /auth/token or the identity provider")


def optional_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal | None:
    """The caller, or ``None`` without an Authorization header; a wrong token is ``auth.invalid``."""
    if credentials is None:
        if request.headers.get("authorization"):
            raise AuthInvalid(details={"reason": "not a bearer token"})
        return None
    svc = services(request)
    token = credentials.credentials
    if token.startswith(TOKEN_PREFIX):
        user = svc.users.resolve_token(token)
        if user is None:
            raise AuthInvalid()
        return Principal.of(user)
    if svc.oidc is None or token.count(".") != 2:
        raise AuthInvalid()
    identity = svc.oidc.verify(token)
    user = svc.users.upsert_oidc_user(
        identity.subject, username=identity.username, role=identity.role, institution=identity.institution
    )
    return Principal.of(user)


def principal(who: Annotated[Principal | None, Depends(optional_principal)]) -> Principal:
    """The signed-in caller (``auth.required`` without a token)."""
    if who is None:
        raise AuthRequired()
    return who


def staff(who: Annotated[Principal, Depends(principal)]) -> Principal:
    if not who.is_staff:
        raise Forbidden(details={"needs": "staff"})
    return who


Caller = Annotated[Principal, Depends(principal)]
StaffCaller = Annotated[Principal, Depends(staff)]
Svc = Annotated[Services, Depends(services)]
