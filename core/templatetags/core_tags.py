"""Template helpers shared by every app."""

from __future__ import annotations

from typing import Any

from django import template

from core.text import full_stop

register = template.Library()


@register.filter
def words(name: str) -> str:
    """A stored field name as words: "completed_on" → "completed on"."""
    return str(name).replace("_", " ")


@register.simple_tag
def has_perm(user: Any, perm: str, obj: Any = None) -> bool:
    """`{% has_perm user "core.view_strategy_workspace" strategy as can_work %}`: an object
    permission check (rules) for showing only the links a person can follow."""
    return bool(user.has_perm(perm, obj))


@register.filter(name="full_stop")
def full_stop_filter(text: object) -> str:
    """`{{ version.note|full_stop }} Saved on …`: the text ending in one full stop (core.text)."""
    return full_stop(text)


@register.inclusion_tag("includes/two_factor_demo_banner.html")
def two_factor_demo_banner() -> dict[str, bool]:
    """The banner every page shows while the demo accounts sign in without a code (DEBUG only)."""
    from core.two_factor import demo_exemption_active

    return {"active": demo_exemption_active()}
