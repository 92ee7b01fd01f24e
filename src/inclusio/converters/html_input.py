"""HTML -> Document, with lxml's HTML parser (libxml2: fast, forgiving, no DTD processing).

What is read: ``h1``-``h6`` -> :class:`Heading`; ``p`` and loose text in containers ->
:class:`Paragraph`; ``ul``/``ol`` nested -> :class:`ListBlock`; ``table`` (``th`` header
cells, ``colspan``/``rowspan``, ``caption``) -> :class:`Table`; ``img`` -> :class:`Figure`
(``alt`` kept, ``alt=""`` or ``role="presentation"`` = decorative, no ``alt`` = none);
``figure``/``figcaption`` -> the caption of the figure or table inside; ``blockquote`` ->
``role="quote"``; ``pre`` (and a ``code`` standing alone on several lines) -> :class:`Code`
(whitespace kept, the language from a ``language-*`` class); MathML ``math`` ->
:class:`Formula`; ``dl`` -> a list of "term: definition". ``lang`` (and ``xml:lang``)
attributes give the document language and each block's language when it differs.

What is left out: ``script``, ``style``, ``template``, ``noscript``, ``nav`` (site menus are
not course content), forms, embedded frames and objects.

Pictures: only ``data:`` URIs are embedded (size checked from the header); an SVG one is rebuilt
from an allow-list (:mod:`inclusio.model.safe_markup`: no script, handler, ``foreignObject`` or
external reference) and MathML likewise. A picture that
points to a file or a web address is NOT fetched: the upload is the only thing we have, and
reading paths or URLs named by a document would let it read the server's files or the network.
The figure keeps its alt text and gets an ``image.not_embedded`` issue.

Entity declarations (``<!ENTITY``, "billion laughs") are refused with ``input.unsafe``; the
HTML parser would not expand them anyway, but such a file is not an honest web page.
"""

from __future__ import annotations

import base64
import binascii
import re
from pathlib import Path
from typing import Any

from inclusio.converters.base import ConvertContext, file_sha256, useful_title
from inclusio.converters.code import code_language
from inclusio.converters.lang import resolve_language
from inclusio.converters.ooxml import image_size
from inclusio.converters.xml_safety import check_xml_bytes
from inclusio.errors import InputCorrupt, InputTooLarge
from inclusio.model import (
    Block,
    Code,
    Document,
    DocumentBuilder,
    Figure,
    Formula,
    Heading,
    ListBlock,
    ListItem,
    Paragraph,
    SourceInfo,
    Table,
    TableCell,
)
from inclusio.model.safe_markup import sanitize_mathml

MEDIA_TYPE = "text/html"
MAX_HTML_BYTES = 50 * 1024 * 1024
"""Course pages are kilobytes; a 50 MB page is a dump, not a document (and the tree would use ~10x)."""
MAX_DEPTH = 200
"""Deeper nesting is read as plain text (no recursion beyond it)."""
MAX_SPAN = 1000
WEB_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")
MATHML = "http://www.w3.org/1998/Math/MathML"

_SKIP = {
    "script",
    "style",
    "template",
    "noscript",
    "nav",
    "head",
    "form",
    "iframe",
    "object",
    "embed",
    "button",
    "select",
    "textarea",
    "input",
    "canvas",
    "audio",
    "video",
    "map",
}
_ACTIVE = (
    "script",
    "style",
    "template",
    "noscript",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "foreignObject",
    "foreignobject",
)
_BLOCK = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "table",
    "figure",
    "blockquote",
    "pre",
    "img",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "dl",
    "hr",
    "math",
    "address",
    "details",
    "summary",
    "center",
    "body",
    "html",
    "figcaption",
    "li",
    "picture",
} | _SKIP
_HEADING = re.compile(r"^h([1-6])$")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def looks_like_html(head: bytes) -> bool:
    """Whether the first bytes start an HTML page (``<!doctype html``, ``<html``, after a BOM,
    blanks, comments or an XML declaration)."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html")):
        return True
    if text.startswith((b"<!--", b"<?xml")):
        return b"<html" in text
    return False


def decode_html(data: bytes) -> str:
    """The page's text: BOM, then ``<meta charset>``, then UTF-8, else Windows-1252 (never fails)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    match = _CHARSET.search(data[:4096])
    if match:
        try:
            return data.decode(match.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _text(el: Any) -> str:
    return " ".join(el.text_content().split())


def _class_of(el: Any) -> str | None:
    return el.get("class") if el is not None else None


def _is_code_block(el: Any, inline: list[str]) -> bool:
    """A ``code`` element that stands alone (no text before or after it) and spans several lines."""
    return (
        "\n" in el.text_content().strip("\n") and not "".join(inline).strip() and not (el.tail or "").strip()
    )


def _tag(el: Any) -> str:
    tag = el.tag if isinstance(el.tag, str) else ""
    return tag.rsplit("}", 1)[-1].lower()


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), MAX_SPAN))
    except ValueError:
        return 1


