"""Reads of propositions and the priorities they merge."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import Lower

from core.models import Strategy, Theme

from ..models import Priority, Proposition
from .common import _with_relations

# Propositions ----------------------------------------------------------------------------------------


def proposition_list_for_strategy(*, strategy: Strategy, status: str = "") -> QuerySet[Proposition]:
    """The strategy's propositions with their themes, and how many priorities and evidence items are
    behind each, in a fixed number of queries."""
    propositions = Proposition.objects.filter(strategy=strategy)
    if status:
        propositions = propositions.filter(status=status)
    return (
        propositions.annotate(
            priority_count=Count("priorities", distinct=True), evidence_count=Count("evidence_items", distinct=True)
        )
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("kind", "order")))
        .order_by("status", Lower("title"), "pk")
    )


def priority_choices_for_propositions(*, strategy: Strategy) -> QuerySet[Priority]:
    """The priorities a proposition can bring together: the strategy's submitted ones."""
    return (
        Priority.objects.filter(call__strategy=strategy, status=Priority.Status.SUBMITTED)
        .select_related("organisation", "call")
        .order_by(Lower("title"), "pk")
    )


def proposition_priorities(*, proposition: Proposition, shared_only: bool = False) -> QuerySet[Priority]:
    """The priorities merged into `proposition`; `shared_only` leaves out drafts and hidden ones
    (for a councillor reading it)."""
    priorities = Priority.objects.shared() if shared_only else Priority.objects.all()
    return _with_relations(priorities.filter(propositions=proposition)).order_by(Lower("title"), "pk")
