"""Reads of events, and the choices of events, officers and planned activities the forms offer."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.models import Organisation, Role, Strategy, User

from ..models import ConsultationResponse, Event, PlannedActivity

# Events ------------------------------------------------------------------------------------------


FEEDBACK_FILTERS = ("uncoded", "unanswered")


def event_list_for_strategy(
    *, strategy: Strategy, when: str = "upcoming", feedback: str = "", now: datetime | None = None
) -> QuerySet[Event]:
    """The strategy's upcoming events (soonest first) or past ones (latest first), each with the number
    of organisations attending and of feedback responses submitted (and of those not yet coded and
    not yet answered), in one query. `feedback` ("uncoded", "unanswered") keeps, whenever they took
    place, the events whose feedback has responses not yet coded or answered: "your work" counts them."""
    now = now or timezone.now()
    events = Event.objects.filter(strategy=strategy).select_related("theme", "organiser", "feedback")
    if feedback in FEEDBACK_FILTERS:
        events = events.order_by("starts_at", "pk")
    elif when == "past":
        events = events.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
    else:
        events = events.filter(starts_at__gte=now).order_by("starts_at", "pk")
    submitted = Q(feedback__responses__status=ConsultationResponse.Status.SUBMITTED)
    events = events.annotate(
        attending_count=Count("attending", distinct=True),
        feedback_count=Count("feedback__responses", filter=submitted, distinct=True),
        uncoded_count=Count(
            "feedback__responses", filter=submitted & Q(feedback__responses__coded_at__isnull=True), distinct=True
        ),
        unanswered_count=Count(
            "feedback__responses", filter=submitted & Q(feedback__responses__replied_at__isnull=True), distinct=True
        ),
    )
    if feedback in FEEDBACK_FILTERS:
        events = events.filter(**{f"{feedback}_count__gt": 0})
    return events


def event_attending(*, event: Event) -> list[Organisation]:
    return list(event.attending.order_by("name"))


def event_feedback_count(*, event: Event) -> int:
    if event.feedback_id is None:
        return 0
    return ConsultationResponse.objects.filter(
        consultation_id=event.feedback_id, status=ConsultationResponse.Status.SUBMITTED
    ).count()


def event_choices(*, strategy: Strategy) -> QuerySet[Event]:
    return Event.objects.filter(strategy=strategy).order_by("-starts_at", "pk")


def officer_list_for_strategy(*, strategy: Strategy) -> QuerySet[User]:
    """The officers of the strategy's lead LEP: the people who may own a planned activity."""
    return (
        User.objects.filter(
            memberships__organisation_id=strategy.lead_id, memberships__role=Role.OFFICER, is_active=True
        )
        .distinct()
        .order_by("name", "pk")
    )


def activity_choices(*, strategy: Strategy) -> QuerySet[PlannedActivity]:
    return PlannedActivity.objects.filter(strategy=strategy).order_by("planned_on", "pk")
