"""PDF -> Document, with PyMuPDF's text dictionary (blocks, lines, spans) and a few heuristics.

Layout model switched off, on purpose
-------------------------------------
``import pymupdf`` (2.0) turns on an ONNX layout model globally (``pymupdf._get_layout``):
``find_tables()`` gets ~4x slower and ``to_markdown()`` starts running Tesseract by itself.
We do not use the layout model (its licence is unconfirmed and it is slow on 2-core machines),
so this module sets ``pymupdf._get_layout = None`` when it imports PyMuPDF (see
:func:`_pymupdf`); a test checks that the choice holds after conversion.

What is extracted
-----------------
* Two cheap passes over the pages (``get_text("dict")`` runs at ~500 pages/s): the first
  gathers statistics (body font size, lines repeated in the top/bottom band, images repeated
  on many pages, pages without text), the second builds blocks page by page. Page
  dictionaries are never all kept in memory.
* Headings: from the PDF outline (bookmarks) when it matches the page text, else from font
  size (body size = most common size by characters; larger sizes ranked -> levels 1..3).
* Paragraphs: lines joined, line-end hyphens removed; monospaced runs -> ``role="code"``.
* Lists: lines starting with a bullet (``•``, ``–``, ``-``...) or a number (``1.``, ``a)``).
* Tables: ``page.find_tables()`` (``ctx.pdf_tables``), cell text from our own lines because
  PyMuPDF's table text loses the spaces of some PDFs.
* Figures: embedded images (too small ones skipped, too large ones reported).
* Running headers/footers and page numbers removed; a :class:`PageMarker` opens each page.

Multi-column reading order, OCR and math are deliberately not handled here yet.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inclusio.converters.base import ConvertContext, file_sha256, useful_title
from inclusio.converters.captions import attach_captions
from inclusio.converters.lang import resolve_language
from inclusio.errors import InputCorrupt, InputEncrypted, InputNeedsOcr, InputNoContent, InputTooLarge
from inclusio.model import (
    BBox,
    Document,
    DocumentBuilder,
    Figure,
    Heading,
    ListBlock,
    ListItem,
    PageMarker,
    Paragraph,
    SourceInfo,
    SourceRef,
    Table,
    TableCell,
)

if TYPE_CHECKING:
    import pymupdf as _pymupdf_module

BAND = 0.09
"""Top and bottom fraction of the page where running headers, footers and page numbers live."""
MIN_IMAGE_PX = 16
HEADING_RATIO = 1.15
"""A line is heading-sized when its font is at least this much larger than the body font."""
MAX_HEADING_CHARS = 200

_BULLET = re.compile(r"^\s*([•◦▪▫■□●○►▸‣⁃∙·–—\-*])\s+(\S.*)$")
_NUMBERED = re.compile(r"^\s*(\d{1,3}[.)]|[a-z]\)|\(\w{1,3}\))\s+(\S.*)$")
_PAGE_NUMBER = re.compile(
    r"^\W*(?:page|p\.)?\s*(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:/|of|sur|de)\s*\d{1,4})?\W*$", re.IGNORECASE)
_SECTION_NUMBER = re.compile(r"^(?:(?:chapitre|chapter|partie|part)\s+\w+\s*[:.–—-]?\s*)?"
                             r"(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.|[A-Z]\.)?\s*", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")


def _pymupdf() -> _pymupdf_module:
    """PyMuPDF, with the ONNX layout model switched off (see the module docstring)."""
    import pymupdf

    pymupdf._get_layout = None
    return pymupdf


# Typographic ligatures (U+FB00-FB06) break search, speech and bookmark matching ("inﬂuence").
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                            "\ufb05": "st", "\ufb06": "st"})


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _running_key(text: str) -> str:
    """Key under which repeated header/footer lines compare equal (page numbers vary)."""
    return _DIGITS.sub("#", _norm(text))


def _heading_key(text: str) -> str:
    """Key under which a bookmark title and a heading line compare equal (numbering ignored)."""
    text = _norm(text.replace("’", "'"))
    text = _SECTION_NUMBER.sub("", text, count=1)
    return text.strip(" .:;—–-")


# -- lines --------------------------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    bbox: tuple[float, float, float, float]
    size: float
    bold: bool
    mono: bool
    block: int

    @property
    def center(self) -> tuple[float, float]:
        return ((self.bbox[0] + self.bbox[2]) / 2, (self.bbox[1] + self.bbox[3]) / 2)


def _lines(page_dict: dict[str, Any]) -> list[_Line]:
    """Non-empty text lines of a page dictionary, with their dominant style."""
    out: list[_Line] = []
    for number, block in enumerate(page_dict.get("blocks", ())):
        if block.get("type") != 0:
            continue
        for line in block.get("lines", ()):
            spans = [s for s in line.get("spans", ()) if s.get("text")]
            text = "".join(s["text"] for s in spans).replace("\xa0", " ").translate(_LIGATURES)
            if not text.strip():
                continue
            sizes: Counter[float] = Counter()
            bold_chars = mono_chars = chars = 0
            for span in spans:
                n = len(span["text"].strip())
                chars += n
                sizes[round(span["size"] * 2) / 2] += n
                font = span.get("font", "")
                if span["flags"] & 16 or "bold" in font.lower():
                    bold_chars += n
                if span["flags"] & 8 or "mono" in font.lower() or "courier" in font.lower():
                    mono_chars += n
            out.append(_Line(
                text=" ".join(text.split()) if mono_chars != chars else text.rstrip(),
                bbox=tuple(line["bbox"]), size=sizes.most_common(1)[0][0] if sizes else 0.0,
                bold=chars > 0 and bold_chars == chars, mono=chars > 0 and mono_chars == chars,
                block=number))
    return out


def _in_band(line: _Line, height: float) -> bool:
    return line.bbox[3] <= height * BAND or line.bbox[1] >= height * (1 - BAND)


def _union(boxes: list[tuple[float, float, float, float]]) -> BBox:
    return BBox(x0=min(b[0] for b in boxes), y0=min(b[1] for b in boxes),
                x1=max(b[2] for b in boxes), y1=max(b[3] for b in boxes))


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines into one paragraph, removing line-end hyphens ("vesti-" + "bulum")."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("\xad") or len(out) > 1 and out.endswith("-") and out[-2].isalpha() and line[:1].islower():
            out = out[:-1] + line
        else:
            out += " " + line
    return out.replace("\xad", "")


# -- pass 1: statistics -------------------------------------------------------------------------


@dataclass
class _Stats:
    sizes: Counter[float] = field(default_factory=Counter)
    running: Counter[str] = field(default_factory=Counter)
    image_pages: Counter[int] = field(default_factory=Counter)
    text_pages: int = 0
    scanned: set[int] = field(default_factory=set)
    unreadable: set[int] = field(default_factory=set)
    toc_hits: int = 0
    sample: list[str] = field(default_factory=list)
    sample_chars: int = 0


def _page_dict(page: Any, pymupdf: Any) -> dict[str, Any]:
    flags = pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_PRESERVE_IMAGES
    return page.get_text("dict", flags=flags)


def _collect(doc: Any, pymupdf: Any, toc_by_page: dict[int, list[tuple[int, str]]],
             ctx: ConvertContext) -> _Stats:
    stats = _Stats()
    count = doc.page_count
    for pno in range(count):
        ctx.progress(0.3 * pno / count, f"page {pno + 1}/{count} (analyse)")
        try:
            page = doc.load_page(pno)
            lines = _lines(_page_dict(page, pymupdf))
            images = page.get_image_info(xrefs=True)
        except Exception:  # a damaged page: reported in pass 2, the others go on
            stats.unreadable.add(pno)
            continue
        chars = 0
        band_keys: set[str] = set()
        for line in lines:
            n = len(line.text.strip())
            chars += n
            stats.sizes[line.size] += n
            if _in_band(line, page.rect.height):
                band_keys.add(_running_key(line.text))
            if stats.sample_chars < 100_000:
                stats.sample.append(line.text)
                stats.sample_chars += n
        stats.running.update(band_keys)
        stats.image_pages.update({info["xref"] for info in images if info.get("xref")})
        if chars >= 10:
            stats.text_pages += 1
        elif images:
            area = abs(page.rect)
            covered = sum(abs(pymupdf.Rect(info["bbox"]) & page.rect) for info in images)
            if area and covered / area >= 0.5:
                stats.scanned.add(pno)
        if pno + 1 in toc_by_page:
            keys = _candidate_keys(lines)
            stats.toc_hits += sum(1 for _, title in toc_by_page[pno + 1] if _heading_key(title) in keys)
    return stats


def _candidate_keys(lines: list[_Line]) -> set[str]:
    """Heading keys of every block's short line runs on a page (for bookmark matching)."""
    keys: set[str] = set()
    for run in _runs(lines):
        text = join_lines([line.text for line in run])
        if len(text) <= MAX_HEADING_CHARS:
            keys.add(_heading_key(text))
    return keys


