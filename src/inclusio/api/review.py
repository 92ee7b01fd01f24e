"""Human review of a job's adaptations: read, edit, approve, regenerate one block, release.

The routes (:mod:`inclusio.api.routes.review`) and the web workspace (:mod:`inclusio.web`) both
call these functions; nothing here knows about HTTP.

* The Document under review comes from the job's ``json`` output (``NAME.document.json``); the
  reviewer's changes are saved next to it as ``review.document.json`` in the job's folder, so
  deleting the job (or erasing its owner's data) deletes the draft too.
* **Edit** replaces the block's adaptation of one kind with the reviewer's text; its provenance
  says ``engine="human"``, is stamped reviewed by the editor (a person wrote it), keeps what the
  machine draft was in a note and the draft's flags as history (cleared: reviewed). **Approve**
  stamps ``reviewed_by`` (the reviewer's user name) and ``reviewed_at``. Either clears the block's
  flags (:mod:`inclusio.model.flags`); the adapt stage keeps reviewed adaptations when the document
  is rendered again, and the EPUB's accessibility summary says how many machine-written passages a
  person has not reviewed yet.
* **Regenerate** runs the adaptation pass again on that block only (offline rules or the
  configured model, through :func:`inclusio.adapt.engine.adapt_document` on a one-block document
  holding the block and its section heading); the new draft is not reviewed.
* **Release** renders the reviewed document again (:func:`inclusio.pipeline.run_job` with
  ``document=``) for the job's profile, reading adjustments and outputs, and puts the new outputs in
  place of the job's old ones: the student downloads the reviewed version from the same job.

**Release gate**: a job with a flagged block no person reviewed is not released
(``review.unreviewed_flags``, 409) unless the reviewer confirms it (``accept_unreviewed``): the
confirmation goes into the audit log (``release.accept_unreviewed``, with the number of blocks), the file
``release.accepted.json`` in the job's folder, which the worker reads, and so into the report and the
student's copy (its accessibility summary says the passages were released unreviewed on purpose).

Release runs on the queue, never inside the HTTP request (with MP3 on a long book it takes minutes).
:func:`request_release` marks the job ``releasing`` (``Job.release_state``; the job itself stays
finished) with a token and sends ``inclusio.release_job(job_id, token)`` by name to the queue of the
job's kind; :func:`perform_release` is what the worker runs (``workers/release_tasks.py``). It reads
the reviewed draft from the job's folder when it starts, renders into an attempt folder, and swaps
the job's folder for it in the transaction that records the outcome: until then the old outputs stay
downloadable, and a release that fails keeps them (``failed``, with the coded errors). The job's
status, outputs and problems become the release's (``partial`` when an output failed). The
conversion watchdog never touches a release (the job is not queued or running); a release whose worker
died shows no heartbeat, and asking again after ``INCLUSIO_JOB_STUCK_SECONDS`` supersedes it.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from inclusio.auth.policy import Principal
from inclusio.errors import ArtifactNotFound, RequestInvalid, RequestNotFound
from inclusio.model.document import (
    Adaptation,
    Block,
    Document,
    Figure,
    Heading,
    ListBlock,
    ListItem,
    Paragraph,
    Provenance,
)
from inclusio.store.heartbeat import Heartbeat, heartbeat_interval
from inclusio.store.models import Job

REVIEW_FILE = "review.document.json"
ACCEPTED_FILE = "release.accepted.json"
"""Written by a release confirmed with unreviewed flags (who, when, how many blocks); removed otherwise."""
TEXT_KINDS = ("easy_read", "plain", "translation")
"""Adaptation kinds whose blocks are text a reviewer edits as lines."""
REGENERABLE = ("easy_read", "plain", "alt_text", "translation")
MAX_EDIT_CHARS = 20_000

log = logging.getLogger("inclusio.review")

_lock = threading.Lock()
"""Serialises read-modify-write of review drafts within one API process (several processes: last write wins)."""


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


# -- loading and saving ------------------------------------------------------------------------------

def review_path(files: Any, job: Job) -> Path:
    return Path(files.job_dir(job.id)) / REVIEW_FILE


def load_document(files: Any, job: Job) -> Document:
    """The document under review: the saved draft, else the job's ``json`` output.

    ``artifact.not_found`` when the job has neither (it was submitted without the ``json``
    output, or has not finished).
    """
    draft = review_path(files, job)
    if draft.is_file():
        return Document.from_json(draft.read_bytes())
    record = (job.artifacts or {}).get("json")
    if record is None:
        raise ArtifactNotFound(
            "This job has no document to review: submit the document again with the 'json' output "
            "(the staff pages always ask for it), and wait until the job has finished.",
            message_fr=("Cette tâche n'a pas de document à relire : soumettez de nouveau le document avec la "
                        "sortie « json » (les pages du personnel la demandent toujours), et attendez la fin de "
                        "la tâche."),
            details={"job": job.id, "artifact": "json"})
    path = files.artifact_path(job.id, record["file"])
    if not path.is_file():
        raise ArtifactNotFound(details={"job": job.id, "artifact": "json"})
    return Document.from_json(path.read_bytes())


def save_document(files: Any, job: Job, doc: Document) -> None:
    files.write_atomic(review_path(files, job), doc.to_json(indent=None).encode("utf-8"))


def _block(doc: Document, block_id: str) -> Block:
    try:
        return doc.find(block_id)
    except KeyError:
        raise RequestNotFound("This block is not in the document (it may have been converted again).",
                              message_fr="Ce bloc n'est pas dans le document (il a peut-être été converti de "
                                         "nouveau).",
                              details={"block": block_id[:80]}) from None


def _kind(kind: str, allowed: tuple[str, ...]) -> str:
    if kind not in allowed:
        raise RequestInvalid(f"Unknown adaptation kind {kind[:40]!r}; choose among {', '.join(allowed)}.",
                             message_fr=f"Type d'adaptation inconnu {kind[:40]!r} ; choisissez parmi "
                                        f"{', '.join(allowed)}.",
                             details={"field": "kind", "allowed": list(allowed)})
    return kind


# -- text <-> blocks ---------------------------------------------------------------------------------

def adaptation_text(adaptation: Adaptation) -> str:
    """The adaptation as the reviewer edits it: one line per paragraph, ``- item`` per list item."""
    if adaptation.kind == "alt_text":
        figure = next((b for b in adaptation.blocks if isinstance(b, Figure)), None)
        return (figure.alt or "") if figure else (adaptation.text or "")
    if not adaptation.blocks:
        return adaptation.text or ""
    lines: list[str] = []
    for block in adaptation.blocks:
        if isinstance(block, ListBlock):
            lines += [f"- {item.text}" for item in block.items]
        else:
            lines.append(block.plain_text())
    return "\n".join(lines)


def blocks_from_text(source: Block, text: str) -> list[Block]:
    """The reviewer's lines as blocks: a line per paragraph, consecutive ``- `` lines as one list."""
    out: list[Block] = []
    items: list[str] = []
    role = source.role if isinstance(source, Paragraph) else "body"

    def flush() -> None:
        if items:
            out.append(ListBlock(id=f"{source.id}.h{len(out) + 1}", lang=source.lang, source=source.source,
                                 items=[ListItem(text=i) for i in items]))
            items.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith(("- ", "• ", "* ")):
            items.append(line[2:].strip())
            continue
        flush()
        out.append(Paragraph(id=f"{source.id}.h{len(out) + 1}", text=line, role=role, lang=source.lang,
                             source=source.source))
    flush()
    return out


