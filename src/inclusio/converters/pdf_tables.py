"""Tables of a PDF page: PyMuPDF's table finder, checked before use.

``page.find_tables()`` (default "lines" strategy: ruling lines and cell borders) finds real
tables and also frames around text, code boxes, and grids that split letters ("É nergie").
A found table is kept only when it passes :func:`_plausible`:

* at least two rows and two columns (a one-column "table" is a box around text);
* at least 40% of its cells hold text, and some of our own text lines fall inside it.

Cell text comes from the page's own lines, never from PyMuPDF's table text, which loses the
spaces of some PDFs and splits letters ("É nergie"). Merged cells are rebuilt from the grid: a cell that PyMuPDF reports as missing is
covered by its neighbour on the left (``col_span``) or above (``row_span``). Header rows: the
header PyMuPDF detects outside the grid, the leading rows whose text is all bold (at most
three), and, when a first-row cell spans several rows, as many rows as it spans (a multi-level
header). Not done: rows without ruling between them (a block of numbers under one pair of
rules) stay one row with multi-line cells.

:func:`has_ruling` is the cheap filter run first: without at least two horizontal and two
vertical strokes or rectangle edges the lines strategy can find nothing, and most pages of a
long document are skipped without calling the finder (its cost is ~0.1 s per page).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from inclusio.converters.pdf_text import Line, join_lines
from inclusio.model import BBox, SourceRef, Table, TableCell

MAX_HEADER_ROWS = 3


def has_ruling(page: Any) -> bool:
    """True when the page may hold a ruled table (see the module docstring).

    Counted: thin horizontal strokes (lines, or rectangles under 3 pt high) and thin vertical
    ones at least 10 pt long, and filled cells side by side (two rectangles of the same height
    touching). Two of each, or adjacent cells pass (the lines strategy needs vertical edges:
    horizontal rules alone, like the rules of a warning box, never make a table); the shaded
    background of a code listing (one rectangle) does not. Near-white strokes and
    fills (every component at least 0.85) are backgrounds, not rules, and are not counted.
    """
    horizontal = vertical = 0
    cells: list[tuple[float, float, float, float]] = []
    for path in page.get_cdrawings():
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


def page_tables(page: Any, pno: int, lines: list[Line], new_id: Callable[[], str],
                issue: Callable[[str, str], None]) -> list[tuple[Table, list[Line]]]:
    """Tables of the page with the lines they consume; a failure is reported through ``issue``."""
    try:
        if not has_ruling(page):
            return []
        found = page.find_tables().tables
    except Exception as exc:
        issue("pdf.table_failed", f"Table detection failed on page {pno + 1}: {exc}")
        return []
    out: list[tuple[Table, list[Line]]] = []
    for tab in found:
        try:
            result = _table(tab, pno, lines, new_id)
        except Exception as exc:
            issue("pdf.table_failed", f"A table on page {pno + 1} could not be read: {exc}")
            continue
        if result is not None:
            out.append(result)
    return out


def _union(boxes: list[tuple[float, float, float, float]]) -> BBox:
    return BBox(x0=min(b[0] for b in boxes), y0=min(b[1] for b in boxes),
                x1=max(b[2] for b in boxes), y1=max(b[3] for b in boxes))


def _plausible(texts: list[list[list[Line]]], row_boxes: list[list[Any]], members: list[Line]) -> bool:
    if len(row_boxes) < 2 or max(len(r) for r in row_boxes) < 2:
        return False
    filled = [" ".join(ln.text for ln in cell).strip() for row in texts for cell in row if cell]
    total = sum(1 for row in row_boxes for cell in row if cell is not None)
    return bool(members) and len(filled) >= 0.4 * total


def _table(tab: Any, pno: int, lines: list[Line], new_id: Callable[[], str]) -> tuple[Table, list[Line]] | None:
    row_boxes = [list(row.cells) for row in tab.rows]
    header = tab.header  # a property that recomputes on every access: read it once
    external = header is not None and header.external and bool(header.cells)
    if external:
        row_boxes.insert(0, list(header.cells))
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
    if not _plausible(texts, row_boxes, members):
        return None
    # Column x-centres and row y-centres from the cells PyMuPDF reports, to rebuild merges.
    col_x: list[float | None] = []
    for c in range(width):
        xs = [(row[c][0] + row[c][2]) / 2 for row in row_boxes if row[c] is not None]
        col_x.append(min(xs) if xs else None)
    row_y = [min(((cell[1] + cell[3]) / 2 for cell in row if cell is not None), default=None) for row in row_boxes]
    header_rows = 1 if external else 0
    for r in range(len(row_boxes)):
        if r >= MAX_HEADER_ROWS:
            break
        cell_lines = [ln for cell in texts[r] for ln in cell]
        if r == header_rows and cell_lines and all(ln.bold for ln in cell_lines):
            header_rows += 1
    covered: set[tuple[int, int]] = set()
    rows: list[list[TableCell]] = []
    for r, row in enumerate(row_boxes):
        cells: list[TableCell] = []
        for c, cell in enumerate(row):
            if cell is None:
                if (r, c) not in covered and cells:  # a gap nothing explains: widen the left cell
                    cells[-1].col_span += 1
                continue
            col_span = 1
            while c + col_span < width and row[c + col_span] is None and col_x[c + col_span] is not None \
                    and col_x[c + col_span] < cell[2]:
                covered.add((r, c + col_span))
                col_span += 1
            row_span = 1
            while r + row_span < len(row_boxes) and row_boxes[r + row_span][c] is None \
                    and row_y[r + row_span] is not None and row_y[r + row_span] < cell[3]:
                for k in range(col_span):
                    covered.add((r + row_span, c + k))
                row_span += 1
            cells.append(TableCell(text=join_lines([ln.text for ln in texts[r][c]]), header=r < header_rows,
                                   col_span=col_span, row_span=row_span))
        if cells:
            rows.append(cells)
        if r == 0 and cells and max(cell.row_span for cell in cells) > 1 and len(row_boxes) > 2:
            # A first-row cell spanning rows ("Offense charged" beside "Total / Under 18 years"):
            # a multi-level header, as deep as that span.
            header_rows = max(header_rows, max(cell.row_span for cell in cells))
            for cell in cells:
                cell.header = True
    boxes = [tuple(tab.bbox)] + ([tuple(header.bbox)] if external else [])
    table = Table(id=new_id(), rows=rows, source=SourceRef(page=pno + 1, bbox=_union(boxes)))
    return table, members
