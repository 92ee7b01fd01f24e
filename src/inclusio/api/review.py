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
* **Glossary**: staff define a term (a "to define" entry, or correct a definition), approve a
  flagged definition as it is, or remove the term. A definition a person writes is verified like any
  generated text (:func:`inclusio.adapt.glossary.check_definition`): the findings are given back and
  kept on the entry, but a person's text counts as reviewed. A removed term keeps its entry, reviewed
  and without a definition, so it never reaches the student and the glossary pass does not bring it
  back when the document is rendered again. In a bilingual glossary (French as a foreign language) staff
  write a term's translation (:func:`translate_term`): the entry is then reviewed as a whole, so the
  translation stays when the document is rendered again. **At once** (:func:`review_terms_at_once`):
  remove every term still to define, or approve every machine definition (of one origin); each entry is
  stamped like the single action, the reviewer confirms the number of terms, and the audit log records
  the count (``review.glossary_remove_undefined``, ``review.glossary_approve``).
* **Regenerate** runs the adaptation pass again on that block only (offline rules or the
  configured model, through :func:`inclusio.adapt.engine.adapt_document` on a one-block document
  holding the block and its section heading); the new draft is not reviewed.
* **Release** (:mod:`inclusio.jobs`, not here) renders the reviewed document again
  (:func:`inclusio.pipeline.run_job` with ``document=``) for the job's profile, reading adjustments
  and outputs, and puts the new outputs in place of the job's old ones: the student downloads the
  reviewed version from the same job.

**Release gate**: a job with a flagged block or glossary entry (flagged, or to define) no person reviewed
is not released
(``review.unreviewed_flags``, 409) unless the reviewer confirms it (``accept_unreviewed``): the
confirmation goes into the audit log (``release.accept_unreviewed``, with the number of blocks), the file
``release.accepted.json`` in the job's folder, which the worker reads, and so into the report and the
student's copy (its accessibility summary says the passages were released unreviewed on purpose).

Release runs on the queue, never inside the HTTP request (with MP3 on a long book it takes minutes).
:func:`inclusio.jobs.request_release` marks the job ``releasing`` (``Job.release_state``; the job itself
stays finished) with a token and sends ``inclusio.release_job(job_id, token)`` by name to the queue of
the job's kind; :func:`inclusio.jobs.release` is what the worker runs (``workers/release_tasks.py``). It reads
the reviewed draft from the job's folder when it starts, renders into an attempt folder, and swaps
the job's folder for it in the transaction that records the outcome: until then the old outputs stay
downloadable, and a release that fails keeps them (``failed``, with the coded errors). The job's
status, outputs and problems become the release's (``partial`` when an output failed). The
conversion watchdog never touches a release (the job is not queued or running); a release whose worker
died shows no heartbeat, and asking again after ``INCLUSIO_JOB_STUCK_SECONDS`` supersedes it.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import Any

from inclusio.auth.policy import Principal
from inclusio.errors import RequestInvalid, RequestNotFound
from inclusio.model.document import (
    Adaptation,
    Block,
    Document,
    Figure,
    Flag,
    GlossaryEntry,
    Heading,
    ListBlock,
    ListItem,
    Paragraph,
    Provenance,
)
from inclusio.store.models import Job
from inclusio.store.review_drafts import (  # the draft's storage; re-exported for the routes and pages
    ACCEPTED_FILE as ACCEPTED_FILE,
)
from inclusio.store.review_drafts import (
    REVIEW_FILE as REVIEW_FILE,
)
from inclusio.store.review_drafts import (
    accepted_release as accepted_release,
)
from inclusio.store.review_drafts import draft_lock
from inclusio.store.review_drafts import (
    load_document as load_document,
)
from inclusio.store.review_drafts import (
    review_path as review_path,
)
from inclusio.store.review_drafts import (
    review_state as review_state,
)
from inclusio.store.review_drafts import (
    save_document as save_document,
)

