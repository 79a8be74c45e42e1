"""Reads of the process, joined once here and shared by views, the public timeline, calendars,
reminders and (later) PDF packs. None of them grows its query count with the rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from core.models import Membership, Role, Strategy, User
from core.todos import Todo

from .deadlines import Deadline, minutes_deadline, papers_deadline
from .models import (
    Attendance,
    Board,
    BoardMembership,
    CalendarFeed,
    Decision,
    ForwardPlanEntry,
    Meeting,
    Milestone,
    Phase,
    WrittenProcedure,
    WrittenProcedureResponse,
)
from .rules import board_ids_of, can_manage, can_see_board_business


def phase_list_for_strategy(*, strategy: Strategy) -> QuerySet[Phase]:
    """The strategy's phases in order, each with its milestones prefetched."""
    milestones = Milestone.objects.select_related("owner", "lead_organisation").order_by("order", "pk")
    return (
        Phase.objects.filter(strategy=strategy)
        .select_related("closing_board")
        .prefetch_related(Prefetch("milestones", queryset=milestones))
        .order_by("order")
    )


def phase_list_with_progress(*, strategy: Strategy) -> QuerySet[Phase]:
    """Phases with `done_count` and `total_count` of their milestones, in one query."""
    return (
        Phase.objects.filter(strategy=strategy)
        .select_related("closing_board", "closing_decision__meeting")
        .annotate(
            total_count=Count("milestones"),
            done_count=Count("milestones", filter=Q(milestones__status=Milestone.Status.DONE)),
        )
        .order_by("order")
    )


def phase_current(*, phases: list[Phase]) -> Phase | None:
    """The phase under way: the first that has started and not closed, else the first not closed."""
    for phase in phases:
        if phase.actual_start and not phase.actual_end:
            return phase
    return next((phase for phase in phases if not phase.actual_end), None)


def board_list_for_strategy(*, strategy: Strategy) -> QuerySet[Board]:
    return Board.objects.filter(strategy=strategy).select_related("strategy", "organisation").order_by("kind", "name")


def board_list_for_member(*, user: Any) -> QuerySet[Board]:
    return (
        Board.objects.filter(memberships__user=user)
        .select_related("strategy", "organisation")
        .order_by("strategy__name", "kind", "name")
    )


def user_list_taking_part(*, strategy: Strategy) -> QuerySet[User]:
    """Everyone who takes part in the strategy (as core.rules.strategy_roles counts them: any member
    of the lead LEP, members of partner organisations other than their officers) or sits on one
    of its boards: the people who may own an action."""
    members = Membership.objects.filter(
        Q(organisation_id=strategy.lead_id) | (Q(organisation__in=strategy.partners.all()) & ~Q(role=Role.OFFICER))
    ).values("user_id")
    board_members = BoardMembership.objects.filter(board__strategy=strategy).values("user_id")
    return User.objects.filter(is_active=True).filter(Q(pk__in=members) | Q(pk__in=board_members)).order_by("name")


# Milestones ----------------------------------------------------------------------------------


def milestone_list(
    *,
    strategy: Strategy,
    phase_id: int | None = None,
    owner_id: int | None = None,
    status: str | None = None,
    overdue_on: date | None = None,
) -> QuerySet[Milestone]:
    """The strategy's milestones in phase order; only those of a phase, an owner or a status when
    given, and only those not done and due before `overdue_on` (today) when given."""
    milestones = (
        Milestone.objects.filter(phase__strategy=strategy)
        .select_related("phase__strategy", "owner", "lead_organisation")
        .prefetch_related(Prefetch("depends_on", queryset=Milestone.objects.only("pk", "title", "status")))
        .order_by("phase__order", "order", "pk")
    )
    if phase_id:
        milestones = milestones.filter(phase_id=phase_id)
    if owner_id:
        milestones = milestones.filter(owner_id=owner_id)
    if status:
        milestones = milestones.filter(status=status)
    if overdue_on:
        milestones = milestones.exclude(status=Milestone.Status.DONE).filter(due_date__lt=overdue_on)
    return milestones


