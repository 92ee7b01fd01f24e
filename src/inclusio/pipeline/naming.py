"""A shared Document holds content only; each job puts its own file name and title back on.

The converted and adapted Documents are cached and recorded by content (two people sending the same
bytes share them), so they carry a neutral file name (:func:`neutral_filename`); :func:`for_job`
gives one job's outputs that job's name. Used by the convert and adapt stages (:mod:`.spine`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath

from inclusio.config import Settings
from inclusio.model import Document, Heading
from inclusio.progress import no_progress

NEUTRAL_STEM = "document"
"""The file name stem a shared Document carries (and the converters' title fallback with it)."""


def neutral_filename(filename: str) -> str:
    """The name a shared, content-addressed Document carries instead of the uploader's: ``document``
    and the upload's extension (the converters tell Markdown from plain text by it), never the name."""
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    return NEUTRAL_STEM + (
        suffix if suffix[1:].isascii() and suffix[1:].isalnum() and len(suffix) <= 9 else ""
    )


def convert_shared(
    path: Path, filename: str, settings: Settings, progress: Callable[[float, str], None] | None = None
) -> Document:
    """Convert ``path`` into a Document that holds its content only, fit for the shared conversion cache.

    The converter sees :func:`neutral_filename`, so nothing it makes (``source.filename``, the
    title fallback, messages) carries the uploader's file name, and the result depends on the bytes
    alone. :func:`for_job` puts a job's own name back for its outputs.
    """
    from inclusio.converters.base import ConvertContext
    from inclusio.converters.registry import convert

    ctx = ConvertContext.from_settings(settings, neutral_filename(filename), progress or no_progress)
    return shared_view(convert(path, ctx))


def _stem(filename: str) -> str:
    return PurePosixPath(filename.replace("\\", "/")).stem


def _same_title(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def shared_view(doc: Document) -> Document:
    """``doc`` without its uploader: ``source.filename`` neutral, and no title taken from the file name
    (a title equal to the file's stem, or the converters' fallback, is dropped)."""
    stem = _stem(doc.source.filename)
    title = doc.title
    if title is not None and (title == NEUTRAL_STEM or (stem and _same_title(title, stem))):
        title = None
    source = doc.source.model_copy(update={"filename": neutral_filename(doc.source.filename)})
    return doc.model_copy(update={"title": title, "source": source})


def for_job(doc: Document, filename: str) -> Document:
    """A shared Document as one job's outputs show it: this uploader's file name in ``source``, and the
    document's own title (metadata, else its first heading), else the stem of this uploader's file name.

    A title that only repeats this uploader's file name gives way to the first heading, as the
    converters do with metadata titles that repeat the file name. Applied per job, after the shared
    stages: two people sending the same bytes under different names each get their own name only.
    """
    stem = _stem(filename)
    title = doc.title
    if not title or not title.strip():
        title = stem or None
    elif stem and _same_title(title, stem):
        heading = next((b for b in doc.blocks if isinstance(b, Heading)), None)
        title = heading.text if heading is not None and heading.text.strip() else title
    source = doc.source.model_copy(update={"filename": filename})
    return doc.model_copy(update={"title": title, "source": source})
