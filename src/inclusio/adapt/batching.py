"""Group blocks into calls: a section's blocks together (the model sees their context), several
small sections in one call, up to a token budget, so the prompt is paid once per batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from inclusio.llm.tokens import estimate_tokens
from inclusio.model.document import Block, Document, Heading


@dataclass
class Unit:
    """One block to send, with the title of its section (context for the model and the cache key)."""

    block_id: str
    text: str
    section: str
    acronyms: dict[str, str] = field(default_factory=dict)
    """Meanings of the acronyms the block uses that the model may write out (short form -> meaning, in the
    block's language): shown in DATA and part of the block's cache key."""

    @property
    def tokens(self) -> int:
        return estimate_tokens(self.text)


@dataclass
class Batch:
    units: list[Unit] = field(default_factory=list)

    @property
    def tokens(self) -> int:
        return sum(u.tokens for u in self.units) + sum(
            estimate_tokens(s) for s in {u.section for u in self.units}
        )

    def sections(self) -> list[dict[str, object]]:
        """The DATA form: ``[{"title", "blocks": {id: text}}]`` in reading order.

        Blocks are a mapping rather than a list of ``{"id", "text"}`` objects: about 3 tokens less
        per block, which matters for the tokens-sent ratio of documents with many short blocks.
        """
        out: list[dict[str, object]] = []
        for unit in self.units:
            if not out or out[-1]["title"] != unit.section:
                out.append({"title": unit.section, "blocks": {}})
            out[-1]["blocks"][unit.block_id] = unit.text  # type: ignore[index]
        return out

    def acronyms(self) -> dict[str, str]:
        """The meanings of the batch's blocks' acronyms (:attr:`Unit.acronyms`), first use first."""
        out: dict[str, str] = {}
        for unit in self.units:
            for short, meaning in unit.acronyms.items():
                out.setdefault(short, meaning)
        return out


def section_titles(doc: Document) -> dict[str, str]:
    """Block id -> title of the heading above it ("" before the first heading)."""
    titles: dict[str, str] = {}
    current = ""
    for block in doc.blocks:
        if isinstance(block, Heading):
            current = block.text
        titles[block.id] = current
    return titles


def batches(units: list[Unit], budget_tokens: int, *, max_units: int | None = None) -> Iterator[Batch]:
    """Consecutive units grouped up to ``budget_tokens`` (a longer unit goes alone) and ``max_units``."""
    batch = Batch()
    for unit in units:
        too_big = batch.units and batch.tokens + unit.tokens > budget_tokens
        too_many = max_units is not None and len(batch.units) >= max_units
        if too_big or too_many:
            yield batch
            batch = Batch()
        batch.units.append(unit)
    if batch.units:
        yield batch


def rewritable(block: Block) -> bool:
    """Blocks the rewrite and translation passes change: body paragraphs and quotes."""
    from inclusio.model.document import Paragraph

    return isinstance(block, Paragraph) and block.role in ("body", "quote") and bool(block.text.strip())
