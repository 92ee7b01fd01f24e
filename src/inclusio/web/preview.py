"""The teacher's feedback on a document: one accessibility score and one readability verdict at the top, the
findings ordered by what they cost students (each located, with the fix in PowerPoint, Word and LibreOffice),
readability measured on passages long enough to mean something, hard sentences with the rule they break,
and the offline easy-to-read draft beside the original prose.

It runs as a worker's task, not in the request (a 48-slide deck took 22 s behind a plain form post):
``POST /web/teacher/preview`` stores the file, claims the preview (:func:`inclusio.jobs.preview.request_preview`
sends ``inclusio.preview`` once per original, whatever process asks), starts the conversion job (the
configured engine), and redirects to ``/web/teacher/preview/{job}``, which shows the progress recorded in
the ``previews`` row (``teacher_preview.js`` polls ``.../status`` and opens the preview when it is done; a
link without JavaScript) and then the preview. The preview is the original's: it stays available from the
teacher's documents list, and a restart of the web process neither loses nor rebuilds it.

A new version (the page's "new version" form, ``previous=``) is recorded (``document_versions``): its page
compares it with the earlier version's preview (score, verdict and findings fixed, new and still there),
with or without ``?previous=`` in the address.
"""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response

from inclusio.errors import JobNotFound
from inclusio.jobs.preview import draft_pairs, hard_blocks, preview_of, request_preview
from inclusio.web import session as web

log = logging.getLogger(__name__)

router = APIRouter(route_class=web.WebRoute, include_in_schema=False)

__all__ = ["compare", "draft_pairs", "findings_view", "hard_blocks", "readability_view", "router"]

CHART_ROW = 30
REFRESH_SECONDS = 3


# -- building it: inclusio.jobs.preview (a worker's task) ------------------------------------------------


def _short(title: str, limit: int = 24) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


# -- what the page shows, in the reader's language ---------------------------------------------------


def place_text(place: Any, lang: str) -> str:
    from inclusio.analysis.places import place_label

    return place_label(tuple(place) if place else None, lang)  # type: ignore[arg-type]


def readability_view(data: dict[str, Any], t: Any, lang: str) -> dict[str, Any]:
    """The headline verdict, the chart of measured passages and the table of sections."""
    from inclusio.analysis.passages import MIN_WORDS, shown_ease, verdict
    from inclusio.analysis.places import span_label

    doc = data["document"]
    passages = data["passages"]
    sections = data["sections"]
    bars, rows = [], []
    x0, width = 220, 360
    for n, passage in enumerate(passages):
        ease = shown_ease(passage["scores"]["reading_ease"])
        first, last = sections[passage["sections"][0]], sections[passage["sections"][-1]]
        where = span_label(
            tuple(passage["first"]) if passage["first"] else None,  # type: ignore[arg-type]
            tuple(passage["last"]) if passage["last"] else None,  # type: ignore[arg-type]
            lang,
        )
        label = where or (first["title"] or t("untitled_section"))
        if not where and last is not first:
            label = (
                f"{_short(first['title'] or t('untitled_section'), 11)} → {_short(last['title'] or '', 11)}"
            )
        bars.append(
            {
                "y": 8 + n * CHART_ROW,
                "w": round(width * (ease or 0) / 100, 1),
                "short": _short(label),
                "label": label,
                "text": "—" if ease is None else str(ease),
                "hard": ease is not None and ease < 50,
            }
        )
    for section in sections:
        passage = passages[section["passage"]] if section["passage"] is not None else None
        ease = shown_ease(passage["scores"]["reading_ease"]) if passage else None
        rows.append(
            {
                "title": section["title"] or t("untitled_section"),
                "place": place_text(section["place"], lang),
                "words": section["words"],
                "ease": "—" if ease is None else str(ease),
                "passage": bars[section["passage"]]["label"]
                if passage and len(passage["sections"]) > 1
                else "",
                "too_short": passage is None,
            }
        )
    band = verdict(doc["reading_ease"]) if data["measured"] else None
    return {
        "measured": data["measured"],
        "ease": shown_ease(doc["reading_ease"]) if data["measured"] else None,
        "verdict": t("band_" + band) if band else t("too_short"),
        "hard": band in ("difficult", "very_difficult", "fairly_difficult"),
        "words": doc["words"],
        "wps": f"{doc['words_per_sentence']:.1f}",
        "min_words": MIN_WORDS,
        "chart": {"x0": x0, "width": width, "height": 8 + len(bars) * CHART_ROW + 24, "bars": bars},
        "rows": rows,
    }


