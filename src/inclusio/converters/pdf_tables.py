"""Tables of a PDF page: ruled grids read from the page's drawings, checked before use.

Ruled tables (rules between rows and columns, or shaded cells side by side) are read by
:func:`ruled_grids`, our own port of the "lines" strategy of PyMuPDF's table finder (itself
pdfplumber's): strokes, thin rectangles and rectangle sides become horizontal and vertical rules;
the outline of each cluster of touching drawings that holds text is added (the border of a table
ruled between rows only); rules within 3 pt are snapped to one position and joined end to end;
their crossings give the cells (the smallest rectangle whose four corners are crossings joined by
rules) and cells sharing a corner make one table. It works on the drawings fetched once per page
(``page.get_cdrawings()``) and on the page's own text lines, so it costs about a millisecond per
page where ``page.find_tables()`` costs 0.1-0.4 s: most of the finder's time goes to building a
character list of the whole page (``rawdict``) and to guessing a header from rendered pixmaps,
neither of which we use. What we leave out on purpose: the finder's "external header" (text lines
just above a table taken as its header row: on the corpus it only ever took a body sentence into a
table) and the layout model (off, see :mod:`pdf`).

A found table is kept only when it passes :func:`_plausible`:

* at least two rows and two columns (a one-column "table" is a box around text);
* at least 40% of its cells hold text, and some of our own text lines fall inside it.

Cell text comes from the page's own lines, placed by their centre, so a grid that crosses a word
never splits its letters ("É nergie"); dot leaders ("Arson . . . .") are left out. Merged cells
are rebuilt from the grid: a cell that is missing is covered by its neighbour on the left
(``col_span``) or above (``row_span``). Header rows: the leading rows whose text is all bold (at
most three), and, when a first-row cell spans several rows, as many rows as it spans (a
multi-level header).

Statistical tables are often ruled around their header and body only: the body is one ruled row
holding a block of figures, and one ruled column may hold several columns of figures ("Total /
Under 18 years / 18 years and over" under "Male"). Such a row (at least three text rows with text
in two cells or more, most lines outside the first column figures) becomes one row per text row,
and such a column one column per column of figures, its header cells split or spread over them
(:func:`_split_numeric_rows`). A ruled row of wrapped prose is not figures and stays one row.

Tables with no rules at all are read from the alignment of their text (:func:`unruled_tables`, on the
lines no ruled table took): runs of text rows split by white space, columns from the white strips between
the body's lines, a header from style (bold, larger) or words over figures, wrapped cells joined to their
row. Refused: prose beside something (a column of long lines), narrow columns of running text side by side
(:func:`_flows`), lists side by side (every worded column a list: a slide's text boxes, whose items level with
each other are no row; a label column beside lists is a table whose cells hold lists), labels scattered over a diagram (cells of a row share its baseline:
:data:`BASELINE_SHARE`), tables of contents, code and formulas. A table that ends its page (no text under it)
goes on with the rows at the top of the next page in its columns (:func:`continued_rows`; a repeated
header row is read once), even one or two rows that would be too few to be a table alone.

Terms set beside their prose definitions (a glossary in two columns, or a table without borders holding
one) are read first, by :func:`term_lists`, as two-column tables whose first cell is a row header (the model
has no definition list), only where the shape is clear: three entries or more on two left edges, each term
short and level with its definition's first line, nothing else between them, definitions wrapped but short.
Paragraphs opening on a bold run-in term and a colon or dash ("**Osmose** : passage de l'eau..."), three or
more in a row, are such a table too (:func:`term_paragraphs`); a term in regular type ("Remarque : ...") is
not a clear shape and stays a paragraph.

A ruled table that ends its page (no line under it) goes on with the first ruled table of the next page
when nothing is above that one and its column rules are the same (within :data:`EDGE_SLACK`): its rows are
appended (a single row is enough), its leading rows repeating the table's header rows are dropped, and a
header row of its own (another table of the same shape) keeps it apart (:func:`page_tables`, :func:`_goes_on`).

:func:`has_ruling` is the cheap filter run first on the same drawings: without at least two
horizontal and two vertical strokes or rectangle edges (or two shaded cells side by side) there is
no grid, and the page is skipped.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from inclusio.converters.pdf_text import Line, join_lines, list_side, opens_item
from inclusio.model import BBox, SourceRef, Table, TableCell

MAX_HEADER_ROWS = 3
MIN_DENSE_ROWS = 3
"""A ruled row is split into rows of figures when at least this many of its text rows hold two cells or more."""
SUBCOLUMN_GAP = 3.0
"""Columns of figures inside one ruled column are at least this far apart (pt)."""
_LEADER = re.compile(r"(?:\s*\.){4,}\s*$")
_SHORT_LEADER = re.compile(r"(?:\s*\.){2,}\s*$")
_SPLIT_FIGURE = re.compile(r"(?<=\d[.,])\s+(?=\d)")
_NUMERIC_CHARS = frozenset("0123456789.,%()+-–—−X*$€£ \u00a0")


def has_ruling(drawings: list[dict[str, Any]]) -> bool:
    """True when a page with these drawings (``page.get_cdrawings()``) may hold a ruled table.

    Counted: thin horizontal strokes (lines, or rectangles under 3 pt high) and thin vertical
    ones at least 10 pt long, and filled cells side by side (two rectangles of the same height
    touching). Two of each, or adjacent cells pass (the lines strategy needs vertical edges:
    horizontal rules alone, like the rules of a warning box, never make a table); the shaded
    background of a code listing (one rectangle) does not. Near-white strokes and
    fills (every component at least 0.85) are backgrounds, not rules, and are not counted.
    """
    horizontal = vertical = 0
    cells: list[tuple[float, float, float, float]] = []
    for path in drawings:
        if _pale(path):
            continue
        for item in path.get("items", ()):
            kind = item[0]
            if kind == "l":
                (x0, y0), (x1, y1) = item[1], item[2]
                if abs(y0 - y1) < 1 and abs(x1 - x0) > 10:
                    horizontal += 1
                elif abs(x0 - x1) < 1 and abs(y1 - y0) > 10:
                    vertical += 1
            elif kind == "re":
                x0, y0, x1, y1 = item[1]
                w, h = abs(x1 - x0), abs(y1 - y0)
                if h < 3 and w > 10:
                    horizontal += 1
                elif w < 3 and h > 10:
                    vertical += 1
                elif w >= 3 and h >= 3:
                    cells.append((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
        if horizontal >= 2 and vertical >= 2:
            return True
    if len(cells) >= 2:
        cells.sort()
        for a in cells:
            for b in cells:
                if b is not a and abs(a[1] - b[1]) < 1 and abs(a[3] - b[3]) < 1 and abs(b[0] - a[2]) < 1.5:
                    return True
    return False


def _pale(path: dict[str, Any]) -> bool:
    colour = path.get("color") if path.get("type") == "s" else path.get("fill")
    return colour is not None and len(colour) >= 3 and min(colour) >= 0.85


@dataclass
class OpenRuled:
    """A ruled table that ends its page (nothing under it): the first ruled table of the next page may go on
    with it (:func:`page_tables`)."""

    table: Table
    edges: tuple[float, ...]
    """The x of its column rules."""


EDGE_SLACK = 2.0
"""The column rules of a table going on across a page are within this distance (pt) of the first part's."""


