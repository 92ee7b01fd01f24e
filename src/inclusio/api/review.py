"""Human review of a job's adaptations: read, edit, approve, regenerate one block, release.

The routes (:mod:`inclusio.api.routes.review`) and the web workspace (:mod:`inclusio.web`) both
call these functions; nothing here knows about HTTP.

* The Document under review comes from the job's ``json`` output (``NAME.document.json``); the
  reviewer's changes are saved next to it as ``review.document.json`` in the job's folder, so
  deleting the job (or erasing its owner's data) deletes the draft too.
* **Edit** replaces the block's adaptation of one kind with the reviewer's text; its provenance
  says ``engine="human"`` and keeps what the machine draft was in a note. **Approve** stamps
  ``reviewed_by`` (the reviewer's user name) and ``reviewed_at``; the adapt stage keeps reviewed
  adaptations when the document is rendered again, and the EPUB's accessibility summary says
  "relu par une personne" / "reviewed by a person" once every adaptation of a kind is approved.
* **Regenerate** runs the adaptation pass again on that block only (offline rules or the
  configured model, through :func:`inclusio.adapt.engine.adapt_document` on a one-block document
  holding the block and its section heading); the new draft is not reviewed.
* **Release** renders the reviewed document again (:func:`inclusio.pipeline.run_job` with
  ``document=``) into a *new* job row owned like the original (same owner, learner, institution),
  so the student finds it among their documents and the original stays as it was.

Release runs synchronously, in the request's worker thread, and only then creates the finished
job row. Why not the queue: the worker's task receives a job id and converts the stored original;
it has no way to receive a reviewed Document, and a queued or running row that the watchdog
re-sent would be re-made from the original without the review. Rendering from a Document skips
conversion (the slow part), so for the documents a person reviews block by block (tens of pages)
it takes seconds; outputs with audio take longer (espeak-ng runs at many times real time). The row
appears only when its outputs are in place, so a crash mid-way leaves no half-released job.
"""

from __future__ import annotations

import json
import shutil
import tempfile
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
from inclusio.store.models import Job

REVIEW_FILE = "review.document.json"
TEXT_KINDS = ("easy_read", "plain", "translation")
"""Adaptation kinds whose blocks are text a reviewer edits as lines."""
REGENERABLE = ("easy_read", "plain", "alt_text", "translation")
MAX_EDIT_CHARS = 20_000

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
    provenance = Provenance(engine="human", pass_name=kind, created_at=stamp,
                            reviewed_by=who.username if approve else None, reviewed_at=stamp if approve else None)
    if kind == "alt_text":
        if not isinstance(block, Figure):
            raise RequestInvalid("Only an image has an alt text.", message_fr="Seule une image a un texte "
                                 "alternatif.", details={"block": block_id})
        base = previous.blocks[0] if previous is not None and previous.blocks else block
        shown = base.model_copy(update={"alt": text, "decorative": False, "adaptations": []})
        adaptation = Adaptation(kind=kind, provenance=provenance, lang=doc.block_lang(block), blocks=[shown],
                                notes=notes)
    else:
        if not text:
            raise RequestInvalid("The adapted text is empty.", message_fr="Le texte adapté est vide.",
                                 details={"field": "text"})
        lang = previous.lang if previous is not None and previous.lang else doc.block_lang(block)
        adaptation = Adaptation(kind=kind, provenance=provenance, lang=lang, blocks=blocks_from_text(block, text),
                                notes=notes)
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
    mini = Document(title=doc.title, lang=doc.lang, source=doc.source, resources=resources,
                    blocks=[*([heading.model_copy(update={"adaptations": []})] if heading else []), target])
    result = adapt_document(mini, _narrowed(profile, kind), settings)
    fresh = result.document.find(block_id).adaptation(kind)
    block.adaptations = [a for a in block.adaptations if a.kind != kind] + ([fresh] if fresh else [])
    return fresh


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


# -- release -----------------------------------------------------------------------------------------

def release(svc: Any, job: Job, doc: Document, who: Principal) -> Job:
    """Render ``doc`` again for ``job``'s profile and outputs into a new, finished job (see the module doc)."""
    from inclusio.pipeline import run_job
    from inclusio.profiles import load_profile

    profile = load_profile(job.profile_id, svc.settings.profiles_dir)
    source = svc.files.original_path(job.input_path)
    work_root = Path(svc.settings.data_dir) / "jobs" / ".work"
    work_root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="release-", dir=work_root))
    try:
        result = run_job(source, profile, tmp, settings=svc.settings, outputs=job.outputs, filename=job.filename,
                         document=doc)
        new = svc.store.create(profile_id=job.profile_id, filename=job.filename, input_sha256=job.input_sha256,
                               input_path=job.input_path, input_bytes=job.input_bytes, outputs=job.outputs,
                               owner_id=job.owner_id, learner_id=job.learner_id, institution=job.institution,
                               kind=job.kind or "cpu")
        taken = svc.store.start(new.id)
        assert taken is not None, "a job created a moment ago is queued"
        _, lease = taken
        attempt = svc.files.attempt_dir(new.id, lease)
        for item in tmp.iterdir():
            shutil.move(str(item), attempt / item.name)
        artifacts: dict[str, dict[str, Any]] = {}
        for artifact in result.artifacts:
            path = attempt / Path(artifact.path).resolve().relative_to(tmp.resolve())
            name, n = artifact.name, 2
            while name in artifacts:  # a writer that returns two files of one kind: epub, epub-2
                name, n = f"{artifact.name}-{n}", n + 1
            if path.is_file():
                artifacts[name] = {"file": path.relative_to(attempt).as_posix(), "media_type": artifact.media_type,
                                   "bytes": path.stat().st_size}

        state = review_state(doc, profile.adaptation_kinds)
        message = (f"released after review by {who.username} (from job {job.id}; "
                   f"{state['reviewed']}/{state['adaptations']} adaptations approved)")
        svc.store.finish(new.id, status=result.status, errors=_json_safe(result.errors),
                         warnings=_json_safe(result.warnings),
                         artifacts=artifacts, message=message, lease=lease,
                         before_commit=lambda: svc.files.publish_attempt(new.id, lease))
        return svc.store.get(new.id)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _json_safe(value: Any) -> Any:
    """What the JSON columns can hold (issues may carry tuples, paths or enums)."""
    return json.loads(json.dumps(value, default=str))


def locked() -> threading.Lock:
    """The lock to hold around load -> change -> save of a draft."""
    return _lock
