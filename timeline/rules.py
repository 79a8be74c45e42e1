"""Board membership predicates, on top of core's roles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules

from core.rules import is_administrator, is_member

from .models import BoardMembership

if TYPE_CHECKING:
    from core.models import Strategy


@rules.predicate
def is_board_member(user: Any, strategy: Strategy | None) -> bool:
    if strategy is None or not user.is_authenticated or not user.is_active:
        return False
    cache: dict[int, bool] = user.__dict__.setdefault("_board_member_of", {})
    if strategy.pk not in cache:
        cache[strategy.pk] = BoardMembership.objects.filter(user=user, board__strategy=strategy).exists()
    return cache[strategy.pk]


rules.add_perm("timeline.view_strategy_timeline", is_member | is_board_member | is_administrator)