# -- the operations ----------------------------------------------------------------------------------

def edit_block(doc: Document, block_id: str, kind: str, text: str, who: Principal, *,
               approve: bool = False) -> Adaptation:
    """Replace ``block_id``'s ``kind`` adaptation with the reviewer's ``text`` (engine ``human``)."""
    _kind(kind, REGENERABLE)
    text = text.replace("\r\n", "\n").strip()
    if len(text) > MAX_EDIT_CHARS:
        raise RequestInvalid(details={"field": "text", "max_chars": MAX_EDIT_CHARS})
    block = _block(doc, block_id)
    previous = block.adaptation(kind)
    stamp = now_iso()
    notes = [f"edited by {who.username}"]
    if previous is not None:
        made = previous.provenance
        notes.append(f"machine draft before the edit: {made.engine}"
                     f"{' ' + made.model if made.model else ''} ({made.pass_name})")
    # A person wrote it: it counts as reviewed whatever ``approve`` says (kept for the API's callers), so
    # the release keeps it and its draft's flags no longer hold the release back.
    provenance = Provenance(engine="human", pass_name=kind, created_at=stamp,
                            reviewed_by=who.username, reviewed_at=stamp)
    history = list(previous.flags) if previous is not None else []  # the draft's flags, cleared by this review
    if kind == "alt_text":
        if not isinstance(block, Figure):
            raise RequestInvalid("Only an image has an alt text.", message_fr="Seule une image a un texte "
                                 "alternatif.", details={"block": block_id})
        base = previous.blocks[0] if previous is not None and previous.blocks else block
        shown = base.model_copy(update={"alt": text, "decorative": False, "adaptations": []})
        adaptation = Adaptation(kind=kind, provenance=provenance, lang=doc.block_lang(block), blocks=[shown],
                                notes=notes, flags=history)
    else:
        if not text:
            raise RequestInvalid("The adapted text is empty.", message_fr="Le texte adapté est vide.",
                                 details={"field": "text"})
        lang = previous.lang if previous is not None and previous.lang else doc.block_lang(block)
        adaptation = Adaptation(kind=kind, provenance=provenance, lang=lang, blocks=blocks_from_text(block, text),
                                notes=notes, flags=history)
    block.adaptations = [a for a in block.adaptations if a.kind != kind] + [adaptation]
    return adaptation


