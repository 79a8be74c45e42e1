"""iCalendar feeds, made with the icalendar library.

- A strategy's public feed: its phases (all-day, planned start to end), its key milestones
  (all-day, on the due date) and its board meetings that are not cancelled (timed). Decisions
  are not events: they are on the public timeline.
- A person's own feed, behind their secret address (CalendarFeed.token): the milestones they
  own that are not done and have a due date, in every strategy, and the meetings of the boards
  they sit on (a cancelled one stays in, marked cancelled, so calendars show it struck out).

Every event has a stable UID (`milestone-<pk>@lis-portal`), so a calendar that subscribes
updates its events instead of duplicating them. Meeting times are written in UTC, which every
calendar reads without a VTIMEZONE block. The portal records when a meeting starts, not when it
ends: events last MEETING_LENGTH, and their description says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta

from django.utils import timezone
from icalendar import Calendar, Event
from icalendar.enums import STATUS, TRANSP

from core.models import Strategy, User

from .models import Board, Meeting, Milestone, Phase

PRODID = "-//LIS Portal//Timeline calendars//EN"
UID_DOMAIN = "lis-portal"
MEETING_LENGTH = timedelta(hours=2)
REFRESH_INTERVAL = timedelta(hours=1)
CONTENT_TYPE = "text/calendar; charset=utf-8"

# Turns a site path into an absolute address (request.build_absolute_uri in a view).
Absolute = Callable[[str], str]


def uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{UID_DOMAIN}"


# Events --------------------------------------------------------------------------------------


def _all_day(*, uid_: str, summary: str, first: date, last: date, stamp: datetime, description: str, url: str) -> Event:
    """An all-day event that does not make the person look busy. DTEND of an all-day event is
    the day after its last day (RFC 5545, 3.6.1)."""
    return Event.new(
        uid=uid_,
        summary=summary,
        start=first,
        end=last + timedelta(days=1),
        stamp=stamp,
        description=description,
        transparency=TRANSP.TRANSPARENT,
        url=url,
    )


def phase_event(phase: Phase, *, stamp: datetime, url: str, strategy_name: str) -> Event:
    if phase.actual_end:
        actual = f"It ran from {phase.actual_start:%-d %B %Y} to {phase.actual_end:%-d %B %Y}."
    elif phase.actual_start:
        actual = f"Under way since {phase.actual_start:%-d %B %Y}."
    else:
        actual = "Not started yet."
    closing = f" It closes with a decision of the {phase.closing_board}." if phase.closing_board else ""
    return _all_day(
        uid_=uid("phase", phase.pk),
        summary=f"{strategy_name}: phase {phase.order}, {phase.name} (planned)",
        first=phase.planned_start,
        last=phase.planned_end,
        stamp=stamp,
        description=f"The planned dates of the phase. {actual}{closing}\n{url}",
        url=url,
    )


def milestone_event(milestone: Milestone, *, stamp: datetime, url: str, strategy_name: str) -> Event:
    assert milestone.due_date is not None
    key = "Key milestone" if milestone.is_key else "Milestone"
    event = _all_day(
        uid_=uid("milestone", milestone.pk),
        summary=f"{key} due: {milestone.title}",
        first=milestone.due_date,
        last=milestone.due_date,
        stamp=stamp,
        description=(f"{strategy_name}, {milestone.phase.name}. Status: {milestone.get_status_display()}.\n{url}"),
        url=url,
    )
    event.sequence = milestone.version
    event.last_modified = milestone.updated_at
    return event


def meeting_event(meeting: Meeting, *, stamp: datetime, url: str, strategy_name: str) -> Event:
    starts = meeting.starts_at.astimezone(UTC)
    lines = [f"{meeting.board.name}, {strategy_name}."]
    if meeting.online_url:
        lines.append(f"Online: {meeting.online_url}")
    lines.append(
        f"The portal holds the start time only: the end, {MEETING_LENGTH.seconds // 3600} hours later, is an estimate."
    )
    lines.append(url)
    cancelled = meeting.status == Meeting.Status.CANCELLED
    event = Event.new(
        uid=uid("meeting", meeting.pk),
        summary=f"Cancelled: {meeting.title}" if cancelled else meeting.title,
        start=starts,
        end=starts + MEETING_LENGTH,
        stamp=stamp,
        location=meeting.location or meeting.online_url or None,
        description="\n".join(lines),
        status=STATUS.CANCELLED if cancelled else STATUS.CONFIRMED,
        sequence=meeting.version,
        url=url,
    )
    return event


def _calendar(*, name: str, description: str, calendar_uid: str, events: Iterable[Event]) -> bytes:
    calendar = Calendar.new(
        prodid=PRODID,
        name=name,
        description=description,
        uid=calendar_uid,
        refresh_interval=REFRESH_INTERVAL,
        subcomponents=list(events),
    )
    calendar.calscale = "GREGORIAN"
    calendar.method = "PUBLISH"
    content: bytes = calendar.to_ical()
    return content


# Feeds ---------------------------------------------------------------------------------------


def strategy_calendar_ics(
    *,
    strategy: Strategy,
    phases: Iterable[Phase],
    meetings: Iterable[Meeting],
    absolute: Absolute,
    timeline_path: str,
    now: datetime | None = None,
) -> bytes:
    """The public feed of `strategy`: `phases` (with milestones prefetched) and their key
    milestones, and the `meetings` that are not cancelled. Every event links to the public
    timeline at `timeline_path`."""
    stamp = (now or timezone.now()).astimezone(UTC)
    url = absolute(timeline_path)
    events: list[Event] = []
    for phase in phases:
        events.append(phase_event(phase, stamp=stamp, url=url, strategy_name=strategy.name))
        events += [
            milestone_event(m, stamp=stamp, url=url, strategy_name=strategy.name)
            for m in phase.milestones.all()
            if m.is_key and m.due_date
        ]
    events += [
        meeting_event(meeting, stamp=stamp, url=absolute(meeting.get_absolute_url()), strategy_name=strategy.name)
        for meeting in meetings
        if meeting.status != Meeting.Status.CANCELLED
    ]
    return _calendar(
        name=f"{strategy.name}: timeline",
        description=f"The published dates of the {strategy.name}: its phases, key milestones and board meetings.",
        calendar_uid=uid("strategy", strategy.pk),
        events=events,
    )


def board_calendar_ics(
    *, board: Board, meetings: Iterable[Meeting], absolute: Absolute, now: datetime | None = None
) -> bytes:
    """The public feed of one board: its `meetings`, each linking to its public page; a cancelled
    one stays in the feed marked cancelled, so calendars that hold it update."""
    stamp = (now or timezone.now()).astimezone(UTC)
    strategy_name = board.strategy.name
    return _calendar(
        name=f"{board.name}: meetings",
        description=f"The meetings of the {board.name} of the {strategy_name}.",
        calendar_uid=uid("board", board.pk),
        events=[
            meeting_event(m, stamp=stamp, url=absolute(m.get_absolute_url()), strategy_name=strategy_name)
            for m in meetings
        ],
    )


def personal_calendar_ics(
    *,
    user: User,
    milestones: Iterable[Milestone],
    meetings: Iterable[Meeting],
    absolute: Absolute,
    now: datetime | None = None,
) -> bytes:
    """A person's own feed: `milestones` they own (from milestone_list_for_owner) and the
    `meetings` of their boards (from meeting_list_for_member). Events link to the portal's pages,
    which ask the person to sign in."""
    stamp = (now or timezone.now()).astimezone(UTC)
    events = [
        milestone_event(m, stamp=stamp, url=absolute(m.get_absolute_url()), strategy_name=m.phase.strategy.name)
        for m in milestones
    ]
    events += [
        meeting_event(
            meeting, stamp=stamp, url=absolute(meeting.get_absolute_url()), strategy_name=meeting.board.strategy.name
        )
        for meeting in meetings
    ]
    return _calendar(
        name="LIS Portal: my milestones and meetings",
        description=f"The milestones {user} owns and the meetings of their boards, from the LIS Portal.",
        calendar_uid=uid("person", user.pk),
        events=events,
    )
