"""Recording a board's decisions: closing the current phase (only by the right board, by an
approval, once its milestones are done), follow-up actions that become milestones, refusals that
save nothing, and who sees which decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from core.exceptions import ApplicationError
from core.models import AuditEvent
from tests.conftest import Cast
from tests.factories import BoardFactory, MilestoneFactory, PhaseFactory
from timeline import services
from timeline.models import AgendaItem, Board, Decision, Meeting, Milestone, Phase

LONDON = ZoneInfo("Europe/London")
MEETING_DAY = date(2026, 7, 20)


@dataclass
class Setting:
    board: Board
    meeting: Meeting
    scoping: Phase
    evidence: Phase
    item: AgendaItem


@pytest.fixture
def setting(cast: Cast) -> Setting:
    """Scoping under way since 1 June 2026, closed by the Kent Strategic Board, whose meeting on
    20 July 2026 has one agenda item; the evidence phase comes next."""
    board = Board.objects.get(strategy=cast.strategy, name="Kent Strategic Board")
    scoping = PhaseFactory(strategy=cast.strategy, actual_start=date(2026, 6, 1), closing_board=board)
    evidence = PhaseFactory(
        strategy=cast.strategy,
        stage=Phase.Stage.EVIDENCE,
        order=2,
        name="Building the evidence base",
        planned_start=date(2026, 8, 1),
        planned_end=date(2026, 11, 30),
        closing_board=board,
    )
    MilestoneFactory(phase=scoping, title="Agree the approach", status="done", completed_on=date(2026, 6, 30))
    meeting = Meeting.objects.create(
        board=board, title="Strategic Board", starts_at=datetime(2026, 7, 20, 10, 0, tzinfo=LONDON)
    )
    item = AgendaItem.objects.create(meeting=meeting, number=1, title="Closing the scoping phase")
    return Setting(board=board, meeting=meeting, scoping=scoping, evidence=evidence, item=item)


def url(name: str, cast: Cast, **kwargs: object) -> str:
    return reverse(f"timeline:{name}", kwargs={"strategy_slug": cast.strategy.slug, **kwargs})


def meeting_page(cast: Cast, pk: int) -> str:
    """The meeting's one page, which moved to documents (timeline's address redirects there)."""
    return reverse("documents:meeting-detail", kwargs={"strategy_slug": cast.strategy.slug, "pk": pk})


def client_for(cast: Cast, role: str) -> Client:
    client = Client()
    person = cast.person(role)
    if person is not None:
        client.force_login(person)
    return client


def decision_post(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "text": "The board agrees the scope of the Local Industrial Strategy.",
        "outcome": Decision.Outcome.APPROVED,
        "agenda_item": "",
        "phase": "",
        "milestone": "",
        "is_published": "on",
    }
    for n in (1, 2, 3):
        data.update({f"action_{n}_title": "", f"action_{n}_owner": "", **_date(f"action_{n}_due", None)})
    data.update(overrides)
    return data


def _date(name: str, day: date | None) -> dict[str, str]:
    parts = (str(day.day), str(day.month), str(day.year)) if day else ("", "", "")
    return {f"{name}_{i}": part for i, part in enumerate(parts)}


def action(n: int, title: str, owner_pk: int, due: date) -> dict[str, object]:
    return {f"action_{n}_title": title, f"action_{n}_owner": owner_pk, **_date(f"action_{n}_due", due)}


def nothing_saved(setting: Setting) -> bool:
    setting.scoping.refresh_from_db()
    setting.evidence.refresh_from_db()
    return (
        not Decision.objects.exists()
        and not Milestone.objects.filter(decision__isnull=False).exists()
        and setting.scoping.actual_end is None
        and setting.evidence.actual_start is None
        and not AuditEvent.objects.filter(verb__in=["decision.recorded", "phase.closed", "milestone.created"]).exists()
    )


# Closing the current phase -----------------------------------------------------------------------


def test_a_decision_of_the_right_board_closes_the_current_phase(cast: Cast, setting: Setting) -> None:
    officer = client_for(cast, "officer")

    response = officer.post(
        url("decision-create", cast, pk=setting.meeting.pk),
        decision_post(agenda_item=setting.item.pk, closes_phase="on"),
    )

    assert response.status_code == 302
    assert response["Location"] == meeting_page(cast, setting.meeting.pk)
    decision = Decision.objects.get()
    setting.scoping.refresh_from_db()
    setting.evidence.refresh_from_db()
    assert decision.closes_phase == setting.scoping
    assert decision.phase == setting.scoping
    assert decision.agenda_item == setting.item
    assert decision.recorded_by == cast.officer
    assert setting.scoping.actual_end == MEETING_DAY
    assert setting.evidence.actual_start == MEETING_DAY
    verbs = set(AuditEvent.objects.filter(strategy=cast.strategy).values_list("verb", flat=True))
    assert {"decision.recorded", "phase.closed", "phase.started"} <= verbs
    page = officer.get(response["Location"]).content.decode()
    assert "The decision has been recorded (approved). Scoping is closed." in page
    assert "Closed the phase" in page


def test_closing_is_refused_for_another_board(cast: Cast, setting: Setting) -> None:
    federated = BoardFactory(strategy=cast.strategy, name="Kent Federated Board", kind=Board.Kind.FEDERATED)
    meeting = Meeting.objects.create(
        board=federated, title="Federated Board", starts_at=datetime(2026, 7, 21, 10, 0, tzinfo=LONDON)
    )

    response = client_for(cast, "officer").post(
        url("decision-create", cast, pk=meeting.pk), decision_post(closes_phase="on")
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Scoping is closed by a decision of the Kent Strategic Board, not the Kent Federated Board." in page
    assert 'href="#id_closes_phase"' in page  # the error summary links to the checkbox
    assert nothing_saved(setting)


def test_closing_is_refused_while_milestones_are_open(cast: Cast, setting: Setting) -> None:
    MilestoneFactory(phase=setting.scoping, title="Publish the engagement plan", status="in_progress")

    response = client_for(cast, "officer").post(
        url("decision-create", cast, pk=setting.meeting.pk), decision_post(closes_phase="on")
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Scoping still has milestones that are not done: Publish the engagement plan." in page
    assert nothing_saved(setting)


@pytest.mark.parametrize("outcome", [Decision.Outcome.REJECTED, Decision.Outcome.DEFERRED])
def test_closing_is_refused_unless_the_board_approves(cast: Cast, setting: Setting, outcome: str) -> None:
    response = client_for(cast, "officer").post(
        url("decision-create", cast, pk=setting.meeting.pk), decision_post(outcome=outcome, closes_phase="on")
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Only a decision that approves (or approves as amended) can close a phase." in page
    assert 'href="#id_outcome"' in page
    assert nothing_saved(setting)


def test_closing_is_refused_for_a_phase_other_than_the_current_one(cast: Cast, setting: Setting) -> None:
    response = client_for(cast, "officer").post(
        url("decision-create", cast, pk=setting.meeting.pk),
        decision_post(phase=setting.evidence.pk, closes_phase="on"),
    )

    assert response.status_code == 200
    assert "Only the phase under way can be closed" in response.content.decode()
    assert nothing_saved(setting)


def test_a_cancelled_meeting_records_no_decision(cast: Cast, setting: Setting) -> None:
    setting.meeting.status = Meeting.Status.CANCELLED
    setting.meeting.save()

    response = client_for(cast, "officer").post(url("decision-create", cast, pk=setting.meeting.pk), decision_post())

    assert response.status_code == 200
    page = response.content.decode()
    assert "This meeting was cancelled, so it cannot record decisions." in page
    assert 'id="non-field-errors"' in page
    assert nothing_saved(setting)


def test_a_meeting_of_another_strategy_is_404(cast: Cast, setting: Setting) -> None:
    other_board = Board.objects.get(strategy=cast.other_strategy)
    other = Meeting.objects.create(board=other_board, title="Berkshire", starts_at=setting.meeting.starts_at)
    officer = client_for(cast, "officer")

    assert officer.get(url("decision-create", cast, pk=other.pk)).status_code == 404
    assert officer.post(url("decision-create", cast, pk=other.pk), decision_post()).status_code == 404
    assert not Decision.objects.exists()


@pytest.mark.parametrize("role", ["board_member", "councillor", "partner", "outsider", "other_officer"])
def test_only_officers_record_decisions(cast: Cast, setting: Setting, role: str) -> None:
    response = client_for(cast, role).post(url("decision-create", cast, pk=setting.meeting.pk), decision_post())

    assert response.status_code == 404
    assert not Decision.objects.exists()


# Follow-up actions -------------------------------------------------------------------------------


def test_follow_up_actions_become_milestones_of_the_decision(cast: Cast, setting: Setting) -> None:
    officer = client_for(cast, "officer")

    response = officer.post(
        url("decision-create", cast, pk=setting.meeting.pk),
        decision_post(
            **action(1, "Commission the skills audit", cast.councillor.pk, date(2026, 9, 30)),
            **action(3, "Brief the federated boards", cast.board_member.pk, date(2026, 8, 14)),
        ),
    )

    assert response.status_code == 302
    decision = Decision.objects.get()
    actions = {m.title: m for m in Milestone.objects.filter(decision=decision)}
    assert set(actions) == {"Commission the skills audit", "Brief the federated boards"}
    audit = actions["Commission the skills audit"]
    assert (audit.owner, audit.due_date, audit.phase) == (cast.councillor, date(2026, 9, 30), setting.scoping)
    assert actions["Brief the federated boards"].owner == cast.board_member
    assert AuditEvent.objects.filter(verb="milestone.created").count() == 2
    page = officer.get(meeting_page(cast, setting.meeting.pk)).content.decode()
    assert "Commission the skills audit" in page and "Kent Councillor, due 30 September 2026" in page
    detail = officer.get(url("decision-detail", cast, pk=decision.pk)).content.decode()
    assert "Brief the federated boards" in detail


def test_follow_ups_of_a_closing_decision_go_to_the_next_phase(cast: Cast, setting: Setting) -> None:
    response = client_for(cast, "officer").post(
        url("decision-create", cast, pk=setting.meeting.pk),
        decision_post(closes_phase="on", **action(1, "Start the evidence review", cast.officer.pk, date(2026, 8, 31))),
    )

    assert response.status_code == 302
    assert Milestone.objects.get(decision__isnull=False).phase == setting.evidence


def test_an_owner_from_outside_the_strategy_is_refused(cast: Cast, setting: Setting) -> None:
    for outsider in (cast.outsider, cast.other_officer):
        response = client_for(cast, "officer").post(
            url("decision-create", cast, pk=setting.meeting.pk),
            decision_post(closes_phase="on", **action(2, "Write the brief", outsider.pk, date(2026, 8, 31))),
        )

        assert response.status_code == 200
        page = response.content.decode()
        assert "Choose an owner for action 2 who takes part in the strategy" in page
        assert 'href="#id_action_2_owner"' in page
        assert nothing_saved(setting)


def test_the_service_refuses_an_owner_from_outside_the_strategy_and_saves_nothing(cast: Cast, setting: Setting) -> None:
    with pytest.raises(ApplicationError) as refused:
        services.decision_record(
            actor=cast.officer,
            meeting=setting.meeting,
            text="Agreed",
            outcome=Decision.Outcome.APPROVED,
            closes_phase=True,
            follow_ups=[services.FollowUp(title="Write the brief", owner=cast.outsider, due_date=date(2026, 8, 31))],
        )

    assert refused.value.field == "owner"
    assert "Olive Outsider does not take part" in refused.value.message
    assert nothing_saved(setting)


def test_an_action_needs_its_title_owner_and_due_date(cast: Cast, setting: Setting) -> None:
    response = client_for(cast, "officer").post(
        url("decision-create", cast, pk=setting.meeting.pk),
        decision_post(action_1_title="Write the brief", action_2_owner=cast.officer.pk, action_3_due_0="31"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose who owns action 1" in page
    assert "Enter the date action 1 is due" in page
    assert "Enter what action 2 is" in page
    assert "Enter the day, month and year action 3 is due" in page
    assert nothing_saved(setting)


def test_the_form_offers_only_this_meetings_items_and_this_strategys_phases(cast: Cast, setting: Setting) -> None:
    other_board = Board.objects.get(strategy=cast.other_strategy)
    other_meeting = Meeting.objects.create(board=other_board, title="Berkshire", starts_at=setting.meeting.starts_at)
    other_item = AgendaItem.objects.create(meeting=other_meeting, number=1, title="Berkshire item")
    other_phase = PhaseFactory(strategy=cast.other_strategy)

    response = client_for(cast, "officer").post(
        url("decision-create", cast, pk=setting.meeting.pk),
        decision_post(agenda_item=other_item.pk, phase=other_phase.pk),
    )

    page = response.content.decode()
    assert "Choose an item on this meeting’s agenda" in page
    assert "Choose a phase of this strategy" in page
    assert nothing_saved(setting)


# Who sees decisions ------------------------------------------------------------------------------


def _decisions(setting: Setting) -> tuple[Decision, Decision]:
    published = Decision.objects.create(meeting=setting.meeting, text="Published decision", outcome="approved")
    private = Decision.objects.create(
        meeting=setting.meeting, text="Confidential decision", outcome="deferred", is_published=False
    )
    return published, private


@pytest.mark.parametrize(
    ("role", "sees_private"),
    [
        ("officer", True),
        ("board_member", True),
        ("admin", True),
        ("councillor", False),
        ("partner", False),
        ("anonymous", False),
    ],
)
def test_decision_list_shows_unpublished_decisions_only_to_officers_and_the_board(
    cast: Cast, setting: Setting, role: str, sees_private: bool
) -> None:
    _decisions(setting)

    response = client_for(cast, role).get(url("decision-list", cast))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Published decision" in page
    assert ("Confidential decision" in page) is sees_private


def test_a_member_of_another_board_does_not_see_its_unpublished_decisions(cast: Cast, setting: Setting) -> None:
    federated = BoardFactory(strategy=cast.strategy, name="Kent Federated Board", kind=Board.Kind.FEDERATED)
    meeting = Meeting.objects.create(board=federated, title="Federated", starts_at=setting.meeting.starts_at)
    private = Decision.objects.create(meeting=meeting, text="Federated secret", outcome="approved", is_published=False)
    member = client_for(cast, "board_member")

    assert "Federated secret" not in member.get(url("decision-list", cast)).content.decode()
    assert member.get(url("decision-detail", cast, pk=private.pk)).status_code == 404


@pytest.mark.parametrize("role", ["outsider", "other_officer"])
def test_outside_the_strategy_only_published_decisions_show(cast: Cast, setting: Setting, role: str) -> None:
    published, private = _decisions(setting)
    MilestoneFactory(phase=setting.scoping, title="Write brief", decision=published, owner=cast.councillor)
    client = client_for(cast, role)

    page = client.get(url("decision-detail", cast, pk=published.pk)).content.decode()

    listing = client.get(url("decision-list", cast))  # public, like the boards' pages
    assert listing.status_code == 200
    assert "Published decision" in listing.content.decode() and "Confidential" not in listing.content.decode()
    assert client.get(url("decision-detail", cast, pk=private.pk)).status_code == 404
    assert "Published decision" in page and "Write brief" in page
    assert "Kent Councillor" not in page  # owners are named only to people taking part
    assert url("milestone-detail", cast, pk=published.actions.get().pk) not in page


@pytest.mark.parametrize(
    ("role", "published_status", "private_status"),
    [
        ("officer", 200, 200),
        ("board_member", 200, 200),
        ("councillor", 200, 404),
        ("partner", 200, 404),
        ("outsider", 200, 404),
        ("anonymous", 200, 302),
    ],
)
def test_decision_detail_access(
    cast: Cast, setting: Setting, role: str, published_status: int, private_status: int
) -> None:
    """A published decision is public, like the timeline; an unpublished one is the board's."""
    published, private = _decisions(setting)
    client = client_for(cast, role)

    assert client.get(url("decision-detail", cast, pk=published.pk)).status_code == published_status
    response = client.get(url("decision-detail", cast, pk=private.pk))
    assert response.status_code == private_status
    if private_status == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_councillor_reads_a_decision_without_a_way_into_the_meeting(cast: Cast, setting: Setting) -> None:
    published, _ = _decisions(setting)

    page = client_for(cast, "councillor").get(url("decision-detail", cast, pk=published.pk)).content.decode()

    assert "Published decision" in page
    assert meeting_page(cast, setting.meeting.pk) not in page
    assert url("meeting-detail", cast, pk=setting.meeting.pk) not in page