def approve_block(doc: Document, block_id: str, kind: str, who: Principal) -> Adaptation:
    """Stamp the latest ``kind`` adaptation of ``block_id`` as reviewed by ``who``."""
    _kind(kind, REGENERABLE + ("summary",))
    block = _block(doc, block_id)
    current = block.adaptation(kind)
    if current is None:
        raise RequestNotFound("This block has no adaptation of that kind to approve.",
                              message_fr="Ce bloc n'a pas d'adaptation de ce type à approuver.",
                              details={"block": block_id, "kind": kind})
    stamp = now_iso()
    approved = current.model_copy(update={"provenance": current.provenance.model_copy(
        update={"reviewed_by": who.username, "reviewed_at": stamp})})
    block.adaptations = [a for a in block.adaptations if a is not current] + [approved]
    return approved


def _narrowed(profile: Any, kind: str) -> Any:
    """The profile with only the pass that makes ``kind`` (rewrite level, alt text or translation)."""
    update: dict[str, Any] = {
        "glossary": profile.glossary.model_copy(update={"enabled": False}),
        "summaries": profile.summaries.model_copy(update={"enabled": False}),
        "images": profile.images.model_copy(update={"generate": kind == "alt_text"}),
        "adaptation": profile.adaptation.model_copy(
            update={"level": kind if kind in ("easy_read", "plain") else "original"}),
    }
    if kind != "translation":
        update["translation"] = profile.translation.model_copy(update={"target": None})
    elif not profile.translation.target:
        raise RequestInvalid("The job's profile asks for no translation.",
                             message_fr="Le profil de la tâche ne demande pas de traduction.",
                             details={"kind": kind})
    return profile.model_copy(update=update)


