"""Decisions outside meetings and the forward plan: every URL × every role × two strategies, as
data, with a decision's publication date not yet come and come.

The forward plan answers everybody who sees the strategy. Written procedures answer officers and
the members of their board; officers alone open them, record responses and outcomes, and record
delegated decisions. A decision outside a meeting is public from its publication date; before it,
only officers and its board's members read it. Everybody else: 404, and anonymous visitors are
sent to sign in."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.models import Strategy, User
from tests.conftest import Cast
from tests.permissions import ROLES, WHICH, action_failures, page_failures, sign_in, strategy_of
from tests.timeline.conftest import make_process
from timeline import forward_plan, outside_meetings
from timeline.models import Decision

LONDON = ZoneInfo("Europe/London")
RECORDED = datetime(2026, 7, 10, 12, tzinfo=LONDON)
PUBLIC_FROM = date(2026, 7, 14)
DAYS = {"before": datetime(2026, 7, 13, 12, tzinfo=LONDON), "after": datetime(2026, 7, 14, 9, tzinfo=LONDON)}

EVERYBODY = set(ROLES)
OFFICERS = {"officer", "admin"}
BOARD = {"officer", "board_member", "admin"}

# (url name, which object it needs, who may GET it in their own strategy: before, after the
# decisions' publication date)
PAGES = [
    ("forward-plan", None, EVERYBODY, EVERYBODY),
    ("forward-plan-entry-create", None, OFFICERS, OFFICERS),
    ("forward-plan-entry-edit", "entry", OFFICERS, OFFICERS),
    ("written-procedure-list", None, BOARD, BOARD),
    ("written-procedure-create", None, OFFICERS, OFFICERS),
    ("written-procedure-detail", "open_procedure", BOARD, BOARD),
    ("written-procedure-detail", "closed_procedure", BOARD, BOARD),
    ("written-procedure-response-create", "open_procedure", OFFICERS, OFFICERS),
    ("written-procedure-close", "open_procedure", OFFICERS, OFFICERS),
    ("decision-delegated-create", None, OFFICERS, OFFICERS),
    ("decision-detail", "written_decision", BOARD, EVERYBODY),
    ("decision-detail", "delegated_decision", BOARD, EVERYBODY),
    ("decision-detail", "unpublished_delegated_decision", BOARD, BOARD),
]

# POST-only: a member's own response. The people who see the procedure reach it (a member's is
# recorded; anyone else is sent back with the reason); everybody else is refused.
ACTIONS = [("written-procedure-respond", "open_procedure", BOARD)]


def _objects(strategy: Strategy, officer: User) -> dict[str, int]:
    """A process in `strategy` with an open and a closed written procedure, a delegated decision
    (published and not), and a forward plan entry; the decisions are public from 14 July 2026."""
    process = make_process(strategy)
    board = process.board
    with time_machine.travel(RECORDED, tick=False):
        open_procedure = outside_meetings.written_procedure_open(
            actor=officer, board=board, question="Agree the scope?", closes_on=date(2026, 7, 31)
        )
        closed = outside_meetings.written_procedure_open(
            actor=officer, board=board, question="Agree the plan?", closes_on=date(2026, 7, 10)
        )
        member = board.memberships.get().user
        outside_meetings.written_procedure_respond(actor=member, procedure=closed, member=member, answer="agree")
        written = outside_meetings.written_procedure_close(actor=officer, procedure=closed, published_on=PUBLIC_FROM)
        delegation = {
            "actor": officer,
            "board": board,
            "text": "Contract awarded",
            "outcome": "approved",
            "decided_on": date(2026, 7, 9),
            "delegate_name": "Jane Smith",
            "delegate_post": "Chief Executive",
            "delegation": "Strategic Board, 12 March 2026, item 5",
        }
        delegated = outside_meetings.decision_record_delegated(**delegation, published_on=PUBLIC_FROM)  # type: ignore[arg-type]
        unpublished = outside_meetings.decision_record_delegated(**delegation, is_published=False)  # type: ignore[arg-type]
        entry = forward_plan.forward_plan_entry_add(
            actor=officer,
            strategy=strategy,
            data={"board": board, "title": "Agree the evidence", "expected_on": date(2026, 9, 1)},
        )
    return {
        "open_procedure": open_procedure.pk,
        "closed_procedure": closed.pk,
        "written_decision": written.pk,
        "delegated_decision": delegated.pk,
        "unpublished_delegated_decision": unpublished.pk,
        "entry": entry.pk,
    }


def _expected(role: str, allowed: set[str], *, own: bool) -> int:
    if role in allowed and (own or role == "admin" or allowed is EVERYBODY):
        return 200
    return 302 if role == "anonymous" else 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
@pytest.mark.parametrize("day", ["before", "after"])
def test_decision_pages(client, cast: Cast, role: str, which: str, day: str) -> None:
    strategy = strategy_of(cast, which)
    objects = _objects(strategy, cast.officer if which == "own" else cast.other_officer)
    assert Decision.objects.filter(board__strategy=strategy).count() == 3
    pages = [(name, needs, before if day == "before" else after) for name, needs, before, after in PAGES]
    sign_in(client, cast, role)
    with time_machine.travel(DAYS[day], tick=False):
        failures = page_failures(
            client,
            namespace="timeline",
            pages=pages,
            strategy=strategy,
            objects=objects,
            role=role,
            own=which == "own",
            expected=_expected,
        )
    assert not failures, f"{role} in the {which} strategy, {day} publication:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", WHICH)
def test_decision_actions(client, cast: Cast, role: str, which: str) -> None:
    strategy = strategy_of(cast, which)
    objects = _objects(strategy, cast.officer if which == "own" else cast.other_officer)
    sign_in(client, cast, role)
    with time_machine.travel(DAYS["before"], tick=False):
        failures = action_failures(
            client,
            namespace="timeline",
            actions=ACTIONS,
            strategy=strategy,
            objects=objects,
            role=role,
            own=which == "own",
            data={"answer": "agree"},
        )
    assert not failures, f"{role} in the {which} strategy:\n" + "\n".join(failures)
