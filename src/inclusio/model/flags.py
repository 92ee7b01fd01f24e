"""What a person still has to look at in a Document: its flags, per block and per glossary entry.

One reading of :attr:`Adaptation.flags` / :attr:`Adaptation.needs_review` shared by the job's
report, the API (``GET /jobs/{id}``: the unreviewed count), the staff review workspace (flagged
blocks first), the release gate (:func:`inclusio.jobs.request_release`) and the writers (the
student's copy says which passages and glossary definitions are machine-written and not reviewed).

Only the *latest* adaptation of each kind on a block counts (the one a reader would get); an
earlier, replaced draft's flags are history. Reviewed (``provenance.reviewed_by``) means cleared.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from inclusio.model.document import Adaptation, Block, Document, GlossaryEntry

HUMAN_ENGINE = "human"


def latest_adaptations(block: Block) -> list[Adaptation]:
    """The latest adaptation of each kind on ``block``, in the order the kinds first appear."""
    kinds = dict.fromkeys(a.kind for a in block.adaptations)
    return [a for a in (block.adaptation(kind) for kind in kinds) if a is not None]


def block_needs_review(block: Block) -> bool:
    """One of the block's latest adaptations is flagged and not reviewed by a person."""
    return any(a.needs_review for a in latest_adaptations(block))


def unreviewed_blocks(doc: Document) -> list[Block]:
    """Blocks (reading order) with a flagged adaptation no person has reviewed: what the release gate counts."""
    return [block for block in doc.blocks if block_needs_review(block)]


def unreviewed_glossary(doc: Document) -> list[GlossaryEntry]:
    """Glossary entries no person has reviewed that are flagged or have no definition ("to define"):
    the release gate counts them beside the blocks (staff define, correct, approve or remove each)."""
    return [entry for entry in doc.glossary if entry.needs_review]


def glossary_removed(entry: GlossaryEntry) -> bool:
    """A person removed the term: reviewed, with no definition (it never reaches a student's copy)."""
    return bool(entry.provenance.reviewed_by) and not (entry.definition or "").strip()


def flag_entries(doc: Document) -> list[dict[str, Any]]:
    """Every flag of the latest adaptations, one entry per flag (block, kind, code, reasons, engine, reviewed)."""
    out: list[dict[str, Any]] = []
    for block in doc.blocks:
        for adaptation in latest_adaptations(block):
            made = adaptation.provenance
            for flag in adaptation.flags:
                out.append(
                    {
                        "block_id": block.id,
                        "kind": adaptation.kind,
                        "code": flag.code,
                        "reason": flag.reason,
                        "reason_fr": flag.reason_fr,
                        "engine": made.engine,
                        "model": made.model,
                        "reviewed": bool(made.reviewed_by),
                        "reviewed_by": made.reviewed_by,
                    }
                )
    return out


def glossary_flag_entries(doc: Document) -> list[dict[str, Any]]:
    """Every flag of the glossary's entries (an entry without definition counts as unreviewed)."""
    out: list[dict[str, Any]] = []
    for entry in doc.glossary:
        for flag in entry.flags:
            out.append(
                {
                    "term": entry.term,
                    "code": flag.code,
                    "reason": flag.reason,
                    "reason_fr": flag.reason_fr,
                    "engine": entry.provenance.engine,
                    "reviewed": bool(entry.provenance.reviewed_by),
                    "reviewed_by": entry.provenance.reviewed_by,
                }
            )
    return out


def flags_report(doc: Document) -> dict[str, Any]:
    """The report's ``review`` section: every flag per block and per glossary entry, and a summary.

    The release gate counts ``summary.unreviewed_blocks`` (blocks whose latest adaptation is flagged
    and not reviewed) and ``summary.glossary_unreviewed`` (:func:`unreviewed_glossary`: entries flagged
    or to define that no person has defined, approved or removed); ``unreviewed_flags`` counts the
    blocks' flags only.
    """
    blocks = flag_entries(doc)
    glossary = glossary_flag_entries(doc)
    codes = Counter(entry["code"] for entry in blocks + glossary)
    return {
        "blocks": blocks,
        "glossary": glossary,
        "summary": {
            "flags": len(blocks) + len(glossary),
            "by_code": dict(sorted(codes.items())),
            "unreviewed_flags": sum(not e["reviewed"] for e in blocks),
            "unreviewed_blocks": len(unreviewed_blocks(doc)),
            "glossary_unreviewed": len(unreviewed_glossary(doc)),
        },
    }


def machine_passages(doc: Document, kinds: tuple[str, ...], parallel: tuple[str, ...] = ()) -> dict[str, int]:
    """Passages a reader of ``kinds`` gets that a machine wrote: ``{"machine", "reviewed", "flagged"}``.

    A passage is a block shown through one of its adaptations (the first of ``kinds`` it has with
    blocks, as :func:`inclusio.model.view.reading_blocks` picks it), or an adaptation of ``parallel``
    kinds shown beside it (a translation), whose engine is not ``human``. ``reviewed`` counts those a
    person approved; ``flagged`` those flagged and not reviewed.
    """
    counts = {"machine": 0, "reviewed": 0, "flagged": 0}
    for block in doc.blocks:
        for shown in (shown_adaptation(block, kinds), shown_adaptation(block, parallel)):
            if shown is None or shown.provenance.engine == HUMAN_ENGINE:
                continue
            counts["machine"] += 1
            counts["reviewed"] += bool(shown.provenance.reviewed_by)
            counts["flagged"] += shown.needs_review
    return counts


def machine_definitions(entries: list[GlossaryEntry]) -> dict[str, int]:
    """Glossary definitions a student gets (``entries``: those with a definition) that a machine made (taken
    from the document or written by a model; engine not ``human``): ``{"machine", "reviewed", "flagged"}``.

    ``flagged`` counts those flagged and not reviewed: they reach a student only in a release staff
    confirmed with ``accept_unreviewed``, or before any review.
    """
    counts = {"machine": 0, "reviewed": 0, "flagged": 0}
    for entry in entries:
        if not (entry.definition or "").strip() or entry.provenance.engine == HUMAN_ENGINE:
            continue
        counts["machine"] += 1
        counts["reviewed"] += bool(entry.provenance.reviewed_by)
        counts["flagged"] += entry.needs_review
    return counts


def shown_adaptation(block: Block, kinds: tuple[str, ...]) -> Adaptation | None:
    """The adaptation whose blocks replace ``block`` for a reader of ``kinds`` (None: the block as it is)."""
    for kind in kinds:
        adaptation = block.adaptation(kind)
        if adaptation is not None and adaptation.blocks:
            return adaptation
    return None


def unreviewed_starts(doc: Document, kinds: tuple[str, ...]) -> set[str]:
    """Ids of the first rendered block of each flagged, unreviewed passage that replaces its block (the
    writers put a note before it). A translation shown beside its block gets its note from the writer's
    parallel rendering (it reads the view's ``parallel`` adaptation)."""
    out: set[str] = set()
    for block in doc.blocks:
        shown = shown_adaptation(block, kinds)
        if shown is not None and shown.needs_review:
            out.add(shown.blocks[0].id)
    return out
