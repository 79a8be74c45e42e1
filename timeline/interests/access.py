"""Access helpers for the registers of interests. Views load registers and entries only through
these; a person without access gets 404, whether or not the object exists."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from core.models import Strategy

from ..models import BoardMembership, InterestEntry
from ..rules import can_manage, is_board_member


def may_change_register(user: Any, strategy: Strategy, member: Any) -> bool:
    """The member themselves while they sit on a board of the strategy; its officers and administrators."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(can_manage(user, strategy)) or (user.pk == member.pk and bool(is_board_member(user, strategy)))


def get_membership_for_register_or_404(
    user: Any, strategy: Strategy, pk: int, *, write: bool = False
) -> BoardMembership:
    """A board membership of the strategy, whose member's register the page shows. Reading it is for
    everybody who sees the strategy (the caller checked that); changing it, see may_change_register."""
    membership = (
        BoardMembership.objects.select_related("board__strategy", "user")
        .filter(pk=pk, board__strategy=strategy)
        .first()
    )
    if membership is None or (write and not may_change_register(user, strategy, membership.user)):
        raise Http404("No register here.")
    return membership


def get_interest_entry_for_user_or_404(user: Any, strategy: Strategy, pk: int) -> InterestEntry:
    """An entry of a register of the strategy, for those who may change that register."""
    entry = (
        InterestEntry.objects.select_related("register__user", "register__strategy")
        .filter(pk=pk, register__strategy=strategy)
        .first()
    )
    if entry is None or not may_change_register(user, strategy, entry.register.user):
        raise Http404("No entry here.")
    return entry
