"""What a writer renders: the document's blocks with the chosen adaptations applied.

Writers never decide themselves which adaptation wins; they ask :func:`reading_blocks`.

Parallel text (the French-as-a-foreign-language profile's translation "beside the text") is also
decided here, not by the writers: with ``parallel_kinds=("translation",)`` the view keeps the
French block and attaches, to the last block it shows for it, a view-only adaptation of kind
:data:`PARALLEL` whose ``blocks`` are the translation (each with its own ``lang``). Writers
that can show parallel text read it with :func:`parallel_blocks` and render it right after
the block; the others (readability, braille) ignore it and see the French text only. A block
whose translation failed has no translation adaptation, so it is shown alone.
"""

from __future__ import annotations

from inclusio.model.document import Adaptation, Block, Document, GlossaryEntry, is_code

PARALLEL = "parallel"
"""Kind of the adaptation the reader's view attaches to a block shown with parallel text.

It exists only in the view (never in a stored Document): ``blocks`` are shown beside the block,
original first, then these, each in its own language."""


def _beside(block: Block, parallel_kinds: tuple[str, ...]) -> Adaptation | None:
    for kind in parallel_kinds:
        adaptation = block.adaptation(kind)
        if adaptation is not None and adaptation.blocks:
            return adaptation.model_copy(update={"kind": PARALLEL})
    return None


def reading_blocks(
    doc: Document, adaptation_kinds: tuple[str, ...] = (), parallel_kinds: tuple[str, ...] = ()
) -> list[Block]:
    """Blocks in reading order, each replaced by its latest adaptation of one of ``adaptation_kinds``.

    An adaptation with ``blocks`` replaces the block; one without blocks leaves it as it is
    (an alt text, for instance, is read by the writer from the figure itself). A block with an
    adaptation of one of ``parallel_kinds`` keeps its place (or its replacement's) and the last
    block shown for it carries a :data:`PARALLEL` adaptation (see :func:`parallel_blocks`); the
    source blocks are never modified. Program code (:func:`~inclusio.model.document.is_code`) is
    always shown as it is: an adaptation of it, if one were ever made, is ignored.
    """
    out: list[Block] = []
    for block in doc.blocks:
        if is_code(block):
            out.append(block)
            continue
        replacement = None
        for kind in adaptation_kinds:
            adaptation = block.adaptation(kind)
            if adaptation is not None and adaptation.blocks:
                replacement = adaptation.blocks
                break
        shown = [block] if replacement is None else list(replacement)
        beside = _beside(block, parallel_kinds) if parallel_kinds else None
        if beside is not None:
            last = shown[-1]
            kept = [a for a in last.adaptations if a.kind != PARALLEL]
            shown[-1] = last.model_copy(update={"adaptations": [*kept, beside]})
        out.extend(shown)
    return out


def parallel_blocks(block: Block) -> list[Block]:
    """The blocks the reader's view shows beside ``block`` (its translation), or ``[]``."""
    adaptation = block.adaptation(PARALLEL)
    return list(adaptation.blocks) if adaptation is not None else []


def student_glossary(entries: list[GlossaryEntry]) -> list[GlossaryEntry]:
    """The glossary entries a student may see: those with a definition.

    An entry without one (flagged ``glossary.to_define``) stays in the Document for the staff's
    review and never reaches an output ("Définition à écrire." is not something to read).
    """
    return [entry for entry in entries if (entry.definition or "").strip()]


def adapted_document(
    doc: Document, adaptation_kinds: tuple[str, ...] = (), parallel_kinds: tuple[str, ...] = ()
) -> Document:
    """A copy of ``doc`` whose blocks are :func:`reading_blocks` (adaptations applied), for a reader.

    Its glossary is :func:`student_glossary` (entries without a definition are left out).
    """
    return doc.model_copy(
        update={
            "blocks": reading_blocks(doc, adaptation_kinds, parallel_kinds),
            "glossary": student_glossary(doc.glossary),
        }
    )
