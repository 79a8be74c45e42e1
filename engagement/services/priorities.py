"""Calls for priorities and the priorities councils submit to them: the council's side (draft,
edit, submit, withdraw), the officer's side (reply, hide, code, export), the reminder before a
call closes, and a priority an officer enters on a council's behalf (docs/adr/0041).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from core.audit import AuditVerb
from core.editing import refuse_if_stale, save_new_version, validate, versioned_update
from core.exceptions import ApplicationError
from core.models import Area, Organisation, Strategy, Theme, User
from core.services import audit_record, email_queue
from evidence.models import EvidenceItem
from evidence.rules import visible_sharing

from ..models import Call, CallReminder, Channel, Priority
from ..models.common import when_text
from ..rules import CHANGE_PRIORITY, council_ids_of
from ..selectors import area_list_for_strategy, council_list_for_strategy, organisation_list_for_strategy
from .coding import _check_tags, _tags_for
from .common import _and, _display_call, _ensure_open, _link, _relation_display, _same

CALL_FIELDS = ("title", "description", "audience", "opens_at", "closes_at", "phase")
REMINDER_BEFORE = timedelta(days=2)


# Calls ---------------------------------------------------------------------------------------


def _check_call(*, call: Call, strategy: Strategy) -> None:
    if call.phase.strategy_id != strategy.pk:
        raise ApplicationError("Choose a phase of this strategy.", field="phase")
    validate(call, exclude=["version"])


def call_create(*, actor: User, strategy: Strategy, data: dict[str, Any]) -> Call:
    with transaction.atomic():
        call = Call(strategy=strategy, created_by=actor, **{k: v for k, v in data.items() if k in CALL_FIELDS})
        _check_call(call=call, strategy=strategy)
        call.save()
        audit_record(actor=actor, verb=AuditVerb.CALL_CREATED, target=call, strategy=strategy)
    return call


def call_update(*, actor: User, call: Call, data: dict[str, Any], version: int) -> Call:
    """Save an edit made on `version` of the call; if someone saved it since, refuse and say what changed."""
    strategy = call.strategy
    with transaction.atomic():
        current = Call.objects.select_for_update().select_related("strategy", "phase").get(pk=call.pk)
        changed = versioned_update(
            current,
            noun="call",
            version=version,
            fields=CALL_FIELDS,
            values={name: data[name] for name in CALL_FIELDS if name in data},
            display=_display_call,
            check=lambda call: _check_call(call=call, strategy=strategy),
        )
        changes = {name: [_display_call(name, old), _display_call(name, new)] for name, (old, new) in changed.items()}
        if changes:
            audit_record(
                actor=actor, verb=AuditVerb.CALL_UPDATED, target=current, strategy=strategy, data={"changes": changes}
            )
    return current


# Priorities: the council's side --------------------------------------------------------------


@dataclass
class PriorityData:
    """What a councillor writes. Relations are lists of objects the form offered."""

    title: str
    summary: str = ""
    why_it_matters: str = ""
    evidence_links: list[dict[str, str]] | None = None
    evidence_items: list[EvidenceItem] | None = None
    scale: str = ""
    themes: list[Theme] | None = None
    areas: list[Area] | None = None
    backing_organisations: list[Organisation] | None = None

    def values(self) -> dict[str, Any]:
        return {
            "title": self.title.strip(),
            "summary": self.summary.strip(),
            "why_it_matters": self.why_it_matters.strip(),
            "evidence_links": [
                {"title": str(link["title"]).strip(), "url": str(link["url"]).strip()}
                for link in (self.evidence_links or [])
            ],
            "scale": self.scale,
        }

    def relations(self) -> dict[str, list[Any]]:
        return {
            "evidence_items": list(self.evidence_items or []),
            "themes": list(self.themes or []),
            "areas": list(self.areas or []),
            "backing_organisations": list(self.backing_organisations or []),
        }


def _ensure_councillor(*, actor: User, call: Call, organisation: Organisation) -> None:
    if organisation.pk not in council_ids_of(actor, call.strategy):
        raise ApplicationError(
            f"You can only write priorities for a council of {call.strategy} you are a councillor of.",
            field="organisation",
        )


def _check_relations(*, actor: User, call: Call, organisation: Organisation, relations: dict[str, list[Any]]) -> None:
    strategy = call.strategy
    visible = set(
        EvidenceItem.objects.filter(strategy=strategy, sharing__in=visible_sharing(actor, strategy)).values_list(
            "pk", flat=True
        )
    )
    outside = [item.title for item in relations["evidence_items"] if item.pk not in visible]
    if outside:
        raise ApplicationError(
            f"“{_and(outside)}” is not in the evidence base of {strategy} you can see. "
            "Choose evidence items from the list, or add an outside source as a link.",
            field="evidence_items",
        )
    area_ids = set(area_list_for_strategy(strategy=strategy).values_list("pk", flat=True))
    outside = [area.name for area in relations["areas"] if area.pk not in area_ids]
    if outside:
        raise ApplicationError(
            f"{', '.join(outside)} is not a place of {strategy}. Choose the places from the list.", field="areas"
        )
    org_ids = set(organisation_list_for_strategy(strategy=strategy).values_list("pk", flat=True))
    outside = [org.name for org in relations["backing_organisations"] if org.pk not in org_ids]
    if outside:
        raise ApplicationError(
            f"{', '.join(outside)} does not take part in {strategy}. Choose backing organisations from the list.",
            field="backing_organisations",
        )
    if any(org.pk == organisation.pk for org in relations["backing_organisations"]):
        raise ApplicationError(
            f"{organisation} writes the priority, so it backs it already. Choose other organisations.",
            field="backing_organisations",
        )


def _set_relations(priority: Priority, relations: dict[str, list[Any]]) -> None:
    priority.evidence_items.set(relations["evidence_items"])
    priority.themes.set(relations["themes"])
    priority.areas.set(relations["areas"])
    priority.backing_organisations.set(relations["backing_organisations"])


def priority_save_draft(*, actor: User, call: Call, organisation: Organisation, data: PriorityData) -> Priority:
    """Start a priority for `organisation` in `call`, saved as a draft the council can come back to."""
    with transaction.atomic():
        call = Call.objects.select_related("strategy__lead").get(pk=call.pk)
        _ensure_open(call, doing="write priorities")
        _ensure_councillor(actor=actor, call=call, organisation=organisation)
        relations = data.relations()
        _check_relations(actor=actor, call=call, organisation=organisation, relations=relations)
        priority = Priority(call=call, organisation=organisation, author=actor, **data.values())
        validate(priority)
        priority.save()
        _set_relations(priority, relations)
        audit_record(actor=actor, verb=AuditVerb.PRIORITY_DRAFT_SAVED, target=priority, strategy=call.strategy)
    return priority


def _display_priority(field: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "(none)"
    if field == "scale":
        return str(Priority.Scale(value).label)
    if field == "evidence_links":
        return "; ".join(f"{link['title']} <{link['url']}>" for link in value)
    return str(value)


def _current_relations(priority: Priority) -> dict[str, list[Any]]:
    return {name: list(getattr(priority, name).all()) for name in Priority.CONTENT_RELATIONS}


def priority_update(*, actor: User, priority: Priority, data: PriorityData, version: int) -> Priority:
    """Save an edit made on `version` of the priority, while its call is open. If a colleague
    saved it since, refuse and say what they changed, so nobody's words are lost."""
    with transaction.atomic():
        current = Priority.objects.select_for_update().get(pk=priority.pk)
        call = Call.objects.select_related("strategy__lead").get(pk=current.call_id)
        current.call = call
        CHANGE_PRIORITY.check(actor, current)
        values, relations = data.values(), data.relations()
        theirs = _current_relations(current)
        refuse_if_stale(
            current,
            version=version,
            noun="priority",
            saved={**{name: getattr(current, name) for name in Priority.CONTENT_FIELDS}, **theirs},
            yours={**{name: values[name] for name in Priority.CONTENT_FIELDS}, **relations},
            display=lambda name, value: (
                _relation_display(value) if name in Priority.CONTENT_RELATIONS else _display_priority(name, value)
            ),
        )
        _check_relations(actor=actor, call=call, organisation=current.organisation, relations=relations)
        before = {name: getattr(current, name) for name in Priority.CONTENT_FIELDS}
        for name, value in values.items():
            setattr(current, name, value)
        validate(current, exclude=["version"])
        if current.status == Priority.Status.SUBMITTED:
            _check_complete(current, relations, doing="keep the priority submitted")
        save_new_version(current)
        _set_relations(current, relations)
        changed = [name for name in Priority.CONTENT_FIELDS if before[name] != getattr(current, name)] + [
            name for name in Priority.CONTENT_RELATIONS if not _same(theirs[name], relations[name])
        ]
        audit_record(
            actor=actor,
            verb=AuditVerb.PRIORITY_UPDATED,
            target=current,
            strategy=call.strategy,
            data={"fields": changed},
        )
    return current


