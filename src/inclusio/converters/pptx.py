"""PPTX -> Document, with python-pptx.

Each slide becomes: a :class:`PageMarker` (``kind="slide"``), the slide title as a
**level-1 heading**, then its shapes in visual order, then its speaker notes
(:class:`Note`, ``kind="speaker"``).

Why level 1 for slide titles: a deck has no hierarchy above the slide, so every slide is a
top-level section (one entry per slide in the EPUB navigation, as in PowerPoint's outline).
The deck's own title is metadata (:attr:`Document.title`: the core-properties title, else
the first slide's title); writers render it as the book title, not as one more heading.

Visual order: ``slide.shapes`` is z-order, often not what a reader sees (PITFALLS §6). We
read the title first, then rows top-to-bottom (shapes whose tops are within 5 % of the
slide height form one row), left-to-right within a row; groups are flattened into slide
coordinates (``a:chOff``/``a:chExt`` of each group, nested groups composed). The file's own
order is PowerPoint's reading-order pane, which an author may have set on purpose: when the
visual order reverses at least a quarter of the pairs of content shapes, the slide gets a
``slide.order_differs`` issue so a person checks it.

A slide without a title still gets a level-1 heading, generated from its number
("Diapositive 7 (sans titre)" / "Slide 7 (untitled)", in the deck's language), so that its
content does not fall into the previous slide's section; the ``slide.no_title`` issue points
at that heading (``block_id``), which is how a reviewer tells it from an authored title.

Program code: a paragraph whose runs are all set in a monospace font (Consolas, Courier, Monaco,
Menlo...) is a line of code, kept as written (indentation included); consecutive such paragraphs of
one shape (blank lines between them included) form one :class:`Code` block, never a list. A
monospace word inside a sentence stays in its paragraph.

One bad part, not a lost deck: a slide or chart part whose XML does not parse is replaced by a blank
one in a temporary copy of the deck (:func:`_without_broken_parts`); the slide becomes a heading
"Diapositive 2 (illisible)" after its page marker, pointed at by the ``slide.unreadable`` issue, as does a
slide whose reading fails; the other slides convert.

Charts become tables of their data (categories x series). SmartArt gives its texts as a list
and an issue (``slide.object_needs_description``: the relations between the boxes are lost);
OLE objects give only the issue. Pictures include picture placeholders (``hasattr(shape,
"image")``); alt text comes from ``cNvPr/@descr``, where a file name or "Picture 3" counts as
none; the ``adec:decorative`` extension is honoured.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path
from typing import IO, Any

from inclusio.converters.base import ConvertContext, file_sha256, useful_title
from inclusio.converters.code import is_monospace_font
from inclusio.converters.lang import resolve_language
from inclusio.converters.ooxml import ZIP_MAGIC, check_archive, image_size, member_names
from inclusio.converters.xml_safety import check_ooxml_xml
from inclusio.errors import InputCorrupt, InputTooLarge
from inclusio.model import (
    BBox,
    Document,
    DocumentBuilder,
    Figure,
    Heading,
    ListBlock,
    ListItem,
    Note,
    PageMarker,
    Paragraph,
    SourceInfo,
    SourceRef,
    Table,
    TableCell,
)

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ROW_TOLERANCE = 0.05
"""Shapes whose tops differ by less than this fraction of the slide height are on one row."""
ORDER_DIFFERS = 0.25
"""Fraction of pairs of content shapes whose order the visual reading reverses, from which a slide
is flagged ``slide.order_differs`` (two shapes swapped count: 1 pair of 1)."""
_DIAGRAM_URI = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
_UNTITLED = {"fr": "Diapositive {} (sans titre)", "en": "Slide {} (untitled)"}
_UNREADABLE = {"fr": "Diapositive {} (illisible)", "en": "Slide {} (unreadable)"}
_PART_STUBS = {
    re.compile(r"^ppt/slides/slide\d+\.xml$"): (
        b'<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        b'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree>'
        b'<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>'
        b"</p:spTree></p:cSld></p:sld>"
    ),
    re.compile(r"^ppt/charts/chart\d+\.xml$"): (
        b'<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"/>'
    ),
}
"""Blank stand-ins for a slide or chart part whose XML does not parse (:func:`_without_broken_parts`)."""
MIN_IMAGE_PX = 16
WEB_IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif")

_NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "adec": "http://schemas.microsoft.com/office/drawing/2017/decorative",
    "dgm": "http://schemas.openxmlformats.org/drawingml/2006/diagram",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
_USELESS_ALT = re.compile(
    r"(?i)^\s*(?:(?:picture|image|img|imagen|grafik|photo|graphic|figure|chart|graphique|"
    r"espace réservé\S*|content placeholder|object|objet)\s*\d*|.*\.(?:png|jpe?g|gif|bmp|tiff?|emf|wmf|svg))\s*$"
)

# Placeholders that repeat on every slide and carry no content.
_CHROME_PLACEHOLDERS = {13, 15, 16}  # SLIDE_NUMBER, FOOTER, DATE
_TITLE_PLACEHOLDERS = {1, 3}  # TITLE, CENTER_TITLE
_BODY_PLACEHOLDERS = {2, 7}  # BODY, OBJECT: their paragraphs inherit bullets from the master


def alt_text(shape: Any) -> tuple[str | None, bool]:
    """The shape's author alt text (None when absent or a file name) and its decorative flag."""
    try:
        nv = shape._element.xpath("./*[1]/p:cNvPr")[0]
    except (IndexError, AttributeError):
        return None, False
    decorative = any(el.get("val") in ("1", "true") for el in nv.iter(f"{{{_NS['adec']}}}decorative"))
    descr = " ".join((nv.get("descr") or "").split())
    if not descr or _USELESS_ALT.match(descr):
        return None, decorative
    return descr, decorative


