"""Who may do what in engagement, on core's roles.

- Officers of the strategy (and administrators) run calls: create and edit them, watch the
  priorities arrive, code, respond to and hide them, export them.
- Councillors of the strategy's councils see the calls addressed to them and write priorities on
  behalf of their council; every councillor of that council sees and edits the council's priorities.
- Drafts stay with the council until submitted: officers see submitted and withdrawn priorities.
- Everybody else: 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules

from core.models import Membership, Organisation, Role
from core.rules import is_administrator, is_councillor, is_officer, per_person_cache

if TYPE_CHECKING:
    from core.models import Strategy


def council_ids_of(user: Any, strategy: Strategy) -> frozenset[int]:
    """The councils of the strategy (its partners) that `user` is a councillor of, once per request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cache: dict[int, frozenset[int]] = per_person_cache(user, "_engagement_council_ids")
    if strategy.pk not in cache:
        cache[strategy.pk] = frozenset(
            Membership.objects.filter(
                user=user,
                role=Role.COUNCILLOR,
                organisation__kind__in=Organisation.COUNCIL_KINDS,
                organisation__partner_strategies=strategy,
            ).values_list("organisation_id", flat=True)
        )
    return cache[strategy.pk]


can_manage = is_officer | is_administrator
can_take_part = is_councillor | is_officer | is_administrator

rules.add_perm("engagement.manage_calls", can_manage)
rules.add_perm("engagement.view_calls", can_take_part)
rules.add_perm("engagement.write_priorities", is_councillor)
