"""DOCX -> Document, with python-docx (and its XML where python-docx has no API).

The body is walked in document order (paragraphs and tables interleaved, content controls
opened). Styles give the structure: ``Title`` -> :attr:`Document.title` (kept as a
``role="title"`` paragraph), ``Heading N`` -> :class:`Heading` level N, ``Quote`` ->
``role="quote"``, ``Caption`` -> the caption of the neighbouring figure or table. Paragraphs
with numbering (``w:numPr``) or a ``List Bullet``/``List Number`` style -> :class:`ListBlock`
nested by ``w:ilvl``. Tables keep their merged cells (``gridSpan``, ``vMerge``). Inline
pictures -> :class:`Figure` with the alt text of ``wp:docPr/@descr`` (a file name or
"Picture 3" counts as none; Word's "Description automatically generated" is cut); pictures
above ``max_image_pixels`` (size read from the image header, never decoded) are skipped and
reported.

A paragraph with an outline level (``w:outlineLvl``, on itself or its style) is a heading of
that level, as in Word's navigation pane (LibreOffice exports ODT headings this way).

Inferred headings: when the author used no heading style at all, short whole-paragraph bold
or larger-than-body paragraphs (at most 12 words, not ending with ``.``, ``:``, ``;`` or
``,``) become headings; the largest size is level 1, the next level 2..., bold at body size
comes last. They are reported (``docx.headings_inferred``). A document with heading styles
is trusted as it is: its bold lines are emphasis.

Footnotes and endnotes (:mod:`inclusio.converters.docx_notes`) follow the block that calls
them as :class:`Note` (``kind`` footnote/endnote, ``label`` as printed at the call); notes
called from a list item come after the list, notes called from a table after the table. The
call mark itself is not put in the text (it would be read aloud as a stray number).

Equations (OMML): a paragraph that is only math (``m:oMathPara`` or ``m:oMath`` alone)
becomes :class:`Formula` blocks with MathML and a linear text (:mod:`inclusio.converters.omml`);
math inside a sentence is written inline as its linear text (``x^(2)``), since the model has no
inline formulas.

Language: a paragraph or heading whose runs declare (``w:lang``) another language than the
document's gets ``lang``, when its text does not read as the document's language.

Charts (``c:chart`` in a drawing) become the table of their data (categories x series), read with
python-pptx's chart classes as for a slide's chart (:func:`inclusio.converters.pptx.chart_table`).

One bad part, not a lost document: when python-docx cannot open the file because of a secondary part that
does not parse (numbering, styles, settings, notes, headers, footers...) or a relationship whose target is
missing, the file is read from a copy without them (:mod:`inclusio.converters.docx_repair`), each reported
(``docx.file_part_unreadable``). Where a lost part was used a placeholder stands, pointed at by its issue: a
picture without its image (``image.unreadable``, its alt text kept; writers say "image not available"), a
chart to describe (``chart.needs_description``), a note "Note 1 (illisible ...)" in the document's language
(``docx.notes_unreadable``). A paragraph or table that fails is left out with ``docx.part_unreadable``. Any
of these makes the job ``partial`` (:data:`inclusio.warning_codes.PART_LOST_CODES`). A broken main document
part is still ``input.corrupt``.

Not read yet: headers/footers, comments, legacy VML pictures, text boxes, embedded (OLE) objects, which are
left out without a word. DOCX has no pages, so there are no page markers.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from inclusio.converters.base import ConvertContext, file_sha256, useful_title
from inclusio.converters.code import is_code_style, is_monospace_font
from inclusio.converters.docx_notes import NoteCall, WordNotes, read_notes
from inclusio.converters.docx_repair import NOTES_PARTS, Repair, without_broken_parts
from inclusio.converters.lang import guess_language, resolve_language
from inclusio.converters.omml import M as _M
from inclusio.converters.omml import omml_to_mathml
from inclusio.converters.ooxml import ZIP_MAGIC, check_archive, image_size, member_names
from inclusio.converters.pptx import _web_image, chart_table
from inclusio.converters.xml_safety import check_ooxml_xml
from inclusio.errors import InputCorrupt
from inclusio.model import (
    Block,
    Document,
    DocumentBuilder,
    Figure,
    Formula,
    Heading,
    ListBlock,
    ListItem,
    Note,
    Paragraph,
    SourceInfo,
    Table,
    TableCell,
)
from inclusio.model.safe_markup import sanitize_mathml

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIN_IMAGE_PX = 16

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {
    "w": _W,
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "adec": "http://schemas.microsoft.com/office/drawing/2017/decorative",
    "m": _M,
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
}
INFERRED_MAX_WORDS = 12
INFERRED_MAX_CHARS = 120
LARGER = 1.15
"""A paragraph counts as "larger" than the body text from 115 % of the body size."""
_HEADING = re.compile(r"(?i)^(?:heading|titre)\s*(\d)$")
_LIST_STYLE = re.compile(r"(?i)^list\s+(bullet|number)(?:\s+(\d))?$")
_PLACEHOLDER = {
    "fr": {"note": "Note {label} (illisible : le fichier des notes est endommagé)"},
    "en": {"note": "Note {label} (unreadable: the notes part of the file is damaged)"},
}
"""What a placeholder for a lost part says, in the document's language."""
_USELESS_ALT = re.compile(
    r"(?i)^\s*(?:(?:picture|image|img|photo|graphic|figure|grafik)\s*\d*|.*\.(?:png|jpe?g|gif|bmp|tiff?|emf|wmf|svg))\s*$"
)
# Word's automatic alt text ends with this sentence; the description before it is still useful.
_AUTO_ALT = re.compile(r"\s*Description automatically generated.*$", re.IGNORECASE | re.DOTALL)


