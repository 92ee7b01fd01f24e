"""PDF -> Document, with PyMuPDF's text dictionary (blocks, lines, spans) and a few heuristics.

Layout model off, our own table reader on, on purpose
-----------------------------------------------------
``import pymupdf`` (2.0) turns on an ONNX layout model globally (``pymupdf._get_layout``):
``find_tables()`` gets ~4x slower and ``to_markdown()`` starts running Tesseract by itself.
We do not use the layout model: its licence (``pymupdf_layout``) is unconfirmed, it is slow on
the 2-core machines universities run this on, and the reading order, headings and formulas it
would give are done here with cheap rules that the golden files check. This module sets
``pymupdf._get_layout = None`` when it imports PyMuPDF (:func:`_pymupdf`, and in the OCR
workers); a test checks that the choice holds after conversion.

Tables are on by default (``INCLUSIO_PDF_TABLES``): tables are what course documents hold most
after text, and a table read as loose lines is unusable with a screen reader. They are read by
:func:`pdf_tables.ruled_grids`, a port of the "lines" strategy of PyMuPDF's table finder working
on the page's drawings (fetched once) and on our own text lines, at ~2 ms per page where
``page.find_tables()`` took 0.1-0.4 s (it builds a character list of the whole page and renders
pixmaps to guess headers); pages without ruling strokes are skipped first
(:func:`pdf_tables.has_ruling`), and false positives (one-column frames) are dropped
(:mod:`pdf_tables`). ``page.find_tables()`` is not called. Tables without rules are read from the
alignment of the lines no ruled table took (:func:`pdf_tables.unruled_tables`), and one that ends its page
goes on with the rows at the top of the next (:func:`pdf_tables.continued_rows`); a ruled table that ends
its page goes on with the next page's first ruled table of the same columns, nothing above it
(:func:`pdf_tables.page_tables`; a repeated header row read once). Terms beside their prose definitions
(a glossary in two columns) are a two-column table, terms as row headers (:func:`pdf_tables.term_lists`), and
so are three paragraphs or more in a row opening on a bold run-in term ("**Osmose** : ...",
:func:`pdf_tables.term_paragraphs`).

What is extracted
-----------------
* **Tagged PDFs** (Word, LibreOffice, InDesign, LaTeX tagpdf): when the structure tree is honest, the
  blocks come from it (:mod:`pdf_tags`: the author's reading order, headings, lists, tables with their
  header cells, figures with their ``/Alt``, formulas, notes, ``/Lang``) and the layout rules below are
  not run; ``source.converter`` (the job report's ``input.converter``) then ends with "structure from
  the PDF's tags". A tree that lies is reported (``pdf.tags_*``) and the layout rules are used.
* Two cheap passes over the pages (``get_text("dict")`` runs at ~500 pages/s): the first
  gathers statistics (body font size, lines repeated in the top/bottom band, images repeated
  on many pages, pages without text), the second builds blocks page by page. Pages are
  streamed: one page's dictionary at a time is in memory, never the document's (only the
  lines of OCRed pages are kept between the passes).
* Scanned pages (no text layer, an image over half the page) are recognised with Tesseract
  (French + English) through PyMuPDF, in parallel processes (:mod:`pdf_ocr`); a page that
  already has a text layer, an invisible OCR layer included, is never recognised again.
* Reading order: columns found from the gutters between lines, full-width elements read in
  place, columns never interleaved (:mod:`pdf_layout`).
* Headings: from the PDF outline (bookmarks) when it matches the page text (a slide's repeated title
  matches its bookmark "Titre (2)"; a title drawn as two blocks is completed from its bookmark); else from
  the font (body size = most common size by characters; the sizes of heading candidates larger than it
  ranked -> levels 1..3, below the document's title when one stands out; bold lines at body size one level
  below); section numbering ("2.3.1") sets the level (3) when there are no bookmarks. A short line above a
  bookmarked heading is its label ("Chapitre 1 : ...") unless set larger than it (a title); in a deck
  (landscape pages, one top-level bookmark each) a slide's heading is its title alone. Rules that keep
  headings real and single on any document (headings are text, no symbol glyph or ornament; overprinted
  lines read once; furniture repeated in place; the bookmark's spelling; one heading read twice is one; the
  title and its subtitle) are in :mod:`pdf_headings`.
* Paragraphs: lines joined, line-end hyphens repaired (:func:`pdf_text.join_lines`), split at
  first-line indents; monospaced runs -> ``role="code"``; a large initial letter (drop cap)
  is put back at the start of its word. A paragraph cut by a column or page break (it does not
  end a sentence and the next one starts in lower case) is joined into one; across a page
  break, the joined paragraph takes the place of its second part, so **the page marker stays
  before the paragraph** (navigating to a page lands at the start of the paragraph running
  onto it).
* Lists: lines starting with a bullet (``•``, ``–``, ``-``...) or a number (``1.``, ``a)``; after a
  paragraph line only when it ends on ":" or "?", "Et encore ?" / "1. Centrioles"), nested by indent; an
  item back up the page starts a new list (the next of several lists side by side).
* Tables: see above and :mod:`pdf_tables`.
* Figures: embedded images (too small ones skipped, those beyond ``max_image_pixels`` skipped
  and reported as ``image.too_large``); captions attached (:mod:`captions`).
* Formulas: display math kept as :class:`Formula` with its text and an image (:mod:`pdf_math`).
* Footnotes: small numbered text at the page bottom -> :class:`Note` ``kind="footnote"`` with
  its label, placed after the paragraph holding its superscript call (:mod:`pdf_notes`).
* Running headers/footers and page numbers removed; a :class:`PageMarker` opens each page.
* Language: per block when it differs from the document's (:func:`lang.assign_block_languages`).
* Rotated pages (``/Rotate``): text, drawings and images come unrotated from PyMuPDF, so pages are
  measured in those coordinates (:func:`page_box`), not with ``page.rect`` (the page as displayed).
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inclusio.converters import pdf_tags
from inclusio.converters.base import ConvertContext, file_sha256, useful_title
from inclusio.converters.captions import attach_captions
from inclusio.converters.lang import assign_block_languages, resolve_language
from inclusio.converters.pdf_headings import (
    HeadingCandidate,
    bookmark_text,
    drop_overprints,
    drop_repeated_headings,
    edge_places,
    furniture_places,
    is_heading_text,
    is_ornament,
    place_key,
    title_block,
    title_of,
)
from inclusio.converters.pdf_layout import Element, reading_order
from inclusio.converters.pdf_math import FORMULA_DPI, is_display_line
from inclusio.converters.pdf_notes import note_text, split_footnotes
from inclusio.converters.pdf_tables import (
    OpenRuled,
    OpenTable,
    continued_rows,
    page_tables,
    run_in_term,
    term_paragraphs,
    unruled_tables,
)
from inclusio.converters.pdf_text import (
    BULLET_CHARS,
    Line,
    join_lines,
    merge_markers,
    page_lines,
    runs,
    split_paragraphs,
)
from inclusio.errors import InputCorrupt, InputEncrypted, InputNoContent, InputTooLarge, ToolMissing
from inclusio.model import (
    BBox,
    Block,
    Document,
    DocumentBuilder,
    Figure,
    Formula,
    Heading,
    ListBlock,
    ListItem,
    Note,
    PageMarker,
    Paragraph,
    SourceInfo,
    SourceRef,
    Table,
)
from inclusio.pymupdf_setup import is_document_error
from inclusio.pymupdf_setup import load as load_pymupdf

if TYPE_CHECKING:
    import pymupdf as _pymupdf_module

__all__ = ["PdfConverter", "join_lines"]

BAND = 0.09
"""Top and bottom fraction of the page where running headers, footers and page numbers live."""
MIN_IMAGE_PX = 16
HEADING_RATIO = 1.15
"""A line is heading-sized when its font is at least this much larger than the body font."""
MAX_HEADING_CHARS = 200
OCR_HEADING_RATIO = 1.8
LABEL_RATIO = 1.1
"""A short line before a bookmarked heading is its label ("Chapitre 1") only when at most this much larger."""
MIN_CONTINUED_CHARS = 50

_BULLET = re.compile(rf"^\s*([{BULLET_CHARS}])\s*(\S.*)$")
_NUMBERED = re.compile(r"^\s*(\d{1,3}[.)]|[a-z]\)|\(\w{1,3}\))\s+(\S.*)$")
_PAGE_NUMBER = re.compile(
    r"^\W*(?:page|p\.)?\s*(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:/|of|sur|de)\s*\d{1,4})?\W*$", re.IGNORECASE
)
_DUPLICATE_MARK = re.compile(r"\s\(\d{1,3}\)$")
_SECTION_NUMBER = re.compile(
    r"^(?:(?:chapitre|chapter|partie|part)(?:\s+\w+)?\s*[:.–—-]?\s+)?"
    r"(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.|[A-Z]\.)?\s*",
    re.IGNORECASE,
)
_NUMBERING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,5})\.?\s+[^\W\d_]")
_DIGITS = re.compile(r"\d+")
_QUOTES = re.compile("[\"“”„«»‘‚]|(?<!\\w)'|'(?!\\w)")
"""Quotation marks, which a heading and its bookmark write differently ('"Real" space glyphs', “Real”)."""
_APPENDIX = re.compile(r"^[A-Z]\s+(?=\S)")
_SENTENCE_END = (".", "!", "?", ":", ";", "»", "”", '"', ")")


def _pymupdf() -> _pymupdf_module:
    """PyMuPDF without its layout model (:func:`inclusio.pymupdf_setup.load`)."""
    return load_pymupdf()


def page_box(page: Any) -> Any:
    """The page's rectangle in the coordinates of its text, drawings and images.

    PyMuPDF gives those unrotated, while ``page.rect`` is the page as displayed: on a page turned by a
    quarter (``/Rotate 90``) its width and height are swapped. Render clips go the other way
    (``rect * page.rotation_matrix``).
    """
    return page.rect * page.derotation_matrix


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _running_key(text: str) -> str:
    """Key under which repeated header/footer lines compare equal (page numbers vary)."""
    return _DIGITS.sub("#", _norm(text))


def _heading_key(text: str) -> str:
    """Key under which a bookmark title and a heading line compare equal (numbering ignored, and the
    " (2)" a presentation program adds to the bookmark of a slide whose title an earlier slide has)."""
    text = _norm(_QUOTES.sub("", text.replace("’", "'")))
    text = _SECTION_NUMBER.sub("", text, count=1)
    text = _DUPLICATE_MARK.sub("", text)
    return text.strip(" .:;—–-")


def numbering_level(text: str) -> int | None:
    """Heading level given by section numbering: "2" -> 1, "2.3" -> 2, "2.3.1 Titre" -> 3; None without."""
    match = _NUMBERING.match(text)
    return min(6, match.group(1).count(".") + 1) if match else None


def _toc_entry(text: str, toc: list[tuple[int, str]]) -> tuple[int, str] | None:
    """The bookmark (level, title) of ``toc`` whose title is ``text`` (numbering ignored), removed from ``toc``."""
    key = _heading_key(text)
    for entry in toc:
        if _heading_key(entry[1]) == key:
            toc.remove(entry)
            return entry
    if _APPENDIX.match(
        text
    ):  # "A Some remarks about the PDF syntax": an appendix's letter, its bookmark without it
        return _toc_entry(_APPENDIX.sub("", text), toc)
    return None


def _starts_bookmark(text: str, toc: list[tuple[int, str]]) -> bool:
    """``text`` is the first words of a bookmark title of ``toc`` (a heading drawn as two blocks: a slide
    title broken over two lines, "Schéma d'une cellule" / "animale")."""
    key = _heading_key(text)
    return len(key) >= 3 and any(_heading_key(title).startswith(key + " ") for _, title in toc)


def _toc_match(text: str, toc: list[tuple[int, str]]) -> int | None:
    """The level of the bookmark of ``toc`` whose title is ``text`` (numbering ignored), removed from ``toc``."""
    entry = _toc_entry(text, toc)
    return entry[0] if entry else None


def _in_band(line: Line, height: float) -> bool:
    return line.bbox[3] <= height * BAND or line.bbox[1] >= height * (1 - BAND)


def _union(boxes: list[tuple[float, float, float, float]]) -> BBox:
    return BBox(
        x0=min(b[0] for b in boxes),
        y0=min(b[1] for b in boxes),
        x1=max(b[2] for b in boxes),
        y1=max(b[3] for b in boxes),
    )


def code_text(lines: list[Line]) -> str:
    """Monospace lines as code: each line's indentation rebuilt from its x offset (in character widths).

    A monospace character is 0.6 em wide in Courier, DejaVu Sans Mono, Consolas and most others; the
    leftmost line of the run is column 0. Leading spaces the text layer already holds are kept (the
    line's box starts at them). Pieces on the same baseline are one line; a vertical gap is a blank line.
    """
    left = min(line.bbox[0] for line in lines)
    out: list[str] = []
    for index, line in enumerate(lines):
        width = 0.6 * (line.size or 10.0)
        columns = max(0, round((line.bbox[0] - left) / width)) if width > 0 else 0
        height = max(1.0, line.height)
        previous = lines[index - 1] if index else None
        if previous is not None and abs(line.bbox[1] - previous.bbox[1]) < 0.5 * height:
            out[-1] += " " * max(1, columns - len(out[-1])) + line.text.strip()
            continue
        if previous is not None and line.bbox[1] - previous.bbox[3] > 0.8 * height:
            out.append("")  # a blank line of the listing
        out.append(" " * columns + line.text.rstrip())
    return "\n".join(out)


def _bbox_tuple(bbox: BBox | None) -> tuple[float, float, float, float]:
    if bbox is None:
        return (0.0, 0.0, 0.0, 0.0)
    return (bbox.x0, bbox.y0, bbox.x1, bbox.y1)


# -- pass 1: statistics -------------------------------------------------------------------------


@dataclass
class _Stats:
    sizes: Counter[float] = field(default_factory=Counter)
    running: Counter[str] = field(default_factory=Counter)
    places: Counter[tuple[str, int]] = field(default_factory=Counter)
    """Text and height of the lines at each page's top and bottom edge (:func:`pdf_headings.edge_places`)."""
    image_pages: Counter[int] = field(default_factory=Counter)
    text_pages: int = 0
    scanned: set[int] = field(default_factory=set)
    unreadable: set[int] = field(default_factory=set)
    unreadable_reason: str = ""
    """MuPDF's message for the first page that could not be read (a cycle in the page tree...)."""
    toc_hits: int = 0
    sample: list[str] = field(default_factory=list)
    sample_chars: int = 0
    line_blocks: int = 0
    """Text blocks holding one line (OCR layers write one block per line)."""
    blocks: int = 0
    candidates: list[HeadingCandidate] = field(default_factory=list)
    """Short runs of lines that may be headings, with their page, size and box (:func:`pdf_headings.title_of`)."""
    first_text_page: int | None = None

    def account(self, lines: list[Line], height: float) -> int:
        """Add a page's lines to the statistics; returns its number of characters."""
        chars = 0
        band_keys: set[str] = set()
        per_block: Counter[int] = Counter()
        for line in lines:
            n = len(line.text.strip())
            chars += n
            self.sizes[line.size] += n
            per_block[line.block] += 1
            if _in_band(line, height):
                band_keys.add(_running_key(line.text))
            if self.sample_chars < 100_000:
                self.sample.append(line.text)
                self.sample_chars += n
        self.running.update(band_keys)
        self.places.update(edge_places(lines))
        self.blocks += len(per_block)
        self.line_blocks += sum(1 for n in per_block.values() if n == 1)
        if chars >= 10:
            self.text_pages += 1
        return chars

    def add_candidates(self, pno: int, lines: list[Line]) -> None:
        """Record the page's heading candidates: runs of at most three lines of heading text."""
        if self.first_text_page is None and sum(len(line.text.strip()) for line in lines) >= 10:
            self.first_text_page = pno
        for run in runs(lines):
            if len(run) > 3 or run[0].mono:
                continue
            text = join_lines([line.text for line in run])
            if len(text) <= MAX_HEADING_CHARS and is_heading_text(text):
                self.candidates.append(
                    HeadingCandidate(pno, run[0].size, _bbox_tuple(_union([ln.bbox for ln in run])))
                )


def _page_dict(page: Any, pymupdf: Any) -> dict[str, Any]:
    flags = pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_PRESERVE_IMAGES
    return page.get_text("dict", flags=flags)


def _collect(
    doc: Any, pymupdf: Any, toc_by_page: dict[int, list[tuple[int, str]]], ctx: ConvertContext
) -> _Stats:
    stats = _Stats()
    count = doc.page_count
    for pno in range(count):
        ctx.progress(0.2 * pno / count, f"page {pno + 1}/{count} (analyse)")
        try:
            page = doc.load_page(pno)
            lines = page_lines(_page_dict(page, pymupdf))
            images = page.get_image_info(xrefs=True)
        except Exception as exc:  # a damaged page: reported in pass 2, the others go on
            stats.unreadable.add(pno)
            stats.unreadable_reason = stats.unreadable_reason or f"page {pno + 1}: {exc}"
            continue
        box = page_box(page)
        chars = stats.account(lines, box.height)
        stats.add_candidates(pno, lines)
        stats.image_pages.update({info["xref"] for info in images if info.get("xref")})
        if chars < 10 and images:
            area = abs(box)
            covered = sum(abs(pymupdf.Rect(info["bbox"]) & box) for info in images)
            if area and covered / area >= 0.5:
                stats.scanned.add(pno)
        if pno + 1 in toc_by_page:
            keys = _candidate_keys(lines)
            stats.toc_hits += sum(1 for _, title in toc_by_page[pno + 1] if _heading_key(title) in keys)
    return stats


def _candidate_keys(lines: list[Line]) -> set[str]:
    """Heading keys of every block's short line runs on a page (for bookmark matching)."""
    keys: set[str] = set()
    for run in runs(lines):
        text = join_lines([line.text for line in run])
        if len(text) <= MAX_HEADING_CHARS:
            keys.add(_heading_key(text))
    return keys


def _merge_drop_caps(lines: list[Line], body_size: float) -> list[Line]:
    """Put a drop cap (one large capital beside the first lines) back at the start of its word: the
    topmost line beside it, when that line starts in lower case (a glyph beside a line starting a word, a
    Symbol "S" opening a tip, is not a drop cap)."""
    out = list(lines)
    for cap in [
        ln
        for ln in lines
        if len(ln.text.strip()) == 1 and ln.text.strip().isupper() and ln.size >= 2 * body_size
    ]:
        beside = [
            ln
            for ln in out
            if ln is not cap
            and 0 <= ln.bbox[0] - cap.bbox[2] <= 3 * body_size
            and cap.bbox[1] - body_size <= ln.bbox[1] <= cap.bbox[3]
        ]
        first = min(beside, key=lambda ln: ln.bbox[1]) if beside else None
        if first is not None and first.text[:1].islower():
            first.text = cap.text.strip() + first.text
            out.remove(cap)
    return out


@dataclass
class _FlushState:
    """What :meth:`_Conversion._flush` carries from one run of lines to the next (one column)."""

    pno: int
    out: list[Block] = field(default_factory=list)
    pending_prefix: tuple[str, list[Line]] | None = None
    list_stack: list[tuple[float, ListBlock]] = field(default_factory=list)
    list_box: list[tuple[float, float, float, float]] = field(default_factory=list)
    current_item: ListItem | None = None
    current_block: int | None = None
    last_heading_size: float | None = None

    def close_list(self) -> None:
        """End the open list (if any): it becomes one block of ``out``."""
        if self.list_stack:
            root = self.list_stack[0][1]
            root.source = SourceRef(page=self.pno + 1, bbox=_union(self.list_box))
            self.out.append(root)
        self.list_stack, self.list_box, self.current_item = [], [], None


# -- the converter ------------------------------------------------------------------------------


class PdfConverter:
    """PDF files (any producer); scanned pages are recognised with Tesseract."""

    name = "pdf"
    media_types = ("application/pdf",)
    suffixes = (".pdf",)
    label = "PDF"

    def sniff(self, path: Path, head: bytes) -> bool:
        """True when the header ``%PDF-`` is in the first kilobyte (the spec tolerates junk before it)."""
        return b"%PDF-" in head[:1024]

    def convert(self, path: Path, ctx: ConvertContext) -> Document:
        """Convert a PDF; see the module docstring. Raises ``input.corrupt``, ``input.encrypted``,
        ``input.too_large`` or ``input.no_content``, and ``system.tool_missing`` when a scan needs
        Tesseract and it is not installed.

        MuPDF refusing the structure anywhere in the document (a page tree whose ``/Kids`` loop back
        to an ancestor: ``page_count`` raises "Invalid number of pages") is ``input.corrupt``
        (:func:`~inclusio.pymupdf_setup.is_document_error`); a page it refuses alone is skipped and
        reported, and a document none of whose pages can be read is ``input.corrupt``."""
        pymupdf = _pymupdf()
        try:
            doc = pymupdf.open(Path(path), filetype="pdf")
        except Exception as exc:  # MuPDF raises several types for unreadable files
            raise InputCorrupt(details={"reason": str(exc)}) from exc
        with doc:
            try:
                return _Conversion(doc, pymupdf, Path(path), ctx).run()
            except Exception as exc:
                if not is_document_error(exc):
                    raise
                raise InputCorrupt(details={"reason": f"{type(exc).__name__}: {exc}"}) from exc


class _Conversion:
    def __init__(self, doc: Any, pymupdf: Any, path: Path, ctx: ConvertContext) -> None:
        self.doc = doc
        self.pymupdf = pymupdf
        self.path = path
        self.ctx = ctx
        self.builder = DocumentBuilder()
        self.ocr_lines: dict[int, list[Line]] = {}
        self.calls: dict[str, set[str]] = {}
        """Superscript labels found in each paragraph (footnote calls), by block id."""
        self.bookmarked: set[str] = set()
        """Ids of the headings a bookmark matched."""
        self.seen_marks: set[str] = set()
        """Heading keys of the bookmarks of the pages read so far (:meth:`_drop_furniture`)."""
        self.bookmark: str | None = None
        """The bookmark title :meth:`_heading_level` matched last (None when it did not)."""
        self.open_table: OpenTable | None = None
        """The unruled table that ended the page before with no text under it (it may go on)."""
        self.open_ruled: OpenRuled | None = None
        """The ruled table that ended the page before with nothing under it (it may go on)."""
        self.run_in: dict[str, tuple[str, str]] = {}
        """Paragraphs opening on a bold run-in term ("Osmose : passage de l'eau..."): (term, definition) by id."""
        self.partial: dict[int, int | None] = {}
        """Runs (by their first line) held as the first words of a bookmarked heading (:func:`_starts_bookmark`),
        with the level they have when the next run does not complete it (None: text)."""

    # -- checks ---------------------------------------------------------------------------------

    def _open_checks(self) -> None:
        doc = self.doc
        if doc.needs_pass:
            if not doc.authenticate(""):
                raise InputEncrypted()
            self.builder.issue("input.encrypted_empty_password")
        elif (doc.metadata or {}).get("encryption"):
            self.builder.issue("input.encrypted_empty_password")
        if doc.page_count == 0:
            raise InputCorrupt(details={"reason": "no readable page (truncated or damaged file)"})
        if doc.page_count > self.ctx.max_pages:
            raise InputTooLarge(details={"pages": doc.page_count, "limit": self.ctx.max_pages})
        if doc.is_repaired:
            self.builder.issue("input.repaired")

    def _is_deck(self, toc_by_page: dict[int, list[tuple[int, str]]]) -> bool:
        """Slides exported to PDF: at least three landscape pages, each with one bookmark at the top level
        (the slide's title, as a presentation program writes them)."""
        doc = self.doc
        if doc.page_count < 3 or len(toc_by_page) != doc.page_count:
            return False
        if not all(len(entries) == 1 and entries[0][0] == 1 for entries in toc_by_page.values()):
            return False
        try:
            box = page_box(doc.load_page(0))
        except Exception:
            return False
        return box.width > box.height

    def _toc(self) -> dict[int, list[tuple[int, str]]]:
        by_page: dict[int, list[tuple[int, str]]] = {}
        try:
            toc = self.doc.get_toc(simple=True)
        except Exception:
            return by_page
        for level, title, page in toc:
            title = " ".join(str(title).split())
            # Bookmarks to figures and tables are navigation aids, not section headings.
            if page < 1 or not title or re.match(r"(?i)^(fig(ure)?|table|tableau)\b", title):
                continue
            by_page.setdefault(page, []).append((max(1, min(6, level)), title))
        return by_page

    # -- OCR ------------------------------------------------------------------------------------

    def _ocr(self, stats: _Stats) -> None:
        """Recognise the scanned pages (in parallel) and add their lines to the statistics."""
        from inclusio.converters.pdf_ocr import OcrUnavailable, ocr_pages

        pages = sorted(stats.scanned)
        failures: list[Exception] = []

        def progress(done: int, total: int) -> None:
            self.ctx.progress(0.2 + 0.4 * done / total, f"OCR {done}/{total}")

        for pno, result in ocr_pages(self.path, pages, progress=progress):
            ref = SourceRef(page=pno + 1)
            if isinstance(result, Exception):
                failures.append(result)
                self.builder.issue("pdf.ocr_failed", page=pno + 1, reason=result, source=ref)
                continue
            lines = page_lines(result, ocr=True)
            self.ocr_lines[pno] = lines
            height = page_box(self.doc.load_page(pno)).height
            stats.account(lines, height)
            stats.add_candidates(pno, lines)
            self.builder.issue("pdf.scanned_page", page=pno + 1, source=ref)
        if (
            failures
            and len(failures) == len(pages)
            and stats.text_pages == 0
            and any(isinstance(f, OcrUnavailable) for f in failures)
        ):
            raise ToolMissing(
                "The document is a scan and OCR is not available. Install Tesseract with its French and English "
                "data (Debian packages tesseract-ocr, tesseract-ocr-fra, tesseract-ocr-eng) and convert again.",
                message_fr=(
                    "Le document est un scan et l'OCR n'est pas disponible. Installez Tesseract avec ses "
                    "données française et anglaise (paquets Debian tesseract-ocr, tesseract-ocr-fra, "
                    "tesseract-ocr-eng), puis relancez la conversion."
                ),
                details={"reason": str(failures[0])},
            )

    # -- main -----------------------------------------------------------------------------------

    def run(self) -> Document:
        self._open_checks()
        doc, ctx = self.doc, self.ctx
        toc_by_page = self._toc()
        stats = _collect(doc, self.pymupdf, toc_by_page, ctx)
        if stats.scanned:
            self._ocr(stats)
        if stats.text_pages == 0 and not stats.image_pages:
            if len(stats.unreadable) == doc.page_count:  # e.g. every page's /Parent chain loops
                raise InputCorrupt(details={"reason": f"no page could be read ({stats.unreadable_reason})"})
            raise InputNoContent()
        toc_entries = sum(len(v) for v in toc_by_page.values())
        self.use_toc = toc_entries >= 3 and stats.toc_hits >= 0.5 * toc_entries
        self.toc_by_page = toc_by_page
        self.body_size = stats.sizes.most_common(1)[0][0] if stats.sizes else 10.0
        # A title page is a typographic reading: not with bookmarks (they hold the outline) nor OCR sizes.
        self.title = (
            None
            if self.use_toc or stats.scanned
            else title_of(stats.candidates, stats.first_text_page, self.body_size)
        )
        self.title_block = title_block(stats.candidates, self.title)
        self.size_levels = self._size_levels(stats.sizes, {c.size for c in stats.candidates})
        threshold = max(2, round(0.3 * doc.page_count)) if doc.page_count >= 3 else doc.page_count + 1
        self.running = {key for key, n in stats.running.items() if n >= threshold}
        self.furniture = furniture_places(stats.places.items(), doc.page_count)
        self.toc_depth = max((lvl for entries in toc_by_page.values() for lvl, _ in entries), default=0)
        self.first_toc_page = min(toc_by_page, default=0)
        self.deck = self._is_deck(toc_by_page)
        self.running_images = {xref for xref, n in stats.image_pages.items() if n >= threshold}
        self.line_per_block = stats.blocks >= 5 and stats.line_blocks >= 0.8 * stats.blocks
        self.stats = stats

        start = 0.6 if stats.scanned else 0.2
        # A tagged PDF's own structure, when its tree is honest (pdf_tags); else the layout analysis.
        self.tagged = not stats.scanned and pdf_tags.build(self)
        for pno in range(0 if not self.tagged else doc.page_count, doc.page_count):
            ctx.progress(start + (1 - start) * pno / doc.page_count, f"page {pno + 1}/{doc.page_count}")
            try:
                self._page(pno)
            except Exception as exc:  # MuPDF refused something on this page only (drawings, images)
                if not is_document_error(exc):
                    raise
                self.builder.issue(
                    "pdf.page_unreadable",
                    page=pno + 1,
                    reason=f" ({exc})",
                    source=SourceRef(page=pno + 1),
                )
        ctx.progress(1.0, "done")

        text = "\n".join(stats.sample)
        declared = (doc.language or "").strip() if hasattr(doc, "language") else ""
        lang = self._language(declared, text)
        blocks = join_continued(attach_captions(drop_repeated_headings(self.builder.blocks, self.bookmarked)))
        if self.ctx.pdf_tables:
            blocks = term_paragraphs(blocks, self.run_in, self.builder.new_id)
        if self.tagged:
            pdf_tags.drop_document_lang(blocks, lang)
        assign_block_languages(blocks, lang)
        metadata = doc.metadata or {}
        headings = [b for b in blocks if isinstance(b, Heading)]
        title = useful_title(metadata.get("title"), ctx.filename) or (headings[0].text if headings else None)
        authors = [a.strip() for a in re.split(r"[;,]| and | et ", metadata.get("author") or "") if a.strip()]
        return Document(
            title=title or Path(ctx.filename).stem,
            lang=lang,
            authors=authors,
            source=SourceInfo(
                filename=ctx.filename,
                media_type="application/pdf",
                sha256=file_sha256(self.path),
                pages=doc.page_count,
                converter=f"inclusio.pdf (PyMuPDF {self.pymupdf.__version__}"
                + (", structure from the PDF's tags)" if self.tagged else ")"),
            ),
            blocks=blocks,
            resources=self.builder.resources,
            issues=self.builder.issues,
        )

    def _language(self, declared: str, text: str) -> str:
        lang, mismatch = resolve_language(declared, text)
        if mismatch:
            self.builder.issue("lang.declared_mismatch", declared=mismatch, used=lang)
        return lang

    def _size_levels(self, sizes: Counter[float], candidates: set[float]) -> dict[float, int]:
        """Font sizes of heading candidates clearly larger than the body, largest first -> heading levels 1..3
        (close sizes share one). A size no candidate has (a drop cap, a symbol glyph) takes no rank. The
        document's title (:func:`pdf_headings.title_of`) is level 1 and the ranks start again below it: the
        title and the first level of sections are both level 1, as a word processor's tags have them."""
        body_chars = sizes.get(self.body_size, 0)
        larger = sorted(
            (
                s
                for s, n in sizes.items()
                if s >= self.body_size * HEADING_RATIO and n < 0.2 * max(body_chars, 1) and s in candidates
            ),
            reverse=True,
        )
        levels: dict[float, int] = {}
        if self.title is not None:
            levels[self.title.size] = 1
            larger = [s for s in larger if s != self.title.size]
        rank, previous = 0, None
        for size in larger:
            # Sizes within 10% of each other are one level (OCR estimates, 14 vs 14.5 pt).
            if previous is None or size < previous / 1.1:
                rank += 1
                previous = size
            levels[size] = min(rank, 3)
        return levels

    # -- one page -------------------------------------------------------------------------------

    def _page(self, pno: int) -> None:
        b = self.builder
        page_ref = SourceRef(page=pno + 1)
        try:
            page = self.doc.load_page(pno)
            label = page.get_label() or None
        except Exception:
            page, label = None, None
        marker = b.add(
            PageMarker(
                id=b.new_id(), number=pno + 1, label=label if label != str(pno + 1) else None, source=page_ref
            )
        )
        if page is None or pno in self.stats.unreadable:
            # The page's marker stands in for it: the issue points at it, the other pages go on.
            b.issue("pdf.page_unreadable", page=pno + 1, reason="", source=page_ref, block_id=marker.id)
            self._close_tables()
            return
        ocr = pno in self.ocr_lines
        # Bookmarks of this page, consumed as headings match them (across the page's columns).
        self.page_toc = list(self.toc_by_page.get(pno + 1, ())) if self.use_toc else []
        self.page_no = pno + 1
        try:
            lines = self.ocr_lines.pop(pno) if ocr else page_lines(_page_dict(page, self.pymupdf))
        except Exception:
            b.issue("pdf.page_unreadable", page=pno + 1, reason="", source=page_ref, block_id=marker.id)
            self._close_tables()
            return
        height = page_box(page).height
        lines = [
            ln
            for ln in lines
            if not (
                _in_band(ln, height)
                and (_running_key(ln.text) in self.running or _PAGE_NUMBER.match(ln.text))
            )
        ]
        lines = _merge_drop_caps(
            self._drop_furniture(merge_markers(drop_overprints(lines)), height), self.body_size
        )
        tables, free = self._tables(page, pno, lines, height, ocr, page_ref)
        free, footnotes = split_footnotes(free, height, self.body_size)
        elements = [Element(bbox=line.bbox, payload=line, text=line.text, block=line.block) for line in free]
        elements += [
            Element(bbox=_bbox_tuple(t.source.bbox if t.source else None), payload=t) for t, _ in tables
        ]
        elements += [
            Element(bbox=_bbox_tuple(f.source.bbox if f.source else None), payload=f)
            for f in self._figures(page, pno, text_lines=free)
        ]
        page_blocks: list[Block] = []
        flow: list[Line] = []
        current = -1
        for element in reading_order(elements):
            if element.text is None or element.flow != current:
                page_blocks.extend(self._flow(flow, pno, page, geometric=ocr or self.line_per_block))
                flow = []
                current = element.flow
            if element.text is None:
                page_blocks.append(element.payload)
            else:
                flow.append(element.payload)
        page_blocks.extend(self._flow(flow, pno, page, geometric=ocr or self.line_per_block))
        for note in footnotes:
            block = Note(
                id=b.new_id(),
                kind="footnote",
                label=note.label,
                text=note_text(note, join_lines),
                source=SourceRef(page=pno + 1, bbox=_union([ln.bbox for ln in note.lines])),
            )
            caller = next(
                (i for i, blk in enumerate(page_blocks) if note.label in self.calls.get(blk.id, ())), None
            )
            if caller is None:
                page_blocks.append(block)
            else:
                page_blocks.insert(caller + 1, block)
        for block in page_blocks:
            b.add(block)

    def _close_tables(self) -> None:
        """A page that cannot be read ends the tables left open by the page before: what the next page's top
        holds is not known to follow them (their rows would be joined across a gap, under the page before)."""
        self.open_ruled = None
        self.open_table = None

    def _tables(
        self, page: Any, pno: int, lines: list[Line], height: float, ocr: bool, page_ref: SourceRef
    ) -> tuple[list[tuple[Table, list[Line]]], list[Line]]:
        """The page's tables (ruled, the first one perhaps going on with the previous page's last; then the
        rows going on from the previous page's unruled table, then unruled ones) with the lines each took,
        and the lines left free."""
        tables: list[tuple[Table, list[Line]]] = []
        went_on: list[Line] = []
        going_on, self.open_ruled = self.open_ruled, None
        if self.ctx.pdf_tables and not ocr:
            tables, went_on, self.open_ruled = page_tables(
                page,
                pno,
                lines,
                self.builder.new_id,
                lambda code, **fields: self.builder.issue(code, source=page_ref, **fields),
                going_on,
            )
        consumed = {id(line) for _, members in tables for line in members} | {id(ln) for ln in went_on}
        free = [line for line in lines if id(line) not in consumed]
        open_table, self.open_table = self.open_table, None
        if self.ctx.pdf_tables and not ocr:
            # Only above the page's ruled tables: the rows that go on with it come first on the page.
            top = min(
                (_bbox_tuple(t.source.bbox if t.source else None)[1] for t, _ in tables), default=height
            )
            above = [line for line in free if line.bbox[3] <= top]
            went_on = self._continued(above, open_table, pno, page_ref) if open_table else []
            consumed = {id(line) for line in went_on}
            free = [line for line in free if id(line) not in consumed]
            unruled = self._unruled_tables(free, pno, page_ref)
            consumed = {id(line) for _, members in unruled for line in members}
            free = [line for line in free if id(line) not in consumed]
            tables += unruled
            if (
                went_on
                and not unruled
                and not any(ln.bbox[1] > max(g.bbox[3] for g in went_on) for ln in free)
            ):
                self.open_table = open_table  # the whole page went on with it: it may go on again
        return tables, free

    def _continued(
        self, lines: list[Line], open_table: OpenTable, pno: int, page_ref: SourceRef
    ) -> list[Line]:
        """The lines at the top of the page that go on with the page before's unruled table
        (:func:`pdf_tables.continued_rows`, which appends them to it); a failure is reported."""
        try:
            return continued_rows(lines, open_table)
        except Exception as exc:
            self.builder.issue(
                "pdf.table_failed", page=pno + 1, reason=f"detection failed ({exc})", source=page_ref
            )
            return []

    def _unruled_tables(
        self, lines: list[Line], pno: int, page_ref: SourceRef
    ) -> list[tuple[Table, list[Line]]]:
        """Tables drawn without rules (:func:`pdf_tables.unruled_tables`); a failure is reported, the page goes on."""
        try:
            found, self.open_table = unruled_tables(lines, pno, self.builder.new_id)
        except Exception as exc:
            self.builder.issue(
                "pdf.table_failed", page=pno + 1, reason=f"detection failed ({exc})", source=page_ref
            )
            return []
        return found

    def _drop_furniture(self, lines: list[Line], height: float) -> list[Line]:
        """The lines without running heads and feet: text repeated in place on many pages, even out of the
        bands (:func:`pdf_headings.furniture_places`; a line that a bookmark of the page names stays), and a
        line in the top band that repeats a heading of the page or a bookmark of an earlier page (the
        section's title as running head)."""
        headings = {
            _heading_key(ln.text)
            for ln in lines
            if not _in_band(ln, height) and ln.size >= HEADING_RATIO * self.body_size
        }
        marks = {_heading_key(title) for _, title in self.page_toc}
        earlier = self.seen_marks - marks
        self.seen_marks |= marks  # the next pages' running heads may repeat these
        return [
            ln
            for ln in lines
            if not (
                (self.furniture and place_key(ln) in self.furniture and _heading_key(ln.text) not in marks)
                or (
                    ln.bbox[3] <= height * BAND
                    and len(ln.text) >= 8
                    and (_heading_key(ln.text) in headings or _heading_key(ln.text) in earlier)
                )
            )
        ]

    # -- text -----------------------------------------------------------------------------------

    def _flow(self, lines: list[Line], pno: int, page: Any, *, geometric: bool) -> list[Block]:
        """Blocks for the lines of one column: display formulas cut out, the rest through :meth:`_flush`."""
        out: list[Block] = []
        chunk: list[Line] = []
        group: list[Line] = []

        def close_group() -> None:
            nonlocal group, chunk
            if not group:
                return
            text = "".join("".join(line.text.split()) for line in group)
            if (
                any(line.strong_math for line in group)
                and not any(line.mono for line in group)
                and len(text) >= 3
            ):
                out.extend(self._flush(chunk, pno, geometric=geometric))
                chunk = []
                out.append(self._formula(group, pno, page))
            else:
                chunk.extend(group)
            group = []

        for line in lines:
            display = is_display_line(line.text, line.math)
            if (
                display
                and group
                and line.bbox[1] - max(ln.bbox[3] for ln in group) > 1.5 * max(line.height, 1)
            ):
                close_group()
            if display:
                group.append(line)
            else:
                close_group()
                chunk.append(line)
        close_group()
        out.extend(self._flush(chunk, pno, geometric=geometric))
        return out

    def _formula(self, lines: list[Line], pno: int, page: Any) -> Formula:
        """A display formula: its text as found and an image of its region (see :mod:`pdf_math`)."""
        bbox = _union([ln.bbox for ln in lines])
        formula = Formula(
            id=self.builder.new_id(),
            text=" ".join(ln.text for ln in lines),
            source=SourceRef(page=pno + 1, bbox=bbox),
        )
        try:
            rect = self.pymupdf.Rect(bbox.x0 - 2, bbox.y0 - 2, bbox.x1 + 2, bbox.y1 + 2) & page_box(page)
            png = page.get_pixmap(clip=rect * page.rotation_matrix, dpi=FORMULA_DPI).tobytes("png")
            formula.image = self.builder.add_resource(png, "image/png")
        except Exception as exc:
            self.builder.issue(
                "pdf.formula_image",
                page=pno + 1,
                reason=exc,
                source=formula.source,
            )
        return formula

    def _flush(self, lines: list[Line], pno: int, *, geometric: bool = False) -> list[Block]:
        """Blocks for a sequence of flowing lines (one column, in reading order)."""
        state = _FlushState(pno=pno)
        for run in runs(lines, geometric=geometric):
            if len(run) == 1 and is_ornament(run[0], self.body_size):
                continue  # a symbol glyph alone in a large font: not text for a reader
            text = join_lines([line.text for line in run])
            level = self._heading_level(run, text, self.page_toc)
            if level is None and state.pending_prefix is not None and self._merge_pending(state, run, text):
                continue  # the rest of a bookmarked heading drawn as two blocks
            if level is not None:
                self._flush_heading(state, run, text, level)
                continue
            state.last_heading_size = None
            if state.pending_prefix is not None:  # the label was not followed by a heading after all
                state.out.append(self._prefix_heading(state.pending_prefix, pno))
                state.pending_prefix = None
            if run[0].mono:
                state.close_list()
                state.out.append(
                    Paragraph(
                        id=self.builder.new_id(),
                        text=code_text(run),
                        role="code",
                        source=SourceRef(page=pno + 1, bbox=_union([line.bbox for line in run])),
                    )
                )
                continue
            self._flush_body(state, run, geometric)
        if state.pending_prefix is not None:
            state.out.append(self._prefix_heading(state.pending_prefix, pno))
        state.close_list()
        return state.out

    def _prefix_heading(self, prefix: tuple[str, list[Line]], pno: int) -> Block:
        """A label ("Chapitre 1") that no bookmarked heading followed: a heading of its own; the first words
        of a bookmark that the next run did not complete (:func:`_starts_bookmark`): what the rules made of
        them alone (a heading at their level, or text)."""
        fallback = self.partial.get(id(prefix[1][0]), 0)
        if fallback is None:
            return Paragraph(
                id=self.builder.new_id(),
                text=prefix[0],
                source=SourceRef(page=pno + 1, bbox=_union([ln.bbox for ln in prefix[1]])),
            )
        return Heading(
            id=self.builder.new_id(),
            level=fallback or self._font_level(prefix[1]) or 3,
            text=prefix[0],
            source=SourceRef(page=pno + 1, bbox=_union([ln.bbox for ln in prefix[1]])),
        )

    def _flush_heading(self, state: _FlushState, run: list[Line], text: str, level: int) -> None:
        """A run that is a heading (or, ``level`` 0, a label before a bookmarked heading)."""
        pno = state.pno
        state.close_list()
        if level == 0:
            if not self._merge_pending(state, run, text):
                state.pending_prefix = (text, run)
            return
        ref = SourceRef(page=pno + 1, bbox=_union([line.bbox for line in run]))
        bookmark, self.bookmark = self.bookmark, None
        if bookmark is not None:
            text = bookmark_text(text, bookmark)
        if state.pending_prefix is not None and (
            state.pending_prefix[1][0].size > LABEL_RATIO * run[0].size
            or self.partial.get(id(state.pending_prefix[1][0]), 0) != 0
        ):
            # A label is not set larger than the heading it labels: a document's title right above its
            # first bookmarked heading (Word's Title style is not in the outline) is a heading of its own.
            state.out.append(self._prefix_heading(state.pending_prefix, pno))
            state.pending_prefix = None
        if state.pending_prefix is not None:
            text = f"{state.pending_prefix[0]} : {text}"
            ref = SourceRef(page=pno + 1, bbox=_union([ln.bbox for ln in state.pending_prefix[1] + run]))
            state.pending_prefix = None
        previous = state.out[-1] if state.out else None
        if (
            isinstance(previous, Heading)
            and previous.level == level
            and state.last_heading_size == run[0].size
            and previous.source is not None
            and previous.source.bbox is not None
            and numbering_level(text) is None
        ):
            # A heading broken into several blocks ("Un sous-titre pour les" / "différentes parties").
            previous.text = f"{previous.text} {text}"
            previous.source = SourceRef(
                page=pno + 1,
                bbox=_union([_bbox_tuple(previous.source.bbox)] + [ln.bbox for ln in run]),
            )
            return
        heading = Heading(id=self.builder.new_id(), level=level, text=text, source=ref)
        if bookmark is not None:
            self.bookmarked.add(heading.id)
        state.out.append(heading)
        state.last_heading_size = run[0].size

    def _merge_pending(self, state: _FlushState, run: list[Line], text: str) -> bool:
        """A bookmarked heading drawn as several blocks ("Un soustitre pour les" / "différentes parties"):
        the pending label and this run together may match the bookmark; True when they did."""
        pending = state.pending_prefix
        if pending is None or pending[1][0].size != run[0].size:
            return False
        merged = (f"{pending[0]} {text}", pending[1] + run)
        matched = _toc_match(merged[0], self.page_toc)
        if matched is None:
            return False
        state.out.append(
            Heading(
                id=self.builder.new_id(),
                level=matched,
                text=merged[0],
                source=SourceRef(page=state.pno + 1, bbox=_union([ln.bbox for ln in merged[1]])),
            )
        )
        state.pending_prefix = None
        state.last_heading_size = run[0].size
        return True

    def _flush_body(self, state: _FlushState, run: list[Line], geometric: bool) -> None:
        """Body text: split into list items and paragraphs."""
        pno = state.pno
        para: list[Line] = []
        for line in run:
            bullet = _BULLET.match(line.text) or _NUMBERED.match(line.text)
            if bullet and (
                _BULLET.match(line.text) or not para or para[-1].text.rstrip().endswith((":", "?"))
            ):
                if para:
                    state.close_list()
                    state.out.extend(self._paragraphs(para, pno))
                    para = []
                elif state.list_box and line.bbox[1] < state.list_box[-1][1] - 1:
                    state.close_list()  # back up the page: a list in the next column (a slide's text boxes)
                state.current_item = self._add_item(state.list_stack, line, bullet, pno)
                state.list_box.append(line.bbox)
                state.current_block = line.block
            elif (
                state.current_item is not None
                and not para
                and self._continues_item(line, state.current_block, state.list_stack[-1][0], geometric)
            ):
                state.current_item.text = join_lines([state.current_item.text, line.text])
                state.list_box.append(line.bbox)
            else:
                if state.current_item is not None:
                    state.close_list()
                para.append(line)
        if para:
            state.out.extend(self._paragraphs(para, pno))

    def _paragraphs(self, lines: list[Line], pno: int) -> list[Paragraph]:
        out = []
        for part in split_paragraphs(lines):
            text = join_lines([line.text for line in part])
            role = "caption" if re.match(r"(?i)^(fig(ure)?|table|tableau)\.?\s*\d", text) else "body"
            para = Paragraph(
                id=self.builder.new_id(),
                text=text,
                role=role,
                source=SourceRef(page=pno + 1, bbox=_union([line.bbox for line in part])),
            )
            calls = {sup.strip("()[], ") for line in part for sup in line.sups}
            if calls:
                self.calls[para.id] = calls
            term = run_in_term(part[0].lead, text)
            if term is not None and role == "body":
                self.run_in[para.id] = term
            out.append(para)
        return out

    @staticmethod
    def _continues_item(line: Line, item_block: int | None, item_x0: float, geometric: bool) -> bool:
        """A line that continues the current list item: same block, or (one block per line) indented under it."""
        if geometric:
            return line.bbox[0] > item_x0 + 2
        return line.block == item_block

    def _add_item(
        self, stack: list[tuple[float, ListBlock]], line: Line, match: re.Match[str], pno: int
    ) -> ListItem:
        """Add a list item, nesting it under the previous item when it is indented."""
        x0 = line.bbox[0]
        item = ListItem(text=match.group(2), source=SourceRef(page=pno + 1, bbox=_union([line.bbox])))
        ordered = not _BULLET.match(line.text)
        while stack and x0 < stack[-1][0] - 4:
            stack.pop()
        if not stack:
            stack.append((x0, ListBlock(id=self.builder.new_id(), ordered=ordered)))
        elif x0 > stack[-1][0] + 8 and stack[-1][1].items:
            parent = stack[-1][1].items[-1]
            child = ListBlock(id=self.builder.new_id(), ordered=ordered)
            parent.children = child
            stack.append((x0, child))
        stack[-1][1].items.append(item)
        return item

    def _font_level(self, run: list[Line]) -> int | None:
        return self.size_levels.get(run[0].size)

    def _heading_level(self, run: list[Line], text: str, toc: list[tuple[int, str]]) -> int | None:
        """Heading level of a run of lines, 0 for a label to prefix to the next heading (or for the first
        words of a bookmark's title, held for the next run to complete: :attr:`partial`), None for body."""
        self.bookmark = None
        level = self._level_by_rules(run, text, toc)
        if (
            self.bookmark is None
            and toc
            and len(run) <= 2
            and not run[0].mono
            and is_heading_text(text)
            and _starts_bookmark(text, toc)
        ):
            self.partial[id(run[0])] = level
            return 0
        if self.deck and level and self.bookmark is None:
            return None  # a slide's heading is its title, which its bookmark names: larger text in it is text
        return level

    def _level_by_rules(self, run: list[Line], text: str, toc: list[tuple[int, str]]) -> int | None:
        """:meth:`_heading_level` but for a bookmark's first words."""
        if len(run) > 3 or len(text) > MAX_HEADING_CHARS or not any(c.isalpha() for c in text) or run[0].mono:
            return None
        chars = sum(len(ln.text) for ln in run) or 1
        if any(ln.strong_math for ln in run) and sum(ln.math * len(ln.text) for ln in run) / chars >= 0.5:
            return None
        self.bookmark = None
        entry = _toc_entry(text, toc)
        if entry is not None:
            self.bookmark = entry[1]
            return entry[0]
        if not is_heading_text(text):
            return None  # a symbol glyph or an ornament in a large font
        if (self.page_no - 1, _bbox_tuple(_union([ln.bbox for ln in run]))) in self.title_block:
            return None  # a subtitle or a badge beside the title: part of the title page, not a section
        level = self._font_level(run)
        if run[0].ocr and run[0].size < OCR_HEADING_RATIO * self.body_size:
            level = None  # OCR sizes are estimates: only clearly larger text is a heading
        if (
            level is None
            and not self.use_toc
            and run[0].bold
            and len(run) == 1
            and len(text) < 80
            and run[0].size >= self.body_size
            and not text.endswith((".", ":", ","))
        ):
            ranked = {
                lvl for size, lvl in self.size_levels.items() if self.title is None or size != self.title.size
            }
            level = min(len(ranked) + 1, 3)
        if level is not None and self.use_toc and toc and not _BULLET.match(text):
            return 0 if len(text) < 40 else level
        if level is not None and not self.use_toc:
            # Numbering says more than the font ("2.3.1" is level 3 whatever its size).
            level = numbering_level(text) or level
        if level is not None and self.use_toc and self.page_no >= self.first_toc_page:
            # The bookmarks hold the hierarchy: a heading they leave out is below all of theirs.
            level = min(6, max(level, self.toc_depth + 1))
        return level

    # -- figures --------------------------------------------------------------------------------

    def _figures(self, page: Any, pno: int, *, text_lines: list[Line] = ()) -> list[Figure]:  # type: ignore[assignment]
        """Embedded images of the page.

        An image over half the page with at least three of ``text_lines`` on it is the scan under
        an OCR layer (or under our own OCR): its text is the content, so it is not a figure.
        """
        pymupdf = self.pymupdf
        figures: list[Figure] = []
        seen: set[int] = set()
        box = page_box(page)
        try:
            infos = page.get_image_info(xrefs=True)
        except Exception:
            return figures
        for info in infos:
            xref = info.get("xref") or 0
            width, height = info.get("width", 0), info.get("height", 0)
            rect = pymupdf.Rect(info["bbox"]) & box
            if xref in seen or xref in self.running_images or rect.is_empty:
                continue
            seen.add(xref)
            if width < MIN_IMAGE_PX or height < MIN_IMAGE_PX or rect.width < 4 or rect.height < 4:
                continue
            if (
                abs(rect) >= 0.5 * abs(box)
                and sum(1 for ln in text_lines if rect.contains(self.pymupdf.Point(*ln.center))) >= 3
            ):
                continue
            ref = SourceRef(page=pno + 1, bbox=BBox(x0=rect.x0, y0=rect.y0, x1=rect.x1, y1=rect.y1))
            if width * height > self.ctx.max_image_pixels:
                self.builder.issue(
                    "image.too_large",
                    megapixels=f"{width * height / 1e6:.0f}",
                    limit=f"{self.ctx.max_image_pixels / 1e6:.0f}",
                    source=ref,
                )
                continue
            try:
                data, media_type = self._image_bytes(page, xref, rect)
            except Exception as exc:
                self.builder.issue(
                    "image.unreadable",
                    reason=f"page {pno + 1}: {exc}",
                    source=ref,
                )
                continue
            key = self.builder.add_resource(data, media_type)
            figures.append(Figure(id=self.builder.new_id(), image=key, source=ref))
        return figures

    def _image_bytes(self, page: Any, xref: int, rect: Any) -> tuple[bytes, str]:
        pymupdf = self.pymupdf
        if xref == 0:  # inline image: no object to extract, render its area instead
            return page.get_pixmap(clip=rect * page.rotation_matrix, dpi=150).tobytes("png"), "image/png"
        extracted = self.doc.extract_image(xref)
        ext = (extracted or {}).get("ext", "")
        if (
            ext in ("png", "jpeg", "jpg")
            and extracted.get("colorspace", 3) in (1, 3)
            and not extracted.get("smask")
        ):
            return extracted["image"], "image/png" if ext == "png" else "image/jpeg"
        pix = pymupdf.Pixmap(self.doc, xref)
        if pix.colorspace is not None and pix.colorspace.n not in (1, 3):
            pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
        smask = (extracted or {}).get("smask")
        if smask:
            with contextlib.suppress(Exception):  # else keep the image without its transparency
                pix = pymupdf.Pixmap(pix, pymupdf.Pixmap(self.doc, smask))
        return pix.tobytes("png"), "image/png"


def join_continued(blocks: list[Block]) -> list[Block]:
    """Join a body paragraph cut by a column or page break with its continuation.

    The first part is at least :data:`MIN_CONTINUED_CHARS` long (a short line is a title, not
    the start of a cut paragraph), does not end a sentence, and the continuation starts in lower case; page
    markers, figures, tables and notes between them are skipped over. The joined paragraph
    keeps the first part's id and source and takes the continuation's place, so a page marker
    between the parts ends up before it.
    """
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph) and block.role == "body" and block.text[:1].islower():
            j = len(out) - 1
            while j >= 0 and isinstance(out[j], PageMarker | Figure | Table | Note):
                j -= 1
            prev = out[j] if j >= 0 else None
            if (
                isinstance(prev, Paragraph)
                and prev.role == "body"
                and len(prev.text) >= MIN_CONTINUED_CHARS
                and not prev.text.rstrip().endswith(_SENTENCE_END)
            ):
                del out[j]
                block = prev.model_copy(update={"text": join_lines([prev.text, block.text])})
        out.append(block)
    return out
