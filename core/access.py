"""Access helpers: views load strategies only through these. An outsider gets 404, not 403,
for private pages, so that even whether something exists stays private."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Strategy
from .rules import is_member


def get_strategy_or_404(user: Any, slug: str) -> Strategy:
    """A strategy for its public pages: published ones for everybody, unpublished ones for members
    and administrators only."""
    strategy = get_object_or_404(Strategy.objects.select_related("lead", "area"), slug=slug)
    if not strategy.is_published and not (is_member(user, strategy) or user.is_staff):
        raise Http404("No strategy here.")
    return strategy


def get_strategy_for_user_or_404(user: Any, slug: str, *, perm: str = "core.view_strategy_workspace") -> Strategy:
    """A strategy for a page that needs `perm` on it (by default: taking part in it). A person
    without the permission gets 404, whether or not the strategy exists."""
    strategy = get_object_or_404(Strategy.objects.select_related("lead", "area"), slug=slug)
    if not user.has_perm(perm, strategy):
        raise Http404("No strategy here.")
    return strategy
