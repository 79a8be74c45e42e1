"""Events: arranged, edited and cancelled by the officers, with a feedback consultation attached
afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.audit import AuditVerb
from core.editing import field_label, refuse_if_stale, save_new_version, validate
from core.exceptions import ApplicationError
from core.models import Organisation, Strategy, Theme, User
from core.services import audit_record
from timeline.models import Phase

from ..models import Consultation, Event, PlannedActivity, Question
from .common import _and, _display, _of_strategy, _same
from .consultations import consultation_create, question_add

# Events ------------------------------------------------------------------------------------------

FEEDBACK_DAYS_MAX = 90
FEEDBACK_QUESTIONS: tuple[tuple[str, str, bool], ...] = (
    (Question.Kind.SCALE, "How useful was the event to you, from 1 (not at all) to 5 (very)?", True),
    (Question.Kind.TEXT, "What should the strategy prioritise?", True),
    (Question.Kind.TEXT, "Anything else you would like to tell us?", False),
)


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
    validate(event, exclude=["version"])


def event_create(*, actor: User, strategy: Strategy, data: EventData) -> Event:
    with transaction.atomic():
        event = Event(strategy=strategy, created_by=actor, **data.values())
        attending = list(data.attending or [])
        _check_event(event=event, attending=attending)
        event.save()
        event.attending.set(attending)
        audit_record(actor=actor, verb=AuditVerb.EVENT_CREATED, target=event, strategy=strategy)
    return event


def event_update(*, actor: User, event: Event, data: EventData, version: int) -> Event:
    """Save an edit made on `version`; if someone saved the event since, refuse and say what changed."""
    values = data.values()
    attending = list(data.attending or [])
    with transaction.atomic():
        current = Event.objects.select_for_update().select_related("strategy").get(pk=event.pk)
        theirs_attending = list(current.attending.order_by("name"))
        refuse_if_stale(
            current,
            version=version,
            noun="event",
            saved={**{name: getattr(current, name) for name in values}, "attending": theirs_attending},
            yours={**values, "attending": sorted(attending, key=lambda o: o.name)},
            label=lambda name: "Organisations attending" if name == "attending" else field_label(Event, name),
            display=_display,
        )
        if current.cancelled_at is not None:
            raise ApplicationError("The event is cancelled, so it can no longer change.")
        before = {name: getattr(current, name) for name in values}
        for name, value in values.items():
            setattr(current, name, value)
        _check_event(event=current, attending=attending)
        save_new_version(current)
        current.attending.set(attending)
        changed = [name for name in values if before[name] != values[name]]
        if not _same(theirs_attending, attending):
            changed.append("attending")
        audit_record(
            actor=actor,
            verb=AuditVerb.EVENT_UPDATED,
            target=current,
            strategy=current.strategy,
            data={"fields": changed},
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
        validate(current, exclude=["version"])
        current.save(update_fields=["cancelled_at", "cancelled_reason", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.EVENT_CANCELLED,
            target=current,
            strategy=current.strategy,
            data={"reason": reason},
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
            verb=AuditVerb.EVENT_FEEDBACK_ATTACHED,
            target=current,
            strategy=strategy,
            data={"consultation": consultation.pk},
        )
    return consultation
