"""A tagged PDF's own structure (its structure tree) -> blocks of the model, with checks that the tree is honest.

Word, LibreOffice, InDesign and LaTeX (tagpdf) write a structure tree (``/StructTreeRoot``): the
author's reading order, headings, lists, tables with their header cells, each figure's ``/Alt``
and each element's ``/Lang``; page furniture is marked ``/Artifact`` and is outside the tree. When
the tree is sane, :class:`~inclusio.converters.pdf.PdfConverter` builds the document from it
instead of guessing from the layout.

How it is read (no dependency besides PyMuPDF)
----------------------------------------------
* The tree itself (roles, ``/RoleMap``, ``/Alt``, ``/ActualText``, ``/Lang``, ``/Pg``, table
  ``/A`` attributes) is walked with MuPDF's object API (``pymupdf.mupdf.pdf_dict_gets``...):
  :func:`read_tree`. Cycles, depth and size are bounded.
* The text of each element comes from MuPDF's own marked-content reader: ``get_text("dict")`` with
  ``TEXT_COLLECT_STRUCTURE`` nests the page's text blocks in structure blocks (``type`` 2) that
  carry the element's ``index`` among its parent's ``/K`` kids, so an element is found by the
  path of indices from the root (:func:`page_text`). MuPDF decodes the fonts (``ToUnicode``),
  which a content-stream parser (pikepdf) would have to redo; this is why pikepdf is not used.
* Standard roles are kept as they are even when the ``/RoleMap`` maps them (InDesign maps its
  ``Table`` to ``Sect``; the spec forbids remapping standard types); custom roles follow the map.
* Tables off (``INCLUSIO_PDF_TABLES=false``, :attr:`ConvertContext.pdf_tables`) means the same as on the
  layout path: no :class:`Table`; each row's text is a paragraph, the caption a caption.

Lying trees
-----------
:func:`check` compares the tree with the page: no text under the tags (``pdf.tags_no_text``),
tags covering less than :data:`MIN_COVERAGE` of the page text outside the header/footer bands
(``pdf.tags_partial``), everything in one element (``pdf.tags_one_block``), or an order that
reads a column bottom-up or pages backwards (``pdf.tags_out_of_order``). Any of them: the layout
analysis is used, with that warning.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from inclusio.converters.pdf_text import Line, join_lines, page_lines
from inclusio.model import (
    BBox,
    Block,
    Figure,
    Formula,
    Heading,
    ListBlock,
    ListItem,
    Note,
    Paragraph,
    SourceRef,
    Table,
    TableCell,
)

MAX_DEPTH = 64
MAX_ELEMENTS = 200_000
MIN_COVERAGE = 0.6
"""Share of the page text (outside the header/footer bands) the tags must hold."""
MAX_INVERSIONS = 0.25
"""Share of comparable element pairs (same page, same column) the tree may read bottom-up."""
BAND = 0.09

_HEADINGS = {"H1": 1, "H2": 2, "H3": 3, "H4": 4, "H5": 5, "H6": 6}
_INLINE = frozenset(
    [
        "Span",
        "Link",
        "Em",
        "Strong",
        "Quote",
        "Code",
        "Reference",
        "BibEntry",
        "Annot",
        "Ruby",
        "RB",
        "RT",
        "RP",
        "Warichu",
        "WT",
        "WP",
        "Sub",
        "Lbl",
        "Form",
    ]
)
_CONTAINERS = frozenset(
    [
        "Document",
        "DocumentFragment",
        "Part",
        "Art",
        "Sect",
        "Div",
        "NonStruct",
        "Private",
        "TOC",
        "Index",
        "Aside",
        "BlockQuote",
    ]
)
_TABLE_PARTS = frozenset(["THead", "TBody", "TFoot"])
_STANDARD = frozenset(
    [
        *_HEADINGS,
        *_INLINE,
        *_CONTAINERS,
        *_TABLE_PARTS,
        "H",
        "P",
        "Title",
        "Caption",
        "L",
        "LI",
        "LBody",
        "Table",
        "TR",
        "TH",
        "TD",
        "Figure",
        "Formula",
        "Note",
        "FENote",
        "TOCI",
        "Artifact",
    ]
)
_LABEL = re.compile(r"^\s*(?:[•◦▪▫■□●○►▸‣⁃∙·–—\-*▶\ue000-\uf8ff]|(\d{1,3}[.)]|[a-zA-Z][.)]|\(\w{1,3}\)))\s*")
_LEADER = re.compile(r"(?:\s*\.){2,}\s*$|(?:\s*\.){4,}\s*")
_SPLIT_FIGURE = re.compile(r"(?<=\d[.,])\s+(?=\d)")
_FIGURE = re.compile(r"^[\d\s.,%()+\-–—X]+$")
_USELESS_ALT = re.compile(
    r"(?i)^\s*(?:(?:picture|image|img|photo|graphic|figure|grafik)\s*\d*|.*\.(?:png|jpe?g|gif|bmp|tiff?|emf|wmf|svg))\s*$"
)
_AUTO_ALT = re.compile(r"\s*Description automatically generated.*$", re.IGNORECASE | re.DOTALL)
"""Word's automatic alt text ends with this sentence (kept by LibreOffice's export); what comes before is kept."""
_NOTE_LABEL = re.compile(r"^\s*(\d{1,3}|[*†‡])\s*")


@dataclass
class Node:
    """One structure element."""

    role: str
    """Standard role (after the role map)."""
    raw: str
    path: tuple[int, ...]
    page: int | None = None
    """0-based page of ``/Pg`` (inherited from the parent)."""
    alt: str | None = None
    actual: str | None = None
    lang: str | None = None
    """``/Lang``, inherited from the parent."""
    col_span: int = 1
    row_span: int = 1
    kids: list[Node] = field(default_factory=list)


@dataclass
class _Piece:
    page: int
    seq: int
    line: Line
    spaced: tuple[bool, bool] = (False, False)
    """The text layer has a space before / after the line's text (:class:`Line` keeps it stripped, its box
    does not): a word space at the edge of an inline element ("need the " + Code "glyph")."""
    math: bool = False
    """An inline formula's text (:func:`_formula_pieces`): words on either side of it are kept apart."""