@pytest.mark.parametrize("size", [2, 20])
@pytest.mark.parametrize("role", ["officer", "board_member", "councillor"])
def test_decision_list_query_count_does_not_grow(
    cast: Cast, setting: Setting, size: int, role: str, django_assert_num_queries
) -> None:
    for n in range(size):
        Decision.objects.create(
            meeting=setting.meeting,
            agenda_item=setting.item,
            phase=setting.scoping,
            text=f"Decision {n}",
            outcome="approved",
            is_published=n % 2 == 0,
        )
    client = client_for(cast, role)

    # Session, user, strategy, the person's roles (2) and boards, the count and the page of decisions;
    # and, for officers and board members, the device that verified their two-factor sign-in.
    with django_assert_num_queries(8 if role == "councillor" else 9):
        response = client.get(url("decision-list", cast))

    assert response.status_code == 200
    assert response.content.decode().count("Decision ") >= size // 2


def test_an_action_titled_like_a_milestone_of_its_phase_is_refused(cast: Cast, setting: Setting) -> None:
    response = client_for(cast, "officer").post(
        url("decision-create", cast, pk=setting.meeting.pk),
        decision_post(**action(2, "Agree the approach", cast.officer.pk, date(2026, 8, 31))),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Scoping already has a milestone called “Agree the approach”. Give the follow-up action another title." in page
    )
    assert 'href="#id_action_2_title"' in page
    form = page.split('<form method="post" novalidate>', 1)[1].split("</form>", 1)[0]
    assert form.count('name="csrfmiddlewaretoken"') == 1
    assert nothing_saved(setting)


def test_a_meeting_before_the_phase_started_cannot_close_it(cast: Cast, setting: Setting) -> None:
    earlier = Meeting.objects.create(
        board=setting.board, title="May board", starts_at=datetime(2026, 5, 14, 10, 0, tzinfo=LONDON)
    )

    response = client_for(cast, "officer").post(
        url("decision-create", cast, pk=earlier.pk), decision_post(closes_phase="on")
    )

    assert response.status_code == 200
    assert "Scoping started on 1 June 2026, after this meeting" in response.content.decode()
    assert nothing_saved(setting)
