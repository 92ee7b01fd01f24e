"""The Document model: the one thing converters produce and writers consume.

A :class:`Document` is a flat sequence of blocks in reading order (headings, paragraphs,
lists, tables, figures, formulas, program code, notes, page markers). Sections are not stored: they are
derived from the headings (:meth:`Document.sections`), so a converter cannot produce a
document whose section tree disagrees with its headings.

Every block carries:

* a stable ``id`` (unique in the document), so adaptations, reports and reviewers can
  point at it;
* an optional ``lang`` (BCP 47) when it differs from the document's language;
* a :class:`SourceRef` (page or slide, bounding box) back to the original file;
* a list of :class:`Adaptation` (easy-to-read rewrite, alt text...), each with its
  :class:`Provenance` (engine, model, prompt version, human review).

The model saves and loads as versioned JSON (:meth:`Document.to_json`,
:meth:`Document.from_json`); the round trip is exact.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

SCHEMA_VERSION = 1
"""Version of the JSON form. Bump it on any incompatible change and add a migration."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class BBox(_Model):
    """A rectangle in the source's own units (PDF points, or EMU for slides), origin top-left."""

    x0: float
    y0: float
    x1: float
    y1: float


class SourceRef(_Model):
    """Where a block comes from in the original file."""

    page: int | None = None
    """1-based page number (PDF, DOCX page when known)."""
    slide: int | None = None
    """1-based slide number (PPTX)."""
    bbox: BBox | None = None
    """Position on the page or slide, when the format gives one."""


class Provenance(_Model):
    """Who or what made a generated text, so a reviewer knows what to trust."""

    engine: str
    """``offline`` (rules), ``mistral``, ``human``..."""
    pass_name: str
    """The adaptation pass, e.g. ``easy_read``, ``alt_text``."""
    model: str | None = None
    prompt_version: str | None = None
    created_at: str | None = None
    """ISO 8601 timestamp (kept as text so the JSON round trip is exact)."""
    reviewed_by: str | None = None
    reviewed_at: str | None = None


class Flag(_Model):
    """A reason a person must look at a generated text before a student relies on it.

    Set by the verifier (:mod:`inclusio.analysis.verify`) or by a pass that fell back. A flag is
    *cleared* by review: an adaptation (or glossary entry) whose provenance has ``reviewed_by``
    counts as reviewed, whatever flags it still lists (they stay as history).
    """

    code: str
    """Stable warning code, e.g. ``verify.number_changed``, ``verify.added_fact``,
    ``verify.instruction``, ``verify.invented_words``, ``adapt.model_fallback``,
    ``glossary.to_define``."""
    reason: str
    """English, specific: ``the number 6 in '6 CO2' became 7``."""
    reason_fr: str | None = None
    """The same in French (the product speaks French first)."""


class Adaptation(_Model):
    """A generated replacement for one block, for one kind of reader.

    ``blocks`` replace the source block when the adaptation is rendered (an easy-to-read
    rewrite of a long paragraph can become several short paragraphs and a list). ``text``
    holds a plain-text result (an alt text, a summary) when blocks are not needed.
    """

    kind: str
    """``easy_read``, ``alt_text``, ``summary``, ``translation``..."""
    provenance: Provenance
    lang: str | None = None
    text: str | None = None
    blocks: list[Block] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    """What the pass did or could not do, for the reviewer ("sentence split at 'mais'")."""
    flags: list[Flag] = Field(default_factory=list)
    """Why a person must review it (empty: the verifier found nothing)."""

    @property
    def needs_review(self) -> bool:
        """Flagged and not yet reviewed by a person."""
        return bool(self.flags) and not self.provenance.reviewed_by


class _Block(_Model):
    id: str
    lang: str | None = None
    source: SourceRef | None = None
    adaptations: list[Adaptation] = Field(default_factory=list)

    def plain_text(self) -> str:
        """The block's text as a reader would hear it, without markup."""
        return ""

    def adaptation(self, kind: str) -> Adaptation | None:
        """The latest adaptation of this kind, if any."""
        for adaptation in reversed(self.adaptations):
            if adaptation.kind == kind:
                return adaptation
        return None


class Heading(_Block):
    type: Literal["heading"] = "heading"
    level: int = Field(ge=1, le=6)
    text: str

    def plain_text(self) -> str:
        return self.text


class Paragraph(_Block):
    type: Literal["paragraph"] = "paragraph"
    text: str
    role: Literal["body", "quote", "code", "caption", "title"] = "body"

    def plain_text(self) -> str:
        return self.text


class ListItem(_Model):
    text: str
    children: ListBlock | None = None
    """A nested list under this item."""
    source: SourceRef | None = None

    def plain_text(self) -> str:
        nested = self.children.plain_text() if self.children else ""
        return "\n".join(part for part in (self.text, nested) if part)


