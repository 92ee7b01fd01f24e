"""Output name -> writer. Adding an output format = one module and one line here."""

from __future__ import annotations

from importlib import import_module

from inclusio.model import Document
from inclusio.store.files import write_atomic
from inclusio.writers.base import Artifact, RenderContext, Writer

_WRITERS: dict[str, str] = {
    "epub": "inclusio.writers.epub3:Epub3Writer",
    "html": "inclusio.writers.html:HtmlWriter",
    "mp3": "inclusio.writers.audio:AudioWriter",
    "json": "inclusio.writers.registry:DocumentJsonWriter",
    "brf": "inclusio.writers.braille:BrailleWriter",
    "large-print": "inclusio.writers.large_print:LargePrintWriter",
}


class DocumentJsonWriter:
    """``--to json``: the Document itself, with its adaptations and provenance (not the reader's view)."""

    name = "json"

    def write(self, doc: Document, ctx: RenderContext) -> list[Artifact]:
        path = ctx.out_dir / f"{ctx.basename}.document.json"
        write_atomic(path, ctx.source.to_json().encode("utf-8"))  # never half a file (a full disk)
        return [Artifact(name="json", path=path, media_type="application/json")]


def output_names() -> list[str]:
    """Every output a job can make (``--to``, the API's ``outputs``): each writer's name, then ``report``, which
    the pipeline writes itself. ``inclusio convert --help`` and ``inclusio batch --help`` list these."""
    return [*_WRITERS, "report"]


def get_writer(name: str) -> Writer:
    """A new writer instance for the output ``name`` (``epub``, ``html``, ``mp3``, ``json``)."""
    try:
        module_name, class_name = _WRITERS[name].split(":")
    except KeyError:
        raise ValueError(f"no writer for output {name!r}; known: {sorted(_WRITERS)}") from None
    writer: Writer = getattr(import_module(module_name), class_name)()
    return writer
