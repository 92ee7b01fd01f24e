"""The teacher's feedback on a document: one accessibility score and one readability verdict at the top, the
findings ordered by what they cost students (each located, with the fix in PowerPoint, Word and LibreOffice),
readability measured on passages long enough to mean something, hard sentences with the rule they break,
and the offline easy-to-read draft beside the original prose.

It runs in the background, not in the request (a 48-slide deck took 22 s behind a plain form post):
``POST /web/teacher/preview`` stores the file, starts the conversion job (the configured engine) and the
preview, and redirects to ``/web/teacher/preview/{job}``, which shows the progress (a refresh every few
seconds without JavaScript; ``teacher_preview.js`` polls ``.../status`` and reloads when it is done) and
then the preview. The preview is the job's: it stays available from the teacher's documents list.

What the preview shows depends on the file alone (offline engine, whatever ``INCLUSIO_ENGINE`` says, so it
never waits for or pays for a model): it is kept as JSON, in the reader's language neither, in the
original's conversion cache (``cache/documents/{sha256}-preview...json``), which is erased with the
original. ``?previous={job}`` compares it with an earlier version's preview (score, verdict and findings
fixed, new and still there): the "new version" form of the page sends there.
"""

from __future__ import annotations

import base64
import io
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response

from inclusio.errors import InclusioError, JobNotFound, PreviewFailed
from inclusio.model.document import Document, Heading, ListBlock, Paragraph, is_code
from inclusio.web import session as web

log = logging.getLogger(__name__)

router = APIRouter(route_class=web.WebRoute, include_in_schema=False)

PREVIEW_VERSION = 3
"""Bumped when the preview's JSON changes shape: an older preview is made again."""
MAX_HARD_BLOCKS = 30
"""Blocks with hard sentences shown on the page; the others are counted (the report has them all)."""
MAX_PAIRS = 60
CHART_ROW = 30
THUMB_PIXELS = 160
"""Longest side of an image's thumbnail in a finding."""
REFRESH_SECONDS = 3
STAGES = ("convert", "analyse", "audit", "draft")


# -- building the preview (in a background thread) ---------------------------------------------------


