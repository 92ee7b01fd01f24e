"""The converter interface: a file in, a :class:`~inclusio.model.Document` out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from inclusio.model import Document
from inclusio.pipeline.progress import ProgressFn, no_progress


@dataclass(frozen=True)
class ConvertContext:
    """What a converter may need besides the file: limits and a progress callback."""

    filename: str
    """The name the user gave the file (the path on disk may be content-addressed)."""
    max_pages: int = 2000
    max_image_pixels: int = 50_000_000
    progress: ProgressFn = field(default=no_progress)


class Converter(Protocol):
    """One input format.

    ``sniff`` looks at the first bytes (and, for zip-based formats, the archive's member
    names) and says whether this converter handles the file; the extension is a hint only.

    ``convert`` may raise only :class:`inclusio.errors.InputError` subclasses for problems
    with the file (``input.encrypted``, ``input.corrupt``, ``input.needs_ocr``,
    ``input.too_large``...). A part it cannot read (one figure, one table) is recorded with
    :meth:`DocumentBuilder.issue` and the conversion goes on: partial beats nothing.
    """

    name: str
    media_types: tuple[str, ...]

    def sniff(self, path: Path, head: bytes) -> bool: ...

    def convert(self, path: Path, ctx: ConvertContext) -> Document: ...