@dataclass
class TagText:
    """The text of every element, by path, read from the pages."""

    pieces: dict[tuple[int, ...], list[_Piece]] = field(default_factory=dict)
    tagged_chars: int = 0
    page_chars: int = 0
    """Characters of the pages outside the header/footer bands, tagged or not."""
    seq: int = 0


# -- the tree -----------------------------------------------------------------------------------


def _text(obj: Any, mupdf: Any) -> str | None:
    if obj is None or mupdf.pdf_is_null(obj):
        return None
    text = " ".join(mupdf.pdf_to_text_string(obj).split())
    return text or None


def _role_map(root: Any, mupdf: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    rmap = mupdf.pdf_dict_gets(root, "RoleMap")
    if not mupdf.pdf_is_dict(rmap):
        return out
    for i in range(mupdf.pdf_dict_len(rmap)):
        key, value = mupdf.pdf_dict_get_key(rmap, i), mupdf.pdf_dict_get_val(rmap, i)
        if mupdf.pdf_is_name(value):
            out[mupdf.pdf_to_name(key)] = mupdf.pdf_to_name(value)
    return out


def standard_role(raw: str, role_map: dict[str, str]) -> str:
    """The standard role of ``raw``: itself when standard, else followed through the role map."""
    role, seen = raw, set()
    while role not in _STANDARD and role in role_map and role not in seen:
        seen.add(role)
        role = role_map[role]
    return role if role in _STANDARD else "NonStruct"


def _attribute(elem: Any, name: str, mupdf: Any) -> int:
    """An integer table attribute (``ColSpan``, ``RowSpan``) of ``/A`` (a dict or an array of them)."""
    attrs = mupdf.pdf_dict_gets(elem, "A")
    dicts = (
        [mupdf.pdf_array_get(attrs, i) for i in range(mupdf.pdf_array_len(attrs))]
        if mupdf.pdf_is_array(attrs)
        else [attrs]
    )
    for item in dicts:
        if mupdf.pdf_is_dict(item):
            value = mupdf.pdf_dict_gets(item, name)
            if mupdf.pdf_is_int(value):
                return max(1, min(1000, mupdf.pdf_to_int(value)))
    return 1


def _kids(obj: Any, mupdf: Any) -> list[Any]:
    kids = mupdf.pdf_dict_gets(obj, "K")
    if mupdf.pdf_is_array(kids):
        return [mupdf.pdf_array_get(kids, i) for i in range(mupdf.pdf_array_len(kids))]
    return [] if mupdf.pdf_is_null(kids) else [kids]


class _TreeReader:
    def __init__(self, pdf: Any, mupdf: Any, role_map: dict[str, str]) -> None:
        self.pdf = pdf
        self.mupdf = mupdf
        self.role_map = role_map
        self.seen: set[int] = set()
        self.count = 0

    def node(self, elem: Any, path: tuple[int, ...], parent: Node | None) -> Node | None:
        m = self.mupdf
        if not m.pdf_is_dict(elem) or len(path) > MAX_DEPTH or self.count >= MAX_ELEMENTS:
            return None
        num = m.pdf_to_num(elem) if m.pdf_is_indirect(elem) else 0
        if num and num in self.seen:
            return None
        self.seen.add(num)
        s = m.pdf_dict_gets(elem, "S")
        if not m.pdf_is_name(s):  # a marked-content or object reference: not an element
            return None
        self.count += 1
        raw = m.pdf_to_name(s)
        pg = m.pdf_dict_gets(elem, "Pg")
        page = parent.page if parent else None
        if m.pdf_is_dict(pg):
            with contextlib.suppress(Exception):  # a /Pg that is no page: inherit the parent's
                page = m.pdf_lookup_page_number(self.pdf, pg)
        lang = _text(m.pdf_dict_gets(elem, "Lang"), m)
        node = Node(
            role=standard_role(raw, self.role_map),
            raw=raw,
            path=path,
            page=page if page is not None and page >= 0 else None,
            alt=_text(m.pdf_dict_gets(elem, "Alt"), m),
            actual=_text(m.pdf_dict_gets(elem, "ActualText"), m),
            lang=lang or (parent.lang if parent else None),
        )
        if node.role in ("TD", "TH"):
            node.col_span = _attribute(elem, "ColSpan", m)
            node.row_span = _attribute(elem, "RowSpan", m)
        for i, kid in enumerate(_kids(elem, m)):
            child = self.node(kid, (*path, i), node)
            if child is not None:
                node.kids.append(child)
        return node


def read_tree(doc: Any) -> list[Node]:
    """The top elements of the document's structure tree; [] when it has none."""
    import pymupdf
    from pymupdf import mupdf

    try:
        pdf = pymupdf._as_pdf_document(doc)
        root = mupdf.pdf_dict_gets(mupdf.pdf_dict_gets(mupdf.pdf_trailer(pdf), "Root"), "StructTreeRoot")
    except Exception:  # noqa: BLE001 - no usable catalog: no tags
        return []
    if not mupdf.pdf_is_dict(root):
        return []
    reader = _TreeReader(pdf, mupdf, _role_map(root, mupdf))
    top = [reader.node(kid, (i,), None) for i, kid in enumerate(_kids(root, mupdf))]
    return [n for n in top if n is not None]


# -- the text under each element ----------------------------------------------------------------


def page_text(page: Any, pno: int, pymupdf: Any, text: TagText, furniture: Any = None) -> None:
    """Add the text of one page, under the path of the structure element holding it, to ``text``.

    ``furniture(line, page_height)`` says a line is a running header, footer or page number: MuPDF
    attaches the text of an ``/Artifact`` sequence to the element marked before it (a page number
    would end the page's last paragraph), so such lines are left out as the layout path leaves them."""
    flags = (pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_PRESERVE_IMAGES) | pymupdf.TEXT_COLLECT_STRUCTURE
    page_dict = page.get_text("dict", flags=flags)
    height = (page.rect * page.derotation_matrix).height  # text comes unrotated (pdf.page_box)

    def add(line: Line, path: tuple[int, ...], spaced: tuple[bool, bool]) -> None:
        if furniture is not None and furniture(line, height):
            return
        n = len(line.text.strip())
        if path:
            text.tagged_chars += n
            text.seq += 1
            text.pieces.setdefault(path, []).append(_Piece(pno, text.seq, line, spaced))
        if path or height * BAND < line.bbox[1] and line.bbox[3] < height * (1 - BAND):
            text.page_chars += n

    def visit(blocks: list[dict[str, Any]], path: tuple[int, ...]) -> None:
        for block in blocks:  # in the page's order: text and nested elements interleave (a Link in a P)
            if block.get("type") == 0:
                raw = [t for t in map(_raw_text, block.get("lines", ())) if t.strip()]
                lines = page_lines({"blocks": [block]})
                for i, line in enumerate(lines):  # one Line per line with text, in order
                    edge = raw[i] if len(raw) == len(lines) else ""
                    add(line, path, (edge[:1].isspace(), edge[-1:].isspace()))
            elif block.get("type") == 2:
                visit(block.get("blocks", []), (*path, int(block.get("index", 0))))

    visit(page_dict.get("blocks", []), ())


def _raw_text(line: dict[str, Any]) -> str:
    """A text line's characters as :func:`page_lines` reads them (before it strips them)."""
    return "".join(s.get("text", "") for s in line.get("spans", ()) if s.get("text")).replace("\xa0", " ")


def _lines(node: Node, text: TagText, *, inline_only: bool = False) -> list[_Piece]:
    """The pieces of text under ``node`` (only its own and its inline kids' with ``inline_only``)."""
    out = list(text.pieces.get(node.path, ()))
    for kid in node.kids:
        if not inline_only or kid.role in _INLINE:
            out.extend(_lines(kid, text))
    out.sort(key=lambda p: (p.page, p.seq))
    return out


def _by_size(pieces: list[_Piece]) -> list[list[_Piece]]:
    """A container's own text cut where the font size changes, or the weight from one line to the next:
    tagpdf (2022) puts a section's title straight in its ``Sect``, before the section's first untagged line
    ("Changes in 0.6" / "Breaking change!"); one paragraph of both hid the title from its bookmark
    (:func:`_headings_from_bookmarks`)."""
    parts: list[list[_Piece]] = []
    for piece in pieces:
        last = parts[-1][-1].line if parts else None
        line = piece.line
        if last is not None and (
            abs(last.size - line.size) >= 0.08 * max(last.size, 1.0)
            or (last.bold != line.bold and line.bbox[1] >= last.bbox[3] - 0.5 * last.height)
        ):
            parts.append([piece])
        elif parts:
            parts[-1].append(piece)
        else:
            parts.append([piece])
    return parts


def _join(pieces: list[_Piece]) -> str:
    """Text of pieces: pieces on one baseline are one visual line; visual lines are joined as prose."""
    visual: list[list[_Piece]] = []
    for piece in pieces:
        last = visual[-1][-1] if visual else None
        if (
            last is not None
            and last.page == piece.page
            and abs(last.line.bbox[3] - piece.line.bbox[3]) < 0.5 * max(last.line.size, 1)
            and piece.line.bbox[0] >= last.line.bbox[2] - 1
        ):
            visual[-1].append(piece)
        else:
            visual.append([piece])
    rows = []
    for row in visual:
        out = ""
        for i, piece in enumerate(row):
            part = piece.line.text
            if i and not out.endswith(" ") and not part.startswith(" "):
                gap = piece.line.bbox[0] - row[i - 1].line.bbox[2]
                resized = abs(piece.line.size - row[i - 1].line.size) > 0.2 * max(piece.line.size, 1)
                spaced = row[i - 1].spaced[1] or piece.spaced[0]
                spaced = (
                    spaced or (row[i - 1].math and part[:1].isalnum()) or (piece.math and out[-1:].isalnum())
                )
                out += (
                    " " if gap > 0.2 * piece.line.size or resized or spaced else ""
                )  # a superscript call too
            out += part
        rows.append(" ".join(out.split()))
    return join_lines([r for r in rows if r])


def _formula_pieces(node: Node, pieces: list[_Piece]) -> list[_Piece]:
    """A formula's pieces as one piece holding its ``/ActualText`` (or ``/Alt``), where its longest piece is:
    MuPDF spreads an ActualText over the glyphs it stands for, with spaces where they are apart and pieces on
    other lines ("$ \\" at the end of the line before, then "tt x$", for "$\\tt x$")."""
    text = node.actual or node.alt
    if not text or not pieces or len({p.page for p in pieces}) > 1:
        return pieces
    main = max(pieces, key=lambda p: len(p.line.text))
    line = dataclasses.replace(main.line, text=text)
    return [
        _Piece(pieces[0].page, pieces[0].seq, line, (pieces[0].spaced[0], pieces[-1].spaced[1]), math=True)
    ]


def _in_a_line(pieces: list[_Piece], own: list[_Piece]) -> bool:
    """``pieces`` (a Formula's) sit inside a line of ``own`` (its paragraph's text): each is level with a
    piece of the paragraph on its page (the middle of one inside the other's height)."""

    def level(a: _Piece, b: _Piece) -> bool:
        middle = (a.line.bbox[1] + a.line.bbox[3]) / 2
        return a.page == b.page and b.line.bbox[1] <= middle <= b.line.bbox[3]

    return bool(pieces) and all(any(level(p, o) or level(o, p) for o in own) for p in pieces)


def _labels(label: list[_Piece], after: list[Node | list[_Piece]], text: TagText) -> bool:
    """``label`` (a ``Lbl``'s pieces) is a short number set on the baseline of the first line of what follows it
    (``after``: the container's own text, or a heading kid), to its left."""
    if not after or not label or len({(p.page, round(p.line.bbox[3])) for p in label}) != 1:
        return False
    if len(_join(label)) > 12:
        return False
    nxt = after[0]
    if isinstance(nxt, Node):
        if not (nxt.role in _HEADINGS or nxt.role in ("H", "Title")):
            return False
        nxt = _lines(nxt, text)
    if not nxt:
        return False
    first, last = nxt[0], label[-1]
    return (
        first.page == last.page
        and abs(first.line.bbox[3] - last.line.bbox[3]) < 0.5 * max(first.line.size, 1)
        and first.line.bbox[0] >= last.line.bbox[2] - 1
    )


def _bbox(pieces: list[_Piece]) -> tuple[int | None, BBox | None]:
    """The first page of ``pieces`` and the union of their boxes on it."""
    if not pieces:
        return None, None
    page = pieces[0].page
    boxes = [p.line.bbox for p in pieces if p.page == page]
    return page, BBox(
        x0=min(b[0] for b in boxes),
        y0=min(b[1] for b in boxes),
        x1=max(b[2] for b in boxes),
        y1=max(b[3] for b in boxes),
    )


# -- the blocks ---------------------------------------------------------------------------------


def _lang(node: Node) -> str | None:
    if not node.lang:
        return None
    primary = node.lang.split("-")[0].strip().lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


class TagBlocks:
    """Blocks of the model from the structure tree, in the tree's order (its reading order)."""

    def __init__(self, text: TagText, new_id: Any, *, tables: bool = True) -> None:
        self.text = text
        self.new_id = new_id
        self.tables = tables
        """``False`` (``INCLUSIO_PDF_TABLES=false``): a table's text is read as paragraphs, one per row, as the
        layout path reads a page whose tables are not looked for."""
        self.blocks: list[Block] = []
        self.label: list[_Piece] = []
        """The pieces of a section number tagged ``Lbl`` beside the heading being emitted."""
        self.figures: list[Figure] = []
        """Figures of the tree, in order; their images are attached by the converter."""

    def ref(self, node: Node, pieces: list[_Piece]) -> SourceRef | None:
        page, bbox = _bbox(pieces)
        if page is None:
            page = node.page
        return SourceRef(page=page + 1, bbox=bbox) if page is not None else None

    def add(self, block: Block, node: Node) -> None:
        block.lang = _lang(node)
        self.blocks.append(block)

    def emit(self, node: Node, sections: int = 0) -> None:
        role = node.role
        if role == "Artifact":
            return
        if role in _HEADINGS or role in ("H", "Title"):
            self.heading(node, _HEADINGS.get(role, min(6, max(1, sections))))
        elif role == "L":
            self.list_(node)
        elif role == "Table" or (role not in ("TR", "TH", "TD") and any(k.role == "TR" for k in node.kids)):
            self.table(node)
        elif role == "Figure":
            self.figure(node)
        elif role == "Formula":
            self.formula(node)
        elif role in ("Note", "FENote"):
            self.note(node)
        else:
            self.paragraph_like(node, sections + (role == "Sect"))

    def paragraph_like(self, node: Node, sections: int) -> None:
        """A container's own text and its kids in order; a paragraph's own text with its inline kids, then
        its block kids (LibreOffice puts a figure inside a ``P``; InDesign a table)."""
        if node.role in _CONTAINERS or node.role in _TABLE_PARTS or node.role == "NonStruct":
            self._container(node, sections)
            return
        own = _lines(node, self.text, inline_only=True)
        formulas = {id(k): _formula_pieces(k, _lines(k, self.text)) for k in node.kids if k.role == "Formula"}
        inline = [k for k in node.kids if _in_a_line(formulas.get(id(k), []), own)]
        if inline:  # math inside a sentence stays in the sentence, as its text (the DOCX path does the same)
            own = sorted(own + [p for k in inline for p in formulas[id(k)]], key=lambda p: (p.page, p.seq))
        if own:
            self._paragraph(node, own)
        for kid in node.kids:
            if kid.role not in _INLINE and not any(kid is k for k in inline):
                self.emit(kid, sections)

    def _container(self, node: Node, sections: int) -> None:
        """A container's kids in the tree's order, its own text (cut by :func:`_by_size`) put among them where
        the page has it; a section number tagged ``Lbl`` on the baseline of the title that follows it (the
        container's own text or a heading kid: tagpdf, 2022) is read with that title, before it."""
        own = _by_size(list(self.text.pieces.get(node.path, ())))
        items: list[Node | list[_Piece]] = []
        for kid in node.kids:
            first = _lines(kid, self.text)
            while own and first and own[0][0].seq < first[0].seq:
                items.append(own.pop(0))
            items.append(kid)
        items.extend(own)
        label: list[_Piece] = []
        for i, item in enumerate(items):
            if isinstance(item, list):
                self._paragraph(node, label + item)
            elif item.role == "Lbl" and _labels(_lines(item, self.text), items[i + 1 : i + 2], self.text):
                label = _lines(item, self.text)
                continue
            elif item.role in _INLINE:  # a Quote or Code straight under a section is a paragraph of its own
                self._paragraph(item, _lines(item, self.text))
            else:
                self.label = label
                self.emit(item, sections)
                self.label = []
            label = []

    def _paragraph(self, node: Node, pieces: list[_Piece]) -> None:
        text = _join(pieces)
        if not text:
            return
        role = {"Caption": "caption", "Code": "code", "BlockQuote": "quote", "Quote": "quote"}.get(
            node.role, "body"
        )
        if role == "body" and all(p.line.mono for p in pieces):
            role = "code"
        if role == "code":
            text = "\n".join(p.line.text for p in pieces)
        self.add(Paragraph(id=self.new_id(), text=text, role=role, source=self.ref(node, pieces)), node)

    def heading(self, node: Node, level: int) -> None:
        pieces = self.label + _lines(node, self.text)  # its number, tagged beside it (:meth:`_container`)
        text = _join(pieces) or node.actual or ""
        if text:
            self.add(Heading(id=self.new_id(), level=level, text=text, source=self.ref(node, pieces)), node)

    def list_(self, node: Node) -> None:
        block = ListBlock(id=self.new_id())
        self._items(node, block)
        if block.items:
            first = block.items[0].source
            block.source = SourceRef(page=first.page, bbox=first.bbox) if first else None
            self.add(block, node)

    def _items(self, node: Node, block: ListBlock) -> None:
        for kid in node.kids:
            if kid.role == "Caption":
                self.paragraph_like(kid, 0)
                continue
            lists = [n for n in _descendants(kid)[1:] if n.role == "L"]
            inside = {id(d) for lst in lists for d in _descendants(lst)[1:]}
            nested = [n for n in lists if id(n) not in inside]
            skip = {id(d) for lst in nested for d in _descendants(lst)}
            pieces = [
                p for n in _descendants(kid) if id(n) not in skip for p in self.text.pieces.get(n.path, ())
            ]
            pieces.sort(key=lambda p: (p.page, p.seq))
            text = _join(pieces)
            match = _LABEL.match(text)
            if match:
                block.ordered = block.ordered or bool(match.group(1))
                text = text[match.end() :]
            if not text and not nested:
                continue
            page, bbox = _bbox(pieces)
            item = ListItem(
                text=text, source=SourceRef(page=page + 1, bbox=bbox) if page is not None else None
            )
            if nested:
                child = ListBlock(id=self.new_id())
                for lst in nested:
                    self._items(lst, child)
                item.children = child if child.items else None
            block.items.append(item)

    def table(self, node: Node) -> None:
        rows: list[list[TableCell]] = []
        caption: str | None = None

        row_nodes: list[Node] = []

        def visit(n: Node, header: bool) -> None:
            nonlocal caption
            for kid in n.kids:
                if kid.role == "TR":
                    row_nodes.append(kid)
                    cells = [
                        TableCell(
                            text=_cell_text(_join(_lines(c, self.text))),
                            header=header or c.role == "TH",
                            col_span=c.col_span,
                            row_span=c.row_span,
                        )
                        for c in kid.kids
                        if c.role != "Artifact"
                    ]
                    if cells:
                        rows.append(cells)
                elif kid.role == "Caption":
                    caption = _join(_lines(kid, self.text)) or None
                else:
                    visit(kid, header or kid.role == "THead")

        visit(node, False)
        if not self.tables:
            self._rows_as_paragraphs(node, row_nodes, caption)
            return
        if caption is None and len(rows) > 2 and len(rows[0]) == 1 and len(rows[1]) > 2:
            caption = rows.pop(0)[0].text or None  # a lone first cell across the table is its title
        _infer_header(rows)
        pieces = _lines(node, self.text)
        if rows:
            table = Table(id=self.new_id(), rows=rows, caption=caption, source=self.ref(node, pieces))
            self.add(table, node)

    def _rows_as_paragraphs(self, node: Node, row_nodes: list[Node], caption: str | None) -> None:
        """Tables off: each row's text as a paragraph (its cells in order), the caption as a caption."""
        for row in row_nodes:
            pieces = _lines(row, self.text)
            text = " ".join(_cell_text(_join(_lines(c, self.text))) for c in row.kids if c.role != "Artifact")
            if text.split():
                self.add(
                    Paragraph(id=self.new_id(), text=" ".join(text.split()), source=self.ref(row, pieces)),
                    node,
                )
        if caption:
            self.add(
                Paragraph(id=self.new_id(), text=caption, role="caption", source=self.ref(node, [])), node
            )

    def figure(self, node: Node) -> None:
        pieces = _lines(node, self.text)
        alt = _AUTO_ALT.sub("", node.alt or node.actual or "").strip()
        alt = None if not alt or _USELESS_ALT.match(alt) else alt  # a file name or "Picture 3" is no alt text
        figure = Figure(id=self.new_id(), alt=alt, source=self.ref(node, pieces))
        self.add(figure, node)
        self.figures.append(figure)

    def formula(self, node: Node) -> None:
        pieces = _lines(node, self.text)
        text = node.actual or node.alt or _join(pieces)
        if text:
            self.add(Formula(id=self.new_id(), text=text, source=self.ref(node, pieces)), node)

    def note(self, node: Node) -> None:
        pieces = _lines(node, self.text)
        text = _join(pieces)
        match = _NOTE_LABEL.match(text)
        label = match.group(1) if match else None
        if match:
            text = text[match.end() :]
        if text:
            self.add(
                Note(
                    id=self.new_id(), kind="footnote", label=label, text=text, source=self.ref(node, pieces)
                ),
                node,
            )


def _infer_header(rows: list[list[TableCell]]) -> None:
    """A statistical table tagged without any ``TH`` (InDesign): its first rows without figures are headers."""
    if any(cell.header for row in rows for cell in row):
        return
    figures = [
        any(_FIGURE.match(c.text) and any(ch.isdigit() for ch in c.text) for c in row[1:]) for row in rows
    ]
    first = figures.index(True) if True in figures else 0
    if 0 < first <= 3:
        for row in rows[:first]:
            for cell in row:
                cell.header = True


def _cell_text(text: str) -> str:
    """A cell's text without dot leaders ("Arson . . . ."), a figure set in two pieces ("11,062. 6") joined."""
    text = _LEADER.sub(" ", text).strip()
    return _SPLIT_FIGURE.sub("", text) if _FIGURE.match(text) else text


def _descendants(node: Node) -> list[Node]:
    out = [node]
    for kid in node.kids:
        out.extend(_descendants(kid))
    return out


# -- is the tree honest? ------------------------------------------------------------------------


def _overlap(a: BBox, b: BBox) -> float:
    inter = min(a.x1, b.x1) - max(a.x0, b.x0)
    narrow = min(a.x1 - a.x0, b.x1 - b.x0)
    return inter / narrow if narrow > 0 else 0.0


def inversions(blocks: list[Block]) -> tuple[int, int]:
    """Pairs of blocks (same page, same column) the order reads bottom-up, and pairs compared."""
    by_page: dict[int, list[BBox]] = {}
    for block in blocks:
        if block.source and block.source.page and block.source.bbox and not isinstance(block, Figure):
            by_page.setdefault(block.source.page, []).append(block.source.bbox)
    bad = total = 0
    for boxes in by_page.values():
        boxes = boxes[:300]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                if _overlap(a, b) < 0.5 or (a.y0 < b.y1 and b.y0 < a.y1):
                    continue
                total += 1
                bad += a.y0 > b.y1
    return bad, total


def check(blocks: list[Block], text: TagText, tree: list[Node]) -> tuple[str, dict[str, Any]] | None:
    """Why the tree cannot be trusted (a warning code and its fields), or None when it can.

    Only text under an element of ``tree`` counts as tagged (MuPDF also places text under elements
    reached from the ``/ParentTree`` that the tree itself does not hold)."""
    known = {n.path for top in tree for n in _descendants(top)}
    text.tagged_chars = sum(
        len(p.line.text.strip()) for path, pieces in text.pieces.items() if path in known for p in pieces
    )
    if text.tagged_chars < 10 or not blocks:
        return "pdf.tags_no_text", {}
    coverage = text.tagged_chars / max(text.page_chars, 1)
    if coverage < MIN_COVERAGE:
        return "pdf.tags_partial", {"percent": round(100 * coverage)}
    sizes = sorted((len(b.plain_text()) for b in blocks), reverse=True)
    lines = sum(len(v) for v in text.pieces.values())
    if lines >= 30 and sizes[0] >= 0.9 * text.tagged_chars:
        return "pdf.tags_one_block", {}
    bad, total = inversions(blocks)
    pages = [b.source.page for b in blocks if b.source and b.source.page]
    backward = sum(1 for a, b in zip(pages, pages[1:], strict=False) if b < a)
    changes = sum(1 for a, b in zip(pages, pages[1:], strict=False) if b != a)
    if (total >= 10 and bad > MAX_INVERSIONS * total) or (changes >= 4 and backward > 0.2 * changes):
        return "pdf.tags_out_of_order", {"percent": round(100 * bad / max(total, 1))}
    return None


# -- the conversion -----------------------------------------------------------------------------


def build(conv: Any) -> bool:
    """Add the blocks of the structure tree to ``conv.builder`` (a ``pdf._Conversion``); False when the
    document has no tree or a tree that cannot be trusted (reported as a warning)."""

    doc, pymupdf = conv.doc, conv.pymupdf
    tree = read_tree(doc)
    if not tree:
        return False
    from inclusio.converters import pdf as layout  # the layout path's own furniture rules

    def furniture(line: Line, height: float) -> bool:
        return layout._in_band(line, height) and bool(
            layout._running_key(line.text) in conv.running or layout._PAGE_NUMBER.match(line.text)
        )

    text = TagText()
    for pno in range(doc.page_count):
        if pno not in conv.stats.unreadable:
            page_text(doc.load_page(pno), pno, pymupdf, text, furniture)
    counter = iter(range(1, 10**9))
    tags = TagBlocks(text, lambda: f"t{next(counter)}", tables=conv.ctx.pdf_tables)
    for node in tree:
        tags.emit(node)
    problem = check(tags.blocks, text, tree)
    if problem is not None:
        code, fields = problem
        conv.builder.issue(code, **fields)
        return False
    _headings_from_bookmarks(conv, tags)
    for block in _paged(conv, tags):
        _renumber(block, conv.builder.new_id)
        conv.builder.add(block)
    return True


def _headings_from_bookmarks(conv: Any, tags: TagBlocks) -> None:
    """A tree without its section headings (tagpdf's own 2022 manual tags them as ``P``) while the
    bookmarks have them: the paragraphs whose text is a bookmark's title on the same page become headings
    at the bookmark's level, as the layout path does."""
    from inclusio.converters import pdf as layout

    entries = sum(len(v) for v in conv.toc_by_page.values())
    tagged = sum(isinstance(b, Heading) for b in tags.blocks)
    if entries < 3 or tagged >= 0.5 * entries:
        return
    toc = {page: list(items) for page, items in conv.toc_by_page.items()}
    for i, block in enumerate(tags.blocks):
        if not (isinstance(block, Paragraph) and block.role == "body" and block.source and block.source.page):
            continue
        if len(block.text) > layout.MAX_HEADING_CHARS:
            continue
        level = layout._toc_match(block.text, toc.get(block.source.page, []))
        if level is not None:
            tags.blocks[i] = Heading(
                id=block.id, level=level, text=block.text, lang=block.lang, source=block.source
            )


def _renumber(block: Block, new_id: Any) -> None:
    block.id = new_id()
    if isinstance(block, ListBlock):
        for item in block.items:
            if item.children is not None:
                _renumber(item.children, new_id)


def _paged(conv: Any, tags: TagBlocks) -> list[Block]:
    """The tree's blocks with the pages' images given to its figures and a page marker before each page."""
    from inclusio.model import PageMarker

    doc = conv.doc
    by_page: dict[int, list[Figure]] = {}
    for figure in tags.figures:
        if figure.source and figure.source.page:
            by_page.setdefault(figure.source.page - 1, []).append(figure)
    leftovers: dict[int, list[Figure]] = {}
    for pno in range(doc.page_count):
        if pno in conv.stats.unreadable:
            continue
        page = doc.load_page(pno)
        images = conv._figures(page, pno)
        leftovers[pno] = _match_images(conv, page, by_page.get(pno, []), images)
    out: list[Block] = []
    current = 0

    def marker(number: int) -> None:
        try:
            label = doc.load_page(number - 1).get_label() or None
        except Exception:  # noqa: BLE001 - a page without a readable label
            label = None
        out.append(
            PageMarker(
                id="t0",
                number=number,
                label=label if label != str(number) else None,
                source=SourceRef(page=number),
            )
        )

    def close(page: int) -> None:
        nonlocal current
        while current < page:
            if current >= 1:
                out.extend(leftovers.pop(current - 1, []))
            current += 1
            marker(current)

    for block in tags.blocks:
        page = block.source.page if block.source and block.source.page else current or 1
        close(page)
        out.append(block)
    close(doc.page_count)
    out.extend(leftovers.pop(doc.page_count - 1, []))
    return out


def _match_images(conv: Any, page: Any, figures: list[Figure], images: list[Figure]) -> list[Figure]:
    """Give the page's images to its tagged figures (by overlap, else in order); the images left over."""
    free = sorted(
        images, key=lambda f: (f.source.bbox.y0, f.source.bbox.x0) if f.source and f.source.bbox else (0, 0)
    )
    for figure in figures:
        box = figure.source.bbox if figure.source else None
        best = None
        if box is not None:
            scored = [(_area(box, f.source.bbox), f) for f in free if f.source and f.source.bbox]
            scored = [s for s in scored if s[0] > 0]
            best = max(scored, key=lambda s: s[0])[1] if scored else None
        elif free:
            best = free[0]
        if best is not None:
            free.remove(best)
            figure.image = best.image
            if box is None:
                figure.source = best.source
        elif box is not None:
            figure.image = _render(conv, page, box)
    return free


def _area(a: BBox, b: BBox | None) -> float:
    if b is None:
        return 0.0
    return max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0)) * max(0.0, min(a.y1, b.y1) - max(a.y0, b.y0))


def _render(conv: Any, page: Any, box: BBox) -> str | None:
    """A tagged figure drawn with vector graphics (no image): its area rendered."""
    try:
        rect = conv.pymupdf.Rect(box.x0, box.y0, box.x1, box.y1)
        if rect.width < 4 or rect.height < 4:
            return None
        png = page.get_pixmap(clip=rect * page.rotation_matrix, dpi=150).tobytes("png")
        return conv.builder.add_resource(png, "image/png")
    except Exception:  # noqa: BLE001 - a figure without its picture is kept with its alt text
        return None


def drop_document_lang(blocks: list[Block], lang: str) -> None:
    """Clear the tags' ``/Lang`` on blocks in the document's own language (only differences are marked)."""
    for block in blocks:
        if block.lang == lang:
            block.lang = None
