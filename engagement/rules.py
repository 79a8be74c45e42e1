"""Who may do what in engagement, on core's roles.

- Officers of the strategy (and administrators) run calls: create and edit them, watch the
  priorities arrive, code, respond to and hide them, export them.
- Councillors of the strategy's councils see the calls addressed to them and write priorities on
  behalf of their council; every councillor of that council sees and edits the council's priorities.
- Drafts stay with the council until submitted: officers see submitted and withdrawn priorities.
- Consultations: officers (and administrators) create them, watch, code, respond to and hide the
  responses. Councillors see those addressed to councillors or everyone and respond for their
  council; partners (members of the strategy's universities, colleges, businesses, business groups
  and voluntary bodies) those addressed to partners or everyone, and respond for their organisation.
  A response's draft is its organisation's alone; officers see it once submitted.
- Propositions are the officers' synthesis: officers see and change them; a councillor reads (never
  changes) a proposition that one of their council's shared priorities was merged into, so the
  priority's page can lead on to it.
- Everybody else: 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules

from core.models import Membership, Organisation, Role
from core.rules import Rule, is_administrator, is_councillor, is_member, is_officer, per_person_cache

from .models import Priority, Proposition

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


PARTNER_KINDS: frozenset[str] = frozenset(
    {
        Organisation.Kind.UNIVERSITY,
        Organisation.Kind.COLLEGE,
        Organisation.Kind.BUSINESS,
        Organisation.Kind.BUSINESS_GROUP,
        Organisation.Kind.VOLUNTARY,
    }
)


def partner_org_ids_of(user: Any, strategy: Strategy) -> frozenset[int]:
    """The partner organisations of the strategy `user` is a partner member of, once per request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cache: dict[int, frozenset[int]] = per_person_cache(user, "_engagement_partner_ids")
    if strategy.pk not in cache:
        cache[strategy.pk] = frozenset(
            Membership.objects.filter(
                user=user,
                role=Role.PARTNER,
                organisation__kind__in=PARTNER_KINDS,
                organisation__partner_strategies=strategy,
            ).values_list("organisation_id", flat=True)
        )
    return cache[strategy.pk]


def audiences_of(user: Any, strategy: Strategy) -> list[str]:
    """The consultation audiences `user` belongs to in the strategy."""
    audiences = []
    if council_ids_of(user, strategy):
        audiences.append("councillors")
    if partner_org_ids_of(user, strategy):
        audiences.append("partners")
    if audiences:
        audiences.append("public")
    return audiences


def respondent_org_ids(user: Any, strategy: Strategy, audience: str) -> frozenset[int]:
    """The organisations `user` may respond for to a consultation addressed to `audience`."""
    councils = council_ids_of(user, strategy) if audience in ("councillors", "public") else frozenset()
    partners = partner_org_ids_of(user, strategy) if audience in ("partners", "public") else frozenset()
    return councils | partners


can_manage = is_officer | is_administrator
can_take_part = is_councillor | is_officer | is_administrator

rules.add_perm("engagement.manage_calls", can_manage)
rules.add_perm("engagement.view_calls", can_take_part)
rules.add_perm("engagement.write_priorities", is_councillor)
rules.add_perm("engagement.view_consultations", is_member | is_administrator)


# Events, the stakeholder register and the engagement plan -----------------------------------------
# Everyone taking part in the strategy (any role) and administrators see its events and their
# public notes; officers and administrators run them and alone see internal notes. Contacts are
# personal data, and the engagement log and the plan name them: officers and administrators only.

can_see_events = is_member | is_administrator

rules.add_perm("engagement.view_events", can_see_events)
rules.add_perm("engagement.manage_events", can_manage)
rules.add_perm("engagement.manage_register", can_manage)


# Changing a priority --------------------------------------------------------------------------------
# One rule, used by the edit view, the priority page's "Change" button ({% has_perm %}) and the
# service, which refuses with the first failing condition's reason.


@rules.predicate
def is_council_member(user: Any, priority: Priority) -> bool:
    """A councillor of the council the priority speaks for."""
    return priority.organisation_id in council_ids_of(user, priority.call.strategy)


@rules.predicate
def call_is_open(user: Any, priority: Priority) -> bool:
    return priority.call.is_open()


@rules.predicate
def is_withdrawn(user: Any, priority: Priority) -> bool:
    return priority.status == Priority.Status.WITHDRAWN


CHANGE_PRIORITY = Rule(
    (is_council_member, "You can only write priorities for a council of the strategy you are a councillor of."),
    (~is_withdrawn, "This priority was withdrawn, so it cannot be changed. Write a new one to put it forward again."),
    (call_is_open, lambda p: p.call.not_open_reason(doing="change its priorities", contact=p.call.strategy.lead)),
)
rules.add_perm("engagement.change_priority", CHANGE_PRIORITY.predicate)


# Reading a proposition -------------------------------------------------------------------------------


@rules.predicate
def fed_by_their_council(user: Any, proposition: Proposition) -> bool:
    """One of the councils `user` is a councillor of had a shared priority merged into it."""
    councils = council_ids_of(user, proposition.strategy)
    return bool(councils) and proposition.priorities.shared().filter(organisation_id__in=councils).exists()


def can_read_proposition(user: Any, proposition: Proposition) -> bool:
    return bool(can_manage(user, proposition.strategy)) or bool(fed_by_their_council(user, proposition))