class ListBlock(_Block):
    type: Literal["list"] = "list"
    ordered: bool = False
    items: list[ListItem] = Field(default_factory=list)

    def plain_text(self) -> str:
        return "\n".join(item.plain_text() for item in self.items)


class TableCell(_Model):
    text: str
    header: bool = False
    """A header cell (``th``): column headers in the first row(s), row headers in the first column."""
    row_span: int = Field(default=1, ge=1)
    col_span: int = Field(default=1, ge=1)


class Table(_Block):
    type: Literal["table"] = "table"
    rows: list[list[TableCell]] = Field(default_factory=list)
    caption: str | None = None

    def plain_text(self) -> str:
        lines = [self.caption] if self.caption else []
        lines += [" | ".join(cell.text for cell in row) for row in self.rows]
        return "\n".join(lines)


class Figure(_Block):
    type: Literal["figure"] = "figure"
    image: str | None = None
    """Key in :attr:`Document.resources`, or None when the image could not be extracted."""
    caption: str | None = None
    alt: str | None = None
    """Alternative text found in the source (None when absent or useless, like a file name)."""
    decorative: bool = False
    """Explicitly marked decorative by the author: rendered with ``alt=""``."""
    long_description: str | None = None

    def plain_text(self) -> str:
        return "\n".join(part for part in (self.caption, self.alt) if part)


class Formula(_Block):
    type: Literal["formula"] = "formula"
    text: str
    """The formula as text (linear or LaTeX) as found in the source."""
    latex: str | None = None
    mathml: str | None = None
    image: str | None = None

    def plain_text(self) -> str:
        return self.text


class Code(_Block):
    """Program code, markup or a terminal session, shown exactly as written and never adapted.

    ``text`` keeps the source's line breaks and indentation character for character (no
    whitespace folding). No adaptation pass splits, rewrites, simplifies, translates, glosses or
    links it (:func:`is_code` is how they tell); writers render it as ``<pre><code>``; the audio
    announces it and skips it unless the profile asks for code to be read. Inline code inside a
    sentence stays in its paragraph: only whole blocks of code are ``Code``.
    """

    type: Literal["code"] = "code"
    text: str
    language: str | None = None
    """The programming language when the source says it (``python``, ``html``...): a Markdown fence's
    info string, an HTML ``language-*`` class. Lower case; None when unknown (never guessed)."""

    def plain_text(self) -> str:
        return self.text


class Note(_Block):
    type: Literal["note"] = "note"
    kind: Literal["speaker", "footnote", "endnote", "comment"] = "footnote"
    label: str | None = None
    """The call mark in the text ("1", "*"), for footnotes."""
    text: str

    def plain_text(self) -> str:
        return self.text


class PageMarker(_Block):
    """The start of a page or slide of the source (kept out of the text, used for navigation)."""

    type: Literal["page"] = "page"
    number: int = Field(ge=1)
    label: str | None = None
    """The printed page label when it differs from the number ("iv", "12")."""
    kind: Literal["page", "slide"] = "page"

    @property
    def display(self) -> str:
        return self.label or str(self.number)


Block = Annotated[
    Heading | Paragraph | ListBlock | Table | Figure | Formula | Code | Note | PageMarker,
    Field(discriminator="type"),
]
"""Any block, discriminated by its ``type`` field in JSON."""

TEXT_BLOCK_TYPES = (Heading, Paragraph, ListBlock, Table, Formula, Code, Note)


def is_code(block: object) -> bool:
    """A block of program code, which no adaptation pass may touch.

    True for :class:`Code` and for a paragraph of role ``code`` (the older form, still accepted in
    stored documents; :class:`~inclusio.model.builder.DocumentBuilder` turns new ones into ``Code``).
    """
    return isinstance(block, Code) or (isinstance(block, Paragraph) and block.role == "code")


class Resource(_Model):
    """Binary data a block refers to (an image). Stored base64 in JSON."""

    media_type: str
    data: bytes

    @field_serializer("data")
    def _dump_data(self, data: bytes) -> str:
        return base64.b64encode(data).decode("ascii")

    @field_validator("data", mode="before")
    @classmethod
    def _load_data(cls, value: object) -> object:
        if isinstance(value, str):
            return base64.b64decode(value.encode("ascii"), validate=True)
        return value

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def extension(self) -> str:
        return {
            "image/png": "png",
            "image/jpeg": "jpg",
            "image/gif": "gif",
            "image/svg+xml": "svg",
            "image/webp": "webp",
        }.get(self.media_type, "bin")


class SourceInfo(_Model):
    """The original file."""

    filename: str
    media_type: str
    sha256: str
    pages: int | None = None
    """Number of pages or slides."""
    converter: str | None = None
    """Name and version of the converter that produced the document."""


class ConversionIssue(_Model):
    """Something the converter could not do fully (a figure it could not extract...).

    ``code`` is in the warning catalogue (:mod:`inclusio.warning_codes`); ``message`` and ``message_fr``
    are its English and French texts with the details filled in.
    """

    code: str
    message: str
    message_fr: str | None = None
    block_id: str | None = None
    source: SourceRef | None = None


