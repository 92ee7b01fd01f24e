"""The administrator's page of the LTI tool (``/lti/admin``): the URLs to give a platform, the registered
platforms (add, remove), the tool's keys (rotate). The same as ``inclusio lti ...``, for administrators."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from inclusio.lti import keys
from inclusio.web import session as web

router = APIRouter(route_class=web.WebRoute, include_in_schema=False)


def _platforms(request: Request):  # type: ignore[no-untyped-def]
    from inclusio.lti.routes import platforms_of

    return platforms_of(request)


@router.get("/lti/admin")
def admin_page(request: Request, done: str | None = None) -> Response:
    return _render(request, web.require_user(request, "admin"), done)


@router.post("/lti/admin/registration-url")
def new_registration_url(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    """A one-time Dynamic Registration URL (24 hours), shown once on the page (never in an address bar)."""
    from inclusio.lti.dynamic import make_registration_url

    web.check_csrf(request, csrf_token)
    who = web.require_user(request, "admin")
    url = make_registration_url(request, web.svc_of(request).settings.institution)
    return _render(request, who, None, registration_url=url)


def _render(request: Request, who: Any, done: str | None, registration_url: str | None = None) -> Response:
    svc = web.svc_of(request)
    base = str(request.base_url).rstrip("/")
    notice = {"added": "lti_admin_added", "removed": "lti_admin_removed", "rotated": "lti_admin_rotated"}.get(
        done or ""
    )
    return web.render(
        request,
        "lti_admin.html",
        {
            "platforms": _platforms(request).list(),
            "tool_keys": keys.jwks(svc.settings.data_dir)["keys"],
            "urls": {
                "login": base + "/lti/login",
                "launch": base + "/lti/launch",
                "jwks": base + "/lti/jwks",
            },
            "notice_key": notice,
            "institution": svc.settings.institution,
            "registration_url": registration_url,
        },
        who=who,
    )


@router.post("/lti/admin/platforms")
def add_platform(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    issuer: Annotated[str, Form(max_length=255)] = "",
    client_id: Annotated[str, Form(max_length=255)] = "",
    deployments: Annotated[str, Form(max_length=2000)] = "",
    jwks_url: Annotated[str, Form(max_length=1000)] = "",
    auth_url: Annotated[str, Form(max_length=1000)] = "",
    token_url: Annotated[str, Form(max_length=1000)] = "",
    institution: Annotated[str, Form(max_length=64)] = "",
    staff_role: Annotated[str, Form(max_length=255)] = "",
    keep_names: Annotated[bool, Form()] = False,
) -> Response:
    web.check_csrf(request, csrf_token)
    web.require_user(request, "admin")
    _platforms(request).add(
        issuer=issuer,
        client_id=client_id,
        deployment_ids=[d for d in re.split(r"[\s,]+", deployments) if d],
        jwks_url=jwks_url,
        auth_login_url=auth_url,
        token_url=token_url,
        institution=institution.strip() or web.svc_of(request).settings.institution,
        staff_role=staff_role or None,
        keep_names=keep_names,
    )
    return RedirectResponse("/lti/admin?done=added#platforms-h", status_code=303)


@router.post("/lti/admin/platforms/{platform_id}/remove")
def remove_platform(request: Request, platform_id: str, csrf_token: Annotated[str, Form()] = "") -> Response:
    web.check_csrf(request, csrf_token)
    web.require_user(request, "admin")
    _platforms(request).remove(platform_id)
    return RedirectResponse("/lti/admin?done=removed#platforms-h", status_code=303)


@router.post("/lti/admin/keys/rotate")
def rotate_key(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    web.check_csrf(request, csrf_token)
    web.require_user(request, "admin")
    keys.rotate(web.svc_of(request).settings.data_dir)
    return RedirectResponse("/lti/admin?done=rotated#keys-h", status_code=303)
