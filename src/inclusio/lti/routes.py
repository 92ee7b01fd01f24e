"""The tool's HTTP side: ``/lti/jwks``, ``/lti/login``, ``/lti/launch``, ``/lti/session``, ``/lti/open/{share}``.

A launch ends in a one-time ticket (``/lti/session?ticket=...``, single use, 2 minutes) exchanged for the
normal web session: the session cookie is ``SameSite=None; Secure`` when the request came over HTTPS (the
pages then work inside the platform's iframe, a third-party context), else the pages' usual ``Strict``
cookie (a new window, or a platform on the same site). Every refusal is a coded page (``lti_error.html``).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from inclusio.errors import InclusioError, LtiLinkMissing, LtiOtherBrowser, LtiReplayed
from inclusio.lti import keys
from inclusio.lti.launch import (
    DEEP_LINKING,
    STATE_SECONDS,
    Launch,
    account_for,
    login_redirect,
    origin_of,
    validate_launch,
)
from inclusio.lti.scope import course_key
from inclusio.lti.scope import remember as remember_scope
from inclusio.store.jobs import JobFilter
from inclusio.store.lti import OnceStore, PlatformStore
from inclusio.web import session as web

router = APIRouter(include_in_schema=False)
log = logging.getLogger("inclusio.lti")
TICKET_SECONDS = 120


def platforms_of(request: Request) -> PlatformStore:
    return PlatformStore(web.svc_of(request).store.db)


def once_of(request: Request) -> OnceStore:
    return OnceStore(web.svc_of(request).store.db)


def error_page(request: Request, err: InclusioError) -> Response:
    relaunch = getattr(err, "relaunch", None)
    again = "/lti/login?" + urlencode(relaunch) if relaunch and relaunch.get("iss") else None
    return web.render(
        request, "lti_error.html", {"error": err, "relaunch": again}, status=err.http_status, who=None
    )


STATE_COOKIE = "inclusio_lti_state_"


def state_cookie(request: Request, state: str) -> str:
    """The name of the cookie binding the login of ``state`` to this browser (one per login: several
    launches may run at once on one course page)."""
    # __Host- over HTTPS (hence Path=/): a sibling subdomain cannot plant a login's cookie in a victim's browser
    return web.cookie_name(request, STATE_COOKIE + hashlib.sha256(state.encode()).hexdigest()[:16])


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


@router.get("/lti/jwks")
def tool_jwks(request: Request) -> Response:
    """The tool's public keys (every key not retired, the signing one first)."""
    return JSONResponse(
        keys.jwks(web.svc_of(request).settings.data_dir), headers={"Cache-Control": "max-age=300"}
    )


@router.api_route("/lti/login", methods=["GET", "POST"])
async def login(request: Request) -> Response:
    """OIDC third-party-initiated login: to the platform's authorization URL with a fresh state and nonce."""
    params: dict[str, str] = {k: str(v)[:2000] for k, v in request.query_params.items()}
    if request.method == "POST":
        form = await request.form()
        params.update({k: str(v)[:2000] for k, v in form.items() if isinstance(v, str)})
    binding = secrets.token_urlsafe(24)  # this browser's proof that it started the login
    try:
        target = login_redirect(
            platforms_of(request),
            once_of(request),
            params,
            launch_url(request),
            tool_origins(request),
            browser=digest(binding),
        )
    except InclusioError as err:
        log.warning("LTI login refused: %s %s", err.code, err.details)
        return error_page(request, err)
    response = RedirectResponse(target, status_code=302)
    state = parse_qs(urlsplit(target).query)["state"][-1]
    # SameSite=None over HTTPS: the platform posts the launch from its own site into its frame
    third_party = web.secure(request)
    response.set_cookie(
        state_cookie(request, state),
        binding,
        max_age=STATE_SECONDS,
        path="/",
        httponly=True,
        samesite="none" if third_party else "lax",
        secure=third_party,
    )
    return response