class PptxConverter:
    """PowerPoint presentations (``.pptx``; ``.ppt`` is not read: save it as PPTX)."""

    name = "pptx"
    media_types = (MEDIA_TYPE,)
    suffixes = (".pptx",)
    label = "PPTX"

    def sniff(self, path: Path, head: bytes) -> bool:
        """A zip archive with ``ppt/presentation.xml`` (the extension is not trusted)."""
        if not head.startswith(ZIP_MAGIC):
            return False
        names = member_names(path)
        return names is not None and "ppt/presentation.xml" in names

    def convert(self, path: Path, ctx: ConvertContext) -> Document:
        """Convert a deck. Raises ``input.corrupt``, ``input.too_large`` and ``input.unsafe`` (a DTD in a part)."""
        check_archive(path)
        check_ooxml_xml(path)
        from pptx import Presentation

        broken: dict[str, str] = {}
        try:
            prs = Presentation(str(path))
            slides = list(prs.slides)
        except Exception as exc:  # python-pptx raises KeyError, lxml and zip errors for broken parts
            # One slide or chart whose XML does not parse: the deck is read with a blank part in its place.
            repaired = _without_broken_parts(Path(path))
            if repaired is None:
                raise InputCorrupt(details={"reason": f"{type(exc).__name__}: {exc}"}) from exc
            copy, broken = repaired
            try:
                prs = Presentation(copy)
                slides = list(prs.slides)
            except Exception:
                raise InputCorrupt(details={"reason": f"{type(exc).__name__}: {exc}"}) from exc
        if len(slides) > ctx.max_pages:
            raise InputTooLarge(details={"slides": len(slides), "limit": ctx.max_pages})
        deck = _Deck(prs, slides, Path(path), ctx)
        deck.broken = broken
        return deck.run()