TEXT_KINDS = ("easy_read", "plain", "translation")
"""Adaptation kinds whose blocks are text a reviewer edits as lines."""
REGENERABLE = ("easy_read", "plain", "alt_text", "translation")
MAX_EDIT_CHARS = 20_000
MAX_DEFINITION_CHARS = 400
"""A glossary definition is one or two simple sentences (the model's are held to the same length)."""
MAX_TRANSLATION_CHARS = 120
"""A glossary term's translation is a word or a short phrase."""
BULK_ACTIONS = ("remove_undefined", "approve")
"""What staff do to many glossary terms at once (:func:`bulk_terms`)."""
APPROVABLE_ORIGINS = ("document", "model", "course", "lexicon")
"""The kinds of machine definitions staff approve at once (:attr:`GlossaryEntry.origin`)."""

log = logging.getLogger("inclusio.review")

_lock = draft_lock
"""Serialises read-modify-write of review drafts within one API process (several processes: last write wins)."""


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


# -- loading and saving ------------------------------------------------------------------------------


def _block(doc: Document, block_id: str) -> Block:
    try:
        return doc.find(block_id)
    except KeyError:
        raise RequestNotFound(
            "This block is not in the document (it may have been converted again).",
            message_fr="Ce bloc n'est pas dans le document (il a peut-être été converti de nouveau).",
            details={"block": block_id[:80]},
        ) from None


def _kind(kind: str, allowed: tuple[str, ...]) -> str:
    if kind not in allowed:
        raise RequestInvalid(
            f"Unknown adaptation kind {kind[:40]!r}; choose among {', '.join(allowed)}.",
            message_fr=f"Type d'adaptation inconnu {kind[:40]!r} ; choisissez parmi {', '.join(allowed)}.",
            details={"field": "kind", "allowed": list(allowed)},
        )
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
            out.append(
                ListBlock(
                    id=f"{source.id}.h{len(out) + 1}",
                    lang=source.lang,
                    source=source.source,
                    items=[ListItem(text=i) for i in items],
                )
            )
            items.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith(("- ", "• ", "* ")):
            items.append(line[2:].strip())
            continue
        flush()
        out.append(
            Paragraph(
                id=f"{source.id}.h{len(out) + 1}",
                text=line,
                role=role,
                lang=source.lang,
                source=source.source,
            )
        )
    flush()
    return out


# -- the operations ----------------------------------------------------------------------------------


def edit_block(
    doc: Document, block_id: str, kind: str, text: str, who: Principal, *, approve: bool = False
) -> Adaptation:
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
        notes.append(
            f"machine draft before the edit: {made.engine}"
            f"{' ' + made.model if made.model else ''} ({made.pass_name})"
        )
    # A person wrote it: it counts as reviewed whatever ``approve`` says (kept for the API's callers), so
    # the release keeps it and its draft's flags no longer hold the release back.
    provenance = Provenance(
        engine="human", pass_name=kind, created_at=stamp, reviewed_by=who.username, reviewed_at=stamp
    )
    history = (
        list(previous.flags) if previous is not None else []
    )  # the draft's flags, cleared by this review
    if kind == "alt_text":
        if not isinstance(block, Figure):
            raise RequestInvalid(
                "Only an image has an alt text.",
                message_fr="Seule une image a un texte alternatif.",
                details={"block": block_id},
            )
        base = previous.blocks[0] if previous is not None and previous.blocks else block
        shown = base.model_copy(update={"alt": text, "decorative": False, "adaptations": []})
        adaptation = Adaptation(
            kind=kind,
            provenance=provenance,
            lang=doc.block_lang(block),
            blocks=[shown],
            notes=notes,
            flags=history,
        )
    else:
        if not text:
            raise RequestInvalid(
                "The adapted text is empty.",
                message_fr="Le texte adapté est vide.",
                details={"field": "text"},
            )
        lang = previous.lang if previous is not None and previous.lang else doc.block_lang(block)
        adaptation = Adaptation(
            kind=kind,
            provenance=provenance,
            lang=lang,
            blocks=blocks_from_text(block, text),
            notes=notes,
            flags=history,
        )
    block.adaptations = [a for a in block.adaptations if a.kind != kind] + [adaptation]
    return adaptation


def approve_block(doc: Document, block_id: str, kind: str, who: Principal) -> Adaptation:
    """Stamp the latest ``kind`` adaptation of ``block_id`` as reviewed by ``who``."""
    _kind(kind, REGENERABLE + ("summary",))
    block = _block(doc, block_id)
    current = block.adaptation(kind)
    if current is None:
        raise RequestNotFound(
            "This block has no adaptation of that kind to approve.",
            message_fr="Ce bloc n'a pas d'adaptation de ce type à approuver.",
            details={"block": block_id, "kind": kind},
        )
    stamp = now_iso()
    approved = current.model_copy(
        update={
            "provenance": current.provenance.model_copy(
                update={"reviewed_by": who.username, "reviewed_at": stamp}
            )
        }
    )
    block.adaptations = [a for a in block.adaptations if a is not current] + [approved]
    return approved


