"""Charts drawn on the server as SVG, so pages need no JavaScript and PDF packs can reuse them.

Each chart is an image with a title and a description (role="img", aria-labelledby), and the page
puts a table of the same figures beside it: the table, not the picture, is the accessible record."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# GOV.UK Design System colours.
BLUE = "#1d70b8"
DARK_BLUE = "#003078"
GREY = "#505a5f"
LIGHT_GREY = "#b1b4b6"
ORANGE = "#f47738"
BLACK = "#0b0c0c"


LABEL_CHARS = 40  # about what fits in a bar chart's label column (300 units at 13) in Arial


def label_lines(label: str, chars: int = LABEL_CHARS) -> list[str]:
    """A bar's label wrapped at spaces to fit the label column, over as many lines as it needs:
    never cut short or mid-word (a single word longer than the column is the only exception)."""
    return textwrap.wrap(label, width=chars) or [""]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    highlight: bool = False


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    reference_lines: Sequence[float] = (),
    value_format: str = ".2f",
    font_px: int | None = None,
) -> SafeString:
    """Horizontal bars, one per label, with optional vertical reference lines (e.g. LQ 1 and 1.25).
    `value_format` writes the figure after each bar (",.0f" for counts).

    By default the chart scales to the width of its box (labels drawn at 13 units). With `font_px`
    (19 is GOV.UK's body size) it keeps its own size, so its labels are exactly that many CSS pixels
    whatever the screen: the page puts it in a region that scrolls sideways on a narrow screen."""
    size = font_px or 13
    label_width, chart_width, bar_height, gap = round(300 * size / 13), 360, size + 9, 8
    line_height = size + 3
    top = size + 17
    labels = [label_lines(bar.label) for bar in bars]
    # A row is one bar high, and taller by a line for each line its label wraps onto.
    row_heights = [bar_height + (len(lines) - 1) * line_height for lines in labels]
    bottom = top + sum(row_heights) + len(bars) * gap
    height = bottom + 30
    width = label_width + chart_width + 4 * size + 8
    maximum = max([b.value for b in bars] + list(reference_lines) + [1.0]) * 1.1
    scale = chart_width / maximum
    baseline = round(bar_height / 2 + size * 0.35)
    sized = f'width="{width}" height="{height}"' if font_px else 'width="100%"'
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 {width} '
        f'{height}" {sized} role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="Arial, sans-serif" font-size="{size}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    y = top
    for bar, lines, row_height in zip(bars, labels, row_heights, strict=True):
        length = max(bar.value * scale, 1)
        colour = BLUE if bar.highlight else LIGHT_GREY
        figure = f"{bar.value:{value_format}}"
        bar_y = y + (row_height - bar_height) / 2
        first = bar_y + baseline - (len(lines) - 1) * line_height / 2
        text = "".join(
            f'<tspan x="{label_width - 8}" y="{first + i * line_height:.1f}">{escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        parts.append(
            f'<text text-anchor="end" fill="{BLACK}">{text}</text>'
            f'<rect x="{label_width}" y="{bar_y:.1f}" width="{length:.1f}" height="{bar_height}" fill="{colour}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{bar_y + baseline:.1f}" fill="{BLACK}">{figure}</text>'
        )
        y += row_height + gap
    for line in reference_lines:
        x = label_width + line * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{bottom}" stroke="{BLACK}" '
            f'stroke-dasharray="4 3" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{top - 12}" text-anchor="middle" fill="{BLACK}">{line:g}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


@dataclass(frozen=True)
class Line:
    label: str
    values: dict[int, float]
    colour: str = BLUE
    dashed: bool = False


def line_chart(*, chart_id: str, title: str, description: str, lines: Sequence[Line], unit: str = "") -> SafeString:
    """Lines over years, with the first and last year and the value range marked on the axes."""
    width, height, left, right, top, bottom = 640, 320, 64, 150, 20, 40
    years = sorted({y for line in lines for y in line.values})
    values = [v for line in lines for v in line.values.values()]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="Arial, sans-serif" '
        f'font-size="13">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    if not years or not values:
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308
    low, high = min(0.0, min(values)), max(values) * 1.1
    plot_w, plot_h = width - left - right, height - top - bottom
    span = max(years[-1] - years[0], 1)

    def x(year: int) -> float:
        return left + (year - years[0]) / span * plot_w

    def y(value: float) -> float:
        return top + plot_h - (value - low) / (high - low) * plot_h

    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{GREY}"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="{GREY}"/>'
    )
    for tick in (low, (low + high) / 2, high):
        parts.append(
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="{BLACK}">'
            f"{escape(unit)}{tick:,.0f}</text>"
        )
    for year in sorted({years[0], years[len(years) // 2], years[-1]}):
        parts.append(
            f'<text x="{x(year):.1f}" y="{top + plot_h + 20}" text-anchor="middle" fill="{BLACK}">{year}</text>'
        )
    for n, line in enumerate(lines):
        points = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in sorted(line.values.items()))
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        parts.append(f'<polyline fill="none" stroke="{line.colour}" stroke-width="3"{dash} points="{points}"/>')
        if line.values:
            last_year = max(line.values)
            label = line.label if len(line.label) <= 20 else line.label[:18] + "…"
            parts.append(
                f'<text x="{x(last_year) + 8:.1f}" y="{y(line.values[last_year]) + 4 + 14 * n:.1f}" '
                f'fill="{BLACK}">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
