"""Who may do what in the evidence base, on core's roles.

- Open items, indicators, sector specialisms, productivity and open data: everybody, signed in or not.
- Partners-level items, the library of the strategy and the gaps matrix: people taking part
  (any role through an organisation of the strategy) and administrators.
- Officers-level items, imports, the narrative, invitations to contribute: officers and administrators.
- Adding items: officers, and people taking part whom an officer has invited (EvidenceContributor).
- Editing an item: officers; and the person who added it, while they are still invited.
- Removing an item: officers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules

from core.rules import is_administrator, is_member, is_officer

from .models import EvidenceContributor, Sharing

if TYPE_CHECKING:
    from core.models import Strategy

    from .models import EvidenceItem


@rules.predicate
def is_invited_contributor(user: Any, strategy: Strategy | None) -> bool:
    if strategy is None or not user.is_authenticated or not is_member(user, strategy):
        return False
    cache: dict[int, bool] = user.__dict__.setdefault("_evidence_contributor", {})
    if strategy.pk not in cache:
        cache[strategy.pk] = EvidenceContributor.objects.filter(strategy=strategy, user=user).exists()
    return cache[strategy.pk]


can_manage = is_officer | is_administrator
can_take_part = is_member | is_administrator
can_contribute = can_manage | is_invited_contributor


@rules.predicate
def is_own_item_while_invited(user: Any, item: EvidenceItem | None) -> bool:
    """The person added the item and an officer still invites them to add evidence."""
    return (
        item is not None
        and user.is_authenticated
        and item.added_by_id == user.pk
        and is_invited_contributor(user, item.strategy)
    )


@rules.predicate
def is_item_manager(user: Any, item: EvidenceItem | None) -> bool:
    return item is not None and can_manage(user, item.strategy)


can_edit_item = is_item_manager | is_own_item_while_invited
can_delete_item = is_item_manager

rules.add_perm("evidence.manage_evidence", can_manage)
rules.add_perm("evidence.view_evidence_workspace", can_take_part)
rules.add_perm("evidence.add_evidence", can_contribute)
rules.add_perm("evidence.change_evidenceitem", can_edit_item)
rules.add_perm("evidence.delete_evidenceitem", can_delete_item)


def visible_sharing(user: Any, strategy: Strategy) -> list[str]:
    """The sharing levels of the strategy's items this person may see."""
    if can_manage(user, strategy):
        return [Sharing.OPEN, Sharing.PARTNERS, Sharing.OFFICERS]
    if can_take_part(user, strategy):
        return [Sharing.OPEN, Sharing.PARTNERS]
    return [Sharing.OPEN]


def sharing_choices_for(user: Any, strategy: Strategy) -> list[tuple[str, str]]:
    """The sharing levels a person may give an item they add: never one they could not see."""
    allowed = visible_sharing(user, strategy)
    return [(value, label) for value, label in Sharing.choices if value in allowed]