def _q(tag: str) -> str:
    prefix, name = tag.split(":")
    return f"{{{_NS[prefix]}}}{name}"


class DocxConverter:
    """Word documents (``.docx``; ``.doc`` is not read: save it as DOCX)."""

    name = "docx"
    media_types = (MEDIA_TYPE,)
    suffixes = (".docx",)
    label = "DOCX"

    def sniff(self, path: Path, head: bytes) -> bool:
        """A zip archive with ``word/document.xml`` (the extension is not trusted)."""
        if not head.startswith(ZIP_MAGIC):
            return False
        names = member_names(path)
        return names is not None and "word/document.xml" in names

    def convert(self, path: Path, ctx: ConvertContext) -> Document:
        """Convert a Word document. Raises ``input.corrupt``, ``input.too_large`` and ``input.unsafe``."""
        check_archive(path)
        check_ooxml_xml(path)
        import docx

        repair: Repair | None = None
        try:
            document = docx.Document(str(path))
            body = document.element.body
        except Exception as exc:  # python-docx raises KeyError, lxml and zip errors for broken parts
            # A broken secondary part or a dangling relationship: read a copy without them (docx_repair).
            repaired = without_broken_parts(Path(path))
            if repaired is None:
                raise InputCorrupt(details={"reason": f"{type(exc).__name__}: {exc}"}) from exc
            copy, repair = repaired
            try:
                with copy:
                    document = docx.Document(copy)
                    body = document.element.body
            except Exception:
                raise InputCorrupt(details={"reason": f"{type(exc).__name__}: {exc}"}) from exc
        return _Word(document, body, Path(path), ctx, repair).run()


