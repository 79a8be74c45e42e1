"""Access helpers for the evidence base. Views load protected objects only through these; a person
who may not see an object gets 404, whether or not it exists."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from core.models import Strategy

from .models import EvidenceItem, ImportJob
from .rules import can_delete_item, can_edit_item, can_manage, visible_sharing


def get_evidence_item_for_user_or_404(
    user: Any, strategy: Strategy, pk: int, *, write: bool = False, delete: bool = False
) -> EvidenceItem:
    """The item if the person may see it; with `write`, only if they may edit it (officers, or the
    invited partner who added it); with `delete`, only if they may remove it (officers)."""
    item = (
        EvidenceItem.objects.select_related("strategy", "added_by")
        .filter(pk=pk, strategy=strategy, sharing__in=visible_sharing(user, strategy))
        .first()
    )
    if item is None or (write and not can_edit_item(user, item)) or (delete and not can_delete_item(user, item)):
        raise Http404("No evidence item here.")
    return item


def get_import_job_for_user_or_404(user: Any, strategy: Strategy, pk: int, *, write: bool = False) -> ImportJob:
    if not can_manage(user, strategy):
        raise Http404("No import here.")
    job = ImportJob.objects.select_related("created_by", "strategy").filter(pk=pk, strategy=strategy).first()
    if job is None:
        raise Http404("No import here.")
    return job
