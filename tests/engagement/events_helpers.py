"""Events, contacts, log entries and planned activities to work with, written through the services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from core.models import Organisation, Strategy, Theme, User
from engagement import services
from engagement.models import Contact, EngagementEntry, Event, PlannedActivity


def officer_of(strategy: Strategy) -> User:
    return User.objects.get(email=f"officer@{strategy.slug}.example")


def council_of(strategy: Strategy) -> Organisation:
    return Organisation.objects.get(slug=f"{strategy.slug}-council")


def university_of(strategy: Strategy) -> Organisation:
    return Organisation.objects.get(slug=f"{strategy.slug}-university")


def event_data(strategy: Strategy, **overrides: Any) -> services.EventData:
    values: dict[str, Any] = {
        "kind": "workshop",
        "title": "Workshop on the people foundation",
        "starts_at": timezone.now() + timedelta(days=7),
        "place": "Chelmsford, County Hall",
        "organiser": strategy.lead,
        "theme": Theme.objects.get(slug="people"),
        "attending": [council_of(strategy), university_of(strategy)],
        "notes": "We will discuss **skills**.",
        "internal_notes": "Budget: £400 for the room.",
    }
    values.update(overrides)
    return services.EventData(**values)


def make_event(strategy: Strategy, **overrides: Any) -> Event:
    return services.event_create(actor=officer_of(strategy), strategy=strategy, data=event_data(strategy, **overrides))


def make_contact(strategy: Strategy, name: str = "Priya Patel", **overrides: Any) -> Contact:
    data: dict[str, Any] = {
        "organisation": university_of(strategy),
        "name": name,
        "role": "Director of Enterprise",
        "email": "priya@example.org",
        "phone": "",
        "notes": "",
        "basis": "Consent given at the people workshop.",
    }
    data.update(overrides)
    return services.contact_create(actor=officer_of(strategy), strategy=strategy, data=data)


def make_activity(
    strategy: Strategy, title: str = "Briefing for district leaders", **overrides: Any
) -> PlannedActivity:
    data: dict[str, Any] = {
        "title": title,
        "audience": PlannedActivity.Audience.COUNCILS,
        "channel": "Roundtable",
        "planned_on": date.today() + timedelta(days=10),
        "owner": officer_of(strategy),
        "status": PlannedActivity.Status.PLANNED,
    }
    data.update(overrides)
    return services.activity_create(actor=officer_of(strategy), strategy=strategy, data=data)


def make_entry(strategy: Strategy, **overrides: Any) -> EngagementEntry:
    values: dict[str, Any] = {
        "happened_on": date.today() - timedelta(days=1),
        "method": "meeting",
        "about": "The skills proposition.",
        "organisation": council_of(strategy),
    }
    values.update(overrides)
    return services.entry_create(actor=officer_of(strategy), strategy=strategy, data=services.EntryData(**values))