def _short(title: str, limit: int = 24) -> str:
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _pieces(text: str, sentences: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The block's text cut at its flagged sentences, with the flagged words of each marked."""
    out: list[dict[str, Any]] = []
    cursor = 0
    for sentence in sentences:
        at = text.find(sentence["text"], cursor)
        if at < 0:
            continue
        if at > cursor:
            out.append({"text": text[cursor:at], "rules": ""})
        spans = sorted(
            {
                (h["start"], h["end"])
                for h in sentence["hits"]
                if h["start"] is not None and h["end"] is not None and h["end"] > h["start"]
            }
        )
        parts, pos = [], 0
        for start, end in spans:
            if start < pos:
                continue  # overlapping spans: the first one is shown
            if start > pos:
                parts.append({"text": sentence["text"][pos:start], "word": False})
            parts.append({"text": sentence["text"][start:end], "word": True})
            pos = end
        if pos < len(sentence["text"]):
            parts.append({"text": sentence["text"][pos:], "word": False})
        rules = ", ".join(dict.fromkeys(h["rule"] for h in sentence["hits"]))
        out.append({"text": sentence["text"], "rules": rules, "parts": parts})
        cursor = at + len(sentence["text"])
    if cursor < len(text):
        out.append({"text": text[cursor:], "rules": ""})
    return out


def hard_blocks(doc: Document, report: Any) -> tuple[list[dict[str, Any]], int]:
    """The blocks with hard sentences (at most :data:`MAX_HARD_BLOCKS`), and how many more there are."""
    from inclusio.analysis.places import places_of

    places = places_of(doc)
    headings: dict[str, str] = {}
    current = ""
    for block in doc.blocks:
        if isinstance(block, Heading):
            current = block.text
        headings[block.id] = current
    blocks = []
    for entry in report.blocks[:MAX_HARD_BLOCKS]:
        block = doc.find(entry.block_id)
        sentences = [s.model_dump() for s in entry.sentences]
        blocks.append(
            {
                "heading": headings.get(entry.block_id) or None,
                "type": block.type,
                "place": places.get(entry.block_id),
                "pieces": _pieces(block.plain_text(), sentences),
                "sentences": sentences,
            }
        )
    return blocks, max(0, len(report.blocks) - MAX_HARD_BLOCKS)


def _list_lines(items: list[Any], depth: int = 0) -> list[str]:
    """A list's items as lines, '•' before each, nested ones indented (the draft keeps the nesting)."""
    lines = []
    for item in items:
        lines.append("\u2003" * depth + "• " + item.text)
        if item.children is not None:
            lines += _list_lines(item.children.items, depth + 1)
    return lines


def draft_pairs(source: Document, drafted: Document, kind: str) -> tuple[list[dict[str, Any]], int]:
    """The prose the easy-to-read draft rewrote, beside the original (paragraphs and lists, never code),
    and how many prose blocks it left as they were."""
    from inclusio.analysis.places import places_of

    places = places_of(source)
    pairs: list[dict[str, Any]] = []
    unchanged = 0
    for block in drafted.blocks:
        if not isinstance(block, (Paragraph, ListBlock)) or is_code(block):
            continue
        if isinstance(block, Paragraph) and block.role not in ("body", "quote"):
            continue
        adaptation = block.adaptation(kind)
        if adaptation is None or not adaptation.blocks:
            unchanged += 1
            continue
        lines: list[str] = []
        for part in adaptation.blocks:
            if isinstance(part, ListBlock):
                lines += _list_lines(part.items)
            elif not is_code(part):
                lines.append(part.plain_text())
        source = _list_lines(block.items) if isinstance(block, ListBlock) else [block.text]
        if lines == source:
            unchanged += 1
            continue
        if len(pairs) < MAX_PAIRS:
            pairs.append(
                {
                    "source": source,
                    "draft": lines,
                    "lang": drafted.block_lang(block),
                    "place": places.get(block.id),
                }
            )
    return pairs, unchanged


def thumbnail(doc: Document, key: str | None) -> str | None:
    """A ``data:`` URI of the image ``key`` at most :data:`THUMB_PIXELS` wide or high (PNG), or None."""
    if not key or key not in doc.resources:
        return None
    try:
        from PIL import Image

        with Image.open(io.BytesIO(doc.resources[key].data)) as image:
            image.thumbnail((THUMB_PIXELS, THUMB_PIXELS))
            out = io.BytesIO()
            image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").save(
                out, "PNG", optimize=True
            )
    except Exception:  # noqa: BLE001 - an image Pillow cannot read (EMF, broken): the finding shows no picture
        return None
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def build_preview(svc: Any, path: Path, filename: str, progress: Callable[[str], None]) -> dict[str, Any]:
    """Everything the preview page shows, for the original at ``path`` (language-neutral JSON data)."""
    from inclusio.analysis.audit import audit_document
    from inclusio.analysis.passages import measure_passages
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.registry import convert
    from inclusio.pipeline.spine import adapt_source, analyse_source
    from inclusio.profiles import load_profile

    settings = svc.settings
    progress("convert")
    doc = convert(path, ConvertContext.from_settings(settings, filename))
    progress("analyse")
    _scores, rules = analyse_source(doc, quality_checks=True)  # the job's analyse stage
    readability = measure_passages(doc)
    hard, more = hard_blocks(doc, rules)
    progress("audit")
    audit = audit_document(doc)
    thumbs = {
        f.image: uri
        for check in audit.checks
        for f in check.findings
        if f.image and (uri := thumbnail(doc, f.image)) is not None
    }
    progress("draft")
    easy = load_profile("easy-read", settings.profiles_dir)
    easy = easy.model_copy(
        update={
            "glossary": easy.glossary.model_copy(update={"enabled": False}),
            "summaries": easy.summaries.model_copy(update={"enabled": False}),
            "images": easy.images.model_copy(update={"generate": False}),
        }
    )
    offline = settings.model_copy(update={"engine": "offline"})
    drafted = adapt_source(doc, easy, offline).document  # the job's adapt stage, offline
    pairs, unchanged = draft_pairs(doc, drafted, easy.adaptation.level)
    return {
        "version": PREVIEW_VERSION,
        "lang": doc.lang,
        "readability": readability.model_dump(mode="json"),
        "hard": hard,
        "hard_more": more,
        "audit": {**audit.model_dump(mode="json"), "order": [c.id for c in audit.by_cost]},
        "thumbs": thumbs,
        "pairs": pairs,
        "unchanged": unchanged,
    }


