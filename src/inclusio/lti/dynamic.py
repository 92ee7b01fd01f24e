"""LTI Dynamic Registration (IMS LTI Dynamic Registration 1.0): a platform installs the tool from one URL.

The administrator makes a one-time registration URL on ``/lti/admin`` (``/lti/register/<key>``, 24 hours,
single use: the URL is the authority to register, since the platform's administrator opens it in the
platform's own frame, without inclusio's session). The platform opens it with ``openid_configuration`` (its
OpenID configuration URL) and ``registration_token``. The tool reads the configuration (the issuer must be
the configuration URL's own origin), posts its client registration to the platform's
``registration_endpoint`` (the tool's login, launch and JWKS URLs; resource-link and deep-linking messages;
the ``iss`` and ``sub`` claims only; no service scope) and stores the answer's client id and deployment id
as a registration. The page then asks the platform to close the frame (``org.imsglobal.lti.close``).
"""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import Response

from inclusio.errors import InclusioError, LtiBadMessage, LtiPlatformUnreachable, LtiReplayed
from inclusio.web import session as web

router = APIRouter(include_in_schema=False)
KEY_SECONDS = 24 * 3600
MAX_BYTES = 256 * 1024
TOOL_CONFIG = "https://purl.imsglobal.org/spec/lti-tool-configuration"
PLATFORM_CONFIG = "https://purl.imsglobal.org/spec/lti-platform-configuration"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _call(url: str, *, body: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
    """GET (or POST ``body`` as JSON) ``url``: a JSON object, no redirect followed, 256 KiB at most."""
    if urlsplit(url).scheme not in ("https", "http"):
        raise LtiBadMessage(details={"reason": "not an http(s) URL"})
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
    try:
        with urllib.request.build_opener(_NoRedirect()).open(request, timeout=10) as answer:
            raw = answer.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise LtiBadMessage(details={"reason": "the platform refused", "status": exc.code}) from exc
    except OSError as exc:
        raise LtiPlatformUnreachable(details={"url": url[:200], "reason": type(exc).__name__}) from exc
    try:
        value = json.loads(raw[:MAX_BYTES])
    except ValueError as exc:
        raise LtiBadMessage(details={"reason": "answer is not JSON"}) from exc
    if not isinstance(value, dict):
        raise LtiBadMessage(details={"reason": "answer is not a JSON object"})
    return value


def make_registration_url(request: Request, institution: str) -> str:
    from inclusio.lti.routes import once_of

    key = secrets.token_urlsafe(24)
    once_of(request).put("register", key, {"institution": institution}, seconds=KEY_SECONDS)
    return str(request.base_url).rstrip("/") + f"/lti/register/{key}"


def client_registration(base: str) -> dict[str, Any]:
    """What the tool asks the platform to register (LTI Dynamic Registration, section 3.5)."""
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": base + "/lti/login",
        "redirect_uris": [base + "/lti/launch"],
        "client_name": "inclusio",
        "jwks_uri": base + "/lti/jwks",
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": "",
        TOOL_CONFIG: {
            "domain": urlsplit(base).netloc,
            "target_link_uri": base + "/lti/launch",
            "claims": ["iss", "sub"],
            "messages": [
                {"type": "LtiResourceLinkRequest"},
                {
                    "type": "LtiDeepLinkingRequest",
                    "target_link_uri": base + "/lti/launch",
                    "label": "Versions accessibles (inclusio)",
                    "label#en": "Accessible versions (inclusio)",
                },
            ],
        },
    }


def register(request: Request, key: str, openid_configuration: str, registration_token: str | None) -> Any:
    from inclusio.lti.routes import once_of, platforms_of

    data = once_of(request).take("register", key)
    if data is None:
        raise LtiReplayed(details={"reason": "registration URL unknown, used or expired"})
    config = _call(openid_configuration)
    issuer = str(config.get("issuer") or "")
    given = urlsplit(openid_configuration)
    if not issuer or urlsplit(issuer).netloc != given.netloc or urlsplit(issuer).scheme != given.scheme:
        raise LtiBadMessage(details={"reason": "issuer is not the configuration URL's origin"})
    endpoints = {
        k: str(config.get(k) or "")
        for k in ("registration_endpoint", "jwks_uri", "authorization_endpoint", "token_endpoint")
    }
    if not all(endpoints.values()):
        raise LtiBadMessage(details={"reason": "openid configuration without an endpoint"})
    base = str(request.base_url).rstrip("/")
    answer = _call(
        endpoints["registration_endpoint"], body=client_registration(base), token=registration_token
    )
    client_id = str(answer.get("client_id") or "")
    tool = answer.get(TOOL_CONFIG) or {}
    deployment = str(tool.get("deployment_id") or "") if isinstance(tool, dict) else ""
    if not client_id:
        raise LtiBadMessage(details={"reason": "registration answer without client_id"})
    return platforms_of(request).add(
        issuer=issuer,
        client_id=client_id,
        deployment_ids=[deployment] if deployment else [],
        jwks_url=endpoints["jwks_uri"],
        auth_login_url=endpoints["authorization_endpoint"],
        token_url=endpoints["token_endpoint"],
        institution=str(data.get("institution") or "default"),
    )


@router.get("/lti/register/{key}", response_model=None)
def dynamic_registration(
    request: Request, key: str, openid_configuration: str = "", registration_token: str | None = None
) -> Response:
    from inclusio.lti.routes import error_page

    try:
        if not openid_configuration:
            raise LtiBadMessage(details={"reason": "no openid_configuration"})
        platform = register(request, key, openid_configuration, registration_token)
    except InclusioError as err:
        return error_page(request, err)
    return web.render(request, "lti_registered.html", {"platform": platform}, who=None)
