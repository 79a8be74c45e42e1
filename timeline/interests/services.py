"""Every change to a register of interests, and declaring at a meeting from it.

A board member keeps their own register (officers may change it on their behalf, and the audit
trail says so); only the member confirms it up to date. Entries are ended, never deleted. Each
function runs in one transaction, writes its AuditEvent beside the change and raises
ApplicationError with a sentence a person can act on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.audit import AuditVerb
from core.editing import validate, versioned_update
from core.exceptions import ApplicationError
from core.models import Strategy, User
from core.services import audit_record, email_queue

from ..models import (
    REVIEW_EVERY_DAYS,
    AgendaItem,
    BoardMembership,
    Declaration,
    InterestEntry,
    InterestRegister,
    Meeting,
)
from ..rules import can_manage, is_board_member

ENTRY_FIELDS = ("category", "description", "organisation", "starts_on", "ends_on", "gift_value")


class Nature:
    """What the member did about the interest at the meeting, as the declaration says it."""

    NO_PART = "no_part"
    LEFT_ROOM = "left_room"
    OTHER = "other"
    CHOICES = [
        (NO_PART, "I will take no part in the item"),
        (LEFT_ROOM, "I will leave the room for the item"),
        (OTHER, "Other (say what)"),
    ]
    SENTENCES = {NO_PART: "Took no part in the item.", LEFT_ROOM: "Left the room for the item."}


def gift_threshold() -> int:
    return int(getattr(settings, "INTERESTS_GIFT_THRESHOLD", 50))


def register_get_or_create(*, strategy: Strategy, user: User) -> InterestRegister:
    register, _ = InterestRegister.objects.get_or_create(strategy=strategy, user=user)
    return register


def _ensure_can_change(*, actor: User, strategy: Strategy, member: User) -> None:
    """The member themselves (while on a board of the strategy), or an officer of it."""
    if can_manage(actor, strategy):
        return
    if actor.pk == member.pk and is_board_member(actor, strategy):
        return
    raise ApplicationError("Only the board member, or an officer of the strategy, can change this register.")


def _check_entry(entry: InterestEntry, *, today: date) -> None:
    if entry.starts_on and entry.starts_on > today:
        raise ApplicationError("Enter a start date that is today or in the past.", field="starts_on")
    if entry.category == InterestEntry.Category.GIFT:
        threshold = gift_threshold()
        if entry.gift_value is None:
            raise ApplicationError("Enter the value of the gift or hospitality, in pounds.", field="gift_value")
        if entry.gift_value <= threshold:
            raise ApplicationError(
                f"Only gifts and hospitality worth more than £{threshold} are registered.", field="gift_value"
            )
    elif entry.gift_value is not None:
        # Refused, not dropped: a value the member typed must never vanish behind a "saved".
        raise ApplicationError(
            "Enter a value only for gifts and hospitality: leave it empty for this kind of interest, or "
            "choose “Gifts and hospitality”.",
            field="gift_value",
        )
    validate(entry, exclude=["version"])


def _audit_data(*, actor: User, member: User, **more: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"member": str(member), **more}
    if actor.pk != member.pk:
        data["on_behalf"] = True
    return data


def interest_entry_add(*, actor: User, strategy: Strategy, member: User, data: dict[str, Any]) -> InterestEntry:
    """Add an entry to `member`'s register in `strategy`, dated today (an entry added more than 28
    days after it started is shown as registered late)."""
    _ensure_can_change(actor=actor, strategy=strategy, member=member)
    if not BoardMembership.objects.filter(user=member, board__strategy=strategy).exists():
        raise ApplicationError(f"{member} does not sit on a board of {strategy}.")
    today = timezone.localdate()
    with transaction.atomic():
        register = register_get_or_create(strategy=strategy, user=member)
        entry = InterestEntry(register=register, registered_on=today, **{k: data.get(k) for k in ENTRY_FIELDS})
        entry.organisation = (entry.organisation or "").strip()
        entry.description = (entry.description or "").strip()
        if entry.ends_on is not None:
            entry.end_registered_on = today
        _check_entry(entry, today=today)
        entry.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.INTEREST_ENTRY_ADDED,
            target=entry,
            strategy=strategy,
            data=_audit_data(actor=actor, member=member, category=entry.category),
        )
    return entry


def interest_entry_update(*, actor: User, entry: InterestEntry, version: int, data: dict[str, Any]) -> InterestEntry:
    """Correct an entry (its end is recorded with `interest_entry_end`, which dates it)."""
    register = entry.register
    _ensure_can_change(actor=actor, strategy=register.strategy, member=register.user)
    today = timezone.localdate()
    values = {k: data.get(k) for k in ENTRY_FIELDS if k != "ends_on"}
    values["organisation"] = (values.get("organisation") or "").strip()
    values["description"] = (values.get("description") or "").strip()
    with transaction.atomic():
        current = InterestEntry.objects.select_for_update().select_related("register__user").get(pk=entry.pk)
        changes = versioned_update(
            current,
            noun="register entry",
            version=version,
            fields=[k for k in ENTRY_FIELDS if k != "ends_on"],
            values=values,
            check=lambda row: _check_entry(row, today=today),
        )
        if changes:
            audit_record(
                actor=actor,
                verb=AuditVerb.INTEREST_ENTRY_UPDATED,
                target=current,
                strategy=register.strategy,
                data=_audit_data(
                    actor=actor,
                    member=register.user,
                    changes={k: [str(old), str(new)] for k, (old, new) in changes.items()},
                ),
            )
    return current


def interest_entry_end(*, actor: User, entry: InterestEntry, ends_on: date) -> InterestEntry:
    """Record that an interest ended on `ends_on`: the entry stays on the register, as history."""
    register = entry.register
    _ensure_can_change(actor=actor, strategy=register.strategy, member=register.user)
    today = timezone.localdate()
    with transaction.atomic():
        current = InterestEntry.objects.select_for_update().get(pk=entry.pk)
        if current.ends_on is not None:
            raise ApplicationError(f"This interest already ended on {current.ends_on:%-d %B %Y}.")
        if ends_on > today:
            raise ApplicationError("Enter an end date that is today or in the past.", field="ends_on")
        if ends_on < current.starts_on:
            raise ApplicationError(
                f"The end date must be on or after the start date, {current.starts_on:%-d %B %Y}.", field="ends_on"
            )
        current.ends_on = ends_on
        current.end_registered_on = today
        current.version += 1
        current.save(update_fields=["ends_on", "end_registered_on", "version", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.INTEREST_ENTRY_ENDED,
            target=current,
            strategy=register.strategy,
            data=_audit_data(actor=actor, member=register.user, ends_on=ends_on.isoformat()),
        )
    return current


def interest_register_review(*, actor: User, strategy: Strategy) -> InterestRegister:
    """The member confirms their register is up to date today (nobody confirms it for them)."""
    if not is_board_member(actor, strategy):
        raise ApplicationError("Only a board member confirms their own register of interests.")
    today = timezone.localdate()
    with transaction.atomic():
        register = register_get_or_create(strategy=strategy, user=actor)
        InterestRegister.objects.filter(pk=register.pk).update(reviewed_on=today, review_reminded_on=None)
        register.refresh_from_db()
        audit_record(actor=actor, verb=AuditVerb.INTEREST_REGISTER_REVIEWED, target=register, strategy=strategy)
    return register


# Declaring at a meeting -------------------------------------------------------------------------


@dataclass(frozen=True)
class DeclarationChoice:
    entries: Sequence[InterestEntry]
    nature: str
    details: str = ""


def declaration_text(choice: DeclarationChoice) -> str:
    """The declaration as the meeting page and the minutes show it: the entries, then what the
    member did."""
    parts = []
    for entry in choice.entries:
        what = entry.description
        if entry.organisation and entry.organisation.lower() not in what.lower():
            what = f"{what} ({entry.organisation})"
        parts.append(f"{what} [{entry.get_category_display().lower()}]")
    text = "; ".join(parts) + "."
    if choice.nature == Nature.OTHER:
        return f"{text} {choice.details.strip()}"
    return f"{text} {Nature.SENTENCES[choice.nature]}"


def declaration_from_register(*, actor: User, agenda_item: AgendaItem, choice: DeclarationChoice) -> Declaration:
    """A board member declares, on an item of their board's meeting, interests from their own
    register. The declaration links the entries it was made from."""
    meeting: Meeting = agenda_item.meeting
    strategy = meeting.board.strategy
    if not meeting.board.memberships.filter(user=actor).exists():
        raise ApplicationError("Only members of the meeting’s board declare interests on its agenda.")
    if meeting.status == Meeting.Status.CANCELLED:
        raise ApplicationError("This meeting is cancelled: there is nothing to declare an interest on.")
    if choice.nature not in dict(Nature.CHOICES):
        raise ApplicationError("Choose what you will do about the interest.", field="nature")
    if choice.nature == Nature.OTHER and not choice.details.strip():
        raise ApplicationError("Say what you will do about the interest.", field="details")
    if not choice.entries:
        raise ApplicationError("Choose the interests from your register that apply.", field="entries")
    day = timezone.localtime(meeting.starts_at).date()
    for entry in choice.entries:
        if entry.register.user_id != actor.pk or entry.register.strategy_id != strategy.pk:
            raise ApplicationError("Choose interests from your own register.", field="entries")
        if entry.ends_on is not None and entry.ends_on < min(day, timezone.localdate()):
            raise ApplicationError(f"“{entry.description}” had ended before the meeting.", field="entries")
    with transaction.atomic():
        AgendaItem.objects.select_for_update().get(pk=agenda_item.pk)
        if Declaration.objects.filter(agenda_item=agenda_item, user=actor).exists():
            raise ApplicationError(
                f"You have already declared an interest on item {agenda_item.number}. "
                "Ask an officer if it needs to change."
            )
        declaration = Declaration(agenda_item=agenda_item, user=actor, interest=declaration_text(choice))
        validate(declaration)
        declaration.save()
        declaration.register_entries.set(choice.entries)
        audit_record(
            actor=actor,
            verb=AuditVerb.DECLARATION_FROM_REGISTER,
            target=declaration,
            strategy=strategy,
            data={
                "item": agenda_item.number,
                "nature": dict(Nature.CHOICES)[choice.nature],
                "entries": [entry.pk for entry in choice.entries],
            },
        )
    return declaration


# Reminders --------------------------------------------------------------------------------------


def register_review_reminders_send(*, day: date) -> int:
    """Email each board member whose register is due for its yearly review (never confirmed, or
    last confirmed a year ago or more) once: the register's `review_reminded_on` is claimed by a
    conditional UPDATE, so a second run or a second beat sends nothing; a review clears it."""
    pairs = set(BoardMembership.objects.values_list("user_id", "board__strategy_id").distinct())
    existing = set(InterestRegister.objects.values_list("user_id", "strategy_id"))
    for user_id, strategy_id in sorted(pairs - existing):
        InterestRegister.objects.get_or_create(user_id=user_id, strategy_id=strategy_id)
    cutoff = date.fromordinal(day.toordinal() - REVIEW_EVERY_DAYS)
    due = (
        InterestRegister.objects.filter(Q(reviewed_on__isnull=True) | Q(reviewed_on__lte=cutoff))
        .filter(review_reminded_on__isnull=True, user__is_active=True)
        .select_related("user", "strategy")
        .order_by("pk")
    )
    sent = 0
    for register in due:
        if (register.user_id, register.strategy_id) not in pairs:
            continue  # no longer on a board of the strategy: nothing to review
        with transaction.atomic():
            claimed = InterestRegister.objects.filter(pk=register.pk, review_reminded_on__isnull=True).update(
                review_reminded_on=day
            )
            if not claimed:
                continue
            path = reverse("timeline:interest-register-yours", kwargs={"strategy_slug": register.strategy.slug})
            body = render_to_string("timeline/email/interests_review.txt", {"register": register, "path": path})
            email_queue(
                to=register.user.email,
                subject=f"Please review your register of interests for {register.strategy.name}",
                body=body,
                strategy=register.strategy,
            )
            audit_record(
                actor=None,
                verb=AuditVerb.INTEREST_REVIEW_REMINDED,
                target=register,
                strategy=register.strategy,
                data={"member": str(register.user)},
            )
            sent += 1
    return sent