def milestone_list_attention(*, strategy: Strategy, today: date) -> QuerySet[Milestone]:
    """Overdue, at-risk or blocked milestones, soonest first."""
    return (
        Milestone.objects.filter(phase__strategy=strategy)
        .exclude(status=Milestone.Status.DONE)
        .filter(Q(due_date__lt=today) | Q(status__in=[Milestone.Status.AT_RISK, Milestone.Status.BLOCKED]))
        .select_related("phase__strategy", "owner")
        .order_by("due_date", "pk")
    )


def milestone_list_due_for_owner(*, today: date, days: int = 7) -> QuerySet[Milestone]:
    """Every open milestone with an owner that is overdue or due within `days`, for digests."""
    return (
        Milestone.objects.exclude(status=Milestone.Status.DONE)
        .filter(owner__isnull=False, owner__is_active=True, due_date__lte=today + timedelta(days=days))
        .select_related("owner", "phase__strategy")
        .order_by("owner_id", "due_date", "pk")
    )


# Meetings ------------------------------------------------------------------------------------


@dataclass
class MeetingDeadlines:
    papers: Deadline
    minutes: Deadline
    papers_missed: bool
    minutes_missed: bool

    @property
    def missed(self) -> bool:
        return self.papers_missed or self.minutes_missed


def meeting_deadlines(meeting: Meeting, *, today: date) -> MeetingDeadlines:
    day = timezone.localtime(meeting.starts_at).date()
    papers, minutes = papers_deadline(day), minutes_deadline(day)
    if meeting.status == Meeting.Status.CANCELLED:
        return MeetingDeadlines(papers, minutes, papers_missed=False, minutes_missed=False)
    papers_missed = meeting.papers_published_on > papers.day if meeting.papers_published_on else today > papers.day
    # The minutes are on time once circulated to the board (or published) within ten clear working days.
    minutes_met = min(filter(None, (meeting.minutes_circulated_on, meeting.minutes_published_on)), default=None)
    minutes_missed = minutes_met > minutes.day if minutes_met else today > minutes.day
    return MeetingDeadlines(papers, minutes, papers_missed=papers_missed, minutes_missed=minutes_missed)


def meeting_list(
    *, strategy: Strategy, board_ids: frozenset[int] | None = None, decisions_of_boards: frozenset[int] | None = None
) -> QuerySet[Meeting]:
    """The strategy's meetings, oldest first; only those of `board_ids` when given. Each counts
    its decisions: every one, or (given `decisions_of_boards`) the published ones and every one of
    those boards' meetings."""
    counted = None
    if decisions_of_boards is not None:
        counted = Q(decisions__is_published=True) | Q(board_id__in=decisions_of_boards)
    meetings = (
        Meeting.objects.filter(board__strategy=strategy)
        .select_related("board__strategy")
        .annotate(decision_count=Count("decisions", filter=counted))
        .order_by("starts_at", "pk")
    )
    if board_ids is not None:
        meetings = meetings.filter(board_id__in=board_ids)
    return meetings


def meeting_list_upcoming(*, strategy: Strategy, now: Any, limit: int = 5) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(board__strategy=strategy, starts_at__gte=now)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("board__strategy")
        .order_by("starts_at")[:limit]
    )


def meeting_get_with_business(*, meeting: Meeting) -> Meeting:
    """One meeting with its agenda (and each item's declarations and decisions), attendance and
    decisions, in a fixed number of queries."""
    return (
        Meeting.objects.select_related("board__strategy")
        .prefetch_related(
            Prefetch("agenda_items__declarations__user"),
            Prefetch("attendance", queryset=Attendance.objects.select_related("user")),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("agenda_item", "phase", "milestone", "closes_phase")
                .prefetch_related("actions__owner")
                .order_by("pk"),
            ),
            "board__memberships__user",
        )
        .get(pk=meeting.pk)
    )