class _Deck:
    def __init__(self, prs: Any, slides: list[Any], path: Path, ctx: ConvertContext) -> None:
        self.prs = prs
        self.slides = slides
        self.path = path
        self.ctx = ctx
        self.b = DocumentBuilder()
        self.texts: list[str] = []
        self.langs: dict[str, int] = {}
        self.slide_height = int(prs.slide_height or 6858000)
        self.untitled: list[tuple[int, Heading]] = []
        self.broken: dict[str, str] = {}
        """Slide and chart parts whose XML did not parse (part name -> reason), blank in the deck read."""
        self.unreadable: list[tuple[int, Heading]] = []
        try:
            self.first_number = int(prs._element.get("firstSlideNum") or 1)
        except ValueError:
            self.first_number = 1

    def run(self) -> Document:
        first_title: str | None = None
        for index, slide in enumerate(self.slides):
            self.ctx.progress(index / max(len(self.slides), 1), f"slide {index + 1}/{len(self.slides)}")
            reason = self.broken.get(str(slide.part.partname))
            if reason is not None:
                self._placeholder(index + 1, reason)
                continue
            try:
                title = self._slide(index + 1, slide)
            except Exception as exc:  # one broken slide must not lose the deck
                self._placeholder(index + 1, exc)
                continue
            if first_title is None and title:
                first_title = title
        self.ctx.progress(1.0, "done")
        core = self.prs.core_properties
        declared = max(self.langs, key=self.langs.__getitem__) if self.langs else (core.language or None)
        lang, mismatch = resolve_language(declared, "\n".join(self.texts))
        if mismatch:
            self.b.issue("lang.declared_mismatch", declared=mismatch, used=lang)
        pattern = _UNTITLED["fr" if lang.lower().startswith("fr") else "en"]
        for number, heading in self.untitled:
            heading.text = pattern.format(number)
        for number, heading in self.unreadable:
            heading.text = _UNREADABLE["fr" if lang.lower().startswith("fr") else "en"].format(number)
        for name, reason in self.broken.items():
            if "/slides/" not in name:  # a chart part: its shape reported itself, say which part
                self.b.issue("slide.part_unreadable", part=name, reason=reason)
        return Document(
            title=useful_title(core.title, self.ctx.filename) or first_title or Path(self.ctx.filename).stem,
            lang=lang,
            authors=[a.strip() for a in (core.author or "").split(";") if a.strip()],
            source=SourceInfo(
                filename=self.ctx.filename,
                media_type=MEDIA_TYPE,
                sha256=file_sha256(self.path),
                pages=len(self.slides),
                converter="inclusio.pptx (python-pptx)",
            ),
            blocks=self.b.blocks,
            resources=self.b.resources,
            issues=self.b.issues,
        )

    # -- one slide ------------------------------------------------------------------------------

    def _placeholder(self, number: int, reason: object) -> None:
        """A slide that could not be read: its page marker (unless already there) and a heading saying so, which
        the ``slide.unreadable`` issue points at; the deck goes on."""
        b = self.b
        last_marker = next((blk for blk in reversed(b.blocks) if isinstance(blk, PageMarker)), None)
        if last_marker is None or last_marker.number != number:
            b.add(PageMarker(id=b.new_id(), number=number, kind="slide", source=SourceRef(slide=number)))
        heading = b.add(
            Heading(
                id=b.new_id(), level=1, text=_UNREADABLE["en"].format(number), source=SourceRef(slide=number)
            )
        )
        self.unreadable.append((number, heading))
        b.issue(
            "slide.unreadable",
            slide=number,
            reason=reason,
            block_id=heading.id,
            source=SourceRef(slide=number),
        )

    def _slide(self, number: int, slide: Any) -> str | None:
        b = self.b
        shown = self.first_number + number - 1
        b.add(
            PageMarker(
                id=b.new_id(),
                number=number,
                kind="slide",
                source=SourceRef(slide=number),
                label=str(shown) if shown != number else None,
            )
        )
        leaves = list(_flatten(slide.shapes, _identity))
        shapes = _visual_order(leaves, self.slide_height)
        self._check_order(number, leaves, shapes)
        title: str | None = None
        title_shape = next(
            (
                shape
                for shape, _ in shapes
                if _placeholder_type(shape) in _TITLE_PLACEHOLDERS
                and shape.has_text_frame
                and shape.text_frame.text.strip()
            ),
            None,
        )
        if title_shape is None:
            heading = b.add(
                Heading(
                    id=b.new_id(),
                    level=1,
                    text=_UNTITLED["en"].format(number),
                    source=SourceRef(slide=number),
                )
            )
            self.untitled.append((number, heading))
            b.issue(
                "slide.no_title",
                slide=number,
                block_id=heading.id,
                source=SourceRef(slide=number),
            )
        for shape, box in shapes:
            if shape is title_shape:
                title = " ".join(shape.text_frame.text.split())
                self._collect_lang(shape)
                b.add(Heading(id=b.new_id(), level=1, text=title, source=self._ref(number, box)))
                continue
            self._shape(number, shape, box)
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            text = notes.text.strip() if notes is not None else ""
            if text:
                self.texts.append(text)
                b.add(Note(id=b.new_id(), kind="speaker", text=text, source=SourceRef(slide=number)))
        return title

    def _check_order(
        self, number: int, file_order: list[tuple[Any, Any]], visual: list[tuple[Any, Any]]
    ) -> None:
        """Flag the slide when the visual order reverses many pairs of the file's (authored) order."""
        content = [
            s
            for s in file_order
            if s[1] is not None
            and _is_content(s[0])
            and _placeholder_type(s[0]) not in _TITLE_PLACEHOLDERS | _CHROME_PLACEHOLDERS
        ]
        if len(content) < 2:
            return
        rank = {id(s[0]): i for i, s in enumerate(content)}
        seq = [rank[id(s[0])] for s in visual if id(s[0]) in rank]
        pairs = len(seq) * (len(seq) - 1) // 2
        reversed_pairs = sum(1 for i in range(len(seq)) for j in range(i + 1, len(seq)) if seq[i] > seq[j])
        if reversed_pairs and reversed_pairs / pairs >= ORDER_DIFFERS:
            self.b.issue(
                "slide.order_differs",
                slide=number,
                swapped=reversed_pairs,
                pairs=pairs,
                source=SourceRef(slide=number),
            )

    def _ref(self, number: int, box: tuple[float, float, float, float] | None) -> SourceRef:
        bbox = BBox(x0=box[0], y0=box[1], x1=box[2], y1=box[3]) if box else None
        return SourceRef(slide=number, bbox=bbox)

    def _shape(self, number: int, shape: Any, box: tuple[float, float, float, float] | None) -> None:
        if _placeholder_type(shape) in _CHROME_PLACEHOLDERS:
            return
        ref = self._ref(number, box)
        if getattr(shape, "has_table", False) and shape.has_table:
            self._table(shape, ref)
        elif getattr(shape, "has_chart", False) and shape.has_chart:
            self._chart(shape, ref)
        elif _has_image(shape):
            self._picture(shape, ref)
        elif getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            self._text(shape, ref)
        elif _graphic_uri(shape) == _DIAGRAM_URI:
            self._smartart(number, shape, ref)
        elif shape.shape_type is not None and int(shape.shape_type) in (7, 10):  # embedded/linked OLE
            self.b.issue(
                "slide.object_needs_description",
                slide=number,
                name=shape.name,
                source=ref,
            )

    def _smartart(self, number: int, shape: Any, ref: SourceRef) -> None:
        """SmartArt: its texts as a list (from the diagram's data part), and an issue (the layout is lost)."""
        texts: list[str] = []
        try:
            rel_id = next(shape._element.iter(f"{{{_NS['dgm']}}}relIds")).get(f"{{{_NS['r']}}}dm")
            data = shape.part.related_part(rel_id)
            from pptx.oxml import parse_xml

            root = parse_xml(data.blob)
            for point in root.iter(f"{{{_NS['dgm']}}}pt"):
                if point.get("type", "node") != "node":  # doc, pres, transitions: no author text
                    continue
                text = " ".join("".join(t.text or "" for t in point.iter(f"{{{_NS['a']}}}t")).split())
                if text:
                    texts.append(text)
        except Exception:  # a diagram without a readable data part: the issue below says it all
            texts = []
        block_id = None
        if texts:
            self.texts.extend(texts)
            block_id = self.b.add(
                ListBlock(id=self.b.new_id(), items=[ListItem(text=t) for t in texts], source=ref)
            ).id
        self.b.issue(
            "slide.diagram_needs_description",
            slide=number,
            name=shape.name,
            block_id=block_id,
            source=ref,
        )

    def _collect_lang(self, shape: Any) -> None:
        for run_pr in shape._element.xpath(".//a:rPr[@lang]"):
            lang = run_pr.get("lang")
            self.langs[lang] = self.langs.get(lang, 0) + 1

    def _text(self, shape: Any, ref: SourceRef) -> None:
        self._collect_lang(shape)
        in_body = _placeholder_type(shape) in _BODY_PLACEHOLDERS
        stack: list[ListBlock] = []
        for paragraph in shape.text_frame.paragraphs:
            if _is_code(paragraph) or (self.b.is_code_open() and not paragraph.text.strip()):
                stack = []  # code is not prose: left out of the language guess
                self.b.code_line(paragraph.text.replace("\v", "\n"), source=ref)
                continue
            text = " ".join("".join(run.text for run in paragraph.runs).split()) or " ".join(
                paragraph.text.split()
            )
            if not text:
                continue
            self.texts.append(text)
            p_pr = paragraph._p.pPr
            bu_none = p_pr is not None and p_pr.find(f"{{{_NS['a']}}}buNone") is not None
            bu_num = p_pr is not None and p_pr.find(f"{{{_NS['a']}}}buAutoNum") is not None
            bu_char = p_pr is not None and p_pr.find(f"{{{_NS['a']}}}buChar") is not None
            is_item = bu_num or bu_char or (in_body and not bu_none)
            if not is_item:
                stack = []
                self.b.add(Paragraph(id=self.b.new_id(), text=text, source=ref))
                continue
            level = max(0, min(paragraph.level, 8))
            if not stack:
                stack.append(self.b.add(ListBlock(id=self.b.new_id(), ordered=bu_num, source=ref)))
            while len(stack) > level + 1:
                stack.pop()
            while len(stack) < level + 1 and stack[-1].items:
                child = ListBlock(id=self.b.new_id(), ordered=bu_num)
                stack[-1].items[-1].children = child
                stack.append(child)
            stack[-1].items.append(ListItem(text=text))
        self.b.end_code()  # a code box ends with its shape

    def _table(self, shape: Any, ref: SourceRef) -> None:
        table = shape.table
        rows: list[list[TableCell]] = []
        header_row = bool(getattr(table, "first_row", True))
        header_col = bool(getattr(table, "first_col", False))
        for r, row in enumerate(table.rows):
            cells: list[TableCell] = []
            for c, cell in enumerate(row.cells):
                if cell.is_spanned:
                    continue
                cells.append(
                    TableCell(
                        text=" ".join(cell.text.split()),
                        header=(header_row and r == 0) or (header_col and c == 0),
                        row_span=max(1, cell.span_height),
                        col_span=max(1, cell.span_width),
                    )
                )
                self.texts.append(cell.text)
            rows.append(cells)
        self.b.add(Table(id=self.b.new_id(), rows=rows, source=ref))

    def _chart(self, shape: Any, ref: SourceRef) -> None:
        """A chart's data as a table (what a screen reader user needs), else a figure to describe."""
        try:
            rows, caption = chart_table(shape.chart)
            self.b.add(Table(id=self.b.new_id(), rows=rows, caption=caption, source=ref))
        except Exception as exc:
            figure = self.b.add(Figure(id=self.b.new_id(), alt=alt_text(shape)[0], source=ref))
            self.b.issue(
                "chart.needs_description",
                reason=exc,
                block_id=figure.id,
                source=ref,
            )

    def _picture(self, shape: Any, ref: SourceRef) -> None:
        alt, decorative = alt_text(shape)
        try:
            image = shape.image
            size = image_size(image.blob)  # from the header: a pixel bomb is never decoded
            if size is None:
                raise ValueError(f"unknown image format {image.content_type}")
            width, height = size
        except Exception as exc:
            figure = self.b.add(Figure(id=self.b.new_id(), alt=alt, decorative=decorative, source=ref))
            self.b.issue(
                "image.unreadable",
                reason=exc,
                block_id=figure.id,
                source=ref,
            )
            return
        if width and height and (width < MIN_IMAGE_PX or height < MIN_IMAGE_PX) and width * height < 1 << 20:
            return
        if width * height > self.ctx.max_image_pixels:
            self.b.issue(
                "image.too_large",
                megapixels=f"{width * height / 1e6:.0f}",
                limit=f"{self.ctx.max_image_pixels / 1e6:.0f}",
                source=ref,
            )
            return
        key = None
        try:
            data, media_type = _web_image(image.blob, image.content_type)
            key = self.b.add_resource(data, media_type)
        except Exception as exc:
            self.b.issue(
                "image.unreadable",
                reason=f"{image.content_type}: {exc}",
                source=ref,
            )
        self.b.add(Figure(id=self.b.new_id(), image=key, alt=alt, decorative=decorative, source=ref))


