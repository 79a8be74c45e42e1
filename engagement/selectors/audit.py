"""What of engagement the strategy's audit log must not show a viewer: events about a council's or
an organisation's drafts (priorities and responses) they are not one of — the same rule as the
access helpers, which answer 404 to those drafts (engagement/access.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from core.models import Strategy

from ..models import ConsultationResponse, Priority
from ..rules import council_ids_of, respondent_org_ids


def audit_hidden_drafts(viewer: Any, strategy: Strategy) -> Q:
    """Events about drafts of councils and organisations `viewer` does not speak for."""
    priorities = (
        Priority.objects.filter(call__strategy=strategy, status=Priority.Status.DRAFT)
        .exclude(organisation_id__in=council_ids_of(viewer, strategy))
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )
    responses = (
        ConsultationResponse.objects.filter(consultation__strategy=strategy, status=ConsultationResponse.Status.DRAFT)
        .exclude(organisation_id__in=respondent_org_ids(viewer, strategy, "public"))
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )
    return Q(target_type=ContentType.objects.get_for_model(Priority), target_id__in=priorities) | Q(
        target_type=ContentType.objects.get_for_model(ConsultationResponse), target_id__in=responses
    )