class HtmlConverter:
    """Web pages (``.html``), as saved from a browser or exported from a course platform."""

    name = "html"
    media_types = (MEDIA_TYPE, "application/xhtml+xml")
    suffixes = (".html", ".htm")
    label = "HTML"

    def sniff(self, path: Path, head: bytes) -> bool:
        """``<!doctype html`` or ``<html`` at the start (the extension is not trusted)."""
        return looks_like_html(head)

    def convert(self, path: Path, ctx: ConvertContext) -> Document:
        """Convert a page. Raises ``input.too_large``, ``input.unsafe`` and ``input.corrupt``."""
        size = Path(path).stat().st_size
        if size > MAX_HTML_BYTES:
            raise InputTooLarge(details={"bytes": size, "limit": MAX_HTML_BYTES})
        data = Path(path).read_bytes()
        check_xml_bytes(data, what=ctx.filename)
        doc = html_to_document(
            decode_html(data), ctx, media_type=MEDIA_TYPE, converter="inclusio.html (lxml)"
        )
        doc.source.sha256 = file_sha256(Path(path))
        return doc


def html_to_document(text: str, ctx: ConvertContext, *, media_type: str, converter: str) -> Document:
    """A Document from HTML text (also used by the Markdown converter on markdown-it's output)."""
    import lxml.html
    from lxml import etree

    try:
        # huge_tree: libxml2 otherwise stops at depth 256 and silently drops the rest of the page; the
        # input size is bounded (MAX_HTML_BYTES) and the walker stops recursing at MAX_DEPTH.
        parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=True)
        root = lxml.html.document_fromstring(text or "<html></html>", parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputCorrupt(details={"reason": str(exc)}) from exc
    # Active and embedded content goes before anything reads the tree, at any depth (a script inside a
    # paragraph, a table cell or an inline <svg>): its source never becomes the document's text.
    etree.strip_elements(root, *_ACTIVE, with_tail=False)
    walker = _Walker(ctx)
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        walker.b.issue("html.truncated")
    body = root.find("body")
    walker.container(body if body is not None else root, _lang_of(root), 0)
    walker.flush()
    title_el = root.find(".//title")
    headings = [b for b in walker.b.blocks if isinstance(b, Heading)]
    title = useful_title(_text(title_el) if title_el is not None else None, ctx.filename) or (
        headings[0].text if headings else None
    )
    lang, mismatch = resolve_language(_lang_of(root), "\n".join(walker.texts))
    if mismatch:
        walker.b.issue("lang.declared_mismatch", declared=mismatch, used=lang)
    primary = lang.split("-")[0].lower()
    for block in walker.b.blocks:
        if block.lang and block.lang.split("-")[0].lower() == primary:
            block.lang = None
    return Document(
        title=title or Path(ctx.filename).stem,
        lang=lang,
        authors=[
            m.get("content").strip() for m in root.iterfind(".//meta[@name='author']") if m.get("content")
        ],
        source=SourceInfo(filename=ctx.filename, media_type=media_type, sha256="", converter=converter),
        blocks=walker.b.blocks,
        resources=walker.b.resources,
        issues=walker.b.issues,
    )


def _mathml_copy(el: Any) -> Any:
    """A copy of an HTML ``math`` subtree in the MathML namespace (lxml.html parses it without one)."""
    from lxml import etree

    def copy(node: Any, parent: Any | None) -> Any:
        tag = f"{{{MATHML}}}{_tag(node)}"
        new = etree.Element(tag, nsmap={None: MATHML}) if parent is None else etree.SubElement(parent, tag)
        for key, value in node.attrib.items():
            if ":" not in key and not key.startswith("{") and key != "xmlns":  # the namespace is set above
                new.set(key, value)
        new.text = node.text
        for child in node:
            if isinstance(child.tag, str):
                copy(child, new).tail = child.tail
        return new

    return copy(el, None)


def _math_text(el: Any) -> str:
    """A formula's text, without what the MathML allow-list leaves out (``annotation-xml``, scripts)."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if _tag(node) in ("annotation-xml", "script", "style"):
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(el)
    return " ".join("".join(parts).split())


def _lang_of(el: Any) -> str | None:
    value = el.get("lang") or el.get("{http://www.w3.org/XML/1998/namespace}lang")
    return value.strip() or None if value else None


class _Walker:
    """Turns the body into blocks; inline content between block elements becomes paragraphs."""

    def __init__(self, ctx: ConvertContext) -> None:
        self.ctx = ctx
        self.b = DocumentBuilder()
        self.texts: list[str] = []
        self.inline: list[str] = []
        self.inline_lang: str | None = None

    # -- inline runs ----------------------------------------------------------------------------

    def flush(self) -> None:
        text = " ".join(" ".join(self.inline).split())
        self.inline = []
        if text:
            self.add(Paragraph(id=self.b.new_id(), text=text), self.inline_lang)

    def add(self, block: Block, lang: str | None) -> Block:
        block.lang = lang
        self.texts.append(block.plain_text())
        return self.b.add(block)

    # -- containers -----------------------------------------------------------------------------

    def container(self, el: Any, lang: str | None, depth: int) -> None:
        """Walk the children of a block container (body, div, section, li with blocks...)."""
        if el.text and el.text.strip():
            self.inline_lang = lang
            self.inline.append(el.text)
        for child in el:
            tag = _tag(child)
            if tag in _BLOCK:
                self.flush()
                self.element(child, _lang_of(child) or lang, depth + 1)
            elif tag == "code" and _is_code_block(child, self.inline):
                self.flush()
                self.code(child, _lang_of(child) or lang, code_language(child.get("class")))
            elif tag:
                if tag == "br":
                    self.inline.append(" ")
                else:
                    self.inline_lang = lang
                    self.inline.append(child.text_content())
            if child.tail and child.tail.strip():
                self.inline_lang = lang
                self.inline.append(child.tail)
        self.flush()

    def element(self, el: Any, lang: str | None, depth: int) -> None:  # noqa: C901, PLR0912
        tag = _tag(el)
        if tag in _SKIP or tag in ("hr",):
            return
        if depth > MAX_DEPTH:
            text = _text(el)
            if text:
                self.add(Paragraph(id=self.b.new_id(), text=text), lang)
            return
        heading = _HEADING.match(tag)
        if heading:
            text = _text(el)
            if text:
                self.add(Heading(id=self.b.new_id(), level=int(heading.group(1)), text=text), lang)
        elif tag == "p":
            self.paragraph(el, lang, depth)
        elif tag in ("ul", "ol"):
            lst = self.list_block(el, depth)
            if lst.items:
                self.add(lst, lang)
        elif tag == "dl":
            self.definitions(el, lang)
        elif tag == "table":
            self.table(el, lang, None)
        elif tag == "img":
            self.image(el, lang, None)
        elif tag == "picture":
            img = el.find(".//img")
            if img is not None:
                self.image(img, lang, None)
        elif tag == "figure":
            self.figure(el, lang, depth)
        elif tag == "blockquote":
            text = _text(el)
            if text:
                self.add(Paragraph(id=self.b.new_id(), text=text, role="quote"), lang)
        elif tag == "pre":
            inner = el.find("code")
            self.code(el, lang, code_language(el.get("class")) or code_language(_class_of(inner)))
        elif tag == "math":
            self.formula(el, lang)
        else:  # div, section, article, main, header, footer, aside, li out of a list...
            self.container(el, lang, depth)

    # -- blocks ---------------------------------------------------------------------------------

    def code(self, el: Any, lang: str | None, language: str | None) -> None:
        """``pre`` (or a ``code`` standing alone): one :class:`Code` block, whitespace kept exactly.

        Code is left out of the text the document's language is guessed from."""
        text = el.text_content().strip("\n")
        if text.strip():
            self.b.add(Code(id=self.b.new_id(), text=text.rstrip(), language=language, lang=lang))

    def paragraph(self, el: Any, lang: str | None, depth: int) -> None:
        images = el.findall(".//img")
        maths = [m for m in el.iter() if _tag(m) == "math"]
        text = _text(el)
        if images and not "".join(el.itertext()).strip():  # a paragraph holding only pictures
            for img in images:
                self.image(img, _lang_of(img) or lang, None)
            return
        if maths and len(maths) == 1 and _text(maths[0]) == text:  # a displayed formula in a <p>
            self.formula(maths[0], lang)
            return
        if text:
            self.add(Paragraph(id=self.b.new_id(), text=text), lang)
        for img in images:  # inline pictures after the paragraph's text
            self.image(img, _lang_of(img) or lang, None)

    def list_block(self, el: Any, depth: int) -> ListBlock:
        lst = ListBlock(id=self.b.new_id(), ordered=_tag(el) == "ol")
        for li in el:
            if _tag(li) != "li":
                continue
            nested = [c for c in li if _tag(c) in ("ul", "ol")]
            parts = [li.text or ""]
            for child in li:
                if _tag(child) not in ("ul", "ol") and _tag(child) not in _SKIP:
                    parts.append(child.text_content())
                parts.append(child.tail or "")
            item = ListItem(text=" ".join(" ".join(parts).split()))
            if nested and depth < MAX_DEPTH:
                children = self.list_block(nested[0], depth + 1)
                for extra in nested[1:]:  # the model has one sub-list per item: several are joined
                    children.items.extend(self.list_block(extra, depth + 1).items)
                item.children = children if children.items else None
            if item.text or item.children:
                lst.items.append(item)
        return lst

    def definitions(self, el: Any, lang: str | None) -> None:
        items: list[ListItem] = []
        term = ""
        for child in el:
            if _tag(child) == "dt":
                term = _text(child)
            elif _tag(child) == "dd":
                text = _text(child)
                items.append(ListItem(text=f"{term} : {text}" if term else text))
        if items:
            self.add(ListBlock(id=self.b.new_id(), items=items), lang)

    def table(self, el: Any, lang: str | None, caption: str | None) -> None:
        rows: list[list[TableCell]] = []
        for tr in el.iter("tr"):
            # Rows of nested tables belong to those tables: keep only this table's rows.
            owner = next((a for a in tr.iterancestors() if _tag(a) == "table"), None)
            if owner is not el:
                continue
            in_head = any(_tag(a) == "thead" for a in tr.iterancestors() if a is not el)
            cells = []
            for cell in tr:
                if _tag(cell) not in ("td", "th"):
                    continue
                text = _text(cell)
                self.texts.append(text)
                cells.append(
                    TableCell(
                        text=text,
                        header=_tag(cell) == "th" or in_head,
                        row_span=_span(cell.get("rowspan")),
                        col_span=_span(cell.get("colspan")),
                    )
                )
            if cells:
                rows.append(cells)
        caption_el = el.find("caption")
        caption = caption or (_text(caption_el) if caption_el is not None else None) or None
        if rows:
            self.add(Table(id=self.b.new_id(), rows=rows, caption=caption), lang)

    def figure(self, el: Any, lang: str | None, depth: int) -> None:
        caption_el = next((c for c in el if _tag(c) == "figcaption"), None)
        caption = _text(caption_el) if caption_el is not None else None
        table = el.find(".//table")
        images = el.findall(".//img")
        if table is not None:
            self.table(table, lang, caption)
        elif images:
            for index, img in enumerate(images):
                self.image(img, _lang_of(img) or lang, caption if index == 0 else None)
        else:
            for child in el:
                if child is not caption_el:
                    self.element(child, _lang_of(child) or lang, depth + 1)
            if caption:
                self.add(Paragraph(id=self.b.new_id(), text=caption, role="caption"), lang)

    def formula(self, el: Any, lang: str | None) -> None:
        from lxml import etree

        text = _math_text(el)
        annotation = next(
            (a for a in el.iter() if _tag(a) == "annotation" and "tex" in (a.get("encoding") or "").lower()),
            None,
        )
        # Rebuilt from the MathML allow-list: no handler, link, script or annotation-xml gets through.
        mathml = sanitize_mathml(etree.tostring(_mathml_copy(el), encoding="unicode"))
        if text:
            self.add(
                Formula(
                    id=self.b.new_id(),
                    text=text,
                    mathml=mathml,
                    latex=annotation.text.strip() if annotation is not None and annotation.text else None,
                ),
                lang,
            )

    def image(self, img: Any, lang: str | None, caption: str | None) -> None:
        alt_attr = img.get("alt")
        decorative = (
            (alt_attr is not None and not alt_attr.strip() and not caption)
            or img.get("role") in ("presentation", "none")
            or img.get("aria-hidden") == "true"
        )
        alt = " ".join((alt_attr or "").split()) or None
        figure = Figure(id=self.b.new_id(), alt=alt, decorative=decorative, caption=caption)
        src = (img.get("src") or "").strip()
        if src.startswith("data:"):
            self._embed(figure, src)
        elif src:
            self.b.issue(
                "image.not_embedded",
                src=repr(src[:80]),
                block_id=figure.id,
            )
        self.add(figure, lang)

    def _embed(self, figure: Figure, src: str) -> None:
        header, _, payload = src.partition(",")
        media_type = header[5:].split(";")[0].lower()
        try:
            if media_type not in WEB_IMAGE_TYPES or ";base64" not in header:
                raise ValueError(f"unsupported picture data ({header[:40]})")
            data = base64.b64decode(payload, validate=False)
            size = image_size(data) if media_type != "image/svg+xml" else (1, 1)
            if size is None:
                raise ValueError("unreadable picture header")
            if size[0] * size[1] > self.ctx.max_image_pixels:
                self.b.issue(
                    "image.too_large",
                    megapixels=f"{size[0] * size[1] / 1e6:.0f}",
                    limit=f"{self.ctx.max_image_pixels / 1e6:.0f}",
                    block_id=figure.id,
                )
                return
            figure.image = self.b.add_resource(data, media_type)
        except (ValueError, binascii.Error) as exc:
            self.b.issue("image.unreadable", reason=exc, block_id=figure.id)
