"""Writes of the draft strategy: starting it with the usual sections, saving a section (refused
when someone saved it since it was read), the evidence, priorities and propositions a section
draws on, numbered versions, and the draft's status."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from core.audit import AuditVerb
from core.editing import field_label, refuse_if_stale, save_new_version, validate
from core.exceptions import ApplicationError
from core.models import Strategy, Theme, User
from core.services import audit_record
from engagement.models import Priority, Proposition
from evidence.models import EvidenceItem

from .. import selectors
from ..models import DraftSection, DraftStrategy, DraftVersion


def draft_create(*, actor: User, strategy: Strategy) -> DraftStrategy:
    """Start the draft with the usual sections: an introduction, one per foundation, one per grand
    challenge, priorities and implementation. Officers rename, add and reorder them."""
    with transaction.atomic():
        if DraftStrategy.objects.filter(strategy=strategy).exists():
            raise ApplicationError("This strategy already has a draft. Open it from the documents page.")
        draft = DraftStrategy(strategy=strategy, title=f"{strategy.name}: draft")
        validate(draft)
        draft.save()
        titles: list[tuple[str, Theme | None]] = [("Introduction", None)]
        themes = list(Theme.objects.order_by("kind", "order"))
        titles += [(t.name, t) for t in themes if t.kind == Theme.Kind.FOUNDATION]
        titles += [(t.name, t) for t in themes if t.kind == Theme.Kind.GRAND_CHALLENGE]
        titles += [("Priorities", None), ("Implementation", None)]
        DraftSection.objects.bulk_create(
            DraftSection(draft=draft, order=n, title=title, theme=theme, updated_by=actor)
            for n, (title, theme) in enumerate(titles, start=1)
        )
        audit_record(actor=actor, verb=AuditVerb.DRAFT_CREATED, target=draft, strategy=strategy)
    return draft


LINK_LABELS = {"evidence_items": "Evidence items", "priorities": "Councils’ priorities", "propositions": "Propositions"}


def draft_section_save(
    *,
    actor: User,
    section: DraftSection,
    title: str,
    body: str,
    version: int,
    evidence_item_ids: list[int] | None = None,
    priority_ids: list[int] | None = None,
    proposition_ids: list[int] | None = None,
) -> DraftSection:
    """Save an edit made on `version` of a section: its text and what it draws on together, in one
    version (a kind of link given as None stays as it is). If someone saved the section since,
    refuse with what changed, text and links (core/editing.py); nothing is saved in part."""
    strategy = section.draft.strategy
    with transaction.atomic():
        current = DraftSection.objects.select_for_update().select_related("draft__strategy").get(pk=section.pk)
        chosen = _link_choices(
            strategy=strategy,
            evidence_item_ids=evidence_item_ids,
            priority_ids=priority_ids,
            proposition_ids=proposition_ids,
        )
        theirs = {name: list(getattr(current, name).order_by("pk")) for name in chosen}
        refuse_if_stale(
            current,
            version=version,
            noun="section",
            saved={"title": current.title, "body": current.body, **theirs},
            yours={"title": title.strip(), "body": body, **chosen},
            label=lambda name: LINK_LABELS.get(name) or field_label(DraftSection, name),
            display=lambda name, value: (
                "; ".join(sorted(str(o) for o in value)) or "(none)" if isinstance(value, list) else str(value)
            ),
        )
        text_changed = (current.title, current.body) != (title.strip(), body)
        current.title, current.body, current.updated_by = title.strip(), body, actor
        validate(current, exclude=["draft", "version"])
        save_new_version(current)
        for name, objects in chosen.items():
            getattr(current, name).set(objects)
        audit_record(
            actor=actor,
            verb=AuditVerb.DRAFT_SECTION_SAVED if text_changed or not chosen else AuditVerb.DRAFT_SECTION_LINKED,
            target=current,
            strategy=strategy,
            data={name: sorted(o.pk for o in objects) for name, objects in chosen.items()},
        )
    return current


def _link_choices(
    *,
    strategy: Strategy,
    evidence_item_ids: list[int] | None,
    priority_ids: list[int] | None,
    proposition_ids: list[int] | None,
) -> dict[str, list[Any]]:
    """The records a section may draw on, by kind, checked: evidence items and propositions of the
    strategy, priorities standing in its calls (submitted, not hidden). A kind given as None is left out."""
    chosen: dict[str, list[Any]] = {}
    if evidence_item_ids is not None:
        chosen["evidence_items"] = list(EvidenceItem.objects.filter(strategy=strategy, pk__in=set(evidence_item_ids)))
        if len(chosen["evidence_items"]) != len(set(evidence_item_ids)):
            raise ApplicationError("Choose evidence items of this strategy.", field="evidence_items")
    if priority_ids is not None:
        chosen["priorities"] = list(
            Priority.objects.standing().filter(call__strategy=strategy, pk__in=set(priority_ids))
        )
        if len(chosen["priorities"]) != len(set(priority_ids)):
            raise ApplicationError(
                "Choose priorities submitted to this strategy’s calls (not drafts, withdrawn or hidden ones).",
                field="priorities",
            )
    if proposition_ids is not None:
        chosen["propositions"] = list(Proposition.objects.filter(strategy=strategy, pk__in=set(proposition_ids)))
        if len(chosen["propositions"]) != len(set(proposition_ids)):
            raise ApplicationError("Choose propositions of this strategy.", field="propositions")
    return chosen


def draft_version_save(*, actor: User, draft: DraftStrategy, note: str) -> DraftVersion:
    """Snapshot the whole draft as the next numbered version, with a note."""
    if not note.strip():
        raise ApplicationError("Enter a note saying what changed in this version.", field="note")
    with transaction.atomic():
        locked = DraftStrategy.objects.select_for_update().get(pk=draft.pk)
        last = DraftVersion.objects.filter(draft=locked).order_by("-number").values_list("number", flat=True).first()
        version = DraftVersion(
            draft=locked,
            number=(last or 0) + 1,
            note=note.strip(),
            status=locked.status,
            sections=[_snapshot(s) for s in selectors.section_list_with_links(draft=locked)],
            created_by=actor,
        )
        validate(version)
        version.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.DRAFT_VERSION_SAVED,
            target=version,
            strategy=locked.strategy,
            data={"number": version.number},
        )
    return version


def _snapshot(section: DraftSection) -> dict[str, Any]:
    """A section as a version keeps it: its text and what it draws on, by id and title."""
    return {
        "id": section.pk,
        "title": section.title,
        "body": section.body,
        "evidence": [{"id": e.pk, "title": e.title, "sharing": e.sharing} for e in section.evidence_items.all()],
        "priorities": [
            {"id": p.pk, "title": p.title, "organisation": p.organisation.name} for p in section.priorities.all()
        ],
        "propositions": [{"id": p.pk, "title": p.title, "status": p.status} for p in section.propositions.all()],
    }


def draft_section_links_set(
    *,
    actor: User,
    section: DraftSection,
    evidence_item_ids: list[int],
    priority_ids: list[int],
    proposition_ids: list[int] | None = None,
) -> DraftSection:
    """Set only what a section draws on (the demo and imports; the section page saves text and links
    together through draft_section_save). `proposition_ids=None` leaves the propositions as they are."""
    return draft_section_save(
        actor=actor,
        section=section,
        title=section.title,
        body=section.body,
        version=DraftSection.objects.values_list("version", flat=True).get(pk=section.pk),
        evidence_item_ids=evidence_item_ids,
        priority_ids=priority_ids,
        proposition_ids=proposition_ids,
    )


def draft_status_set(*, actor: User, draft: DraftStrategy, status: str) -> DraftStrategy:
    if status not in DraftStrategy.Status.values:
        raise ApplicationError("Choose a status for the draft.", field="status")
    with transaction.atomic():
        old = draft.status
        draft.status = status
        draft.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.DRAFT_STATUS_SET,
            target=draft,
            strategy=draft.strategy,
            data={"from": old, "to": status},
        )
    return draft
