"""Template filters for the figures the evidence pages show."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """A share (0.123) as a percentage to one decimal place ("12.3%"); a share too small to show
    at that precision as "less than 0.1%", and none as "–"."""
    if share is None:
        return "–"
    if 0 < share < 0.0005:
        return "less than 0.1%"
    return f"{share * 100:.1f}%"
