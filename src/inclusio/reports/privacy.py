"""The small-cell rule of every report table whose figures come from students' requests (docs/reports.md).

A row carries ``students``: the number of distinct students behind it. Then:

1. *Primary suppression*: a row with 1 to 4 students shows "< 5" in every figure (counts, times, tokens):
   a filter that isolates one student (a course, a month, a document type) shows nothing about them.
2. *Secondary suppression*: when a table hides exactly one row, the row with the fewest students among the
   others is hidden too, so the hidden one cannot be had by subtracting the others from the total.
3. *Rounding*: the counts of people and requests that are shown are rounded to the nearest multiple of 5
   (0 stays 0), so two overlapping filters (a term, and the same term but one week) cannot be subtracted
   to find one student either. Times (median, 95th percentile) and scores are not counts and are not rounded.
4. The total row is worked out from every row (hidden ones included), rounded the same way, and hidden
   when it has 1 to 4 students.
"""

from __future__ import annotations

from typing import Any

SMALL = 5
HIDDEN = "< 5"


class Hidden:
    """A cell hidden by the small-cell rule (shown "< 5", exported as "< 5", ``null`` + ``hidden`` in JSON)."""

    def __repr__(self) -> str:
        return HIDDEN

    def __str__(self) -> str:
        return HIDDEN

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hidden) or other == HIDDEN

    def __hash__(self) -> int:
        return hash(HIDDEN)


HIDDEN_CELL = Hidden()


def small(students: int) -> bool:
    return 0 < students < SMALL


def rounded(n: int) -> int:
    """Nearest multiple of 5 (halves up): 0 -> 0, 5..7 -> 5, 8..12 -> 10."""
    return int((n + 2) // SMALL * SMALL)


def protect(
    rows: list[dict[str, Any]],
    measures: list[str],
    counts: list[str],
    *,
    total_label: dict[str, Any] | None = None,
    total_students: int | None = None,
) -> list[dict[str, Any]]:
    """The rows as shown: ``measures`` are the row's figures (hidden in a small row), ``counts`` those of them
    that count people or requests (rounded). ``total_label``: add a total row (its label columns) summing
    ``counts`` over every row, with ``total_students`` distinct students (a student may be in several rows).
    ``students`` must be in ``counts`` (it is a figure too)."""
    hide = {i for i, row in enumerate(rows) if small(int(row.get("students") or 0))}
    if len(hide) == 1:
        others = [i for i, row in enumerate(rows) if i not in hide and int(row.get("students") or 0) > 0]
        if others:
            hide.add(min(others, key=lambda i: (int(rows[i].get("students") or 0), i)))
    shown = [_cell_row(row, measures, counts, i in hide) for i, row in enumerate(rows)]
    if total_label is not None and rows:
        total: dict[str, Any] = {**total_label, "is_total": True}
        for key in counts:
            total[key] = sum(int(row.get(key) or 0) for row in rows)
        if total_students is not None:
            total["students"] = total_students
        shown.append(_cell_row(total, counts, counts, small(int(total.get("students") or 0))))
    return shown


def _cell_row(row: dict[str, Any], measures: list[str], counts: list[str], hidden: bool) -> dict[str, Any]:
    out = dict(row)
    for key in measures:
        if hidden:
            out[key] = HIDDEN_CELL
        elif key in counts and isinstance(out.get(key), int):
            out[key] = rounded(out[key])
    return out