# -- the glossary --------------------------------------------------------------------------------------


def _term_index(doc: Document, term: str) -> int:
    key = " ".join(term.split()).lower()
    for index, entry in enumerate(doc.glossary):
        if entry.term.lower() == key:
            return index
    raise RequestNotFound(
        "This term is not in the document's glossary (it may have been converted again).",
        message_fr="Ce terme n'est pas dans le glossaire du document (il a peut-être été converti de nouveau).",
        details={"term": term[:80]},
    )


def _reviewed(who: Principal) -> Provenance:
    stamp = now_iso()
    return Provenance(
        engine="human", pass_name="glossary", created_at=stamp, reviewed_by=who.username, reviewed_at=stamp
    )


def _history(*groups: list[Flag]) -> list[Flag]:
    """Flags kept on a reviewed entry (cleared by the review), each once."""
    seen: dict[tuple[str, str], Flag] = {}
    for group in groups:
        for flag in group:
            seen.setdefault((flag.code, flag.reason), flag)
    return list(seen.values())


def define_term(
    doc: Document, term: str, definition: str, who: Principal
) -> tuple[GlossaryEntry, list[Flag]]:
    """The reviewer's ``definition`` of ``term`` (written or corrected): reviewed by them, verified.

    Returns the entry and the verifier's findings on the definition (kept on the entry with the draft's
    flags, all cleared by this review: a person wrote it)."""
    from inclusio.adapt.glossary import check_definition

    text = " ".join(definition.split())
    if len(text) > MAX_DEFINITION_CHARS:
        raise RequestInvalid(details={"field": "definition", "max_chars": MAX_DEFINITION_CHARS})
    if len(text) < 3:
        raise RequestInvalid(
            "The definition is empty. Write one, or remove the term from the glossary.",
            message_fr="La définition est vide. Écrivez-en une, ou retirez le terme du glossaire.",
            details={"field": "definition"},
        )
    index = _term_index(doc, term)
    entry = doc.glossary[index]
    findings = check_definition(doc, entry.term, text)
    updated = entry.model_copy(
        update={"definition": text, "provenance": _reviewed(who), "flags": _history(entry.flags, findings)}
    )
    doc.glossary[index] = updated
    return updated, findings


def approve_term(doc: Document, term: str, who: Principal) -> GlossaryEntry:
    """Stamp ``term``'s definition as reviewed by ``who`` (a term without one is defined or removed)."""
    index = _term_index(doc, term)
    entry = doc.glossary[index]
    if not (entry.definition or "").strip():
        raise RequestInvalid(
            "This term has no definition to approve: write one, or remove the term.",
            message_fr="Ce terme n'a pas de définition à approuver : écrivez-en une, ou retirez le terme.",
            details={"term": entry.term},
        )
    stamp = now_iso()
    made = entry.provenance.model_copy(update={"reviewed_by": who.username, "reviewed_at": stamp})
    doc.glossary[index] = entry.model_copy(update={"provenance": made})
    return doc.glossary[index]


def remove_term(doc: Document, term: str, who: Principal) -> GlossaryEntry:
    """Take ``term`` out of the student's glossary: its entry stays, reviewed and without a definition."""
    index = _term_index(doc, term)
    entry = doc.glossary[index]
    removed = entry.model_copy(
        update={
            "definition": None,
            "translations": {},
            "provenance": _reviewed(who),
            "flags": list(entry.flags),
        }
    )
    doc.glossary[index] = removed
    return removed


def term_languages(entry: GlossaryEntry, profile: Any | None) -> list[str]:
    """The languages ``entry``'s translation may be written in: the profile's bilingual glossary's target
    first, then those the entry already has."""
    out: list[str] = []
    if profile is not None and profile.translation.target and profile.translation.bilingual_glossary:
        out.append(profile.translation.target)
    return out + [code for code in entry.translations if code not in out]


