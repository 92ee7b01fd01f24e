"""The teacher's preview of a document, built by a worker (issue #17): what it is made of, and its life.

What the preview shows depends on the file alone (offline engine, whatever ``INCLUSIO_ENGINE`` says, so it
never waits for or pays for a model): :func:`build_preview` makes language-neutral JSON, kept in the
original's conversion cache (``cache/documents/{sha256}-preview...json``), erased with the original.

Its life, one row per original in ``previews`` (:mod:`inclusio.store.previews`):

* :func:`request_preview` (the web page, any process): claim the row; the process that made it sends
  ``inclusio.preview(key, token)`` to the conversion jobs' CPU queue (:func:`inclusio.jobs.queue.send_preview`).
  A row whose file is gone, whose worker stopped beating or whose message was lost (``job_stuck_seconds``),
  or that failed because the queue was away, is queued again with a new token by one process only.
* :func:`run_preview` (the worker, ``workers/preview_tasks.py``): start the row with the message's token (a
  duplicate or older message builds nothing), beat while building, write the JSON, record ``done``; a
  file the converters refuse records its own coded error, anything else ``preview.failed``; nothing
  raises out of it. A process that dies is recorded by :func:`fail_dead_preview` (``job.worker_lost``).

A restart of the web process changes nothing: the work and its state are the worker's and the database's.
"""

from __future__ import annotations

import base64
import io
import json
import logging
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from inclusio.config import Settings
from inclusio.errors import InclusioError, PreviewFailed, QueueUnavailable, WorkerLost
from inclusio.model.document import Document, Heading, ListBlock, Paragraph, is_code

log = logging.getLogger("inclusio.worker")

PREVIEW_VERSION = 3
"""Bumped when the preview's JSON changes shape: an older preview is made again."""
MAX_HARD_BLOCKS = 30
"""Blocks with hard sentences shown on the page; the others are counted (the report has them all)."""
MAX_PAIRS = 60
THUMB_PIXELS = 160
"""Longest side of an image's thumbnail in a finding."""
STAGES = ("convert", "analyse", "audit", "draft")
RETRIED_CODES = frozenset({QueueUnavailable.code})
"""A preview that failed with one of these is queued again when its page is opened (the others stay failed:
the same file would fail the same way; a new upload is a new file)."""


# -- what the preview is made of ------------------------------------------------------------------------


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


def build_preview(
    settings: Settings, path: Path, filename: str, progress: Callable[[str], None]
) -> dict[str, Any]:
    """Everything the preview page shows, for the original at ``path`` (language-neutral JSON data; the
    converter sees a neutral file name, so the preview depends on the file's content alone)."""
    from inclusio.analysis.audit import audit_document
    from inclusio.analysis.passages import measure_passages
    from inclusio.pipeline.naming import convert_shared
    from inclusio.pipeline.spine import adapt_source, analyse_source
    from inclusio.profiles import load_profile

    progress("convert")
    doc = convert_shared(path, filename, settings)
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


# -- its life: claimed by the web, built by a worker ------------------------------------------------------


def preview_key(settings: Settings) -> str:
    """The preview's cache key as the worker building it sees it: its shape's version and the conversion key
    (the code's fingerprint, the converter limits): a preview made by other code is kept apart."""
    from inclusio.pipeline.job import conversion_key

    return f"preview{PREVIEW_VERSION}{conversion_key(settings)}"


def row_key(input_sha256: str) -> str:
    """The ``previews`` row of an original: its hash and the preview's shape, nothing a web process computes
    from its own code (two web processes started from different checkouts still claim the same row)."""
    return f"{input_sha256}-preview{PREVIEW_VERSION}"


def load_preview(files: Any, row: Any) -> dict[str, Any] | None:
    """The preview recorded in ``row`` (a ``previews`` row, or ``None``), or ``None``: not made, failed,
    its file erased with the original, or of an older shape."""
    if row is None or row.status != "done" or not row.result:
        return None
    path = Path(files.document_cache_path(row.input_sha256, row.result))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == PREVIEW_VERSION else None


def preview_of(svc: Any, job: Any) -> dict[str, Any] | None:
    """The preview of ``job``'s original if it is made."""
    return load_preview(svc.files, preview_store(svc.store).get(row_key(job.input_sha256)))


def preview_store(db_owner: Any) -> Any:
    """The preview store on the database of a job store (one engine per process)."""
    from inclusio.store.previews import PreviewStore

    return PreviewStore(db_owner.db)


