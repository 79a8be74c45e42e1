"""A process to work on: six phases for the cast's strategy (scoping under way), the Strategic
Board closing them, and a meeting of that board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from tests.conftest import Cast
from timeline.models import Board, Meeting, Milestone, Phase

STAGES = list(Phase.Stage)


@dataclass
class Process:
    phases: list[Phase]
    board: Board
    meeting: Meeting
    scoping_milestones: list[Milestone]


def make_process(strategy, *, start: date = date(2026, 6, 1)) -> Process:
    board = strategy.boards.get(kind=Board.Kind.STRATEGIC)
    phases = []
    for order, stage in enumerate(STAGES, start=1):
        begin = start + timedelta(days=61 * (order - 1))
        phases.append(
            Phase.objects.create(
                strategy=strategy,
                stage=stage,
                order=order,
                name=stage.label,
                planned_start=begin,
                planned_end=begin + timedelta(days=60),
                actual_start=start if order == 1 else None,
                closing_board=board,
            )
        )
    milestones = [
        Milestone.objects.create(phase=phases[0], title=title, order=order, due_date=start + timedelta(days=30))
        for order, title in enumerate(("Agree approach", "Review evidence", "Engagement plan"), start=1)
    ]
    meeting = Meeting.objects.create(
        board=board,
        title="Strategic Board",
        starts_at=timezone.make_aware(datetime.combine(start + timedelta(days=59), datetime.min.time()))
        + timedelta(hours=10),
    )
    return Process(phases=phases, board=board, meeting=meeting, scoping_milestones=milestones)


@pytest.fixture
def process(cast: Cast) -> Process:
    return make_process(cast.strategy)
