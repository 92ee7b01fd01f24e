"""Pages for everyone (sign-in, language, a job's progress and downloads), students and teachers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response, StreamingResponse

from inclusio.api.file_responses import file_headers
from inclusio.api.routes.jobs import get_artifact, job_events
from inclusio.api.routes.people import client_address, throttle_of
from inclusio.auth.launch_scope import refuse_password
from inclusio.auth.policy import share_scope
from inclusio.errors import ArtifactNotFound, AuthInvalid, AuthLocked, AuthThrottled, RequestInvalid
from inclusio.jobs import release_stalled, submit
from inclusio.jobs.inputs import parse_outputs, resolve_profile, visible_job
from inclusio.jobs.uploads import display_name, store_document
from inclusio.notify import valid_email
from inclusio.profiles import list_profiles, with_reading
from inclusio.store.files import StoredOriginal
from inclusio.store.jobs import JobFilter
from inclusio.store.notifications import NotificationStore
from inclusio.store.throttle import check_password
from inclusio.web import session as web
from inclusio.web.downloads import (
    check_download,
    section_zip,
    student_downloads,
    technical_downloads,
    zip_entries,
)
from inclusio.web.i18n import LANGS, TEXT
from inclusio.web.reader import with_reader_output
from inclusio.web.status import job_title, review_status, student_warnings

router = APIRouter(route_class=web.WebRoute, include_in_schema=False)

STAGE_KEYS = tuple(k for k in TEXT if k.startswith("stage_") and k != "stage_label")


@router.get("/")
def root() -> Response:
    return RedirectResponse("/web/", status_code=303)


@router.get("/web/")
def home(request: Request) -> Response:
    who = web.current_user(request)
    return RedirectResponse(web.home_of(who) if who else "/web/sign-in", status_code=303)


@router.get("/web/lang/{lang}")
def switch_lang(request: Request, lang: str, next: str | None = None) -> Response:
    response = RedirectResponse(web.local_path(next), status_code=303)
    if lang in LANGS:
        web.set_cookie(request, response, web.LANG_COOKIE, lang, max_age=365 * 24 * 3600)
    return response


@router.get("/web/sign-in")
def sign_in_page(request: Request, next: str | None = None) -> Response:
    return web.render(
        request, "sign_in.html", {"next": web.local_path(next, "/web/"), "failed": False}, who=None
    )


@router.post("/web/sign-in")
def sign_in(
    request: Request,
    username: Annotated[str, Form(max_length=128)],
    password: Annotated[str, Form(max_length=256)],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/web/",
) -> Response:
    web.check_csrf(request, csrf_token)
    svc = web.svc_of(request)
    try:
        user = check_password(svc.users, throttle_of(svc), username, password, client_address(request))
    except (AuthInvalid, AuthThrottled, AuthLocked) as err:
        # a wrong password, or too many of them: the same page, saying which (never whether the name exists)
        text = None if isinstance(err, AuthInvalid) else throttle_text(request, err)
        page = web.render(
            request,
            "sign_in.html",
            {"next": web.local_path(next), "failed": True, "failed_text": text, "username": username},
            status=err.http_status,
            who=None,
        )
        if isinstance(err.details.get("retry_after_s"), int):
            page.headers["Retry-After"] = str(err.details["retry_after_s"])
        return page
    token, _ = svc.users.issue_token(user.id, hours=svc.settings.token_hours)
    target = web.local_path(next, "/web/")
    response = RedirectResponse(target if target != "/web/sign-in" else "/web/", status_code=303)
    web.set_cookie(request, response, web.SESSION_COOKIE, token, max_age=int(svc.settings.token_hours * 3600))
    # A signed-in person's display settings are their account's: none stays in the browser.
    web.delete_cookie(request, response, web.READING_COOKIE)
    return response


@router.post("/web/sign-out")
def sign_out(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    web.check_csrf(request, csrf_token)
    token = web.get_cookie(request, web.SESSION_COOKIE)
    if token:
        web.svc_of(request).users.revoke_token(token)
    response = RedirectResponse("/web/sign-in", status_code=303)
    web.delete_cookie(request, response, web.SESSION_COOKIE)
    web.delete_cookie(request, response, web.READING_COOKIE)
    return response


def throttle_text(request: Request, err: AuthThrottled | AuthLocked) -> str:
    """What a person reads when sign-in is slowed (how long to wait) or locked (the error's own message)."""
    lang = web.lang_of(request)
    if isinstance(err, AuthThrottled):
        return web.translator(lang)("sign_in_wait", seconds=err.details.get("retry_after_s", 1))
    return err.message_fr if lang == "fr" else err.message


# -- my password -----------------------------------------------------------------------------------------


@router.get("/web/password")
def password_page(request: Request, done: bool = False) -> Response:
    who = web.require_user(request)
    user = web.svc_of(request).users.get(who.id)
    refuse_password(user)  # an account made by a course platform's launch has none (lti.no_password)
    t = web.translator(web.lang_of(request))
    return web.render(
        request,
        "password.html",
        {"external": not user.password_hash, "notice": t("password_changed") if done else None},
        who=who,
    )


@router.post("/web/password")
def change_password(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    current_password: Annotated[str, Form(max_length=256)] = "",
    new_password: Annotated[str, Form(max_length=256)] = "",
    confirm_password: Annotated[str, Form(max_length=256)] = "",
) -> Response:
    """Change one's password: every other session and token ends; this browser gets a new session."""
    web.check_csrf(request, csrf_token)
    who = web.require_user(request)
    svc = web.svc_of(request)
    user = svc.users.get(who.id)
    refuse_password(user)
    lang = web.lang_of(request)
    t = web.translator(lang)

    def again(problem: str, field: str, status: int) -> Response:
        return web.render(
            request,
            "password.html",
            {"external": False, "problem": problem, "problem_field": field},
            status=status,
            who=who,
        )

    if not user.password_hash:
        return web.render(request, "password.html", {"external": True}, status=403, who=who)
    if len(new_password) < 8:
        return again(t("password_short"), "new", 400)
    if new_password != confirm_password:
        return again(t("password_mismatch"), "new", 400)
    try:
        check_password(svc.users, throttle_of(svc), user.username, current_password, client_address(request))
    except AuthInvalid:
        return again(t("password_wrong"), "current", 401)
    except (AuthThrottled, AuthLocked) as err:
        return again(throttle_text(request, err), "current", err.http_status)
    svc.users.set_password(user.id, new_password)
    svc.users.audit(
        actor_id=who.id, action="password.changed", subject_id=user.id, institution=user.institution
    )
    token, _ = svc.users.issue_token(user.id, hours=svc.settings.token_hours)
    response = RedirectResponse("/web/password?done=1", status_code=303)
    web.set_cookie(request, response, web.SESSION_COOKIE, token, max_age=int(svc.settings.token_hours * 3600))
    return response


# -- a job: progress and downloads ---------------------------------------------------------------------


def release_state(job: Any, settings: Any) -> str | None:
    """``releasing``, ``released``, ``failed``, ``stalled`` (releasing, but its worker gave no sign for too long)."""
    if job.release_state == "releasing" and release_stalled(job, settings):
        return "stalled"
    return job.release_state  # type: ignore[no-any-return]


def release_text(job: Any, state: str | None, t: Any) -> str:
    if state == "released":
        at = job.released_at.strftime("%Y-%m-%d %H:%M") if job.released_at else ""
        text = f"{t('released_note')} {t('released_on', at=at, who=job.released_by or '?')}"
        if job.status != "succeeded":  # the release made the job partial: said with the news, heard once
            text += " " + t("released_status", status=t("status_" + job.status))
        return text
    return (
        t({"releasing": "releasing", "failed": "release_failed", "stalled": "release_stalled"}[state])
        if state
        else ""
    )


def job_state(job: Any, settings: Any, t: Any) -> dict[str, Any]:
    """What the job page and the dashboard show of a job, in words too (their scripts poll it)."""
    pct = round(job.progress * 100)
    state = release_state(job, settings)
    return {
        "id": job.id,
        "status": job.status,
        "status_text": t("status_" + job.status),
        "pct": pct,
        "pct_text": t("progress_value", pct=pct),
        "finished": job.finished,
        "release": state,
        "release_text": release_text(job, state, t),
        "release_short": t("status_releasing") if state == "releasing" else "",
    }


TECHNICAL_ROLES = ("teacher", "staff", "admin")
"""Who sees the technical files and the raw warning codes (students see what they mean for them)."""


@router.get("/web/jobs/{job_id}")
def job_page(request: Request, job_id: str) -> Response:
    who = web.require_user(request)
    svc = web.svc_of(request)
    job = visible_job(svc, who, job_id)
    lang = web.lang_of(request)
    from inclusio.web.i18n import translator

    t = translator(lang)
    technical = who.role in TECHNICAL_ROLES
    NotificationStore(svc.store.db).mark_read_for_job(who.id, job.id)  # seen: its page is open
    return web.render(
        request,
        "job.html",
        {
            "job": job,
            "title": job_title(job),
            "stage_keys": STAGE_KEYS,
            "artifacts": student_downloads(job, t),
            "technical": technical_downloads(job, t) if technical else [],
            "show_codes": technical,
            "review": review_status(job, lang),
            "good_to_know": student_warnings(job.warnings or [], lang),
            "state": job_state(job, svc.settings, t),
        },
        who=who,
    )


@router.get("/web/jobs/{job_id}/audio-sections.zip")
def audio_sections_zip(request: Request, job_id: str) -> Response:
    """The job's section MP3s in one zip, named by their headings, made now and streamed (no re-encoding)."""
    who = web.require_user(request)
    svc = web.svc_of(request)
    job = visible_job(svc, who, job_id)
    entries = zip_entries(job, svc.files)
    if not entries:
        raise ArtifactNotFound(details={"job": job.id, "artifact": "audio-sections"})
    name = f"{job_title(job)} - audio.zip"
    if who.id == (job.learner_id or job.owner_id):  # the institution's reports count it (issue #15)
        from inclusio.reports.facts import record_download

        record_download(svc.store.db, job.id, "audio-sections")
    return StreamingResponse(
        section_zip(entries),
        media_type="application/zip",
        headers=file_headers("application/zip", filename=name, inline=False),
    )


@router.get("/web/jobs/{job_id}/state.json")
def job_state_json(request: Request, job_id: str) -> Response:
    """The job's status and release, in words (polled by the job page while a release is under way)."""
    who = web.require_user(request)
    svc = web.svc_of(request)
    from inclusio.web.i18n import translator

    state = job_state(visible_job(svc, who, job_id), svc.settings, translator(web.lang_of(request)))
    return JSONResponse(state, headers={"Cache-Control": "no-store"})


@router.get("/web/jobs/{job_id}/events")
def job_page_events(request: Request, job_id: str) -> Response:
    """The API's Server-Sent Events for the browser (signed in by the cookie, not a header)."""
    who = web.require_user(request)
    return job_events(web.svc_of(request), who, job_id, request, request.headers.get("last-event-id"))


@router.get("/web/jobs/{job_id}/download/{name}")
def download(request: Request, job_id: str, name: str) -> Response:
    who = web.require_user(request)
    svc = web.svc_of(request)
    check_download(who, visible_job(svc, who, job_id), name)  # technical files: teachers and staff only
    return get_artifact(svc, who, job_id, name)


# -- students ------------------------------------------------------------------------------------------


def _number(raw: str | None, low: float, high: float) -> float | None:
    try:
        value = float(raw) if raw not in (None, "") else None
    except ValueError:
        return None
    return None if value is None else max(low, min(high, value))


def _adjustments(font: str | None, size: str | None, line: str | None, letter: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if font in ("sans", "hyper", "dys", "serif"):
        out["font"] = font
    for key, raw, low, high in (
        ("size", size, 80, 300),
        ("line", line, 1.0, 3.0),
        ("letter", letter, 0.0, 0.5),
    ):
        value = _number(raw, low, high)
        if value is not None:
            out[key] = value
    return out


SEARCH_MAX = 120


def _student_page(
    request: Request,
    who: Any,
    *,
    chosen: str | None = None,
    adjust: dict[str, Any] | None = None,
    notice: str | None = None,
    status: int = 200,
    email_field: str | None = None,
    email_problem: bool = False,
) -> Response:
    svc = web.svc_of(request)
    profiles = list_profiles(svc.settings.profiles_dir)
    stored = svc.users.get_profile(who.id)
    if stored is not None:
        svc.users.audit(
            actor_id=who.id, action="profile.read", subject_id=who.id, institution=who.institution
        )
    chosen = chosen or (stored.profile_id if stored else None)
    adjust = adjust if adjust is not None else web.reading_prefs(request)
    base = next((p for p in profiles if p.id == chosen), None)
    style = preview_style(base, adjust)
    jobs = svc.store.list(JobFilter(owner_or_learner=who.id), limit=50)
    shared = [
        j
        for j in jobs
        if j.learner_id == who.id and j.owner_id != who.id and j.status in ("succeeded", "partial")
    ]
    outputs = [o for o in (base.outputs if base else ["epub", "html"]) if o in ("epub", "html", "mp3", "brf")]
    search = " ".join((request.query_params.get("search") or "").split())[:SEARCH_MAX]
    teachers = svc.shares.list(**share_scope(who), search=search or None)
    notices = NotificationStore(svc.store.db).list_for(who.id)
    account = svc.users.get_settings(who.id)
    response = web.render(
        request,
        "student.html",
        {
            "notices": notices,
            "notify_email": bool(account and account.notify_email),
            "email": email_field if email_field is not None else (account.email if account else "") or "",
            "email_problem": email_problem,
            "teacher_shares": teachers,
            "search": search,
            "profiles": profiles,
            "chosen": chosen,
            "adjust": {
                "font": adjust.get("font", ""),
                "size": adjust.get("size", ""),
                "line": adjust.get("line", ""),
                "letter": adjust.get("letter", ""),
            },
            "page_css": {"#preview": style},
            "jobs": jobs,
            "shared": shared,
            "default_outputs": outputs,
            "notice": notice,
        },
        status=status,
        who=who,
    )
    # shown once as new, read from then on
    NotificationStore(svc.store.db).mark_read(who.id, [n.id for n, _job in notices if n.read_at is None])
    return response


FONTS = web.READER_FONTS


def preview_style(base: Any, adjust: dict[str, Any]) -> str:
    """CSS variables of the preview box: the base profile's reading settings, then the adjustments."""
    reading = base.reading if base is not None else None
    font = FONTS.get(adjust.get("font", ""), reading.font_family if reading else "inherit")
    size = adjust.get("size") or (reading.font_size_rem * 100 if reading else 100)
    line = adjust.get("line") or (reading.line_height if reading else 1.5)
    letter = adjust.get("letter", reading.letter_spacing_em if reading else 0)
    parts = [
        f"--pv-font:{font}",
        f"--pv-size:{float(size) / 100:.2f}rem",
        f"--pv-line:{float(line):.2f}",
        f"--pv-letter:{float(letter):.2f}em",
    ]
    if reading is not None:
        parts += [f"--pv-fg:{reading.colors.text}", f"--pv-bg:{reading.colors.background}"]
    return ";".join(p.replace('"', "'") for p in parts)


@router.get("/web/student")
def student(request: Request) -> Response:
    who = web.require_user(request, "student")
    return _student_page(request, who)


@router.post("/web/student/profile")
def student_profile(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    profile: Annotated[str | None, Form(max_length=64)] = None,
    font: Annotated[str | None, Form(max_length=16)] = None,
    size: Annotated[str | None, Form(max_length=8)] = None,
    line: Annotated[str | None, Form(max_length=8)] = None,
    letter: Annotated[str | None, Form(max_length=8)] = None,
    action: Annotated[str, Form(max_length=16)] = "save",
) -> Response:
    web.check_csrf(request, csrf_token)
    who = web.require_user(request, "student")
    svc = web.svc_of(request)
    adjust = _adjustments(font, size, line, letter)
    chosen = resolve_profile(svc, profile).id if profile else None
    if action == "preview":  # without JavaScript: show the preview, save nothing
        return _student_page(request, who, chosen=chosen, adjust=adjust)
    if chosen:
        svc.users.set_profile(who.id, chosen)
        # that it changed, not to what: a profile id tells a disability
        svc.users.audit(
            actor_id=who.id, action="profile.write", subject_id=who.id, institution=who.institution
        )
    # Stored with the account (every browser they sign in from; erased with it), then the page is made:
    # it shows the saved settings at once.
    svc.users.set_reading(who.id, adjust)
    from inclusio.web.i18n import translator

    return _student_page(
        request, who, chosen=chosen, adjust=adjust, notice=translator(web.lang_of(request))("profile_saved")
    )


@router.post("/web/student/notifications")
def student_notifications(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    email_notice: Annotated[str | None, Form(max_length=8)] = None,
    email: Annotated[str, Form(max_length=320)] = "",
) -> Response:
    """Opt in to (an address, checked) or out of the e-mail telling that a document is ready; out: the
    address is removed."""
    web.check_csrf(request, csrf_token)
    who = web.require_user(request, "student")
    svc = web.svc_of(request)
    from inclusio.web.i18n import translator

    t = translator(web.lang_of(request))
    if not email_notice:
        svc.users.set_email_notice(who.id, None)
        return _student_page(request, who, notice=t("email_notice_off"))
    address = valid_email(email)
    if address is None:
        return _student_page(request, who, status=400, email_field=email, email_problem=True)
    svc.users.set_email_notice(who.id, address)
    return _student_page(
        request, who, notice=t("email_notice_on" if svc.settings.smtp_host else "email_notice_no_server")
    )


@router.post("/web/student/request")
def student_request(
    request: Request,
    csrf_token: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
    shared: Annotated[str | None, Form(max_length=64)] = None,
    outputs: Annotated[list[str] | None, Form()] = None,
) -> Response:
    web.check_csrf(request, csrf_token)
    who = web.require_user(request, "student")
    svc = web.svc_of(request)
    stored_profile = svc.users.get_profile(who.id)
    if stored_profile is None:
        raise RequestInvalid(TEXT["need_profile"][1], message_fr=TEXT["need_profile"][0])
    svc.users.audit(
        actor_id=who.id,
        action="profile.used",
        subject_id=who.id,
        institution=who.institution,
        details={"found": True},
    )
    profile = resolve_profile(svc, stored_profile.profile_id)
    wanted = parse_outputs(",".join(outputs)) if outputs else None
    if wanted is not None and "report" not in wanted:
        wanted.append("report")
    wanted = with_reader_output(wanted, profile)  # the Document the reader (/web/read) is built from
    if file is not None and file.filename:
        name = display_name(file.filename)
        stored = store_document(svc.files, file.file, max_bytes=svc.settings.max_upload_bytes, filename=name)
    elif shared:
        original = visible_job(svc, who, shared)
        name = original.filename
        stored = StoredOriginal(
            sha256=original.input_sha256, size=original.input_bytes, relpath=original.input_path
        )
    else:
        raise RequestInvalid(TEXT["need_document"][1], message_fr=TEXT["need_document"][0])
    # The adjustments the student made on the profile page (font, size, spacing) go with the job, so
    # the EPUB, HTML and large print they download look like the preview they chose.
    reading = reading_overrides(web.reading_prefs(request))
    job = submit(
        svc,
        stored,
        filename=name,
        profile=with_reading(profile, reading),
        outputs=wanted,
        owner_id=who.id,
        institution=who.institution,
        reading=reading,
    )
    return RedirectResponse(f"/web/jobs/{job.id}", status_code=303)


def reading_overrides(adjust: dict[str, Any]) -> dict[str, Any]:
    """The page's adjustments (font key, size in %, line height, letter spacing) as profile ``reading`` keys."""
    out: dict[str, Any] = {}
    if adjust.get("font") in FONTS:
        out["font_family"] = FONTS[adjust["font"]]
    if adjust.get("size"):
        out["font_size_rem"] = round(float(adjust["size"]) / 100, 2)
    if adjust.get("line"):
        out["line_height"] = float(adjust["line"])
    if adjust.get("letter") not in (None, ""):
        out["letter_spacing_em"] = float(adjust["letter"])
    return out


# -- teachers ------------------------------------------------------------------------------------------


def own_uploads(jobs: list[Any]) -> list[Any]:
    """One job per original among ``jobs`` (the newest): the documents a teacher may share again."""
    seen: dict[str, Any] = {}
    for job in jobs:
        seen.setdefault(job.input_sha256, job)
    return list(seen.values())


@router.get("/web/teacher")
def teacher(request: Request) -> Response:
    who = web.require_user(request, "teacher", "staff")
    svc = web.svc_of(request)
    jobs = svc.store.list(JobFilter(owner=who.id), limit=50)
    shares = svc.shares.list(owner=who.id)
    from inclusio.web.i18n import translator

    t = translator(web.lang_of(request))
    done = request.query_params.get("done")
    title = (request.query_params.get("title") or "")[:255]
    notice = (
        t("share_done", title=title)
        if done == "shared"
        else t("unshare_done")
        if done == "unshared"
        else None
    )
    return web.render(
        request,
        "teacher.html",
        {
            "profiles": list_profiles(svc.settings.profiles_dir),
            "jobs": jobs,
            "uploads": own_uploads(jobs),
            "shares": shares,
            "notice": notice,
        },
        who=who,
    )


# the teacher's preview (POST /web/teacher/preview and its page): inclusio.web.preview
