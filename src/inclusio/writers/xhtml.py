"""Document blocks -> semantic (X)HTML fragments, shared by the EPUB and the HTML writers.

The fragments are *polyglot*: well-formed XML that the HTML parsers read the same way
(explicit end tags, ``<br/>``, ``<img/>``, escaped text, no control characters), so the EPUB
writer can hand them to ebooklib and the HTML writer can embed them as they are.

What the renderer decides, for both formats:

* **Heading levels** follow the whole publication's hierarchy and never skip a level
  (axe ``heading-order``). A heading whose source level skips one (an ``h3`` right under an
  ``h1``) is *clamped* to one level below its parent heading; nothing is lost, and the
  change is recorded as an ``info`` warning (``heading.level_clamped``) so nobody is
  surprised. See :func:`output_heading_levels`.
* **Images**: decorative -> ``alt=""`` + ``role="presentation"``; otherwise the source alt
  text, else a generated ``alt_text`` adaptation, else the caption, else a placeholder in the
  document's language ("Image sans description"), each fallback recorded as a warning.
* **Tables**: ``<th scope="col">`` in header rows, ``<th scope="row">`` elsewhere, spans kept.
* **Notes**: speaker notes and comments as ``<aside>`` with a visible label that is not a
  heading; footnotes as ``<aside role="doc-footnote">`` (EPUB: also ``epub:type="footnote"``).
* **Page markers**: EPUB ``<span id role="doc-pagebreak" epub:type="pagebreak" aria-label/>``;
  HTML a discreet visible ``<span role="doc-pagebreak">``.
* **Code**: ``<pre><code>`` with the text character for character (line breaks, indentation,
  tabs), never glossary-linked nor split into read-along sentences; ``class="language-x"`` on
  ``code`` when the language is known. The style sheet wraps long lines (``pre-wrap``), so no
  block scrolls sideways.
* **Formulas**: the block's MathML when it has some (well-formed, in the MathML namespace; its
  linear text becomes ``alttext``), else the linear text.
* **Summaries**: a block with a ``summary`` adaptation is followed by ``<aside class="summary">``
  with a visible label ("Résumé").
* **Parallel text** (the reader's view attached a translation, :func:`inclusio.model.parallel_blocks`):
  ``<div class="parallel">`` holding the original then the translation, each side in its own
  ``<div>`` with ``lang`` (and ``xml:lang`` in EPUB), so a screen reader reads the original, then
  the translation in its own voice; the style sheet puts them side by side when there is room. A
  translated heading stays one real heading: its translation is a ``<p class="translation">``
  after it, never a second heading.
* **Glossary**: with ``glossary_href``, the first occurrence of a glossary term in each block
  links to its entry (``role="doc-glossref"``); :meth:`FragmentRenderer.glossary` renders the
  entries as a definition list.
* **Read-along** (``read_along=True``): every sentence of a heading, paragraph or list item is
  wrapped in ``<span id="s-N">`` (recorded in :attr:`FragmentRenderer.sentence_spans`), split
  exactly as the audio splits it, for EPUB media overlays.

EPUB trap (verified in ebooklib 0.20, ``ebooklib.utils.get_pages``): the page-list is built
from *every* element that has both ``epub:type`` and ``id``. So in EPUB mode only page markers
carry both; a footnote's ``id`` goes on its inner paragraph and sections carry no ``id``.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape
from typing import Any

from inclusio.analysis.images import ImageCount, alt_status, generated_alt, is_useless_alt
from inclusio.model import (
    PARALLEL,
    Block,
    Code,
    Document,
    Figure,
    Formula,
    GlossaryEntry,
    Heading,
    ListBlock,
    Note,
    PageMarker,
    Paragraph,
    Provenance,
    Resource,
    Table,
    TableCell,
    parallel_blocks,
)
from inclusio.model.safe_markup import MATHML_ELEMENTS
from inclusio.model.view import student_glossary
from inclusio.profiles import Profile
from inclusio.text.sentences import split_sentences
from inclusio.warning_codes import warning

# -- language -------------------------------------------------------------------------------

_LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "speaker": "Notes de l'orateur",
        "footnote": "Note",
        "endnote": "Note",
        "comment": "Commentaire",
        "no_alt": "Image sans description",
        "image_missing": "Image non disponible",
        "long_description": "Description détaillée",
        "toc": "Table des matières",
        "landmarks": "Repères",
        "pages": "Pages",
        "skip": "Aller au contenu",
        "start": "Début du document",
        "page": "page",
        "slide": "diapositive",
        "colon": "\u00a0:",
        "untitled": "Document sans titre",
        "summary": "Résumé",
        "glossary": "Glossaire",
        "no_definition": "Définition à écrire.",
        "unreviewed": "À vérifier : le passage suivant a été écrit par une machine et n'a pas encore été relu par "
        "une personne.",
        "unreviewed_definition": "À vérifier : cette définition a été faite par une machine et n'a pas encore "
        "été relue par une personne.",
        "translation": "Traduction",
    },
    "en": {
        "speaker": "Speaker notes",
        "footnote": "Note",
        "endnote": "Note",
        "comment": "Comment",
        "no_alt": "Image without description",
        "image_missing": "Image not available",
        "long_description": "Long description",
        "toc": "Contents",
        "landmarks": "Landmarks",
        "pages": "Pages",
        "skip": "Skip to content",
        "start": "Start of document",
        "page": "page",
        "slide": "slide",
        "colon": ":",
        "untitled": "Untitled document",
        "summary": "Summary",
        "glossary": "Glossary",
        "no_definition": "Definition to be written.",
        "unreviewed": "To check: the next passage was written by a machine and has not been reviewed by a person "
        "yet.",
        "unreviewed_definition": "To check: this definition was made by a machine and has not been reviewed by a "
        "person yet.",
        "translation": "Translation",
    },
}


def primary_lang(lang: str | None) -> str:
    """``fr-CA`` -> ``fr``; anything but French falls back to English for our own labels."""
    primary = (lang or "").split("-")[0].lower()
    return primary if primary in _LABELS else "en"


def labels(lang: str | None) -> dict[str, str]:
    """The writer's own words (note labels, placeholders, navigation titles) in ``lang``."""
    return _LABELS[primary_lang(lang)]


# -- text -----------------------------------------------------------------------------------