def translate_term(
    doc: Document, term: str, translation: str, who: Principal, *, lang: str | None, profile: Any | None
) -> GlossaryEntry:
    """The reviewer's ``translation`` of ``term`` into ``lang`` (by default the language of the job's
    ``profile``'s bilingual glossary, :func:`term_languages`): the entry is then reviewed by them as a whole,
    its definition as it is.

    Refused for a term whose definition is missing or flagged and not reviewed (it is defined, corrected or
    approved first: a translation never approves a flagged definition silently) and for a removed term."""
    text = " ".join(translation.split())
    if len(text) > MAX_TRANSLATION_CHARS:
        raise RequestInvalid(
            f"The translation is too long (at most {MAX_TRANSLATION_CHARS} characters): a glossary term is "
            "translated by a word or a short phrase.",
            message_fr=f"La traduction est trop longue (au plus {MAX_TRANSLATION_CHARS} caractères) : un terme "
            "du glossaire se traduit par un mot ou une courte expression.",
            details={"field": "translation", "max_chars": MAX_TRANSLATION_CHARS},
        )
    if not text:
        raise RequestInvalid(
            "The translation is empty. Write the term in the other language.",
            message_fr="La traduction est vide. Écrivez le terme dans l'autre langue.",
            details={"field": "translation"},
        )
    index = _term_index(doc, term)
    entry = doc.glossary[index]
    allowed = term_languages(entry, profile)
    code = lang or (allowed[0] if allowed else "")
    if code not in allowed:
        raise RequestInvalid(
            "This glossary has no translation in that language (the job's profile asks for none).",
            message_fr="Ce glossaire n'a pas de traduction dans cette langue (le profil de la tâche n'en demande pas).",
            details={"field": "lang", "allowed": allowed},
        )
    if entry.needs_review or not (entry.definition or "").strip():
        raise RequestInvalid(
            "This term's definition is missing, or flagged and not reviewed: write, correct or approve it "
            "first (or remove the term), then its translation.",
            message_fr="La définition de ce terme manque, ou elle est signalée et pas encore relue : écrivez-la, "
            "corrigez-la ou approuvez-la d'abord (ou retirez le terme), puis sa traduction.",
            details={"term": entry.term},
        )
    stamp = now_iso()
    made = entry.provenance.model_copy(update={"reviewed_by": who.username, "reviewed_at": stamp})
    doc.glossary[index] = entry.model_copy(
        update={"translations": {**entry.translations, code: text}, "provenance": made}
    )
    return doc.glossary[index]


def bulk_terms(doc: Document, action: str, origin: str | None = None) -> list[GlossaryEntry]:
    """The glossary entries a bulk ``action`` changes: ``remove_undefined``, every term without a definition
    that no person reviewed ("to define"); ``approve``, every machine definition no person reviewed (flagged
    or not), of ``origin`` only when given (the document's own, the model's, the course's, the acronym
    lexicon's)."""
    if action not in BULK_ACTIONS:
        raise RequestInvalid(
            "Unknown action on many glossary terms: remove the terms to define, or approve definitions.",
            message_fr="Action inconnue sur plusieurs termes du glossaire : retirer les termes à définir, ou "
            "approuver des définitions.",
            details={"field": "action", "allowed": list(BULK_ACTIONS)},
        )
    if origin is not None and (action != "approve" or origin not in APPROVABLE_ORIGINS):
        raise RequestInvalid(
            "Definitions are approved at once by origin (the document's, the model's, the course's, the "
            "acronym lexicon's); terms to define are removed whatever their origin.",
            message_fr="Les définitions s'approuvent ensemble selon leur origine (le document, le modèle, le "
            "cours, le lexique des sigles) ; les termes à définir se retirent quelle que soit leur origine.",
            details={"field": "origin", "allowed": list(APPROVABLE_ORIGINS)},
        )
    pending = [e for e in doc.glossary if not e.provenance.reviewed_by]
    if action == "remove_undefined":
        return [e for e in pending if not (e.definition or "").strip()]
    return [
        e
        for e in pending
        if (e.definition or "").strip() and e.provenance.engine != "human" and origin in (None, e.origin)
    ]


