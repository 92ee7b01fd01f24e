"""People: sign-in tokens, accounts, learner profiles (health data, audited), erasure, the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from inclusio.api.deps import Caller, Services, StaffCaller, Svc
from inclusio.api.schemas import (
    AUTH_ERRORS,
    AuditView,
    Erased,
    LearnerProfileUpdate,
    LearnerProfileView,
    NewUser,
    Token,
    UserView,
    errors,
)
from inclusio.auth.policy import Principal, can_manage_user, may_create_user, require
from inclusio.errors import Forbidden, UserNotFound
from inclusio.jobs.inputs import resolve_profile
from inclusio.store.erasure import erase_user_data
from inclusio.store.models import User
from inclusio.store.throttle import Throttle, check_password

router = APIRouter(tags=["people"])


@router.post(
    "/auth/token",
    response_model=Token,
    responses=errors(400, 401, 423, 429),
    summary="Sign in with a local account: a bearer token (wrong passwords are slowed, then locked)",
)
def sign_in(
    svc: Svc,
    request: Request,
    username: Annotated[str, Form(max_length=128)],
    password: Annotated[str, Form(max_length=256)],
) -> Token:
    user = check_password(svc.users, throttle_of(svc), username, password, client_address(request))
    token, expires = svc.users.issue_token(user.id, hours=svc.settings.token_hours)
    return Token(access_token=token, expires_at=expires.isoformat())


def throttle_of(svc: Services) -> Throttle:
    return Throttle(svc.users.engine, svc.settings)


def client_address(request: Request) -> str | None:
    """The peer's address (behind a reverse proxy: run uvicorn with --proxy-headers and --forwarded-allow-ips)."""
    return request.client.host if request.client else None


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=8, max_length=256)


class PasswordReset(BaseModel):
    new_password: str = Field(min_length=8, max_length=256)


@router.post(
    "/me/password",
    response_model=Token,
    responses=errors(400, 423, 429, *AUTH_ERRORS),
    summary="Change my password: every earlier token and web session of mine stops working; "
    "the answer is a new token",
)
def change_my_password(svc: Svc, who: Caller, request: Request, change: PasswordChange) -> Token:
    user = svc.users.get(who.id)
    if not user.password_hash:
        raise Forbidden(
            "This account has no local password (it signs in through the identity provider, or with "
            "tokens only): change the password at the identity provider, or ask an administrator.",
            message_fr="Ce compte n'a pas de mot de passe local (il se connecte par le fournisseur "
            "d'identité, ou par jetons seulement) : changez le mot de passe chez le "
            "fournisseur d'identité, ou demandez à un administrateur.",
            details={"reason": "no local password"},
        )
    check_password(
        svc.users, throttle_of(svc), user.username, change.current_password, client_address(request)
    )
    svc.users.set_password(user.id, change.new_password)
    svc.users.audit(
        actor_id=who.id, action="password.changed", subject_id=user.id, institution=user.institution
    )
    token, expires = svc.users.issue_token(user.id, hours=svc.settings.token_hours)
    return Token(access_token=token, expires_at=expires.isoformat())


@router.delete(
    "/auth/token",
    status_code=204,
    responses=errors(*AUTH_ERRORS),
    summary="Sign out: revoke the token of this request",
)
def sign_out(svc: Svc, who: Caller, request: Request) -> Response:
    token = request.headers.get("authorization", "").partition(" ")[2]
    svc.users.revoke_token(token)
    return Response(status_code=204)


def _managed(svc: Services, who: Principal, user_id: str) -> User:
    """The user if ``who`` may manage them; ``user.not_found`` otherwise (existence is not revealed)."""
    user = svc.users.get(user_id)
    if not can_manage_user(who, user):
        raise UserNotFound(details={"user": user_id[:64]})
    return user


def _profile_view(svc: Services, who: Principal, user: User) -> LearnerProfileView:
    row = svc.users.get_profile(user.id)
    svc.users.audit(actor_id=who.id, action="profile.read", subject_id=user.id, institution=user.institution)
    return LearnerProfileView(
        user_id=user.id,
        profile=row.profile_id if row else None,
        updated_at=row.updated_at.isoformat() if row else None,
    )


def _set_profile(
    svc: Services, who: Principal, user: User, update: LearnerProfileUpdate
) -> LearnerProfileView:
    chosen = resolve_profile(svc, update.profile)
    row = svc.users.set_profile(user.id, chosen.id)
    # that it changed, not to what: a profile id tells a disability
    svc.users.audit(actor_id=who.id, action="profile.write", subject_id=user.id, institution=user.institution)
    return LearnerProfileView(user_id=user.id, profile=row.profile_id, updated_at=row.updated_at.isoformat())


@router.get("/me", response_model=UserView, responses=errors(*AUTH_ERRORS))
def me(svc: Svc, who: Caller) -> UserView:
    return UserView.of(svc.users.get(who.id))


@router.delete(
    "/me",
    response_model=Erased,
    responses=errors(*AUTH_ERRORS),
    summary="Delete my account, my profile and every job and file made from my documents",
)
def delete_me(svc: Svc, who: Caller) -> Erased:
    done = erase_user_data(
        svc.store, svc.users, svc.files, who.id, actor_id=who.id, delete_account=True, settings=svc.settings
    )
    return Erased(
        user_id=done.user_id, jobs=done.jobs, files=done.files, account_deleted=True, shares=done.shares
    )


