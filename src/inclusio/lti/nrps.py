"""Names and Role Provisioning Service for staff: the roster of a course, to give learners their profile.

A staff member's launch that carries the NRPS claim (``context_memberships_url``) leads to
``/lti/roster/<key>`` (the launch remembered 8 hours, bound to that person). The tool asks the platform's
token URL for an access token with the NRPS scope only then (OAuth 2 client credentials with a JWT signed
by the tool's key, ``private_key_jwt``), reads the memberships, and shows each member with their role and
whether they have an inclusio account (they launched the tool once). Staff choose a profile for a learner
who has one (audited as every profile change; the roster's names are shown, never stored).
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from inclusio.errors import LtiBadMessage, LtiPlatformUnreachable, LtiReplayed
from inclusio.lti import keys
from inclusio.lti.launch import Launch, account_subject, role_of
from inclusio.lti.scope import check_course, course_key
from inclusio.web import session as web

router = APIRouter(route_class=web.WebRoute, include_in_schema=False)
CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
MEDIA_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
ROSTER_SECONDS = 8 * 3600
MAX_BYTES = 2 * 1024 * 1024


def remember_roster(once: Any, launch: Launch, user_id: str, claims_nrps: dict[str, Any]) -> str | None:
    url = claims_nrps.get("context_memberships_url") if isinstance(claims_nrps, dict) else None
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return None
    key = secrets.token_urlsafe(24)
    once.put(
        "roster",
        key,
        {
            "user": user_id,
            "platform": launch.platform.id,
            "url": url,
            "course": course_key(launch.context),
        },
        seconds=ROSTER_SECONDS,
    )
    return f"/lti/roster/{key}"


def _fetch(request: urllib.request.Request) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - http(s) checked by callers
            raw = answer.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise LtiBadMessage(details={"reason": "the platform refused", "status": exc.code}) from exc
    except OSError as exc:
        raise LtiPlatformUnreachable(details={"reason": type(exc).__name__}) from exc
    try:
        value = json.loads(raw[:MAX_BYTES])
    except ValueError as exc:
        raise LtiBadMessage(details={"reason": "answer is not JSON"}) from exc
    if not isinstance(value, dict):
        raise LtiBadMessage(details={"reason": "answer is not a JSON object"})
    return value


def access_token(data_dir: Any, platform: Any) -> str:
    """An access token for the NRPS scope (client credentials, the tool's signed JWT as its secret)."""
    import jwt

    key = keys.signing_key(data_dir)
    now = int(time.time())
    assertion = jwt.encode(
        {
            "iss": platform.client_id,
            "sub": platform.client_id,
            "aud": platform.token_url,
            "iat": now,
            "exp": now + 300,
            "jti": secrets.token_urlsafe(16),
        },
        key.private_key(),
        algorithm="RS256",
        headers={"kid": key.kid},
    )
    body = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
            "scope": SCOPE,
        }
    ).encode()
    answer = _fetch(
        urllib.request.Request(
            platform.token_url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
    )
    token = answer.get("access_token")
    if not isinstance(token, str):
        raise LtiBadMessage(details={"reason": "no access_token"})
    return token


def members(svc: Any, platform: Any, url: str) -> list[dict[str, Any]]:
    """The course's members: platform id, name (shown, never stored), inclusio role, account (if any)."""
    token = access_token(svc.settings.data_dir, platform)
    container = _fetch(
        urllib.request.Request(url, headers={"Accept": MEDIA_TYPE, "Authorization": f"Bearer {token}"})
    )
    out = []
    for member in container.get("members") or []:
        if (
            not isinstance(member, dict)
            or not member.get("user_id")
            or member.get("status", "Active") != "Active"
        ):
            continue
        subject = account_subject(platform.issuer, str(member["user_id"]))
        account = _by_subject(svc, subject)
        out.append(
            {
                "name": str(member.get("name") or member.get("given_name") or "")[:120],
                "role": role_of([str(r) for r in member.get("roles") or []], platform.staff_role),
                "account": account,
            }
        )
    return out


def is_learner(row: dict[str, Any], who: Any) -> bool:
    """A roster member whose profile staff may set: a learner in this course (the roster's role: the same
    person may teach elsewhere), with an account of staff's institution that is not staff or admin itself."""
    account = row["account"]
    return (
        account is not None
        and row["role"] == "student"
        and account.role in ("student", "teacher")
        and account.institution == who.institution
    )


def _by_subject(svc: Any, subject: str) -> Any:
    from sqlalchemy import select

    from inclusio.store.models import User

    with svc.store.db.session() as session:
        return session.scalar(select(User).where(User.oidc_subject == subject))


def _roster_of(request: Request, key: str) -> tuple[Any, dict[str, Any], Any]:
    from inclusio.lti.routes import once_of, platforms_of

    who = web.require_user(request, "staff")
    once = once_of(request)
    data = once.take("roster", key)
    if data is None or data["user"] != who.id:
        raise LtiReplayed(details={"reason": "roster link unknown, expired or another person's"})
    once.put("roster", key, data, seconds=ROSTER_SECONDS)  # kept for the next look
    check_course(request, str(data.get("course", "")))
    platform = platforms_of(request).get(str(data["platform"]))
    if platform is None or platform.institution != who.institution:
        raise LtiReplayed(details={"reason": "registration removed"})
    return who, data, platform


@router.get("/lti/roster/{key}")
async def roster_page(request: Request, key: str, done: str | None = None) -> Response:
    from inclusio.profiles import list_profiles

    who, data, platform = _roster_of(request, key)
    svc = web.svc_of(request)
    rows = await run_in_threadpool(members, svc, platform, str(data["url"]))
    profiles = {}
    for row in rows:
        account = row["account"]
        if is_learner(row, who):
            stored = svc.users.get_profile(account.id)
            profiles[account.id] = stored.profile_id if stored else ""
    if profiles:
        svc.users.audit(
            actor_id=who.id,
            action="profile.read",
            institution=who.institution,
            details={"count": len(profiles)},
        )
    return web.render(
        request,
        "lti_roster.html",
        {
            "key": key,
            "course": data.get("course", ""),
            "rows": rows,
            "profiles": profiles,
            "catalogue": list_profiles(svc.settings.profiles_dir),
            "done": done == "saved",
        },
        who=who,
    )


@router.post("/lti/roster/{key}/profile")
async def set_profile(
    request: Request,
    key: str,
    csrf_token: Annotated[str, Form()] = "",
    learner: Annotated[str, Form(max_length=64)] = "",
    profile: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    from inclusio.jobs.inputs import resolve_profile

    web.check_csrf(request, csrf_token)
    who, data, platform = _roster_of(request, key)
    svc = web.svc_of(request)
    rows = await run_in_threadpool(members, svc, platform, str(data["url"]))
    allowed = {r["account"].id for r in rows if is_learner(r, who)}
    if learner not in allowed:
        raise LtiReplayed(details={"reason": "not a learner of this course's roster"})
    chosen = resolve_profile(svc, profile).id
    svc.users.set_profile(learner, chosen)
    svc.users.audit(actor_id=who.id, action="profile.write", subject_id=learner, institution=who.institution)
    return RedirectResponse(f"/lti/roster/{key}?done=saved", status_code=303)
