"""Reads the other selectors, the forms and the services share: the strategy's places,
organisations, councils, themes, evidence and tags, a priority's relations joined once, and
the size of an export's chunk.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from core.models import Area, Organisation, Strategy, Theme
from evidence.models import EvidenceItem
from evidence.rules import visible_sharing

from ..models import Priority, Tag


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


def evidence_item_choices(*, strategy: Strategy, user: Any) -> QuerySet[EvidenceItem]:
    """The strategy's evidence items a person may rest a priority on: those they may see."""
    return EvidenceItem.objects.filter(strategy=strategy, sharing__in=visible_sharing(user, strategy)).order_by(
        Lower("title"), "pk"
    )


def tag_list_for_strategy(*, strategy: Strategy) -> QuerySet[Tag]:
    return Tag.objects.filter(strategy=strategy).order_by(Lower("name"))


def _with_relations(priorities: QuerySet[Priority]) -> QuerySet[Priority]:
    themes = Theme.objects.order_by("kind", "order")
    return priorities.select_related(
        "call__strategy", "call__phase", "organisation", "author", "entered_by"
    ).prefetch_related(
        Prefetch("evidence_items", queryset=EvidenceItem.objects.order_by("title")),
        Prefetch("themes", queryset=themes),
        Prefetch("coded_themes", queryset=themes),
        Prefetch("areas", queryset=Area.objects.order_by("name")),
        Prefetch("backing_organisations", queryset=Organisation.objects.order_by("name")),
        Prefetch("tags", queryset=Tag.objects.order_by(Lower("name"))),
    )


# Exports read this many rows (with their prefetched relations) at a time: the peak memory of an
# export is about one chunk's, whatever its length (bench/engagement.py measures it).
EXPORT_CHUNK = 100
