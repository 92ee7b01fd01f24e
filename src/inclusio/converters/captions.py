"""Attach caption paragraphs ("Figure 1 : ...", "Tableau 2 - ...") to the figure or table next to them.

Formats without a caption structure (PDF) give captions as plain paragraphs beside the figure or table.
Left there, the figure has no caption (and often no alt text) and the caption is read as body text.
"""

from __future__ import annotations

import re

from inclusio.model import Block, Figure, Paragraph, Table

_FIGURE = re.compile(
    r"^(figure|fig\.|illustration|image|sch[ée]ma|graphique|photo|chart|diagram)\s*\d+", re.IGNORECASE
)
_TABLE = re.compile(r"^(tableau|table)\s*\d+", re.IGNORECASE)


def _caption_for(block: Block, candidate: Block | None) -> str | None:
    if not isinstance(candidate, Paragraph) or len(candidate.text) > 400:
        return None
    pattern = _FIGURE if isinstance(block, Figure) else _TABLE
    return candidate.text if pattern.match(candidate.text.strip()) else None


def attach_captions(blocks: list[Block]) -> list[Block]:
    """Move a caption paragraph right after (or else right before) a figure or table into its caption.

    Only figures and tables without a caption take one, and a paragraph is taken at most once.
    """
    taken: set[int] = set()
    for index, block in enumerate(blocks):
        if not isinstance(block, Figure | Table) or block.caption:
            continue
        for neighbour in (index + 1, index - 1):
            if 0 <= neighbour < len(blocks) and neighbour not in taken:
                caption = _caption_for(block, blocks[neighbour])
                if caption:
                    block.caption = caption
                    taken.add(neighbour)
                    break
    return [block for index, block in enumerate(blocks) if index not in taken]