def _send(settings: Settings, store: Any, key: str, token: str) -> None:
    from inclusio.jobs.queue import send_preview

    try:
        send_preview(settings, key, token)
    except Exception as exc:  # noqa: BLE001 - the broker is away: recorded, sent again at the next visit
        log.warning("could not send the preview %s", key, exc_info=True)
        lease = store.start(key, token)
        if lease is not None:
            error = QueueUnavailable(details={"reason": type(exc).__name__})
            store.finish(key, lease, error=error.to_dict())


def request_preview(svc: Any, job: Any) -> dict[str, Any]:
    """Make sure the preview of ``job``'s original is made or being made (sending its task at most once
    across processes), and say where it is: ``{"state": "done" | "running" | "failed", "stage", "percent",
    "error"}``."""
    settings, files = svc.settings, svc.files
    store = preview_store(svc.store)
    key = row_key(job.input_sha256)
    if load_preview(files, store.get(key)) is not None:
        return {"state": "done", "stage": None, "percent": 100, "error": None}
    row, created = store.claim(
        key,
        input_sha256=job.input_sha256,
        input_path=job.input_path,
        suffix=PurePosixPath(job.filename or "").suffix.lower(),
    )
    if created:
        _send(settings, store, key, row.token)
    elif (
        row.status == "done"  # its file was erased with the original, or is of an older shape
        or (row.status == "failed" and (row.error or {}).get("code") in RETRIED_CODES)
        or store.stale(row, seconds=settings.job_stuck_seconds)
    ):
        token = store.requeue(row, input_path=job.input_path)
        if token is not None:
            log.warning("preview %s queued again (it was %s)", key, row.status)
            _send(settings, store, key, token)
    row = store.get(key) or row
    if load_preview(files, row) is not None:
        return {"state": "done", "stage": None, "percent": 100, "error": None}
    if row.status == "failed":
        return {
            "state": "failed",
            "stage": None,
            "percent": 0,
            "error": row.error or PreviewFailed().to_dict(),
        }
    stage = row.stage or "queued"
    percent = round(100 * STAGES.index(stage) / len(STAGES)) if stage in STAGES else 0
    return {"state": "running", "stage": stage, "percent": percent, "error": None}


def run_preview(key: str, token: str, settings: Settings) -> str:
    """Build the preview ``key`` if the message carrying ``token`` may (the worker's side): ``done``,
    ``failed`` or ``skipped``. Never raises for the file's faults."""
    from inclusio.jobs.attempt import json_safe, stores
    from inclusio.pipeline.naming import NEUTRAL_STEM
    from inclusio.store.heartbeat import Heartbeat, heartbeat_interval

    job_store, files = stores(settings)
    store = preview_store(job_store)
    lease = store.start(key, token)
    if lease is None:
        log.info("preview %s: nothing to do (taken, finished, or an older message)", key)
        return "skipped"
    row = store.get(key)
    assert row is not None
    error: dict[str, Any] | None = None
    result: str | None = None
    try:
        with Heartbeat(
            lambda: store.beat(key, lease),
            interval=heartbeat_interval(settings),
            name=f"preview {key[:12]}",
            lost="the preview was taken by another attempt",
        ):
            data = build_preview(
                settings,
                files.original_path(row.input_path),
                NEUTRAL_STEM + row.suffix,
                lambda stage: store.progress(key, lease, stage),
            )
            result = preview_key(settings)
            files.write_atomic(
                Path(files.document_cache_path(row.input_sha256, result)),
                json.dumps(data, ensure_ascii=False).encode("utf-8"),
            )
    except InclusioError as err:
        log.warning("preview %s failed: %s", key, err.code)
        error = json_safe(err.to_dict())
    except Exception:  # noqa: BLE001 - recorded as preview.failed; the worker goes on
        log.exception("preview %s failed", key)
        error = PreviewFailed().to_dict()
    store.finish(key, lease, error=error, result=result)
    log.info("preview %s: %s (attempt %d)", key, "failed" if error else "built", row.attempts)
    return "failed" if error else "done"


def fail_dead_preview(settings: Settings, key: str, exception: BaseException | None) -> None:
    """Record a preview whose process died while building it (``job.worker_lost``): the worker goes on."""
    from inclusio.jobs.attempt import stores

    try:
        store = preview_store(stores(settings)[0])
        row = store.get(key)
        if row is None or row.status != "running" or row.lease is None:
            return
        error = WorkerLost(details={"reason": type(exception).__name__ if exception else "lost"})
        store.finish(key, row.lease, error=error.to_dict())
    except Exception:  # noqa: BLE001 - never let a failure handler crash the worker
        log.exception("preview %s: could not record the task failure", key)
