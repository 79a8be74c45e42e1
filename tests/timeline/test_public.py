"""The published timeline: open to everybody for a published strategy, in a fixed number of queries."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests.conftest import Cast
from tests.factories import BoardFactory, MilestoneFactory, PhaseFactory
from timeline.models import Decision, Meeting, Milestone, Phase

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 7, 15, 12, 0, tzinfo=LONDON)
ROLES = ["anonymous", "outsider", "councillor", "officer", "board_member", "partner", "admin"]


def _url(strategy) -> str:
    return reverse("timeline:index", kwargs={"strategy_slug": strategy.slug})


def _timeline(strategy, *, rows: int) -> dict[str, Any]:
    """Two phases (scoping closed by a decision, evidence under way), `rows` milestones, meetings and decisions."""
    board = strategy.boards.first() or BoardFactory(strategy=strategy)
    scoping = PhaseFactory(
        strategy=strategy,
        stage=Phase.Stage.SCOPING,
        order=1,
        name="Scoping",
        planned_start=date(2026, 6, 1),
        planned_end=date(2026, 6, 30),
        actual_start=date(2026, 6, 1),
        actual_end=date(2026, 7, 3),
        closing_board=board,
    )
    evidence = PhaseFactory(
        strategy=strategy,
        stage=Phase.Stage.EVIDENCE,
        order=2,
        name="Building the evidence base and defining propositions",
        planned_start=date(2026, 7, 1),
        planned_end=date(2026, 8, 31),
        actual_start=date(2026, 7, 3),
        closing_board=board,
    )
    _add_rows(strategy, board, [scoping, evidence], start=0, count=rows)
    closing_meeting = Meeting.objects.create(
        board=board, title="Board closes scoping", starts_at=datetime(2026, 7, 3, 10, tzinfo=LONDON), status="held"
    )
    Decision.objects.create(
        meeting=closing_meeting,
        text="Scoping agreed: move on to the evidence base.",
        outcome=Decision.Outcome.APPROVED,
        closes_phase=scoping,
        phase=scoping,
    )
    return {"board": board, "scoping": scoping, "evidence": evidence}


def _add_rows(strategy, board, phases: list[Phase], *, start: int, count: int) -> None:
    for n in range(start, start + count):
        phase = phases[n % len(phases)]
        MilestoneFactory(
            phase=phase,
            title=f"Key task {n}" if n % 2 == 0 else f"Ordinary task {n}",
            is_key=n % 2 == 0,
            due_date=phase.planned_start + timedelta(days=n % 28),
        )
        meeting = Meeting.objects.create(
            board=board,
            title=f"Meeting {n}",
            starts_at=datetime(2026, 6, 1, 10, tzinfo=LONDON) + timedelta(days=3 * n),
            status=Meeting.Status.CANCELLED if n == 1 else Meeting.Status.SCHEDULED,
        )
        Decision.objects.create(
            meeting=meeting,
            text=f"Published decision {n}" if n % 3 else f"Private decision {n}",
            outcome=Decision.Outcome.APPROVED,
            is_published=bool(n % 3),
        )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_published_timeline_open_to_everybody(client, cast: Cast, role: str) -> None:
    _timeline(cast.strategy, rows=3)
    person = cast.person(role)
    if person is not None:
        client.force_login(person)
    for strategy in (cast.strategy, cast.other_strategy):  # both published: both open to all
        response = client.get(_url(strategy))
        assert response.status_code == 200, f"{role} on {strategy}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 404), ("outsider", 404), ("officer", 404), ("other_officer", 200), ("admin", 200)],
)
def test_unpublished_strategy_timeline_only_for_its_members(client, cast: Cast, role: str, status: int) -> None:
    cast.other_strategy.is_published = False
    cast.other_strategy.save()
    person = None if role == "anonymous" else getattr(cast, role)
    if person is not None:
        client.force_login(person)
    assert client.get(_url(cast.other_strategy)).status_code == status
    calendar = reverse("timeline:calendar", kwargs={"strategy_slug": cast.other_strategy.slug})
    assert client.get(calendar).status_code == status


@pytest.mark.django_db
def test_unknown_strategy_is_404(client) -> None:
    assert client.get("/no-such-strategy/timeline/").status_code == 404


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_timeline_shows_phases_key_milestones_meetings_and_published_decisions(client, cast: Cast) -> None:
    cast.strategy.schedule_note = "A replay of the 2019–20 schedule."
    cast.strategy.save()
    _timeline(cast.strategy, rows=6)
    html = client.get(_url(cast.strategy)).content.decode()

    assert "Current phase: <strong>Building the evidence base and defining propositions</strong>" in html
    assert "A replay of the 2019–20 schedule." in html
    # Phases, planned against actual, with their status.
    assert "1 Jun 2026 to 30 Jun 2026" in html and "1 Jun 2026 to 3 Jul 2026" in html
    assert "3 Jul 2026 to now" in html
    assert "Complete</strong>" in html and "Current</strong>" in html
    # Key milestones only.
    assert "Key task 0" in html and "Key task 4" in html
    assert "Ordinary task 1" not in html
    # Meetings, cancelled ones marked so; no agenda.
    assert "Meeting 5" in html and "Board closes scoping" in html
    assert "<del>" in html and "Cancelled</strong>" in html
    # Published decisions only, and the phase a decision closed.
    assert "Published decision 1" in html and "Private decision 3" not in html
    assert "Closed the phase:</strong> Scoping" in html
    # The Gantt of phases and key milestones, with its table.
    assert html.count('class="app-gantt-chart__phase"') == 2
    assert "Show the Gantt chart as a table" in html
    # The public calendar feed.
    assert f"webcal://testserver/{cast.strategy.slug}/timeline/calendar.ics" in html
    assert f"http://testserver/{cast.strategy.slug}/timeline/calendar.ics" in html


@pytest.mark.django_db
def test_links_to_the_process_only_for_people_who_see_it(client, cast: Cast) -> None:
    _timeline(cast.strategy, rows=2)
    dashboard = reverse("timeline:dashboard", kwargs={"strategy_slug": cast.strategy.slug})
    gantt = reverse("timeline:gantt", kwargs={"strategy_slug": cast.strategy.slug})
    milestones = reverse("timeline:milestone-list", kwargs={"strategy_slug": cast.strategy.slug})
    settings = reverse("calendars:calendar-settings")

    html = client.get(_url(cast.strategy)).content.decode()
    assert dashboard not in html and gantt not in html and settings not in html

    client.force_login(cast.outsider)
    html = client.get(_url(cast.strategy)).content.decode()
    assert dashboard not in html and gantt not in html
    assert settings in html  # anybody signed in has their own calendar

    for person in (cast.board_member, cast.councillor):
        client.force_login(person)
        html = client.get(_url(cast.strategy)).content.decode()
        assert dashboard in html and gantt in html and milestones in html and settings in html


@pytest.mark.django_db
def test_empty_timeline_says_so(client, cast: Cast) -> None:
    html = client.get(_url(cast.strategy)).content.decode()
    assert "has not published the phases" in html
    assert "No board meetings have been arranged yet." in html
    assert "No decisions have been published yet." in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "officer", "board_member"])
def test_query_count_does_not_grow_with_the_rows(client, cast: Cast, django_assert_num_queries, role: str) -> None:
    parts = _timeline(cast.strategy, rows=5)
    person = cast.person(role)
    if person is not None:
        client.force_login(person)
    url = _url(cast.strategy)
    client.get(url)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _add_rows(cast.strategy, parts["board"], [parts["scoping"], parts["evidence"]], start=5, count=55)
    assert Milestone.objects.filter(phase__strategy=cast.strategy).count() == 60
    assert Decision.objects.filter(meeting__board__strategy=cast.strategy).count() == 61
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "Meeting 59" in response.content.decode()
    # Anonymous: strategy, phases, milestones, meetings, the latest decisions and their count.
    if role == "anonymous":
        assert len(few.captured_queries) == 6