def _without_broken_parts(path: Path) -> tuple[IO[bytes], dict[str, str]] | None:
    """A copy of the deck (a temporary file) with each slide or chart part whose XML does not parse replaced
    by a blank one, and those parts (``/ppt/slides/slide3.xml`` -> the parser's message); None when no such
    part is the trouble. The DTD check (:func:`check_ooxml_xml`) ran before: no entity is expanded here."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    broken: dict[str, str] = {}
    copy = tempfile.TemporaryFile()  # noqa: SIM115 (handed to the caller, closed with the deck)
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info)
                stub = next((s for pattern, s in _PART_STUBS.items() if pattern.match(info.filename)), None)
                if stub is not None:
                    try:
                        etree.fromstring(data, parser)
                    except etree.XMLSyntaxError as exc:
                        broken["/" + info.filename] = str(exc)
                        data = stub
                target.writestr(info, data)
    except (zipfile.BadZipFile, OSError, ValueError):
        copy.close()
        return None
    if not broken:
        copy.close()
        return None
    copy.seek(0)
    return copy, broken


def _web_image(blob: bytes, content_type: str) -> tuple[bytes, str]:
    """Image bytes a browser and an EPUB reader can show (TIFF/BMP converted to PNG with PyMuPDF)."""
    if content_type in WEB_IMAGE_TYPES:
        return blob, content_type
    from inclusio.converters.pdf import _pymupdf

    pix = _pymupdf().Pixmap(blob)  # raises for EMF/WMF, which MuPDF does not read
    return pix.tobytes("png"), "image/png"


def chart_table(chart: Any) -> tuple[list[list[TableCell]], str | None]:
    """A python-pptx chart's data as table rows (categories x series, header row and column) and its title.
    The DOCX converter reads Word's charts (the same DrawingML chart part) with it too."""
    plot = chart.plots[0]
    categories = [str(c) for c in plot.categories]
    series = list(plot.series)
    rows = [[TableCell(text="", header=True)] + [TableCell(text=s.name or "", header=True) for s in series]]
    for i, category in enumerate(categories):
        rows.append(
            [TableCell(text=category, header=True)]
            + [TableCell(text=_fmt(s.values[i] if i < len(s.values) else None)) for s in series]
        )
    caption = (
        chart.chart_title.text_frame.text if chart.has_title and chart.chart_title.has_text_frame else None
    )
    return rows, caption or None


