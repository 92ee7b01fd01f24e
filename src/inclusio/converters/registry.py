"""Picks the converter for a file by its content (never by its extension alone).

Adding a format = one converter module + one line in :data:`CONVERTERS`. The converter declares its
``name``, ``suffixes``, ``media_types`` and ``label``; the upload pages' ``accept=`` lists, their labels,
``inclusio batch`` and the ``input.unsupported`` messages all read them from here.

Content rules: PDF by ``%PDF-``; PPTX and DOCX by their zip members (``ppt/presentation.xml``,
``word/document.xml``); ODT/ODP by the zip's ``mimetype`` member; HTML by ``<!doctype html`` or
``<html`` at the start; Markdown, which has no magic number, when it is valid UTF-8 text that
shows Markdown structure (a ``#`` heading line, a code fence, a table rule) or, as the one
extension-based rule, valid UTF-8 text whose file name ends with ``.md``/``.markdown``.
"""

from __future__ import annotations

from pathlib import Path

from inclusio.converters.base import ConvertContext, Converter
from inclusio.converters.docx import DocxConverter
from inclusio.converters.html_input import HtmlConverter
from inclusio.converters.markdown import SUFFIXES as MARKDOWN_SUFFIXES
from inclusio.converters.markdown import MarkdownConverter, is_text
from inclusio.converters.odf import OdfConverter
from inclusio.converters.ooxml import ZIP_MAGIC, member_names
from inclusio.converters.pdf import PdfConverter
from inclusio.converters.pptx import PptxConverter
from inclusio.errors import InputCorrupt, InputEmpty, InputUnsupported
from inclusio.model import Document

CONVERTERS: tuple[Converter, ...] = (
    PdfConverter(),
    PptxConverter(),
    DocxConverter(),
    OdfConverter(),
    HtmlConverter(),
    MarkdownConverter(),
)
"""Every known format, asked in this order."""
_MARKDOWN = CONVERTERS[-1]

HEAD_BYTES = 4096


def accepted_formats() -> list[str]:
    """Names of the formats the registry accepts (``["pdf", "pptx", "docx", "odf", "html", "markdown"]``)."""
    return [converter.name for converter in CONVERTERS]


def accepted_suffixes() -> tuple[str, ...]:
    """Every file name ending the registry's converters declare (``(".pdf", ".pptx", ...)``), in order."""
    return tuple(suffix for converter in CONVERTERS for suffix in converter.suffixes)


def accepted_media_types() -> tuple[str, ...]:
    """Every MIME type the registry's converters declare, in order."""
    return tuple(media_type for converter in CONVERTERS for media_type in converter.media_types)


def accept_attribute() -> str:
    """The HTML ``accept=`` value of the upload fields: the suffixes, then the MIME types."""
    return ",".join((*accepted_suffixes(), *accepted_media_types()))


def formats_label(lang: str = "en") -> str:
    """The accepted formats for people: ``"PDF, PPTX, ..., HTML or Markdown"`` (``ou`` in French)."""
    labels = [converter.label for converter in CONVERTERS]
    if len(labels) < 2:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} {'or' if lang == 'en' else 'ou'} {labels[-1]}"


def unsupported_error(filename: str | None = None) -> InputUnsupported:
    """``input.unsupported`` naming the accepted formats in both languages."""
    details: dict[str, object] = {"accepted": accepted_formats()}
    if filename:
        details["file"] = filename
    return InputUnsupported(
        f"This file type is not supported (accepted: {formats_label('en')}). Save the document as one of these "
        "and upload it again.",
        message_fr=(
            f"Ce type de fichier n'est pas pris en charge (formats acceptés : {formats_label('fr')}). "
            "Enregistrez le document dans l'un de ces formats, puis déposez-le de nouveau."
        ),
        details=details,
    )


def detect(path: Path, filename: str | None = None) -> Converter:
    """The converter for ``path``, chosen from its first bytes (and zip member names).

    ``filename`` is the user's name for the file (the path on disk may be content-addressed);
    its extension is used only to accept UTF-8 text as Markdown. Raises ``input.empty`` for a
    0-byte file, ``input.corrupt`` for a zip that cannot be read, and ``input.unsupported``
    (naming the accepted formats) for anything else.
    """
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head:
        raise InputEmpty()
    for converter in CONVERTERS:
        if converter.sniff(path, head):
            return converter
    names = (filename or "", path.name)
    if is_text(head) and any(name.lower().endswith(MARKDOWN_SUFFIXES) for name in names):
        return _MARKDOWN
    if head.startswith(ZIP_MAGIC) and member_names(path) is None:
        raise InputCorrupt(details={"reason": "unreadable zip archive"})
    raise unsupported_error()


def convert(path: Path, ctx: ConvertContext) -> Document:
    """Detect the format of ``path`` and convert it (see :class:`~inclusio.converters.base.Converter`)."""
    return detect(Path(path), ctx.filename).convert(Path(path), ctx)