def regenerate_block(doc: Document, block_id: str, kind: str, profile: Any, settings: Any) -> Adaptation | None:
    """Run the pass making ``kind`` again on ``block_id`` alone; its new draft replaces the old one.

    The block goes through the same engine as the job (offline rules, or the configured model
    and its cache) inside a document holding its section heading (the model's context) and,
    for an image, its picture. Acronyms defined elsewhere in the document are not written out
    again (the rules look for definitions in the text they are given). Returns the new
    adaptation, or None when the pass makes nothing for this block (the old one is removed).
    """
    from inclusio.adapt.engine import adapt_document

    _kind(kind, REGENERABLE)
    block = _block(doc, block_id)
    index = doc.blocks.index(block)
    heading = next((b for b in reversed(doc.blocks[:index]) if isinstance(b, Heading)), None)
    target = block.model_copy(deep=True, update={"adaptations": [a for a in block.adaptations if a.kind != kind]})
    if isinstance(target, Figure) and kind == "alt_text":
        target = target.model_copy(update={"alt": None})
    resources = {target.image: doc.resources[target.image]} \
        if isinstance(target, Figure) and target.image in doc.resources else {}
    from inclusio.pipeline.job import shared_view

    shared = shared_view(doc)  # the model (and its answer cache) never sees the uploader's file name
    mini = Document(title=shared.title, lang=doc.lang, source=shared.source, resources=resources,
                    blocks=[*([heading.model_copy(update={"adaptations": []})] if heading else []), target])
    result = adapt_document(mini, _narrowed(profile, kind), settings)
    fresh = result.document.find(block_id).adaptation(kind)
    block.adaptations = [a for a in block.adaptations if a.kind != kind] + ([fresh] if fresh else [])
    return fresh


_counts_cache: dict[tuple[str, int, int], dict[str, int]] = {}


def flag_counts(files: Any, job: Job) -> dict[str, int] | None:
    """The flag summary of the job's document under review (None before it has one): what ``GET /jobs/{id}``
    shows. Read from the draft (or the ``json`` output) and cached on the file's size and time."""
    if job.status not in ("succeeded", "partial"):
        return None
    path = review_path(files, job)
    if not path.is_file():
        record = (job.artifacts or {}).get("json")
        if record is None:
            return None
        path = files.artifact_path(job.id, record["file"])
    try:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        if key not in _counts_cache:
            from inclusio.model.flags import flags_report

            summary = flags_report(Document.from_json(path.read_bytes()))["summary"]
            if len(_counts_cache) > 256:
                _counts_cache.clear()
            _counts_cache[key] = {k: v for k, v in summary.items() if isinstance(v, int)}
        return dict(_counts_cache[key])
    except Exception as exc:  # noqa: BLE001 - an unreadable document must not break the job's status
        log.warning("job %s: flag counts unavailable (%s)", job.id, exc)
        return None


def review_state(doc: Document, kinds: tuple[str, ...]) -> dict[str, int]:
    """``{"adaptations": n, "reviewed": m}`` over the latest adaptation of each of ``kinds`` per block."""
    total = reviewed = 0
    for block in doc.blocks:
        for kind in kinds:
            adaptation = block.adaptation(kind)
            if adaptation is not None:
                total += 1
                reviewed += bool(adaptation.provenance.reviewed_by)
    return {"adaptations": total, "reviewed": reviewed}


def reviewable_kinds(doc: Document) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for block in doc.blocks:
        for adaptation in block.adaptations:
            if adaptation.kind in REGENERABLE + ("summary",):
                seen[adaptation.kind] = None
    return tuple(seen)


# -- release ------------------------------------------------------------------------------------------

RELEASE_TASK = "inclusio.release_job"
"""The task the API sends (by name) to release a reviewed job; registered by ``workers/release_tasks.py``."""
RELEASE_STAGE = "release"

_release_apps: dict[str, Any] = {}
"""Celery apps used to send releases, per broker URL (built on first use; building connects to nothing)."""


def send_release(settings: Any, job: Job, token: str) -> None:
    """Send ``inclusio.release_job(job_id, token)`` to the queue of the job's kind (MP3 jobs: audio)."""
    # The factory only: the API never imports the task code.
    from workers.celery_app import QUEUES, create_celery_app

    url = settings.resolved_broker_url()
    if url not in _release_apps:
        _release_apps[url] = create_celery_app(settings)
    _release_apps[url].send_task(RELEASE_TASK, args=[job.id, token],
                                 queue=QUEUES.get(job.kind or "cpu", QUEUES["cpu"]))


def release_stalled(job: Job, settings: Any) -> bool:
    """A release said to be under way whose worker has given no sign of life for too long."""
    if job.release_state != "releasing" or job.release_beat_at is None:
        return False
    return (datetime.now(UTC) - job.release_beat_at).total_seconds() > settings.job_stuck_seconds