# XML 1.0 forbids C0 controls except tab/newline/return; PowerPoint uses \x0b as a soft line break.
_CONTROL = re.compile(r"[\x00-\x08\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str | None) -> str:
    """Text safe for XML: soft breaks become newlines, other control characters are dropped."""
    if not text:
        return ""
    text = text.replace("\x0b", "\n").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def esc(text: str | None) -> str:
    """Escape for element content and attribute values (quotes included)."""
    return escape(clean_text(text), quote=True)


def _language_class(language: str) -> str:
    """A programming language's name as a CSS class fragment (``C++`` -> ``c--``, ``Objective C`` -> ``objective-c``)."""
    return re.sub(r"[^a-z0-9_-]+", "-", language.strip().lower()).strip("-")[:40]


def esc_lines(text: str | None) -> str:
    """Escape and keep the source's line breaks as ``<br/>`` (one sentence per line stays so)."""
    lines = [esc(line) for line in clean_text(text).strip("\n").split("\n")]
    return "<br/>".join(lines)


_ID_OK = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_ID_BAD_CHARS = re.compile(r"[^A-Za-z0-9_.-]")


def _xml_id(raw: str) -> str:
    """Turn a block id into a valid XML id (NCName)."""
    if _ID_OK.match(raw):
        return raw
    cleaned = _ID_BAD_CHARS.sub("-", raw)
    return cleaned if _ID_OK.match(cleaned) else f"b-{cleaned}"


# -- alt text -------------------------------------------------------------------------------

# is_useless_alt (imported above) is the one test of a boilerplate alt text, shared with the audit.


# -- heading levels -------------------------------------------------------------------------


def output_heading_levels(blocks: Iterable[Block]) -> dict[int, int]:
    """Output level of every heading, keyed by ``id(heading)``, with no level ever skipped.

    The publication's hierarchy is kept: a heading sits one level below the nearest earlier
    heading of a *lower source level* (its parent), or at level 1 if it has none. So
    ``h1, h3, h2`` becomes ``h1, h2, h2``, and a document whose first heading is ``h2`` starts
    at ``h1``. Levels stop at 6.
    """
    stack: list[tuple[int, int]] = []  # (source level, output level) of the open ancestors
    levels: dict[int, int] = {}
    for block in blocks:
        if not isinstance(block, Heading):
            continue
        while stack and stack[-1][0] >= block.level:
            stack.pop()
        out = min(stack[-1][1] + 1, 6) if stack else 1
        levels[id(block)] = out
        stack.append((block.level, out))
    return levels


# -- splitting into files -------------------------------------------------------------------


@dataclass
class Chunk:
    """The blocks of one top-level section (one EPUB file), or of the preamble (``heading=None``)."""

    heading: Heading | None
    blocks: list[Block]


def split_top_sections(blocks: list[Block]) -> list[Chunk]:
    """Split blocks where :meth:`Document.top_sections` starts a new top-level section.

    A heading starts a top-level section when its level is not deeper than every earlier
    heading's (the same rule :func:`inclusio.model.build_sections` applies). Page markers
    that come right before such a heading move to the new chunk, so "go to page 5" lands on
    the page's first heading rather than at the end of the previous file. An empty preamble
    is dropped.
    """
    chunks: list[Chunk] = [Chunk(heading=None, blocks=[])]
    min_level = 7
    for block in blocks:
        if isinstance(block, Heading) and block.level <= min_level:
            min_level = block.level
            moved: list[Block] = []
            previous = chunks[-1].blocks
            while previous and isinstance(previous[-1], PageMarker):
                moved.insert(0, previous.pop())
            chunks.append(Chunk(heading=block, blocks=[*moved, block]))
        else:
            chunks[-1].blocks.append(block)
    return [c for c in chunks if c.heading is not None or c.blocks]


def drop_empty_headings(blocks: list[Block]) -> tuple[list[Block], list[dict[str, str | None]]]:
    """Headings without text are left out (an empty heading misleads screen-reader users); reported."""
    kept: list[Block] = []
    warnings: list[dict[str, str | None]] = []
    for block in blocks:
        if isinstance(block, Heading) and not clean_text(block.text).strip():
            warnings.append(warning("heading.empty", severity="info", block_id=block.id))
            continue
        kept.append(block)
    return kept, warnings


# -- rendering ------------------------------------------------------------------------------

EPUB_IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/svg+xml", "image/webp"})
"""EPUB 3.3 core media types for images: anything else would need a fallback (EPUBCheck RSC-032)."""


@dataclass
class ImageStats:
    """What the rendered images are like, for the accessibility metadata and summary."""

    shown: int = 0
    """``<img>`` elements that carry information (not decorative)."""
    decorative: int = 0
    described: int = 0
    """Non-decorative images with a real alt text (source or generated adaptation)."""
    alt_from_caption: int = 0
    placeholder: int = 0
    not_available: int = 0
    """Figures whose image could not be shown (missing or unsupported resource)."""
    long_descriptions: int = 0
    generated_alt: list[Provenance] = field(default_factory=list)


ImageSource = Callable[[str, Resource], str]
"""Given a resource key and the resource, the ``src`` to write (a file path or a data: URI)."""


def data_uri(key: str, resource: Resource) -> str:
    """An :data:`ImageSource` that embeds the image (single-file HTML)."""
    return f"data:{resource.media_type};base64,{base64.b64encode(resource.data).decode('ascii')}"


class FragmentRenderer:
    """Renders blocks to (X)HTML fragments; collects warnings and image statistics.

    One renderer per output document: it hands out unique element ids across all the files of
    an EPUB. ``epub=True`` adds ``epub:type`` attributes (with their ARIA roles) and the EPUB
    page markers; ``epub=False`` makes plain HTML5.
    """

    def __init__(
        self,
        doc: Document,
        *,
        epub: bool,
        image_src: ImageSource,
        levels: dict[int, int] | None = None,
        read_along: bool = False,
        glossary_href: Callable[[str], str] | None = None,
        unreviewed: Iterable[str] = (),
    ) -> None:
        self.doc = doc
        self.epub = epub
        self.image_src = image_src
        self.words = labels(doc.lang)
        self.levels = levels if levels is not None else output_heading_levels(doc.blocks)
        self.warnings: list[dict[str, str | None]] = []
        self.images = ImageStats()
        self.page_ids: list[str] = []
        """Ids of the page markers rendered, in reading order (the page-list)."""
        self._ids: dict[int, str] = {}
        self._used: set[str] = set()
        self.read_along = read_along
        self.sentence_spans: dict[str, list[tuple[str, str]]] = {}
        """Block id -> (sentence, span id) in reading order (read-along only)."""
        self.block_anchors: dict[str, str] = {}
        """Block id -> element id, for every block given an anchor."""
        self.summaries = 0
        self.parallel_langs: set[str] = set()
        """Languages of the translations shown beside blocks (parallel text)."""
        self.has_mathml = False
        self.glossary_href = glossary_href
        self.unreviewed = set(unreviewed)
        """Ids of the first rendered block of each machine-written passage flagged and not reviewed
        (:func:`inclusio.model.flags.unreviewed_starts`): a visible note goes before each."""
        self.unreviewed_notes = 0
        self.glossary_ids: dict[str, str] = {}
        """Glossary term -> element id of its entry."""
        self._terms: re.Pattern[str] | None = None
        if glossary_href is not None:
            entries = [e for e in student_glossary(doc.glossary) if e.term.strip()]
            for entry in entries:
                self.glossary_ids.setdefault(
                    entry.term.strip(),
                    self.unique_id(
                        "gl-" + _xml_id(re.sub(r"\W+", "-", entry.term.strip().lower()).strip("-") or "term")
                    ),
                )
            if self.glossary_ids:
                alternatives = "|".join(
                    re.escape(esc(t)) for t in sorted(self.glossary_ids, key=len, reverse=True)
                )
                self._terms = re.compile(rf"(?<![\w&])({alternatives})(?!\w)")

    # -- ids and warnings ---------------------------------------------------------------

    def unique_id(self, wanted: str) -> str:
        """``wanted``, or ``wanted-2``... if already used in this publication."""
        candidate, n = wanted, 1
        while candidate in self._used:
            n += 1
            candidate = f"{wanted}-{n}"
        self._used.add(candidate)
        return candidate

    def anchor(self, block: Block) -> str:
        """The element id of ``block`` (stable for this renderer, unique in the publication)."""
        key = id(block)
        if key not in self._ids:
            if isinstance(block, PageMarker):
                wanted = (
                    f"{block.kind}-{_xml_id(block.display)}"
                    if block.label
                    else f"{block.kind}-{block.number}"
                )
            else:
                wanted = _xml_id(block.id)
            self._ids[key] = self.unique_id(wanted)
            self.block_anchors.setdefault(block.id, self._ids[key])
        return self._ids[key]

    def warn(
        self, code: str, block: Block | None = None, *, severity: str = "warning", **fields: Any
    ) -> None:
        """Record something the reader loses or that was changed (kept in ``Artifact.warnings``); the
        messages come from the catalogue (:mod:`inclusio.warning_codes`), ``fields`` fill them in."""
        self.warnings.append(
            warning(code, severity=severity, block_id=block.id if block is not None else None, **fields)
        )

    def _lang_attr(self, block: Block) -> str:
        """``lang="en"`` (EPUB: and ``xml:lang``) on a block whose language differs from the document's."""
        if block.lang and block.lang.lower() != self.doc.lang.lower():
            return self._langs(block.lang)
        return ""

    def heading_level(self, heading: Heading) -> int:
        return self.levels.get(id(heading), heading.level)

    # -- text ---------------------------------------------------------------------------

    def _link(self, escaped: str, linked: set[str]) -> str:
        """Link the first occurrence (per block) of each glossary term in escaped text."""
        if self._terms is None or self.glossary_href is None:
            return escaped
        href = self.glossary_href

        def sub(match: re.Match[str]) -> str:
            term = next((t for t in self.glossary_ids if esc(t) == match.group(1)), None)
            if term is None or term in linked:
                return match.group(0)
            linked.add(term)
            kind = ' epub:type="glossref"' if self.epub else ""
            return f'<a href="{esc(href(self.glossary_ids[term]))}"{kind} role="doc-glossref">{match.group(1)}</a>'

        return self._terms.sub(sub, escaped)

    def _lines(self, text: str, linked: set[str]) -> str:
        return "<br/>".join(self._link(esc(line), linked) for line in text.split("\n"))

    def text(self, block: Block, text: str | None, linked: set[str] | None = None) -> str:
        """Escaped text of ``block`` with its line breaks, glossary links and (read-along) sentence spans."""
        linked = set() if linked is None else linked
        cleaned = clean_text(text).strip("\n")
        if not self.read_along:
            return self._lines(cleaned, linked)
        sentences = split_sentences(cleaned, max_chars=400)
        parts: list[str] = []
        spans: list[tuple[str, str]] = []
        pos = 0
        for sentence in sentences:
            pattern = r"\s+".join(re.escape(token) for token in sentence.split())
            match = re.compile(pattern).search(cleaned, pos) if pattern else None
            if match is None:  # the text does not hold the sentence verbatim: no spans for this text
                return self._lines(cleaned, linked)
            span_id = self.unique_id(f"s-{len(self._used)}")
            parts.append(self._lines(cleaned[pos : match.start()], linked))
            parts.append(f'<span id="{span_id}">{self._lines(match.group(0), linked)}</span>')
            spans.append((sentence, span_id))
            pos = match.end()
        parts.append(self._lines(cleaned[pos:], linked))
        self.sentence_spans.setdefault(block.id, []).extend(spans)
        return "".join(parts)

    def _summary(self, block: Block) -> str:
        adaptation = block.adaptation("summary")
        if adaptation is None:
            return ""
        texts = [adaptation.text] if adaptation.text else [getattr(b, "text", "") for b in adaptation.blocks]
        paragraphs = "".join(f"<p>{esc_lines(t)}</p>" for t in texts if t and t.strip())
        if not paragraphs:
            return ""
        self.summaries += 1
        return (
            f'<aside class="summary" aria-label="{esc(self.words["summary"])}">'
            f'<p class="note-label">{esc(self.words["summary"])}</p>{paragraphs}</aside>'
        )

    def glossary(self, entries: list[GlossaryEntry]) -> str:
        """The glossary as a definition list (entries sorted by term); ids match the links.

        A bilingual glossary (``GlossaryEntry.translations``) gives each term's translation, in its
        own language, between the term and its definition. A definition flagged and not reviewed by a
        person is followed by a visible note saying so (as a flagged passage is preceded by one).
        """
        items = []
        for entry in sorted(entries, key=lambda e: e.term.strip().lower()):
            term = entry.term.strip()
            if not term:
                continue
            ident = self.glossary_ids.get(term) or self.unique_id("gl-term")
            lang = f' lang="{esc(entry.lang)}"' if entry.lang and entry.lang != self.doc.lang else ""
            definition = entry.definition.strip() if entry.definition else self.words["no_definition"]
            translations = "".join(
                f'<dd class="glossary-translation"><span class="note-label">{esc(self.words["translation"])}'
                f"{esc(self.words['colon'])}</span> <span{self._langs(code)}>{esc(word.strip())}</span></dd>"
                for code, word in sorted(entry.translations.items())
                if word and word.strip()
            )
            note = (  # flagged and not reviewed (a release staff confirmed, or before any review)
                f'<dd class="unreviewed-note"{self._langs(self.doc.lang)}>'
                f"{esc(self.words['unreviewed_definition'])}</dd>"
                if entry.needs_review and entry.definition
                else ""
            )
            items.append(
                f'<dt id="{ident}"{lang}>{esc(term)}</dt>{translations}<dd{lang}>{esc_lines(definition)}</dd>{note}'
            )
        return f"<dl>{''.join(items)}</dl>" if items else ""

    # -- blocks -------------------------------------------------------------------------

    def render_blocks(self, blocks: Iterable[Block]) -> str:
        """The fragments of ``blocks``, in order, one per line. A block that fails is reported, not fatal."""
        parts: list[str] = []
        for block in blocks:
            if block.id in self.unreviewed:
                parts.append(self._unreviewed_note())
            try:
                html = self.render(block)
                beside = parallel_blocks(block)
                parts.append(self._parallel(block, html, beside) if beside and html else html)
                if block.adaptations:
                    parts.append(self._summary(block))
            except Exception as exc:  # one bad block must not sink the book (STANDARDS R13)
                self.warn("render.block_failed", block, block=block.id, reason=exc)
        return "\n".join(p for p in parts if p)

    def _unreviewed_note(self) -> str:
        """A visible sentence before a flagged, unreviewed passage (read by screen readers in the text flow)."""
        self.unreviewed_notes += 1
        return f'<p class="unreviewed-note">{esc(self.words["unreviewed"])}</p>'

    def _langs(self, lang: str) -> str:
        """``lang`` (and ``xml:lang`` in EPUB) for ``lang``."""
        value = esc(lang)
        return f' lang="{value}" xml:lang="{value}"' if self.epub else f' lang="{value}"'

    def _parallel(self, block: Block, original: str, beside: list[Block]) -> str:
        """``original`` (the rendered block) and its translation, original first (see the module docstring).

        The translation's sentences are spoken after the block's own (read-along spans under the
        block's id, as :func:`inclusio.writers.speech_text.block_units` says them); glossary terms
        are linked from the original only. A flagged, unreviewed translation starts with the
        "not reviewed" note, in the document's language.
        """
        heading = isinstance(block, Heading)
        no_links = set(self.glossary_ids)
        translated = []
        for other in beside:
            text = other.plain_text()
            if not clean_text(text).strip():
                continue
            css = "translation heading-translation" if heading else "translation"
            langs = self._langs(other.lang) if other.lang and other.lang != beside[0].lang else ""
            translated.append(f'<p class="{css}"{langs}>{self.text(block, text, no_links)}</p>')
        if not translated:
            return original
        target = beside[0].lang or self.doc.lang
        self.parallel_langs.add(target)
        shown = block.adaptation(PARALLEL)
        if shown is not None and shown.needs_review:  # flagged, not reviewed: said before the translation
            self.unreviewed_notes += 1
            translated.insert(
                0,
                f'<p class="unreviewed-note"{self._langs(self.doc.lang)}>{esc(self.words["unreviewed"])}</p>',
            )
        kind = "parallel parallel-heading" if heading else "parallel"
        return (
            f'<div class="{kind}"><div class="parallel-original"{self._langs(self.doc.block_lang(block))}>'
            f'{original}</div><div class="parallel-translation"{self._langs(target)}>{"".join(translated)}'
            "</div></div>"
        )

    def render(self, block: Block) -> str:
        """One block as a fragment (empty string for a block with nothing to show)."""
        if isinstance(block, Heading):
            return self._heading(block)
        if isinstance(block, Paragraph):
            return self._paragraph(block)
        if isinstance(block, ListBlock):
            return self._list(block, self._lang_attr(block), top=True)
        if isinstance(block, Table):
            return self._table(block)
        if isinstance(block, Figure):
            return self._figure(block)
        if isinstance(block, Formula):
            return self._formula(block)
        if isinstance(block, Code):
            return self._code(block, block.text, block.language, self._lang_attr(block))
        if isinstance(block, Note):
            return self._note(block)
        if isinstance(block, PageMarker):
            return self._page(block)
        raise TypeError(f"unknown block type {type(block).__name__}")

    def _heading(self, h: Heading) -> str:
        level = self.heading_level(h)
        if level != h.level:
            self.warn(
                "heading.level_clamped",
                h,
                severity="info",
                text=clean_text(h.text)[:60],
                old=h.level,
                new=level,
            )
        return f'<h{level} id="{self.anchor(h)}"{self._lang_attr(h)}>{self.text(h, h.text)}</h{level}>'

    def _paragraph(self, p: Paragraph) -> str:
        ident, lang = self.anchor(p), self._lang_attr(p)
        if p.role == "quote":
            return f'<blockquote id="{ident}"{lang}><p>{self.text(p, p.text)}</p></blockquote>'
        if p.role == "code":
            return self._code(p, p.text, None, lang)
        css = {"caption": ' class="caption"', "title": ' class="title"'}.get(p.role, "")
        return f'<p id="{ident}"{css}{lang}>{self.text(p, p.text)}</p>'

    def _code(self, block: Block, text: str, language: str | None, lang: str) -> str:
        """``<pre><code>``: the text exactly (only edge blank lines dropped), language as a class."""
        css = (
            f' class="language-{_language_class(language)}"' if language and _language_class(language) else ""
        )
        return f'<pre id="{self.anchor(block)}"{lang}><code{css}>{esc(clean_text(text).strip(chr(10)))}</code></pre>'

    def _list(self, lst: ListBlock, lang: str, *, top: bool, owner: Block | None = None) -> str:
        if not lst.items:
            return ""
        owner = owner or lst  # nested items are spoken as part of the top-level list block
        tag = "ol" if lst.ordered else "ul"
        ident = f' id="{self.anchor(lst)}"' if top else ""
        items = []
        for item in lst.items:
            text = self.text(owner, item.text)
            nested = self._list(item.children, "", top=False, owner=owner) if item.children else ""
            items.append(f"<li>{text}{nested}</li>")
        return f"<{tag}{ident}{lang}>{''.join(items)}</{tag}>"

    @staticmethod
    def _header_rows(rows: list[list[TableCell]]) -> int:
        """Leading rows that are column headers: all cells ``th`` (an empty corner cell is allowed in row 1)."""
        count = 0
        for index, row in enumerate(rows):
            if row and all(c.header for c in row):
                count += 1
                continue
            if index == 0 and any(c.header for c in row) and all(c.header or not c.text.strip() for c in row):
                count += 1
                continue
            break
        return count

    def _table(self, t: Table) -> str:
        rows = [row for row in t.rows if row]
        if not rows:
            self.warn("table.empty", t)
            return f'<p id="{self.anchor(t)}">{esc_lines(t.caption)}</p>' if t.caption else ""
        n_head = self._header_rows(rows)

        def cell(c: TableCell, in_head: bool) -> str:
            spans = (f' colspan="{c.col_span}"' if c.col_span > 1 else "") + (
                f' rowspan="{c.row_span}"' if c.row_span > 1 else ""
            )
            if c.header and c.text.strip():
                scope = "col" if in_head else "row"
                return f'<th scope="{scope}"{spans}>{esc_lines(c.text)}</th>'
            return f"<td{spans}>{esc_lines(c.text)}</td>"

        out = [f'<table id="{self.anchor(t)}"{self._lang_attr(t)}>']
        if t.caption:
            out.append(f"<caption>{esc_lines(t.caption)}</caption>")
        if n_head:
            out.append("<thead>")
            out += ["<tr>" + "".join(cell(c, True) for c in row) + "</tr>" for row in rows[:n_head]]
            out.append("</thead>")
        if rows[n_head:]:
            out.append("<tbody>")
            out += ["<tr>" + "".join(cell(c, False) for c in row) + "</tr>" for row in rows[n_head:]]
            out.append("</tbody>")
        out.append("</table>")
        return "".join(out)

    def _figure_alt(self, f: Figure) -> str:
        """The alt text for a non-decorative figure, with the fallbacks recorded."""
        status = alt_status(f)  # the same classification as the audit and the report (analysis.images)
        if status == "source":
            self.images.described += 1
            return clean_text(f.alt or "").strip()
        generated = f.adaptation("alt_text")
        if status == "generated" and generated is not None:
            self.images.described += 1
            self.images.generated_alt.append(generated.provenance)
            return clean_text(generated_alt(f) or "").strip()
        if status == "caption" and f.caption:
            self.images.alt_from_caption += 1
            self.warn("image.alt_from_caption", f)
            return clean_text(f.caption).strip()
        self.images.placeholder += 1
        self.warn("image.alt_missing", f, marker=self.words["no_alt"])
        return self.words["no_alt"]

    def _figure(self, f: Figure) -> str:
        resource = self.doc.resources.get(f.image) if f.image else None
        parts = [f'<figure id="{self.anchor(f)}"{self._lang_attr(f)}>']
        if resource is not None and resource.media_type not in EPUB_IMAGE_TYPES:
            self.warn("image.unsupported_format", f, media_type=resource.media_type)
            resource = None
        if resource is None:
            if f.image and f.image not in self.doc.resources:
                self.warn("image.missing", f, image=f.image)
            if not f.decorative:
                self.images.not_available += 1
                alt = clean_text(f.alt).strip() if not is_useless_alt(f.alt) else ""
                text = self.words["image_missing"] + (f"{self.words['colon']} {alt}" if alt else "")
                parts.append(f'<p class="image-missing">{esc(text)}</p>')
        elif f.decorative:
            self.images.decorative += 1
            parts.append(
                f'<img src="{esc(self.image_src(f.image or "", resource))}" alt="" role="presentation"/>'
            )
        else:
            self.images.shown += 1
            alt = self._figure_alt(f)
            parts.append(f'<img src="{esc(self.image_src(f.image or "", resource))}" alt="{esc(alt)}"/>')
        caption = []
        if f.caption and f.caption.strip():
            caption.append(f"<p>{esc_lines(f.caption)}</p>")
        if f.long_description and f.long_description.strip():
            self.images.long_descriptions += 1
            caption.append(
                f'<p class="long-description"><span class="note-label">'
                f"{esc(self.words['long_description'])}{esc(self.words['colon'])}</span> "
                f"{esc_lines(f.long_description)}</p>"
            )
        if caption:
            parts.append("<figcaption>" + "".join(caption) + "</figcaption>")
        if len(parts) == 1:  # a decorative figure whose image is gone: nothing to show
            return ""
        parts.append("</figure>")
        return "".join(parts)

    def _formula(self, m: Formula) -> str:
        math = mathml_fragment(m.mathml, m.text) if m.mathml else None
        if math is not None:
            self.has_mathml = True
            return f'<div id="{self.anchor(m)}" class="formula-block"{self._lang_attr(m)}>{math}</div>'
        if m.mathml:
            self.warn("formula.mathml_invalid", m)
        return (
            f'<p id="{self.anchor(m)}" class="formula-block"{self._lang_attr(m)}>'
            f'<span class="formula">{esc(m.text)}</span></p>'
        )

    def _note(self, n: Note) -> str:
        lang = self._lang_attr(n)
        if n.kind in ("footnote", "endnote"):
            label = self.words[n.kind] + (f" {clean_text(n.label)}" if n.label else "") + self.words["colon"]
            body = f'<span class="note-label">{esc(label)}</span> {esc_lines(n.text)}'
            if self.epub:
                # id on the paragraph, not the aside: epub:type + id would make a page-list entry.
                return (
                    f'<aside epub:type="footnote" role="doc-footnote" class="footnote"{lang}>'
                    f'<p id="{self.anchor(n)}">{body}</p></aside>'
                )
            return f'<aside id="{self.anchor(n)}" role="doc-footnote" class="footnote"{lang}><p>{body}</p></aside>'
        css = "speaker-notes" if n.kind == "speaker" else "comment"
        label = self.words["speaker" if n.kind == "speaker" else "comment"]
        lines = [line for line in clean_text(n.text).split("\n") if line.strip()]
        paragraphs = "".join(f"<p>{esc(line)}</p>" for line in lines)
        return (
            f'<aside id="{self.anchor(n)}" class="{css}"{lang}>'
            f'<p class="note-label">{esc(label)}</p>{paragraphs}</aside>'
        )

    def _page(self, m: PageMarker) -> str:
        ident = self.anchor(m)
        self.page_ids.append(ident)
        if self.epub:
            return (
                f'<span id="{ident}" role="doc-pagebreak" epub:type="pagebreak" '
                f'aria-label="{esc(m.display)}"></span>'
            )
        spoken = f"{self.words[m.kind]} {m.display}"
        return (
            f'<span id="{ident}" class="pagebreak" role="doc-pagebreak" '
            f'aria-label="{esc(spoken)}">{esc(spoken)}</span>'
        )


MATHML_NS = "http://www.w3.org/1998/Math/MathML"
# The sanitiser's MathML elements (model.safe_markup), plus the two the writer may meet in MathML it made
# itself: one list, so the sanitiser and the writer cannot drift apart.
_MATHML_ELEMENTS = MATHML_ELEMENTS | {"maction", "annotation-xml"}


def mathml_fragment(mathml: str, alttext: str | None) -> str | None:
    """``mathml`` as a serialised ``<math>`` in the MathML namespace (block display, ``alttext``), or None.

    Returns None for text that is not well-formed XML or whose root is not ``math``; a missing
    namespace is added. Anything that is not a MathML element (a script), event handlers and links
    are refused.
    """
    from lxml import etree

    try:
        root = etree.fromstring(
            clean_text(mathml).strip().encode("utf-8"),
            parser=etree.XMLParser(resolve_entities=False, no_network=True),
        )
    except etree.XMLSyntaxError:
        return None
    if etree.QName(root).localname != "math":
        return None
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        qname = etree.QName(element)
        if (
            qname.namespace not in (None, MATHML_NS)
            or qname.localname not in _MATHML_ELEMENTS
            or any(a.lower().startswith("on") or "href" in a.lower() for a in element.attrib)
        ):
            return None

    def copy(source: etree._Element, parent: etree._Element | None) -> etree._Element:
        # Rebuilt with MathML as the default namespace, so the markup reads <math>, not <ns0:math>.
        tag = f"{{{MATHML_NS}}}{etree.QName(source).localname}"
        attrib = {k: v for k, v in source.attrib.items() if not k.startswith("{")}
        element = (
            etree.Element(tag, attrib, nsmap={None: MATHML_NS})
            if parent is None
            else etree.SubElement(parent, tag, attrib)
        )
        element.text, element.tail = source.text, source.tail if parent is not None else None
        for child in source:
            if isinstance(child.tag, str):
                copy(child, element)
        return element

    math = copy(root, None)
    math.set("display", "block")
    if alttext and alttext.strip() and not math.get("alttext"):
        math.set("alttext", clean_text(alttext).strip())
    return etree.tostring(math, encoding="unicode")


# -- what the output contains (metadata and summary) ----------------------------------------


def applied_adaptations(ctx_source: Document, profile: Profile) -> dict[str, list[Provenance]]:
    """Adaptations of ``ctx_source`` that the reader's view shows, by kind, with their provenance."""
    out: dict[str, list[Provenance]] = {}
    for block in ctx_source.blocks:
        for kind in profile.adaptation_kinds:
            adaptation = block.adaptation(kind)
            if adaptation is not None and adaptation.blocks:
                out.setdefault(kind, []).append(adaptation.provenance)
                break
        for kind in profile.parallel_kinds:  # shown beside the text (the parallel translation)
            adaptation = block.adaptation(kind)
            if adaptation is not None and adaptation.blocks:
                out.setdefault(kind, []).append(adaptation.provenance)
    return out


_ENGINE_WORDS = {
    "fr": {
        "offline": "le moteur hors ligne (règles)",
        "mistral": "un modèle de langue (Mistral)",
        "human": "une personne",
    },
    "en": {
        "offline": "the offline engine (rules)",
        "mistral": "a language model (Mistral)",
        "human": "a person",
    },
}

_KIND_WORDS = {
    "fr": {
        "easy_read": "la version facile à lire est un brouillon",
        "plain": "la version en langage clair est un brouillon",
        "translation": "la traduction est un brouillon",
    },
    "en": {
        "easy_read": "the easy-to-read version is a draft",
        "plain": "the plain-language version is a draft",
        "translation": "the translation is a draft",
    },
}
"""Adaptations named as "<what> (a draft) generated by <engine>"; the plural kinds are in :data:`_PLURAL_KINDS`."""

_PLURAL_KINDS = {
    "fr": {"summary": "Les résumés de section", "alt_text": "Certaines descriptions d'images"},
    "en": {"summary": "The section summaries", "alt_text": "Some image descriptions"},
}
"""Adaptations named in the plural ("Les résumés de section ont été générés par..."); a kind named in neither
table is "Some passages" (never its code, which is English: "Summary généré" was one)."""


def _provenance_sentence(kind: str, provenances: list[Provenance], lang: str) -> str:
    words = _ENGINE_WORDS[lang]
    engines = sorted({p.engine for p in provenances})
    engine_text = ", ".join(words.get(e, e) for e in engines)
    reviewed = all(p.reviewed_by for p in provenances)
    what = _KIND_WORDS[lang].get(kind)
    if lang == "fr":
        if what is None:
            subject = _PLURAL_KINDS["fr"].get(kind, "Certains passages")
            feminine = kind == "alt_text"
            done = "générées" if feminine else "générés"
            review = ("" if reviewed else "non ") + ("relues" if feminine else "relus")
            return f"{subject} ont été {done} par {engine_text}, {review} par une personne."
        review = "relu par une personne" if reviewed else "non relu par une personne"
        return f"{what[0].upper()}{what[1:]} généré par {engine_text}, {review}."
    review = "reviewed by a person" if reviewed else "not reviewed by a person"
    if what is None:
        subject = _PLURAL_KINDS["en"].get(kind, "Some passages")
        return f"{subject} were generated by {engine_text}, {review}."
    return f"{what[0].upper()}{what[1:]} generated by {engine_text}, {review}."


def provenance_sentences(
    adaptations: dict[str, list[Provenance]], images: ImageStats, lang: str
) -> list[str]:
    """Sentences saying which parts were generated, by what, and whether a person reviewed them."""
    lang = primary_lang(lang)
    out = [_provenance_sentence(kind, provs, lang) for kind, provs in sorted(adaptations.items())]
    if images.generated_alt:
        out.append(_provenance_sentence("alt_text", images.generated_alt, lang))
    return out


_SUMMARY: dict[str, dict[str, str]] = {
    "fr": {
        "made": "Publication {fmt} produite automatiquement par inclusio à partir du fichier « {filename} ».",
        "toc": "une table des matières, ",
        "offers": "Elle offre {toc}des titres hiérarchisés sans niveau sauté et un ordre de lecture qui suit le "
        "document source.",
        "images": "Images : {total} au total, dont {decorative} décorative(s) ; des {informative} qui portent "
        "une information, {source} décrite(s) par un texte de remplacement du fichier source et {generated} par "
        "une machine.",
        "from_caption": "{n} image(s) décrite(s) seulement par leur légende",
        "placeholder": "{n} image(s) sans description, signalée(s) « {marker} »",
        "not_available": "{n} image(s) non disponible(s)",
        "slides": "diapositives",
        "pages": "pages",
        "page_list": "La liste des pages renvoie aux {n} {unit} du document source.",
        "page_numbers": "Les numéros des {n} {unit} du document source sont indiqués dans le texte.",
        "mathml": "Les formules sont en MathML.",
        "glossary": "Un glossaire de {n} terme(s) est en fin d'ouvrage, relié aux mots du texte.",
        "read_along": "Chaque phrase est lue à voix haute (synthèse vocale) et mise en évidence pendant la lecture.",
        "gaps": "Limites connues : {gaps}.",
        "gap_sep": " ; ",
        "no_claim": "Aucune évaluation de conformité n'a encore été faite.",
    },
    "en": {
        "made": "{fmt} publication made automatically by inclusio from the file '{filename}'.",
        "toc": "a table of contents, ",
        "offers": "It offers {toc}headings in a hierarchy with no skipped level, and a reading order that follows "
        "the source document.",
        "images": "Images: {total} in all, {decorative} decorative; of the {informative} that carry information, "
        "{source} described by alternative text in the source file and {generated} by a machine.",
        "from_caption": "{n} image(s) described only by their caption",
        "placeholder": "{n} image(s) without description, marked '{marker}'",
        "not_available": "{n} image(s) not available",
        "slides": "slides",
        "pages": "pages",
        "page_list": "The page list links to the {n} {unit} of the source document.",
        "page_numbers": "The numbers of the source document's {n} {unit} are shown in the text.",
        "mathml": "Formulas are in MathML.",
        "glossary": "A glossary of {n} term(s) is at the end, linked from the words in the text.",
        "read_along": "Every sentence is read aloud (synthetic speech) and highlighted while it is read.",
        "gaps": "Known gaps: {gaps}.",
        "gap_sep": "; ",
        "no_claim": "No conformance evaluation has been made yet.",
    },
}


_REVIEW: dict[str, dict[str, str]] = {
    "fr": {
        "one": "Ce document contient 1 passage écrit par une machine",
        "many": "Ce document contient {n} passages écrits par une machine",
        "flagged_one": "{m} n'a pas encore été relu par une personne et il est signalé dans le texte.",
        "flagged_many": "{m} n'ont pas encore été relus par une personne et ils sont signalés dans le texte.",
        "all_one": "il a été relu par une personne.",
        "all_many": "tous ont été relus par une personne.",
        "some_one": "1 a été relu par une personne",
        "some_many": "{r} ont été relus par une personne",
        "others_one": "l'autre n'a pas été relu, mais la vérification automatique n'y a rien signalé.",
        "others_many": "les {o} autres n'ont pas été relus, mais la vérification automatique n'y a rien signalé.",
        "none": "il n'a pas été relu par une personne mais la vérification automatique n'y a rien signalé.",
        "none_many": "ils n'ont pas été relus par une personne mais la vérification automatique n'y a rien signalé.",
        "sep": " ; ",
        "confirmed": "Cette version a été publiée par l'équipe d'accompagnement en sachant que ces passages "
        "signalés n'étaient pas relus.",
        "confirmed_definitions": "Cette version a été publiée par l'équipe d'accompagnement en sachant que ces "
        "définitions signalées n'étaient pas relues.",
        "confirmed_both": "Cette version a été publiée par l'équipe d'accompagnement en sachant que ces passages "
        "et ces définitions signalés n'étaient pas relus.",
    },
    "en": {
        "one": "This document contains 1 machine-written passage",
        "many": "This document contains {n} machine-written passages",
        "flagged_one": "{m} has not been reviewed by a person yet and is marked in the text.",
        "flagged_many": "{m} have not been reviewed by a person yet and are marked in the text.",
        "all_one": "it has been reviewed by a person.",
        "all_many": "all have been reviewed by a person.",
        "some_one": "1 has been reviewed by a person",
        "some_many": "{r} have been reviewed by a person",
        "others_one": "the other one has not, but the automatic check flagged nothing in it.",
        "others_many": "the other {o} have not, but the automatic check flagged nothing in them.",
        "none": "it has not been reviewed by a person but the automatic check flagged nothing in it.",
        "none_many": "they have not been reviewed by a person but the automatic check flagged nothing in them.",
        "sep": "; ",
        "confirmed": "The support staff released this version knowing these flagged passages were not reviewed.",
        "confirmed_definitions": "The support staff released this version knowing these flagged definitions "
        "were not reviewed.",
        "confirmed_both": "The support staff released this version knowing these flagged passages and "
        "definitions were not reviewed.",
    },
}

_DEFINITIONS: dict[str, dict[str, str]] = {
    "fr": {
        "one": "Le glossaire contient 1 définition faite par une machine",
        "many": "Le glossaire contient {n} définitions faites par une machine",
        "flagged_one": "{m} n'a pas encore été relue par une personne et elle est signalée dans le glossaire.",
        "flagged_many": "{m} n'ont pas encore été relues par une personne et elles sont signalées dans le "
        "glossaire.",
        "all_one": "elle a été relue par une personne.",
        "all_many": "toutes ont été relues par une personne.",
        "some_one": "1 a été relue par une personne",
        "some_many": "{r} ont été relues par une personne",
        "others_one": "l'autre n'a pas été relue, mais la vérification automatique n'y a rien signalé.",
        "others_many": "les {o} autres n'ont pas été relues, mais la vérification automatique n'y a rien "
        "signalé.",
        "none": "elle n'a pas été relue par une personne mais la vérification automatique n'y a rien signalé.",
        "none_many": "elles n'ont pas été relues par une personne mais la vérification automatique n'y a rien "
        "signalé.",
        "sep": " ; ",
    },
    "en": {
        **_REVIEW["en"],
        "one": "The glossary contains 1 machine-made definition",
        "many": "The glossary contains {n} machine-made definitions",
        "flagged_one": "{m} has not been reviewed by a person yet and is marked in the glossary.",
        "flagged_many": "{m} have not been reviewed by a person yet and are marked in the glossary.",
    },
}
"""The sentence on the glossary's machine-made definitions (same counts and shape as the passages')."""


def _count_sentence(counts: dict[str, int], t: dict[str, str]) -> str | None:
    """One sentence of :func:`review_sentences`: how many a machine made, how many a person reviewed."""
    n, reviewed, flagged = counts.get("machine", 0), counts.get("reviewed", 0), counts.get("flagged", 0)
    if n <= 0:
        return None
    opening = t["one"] if n == 1 else t["many"].format(n=n)
    if flagged:
        rest = t["flagged_one" if flagged == 1 else "flagged_many"].format(m=flagged)
        if reviewed:  # partly reviewed: how many a person reviewed comes before what is left to review
            rest = t["some_one" if reviewed == 1 else "some_many"].format(r=reviewed) + t["sep"] + rest
    elif reviewed >= n:
        rest = t["all_one" if n == 1 else "all_many"]
    elif reviewed:
        others = n - reviewed
        rest = (
            t["some_one" if reviewed == 1 else "some_many"].format(r=reviewed)
            + t["sep"]
            + t["others_one" if others == 1 else "others_many"].format(o=others)
        )
    else:
        rest = t["none" if n == 1 else "none_many"]
    return f"{opening}{t['sep']}{rest}"


def review_sentences(
    passages: dict[str, int],
    lang: str,
    *,
    release_confirmed: bool = False,
    definitions: dict[str, int] | None = None,
) -> list[str]:
    """How many passages and glossary definitions a machine made and how many a person has not reviewed,
    in ``lang`` (fr or en).

    ``passages`` is :func:`inclusio.model.flags.machine_passages`, ``definitions``
    :func:`inclusio.model.flags.machine_definitions` (the student's glossary): ``machine``, ``reviewed``
    and ``flagged`` (flagged and not reviewed). A release staff confirmed with flagged ones unreviewed
    says so, naming passages, definitions or both. Nothing when a machine made nothing.
    """
    key = "fr" if primary_lang(lang) == "fr" else "en"
    definitions = definitions or {}
    out = [
        sentence
        for sentence in (
            _count_sentence(passages, _REVIEW[key]),
            _count_sentence(definitions, _DEFINITIONS[key]),
        )
        if sentence
    ]
    flagged = passages.get("flagged", 0) > 0, definitions.get("flagged", 0) > 0
    if release_confirmed and any(flagged):
        which = {(True, False): "confirmed", (False, True): "confirmed_definitions"}.get(
            flagged, "confirmed_both"
        )
        out.append(_REVIEW[key][which])
    return out


def accessibility_summary(
    doc: Document,
    *,
    images: ImageStats,
    pages: int,
    has_toc: bool,
    adaptations: dict[str, list[Provenance]],
    fmt: str = "EPUB",
    page_list: bool = True,
    read_along: bool = False,
    mathml: bool = False,
    glossary: int = 0,
    passages: dict[str, int] | None = None,
    release_confirmed: bool = False,
    definitions: dict[str, int] | None = None,
    image_count: ImageCount | None = None,
) -> str:
    """A human-readable summary of what the publication offers and lacks, in the document's language.

    ``image_count`` (:func:`inclusio.analysis.images.count_images` of the Document before the reader's view,
    adaptations included) gives the images' counts, the audit's and the report's; without it, the rendered
    images are counted.

    ``pages`` is the number of page markers rendered; ``page_list`` says whether they are
    reachable from a page list (EPUB) or only shown in the text (HTML). The phrases are in
    ``_SUMMARY`` (French, and English for every other language).
    """
    lang = "fr" if primary_lang(doc.lang) == "fr" else "en"
    t = _SUMMARY[lang]
    slides = bool(doc.page_markers()) and all(m.kind == "slide" for m in doc.page_markers())
    parts = [
        t["made"].format(fmt=fmt, filename=doc.source.filename),
        t["offers"].format(toc=t["toc"] if has_toc else ""),
    ]
    if images.shown or images.decorative or images.not_available:
        total = images.shown + images.decorative + images.not_available
        parts.append(
            t["images"].format(  # the counts of analysis.images.count_images, as the audit and the report
                total=image_count.total,
                decorative=image_count.decorative,
                informative=image_count.informative,
                source=image_count.source,
                generated=image_count.generated,
            )
            if image_count is not None
            else t["images"].format(
                total=total,
                decorative=images.decorative,
                informative=total - images.decorative,
                source=images.described - len(images.generated_alt),
                generated=len(images.generated_alt),
            )
        )
    gaps: list[str] = []
    if images.alt_from_caption:
        gaps.append(t["from_caption"].format(n=images.alt_from_caption))
    if images.placeholder:
        gaps.append(t["placeholder"].format(n=images.placeholder, marker=labels(lang)["no_alt"]))
    if images.not_available:
        gaps.append(t["not_available"].format(n=images.not_available))
    if pages:
        unit = t["slides"] if slides else t["pages"]
        parts.append(t["page_list" if page_list else "page_numbers"].format(n=pages, unit=unit))
    if mathml:
        parts.append(t["mathml"])
    if glossary:
        parts.append(t["glossary"].format(n=glossary))
    if read_along:
        parts.append(t["read_along"])
    parts += provenance_sentences(adaptations, images, lang)
    if passages or definitions:
        parts += review_sentences(
            passages or {}, lang, release_confirmed=release_confirmed, definitions=definitions
        )
    if gaps:
        parts.append(t["gaps"].format(gaps=t["gap_sep"].join(gaps)))
    parts.append(t["no_claim"])
    return " ".join(parts)


def document_title(doc: Document) -> str:
    """The title to show: the document's, else the source file name without extension."""
    if doc.title and doc.title.strip():
        return clean_text(doc.title).strip()
    stem = doc.source.filename.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return clean_text(stem).strip() or labels(doc.lang)["untitled"]