def _runs(lines: list[_Line]) -> list[list[_Line]]:
    """Consecutive lines of the same block with the same style."""
    runs: list[list[_Line]] = []
    for line in lines:
        last = runs[-1][-1] if runs else None
        if (last is not None and last.block == line.block and last.size == line.size
                and last.bold == line.bold and last.mono == line.mono):
            runs[-1].append(line)
        else:
            runs.append([line])
    return runs


# -- the converter ------------------------------------------------------------------------------


class PdfConverter:
    """PDF files (any producer); scans without a text layer are refused with ``input.needs_ocr``."""

    name = "pdf"
    media_types = ("application/pdf",)

    def sniff(self, path: Path, head: bytes) -> bool:
        """True when the header ``%PDF-`` is in the first kilobyte (the spec tolerates junk before it)."""
        return b"%PDF-" in head[:1024]

    def convert(self, path: Path, ctx: ConvertContext) -> Document:
        """Convert a PDF; see the module docstring. Raises ``input.corrupt``, ``input.encrypted``,
        ``input.too_large``, ``input.needs_ocr`` or ``input.no_content``."""
        pymupdf = _pymupdf()
        try:
            doc = pymupdf.open(Path(path), filetype="pdf")
        except Exception as exc:  # MuPDF raises several types for unreadable files
            raise InputCorrupt(details={"reason": str(exc)}) from exc
        with doc:
            return _Conversion(doc, pymupdf, Path(path), ctx).run()