class _Word:
    def __init__(
        self, document: Any, body: Any, path: Path, ctx: ConvertContext, repair: Repair | None = None
    ) -> None:
        self.document = document
        self.repair = repair or Repair()
        self.placeholders: list[tuple[Note | Paragraph, str]] = []
        """Blocks standing for a lost part, with their key in :data:`_PLACEHOLDER` (text set once the
        document's language is known)."""
        self.body = body
        self.path = path
        self.ctx = ctx
        self.b = DocumentBuilder()
        self.texts: list[str] = []
        self.title: str | None = None
        self.list_stack: list[ListBlock] = []
        self.pending_caption: str | None = None
        self._formats = self._numbering_formats()
        self.pending_notes: list[NoteCall] = []
        self.block_langs: dict[str, str] = {}
        self.styled_headings = 0
        self.candidates: list[tuple[Paragraph, float, bool]] = []
        self.body_paragraphs = 0
        self.size_chars: dict[float, int] = {}
        self.default_size = self._default_size()
        self.notes_lost = self.repair.notes_lost()
        """Why the notes part was lost (each call then gets a placeholder note), or None."""
        try:
            self.notes = read_notes(document)
        except Exception as exc:  # unreadable notes part: the body still converts
            self.notes = WordNotes()
            self.notes_lost = str(exc)
        for part, reason in self.repair.broken.items():
            if self.repair.types.get(part) not in NOTES_PARTS:
                self.b.issue("docx.file_part_unreadable", part=part, reason=reason)

    def run(self) -> Document:
        children = list(_body_children(self.body))
        for index, element in enumerate(children):
            if index % 50 == 0:
                self.ctx.progress(index / max(len(children), 1), "reading the document")
            try:
                if element.tag == _q("w:p"):
                    self._paragraph(element)
                elif element.tag == _q("w:tbl"):
                    self._end_list()
                    self._table(element)
                    self._queue_notes(element)
                    self._flush_notes()
            except Exception as exc:  # one broken paragraph or table must not lose the document
                self.b.issue(
                    "docx.part_unreadable",
                    element=element.tag.split("}")[-1],
                    reason=exc,
                )
        self._end_list()
        if self.pending_caption:
            self.b.add(Paragraph(id=self.b.new_id(), text=self.pending_caption, role="caption"))
        if self.notes_lost is not None and not self.placeholders:  # lost, and no call in the body needed it
            self.b.issue("docx.notes_unreadable", reason=self.notes_lost)
        self._infer_headings()
        self.ctx.progress(1.0, "done")
        core = self.document.core_properties
        declared = self._declared_lang() or core.language or None
        lang, mismatch = resolve_language(declared, "\n".join(self.texts))
        if mismatch:
            self.b.issue("lang.declared_mismatch", declared=mismatch, used=lang)
        else:
            self._block_languages(lang)
        words = _PLACEHOLDER["fr" if lang.lower().startswith("fr") else "en"]
        for block, key in self.placeholders:
            block.text = words[key].format(label=getattr(block, "label", "") or "")
        headings = [blk for blk in self.b.blocks if isinstance(blk, Heading)]
        title = (
            useful_title(core.title, self.ctx.filename)
            or self.title
            or (headings[0].text if headings else None)
        )
        return Document(
            title=title or Path(self.ctx.filename).stem,
            lang=lang,
            authors=[a.strip() for a in (core.author or "").split(";") if a.strip()],
            source=SourceInfo(
                filename=self.ctx.filename,
                media_type=MEDIA_TYPE,
                sha256=file_sha256(self.path),
                converter="inclusio.docx (python-docx)",
            ),
            blocks=self.b.blocks,
            resources=self.b.resources,
            issues=self.b.issues,
        )

    # -- language -------------------------------------------------------------------------------

    def _declared_lang(self) -> str | None:
        """Most frequent ``w:lang`` of the runs, else the default of the styles part."""
        counts: dict[str, int] = {}
        for value in self.body.xpath(".//w:rPr/w:lang/@w:val"):
            counts[value] = counts.get(value, 0) + 1
        if counts:
            return max(counts, key=counts.__getitem__)
        try:
            values = self.document.styles.element.xpath("./w:docDefaults//w:lang/@w:val")
        except Exception:
            return None
        return values[0] if values else None

    # -- paragraphs -----------------------------------------------------------------------------

    def _paragraph(self, p: Any) -> None:
        from docx.text.paragraph import Paragraph as DocxParagraph

        para = DocxParagraph(p, self.document.part)
        style = para.style.name if para.style is not None else ""
        has_math = p.find(f".//{_q('m:oMath')}") is not None
        text = " ".join((_text_with_math(p) if has_math else para.text).split())
        for figure in self._pictures(p):
            self._end_list()
            self.b.add(figure)
            if self.pending_caption:
                figure.caption, self.pending_caption = self.pending_caption, None
        blank_in_code = self.b.is_code_open() and not para.text.strip()  # a blank line inside a listing
        if not has_math and (
            is_code_style(style)
            or blank_in_code
            or (_monospace_paragraph(para) and not _HEADING.match(style))
        ):
            self._end_list()  # program code: its lines exactly as written, one block for consecutive ones
            self.b.code_line(para.text)
            return
        calls = self.notes.calls(p)
        list_level, ordered = self._list_info(p, style) if text else (None, False)
        if list_level is not None and not (has_math and not " ".join(para.text.split())):
            self.texts.append(text)
            self._list_item(text, list_level, ordered)
            self.pending_notes.extend(calls)  # emitted after the list
            return
        self._end_list()
        self.pending_notes.extend(calls)
        if has_math and not " ".join(para.text.split()):
            self._formulas(p)
            self._flush_notes()
            return
        if not text:
            self._flush_notes()
            return
        self.texts.append(text)
        heading = _HEADING.match(style)
        outline = None if heading else _outline_level(p, para)
        if style == "Caption" or style.lower() == "légende":
            self._caption(text)
            self._flush_notes()
            return
        block: Block
        if heading:
            self.styled_headings += 1
            block = Heading(id=self.b.new_id(), level=max(1, min(6, int(heading.group(1)))), text=text)
        elif outline is not None and style not in ("Title", "Titre", "Subtitle", "Sous-titre"):
            self.styled_headings += 1
            block = Heading(id=self.b.new_id(), level=outline, text=text)
        elif style in ("Title", "Titre", "Subtitle", "Sous-titre"):
            if style in ("Title", "Titre") and self.title is None:
                self.title = text
            block = Paragraph(id=self.b.new_id(), text=text, role="title")
        elif "quote" in style.lower() or "citation" in style.lower():
            block = Paragraph(id=self.b.new_id(), text=text, role="quote")
        else:
            block = Paragraph(id=self.b.new_id(), text=text)
            self._note_format(para, block)
        self.b.add(block)
        declared = _paragraph_lang(p)
        if declared:
            self.block_langs[block.id] = declared
        if has_math and p.find(_q("m:oMathPara")) is not None:
            self._formulas(p)
        self._flush_notes()

    # -- equations ------------------------------------------------------------------------------

    def _formulas(self, p: Any) -> None:
        """Each equation of a math paragraph as a :class:`Formula` (MathML + linear text)."""
        for omath in p.iter(_q("m:oMath")):
            display = omath.getparent().tag == _q("m:oMathPara") or p.find(_q("m:oMathPara")) is None
            try:
                mathml, linear = omml_to_mathml(omath, display=display)
                mathml = sanitize_mathml(mathml) if mathml else None
            except Exception as exc:  # an equation we cannot convert: keep its raw text
                linear = " ".join("".join(t.text or "" for t in omath.iter(_q("m:t"))).split())
                mathml = None
                self.b.issue("formula.unconverted", reason=exc)
            if linear:
                self.texts.append(linear)
                self.b.add(Formula(id=self.b.new_id(), text=linear, mathml=mathml))

    # -- notes ----------------------------------------------------------------------------------

    def _queue_notes(self, element: Any) -> None:
        self.pending_notes.extend(self.notes.calls(element))

    def _flush_notes(self) -> None:
        """Emit the notes called since the last flush, after the block that called them."""
        for call in self.pending_notes:
            text = self.notes.text(call)
            if text is None and self.notes_lost is not None:  # its part is lost: a placeholder says so
                note = self.b.add(Note(id=self.b.new_id(), kind=call.kind, label=call.label, text=call.label))
                self.placeholders.append((note, "note"))
                self.b.issue("docx.notes_unreadable", reason=self.notes_lost, block_id=note.id)
                continue
            if text is None:
                self.b.issue("docx.note_missing", kind=call.kind, label=call.label)
                continue
            self.texts.append(text)
            self.b.add(Note(id=self.b.new_id(), kind=call.kind, label=call.label, text=text))
        self.pending_notes = []

    # -- inferred headings ----------------------------------------------------------------------

    def _default_size(self) -> float:
        """The document's default font size in points (``w:docDefaults``; Word's own default 10 pt)."""
        try:
            values = self.document.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:sz/@w:val")
            return int(values[0]) / 2 if values else 10.0
        except Exception:
            return 10.0

    def _note_format(self, para: Any, block: Paragraph) -> None:
        """Record the paragraph's size (for the body size) and keep it as a heading candidate."""
        sizes: dict[float, int] = {}
        bold_chars = total = 0
        for run in para.runs:
            length = len(run.text.strip())
            if not length:
                continue
            size = _run_size(run, para) or self.default_size
            sizes[size] = sizes.get(size, 0) + length
            total += length
            if _run_bold(run, para):
                bold_chars += length
        if not total:
            return
        size = max(sizes, key=sizes.__getitem__)
        self.body_paragraphs += 1
        self.size_chars[size] = self.size_chars.get(size, 0) + total
        words = block.text.split()
        if (
            len(words) <= INFERRED_MAX_WORDS
            and len(block.text) <= INFERRED_MAX_CHARS
            and not block.text.endswith((".", ":", ";", ","))
            and block.text[:1].isalnum()
        ):
            self.candidates.append((block, size, bold_chars == total))

    def _infer_headings(self) -> None:
        """Turn bold or large short paragraphs into headings when the author used no heading style."""
        if self.styled_headings or not self.candidates or not self.size_chars:
            return
        body = max(self.size_chars, key=self.size_chars.__getitem__)
        chosen = [
            (block, size, bold)
            for block, size, bold in self.candidates
            if size >= body * LARGER or (bold and size >= body)
        ]
        # A document that is mostly bold or large lines has no visible hierarchy to recover.
        if not chosen or len(chosen) > max(2, self.body_paragraphs // 2):
            return
        larger = sorted({size for _, size, _ in chosen if size >= body * LARGER}, reverse=True)
        index = {id(block): i for i, block in enumerate(self.b.blocks)}
        for block, size, _ in chosen:
            level = larger.index(size) + 1 if size in larger else len(larger) + 1
            heading = Heading(id=block.id, level=min(level, 6), text=block.text, lang=block.lang)
            self.b.blocks[index[id(block)]] = heading
        self.b.issue("docx.headings_inferred", n=len(chosen))

    # -- language -------------------------------------------------------------------------------

    def _block_languages(self, doc_lang: str) -> None:
        """Set ``lang`` on blocks whose runs declare another language than the document's."""
        primary = doc_lang.split("-")[0].lower()
        for block in self.b.blocks:
            declared = self.block_langs.get(block.id)
            if not declared or declared.split("-")[0].lower() == primary:
                continue
            text = block.plain_text()
            declared_primary = declared.split("-")[0].lower()
            # Word tags runs with the keyboard's language: trust a French/English tag only when the text
            # does not clearly read as the document's language.
            if (
                len(text) >= 20
                and declared_primary in ("fr", "en")
                and primary in ("fr", "en")
                and guess_language(text, default=declared_primary) != declared_primary
            ):
                continue
            block.lang = declared

    def _caption(self, text: str) -> None:
        """Attach a caption to the figure or table just before it, else to the next one."""
        self._end_list()
        previous = self.b.blocks[-1] if self.b.blocks else None
        if isinstance(previous, Figure | Table) and not previous.caption:
            previous.caption = text
        else:
            if self.pending_caption:
                self.b.add(Paragraph(id=self.b.new_id(), text=self.pending_caption, role="caption"))
            self.pending_caption = text

    # -- lists ----------------------------------------------------------------------------------

    def _numbering_formats(self) -> dict[tuple[str, str], str]:
        """(numId, ilvl) -> numFmt ("bullet", "decimal"...), from the numbering part."""
        formats: dict[tuple[str, str], str] = {}
        try:
            numbering = self.document.part.numbering_part.element
        except Exception:  # no numbering part
            return formats
        abstract: dict[str, dict[str, str]] = {}
        for node in numbering.findall(_q("w:abstractNum")):
            levels = {}
            for lvl in node.findall(_q("w:lvl")):
                fmt = lvl.find(_q("w:numFmt"))
                levels[lvl.get(_q("w:ilvl"))] = fmt.get(_q("w:val")) if fmt is not None else "bullet"
            abstract[node.get(_q("w:abstractNumId"))] = levels
        for num in numbering.findall(_q("w:num")):
            ref = num.find(_q("w:abstractNumId"))
            if ref is None:
                continue
            for ilvl, fmt in abstract.get(ref.get(_q("w:val")), {}).items():
                formats[(num.get(_q("w:numId")), ilvl)] = fmt
        return formats

    def _list_info(self, p: Any, style: str) -> tuple[int | None, bool]:
        """(level, ordered) of a list paragraph, (None, False) for any other paragraph."""
        num_pr = p.find(f"{_q('w:pPr')}/{_q('w:numPr')}")
        if num_pr is not None:
            num_id = num_pr.find(_q("w:numId"))
            ilvl = num_pr.find(_q("w:ilvl"))
            num = num_id.get(_q("w:val")) if num_id is not None else None
            if num == "0":  # numbering explicitly removed: a plain paragraph despite a list style
                return None, False
            if num:
                level = ilvl.get(_q("w:val")) if ilvl is not None else "0"
                fmt = self._formats.get((num, level), "bullet")
                return max(0, min(int(level), 8)), fmt not in ("bullet", "none")
        match = _LIST_STYLE.match(style)
        if match:
            return (int(match.group(2)) - 1 if match.group(2) else 0), match.group(1).lower() == "number"
        return None, False

    def _list_item(self, text: str, level: int, ordered: bool) -> None:
        stack = self.list_stack
        if not stack:
            stack.append(self.b.add(ListBlock(id=self.b.new_id(), ordered=ordered)))
        while len(stack) > level + 1:
            stack.pop()
        while len(stack) < level + 1 and stack[-1].items:
            child = ListBlock(id=self.b.new_id(), ordered=ordered)
            stack[-1].items[-1].children = child
            stack.append(child)
        stack[-1].items.append(ListItem(text=text))

    def _end_list(self) -> None:
        if self.list_stack:
            self.list_stack = []
            self._flush_notes()

    # -- tables ---------------------------------------------------------------------------------

    def _table(self, tbl: Any) -> None:
        look = tbl.find(f"{_q('w:tblPr')}/{_q('w:tblLook')}")
        header_row = True  # most course tables have one; an explicit tblLook says otherwise
        if look is not None:
            first = look.get(_q("w:firstRow"))
            if first is not None:
                header_row = first in ("1", "true", "on")
            elif look.get(_q("w:val")):
                header_row = bool(int(look.get(_q("w:val")), 16) & 0x0020)
        rows: list[list[TableCell]] = []
        # column index -> the cell that a vMerge continuation extends
        open_merges: dict[int, TableCell] = {}
        for r, tr in enumerate(tbl.findall(_q("w:tr"))):
            repeat_header = tr.find(f"{_q('w:trPr')}/{_q('w:tblHeader')}") is not None
            cells: list[TableCell] = []
            column = 0
            for tc in tr.findall(_q("w:tc")):
                tc_pr = tc.find(_q("w:tcPr"))
                span_el = tc_pr.find(_q("w:gridSpan")) if tc_pr is not None else None
                span = int(span_el.get(_q("w:val"), "1")) if span_el is not None else 1
                vmerge = tc_pr.find(_q("w:vMerge")) if tc_pr is not None else None
                if (
                    vmerge is not None
                    and vmerge.get(_q("w:val")) in (None, "continue")
                    and column in open_merges
                ):
                    open_merges[column].row_span += 1
                    column += span
                    continue
                text = " ".join(
                    "".join(node.text or "" for node in par.iter(_q("w:t"))) for par in tc.iter(_q("w:p"))
                )
                text = " ".join(text.split())
                self.texts.append(text)
                cell = TableCell(
                    text=text, header=(r == 0 and header_row) or repeat_header, col_span=max(1, span)
                )
                cells.append(cell)
                if vmerge is not None and vmerge.get(_q("w:val")) == "restart":
                    open_merges[column] = cell
                else:
                    open_merges.pop(column, None)
                column += span
            if cells:
                rows.append(cells)
        caption_el = tbl.find(f"{_q('w:tblPr')}/{_q('w:tblCaption')}")
        table = Table(id=self.b.new_id(), rows=rows)
        if self.pending_caption:
            table.caption, self.pending_caption = self.pending_caption, None
        elif caption_el is not None and caption_el.get(_q("w:val")):
            table.caption = caption_el.get(_q("w:val"))
        self.b.add(table)

    # -- pictures -------------------------------------------------------------------------------

    def _pictures(self, p: Any) -> list[Figure | Table]:
        """The paragraph's pictures and charts (a chart as the table of its data), in order."""
        figures: list[Figure | Table] = []
        for drawing in p.iter(_q("w:drawing")):
            doc_pr = drawing.find(f".//{_q('wp:docPr')}")
            blip = drawing.find(f".//{_q('a:blip')}")
            alt, decorative = _alt(doc_pr)
            chart = drawing.find(f".//{_q('c:chart')}")
            if blip is None and chart is not None:
                figures.append(self._chart(chart, alt))
                continue
            if blip is None:
                continue  # a shape or SmartArt: no picture to extract
            figure = Figure(id=self.b.new_id(), alt=alt, decorative=decorative)
            rel_id = blip.get(_q("r:embed"))
            try:
                part = self.document.part.related_parts.get(rel_id) if rel_id else None
                if (
                    part is None
                ):  # a dangling relationship, or none (LibreOffice's for a picture it could not read)
                    raise ValueError(
                        f"{rel_id}: the picture is not in the file" if rel_id else "no picture data"
                    )
                blob, content_type = part.blob, part.content_type
                self._check_size(blob)
                data, media_type = _web_image(blob, content_type)
                figure.image = self.b.add_resource(data, media_type)
            except _Skip:
                continue
            except Exception as exc:
                self.b.issue("image.unreadable", reason=exc, block_id=figure.id)
            figures.append(figure)
        return figures

    def _chart(self, chart: Any, alt: str | None) -> Block:
        """A chart's data as a table (as for a slide's chart), else a figure placeholder to describe, which
        the ``chart.needs_description`` issue points at (a chart part that does not parse, or is missing)."""
        from pptx.chart.chart import Chart
        from pptx.oxml import parse_xml

        rel_id = chart.get(_q("r:id"))
        try:
            part = self.document.part.related_parts.get(rel_id)
            if part is None:
                raise ValueError(f"{rel_id}: the chart is not in the file")
            rows, caption = chart_table(Chart(parse_xml(part.blob), None))
            if not rows[1:]:
                raise ValueError("the chart has no data")
        except Exception as exc:
            figure = Figure(id=self.b.new_id(), alt=alt)
            self.b.issue("chart.needs_description", reason=exc, block_id=figure.id)
            return figure
        self.texts.extend(cell.text for row in rows for cell in row if cell.text)
        return Table(id=self.b.new_id(), rows=rows, caption=caption or alt)

    def _check_size(self, blob: bytes) -> None:
        """Raise :class:`_Skip` for a tiny image or one above ``max_image_pixels`` (reported)."""
        size = image_size(blob)
        if size is None:
            return
        width, height = size
        if (width < MIN_IMAGE_PX or height < MIN_IMAGE_PX) and width * height < 1 << 20:
            raise _Skip()
        if width * height > self.ctx.max_image_pixels:
            self.b.issue(
                "image.too_large",
                megapixels=f"{width * height / 1e6:.0f}",
                limit=f"{self.ctx.max_image_pixels / 1e6:.0f}",
            )
            raise _Skip()


class _Skip(Exception):
    """A picture deliberately left out."""


def _alt(doc_pr: Any) -> tuple[str | None, bool]:
    if doc_pr is None:
        return None, False
    decorative = any(el.get("val") in ("1", "true") for el in doc_pr.iter(_q("adec:decorative")))
    descr = _AUTO_ALT.sub("", doc_pr.get("descr") or "")
    descr = " ".join(descr.split())
    if not descr or _USELESS_ALT.match(descr):
        return None, decorative
    return descr, decorative


def _body_children(body: Any) -> Any:
    """Paragraphs and tables of the body in order, opening content controls (``w:sdt``)."""
    for child in body.iterchildren():
        if child.tag == _q("w:sdt"):
            content = child.find(_q("w:sdtContent"))
            if content is not None:
                yield from _body_children(content)
        elif child.tag in (_q("w:p"), _q("w:tbl")):
            yield child


def _monospace_paragraph(para: Any) -> bool:
    """A paragraph whose every run with text is set in a monospace font (its own or its character style's)."""
    fonts = []
    for run in para.runs:
        if run.text.strip():
            style_font = run.style.font.name if run.style is not None else None
            fonts.append(run.font.name or style_font)
    return bool(fonts) and all(is_monospace_font(font) for font in fonts)


def _text_with_math(p: Any) -> str:
    """The paragraph's text with inline equations written as their linear text."""
    parts: list[str] = []
    for child in p:
        if child.tag in (_q("w:r"), f"{{{_W}}}hyperlink"):
            parts.append(child.text or "")
        elif child.tag == _q("m:oMath"):
            parts.append(omml_to_mathml(child)[1])
    return "".join(parts)


def _paragraph_lang(p: Any) -> str | None:
    """The language most of the paragraph's characters are tagged with (``w:rPr/w:lang/@w:val``)."""
    counts: dict[str, int] = {}
    for run in p.iter(_q("w:r")):
        lang = run.find(f"{_q('w:rPr')}/{_q('w:lang')}")
        value = lang.get(_q("w:val")) if lang is not None else None
        if value:
            length = sum(len(t.text or "") for t in run.iter(_q("w:t")))
            counts[value] = counts.get(value, 0) + length
    return max(counts, key=counts.__getitem__) if counts and max(counts.values()) else None


def _outline_level(p: Any, para: Any) -> int | None:
    """Heading level from an outline level (``w:outlineLvl`` 0-5 -> 1-6; 9 = body text), set on the
    paragraph or its style chain (LibreOffice writes headings this way, Word's navigation pane reads it)."""
    candidates = [p.find(f"{_q('w:pPr')}/{_q('w:outlineLvl')}")]
    candidates += [
        style.element.find(f"{_q('w:pPr')}/{_q('w:outlineLvl')}") for style in _style_chain(para.style)
    ]
    for node in candidates:
        if node is None:
            continue
        try:
            value = int(node.get(_q("w:val"), "9"))
        except ValueError:
            return None
        return value + 1 if 0 <= value <= 5 else None
    return None


def _style_chain(style: Any) -> Any:
    while style is not None:
        yield style
        style = style.base_style


def _run_size(run: Any, para: Any) -> float | None:
    """The run's font size in points: its own, its character style's, else its paragraph style chain's."""
    if run.font.size is not None:
        return run.font.size.pt
    for style in [*_style_chain(run.style if run.style is not None else None), *_style_chain(para.style)]:
        if style.font.size is not None:
            return style.font.size.pt
    return None


def _run_bold(run: Any, para: Any) -> bool:
    if run.bold is not None:
        return bool(run.bold)
    for style in [*_style_chain(run.style if run.style is not None else None), *_style_chain(para.style)]:
        if style.font.bold is not None:
            return bool(style.font.bold)
    return False