@router.get("/me/profile", response_model=LearnerProfileView, responses=errors(*AUTH_ERRORS))
def my_profile(svc: Svc, who: Caller) -> LearnerProfileView:
    return _profile_view(svc, who, svc.users.get(who.id))


@router.put("/me/profile", response_model=LearnerProfileView, responses=errors(400, 404, *AUTH_ERRORS))
def set_my_profile(svc: Svc, who: Caller, update: LearnerProfileUpdate) -> LearnerProfileView:
    return _set_profile(svc, who, svc.users.get(who.id), update)


@router.get(
    "/users",
    response_model=list[UserView],
    responses=errors(*AUTH_ERRORS),
    summary="Staff: the users of their institution; admins: everyone",
)
def list_users(svc: Svc, who: StaffCaller) -> list[UserView]:
    return [UserView.of(u) for u in svc.users.list(institution=None if who.is_admin else who.institution)]


@router.post(
    "/users",
    status_code=201,
    response_model=UserView,
    responses=errors(400, 409, *AUTH_ERRORS),
    summary="Create a local account (staff: students and teachers of their institution)",
)
def create_user(svc: Svc, who: StaffCaller, new: NewUser) -> UserView:
    institution = new.institution or who.institution
    require(may_create_user(who, new.role, institution), "create this user")
    user = svc.users.create_user(new.username, role=new.role, institution=institution, password=new.password)
    svc.users.audit(
        actor_id=who.id,
        action="user.created",
        subject_id=user.id,
        institution=institution,
        details={"role": new.role},
    )
    return UserView.of(user)


@router.get("/users/{user_id}", response_model=UserView, responses=errors(404, *AUTH_ERRORS))
def get_user(svc: Svc, who: Caller, user_id: str) -> UserView:
    return UserView.of(_managed(svc, who, user_id))


@router.get(
    "/users/{user_id}/profile", response_model=LearnerProfileView, responses=errors(404, *AUTH_ERRORS)
)
def user_profile(svc: Svc, who: Caller, user_id: str) -> LearnerProfileView:
    return _profile_view(svc, who, _managed(svc, who, user_id))


@router.put(
    "/users/{user_id}/profile", response_model=LearnerProfileView, responses=errors(400, 404, *AUTH_ERRORS)
)
def set_user_profile(svc: Svc, who: Caller, user_id: str, update: LearnerProfileUpdate) -> LearnerProfileView:
    return _set_profile(svc, who, _managed(svc, who, user_id), update)


@router.delete(
    "/users/{user_id}/data",
    response_model=Erased,
    responses=errors(404, *AUTH_ERRORS),
    summary="Erase a user's profile and every job and file made from their documents",
)
def erase_user(svc: Svc, who: Caller, user_id: str) -> Erased:
    user = _managed(svc, who, user_id)
    done = erase_user_data(
        svc.store, svc.users, svc.files, user.id, actor_id=who.id, delete_account=False, settings=svc.settings
    )
    return Erased(
        user_id=done.user_id, jobs=done.jobs, files=done.files, account_deleted=False, shares=done.shares
    )


@router.put(
    "/users/{user_id}/password",
    status_code=204,
    responses=errors(400, 404, *AUTH_ERRORS),
    summary="Reset a user's password (admins; staff: students and teachers of their institution); "
    "every token and web session of theirs stops working",
)
def reset_password(svc: Svc, who: StaffCaller, user_id: str, reset: PasswordReset) -> Response:
    user = _managed(svc, who, user_id)
    if user.id == who.id:
        raise Forbidden(
            "Change your own password with POST /me/password (it asks for the current one).",
            message_fr="Changez votre propre mot de passe avec POST /me/password (il demande l'actuel).",
            details={"action": "reset own password"},
        )
    svc.users.set_password(user.id, reset.new_password)
    throttle_of(svc).unlock(username=user.username)
    svc.users.audit(
        actor_id=who.id, action="password.reset", subject_id=user.id, institution=user.institution
    )
    return Response(status_code=204)


@router.delete(
    "/users/{user_id}/lock",
    status_code=204,
    responses=errors(404, *AUTH_ERRORS),
    summary="Lift the sign-in lock of a user after too many wrong passwords (and forget the failures)",
)
def unlock_user(svc: Svc, who: StaffCaller, user_id: str) -> Response:
    user = _managed(svc, who, user_id)
    throttle_of(svc).unlock(username=user.username)
    svc.users.audit(
        actor_id=who.id, action="sign_in.unlocked", subject_id=user.id, institution=user.institution
    )
    return Response(status_code=204)


@router.get(
    "/audit",
    response_model=list[AuditView],
    responses=errors(*AUTH_ERRORS),
    summary="Who read or changed whose personal data (staff: their institution)",
)
def audit_log(svc: Svc, who: StaffCaller, subject: str | None = None) -> list[AuditView]:
    entries = svc.users.audit_entries(
        institution=None if who.is_admin else who.institution, subject_id=subject
    )
    return [AuditView.of(e) for e in entries]
