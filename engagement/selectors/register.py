"""Reads of the stakeholder register, the engagement log and the plan measured against what happened."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from core.models import Strategy

from ..models import Contact, EngagementEntry, Event, PlannedActivity


def contact_list_for_strategy(
    *, strategy: Strategy, organisation_kind: str = "", name: str = "", organisation_id: int | None = None
) -> QuerySet[Contact]:
    """The strategy's contacts, filtered by the kind of their organisation and by (part of) their name."""
    contacts = Contact.objects.filter(strategy=strategy).select_related("organisation")
    if organisation_kind == "none":
        contacts = contacts.filter(organisation__isnull=True)
    elif organisation_kind:
        contacts = contacts.filter(organisation__kind=organisation_kind)
    if name.strip():
        contacts = contacts.filter(name__icontains=name.strip())
    if organisation_id is not None:
        contacts = contacts.filter(organisation_id=organisation_id)
    return contacts.order_by(Lower("name"), "pk")


@dataclass
class EntryFilters:
    method: str = ""
    organisation_id: int | None = None
    contact_id: int | None = None
    theme_id: int | None = None
    event_id: int | None = None


def entry_list_for_strategy(*, strategy: Strategy, filters: EntryFilters | None = None) -> QuerySet[EngagementEntry]:
    """The engagement log, latest first, with everything a row shows joined in."""
    filters = filters or EntryFilters()
    entries = EngagementEntry.objects.filter(strategy=strategy).select_related(
        "contact", "contact__organisation", "organisation", "theme", "event", "planned_activity", "logged_by"
    )
    if filters.method:
        entries = entries.filter(method=filters.method)
    if filters.organisation_id is not None:
        entries = entries.filter(
            Q(organisation_id=filters.organisation_id) | Q(contact__organisation_id=filters.organisation_id)
        )
    if filters.contact_id is not None:
        entries = entries.filter(contact_id=filters.contact_id)
    if filters.theme_id is not None:
        entries = entries.filter(theme_id=filters.theme_id)
    if filters.event_id is not None:
        entries = entries.filter(event_id=filters.event_id)
    return entries.order_by("-happened_on", "-pk")


@dataclass
class PlanAgainstActual:
    """The plan beside what happened: each planned activity with the log entries and events that
    delivered it; the overdue ones (planned, past their date, nothing delivered yet); and what
    happened without being planned (an engagement at an event that delivers a planned activity
    counts as planned)."""

    activities: list[PlannedActivity]
    overdue: list[PlannedActivity]
    unplanned_entries: list[EngagementEntry]
    unplanned_events: list[Event]


def plan_against_actual(*, strategy: Strategy, today: Any = None) -> PlanAgainstActual:
    today = today or timezone.localdate()
    entries = EngagementEntry.objects.select_related("contact", "organisation").order_by("happened_on", "pk")
    events = Event.objects.select_related("organiser").order_by("starts_at", "pk")
    activities = list(
        PlannedActivity.objects.filter(strategy=strategy)
        .select_related("owner")
        .prefetch_related(Prefetch("entries", queryset=entries), Prefetch("events", queryset=events))
        .order_by("planned_on", "pk")
    )
    for activity in activities:
        delivered = bool(activity.entries.all()) or bool(activity.events.all())
        activity.is_overdue = (  # type: ignore[attr-defined]
            activity.status == PlannedActivity.Status.PLANNED and activity.planned_on < today and not delivered
        )
    return PlanAgainstActual(
        activities=activities,
        overdue=[a for a in activities if a.is_overdue],  # type: ignore[attr-defined]
        unplanned_entries=list(
            entries.filter(strategy=strategy, planned_activity__isnull=True)
            .exclude(event__planned_activity__isnull=False)
            .order_by("-happened_on", "-pk")
        ),
        unplanned_events=list(
            events.filter(
                strategy=strategy,
                planned_activity__isnull=True,
                cancelled_at__isnull=True,
                starts_at__lte=timezone.now(),
            ).order_by("-starts_at", "-pk")
        ),
    )