def review_terms_at_once(
    doc: Document, action: str, who: Principal, *, origin: str | None = None, count: int | None = None
) -> list[GlossaryEntry]:
    """Apply a bulk ``action`` (:func:`bulk_terms`): each entry removed or approved as the single action does
    (:func:`remove_term`, :func:`approve_term`: stamped reviewed by ``who``, flags kept as history).

    ``count`` is how many terms the reviewer confirmed (the number they were shown): when the glossary
    changed since, nothing is done (``request.invalid``, with the number now). Returns the changed entries."""
    chosen = bulk_terms(doc, action, origin)
    if count is not None and count != len(chosen):
        raise RequestInvalid(
            f"The glossary changed since you looked: {len(chosen)} term(s) match now, not {count}. Look again "
            "and confirm.",
            message_fr=f"Le glossaire a changé depuis votre lecture : {len(chosen)} terme(s) sont concernés "
            f"maintenant, et non {count}. Relisez et confirmez de nouveau.",
            details={"field": "count", "count": len(chosen)},
        )
    single = remove_term if action == "remove_undefined" else approve_term
    return [single(doc, entry.term, who) for entry in chosen]


def record_bulk(users: Any, job: Job, who: Principal, action: str, changed: int) -> None:
    """The audit log's entry of a bulk review of the glossary (``review.glossary_<action>``, the number of
    terms; plain counts only, as every audit entry)."""
    if not changed:
        return
    users.audit(
        actor_id=who.id,
        action=f"review.glossary_{action}",
        subject_id=job.learner_id or job.owner_id,
        institution=job.institution,
        details={"count": changed},
    )
    log.info("job %s: %s by %s on %d glossary term(s)", job.id, action, who.username, changed)


def bulk_review(
    files: Any,
    users: Any,
    job: Job,
    who: Principal,
    action: str,
    *,
    origin: str | None = None,
    confirm: bool = False,
    count: int | None = None,
) -> tuple[list[GlossaryEntry], Document]:
    """A bulk review of ``job``'s glossary as the API and the review page ask it: without ``confirm``, the
    entries it would change (nothing saved); with it, :func:`review_terms_at_once` on the draft, saved, and
    :func:`record_bulk`. Returns the entries and the document as it now is."""
    with locked():
        doc = load_document(files, job)
        if not confirm:
            return bulk_terms(doc, action, origin), doc
        changed = review_terms_at_once(doc, action, who, origin=origin, count=count)
        save_document(files, job, doc)
    record_bulk(users, job, who, action, len(changed))
    return changed, doc


def glossary_state(doc: Document) -> dict[str, int]:
    """``{"entries", "unreviewed", "removed"}`` over the document's glossary."""
    from inclusio.model.flags import glossary_removed, unreviewed_glossary

    return {
        "entries": len(doc.glossary),
        "unreviewed": len(unreviewed_glossary(doc)),
        "removed": sum(glossary_removed(e) for e in doc.glossary),
    }


def _narrowed(profile: Any, kind: str) -> Any:
    """The profile with only the pass that makes ``kind`` (rewrite level, alt text or translation)."""
    update: dict[str, Any] = {
        "glossary": profile.glossary.model_copy(update={"enabled": False}),
        "summaries": profile.summaries.model_copy(update={"enabled": False}),
        "images": profile.images.model_copy(update={"generate": kind == "alt_text"}),
        "adaptation": profile.adaptation.model_copy(
            update={"level": kind if kind in ("easy_read", "plain") else "original"}
        ),
    }
    if kind != "translation":
        update["translation"] = profile.translation.model_copy(update={"target": None})
    elif not profile.translation.target:
        raise RequestInvalid(
            "The job's profile asks for no translation.",
            message_fr="Le profil de la tâche ne demande pas de traduction.",
            details={"kind": kind},
        )
    return profile.model_copy(update=update)


