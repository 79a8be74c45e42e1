"""Every change to the process: milestones, phases, meetings, decisions, calendars (the daily
reminders are timeline/reminders.py).

Each function is keyword-only, runs in one transaction, validates with full_clean(), writes its
AuditEvent beside the change, and raises ApplicationError with a message a person can act on.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from core.audit import AuditVerb
from core.editing import refuse_if_stale, save_new_version, validate
from core.exceptions import ApplicationError
from core.models import Organisation, Strategy, User
from core.services import audit_record

from .models import (
    AgendaItem,
    Attendance,
    Board,
    CalendarFeed,
    Decision,
    Declaration,
    Meeting,
    Milestone,
    Phase,
)
from .selectors import meeting_deadlines, phase_current, user_list_taking_part

MILESTONE_FIELDS = (
    "title",
    "phase",
    "status",
    "due_date",
    "completed_on",
    "owner",
    "lead_organisation",
    "is_key",
    "notes",
)


def _ensure_person_in_strategy(*, user: User | None, strategy: Strategy, field: str) -> None:
    if user is None:
        return
    if not user_list_taking_part(strategy=strategy).filter(pk=user.pk).exists():
        raise ApplicationError(
            f"{user} does not take part in {strategy}. Choose someone from an organisation of the strategy.",
            field=field,
        )


def _ensure_organisation_in_strategy(*, organisation: Organisation | None, strategy: Strategy) -> None:
    if organisation is None:
        return
    if organisation.pk != strategy.lead_id and not strategy.partners.filter(pk=organisation.pk).exists():
        raise ApplicationError(
            f"{organisation} is not a partner of {strategy}. Choose the LEP or one of its partners.",
            field="lead_organisation",
        )


def _check_due_date(*, phase: Phase, due_date: date | None, confirmed: bool) -> None:
    if due_date is None or confirmed:
        return
    if not phase.planned_start <= due_date <= phase.planned_end:
        raise ApplicationError(
            f"The due date {due_date:%-d %B %Y} is outside {phase.name} "
            f"({phase.planned_start:%-d %B %Y} to {phase.planned_end:%-d %B %Y}). "
            "Change the date, or tick “The date is outside the phase on purpose” to keep it.",
            field="due_date",
        )


def _check_dependencies(*, milestone: Milestone | None, depends_on: list[Milestone], strategy: Strategy) -> None:
    for other in depends_on:
        if other.phase.strategy_id != strategy.pk:
            raise ApplicationError(
                "A milestone can only depend on milestones of the same strategy.", field="depends_on"
            )
    if milestone is None or milestone.pk is None:
        return
    # A cycle: this milestone reachable from any of its new dependencies through their dependencies.
    seen: set[int] = set()
    frontier = {m.pk for m in depends_on}
    while frontier:
        if milestone.pk in frontier:
            raise ApplicationError(
                "These dependencies would make a loop: this milestone would end up waiting on itself. "
                "Remove the dependency that leads back to it.",
                field="depends_on",
            )
        seen |= frontier
        frontier = (
            set(
                Milestone.depends_on.through.objects.filter(from_milestone_id__in=frontier).values_list(
                    "to_milestone_id", flat=True
                )
            )
            - seen
        )


def _check_title_free(milestone: Milestone) -> None:
    taken = Milestone.objects.filter(phase_id=milestone.phase_id, title=milestone.title).exclude(pk=milestone.pk)
    if taken.exists():
        raise ApplicationError(
            f"{milestone.phase.name} already has a milestone called “{milestone.title}”. Give this one another title.",
            field="title",
        )


def _check_done(*, status: str, depends_on: list[Milestone]) -> None:
    if status != Milestone.Status.DONE:
        return
    waiting = [m.title for m in depends_on if m.status != Milestone.Status.DONE]
    if waiting:
        raise ApplicationError(
            "This milestone cannot be done while what it depends on is not: " + "; ".join(waiting) + ".",
            field="status",
        )


def milestone_create(
    *,
    actor: User,
    strategy: Strategy,
    data: dict[str, Any],
    depends_on: list[Milestone] | None = None,
    confirm_outside_phase: bool = False,
) -> Milestone:
    depends_on = depends_on or []
    with transaction.atomic():
        milestone = Milestone(**{k: v for k, v in data.items() if k in MILESTONE_FIELDS})
        phase = milestone.phase
        if phase.strategy_id != strategy.pk:
            raise ApplicationError("Choose a phase of this strategy.", field="phase")
        _ensure_person_in_strategy(user=milestone.owner, strategy=strategy, field="owner")
        _ensure_organisation_in_strategy(organisation=milestone.lead_organisation, strategy=strategy)
        _check_due_date(phase=phase, due_date=milestone.due_date, confirmed=confirm_outside_phase)
        _check_dependencies(milestone=None, depends_on=depends_on, strategy=strategy)
        _check_done(status=milestone.status, depends_on=depends_on)
        if milestone.status == Milestone.Status.DONE and milestone.completed_on is None:
            milestone.completed_on = timezone.localdate()
        milestone.order = (phase.milestones.aggregate(m=Max("order"))["m"] or 0) + 1
        _check_title_free(milestone)
        validate(milestone)
        try:
            milestone.save()
        except IntegrityError as error:
            raise ApplicationError(
                f"{phase.name} already has a milestone called “{milestone.title}”. Give this one another title.",
                field="title",
            ) from error
        milestone.depends_on.set(depends_on)
        audit_record(actor=actor, verb=AuditVerb.MILESTONE_CREATED, target=milestone, strategy=strategy)
    return milestone


def _display(milestone: Milestone, field: str, value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if field == "status":
        return str(Milestone.Status(value).label)
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def milestone_update(
    *,
    actor: User,
    milestone: Milestone,
    data: dict[str, Any],
    version: int,
    depends_on: list[Milestone] | None = None,
    confirm_outside_phase: bool = False,
) -> Milestone:
    """Save an edit made on `version` of the milestone. If someone saved it since, refuse and say
    what they changed, so the person can carry their edit over without losing either."""
    strategy = milestone.phase.strategy
    with transaction.atomic():
        current = Milestone.objects.select_for_update().select_related("phase__strategy").get(pk=milestone.pk)
        refuse_if_stale(
            current,
            version=version,
            noun="milestone",
            saved={name: getattr(current, name) for name in MILESTONE_FIELDS},
            yours={name: data[name] for name in MILESTONE_FIELDS if name in data},
            display=lambda name, value: _display(current, name, value),
        )
        before = {name: getattr(current, name) for name in MILESTONE_FIELDS}
        for name in MILESTONE_FIELDS:
            if name in data:
                setattr(current, name, data[name])
        if current.phase.strategy_id != strategy.pk:
            raise ApplicationError("Choose a phase of this strategy.", field="phase")
        deps = list(current.depends_on.all()) if depends_on is None else depends_on
        _ensure_person_in_strategy(user=current.owner, strategy=strategy, field="owner")
        _ensure_organisation_in_strategy(organisation=current.lead_organisation, strategy=strategy)
        if current.due_date != before["due_date"] or current.phase_id != before["phase"].pk:
            _check_due_date(phase=current.phase, due_date=current.due_date, confirmed=confirm_outside_phase)
        _check_dependencies(milestone=current, depends_on=deps, strategy=strategy)
        _check_done(status=current.status, depends_on=deps)
        if current.status == Milestone.Status.DONE and current.completed_on is None:
            current.completed_on = timezone.localdate()
        if current.status != Milestone.Status.DONE:
            current.completed_on = None
        _check_title_free(current)
        validate(current, exclude=["version"])
        try:
            save_new_version(current)
        except IntegrityError as error:
            raise ApplicationError(
                f"{current.phase.name} already has a milestone called “{current.title}”. Give this one another title.",
                field="title",
            ) from error
        if depends_on is not None:
            current.depends_on.set(depends_on)
        changes = {
            name: [_display(current, name, before[name]), _display(current, name, getattr(current, name))]
            for name in MILESTONE_FIELDS
            if before[name] != getattr(current, name)
        }
        if changes:
            verb = AuditVerb.MILESTONE_STATUS_CHANGED if "status" in changes else AuditVerb.MILESTONE_UPDATED
            audit_record(actor=actor, verb=verb, target=current, strategy=strategy, data={"changes": changes})
    return current


def milestone_set_status(*, actor: User, milestone: Milestone, status: str) -> Milestone:
    """Change only the status (the quick action on lists and the journey's “mark done”)."""
    return milestone_update(actor=actor, milestone=milestone, data={"status": status}, version=milestone.version)


def milestone_move(*, actor: User, milestone: Milestone, direction: str) -> None:
    """Swap a milestone with its neighbour above ("up") or below ("down") in its phase."""
    with transaction.atomic():
        siblings = list(Milestone.objects.select_for_update().filter(phase=milestone.phase).order_by("order", "pk"))
        index = next(i for i, m in enumerate(siblings) if m.pk == milestone.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            return
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, item in enumerate(siblings, start=1):
            if item.order != position:
                Milestone.objects.filter(pk=item.pk).update(order=position)
        audit_record(
            actor=actor,
            verb=AuditVerb.MILESTONE_MOVED,
            target=milestone,
            strategy=milestone.phase.strategy,
            data={"direction": direction},
        )


def phase_update(*, actor: User, phase: Phase, data: dict[str, Any]) -> Phase:
    """Planned dates and the closing board. Actual dates move only by decisions."""
    with transaction.atomic():
        before = {k: getattr(phase, k) for k in data}
        for key, value in data.items():
            setattr(phase, key, value)
        if phase.closing_board is not None and phase.closing_board.strategy_id != phase.strategy_id:
            raise ApplicationError("Choose a board of this strategy.", field="closing_board")
        validate(phase)
        phase.save()
        changes = {k: [str(before[k]), str(getattr(phase, k))] for k in data if before[k] != getattr(phase, k)}
        if changes:
            audit_record(actor=actor, verb=AuditVerb.PHASE_UPDATED, target=phase, strategy=phase.strategy, data=changes)
    return phase


# Meetings ----------------------------------------------------------------------------------


def meeting_save(*, actor: User, strategy: Strategy, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    """Create or edit a meeting. Publishing papers or minutes, holding or cancelling it, are
    status changes recorded in the audit trail; the dates of publication are kept."""
    with transaction.atomic():
        created = meeting.pk is None
        before_status = None if created else Meeting.objects.get(pk=meeting.pk).status
        for key, value in data.items():
            setattr(meeting, key, value)
        board: Board = meeting.board
        if board.strategy_id != strategy.pk:
            raise ApplicationError("Choose a board of this strategy.", field="board")
        today = timezone.localdate()
        if meeting.status == Meeting.Status.PAPERS_PUBLISHED and meeting.papers_published_on is None:
            meeting.papers_published_on = today
        if meeting.status == Meeting.Status.MINUTES_PUBLISHED:
            meeting.minutes_published_on = meeting.minutes_published_on or today
        validate(meeting)
        meeting.save()
        if not created:
            # A meeting's decisions are dated its day: a moved meeting moves them.
            meeting.decisions.update(decided_on=timezone.localtime(meeting.starts_at).date())
        if created:
            audit_record(actor=actor, verb=AuditVerb.MEETING_CREATED, target=meeting, strategy=strategy)
        elif before_status != meeting.status:
            audit_record(
                actor=actor,
                verb=AuditVerb.MEETING_STATUS_CHANGED,
                target=meeting,
                strategy=strategy,
                data={"from": before_status, "to": meeting.status},
            )
        else:
            audit_record(actor=actor, verb=AuditVerb.MEETING_UPDATED, target=meeting, strategy=strategy)
    return meeting


def meeting_papers_publish(*, actor: User, meeting: Meeting, on: date) -> Meeting:
    """Publish the meeting's agenda and papers on `on` (today, or a later day up to the deadline):
    from that day everyone sees them on the meeting's page (timeline.access.papers_are_public).
    Published papers stay published; until then the day may change."""
    today = timezone.localdate()
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("board__strategy").get(pk=meeting.pk)
        if meeting.status == Meeting.Status.CANCELLED:
            raise ApplicationError("The meeting was cancelled: it has no papers to publish.")
        if meeting.papers_published_on is not None and meeting.papers_published_on <= today:
            raise ApplicationError(
                f"The papers were published on {meeting.papers_published_on:%-d %B %Y} and stay published. "
                "To correct a paper, edit it: its page shows the new version."
            )
        if not meeting.agenda_items.exists():
            raise ApplicationError("Add the agenda before publishing it.")
        deadline = meeting_deadlines(meeting, today=today).papers.day
        if on < today:
            raise ApplicationError("Choose today or a later day: papers cannot be published in the past.", field="on")
        if deadline < today and on != today:
            raise ApplicationError(f"The deadline, {deadline:%-d %B %Y}, has passed: publish them today.", field="on")
        if on > max(deadline, today):
            raise ApplicationError(
                f"Choose a day on or before the deadline, {deadline:%-d %B %Y}: the papers must be out five clear "
                "working days before the meeting.",
                field="on",
            )
        meeting.papers_published_on = on
        if meeting.status == Meeting.Status.SCHEDULED:
            meeting.status = Meeting.Status.PAPERS_PUBLISHED
        meeting.version += 1
        meeting.save(update_fields=["papers_published_on", "status", "version"])
        audit_record(
            actor=actor,
            verb=AuditVerb.MEETING_PAPERS_PUBLISHED,
            target=meeting,
            strategy=meeting.board.strategy,
            data={"on": on.isoformat(), "late": on > deadline},
        )
    return meeting


def agenda_item_add(*, actor: User, meeting: Meeting, title: str, presenter: str = "") -> AgendaItem:
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        number = (meeting.agenda_items.aggregate(m=Max("number"))["m"] or 0) + 1
        item = AgendaItem(meeting=meeting, number=number, title=title.strip(), presenter=presenter.strip())
        validate(item)
        item.save()
        audit_record(actor=actor, verb=AuditVerb.AGENDA_ITEM_ADDED, target=item, strategy=meeting.board.strategy)
    return item


def attendance_record(*, actor: User, meeting: Meeting, statuses: dict[int, str]) -> None:
    """Record each board member's attendance: {user id: present | apologies | absent}."""
    members = set(meeting.board.memberships.values_list("user_id", flat=True))
    unknown = set(statuses) - members
    if unknown:
        raise ApplicationError("Attendance can only be recorded for members of the board.")
    with transaction.atomic():
        for user_id, status in statuses.items():
            if status not in Attendance.Status.values:
                raise ApplicationError(f"“{status}” is not an attendance status.")
            Attendance.objects.update_or_create(meeting=meeting, user_id=user_id, defaults={"status": status})
        audit_record(
            actor=actor,
            verb=AuditVerb.MEETING_ATTENDANCE_RECORDED,
            target=meeting,
            strategy=meeting.board.strategy,
            data={str(k): v for k, v in statuses.items()},
        )


def declaration_add(*, actor: User, agenda_item: AgendaItem, user: User, interest: str) -> Declaration:
    meeting = agenda_item.meeting
    if not meeting.board.memberships.filter(user=user).exists():
        raise ApplicationError("Declarations are recorded for members of the board.", field="user")
    with transaction.atomic():
        declaration = Declaration(agenda_item=agenda_item, user=user, interest=interest.strip())
        validate(declaration)
        declaration.save()
        audit_record(
            actor=actor, verb=AuditVerb.DECLARATION_RECORDED, target=declaration, strategy=meeting.board.strategy
        )
    return declaration


@dataclass
class FollowUp:
    title: str
    owner: User
    due_date: date


def decision_record(
    *,
    actor: User,
    meeting: Meeting,
    text: str,
    outcome: str,
    agenda_item: AgendaItem | None = None,
    phase: Phase | None = None,
    milestone: Milestone | None = None,
    closes_phase: bool = False,
    is_published: bool = True,
    follow_ups: list[FollowUp] | None = None,
) -> Decision:
    """Record a board's decision. If it closes a phase, the phase ends on the meeting's day and
    the next phase starts then: only the board the phase names can do that, only for the phase
    under way, and only by approving."""
    strategy = meeting.board.strategy
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("board__strategy").get(pk=meeting.pk)
        if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
            raise ApplicationError("Choose an agenda item of this meeting.", field="agenda_item")
        for concerned, label in ((phase, "phase"), (milestone.phase if milestone else None, "milestone")):
            if concerned is not None and concerned.strategy_id != strategy.pk:
                raise ApplicationError(f"Choose a {label} of this meeting’s strategy.", field=label)
        if meeting.status == Meeting.Status.CANCELLED:
            raise ApplicationError("This meeting was cancelled, so it cannot record decisions.")
        decision = Decision(
            kind=Decision.Kind.MEETING,
            meeting=meeting,
            board=meeting.board,
            decided_on=timezone.localtime(meeting.starts_at).date(),
            agenda_item=agenda_item,
            text=text.strip(),
            outcome=outcome,
            phase=phase,
            milestone=milestone,
            is_published=is_published,
            recorded_by=actor,
        )
        closing: Phase | None = None
        if closes_phase:
            closing = phase_to_close(
                board=meeting.board,
                day=decision.decided_on,
                phase=phase,
                outcome=outcome,
                taken_by="this meeting",
            )
            decision.closes_phase = closing
            decision.phase = closing
        validate(decision)
        decision.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.DECISION_RECORDED,
            target=decision,
            strategy=strategy,
            data={"outcome": outcome, "meeting": str(meeting)},
        )
        if closing is not None:
            close_phase(actor=actor, phase=closing, day=decision.decided_on, decision=decision)
        for follow_up in follow_ups or []:
            _ensure_person_in_strategy(user=follow_up.owner, strategy=strategy, field="owner")
            target_phase = phase_current_for(strategy)
            if target_phase is None:
                raise ApplicationError("Every phase is closed, so follow-up actions have nowhere to go.")
            action = Milestone(
                phase=target_phase,
                title=follow_up.title.strip(),
                owner=follow_up.owner,
                due_date=follow_up.due_date,
                decision=decision,
                order=(target_phase.milestones.aggregate(m=Max("order"))["m"] or 0) + 1,
                source=f"Action from {meeting}",
            )
            if target_phase.milestones.filter(title=action.title).exists():
                raise ApplicationError(
                    f"{target_phase.name} already has a milestone called “{action.title}”. "
                    "Give the follow-up action another title.",
                    field="title",
                )
            validate(action)
            action.save()
            audit_record(
                actor=actor,
                verb=AuditVerb.MILESTONE_CREATED,
                target=action,
                strategy=strategy,
                data={"from_decision": decision.pk},
            )
    return decision


def phase_current_for(strategy: Strategy) -> Phase | None:
    return phase_current(phases=list(strategy.phases.order_by("order")))


def phase_to_close(*, board: Board, day: date, phase: Phase | None, outcome: str, taken_by: str) -> Phase:
    """The phase a decision of `board` taken on `day` would close, or the reason it cannot: only
    the phase under way, only by the board it names, only by approving, only once every milestone
    is done, and not on a day before the phase started. `taken_by` names where the decision was
    taken ("this meeting", "this written procedure") in that last refusal. Decisions at meetings and
    by written procedure share it (timeline/outside_meetings.py)."""
    current = phase_current_for(board.strategy)
    if current is None:
        raise ApplicationError("Every phase of this strategy is already closed.")
    if phase is not None and phase.pk != current.pk:
        raise ApplicationError(
            f"Only the phase under way can be closed: that is {current.name}, not {phase.name}.", field="phase"
        )
    if current.closing_board_id is not None and current.closing_board_id != board.pk:
        raise ApplicationError(
            f"{current.name} is closed by a decision of the {current.closing_board}, not the {board}.",
            field="closes_phase",
        )
    if current.actual_start is not None and day < current.actual_start:
        # Closing would end the phase before it began (the phase check constraint refuses it with
        # a message about dates the person never entered): say what is wrong instead.
        raise ApplicationError(
            f"{current.name} started on {current.actual_start:%-d %B %Y}, after {taken_by}, "
            f"so a decision of {taken_by} cannot close it.",
            field="closes_phase",
        )
    if outcome not in (Decision.Outcome.APPROVED, Decision.Outcome.AMENDED):
        raise ApplicationError(
            "Only a decision that approves (or approves as amended) can close a phase.", field="outcome"
        )
    open_milestones = [m.title for m in current.milestones.exclude(status=Milestone.Status.DONE)]
    if open_milestones:
        raise ApplicationError(
            f"{current.name} still has milestones that are not done: "
            + "; ".join(open_milestones)
            + ". Mark them done (or move them to a later phase) before closing the phase.",
            field="closes_phase",
        )
    return current


def close_phase(*, actor: User, phase: Phase, day: date, decision: Decision) -> None:
    phase.actual_start = phase.actual_start or day
    phase.actual_end = day
    validate(phase)
    phase.save(update_fields=["actual_start", "actual_end"])
    audit_record(
        actor=actor,
        verb=AuditVerb.PHASE_CLOSED,
        target=phase,
        strategy=phase.strategy,
        data={"decision": decision.pk, "on": day.isoformat()},
    )
    following = phase.strategy.phases.filter(order__gt=phase.order).order_by("order").first()
    if following is not None and following.actual_start is None:
        following.actual_start = day
        following.save(update_fields=["actual_start"])
        audit_record(
            actor=actor,
            verb=AuditVerb.PHASE_STARTED,
            target=following,
            strategy=phase.strategy,
            data={"on": day.isoformat()},
        )


# Calendars ---------------------------------------------------------------------------------


def calendar_feed_get_or_create(*, user: User) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user, defaults={"token": secrets.token_urlsafe(32)})
    return feed


def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """A new secret address: the old one stops working at once."""
    with transaction.atomic():
        feed = calendar_feed_get_or_create(user=user)
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token", "created_at"])
        audit_record(actor=user, verb=AuditVerb.CALENDAR_FEED_RESET, target=feed)
    return feed
