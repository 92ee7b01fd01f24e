"""A report table as CSV: the figures as shown (hidden cells "< 5"), durations in seconds, one header row."""

from __future__ import annotations

import csv
import io
from typing import Any

from inclusio.reports.build import Table, json_cell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula (a share title ``=HYPERLINK(...)``) is quoted."""
    value = json_cell(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return "" if value is None else value


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.label for c in table.columns])
    for row in table.rows:
        writer.writerow([_safe(row.get(c.key)) for c in table.columns])
    return out.getvalue()
