"""The writer interface: a :class:`~inclusio.model.Document` in, files (artifacts) out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from inclusio.errors import StageError
from inclusio.model import Document
from inclusio.profiles import Profile
from inclusio.progress import ProgressFn, no_progress

if TYPE_CHECKING:
    from inclusio.config import Settings


@dataclass(frozen=True)
class Artifact:
    """One output file of a job. ``name`` is what the API and the report call it (``epub``, ``mp3``...)."""

    name: str
    path: Path
    media_type: str
    warnings: list[dict[str, object]] = field(default_factory=list)
    """Problems the writer worked around (an image without alt text...): ``code`` and ``message``."""


@dataclass(frozen=True)
class RenderContext:
    """What a writer gets besides the document to render."""

    out_dir: Path
    basename: str
    """File stem for outputs (``cours-chimie`` -> ``cours-chimie.epub``)."""
    profile: Profile
    settings: Settings
    source: Document
    """The full document with its adaptations and provenance (the rendered one has them applied)."""
    progress: ProgressFn = field(default=no_progress)
    input_path: Path | None = None
    """The user's file, when the caller has it on disk (the CLI): writers look for companion files
    next to it (``<stem>.pronunciations.yaml``); they never read the file itself."""
    release_confirmed: bool = False
    """Staff released this version knowing some flagged passages were not reviewed (the accessibility
    summary says so)."""

    def companion(self, suffix: str) -> Path | None:
        """``<input stem><suffix>`` next to the input (``.pronunciations.yaml``), or None without an input."""
        if self.input_path is None:
            return None
        return self.input_path.with_name(self.input_path.stem + suffix)


class Writer(Protocol):
    """One output format.

    ``write`` receives the document *as the reader gets it* (adaptations already applied, see
    :func:`inclusio.model.reading_blocks`) and writes files under ``ctx.out_dir``. It never
    reads the original file. It raises :class:`inclusio.errors.StageError` (or
    :class:`~inclusio.errors.ToolMissing`) when it cannot produce its output; the pipeline then
    marks the job ``partial`` and keeps the other outputs.
    """

    name: str

    def write(self, doc: Document, ctx: RenderContext) -> list[Artifact]: ...


def writer_failed(writer: str, what_en: str, what_fr: str, exc: BaseException) -> StageError:
    """The typed error for a writer that crashed on an unexpected library failure.

    ``what_en`` names the output ("The EPUB"); ``what_fr`` is the French clause with its agreement ("La page
    HTML n'a pas pu être écrite"). The message says what failed,
    that the other outputs are kept (the job is ``partial``), and to report the document.
    """
    reason = f"{type(exc).__name__}: {exc}"
    return StageError(
        f"{what_en} could not be written ({reason}). The other outputs are still available; report this "
        "document to the inclusio maintainers.",
        message_fr=(
            f"{what_fr} ({type(exc).__name__} : {exc}). Les autres résultats restent "
            "disponibles ; signalez ce document aux mainteneurs d'inclusio."
        ),
        details={"writer": writer, "exception": type(exc).__name__},
    )
