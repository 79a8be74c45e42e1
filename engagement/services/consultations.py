"""Consultations and their ordered questions: the officer's side."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from core.audit import AuditVerb
from core.editing import validate, versioned_update
from core.exceptions import ApplicationError
from core.models import Strategy, User
from core.services import audit_record

from ..models import Consultation, Question
from .common import _display_call

# Consultations: the officer's side -----------------------------------------------------------------

CONSULTATION_FIELDS = ("title", "description", "audience", "opens_at", "closes_at", "phase")


def _display_consultation(field: str, value: Any) -> str:
    if field == "audience" and value:
        return str(Consultation.Audience(value).label)
    return _display_call(field, value)


def _check_consultation(*, consultation: Consultation, strategy: Strategy) -> None:
    if consultation.phase.strategy_id != strategy.pk:
        raise ApplicationError("Choose a phase of this strategy.", field="phase")
    validate(consultation, exclude=["version"])


def consultation_create(*, actor: User, strategy: Strategy, data: dict[str, Any]) -> Consultation:
    with transaction.atomic():
        consultation = Consultation(
            strategy=strategy, created_by=actor, **{k: v for k, v in data.items() if k in CONSULTATION_FIELDS}
        )
        _check_consultation(consultation=consultation, strategy=strategy)
        consultation.save()
        audit_record(actor=actor, verb=AuditVerb.CONSULTATION_CREATED, target=consultation, strategy=strategy)
    return consultation


def consultation_update(*, actor: User, consultation: Consultation, data: dict[str, Any], version: int) -> Consultation:
    """Save an edit made on `version`; if someone saved the consultation since, refuse and say what changed."""
    strategy = consultation.strategy
    with transaction.atomic():
        current = Consultation.objects.select_for_update().select_related("strategy", "phase").get(pk=consultation.pk)
        changed = versioned_update(
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
                verb=AuditVerb.CONSULTATION_UPDATED,
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
        validate(question)
        question.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.CONSULTATION_QUESTION_ADDED,
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
            verb=AuditVerb.CONSULTATION_QUESTION_REMOVED,
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
            verb=AuditVerb.CONSULTATION_QUESTION_MOVED,
            target=consultation,
            strategy=consultation.strategy,
            data={"question": question.pk, "to": other + 1},
        )
