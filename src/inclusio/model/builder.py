"""A small helper for converters: hands out block ids and collects blocks and resources."""

from __future__ import annotations

import hashlib
from typing import Any

from inclusio.model.document import Block, Code, ConversionIssue, Paragraph, Resource, SourceRef
from inclusio.model.safe_markup import SVG_MEDIA_TYPE, UnsafeMarkup, raster_type, sanitize_svg
from inclusio.warning_codes import warning_text


class DocumentBuilder:
    """Collects blocks in reading order with ids ``b1``, ``b2``... and de-duplicated resources."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.resources: dict[str, Resource] = {}
        self.issues: list[ConversionIssue] = []
        self._next = 0
        self._open_code: Code | None = None

    def new_id(self) -> str:
        self._next += 1
        return f"b{self._next}"

    def add(self, block: Block) -> Block:
        """Append ``block`` (which closes an open code block, see :meth:`code_line`).

        A paragraph of role ``code`` (the older form) is stored as a :class:`Code` block.
        """
        self.end_code()
        if isinstance(block, Paragraph) and block.role == "code":
            block = Code(id=block.id, text=block.text, lang=block.lang, source=block.source)
        self.blocks.append(block)
        return block

    def code_line(self, line: str, *, language: str | None = None, source: SourceRef | None = None) -> None:
        """Add one line of program code, exactly as written (indentation kept, trailing spaces dropped).

        The first line opens a :class:`Code` block (blank lines before it are ignored); the next lines
        go into it until another block is added or :meth:`end_code` is called. A line may hold
        several lines (``\n``).
        """
        line = "\n".join(part.rstrip() for part in line.replace("\r\n", "\n").split("\n"))
        if self._open_code is None:
            if not line.strip():
                return
            self._open_code = Code(id=self.new_id(), text=line.lstrip("\n"), language=language, source=source)
            self.blocks.append(self._open_code)
            return
        self._open_code.text = f"{self._open_code.text}\n{line}"
        if language and not self._open_code.language:
            self._open_code.language = language

    def is_code_open(self) -> bool:
        """Whether a code block is open (the last thing added was a line of code)."""
        return self._open_code is not None

    def end_code(self) -> None:
        """Close the open code block, if any (its trailing blank lines dropped)."""
        if self._open_code is not None:
            self._open_code.text = self._open_code.text.rstrip("\n ")
            self._open_code = None

    def add_code(
        self, lines: list[str], *, language: str | None = None, source: SourceRef | None = None
    ) -> Code | None:
        """Add ``lines`` as one closed :class:`Code` block; None (nothing added) when they hold no text."""
        self.end_code()
        for line in lines:
            self.code_line(line, language=language, source=source)
        block = self._open_code
        self.end_code()
        return block

    def add_resource(self, data: bytes, media_type: str) -> str:
        """Store image bytes once (keyed by content) and return the resource key.

        An SVG picture is rebuilt from an allow-list first (:func:`inclusio.model.safe_markup.sanitize_svg`:
        no script, handler, ``foreignObject`` or external reference); what was left out is reported as
        ``image.active_content_removed``. Any other picture must be a PNG, JPEG, GIF or WebP by its
        bytes, and is stored with that type (never the declared one). Raises
        :class:`~inclusio.model.safe_markup.UnsafeMarkup` (a ``ValueError``) for an SVG that cannot be
        rebuilt or bytes that are no such picture: converters then report the picture unreadable.
        """
        if media_type == SVG_MEDIA_TYPE:
            clean = sanitize_svg(data)
            data = clean.data
            if clean.removed:
                self.issue("image.active_content_removed", removed=", ".join(clean.removed[:8]))
        else:  # a raster picture is the type its bytes prove, whatever the document declared
            proven = raster_type(data)
            if proven is None:
                raise UnsafeMarkup(f"the picture declared {media_type[:40]} is not a PNG, JPEG, GIF or WebP")
            media_type = proven
        digest = hashlib.sha256(data).hexdigest()[:16]
        key = f"img-{digest}"
        if key not in self.resources:
            self.resources[key] = Resource(media_type=media_type, data=data)
        return key

    def issue(
        self, code: str, *, block_id: str | None = None, source: SourceRef | None = None, **fields: Any
    ) -> None:
        """Record something the converter could not do fully (reported, never fatal).

        The English and French messages are the catalogue's (:mod:`inclusio.warning_codes`) for ``code``,
        with ``fields`` (the details: page, reason, ...) filled in; a code missing from the catalogue, or a
        detail its messages name but ``fields`` lacks, is a ``KeyError`` (a bug, never a user's problem).
        """
        self.issues.append(
            ConversionIssue(
                code=code,
                message=warning_text(code, "en", **fields),
                message_fr=warning_text(code, "fr", **fields),
                block_id=block_id,
                source=source,
            )
        )
