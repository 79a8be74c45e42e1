"""Reads shared by views: strategies a person can see, and a strategy's audit log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from .models import AuditEvent, Email, Membership, Role, Strategy, User
from .todos import Todo


def strategy_list_published() -> QuerySet[Strategy]:
    return Strategy.objects.filter(is_published=True).select_related("lead", "area").order_by("name")


def strategy_list_for_member(*, user: Any) -> QuerySet[Strategy]:
    """Strategies a person takes part in through an organisation (lead or partner)."""
    if not user.is_authenticated:
        return Strategy.objects.none()
    organisation_ids = Membership.objects.filter(user=user).values("organisation_id")
    return (
        Strategy.objects.filter(Q(lead_id__in=organisation_ids) | Q(partners__in=organisation_ids))
        .distinct()
        .select_related("lead", "area")
        .order_by("name")
    )


def membership_list_for_user(*, user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")


# Which audit events a viewer may not see: each app that keeps records some people may not open
# (a council's draft priority, say) registers a function from AppConfig.ready that returns a Q
# matching the events about those records, so core filters without importing any app.
AuditHidden = Callable[[Any, Strategy], Q]
AUDIT_HIDDEN: list[AuditHidden] = []


def register_audit_hidden(hidden: AuditHidden) -> None:
    if hidden not in AUDIT_HIDDEN:
        AUDIT_HIDDEN.append(hidden)


def audit_event_list_for_strategy(*, strategy: Strategy, viewer: Any) -> QuerySet[AuditEvent]:
    """The strategy's audit trail, newest first, less the events about records `viewer` could not
    open (issue 13, item 10: another council's draft priority's title stays with that council)."""
    events = AuditEvent.objects.filter(strategy=strategy).select_related("actor", "target_type")
    for hidden in AUDIT_HIDDEN:
        events = events.exclude(hidden(viewer, strategy))
    return events


def audit_event_list_for_record(*, record: Model) -> QuerySet[AuditEvent]:
    """A record's history, newest first: every audit event that names it, with who did it."""
    return (
        AuditEvent.objects.filter(
            target_type__app_label=record._meta.app_label,
            target_type__model=record._meta.model_name,
            target_id=str(record.pk),
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def user_list_officers(*, strategy: Strategy) -> QuerySet[User]:
    """The active officers of a strategy: members of its lead LEP with the officer role."""
    return User.objects.filter(
        is_active=True, memberships__organisation_id=strategy.lead_id, memberships__role=Role.OFFICER
    ).order_by("name")


# Stale edits --------------------------------------------------------------------------------------


def last_editor_note(*, app_label: str, model: str, pk: Any) -> str:
    """Who last changed a record and when, from its latest audit event, as a refused stale edit names
    them: " (Ada Officer, 4 October at 14:05)"; "" when nobody is on record. One query."""
    last = (
        AuditEvent.objects.filter(target_type__app_label=app_label, target_type__model=model, target_id=str(pk))
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )
    if last is None or last.actor is None:
        return ""
    return f" ({last.actor}, {timezone.localtime(last.created_at):%-d %B at %H:%M})"


def failed_email_list(*, strategy: Strategy) -> QuerySet[Email]:
    """The emails about `strategy` that could not be sent, newest first, each with why."""
    return Email.objects.filter(strategy=strategy, status=Email.Status.FAILED).order_by("-created_at", "-pk")


def core_todos_for(*, user: Any, strategy: Strategy) -> dict[str, list[Todo]]:
    """Core's to-dos for "your work": an officer's emails about the strategy that could not be
    sent (a receipt, a reminder, a review invitation), so a failure is seen, not only recorded."""
    if not user.has_perm("core.view_failed_emails", strategy):
        return {}
    failed = failed_email_list(strategy=strategy).count()
    if not failed:
        return {"officer": []}
    return {
        "officer": [
            Todo(
                label="Emails that could not be sent",
                url_name="failed-emails",
                url_kwargs={"strategy_slug": strategy.slug},
                count=failed,
                hint="Each says why; tell the person another way, or correct the address",
            )
        ]
    }