def _check_complete(priority: Priority, relations: dict[str, list[Any]], *, doing: str = "submit the priority") -> None:
    missing = []
    if not priority.summary:
        missing.append(("summary", "a summary"))
    if not priority.why_it_matters:
        missing.append(("why_it_matters", "why it matters"))
    if not relations["themes"]:
        missing.append(("themes", "at least one foundation or grand challenge"))
    if not priority.scale:
        missing.append(("scale", "its scale"))
    if missing:
        raise ApplicationError(f"To {doing}, add " + _and([what for _, what in missing]) + ".", field=missing[0][0])


def priority_submit(*, actor: User, priority: Priority) -> Priority:
    """Submit a draft to its call, while the call is open; the person submitting gets an email receipt."""
    with transaction.atomic():
        current = Priority.objects.select_for_update().get(pk=priority.pk)
        call = Call.objects.select_related("strategy__lead").get(pk=current.call_id)
        current.call = call
        _ensure_councillor(actor=actor, call=call, organisation=current.organisation)
        _ensure_open(call, doing="submit priorities")
        if current.status != Priority.Status.DRAFT:
            raise ApplicationError(f"This priority is {current.get_status_display().lower()}, not a draft.")
        _check_complete(current, _current_relations(current))
        current.status = Priority.Status.SUBMITTED
        current.submitted_at = timezone.now()
        current.save(update_fields=["status", "submitted_at", "updated_at"])
        audit_record(actor=actor, verb=AuditVerb.PRIORITY_SUBMITTED, target=current, strategy=call.strategy)
        body = render_to_string(
            "engagement/email/priority_receipt.txt",
            {
                "person": actor,
                "priority": current,
                "call": call,
                "closes": when_text(call.closes_at),
                "link": _link(current.get_absolute_url()),
            },
        )
        email_queue(
            to=actor.email,
            subject=f"Priority received: {current.title}"[:200],
            body=body,
            strategy=current.call.strategy,
        )
    return current