class _Conversion:
    def __init__(self, doc: Any, pymupdf: Any, path: Path, ctx: ConvertContext) -> None:
        self.doc = doc
        self.pymupdf = pymupdf
        self.path = path
        self.ctx = ctx
        self.builder = DocumentBuilder()

    # -- checks ---------------------------------------------------------------------------------

    def _open_checks(self) -> None:
        doc = self.doc
        if doc.needs_pass:
            if not doc.authenticate(""):
                raise InputEncrypted()
            self.builder.issue("input.encrypted_empty_password",
                               "The PDF is encrypted with an empty password; it was opened without one.")
        elif (doc.metadata or {}).get("encryption"):
            self.builder.issue("input.encrypted_empty_password",
                               "The PDF is encrypted with an empty password; it was opened without one.")
        if doc.page_count == 0:
            raise InputCorrupt(details={"reason": "no readable page (truncated or damaged file)"})
        if doc.page_count > self.ctx.max_pages:
            raise InputTooLarge(details={"pages": doc.page_count, "limit": self.ctx.max_pages})
        if doc.is_repaired:
            self.builder.issue("input.repaired",
                               "The PDF's structure was damaged and has been repaired; check that nothing is missing.")

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

    # -- main -----------------------------------------------------------------------------------

    def run(self) -> Document:
        self._open_checks()
        doc, ctx = self.doc, self.ctx
        toc_by_page = self._toc()
        stats = _collect(doc, self.pymupdf, toc_by_page, ctx)
        if stats.text_pages == 0:
            if stats.scanned or stats.image_pages:
                raise InputNeedsOcr(details={"pages": doc.page_count})
            raise InputNoContent()
        toc_entries = sum(len(v) for v in toc_by_page.values())
        self.use_toc = toc_entries >= 3 and stats.toc_hits >= 0.5 * toc_entries
        self.toc_by_page = toc_by_page
        self.body_size = stats.sizes.most_common(1)[0][0] if stats.sizes else 10.0
        self.size_levels = self._size_levels(stats.sizes)
        threshold = max(2, round(0.3 * doc.page_count)) if doc.page_count >= 3 else doc.page_count + 1
        self.running = {key for key, n in stats.running.items() if n >= threshold}
        self.running_images = {xref for xref, n in stats.image_pages.items() if n >= threshold}
        self.stats = stats

        for pno in range(doc.page_count):
            ctx.progress(0.3 + 0.7 * pno / doc.page_count, f"page {pno + 1}/{doc.page_count}")
            self._page(pno)
        ctx.progress(1.0, "done")

        text = "\n".join(stats.sample)
        lang = (doc.language or "").strip() if hasattr(doc, "language") else ""
        metadata = doc.metadata or {}
        headings = [b for b in self.builder.blocks if isinstance(b, Heading)]
        title = useful_title(metadata.get("title"), ctx.filename) or (headings[0].text if headings else None)
        authors = [a.strip() for a in re.split(r"[;,]| and | et ", metadata.get("author") or "") if a.strip()]
        return Document(
            title=title or Path(ctx.filename).stem,
            lang=self._language(lang, text),
            authors=authors,
            source=SourceInfo(filename=ctx.filename, media_type="application/pdf", sha256=file_sha256(self.path),
                              pages=doc.page_count, converter=f"inclusio.pdf (PyMuPDF {self.pymupdf.__version__})"),
            blocks=attach_captions(self.builder.blocks), resources=self.builder.resources,
            issues=self.builder.issues)

    def _language(self, declared: str, text: str) -> str:
        lang, mismatch = resolve_language(declared, text)
        if mismatch:
            self.builder.issue("lang.declared_mismatch", mismatch)
        return lang

    def _size_levels(self, sizes: Counter[float]) -> dict[float, int]:
        """Font sizes clearly larger than the body, largest first -> heading levels 1..3."""
        body_chars = sizes.get(self.body_size, 0)
        larger = sorted((s for s, n in sizes.items()
                         if s >= self.body_size * HEADING_RATIO and n < 0.2 * max(body_chars, 1)), reverse=True)
        return {size: min(rank + 1, 3) for rank, size in enumerate(larger)}

    # -- one page -------------------------------------------------------------------------------

    def _page(self, pno: int) -> None:
        b = self.builder
        page_ref = SourceRef(page=pno + 1)
        try:
            page = self.doc.load_page(pno)
            label = page.get_label() or None
        except Exception:
            page, label = None, None
        b.add(PageMarker(id=b.new_id(), number=pno + 1, label=label if label != str(pno + 1) else None,
                         source=page_ref))
        if page is None or pno in self.stats.unreadable:
            b.issue("pdf.page_unreadable", f"Page {pno + 1} could not be read and was skipped.", source=page_ref)
            return
        if pno in self.stats.scanned:
            b.issue("pdf.scanned_page", f"Page {pno + 1} is a scanned image without text; it needs OCR.",
                    source=page_ref)
        try:
            lines = _lines(_page_dict(page, self.pymupdf))
        except Exception:
            b.issue("pdf.page_unreadable", f"Page {pno + 1} could not be read and was skipped.", source=page_ref)
            return
        height = page.rect.height
        lines = [ln for ln in lines if not (_in_band(ln, height) and (
            _running_key(ln.text) in self.running or _PAGE_NUMBER.match(ln.text)))]
        tables = self._tables(page, pno, lines) if self.ctx.pdf_tables else []
        consumed = {id(line) for table, members in tables for line in members}
        items: list[tuple[tuple[float, float, float, float], Any]] = []
        pending_tables = list(tables)
        flow: list[_Line] = []
        for line in lines:
            if id(line) in consumed:
                for entry in list(pending_tables):
                    if any(m is line for m in entry[1]):
                        items.extend(self._flush(flow, pno))
                        flow = []
                        items.append((entry[0].source.bbox and _bbox_tuple(entry[0].source.bbox), entry[0]))
                        pending_tables.remove(entry)
                continue
            flow.append(line)
        items.extend(self._flush(flow, pno))
        for table, _ in pending_tables:
            items.append((_bbox_tuple(table.source.bbox), table))
        for figure in self._figures(page, pno):
            _insert_by_position(items, (_bbox_tuple(figure.source.bbox), figure))
        for _, block in items:
            b.add(block)

    # -- text -----------------------------------------------------------------------------------

    def _flush(self, lines: list[_Line], pno: int) -> list[tuple[Any, Any]]:
        """Blocks (with their bbox) for a sequence of flowing lines."""
        out: list[tuple[Any, Any]] = []
        runs = _runs(lines)
        toc = list(self.toc_by_page.get(pno + 1, ())) if self.use_toc else []
        pending_prefix: tuple[str, list[_Line]] | None = None
        list_stack: list[tuple[float, ListBlock]] = []
        list_box: list[tuple[float, float, float, float]] = []
        current_item: ListItem | None = None
        current_block: int | None = None
        last_heading_size: float | None = None

        def close_list() -> None:
            nonlocal list_stack, list_box, current_item
            if list_stack:
                root = list_stack[0][1]
                root.source = SourceRef(page=pno + 1, bbox=_union(list_box))
                out.append((_bbox_tuple(root.source.bbox), root))
            list_stack, list_box, current_item = [], [], None

        def emit(block: Any, run: list[_Line]) -> None:
            out.append(([r.bbox for r in run][0], block))

        for run in runs:
            text = join_lines([line.text for line in run])
            ref = SourceRef(page=pno + 1, bbox=_union([line.bbox for line in run]))
            level = self._heading_level(run, text, toc)
            if level is not None:
                close_list()
                if level == 0:  # a label ("Chapitre 1") just before a bookmarked heading
                    pending_prefix = (text, run)
                    continue
                if pending_prefix is not None:
                    text = f"{pending_prefix[0]} : {text}"
                    ref = SourceRef(page=pno + 1, bbox=_union([ln.bbox for ln in pending_prefix[1] + run]))
                    pending_prefix = None
                previous = out[-1][1] if out else None
                if (isinstance(previous, Heading) and previous.level == level and last_heading_size == run[0].size
                        and previous.source is not None and previous.source.bbox is not None):
                    # A heading broken into several blocks ("Un sous-titre pour les" / "différentes parties").
                    previous.text = f"{previous.text} {text}"
                    previous.source = SourceRef(page=pno + 1, bbox=_union(
                        [_bbox_tuple(previous.source.bbox)] + [ln.bbox for ln in run]))
                    continue
                emit(Heading(id=self.builder.new_id(), level=level, text=text, source=ref), run)
                last_heading_size = run[0].size
                continue
            last_heading_size = None
            if pending_prefix is not None:  # the label was not followed by a heading after all
                emit(Heading(id=self.builder.new_id(), level=self._font_level(pending_prefix[1]) or 3,
                             text=pending_prefix[0],
                             source=SourceRef(page=pno + 1, bbox=_union([ln.bbox for ln in pending_prefix[1]]))),
                     pending_prefix[1])
                pending_prefix = None
            if run[0].mono:
                close_list()
                emit(Paragraph(id=self.builder.new_id(), text="\n".join(ln.text for ln in run), role="code",
                               source=ref), run)
                continue
            # Body text: split into list items and paragraphs.
            para: list[_Line] = []
            for line in run:
                bullet = _BULLET.match(line.text) or _NUMBERED.match(line.text)
                if bullet and (_BULLET.match(line.text) or not para):
                    if para:
                        close_list()
                        emit(self._paragraph(para, pno), para)
                        para = []
                    current_item = self._add_item(list_stack, line, bullet, pno)
                    list_box.append(line.bbox)
                    current_block = line.block
                elif current_item is not None and line.block == current_block and not para:
                    current_item.text = join_lines([current_item.text, line.text])
                    list_box.append(line.bbox)
                else:
                    if current_item is not None:
                        close_list()
                    para.append(line)
            if para:
                emit(self._paragraph(para, pno), para)
        if pending_prefix is not None:
            emit(Heading(id=self.builder.new_id(), level=self._font_level(pending_prefix[1]) or 3,
                         text=pending_prefix[0],
                         source=SourceRef(page=pno + 1, bbox=_union([ln.bbox for ln in pending_prefix[1]]))),
                 pending_prefix[1])
        close_list()
        return out

    def _paragraph(self, lines: list[_Line], pno: int) -> Paragraph:
        text = join_lines([line.text for line in lines])
        role = "caption" if re.match(r"(?i)^(fig(ure)?|table|tableau)\.?\s*\d", text) else "body"
        return Paragraph(id=self.builder.new_id(), text=text, role=role,
                         source=SourceRef(page=pno + 1, bbox=_union([line.bbox for line in lines])))

    def _add_item(self, stack: list[tuple[float, ListBlock]], line: _Line, match: re.Match[str],
                  pno: int) -> ListItem:
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

    def _font_level(self, run: list[_Line]) -> int | None:
        return self.size_levels.get(run[0].size)

    def _heading_level(self, run: list[_Line], text: str, toc: list[tuple[int, str]]) -> int | None:
        """Heading level of a run of lines, 0 for a label to prefix to the next heading, None for body."""
        if len(run) > 3 or len(text) > MAX_HEADING_CHARS or not any(c.isalpha() for c in text) or run[0].mono:
            return None
        key = _heading_key(text)
        for entry in toc:
            if _heading_key(entry[1]) == key:
                toc.remove(entry)
                return entry[0]
        level = self._font_level(run)
        if level is None and not self.use_toc and run[0].bold and len(run) == 1 and len(text) < 80 \
                and run[0].size >= self.body_size and not text.endswith((".", ":", ",")):
            level = min(len(set(self.size_levels.values())) + 1, 3)
        if level is not None and self.use_toc and toc and not _BULLET.match(text):
            return 0 if len(text) < 40 else level
        return level

    # -- tables ---------------------------------------------------------------------------------

    def _tables(self, page: Any, pno: int, lines: list[_Line]) -> list[tuple[Table, list[_Line]]]:
        """Tables of the page, with the lines they consume (cell text comes from our own lines)."""
        try:
            if len(page.get_cdrawings()) < 4:  # the default strategy needs ruling lines
                return []
            found = page.find_tables().tables
        except Exception as exc:
            self.builder.issue("pdf.table_failed", f"Table detection failed on page {pno + 1}: {exc}",
                               source=SourceRef(page=pno + 1))
            return []
        out: list[tuple[Table, list[_Line]]] = []
        for tab in found:
            try:
                result = self._table(tab, pno, lines)
            except Exception as exc:
                self.builder.issue("pdf.table_failed", f"A table on page {pno + 1} could not be read: {exc}",
                                   source=SourceRef(page=pno + 1))
                continue
            if result is not None:
                out.append(result)
        return out

    def _table(self, tab: Any, pno: int, lines: list[_Line]) -> tuple[Table, list[_Line]] | None:
        row_boxes = [list(row.cells) for row in tab.rows]
        if tab.header is not None and tab.header.external and tab.header.cells:
            row_boxes.insert(0, list(tab.header.cells))
        if len(row_boxes) < 2 or max(len(r) for r in row_boxes) < 2:
            return None  # one row or one column: a frame around text, not a table
        texts: list[list[list[_Line]]] = [[[] for _ in row] for row in row_boxes]
        members: list[_Line] = []
        for line in lines:
            cx, cy = line.center
            for r, row in enumerate(row_boxes):
                for c, cell in enumerate(row):
                    if cell is not None and cell[0] <= cx <= cell[2] and cell[1] <= cy <= cell[3]:
                        texts[r][c].append(line)
                        members.append(line)
                        break
                else:
                    continue
                break
        cells_filled = sum(1 for row in texts for cell in row if cell)
        cells_total = sum(1 for row in row_boxes for cell in row if cell is not None)
        if not members or cells_filled < 0.4 * cells_total:
            return None
        first_bold = all(ln.bold for cell in texts[0] for ln in cell) and any(texts[0])
        header = bool(tab.header is not None and tab.header.external) or first_bold
        rows: list[list[TableCell]] = []
        for r, row in enumerate(row_boxes):
            cells: list[TableCell] = []
            for c, cell in enumerate(row):
                if cell is None:
                    if cells:  # merged with the cell on its left
                        cells[-1].col_span += 1
                    continue
                cells.append(TableCell(text=join_lines([ln.text for ln in texts[r][c]]), header=header and r == 0))
            if cells:
                rows.append(cells)
        bbox = _union([tuple(tab.bbox)] + ([tuple(tab.header.bbox)] if header and tab.header.external else []))
        table = Table(id=self.builder.new_id(), rows=rows, source=SourceRef(page=pno + 1, bbox=bbox))
        return table, members

    # -- figures --------------------------------------------------------------------------------

    def _figures(self, page: Any, pno: int) -> list[Figure]:
        pymupdf = self.pymupdf
        figures: list[Figure] = []
        seen: set[int] = set()
        try:
            infos = page.get_image_info(xrefs=True)
        except Exception:
            return figures
        for info in infos:
            xref = info.get("xref") or 0
            width, height = info.get("width", 0), info.get("height", 0)
            rect = pymupdf.Rect(info["bbox"]) & page.rect
            if xref in seen or xref in self.running_images or rect.is_empty:
                continue
            seen.add(xref)
            if width < MIN_IMAGE_PX or height < MIN_IMAGE_PX or rect.width < 4 or rect.height < 4:
                continue
            ref = SourceRef(page=pno + 1, bbox=BBox(x0=rect.x0, y0=rect.y0, x1=rect.x1, y1=rect.y1))
            if width * height > self.ctx.max_image_pixels:
                self.builder.issue("image.too_large", f"An image on page {pno + 1} ({width}x{height} px) "
                                   "is larger than the server accepts and was skipped.", source=ref)
                continue
            try:
                data, media_type = self._image_bytes(page, xref, rect)
            except Exception as exc:
                self.builder.issue("image.unreadable", f"An image on page {pno + 1} could not be extracted: {exc}",
                                   source=ref)
                continue
            key = self.builder.add_resource(data, media_type)
            figures.append(Figure(id=self.builder.new_id(), image=key, source=ref))
        return figures

    def _image_bytes(self, page: Any, xref: int, rect: Any) -> tuple[bytes, str]:
        pymupdf = self.pymupdf
        if xref == 0:  # inline image: no object to extract, render its area instead
            return page.get_pixmap(clip=rect, dpi=150).tobytes("png"), "image/png"
        extracted = self.doc.extract_image(xref)
        ext = (extracted or {}).get("ext", "")
        if ext in ("png", "jpeg", "jpg") and extracted.get("colorspace", 3) in (1, 3) and not extracted.get("smask"):
            return extracted["image"], "image/png" if ext == "png" else "image/jpeg"
        pix = pymupdf.Pixmap(self.doc, xref)
        if pix.colorspace is not None and pix.colorspace.n not in (1, 3):
            pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
        smask = (extracted or {}).get("smask")
        if smask:
            with contextlib.suppress(Exception):  # else keep the image without its transparency
                pix = pymupdf.Pixmap(pix, pymupdf.Pixmap(self.doc, smask))
        return pix.tobytes("png"), "image/png"


def _bbox_tuple(bbox: BBox | None) -> tuple[float, float, float, float]:
    if bbox is None:
        return (0.0, 0.0, 0.0, 0.0)
    return (bbox.x0, bbox.y0, bbox.x1, bbox.y1)


def _insert_by_position(items: list[tuple[Any, Any]], new: tuple[Any, Any]) -> None:
    """Insert a figure before the first block below its top that shares its horizontal extent."""
    x0, y0, x1, _ = new[0]
    for index, (bbox, _) in enumerate(items):
        if bbox[1] >= y0 and bbox[0] < x1 and bbox[2] > x0:
            items.insert(index, new)
            return
    items.append(new)
