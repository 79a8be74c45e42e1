"""Who may do what in the timeline: board membership on top of core's roles.

- Officers of the strategy (and administrators) run the process: they change everything here.
- People taking part (councillors, partners) and board members see the process: dashboard,
  milestones, Gantt.
- A meeting's business (agenda, attendance, declarations, unpublished decisions) is for
  officers and the members of that meeting's board.
- Everybody sees the published timeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules
from django.utils import timezone

from core.rules import Rule, is_administrator, is_member, is_officer, per_person_cache
from core.two_factor import register_required_check

from .models import BoardMembership

if TYPE_CHECKING:
    from core.models import Strategy

    from .models import Board, WrittenProcedure


@rules.predicate
def is_board_member(user: Any, strategy: Strategy | None) -> bool:
    """Sits on any board of the strategy."""
    return strategy is not None and bool(board_ids_of(user, strategy))


def board_ids_of(user: Any, strategy: Strategy) -> frozenset[int]:
    """The ids of the strategy's boards the person sits on, once per user object and strategy."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cache: dict[int, frozenset[int]] = per_person_cache(user, "_board_ids")
    if strategy.pk not in cache:
        cache[strategy.pk] = frozenset(
            BoardMembership.objects.filter(user=user, board__strategy=strategy).values_list("board_id", flat=True)
        )
    return cache[strategy.pk]


def sits_on(user: Any, board: Board) -> bool:
    return board.pk in board_ids_of(user, board.strategy)


can_manage = is_officer | is_administrator
can_view = is_member | is_board_member | is_administrator

rules.add_perm("timeline.manage_timeline", can_manage)
rules.add_perm("timeline.view_strategy_timeline", can_view)
# Meetings: officers see every one, board members those of their boards; nobody else any.
rules.add_perm("timeline.view_meetings", can_manage | is_board_member)


def can_see_board_business(user: Any, board: Board) -> bool:
    """Officers and administrators, and the board's members: a written procedure while it is
    open, a decision not yet public."""
    return bool(can_manage(user, board.strategy)) or sits_on(user, board)


@rules.predicate
def votes_on_procedure_board(user: Any, procedure: WrittenProcedure) -> bool:
    """A chair or member (not an observer) of the written procedure's board."""
    return bool(
        user.is_authenticated
        and BoardMembership.objects.filter(
            board_id=procedure.board_id,
            user=user,
            role__in=[BoardMembership.Role.CHAIR, BoardMembership.Role.MEMBER],
        ).exists()
    )


@rules.predicate
def procedure_is_open(user: Any, procedure: WrittenProcedure) -> bool:
    return procedure.is_open(timezone.localdate())


RESPOND_TO_PROCEDURE = Rule(
    (
        votes_on_procedure_board,
        lambda procedure: f"Only the chair and members of the {procedure.board} respond to its written procedures.",
    ),
    (
        procedure_is_open,
        lambda procedure: (
            f"This written procedure closed on {procedure.closes_on:%-d %B %Y}: responses can no longer be recorded."
        ),
    ),
)
rules.add_perm("timeline.respond_to_written_procedure", RESPOND_TO_PROCEDURE.predicate)


def _sits_on_any_board(user: Any) -> bool:
    return BoardMembership.objects.filter(user=user).exists()


# Board members sign in with a code from an authenticator app too (core/two_factor.py).
register_required_check(_sits_on_any_board)
