"""Predicates for a person's role in a strategy, and the permissions built on them.

A person takes part in a strategy through an organisation that is its lead LEP or one of its
partners, with the role of their membership (docs/design.md). Officers are members of the lead LEP.
Board membership lives in `timeline` (timeline/rules.py); administrators are staff.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import rules
from django.utils.functional import LazyObject, empty

from .exceptions import ApplicationError
from .models import Membership, Role

if TYPE_CHECKING:
    from .models import Strategy


def per_person_cache(user: Any, name: str) -> dict[int, Any]:
    """A dict kept on the person object for the request, so a rule's queries run once. Django's
    `request.user` is a lazy wrapper (two, with django-otp's OTPMiddleware around Django's): the cache
    goes on the person inside them."""
    while isinstance(user, LazyObject):
        if getattr(user, "_wrapped", empty) is empty:
            user.__getattr__("pk")  # evaluates the lazy object
        user = getattr(user, "_wrapped", None)
    cache: dict[int, Any] = user.__dict__.setdefault(name, {})
    return cache


def strategy_roles(user: Any, strategy: Strategy) -> frozenset[str]:
    """The roles `user` holds in `strategy`, computed once per person object and strategy."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cache: dict[int, frozenset[str]] = per_person_cache(user, "_strategy_roles")
    if strategy.pk not in cache:
        rows = Membership.objects.filter(user=user).values_list("organisation_id", "role")
        partner_ids = set(strategy.partners.values_list("pk", flat=True))
        roles: set[str] = set()
        for organisation_id, role in rows:
            if organisation_id == strategy.lead_id:
                # Only officers act for the lead LEP; its other members take part as partners.
                roles.add(Role.OFFICER if role == Role.OFFICER else Role.PARTNER)
            elif organisation_id in partner_ids and role != Role.OFFICER:
                roles.add(role)
        cache[strategy.pk] = frozenset(roles)
    return cache[strategy.pk]


@rules.predicate
def is_officer(user: Any, strategy: Strategy | None) -> bool:
    return strategy is not None and Role.OFFICER in strategy_roles(user, strategy)


@rules.predicate
def is_councillor(user: Any, strategy: Strategy | None) -> bool:
    return strategy is not None and Role.COUNCILLOR in strategy_roles(user, strategy)


@rules.predicate
def is_partner(user: Any, strategy: Strategy | None) -> bool:
    return strategy is not None and Role.PARTNER in strategy_roles(user, strategy)


@rules.predicate
def is_member(user: Any, strategy: Strategy | None) -> bool:
    """Takes part in the strategy through an organisation, in any role."""
    return strategy is not None and bool(strategy_roles(user, strategy))


@rules.predicate
def is_administrator(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


rules.add_perm("core.view_strategy_workspace", is_member | is_administrator)
rules.add_perm("core.view_audit_log", is_officer | is_administrator)
# The emails about a strategy that could not be sent: its officers see them, to act on them.
rules.add_perm("core.view_failed_emails", is_officer | is_administrator)


class Rule:
    """A permission that can say why not: predicates, each with the reason a person reads when it
    fails. `rule.predicate` is their conjunction, registered with `rules.add_perm` and so used by
    views (`has_perm`) and templates (`{% has_perm %}`); services call `rule.check(user, obj)`, which
    raises ApplicationError with the first failing condition's reason (adhocracy4's composable
    predicates, plus the sentence)."""

    def __init__(self, *conditions: tuple[rules.Predicate, str | Callable[[Any], str]]) -> None:
        self.conditions = conditions
        self.predicate: rules.Predicate = functools.reduce(operator.and_, (p for p, _ in conditions))

    def refusal(self, user: Any, obj: Any) -> str | None:
        """The reason `user` may not, or None when they may."""
        for predicate, reason in self.conditions:
            if not predicate.test(user, obj):
                return reason(obj) if callable(reason) else reason
        return None

    def check(self, user: Any, obj: Any) -> None:
        reason = self.refusal(user, obj)
        if reason is not None:
            raise ApplicationError(reason)
