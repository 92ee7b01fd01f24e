"""Server-rendered SVG bar charts (no JavaScript): each one an image with an accessible name and description,
and the same figures in the table beside it. Hidden cells (the small-cell rule) draw no bar.

Colours pass contrast on white: text #1a1a1a (17:1), bars #1f4e8c (8.6:1) and #8a3b00 (7.8:1), so bars are
told apart from the background (WCAG 1.4.11 asks 3:1) and the two series from each other by a pattern too
(the second series is striped).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

COLOURS = ("#1f4e8c", "#8a3b00")
TEXT = "#1a1a1a"
ROW = 26
LABEL_W = 200
BAR_W = 300
VALUE_W = 70


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | str | None]
    """A text (``"< 5"``, a hidden cell) or ``None`` (no figure, shown "—") draws no bar."""


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    labels: list[str],
    series: list[Series],
    *,
    scale_max: float | None = None,
) -> Markup:
    """Horizontal bars, one group per label; ``scale_max`` fixes the axis (100 for scores)."""
    values = [float(v) for s in series for v in s.values if isinstance(v, int | float)]
    top = scale_max or (max(values) if values else 1.0) or 1.0
    per_group = len(series)
    group_h = ROW * per_group + 8
    legend_h = 22 if per_group > 1 else 0
    height = legend_h + group_h * max(1, len(labels)) + 4
    width = LABEL_W + BAR_W + VALUE_W
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
        f'<defs><pattern id="{chart_id}-stripes" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{COLOURS[1]}"/>'
        '<rect width="2" height="6" fill="#ffffff"/></pattern></defs>',
    ]
    if per_group > 1:
        x = 0
        for i, s in enumerate(series):
            fill = COLOURS[0] if i == 0 else f"url(#{chart_id}-stripes)"
            parts.append(f'<rect x="{x}" y="4" width="14" height="14" fill="{fill}" stroke="{TEXT}"/>')
            parts.append(f'<text x="{x + 20}" y="16" font-size="13" fill="{TEXT}">{escape(s.name)}</text>')
            x += 30 + 8 * len(s.name)
    for g, label in enumerate(labels):
        y0 = legend_h + g * group_h
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y0 + ROW * per_group / 2 + 5:.0f}" font-size="13" text-anchor="end" '
            f'fill="{TEXT}">{escape(_short(label))}</text>'
        )
        for i, s in enumerate(series):
            value = s.values[g] if g < len(s.values) else None
            y = y0 + i * ROW + 3
            if not isinstance(value, int | float):
                shown = escape(value or "—")
                parts.append(
                    f'<text x="{LABEL_W + 4}" y="{y + 15}" font-size="13" fill="{TEXT}">{shown}</text>'
                )
                continue
            w = max(1.0, BAR_W * float(value) / top) if value > 0 else 0.0
            fill = COLOURS[0] if i == 0 else f"url(#{chart_id}-stripes)"
            parts.append(
                f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{ROW - 6}" fill="{fill}" stroke="{COLOURS[i % 2]}"/>'
            )
            parts.append(
                f'<text x="{LABEL_W + w + 6:.1f}" y="{y + 15}" font-size="13" fill="{TEXT}">{_number(value)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(label: str, n: int = 24) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