def findings_view(audit: dict[str, Any], thumbs: dict[str, str], lang: str) -> list[dict[str, Any]]:
    """The failed checks in the order of what they cost students, each with its located findings."""
    from inclusio.analysis.audit import TOOLS

    fr = lang == "fr"
    by_id = {c["id"]: c for c in audit["checks"]}
    out = []
    for check_id in audit["order"]:
        check = by_id[check_id]
        out.append(
            {
                "id": check_id,
                "title": check["title_fr"] if fr else check["title_en"],
                "fix": check["fix_fr"] if fr else check["fix_en"],
                "count": check["count"],
                "total": check["total"],
                "lost": round(
                    check["weight"] * check["share"] * 100 / sum(c["weight"] for c in audit["checks"])
                ),
                "tools": [
                    (tool, check["tool_fixes"][tool][1 if fr else 0])
                    for tool in TOOLS
                    if tool in check["tool_fixes"]
                ],
                "findings": [
                    {
                        "place": place_text(f["place"], lang),
                        "excerpt": f["excerpt"],
                        "thumb": thumbs.get(f["image"] or ""),
                        "key": finding_key(check_id, f),
                    }
                    for f in check["findings"]
                ],
            }
        )
    return out


def finding_key(check_id: str, finding: dict[str, Any]) -> str:
    """What identifies a finding from one version of a file to the next (block ids change, images and
    texts seldom do): the check, then the image, the text or the place."""
    what = finding.get("image") or finding.get("excerpt") or "|".join(map(str, finding.get("place") or ()))
    return f"{check_id}:{what}"