def launch_url(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/lti/launch"


def tool_origins(request: Request) -> set[str]:
    """The origins that are this tool: the one the platform called (the redirect URI sent to it) and the
    configured public address (``INCLUSIO_BASE_URL``, behind a proxy that rewrites the host)."""
    configured = web.svc_of(request).settings.base_url
    return {o for o in (origin_of(str(request.base_url)), origin_of(configured or "")) if o}


@router.post("/lti/launch")
def launch(
    request: Request,
    id_token: Annotated[str, Form(max_length=20_000)] = "",
    state: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """The platform's signed launch: checked, the account made or found, a one-time ticket to the session."""
    svc = web.svc_of(request)
    cookie = state_cookie(request, state) if state else ""
    binding = request.cookies.get(cookie) if cookie else None
    try:
        checked = validate_launch(
            platforms_of(request),
            once_of(request),
            id_token,
            state,
            browser=digest(binding) if binding else None,
        )
        linked_share(request, checked)  # a link to a document no longer shared: refused before any account
        user = account_for(svc.users, checked)
        target = landing_of(request, checked, user)
    except InclusioError as err:
        return error_page(request, err)
    ticket = secrets.token_urlsafe(32)
    once_of(request).put(
        "ticket",
        ticket,
        {
            "user": user.id,
            "next": target,
            "role": checked.role,
            "course": course_key(checked.context),
            "cookie": cookie,  # the session goes to the browser that started the login only
            "browser": digest(binding or ""),
        },
        seconds=TICKET_SECONDS,
    )
    return RedirectResponse(f"/lti/session?ticket={ticket}", status_code=303)


def linked_share(request: Request, checked: Launch) -> Any:
    """The share a link's ``share`` custom parameter names (of the platform's institution), or ``None``
    without one; ``lti.link_missing`` if it is gone or another institution's."""
    share_id = checked.custom.get("share")
    if not share_id:
        return None
    share = web.svc_of(request).shares.get(share_id)
    if share is None or share.institution != checked.platform.institution:
        log.warning("lti.link_missing: %s", share_id[:64])
        raise LtiLinkMissing(details={"share": share_id[:64]})
    return share


def landing_of(request: Request, checked: Launch, user: Any) -> str:
    """Where the launch leads: a deep-linking request to the picker; a student to the linked document (or
    the student page); a teacher or staff to the course's documents."""
    if checked.message_type == DEEP_LINKING:
        from inclusio.lti.deep_linking import remember_request

        return remember_request(once_of(request), checked, user.id)
    share = linked_share(request, checked)
    if share is not None and checked.role == "student":
        return f"/lti/open/{share.id}"
    if checked.role == "staff" and checked.nrps:  # the course's roster, to give learners their profile
        from inclusio.lti.nrps import remember_roster

        roster = remember_roster(once_of(request), checked, user.id, checked.nrps)
        if roster:
            return roster
    course = course_key(checked.context)
    if checked.role in ("teacher", "staff") and course:
        return "/lti/course?" + urlencode({"course": course})  # the course's documents, audited
    return web.home_of(replace(_principal(user), role=checked.role))


def _principal(user: Any) -> Any:
    from inclusio.auth.policy import Principal

    return Principal.of(user)


@router.get("/lti/session")
def session(request: Request, ticket: str = "") -> Response:
    """Exchange the launch's ticket (once) for the web session, then continue to the page it leads to."""
    svc = web.svc_of(request)
    data = once_of(request).take("ticket", ticket) if ticket else None
    if data is None:
        return error_page(request, LtiReplayed(details={"reason": "ticket unknown, used or expired"}))
    binding = request.cookies.get(str(data.get("cookie") or "")) if data.get("cookie") else None
    if data.get("cookie") and not (binding and secrets.compare_digest(digest(binding), str(data["browser"]))):
        log.warning("LTI ticket refused: lti.other_browser (the launch's browser did not start the login)")
        return error_page(request, LtiOtherBrowser(details={"reason": "ticket without its login's cookie"}))
    token, _ = svc.users.issue_token(str(data["user"]), hours=svc.settings.token_hours)
    if data.get("role"):  # the launch's role and course go with this session, not onto the account
        remember_scope(
            once_of(request),
            token,
            user_id=str(data["user"]),
            role=str(data["role"]),
            course=str(data.get("course") or ""),
            seconds=svc.settings.token_hours * 3600,
        )
    target = web.local_path(str(data.get("next")), "/web/")
    # our own page sends the browser on: a navigation this site starts carries a SameSite=Strict cookie
    response = web.render(request, "lti_continue.html", {"target": target}, who=None)
    response.headers["Refresh"] = f"0; url={target}"
    set_session_cookie(request, response, token, max_age=int(svc.settings.token_hours * 3600))
    if data.get("cookie"):  # the login's cookie has served
        response.delete_cookie(
            str(data["cookie"]), path="/", httponly=True, secure=web.secure(request), samesite="lax"
        )
    return response


def set_session_cookie(request: Request, response: Response, token: str, *, max_age: int) -> None:
    third_party = web.secure(request)
    response.set_cookie(
        web.cookie_name(request, web.SESSION_COOKIE),
        token,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="none" if third_party else "strict",
        secure=third_party,
    )


@router.get("/lti/open/{share_id}", response_model=None)
def open_share(request: Request, share_id: str) -> Response:
    """A student's adapted version of a linked document: their profile first (once), then their job (the
    one they already have for this document and profile, else a new one: converted once for everyone)."""
    from inclusio.jobs.shares import request_version, visible_share
    from inclusio.profiles import list_profiles
    from inclusio.web.pages import reading_overrides
    from inclusio.web.reader import with_reader_output

    try:
        who = web.require_user(request, "student")
        svc = web.svc_of(request)
        share = visible_share(svc, who, share_id)
        stored = svc.users.get_profile(who.id)
        if stored is None:
            profiles = list_profiles(svc.settings.profiles_dir)
            return web.render(request, "lti_profile_first.html", {"share": share, "profiles": profiles})
        for job in svc.store.list(JobFilter(owner=who.id, profile=stored.profile_id), limit=500):
            if job.input_sha256 == share.input_sha256 and job.status != "failed":
                return RedirectResponse(f"/web/jobs/{job.id}", status_code=303)
        from inclusio.jobs.inputs import resolve_profile

        wanted = with_reader_output(None, resolve_profile(svc, stored.profile_id))
        job = request_version(
            svc, who, share, outputs=wanted, reading=reading_overrides(web.reading_prefs(request))
        )
    except web.SignInNeeded:
        return error_page(request, LtiReplayed(details={"reason": "no session: launch again"}))
    except InclusioError as err:
        return error_page(request, err)
    return RedirectResponse(f"/web/jobs/{job.id}", status_code=303)


@router.post("/lti/open/{share_id}/profile", response_model=None)
def choose_profile(
    request: Request,
    share_id: str,
    csrf_token: Annotated[str, Form()] = "",
    profile: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """The student's reading profile, chosen once on the way to the linked document (audited, as on the
    student page: that it changed, never to what)."""
    from inclusio.jobs.inputs import resolve_profile

    try:
        web.check_csrf(request, csrf_token)
        who = web.require_user(request, "student")
        svc = web.svc_of(request)
        chosen = resolve_profile(svc, profile).id
        svc.users.set_profile(who.id, chosen)
        svc.users.audit(
            actor_id=who.id, action="profile.write", subject_id=who.id, institution=who.institution
        )
    except web.SignInNeeded:
        return error_page(request, LtiReplayed(details={"reason": "no session: launch again"}))
    except InclusioError as err:
        return error_page(request, err)
    return RedirectResponse(f"/lti/open/{share_id}", status_code=303)


def mount_lti(app: Any) -> None:
    """Add the tool's routes to the server (called by :func:`inclusio.server.create_app`)."""
    from inclusio.lti import admin, course, deep_linking, dynamic, nrps

    app.include_router(router)
    app.include_router(nrps.router)
    app.include_router(course.router)
    app.include_router(deep_linking.router)
    app.include_router(admin.router)
    app.include_router(dynamic.router)
