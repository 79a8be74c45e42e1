"""Access helpers for the timeline. Views load protected objects only through these; a person
without access gets 404, whether or not the object exists."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404
from django.utils import timezone

from core.models import Strategy

from .models import Decision, ForwardPlanEntry, Meeting, Milestone, Minutes, Phase, WrittenProcedure
from .rules import can_manage, can_see_board_business, can_view, sits_on


def get_milestone_for_user_or_404(user: Any, strategy: Strategy, pk: int, *, write: bool = False) -> Milestone:
    allowed = can_manage(user, strategy) if write else can_view(user, strategy)
    milestone = (
        Milestone.objects.select_related("phase", "owner", "lead_organisation", "decision__board", "decision__meeting")
        .filter(pk=pk, phase__strategy=strategy)
        .first()
    )
    if milestone is None or not allowed:
        raise Http404("No milestone here.")
    return milestone


def get_phase_for_user_or_404(user: Any, strategy: Strategy, pk: int, *, write: bool = False) -> Phase:
    allowed = can_manage(user, strategy) if write else can_view(user, strategy)
    phase = Phase.objects.select_related("closing_board").filter(pk=pk, strategy=strategy).first()
    if phase is None or not allowed:
        raise Http404("No phase here.")
    return phase


def can_see_meeting(user: Any, meeting: Meeting) -> bool:
    """Officers and administrators, and the members of the meeting's board."""
    return bool(can_manage(user, meeting.board.strategy)) or sits_on(user, meeting.board)


def papers_are_public(meeting: Meeting, *, today: date | None = None) -> bool:
    """The meeting's agenda and papers are out: an officer published them on a day that has come."""
    day = today or timezone.localdate()
    return meeting.papers_published_on is not None and meeting.papers_published_on <= day


def can_read_business(user: Any, meeting: Meeting) -> bool:
    """Whether `user` reads the meeting's public business — agenda, papers that are not exempt,
    the public pack, attendance, declarations, published decisions, approved minutes: everyone
    who sees the strategy once its papers are public; officers and the board's members always.
    Exempt papers, members' packs and unpublished decisions stay `can_see_meeting`'s."""
    return can_see_meeting(user, meeting) or papers_are_public(meeting)


def get_meeting_for_user_or_404(user: Any, strategy: Strategy, pk: int, *, write: bool = False) -> Meeting:
    meeting = Meeting.objects.select_related("board__strategy").filter(pk=pk, board__strategy=strategy).first()
    if meeting is None:
        raise Http404("No meeting here.")
    allowed = can_manage(user, strategy) if write else can_see_meeting(user, meeting)
    if not allowed:
        raise Http404("No meeting here.")
    return meeting


def get_decision_for_user_or_404(user: Any, strategy: Strategy, pk: int) -> Decision:
    """A decision: public ones (published, on a publication date that has come) for everyone who
    sees the strategy; the rest for officers, administrators and the members of its board."""
    decision = (
        Decision.objects.select_related(
            "board__strategy",
            "meeting__board__strategy",
            "agenda_item",
            "phase",
            "milestone",
            "closes_phase",
            "delegated_by",
        )
        .filter(pk=pk, board__strategy=strategy)
        .first()
    )
    if decision is None or not (
        decision.is_public(timezone.localdate()) or can_see_board_business(user, decision.board)
    ):
        raise Http404("No decision here.")
    return decision


def can_read_minutes(user: Any, minutes: Minutes, *, today: date | None = None) -> bool:
    """A version of the minutes: everyone who sees the strategy once it is published on a day that
    has come (superseded versions too); drafts, circulated and approved ones for officers and the
    board's members."""
    return minutes.is_public(today or timezone.localdate()) or can_see_meeting(user, minutes.meeting)


def get_minutes_for_user_or_404(
    user: Any, strategy: Strategy, meeting_pk: int, *, number: int | None = None, write: bool = False
) -> Minutes:
    """A version of a meeting's minutes: version `number`, or the newest the person may read (with
    `write`, the newest of all, for officers only). 404 when there is none they may read."""
    versions = Minutes.objects.select_related("meeting__board__strategy", "approved_by_decision__meeting").filter(
        meeting_id=meeting_pk, meeting__board__strategy=strategy
    )
    if number is not None:
        versions = versions.filter(number=number)
    if write:
        minutes = versions.order_by("-number").first()
        if minutes is None or not can_manage(user, strategy):
            raise Http404("No minutes here.")
        return minutes
    today = timezone.localdate()
    readable = [minutes for minutes in versions.order_by("-number") if can_read_minutes(user, minutes, today=today)]
    if not readable:
        raise Http404("No minutes here.")
    return readable[0]


def get_written_procedure_for_user_or_404(
    user: Any, strategy: Strategy, pk: int, *, write: bool = False
) -> WrittenProcedure:
    """A written procedure: officers and administrators; the members of its board (to read it)."""
    procedure = (
        WrittenProcedure.objects.select_related("board__strategy").filter(pk=pk, board__strategy=strategy).first()
    )
    if procedure is None:
        raise Http404("No written procedure here.")
    allowed = can_manage(user, strategy) if write else can_see_board_business(user, procedure.board)
    if not allowed:
        raise Http404("No written procedure here.")
    return procedure


def get_forward_plan_entry_for_user_or_404(user: Any, strategy: Strategy, pk: int) -> ForwardPlanEntry:
    """A forward plan entry to edit: officers and administrators."""
    entry = (
        ForwardPlanEntry.objects.select_related("board__strategy", "decision")
        .filter(pk=pk, board__strategy=strategy)
        .first()
    )
    if entry is None or not can_manage(user, strategy):
        raise Http404("No forward plan entry here.")
    return entry