def decision_list(*, strategy: Strategy, published_only: bool = False, today: date | None = None) -> QuerySet[Decision]:
    """The strategy's decisions (at meetings, by written procedure, delegated), newest first; only
    the public ones (published, on a publication date that has come) when `published_only`."""
    decisions = (
        Decision.objects.filter(board__strategy=strategy)
        .select_related("board__strategy", "meeting__board__strategy", "agenda_item", "phase", "closes_phase")
        .order_by("-decided_on", "-pk")
    )
    return decisions.public(today or timezone.localdate()) if published_only else decisions


def decision_list_for_user(*, user: Any, strategy: Strategy, today: date | None = None) -> QuerySet[Decision]:
    """The decisions a person may read: officers and administrators every one; everybody else the
    public ones, and board members also those of their boards."""
    decisions = decision_list(strategy=strategy)
    if can_manage(user, strategy):
        return decisions
    public = Decision.objects.public(today or timezone.localdate()).values("pk")
    return decisions.filter(Q(pk__in=public) | Q(board_id__in=board_ids_of(user, strategy)))


def decision_page_extras(decision: Decision, *, user: Any) -> dict[str, Any]:
    """What a decision taken outside a meeting adds to its page: its written procedure with the
    tally of responses (and whether the person may open the procedure, with the names), and
    whether the person may follow the link to the decision that delegated it."""
    today = timezone.localdate()
    extras: dict[str, Any] = {"procedure": None, "tally": None, "can_open_procedure": False}
    if decision.kind == Decision.Kind.WRITTEN:
        procedure = WrittenProcedure.objects.filter(decision=decision).prefetch_related("responses").first()
        if procedure is not None:
            extras.update(
                procedure=procedure,
                tally=procedure.tally(),
                can_open_procedure=can_see_board_business(user, decision.board),
            )
    delegated_by = decision.delegated_by
    extras["delegated_by_readable"] = delegated_by is not None and (
        delegated_by.is_public(today) or can_see_board_business(user, decision.board)
    )
    return extras


# Written procedures and the forward plan -------------------------------------------------------


def written_procedure_list(
    *, strategy: Strategy, board_ids: frozenset[int] | None = None
) -> QuerySet[WrittenProcedure]:
    """The strategy's written procedures, open ones first, then by closing date; only those of
    `board_ids` when given. Each with `response_count`."""
    procedures = (
        WrittenProcedure.objects.filter(board__strategy=strategy)
        .select_related("board", "decision")
        .annotate(response_count=Count("responses"))
        .order_by("-status", "closes_on", "pk")
    )
    if board_ids is not None:
        procedures = procedures.filter(board_id__in=board_ids)
    return procedures


def written_procedure_get_with_responses(*, procedure: WrittenProcedure) -> WrittenProcedure:
    """One written procedure with its responses and its board's members, in a fixed number of queries."""
    return (
        WrittenProcedure.objects.select_related("board__strategy", "decision", "opened_by")
        .prefetch_related(
            Prefetch("responses", queryset=WrittenProcedureResponse.objects.select_related("member", "recorded_by")),
            Prefetch(
                "board__memberships",
                queryset=BoardMembership.objects.select_related("user").order_by("role", "user__name"),
            ),
        )
        .get(pk=procedure.pk)
    )


@dataclass
class ForwardPlan:
    upcoming: list[ForwardPlanEntry]
    taken: list[ForwardPlanEntry]
    withdrawn: list[ForwardPlanEntry]


RECENTLY_TAKEN_DAYS = 90


