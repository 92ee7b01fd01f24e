"""The LTI 1.3 launch: OIDC third-party-initiated login, then the platform's ``id_token`` checked.

1. The platform calls ``/lti/login`` (``iss``, ``login_hint``, ``target_link_uri``, maybe
   ``lti_message_hint``, ``client_id``, ``lti_deployment_id``). :func:`login_redirect` finds the registration,
   stores a random ``state`` with a random ``nonce`` (single use, 10 minutes) and sends the browser to the
   platform's authorization URL.
2. The platform posts ``id_token`` and ``state`` to ``/lti/launch``. :func:`validate_launch` takes the state
   (deleted as it is read), checks the token's signature with the platform's JWKS (cached, fetched again on
   an unknown ``kid``), ``iss``, ``aud``, ``azp``, ``exp``/``iat`` (30 s of leeway), the nonce (the state's,
   never seen before), the deployment id, the message type and the version. Any failure is an
   :class:`~inclusio.errors.LtiRefused` with its own code, and nothing is created.
3. :func:`account_for` makes (or finds) the account from ``iss`` + ``sub``: a digest of both as its
   subject, ``lti-<12 hex>`` as its name; a name only when the registration keeps names.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from inclusio.errors import (
    LtiBadMessage,
    LtiBadSignature,
    LtiExpired,
    LtiOtherBrowser,
    LtiPlatformUnreachable,
    LtiRefused,
    LtiReplayed,
    LtiUnknownDeployment,
    LtiUnknownPlatform,
    LtiWrongAudience,
    LtiWrongTarget,
)
from inclusio.store.lti import OnceStore, PlatformStore
from inclusio.store.models import LtiPlatform

log = logging.getLogger("inclusio.lti")

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
DL_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/"
NRPS_CLAIM = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
RESOURCE_LINK = "LtiResourceLinkRequest"
DEEP_LINKING = "LtiDeepLinkingRequest"
MESSAGE_TYPES = (RESOURCE_LINK, DEEP_LINKING)
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384"]
STATE_SECONDS = 600
LEEWAY_SECONDS = 30
TEACHER_ROLES = ("Instructor", "TeachingAssistant", "ContentDeveloper")
RELAUNCH_PARAMS = (
    "iss",
    "login_hint",
    "target_link_uri",
    "lti_message_hint",
    "client_id",
    "lti_deployment_id",
)


@dataclass
class Launch:
    """What a checked launch says (only what the tool needs)."""

    platform: LtiPlatform
    subject: str
    message_type: str
    roles: list[str]
    role: str
    context: dict[str, str] = field(default_factory=dict)
    resource_link: str | None = None
    custom: dict[str, str] = field(default_factory=dict)
    deep_linking: dict[str, Any] = field(default_factory=dict)
    deployment_id: str = ""
    name: str | None = None
    nrps: dict[str, Any] = field(default_factory=dict)
    """The Names and Role Provisioning Service claim, when the platform offers it for this context."""


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url`` (lower case; the default port left out), ``""`` if it has none."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in ("http", "https") or not host:
        return ""
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}[scheme]
    return f"{scheme}://{host}" + (f":{port}" if port not in (None, default) else "")


def check_target(target: object, tool_origins: set[str], where: str) -> None:
    """``lti.wrong_target`` unless ``target`` (a target link URI) is on one of the tool's own origins."""
    if not isinstance(target, str) or not target:
        raise LtiBadMessage(details={"reason": f"{where}: target_link_uri missing"})
    if origin_of(target) not in tool_origins:
        raise LtiWrongTarget(details={"reason": where, "target_origin": origin_of(target)[:200]})


def login_redirect(
    platforms: PlatformStore,
    once: OnceStore,
    params: dict[str, str],
    launch_url: str,
    tool_origins: set[str] | None = None,
    *,
    browser: str | None = None,
) -> str:
    """The platform's authorization URL for this login initiation (a state and nonce stored, single use).

    ``tool_origins``: the origins the login's ``target_link_uri`` may point at (default: the launch URL's).
    ``browser``: the digest of the random value of the state cookie this login sets in the browser; the
    launch must come with that cookie (login CSRF)."""
    issuer = params.get("iss") or ""
    login_hint = params.get("login_hint") or ""
    if not issuer or not login_hint:
        raise LtiBadMessage(details={"reason": "login without iss or login_hint"})
    check_target(params.get("target_link_uri"), tool_origins or {origin_of(launch_url)}, "login")
    platform = platforms.find(issuer, params.get("client_id") or None)
    if platform is None:
        log.warning("lti.unknown_platform at login: %s", issuer[:200])
        raise LtiUnknownPlatform(details={"issuer": issuer[:200]})
    deployment = params.get("lti_deployment_id")
    if deployment and deployment not in platform.deployment_ids:
        log.warning("lti.unknown_deployment at login: %s", issuer[:200])
        raise LtiUnknownDeployment(details={"issuer": issuer[:200]})
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    origins = sorted(tool_origins or {origin_of(launch_url)})
    again = {k: params[k] for k in RELAUNCH_PARAMS if params.get(k)}  # the same login, in a new window
    once.put(
        "state",
        state,
        {"nonce": nonce, "platform": platform.id, "origins": origins, "browser": browser, "login": again},
        seconds=STATE_SECONDS,
    )
    query = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": platform.client_id,
        "redirect_uri": launch_url,
        "login_hint": login_hint,
        "state": state,
        "nonce": nonce,
    }
    if params.get("lti_message_hint"):
        query["lti_message_hint"] = params["lti_message_hint"]
    sep = "&" if "?" in platform.auth_login_url else "?"
    return platform.auth_login_url + sep + urlencode(query)


