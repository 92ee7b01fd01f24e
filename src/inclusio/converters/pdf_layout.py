"""Reading order of one PDF page: columns found from the gutters between text lines.

Content streams are in drawing order, not reading order: a two-column article can draw its two
columns line by line, side notes last, and an OCR layer often interleaves columns. This module
orders the elements of a page (text lines, and the tables, figures and formulas already cut out
of them) the way a reader goes through the page:

1. **Gutters.** Over the text lines of the page (or of a band, see 3), an x-coverage profile
   is built from the lines that are not page-wide; a vertical strip at least
   :data:`MIN_GUTTER` points wide that at most :data:`CROSSING_SHARE` of them cross (the
   labels of a figure above the columns), with enough text entirely on both sides, is a gutter. A layout whose two sides are short lines on the same baselines is a table
   laid out with tabs (label / value), not columns, and keeps its rows, unless both sides are lists
   (a slide's text boxes side by side: columns, their items level with each other are no row); so is a layout whose
   left side is narrow labels each on the baseline of a line on the right (section numbers in a
   table of contents, headings set beside their paragraphs): each label is read before its line.
2. **Columns.** Without a spanning element, the elements are shared among the columns by
   their centre; each column is read top to bottom, the columns left to right, except narrow
   *side columns* (less than :data:`SIDE_COLUMN_RATIO` of the widest one: margin notes,
   "subject areas" boxes), which are read after the main columns of their band.
3. **Bands.** An element that crosses a gutter (a title, an abstract, a wide figure or table)
   is read in place: it cuts the page into horizontal bands, read one after the other, and
   each band is ordered again from step 1 with its own gutters (a page can go from one column
   to two and back). Columns are therefore never interleaved; a wide float in the middle of a
   page ends the columns above it before the ones below it start. A heading under the end of
   all the columns, nearer to the full-width element below than to the text above, is read
   with that element, after every column (:func:`_lead_in`).

Inside a column, PyMuPDF's blocks are kept whole (its line order inside a block is good) and
sorted by their top edge; those starting on one line (pieces of a line, an equation and its
number, a photo and the paragraph beside it) go left to right, and a table or figure is never on
the "line" of the text just above it (:func:`_same_row`). Each element comes back with a *flow* number: consecutive elements
with the same number are in the same column of the same band, so the caller never joins text
across a column break.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from inclusio.converters.pdf_text import list_side

MIN_GUTTER = 6.0
"""Narrowest white strip (points) taken as a gutter between columns."""
WIDE_LINE = 0.6
"""Lines wider than this share of the text width are left out of the gutter profile."""
CROSSING_SHARE = 0.08
"""A gutter may be crossed by this share of the narrow lines (figure labels, a wide title)."""
SIDE_COLUMN_RATIO = 0.35
MIN_SIDE_SHARE = 0.03
"""Each side of a gutter holds at least this share of the band's characters."""
MAX_DEPTH = 4
MAX_LEAD_IN = 3
"""Lines at most that a band of columns hands to the full-width element below it (see :func:`_lead_in`)."""
LABEL_WIDTH = 0.2
"""Lines on the left of a gutter all narrower than this share of the text width, each on the baseline of a
line on the right, are labels of those lines (see :func:`_tab_table`)."""

MIN_LABELS = 3
"""Labels beside lines needed before a narrow left side is read as labels, not as a column."""

Box = tuple[float, float, float, float]


@dataclass
class Element:
    """Something with a place on the page: a text line (``text`` set) or a table/figure/formula."""

    bbox: Box
    payload: Any
    text: str | None = None
    block: int = -1
    """PyMuPDF block number of a text line (lines of one block stay together)."""
    flow: int = field(default=0, compare=False)

    @property
    def cx(self) -> float:
        return (self.bbox[0] + self.bbox[2]) / 2

    @property
    def cy(self) -> float:
        return (self.bbox[1] + self.bbox[3]) / 2

    @property
    def chars(self) -> int:
        return len(self.text.strip()) if self.text else 0


def reading_order(elements: Sequence[Element]) -> list[Element]:
    """The elements in reading order, each with its ``flow`` number set (see the module docstring).

    A non-text element with text drawn over it (the centres of at least three lines inside it: a
    background picture, a tinted box) is a background: it comes first and does not cut bands.
    """
    texts = [e for e in elements if e.text is not None]
    backgrounds = [
        e
        for e in elements
        if e.text is None
        and sum(1 for t in texts if e.bbox[0] <= t.cx <= e.bbox[2] and e.bbox[1] <= t.cy <= e.bbox[3]) >= 3
    ]
    ids = {id(e) for e in backgrounds}
    out: list[Element] = []
    counter = [0]
    if backgrounds:
        _emit_column(backgrounds, out, counter)
    _order([e for e in elements if id(e) not in ids], out, counter, 0)
    return out