def page_tables(
    page: Any,
    pno: int,
    lines: list[Line],
    new_id: Callable[[], str],
    issue: Callable[..., None],
    going_on: OpenRuled | None = None,
) -> tuple[list[tuple[Table, list[Line]]], list[Line], OpenRuled | None]:
    """Ruled tables of the page with the lines they consume; a failure is reported through
    ``issue(code, **fields)``. Also returned: the lines of the rows that went on with ``going_on``, the page
    before's last table (:func:`_goes_on`: appended to it, not a table of their own), and this page's last
    table when nothing is under it (it may go on at the top of the next page), else None."""
    try:
        drawings = page.get_cdrawings()
        if not has_ruling(drawings):
            return [], [], None
        # Drawings and text are in unrotated coordinates; page.rect is the page as displayed.
        grids = ruled_grids(drawings, lines, tuple(page.rect * page.derotation_matrix))
    except Exception as exc:
        issue("pdf.table_failed", page=pno + 1, reason=f"detection failed ({exc})")
        return [], [], None
    out: list[tuple[Table, list[Line]]] = []
    edges: dict[int, tuple[float, ...]] = {}
    went_on: list[Line] = []
    for index, grid in enumerate(grids):
        top = index == 0 and going_on is not None and _same_edges(_grid_edges(grid), going_on.edges)
        try:
            result = _table(grid, pno, lines, new_id, min_rows=1 if top else 2)
        except Exception as exc:
            issue("pdf.table_failed", page=pno + 1, reason=exc)
            continue
        if result is None:
            continue
        if top and going_on is not None and _goes_on(going_on.table, result, lines):
            went_on = result[1]
            continue
        if len(result[0].rows) < 2:
            continue  # one row is a table only as the rest of the page before's
        out.append(result)
        edges[id(result[0])] = _grid_edges(grid)
    return out, went_on, _open_ruled(out, edges, lines)


def _grid_edges(grid: Grid) -> tuple[float, ...]:
    return tuple(sorted({c[0] for c in grid.cells} | {c[2] for c in grid.cells}))


def _same_edges(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= EDGE_SLACK for x, y in zip(a, b, strict=True))


def _row_texts(row: list[TableCell]) -> list[str]:
    return [cell.text for cell in row]


def _goes_on(table: Table, found: tuple[Table, list[Line]], lines: list[Line]) -> bool:
    """The page's first ruled table (same column rules as ``table``, the page before's last one) goes on
    with ``table`` when no text is above it: its rows are appended to ``table``; its leading rows repeating
    ``table``'s header rows (Word's and LibreOffice's "repeat heading rows") are dropped. A header row of
    its own that ``table`` does not have starts another table: not joined."""
    part, members = found
    top = min(ln.bbox[1] for ln in members)
    taken = {id(ln) for ln in members}
    if any(ln.bbox[3] <= top + 1 for ln in lines if id(ln) not in taken):
        return False  # a title or text above it: a table of its own
    head = 0
    while head < len(table.rows) and all(cell.header for cell in table.rows[head]):
        head += 1
    repeated = max(head, 1)
    rows = part.rows
    if len(rows) > repeated and [_row_texts(r) for r in rows[:repeated]] == [
        _row_texts(r) for r in table.rows[:repeated]
    ]:
        rows = rows[repeated:]
    elif any(cell.header for cell in rows[0]):
        return False
    for row in rows:
        for cell in row:
            cell.header = False
    table.rows.extend(rows)
    return True


def _open_ruled(
    tables: list[tuple[Table, list[Line]]], edges: dict[int, tuple[float, ...]], lines: list[Line]
) -> OpenRuled | None:
    """The page's last ruled table when no line of the page is under it (it may go on), else None."""
    if not tables:
        return None
    table, members = max(tables, key=lambda found: max(ln.bbox[3] for ln in found[1]))
    bottom = table.source.bbox.y1 if table.source and table.source.bbox else max(ln.bbox[3] for ln in members)
    taken = {id(ln) for ln in members}
    if any(ln.bbox[1] >= bottom - 1 for ln in lines if id(ln) not in taken):
        return None
    return OpenRuled(table, edges[id(table)])


def _union(boxes: list[tuple[float, float, float, float]]) -> BBox:
    return BBox(
        x0=min(b[0] for b in boxes),
        y0=min(b[1] for b in boxes),
        x1=max(b[2] for b in boxes),
        y1=max(b[3] for b in boxes),
    )


def _plausible(
    texts: list[list[list[Line]]], row_boxes: list[list[Any]], members: list[Line], min_rows: int = 2
) -> bool:
    if len(row_boxes) < min_rows or max(len(r) for r in row_boxes) < 2:
        return False
    filled = [" ".join(ln.text for ln in cell).strip() for row in texts for cell in row if cell]
    total = sum(1 for row in row_boxes for cell in row if cell is not None)
    return bool(members) and len(filled) >= 0.4 * total


def _table(
    grid: Grid, pno: int, lines: list[Line], new_id: Callable[[], str], min_rows: int = 2
) -> tuple[Table, list[Line]] | None:
    row_boxes = [list(row) for row in grid.rows]
    if not row_boxes:
        return None
    width = max(len(r) for r in row_boxes)
    for row in row_boxes:
        row.extend([None] * (width - len(row)))
    texts: list[list[list[Line]]] = [[[] for _ in row] for row in row_boxes]
    members: list[Line] = []
    for line in lines:
        cx, cy = line.center
        placed = False
        for r, row in enumerate(row_boxes):
            for c, cell in enumerate(row):
                if cell is not None and cell[0] <= cx <= cell[2] and cell[1] <= cy <= cell[3]:
                    texts[r][c].append(line)
                    members.append(line)
                    placed = True
                    break
            if placed:
                break
    if not _plausible(texts, row_boxes, members, min_rows):
        return None
    # Column x-centres and row y-centres from the cells PyMuPDF reports, to rebuild merges.
    col_x: list[float | None] = []
    for c in range(width):
        xs = [(row[c][0] + row[c][2]) / 2 for row in row_boxes if row[c] is not None]
        col_x.append(min(xs) if xs else None)
    row_y = [
        min(((cell[1] + cell[3]) / 2 for cell in row if cell is not None), default=None) for row in row_boxes
    ]
    header_rows = 0
    for r in range(len(row_boxes)):
        if r >= MAX_HEADER_ROWS:
            break
        cell_lines = [ln for cell in texts[r] for ln in cell]
        if r == header_rows and cell_lines and all(ln.bold for ln in cell_lines):
            header_rows += 1
    covered: set[tuple[int, int]] = set()
    rows: list[list[TableCell]] = []
    placed: list[tuple[int, int, TableCell]] = []
    for r, row in enumerate(row_boxes):
        cells: list[TableCell] = []
        for c, cell in enumerate(row):
            if cell is None:
                if (r, c) not in covered and cells:  # a gap nothing explains: widen the left cell
                    cells[-1].col_span += 1
                continue
            col_span = 1
            while (
                c + col_span < width
                and row[c + col_span] is None
                and col_x[c + col_span] is not None
                and col_x[c + col_span] < cell[2]
            ):
                covered.add((r, c + col_span))
                col_span += 1
            row_span = 1
            while (
                r + row_span < len(row_boxes)
                and row_boxes[r + row_span][c] is None
                and row_y[r + row_span] is not None
                and row_y[r + row_span] < cell[3]
            ):
                for k in range(col_span):
                    covered.add((r + row_span, c + k))
                row_span += 1
            cells.append(
                TableCell(
                    text=_cell_text(texts[r][c]), header=r < header_rows, col_span=col_span, row_span=row_span
                )
            )
            placed.append((r, c, cells[-1]))
        if cells:
            rows.append(cells)
        if r == 0 and cells and max(cell.row_span for cell in cells) > 1 and len(row_boxes) > 2:
            # A first-row cell spanning rows ("Offense charged" beside "Total / Under 18 years"):
            # a multi-level header, as deep as that span.
            header_rows = max(header_rows, max(cell.row_span for cell in cells))
            for cell in cells:
                cell.header = True
    rows = _split_numeric_rows(placed, texts) or rows
    table = Table(id=new_id(), rows=rows, source=SourceRef(page=pno + 1, bbox=_union([grid.bbox])))
    return table, members


def _cell_text(lines: list[Line], *, figures: bool = False) -> str:
    """A cell's text: its lines joined, dot leaders ("Arson . . . . .") left out.

    ``figures``: a cell of a block of figures (:func:`_split_numeric_rows`), where two dots are a leader
    already, and a figure drawn in two pieces ("11,062. 6") is one number again.
    """
    text = join_lines([ln.text for ln in lines])
    text = (_SHORT_LEADER if figures else _LEADER).sub("", text).strip()
    return _SPLIT_FIGURE.sub("", text) if figures and _numeric(text) else text


