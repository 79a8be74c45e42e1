"""Template filters that say which geographic level a place (and so a figure for it) is at."""

from __future__ import annotations

from typing import Any

from django import template

from evidence.geography import codes_label, level_of

register = template.Library()


@register.filter
def place_level(area: Any) -> str:
    """The level of an Area in words: "district", "ITL2 / NUTS 2 region", "LEP area"."""
    return level_of(area.code)


@register.filter
def place_label(area: Any) -> str:
    """An Area as the library names it: "Kent (UKJ4 (NUTS 2) = TLJ4 (ITL2), ITL2 / NUTS 2 region)"."""
    return f"{area.name} ({codes_label(area.code)}, {level_of(area.code)})"