def release_gate(svc: Any, job: Job, who: Principal, *, accept_unreviewed: bool) -> int:
    """Refuse the release of a document with flagged, unreviewed blocks unless ``accept_unreviewed``.

    Returns how many such blocks there are. Confirmed with some: the audit log (a count, no job id) and
    :data:`ACCEPTED_FILE` record it (the worker reads that file); otherwise the file is removed.
    Raises :class:`~inclusio.errors.ReviewUnreviewedFlags` (409) when refused.
    """
    from inclusio.errors import ReviewUnreviewedFlags
    from inclusio.model.flags import unreviewed_blocks

    with _lock:
        doc = load_document(svc.files, job)  # artifact.not_found now rather than in the worker
    flagged = [block.id for block in unreviewed_blocks(doc)]
    accepted = Path(svc.files.job_dir(job.id)) / ACCEPTED_FILE
    if not flagged:
        accepted.unlink(missing_ok=True)
        return 0
    n = len(flagged)
    if not accept_unreviewed:
        raise ReviewUnreviewedFlags(
            f"{n} flagged block(s) are not reviewed yet. Review them (they are shown first in the review "
            "workspace): edit or approve each one; or confirm that the student may get them unreviewed "
            "(the 'accept_unreviewed' box or field).",
            message_fr=(f"{n} bloc(s) signalé(s) ne sont pas encore relus. Relisez-les (ils sont affichés en premier "
                        "dans l'espace de relecture) : modifiez ou approuvez chacun ; ou confirmez que l'étudiant·e "
                        "peut les recevoir sans relecture (la case ou le champ « accept_unreviewed »)."),
            details={"job": job.id, "flagged_blocks": n, "blocks": flagged[:20]})
    record = {"by": who.username, "at": now_iso(), "flagged_blocks": n, "blocks": flagged[:200]}
    svc.files.write_atomic(accepted, json.dumps(record).encode("utf-8"))
    svc.users.audit(actor_id=who.id, action="release.accept_unreviewed", subject_id=job.learner_id or job.owner_id,
                    institution=job.institution, details={"count": n})
    log.info("job %s: release confirmed by %s with %d flagged block(s) unreviewed", job.id, who.username, n)
    return n


def accepted_release(files: Any, job_id: str) -> dict[str, Any] | None:
    """The confirmation of a release with unreviewed flags (see :func:`release_gate`), if any."""
    path = Path(files.job_dir(job_id)) / ACCEPTED_FILE
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def request_release(svc: Any, job: Job, who: Principal, *, accept_unreviewed: bool = False) -> Job:
    """Queue the release of ``job``'s reviewed document; the job, now ``releasing`` (see the module doc).

    Refused (``review.unreviewed_flags``) while a flagged block is unreviewed, unless
    ``accept_unreviewed`` (:func:`release_gate`). Asking while a release of the job is under way joins
    it (nothing new is sent).
    """
    from datetime import timedelta

    from inclusio.errors import QueueUnavailable

    if job.status not in ("succeeded", "partial"):
        raise RequestInvalid("This job has not finished: wait until it has, review it, then release it.",
                             message_fr=("Cette tâche n'est pas terminée : attendez sa fin, relisez-la, puis "
                                         "publiez-la."),
                             details={"job": job.id, "status": job.status})
    release_gate(svc, job, who, accept_unreviewed=accept_unreviewed)
    stale = datetime.now(UTC) - timedelta(seconds=svc.settings.job_stuck_seconds)
    token = svc.store.request_release(job.id, by=who.username, stale_before=stale)
    if token is None:
        return svc.store.get(job.id)
    try:
        send_release(svc.settings, job, token)
    except Exception as exc:  # noqa: BLE001 - the broker is down or refused the message
        error = QueueUnavailable(details={"reason": type(exc).__name__})
        svc.store.fail_release(job.id, token, [{"stage": RELEASE_STAGE, **error.to_dict()}])
        raise error from exc
    return svc.store.get(job.id)