class Section(_Model):
    """A heading and the blocks up to the next heading of the same or a higher level.

    ``heading`` is None for the blocks before the first heading. Sub-sections are nested in
    ``children``; ``blocks`` holds only the section's own blocks (not its sub-sections').
    """

    heading: Heading | None
    blocks: list[Block] = Field(default_factory=list)
    children: list[Section] = Field(default_factory=list)

    @property
    def level(self) -> int:
        return self.heading.level if self.heading else 0

    @property
    def title(self) -> str | None:
        return self.heading.text if self.heading else None

    def all_blocks(self) -> Iterator[Block]:
        """Own blocks then every sub-section's, in reading order (heading excluded)."""
        yield from self.blocks
        for child in self.children:
            if child.heading is not None:
                yield child.heading
            yield from child.all_blocks()

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()


class GlossaryEntry(_Model):
    """A hard word or course term of the document, with a simple definition (document-level).

    ``definition`` is None when the term was flagged as hard but no definition was found (the
    offline engine only uses definitions the document gives itself): a reviewer writes one.
    """

    term: str
    definition: str | None = None
    lang: str = "fr"
    translations: dict[str, str] = Field(default_factory=dict)
    """The term in other languages (BCP 47 -> term), for a bilingual glossary."""
    blocks: list[str] = Field(default_factory=list)
    """Ids of the source blocks where the term occurs (or is defined)."""
    origin: Literal["document", "model", "frequency", "course", "lexicon", "acronym"] = "document"
    """Where the entry comes from: a definition in the document, a model's definition, a rare word
    (word frequency) with no definition yet, a course term given by the profile or the teacher, an
    acronym whose meaning comes from inclusio's acronym lexicon (chosen by the machine: flagged
    ``glossary.lexicon``), or an acronym nobody defines (no definition yet)."""
    provenance: Provenance
    flags: list[Flag] = Field(default_factory=list)
    """Why a person must review it (``glossary.to_define`` when it has no definition yet)."""

    @property
    def needs_review(self) -> bool:
        return (bool(self.flags) or not self.definition) and not self.provenance.reviewed_by


class Document(_Model):
    """A course document, in reading order, with everything the writers need."""

    schema_version: int = SCHEMA_VERSION
    title: str | None = None
    lang: str = "fr"
    """Main language (BCP 47). Blocks in another language set their own ``lang``."""
    authors: list[str] = Field(default_factory=list)
    source: SourceInfo
    blocks: list[Block] = Field(default_factory=list)
    resources: dict[str, Resource] = Field(default_factory=dict)
    issues: list[ConversionIssue] = Field(default_factory=list)
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    """Document-level glossary made by the adaptation engine (empty by default: the JSON of a
    document without a glossary is unchanged)."""

    # -- JSON -------------------------------------------------------------------------

    def to_json(self, *, indent: int | None = 1) -> str:
        """The versioned JSON form (what ``--to json`` writes)."""
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes) -> Document:
        """Load the JSON form; refuses a schema version this code does not know."""
        import json

        from inclusio.errors import ModelVersionError

        data = json.loads(text)
        version = data.get("schema_version") if isinstance(data, dict) else None
        if version != SCHEMA_VERSION:
            raise ModelVersionError(found=version, expected=SCHEMA_VERSION)
        return cls.model_validate(data)

    # -- navigation -------------------------------------------------------------------

    def block_lang(self, block: _Block) -> str:
        return block.lang or self.lang

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]

    def sections(self) -> list[Section]:
        """Top-level sections derived from the headings (a preamble first, if any)."""
        return build_sections(self.blocks)

    def top_sections(self) -> list[Section]:
        """Top-level sections, without an empty preamble."""
        return [s for s in self.sections() if s.heading is not None or s.blocks]

    def page_markers(self) -> list[PageMarker]:
        return [b for b in self.blocks if isinstance(b, PageMarker)]

    def find(self, block_id: str) -> Block:
        for block in self.blocks:
            if block.id == block_id:
                return block
        raise KeyError(block_id)


def build_sections(blocks: list[Block]) -> list[Section]:
    """Nest blocks into sections by heading level (used by :meth:`Document.sections`)."""
    root = Section(heading=None)
    stack: list[Section] = [root]
    top: list[Section] = [root]
    for block in blocks:
        if isinstance(block, Heading):
            section = Section(heading=block)
            while len(stack) > 1 and stack[-1].level >= block.level:
                stack.pop()
            parent = stack[-1]
            if parent is root:
                top.append(section)
            else:
                parent.children.append(section)
            stack.append(section)
        else:
            stack[-1].blocks.append(block)
    return top if root.blocks else top[1:]


Adaptation.model_rebuild()
ListItem.model_rebuild()
Section.model_rebuild()