def compare(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Findings fixed (in ``before`` only), new (in ``after`` only) and still there, by :func:`finding_key`."""

    def keyed(findings: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        return {f["key"]: {**f, "check": check["title"]} for check in findings for f in check["findings"]}

    old, new = keyed(before["findings"]), keyed(after["findings"])
    return {
        "fixed": [f for k, f in old.items() if k not in new],
        "new": [f for k, f in new.items() if k not in old],
        "still": [f for k, f in new.items() if k in old],
    }


def page_context(data: dict[str, Any], t: Any, lang: str) -> dict[str, Any]:
    readability = readability_view(data["readability"], t, lang)
    findings = findings_view(data["audit"], data["thumbs"], lang)
    hard = []
    for block in data["hard"]:
        kind = block["type"]
        kind_text = t("type_" + kind) if kind in ("paragraph", "list", "heading", "table", "note") else kind
        where = place_text(block["place"], lang)
        title = f"{block['heading'] or t('untitled_section')} — {kind_text}"
        hard.append({**block, "title": f"{title} ({where})" if where else title})
    pairs = [{**p, "where": place_text(p["place"], lang)} for p in data["pairs"]]
    return {
        "score": data["audit"]["score"],
        "readability": readability,
        "findings": findings,
        "passed": [c for c in data["audit"]["checks"] if c["ok"]],
        "hard": hard,
        "hard_more": data["hard_more"],
        "pairs": pairs,
        "unchanged": data["unchanged"],
        "job_lang": data["lang"] or lang,
    }


# -- the pages -----------------------------------------------------------------------------------------


def _teacher_job(request: Request, job_id: str) -> tuple[Any, Any, Any]:
    """(who, svc, job) for a teacher or staff member who may see ``job_id``; ``job.not_found`` otherwise."""
    from inclusio.jobs.inputs import visible_job

    who = web.require_user(request, "teacher", "staff")
    svc = web.svc_of(request)
    if len(job_id) > 64:
        raise JobNotFound(details={"job": job_id[:64]})
    return who, svc, visible_job(svc, who, job_id)


@router.post("/web/teacher/preview")
async def teacher_preview_start(
    request: Request,
    file: Annotated[UploadFile, File()],
    csrf_token: Annotated[str, Form()] = "",
    profile: Annotated[str, Form(max_length=64)] = "easy-read",
    outputs: Annotated[list[str] | None, Form()] = None,
    previous: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Store the file, start its conversion job and its preview, and send the browser to the preview."""
    from inclusio.jobs import submit
    from inclusio.jobs.inputs import parse_outputs, resolve_profile
    from inclusio.jobs.uploads import display_name, store_document
    from inclusio.web.reader import with_reader_output

    web.check_csrf(request, csrf_token)
    who = web.require_user(request, "teacher", "staff")
    svc = web.svc_of(request)
    before = _teacher_job(request, previous)[2] if previous else None  # refuses a job not theirs
    chosen = resolve_profile(svc, profile)
    wanted = with_reader_output(parse_outputs(",".join(outputs)) if outputs else None, chosen)
    name = display_name(file.filename)
    stored = await run_in_threadpool(
        store_document, svc.files, file.file, max_bytes=svc.settings.max_upload_bytes, filename=name
    )
    # the preview first: its task goes on the CPU queue before the conversion job, so it is not made to wait
    await run_in_threadpool(
        request_preview,
        svc,
        SimpleNamespace(input_sha256=stored.sha256, input_path=stored.relpath, filename=name),
    )
    job = await run_in_threadpool(
        submit,
        svc,
        stored,
        filename=name,
        profile=chosen,
        outputs=wanted,
        owner_id=who.id,
        institution=who.institution,
    )
    if before is not None:
        await run_in_threadpool(_versions(svc).link_version, job.id, before.id)
    return RedirectResponse(f"/web/teacher/preview/{job.id}", status_code=303)


def _versions(svc: Any) -> Any:
    from inclusio.store.previews import PreviewStore

    return PreviewStore(svc.store.db)


@router.get("/web/teacher/preview/{job_id}/status")
def teacher_preview_status(request: Request, job_id: str) -> Response:
    """The preview's progress, for the waiting page's script."""
    _who, svc, job = _teacher_job(request, job_id)
    return JSONResponse(request_preview(svc, job), headers={"Cache-Control": "no-store"})


@router.get("/web/teacher/preview/{job_id}")
def teacher_preview_page(request: Request, job_id: str, previous: str | None = None) -> Response:
    """The preview of a teacher's document, or its progress while it is being made; compared with the
    version before it (recorded when it was uploaded as a new version, or ``?previous=``)."""
    from inclusio.web.i18n import translator

    who, svc, job = _teacher_job(request, job_id)
    lang = web.lang_of(request)
    t = translator(lang)
    state = request_preview(svc, job)
    previous = previous or _versions(svc).previous_of(job.id)
    if state["state"] != "done":
        response = web.render(
            request,
            "teacher_preview_wait.html",
            {
                "job": job,
                "filename": job.filename,
                "progress": state,
                "refresh": REFRESH_SECONDS,
                "previous": previous,
            },
            who=who,
        )
        return (
            response  # no Refresh header: a page that reloads itself is hard to read; a link and the script
        )
    data = preview_of(svc, job)
    assert data is not None
    context = page_context(data, t, lang)
    diff = None
    if previous:
        earlier = _teacher_job(request, previous)[2]
        old = preview_of(svc, earlier)
        if old is not None:
            before = page_context(old, t, lang)
            diff = {
                "job": earlier,
                "score": before["score"],
                "verdict": before["readability"]["verdict"],
                **compare(before, context),
            }
        else:
            request_preview(
                svc, earlier
            )  # its preview was erased or never made: made now, shown on a refresh
    response = web.render(
        request,
        "teacher_preview.html",
        {
            "job": job,
            "filename": job.filename,
            "diff": diff,
            "diff_pending": bool(previous) and diff is None,
            **context,
        },
        who=who,
    )
    # the findings' thumbnails are data: URIs (made from the file, never fetched)
    policy = response.headers["Content-Security-Policy"]
    response.headers["Content-Security-Policy"] = policy.replace("img-src 'self'", "img-src 'self' data:")
    return response
