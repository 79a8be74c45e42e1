"""Charts of counts for packs: horizontal bars drawn as inline SVG, in the style of
evidence.charts (which draws the location-quotient chart the pack reuses). Each chart has a
title and a description, and the pack puts a table of the same figures beside it."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from evidence.charts import BLACK, BLUE, label_lines


def count_chart(*, chart_id: str, title: str, description: str, rows: Sequence[tuple[str, int]]) -> SafeString:
    """One bar per (label, count), the count written after the bar as a whole number. A long label
    wraps over more lines (its row grows to fit) rather than being cut short."""
    label_width, chart_width, bar_height, gap, top, line_height = 300, 330, 20, 8, 10, 16
    labels = [label_lines(label) for label, _ in rows]
    row_heights = [bar_height + (len(lines) - 1) * line_height for lines in labels]
    height = top + sum(row_heights) + max(len(rows), 1) * gap + 10
    maximum = max([n for _, n in rows] + [1])
    scale = chart_width / maximum
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 {label_width + chart_width + 60} '
        f'{height}" width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="Liberation Sans, Arial, sans-serif" font-size="13">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    y = top
    for (_, count), lines, row_height in zip(rows, labels, row_heights, strict=True):
        width = max(count * scale, 1)
        bar_y = y + (row_height - bar_height) / 2
        first = bar_y + 15 - (len(lines) - 1) * line_height / 2
        text = "".join(
            f'<tspan x="{label_width - 8}" y="{first + i * line_height:.1f}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        parts.append(
            f'<text text-anchor="end" fill="{BLACK}">{text}</text>'
            f'<rect x="{label_width}" y="{bar_y:.1f}" width="{width:.1f}" height="{bar_height}" fill="{BLUE}"/>'
            f'<text x="{label_width + width + 6:.1f}" y="{bar_y + 15:.1f}" fill="{BLACK}">{int(count)}</text>'
        )
        y += row_height + gap
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
