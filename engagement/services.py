"""Every change to calls, priorities, consultations and their responses.

Each function is keyword-only, runs in one transaction, validates with full_clean(), writes its
AuditEvent beside the change, queues its emails on commit (core.services.email_queue), and raises
ApplicationError with a message a person can act on.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError, Conflict, StaleEditError, conflicts_between
from core.models import Area, AuditEvent, Organisation, Strategy, Theme, User
from core.selectors import last_editor_note
from core.services import audit_record, email_queue
from evidence.models import EvidenceItem
from evidence.rules import visible_sharing
from timeline.models import Phase

from .models import (
    ANSWER_MAX,
    SCALE_MAX,
    SCALE_MIN,
    TAG_MAX,
    Call,
    CallReminder,
    Channel,
    Consultation,
    ConsultationResponse,
    Contact,
    EngagementEntry,
    Event,
    PlannedActivity,
    Priority,
    Proposition,
    PublicCredit,
    Question,
    Subscription,
    Tag,
    Update,
    UpdateDelivery,
)
from .rules import council_ids_of, respondent_org_ids
from .selectors import (
    area_list_for_strategy,
    council_list_for_strategy,
    officer_list_for_strategy,
    organisation_list_for_consultation,
    organisation_list_for_strategy,
)

CALL_FIELDS = ("title", "description", "audience", "opens_at", "closes_at", "phase")
REMINDER_BEFORE = timedelta(days=2)
TAGS_MAX = 20


def _validate(instance: Any, *, exclude: list[str] | None = None) -> None:
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(" ".join(messages), field=None if field == "__all__" else field) from error


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local.day} {local:%B %Y}"


def _last_editor(model: str, pk: int) -> str:
    return last_editor_note(app_label="engagement", model=model, pk=pk)


def _label(model: Any, name: str) -> str:
    return str(getattr(model._meta.get_field(name), "verbose_name", name)).capitalize()


def _link(path: str) -> str:
    """An address for an email: absolute where the deployment names its SITE_URL, else the path."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


# Calls ---------------------------------------------------------------------------------------


def _display_call(field: str, value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, datetime):
        return _when(value)
    if field == "audience":
        return str(Call.Audience(value).label)
    return str(value)


def _check_call(*, call: Call, strategy: Strategy) -> None:
    if call.phase.strategy_id != strategy.pk:
        raise ApplicationError("Choose a phase of this strategy.", field="phase")
    _validate(call, exclude=["version"])


def call_create(*, actor: User, strategy: Strategy, data: dict[str, Any]) -> Call:
    with transaction.atomic():
        call = Call(strategy=strategy, created_by=actor, **{k: v for k, v in data.items() if k in CALL_FIELDS})
        _check_call(call=call, strategy=strategy)
        call.save()
        audit_record(actor=actor, verb="call.created", target=call, strategy=strategy)
    return call


def call_update(*, actor: User, call: Call, data: dict[str, Any], version: int) -> Call:
    """Save an edit made on `version` of the call; if someone saved it since, refuse and say what changed."""
    strategy = call.strategy
    with transaction.atomic():
        current = Call.objects.select_for_update().select_related("strategy", "phase").get(pk=call.pk)
        changed = _fields_update(
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
            audit_record(actor=actor, verb="call.updated", target=current, strategy=strategy, data={"changes": changes})
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


def _ensure_open(call: Call, *, doing: str) -> None:
    now = timezone.now()
    if now < call.opens_at:
        raise ApplicationError(f"The call “{call.title}” opens at {_when(call.opens_at)}. You can {doing} from then.")
    if now >= call.closes_at:
        raise ApplicationError(
            f"The call “{call.title}” closed at {_when(call.closes_at)}, so you can no longer {doing}. "
            f"Contact {call.strategy.lead} if something needs to change."
        )


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
        _validate(priority)
        priority.save()
        _set_relations(priority, relations)
        audit_record(actor=actor, verb="priority.draft_saved", target=priority, strategy=call.strategy)
    return priority


def _relation_display(objects: list[Any]) -> str:
    return "; ".join(sorted(str(o) for o in objects)) or "(none)"


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


def _same(a: list[Any], b: list[Any]) -> bool:
    return {o.pk for o in a} == {o.pk for o in b}


def priority_update(*, actor: User, priority: Priority, data: PriorityData, version: int) -> Priority:
    """Save an edit made on `version` of the priority, while its call is open. If a colleague
    saved it since, refuse and say what they changed, so nobody's words are lost."""
    with transaction.atomic():
        current = Priority.objects.select_for_update().get(pk=priority.pk)
        call = Call.objects.select_related("strategy__lead").get(pk=current.call_id)
        current.call = call
        _ensure_councillor(actor=actor, call=call, organisation=current.organisation)
        _ensure_open(call, doing="change priorities")
        if current.status == Priority.Status.WITHDRAWN:
            raise ApplicationError("This priority was withdrawn. Write a new one to put it forward again.")
        values, relations = data.values(), data.relations()
        theirs = _current_relations(current)
        if current.version != version:
            conflicts = [
                Conflict(
                    field=name,
                    label=_label(Priority, name),
                    theirs=_display_priority(name, getattr(current, name)),
                    yours=_display_priority(name, values[name]),
                )
                for name in Priority.CONTENT_FIELDS
                if getattr(current, name) != values[name]
            ] + [
                Conflict(
                    field=name,
                    label=_label(Priority, name),
                    theirs=_relation_display(theirs[name]),
                    yours=_relation_display(relations[name]),
                )
                for name in Priority.CONTENT_RELATIONS
                if not _same(theirs[name], relations[name])
            ]
            raise _stale_edit(current, noun="priority", conflicts=conflicts)
        _check_relations(actor=actor, call=call, organisation=current.organisation, relations=relations)
        before = {name: getattr(current, name) for name in Priority.CONTENT_FIELDS}
        for name, value in values.items():
            setattr(current, name, value)
        _validate(current, exclude=["version"])
        if current.status == Priority.Status.SUBMITTED:
            _check_complete(current, relations, doing="keep the priority submitted")
        _save_new_version(current)
        _set_relations(current, relations)
        changed = [name for name in Priority.CONTENT_FIELDS if before[name] != getattr(current, name)] + [
            name for name in Priority.CONTENT_RELATIONS if not _same(theirs[name], relations[name])
        ]
        audit_record(
            actor=actor, verb="priority.updated", target=current, strategy=call.strategy, data={"fields": changed}
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


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


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
        audit_record(actor=actor, verb="priority.submitted", target=current, strategy=call.strategy)
        body = render_to_string(
            "engagement/email/priority_receipt.txt",
            {
                "person": actor,
                "priority": current,
                "call": call,
                "closes": _when(call.closes_at),
                "link": _link(current.get_absolute_url()),
            },
        )
        email_queue(to=actor.email, subject=f"Priority received: {current.title}"[:200], body=body)
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
            actor=actor, verb="priority.withdrawn", target=current, strategy=call.strategy, data={"was": previous}
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
        _validate(current, exclude=["version"])
        current.save(update_fields=["response", "responded_at", "responded_by", "updated_at"])
        audit_record(
            actor=actor,
            verb="priority.responded" if first else "priority.response_changed",
            target=current,
            strategy=current.call.strategy,
        )
        author = current.author
        if author is not None and author.is_active:
            body = render_to_string(
                "engagement/email/priority_response.txt",
                {"person": author, "priority": current, "link": _link(current.get_absolute_url())},
            )
            email_queue(to=author.email, subject=f"The LEP has responded to: {current.title}"[:200], body=body)
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
        _validate(current, exclude=["version"])
        current.save(update_fields=["is_hidden", "hidden_reason", "hidden_at", "updated_at"])
        audit_record(
            actor=actor, verb="priority.hidden", target=current, strategy=current.call.strategy, data={"reason": text}
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
            verb="priority.unhidden",
            target=current,
            strategy=current.call.strategy,
            data={"was_hidden_because": reason},
        )
    return current


def parse_tags(text: str) -> list[str]:
    """Tags typed as a comma-separated list: trimmed, de-duplicated without regard to case."""
    seen: dict[str, str] = {}
    for raw in text.split(","):
        name = " ".join(raw.split())
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return list(seen.values())


def _check_tags(tags: list[str], *, what: str) -> None:
    too_long = [name for name in tags if len(name) > TAG_MAX]
    if too_long:
        raise ApplicationError(f"Keep each tag to {TAG_MAX} characters or fewer.", field="tags")
    if len(tags) > TAGS_MAX:
        raise ApplicationError(f"Use at most {TAGS_MAX} tags on one {what}.", field="tags")


def _tags_for(strategy: Strategy, names: list[str]) -> list[Tag]:
    """The strategy's tags of these names, whatever their case, created as needed (safely under a race)."""
    tag_objects = []
    for name in names:
        tag = Tag.objects.filter(strategy=strategy, name__iexact=name).first()
        if tag is None:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(strategy=strategy, name=name)
            except IntegrityError:
                tag = Tag.objects.get(strategy=strategy, name__iexact=name)
        tag_objects.append(tag)
    return tag_objects


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
            verb="priority.coded",
            target=current,
            strategy=strategy,
            data={"themes": sorted(t.slug for t in themes), "tags": [t.name for t in tag_objects]},
        )
    return current


def priorities_exported(*, actor: User, call: Call, filters: dict[str, str]) -> None:
    """Record that an officer downloaded a call's priorities (an export holds personal data)."""
    audit_record(actor=actor, verb="call.priorities_exported", target=call, strategy=call.strategy, data=filters)


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
                    "closes": _when(call.closes_at),
                },
            )
            email_queue(to=person.email, subject=f"{call.title} closes at {_when(call.closes_at)}"[:200], body=body)
            audit_record(
                actor=None,
                verb="call.reminder_sent",
                target=call,
                strategy=call.strategy,
                data={"to": person.pk, "drafts": len(group)},
            )
            sent += 1
    return sent