class _JwksCache:
    """One ``PyJWKClient`` per platform JWKS URL: keys cached an hour, fetched again for an unknown ``kid``."""

    def __init__(self, cooldown: float = 30.0) -> None:
        self._lock = threading.Lock()
        self._clients: dict[str, Any] = {}
        self.cooldown = cooldown
        """Seconds after a fetch during which an unknown ``kid`` does not fetch the JWKS again (so a flood
        of made-up kids cannot make the tool hammer the platform)."""

    def configure(self, *, cooldown: float) -> None:
        """Another cooldown (the keys are fetched afresh)."""
        with self._lock:
            self.cooldown = cooldown
            self._clients.clear()

    def key_for(self, url: str, token: str) -> Any:
        import jwt

        with self._lock:
            client = self._clients.get(url)
            if client is None:
                client = self._clients[url] = jwt.PyJWKClient(
                    url, cache_keys=True, lifespan=3600, timeout=5, cooldown_duration=self.cooldown
                )
        try:
            return client.get_signing_key_from_jwt(token).key
        except jwt.PyJWKClientConnectionError as exc:
            raise LtiPlatformUnreachable(details={"jwks_url": url[:200]}) from exc
        except (jwt.PyJWKClientError, jwt.DecodeError) as exc:
            # PyJWKClient has fetched the JWKS again before saying the kid is unknown
            raise LtiBadSignature(details={"reason": "no key of the platform has this kid"}) from exc


JWKS = _JwksCache()


def validate_launch(
    platforms: PlatformStore,
    once: OnceStore,
    id_token: str,
    state: str,
    *,
    jwks: _JwksCache = JWKS,
    browser: str | None = None,
) -> Launch:
    """The launch in ``id_token`` if everything checks; :class:`LtiRefused` (logged) otherwise.

    ``browser``: the digest of this browser's state cookie for ``state`` (``None`` without one)."""
    try:
        return _validate(platforms, once, id_token, state, jwks, browser)
    except LtiRefused as err:
        log.warning("LTI launch refused: %s %s", err.code, err.details)
        raise


def _validate(
    platforms: PlatformStore,
    once: OnceStore,
    id_token: str,
    state: str,
    jwks: _JwksCache,
    browser: str | None,
) -> Launch:
    import jwt

    login = once.take("state", state) if state else None
    if login is None:
        raise LtiReplayed(details={"reason": "state unknown, used or expired"})
    expected = login.get("browser")
    if expected and not (browser and secrets.compare_digest(str(expected), browser)):
        # not the browser that started this login (login CSRF), or one that dropped the cookie in the frame
        err = LtiOtherBrowser(details={"reason": "state cookie missing" if browser is None else "another"})
        err.relaunch = dict(login.get("login") or {})  # type: ignore[attr-defined]
        raise err
    platform = platforms.get(str(login.get("platform", "")))
    if platform is None:
        raise LtiUnknownPlatform(details={"reason": "registration removed since the login"})
    if id_token.count(".") != 2:
        raise LtiBadMessage(details={"reason": "id_token is not a JWT"})
    key = jwks.key_for(platform.jwks_url, id_token)
    try:
        claims = jwt.decode(
            id_token,
            key,
            algorithms=ALGORITHMS,
            audience=platform.client_id,
            issuer=platform.issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iat", "iss", "aud", "sub", "nonce"]},
        )
    except jwt.InvalidSignatureError as exc:
        raise LtiBadSignature(details={"reason": "signature"}) from exc
    except (jwt.ExpiredSignatureError, jwt.ImmatureSignatureError, jwt.InvalidIssuedAtError) as exc:
        raise LtiExpired(details={"reason": type(exc).__name__}) from exc
    except jwt.InvalidAudienceError as exc:
        raise LtiWrongAudience(details={"reason": "aud"}) from exc
    except jwt.InvalidIssuerError as exc:
        raise LtiUnknownPlatform(details={"reason": "iss is not the registration's"}) from exc
    except jwt.PyJWTError as exc:
        raise LtiBadMessage(details={"reason": type(exc).__name__}) from exc
    aud = claims["aud"]
    azp = claims.get("azp")
    if (isinstance(aud, list) and len(aud) > 1 and azp is None) or (
        azp is not None and azp != platform.client_id
    ):
        raise LtiWrongAudience(details={"reason": "azp"})
    if not isinstance(claims["nonce"], str) or not secrets.compare_digest(
        claims["nonce"], str(login["nonce"])
    ):
        raise LtiReplayed(details={"reason": "nonce is not the login's"})
    remaining = max(float(claims["exp"]) - time.time(), 0) + LEEWAY_SECONDS + 60
    if not once.put("nonce", platform.issuer + "|" + claims["nonce"], {}, seconds=remaining):
        raise LtiReplayed(details={"reason": "nonce seen before"})
    deployment = claims.get(CLAIM + "deployment_id")
    if not isinstance(deployment, str) or deployment not in platform.deployment_ids:
        raise LtiUnknownDeployment(details={"issuer": platform.issuer[:200]})
    checked = _launch_of(platform, claims, deployment)
    target = claims.get(CLAIM + "target_link_uri")
    if target is not None or checked.message_type == RESOURCE_LINK:  # required for a resource link
        check_target(target, set(login.get("origins") or []), "launch")
    return checked