def _fmt(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _has_image(shape: Any) -> bool:
    try:
        return hasattr(shape, "image") and shape.image is not None
    except Exception:  # an empty picture placeholder, or a picture whose part is missing, raises on .image
        return hasattr(type(shape), "image")  # the class's property, not evaluated again


def _graphic_uri(shape: Any) -> str | None:
    """The ``a:graphicData/@uri`` of a graphic frame (table, chart, SmartArt, OLE), else None."""
    found = shape._element.xpath("./a:graphic/a:graphicData/@uri") if hasattr(shape, "_element") else []
    return found[0] if found else None


def _is_code(paragraph: Any) -> bool:
    """A paragraph whose every run with text is set in a monospace font (Consolas, Courier, Monaco...)."""
    fonts = [_run_font(run) for run in paragraph.runs if run.text.strip()]
    return bool(fonts) and all(is_monospace_font(font) for font in fonts)


def _run_font(run: Any) -> str | None:
    """The run's Latin typeface, else the paragraph's default run properties' one."""
    if run.font.name:
        return run.font.name
    p_pr = run._r.getparent().pPr
    found = p_pr.xpath("./a:defRPr/a:latin/@typeface") if p_pr is not None else []
    return found[0] if found else None


def _is_content(shape: Any) -> bool:
    """Whether the shape gives the reader something (text, picture, table, chart, diagram): lines don't."""
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        return bool(shape.text_frame.text.strip())
    return _has_image(shape) or _graphic_uri(shape) is not None


def _placeholder_type(shape: Any) -> int | None:
    try:
        return int(shape.placeholder_format.type) if shape.is_placeholder else None
    except Exception:
        return None


# -- geometry -----------------------------------------------------------------------------------

Transform = tuple[float, float, float, float]
"""(offset x, offset y, scale x, scale y) from a group's child coordinates to slide EMU."""
_identity: Transform = (0.0, 0.0, 1.0, 1.0)


def _flatten(shapes: Any, transform: Transform) -> Any:
    """Leaf shapes with their bounding box in slide EMU (groups recursed into)."""
    for shape in shapes:
        if int(shape.shape_type or 0) == 6:  # GROUP
            yield from _flatten(shape.shapes, _group_transform(shape, transform))
            continue
        yield shape, _box(shape, transform)


def _box(shape: Any, t: Transform) -> tuple[float, float, float, float] | None:
    if shape.left is None or shape.top is None:
        # Placeholders inherit their position from the layout.
        return None
    x0 = t[0] + shape.left * t[2]
    y0 = t[1] + shape.top * t[3]
    return (x0, y0, x0 + (shape.width or 0) * t[2], y0 + (shape.height or 0) * t[3])


def _group_transform(group: Any, t: Transform) -> Transform:
    """Child coordinates -> slide: off + (child - chOff) * ext / chExt (ECMA-376 §20.1.7.6)."""
    try:
        xfrm = group._element.xpath("./p:grpSpPr/a:xfrm")[0]
        off, ext = xfrm.xpath("./a:off")[0], xfrm.xpath("./a:ext")[0]
        ch_off, ch_ext = xfrm.xpath("./a:chOff")[0], xfrm.xpath("./a:chExt")[0]
        sx = int(ext.get("cx")) / max(int(ch_ext.get("cx")), 1)
        sy = int(ext.get("cy")) / max(int(ch_ext.get("cy")), 1)
        ox = int(off.get("x")) - int(ch_off.get("x")) * sx
        oy = int(off.get("y")) - int(ch_off.get("y")) * sy
    except (IndexError, TypeError, ValueError):
        return t
    return (t[0] + ox * t[2], t[1] + oy * t[3], t[2] * sx, t[3] * sy)


def _visual_order(shapes: list[tuple[Any, Any]], slide_height: int) -> list[tuple[Any, Any]]:
    """Title first, then rows top to bottom, left to right within a row (stable for unknown boxes)."""
    titles = [s for s in shapes if _placeholder_type(s[0]) in _TITLE_PLACEHOLDERS]
    others = [s for s in shapes if _placeholder_type(s[0]) not in _TITLE_PLACEHOLDERS]
    placed = sorted((s for s in others if s[1] is not None), key=lambda s: (s[1][1], s[1][0]))
    rows: list[list[tuple[Any, Any]]] = []
    for item in placed:
        if rows and item[1][1] - rows[-1][0][1][1] <= ROW_TOLERANCE * slide_height:
            rows[-1].append(item)
        else:
            rows.append([item])
    ordered = [s for row in rows for s in sorted(row, key=lambda s: s[1][0])]
    return titles + ordered + [s for s in others if s[1] is None]