def _numeric(text: str) -> bool:
    """A figure of a statistical table: digits and their punctuation, or a mark for none ("–", "(X)")."""
    text = text.strip()
    return bool(text) and not set(text) - _NUMERIC_CHARS


def _text_rows(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped into rows, top to bottom: a line whose centre is within half its height of the first
    line of the current row is on that row."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: ln.center[1]):
        if rows and line.center[1] - rows[-1][0].center[1] <= 0.5 * max(line.height, 1.0):
            rows[-1].append(line)
        else:
            rows.append([line])
    return rows


def _dense_row(cells: list[tuple[int, TableCell]], texts: list[list[Line]]) -> list[list[Line]] | None:
    """The text rows of a grid row that holds a block of figures under one pair of rules (a statistical
    table ruled around its body only), or None when the grid row is an ordinary row.

    Such a row: every cell is a plain cell (no span), at least :data:`MIN_DENSE_ROWS` text rows hold
    text in two cells or more, and most lines outside the first column are figures. A wrapped cell of
    prose in a ruled row has its second line in one column only, and prose is not figures: it stays one row.
    A label alone on its row followed by a row whose label starts in lower case ("Murder and nonnegligent"
    / "manslaughter . . . 10.0") is the first line of that label.
    """
    if any(cell.col_span > 1 or cell.row_span > 1 for _, cell in cells):
        return None
    column = {id(ln): c for c, lines in enumerate(texts) for ln in lines}
    rows = _text_rows([ln for lines in texts for ln in lines])
    full = sum(1 for row in rows if len({column[id(ln)] for ln in row}) >= 2)
    others = [ln for lines in texts[1:] for ln in lines]
    if (
        full < MIN_DENSE_ROWS
        or len(others) < 2 * MIN_DENSE_ROWS
        or sum(1 for ln in others if _numeric(ln.text)) < 0.7 * len(others)
    ):
        return None
    merged: list[list[Line]] = []
    pending: list[Line] = []
    for index, row in enumerate(rows):
        if all(column[id(ln)] == 0 for ln in row) and index + 1 < len(rows):
            label = [ln for ln in rows[index + 1] if column[id(ln)] == 0]
            if label and label[0].text[:1].islower():
                pending += row
                continue
        merged.append(pending + row)
        pending = []
    return merged


def _subcolumns(rows: list[list[Line]]) -> list[tuple[float, float]]:
    """Columns of figures side by side inside one ruled column: the x-ranges of its lines, merged where
    they overlap; one range when the lines do not fall into separate ranges, one line per row."""
    lines = sorted((ln for row in rows for ln in row), key=lambda ln: ln.bbox[0])
    if not lines:
        return []
    ranges = [[lines[0].bbox[0], lines[0].bbox[2]]]
    for line in lines[1:]:
        if line.bbox[0] <= ranges[-1][1] + SUBCOLUMN_GAP:
            ranges[-1][1] = max(ranges[-1][1], line.bbox[2])
        else:
            ranges.append([line.bbox[0], line.bbox[2]])
    out = [(a, b) for a, b in ranges]
    if len(out) < 2:
        return out
    clashes = sum(1 for row in rows if len({_subcolumn(ln, out) for ln in row}) < len(row))
    return out if clashes <= 0.1 * len(rows) else [(ranges[0][0], ranges[-1][1])]


def _subcolumn(line: Line, ranges: list[tuple[float, float]]) -> int:
    """The range of ``ranges`` a line overlaps most (the nearest when it overlaps none)."""

    def score(i: int) -> tuple[float, float]:
        a, b = ranges[i]
        return (min(b, line.bbox[2]) - max(a, line.bbox[0]), -abs((a + b) / 2 - line.center[0]))

    return max(range(len(ranges)), key=score)


def _split_numeric_rows(
    placed: list[tuple[int, int, TableCell]], texts: list[list[list[Line]]]
) -> list[list[TableCell]] | None:
    """Rows of a statistical table ruled around its body only, or None when the table has none.

    A grid row holding a block of figures (:func:`_dense_row`) becomes one row per text row; a ruled
    column holding several columns of figures ("Total / Under 18 years / 18 years and over" under
    "Male") becomes one column per column of figures (:func:`_subcolumns`): a header cell whose lines sit
    over different columns of figures is split with them, one that sits over one is spread over all
    ("Male", centred over its three). The grid rows above the first block of figures are header rows.
    """
    by_row: dict[int, list[tuple[int, TableCell]]] = {}
    for r, c, cell in placed:
        by_row.setdefault(r, []).append((c, cell))
    dense = {r: rows for r, cells in by_row.items() if (rows := _dense_row(cells, texts[r])) is not None}
    if not dense:
        return None
    width = len(texts[0])
    ranges: list[list[tuple[float, float]]] = []
    column_of = {id(ln): c for r in dense for c, lines in enumerate(texts[r]) for ln in lines}
    for c in range(width):
        column = [[ln for ln in row if column_of[id(ln)] == c] for rows in dense.values() for row in rows]
        ranges.append(_subcolumns([row for row in column if row]))
    share = [max(1, len(r)) for r in ranges]
    grid_rows = len(texts)
    count = [len(dense[r]) if r in dense else 1 for r in range(grid_rows)]
    start = [sum(count[:r]) for r in range(grid_rows)]
    first_dense = min(dense)
    out: list[list[TableCell]] = [[] for _ in range(sum(count))]
    for r, c, cell in placed:
        lines = texts[r][c]
        if r in dense:
            for t, row in enumerate(dense[r]):
                own = [ln for ln in row if column_of[id(ln)] == c]
                for j in range(share[c]):
                    sub = [ln for ln in own if share[c] == 1 or _subcolumn(ln, ranges[c]) == j]
                    out[start[r] + t].append(TableCell(text=_cell_text(sub, figures=True)))
            continue
        header = cell.header or r < first_dense
        row_span = sum(count[r + i] for i in range(cell.row_span) if r + i < grid_rows)
        if share[c] > 1 and cell.col_span == 1 and len({_subcolumn(ln, ranges[c]) for ln in lines}) >= 2:
            for j in range(share[c]):
                sub = sorted(
                    (ln for ln in lines if _subcolumn(ln, ranges[c]) == j), key=lambda ln: ln.center[1]
                )
                out[start[r]].append(TableCell(text=_cell_text(sub), header=header, row_span=row_span))
            continue
        cell.col_span = sum(share[c + i] for i in range(cell.col_span) if c + i < width)
        cell.row_span = row_span
        cell.header = header
        out[start[r]].append(cell)
    return [row for row in out if row]


# -- the ruled-grid reader -----------------------------------------------------------------------

SNAP = 3.0
"""Strokes closer than this (pt) are one rule; rules closer than this end to end are joined."""
MIN_EDGE = 3.0
"""Shorter rules are ignored."""
TOUCH = 3.0
"""A vertical and a horizontal rule this close cross."""

_BUCKET = 64.0
"""Side (pt) of the buckets drawings are looked up in when grouping them (see :func:`_clusters`)."""

Box = tuple[float, float, float, float]


@dataclass
class Grid:
    """A ruled table: its cells (x0, top, x1, bottom) and rows, one slot per column start (None: a merge or gap)."""

    cells: list[Box]
    rows: list[list[Box | None]]
    bbox: Box


def ruled_grids(drawings: list[dict[str, Any]], lines: list[Line], page_rect: Box) -> list[Grid]:
    """The ruled tables of a page, from its drawings (``page.get_cdrawings()``) and text lines."""
    horizontal, vertical = _edges(drawings, lines, page_rect)
    horizontal = _merge(horizontal, 1)
    vertical = _merge(vertical, 0)
    horizontal = [e for e in horizontal if e[2] - e[0] >= MIN_EDGE]
    vertical = [e for e in vertical if e[3] - e[1] >= MIN_EDGE]
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    cells = _cells(_crossings(horizontal, vertical))
    grids = []
    for group in _groups(cells):
        if len({c[0] for c in group}) < 2 or len({c[2] for c in group}) < 2:
            continue  # one column: a frame around text, not a table
        bbox = (
            min(c[0] for c in group),
            min(c[1] for c in group),
            max(c[2] for c in group),
            max(c[3] for c in group),
        )
        if not any(
            ln.bbox[0] < bbox[2] and ln.bbox[2] > bbox[0] and ln.bbox[1] < bbox[3] and ln.bbox[3] > bbox[1]
            for ln in lines
        ):
            continue
        grids.append(Grid(cells=group, rows=_rows(group), bbox=bbox))
    grids.sort(key=lambda g: min((c[1], c[0]) for c in g.cells))
    return grids


def _edges(drawings: list[dict[str, Any]], lines: list[Line], clip: Box) -> tuple[list[Box], list[Box]]:
    """Horizontal and vertical rules: strokes, thin rectangles, the sides of other rectangles and quads,
    and the outline of each cluster of drawings that holds text."""
    horizontal: list[Box] = []
    vertical: list[Box] = []
    cx0, cy0, cx1, cy1 = clip

    def add(x0: float, y0: float, x1: float, y1: float) -> None:
        if abs(x0 - x1) > SNAP and abs(y0 - y1) > SNAP:
            return  # not axis-parallel
        if x0 > x1:
            x0, x1 = x1, x0
        if y0 > y1:
            y0, y1 = y1, y0
        if x0 > cx1 or x1 < cx0 or y0 > cy1 or y1 < cy0:
            return
        x0, x1, y0, y1 = max(x0, cx0), min(x1, cx1), max(y0, cy0), min(y1, cy1)
        if y0 == y1:
            if x1 - x0 >= 1:
                horizontal.append((x0, y0, x1, y1))
        elif y1 - y0 >= 1:
            vertical.append((x0, y0, x1, y1))

    rects: set[Box] = set()
    for path in drawings:
        rect = path.get("rect")
        if rect is not None:
            rects.add(tuple(rect))
        items = path.get("items", ())
        closing = ()
        if path.get("closePath") and items and items[0][0] == "l" and items[-1][0] == "l":
            closing = (("l", items[-1][2], items[0][1]),)
        for item in (*items, *closing):
            kind = item[0]
            if kind == "l":
                (x0, y0), (x1, y1) = item[1], item[2]
                add(x0, y0, x1, y1)
            elif kind == "re":
                x0, y0, x1, y1 = item[1]
                x0, x1 = min(x0, x1), max(x0, x1)
                y0, y1 = min(y0, y1), max(y0, y1)
                w, h = x1 - x0, y1 - y0
                if w <= MIN_EDGE and w < h:  # a thin rectangle drawn as a vertical rule
                    add((x0 + x1) / 2, y0, (x0 + x1) / 2, y1)
                elif h <= MIN_EDGE and h < w:
                    add(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2)
                else:
                    add(x0, y0, x0, y1)
                    add(x0, y1, x1, y1)
                    add(x1, y1, x1, y0)
                    add(x1, y0, x0, y0)
            elif kind == "qu":
                ul, ur, ll, lr = item[1]
                for a, b in ((ul, ll), (ll, lr), (lr, ur), (ur, ul)):
                    add(a[0], a[1], b[0], b[1])
    for x0, y0, x1, y1 in _clusters(rects, lines):
        add(x0, y0, x1, y0)
        add(x0, y1, x1, y1)
        add(x0, y0, x0, y1)
        add(x1, y0, x1, y1)
    return horizontal, vertical


def _clusters(rects: set[Box], lines: list[Line]) -> list[Box]:
    """Outlines of groups of drawings that touch (within SNAP) and hold a text line: the border of a table
    drawn with rules between its rows only, or with shaded cells.

    A group starts from the topmost drawing left and takes in every drawing near its outline until none is
    left (PyMuPDF's rule). Drawings are looked up in buckets of :data:`_BUCKET` pt, so a page of thousands
    of separate marks (a scatter plot, a map) costs what its neighbourhoods cost, not the square of its size.
    """
    todo = sorted(rects, key=lambda r: (r[3], r[0]))
    buckets: dict[tuple[int, int], list[int]] = {}

    def keys(x0: float, y0: float, x1: float, y1: float) -> list[tuple[int, int]]:
        return [
            (i, j)
            for i in range(int((x0 - SNAP) // _BUCKET), int((x1 + SNAP) // _BUCKET) + 1)
            for j in range(int((y0 - SNAP) // _BUCKET), int((y1 + SNAP) // _BUCKET) + 1)
        ]

    for n, rect in enumerate(todo):
        for key in keys(*rect):
            buckets.setdefault(key, []).append(n)
    left = [True] * len(todo)
    out: list[Box] = []
    for first, rect in enumerate(todo):
        if not left[first]:
            continue
        left[first] = False
        x0, y0, x1, y1 = rect
        grown = True
        while grown:
            grown = False
            near = sorted(
                {n for key in keys(x0, y0, x1, y1) for n in buckets.get(key, ()) if left[n]}, reverse=True
            )
            for n in near:
                a0, b0, a1, b1 = todo[n]
                if (
                    (x0 - SNAP <= a0 <= x1 + SNAP or x0 - SNAP <= a1 <= x1 + SNAP)
                    and (y0 - SNAP <= b0 <= y1 + SNAP or y0 - SNAP <= b1 <= y1 + SNAP)
                ) or (
                    (a0 - SNAP <= x0 <= a1 + SNAP or a0 - SNAP <= x1 <= a1 + SNAP)
                    and (b0 - SNAP <= y0 <= b1 + SNAP or b0 - SNAP <= y1 <= b1 + SNAP)
                ):
                    x0, y0, x1, y1 = min(x0, a0), min(y0, b0), max(x1, a1), max(y1, b1)
                    left[n] = False
                    grown = True
        if any(
            x0 <= (ln.bbox[0] + ln.bbox[2]) / 2 <= x1 and y0 <= (ln.bbox[1] + ln.bbox[3]) / 2 <= y1
            for ln in lines
        ):
            out.append((x0, y0, x1, y1))
    return out


def _merge(edges: list[Box], axis: int) -> list[Box]:
    """Snap rules within SNAP of each other to their mean position, then join collinear rules that meet
    (within SNAP). ``axis`` 1: horizontal rules (position y), 0: vertical ones (position x)."""
    if not edges:
        return []
    pos = sorted({e[axis] for e in edges})
    groups: list[list[float]] = [[pos[0]]]
    for value in pos[1:]:
        if value <= groups[-1][-1] + SNAP:
            groups[-1].append(value)
        else:
            groups.append([value])
    group_of = {value: i for i, group in enumerate(groups) for value in group}
    members: dict[int, list[Box]] = {}
    for e in edges:
        members.setdefault(group_of[e[axis]], []).append(e)
    out: list[Box] = []
    for group in sorted(members):
        items = members[group]
        mean = sum(e[axis] for e in items) / len(items)
        lo, hi = (0, 2) if axis == 1 else (1, 3)
        spans = sorted((e[lo], e[hi]) for e in items)
        start, end = spans[0]
        joined = []
        for a, b in spans[1:]:
            if a <= end + SNAP:
                end = max(end, b)
            else:
                joined.append((start, end))
                start, end = a, b
        joined.append((start, end))
        for a, b in joined:
            out.append((a, mean, b, mean) if axis == 1 else (mean, a, mean, b))
    return out


def _crossings(
    horizontal: list[Box], vertical: list[Box]
) -> dict[tuple[float, float], tuple[set[Box], set[Box]]]:
    """Points where a vertical rule meets a horizontal one (within TOUCH), with the rules through each."""
    points: dict[tuple[float, float], tuple[set[Box], set[Box]]] = {}
    horizontal = sorted(horizontal, key=lambda e: (e[1], e[0]))
    for v in sorted(vertical):
        x, top, bottom = v[0], v[1], v[3]
        for h in horizontal:
            y = h[1]
            if y > bottom + TOUCH:
                break
            if top <= y + TOUCH and h[0] - TOUCH <= x <= h[2] + TOUCH:
                at = points.setdefault((x, y), (set(), set()))
                at[0].add(h)
                at[1].add(v)
    return points


def _cells(points: dict[tuple[float, float], tuple[set[Box], set[Box]]]) -> list[Box]:
    """The smallest rectangles whose four corners are crossings joined by rules (pdfplumber's rule)."""
    below: dict[float, list[tuple[float, float]]] = {}
    right: dict[float, list[tuple[float, float]]] = {}
    for pt in sorted(points):
        below.setdefault(pt[0], []).append(pt)
        right.setdefault(pt[1], []).append(pt)
    for column in below.values():
        column.sort(key=lambda p: p[1])
    for row in right.values():
        row.sort()

    def joined(a: tuple[float, float], b: tuple[float, float], kind: int) -> bool:
        return not points[a][kind].isdisjoint(points[b][kind])

    cells: list[Box] = []
    for pt in sorted(points):
        found = None
        for down in below[pt[0]]:
            if down[1] <= pt[1] or not joined(pt, down, 1):
                continue
            for across in right[pt[1]]:
                if across[0] <= pt[0] or not joined(pt, across, 0):
                    continue
                corner = (across[0], down[1])
                if corner in points and joined(corner, across, 1) and joined(corner, down, 0):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _groups(cells: list[Box]) -> list[list[Box]]:
    """Cells grouped into tables: a cell sharing a corner with a group joins it."""
    remaining = list(cells)
    groups: list[list[Box]] = []
    while remaining:
        group = [remaining.pop(0)]
        corners = {(group[0][i], group[0][j]) for i in (0, 2) for j in (1, 3)}
        grown = True
        while grown:
            grown = False
            for cell in list(remaining):
                mine = {(cell[i], cell[j]) for i in (0, 2) for j in (1, 3)}
                if not corners.isdisjoint(mine):
                    corners |= mine
                    group.append(cell)
                    remaining.remove(cell)
                    grown = True
        groups.append(group)
    return groups


def _rows(cells: list[Box]) -> list[list[Box | None]]:
    """Rows of a grid, top to bottom; one slot per distinct left edge of the grid's cells."""
    xs = sorted({c[0] for c in cells})
    by_top: dict[float, dict[float, Box]] = {}
    for cell in sorted(cells, key=lambda c: (c[1], c[0])):
        by_top.setdefault(cell[1], {})[cell[0]] = cell
    return [[row.get(x) for x in xs] for _, row in sorted(by_top.items())]


# -- the unruled reader --------------------------------------------------------------------------

MIN_UNRULED_ROWS = 3
"""An unruled table has at least this many rows (its header included), two of them body rows."""
SPLIT_GAP = 0.8
"""Two lines on one baseline are separate cells when at least this many font sizes apart."""
ROW_GAP = 2.5
"""Text rows of one table are at most this many line heights apart."""
MAX_COLUMN_CHARS = 45
"""A column whose lines hold more characters than this (median) is prose beside something, not a column."""
COLUMN_GAP = 0.5
"""Columns are separated by a white strip of at least this many font sizes."""
BASELINE_SLACK = 0.2
BASELINE_SHARE = 0.75
"""An unruled table's text rows of two lines or more stand on one baseline (bottoms within this share of
a line height), at least this share of them: labels scattered over a diagram do not."""
MIN_FLOW_PAIRS = 3
FLOW_SHARE = 0.6
"""A column is running text when at least :data:`MIN_FLOW_PAIRS` pairs of its lines, and this share of
them, are wrapped text going on (:func:`_flows`)."""


@dataclass
class OpenTable:
    """An unruled table that ends its page (no text under it): what :func:`continued_rows` needs to take
    its rows from the top of the next page."""

    table: Table
    columns: list[tuple[float, float]]
    size: float
    """The body's font size."""


def unruled_tables(
    lines: list[Line], pno: int, new_id: Callable[[], str]
) -> tuple[list[tuple[Table, list[Line]]], OpenTable | None]:
    """Tables drawn without rules, read from the alignment of their text (see :func:`_unruled_table`).

    Candidate regions are runs of text rows where at least :data:`MIN_UNRULED_ROWS` rows hold two lines or
    more separated by white space (:data:`SPLIT_GAP`), one wrapped line between them allowed; monospaced
    lines (code aligned with spaces) and formula lines are never table text. Also returned: the last table
    when no text is under it (:class:`OpenTable`: it may go on at the top of the next page), else None.
    """
    text = _table_text(lines)
    terms = term_lists(text, pno, new_id)
    termed = {id(ln) for _, members in terms for ln in members}
    free = [ln for ln in text if id(ln) not in termed] if termed else text
    rows = [sorted(row, key=lambda ln: ln.bbox[0]) for row in _text_rows(free)]
    out: list[tuple[Table, list[Line]]] = []
    columns: dict[int, list[tuple[float, float]]] = {}
    region: list[list[Line]] = []
    for row in [*rows, []]:
        if row and _joins_region(region, row):
            region.append(row)
            continue
        if region:
            found = _unruled_table(region, pno, new_id, columns)
            if found is not None:
                out.append(found)
        region = [row] if row and _split(row) else []
    if not out:
        return terms, None
    table, members = max(terms + out, key=lambda found: max(ln.bbox[3] for ln in found[1]))
    bottom = max(ln.bbox[3] for ln in members)
    taken = {id(ln) for _, found in terms + out for ln in found}
    if id(table) not in columns or any(ln.bbox[1] >= bottom - 1 for ln in lines if id(ln) not in taken):
        return terms + out, None  # text (or a term list) under the last table: it ends on this page
    sizes = sorted(ln.size for ln in members)
    return terms + out, OpenTable(table, columns[id(table)], sizes[len(sizes) // 2])


def _table_text(lines: list[Line]) -> list[Line]:
    """The lines that may be a table's text: monospaced lines (code aligned with spaces), formula lines and
    OCR lines never are."""
    return [ln for ln in lines if not ln.mono and not ln.strong_math and not ln.ocr and ln.text.strip()]


def continued_rows(lines: list[Line], open_table: OpenTable) -> list[Line]:
    """The rows at the top of a page that go on with ``open_table`` from the page before, appended to it as
    body rows; returns the lines taken (none when the page does not start with its rows).

    Taken, from the top, while each text row is two lines or more at the table's body size, each line in
    one of the table's columns (none across two, no two in one) and close under the row above; a lone line
    in a column other than the first under a row taken is a wrapped cell. A first row repeating the table's
    header (Word's "repeat header row") is taken and not added. Fewer than :data:`MIN_UNRULED_ROWS` rows
    are enough here: the table already stands on the page before.
    """
    table, columns = open_table.table, open_table.columns
    header = [c.text for c in table.rows[0]] if table.rows and all(c.header for c in table.rows[0]) else []
    taken: list[list[Line]] = []
    repeated: list[Line] = []
    for row in (sorted(r, key=lambda ln: ln.bbox[0]) for r in _text_rows(_table_text(lines))):
        cols = [_within(ln, columns) for ln in row]
        if None in cols or len(set(cols)) < len(cols):
            break
        if taken or repeated:
            last = taken[-1] if taken else repeated
            gap = min(ln.bbox[1] for ln in row) - max(ln.bbox[3] for ln in last)
            if gap > ROW_GAP * max(ln.height for ln in last):
                break
        texts = [t for t in header if t]
        if not taken and not repeated and texts and [ln.text.strip() for ln in row] == texts:
            repeated = row
            continue
        if any(abs(ln.size - open_table.size) > 0.5 for ln in row):
            break
        if len(row) < 2 and not (taken and cols[0] != 0):
            break
        taken.append(row)
    if not taken:
        return []
    for row in _body_rows(taken, columns):
        cells: list[list[Line]] = [[] for _ in columns]
        for ln in sorted(row, key=lambda ln: (ln.bbox[1], ln.bbox[0])):
            cells[_column_of(ln, columns)].append(ln)
        figures = any(_numeric(_cell_text(c)) for c in cells[1:] if c)
        table.rows.append([TableCell(text=_unruled_cell_text(c, figures)) for c in cells])
    return repeated + [ln for row in taken for ln in row]


def _within(line: Line, columns: list[tuple[float, float]]) -> int | None:
    """The one column the line lies in (overlapping it alone, or the nearest within two font sizes)."""
    over = [c for c, (a, b) in enumerate(columns) if line.bbox[0] < b - 1 and line.bbox[2] > a + 1]
    if len(over) == 1:
        return over[0]
    if over:
        return None
    nearest = _column_of(line, columns)
    a, b = columns[nearest]
    return nearest if max(a - line.bbox[2], line.bbox[0] - b) <= 2 * max(line.size, 1.0) else None


def _split(row: list[Line]) -> bool:
    """A text row of two lines or more, each at least :data:`SPLIT_GAP` sizes from the one before."""
    return len(row) >= 2 and all(
        b.bbox[0] - a.bbox[2] >= SPLIT_GAP * max(a.size, b.size, 1.0)
        for a, b in zip(row, row[1:], strict=False)
    )


def _joins_region(region: list[list[Line]], row: list[Line]) -> bool:
    """The row continues the region: near the row above it, and either split or one line under the
    region's extent (a wrapped cell), never two single lines in a row."""
    if not region:
        return False
    last = region[-1]
    height = max(ln.height for ln in last)
    gap = min(ln.bbox[1] for ln in row) - max(ln.bbox[3] for ln in last)
    if gap > ROW_GAP * height:
        return False
    if _split(row) or (
        len(row) >= 2 and all(a.bbox[2] < b.bbox[0] for a, b in zip(row, row[1:], strict=False))
    ):
        return True  # a row of cells, or of header words set closer than the body's cells
    left = min(ln.bbox[0] for r in region for ln in r)
    right = max(ln.bbox[2] for r in region for ln in r)
    line = row[0]
    return (
        len(row) == 1
        and _split(last)
        and gap <= height
        and line.bbox[0] >= left - 1
        and line.bbox[2] <= right + 1
    )


def _columns(rows: list[list[Line]]) -> list[tuple[float, float]]:
    """Columns of the body rows: the x-ranges their lines cover, merged where less than
    :data:`COLUMN_GAP` sizes apart."""
    spans = sorted((ln.bbox[0], ln.bbox[2], ln.size) for row in rows for ln in row)
    out: list[list[float]] = []
    for x0, x1, size in spans:
        if out and x0 < out[-1][1] + COLUMN_GAP * size:
            out[-1][1] = max(out[-1][1], x1)
        else:
            out.append([x0, x1])
    return [(a, b) for a, b in out]


def _column_of(line: Line, columns: list[tuple[float, float]]) -> int:
    """The column holding the line's centre (the nearest when none does)."""
    cx = line.center[0]
    return min(range(len(columns)), key=lambda c: max(columns[c][0] - cx, cx - columns[c][1], 0.0))


def _header_count(rows: list[list[Line]]) -> int:
    """Leading text rows that are a header: set in bold or larger than the rows below, or words over
    columns of figures (at most :data:`MAX_HEADER_ROWS`, leaving two rows of body)."""

    def numeric_row(row: list[Line]) -> bool:
        return any(_numeric(_SHORT_LEADER.sub("", ln.text)) for ln in row[1:] or row)

    count = 0
    for index, row in enumerate(rows[: min(MAX_HEADER_ROWS + 2, len(rows) - 2)]):
        rest = rows[index + 1 :]
        body = [ln for r in rest for ln in r]
        over_figures = sum(numeric_row(r) for r in rest) >= 0.5 * len(rest)
        if numeric_row(row) and over_figures:
            break  # a row of figures among rows of figures (a bold total) is body
        styled = all(ln.bold for ln in row) and not all(ln.bold for ln in body)
        larger = min(ln.size for ln in row) > max(ln.size for ln in body)
        if not (styled or larger or over_figures):
            break
        count = index + 1
    return count


def _unruled_table(
    region: list[list[Line]],
    pno: int,
    new_id: Callable[[], str],
    columns_of: dict[int, list[tuple[float, float]]],
) -> tuple[Table, list[Line]] | None:
    """A table read from aligned text rows, or None when the rows are not one.

    Header: the leading rows set apart by style or over figures (:func:`_header_count`). Columns: the white
    strips between the body lines (:func:`_columns`). Body rows: a text row continues the row above (a
    wrapped cell) when it is close under it, fills only columns the row above fills (or the row above is a
    label alone) and has no first-column text, or first-column text in lower case. Refused: fewer than two
    columns or two body rows, a column of prose (:data:`MAX_COLUMN_CHARS`), a table of contents (dot leaders
    to page numbers), rows most of which fill one cell.
    """
    left = min(ln.bbox[0] for row in region for ln in row)
    while len(region) > MIN_UNRULED_ROWS and len(region[-1]) == 1 and region[-1][0].bbox[0] <= left + 2:
        region = region[:-1]  # a line at the left edge after the last row of cells: the text below
    header_count = _header_count(region)
    head, body = region[:header_count], region[header_count:]
    if sum(1 for row in body if _split(row)) < 2:
        return None
    most = max(len(row) for row in body)
    columns = _columns([row for row in body if len(row) >= max(2, most / 2)])
    if len(columns) < 2:
        return None
    for index, row in enumerate(body):
        if any(sum(1 for a, b in columns if ln.bbox[0] < b - 1 and ln.bbox[2] > a + 1) >= 2 for ln in row):
            body = body[:index]  # a line across the columns: the table ended above it
            region = region[: header_count + index]
            break
    by_column: list[list[Line]] = [[] for _ in columns]
    for ln in (ln for row in body for ln in row):
        by_column[_column_of(ln, columns)].append(ln)
    for lines in by_column:
        lengths = sorted(len(_LEADER.sub("", ln.text)) for ln in lines)
        if lengths and lengths[len(lengths) // 2] > MAX_COLUMN_CHARS:
            return None  # prose beside something (a side column, a second column of text)
    worded = [lines for lines in by_column if any(_WORD.search(ln.text) for ln in lines)]
    if len(worded) >= 2 and all(_flows(lines) for lines in worded):
        return None  # narrow columns of running text side by side, their lines on one baseline grid
    if len(worded) >= 2 and all(list_side([ln.text for ln in lines]) for lines in worded):
        return None  # lists side by side (a slide's text boxes): items level with each other are no row
    if sum(1 for row in body if _toc_row(row)) >= 0.5 * len(body):
        return None  # a table of contents: titles, dot leaders, page numbers
    if sum(1 for row in body if _split(row)) < 2:
        return None
    rows = _body_rows(body, columns)
    while rows and len({_column_of(ln, columns) for ln in rows[-1]}) < 2:
        rows.pop()  # a note under the table (one cell's worth of text) is text after it
    if len(rows) < 2 or len(rows) + header_count < MIN_UNRULED_ROWS:
        return None
    if sum(1 for row in rows if len({_column_of(ln, columns) for ln in row}) >= 2) < 0.6 * len(rows):
        return None
    split = [row for row in body if _split(row)]
    if sum(1 for row in split if _on_one_baseline(row)) < BASELINE_SHARE * len(split):
        return None  # labels scattered over a diagram: a table's cells share their row's baseline
    out = _header_cells(head, columns)
    for row in rows:
        cells: list[list[Line]] = [[] for _ in columns]
        for ln in sorted(row, key=lambda ln: (ln.bbox[1], ln.bbox[0])):
            cells[_column_of(ln, columns)].append(ln)
        figures = any(_numeric(_cell_text(lines)) for lines in cells[1:] if lines)
        out.append([TableCell(text=_unruled_cell_text(lines, figures)) for lines in cells])
    members = [ln for row in head for ln in row] + [ln for row in rows for ln in row]
    bbox = _union([ln.bbox for ln in members])
    table = Table(id=new_id(), rows=out, source=SourceRef(page=pno + 1, bbox=bbox))
    columns_of[id(table)] = columns
    return table, members


_WORD = re.compile(r"[^\W\d_]{2,}")
_SENTENCE_INSIDE = re.compile(r"[^\W\d_]{2}[.!?]\s+[^\W\d_]")


def _flows(lines: list[Line]) -> bool:
    """The column's lines are running text wrapped to the column's width, not cells.

    Two lines one under the other at the text's own line spacing are wrapped text when the first word of
    the lower one would not have fitted at the end of the upper one (it was wrapped, not broken) and the
    text goes on across the break: the lower line starts in lower case, or the upper one ends a sentence
    inside it, or ends on a comma or a hyphen (a line ending a sentence is not counted). A column flows when at least :data:`MIN_FLOW_PAIRS` such
    pairs make up :data:`FLOW_SHARE` of its pairs of worded lines. A column of names or short labels
    ("Alice Martin" over "Bob Keller") does not flow: its lines are not sentences going on.
    """
    ordered = sorted(lines, key=lambda ln: (ln.bbox[1], ln.bbox[0]))
    right = max(ln.bbox[2] for ln in ordered)
    pairs = flowing = 0
    for upper, lower in zip(ordered, ordered[1:], strict=False):
        words = upper.text.split()
        if (
            len(words) < 2
            or upper.text.endswith((".", "!", "?", ":"))
            or not _WORD.search(lower.text)
            or lower.bbox[1] - upper.bbox[3] > 0.5 * upper.height
        ):
            continue  # a sentence ends with the line: that says nothing either way
        pairs += 1
        char = (upper.bbox[2] - upper.bbox[0]) / max(len(upper.text), 1)
        head = lower.text.split()[0]
        wrapped = upper.bbox[2] + char * (len(head) + 1) > right - char  # widths are estimates
        goes_on = (
            lower.text[:1].islower()
            or _SENTENCE_INSIDE.search(upper.text) is not None
            or upper.text.endswith((",", "-", ";"))
        )
        flowing += wrapped and goes_on
    return flowing >= MIN_FLOW_PAIRS and flowing >= FLOW_SHARE * pairs


def _on_one_baseline(row: list[Line]) -> bool:
    """The row's lines stand on one baseline (their bottoms within :data:`BASELINE_SLACK` of a line height)."""
    bottoms = [ln.bbox[3] for ln in row]
    return max(bottoms) - min(bottoms) <= BASELINE_SLACK * max(ln.height for ln in row)


def _toc_row(row: list[Line]) -> bool:
    """A line of a table of contents: its last piece a page number after dot leaders."""
    return (
        len(row) >= 2
        and re.fullmatch(r"\d{1,4}|[ivxlcdm]{1,6}", row[-1].text.strip(), re.IGNORECASE) is not None
        and _LEADER.search(row[-2].text) is not None
    )


def _unruled_cell_text(lines: list[Line], figures: bool) -> str:
    """A body cell's text; in a row of figures, short dot leaders go too and a figure drawn in two pieces
    is one number (as in :func:`_split_numeric_rows`)."""
    text = _cell_text(lines)
    return _cell_text(lines, figures=True) if figures or _numeric(_SHORT_LEADER.sub("", text)) else text


def _body_rows(body: list[list[Line]], columns: list[tuple[float, float]]) -> list[list[Line]]:
    """The body's text rows grouped into table rows (wrapped cells joined to their row)."""
    rows: list[list[Line]] = []
    for row in body:
        cols = {_column_of(ln, columns) for ln in row}
        if rows:
            last = rows[-1]
            last_cols = {_column_of(ln, columns) for ln in last}
            height = max(ln.height for ln in row)
            gap = min(ln.bbox[1] for ln in row) - max(ln.bbox[3] for ln in last)
            first = [ln for ln in row if _column_of(ln, columns) == 0]
            if (
                gap <= 0.6 * height
                and (not first or first[0].text[:1].islower())
                and (cols <= last_cols or last_cols == {0})
            ):
                last.extend(row)
                continue
        rows.append(list(row))
    return rows


def _label_columns(
    row: list[Line], index: int, columns: list[tuple[float, float]], below: set[int]
) -> tuple[int, int]:
    """First and last column a header line heads: those it overlaps; a line centred over several columns
    that the header rows below head one by one (a group: "Male" over "Total / Under 18 / 18 and over")
    heads them all. Its reach is the distance to the midpoint with its nearest neighbour on the row."""
    line = row[index]
    own = [c for c, (a, b) in enumerate(columns) if line.bbox[0] < b - 1 and line.bbox[2] > a + 1]
    own = own or [_column_of(line, columns)]
    centre = line.center[0]
    reaches = [(centre - other.center[0]) / 2 for other in row if other is not line]
    reach = min((abs(r) for r in reaches), default=(line.bbox[2] - line.bbox[0]) / 2)
    group = [c for c, (a, b) in enumerate(columns) if abs((a + b) / 2 - centre) <= reach + 1 and c in below]
    if len(group) >= 2 and set(own) <= set(group):
        return min(group), max(group)
    return min(own), max(own)


def _header_cells(head: list[list[Line]], columns: list[tuple[float, float]]) -> list[list[TableCell]]:
    """Header rows from the header's text rows: a line under a header line of the same columns (close
    under it) continues its text; a line whose columns the row above leaves empty joins that row."""
    rows: list[dict[int, tuple[int, list[Line]]]] = []
    for index, text_row in enumerate(head):
        below = {_column_of(ln, columns) for r in head[index + 1 :] for ln in r}
        fresh: dict[int, tuple[int, list[Line]]] = {}
        for i, line in enumerate(text_row):
            first, last = _label_columns(text_row, i, columns, below)
            above = rows[-1] if rows else None
            if above is not None:
                same = above.get(first)
                bottom = max(ln.bbox[3] for _, lines in above.values() for ln in lines)
                if (
                    same is not None
                    and same[0] == last
                    and line.bbox[1] - same[1][-1].bbox[3] <= 0.6 * line.height
                ):
                    same[1].append(line)
                    continue
                taken = any(not (end < first or start > last) for start, (end, _) in above.items())
                if not taken and line.bbox[1] <= bottom + 0.6 * line.height:
                    above[first] = (last, [line])
                    continue
            fresh[first] = (last, [line])
        if fresh:
            rows.append(fresh)
    out: list[list[TableCell]] = []
    for row in rows:
        cells: list[TableCell] = []
        c = 0
        while c < len(columns):
            if c in row:
                last, lines = row[c]
                cells.append(TableCell(text=_cell_text(lines), header=True, col_span=last - c + 1))
                c = last + 1
            else:
                cells.append(TableCell(text="", header=True))
                c += 1
        out.append(cells)
    return out


# -- term lists ----------------------------------------------------------------------------------

MIN_TERMS = 3
"""A term list has at least this many terms, each beside the first line of its definition."""
MAX_TERM_CHARS = 40
MAX_TERM_WORDS = 5
MAX_DEFINITION_LINES = 8
MEDIAN_DEFINITION_LINES = 4
"""A definition is at most :data:`MAX_DEFINITION_LINES` lines, and half of them at most
:data:`MEDIAN_DEFINITION_LINES` (paragraphs beside side headings are longer)."""
ALIGN = 2.0
"""Terms start on one left edge, definitions on another, within this distance (pt)."""


def _is_term(line: Line) -> bool:
    """A term: a few words with letters, not a sentence, a number or a list item."""
    text = line.text.strip()
    return (
        len(text) <= MAX_TERM_CHARS
        and len(text.split()) <= MAX_TERM_WORDS
        and _WORD.search(text) is not None
        and not text.endswith((".", ",", ";"))
        and not opens_item(text)
        and re.match(r"^\d+(?:\.\d+)*\.?\s", text) is None
    )


def term_lists(lines: list[Line], pno: int, new_id: Callable[[], str]) -> list[tuple[Table, list[Line]]]:
    """Terms set beside their prose definitions (a glossary laid out in two columns): two-column tables,
    the term a row header, its definition the row's cell (the model has no definition list).

    An entry is a short line (:func:`_is_term`) on the baseline of the first line of a definition on its
    right; the definition goes on with the lines under it on the definition's left edge, each close under
    the one before, until the next entry; a term may wrap onto lines under it in its own column. Read only
    where the shape is clear: at least :data:`MIN_TERMS` entries in a row, terms on one left edge and
    definitions on another, right of every term; every line between the first and last entry's top in
    either column belongs to an entry; terms at the definitions' size (a larger one is a side heading); at
    least one definition wrapped, and definitions short (:data:`MEDIAN_DEFINITION_LINES`); each term a few
    words and each definition starting a sentence (not in lower case), the terms' lines at most two thirds of
    the definitions' (narrow columns of running text on one baseline grid are none of these).
    """
    ordered = sorted(lines, key=lambda ln: (ln.bbox[1], ln.bbox[0]))
    out: list[tuple[Table, list[Line]]] = []
    pairs = _term_pairs(ordered)
    start = 0
    while start < len(pairs):
        end = start + 1
        while end < len(pairs) and _same_columns(pairs[start], pairs[end]):
            end += 1
        found = _term_table(pairs[start:end], ordered, pno, new_id)
        if found is not None:
            out.append(found)
        start = end
    return out


def _term_pairs(ordered: list[Line]) -> list[tuple[Line, Line]]:
    """(term, first line of its definition): a term-like line with a line starting right of it on its
    baseline, at least a font size away."""
    by_bottom = sorted(ordered, key=lambda ln: ln.bbox[3])
    bottoms = [ln.bbox[3] for ln in by_bottom]
    pairs = []
    for line in ordered:
        if not _is_term(line):
            continue
        slack = BASELINE_SLACK * max(line.height, 1.0)
        level = by_bottom[
            bisect.bisect_left(bottoms, line.bbox[3] - slack) : bisect.bisect_right(
                bottoms, line.bbox[3] + slack
            )
        ]
        beside = [ln for ln in level if ln.bbox[0] - line.bbox[2] >= max(line.size, 1.0)]
        if beside:
            pairs.append((line, min(beside, key=lambda ln: ln.bbox[0])))
    return pairs


def _same_columns(a: tuple[Line, Line], b: tuple[Line, Line]) -> bool:
    return abs(a[0].bbox[0] - b[0].bbox[0]) <= ALIGN and abs(a[1].bbox[0] - b[1].bbox[0]) <= ALIGN


def _term_table(
    pairs: list[tuple[Line, Line]], ordered: list[Line], pno: int, new_id: Callable[[], str]
) -> tuple[Table, list[Line]] | None:
    """The term list of ``pairs`` (entries on the same two left edges, top to bottom), or None when its
    shape is not clear (see :func:`term_lists`)."""
    if len(pairs) < MIN_TERMS:
        return None
    term_x, def_x = pairs[0][0].bbox[0], pairs[0][1].bbox[0]
    if any(term.bbox[2] > def_x - 2 for term, _ in pairs):
        return None
    tops = [first.bbox[1] for _, first in pairs]
    rows: list[list[TableCell]] = []
    members: list[Line] = []
    lengths: list[int] = []
    for index, (term, first) in enumerate(pairs):
        limit = tops[index + 1] - 1 if index + 1 < len(pairs) else float("inf")
        terms, definition = [term], [first]
        for line in ordered:
            if line.bbox[1] <= first.bbox[1] + 1 or line.bbox[1] >= limit:
                continue
            last = definition[-1] if line.bbox[0] >= def_x - ALIGN else terms[-1]
            close = line.bbox[1] - last.bbox[3] <= 0.6 * max(last.height, 1.0)
            if abs(line.bbox[0] - def_x) <= ALIGN and close:
                definition.append(line)
            elif abs(line.bbox[0] - term_x) <= ALIGN and close and line.bbox[2] < def_x - 2:
                terms.append(line)
            elif index + 1 < len(pairs):
                return None  # a line between two entries that is neither: not a term list
            else:
                break
        if any(abs(t.size - first.size) > 0.5 for t in terms):
            return None  # a term set larger than its text: a side heading
        name = join_lines([t.text for t in terms])
        if len(name) > MAX_TERM_CHARS or len(name.split()) > MAX_TERM_WORDS or first.text[:1].islower():
            return None  # running text beside running text (narrow columns on one baseline grid)
        lengths.append(len(definition))
        rows.append(
            [
                TableCell(text=name, header=True),
                TableCell(text=join_lines([d.text for d in definition])),
            ]
        )
        members += terms + definition
    if 3 * (len(members) - sum(lengths)) > 2 * sum(lengths):
        return None  # as many lines on the left as on the right: two columns of text, not terms
    lengths = sorted(lengths)
    if (
        lengths[-1] < 2
        or lengths[-1] > MAX_DEFINITION_LINES
        or lengths[len(lengths) // 2] > MEDIAN_DEFINITION_LINES
    ):
        return None  # one-line values (a label/value table, read as such) or paragraphs beside side headings
    table = Table(
        id=new_id(), rows=rows, source=SourceRef(page=pno + 1, bbox=_union([ln.bbox for ln in members]))
    )
    return table, members


_RUN_IN_SEPARATOR = re.compile(r"^\s*[:–—]\s*")


def run_in_term(lead: str, text: str) -> tuple[str, str] | None:
    """(term, definition) of a paragraph opening on a bold run-in term followed by a colon or a dash
    ("**Osmose** : passage de l'eau..." or "**Osmose :** passage..."), else None. The term is a few words
    (:func:`_is_term`'s limits) and the definition goes on after it."""
    term = lead.rstrip(" :–—")
    if not term or not text.startswith(term):
        return None
    rest = text[len(term) :]
    separator = _RUN_IN_SEPARATOR.match(rest)
    if separator is None or not separator.group(0).strip():
        return None
    definition = rest[separator.end() :].strip()
    if (
        len(term) > MAX_TERM_CHARS
        or len(term.split()) > MAX_TERM_WORDS
        or _WORD.search(term) is None
        or len(definition) < 2
        or opens_item(term)
    ):
        return None
    return term, definition


def term_paragraphs(
    blocks: list[Any], run_in: dict[str, tuple[str, str]], new_id: Callable[[], str]
) -> list[Any]:
    """At least :data:`MIN_TERMS` paragraphs in a row, each opening on a bold run-in term (:func:`run_in_term`),
    become one two-column table, the terms as row headers (the model has no definition list); page markers
    between them are kept after it. Fewer, or a paragraph between them that has none, stay paragraphs."""
    out: list[Any] = []
    group: list[Any] = []
    markers: list[Any] = []

    def close() -> None:
        if len(group) >= MIN_TERMS:
            rows = [
                [TableCell(text=run_in[p.id][0], header=True), TableCell(text=run_in[p.id][1])] for p in group
            ]
            first = group[0].source
            boxes = [
                (b.x0, b.y0, b.x1, b.y1)
                for p in group
                if p.source and p.source.page == first.page and (b := p.source.bbox) is not None
            ]
            source = SourceRef(page=first.page, bbox=_union(boxes)) if first and boxes else first
            out.append(Table(id=new_id(), rows=rows, source=source))
            out.extend(markers)
        else:
            out.extend(sorted(group + markers, key=lambda block: order[id(block)]))
        group.clear()
        markers.clear()

    order = {id(block): index for index, block in enumerate(blocks)}
    for block in blocks:
        if getattr(block, "id", None) in run_in and getattr(block, "type", "") == "paragraph":
            group.append(block)
        elif group and getattr(block, "type", "") == "page":
            markers.append(block)
        else:
            close()
            out.append(block)
    close()
    return out
