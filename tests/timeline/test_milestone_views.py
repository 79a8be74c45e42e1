"""The officer's pages for milestones and phases, and the dashboard."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Cast
from tests.factories import MilestoneFactory
from tests.timeline.conftest import Process
from timeline.models import Decision, Meeting, Milestone

pytestmark = pytest.mark.django_db


def url(name: str, cast: Cast, **kwargs: object) -> str:
    return reverse(f"timeline:{name}", kwargs={"strategy_slug": cast.strategy.slug, **kwargs})


def _date(prefix: str, day) -> dict[str, str]:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def test_officer_adds_a_milestone(client, cast: Cast, process: Process) -> None:
    client.force_login(cast.officer)
    response = client.post(
        url("milestone-create", cast),
        {
            "title": "Commission deep dives",
            "phase": process.phases[0].pk,
            "status": "not_started",
            **_date("due_date", process.phases[0].planned_start + timedelta(days=5)),
            "owner": cast.councillor.pk,
        },
    )
    milestone = Milestone.objects.get(title="Commission deep dives")
    assert response.status_code == 302 and response.url == milestone.get_absolute_url()
    assert milestone.owner == cast.councillor
    page = client.get(milestone.get_absolute_url()).content.decode()
    assert "Milestone added by" in page  # the history


def test_bad_input_shows_what_to_fix_and_saves_nothing(client, cast: Cast, process: Process) -> None:
    client.force_login(cast.officer)
    response = client.post(
        url("milestone-create", cast),
        {
            "title": "",
            "phase": process.phases[0].pk,
            "status": "not_started",
            "due_date_0": "31",
            "due_date_1": "2",
            "due_date_2": "2026",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter a title" in body
    outside = client.post(
        url("milestone-create", cast),
        {
            "title": "Late one",
            "phase": process.phases[0].pk,
            "status": "not_started",
            **_date("due_date", process.phases[5].planned_end),
        },
    )
    assert "outside the phase on purpose" in outside.content.decode()
    assert not Milestone.objects.filter(title__in=["", "Late one"]).exists()


def test_stale_edit_shows_what_changed_and_keeps_the_edit(client, cast: Cast, process: Process) -> None:
    milestone = process.scoping_milestones[0]
    client.force_login(cast.officer)
    form = {"title": "Mine", "phase": milestone.phase_id, "status": "in_progress", "version": milestone.version}
    Milestone.objects.filter(pk=milestone.pk).update(title="Theirs", version=milestone.version + 1)
    response = client.post(url("milestone-edit", cast, pk=milestone.pk), form)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this milestone" in body
    assert "Theirs" in body and 'value="Mine"' in body
    milestone.refresh_from_db()
    assert milestone.title == "Theirs"
    # Saving the form as shown again applies it.
    resubmit = {**form, "version": milestone.version}
    assert client.post(url("milestone-edit", cast, pk=milestone.pk), resubmit).status_code == 302
    milestone.refresh_from_db()
    assert milestone.title == "Mine"


def test_mark_done_from_the_list(client, cast: Cast, process: Process) -> None:
    client.force_login(cast.officer)
    milestone = process.scoping_milestones[0]
    response = client.post(url("milestone-status", cast, pk=milestone.pk), {"status": "done", "next": "/evil.example/"})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == "done" and milestone.completed_on == timezone.localdate()


def test_my_milestones_filter(client, cast: Cast, process: Process) -> None:
    MilestoneFactory(phase=process.phases[0], title="Board action for me", owner=cast.board_member)
    client.force_login(cast.board_member)
    body = client.get(url("milestone-list", cast) + "?mine=on").content.decode()
    assert "Board action for me" in body
    assert "Agree approach" not in body
    assert "Mark done" not in body  # board members see, officers change


def _bulk(process: Process, *, milestones: int, meetings: int, decisions: int, batch: str) -> None:
    phase = process.phases[0]
    Milestone.objects.bulk_create(
        Milestone(phase=phase, title=f"{batch} {n}", order=100 + n, due_date=phase.planned_start, status="at_risk")
        for n in range(milestones)
    )
    start = timezone.make_aware(datetime(2030, 1, 1, 10))
    created = Meeting.objects.bulk_create(
        Meeting(board=process.board, title=f"{batch} meeting {n}", starts_at=start + timedelta(days=n))
        for n in range(meetings)
    )
    Decision.objects.bulk_create(
        Decision(
            meeting=created[n % len(created)],
            board=process.board,
            decided_on=created[n % len(created)].starts_at.date(),
            text=f"Decision {n}",
            outcome="approved",
        )
        for n in range(decisions)
    )


@pytest.mark.parametrize("name", ["dashboard", "milestone-list", "gantt", "index", "meeting-list", "decision-list"])
def test_query_count_does_not_grow_with_rows(
    client, cast: Cast, process: Process, name: str, django_assert_num_queries
) -> None:
    client.force_login(cast.officer)
    _bulk(process, milestones=2, meetings=2, decisions=2, batch="Few")
    client.get(url(name, cast))  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url(name, cast)).status_code == 200
    _bulk(process, milestones=500, meetings=60, decisions=300, batch="Many")
    with django_assert_num_queries(len(few)):
        response = client.get(url(name, cast))
    assert response.status_code == 200
