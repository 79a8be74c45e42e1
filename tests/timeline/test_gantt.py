"""The Gantt chart: the data gantt_chart computes, and the SVG and table the fragment draws."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tests.conftest import Cast
from tests.factories import MilestoneFactory, PhaseFactory
from timeline.gantt import CHART_LEFT, CHART_RIGHT, gantt_chart
from timeline.models import Milestone, Phase
from timeline.selectors import phase_list_for_strategy

TODAY = date(2026, 7, 15)


def _schedule(strategy, milestones_per_phase: int = 2) -> list[Phase]:
    """Three phases: scoping complete, evidence under way, drafting not started."""
    scoping = PhaseFactory(
        strategy=strategy,
        stage=Phase.Stage.SCOPING,
        order=1,
        name="Scoping",
        planned_start=date(2026, 6, 1),
        planned_end=date(2026, 6, 30),
        actual_start=date(2026, 6, 1),
        actual_end=date(2026, 7, 3),
    )
    evidence = PhaseFactory(
        strategy=strategy,
        stage=Phase.Stage.EVIDENCE,
        order=2,
        name="Building the evidence base and defining propositions",
        planned_start=date(2026, 7, 1),
        planned_end=date(2026, 8, 31),
        actual_start=date(2026, 7, 3),
    )
    drafting = PhaseFactory(
        strategy=strategy,
        stage=Phase.Stage.DRAFTING,
        order=3,
        name="Drafting of the LIS",
        planned_start=date(2026, 9, 1),
        planned_end=date(2026, 10, 31),
    )
    MilestoneFactory(
        phase=scoping,
        title="Agree approach",
        due_date=date(2026, 6, 20),
        status=Milestone.Status.DONE,
        completed_on=date(2026, 6, 19),
        is_key=True,
    )
    MilestoneFactory(phase=evidence, title="Agree the evidence base", due_date=date(2026, 8, 31), is_key=True)
    MilestoneFactory(phase=evidence, title="Deep dives", due_date=date(2026, 7, 10))  # overdue, not key
    MilestoneFactory(phase=drafting, title="Draft for review", due_date=None)
    for n in range(milestones_per_phase - 2):
        MilestoneFactory(phase=drafting, title=f"Extra {n}", due_date=date(2026, 10, 1))
    return list(phase_list_for_strategy(strategy=strategy))


@pytest.mark.django_db
def test_chart_places_bars_and_diamonds_on_the_axis(cast: Cast, django_assert_num_queries) -> None:
    phases = _schedule(cast.strategy)
    with django_assert_num_queries(0):  # a pure function of the prefetched phases
        chart = gantt_chart(phases=phases, today=TODAY)
    assert chart is not None
    # The axis runs from the first of the first month to the end of the last.
    assert (chart.start, chart.end) == (date(2026, 6, 1), date(2026, 10, 31))
    assert [m.label for m in chart.months] == ["Jun", "Jul", "Aug", "Sep", "Oct"]
    assert [m.year for m in chart.months] == ["2026", "", "", "", ""]

    phase_rows = chart.phase_rows
    assert [row.status for row in phase_rows] == ["Complete", "Current", "Not started"]
    scoping, evidence, drafting = phase_rows
    assert scoping.planned is not None and scoping.planned.x == CHART_LEFT
    assert drafting.planned is not None
    assert drafting.planned.x + drafting.planned.width == pytest.approx(CHART_RIGHT, abs=0.2)
    assert scoping.actual is not None and scoping.actual.end == date(2026, 7, 3)
    # The phase under way runs to today; a phase not started has no actual bar.
    assert evidence.ongoing and evidence.actual is not None and evidence.actual.end == TODAY
    assert drafting.actual is None
    assert "(current)" in " ".join(evidence.lines)

    milestones = [row for row in chart.rows if row.kind == "milestone"]
    assert [row.name for row in milestones] == [
        "Agree approach",
        "Agree the evidence base",
        "Deep dives",
        "Draft for review",
    ]
    agree, _, deep_dives, undated = milestones
    assert agree.done and not agree.overdue
    assert deep_dives.overdue and not deep_dives.done
    assert undated.mark_x is None and undated.diamond == ""
    assert agree.mark_x is not None and scoping.planned.x < agree.mark_x < scoping.planned.x + scoping.planned.width
    assert chart.today_x is not None and evidence.actual.x < chart.today_x
    assert "3 phases from 1 June 2026 to 31 October 2026" in chart.summary
    assert "Current phase: Building the evidence base" in chart.summary


@pytest.mark.django_db
def test_key_only_chart_leaves_out_other_milestones(cast: Cast) -> None:
    chart = gantt_chart(phases=_schedule(cast.strategy), today=TODAY, key_milestones_only=True)
    assert chart is not None
    assert [row.name for row in chart.rows if row.kind == "milestone"] == ["Agree approach", "Agree the evidence base"]
    assert "2 key milestones, 1 done." in chart.summary


def test_no_phases_no_chart() -> None:
    assert gantt_chart(phases=[], today=TODAY) is None


@pytest.mark.django_db
def test_today_outside_the_period_draws_no_line(cast: Cast) -> None:
    phases = _schedule(cast.strategy)
    for phase in phases:  # everything over: no phase runs to today
        phase.actual_start, phase.actual_end = phase.planned_start, phase.planned_end
    chart = gantt_chart(phases=phases, today=date(2030, 1, 1))
    assert chart is not None and chart.today_x is None
    assert chart.end == date(2026, 10, 31)
    assert "Every phase is complete." in chart.summary


@pytest.mark.django_db
def test_long_schedules_label_fewer_months(cast: Cast) -> None:
    PhaseFactory(strategy=cast.strategy, planned_start=date(2026, 1, 1), planned_end=date(2029, 12, 31))
    chart = gantt_chart(phases=list(phase_list_for_strategy(strategy=cast.strategy)), today=TODAY)
    assert chart is not None
    assert len(chart.months) <= 18
    assert [m.year for m in chart.months if m.year] == ["2026", "2027", "2028", "2029"]


@pytest.mark.django_db
def test_fragment_draws_an_accessible_svg_and_a_table(cast: Cast) -> None:
    phases = _schedule(cast.strategy)
    chart = gantt_chart(phases=phases, today=TODAY, chart_id="test-chart")
    html = render_to_string("timeline/includes/gantt.html", {"gantt": chart})

    svg = re.search(r"<svg .*?</svg>", html, re.S)
    assert svg is not None
    svg_text = svg.group(0)
    assert 'role="img"' in svg_text
    assert 'aria-labelledby="test-chart-title test-chart-desc"' in svg_text
    assert '<title id="test-chart-title">' in svg_text and '<desc id="test-chart-desc">' in svg_text
    # One phase group per phase, each with its outlined planned bar; filled bars for the two started.
    assert svg_text.count('class="app-gantt-chart__phase"') == 3
    assert svg_text.count('stroke="#505a5f" stroke-width="2"/>') == 3 + 1  # three bars and the legend's key
    assert svg_text.count('height="12" fill="#1d70b8"') == 2 + 1
    # A diamond per dated milestone, plus the legend's two.
    assert svg_text.count("<polygon") == 3 + 2
    assert "Today" in svg_text
    assert "<script" not in html and "href=" not in svg_text  # nothing to fetch: fit for WeasyPrint
    # No localised numbers in coordinates.
    assert not re.search(r'="[0-9]+,[0-9]{3}', svg_text)

    # The table alternative: in a details component, every phase and milestone, with their dates.
    assert "Show the Gantt chart as a table" in html
    table = html[html.index("<table") :]
    for text in (
        "Phase 1: Scoping",
        "1 Jun 2026",
        "30 Jun 2026",
        "1 Jun 2026 to 3 Jul 2026",
        "3 Jul 2026 to now",
        "Not started",
        "Agree approach",
        "20 Jun 2026",
        "Done 19 Jun 2026",
        "(overdue)",
        "No date",
    ):
        assert text in table, text


@pytest.mark.django_db
def test_fragment_can_show_the_table_without_details_or_leave_it_out(cast: Cast) -> None:
    chart = gantt_chart(phases=_schedule(cast.strategy), today=TODAY)
    visible = render_to_string("timeline/includes/gantt.html", {"gantt": chart, "table": "visible"})
    assert "<table" in visible and "<details" not in visible
    none = render_to_string("timeline/includes/gantt.html", {"gantt": chart, "table": "none"})
    assert "<table" not in none and "<svg" in none
    assert render_to_string("timeline/includes/gantt.html", {"gantt": None}).strip() == ""


# The Gantt page ------------------------------------------------------------------------------

ROLES = ["anonymous", "outsider", "councillor", "officer", "board_member", "partner", "admin"]
ALLOWED = {"councillor", "officer", "board_member", "partner", "admin"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["own", "other"])
def test_gantt_page_is_for_the_people_who_see_the_process(client, cast: Cast, role: str, which: str) -> None:
    strategy = cast.strategy if which == "own" else cast.other_strategy
    person = cast.person(role)
    if person is not None:
        client.force_login(person)
    response = client.get(reverse("timeline:gantt", kwargs={"strategy_slug": strategy.slug}))
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    elif role in ALLOWED and (which == "own" or role == "admin"):
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.django_db
def test_gantt_page_shows_every_milestone(client, cast: Cast) -> None:
    _schedule(cast.strategy)
    client.force_login(cast.councillor)
    response = client.get(reverse("timeline:gantt", kwargs={"strategy_slug": cast.strategy.slug}))
    html = response.content.decode()
    assert html.count('class="app-gantt-chart__phase"') == 3
    assert "Deep dives" in html and "Draft for review" in html  # not key: only on the full chart


def _many_milestones(strategy, count: int) -> None:
    phases = list(strategy.phases.order_by("order"))
    for n in range(count):
        MilestoneFactory(phase=phases[n % len(phases)], title=f"Task {n}", due_date=date(2026, 9, 1 + n % 28))


@pytest.mark.django_db
def test_gantt_page_query_count_does_not_grow(client, cast: Cast, django_assert_num_queries) -> None:
    _schedule(cast.strategy)
    url = reverse("timeline:gantt", kwargs={"strategy_slug": cast.strategy.slug})
    client.force_login(cast.officer)
    client.get(url)  # warm up anything cached per process

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _many_milestones(cast.strategy, 60)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("<polygon") == 3 + 60 + 2
