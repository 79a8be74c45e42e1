"""Access helpers for engagement. Views load calls and priorities only through these; a person
without access gets 404, whether or not the record exists."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from core.models import Strategy

from .models import Call, Priority
from .rules import can_manage, can_take_part, council_ids_of


def get_call_for_user_or_404(user: Any, strategy: Strategy, pk: int, *, write: bool = False) -> Call:
    """A call of `strategy`: officers and administrators; councillors read the calls addressed to them."""
    allowed = can_manage(user, strategy) if write else can_take_part(user, strategy)
    call = Call.objects.select_related("strategy", "phase").filter(pk=pk, strategy=strategy).first()
    if call is None or not allowed:
        raise Http404("No call here.")
    return call


def can_see_priority(user: Any, priority: Priority) -> bool:
    """Councillors of the priority's council; officers and administrators once it is submitted."""
    strategy = priority.call.strategy
    if priority.organisation_id in council_ids_of(user, strategy):
        return True
    return priority.status != Priority.Status.DRAFT and bool(can_manage(user, strategy))


def get_priority_for_user_or_404(user: Any, strategy: Strategy, pk: int, *, write: bool = False) -> Priority:
    """A priority of a call of `strategy`. `write`: changing its content, which only the
    councillors of its council may do (on behalf of the council)."""
    priority = (
        Priority.objects.select_related("call__strategy", "call__phase", "organisation", "author", "responded_by")
        .filter(pk=pk, call__strategy=strategy)
        .first()
    )
    if priority is None:
        raise Http404("No priority here.")
    allowed = priority.organisation_id in council_ids_of(user, strategy) if write else can_see_priority(user, priority)
    if not allowed:
        raise Http404("No priority here.")
    return priority


def get_priority_for_officer_or_404(user: Any, strategy: Strategy, pk: int) -> Priority:
    """A submitted or withdrawn priority, for an officer's coding, response or moderation."""
    priority = get_priority_for_user_or_404(user, strategy, pk) if can_manage(user, strategy) else None
    if priority is None or priority.status == Priority.Status.DRAFT:
        raise Http404("No priority here.")
    return priority
