"""The forward plan: the decisions the strategy's boards (or officers under their delegation)
expect to take, when, and on what papers. Officers keep it; everyone who sees the strategy reads it
(`/<strategy>/timeline/forward-plan/`). Services, as timeline/services.py; an edit is checked
against the version it was opened on (core/editing.py)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from core.audit import AuditVerb
from core.editing import validate, versioned_update
from core.exceptions import ApplicationError
from core.models import Strategy, User
from core.services import audit_record

from .models import ForwardPlanEntry

FORWARD_PLAN_FIELDS = ("board", "title", "expected_on", "decision_maker", "officer", "papers", "status", "decision")


def _check_entry(entry: ForwardPlanEntry, strategy: Strategy) -> None:
    if entry.board.strategy_id != strategy.pk:
        raise ApplicationError("Choose a board of this strategy.", field="board")
    if entry.decision_maker == ForwardPlanEntry.Maker.OFFICER and not entry.officer.strip():
        raise ApplicationError("Enter the name and post of the officer who will decide.", field="officer")
    if entry.decision_maker == ForwardPlanEntry.Maker.BOARD:
        entry.officer = ""
    decision = entry.decision
    if entry.status == ForwardPlanEntry.Status.TAKEN and decision is None:
        raise ApplicationError("Choose the decision that was taken, or keep the entry planned.", field="decision")
    if decision is not None and entry.status != ForwardPlanEntry.Status.TAKEN:
        raise ApplicationError(
            "A linked decision means the decision was taken: choose “Taken”, or remove the decision.", field="status"
        )
    if decision is not None and decision.board_id != entry.board_id:
        raise ApplicationError(f"Choose a decision of the {entry.board}.", field="decision")
    validate(entry, exclude=["version"])


def forward_plan_entry_add(*, actor: User, strategy: Strategy, data: dict[str, Any]) -> ForwardPlanEntry:
    with transaction.atomic():
        entry = ForwardPlanEntry(**{name: value for name, value in data.items() if name in FORWARD_PLAN_FIELDS})
        _check_entry(entry, strategy)
        entry.save()
        audit_record(actor=actor, verb=AuditVerb.FORWARD_PLAN_ENTRY_ADDED, target=entry, strategy=strategy)
    return entry


def _display(name: str, value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if name == "status":
        return str(ForwardPlanEntry.Status(value).label)
    if name == "decision_maker":
        return str(ForwardPlanEntry.Maker(value).label)
    if hasattr(value, "strftime"):
        return f"{value:%-d %B %Y}"
    return str(value)


def forward_plan_entry_update(
    *, actor: User, entry: ForwardPlanEntry, data: dict[str, Any], version: int
) -> ForwardPlanEntry:
    """Save an edit made on `version` of the entry (refused, with what changed, if someone saved it since)."""
    strategy = entry.board.strategy
    with transaction.atomic():
        current = ForwardPlanEntry.objects.select_for_update().select_related("board__strategy").get(pk=entry.pk)
        changes = versioned_update(
            current,
            noun="forward plan entry",
            version=version,
            fields=FORWARD_PLAN_FIELDS,
            values={name: value for name, value in data.items() if name in FORWARD_PLAN_FIELDS},
            display=_display,
            check=lambda row: _check_entry(row, strategy),
        )
        if changes:
            audit_record(
                actor=actor,
                verb=AuditVerb.FORWARD_PLAN_ENTRY_UPDATED,
                target=current,
                strategy=strategy,
                data={"changes": {name: [_display(name, a), _display(name, b)] for name, (a, b) in changes.items()}},
            )
    return current
