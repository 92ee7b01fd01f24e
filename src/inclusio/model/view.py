"""What a writer renders: the document's blocks with the chosen adaptations applied.

Writers never decide themselves which adaptation wins; they ask :func:`reading_blocks`.
"""

from __future__ import annotations

from inclusio.model.document import Block, Document


def reading_blocks(doc: Document, adaptation_kinds: tuple[str, ...] = ()) -> list[Block]:
    """Blocks in reading order, each replaced by its latest adaptation of one of ``adaptation_kinds``.

    An adaptation with ``blocks`` replaces the block; one without blocks leaves it as it is
    (an alt text, for instance, is read by the writer from the figure itself).
    """
    out: list[Block] = []
    for block in doc.blocks:
        replacement = None
        for kind in adaptation_kinds:
            adaptation = block.adaptation(kind)
            if adaptation is not None and adaptation.blocks:
                replacement = adaptation.blocks
                break
        if replacement is None:
            out.append(block)
        else:
            out.extend(replacement)
    return out


def adapted_document(doc: Document, adaptation_kinds: tuple[str, ...] = ()) -> Document:
    """A copy of ``doc`` whose blocks are :func:`reading_blocks` (adaptations applied)."""
    return doc.model_copy(update={"blocks": reading_blocks(doc, adaptation_kinds)})
