"""Markdown -> Document: markdown-it-py (CommonMark + tables) renders HTML, read by the HTML converter.

One tree walker for both formats keeps their structure rules identical (headings, nested
lists, tables, images with alt text, code blocks, block quotes). Raw HTML inside the Markdown
is allowed (authors write ``<sub>``, ``<br>``...); it goes through the same safe HTML reading.
Pictures are embedded only from ``data:`` URIs: a Markdown file's ``![alt](figure.png)`` names a
file that was not uploaded, so the figure keeps its alt text and gets an ``image.not_embedded``
issue (see :mod:`inclusio.converters.html_input`).

Recognising Markdown: it is plain text, so there is no magic number. A file is Markdown when it
is valid UTF-8 text (no NUL byte) and either its name ends with ``.md``/``.markdown`` (the
registry passes the user's file name) or its first 4 KiB show Markdown structure: an ATX
heading line (``# Titre``), a fenced code block or a table rule (``|---|``). Plain text
without any of these is not accepted (``input.unsupported``).
"""

from __future__ import annotations

import re
from pathlib import Path

from inclusio.converters.base import ConvertContext, file_sha256
from inclusio.converters.html_input import html_to_document
from inclusio.converters.xml_safety import check_xml_bytes
from inclusio.errors import InputCorrupt, InputTooLarge
from inclusio.model import Document

MEDIA_TYPE = "text/markdown"
MAX_MARKDOWN_BYTES = 20 * 1024 * 1024
SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
_SIGNALS = re.compile(r"(?m)^(?:#{1,6}[ \t]+\S|```|~~~|\|?[ \t]*:?-{3,}:?[ \t]*\|)")


def is_text(head: bytes) -> bool:
    """Valid UTF-8 text: no NUL byte, decodes (a character cut at the end of ``head`` is allowed)."""
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3 and exc.reason == "unexpected end of data"
    return True


def looks_like_markdown(head: bytes) -> bool:
    """UTF-8 text whose beginning shows Markdown structure (heading, code fence, table rule)."""
    if not is_text(head):
        return False
    return bool(_SIGNALS.search(head.decode("utf-8", errors="ignore").lstrip("\ufeff")))


def render_html(text: str) -> str:
    """Markdown text -> HTML (CommonMark with tables and strikethrough)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return f"<html><body>{md.render(text)}</body></html>"


class MarkdownConverter:
    """Markdown files (``.md``), as written in course repositories and note-taking tools."""

    name = "markdown"
    media_types = (MEDIA_TYPE,)
    suffixes = SUFFIXES
    label = "Markdown"

    def sniff(self, path: Path, head: bytes) -> bool:
        """UTF-8 text with Markdown structure, or UTF-8 text named ``*.md`` (see the module docstring)."""
        return is_text(head) and (Path(path).suffix.lower() in SUFFIXES or looks_like_markdown(head))

    def convert(self, path: Path, ctx: ConvertContext) -> Document:
        """Convert a Markdown file. Raises ``input.too_large``, ``input.corrupt`` (not UTF-8), ``input.unsafe``."""
        size = Path(path).stat().st_size
        if size > MAX_MARKDOWN_BYTES:
            raise InputTooLarge(details={"bytes": size, "limit": MAX_MARKDOWN_BYTES})
        data = Path(path).read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputCorrupt(
                "The Markdown file is not valid UTF-8 text. Save it as UTF-8 and upload it again.",
                message_fr="Le fichier Markdown n'est pas un texte UTF-8 valide. Enregistrez-le en UTF-8, puis "
                "déposez-le de nouveau.",
                details={"reason": str(exc)},
            ) from exc
        check_xml_bytes(data, what=ctx.filename)
        doc = html_to_document(
            render_html(text), ctx, media_type=MEDIA_TYPE, converter="inclusio.markdown (markdown-it-py)"
        )
        doc.source.sha256 = file_sha256(Path(path))
        return doc
