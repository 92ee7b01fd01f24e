"""Deep Linking: a teacher adding content in the platform picks (or uploads) a document; the tool answers
with a signed ``LtiDeepLinkingResponse`` holding one link, "Versions accessibles : <title>", whose launch
carries the share's id (custom parameter ``share``). The document becomes a share for the launch's course
(the ``context`` claim's label, else its title, else its id).

The request is remembered (single use, one hour) under a random key in the picker's URL
(``/lti/deep-link/{key}``), bound to the teacher who launched it.
"""

from __future__ import annotations

import secrets
import time
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from inclusio.errors import InclusioError, LtiReplayed
from inclusio.lti import keys
from inclusio.lti.launch import CLAIM, DL_CLAIM, Launch
from inclusio.lti.scope import check_course, course_key
from inclusio.store.lti import OnceStore
from inclusio.web import session as web

router = APIRouter(include_in_schema=False)
REQUEST_SECONDS = 3600
LINK_PREFIX = {"fr": "Versions accessibles : ", "en": "Versions accessibles : "}
"""The link's title is French in every language (the course's students read it in the platform)."""


def remember_request(once: OnceStore, launch: Launch, user_id: str) -> str:
    """Keep what the answer needs; the picker's path."""
    key = secrets.token_urlsafe(24)
    settings = launch.deep_linking
    once.put(
        "deeplink",
        key,
        {
            "user": user_id,
            "platform": launch.platform.id,
            "deployment": launch.deployment_id,
            "return_url": str(settings.get("deep_link_return_url")),
            "data": settings.get("data"),
            "course": course_key(launch.context),
        },
        seconds=REQUEST_SECONDS,
    )
    return f"/lti/deep-link/{key}"


def _peek(request: Request, key: str) -> dict[str, Any]:
    from inclusio.lti.routes import once_of

    data = once_of(request).take("deeplink", key)
    if data is None:
        raise LtiReplayed(details={"reason": "deep-linking request unknown, used or expired"})
    return data


def _put_back(request: Request, key: str, data: dict[str, Any]) -> None:
    from inclusio.lti.routes import once_of

    once_of(request).put("deeplink", key, data, seconds=REQUEST_SECONDS)


@router.get("/lti/deep-link/{key}", response_model=None)
def picker(request: Request, key: str) -> Response:
    """The teacher's documents to link, and an upload form."""
    from inclusio.lti.routes import error_page

    try:
        who = web.require_user(request, "teacher", "staff")
        data = _peek(request, key)
        _put_back(request, key, data)  # read, not used: the answer takes it
        if data["user"] != who.id:
            raise LtiReplayed(details={"reason": "another person's deep-linking request"})
        check_course(request, str(data["course"]))
        shares = web.svc_of(request).shares.list(owner=who.id)
    except web.SignInNeeded:
        return error_page(request, LtiReplayed(details={"reason": "no session: launch again"}))
    except InclusioError as err:
        return error_page(request, err)
    return web.render(request, "lti_deep_link.html", {"key": key, "shares": shares, "course": data["course"]})


@router.post("/lti/deep-link/{key}", response_model=None)
async def answer(
    request: Request,
    key: str,
    csrf_token: Annotated[str, Form()] = "",
    share: Annotated[str | None, Form(max_length=64)] = None,
    file: Annotated[UploadFile | None, File()] = None,
    title: Annotated[str | None, Form(max_length=255)] = None,
) -> Response:
    """Share the chosen (or uploaded) document for the course, and post the signed answer to the platform."""
    from inclusio.lti.routes import error_page, platforms_of

    try:
        web.check_csrf(request, csrf_token)
        who = web.require_user(request, "teacher", "staff")
        data = _peek(request, key)
        if data["user"] != who.id:
            raise LtiReplayed(details={"reason": "another person's deep-linking request"})
        check_course(request, str(data["course"]))
        platform = platforms_of(request).get(str(data["platform"]))
        if platform is None:
            raise LtiReplayed(details={"reason": "registration removed"})
        chosen = await run_in_threadpool(_course_share, request, who, data["course"], share, file, title)
    except web.SignInNeeded:
        return error_page(request, LtiReplayed(details={"reason": "no session: launch again"}))
    except InclusioError as err:
        return error_page(request, err)
    token = response_jwt(request, platform, data, chosen)
    page = web.render(request, "lti_deep_link_return.html", {"return_url": data["return_url"], "jwt": token})
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(data["return_url"]))
    policy = page.headers["Content-Security-Policy"]
    page.headers["Content-Security-Policy"] = policy.replace(
        "form-action 'self'", f"form-action 'self' {origin}"
    )
    return page


def _course_share(
    request: Request, who: Any, course: str, share_id: str | None, file: Any, title: str | None
) -> Any:
    from inclusio.errors import RequestInvalid
    from inclusio.jobs.shares import share_document, visible_share

    svc = web.svc_of(request)
    if file is not None and file.filename:
        return share_document(
            svc, who, upload=file.file, upload_name=file.filename, title=title, course=course
        )
    if not share_id:
        raise RequestInvalid(
            "Choose one of your documents or upload one.",
            message_fr="Choisissez un de vos documents ou déposez-en un.",
            details={"field": "share"},
        )
    picked = visible_share(svc, who, share_id)
    if picked.owner_id != who.id and not who.is_admin:
        raise RequestInvalid(
            "Choose one of your own documents.",
            message_fr="Choisissez un de vos propres documents.",
            details={"field": "share"},
        )
    # the same original shared for this course (the same row if it already is)
    return svc.shares.create(
        owner_id=who.id,
        institution=who.institution,
        title=picked.title,
        course=course[:120],
        filename=picked.filename,
        input_sha256=picked.input_sha256,
        input_path=picked.input_path,
        input_bytes=picked.input_bytes,
    )


def response_jwt(request: Request, platform: Any, data: dict[str, Any], share: Any) -> str:
    """The ``LtiDeepLinkingResponse``, signed with the tool's key (``kid`` in its header)."""
    import jwt

    key = keys.signing_key(web.svc_of(request).settings.data_dir)
    now = int(time.time())
    base = str(request.base_url).rstrip("/")
    claims: dict[str, Any] = {
        "iss": platform.client_id,
        "aud": platform.issuer,
        "iat": now,
        "exp": now + 600,
        "nonce": secrets.token_urlsafe(16),
        CLAIM + "deployment_id": data["deployment"],
        CLAIM + "message_type": "LtiDeepLinkingResponse",
        CLAIM + "version": "1.3.0",
        DL_CLAIM + "content_items": [
            {
                "type": "ltiResourceLink",
                "title": LINK_PREFIX["fr"] + share.title,
                "url": base + "/lti/launch",
                "custom": {"share": share.id},
            }
        ],
    }
    if data.get("data") is not None:
        claims[DL_CLAIM + "data"] = data["data"]
    return jwt.encode(claims, key.private_key(), algorithm="RS256", headers={"kid": key.kid})
