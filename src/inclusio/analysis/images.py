"""The one count of a document's images and their text alternatives.

The teacher's audit, the writers' warnings (``image.alt_missing``, ``image.alt_from_caption``), the
EPUB/HTML accessibility summary and the report's ``checks_summary.images`` all classify a figure with
:func:`alt_status` and count with :func:`count_images`, so they cannot disagree on one document:

* ``decorative``: marked decorative in the source (no alt text needed);
* ``source``: a real alt text written in the file (not ``image1.png`` or ``Picture 3``: :func:`is_useless_alt`);
* ``generated``: no real alt in the file, a machine-written one (the ``alt_text`` adaptation);
* ``caption``: neither, but a caption that stands in for it (a warning, not a description);
* ``missing``: nothing says what the image shows.

On the source Document (the teacher's preview) there is no ``generated``; on a job's adapted Document the
offline or model engine may have described some of the ``missing`` ones, and the counts say how many.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from inclusio.model.document import Document, Figure

AltStatus = Literal["decorative", "source", "generated", "caption", "missing"]

_USELESS_ALT = re.compile(
    r"^\s*("
    r"\S+\.(png|jpe?g|gif|bmp|svg|emf|wmf|tiff?|webp)"
    r"|(picture|image|img|photo|graphic|figure|grafik|bild)\s*[-_]?\s*\d*"
    r"|.*description (automatically|automatique(ment)?) g[ée]n[ée]r[ée]e?.*"
    r")\s*$",
    re.IGNORECASE,
)


def is_useless_alt(alt: str | None) -> bool:
    """True for missing alt and for boilerplate that counts as missing (``image1.png``, ``Picture 3``)."""
    if alt is None or not alt.strip():
        return True
    return bool(_USELESS_ALT.match(alt))


def generated_alt(figure: Figure) -> str | None:
    """The alt text a machine wrote for ``figure`` (its ``alt_text`` adaptation: a text, or the figure it
    shows instead), or None."""
    generated = figure.adaptation("alt_text")
    if generated is None:
        return None
    if generated.text:
        return generated.text
    return next((b.alt for b in generated.blocks if isinstance(b, Figure) and b.alt), None)


def alt_status(figure: Figure) -> AltStatus:
    """What describes ``figure`` for a reader who cannot see it (see the module docstring)."""
    if figure.decorative:
        return "decorative"
    if not is_useless_alt(figure.alt):
        return "source"
    if not is_useless_alt(generated_alt(figure)):
        return "generated"
    if figure.caption and figure.caption.strip():
        return "caption"
    return "missing"


class ImageCount(BaseModel):
    """How many images a document has, and how each is described."""

    model_config = ConfigDict(frozen=True)

    total: int = 0
    decorative: int = 0
    source: int = 0
    """Informative images with a real alt text in the file."""
    generated: int = 0
    caption: int = 0
    missing: int = 0
    blocks: dict[str, list[str]] = Field(default_factory=dict)
    """Block ids by status (``missing``, ``caption``...), in reading order."""

    @property
    def informative(self) -> int:
        """Images that need a description (all but the decorative ones)."""
        return self.total - self.decorative

    @property
    def described(self) -> int:
        """Informative images with a real alt text, written in the file or by a machine."""
        return self.source + self.generated

    @property
    def without_alt_in_source(self) -> int:
        """Informative images the file itself does not describe: what its author has to fix."""
        return self.informative - self.source

    def summary(self) -> dict[str, int]:
        """The counts as the report writes them."""
        return {
            "total": self.total,
            "decorative": self.decorative,
            "informative": self.informative,
            "described": self.described,
            "alt_in_source": self.source,
            "alt_generated": self.generated,
            "caption_only": self.caption,
            "missing": self.missing,
        }


def count_images(doc: Document) -> ImageCount:
    """Every figure of ``doc`` classified by :func:`alt_status`."""
    blocks: dict[str, list[str]] = {}
    for block in doc.blocks:
        if isinstance(block, Figure):
            blocks.setdefault(alt_status(block), []).append(block.id)
    counts = {status: len(ids) for status, ids in blocks.items()}
    return ImageCount(total=sum(counts.values()), blocks=blocks, **counts)