class PreviewRuns:
    """The previews being made in this process, one at a time (``state(key)``: stage, or error)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._states: dict[str, dict[str, Any]] = {}
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="teacher-preview")

    def state(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            found = self._states.get(key)
            return dict(found) if found is not None else None

    def _set(self, key: str, **values: Any) -> None:
        with self._lock:
            self._states.setdefault(key, {}).update(values)

    def start(self, svc: Any, job: Any) -> None:
        """Make the preview of ``job``'s original unless it is made or being made."""
        key = preview_key(svc, job)
        with self._lock:
            found = self._states.get(key)
            if found is not None and found.get("error") is None:
                return
            self._states[key] = {"stage": "queued", "error": None}
        self._pool.submit(self._run, svc, job.input_path, job.filename, key, preview_path(svc, job))

    def _run(self, svc: Any, relpath: str, filename: str, key: str, out: Path) -> None:
        import json

        try:
            data = build_preview(
                svc, svc.files.original_path(relpath), filename, lambda stage: self._set(key, stage=stage)
            )
            svc.files.write_atomic(out, json.dumps(data, ensure_ascii=False).encode("utf-8"))
            with self._lock:
                self._states.pop(key, None)
        except InclusioError as err:
            self._set(key, error=err.to_dict())
        except Exception:  # noqa: BLE001 - shown as preview.failed; the job's own page has its own errors
            log.exception("teacher preview of %s failed", filename)
            self._set(key, error=PreviewFailed().to_dict())


RUNS = PreviewRuns()


def preview_key(svc: Any, job: Any) -> str:
    from inclusio.pipeline.job import conversion_key

    return f"preview{PREVIEW_VERSION}{conversion_key(svc.settings)}"


def preview_path(svc: Any, job: Any) -> Path:
    """Where the preview of ``job``'s original is kept (beside its cached conversion, erased with it)."""
    return svc.files.document_cache_path(job.input_sha256, preview_key(svc, job))


def load_preview(svc: Any, job: Any) -> dict[str, Any] | None:
    import json

    path = preview_path(svc, job)
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if data.get("version") == PREVIEW_VERSION else None


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
    RUNS.start(svc, job)
    target = f"/web/teacher/preview/{job.id}" + (f"?previous={before.id}" if before is not None else "")
    return RedirectResponse(target, status_code=303)


def _state(svc: Any, job: Any) -> dict[str, Any]:
    """``{"state": "done" | "running" | "failed", "stage", "percent", "error"}`` of ``job``'s preview."""
    if preview_path(svc, job).is_file() and load_preview(svc, job) is not None:
        return {"state": "done", "stage": None, "percent": 100, "error": None}
    running = RUNS.state(preview_key(svc, job))
    if running is None:  # never started in this process (a restart, another process): start it now
        RUNS.start(svc, job)
        running = RUNS.state(preview_key(svc, job)) or {"stage": "queued", "error": None}
    if running.get("error"):
        return {"state": "failed", "stage": None, "percent": 0, "error": running["error"]}
    stage = running.get("stage") or "queued"
    percent = round(100 * STAGES.index(stage) / len(STAGES)) if stage in STAGES else 0
    return {"state": "running", "stage": stage, "percent": percent, "error": None}


@router.get("/web/teacher/preview/{job_id}/status")
def teacher_preview_status(request: Request, job_id: str) -> Response:
    """The preview's progress, for the waiting page's script."""
    _who, svc, job = _teacher_job(request, job_id)
    return JSONResponse(_state(svc, job), headers={"Cache-Control": "no-store"})


@router.get("/web/teacher/preview/{job_id}")
def teacher_preview_page(request: Request, job_id: str, previous: str | None = None) -> Response:
    """The preview of a teacher's document, or its progress while it is being made."""
    from inclusio.web.i18n import translator

    who, svc, job = _teacher_job(request, job_id)
    lang = web.lang_of(request)
    t = translator(lang)
    state = _state(svc, job)
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
    data = load_preview(svc, job)
    assert data is not None
    context = page_context(data, t, lang)
    diff = None
    if previous:
        earlier = _teacher_job(request, previous)[2]
        old = load_preview(svc, earlier)
        if old is not None:
            before = page_context(old, t, lang)
            diff = {
                "job": earlier,
                "score": before["score"],
                "verdict": before["readability"]["verdict"],
                **compare(before, context),
            }
        else:
            RUNS.start(svc, earlier)  # its preview was erased or never made: made now, shown on a refresh
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