def regenerate_block(
    doc: Document, block_id: str, kind: str, profile: Any, settings: Any
) -> Adaptation | None:
    """Run the pass making ``kind`` again on ``block_id`` alone; its new draft replaces the old one.

    The block goes through the same engine as the job (offline rules, or the configured model
    and its cache) inside a document holding its section heading (the model's context) and,
    for an image, its picture. Acronyms defined elsewhere in the document are not written out
    again (the rules look for definitions in the text they are given). Returns the new
    adaptation, or None when the pass makes nothing for this block (the old one is removed).
    """
    from inclusio.pipeline.spine import adapt_source

    _kind(kind, REGENERABLE)
    block = _block(doc, block_id)
    index = doc.blocks.index(block)
    heading = next((b for b in reversed(doc.blocks[:index]) if isinstance(b, Heading)), None)
    target = block.model_copy(
        deep=True, update={"adaptations": [a for a in block.adaptations if a.kind != kind]}
    )
    if isinstance(target, Figure) and kind == "alt_text":
        target = target.model_copy(update={"alt": None})
    resources = (
        {target.image: doc.resources[target.image]}
        if isinstance(target, Figure) and target.image in doc.resources
        else {}
    )
    from inclusio.pipeline.job import shared_view

    shared = shared_view(doc)  # the model (and its answer cache) never sees the uploader's file name
    mini = Document(
        title=shared.title,
        lang=doc.lang,
        source=shared.source,
        resources=resources,
        blocks=[*([heading.model_copy(update={"adaptations": []})] if heading else []), target],
    )
    result = adapt_source(mini, _narrowed(profile, kind), settings)  # the job's adapt stage, on one block
    fresh = result.document.find(block_id).adaptation(kind)
    block.adaptations = [a for a in block.adaptations if a.kind != kind] + ([fresh] if fresh else [])
    return fresh


def regenerate_changed(doc: Document, block_id: str, kind: str, profile: Any, settings: Any) -> bool:
    """:func:`regenerate_block`, keeping the block's current adaptation when the pass gives the same text again
    (the offline rules do, on the same input): its review and its flags are not lost for nothing. True when
    the text changed."""
    block = _block(doc, block_id)
    before, kept = block.adaptation(kind), list(block.adaptations)
    fresh = regenerate_block(doc, block_id, kind, profile, settings)
    same = (before is None and fresh is None) or (
        before is not None and fresh is not None and adaptation_text(before) == adaptation_text(fresh)
    )
    if same:
        block.adaptations = kept
    return not same


def audit_approval(users: Any, job: Any, who: Any, action: str, count: int) -> None:
    """The audit log's entry of approvals (``review.approve``, ``review.approve_unflagged``): who, whose job,
    how many; never which text. The review workspace and the API write the same."""
    if count:
        users.audit(
            actor_id=who.id,
            action=action,
            subject_id=job.learner_id or job.owner_id,
            institution=job.institution,
            details={"count": count},
        )


def unflagged_pending(doc: Document) -> list[tuple[Block, str]]:
    """What "approve every unflagged block" approves: each block's adaptation (of the kinds a reviewer sees) no
    person reviewed and the verifier did not flag, and each image's alt text that came with the source (not
    empty, not decorative); ``(block, kind)`` in reading order."""
    out: list[tuple[Block, str]] = []
    for block in doc.blocks:
        kinds = [
            k for k in dict.fromkeys(a.kind for a in block.adaptations) if k in REGENERABLE + ("summary",)
        ]
        for kind in kinds:
            adaptation = block.adaptation(kind)
            if (
                adaptation is not None
                and not adaptation.provenance.reviewed_by
                and not adaptation.needs_review
            ):
                out.append((block, kind))
        if (
            isinstance(block, Figure)
            and "alt_text" not in kinds
            and not block.decorative
            and (block.alt or "").strip()
        ):
            out.append((block, "alt_text"))
    return out


def approve_unflagged(doc: Document, who: Principal) -> int:
    """Approve at once every adaptation :func:`unflagged_pending` lists, each as the single action does
    (:func:`approve_block`; an image's own alt text as :func:`edit_block` records it when approved); flagged
    blocks are left for a person to read. Returns how many were approved."""
    chosen = unflagged_pending(doc)
    for block, kind in chosen:
        if block.adaptation(kind) is None:  # an image's alt text from the source
            edit_block(doc, block.id, kind, getattr(block, "alt", None) or "", who, approve=True)
        else:
            approve_block(doc, block.id, kind, who)
    return len(chosen)


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


def reviewable_kinds(doc: Document) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for block in doc.blocks:
        for adaptation in block.adaptations:
            if adaptation.kind in REGENERABLE + ("summary",):
                seen[adaptation.kind] = None
    return tuple(seen)


def locked() -> threading.Lock:
    """The lock to hold around load -> change -> save of a draft."""
    return _lock
