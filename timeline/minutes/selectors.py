"""Reads for minutes: the text a first draft starts from, the versions a person may read, the
meetings that may approve them, and the "Minutes" section of the meeting's page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from ..access import can_see_meeting
from ..deadlines import Deadline
from ..models import Attendance, Meeting, Minutes
from ..rules import can_manage
from ..selectors import meeting_deadlines, meeting_get_with_business

DISCUSSION_PROMPT = "_Add a summary of the discussion here._"


def _names(records: list[Any]) -> str:
    return ", ".join(str(record.user) for record in records) or "None"


def minutes_prefill(*, meeting: Meeting) -> str:
    """The Markdown a first draft starts from: attendance, declarations of interest and each
    agenda item with its decisions, as recorded; the officer adds the discussion."""
    meeting = meeting_get_with_business(meeting=meeting)
    day = timezone.localtime(meeting.starts_at)
    where = f", {meeting.location}" if meeting.location else ""
    lines = [
        f"Minutes of the {meeting.board.name}, {meeting.title}, held on {day:%A %-d %B %Y} at {day:%H:%M}{where}.",
        "",
    ]
    attendance = list(meeting.attendance.all())
    lines += ["## Attendance", ""]
    for status in Attendance.Status:
        records = [record for record in attendance if record.status == status.value]
        lines.append(f"**{status.label}:** {_names(records)}  ")
    lines.append("")
    declarations = [
        (item, declaration) for item in meeting.agenda_items.all() for declaration in item.declarations.all()
    ]
    lines += ["## Declarations of interest", ""]
    if declarations:
        lines += [
            f"- Item {item.number}: {declaration.user}: {declaration.interest}" for item, declaration in declarations
        ]
    else:
        lines.append("None were declared.")
    lines.append("")
    decisions = list(meeting.decisions.all())
    for item in meeting.agenda_items.all():
        lines += [f"## {item.number}. {item.title}", ""]
        if item.presenter:
            lines += [f"Presented by {item.presenter}.", ""]
        lines += [DISCUSSION_PROMPT, ""]
        for decision in (d for d in decisions if d.agenda_item_id == item.pk):
            lines += [f"**Decision ({decision.get_outcome_display().lower()}):** {decision.text}", ""]
    others = [decision for decision in decisions if decision.agenda_item_id is None]
    if others:
        lines += ["## Other decisions", ""]
        lines += [f"- **{d.get_outcome_display()}:** {d.text}" for d in others]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def minutes_list_for_meeting(*, meeting: Meeting) -> QuerySet[Minutes]:
    """Every version of the meeting's minutes, oldest first, with what the pages show of each."""
    return (
        Minutes.objects.filter(meeting=meeting)
        .select_related("meeting__board__strategy", "approved_by_decision__meeting", "created_by")
        .order_by("number")
    )


def minutes_readable(*, user: Any, meeting: Meeting, today: date) -> list[Minutes]:
    """The versions `user` may read, oldest first: every one for officers and the board's
    members; the published ones whose day has come for everybody else."""
    versions = list(minutes_list_for_meeting(meeting=meeting))
    if can_see_meeting(user, meeting):
        return versions
    return [minutes for minutes in versions if minutes.is_public(today)]


def minutes_current_public(*, versions: list[Minutes], today: date) -> Minutes | None:
    """The version the public reads: the newest published on a day that has come."""
    public = [minutes for minutes in versions if minutes.is_public(today)]
    return public[-1] if public else None


def replaced_by(*, minutes: Minutes, versions: list[Minutes], today: date) -> Minutes | None:
    """The published version that replaced `minutes`, once its day has come."""
    later = [other for other in versions if other.number > minutes.number and other.is_public(today)]
    return later[0] if later and minutes.status == Minutes.Status.PUBLISHED else None


def meeting_list_to_approve_minutes(*, meeting: Meeting, now: Any = None) -> QuerySet[Meeting]:
    """The meetings that may approve `meeting`'s minutes: later meetings of the same board that
    have begun and were not cancelled, the next first."""
    return (
        Meeting.objects.filter(
            board_id=meeting.board_id, starts_at__gt=meeting.starts_at, starts_at__lte=now or timezone.now()
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("board__strategy")
        .order_by("starts_at", "pk")
    )


@dataclass
class VersionRow:
    """A version as the lists show it: its number, state and, once replaced, by what."""

    minutes: Minutes
    replaced_by: Minutes | None
    public: bool


@dataclass
class MinutesSection:
    """The "Minutes" section of the meeting's page."""

    meeting: Meeting
    deadline: Deadline
    circulated_on: date | None
    circulation_missed: bool
    current_public: Minutes | None
    working: Minutes | None  # the version being written, circulated or approved, for those who may see it
    versions: list[VersionRow] = field(default_factory=list)
    can_manage: bool = False
    can_read: bool = False
    private: bool = False  # sees the board's business: officers and the board's members
    today: date | None = None


def minutes_section(*, meeting: Meeting, user: Any, today: date | None = None) -> MinutesSection:
    """What the meeting page shows of the minutes to `user`: their state and deadline, the
    version to read, and (for officers) what can be done next. One query for the versions."""
    day = today or timezone.localdate()
    versions = minutes_readable(user=user, meeting=meeting, today=day)
    private = can_see_meeting(user, meeting)
    unpublished = [minutes for minutes in versions if minutes.status != Minutes.Status.PUBLISHED]
    deadlines = meeting_deadlines(meeting, today=day)
    return MinutesSection(
        meeting=meeting,
        deadline=deadlines.minutes,
        circulated_on=meeting.minutes_circulated_on if private else None,
        circulation_missed=private and deadlines.minutes_missed,
        current_public=minutes_current_public(versions=versions, today=day),
        working=unpublished[0] if unpublished else None,
        versions=[
            VersionRow(minutes, replaced_by(minutes=minutes, versions=versions, today=day), minutes.is_public(day))
            for minutes in versions
        ],
        can_manage=bool(can_manage(user, meeting.board.strategy)),
        can_read=bool(versions),
        private=private,
        today=day,
    )
