"""The boards of the replayed strategy and their business (content/boards.toml): the boards, then
their meetings, each with its agenda and the decisions it took."""

from __future__ import annotations

from core.models import Strategy, User
from timeline.deadlines import minutes_deadline, papers_deadline
from timeline.models import AgendaItem, Board, Decision, Meeting, Milestone

from .content import Content, Entry
from .organisations import Organisations
from .records import Replay, at, upsert
from .strategies import strategy_named

# From these statuses on, a meeting's papers (and, for the last, its minutes) have been published.
PAPERS_OUT = {Meeting.Status.PAPERS_PUBLISHED, Meeting.Status.HELD, Meeting.Status.MINUTES_PUBLISHED}


def board_named(entry: Entry, boards: dict[str, Board], key: str = "board") -> Board:
    name = entry.text(key)
    if name not in boards:
        raise entry.error(f"“{key}” is “{name}”, which is not a board of boards.toml.")
    return boards[name]


def load_boards(content: Content, strategies: dict[str, Strategy], orgs: Organisations) -> dict[str, Board]:
    file = content.file("boards.toml", required=["strategy", "board"], optional=["meeting"])
    strategy = strategy_named(file, strategies)
    boards: dict[str, Board] = {}
    for entry in file.entries("board", name="name", required=["name", "kind"], optional=["organisation"]):
        organisation = orgs.named(entry, "organisation") if "organisation" in entry.data else None
        boards[entry.text("name")] = upsert(
            Board,
            {"strategy": strategy, "name": entry.text("name")},
            {"kind": entry.choice("kind", Board.Kind), "organisation": organisation},
        )
    return boards


def load_meetings(
    content: Content, *, boards: dict[str, Board], replay: Replay, milestones: list[Milestone], recorded_by: User
) -> list[Meeting]:
    """The meetings, replayed, with their agendas and decisions."""
    file = content.file("boards.toml", required=["strategy", "board"], optional=["meeting"])
    by_title = {milestone.title: milestone for milestone in milestones}
    meetings: list[Meeting] = []
    for entry in file.entries(
        "meeting",
        name="title",
        required=["board", "title", "day", "starts", "status", "notes"],
        optional=["location", "agenda_item", "decision", "papers_on", "paper"],  # papers: drafting.py
    ):
        day = replay.day(entry.day("day"))
        status = entry.choice("status", Meeting.Status)
        meeting = upsert(
            Meeting,
            {"board": board_named(entry, boards), "title": entry.text("title")},
            {
                "starts_at": at(day, entry.clock("starts")),
                "location": entry.text("location", ""),
                "status": status,
                "papers_published_on": papers_deadline(day).day if status in PAPERS_OUT else None,
                "minutes_published_on": minutes_deadline(day).day
                if status == Meeting.Status.MINUTES_PUBLISHED
                else None,
                "notes": entry.text("notes"),
            },
        )
        items = {
            item.number("number"): upsert(
                AgendaItem, {"meeting": meeting, "number": item.number("number")}, {"title": item.text("title")}
            )
            for item in entry.entries("agenda_item", name="number", required=["number", "title"])
        }
        for decision in entry.entries(
            "decision",
            name="text",
            required=["text", "outcome"],
            optional=["agenda_item", "milestone", "published", "closes_phase"],
        ):
            _decision(decision, meeting=meeting, items=items, milestones=by_title, recorded_by=recorded_by)
        meetings.append(meeting)
    return meetings


def _decision(
    entry: Entry,
    *,
    meeting: Meeting,
    items: dict[int, AgendaItem],
    milestones: dict[str, Milestone],
    recorded_by: User,
) -> Decision:
    item = None
    if "agenda_item" in entry.data:
        item = items.get(entry.number("agenda_item"))
        if item is None:
            raise entry.error(f"“agenda_item” is {entry.number('agenda_item')}, which is not on the meeting's agenda.")
    milestone = None
    if "milestone" in entry.data:
        milestone = milestones.get(entry.text("milestone"))
        if milestone is None:
            raise entry.error(f"“milestone” is “{entry.text('milestone')}”, which is not a milestone of schedule.toml.")
    closes = entry.flag("closes_phase")
    if closes and milestone is None:
        raise entry.error("“closes_phase” needs the “milestone” whose phase the decision closes.")
    return upsert(
        Decision,
        {"meeting": meeting, "text": entry.text("text")},
        {
            "agenda_item": item,
            "outcome": entry.choice("outcome", Decision.Outcome),
            "phase": milestone.phase if milestone else None,
            "milestone": milestone,
            "closes_phase": milestone.phase if closes and milestone else None,
            "is_published": entry.flag("published"),
            "recorded_by": recorded_by,
        },
    )