# Consultations: the officer's side -----------------------------------------------------------------

CONSULTATION_FIELDS = ("title", "description", "audience", "opens_at", "closes_at", "phase")


def _display_consultation(field: str, value: Any) -> str:
    if field == "audience" and value:
        return str(Consultation.Audience(value).label)
    return _display_call(field, value)


def _check_consultation(*, consultation: Consultation, strategy: Strategy) -> None:
    if consultation.phase.strategy_id != strategy.pk:
        raise ApplicationError("Choose a phase of this strategy.", field="phase")
    _validate(consultation, exclude=["version"])


def consultation_create(*, actor: User, strategy: Strategy, data: dict[str, Any]) -> Consultation:
    with transaction.atomic():
        consultation = Consultation(
            strategy=strategy, created_by=actor, **{k: v for k, v in data.items() if k in CONSULTATION_FIELDS}
        )
        _check_consultation(consultation=consultation, strategy=strategy)
        consultation.save()
        audit_record(actor=actor, verb="consultation.created", target=consultation, strategy=strategy)
    return consultation


def consultation_update(*, actor: User, consultation: Consultation, data: dict[str, Any], version: int) -> Consultation:
    """Save an edit made on `version`; if someone saved the consultation since, refuse and say what changed."""
    strategy = consultation.strategy
    with transaction.atomic():
        current = Consultation.objects.select_for_update().select_related("strategy", "phase").get(pk=consultation.pk)
        changed = _fields_update(
            current,
            noun="consultation",
            version=version,
            fields=CONSULTATION_FIELDS,
            values={name: data[name] for name in CONSULTATION_FIELDS if name in data},
            display=_display_consultation,
            check=lambda consultation: _check_consultation(consultation=consultation, strategy=strategy),
        )
        changes = {
            name: [_display_consultation(name, old), _display_consultation(name, new)]
            for name, (old, new) in changed.items()
        }
        if changes:
            audit_record(
                actor=actor,
                verb="consultation.updated",
                target=current,
                strategy=strategy,
                data={"changes": changes},
            )
    return current


def _ensure_questions_open_to_change(consultation: Consultation) -> None:
    """Questions change only before anyone has started to answer them."""
    if consultation.responses.exists():
        raise ApplicationError(
            "Organisations have started to respond, so the questions can no longer change: "
            "their answers are to these questions."
        )


def question_add(
    *,
    actor: User,
    consultation: Consultation,
    kind: str,
    text: str,
    hint: str = "",
    choices: list[str] | None = None,
    required: bool = True,
) -> Question:
    """Add a question at the end of the consultation."""
    with transaction.atomic():
        current = Consultation.objects.select_for_update().select_related("strategy").get(pk=consultation.pk)
        _ensure_questions_open_to_change(current)
        last = current.questions.order_by("-order").values_list("order", flat=True).first()
        question = Question(
            consultation=current,
            order=(last or 0) + 1,
            kind=kind,
            text=text.strip(),
            hint=hint.strip(),
            choices=[c.strip() for c in (choices or [])] if kind in Question.CHOICE_KINDS else [],
            required=required,
        )
        _validate(question)
        question.save()
        audit_record(
            actor=actor,
            verb="consultation.question_added",
            target=current,
            strategy=current.strategy,
            data={"question": question.pk, "kind": kind},
        )
    return question


def question_remove(*, actor: User, question: Question) -> None:
    with transaction.atomic():
        consultation = (
            Consultation.objects.select_for_update().select_related("strategy").get(pk=question.consultation_id)
        )
        _ensure_questions_open_to_change(consultation)
        text = question.text
        Question.objects.filter(pk=question.pk).delete()
        audit_record(
            actor=actor,
            verb="consultation.question_removed",
            target=consultation,
            strategy=consultation.strategy,
            data={"question": text},
        )


def question_move(*, actor: User, question: Question, up: bool) -> None:
    """Swap a question with the one before (`up`) or after it. Moving the first up does nothing."""
    with transaction.atomic():
        consultation = (
            Consultation.objects.select_for_update().select_related("strategy").get(pk=question.consultation_id)
        )
        _ensure_questions_open_to_change(consultation)
        ordered = list(consultation.questions.order_by("order", "pk"))
        index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(ordered):
            return
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, item in enumerate(ordered, start=1):
            if item.order != position:
                Question.objects.filter(pk=item.pk).update(order=position)
        audit_record(
            actor=actor,
            verb="consultation.question_moved",
            target=consultation,
            strategy=consultation.strategy,
            data={"question": question.pk, "to": other + 1},
        )


# Consultations: the respondent's side ---------------------------------------------------------------


def _ensure_consultation_open(consultation: Consultation, *, doing: str) -> None:
    now = timezone.now()
    if now < consultation.opens_at:
        raise ApplicationError(
            f"The consultation “{consultation.title}” opens at {_when(consultation.opens_at)}. "
            f"You can {doing} from then."
        )
    if now >= consultation.closes_at:
        raise ApplicationError(
            f"The consultation “{consultation.title}” closed at {_when(consultation.closes_at)}, so you can no "
            f"longer {doing}. Contact {consultation.strategy.lead} if something needs to change."
        )


def _ensure_respondent(*, actor: User, consultation: Consultation, organisation: Organisation | None) -> None:
    if organisation is None or organisation.pk not in respondent_org_ids(
        actor, consultation.strategy, consultation.audience
    ):
        raise ApplicationError(
            "You can only respond for an organisation you belong to that this consultation is addressed to.",
            field="organisation",
        )


def response_start(*, actor: User, consultation: Consultation, organisation: Organisation) -> ConsultationResponse:
    """The organisation's response to the consultation: its draft if a colleague has started one
    (or its submitted response), else a new, empty draft."""
    with transaction.atomic():
        current = Consultation.objects.select_related("strategy__lead").get(pk=consultation.pk)
        _ensure_respondent(actor=actor, consultation=current, organisation=organisation)
        existing = ConsultationResponse.objects.filter(consultation=current, organisation=organisation).first()
        if existing is not None:
            return existing
        _ensure_consultation_open(current, doing="respond")
        try:
            with transaction.atomic():
                response = ConsultationResponse.objects.create(
                    consultation=current, organisation=organisation, started_by=actor, last_saved_by=actor
                )
        except IntegrityError:  # a colleague started it a moment ago
            return ConsultationResponse.objects.get(consultation=current, organisation=organisation)
        audit_record(actor=actor, verb="response.started", target=response, strategy=current.strategy)
    return response


def _clean_answer(question: Question, value: Any) -> Any:
    """An answer as stored, or None for no answer; ApplicationError if it is not one the question allows."""
    field = f"q_{question.pk}"
    if value is None or value == "" or value == []:
        return None
    if question.kind == Question.Kind.TEXT:
        text = str(value).strip()
        if len(text) > ANSWER_MAX:
            raise ApplicationError(f"Keep your answer to {ANSWER_MAX:,} characters or fewer.", field=field)
        return text or None
    if question.kind == Question.Kind.SINGLE:
        if value not in question.choices:
            raise ApplicationError("Choose one of the answers given.", field=field)
        return value
    if question.kind == Question.Kind.MULTIPLE:
        values = value if isinstance(value, list) else [value]
        if any(v not in question.choices for v in values):
            raise ApplicationError("Choose answers from those given.", field=field)
        return [c for c in question.choices if c in values]  # in the question's order, once each
    try:
        point = int(value)
    except (TypeError, ValueError):
        point = 0
    if not SCALE_MIN <= point <= SCALE_MAX:
        raise ApplicationError(f"Choose a point on the scale from {SCALE_MIN} to {SCALE_MAX}.", field=field)
    return point


