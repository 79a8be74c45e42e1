"""Reads of the process: phases with their milestones, boards."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from core.models import Strategy

from .models import Board, Milestone, Phase


def phase_list_for_strategy(*, strategy: Strategy) -> QuerySet[Phase]:
    """The strategy's phases in order, each with its milestones prefetched."""
    milestones = Milestone.objects.select_related("owner", "lead_organisation").order_by("order", "pk")
    return (
        Phase.objects.filter(strategy=strategy)
        .select_related("closing_board")
        .prefetch_related(Prefetch("milestones", queryset=milestones))
        .order_by("order")
    )


def phase_current(*, phases: list[Phase]) -> Phase | None:
    """The phase under way: the first that has started and not closed, else the first not started."""
    for phase in phases:
        if phase.actual_start and not phase.actual_end:
            return phase
    return next((phase for phase in phases if not phase.actual_end), None)


def board_list_for_strategy(*, strategy: Strategy) -> QuerySet[Board]:
    return Board.objects.filter(strategy=strategy).select_related("organisation").order_by("kind", "name")


def board_list_for_member(*, user: Any) -> QuerySet[Board]:
    return (
        Board.objects.filter(memberships__user=user)
        .select_related("strategy", "organisation")
        .order_by("strategy__name", "kind", "name")
    )
