"""Reads of calls and priorities, joined once here and shared by views, the export, reminders and
the strategy overview. None of them grows its query count with the rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from core.models import Area, Organisation, Strategy, Theme

from .models import Call, Priority, Tag


def area_list_for_strategy(*, strategy: Strategy) -> QuerySet[Area]:
    """The places a priority can concern: the strategy's LEP area, the districts and unitary
    authorities inside it, and the counties those districts sit in."""
    if strategy.area_id is None:
        return Area.objects.none()
    inside = Q(parents=strategy.area_id)
    counties = Q(kind=Area.Kind.COUNTY, children__parents=strategy.area_id)
    return (
        Area.objects.filter(Q(pk=strategy.area_id) | inside | counties)
        .exclude(kind=Area.Kind.ITL_REGION)
        .distinct()
        .order_by("kind", "name")
    )


def organisation_list_for_strategy(*, strategy: Strategy) -> QuerySet[Organisation]:
    """The lead LEP and the strategy's partners: the organisations that may back a priority."""
    return Organisation.objects.filter(Q(pk=strategy.lead_id) | Q(partner_strategies=strategy)).distinct()


def council_list_for_strategy(*, strategy: Strategy) -> QuerySet[Organisation]:
    return strategy.partners.filter(kind__in=Organisation.COUNCIL_KINDS).order_by("name")


def theme_list() -> QuerySet[Theme]:
    return Theme.objects.order_by("kind", "order")


def tag_list_for_strategy(*, strategy: Strategy) -> QuerySet[Tag]:
    return Tag.objects.filter(strategy=strategy).order_by(Lower("name"))


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


def _with_relations(priorities: QuerySet[Priority]) -> QuerySet[Priority]:
    themes = Theme.objects.order_by("kind", "order")
    return priorities.select_related("call__strategy", "call__phase", "organisation", "author").prefetch_related(
        Prefetch("themes", queryset=themes),
        Prefetch("coded_themes", queryset=themes),
        Prefetch("areas", queryset=Area.objects.order_by("name")),
        Prefetch("backing_organisations", queryset=Organisation.objects.order_by("name")),
        Prefetch("tags", queryset=Tag.objects.order_by(Lower("name"))),
    )


def priority_list_for_councils(*, strategy: Strategy, council_ids: frozenset[int] | set[int]) -> QuerySet[Priority]:
    """The priorities of the given councils in the strategy's calls, every status, newest call first."""
    return _with_relations(Priority.objects.filter(call__strategy=strategy, organisation_id__in=council_ids)).order_by(
        "-call__opens_at", "call_id", "-updated_at", "-pk"
    )


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
    return priority_list_for_call(call=call, filters=filters).iterator(chunk_size=500)


def priority_history(*, priority: Priority) -> QuerySet[Any]:
    from core.models import AuditEvent

    return (
        AuditEvent.objects.filter(
            target_type__app_label="engagement", target_type__model="priority", target_id=str(priority.pk)
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )
