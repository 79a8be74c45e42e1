"""A meeting's business as the pages show it, and where its one page lives.

The rows (a meeting's status tag and deadlines, its decisions with their outcome tags, its agenda
with each item's decisions, its attendance) are built here once, for timeline's lists and for the
meeting page. That page shows the agenda with its papers and packs too, so it lives in the app
above (documents, docs/design.md "Growing the house"): the higher app registers its URL name from
its AppConfig.ready, and `Meeting.get_absolute_url`, timeline's links and timeline's own meeting
URL (a redirect) all lead there. The import graph stays one-way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from . import selectors
from .models import AgendaItem, Attendance, Board, BoardMembership, Decision, Meeting

MEETING_STATUS_TAGS: dict[str, str] = {
    Meeting.Status.SCHEDULED: "govuk-tag--blue",
    Meeting.Status.PAPERS_PUBLISHED: "govuk-tag--light-blue",
    Meeting.Status.HELD: "govuk-tag--turquoise",
    Meeting.Status.MINUTES_PUBLISHED: "govuk-tag--green",
    Meeting.Status.CANCELLED: "govuk-tag--grey",
}
OUTCOME_TAGS: dict[str, str] = {
    Decision.Outcome.APPROVED: "govuk-tag--green",
    Decision.Outcome.AMENDED: "govuk-tag--turquoise",
    Decision.Outcome.DEFERRED: "govuk-tag--yellow",
    Decision.Outcome.REJECTED: "govuk-tag--red",
}

# The URL name of the one meeting page (taking strategy_slug and pk), set by the app that owns it.
_meeting_page: list[str] = []


def register_meeting_page(url_name: str) -> None:
    """Called by the higher app's AppConfig.ready: its page is the meeting's page."""
    _meeting_page[:] = [url_name]


def meeting_page_url(meeting: Meeting) -> str | None:
    """The address of the meeting's page, or None when no app has registered one."""
    if not _meeting_page:
        return None
    return reverse(_meeting_page[0], kwargs={"strategy_slug": meeting.board.strategy.slug, "pk": meeting.pk})


# The URL name (taking strategy_slug and board_pk) of the page where anyone follows a board by
# email, set by the app that holds subscriptions (engagement) from its AppConfig.ready.
_board_follow: list[str] = []


def register_board_follow(url_name: str) -> None:
    _board_follow[:] = [url_name]


def board_follow_url(board: Board) -> str | None:
    """Where to follow `board` by email, or None when no app offers it."""
    if not _board_follow:
        return None
    return reverse(_board_follow[0], kwargs={"strategy_slug": board.strategy.slug, "board_pk": board.pk})


@dataclass
class MeetingRow:
    """A meeting as the pages show it: its status tag, its deadlines, and whether the person
    looking may open it."""

    meeting: Meeting
    deadlines: selectors.MeetingDeadlines
    status_tag: str
    can_open: bool

    @property
    def holidays_known(self) -> bool:
        return self.deadlines.papers.holidays_known and self.deadlines.minutes.holidays_known


@dataclass
class DecisionRow:
    decision: Decision
    outcome_tag: str
    can_open_meeting: bool = False


@dataclass
class AgendaRow:
    item: AgendaItem
    decisions: list[DecisionRow] = field(default_factory=list)


@dataclass
class MeetingBusiness:
    """Everything of a meeting's business its page shows, built from one
    `selectors.meeting_get_with_business` read."""

    meeting: Meeting
    row: MeetingRow
    agenda: list[AgendaRow]
    decisions: list[DecisionRow]
    attendance_rows: list[tuple[BoardMembership, Attendance | None]]
    others_attending: list[Attendance]


def meeting_row(meeting: Meeting, *, can_open: bool) -> MeetingRow:
    return MeetingRow(
        meeting=meeting,
        deadlines=selectors.meeting_deadlines(meeting, today=timezone.localdate()),
        status_tag=MEETING_STATUS_TAGS.get(meeting.status, "govuk-tag--grey"),
        can_open=can_open,
    )


def decision_row(decision: Decision, *, can_open_meeting: bool = False) -> DecisionRow:
    return DecisionRow(decision, OUTCOME_TAGS.get(decision.outcome, "govuk-tag--grey"), can_open_meeting)


def holidays_note_needed(rows: list[MeetingRow]) -> bool:
    return any(not row.holidays_known for row in rows)


def meeting_business(*, meeting: Meeting) -> MeetingBusiness:
    """The meeting's agenda (each item with its decisions), decisions, and attendance of the
    board's members (and of people no longer on it), in a fixed number of queries."""
    meeting = selectors.meeting_get_with_business(meeting=meeting)
    decisions = [decision_row(decision) for decision in meeting.decisions.all()]
    agenda = [AgendaRow(item) for item in meeting.agenda_items.all()]
    by_item = {row.item.pk: row for row in agenda}
    for row in decisions:
        if row.decision.agenda_item_id in by_item:
            by_item[row.decision.agenda_item_id].decisions.append(row)
    attendance = {record.user_id: record for record in meeting.attendance.all()}
    members = list(meeting.board.memberships.all())
    member_ids = {membership.user_id for membership in members}
    return MeetingBusiness(
        meeting=meeting,
        row=meeting_row(meeting, can_open=True),
        agenda=agenda,
        decisions=decisions,
        attendance_rows=[(membership, attendance.get(membership.user_id)) for membership in members],
        others_attending=[record for user_id, record in attendance.items() if user_id not in member_ids],
    )