def _answers(questions: list[Question], raw: dict[int, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for question in questions:
        value = _clean_answer(question, raw.get(question.pk))
        if value is not None:
            cleaned[str(question.pk)] = value
    return cleaned


def response_save(
    *, actor: User, response: ConsultationResponse, answers: dict[int, Any], version: int
) -> ConsultationResponse:
    """Save the answers of a draft made on `version`. If a colleague saved it since, refuse and say,
    question by question, what they saved and what this person wrote."""
    with transaction.atomic():
        current = ConsultationResponse.objects.select_for_update().get(pk=response.pk)
        consultation = Consultation.objects.select_related("strategy__lead").get(pk=current.consultation_id)
        current.consultation = consultation
        _ensure_respondent(actor=actor, consultation=consultation, organisation=current.organisation)
        _ensure_consultation_open(consultation, doing="change the response")
        if current.status != ConsultationResponse.Status.DRAFT:
            raise ApplicationError("This response has been submitted, so it can no longer be changed.")
        questions = list(consultation.questions.order_by("order", "pk"))
        cleaned = _answers(questions, answers)
        if current.version != version:
            conflicts = [
                Conflict(
                    field=f"q_{q.pk}",
                    label=q.text,
                    theirs=q.answer_display(current.answers.get(str(q.pk))) or "(no answer)",
                    yours=q.answer_display(cleaned.get(str(q.pk))) or "(no answer)",
                )
                for q in questions
                if current.answers.get(str(q.pk)) != cleaned.get(str(q.pk))
            ]
            who = current.last_saved_by
            by = f" ({who}, {timezone.localtime(current.updated_at):%-d %B at %H:%M})" if who else ""
            raise StaleEditError(
                f"A colleague saved this response{by} while you were editing it. Your answers are below and "
                "have not been saved: check them against theirs, then save again.",
                conflicts=conflicts,
                current=current,
            )
        changed = sorted(
            {key for key in set(current.answers) | set(cleaned) if current.answers.get(key) != cleaned.get(key)}
        )
        current.answers = cleaned
        current.last_saved_by = actor
        current.version = F("version") + 1
        current.save(update_fields=["answers", "last_saved_by", "version", "updated_at"])
        current.refresh_from_db()
        audit_record(
            actor=actor,
            verb="response.saved",
            target=current,
            strategy=consultation.strategy,
            data={"questions": [int(k) for k in changed]},
        )
    return current


def response_submit(*, actor: User, response: ConsultationResponse) -> ConsultationResponse:
    """Submit a draft while the consultation is open, once every required question is answered."""
    with transaction.atomic():
        current = ConsultationResponse.objects.select_for_update().get(pk=response.pk)
        consultation = Consultation.objects.select_related("strategy__lead").get(pk=current.consultation_id)
        current.consultation = consultation
        _ensure_respondent(actor=actor, consultation=consultation, organisation=current.organisation)
        _ensure_consultation_open(consultation, doing="submit a response")
        if current.status != ConsultationResponse.Status.DRAFT:
            raise ApplicationError("This response has already been submitted.")
        questions = list(consultation.questions.order_by("order", "pk"))
        missing = [q for q in questions if q.required and str(q.pk) not in current.answers]
        if missing:
            numbers = [str(questions.index(q) + 1) for q in missing]
            raise ApplicationError(
                f"To submit the response, answer question{'s' if len(numbers) > 1 else ''} {_and(numbers)}.",
                field=f"q_{missing[0].pk}",
            )
        current.status = ConsultationResponse.Status.SUBMITTED
        current.submitted_at = timezone.now()
        current.submitted_by = actor
        current.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
        audit_record(actor=actor, verb="response.submitted", target=current, strategy=consultation.strategy)
        _response_receipt_queue(person=actor, response=current)
    return current


# Consultations: the officer's side of responses ---------------------------------------------------


def _officer_response(response: ConsultationResponse) -> ConsultationResponse:
    current = ConsultationResponse.objects.select_for_update().get(pk=response.pk)
    current.consultation = Consultation.objects.select_related("strategy").get(pk=current.consultation_id)
    if current.status == ConsultationResponse.Status.DRAFT:
        raise ApplicationError("This response is still a draft: the organisation has not submitted it.")
    if current.status == ConsultationResponse.Status.UNCONFIRMED:
        raise ApplicationError("This response has not been confirmed by the person who sent it.")
    return current


def response_code(
    *, actor: User, response: ConsultationResponse, themes: list[Theme], tags: list[str]
) -> ConsultationResponse:
    """Code a response with the themes the LEP reads in it and free tags (the strategy's vocabulary)."""
    _check_tags(tags, what="response")
    with transaction.atomic():
        current = _officer_response(response)
        strategy = current.consultation.strategy
        tag_objects = _tags_for(strategy, tags)
        current.coded_themes.set(themes)
        current.tags.set(tag_objects)
        current.coded_at = timezone.now()
        current.save(update_fields=["coded_at", "updated_at"])
        audit_record(
            actor=actor,
            verb="response.coded",
            target=current,
            strategy=strategy,
            data={"themes": sorted(t.slug for t in themes), "tags": [t.name for t in tag_objects]},
        )
    return current


def response_reply(*, actor: User, response: ConsultationResponse, reply: str) -> ConsultationResponse:
    """Publish the LEP's response ("you said, we did"); the organisation's people see it."""
    text = reply.strip()
    if not text:
        raise ApplicationError("Enter the LEP’s response.", field="response")
    with transaction.atomic():
        current = _officer_response(response)
        first = not current.reply
        current.reply = text
        current.replied_at = timezone.now()
        current.replied_by = actor
        _validate(current, exclude=["version"])
        current.save(update_fields=["reply", "replied_at", "replied_by", "updated_at"])
        audit_record(
            actor=actor,
            verb="response.replied" if first else "response.reply_changed",
            target=current,
            strategy=current.consultation.strategy,
        )
        _response_reply_email_queue(response=current)
    return current


def response_hide(*, actor: User, response: ConsultationResponse, reason: str) -> ConsultationResponse:
    """Hide a response from shared views and summaries, with a reason officers see; reversible."""
    text = reason.strip()
    if not text:
        raise ApplicationError("Enter the reason for hiding the response.", field="reason")
    with transaction.atomic():
        current = _officer_response(response)
        current.is_hidden = True
        current.hidden_reason = text
        current.hidden_at = timezone.now()
        _validate(current, exclude=["version"])
        current.save(update_fields=["is_hidden", "hidden_reason", "hidden_at", "updated_at"])
        audit_record(
            actor=actor,
            verb="response.hidden",
            target=current,
            strategy=current.consultation.strategy,
            data={"reason": text},
        )
    return current


def response_unhide(*, actor: User, response: ConsultationResponse) -> ConsultationResponse:
    with transaction.atomic():
        current = _officer_response(response)
        if not current.is_hidden:
            raise ApplicationError("This response is not hidden.")
        reason = current.hidden_reason
        current.is_hidden = False
        current.hidden_reason = ""
        current.hidden_at = None
        current.save(update_fields=["is_hidden", "hidden_reason", "hidden_at", "updated_at"])
        audit_record(
            actor=actor,
            verb="response.unhidden",
            target=current,
            strategy=current.consultation.strategy,
            data={"was_hidden_because": reason},
        )
    return current


def responses_exported(*, actor: User, consultation: Consultation, filters: dict[str, str]) -> None:
    """Record that an officer downloaded a consultation's responses."""
    audit_record(
        actor=actor,
        verb="consultation.responses_exported",
        target=consultation,
        strategy=consultation.strategy,
        data=filters,
    )


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
    _validate(proposition, exclude=["version"])


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
            verb="proposition.created",
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
        if current.version != version:
            conflicts = [
                Conflict(field=name, label=_label(Proposition, name), theirs=getattr(current, name), yours=values[name])
                for name in Proposition.CONTENT_FIELDS
                if getattr(current, name) != values[name]
            ] + [
                Conflict(
                    field=name,
                    label=_label(Proposition, name),
                    theirs=_relation_display(theirs[name]),
                    yours=_relation_display(relations[name]),
                )
                for name in Proposition.CONTENT_RELATIONS
                if not _same(theirs[name], relations[name])
            ]
            raise _stale_edit(current, noun="proposition", conflicts=conflicts)
        before = {name: getattr(current, name) for name in Proposition.CONTENT_FIELDS}
        for name, value in values.items():
            setattr(current, name, value)
        _check_proposition(proposition=current, relations=relations)
        _save_new_version(current)
        _set_proposition_relations(current, relations)
        changed = [name for name in Proposition.CONTENT_FIELDS if before[name] != values[name]] + [
            name for name in Proposition.CONTENT_RELATIONS if not _same(theirs[name], relations[name])
        ]
        audit_record(
            actor=actor, verb="proposition.updated", target=current, strategy=current.strategy, data={"fields": changed}
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
            verb="proposition.status_changed",
            target=current,
            strategy=current.strategy,
            data={"from": previous, "to": status},
        )
    return current


__all__ = [
    "Conflict",
    "PriorityData",
    "PropositionData",
    "StaleEditError",
    "call_create",
    "call_reminders_send",
    "call_update",
    "consultation_create",
    "consultation_update",
    "parse_tags",
    "priorities_exported",
    "priority_code",
    "priority_hide",
    "priority_respond",
    "priority_save_draft",
    "priority_submit",
    "priority_unhide",
    "priority_update",
    "priority_withdraw",
    "proposition_create",
    "proposition_set_status",
    "proposition_update",
    "question_add",
    "question_move",
    "question_remove",
    "response_code",
    "response_hide",
    "response_reply",
    "response_save",
    "response_start",
    "response_submit",
    "response_unhide",
    "responses_exported",
]


# Public responses, consultation emails and offline input (docs/adr/0041) ------------------------------

PUBLIC_CONFIRM_DAYS = 7
PUBLIC_LIMIT_PER_IP = 5  # stored public responses per hour from one address
PUBLIC_LIMIT_PER_EMAIL = 3  # stored public responses per hour for one email address
PUBLIC_LIMIT_WINDOW = timedelta(hours=1)


class RateLimited(ApplicationError):
    """Too many public responses from one address or for one email in the last hour."""

    def __init__(self, message: str, *, retry_at: datetime) -> None:
        super().__init__(message)
        self.retry_at = retry_at


def hash_ip(ip: str) -> str:
    """A keyed hash of the sender's address: enough to count, not enough to recover it."""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _response_receipt_queue(*, person: User, response: ConsultationResponse) -> None:
    """The submitting person's receipt for an organisation's response."""
    if not person.is_active or not person.email:
        return
    consultation = response.consultation
    body = render_to_string(
        "engagement/email/response_receipt.txt",
        {
            "person": person,
            "response": response,
            "consultation": consultation,
            "link": _link(response.get_absolute_url()),
        },
    )
    email_queue(to=person.email, subject=f"Response received: {consultation.title}"[:200], body=body)


def _response_reply_email_queue(*, response: ConsultationResponse) -> None:
    """Tell the respondent the LEP has replied: the person who submitted an organisation's response
    (its people see the reply in the portal), or the member of the public who confirmed theirs.
    Input an officer entered offline gets no email: nobody confirmed an address through the portal."""
    consultation = response.consultation
    context: dict[str, Any] = {"response": response, "consultation": consultation, "lead": consultation.strategy.lead}
    if response.channel:
        return
    if response.is_public:
        if response.confirmed_at is None or not response.respondent_email:
            return
        context["name"] = response.respondent_name or "member of the public"
        to = response.respondent_email
    else:
        person = response.submitted_by
        if person is None or not person.is_active:
            return
        context["name"] = person.name
        context["link"] = _link(response.get_absolute_url())
        to = person.email
    body = render_to_string("engagement/email/response_reply.txt", context)
    email_queue(to=to, subject=f"The LEP has responded: {consultation.title}"[:200], body=body)


@dataclass
class PublicRespondent:
    """Who a public response is from and how it may be credited."""

    name: str
    email: str
    may_publish: bool
    credit: str
    credit_organisation: str = ""


def _check_respondent(respondent: PublicRespondent, *, email_required: bool) -> PublicRespondent:
    name, email = respondent.name.strip(), respondent.email.strip().lower()
    credit_organisation = respondent.credit_organisation.strip()
    if email_required and not email:
        raise ApplicationError("Enter your email address, so we can confirm your response.", field="email")
    if respondent.credit not in PublicCredit.values:
        raise ApplicationError("Choose how we should credit your response.", field="credit")
    if respondent.credit == PublicCredit.NAME and not name:
        raise ApplicationError("Enter your name, or choose another way to credit your response.", field="name")
    if respondent.credit == PublicCredit.ORGANISATION and not credit_organisation:
        raise ApplicationError("Enter the name of the organisation to credit.", field="credit_organisation")
    if respondent.credit != PublicCredit.ORGANISATION:
        credit_organisation = ""
    return PublicRespondent(name, email, respondent.may_publish, respondent.credit, credit_organisation)


def _missing_required(questions: list[Question], answers: dict[str, Any], *, doing: str) -> None:
    missing = [q for q in questions if q.required and str(q.pk) not in answers]
    if missing:
        numbers = [str(questions.index(q) + 1) for q in missing]
        raise ApplicationError(
            f"To {doing}, answer question{'s' if len(numbers) > 1 else ''} {_and(numbers)}.",
            field=f"q_{missing[0].pk}",
        )


def _check_rate(*, ip_hash: str, email: str, now: datetime) -> None:
    since = now - PUBLIC_LIMIT_WINDOW
    recent = ConsultationResponse.objects.filter(organisation__isnull=True, channel="", created_at__gte=since)
    for rows, limit in (
        (recent.filter(ip_hash=ip_hash), PUBLIC_LIMIT_PER_IP),
        (recent.filter(respondent_email=email), PUBLIC_LIMIT_PER_EMAIL),
    ):
        times = list(rows.order_by("-created_at").values_list("created_at", flat=True)[:limit])
        if len(times) >= limit:
            retry_at = times[-1] + PUBLIC_LIMIT_WINDOW
            raise RateLimited(
                f"You have sent several responses in the last hour. Please try again after {_when(retry_at)}.",
                retry_at=retry_at,
            )


def public_response_submit(
    *,
    consultation: Consultation,
    answers: dict[int, Any],
    respondent: PublicRespondent,
    ip: str,
    confirm_url: str,
) -> ConsultationResponse:
    """Store a member of the public's response, unconfirmed, and email them a link that confirms it.

    `confirm_url` is the absolute address of the confirm page with `{token}` where the token goes;
    only the token's hash is stored. Refused after the close, or over the hourly limits."""
    now = timezone.now()
    with transaction.atomic():
        current = Consultation.objects.select_related("strategy__lead").get(pk=consultation.pk)
        if current.audience != Consultation.Audience.PUBLIC:
            raise ApplicationError("This consultation is not open to the public.")
        _ensure_consultation_open(current, doing="respond")
        respondent = _check_respondent(respondent, email_required=True)
        questions = list(current.questions.order_by("order", "pk"))
        cleaned = _answers(questions, answers)
        _missing_required(questions, cleaned, doing="send your response")
        ip_hash = hash_ip(ip)
        _check_rate(ip_hash=ip_hash, email=respondent.email, now=now)
        token = secrets.token_urlsafe(32)
        response = ConsultationResponse(
            consultation=current,
            answers=cleaned,
            status=ConsultationResponse.Status.UNCONFIRMED,
            submitted_at=now,
            respondent_name=respondent.name,
            respondent_email=respondent.email,
            may_publish=respondent.may_publish,
            credit=respondent.credit,
            credit_organisation=respondent.credit_organisation,
            ip_hash=ip_hash,
            token_hash=hash_token(token),
            confirm_by=now + timedelta(days=PUBLIC_CONFIRM_DAYS),
        )
        _validate(response, exclude=["version"])
        response.save()
        audit_record(actor=None, verb="response.public_received", target=response, strategy=current.strategy)
        body = render_to_string(
            "engagement/email/public_response_confirm.txt",
            {
                "response": response,
                "consultation": current,
                "link": confirm_url.replace("{token}", token),
                "confirm_by": _when(response.confirm_by or now),
            },
        )
        email_queue(to=respondent.email, subject=f"Confirm your response: {current.title}"[:200], body=body)
    return response


def public_response_for_token(*, strategy: Strategy, token: str) -> ConsultationResponse | None:
    """The public response of `strategy` a confirmation token belongs to, if any."""
    if not token or len(token) > 100:
        return None
    return (
        ConsultationResponse.objects.select_related("consultation__strategy__lead")
        .filter(token_hash=hash_token(token), consultation__strategy=strategy, organisation__isnull=True)
        .first()
    )


def public_response_confirm(*, strategy: Strategy, token: str) -> ConsultationResponse:
    """Confirm a public response with the token emailed to its sender: it then counts for officers.
    A response sent before the close may be confirmed after it, within the seven days."""
    with transaction.atomic():
        found = public_response_for_token(strategy=strategy, token=token)
        if found is None:
            raise ApplicationError(
                "This confirmation link is not valid. It may have been used already, or mistyped: "
                "check the link in your email."
            )
        current = ConsultationResponse.objects.select_for_update().get(pk=found.pk)
        current.consultation = found.consultation
        if current.status == ConsultationResponse.Status.SUBMITTED:
            return current
        if current.confirm_by is None or current.confirm_by <= timezone.now():
            raise ApplicationError(
                f"This confirmation link expired after {PUBLIC_CONFIRM_DAYS} days, so the response was not kept. "
                "If the consultation is still open, you can respond again."
            )
        current.status = ConsultationResponse.Status.SUBMITTED
        current.confirmed_at = timezone.now()
        current.confirm_by = None
        current.token_hash = ""
        current.save(update_fields=["status", "confirmed_at", "confirm_by", "token_hash", "updated_at"])
        audit_record(
            actor=None, verb="response.public_confirmed", target=current, strategy=current.consultation.strategy
        )
    return current


def public_responses_purge(*, now: datetime | None = None) -> int:
    """Delete public responses left unconfirmed past their expiry; one audit event per consultation."""
    now = now or timezone.now()
    expired = ConsultationResponse.objects.filter(
        status=ConsultationResponse.Status.UNCONFIRMED, confirm_by__lte=now
    ).select_related("consultation__strategy")
    by_consultation: dict[int, list[ConsultationResponse]] = {}
    for response in expired:
        by_consultation.setdefault(response.consultation_id, []).append(response)
    purged = 0
    for responses in by_consultation.values():
        with transaction.atomic():
            consultation = responses[0].consultation
            count, _ = ConsultationResponse.objects.filter(
                pk__in=[r.pk for r in responses], status=ConsultationResponse.Status.UNCONFIRMED
            ).delete()
            if count:
                audit_record(
                    actor=None,
                    verb="consultation.unconfirmed_purged",
                    target=consultation,
                    strategy=consultation.strategy,
                    data={"responses": count},
                )
            purged += count
    return purged


@dataclass
class OfflineInput:
    """Who an officer enters a response for, and where it came from."""

    channel: str
    received_on: date
    organisation: Organisation | None = None
    respondent: PublicRespondent | None = None


def response_enter_offline(
    *, actor: User, consultation: Consultation, source: OfflineInput, answers: dict[int, Any]
) -> ConsultationResponse:
    """An officer enters a response from a workshop, paper form, email or call on someone's behalf:
    an organisation the consultation is addressed to, or a named member of the public (for a
    consultation open to the public). Stored submitted and marked as entered by the officer."""
    if source.channel not in Channel.values:
        raise ApplicationError("Choose where the response came from.", field="channel")
    if source.received_on > timezone.localdate():
        raise ApplicationError("The date received cannot be in the future.", field="received_on")
    with transaction.atomic():
        current = Consultation.objects.select_related("strategy__lead").get(pk=consultation.pk)
        if source.received_on < timezone.localtime(current.opens_at).date():
            raise ApplicationError("The date received cannot be before the consultation opened.", field="received_on")
        questions = list(current.questions.order_by("order", "pk"))
        cleaned = _answers(questions, answers)
        _missing_required(questions, cleaned, doing="enter the response")
        now = timezone.now()
        response = ConsultationResponse(
            consultation=current,
            answers=cleaned,
            status=ConsultationResponse.Status.SUBMITTED,
            submitted_at=now,
            submitted_by=actor,
            started_by=actor,
            last_saved_by=actor,
            entered_by=actor,
            channel=source.channel,
            received_on=source.received_on,
        )
        if source.organisation is not None:
            allowed = organisation_list_for_consultation(consultation=current)
            if source.organisation.pk not in {o.pk for o in allowed}:
                raise ApplicationError(
                    "Choose an organisation of the strategy this consultation is addressed to.", field="organisation"
                )
            if ConsultationResponse.objects.filter(consultation=current, organisation=source.organisation).exists():
                raise ApplicationError(
                    f"{source.organisation} already has a response to this consultation (perhaps a draft its "
                    "people started): an organisation responds once.",
                    field="organisation",
                )
            response.organisation = source.organisation
        else:
            if current.audience != Consultation.Audience.PUBLIC:
                raise ApplicationError(
                    "Only a consultation open to the public takes responses from members of the public.",
                    field="organisation",
                )
            if source.respondent is None or not source.respondent.name.strip():
                raise ApplicationError("Enter the name of the person the response is from.", field="name")
            respondent = _check_respondent(source.respondent, email_required=False)
            response.respondent_name = respondent.name
            response.respondent_email = respondent.email
            response.may_publish = respondent.may_publish
            response.credit = respondent.credit
            response.credit_organisation = respondent.credit_organisation
        _validate(response, exclude=["version"])
        try:
            with transaction.atomic():
                response.save()
        except IntegrityError as error:
            raise ApplicationError(
                "That organisation already has a response to this consultation.", field="organisation"
            ) from error
        audit_record(
            actor=actor,
            verb="response.entered_offline",
            target=response,
            strategy=current.strategy,
            data={"channel": source.channel, "received_on": source.received_on.isoformat()},
        )
    return response


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
        _validate(priority)
        priority.save()
        _set_relations(priority, relations)
        audit_record(
            actor=actor,
            verb="priority.entered_offline",
            target=priority,
            strategy=call.strategy,
            data={"channel": channel, "received_on": received_on.isoformat()},
        )
    return priority


# Events, the stakeholder register and the engagement plan -----------------------------------------

FEEDBACK_DAYS_MAX = 90
FEEDBACK_QUESTIONS: tuple[tuple[str, str, bool], ...] = (
    (Question.Kind.SCALE, "How useful was the event to you, from 1 (not at all) to 5 (very)?", True),
    (Question.Kind.TEXT, "What should the strategy prioritise?", True),
    (Question.Kind.TEXT, "Anything else you would like to tell us?", False),
)


def _of_strategy(strategy: Strategy) -> set[int]:
    return set(organisation_list_for_strategy(strategy=strategy).values_list("pk", flat=True))


def _display(field: str, value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, datetime):
        return _when(value)
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, list):
        return _relation_display(value)
    return str(value)


@dataclass
class EventData:
    kind: str
    title: str
    starts_at: datetime
    place: str
    organiser: Organisation
    theme: Theme | None = None
    attending: list[Organisation] | None = None
    notes: str = ""
    internal_notes: str = ""
    phase: Phase | None = None
    planned_activity: PlannedActivity | None = None

    def values(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title.strip(),
            "theme": self.theme if self.kind == Event.Kind.WORKSHOP or self.theme else None,
            "starts_at": self.starts_at,
            "place": self.place.strip(),
            "organiser": self.organiser,
            "notes": self.notes.strip(),
            "internal_notes": self.internal_notes.strip(),
            "phase": self.phase,
            "planned_activity": self.planned_activity,
        }


def _check_event(*, event: Event, attending: list[Organisation]) -> None:
    strategy = event.strategy
    organisations = _of_strategy(strategy)
    if event.organiser_id not in organisations:
        raise ApplicationError(f"Choose an organiser among the organisations of {strategy}.", field="organiser")
    outside = [o.name for o in attending if o.pk not in organisations]
    if outside:
        raise ApplicationError(
            f"“{_and(outside)}” does not take part in {strategy}. Choose attending organisations from the list.",
            field="attending",
        )
    if event.phase is not None and event.phase.strategy_id != strategy.pk:
        raise ApplicationError("Choose a phase of this strategy.", field="phase")
    if event.planned_activity is not None and event.planned_activity.strategy_id != strategy.pk:
        raise ApplicationError("Choose a planned activity of this strategy’s plan.", field="planned_activity")
    if not event.place:
        raise ApplicationError("Enter where the event takes place, or “online”.", field="place")
    _validate(event, exclude=["version"])


def event_create(*, actor: User, strategy: Strategy, data: EventData) -> Event:
    with transaction.atomic():
        event = Event(strategy=strategy, created_by=actor, **data.values())
        attending = list(data.attending or [])
        _check_event(event=event, attending=attending)
        event.save()
        event.attending.set(attending)
        audit_record(actor=actor, verb="event.created", target=event, strategy=strategy)
    return event


def event_update(*, actor: User, event: Event, data: EventData, version: int) -> Event:
    """Save an edit made on `version`; if someone saved the event since, refuse and say what changed."""
    values = data.values()
    attending = list(data.attending or [])
    with transaction.atomic():
        current = Event.objects.select_for_update().select_related("strategy").get(pk=event.pk)
        theirs_attending = list(current.attending.order_by("name"))
        if current.version != version:
            saved = {name: getattr(current, name) for name in values}
            saved["attending"] = theirs_attending
            yours = dict(values)
            yours["attending"] = sorted(attending, key=lambda o: o.name)
            conflicts = conflicts_between(
                saved=saved,
                yours=yours,
                label=lambda name: "Organisations attending" if name == "attending" else _label(Event, name),
                display=_display,
            )
            raise _stale_edit(current, noun="event", conflicts=conflicts)
        if current.cancelled_at is not None:
            raise ApplicationError("The event is cancelled, so it can no longer change.")
        before = {name: getattr(current, name) for name in values}
        for name, value in values.items():
            setattr(current, name, value)
        _check_event(event=current, attending=attending)
        _save_new_version(current)
        current.attending.set(attending)
        changed = [name for name in values if before[name] != values[name]]
        if not _same(theirs_attending, attending):
            changed.append("attending")
        audit_record(
            actor=actor, verb="event.updated", target=current, strategy=current.strategy, data={"fields": changed}
        )
    return current


def event_cancel(*, actor: User, event: Event, reason: str) -> Event:
    reason = reason.strip()
    if not reason:
        raise ApplicationError("Enter why the event is cancelled.", field="reason")
    with transaction.atomic():
        current = Event.objects.select_for_update().select_related("strategy").get(pk=event.pk)
        if current.cancelled_at is not None:
            raise ApplicationError("The event is already cancelled.")
        current.cancelled_at = timezone.now()
        current.cancelled_reason = reason
        _validate(current, exclude=["version"])
        current.save(update_fields=["cancelled_at", "cancelled_reason", "updated_at"])
        audit_record(
            actor=actor, verb="event.cancelled", target=current, strategy=current.strategy, data={"reason": reason}
        )
    return current


def event_feedback_attach(
    *,
    actor: User,
    event: Event,
    audience: str,
    days: int,
    questions: list[str],
    phase: Phase | None = None,
    now: datetime | None = None,
) -> Consultation:
    """Attach a feedback template: a short consultation open from the event to `days` after it, with
    the default questions (a 1–5 scale, then free text) in the texts the officer gave; a question
    left blank is dropped. Made through the consultation services, so it behaves like any other."""
    now = now or timezone.now()
    if not 1 <= days <= FEEDBACK_DAYS_MAX:
        raise ApplicationError(f"Keep feedback open for between 1 and {FEEDBACK_DAYS_MAX} days.", field="days")
    texts = [
        (kind, text.strip(), required) for (kind, _, required), text in zip(FEEDBACK_QUESTIONS, questions, strict=False)
    ]
    texts = [t for t in texts if t[1]]
    if not texts:
        raise ApplicationError("Keep at least one question.", field="question_1")
    with transaction.atomic():
        current = Event.objects.select_for_update(of=("self",)).select_related("strategy", "phase").get(pk=event.pk)
        strategy = current.strategy
        if current.cancelled_at is not None:
            raise ApplicationError("The event is cancelled: there is no feedback to gather.")
        if current.feedback_id is not None:
            raise ApplicationError("The event already has its feedback template.")
        chosen = phase or current.phase
        if chosen is None:
            raise ApplicationError("Choose the phase the feedback serves.", field="phase")
        closes_at = current.starts_at + timedelta(days=days)
        if closes_at <= now:
            raise ApplicationError(
                f"Feedback open for {days} days after the event would already be closed. Give more days.",
                field="days",
            )
        consultation = consultation_create(
            actor=actor,
            strategy=strategy,
            data={
                "title": f"Feedback: {current.title}"[:200],
                "description": f"Tell us what you thought of “{current.title}” "
                f"({timezone.localtime(current.starts_at):%-d %B %Y}, {current.place}).",
                "audience": audience,
                "phase": chosen,
                "opens_at": current.starts_at,
                "closes_at": closes_at,
            },
        )
        for kind, text, required in texts:
            question_add(actor=actor, consultation=consultation, kind=kind, text=text, required=required)
        current.feedback = consultation
        current.save(update_fields=["feedback", "updated_at"])
        audit_record(
            actor=actor,
            verb="event.feedback_attached",
            target=current,
            strategy=strategy,
            data={"consultation": consultation.pk},
        )
    return consultation


# The stakeholder register ------------------------------------------------------------------------

CONTACT_FIELDS = Contact.CONTENT_FIELDS


def _check_contact(contact: Contact) -> None:
    if contact.organisation_id is not None and contact.organisation_id not in _of_strategy(contact.strategy):
        raise ApplicationError(f"Choose an organisation of {contact.strategy}, or none.", field="organisation")
    if not contact.basis.strip():
        raise ApplicationError(
            "Enter the consent or other basis on which the portal holds this person’s details.", field="basis"
        )
    _validate(contact, exclude=["version"])


def contact_create(*, actor: User, strategy: Strategy, data: dict[str, Any]) -> Contact:
    with transaction.atomic():
        contact = Contact(
            strategy=strategy,
            created_by=actor,
            **_stripped(data, CONTACT_FIELDS),
        )
        _check_contact(contact)
        contact.save()
        # The audit's data holds no personal details; its label (the name) is cleared on removal.
        audit_record(actor=actor, verb="contact.created", target=contact, strategy=strategy)
    return contact


def contact_update(*, actor: User, contact: Contact, data: dict[str, Any], version: int) -> Contact:
    values = _stripped(data, CONTACT_FIELDS)
    with transaction.atomic():
        current = (
            Contact.objects.select_for_update(of=("self",))
            .select_related("strategy", "organisation")
            .get(pk=contact.pk)
        )
        changed = _fields_update(
            current,
            noun="contact",
            version=version,
            fields=CONTACT_FIELDS,
            values=values,
            display=_display,
            check=_check_contact,
        )
        audit_record(
            actor=actor,
            verb="contact.updated",
            target=current,
            strategy=current.strategy,
            data={"fields": list(changed)},
        )
    return current


def contact_remove(*, actor: User, contact: Contact) -> None:
    """Remove a contact's personal details. Their log entries stay, credited to their organisation."""
    with transaction.atomic():
        current = Contact.objects.select_for_update().select_related("strategy").get(pk=contact.pk)
        if current.organisation_id is not None:
            current.entries.filter(organisation__isnull=True).update(organisation_id=current.organisation_id)
        pk, strategy = current.pk, current.strategy
        # The audit trail keeps that a contact was held and removed, not who they were.
        AuditEvent.objects.filter(
            target_type__app_label="engagement", target_type__model="contact", target_id=str(pk)
        ).update(target_repr=f"Contact {pk} (removed)")
        audit_record(actor=actor, verb="contact.removed", target=current, strategy=strategy, data={"contact": pk})
        AuditEvent.objects.filter(verb="contact.removed", target_id=str(pk), target_type__model="contact").update(
            target_repr=f"Contact {pk} (removed)"
        )
        current.delete()


@dataclass
class EntryData:
    happened_on: date
    method: str
    about: str
    contact: Contact | None = None
    organisation: Organisation | None = None
    theme: Theme | None = None
    event: Event | None = None
    planned_activity: PlannedActivity | None = None


def entry_create(*, actor: User, strategy: Strategy, data: EntryData, today: date | None = None) -> EngagementEntry:
    """Log an engagement: who (a contact, an organisation or both), when, how, about what."""
    today = today or timezone.localdate()
    if data.contact is None and data.organisation is None:
        raise ApplicationError("Choose the contact or the organisation the engagement was with.", field="contact")
    if data.contact is not None and data.contact.strategy_id != strategy.pk:
        raise ApplicationError("Choose a contact of this strategy’s register.", field="contact")
    if data.organisation is not None and data.organisation.pk not in _of_strategy(strategy):
        raise ApplicationError(f"Choose an organisation of {strategy}.", field="organisation")
    if data.event is not None and data.event.strategy_id != strategy.pk:
        raise ApplicationError("Choose an event of this strategy.", field="event")
    if data.planned_activity is not None and data.planned_activity.strategy_id != strategy.pk:
        raise ApplicationError("Choose a planned activity of this strategy’s plan.", field="planned_activity")
    if data.happened_on > today:
        raise ApplicationError(
            "The log records what has happened: give today’s date or an earlier one.", field="happened_on"
        )
    with transaction.atomic():
        entry = EngagementEntry(
            strategy=strategy,
            contact=data.contact,
            organisation=data.organisation or (data.contact.organisation if data.contact else None),
            happened_on=data.happened_on,
            method=data.method,
            about=data.about.strip(),
            theme=data.theme,
            event=data.event,
            planned_activity=data.planned_activity,
            logged_by=actor,
        )
        _validate(entry)
        entry.save()
        audit_record(actor=actor, verb="engagement.logged", target=entry, strategy=strategy)
    return entry


# The communications and engagement plan -----------------------------------------------------------

ACTIVITY_FIELDS = PlannedActivity.CONTENT_FIELDS


def _check_activity(activity: PlannedActivity) -> None:
    if (
        activity.owner is not None
        and not officer_list_for_strategy(strategy=activity.strategy).filter(pk=activity.owner.pk).exists()
    ):
        raise ApplicationError(f"Choose an officer of {activity.strategy.lead} as the owner.", field="owner")
    _validate(activity, exclude=["version"])


def activity_create(*, actor: User, strategy: Strategy, data: dict[str, Any]) -> PlannedActivity:
    with transaction.atomic():
        activity = PlannedActivity(
            strategy=strategy,
            created_by=actor,
            **_stripped(data, ACTIVITY_FIELDS),
        )
        _check_activity(activity)
        activity.save()
        audit_record(actor=actor, verb="activity.created", target=activity, strategy=strategy)
    return activity


def activity_update(*, actor: User, activity: PlannedActivity, data: dict[str, Any], version: int) -> PlannedActivity:
    values = _stripped(data, ACTIVITY_FIELDS)
    with transaction.atomic():
        current = (
            PlannedActivity.objects.select_for_update(of=("self",))
            .select_related("strategy", "owner")
            .get(pk=activity.pk)
        )
        changed = _fields_update(
            current,
            noun="activity",
            version=version,
            fields=ACTIVITY_FIELDS,
            values=values,
            display=_display,
            check=_check_activity,
        )
        changes = {name: [_display(name, old), _display(name, new)] for name, (old, new) in changed.items()}
        audit_record(
            actor=actor, verb="activity.updated", target=current, strategy=current.strategy, data={"changes": changes}
        )
    return current


__all__ += [
    "EntryData",
    "EventData",
    "activity_create",
    "activity_update",
    "contact_create",
    "contact_remove",
    "contact_update",
    "entry_create",
    "event_cancel",
    "event_create",
    "event_feedback_attach",
    "event_update",
]


# Updates -----------------------------------------------------------------------------------------------
#
# Subscriptions are double opt-in: a request stores a pending row and emails a link whose token is
# stored hashed and expires; confirming it activates the row. A request never says whether the address
# was already subscribed. Every update email carries a signed one-click unsubscribe link (RFC 8058).
# An update is sent by a Celery task that claims the row with a conditional update and writes one
# UpdateDelivery per address (unique per update and subscription), in batches.


SUBSCRIPTION_TOKEN_VALID = timedelta(days=7)
SUBSCRIPTION_RESEND_AFTER = timedelta(minutes=1)
UNSUBSCRIBE_SALT = "engagement.unsubscribe"
UPDATE_BATCH_SIZE = 100


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def subscription_request(*, strategy: Strategy, email: str) -> None:
    """Ask to receive the strategy's updates at `email`. A new, pending or unsubscribed address gets a
    confirmation email (at most one a minute); a confirmed one gets nothing. The caller learns nothing
    either way, so the form cannot be used to find out who subscribes."""
    address = User.objects.normalize_email(email.strip()).lower()
    probe = Subscription(strategy=strategy, email=address)
    _validate(probe, exclude=["strategy"])
    now = timezone.now()
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(strategy=strategy, email__iexact=address).first()
        if subscription is None:
            try:
                with transaction.atomic():
                    subscription = Subscription.objects.create(strategy=strategy, email=address)
            except IntegrityError:  # another request for the same address won the race
                subscription = Subscription.objects.select_for_update().get(strategy=strategy, email__iexact=address)
        if subscription.status == Subscription.Status.CONFIRMED:
            return
        if subscription.token_sent_at and now - subscription.token_sent_at < SUBSCRIPTION_RESEND_AFTER:
            return
        token = secrets.token_urlsafe(32)
        subscription.status = Subscription.Status.PENDING
        subscription.token_hash = _token_hash(token)
        subscription.token_expires_at = now + SUBSCRIPTION_TOKEN_VALID
        subscription.token_sent_at = now
        subscription.save(update_fields=["status", "token_hash", "token_expires_at", "token_sent_at"])
        # The audit names the row, never the address: an erasure deletes the row, and the trail keeps nothing.
        audit_record(
            actor=None, verb="subscription.requested", strategy=strategy, data={"subscription": subscription.pk}
        )
        path = reverse("engagement:subscription-confirm", kwargs={"strategy_slug": strategy.slug, "token": token})
        body = render_to_string(
            "engagement/email/subscription_confirm.txt",
            {"strategy": strategy, "link": _link(path), "expires": _when(subscription.token_expires_at)},
        )
        email_queue(to=address, subject=f"Confirm you want updates on {strategy.name}"[:200], body=body)


def subscription_for_confirm_token(*, strategy: Strategy, token: str) -> Subscription:
    """The pending subscription a confirmation link names, if it can still be used."""
    subscription = Subscription.objects.filter(strategy=strategy, token_hash=_token_hash(token)).first()
    if subscription is None or subscription.status != Subscription.Status.PENDING:
        raise ApplicationError(
            "This confirmation link is not valid, or has already been used. "
            "Check you copied the whole link from the email, or subscribe again."
        )
    if subscription.token_expires_at is None or timezone.now() >= subscription.token_expires_at:
        raise ApplicationError("This confirmation link has expired. Subscribe again to get a new one.")
    return subscription


def subscription_confirm(*, strategy: Strategy, token: str) -> Subscription:
    """Confirm a pending subscription with its emailed token (once)."""
    with transaction.atomic():
        found = subscription_for_confirm_token(strategy=strategy, token=token)
        subscription = Subscription.objects.select_for_update().get(pk=found.pk)
        if subscription.status != Subscription.Status.PENDING or subscription.token_hash != _token_hash(token):
            raise ApplicationError("This confirmation link has already been used.")
        subscription.status = Subscription.Status.CONFIRMED
        subscription.confirmed_at = timezone.now()
        subscription.unsubscribed_at = None
        subscription.token_hash = ""
        subscription.token_expires_at = None
        subscription.save(update_fields=["status", "confirmed_at", "unsubscribed_at", "token_hash", "token_expires_at"])
        audit_record(
            actor=None, verb="subscription.confirmed", strategy=strategy, data={"subscription": subscription.pk}
        )
    return subscription


def subscription_unsubscribe_token(subscription: Subscription) -> str:
    """A signed token naming the subscription, for its one-click unsubscribe link. It does not expire:
    an old email's link must still work."""
    return signing.dumps({"s": subscription.pk, "t": subscription.strategy_id}, salt=UNSUBSCRIBE_SALT)


def subscription_for_unsubscribe_token(*, strategy: Strategy, token: str) -> Subscription:
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise ApplicationError(
            "This unsubscribe link is not valid. Check you copied the whole link from the email."
        ) from error
    pk = value.get("s") if isinstance(value, dict) else None
    if not isinstance(pk, int) or value.get("t") != strategy.pk:
        raise ApplicationError("This unsubscribe link is not valid. Check you copied the whole link from the email.")
    subscription = Subscription.objects.filter(pk=pk, strategy=strategy).first()
    if subscription is None:
        raise ApplicationError("This unsubscribe link is not valid, or the subscription no longer exists.")
    return subscription


def subscription_unsubscribe(*, strategy: Strategy, token: str) -> Subscription:
    """Unsubscribe the address a signed link names. Doing it twice is harmless."""
    with transaction.atomic():
        found = subscription_for_unsubscribe_token(strategy=strategy, token=token)
        subscription = Subscription.objects.select_for_update().get(pk=found.pk)
        if subscription.status != Subscription.Status.UNSUBSCRIBED:
            subscription.status = Subscription.Status.UNSUBSCRIBED
            subscription.unsubscribed_at = timezone.now()
            subscription.token_hash = ""
            subscription.token_expires_at = None
            subscription.save(update_fields=["status", "unsubscribed_at", "token_hash", "token_expires_at"])
            audit_record(
                actor=None, verb="subscription.unsubscribed", strategy=strategy, data={"subscription": subscription.pk}
            )
    return subscription


def _check_update_text(subject: str, body: str) -> tuple[str, str]:
    subject, body = subject.strip(), body.strip()
    if not subject:
        raise ApplicationError("Enter the subject of the update.", field="subject")
    if not body:
        raise ApplicationError("Enter the text of the update.", field="body")
    return subject, body


def update_create(*, actor: User, strategy: Strategy, subject: str, body: str) -> Update:
    """Save a draft update for the strategy's subscribers."""
    subject, body = _check_update_text(subject, body)
    with transaction.atomic():
        update = Update(strategy=strategy, subject=subject, body=body, created_by=actor)
        _validate(update, exclude=["strategy", "created_by", "sent_by"])
        update.save()
        audit_record(actor=actor, verb="update.created", target=update, strategy=strategy)
    return update


def update_edit(*, actor: User, update: Update, subject: str, body: str, version: int) -> Update:
    """Save an edit of a draft made on `version`; if someone saved it since, refuse and say what changed."""
    subject, body = _check_update_text(subject, body)
    with transaction.atomic():
        current = Update.objects.select_for_update().select_related("strategy").get(pk=update.pk)
        if current.status != Update.Status.DRAFT:
            raise ApplicationError("This update has been sent: it can no longer be changed.")
        if current.version != version:
            conflicts = conflicts_between(
                saved={"subject": current.subject, "body": current.body},
                yours={"subject": subject, "body": body},
                label=lambda name: _label(Update, name),
                display=lambda name, value: str(value),
            )
            raise _stale_edit(current, noun="update", conflicts=conflicts)
        current.subject, current.body = subject, body
        _validate(current, exclude=["strategy", "created_by", "sent_by", "version"])
        _save_new_version(current)
        audit_record(actor=actor, verb="update.edited", target=current, strategy=current.strategy)
    return current


def update_send(*, actor: User, update: Update) -> Update:
    """Queue a draft update for sending to every confirmed subscriber; a Celery task sends it in
    batches once this transaction commits. Sending twice is refused."""
    from .tasks import update_deliver as update_deliver_task

    with transaction.atomic():
        current = Update.objects.select_for_update().select_related("strategy").get(pk=update.pk)
        if current.status != Update.Status.DRAFT:
            raise ApplicationError(f"This update is already {current.get_status_display().lower()}.")
        confirmed = Subscription.objects.filter(strategy=current.strategy, status=Subscription.Status.CONFIRMED).count()
        if not confirmed:
            raise ApplicationError("No one has confirmed a subscription yet, so there is no one to send it to.")
        now = timezone.now()
        current.status = Update.Status.QUEUED
        current.recipients = confirmed
        current.queued_at = now
        current.sent_by = actor
        current.save(update_fields=["status", "recipients", "queued_at", "sent_by", "updated_at"])
        audit_record(
            actor=actor,
            verb="update.send_requested",
            target=current,
            strategy=current.strategy,
            data={"confirmed": confirmed},
        )
        update_id = current.pk
        transaction.on_commit(lambda: update_deliver_task.delay(update_id))
    return current


def _update_email_body(update: Update, subscription: Subscription, unsubscribe: str) -> str:
    return render_to_string(
        "engagement/email/update.txt",
        {
            "update": update,
            "strategy": update.strategy,
            "unsubscribe": unsubscribe,
            "archive": _link(reverse("engagement:update-archive", kwargs={"strategy_slug": update.strategy.slug})),
        },
    )


def _update_send_batch(update: Update, *, batch_size: int) -> int:
    """Queue one email to each of the next `batch_size` confirmed subscribers the update has not
    reached, with their delivery rows, in one transaction. Returns how many."""
    with transaction.atomic():
        batch = list(
            Subscription.objects.filter(strategy=update.strategy_id, status=Subscription.Status.CONFIRMED)
            .exclude(deliveries__update=update)
            .order_by("pk")[:batch_size]
        )
        for subscription in batch:
            path = reverse(
                "engagement:subscription-unsubscribe",
                kwargs={"strategy_slug": update.strategy.slug, "token": subscription_unsubscribe_token(subscription)},
            )
            unsubscribe = _link(path)
            email = email_queue(
                to=subscription.email,
                subject=update.subject,
                body=_update_email_body(update, subscription, unsubscribe),
                headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
            )
            # The unique (update, subscription) pair: a second sender fails here and rolls the batch back.
            UpdateDelivery.objects.create(update=update, subscription=subscription, email=email)
    return len(batch)


def update_deliver(*, update_id: int, batch_size: int = UPDATE_BATCH_SIZE) -> str:
    """Claim a queued update with a conditional update (so two workers never both send it) and send
    it in batches to the confirmed subscribers it has not reached yet. A re-run after a crash picks
    up where the last batch committed; a re-run after it is sent does nothing."""
    now = timezone.now()
    claimed = Update.objects.filter(pk=update_id, status=Update.Status.QUEUED, attempts__lt=Update.MAX_ATTEMPTS).update(
        status=Update.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
    )
    if not claimed:
        return "skipped"
    update = Update.objects.select_related("strategy").get(pk=update_id)
    try:
        while _update_send_batch(update, batch_size=batch_size):
            Update.objects.filter(pk=update_id).update(claimed_at=timezone.now())
    except Exception as error:
        final = update.attempts >= Update.MAX_ATTEMPTS
        Update.objects.filter(pk=update_id).update(
            status=Update.Status.FAILED if final else Update.Status.QUEUED,
            last_error=f"{type(error).__name__}: {error}",
        )
        raise
    delivered = UpdateDelivery.objects.filter(update_id=update_id).count()
    with transaction.atomic():
        Update.objects.filter(pk=update_id).update(
            status=Update.Status.SENT, sent_at=timezone.now(), recipients=delivered, last_error=""
        )
        audit_record(
            actor=None, verb="update.sent", target=update, strategy=update.strategy, data={"deliveries": delivered}
        )
    return "sent"


def update_requeue_stale(*, older_than: timedelta) -> int:
    """Send again the updates whose message was lost: queued or claimed too long ago. Those that have
    used their attempts are marked failed instead."""
    from .tasks import update_deliver as update_deliver_task

    cutoff = timezone.now() - older_than
    stale = Q(status=Update.Status.QUEUED, queued_at__lt=cutoff) | Q(
        status=Update.Status.SENDING, claimed_at__lt=cutoff
    )
    Update.objects.filter(stale, attempts__gte=Update.MAX_ATTEMPTS).update(
        status=Update.Status.FAILED, last_error="Gave up after three attempts."
    )
    ids = list(Update.objects.filter(stale).values_list("pk", flat=True))
    Update.objects.filter(pk__in=ids, status=Update.Status.SENDING).update(status=Update.Status.QUEUED)
    for update_id in ids:
        update_deliver_task.delay(update_id)
    return len(ids)


__all__ += [
    "subscription_confirm",
    "subscription_request",
    "subscription_unsubscribe",
    "update_create",
    "update_deliver",
    "update_edit",
    "update_requeue_stale",
    "update_send",
]


# Optimistic locking: what the update services share ----------------------------------------------


def _stripped(data: dict[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """The values of `fields` in `data`, text without its surrounding white space."""
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in fields}


def _stale_edit(current: Any, *, noun: str, conflicts: list[Conflict]) -> StaleEditError:
    """The refusal of a save made on an old version of `current`: who saved it since, what changed."""
    editor = _last_editor(current._meta.model_name, current.pk)
    return StaleEditError(
        f"Someone else saved this {noun}{editor} while you were editing it. "
        "Your changes are below and have not been saved: check them against theirs, then save again.",
        conflicts=conflicts,
        current=current,
    )


def _save_new_version(current: Any) -> None:
    """Save the locked row as its next version (counted in the database) and read it back."""
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()


def _fields_update(
    current: Any,
    *,
    noun: str,
    version: int,
    fields: Sequence[str],
    values: dict[str, Any],
    display: Callable[[str, Any], str],
    check: Callable[[Any], None],
) -> dict[str, tuple[Any, Any]]:
    """Apply `values` to `current` (locked by the caller) as an edit made on `version`: refused with
    the conflicts if someone saved it since, else checked and saved as the next version. Returns the
    fields that changed, each with its old and new value, for the caller's audit entry."""
    if current.version != version:
        conflicts = conflicts_between(
            saved={name: getattr(current, name) for name in fields},
            yours=values,
            label=lambda name: _label(type(current), name),
            display=display,
        )
        raise _stale_edit(current, noun=noun, conflicts=conflicts)
    before = {name: getattr(current, name) for name in fields}
    for name, value in values.items():
        setattr(current, name, value)
    check(current)
    _save_new_version(current)
    return {name: (before[name], getattr(current, name)) for name in fields if before[name] != getattr(current, name)}