def find_gutters(lines: Sequence[Element]) -> list[tuple[float, float]]:
    """White vertical strips between columns of ``lines`` (text elements), left to right."""
    texts = [e for e in lines if e.text is not None and e.bbox[2] > e.bbox[0]]
    if len(texts) < 6:
        return []
    left = min(e.bbox[0] for e in texts)
    right = max(e.bbox[2] for e in texts)
    width = right - left
    if width <= 2 * MIN_GUTTER:
        return []
    narrow = [e for e in texts if (e.bbox[2] - e.bbox[0]) < WIDE_LINE * width]
    if len(narrow) < 6:
        return []
    profile = _beside_columns(narrow, texts, left, right)
    # Coverage profile of the narrow lines (how many cover each point of x); the valleys where
    # at most a few lines cross (labels of a figure above the columns) are candidate gutters.
    # The lines that cross a kept gutter become spanning elements that cut the page into bands.
    origin = int(left)
    size = int(right) - origin + 2
    delta = [0] * (size + 1)
    for e in profile:
        delta[max(0, int(e.bbox[0]) - origin)] += 1
        delta[min(size, int(e.bbox[2]) - origin + 1)] -= 1
    tolerance = max(0, int(CROSSING_SHARE * len(narrow)))
    holes: list[tuple[float, float]] = []
    depth = 0
    start: int | None = None
    for x in range(size):
        depth += delta[x]
        if depth <= tolerance:
            if start is None:
                start = x
        elif start is not None:
            holes.append((float(start + origin), float(x + origin)))
            start = None
    total = sum(e.chars for e in texts) or 1
    gutters: list[tuple[float, float]] = []
    for g0, g1 in holes:
        if g1 - g0 < MIN_GUTTER:
            continue
        west = [e for e in texts if e.bbox[2] <= g0]
        east = [e for e in texts if e.bbox[0] >= g1]
        if len(west) < 4 or len(east) < 4:
            continue
        if (
            sum(e.chars for e in west) < MIN_SIDE_SHARE * total
            or sum(e.chars for e in east) < MIN_SIDE_SHARE * total
        ):
            continue
        if _tab_table(west, east, g0, g1, left, right):
            continue
        gutters.append((g0, g1))
    return gutters


def _beside_columns(narrow: list[Element], texts: list[Element], left: float, right: float) -> list[Element]:
    """The narrow lines that can stand in a gutter's way: those level with the column-like lines (lines
    entirely on one side of the middle of the text). Centred lines above or below all of them (authors and
    affiliations under a paper's title, a closing note) cut the page into bands; they do not close the gutter
    of the columns below them, however few the columns' lines are."""
    middle = (left + right) / 2
    halves = [e for e in texts if e.bbox[2] <= middle or e.bbox[0] >= middle]
    if len(halves) < 4:
        return narrow
    top = min(e.bbox[1] for e in halves)
    bottom = max(e.bbox[3] for e in halves)
    return [e for e in narrow if e.bbox[3] > top and e.bbox[1] < bottom]


