"""The browser session: a cookie holding the bearer token, a CSRF token, the language, rendering.

* ``inclusio_session``: the bearer token from the local sign-in (the same tokens as
  ``POST /auth/token``), ``HttpOnly``, ``SameSite=Strict``, ``Secure`` per
  ``INCLUSIO_COOKIE_SECURE`` (unset: when the request came over HTTPS). ``Secure`` cookies are named
  ``__Host-<name>`` (``__Host-inclusio_session``...): browsers accept those only from this host itself,
  never from a sibling subdomain (no cookie tossing, no planted session).
* CSRF: every form carries ``csrf_token`` = HMAC(server secret, the session): signed in, of the
  session token's digest; before sign-in, of ``inclusio_csrf``, a random cookie of this browser. A
  state-changing request (every web POST) whose field is not the one of *this request's* session is
  refused (``auth.forbidden``, reason ``csrf``): a cookie and field pair planted by someone else (say
  from a sibling subdomain) does not match the victim's session, and cannot be made without the
  secret. ``SameSite=Strict`` already keeps other sites' forms from carrying the session. The bearer
  API (``Authorization`` header, no cookie) is not open to CSRF: a browser never adds that header by
  itself, so the API routes need no token.
* ``inclusio_lang``: ``fr`` or ``en``, the person's choice (the switch in every page's header); until
  they choose, the browser's ``Accept-Language`` decides (:func:`negotiate_lang`), French by default.
* ``inclusio_reading``: display adjustments (font, size, spacing) before anyone signs in, read on the
  sign-in page only. A signed-in person's display settings are stored with their account
  (``account_settings.reading``, :meth:`UserStore.set_reading`): the same on every browser they sign in
  from, never inherited by the next person on a shared computer, erased with the account. Signing in
  and out delete this cookie, so nothing of one person's settings stays in the browser.

Every page gets the strict Content-Security-Policy of :mod:`inclusio.api.security`, with a fresh
nonce for its one inline ``<style>`` (the reader's settings, built from checked values only).

Errors raised by a web route become an HTML page in the reader's language (:class:`WebRoute`);
a page that needs a signed-in user sends the browser to the sign-in form instead.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Coroutine
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from inclusio.api.deps import Services, services
from inclusio.api.security import content_security_policy
from inclusio.auth.launch_scope import from_launch, session_scope
from inclusio.auth.policy import Principal
from inclusio.auth.secret import sign
from inclusio.converters.registry import accept_attribute, formats_label
from inclusio.errors import Forbidden, InclusioError, RequestInvalid
from inclusio.profiles import load_profile
from inclusio.profiles.reading import css_font_stack, page_prefs
from inclusio.store.accounts import token_digest
from inclusio.warning_codes import message_for
from inclusio.web.i18n import LANGS, translator
from inclusio.web.user_text import markup_translator, user_text

SESSION_COOKIE = "inclusio_session"
CSRF_COOKIE = "inclusio_csrf"
LANG_COOKIE = "inclusio_lang"
READING_COOKIE = "inclusio_reading"
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.filters["user_text"] = user_text  # typed titles and names carry their own lang (user_text.py)


class SignInNeeded(Exception):
    """The page needs a signed-in user (or another role): go to the sign-in form."""


def lang_of(request: Request) -> str:
    """The pages' language: the person's choice (the language cookie, set by the switch in every page's
    header) when there is one, else the browser's ``Accept-Language``, else French."""
    chosen = get_cookie(request, LANG_COOKIE)
    if chosen in LANGS:
        return str(chosen)
    return negotiate_lang(request.headers.get("accept-language"))


def negotiate_lang(header: str | None, default: str = "fr") -> str:
    """The language of :data:`LANGS` the ``Accept-Language`` header prefers (q-values honoured; ``en-GB``
    counts as ``en``; ``q=0`` refuses), ``default`` when it names none of them (or is absent, or is
    malformed)."""
    best, best_q = default, 0.0
    for item in (header or "")[:1000].split(",")[:50]:
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().split("-")[0].lower()
        if primary not in LANGS:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if 0 < q <= 1 and q > best_q:  # the first of equal preferences wins
            best, best_q = primary, q
    return best


def secure(request: Request) -> bool:
    setting = services(request).settings.cookie_secure
    return request.url.scheme == "https" if setting is None else bool(setting)


HOST_PREFIX = "__Host-"


def cookie_name(request: Request, name: str) -> str:
    """``__Host-<name>`` when cookies are ``Secure``: the browser then takes such a cookie only from this very
    host (no ``Domain``, path ``/``, HTTPS), so a sibling subdomain cannot plant a session or a CSRF cookie."""
    return HOST_PREFIX + name if secure(request) else name