def _launch_of(platform: LtiPlatform, claims: dict[str, Any], deployment: str) -> Launch:
    message_type = claims.get(CLAIM + "message_type")
    if message_type not in MESSAGE_TYPES:
        raise LtiBadMessage(details={"reason": "message_type", "value": str(message_type)[:64]})
    if claims.get(CLAIM + "version") != "1.3.0":
        raise LtiBadMessage(details={"reason": "version", "value": str(claims.get(CLAIM + "version"))[:16]})
    roles = claims.get(CLAIM + "roles")
    if not isinstance(roles, list):
        raise LtiBadMessage(details={"reason": "roles"})
    link = claims.get(CLAIM + "resource_link") or {}
    if message_type == RESOURCE_LINK and not (isinstance(link, dict) and link.get("id")):
        raise LtiBadMessage(details={"reason": "resource_link.id"})
    settings = claims.get(DL_CLAIM + "deep_linking_settings") or {}
    if message_type == DEEP_LINKING and not (
        isinstance(settings, dict) and settings.get("deep_link_return_url")
    ):
        raise LtiBadMessage(details={"reason": "deep_linking_settings.deep_link_return_url"})
    context = claims.get(CLAIM + "context") or {}
    custom = claims.get(CLAIM + "custom") or {}
    name = claims.get("name") if platform.keep_names else None
    return Launch(
        platform=platform,
        subject=str(claims["sub"]),
        message_type=message_type,
        roles=[str(r) for r in roles],
        role=role_of([str(r) for r in roles], platform.staff_role),
        context={
            k: str(context[k])[:255]
            for k in ("id", "label", "title")
            if isinstance(context, dict) and context.get(k)
        },
        resource_link=str(link.get("id"))[:255] if isinstance(link, dict) and link.get("id") else None,
        custom={str(k): str(v)[:255] for k, v in custom.items()} if isinstance(custom, dict) else {},
        deep_linking=dict(settings) if isinstance(settings, dict) else {},
        deployment_id=deployment,
        name=str(name)[:100] if name else None,
        nrps=dict(nrps) if isinstance(nrps := claims.get(NRPS_CLAIM), dict) else {},
    )


def _short(role: str) -> str:
    """``http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor`` -> ``Instructor``."""
    return re.split(r"[#/]", role.rstrip("#/"))[-1]


def role_of(roles: list[str], staff_role: str | None) -> str:
    """inclusio's role for the platform's roles: the disability-services role -> staff, Instructor and
    TeachingAssistant (and ContentDeveloper) -> teacher, anything else (Learner...) -> student. Never admin."""
    if staff_role and any(r == staff_role or _short(r) == _short(staff_role) for r in roles):
        return "staff"
    if any(_short(r) in TEACHER_ROLES for r in roles):
        return "teacher"
    return "student"


def account_subject(issuer: str, subject: str) -> str:
    """The stored subject of a platform's user: a digest of ``iss`` and ``sub`` (neither kept as such)."""
    return "lti|" + hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()


ACCOUNT_ROLE = "student"
"""The role of an account made by a launch: the least. A launch's own role goes with the session it opens
(:mod:`inclusio.lti.scope`), never onto the account; an administrator may change the account's."""


def account_for(users: Any, launch: Launch) -> Any:
    """The account of the launch's user (made on the first launch, role :data:`ACCOUNT_ROLE`); its institution
    follows the platform, its role is left as it is (the launch's role is the session's)."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from inclusio.errors import UserExists
    from inclusio.store.models import User

    subject = account_subject(launch.platform.issuer, launch.subject)
    institution = launch.platform.institution[:64]

    def existing() -> Any:
        with Session(users.engine, expire_on_commit=False) as session, session.begin():
            user = session.scalar(select(User).where(User.oidc_subject == subject))
            if user is not None:
                user.institution = institution
            return user

    user = existing()
    if user is not None:
        return user
    username = "lti-" + subject[4:16]
    if launch.name:
        cleaned = "".join(c for c in launch.name if c.isprintable() and not c.isspace())[:80]
        username = cleaned or username
    if users.by_username(username) is not None:
        username = f"{username}#{secrets.token_hex(3)}"
    try:
        return users.create_user(username, role=ACCOUNT_ROLE, institution=institution, oidc_subject=subject)
    except UserExists:  # two first launches of the same person at once
        user = existing()
        if user is None:
            raise
        return user