def _tab_table(
    west: list[Element], east: list[Element], g0: float, g1: float, left: float, right: float
) -> bool:
    """True when the two sides are pieces of the same lines, not columns: both sides short lines sharing
    baselines (a table laid out with tabs), or labels on the left each on the baseline of a line on the
    right (the section numbers of a table of contents, "9.3.1" beside "Le démon de journal . . . 168";
    headings set beside their paragraphs). Read as one column, each label comes before its line."""

    def short(side: list[Element]) -> bool:
        # Columns of running text have lines nearly half the text width; cells are much shorter.
        widths = sorted(e.bbox[2] - e.bbox[0] for e in side)
        return widths[len(widths) // 2] < 0.3 * (right - left)

    east_rows = [e.cy for e in east]
    paired = sum(1 for e in west if any(abs(e.cy - y) < 2.0 for y in east_rows))
    if short(west) and short(east):
        # Lists side by side (a slide's text boxes) are columns: items level with each other are no row.
        lists = list_side([e.text or "" for e in west]) and list_side([e.text or "" for e in east])
        return paired >= 0.7 * len(west) and not lists
    labels = max(e.bbox[2] - e.bbox[0] for e in west) < LABEL_WIDTH * (right - left)
    return labels and paired >= 0.9 * len(west) and _label_list(west, east)


def _label_list(west: list[Element], east: list[Element]) -> bool:
    """True when the narrow lines on the left have the shape of labels (a list, a table of contents, side
    headings), not of a column that starts beside the right one.

    Each group of left lines (one PyMuPDF block: a label, a heading on two lines) must start on the
    baseline of a line on the right that starts an entry: a line of the label's own block (the entries of a
    table of contents), or the first line of a block of the right side (a paragraph beside its side
    heading), and that line does not go on with a sentence (a lower-case start is the end of a sentence
    begun elsewhere). At least :data:`MIN_LABELS` such groups, most of them aligned on one left edge.
    A narrow column beside a wide one ("Abstract" on the baseline of the right column's first line, the
    abstract below it) fails: its lines sit beside the middle of the right column's paragraphs."""
    tops: dict[int, float] = {}
    for e in east:
        tops[e.block] = min(tops.get(e.block, e.bbox[1]), e.bbox[1])
    firsts: dict[int, Element] = {}
    for e in sorted(west, key=lambda el: el.bbox[1]):
        firsts.setdefault(e.block if e.block >= 0 else id(e), e)
    good = 0
    for label in firsts.values():
        beside = [e for e in east if abs(e.cy - label.cy) < 2.0]
        if any(
            (e.block == label.block >= 0 or abs(e.bbox[1] - tops[e.block]) < 1.0)
            and not (e.text or " ")[:1].islower()
            for e in beside
        ):
            good += 1
    edges = Counter(round(e.bbox[0] / 3) for e in firsts.values())
    aligned = edges.most_common(1)[0][1] if edges else 0
    return good >= MIN_LABELS and good >= 0.9 * len(firsts) and aligned >= 0.5 * len(firsts)


def _crosses(e: Element, gutters: list[tuple[float, float]]) -> bool:
    return any(e.bbox[0] < g0 - 1 and e.bbox[2] > g1 + 1 for g0, g1 in gutters)


def _order(elements: list[Element], out: list[Element], counter: list[int], depth: int) -> None:
    if not elements:
        return
    gutters = find_gutters(elements) if depth < MAX_DEPTH else []
    if not gutters:
        _emit_column(elements, out, counter)
        return
    spanning = [e for e in elements if _crosses(e, gutters)]
    if spanning:
        _order_bands(elements, spanning, out, counter, depth)
        return
    bounds = [g[0] + (g[1] - g[0]) / 2 for g in gutters]
    columns: list[list[Element]] = [[] for _ in range(len(bounds) + 1)]
    for e in elements:
        columns[sum(1 for b in bounds if e.cx > b)].append(e)
    columns = [c for c in columns if c]
    widths = [max(e.bbox[2] for e in c) - min(e.bbox[0] for e in c) for c in columns]
    widest = max(widths)
    main = [c for c, w in zip(columns, widths, strict=True) if w >= SIDE_COLUMN_RATIO * widest]
    side = [c for c, w in zip(columns, widths, strict=True) if w < SIDE_COLUMN_RATIO * widest]
    for column in main + side:
        # A column may itself hold a narrower layout (two columns of a table of contents).
        _order(column, out, counter, depth + 1)


def _order_bands(
    elements: list[Element], spanning: list[Element], out: list[Element], counter: list[int], depth: int
) -> None:
    """Cut the elements into horizontal bands at the spanning ones, and order each band."""
    spanning_ids = {id(e) for e in spanning}
    spanning.sort(key=lambda e: (e.bbox[1], e.bbox[0]))
    # Spanning elements that overlap vertically (or follow each other) form one separator group.
    groups: list[list[Element]] = []
    for e in spanning:
        if groups and e.bbox[1] <= max(g.bbox[3] for g in groups[-1]) + 1:
            groups[-1].append(e)
        else:
            groups.append([e])
    bands: list[list[Element]] = [[] for _ in range(len(groups) + 1)]
    tops = [min(g.bbox[1] for g in group) for group in groups]
    bottoms = [max(g.bbox[3] for g in group) for group in groups]
    for e in elements:
        if id(e) in spanning_ids:
            continue
        # A piece on the same line as a spanning element (a line cut in two) is read with it.
        row = next(
            (i for i, (top, bottom) in enumerate(zip(tops, bottoms, strict=True)) if top <= e.cy <= bottom),
            None,
        )
        if row is not None and e.text is not None:
            groups[row].append(e)
        else:
            bands[sum(1 for top in tops if e.cy > top)].append(e)
    for index, band in enumerate(bands):
        if index < len(groups):
            lead = _lead_in(band, tops[index])
            if lead:
                band = [e for e in band if all(e is not x for x in lead)]
                groups[index] = lead + groups[index]
        _order(band, out, counter, depth + 1)
        if index < len(groups):
            _emit_column(_by_rows(groups[index]), out, counter)


def _lead_in(band: list[Element], below: float) -> list[Element]:
    """The last lines of a band of columns that introduce the full-width element below it, not the column
    they stand in: a heading ("Additional Features") under the end of both columns, nearer to the list
    below than to the text above. At most :data:`MAX_LEAD_IN` lines of one block, below everything else
    of the band; the rest of the band still has columns. They are read just before the element below."""
    texts = sorted((e for e in band if e.text is not None), key=lambda e: e.bbox[1])
    if len(texts) < 2:
        return []
    block = texts[-1].block
    lead: list[Element] = []
    for e in reversed(texts):
        if e.block != block or len(lead) == MAX_LEAD_IN:
            break
        lead.insert(0, e)
    ids = {id(e) for e in lead}
    rest = [e for e in band if id(e) not in ids]
    if not rest or block < 0:
        return []
    above = max(e.bbox[3] for e in rest)
    top, bottom = min(e.bbox[1] for e in lead), max(e.bbox[3] for e in lead)
    height = max(1.0, lead[0].bbox[3] - lead[0].bbox[1])
    if top < above - 1 or top - above < 0.5 * height or top - above <= below - bottom:
        return []
    if any(e.block == block for e in rest) or not find_gutters(rest):
        return []
    return lead


def _by_rows(elements: list[Element]) -> list[Element]:
    """Elements top to bottom, those on one line (centres within half a line height) left to right."""
    rows: list[list[Element]] = []
    for e in sorted(elements, key=lambda el: el.cy):
        height = max(1.0, e.bbox[3] - e.bbox[1])
        if rows and abs(e.cy - rows[-1][0].cy) < 0.5 * height:
            rows[-1].append(e)
        else:
            rows.append([e])
    return [e for row in rows for e in sorted(row, key=lambda el: el.bbox[0])]


def _same_row(first: list[Element], seg: list[Element]) -> bool:
    """True when segment ``seg`` (starting at or below ``first``) starts on the same line as ``first``.

    Two pieces of text: their tops are within half a line height (an equation and its number). A
    table, figure or formula and a piece of text: the text is beside it (no horizontal overlap) and
    its first line is level with it (a photo beside a paragraph); a title just above a table is not
    on its "line", however tall the table is. Two such elements: they overlap vertically by half.
    """
    a, b = first[0], seg[0]
    top_a, top_b = min(e.bbox[1] for e in first), min(e.bbox[1] for e in seg)
    if a.text is not None and b.text is not None:
        return abs(top_b - top_a) < 0.5 * max(1.0, b.bbox[3] - b.bbox[1])
    if a.text is None and b.text is None:
        overlap = min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1])
        return overlap > 0.5 * min(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1])
    box, text = (a, seg) if a.text is None else (b, first)
    x0, x1 = min(e.bbox[0] for e in text), max(e.bbox[2] for e in text)
    line = text[0]
    beside = x0 >= box.bbox[2] or x1 <= box.bbox[0]
    return beside and box.bbox[1] - (line.bbox[3] - line.bbox[1]) <= line.cy <= box.bbox[3]


def _emit_column(elements: list[Element], out: list[Element], counter: list[int]) -> None:
    """One column, top to bottom: blocks kept whole (their own line order), sorted by their top edge."""
    if not elements:
        return
    segments: list[list[Element]] = []
    for e in elements:
        last = segments[-1][-1] if segments else None
        if last is not None and e.text is not None and last.text is not None and e.block == last.block >= 0:
            segments[-1].append(e)
        else:
            segments.append([e])
    segments.sort(key=lambda seg: min(e.bbox[1] for e in seg))
    # Segments starting on the same baseline (pieces of one line, an equation and its number) go left to right.
    rows: list[list[list[Element]]] = []
    for seg in segments:
        if rows and _same_row(rows[-1][0], seg):
            rows[-1].append(seg)
        else:
            rows.append([seg])
    segments = [seg for row in rows for seg in sorted(row, key=lambda sg: min(e.bbox[0] for e in sg))]
    counter[0] += 1
    for segment in segments:
        for e in segment:
            e.flow = counter[0]
            out.append(e)
