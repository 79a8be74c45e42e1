"""Reads of calls and the priorities councils submit to them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.audit import AuditVerb
from core.models import Strategy
from core.selectors import audit_event_list_for_record

from ..models import Call, Priority
from .common import EXPORT_CHUNK, _with_relations

# Calls -----------------------------------------------------------------------------------------


def call_list_for_strategy(*, strategy: Strategy) -> QuerySet[Call]:
    """Every call of the strategy with the counts an officer watches, in one query."""
    return (
        Call.objects.filter(strategy=strategy)
        .select_related("phase", "strategy")
        .annotate(
            submitted_count=Count("priorities", filter=Q(priorities__status=Priority.Status.SUBMITTED)),
            draft_count=Count("priorities", filter=Q(priorities__status=Priority.Status.DRAFT)),
            uncoded_count=Count(
                "priorities", filter=Q(priorities__status=Priority.Status.SUBMITTED, priorities__coded_at__isnull=True)
            ),
            unanswered_count=Count(
                "priorities",
                filter=Q(priorities__status=Priority.Status.SUBMITTED, priorities__responded_at__isnull=True),
            ),
        )
        .order_by("-opens_at", "pk")
    )


def call_list_open(*, strategy: Strategy, now: datetime | None = None) -> QuerySet[Call]:
    """The calls open now, closing soonest first (the councillor's page and the public overview)."""
    now = now or timezone.now()
    return (
        Call.objects.filter(strategy=strategy, opens_at__lte=now, closes_at__gt=now)
        .select_related("phase", "strategy")
        .order_by("closes_at", "pk")
    )


# Priorities ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CouncilPriorityFilters:
    """The council's own list: a status, and whether the call is open now ("yes", "no" or "")."""

    status: str = ""
    call_open: str = ""


def priority_list_for_councils(
    *,
    strategy: Strategy,
    council_ids: frozenset[int] | set[int],
    filters: CouncilPriorityFilters | None = None,
    now: datetime | None = None,
) -> QuerySet[Priority]:
    """The priorities of the given councils in the strategy's calls, every status unless filtered,
    newest call first."""
    f = filters or CouncilPriorityFilters()
    priorities = Priority.objects.filter(call__strategy=strategy, organisation_id__in=council_ids)
    if f.status:
        priorities = priorities.filter(status=f.status)
    if f.call_open:
        now = now or timezone.now()
        open_now = Q(call__opens_at__lte=now, call__closes_at__gt=now)
        priorities = priorities.filter(open_now) if f.call_open == "yes" else priorities.exclude(open_now)
    return _with_relations(priorities).order_by("-call__opens_at", "call_id", "-updated_at", "-pk")


@dataclass(frozen=True)
class PriorityFilters:
    status: str = ""
    organisation_id: int | None = None
    theme_id: int | None = None
    tag_id: int | None = None
    coded: str = ""  # "yes", "no" or ""
    responded: str = ""
    hidden: str = ""  # "", "hide" (leave hidden ones out) or "only"

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v not in ("", None)}


def priority_list_for_call(*, call: Call, filters: PriorityFilters | None = None) -> QuerySet[Priority]:
    """The submitted and withdrawn priorities of a call for its officers (drafts stay with the
    councils), filtered, newest first."""
    f = filters or PriorityFilters()
    priorities = Priority.objects.filter(call=call).exclude(status=Priority.Status.DRAFT)
    if f.status:
        priorities = priorities.filter(status=f.status)
    if f.organisation_id:
        priorities = priorities.filter(organisation_id=f.organisation_id)
    if f.theme_id:
        priorities = priorities.filter(Q(themes=f.theme_id) | Q(coded_themes=f.theme_id))
    if f.tag_id:
        priorities = priorities.filter(tags=f.tag_id)
    if f.coded:
        priorities = priorities.filter(coded_at__isnull=f.coded == "no")
    if f.responded:
        priorities = priorities.filter(responded_at__isnull=f.responded == "no")
    if f.hidden == "hide":
        priorities = priorities.filter(is_hidden=False)
    elif f.hidden == "only":
        priorities = priorities.filter(is_hidden=True)
    if f.theme_id:
        priorities = priorities.distinct()
    return _with_relations(priorities).order_by("-submitted_at", "-pk")


def priority_iter_for_export(*, call: Call, filters: PriorityFilters | None = None) -> Iterator[Priority]:
    """The same rows as the officer's list, fetched in chunks so a large export streams in constant memory."""
    return priority_list_for_call(call=call, filters=filters).iterator(chunk_size=EXPORT_CHUNK)


# Officers' own business on a priority, which its council does not read in the trail (the reason it
# was hidden, say).
OFFICERS_ONLY_EVENTS = (AuditVerb.PRIORITY_HIDDEN, AuditVerb.PRIORITY_UNHIDDEN)


def priority_history(*, priority: Priority, for_officers: bool = True) -> QuerySet[Any]:
    """The priority's trail, newest first; without the officers' own business for its council."""
    events = audit_event_list_for_record(record=priority)
    return events if for_officers else events.exclude(verb__in=OFFICERS_ONLY_EVENTS)
