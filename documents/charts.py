"""Charts of counts for packs: horizontal bars drawn as inline SVG, in the style of
evidence.charts (which draws the location-quotient chart the pack reuses). Each chart has a
title and a description, and the pack puts a table of the same figures beside it."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from evidence.charts import BLACK, BLUE


def count_chart(*, chart_id: str, title: str, description: str, rows: Sequence[tuple[str, int]]) -> SafeString:
    """One bar per (label, count), the count written after the bar as a whole number."""
    label_width, chart_width, bar_height, gap, top = 300, 330, 20, 8, 10
    height = top + max(len(rows), 1) * (bar_height + gap) + 10
    maximum = max([n for _, n in rows] + [1])
    scale = chart_width / maximum
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 {label_width + chart_width + 60} '
        f'{height}" width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="Liberation Sans, Arial, sans-serif" font-size="13">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for n, (label, count) in enumerate(rows):
        y = top + n * (bar_height + gap)
        width = max(count * scale, 1)
        text = label if len(label) <= 44 else label[:42] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" fill="{BLACK}">{escape(text)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{width:.1f}" height="{bar_height}" fill="{BLUE}"/>'
            f'<text x="{label_width + width + 6:.1f}" y="{y + 15}" fill="{BLACK}">{int(count)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
