"""Milestone rules: dates inside phases, dependencies without loops, done only after what it
depends on, owners from the strategy, and stale edits refused with what changed."""

from __future__ import annotations

from datetime import date

import pytest

from core.exceptions import ApplicationError, StaleEditError
from core.models import AuditEvent
from tests.conftest import Cast
from tests.factories import MilestoneFactory, UserFactory
from tests.timeline.conftest import Process
from timeline import services
from timeline.models import Milestone

pytestmark = pytest.mark.django_db


def _data(process: Process, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Commission deep dives",
        "phase": process.phases[0],
        "status": Milestone.Status.NOT_STARTED,
        "due_date": date(2026, 6, 20),
        "owner": None,
        "lead_organisation": None,
        "is_key": False,
        "notes": "",
    }
    data.update(overrides)
    return data


def test_create_puts_it_last_and_audits(cast: Cast, process: Process) -> None:
    milestone = services.milestone_create(actor=cast.officer, strategy=cast.strategy, data=_data(process))
    assert milestone.order == max(m.order for m in process.scoping_milestones) + 1
    assert AuditEvent.objects.filter(verb="milestone.created", target_id=str(milestone.pk)).exists()


def test_due_date_outside_the_phase_needs_confirmation(cast: Cast, process: Process) -> None:
    with pytest.raises(ApplicationError, match="outside Scoping") as error:
        services.milestone_create(
            actor=cast.officer, strategy=cast.strategy, data=_data(process, due_date=date(2027, 1, 1))
        )
    assert error.value.field == "due_date"
    assert not Milestone.objects.filter(title="Commission deep dives").exists()
    services.milestone_create(
        actor=cast.officer,
        strategy=cast.strategy,
        data=_data(process, due_date=date(2027, 1, 1)),
        confirm_outside_phase=True,
    )


def test_owner_from_outside_the_strategy_is_refused(cast: Cast, process: Process) -> None:
    with pytest.raises(ApplicationError, match="does not take part") as error:
        services.milestone_create(actor=cast.officer, strategy=cast.strategy, data=_data(process, owner=cast.outsider))
    assert error.value.field == "owner"
    with pytest.raises(ApplicationError):
        services.milestone_create(
            actor=cast.officer, strategy=cast.strategy, data=_data(process, owner=cast.other_officer)
        )
    # A board member takes part through the board.
    services.milestone_create(actor=cast.officer, strategy=cast.strategy, data=_data(process, owner=cast.board_member))


def test_dependency_cycle_is_refused(cast: Cast, process: Process) -> None:
    a, b, c = process.scoping_milestones
    b.depends_on.add(a)
    c.depends_on.add(b)
    with pytest.raises(ApplicationError, match="loop"):
        services.milestone_update(actor=cast.officer, milestone=a, data={}, version=a.version, depends_on=[c])
    assert not a.depends_on.exists()


def test_done_only_when_dependencies_are_done(cast: Cast, process: Process) -> None:
    a, b, _ = process.scoping_milestones
    b.depends_on.add(a)
    with pytest.raises(ApplicationError, match="Agree approach"):
        services.milestone_set_status(actor=cast.officer, milestone=b, status=Milestone.Status.DONE)
    b.refresh_from_db()
    assert b.status == Milestone.Status.NOT_STARTED
    services.milestone_set_status(actor=cast.officer, milestone=a, status=Milestone.Status.DONE)
    b.refresh_from_db()
    done = services.milestone_set_status(actor=cast.officer, milestone=b, status=Milestone.Status.DONE)
    assert done.completed_on is not None
    assert AuditEvent.objects.filter(verb="milestone.status_changed", target_id=str(b.pk)).exists()


def test_stale_edit_is_refused_with_what_changed(cast: Cast, process: Process) -> None:
    milestone = process.scoping_milestones[0]
    opened_at = milestone.version
    services.milestone_update(
        actor=cast.officer, milestone=milestone, data={"title": "Agree the approach"}, version=opened_at
    )
    with pytest.raises(StaleEditError) as error:
        services.milestone_update(
            actor=cast.officer,
            milestone=milestone,
            data={"title": "Approach agreed", "notes": "Mine"},
            version=opened_at,
        )
    conflicts = {c.field: (c.theirs, c.yours) for c in error.value.conflicts}
    assert conflicts["title"] == ("Agree the approach", "Approach agreed")
    assert "Someone else saved this milestone" in error.value.message
    milestone.refresh_from_db()
    assert milestone.title == "Agree the approach"
    assert milestone.notes == ""
    # Saving again on the current version keeps the second person's edit.
    services.milestone_update(
        actor=cast.officer, milestone=milestone, data={"title": "Approach agreed"}, version=milestone.version
    )
    milestone.refresh_from_db()
    assert milestone.title == "Approach agreed"


def test_duplicate_title_in_a_phase_is_refused(cast: Cast, process: Process) -> None:
    with pytest.raises(ApplicationError, match="already has a milestone called") as error:
        services.milestone_create(
            actor=cast.officer, strategy=cast.strategy, data=_data(process, title="Agree approach")
        )
    assert error.value.field == "title"


def test_move_swaps_neighbours(cast: Cast, process: Process) -> None:
    a, _b, c = process.scoping_milestones
    services.milestone_move(actor=cast.officer, milestone=c, direction="up")
    titles = list(process.phases[0].milestones.order_by("order").values_list("title", flat=True))
    assert titles == ["Agree approach", "Engagement plan", "Review evidence"]
    services.milestone_move(actor=cast.officer, milestone=a, direction="up")  # already first: nothing happens
    assert process.phases[0].milestones.order_by("order").first() == a


def test_phase_planned_end_before_start_is_refused(cast: Cast, process: Process) -> None:
    phase = process.phases[1]
    with pytest.raises(ApplicationError, match="on or after the planned start"):
        services.phase_update(actor=cast.officer, phase=phase, data={"planned_end": date(2020, 1, 1)})
    phase.refresh_from_db()
    assert phase.planned_end > phase.planned_start


def test_dependency_on_another_strategy_is_refused(cast: Cast, process: Process) -> None:
    from tests.timeline.conftest import make_process

    other = make_process(cast.other_strategy)
    with pytest.raises(ApplicationError, match="same strategy"):
        services.milestone_create(
            actor=cast.officer, strategy=cast.strategy, data=_data(process), depends_on=[other.scoping_milestones[0]]
        )


def test_milestone_for_an_unknown_person_is_refused(cast: Cast, process: Process) -> None:
    stranger = UserFactory()
    with pytest.raises(ApplicationError):
        services.milestone_update(
            actor=cast.officer,
            milestone=process.scoping_milestones[0],
            data={"owner": stranger},
            version=process.scoping_milestones[0].version,
        )
    assert MilestoneFactory._meta.model.objects.get(pk=process.scoping_milestones[0].pk).owner is None
