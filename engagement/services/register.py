"""The stakeholder register (contacts), the engagement log and the communications and
engagement plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.audit import AuditVerb
from core.editing import validate, versioned_update
from core.exceptions import ApplicationError
from core.models import AuditEvent, Organisation, Strategy, Theme, User
from core.services import audit_record

from ..models import Contact, EngagementEntry, Event, PlannedActivity
from ..selectors import officer_list_for_strategy
from .common import _display, _of_strategy, _stripped

# The stakeholder register ------------------------------------------------------------------------

CONTACT_FIELDS = Contact.CONTENT_FIELDS


def _check_contact(contact: Contact) -> None:
    if contact.organisation_id is not None and contact.organisation_id not in _of_strategy(contact.strategy):
        raise ApplicationError(f"Choose an organisation of {contact.strategy}, or none.", field="organisation")
    if not contact.basis.strip():
        raise ApplicationError(
            "Enter the consent or other basis on which the portal holds this person’s details.", field="basis"
        )
    validate(contact, exclude=["version"])


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
        audit_record(actor=actor, verb=AuditVerb.CONTACT_CREATED, target=contact, strategy=strategy)
    return contact


def contact_update(*, actor: User, contact: Contact, data: dict[str, Any], version: int) -> Contact:
    values = _stripped(data, CONTACT_FIELDS)
    with transaction.atomic():
        current = (
            Contact.objects.select_for_update(of=("self",))
            .select_related("strategy", "organisation")
            .get(pk=contact.pk)
        )
        changed = versioned_update(
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
            verb=AuditVerb.CONTACT_UPDATED,
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
        audit_record(
            actor=actor, verb=AuditVerb.CONTACT_REMOVED, target=current, strategy=strategy, data={"contact": pk}
        )
        AuditEvent.objects.filter(
            verb=AuditVerb.CONTACT_REMOVED, target_id=str(pk), target_type__model="contact"
        ).update(target_repr=f"Contact {pk} (removed)")
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
        validate(entry)
        entry.save()
        audit_record(actor=actor, verb=AuditVerb.ENGAGEMENT_LOGGED, target=entry, strategy=strategy)
    return entry


# The communications and engagement plan -----------------------------------------------------------

ACTIVITY_FIELDS = PlannedActivity.CONTENT_FIELDS


def _check_activity(activity: PlannedActivity) -> None:
    if (
        activity.owner is not None
        and not officer_list_for_strategy(strategy=activity.strategy).filter(pk=activity.owner.pk).exists()
    ):
        raise ApplicationError(f"Choose an officer of {activity.strategy.lead} as the owner.", field="owner")
    validate(activity, exclude=["version"])


def activity_create(*, actor: User, strategy: Strategy, data: dict[str, Any]) -> PlannedActivity:
    with transaction.atomic():
        activity = PlannedActivity(
            strategy=strategy,
            created_by=actor,
            **_stripped(data, ACTIVITY_FIELDS),
        )
        _check_activity(activity)
        activity.save()
        audit_record(actor=actor, verb=AuditVerb.ACTIVITY_CREATED, target=activity, strategy=strategy)
    return activity


def activity_update(*, actor: User, activity: PlannedActivity, data: dict[str, Any], version: int) -> PlannedActivity:
    values = _stripped(data, ACTIVITY_FIELDS)
    with transaction.atomic():
        current = (
            PlannedActivity.objects.select_for_update(of=("self",))
            .select_related("strategy", "owner")
            .get(pk=activity.pk)
        )
        changed = versioned_update(
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
            actor=actor,
            verb=AuditVerb.ACTIVITY_UPDATED,
            target=current,
            strategy=current.strategy,
            data={"changes": changes},
        )
    return current
