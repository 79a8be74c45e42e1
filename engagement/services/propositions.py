"""Propositions: the officers merge priorities into the strategy's propositions and move them
through their statuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from core.audit import AuditVerb
from core.editing import refuse_if_stale, save_new_version, validate
from core.exceptions import ApplicationError
from core.models import Strategy, Theme, User
from core.services import audit_record
from evidence.models import EvidenceItem

from ..models import Priority, Proposition
from .common import _and, _relation_display, _same

# Propositions --------------------------------------------------------------------------------------


@dataclass
class PropositionData:
    """What an officer writes: the merged priorities, the evidence and themes behind the proposition."""

    title: str
    description: str
    priorities: list[Priority]
    themes: list[Theme] | None = None
    evidence_items: list[EvidenceItem] | None = None

    def relations(self) -> dict[str, list[Any]]:
        return {
            "themes": list(self.themes or []),
            "priorities": list(self.priorities),
            "evidence_items": list(self.evidence_items or []),
        }


def _check_proposition(*, proposition: Proposition, relations: dict[str, list[Any]]) -> None:
    strategy = proposition.strategy
    if not relations["priorities"]:
        raise ApplicationError("Choose the priorities the proposition brings together.", field="priorities")
    submitted = set(
        Priority.objects.filter(
            pk__in=[p.pk for p in relations["priorities"]], call__strategy=strategy, status=Priority.Status.SUBMITTED
        ).values_list("pk", flat=True)
    )
    outside = [p.title for p in relations["priorities"] if p.pk not in submitted]
    if outside:
        raise ApplicationError(
            f"“{_and(outside)}” is not a submitted priority of {strategy}. Choose priorities from the list.",
            field="priorities",
        )
    items = set(
        EvidenceItem.objects.filter(pk__in=[i.pk for i in relations["evidence_items"]], strategy=strategy).values_list(
            "pk", flat=True
        )
    )
    outside = [i.title for i in relations["evidence_items"] if i.pk not in items]
    if outside:
        raise ApplicationError(f"“{_and(outside)}” is not in the evidence base of {strategy}.", field="evidence_items")
    validate(proposition, exclude=["version"])


def _set_proposition_relations(proposition: Proposition, relations: dict[str, list[Any]]) -> None:
    proposition.themes.set(relations["themes"])
    proposition.priorities.set(relations["priorities"])
    proposition.evidence_items.set(relations["evidence_items"])


def proposition_create(*, actor: User, strategy: Strategy, data: PropositionData) -> Proposition:
    """Merge submitted priorities of the strategy into a new, emerging proposition."""
    with transaction.atomic():
        proposition = Proposition(
            strategy=strategy, title=data.title.strip(), description=data.description.strip(), created_by=actor
        )
        relations = data.relations()
        _check_proposition(proposition=proposition, relations=relations)
        proposition.save()
        _set_proposition_relations(proposition, relations)
        audit_record(
            actor=actor,
            verb=AuditVerb.PROPOSITION_CREATED,
            target=proposition,
            strategy=strategy,
            data={"priorities": sorted(p.pk for p in relations["priorities"])},
        )
    return proposition


def proposition_update(*, actor: User, proposition: Proposition, data: PropositionData, version: int) -> Proposition:
    """Save an edit made on `version`; if another officer saved the proposition since, refuse and say what changed."""
    with transaction.atomic():
        current = Proposition.objects.select_for_update().select_related("strategy").get(pk=proposition.pk)
        values = {"title": data.title.strip(), "description": data.description.strip()}
        relations = data.relations()
        theirs = {name: list(getattr(current, name).all()) for name in Proposition.CONTENT_RELATIONS}
        refuse_if_stale(
            current,
            version=version,
            noun="proposition",
            saved={**{name: getattr(current, name) for name in Proposition.CONTENT_FIELDS}, **theirs},
            yours={**{name: values[name] for name in Proposition.CONTENT_FIELDS}, **relations},
            display=lambda name, value: _relation_display(value) if isinstance(value, list) else str(value),
        )
        before = {name: getattr(current, name) for name in Proposition.CONTENT_FIELDS}
        for name, value in values.items():
            setattr(current, name, value)
        _check_proposition(proposition=current, relations=relations)
        save_new_version(current)
        _set_proposition_relations(current, relations)
        changed = [name for name in Proposition.CONTENT_FIELDS if before[name] != values[name]] + [
            name for name in Proposition.CONTENT_RELATIONS if not _same(theirs[name], relations[name])
        ]
        audit_record(
            actor=actor,
            verb=AuditVerb.PROPOSITION_UPDATED,
            target=current,
            strategy=current.strategy,
            data={"fields": changed},
        )
    return current


def proposition_set_status(*, actor: User, proposition: Proposition, status: str) -> Proposition:
    """Move a proposition between emerging, agreed and dropped."""
    if status not in Proposition.Status.values:
        raise ApplicationError("Choose emerging, agreed or dropped.", field="status")
    with transaction.atomic():
        current = Proposition.objects.select_for_update().select_related("strategy").get(pk=proposition.pk)
        if current.status == status:
            raise ApplicationError(f"The proposition is already {current.get_status_display().lower()}.")
        previous = current.status
        current.status = status
        current.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.PROPOSITION_STATUS_CHANGED,
            target=current,
            strategy=current.strategy,
            data={"from": previous, "to": status},
        )
    return current
