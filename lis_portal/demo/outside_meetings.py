"""Decisions outside meetings and the forward plan of the replayed strategy (content/decisions.toml):
a written procedure with its responses and outcome, a delegated decision, and the forward plan,
all illustrative. Each is made through timeline's services on its replayed day, once; a reload on
another day moves their dates, as upsert moves the meetings'."""

from __future__ import annotations

from datetime import date, time

from core.exceptions import ApplicationError
from core.models import Strategy, User
from timeline import forward_plan, outside_meetings
from timeline.models import Board, Decision, ForwardPlanEntry, WrittenProcedure

from .boards import board_named
from .content import Content, DemoDataError, Entry
from .records import Replay
from .strategies import strategy_named


def _refused(entry: Entry, doing: str, error: ApplicationError) -> DemoDataError:
    return entry.error(f"{doing} was refused: {error.message}")


def load_outside_meetings(
    content: Content,
    *,
    strategies: dict[str, Strategy],
    boards: dict[str, Board],
    people: dict[str, User],
    officer: User,
    replay: Replay,
) -> dict[str, int]:
    file = content.file(
        "decisions.toml", required=["strategy"], optional=["written_procedure", "delegated", "forward_plan"]
    )
    strategy = strategy_named(file, strategies)
    decisions: dict[str, Decision] = {}
    procedures = 0
    for entry in file.entries(
        "written_procedure",
        name="question",
        required=["board", "question", "opened", "closes", "outcome_on"],
        optional=["response"],
    ):
        decision = _written_procedure(entry, boards=boards, people=people, officer=officer, replay=replay)
        decisions[decision.text] = decision
        procedures += 1
    for entry in file.entries(
        "delegated",
        name="text",
        required=["board", "text", "outcome", "day", "delegate_name", "delegate_post", "delegation"],
    ):
        decision = _delegated(entry, boards=boards, officer=officer, replay=replay)
        decisions[decision.text] = decision
    entries = [
        _forward_plan_entry(
            entry, strategy=strategy, boards=boards, decisions=decisions, officer=officer, replay=replay
        )
        for entry in file.entries(
            "forward_plan",
            name="title",
            required=["board", "title", "expected", "maker", "papers"],
            optional=["officer", "taken"],
        )
    ]
    return {
        "Written procedures": procedures,
        "Decisions outside meetings": len(decisions),
        "Forward plan entries": len(entries),
    }


def _written_procedure(
    entry: Entry, *, boards: dict[str, Board], people: dict[str, User], officer: User, replay: Replay
) -> Decision:
    board = board_named(entry, boards)
    question = entry.text("question")
    closes = replay.day(entry.day("closes"))
    procedure = WrittenProcedure.objects.filter(board=board, question=question).select_related("decision").first()
    if procedure is not None and procedure.decision is not None:
        # Made on an earlier load: bring its dates to this replay.
        WrittenProcedure.objects.filter(pk=procedure.pk).update(closes_on=closes)
        Decision.objects.filter(pk=procedure.decision.pk).update(
            decided_on=closes, published_on=replay.day(entry.day("outcome_on"))
        )
        procedure.decision.refresh_from_db()
        return procedure.decision
    responses = entry.entries("response", name="member", required=["member", "answer", "on"], optional=["comment"])
    try:
        with replay.living(entry.day("opened")):
            procedure = outside_meetings.written_procedure_open(
                actor=officer, board=board, question=question, closes_on=closes
            )
        for response in responses:
            member = people.get(response.text("member"))
            if member is None:
                raise response.error(f"“member” is {response.text('member')}, which is not a person of people.toml.")
            with replay.living(response.day("on"), time(9)):
                outside_meetings.written_procedure_respond(
                    actor=member,
                    procedure=procedure,
                    member=member,
                    answer=response.text("answer"),
                    comment=response.text("comment", ""),
                )
        with replay.living(entry.day("outcome_on")):
            return outside_meetings.written_procedure_close(actor=officer, procedure=procedure)
    except ApplicationError as error:
        raise _refused(entry, "The written procedure", error) from error


def _delegated(entry: Entry, *, boards: dict[str, Board], officer: User, replay: Replay) -> Decision:
    board = board_named(entry, boards)
    day = replay.day(entry.day("day"))
    existing = Decision.objects.filter(board=board, kind=Decision.Kind.DELEGATED, text=entry.text("text")).first()
    if existing is not None:
        Decision.objects.filter(pk=existing.pk).update(decided_on=day, published_on=day)
        existing.refresh_from_db()
        return existing
    try:
        with replay.living(entry.day("day"), time(16)):
            return outside_meetings.decision_record_delegated(
                actor=officer,
                board=board,
                text=entry.text("text"),
                outcome=entry.choice("outcome", Decision.Outcome),
                decided_on=day,
                delegate_name=entry.text("delegate_name"),
                delegate_post=entry.text("delegate_post"),
                delegation=entry.text("delegation"),
            )
    except ApplicationError as error:
        raise _refused(entry, "The delegated decision", error) from error


def _forward_plan_entry(
    entry: Entry,
    *,
    strategy: Strategy,
    boards: dict[str, Board],
    decisions: dict[str, Decision],
    officer: User,
    replay: Replay,
) -> ForwardPlanEntry:
    board = board_named(entry, boards)
    expected: date = replay.day(entry.day("expected"))
    decision = None
    if "taken" in entry.data:
        decision = decisions.get(entry.text("taken"))
        if decision is None:
            raise entry.error("“taken” is not the text of a written procedure or delegated decision above.")
    existing = ForwardPlanEntry.objects.filter(board=board, title=entry.text("title")).first()
    if existing is not None:
        ForwardPlanEntry.objects.filter(pk=existing.pk).update(expected_on=expected)
        return existing
    try:
        return forward_plan.forward_plan_entry_add(
            actor=officer,
            strategy=strategy,
            data={
                "board": board,
                "title": entry.text("title"),
                "expected_on": expected,
                "decision_maker": entry.choice("maker", ForwardPlanEntry.Maker),
                "officer": entry.text("officer", ""),
                "papers": entry.text("papers"),
                "status": ForwardPlanEntry.Status.TAKEN if decision else ForwardPlanEntry.Status.PLANNED,
                "decision": decision,
            },
        )
    except ApplicationError as error:
        raise _refused(entry, "The forward plan entry", error) from error
