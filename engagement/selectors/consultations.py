"""Reads of consultations and their questions, and the organisations a person may respond for."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.models import Organisation, Strategy

from ..models import Consultation, ConsultationResponse, Question
from ..rules import audiences_of, can_manage, respondent_org_ids

# Consultations ---------------------------------------------------------------------------------------


def consultation_list_for_user(*, strategy: Strategy, user: Any) -> QuerySet[Consultation]:
    """The consultations a person sees: every one, with the counts officers watch, for officers and
    administrators; those addressed to them for councillors and partners. One query either way."""
    consultations = Consultation.objects.filter(strategy=strategy).select_related("phase", "strategy")
    if not can_manage(user, strategy):
        consultations = consultations.filter(audience__in=audiences_of(user, strategy))
    submitted = Q(responses__status=ConsultationResponse.Status.SUBMITTED)
    return consultations.annotate(
        question_count=Count("questions", distinct=True),
        submitted_count=Count("responses", filter=submitted, distinct=True),
        draft_count=Count("responses", filter=Q(responses__status=ConsultationResponse.Status.DRAFT), distinct=True),
        uncoded_count=Count("responses", filter=submitted & Q(responses__coded_at__isnull=True), distinct=True),
        unanswered_count=Count("responses", filter=submitted & Q(responses__replied_at__isnull=True), distinct=True),
    ).order_by("-opens_at", "pk")


def consultation_list_open(*, strategy: Strategy, user: Any, now: datetime | None = None) -> QuerySet[Consultation]:
    now = now or timezone.now()
    return consultation_list_for_user(strategy=strategy, user=user).filter(opens_at__lte=now, closes_at__gt=now)


def consultation_list_open_for_overview(*, strategy: Strategy, now: datetime | None = None) -> QuerySet[Consultation]:
    """Every open consultation of the strategy, for its public overview (title, audience, closing)."""
    now = now or timezone.now()
    return Consultation.objects.filter(strategy=strategy, opens_at__lte=now, closes_at__gt=now).order_by("closes_at")


def question_list(*, consultation: Consultation) -> list[Question]:
    return list(consultation.questions.order_by("order", "pk"))


def respondent_organisations(*, consultation: Consultation, user: Any) -> list[Organisation]:
    """The organisations a person may respond for, each with its response to this consultation, if any."""
    ids = respondent_org_ids(user, consultation.strategy, consultation.audience)
    organisations = list(Organisation.objects.filter(pk__in=ids).order_by("name"))
    responses = {
        r.organisation_id: r
        for r in ConsultationResponse.objects.filter(consultation=consultation, organisation__in=ids)
    }
    for organisation in organisations:
        organisation.consultation_response = responses.get(organisation.pk)  # type: ignore[attr-defined]
    return organisations