def get_cookie(request: Request, name: str) -> str | None:
    return request.cookies.get(cookie_name(request, name))


def set_cookie(
    request: Request, response: Response, name: str, value: str, *, max_age: int | None = None
) -> None:
    response.set_cookie(
        cookie_name(request, name),
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=secure(request),
    )


def delete_cookie(request: Request, response: Response, name: str) -> None:
    response.delete_cookie(
        cookie_name(request, name), path="/", httponly=True, samesite="strict", secure=secure(request)
    )


def _bound_token(request: Request, session: str | None, nonce: str | None) -> str | None:
    """HMAC of the session (its token's digest) or, before sign-in, of the browser's random cookie."""
    settings = services(request).settings
    if session:
        return sign(settings, "csrf-session", token_digest(session))
    return sign(settings, "csrf-anonymous", nonce) if nonce else None


def csrf_token(request: Request) -> str:
    """The CSRF token of this request's session (a new random cookie is set first if there is none)."""
    session = get_cookie(request, SESSION_COOKIE)
    nonce = get_cookie(request, CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not session and not nonce:
        nonce = request.state.new_csrf = secrets.token_urlsafe(32)
    token = _bound_token(request, session, nonce)
    assert token is not None
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse a form whose ``csrf_token`` is not the one bound to this request's session."""
    expected = _bound_token(request, get_cookie(request, SESSION_COOKIE), get_cookie(request, CSRF_COOKIE))
    if not expected or not submitted or not secrets.compare_digest(expected.encode(), submitted.encode()):
        raise Forbidden(
            "The form has expired or did not come from this site. Reload the page and try again.",
            message_fr="Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez.",
            details={"reason": "csrf"},
        )


def current_user(request: Request) -> Principal | None:
    """The person this request's session cookie signs in (looked up once per request)."""
    if hasattr(request.state, "web_user"):
        return request.state.web_user  # type: ignore[no-any-return]
    token = get_cookie(request, SESSION_COOKIE)
    user = services(request).users.resolve_token(token) if token else None
    who = Principal.of(user) if user is not None else None
    request.state.lti_scope = None
    request.state.lti_account = user is not None and from_launch(user)
    if token and request.state.lti_account:
        # a session opened by a course platform's launch: the launch's role, for that course
        # (auth/launch_scope.py reads what lti/scope.py wrote)
        request.state.lti_scope = session_scope(services(request), token)
        if request.state.lti_scope is not None and who is not None:
            who = replace(who, role=request.state.lti_scope["role"])
    request.state.web_user = who
    return who


def require_user(request: Request, *roles: str) -> Principal:
    """The signed-in user, of one of ``roles`` (any when empty; admins pass every role check)."""
    who = current_user(request)
    if who is None:
        raise SignInNeeded()
    if roles and who.role not in roles and not who.is_admin:
        raise Forbidden(details={"needs": list(roles)})
    return who


def home_of(who: Principal) -> str:
    return {"student": "/web/student", "teacher": "/web/teacher"}.get(who.role, "/web/staff")


def reading_prefs(request: Request) -> dict[str, Any]:
    """The display settings of these pages as checked values only (``font`` key, ``size`` %, ``line``,
    ``letter``): a signed-in person's own, stored with their account; before sign-in, the display cookie
    (size and depth bounded before parsing)."""
    who = current_user(request)
    if who is None:
        return page_prefs(get_cookie(request, READING_COOKIE), READER_FONTS)
    row = services(request).users.get_settings(who.id)
    stored = row.reading if row is not None else None
    return page_prefs(json.dumps(stored), READER_FONTS) if stored else {}


READER_FONTS = {
    "sans": "Arial, Verdana, sans-serif",
    "hyper": "'Atkinson Hyperlegible', Verdana, sans-serif",
    "dys": "OpenDyslexic, Verdana, sans-serif",
    "serif": "Georgia, serif",
}


def profile_font(request: Request, who: Principal | None) -> str | None:
    """The font stack of a signed-in student's stored profile (the dyslexia profile's ``Verdana, Tahoma,
    'Atkinson Hyperlegible', sans-serif``), or None: the pages' font when their own display settings name none
    ("the profile's font"), so the profile's font is the one they read on every page, not only in the reader.
    The files of the fonts the server has come with ``/web/fonts/faces.css``, which every page links."""
    if who is None or who.role != "student":
        return None
    svc = services(request)
    stored = svc.users.get_profile(who.id)
    if stored is None:
        return None
    key = (stored.profile_id, str(svc.settings.profiles_dir))
    cached = _PROFILE_FONTS.get(key)
    if cached is not None and time.monotonic() - cached[0] < PROFILE_FONT_SECONDS:
        return cached[1]
    try:
        font: str | None = css_font_stack(
            load_profile(stored.profile_id, svc.settings.profiles_dir).reading.font_family
        )
    except InclusioError:  # a profile removed since it was chosen: the pages' own font
        font = None
    if len(_PROFILE_FONTS) > 256:
        _PROFILE_FONTS.clear()
    _PROFILE_FONTS[key] = (time.monotonic(), font)
    return font


PROFILE_FONT_SECONDS = 60.0
"""How long a profile's font stack is kept (reading a profile's YAML takes ~10 ms): a profile file edited
reaches the pages within a minute."""
_PROFILE_FONTS: dict[tuple[str, str], tuple[float, str | None]] = {}


def reading_css(prefs: dict[str, Any], default_font: str | None = None) -> str:
    """CSS variables applying a reader's display settings to these pages (values checked, never copied);
    ``default_font`` (their profile's, :func:`profile_font`) when the settings name no font."""
    parts = []
    if prefs.get("font") in READER_FONTS:
        parts.append(f"--reader-font:{READER_FONTS[prefs['font']]}")
    elif default_font:
        parts.append(f"--reader-font:{default_font}")
    for key, unit, low, high in (
        ("size", "rem", 80, 300),
        ("line", "", 1.0, 3.0),
        ("letter", "em", 0.0, 0.5),
    ):
        value = prefs.get(key)
        if isinstance(value, int | float) and low <= value <= high:
            shown = value / 100 if key == "size" else value
            parts.append(f"--reader-{key}:{shown:.2f}{unit}")
    return ";".join(parts)


def inline_css(rules: dict[str, str]) -> str:
    """``selector{declarations}`` for the page's one nonce'd ``<style>``; values come from checked settings,
    and nothing that could close the element or the rule (``<``, ``>``, braces, backslash) survives."""
    unsafe = str.maketrans("", "", "<>{}\\")
    return "".join(f"{selector}{{{css.translate(unsafe)}}}" for selector, css in rules.items() if css)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    who: Principal | None = None,
) -> HTMLResponse:
    """The page ``template`` in the reader's language, with the CSRF token for its forms.

    ``context["page_css"]`` (selector -> CSS declarations) joins the reader's settings in the page's
    inline ``<style>``, allowed by this response's nonce (inline ``style=`` attributes are not)."""
    lang = lang_of(request)
    token = csrf_token(request)
    context = dict(context or {})
    nonce = secrets.token_urlsafe(16)
    viewer = who if who is not None else current_user(request)
    prefs = reading_prefs(request)
    default_font = None if prefs.get("font") in READER_FONTS else profile_font(request, viewer)
    css = inline_css({":root": reading_css(prefs, default_font), **context.pop("page_css", {})})
    values = {
        "lang": lang,
        "other_lang": "en" if lang == "fr" else "fr",
        "t": translator(lang),
        "tm": markup_translator(lang),
        "csrf": token,
        "who": viewer,
        "password_link": not getattr(request.state, "lti_account", False),  # launched accounts have none
        "path": request.url.path,
        "inline_css": Markup(css),
        "csp_nonce": nonce,
        "accepted_files": accept_attribute(),
        "formats": formats_label(lang),
        "warning_message": message_for,
        **context,
    }
    response = TEMPLATES.TemplateResponse(request, template, values, status_code=status)
    response.headers["Content-Security-Policy"] = content_security_policy(
        services(request).settings, style_nonce=nonce if css else None
    )
    new_nonce = getattr(request.state, "new_csrf", None)
    if new_nonce:
        set_cookie(request, response, CSRF_COOKIE, new_nonce)
    # Pages carry personal data: never cached by a shared proxy or the back button of a shared machine.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Vary"] = "Accept-Language, Cookie"  # the language comes from either
    return response


def svc_of(request: Request) -> Services:
    return services(request)


def local_path(value: str | None, default: str = "/web/") -> str:
    """``value`` if it is a path on this site (never another host: ``//evil`` or ``https://``)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


class WebRoute(APIRoute):
    """A route whose errors are HTML pages (and sign-in redirects), not the API's JSON bodies."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await original(request)
            except SignInNeeded:
                return RedirectResponse(f"/web/sign-in?next={quote(request.url.path)}", status_code=303)
            except RequestValidationError as exc:
                fields = ", ".join(str(e.get("loc", ("?",))[-1]) for e in exc.errors())
                err = RequestInvalid(
                    f"A field of the form is missing or wrong ({fields}).",
                    message_fr=f"Un champ du formulaire manque ou est incorrect ({fields}).",
                )
                return error_page(request, err)
            except InclusioError as exc:
                return error_page(request, exc)

        return handler


def error_page(request: Request, err: InclusioError) -> HTMLResponse:
    return render(request, "error.html", {"error": err}, status=err.http_status)
