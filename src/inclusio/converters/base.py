"""The converter interface: a file in, a :class:`~inclusio.model.Document` out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from inclusio.model import Document
from inclusio.progress import ProgressFn, no_progress

if TYPE_CHECKING:
    from inclusio.config import Settings


@dataclass(frozen=True)
class ConvertContext:
    """What a converter may need besides the file: limits and a progress callback."""

    filename: str
    """The name the user gave the file (the path on disk may be content-addressed)."""
    max_pages: int = 2000
    max_image_pixels: int = 50_000_000
    pdf_tables: bool = True
    """Detect ruled tables in PDFs (our own grid reader, ~2 ms per page, ~10 % of PDF conversion);
    off only when tables are not wanted. Off means no table on either path: a tagged PDF's ``Table`` elements
    are then read as paragraphs too, one per row (:mod:`pdf_tags`)."""
    progress: ProgressFn = field(default=no_progress)

    @classmethod
    def from_settings(
        cls, settings: Settings, filename: str, progress: ProgressFn = no_progress
    ) -> ConvertContext:
        """The context for one conversion, with the limits of ``settings``."""
        return cls(
            filename=filename,
            max_pages=settings.max_pages,
            max_image_pixels=settings.max_image_pixels,
            pdf_tables=settings.pdf_tables,
            progress=progress,
        )


class Converter(Protocol):
    """One input format.

    ``sniff`` looks at the first bytes (and, for zip-based formats, the archive's member
    names) and says whether this converter handles the file; the extension is a hint only.

    ``convert`` may raise only :class:`inclusio.errors.InputError` subclasses for problems
    with the file (``input.encrypted``, ``input.corrupt``, ``input.unsafe``,
    ``input.too_large``...). A part it cannot read (one figure, one table) is recorded with
    :meth:`DocumentBuilder.issue` and the conversion goes on: partial beats nothing.
    """

    name: str
    media_types: tuple[str, ...]
    suffixes: tuple[str, ...]
    """File name endings (lower case, with the dot) offered by the upload pages and ``inclusio batch``."""
    label: str
    """Human name of the format(s), the same in French and English (``"ODT, ODP"``)."""

    def sniff(self, path: Path, head: bytes) -> bool: ...

    def convert(self, path: Path, ctx: ConvertContext) -> Document: ...


_JUNK_TITLES = (
    "untitled",
    "sans titre",
    "titre",
    "title",
    "document",
    "présentation powerpoint",
    "powerpoint presentation",
    "adobe photoshop pdf",
)


def useful_title(title: str | None, filename: str = "") -> str | None:
    """``title`` stripped, or None when it is empty or tool noise ("Untitled", "Microsoft Word - x.doc")."""
    if not title:
        return None
    text = " ".join(title.split())
    lowered = text.lower()
    if (
        not text
        or lowered in _JUNK_TITLES
        or lowered.startswith("microsoft word -")
        or lowered.endswith((".doc", ".docx", ".pdf", ".ppt", ".pptx", ".tex", ".dvi", ".indd"))
        or (filename and lowered == Path(filename).stem.lower())
    ):
        return None
    return text


def file_sha256(path: Path) -> str:
    """SHA-256 of the file, read in chunks (never the whole file in memory)."""
    import hashlib

    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