def priority_withdraw(*, actor: User, priority: Priority) -> Priority:
    """Withdraw a draft or submitted priority while its call is open. It stays on record, withdrawn."""
    with transaction.atomic():
        current = Priority.objects.select_for_update().get(pk=priority.pk)
        call = Call.objects.select_related("strategy__lead").get(pk=current.call_id)
        current.call = call
        _ensure_councillor(actor=actor, call=call, organisation=current.organisation)
        _ensure_open(call, doing="withdraw priorities")
        if current.status == Priority.Status.WITHDRAWN:
            raise ApplicationError("This priority has already been withdrawn.")
        previous = current.status
        current.status = Priority.Status.WITHDRAWN
        current.withdrawn_at = timezone.now()
        current.save(update_fields=["status", "withdrawn_at", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.PRIORITY_WITHDRAWN,
            target=current,
            strategy=call.strategy,
            data={"was": previous},
        )
    return current


# Priorities: the officer's side --------------------------------------------------------------


def _officer_priority(priority: Priority) -> Priority:
    current = Priority.objects.select_for_update().get(pk=priority.pk)
    current.call = Call.objects.select_related("strategy").get(pk=current.call_id)
    if current.status == Priority.Status.DRAFT:
        raise ApplicationError("This priority is still a draft: the council has not submitted it.")
    return current


def priority_respond(*, actor: User, priority: Priority, response: str) -> Priority:
    """Publish the LEP's response to a priority ("you said, we did") and email its author."""
    text = response.strip()
    if not text:
        raise ApplicationError("Enter the response to the priority.", field="response")
    with transaction.atomic():
        current = _officer_priority(priority)
        first = not current.response
        current.response = text
        current.responded_at = timezone.now()
        current.responded_by = actor
        validate(current, exclude=["version"])
        current.save(update_fields=["response", "responded_at", "responded_by", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.PRIORITY_RESPONDED if first else AuditVerb.PRIORITY_RESPONSE_CHANGED,
            target=current,
            strategy=current.call.strategy,
        )
        author = current.author
        if author is not None and author.is_active:
            body = render_to_string(
                "engagement/email/priority_response.txt",
                {"person": author, "priority": current, "link": _link(current.get_absolute_url())},
            )
            email_queue(
                to=author.email,
                subject=f"The LEP has responded to: {current.title}"[:200],
                body=body,
                strategy=current.call.strategy,
            )
    return current


def priority_hide(*, actor: User, priority: Priority, reason: str) -> Priority:
    """Hide a priority from shared views, with a reason officers see. `priority_unhide` reverses it."""
    text = reason.strip()
    if not text:
        raise ApplicationError("Enter the reason for hiding the priority.", field="reason")
    with transaction.atomic():
        current = _officer_priority(priority)
        current.is_hidden = True
        current.hidden_reason = text
        current.hidden_at = timezone.now()
        validate(current, exclude=["version"])
        current.save(update_fields=["is_hidden", "hidden_reason", "hidden_at", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.PRIORITY_HIDDEN,
            target=current,
            strategy=current.call.strategy,
            data={"reason": text},
        )
    return current


def priority_unhide(*, actor: User, priority: Priority) -> Priority:
    with transaction.atomic():
        current = _officer_priority(priority)
        if not current.is_hidden:
            raise ApplicationError("This priority is not hidden.")
        reason = current.hidden_reason
        current.is_hidden = False
        current.hidden_reason = ""
        current.hidden_at = None
        current.save(update_fields=["is_hidden", "hidden_reason", "hidden_at", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.PRIORITY_UNHIDDEN,
            target=current,
            strategy=current.call.strategy,
            data={"was_hidden_because": reason},
        )
    return current


def priority_code(*, actor: User, priority: Priority, themes: list[Theme], tags: list[str]) -> Priority:
    """Code a priority with the themes the LEP reads in it and free tags (created as needed)."""
    _check_tags(tags, what="priority")
    with transaction.atomic():
        current = _officer_priority(priority)
        strategy = current.call.strategy
        tag_objects = _tags_for(strategy, tags)
        current.coded_themes.set(themes)
        current.tags.set(tag_objects)
        current.coded_at = timezone.now()
        current.save(update_fields=["coded_at", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.PRIORITY_CODED,
            target=current,
            strategy=strategy,
            data={"themes": sorted(t.slug for t in themes), "tags": [t.name for t in tag_objects]},
        )
    return current


def priorities_exported(*, actor: User, call: Call, filters: dict[str, str]) -> None:
    """Record that an officer downloaded a call's priorities (an export holds personal data)."""
    audit_record(
        actor=actor, verb=AuditVerb.CALL_PRIORITIES_EXPORTED, target=call, strategy=call.strategy, data=filters
    )


# Reminders -------------------------------------------------------------------------------------


def call_reminders_send(*, now: datetime | None = None) -> int:
    """Email each councillor who has a draft in a call that closes within two days, once per
    person and call however often this runs (a unique row per reminder claims it)."""
    now = now or timezone.now()
    drafts = (
        Priority.objects.filter(
            status=Priority.Status.DRAFT,
            author__isnull=False,
            author__is_active=True,
            call__opens_at__lte=now,
            call__closes_at__gt=now,
            call__closes_at__lte=now + REMINDER_BEFORE,
        )
        .exclude(call__reminders__user_id=F("author_id"))
        .select_related("call__strategy", "author", "organisation")
        .order_by("call_id", "author_id", "pk")
    )
    grouped: dict[tuple[int, int], list[Priority]] = {}
    for draft in drafts:
        assert draft.author_id is not None
        grouped.setdefault((draft.call_id, draft.author_id), []).append(draft)
    sent = 0
    for group in grouped.values():
        call, person = group[0].call, group[0].author
        assert person is not None
        with transaction.atomic():
            try:
                with transaction.atomic():
                    CallReminder.objects.create(call=call, user=person)
            except IntegrityError:
                continue  # another run claimed it
            body = render_to_string(
                "engagement/email/call_closing_reminder.txt",
                {
                    "person": person,
                    "call": call,
                    "drafts": [(draft, _link(draft.get_absolute_url())) for draft in group],
                    "closes": when_text(call.closes_at),
                },
            )
            email_queue(
                to=person.email,
                subject=f"{call.title} closes at {when_text(call.closes_at)}"[:200],
                body=body,
                strategy=call.strategy,
            )
            audit_record(
                actor=None,
                verb=AuditVerb.CALL_REMINDER_SENT,
                target=call,
                strategy=call.strategy,
                data={"to": person.pk, "drafts": len(group)},
            )
            sent += 1
    return sent


# A priority entered from offline input (docs/adr/0041) ----------------------------------------------


def priority_enter_offline(
    *, actor: User, call: Call, organisation: Organisation, data: PriorityData, channel: str, received_on: date
) -> Priority:
    """An officer enters a council's priority from a workshop, paper form, email or call on its
    behalf: stored submitted, marked as entered by the officer, audited. Its evidence items are
    those the council's councillors may see (not the officers-only ones)."""
    if channel not in Channel.values:
        raise ApplicationError("Choose where the priority came from.", field="channel")
    if received_on > timezone.localdate():
        raise ApplicationError("The date received cannot be in the future.", field="received_on")
    with transaction.atomic():
        call = Call.objects.select_related("strategy__lead").get(pk=call.pk)
        if organisation.pk not in {c.pk for c in council_list_for_strategy(strategy=call.strategy)}:
            raise ApplicationError("Choose a council of the strategy.", field="organisation")
        relations = data.relations()
        council_sees = {"open", "partners"}
        hidden = [item.title for item in relations["evidence_items"] if item.sharing not in council_sees]
        if hidden:
            raise ApplicationError(
                f"The council cannot see “{_and(hidden)}”: choose evidence shared with partners or everyone.",
                field="evidence_items",
            )
        _check_relations(actor=actor, call=call, organisation=organisation, relations=relations)
        now = timezone.now()
        priority = Priority(
            call=call,
            organisation=organisation,
            author=None,
            status=Priority.Status.SUBMITTED,
            submitted_at=now,
            entered_by=actor,
            channel=channel,
            received_on=received_on,
            **data.values(),
        )
        _check_complete(priority, relations, doing="enter the priority")
        validate(priority)
        priority.save()
        _set_relations(priority, relations)
        audit_record(
            actor=actor,
            verb=AuditVerb.PRIORITY_ENTERED_OFFLINE,
            target=priority,
            strategy=call.strategy,
            data={"on_behalf": str(organisation), "channel": channel, "received_on": received_on.isoformat()},
        )
    return priority
