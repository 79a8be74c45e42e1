"""The replayed schedule (content/schedule.toml): the SELEP page's six phases and their milestones,
moved by whole days so that today stands for the day the content names (three weeks into drafting).
Phases that have ended by that day are done with every milestone; the current phase has done the
milestones due by then and has the next one in progress; later phases have not started."""

from __future__ import annotations

from datetime import date

from core.models import Strategy
from timeline.models import Board, Milestone, Phase

from .content import Content, Entry
from .organisations import Organisations
from .people import People
from .records import Replay, upsert
from .strategies import strategy_named

REQUIRED = ["strategy", "replay_today", "original_span", "note", "closing_board", "milestone_source", "phase"]


def _file(content: Content) -> Entry:
    return content.file("schedule.toml", required=REQUIRED)


def replay_for(content: Content, today: date) -> Replay:
    """How the schedule is replayed when the demo is loaded on `today`."""
    file = _file(content)
    return Replay(today=today, replay_today=file.day("replay_today"), original_span=file.text("original_span"))


def schedule_note(content: Content, replay: Replay) -> str:
    return _file(content).text(
        "note",
        shift_days=f"{replay.shift.days:,}",
        today=f"{replay.today.day} {replay.today:%B %Y}",
        replay_today=f"{replay.replay_today.day} {replay.replay_today:%B %Y}",
        original_span=replay.original_span,
    )


def load_schedule(
    content: Content,
    *,
    strategies: dict[str, Strategy],
    boards: dict[str, Board],
    replay: Replay,
    people: People,
    orgs: Organisations,
) -> tuple[list[Phase], list[Milestone]]:
    """The phases and milestones replayed; scoping and evidence done, drafting under way."""
    file = _file(content)
    strategy = strategy_named(file, strategies)
    closing_board = boards.get(file.text("closing_board"))
    if closing_board is None:
        raise file.error(f"“closing_board” is “{file.text('closing_board')}”, which is not a board of boards.toml.")
    phases: list[Phase] = []
    milestones: list[Milestone] = []
    entries = file.entries(
        "phase",
        name="stage",
        required=["stage", "original_dates", "planned_start", "planned_end", "milestone"],
        optional=["owner", "lead_organisation"],
    )
    for order, entry in enumerate(entries, start=1):
        stage = entry.choice("stage", Phase.Stage)
        start, end = entry.day("planned_start"), entry.day("planned_end")
        started, ended = start <= replay.replay_today, end < replay.replay_today
        phase = upsert(
            Phase,
            {"strategy": strategy, "stage": stage},
            {
                "order": order,
                "name": Phase.Stage(stage).label,
                "planned_start": replay.day(start),
                "planned_end": replay.day(end),
                "actual_start": replay.day(start) if started else None,
                "actual_end": replay.day(end) if ended else None,
                "closing_board": closing_board,
                "original_dates": entry.text("original_dates"),
            },
        )
        phases.append(phase)
        owner = people.named(entry, "owner") if "owner" in entry.data else None
        lead = orgs.named(entry, "lead_organisation") if "lead_organisation" in entry.data else None
        in_progress_given = False
        for number, task in enumerate(
            entry.entries("milestone", name="title", required=["title"], optional=["due", "key", "status"]), start=1
        ):
            due = task.day("due") if "due" in task.data else end
            if ended or (started and due <= replay.replay_today):
                status, completed = Milestone.Status.DONE, replay.day(due)
            elif started and not in_progress_given:
                status, completed, in_progress_given = Milestone.Status.IN_PROGRESS, None, True
            else:
                status, completed = Milestone.Status.NOT_STARTED, None
            if "status" in task.data:  # the content's word on how it is going (late, at risk)
                status = Milestone.Status(task.choice("status", Milestone.Status))
                completed = replay.day(due) if status == Milestone.Status.DONE else None
            milestones.append(
                upsert(
                    Milestone,
                    {"phase": phase, "title": task.text("title")},
                    {
                        "order": number,
                        "status": status,
                        "due_date": replay.day(due),
                        "completed_on": completed,
                        "owner": owner,
                        "lead_organisation": lead,
                        "is_key": task.flag("key"),
                        "source": file.text("milestone_source"),
                    },
                )
            )
    return phases, milestones