def perform_release(store: Any, files: Any, settings: Any, job_id: str, token: str) -> str:
    """The worker's side of a release: render, then swap the outputs; returns what happened.

    ``released`` statuses are the job's new status (``succeeded`` or ``partial``); ``failed`` (the old
    outputs stay, the coded errors are recorded), ``skipped`` (a duplicate message, or a release asked
    again meanwhile), ``missing`` (no such job) or ``lost`` (superseded or deleted while rendering).
    Raises only if the database cannot be reached at the start (the task retries).
    """
    from inclusio.errors import JobNotFound, as_inclusio_error
    from inclusio.pipeline import run_job
    from inclusio.profiles import load_profile, with_reading

    try:
        job = store.get(job_id)
    except JobNotFound:
        return "missing"
    lease = store.start_release(job_id, token)
    if lease is None:
        return "skipped"
    attempt = files.attempt_dir(job_id, lease)
    try:
        with Heartbeat(lambda: store.beat_release(job_id, lease), interval=heartbeat_interval(settings),
                       name=f"release-beat-{job_id[:8]}", lost="release superseded or deleted; its outcome will not be recorded"):
            doc = load_document(files, job)
            accepted = accepted_release(files, job_id)
            profile = with_reading(load_profile(job.profile_id, settings.profiles_dir), job.reading)
            result = run_job(files.original_path(job.input_path), profile, attempt, settings=settings,
                             outputs=job.outputs, filename=job.filename, document=doc,
                             accepted_unreviewed=accepted)
        if result.status == "failed":
            files.discard_attempt(job_id, lease)
            errors = _json_safe(result.errors) or [{"stage": RELEASE_STAGE, "code": "stage.failed"}]
            return "failed" if store.fail_release(job_id, lease, errors) else "lost"
        state = review_state(doc, profile.adaptation_kinds)
        reviewer = job.released_by or "?"
        message = (f"released after review by {reviewer} "
                   f"({state['reviewed']}/{state['adaptations']} adaptations approved)")
        if accepted is not None:
            message += (f"; {accepted.get('flagged_blocks')} flagged block(s) released unreviewed, confirmed by "
                        f"{accepted.get('by')}")

        def swap() -> None:
            # The reviewer's draft (approvals, edits) moves with the outputs into the new folder.
            draft = review_path(files, job)
            if draft.is_file() and not (attempt / REVIEW_FILE).exists():
                shutil.copy2(draft, attempt / REVIEW_FILE)
            confirmation = Path(files.job_dir(job.id)) / ACCEPTED_FILE
            if confirmation.is_file() and not (attempt / ACCEPTED_FILE).exists():
                shutil.copy2(confirmation, attempt / ACCEPTED_FILE)
            files.publish_attempt(job_id, lease)

        recorded = store.finish_release(job_id, lease, status=result.status,
                                        artifacts=_artifact_records(result.artifacts, attempt),
                                        errors=_json_safe(result.errors), warnings=_json_safe(result.warnings),
                                        message=message, before_commit=swap)
        if not recorded:
            files.discard_attempt(job_id, lease)
            return "lost"
        return str(result.status)
    except Exception as exc:  # noqa: BLE001 - a failed release is recorded, the worker goes on
        log.exception("job %s: release failed", job_id)
        files.discard_attempt(job_id, lease)
        error = as_inclusio_error(exc)
        recorded = store.fail_release(job_id, lease, [{"stage": RELEASE_STAGE, **_json_safe(error.to_dict())}])
        return "failed" if recorded else "lost"


def _artifact_records(artifacts: list[Any], folder: Path) -> dict[str, dict[str, Any]]:
    """``{name: {file, media_type, bytes}}`` with ``file`` relative to the job folder."""
    records: dict[str, dict[str, Any]] = {}
    root = folder.resolve()
    for artifact in artifacts:
        path = Path(artifact.path).resolve()
        if not path.is_file() or not path.is_relative_to(root):
            continue
        name, n = artifact.name, 2
        while name in records:  # a writer that returns two files of one kind: epub, epub-2
            name, n = f"{artifact.name}-{n}", n + 1
        records[name] = {"file": path.relative_to(root).as_posix(), "media_type": artifact.media_type,
                         "bytes": path.stat().st_size}
    return records


def _json_safe(value: Any) -> Any:
    """What the JSON columns can hold (issues may carry tuples, paths or enums)."""
    return json.loads(json.dumps(value, default=str))


def locked() -> threading.Lock:
    """The lock to hold around load -> change -> save of a draft."""
    return _lock