def forward_plan_for_user(*, user: Any, strategy: Strategy, today: date) -> ForwardPlan:
    """The planned entries by expected date; those taken in the last 90 days (each linking its
    decision where the person may read it, `entry.decision_readable`); withdrawn ones for officers."""
    manager = bool(can_manage(user, strategy))
    entries = list(
        ForwardPlanEntry.objects.filter(board__strategy=strategy)
        .select_related("board", "decision")
        .order_by("expected_on", "pk")
    )
    board_ids = board_ids_of(user, strategy)
    for entry in entries:
        decision = entry.decision
        entry.decision_readable = decision is not None and (  # type: ignore[attr-defined]
            manager or decision.is_public(today) or decision.board_id in board_ids
        )
    since = today - timedelta(days=RECENTLY_TAKEN_DAYS)
    taken = [
        entry
        for entry in entries
        if entry.status == ForwardPlanEntry.Status.TAKEN and entry.decision and entry.decision.decided_on >= since
    ]
    return ForwardPlan(
        upcoming=[entry for entry in entries if entry.status == ForwardPlanEntry.Status.PLANNED],
        taken=sorted(taken, key=lambda entry: entry.decision.decided_on if entry.decision else today, reverse=True),
        withdrawn=[entry for entry in entries if entry.status == ForwardPlanEntry.Status.WITHDRAWN] if manager else [],
    )


# Calendars ------------------------------------------------------------------------------------


def calendar_feed_get_by_token(*, token: str) -> CalendarFeed | None:
    """The feed behind a secret address, if it exists and its person can still sign in."""
    return CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()


def milestone_list_for_owner(*, user: User) -> QuerySet[Milestone]:
    """The person's open milestones with a due date, in every strategy."""
    return (
        Milestone.objects.filter(owner=user, due_date__isnull=False)
        .exclude(status=Milestone.Status.DONE)
        .select_related("phase__strategy")
        .order_by("due_date", "pk")
    )


def meeting_list_for_member(*, user: User) -> QuerySet[Meeting]:
    """The meetings of every board the person sits on."""
    board_ids = BoardMembership.objects.filter(user=user).values("board_id")
    return Meeting.objects.filter(board_id__in=board_ids).select_related("board__strategy").order_by("starts_at", "pk")


# Your work -------------------------------------------------------------------------------------


def timeline_todos_for(*, user: Any, strategy: Strategy, today: date) -> dict[str, list[Todo]]:
    """The timeline's to-dos for a person, by role: for those who run the process ("officer":
    officers, administrators), the milestones overdue and at risk, each count leading to the
    milestone list filtered to it (one query, whatever the milestones); for a board member
    ("board_member"), each open written procedure of their boards still awaiting their response."""
    todos: dict[str, list[Todo]] = {}
    board_ids = board_ids_of(user, strategy)
    if board_ids:
        todos["board_member"] = _written_procedures_awaiting(user, board_ids, today)
    if not can_manage(user, strategy):
        return todos
    open_ones = Milestone.objects.filter(phase__strategy=strategy).exclude(status=Milestone.Status.DONE)
    counts = open_ones.aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        at_risk=Count("pk", filter=Q(status=Milestone.Status.AT_RISK)),
    )
    kwargs = {"strategy_slug": strategy.slug}
    officer = []
    if counts["overdue"]:
        officer.append(
            Todo("Milestones overdue", "timeline:milestone-list", kwargs, counts["overdue"], {"due": "overdue"})
        )
    if counts["at_risk"]:
        officer.append(
            Todo("Milestones at risk", "timeline:milestone-list", kwargs, counts["at_risk"], {"status": "at_risk"})
        )
    todos["officer"] = officer
    return todos


def _written_procedures_awaiting(user: Any, board_ids: frozenset[int], today: date) -> list[Todo]:
    """Open written procedures of the person's boards they have not answered yet: one query."""
    procedures = (
        WrittenProcedure.objects.filter(
            board_id__in=board_ids, status=WrittenProcedure.Status.OPEN, closes_on__gte=today
        )
        .exclude(responses__member=user)
        .select_related("board__strategy")
        .order_by("closes_on", "pk")
    )
    return [
        Todo(
            f"Written procedure of the {procedure.board.name}: your response",
            "timeline:written-procedure-detail",
            {"strategy_slug": procedure.board.strategy.slug, "pk": procedure.pk},
            hint=f"Respond by {procedure.closes_on:%A %-d %B %Y}",
            status="To respond",
        )
        for procedure in procedures
    ]
