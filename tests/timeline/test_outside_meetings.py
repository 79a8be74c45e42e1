"""Decisions outside meetings (timeline/outside_meetings.py) and the forward plan
(timeline/forward_plan.py): each rule, and each refusal saving nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from core.audit import AuditVerb
from core.exceptions import ApplicationError, StaleEditError
from core.models import AuditEvent, Email, User
from tests.conftest import Cast
from tests.factories import BoardFactory, BoardMembershipFactory, UserFactory
from tests.timeline.conftest import Process, make_process
from timeline import forward_plan, outside_meetings, services
from timeline.models import BoardMembership, Decision, ForwardPlanEntry, Milestone, Phase, WrittenProcedure
from timeline.selectors import decision_list

LONDON = ZoneInfo("Europe/London")
TODAY = datetime(2026, 7, 10, 12, tzinfo=LONDON)
CLOSES = date(2026, 7, 17)

pytestmark = pytest.mark.django_db


@dataclass
class Setting:
    process: Process
    chair: User
    member: User
    observer: User


@pytest.fixture
def setting(cast: Cast) -> Setting:
    """Scoping under way since 1 June 2026 (its three milestones open), closed by the Kent
    Strategic Board: its chair and two members (the cast's board member, and another) vote; an
    observer does not."""
    process = make_process(cast.strategy)
    board = process.board
    chair = BoardMembershipFactory(board=board, user=UserFactory(name="Chris Chair"), role="chair").user
    observer = BoardMembershipFactory(board=board, user=UserFactory(name="Olu Observer"), role="observer").user
    member = BoardMembershipFactory(board=board, user=UserFactory(name="Mo Member")).user
    return Setting(process=process, chair=chair, member=member, observer=observer)


@pytest.fixture(autouse=True)
def _today() -> object:
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


def _open(cast: Cast, setting: Setting, **overrides: object) -> WrittenProcedure:
    kwargs: dict[str, object] = {
        "actor": cast.officer,
        "board": setting.process.board,
        "question": "The board agrees the scope of the strategy.",
        "closes_on": CLOSES,
    }
    kwargs.update(overrides)
    return outside_meetings.written_procedure_open(**kwargs)  # type: ignore[arg-type]


def _all_respond(cast: Cast, setting: Setting, procedure: WrittenProcedure, answers: list[str]) -> None:
    for person, answer in zip((setting.chair, cast.board_member, setting.member), answers, strict=True):
        outside_meetings.written_procedure_respond(actor=person, procedure=procedure, member=person, answer=answer)


def _finish_scoping(setting: Setting) -> None:
    Milestone.objects.filter(phase=setting.process.phases[0]).update(status="done", completed_on=date(2026, 7, 1))


# Opening ------------------------------------------------------------------------------------


def test_an_officer_opens_a_written_procedure(cast: Cast, setting: Setting) -> None:
    procedure = _open(cast, setting)

    assert procedure.status == WrittenProcedure.Status.OPEN
    assert procedure.is_open(date(2026, 7, 17)) and not procedure.is_open(date(2026, 7, 18))
    event = AuditEvent.objects.get(verb=AuditVerb.WRITTEN_PROCEDURE_OPENED)
    assert event.sentence == f"Written procedure opened by {cast.officer}, closing 17 July 2026"
    # The chair and the members are asked by email (through the outbox); the observer is not.
    asked = Email.objects.filter(subject="Written procedure of the Kent Strategic Board: respond by 17 July 2026")
    assert sorted(asked.values_list("to", flat=True)) == sorted(
        [setting.chair.email, cast.board_member.email, setting.member.email]
    )
    body = asked.first().body  # type: ignore[union-attr]
    assert "The board agrees the scope of the strategy." in body
    assert f"/timeline/written-procedures/{procedure.pk}/" in body


def test_a_closing_date_that_has_passed_is_refused(cast: Cast, setting: Setting) -> None:
    with pytest.raises(ApplicationError, match="has passed") as refusal:
        _open(cast, setting, closes_on=date(2026, 7, 9))
    assert refusal.value.field == "closes_on"
    assert not WrittenProcedure.objects.exists()


def test_a_board_with_nobody_to_ask_is_refused(cast: Cast, setting: Setting) -> None:
    empty = BoardFactory(strategy=cast.strategy, name="Empty board")
    BoardMembershipFactory(board=empty, role="observer")

    with pytest.raises(ApplicationError, match="no chair or members to ask"):
        _open(cast, setting, board=empty)


# Responding ---------------------------------------------------------------------------------


def test_a_member_responds_and_changes_their_response(cast: Cast, setting: Setting) -> None:
    procedure = _open(cast, setting)
    respond = outside_meetings.written_procedure_respond

    respond(actor=cast.board_member, procedure=procedure, member=cast.board_member, answer="disagree")
    respond(
        actor=cast.board_member, procedure=procedure, member=cast.board_member, answer="agree", comment="On reflection"
    )

    response = procedure.responses.get()
    assert (response.answer, response.comment, response.recorded_by) == ("agree", "On reflection", cast.board_member)
    assert AuditEvent.objects.filter(verb=AuditVerb.WRITTEN_PROCEDURE_RESPONSE_RECORDED).count() == 2


def test_a_board_member_finds_an_open_procedure_in_their_work_until_they_respond(cast: Cast, setting: Setting) -> None:
    procedure = _open(cast, setting)
    client = Client()
    client.force_login(cast.board_member)
    your_work = reverse("your-work", kwargs={"strategy_slug": cast.strategy.slug})
    link = reverse(
        "timeline:written-procedure-detail", kwargs={"strategy_slug": cast.strategy.slug, "pk": procedure.pk}
    )

    before = client.get(your_work).content.decode()
    outside_meetings.written_procedure_respond(
        actor=cast.board_member, procedure=procedure, member=cast.board_member, answer="agree"
    )
    after = client.get(your_work).content.decode()

    assert link in before and "Respond by Friday 17 July 2026" in before
    assert link not in after


def test_an_officer_records_a_members_response(cast: Cast, setting: Setting) -> None:
    procedure = _open(cast, setting)

    outside_meetings.written_procedure_respond(
        actor=cast.officer, procedure=procedure, member=setting.chair, answer="abstain", comment="By email"
    )

    response = procedure.responses.get()
    assert (response.member, response.recorded_by) == (setting.chair, cast.officer)
    event = AuditEvent.objects.get(verb=AuditVerb.WRITTEN_PROCEDURE_RESPONSE_RECORDED)
    assert event.sentence == f"Response of Chris Chair recorded by {cast.officer}: abstain"


@pytest.mark.parametrize(
    ("who", "for_whom", "message"),
    [
        ("councillor", "board_member", "Only officers record another member’s response"),
        ("officer", "officer", "Only the chair and members of the Kent Strategic Board respond"),
        ("observer", "observer", "Only the chair and members"),
        ("outsider", "outsider", "Only the chair and members"),
    ],
)
def test_only_the_boards_voting_members_respond(
    cast: Cast, setting: Setting, who: str, for_whom: str, message: str
) -> None:
    procedure = _open(cast, setting)
    people = {"observer": setting.observer}

    def person(role: str) -> User:
        found = people.get(role) or cast.person(role)
        assert found is not None
        return found

    with pytest.raises(ApplicationError, match=message):
        outside_meetings.written_procedure_respond(
            actor=person(who), procedure=procedure, member=person(for_whom), answer="agree"
        )
    assert not procedure.responses.exists()


def test_no_response_after_the_closing_date(cast: Cast, setting: Setting, _today: time_machine.Traveller) -> None:
    procedure = _open(cast, setting)
    _today.move_to(datetime(2026, 7, 18, 9, tzinfo=LONDON))

    with pytest.raises(ApplicationError, match="closed on 17 July 2026"):
        outside_meetings.written_procedure_respond(
            actor=cast.board_member, procedure=procedure, member=cast.board_member, answer="agree"
        )


# The outcome --------------------------------------------------------------------------------


def test_the_outcome_waits_for_the_closing_date_while_members_have_not_responded(cast: Cast, setting: Setting) -> None:
    procedure = _open(cast, setting)
    outside_meetings.written_procedure_respond(
        actor=cast.board_member, procedure=procedure, member=cast.board_member, answer="agree"
    )

    with pytest.raises(ApplicationError, match="2 of the board’s members have not responded yet"):
        outside_meetings.written_procedure_close(actor=cast.officer, procedure=procedure)
    procedure.refresh_from_db()
    assert procedure.status == "open" and not Decision.objects.exists()


def test_once_every_member_has_responded_the_outcome_is_recorded_that_day(cast: Cast, setting: Setting) -> None:
    procedure = _open(cast, setting)
    _all_respond(cast, setting, procedure, ["agree", "agree", "disagree"])

    decision = outside_meetings.written_procedure_close(actor=cast.officer, procedure=procedure)

    assert decision.kind == Decision.Kind.WRITTEN and decision.meeting is None
    assert decision.outcome == Decision.Outcome.APPROVED
    assert decision.decided_on == date(2026, 7, 10)
    assert decision.text == "The board agrees the scope of the strategy."
    assert decision.board == setting.process.board
    assert decision.how_taken == "By written procedure, closed 10 July 2026"
    assert decision.published_on == date(2026, 7, 10)
    procedure.refresh_from_db()
    assert procedure.status == "closed" and procedure.decision == decision
    assert AuditEvent.objects.filter(verb=AuditVerb.WRITTEN_PROCEDURE_CLOSED).count() == 1


def test_after_the_closing_date_the_decision_is_dated_the_closing_date(
    cast: Cast, setting: Setting, _today: time_machine.Traveller
) -> None:
    procedure = _open(cast, setting)
    outside_meetings.written_procedure_respond(
        actor=cast.board_member, procedure=procedure, member=cast.board_member, answer="agree"
    )
    _today.move_to(datetime(2026, 7, 20, 9, tzinfo=LONDON))

    decision = outside_meetings.written_procedure_close(actor=cast.officer, procedure=procedure)

    assert (decision.outcome, decision.decided_on) == ("approved", CLOSES)


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [
        (["agree", "disagree", "abstain"], "rejected"),  # a tie rejects
        (["disagree", "disagree", "agree"], "rejected"),
        (["agree", "abstain", "abstain"], "approved"),  # abstentions count for neither
    ],
)
def test_the_outcome_follows_the_responses(cast: Cast, setting: Setting, answers: list[str], outcome: str) -> None:
    procedure = _open(cast, setting)
    _all_respond(cast, setting, procedure, answers)

    assert outside_meetings.written_procedure_close(actor=cast.officer, procedure=procedure).outcome == outcome


def test_an_outcome_is_recorded_once(cast: Cast, setting: Setting) -> None:
    procedure = _open(cast, setting)
    _all_respond(cast, setting, procedure, ["agree"] * 3)
    outside_meetings.written_procedure_close(actor=cast.officer, procedure=procedure)

    with pytest.raises(ApplicationError, match="already closed"):
        outside_meetings.written_procedure_close(actor=cast.officer, procedure=procedure)
    assert Decision.objects.count() == 1


# Closing a phase by written procedure -------------------------------------------------------


def _allow(setting: Setting) -> None:
    setting.process.board.phases_closed_outside_meetings = True
    setting.process.board.save()


def test_a_written_procedure_closes_the_phase_where_the_boards_rules_allow(cast: Cast, setting: Setting) -> None:
    _allow(setting)
    _finish_scoping(setting)
    procedure = _open(cast, setting)
    _all_respond(cast, setting, procedure, ["agree"] * 3)

    decision = outside_meetings.written_procedure_close(actor=cast.officer, procedure=procedure, closes_phase=True)

    scoping, evidence = Phase.objects.filter(strategy=cast.strategy).order_by("order")[:2]
    assert decision.closes_phase == scoping and scoping.actual_end == date(2026, 7, 10)
    assert evidence.actual_start == date(2026, 7, 10)
    assert AuditEvent.objects.filter(verb=AuditVerb.PHASE_CLOSED).count() == 1


def test_a_board_whose_rules_do_not_allow_it_cannot_close_a_phase_by_written_procedure(
    cast: Cast, setting: Setting
) -> None:
    _finish_scoping(setting)
    procedure = _open(cast, setting)
    _all_respond(cast, setting, procedure, ["agree"] * 3)

    with pytest.raises(ApplicationError, match="rules do not allow a written procedure to close a phase"):
        outside_meetings.written_procedure_close(actor=cast.officer, procedure=procedure, closes_phase=True)
    procedure.refresh_from_db()
    assert procedure.status == "open" and not Decision.objects.exists()
    assert Phase.objects.get(pk=setting.process.phases[0].pk).actual_end is None


@pytest.mark.parametrize(
    ("arrange", "answers", "message"),
    [
        ("open milestones", ["agree"] * 3, "still has milestones that are not done"),
        ("rejected", ["disagree"] * 3, "Only a decision that approves"),
        ("later phase", ["agree"] * 3, "Only the phase under way can be closed"),
        ("other board", ["agree"] * 3, "is closed by a decision of the Kent Strategic Board"),
    ],
)
def test_closing_by_written_procedure_has_the_checks_of_a_meeting(
    cast: Cast, setting: Setting, arrange: str, answers: list[str], message: str
) -> None:
    _allow(setting)
    phase = None
    board = setting.process.board
    if arrange != "open milestones":
        _finish_scoping(setting)
    if arrange == "later phase":
        phase = setting.process.phases[1]
    if arrange == "other board":
        board = BoardFactory(strategy=cast.strategy, name="Federated board", phases_closed_outside_meetings=True)
        for person in (setting.chair, cast.board_member, setting.member):
            BoardMembership.objects.create(board=board, user=person)
    procedure = _open(cast, setting, board=board)
    _all_respond(cast, setting, procedure, answers)

    with pytest.raises(ApplicationError, match=message):
        outside_meetings.written_procedure_close(
            actor=cast.officer, procedure=procedure, closes_phase=True, phase=phase
        )
    assert not Decision.objects.exists()
    assert Phase.objects.get(pk=setting.process.phases[0].pk).actual_end is None


def test_a_procedure_closed_before_the_phase_started_cannot_close_it(cast: Cast, setting: Setting) -> None:
    _allow(setting)
    _finish_scoping(setting)
    procedure = _open(cast, setting)
    _all_respond(cast, setting, procedure, ["agree"] * 3)
    Phase.objects.filter(pk=setting.process.phases[0].pk).update(actual_start=date(2026, 7, 15))

    with pytest.raises(ApplicationError, match="after this written procedure"):
        outside_meetings.written_procedure_close(actor=cast.officer, procedure=procedure, closes_phase=True)


# Delegated decisions ------------------------------------------------------------------------


def _delegate(cast: Cast, setting: Setting, **overrides: object) -> Decision:
    kwargs: dict[str, object] = {
        "actor": cast.officer,
        "board": setting.process.board,
        "text": "The engagement contract is awarded to Example Research Ltd.",
        "outcome": "approved",
        "decided_on": date(2026, 7, 8),
        "delegate_name": "Jane Smith",
        "delegate_post": "Chief Executive",
        "delegation": "Strategic Board, 12 March 2026, item 5: delegated to the Chief Executive.",
    }
    kwargs.update(overrides)
    return outside_meetings.decision_record_delegated(**kwargs)  # type: ignore[arg-type]


def test_an_officer_records_a_delegated_decision(cast: Cast, setting: Setting) -> None:
    delegating = services.decision_record(
        actor=cast.officer, meeting=setting.process.meeting, text="Delegate the contract award.", outcome="approved"
    )

    decision = _delegate(cast, setting, delegated_by=delegating)

    assert decision.kind == Decision.Kind.DELEGATED and decision.meeting is None
    assert decision.how_taken == "Delegated to Jane Smith, Chief Executive"
    assert decision.decision_maker == "Jane Smith, Chief Executive"
    assert decision.delegated_by == delegating and decision.closes_phase is None
    event = AuditEvent.objects.get(verb=AuditVerb.DECISION_DELEGATED_RECORDED)
    assert event.sentence == f"Decision delegated to Jane Smith, Chief Executive recorded by {cast.officer}: approved"


def test_a_delegated_decision_never_closes_a_phase(cast: Cast, setting: Setting) -> None:
    _allow(setting)
    _finish_scoping(setting)

    with pytest.raises(ApplicationError, match="A delegated decision cannot close a phase: only the board closes one"):
        _delegate(cast, setting, closes_phase=True)
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"decided_on": date(2026, 7, 11)}, "decided_on"),
        ({"delegate_name": " "}, "delegate_name"),
        ({"delegation": ""}, "delegation"),
    ],
)
def test_a_delegated_decision_needs_a_date_an_officer_and_a_delegation(
    cast: Cast, setting: Setting, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ApplicationError) as refusal:
        _delegate(cast, setting, **overrides)
    assert refusal.value.field == field
    assert not Decision.objects.exists()


def test_a_delegation_from_another_strategy_is_refused(cast: Cast, setting: Setting) -> None:
    other = make_process(cast.other_strategy)
    foreign = services.decision_record(
        actor=cast.other_officer, meeting=other.meeting, text="Delegate", outcome="approved"
    )

    with pytest.raises(ApplicationError, match="Choose a decision of this strategy’s boards"):
        _delegate(cast, setting, delegated_by=foreign)


# The model's constraints and publication ----------------------------------------------------


@pytest.mark.parametrize("kind", ["written", "delegated"])
def test_only_a_meetings_decision_has_a_meeting(setting: Setting, kind: str) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.bulk_create(
            [
                Decision(
                    kind=kind,
                    meeting=setting.process.meeting,
                    board=setting.process.board,
                    decided_on=date(2026, 7, 1),
                    text="x",
                    outcome="approved",
                    delegate_name="A",
                    delegation="B",
                )
            ]
        )


def test_a_meetings_decision_has_a_meeting(setting: Setting) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            kind="meeting", board=setting.process.board, decided_on=date(2026, 7, 1), text="x", outcome="approved"
        )


def test_a_meetings_decision_moves_with_its_meeting(cast: Cast, setting: Setting) -> None:
    meeting = setting.process.meeting
    decision = services.decision_record(actor=cast.officer, meeting=meeting, text="Agreed", outcome="approved")
    assert decision.decided_on == date(2026, 7, 30)

    services.meeting_save(
        actor=cast.officer,
        strategy=cast.strategy,
        meeting=meeting,
        data={"starts_at": datetime(2026, 8, 4, 10, tzinfo=LONDON)},
    )

    decision.refresh_from_db()
    assert decision.decided_on == date(2026, 8, 4)


def test_a_decision_is_public_from_its_publication_date(
    cast: Cast, setting: Setting, _today: time_machine.Traveller
) -> None:
    decision = _delegate(cast, setting, published_on=date(2026, 7, 14))
    page = reverse("timeline:decision-detail", kwargs={"strategy_slug": cast.strategy.slug, "pk": decision.pk})

    assert decision not in decision_list(strategy=cast.strategy, published_only=True)
    assert Client().get(page).status_code == 302  # to sign in
    _today.move_to(datetime(2026, 7, 14, 9, tzinfo=LONDON))
    assert decision in decision_list(strategy=cast.strategy, published_only=True)
    assert "Delegated to Jane Smith, Chief Executive" in Client().get(page).content.decode()


# The forward plan ---------------------------------------------------------------------------


def _entry(cast: Cast, setting: Setting, **overrides: object) -> ForwardPlanEntry:
    data: dict[str, object] = {
        "board": setting.process.board,
        "title": "Agree the evidence base",
        "expected_on": date(2026, 9, 20),
        "decision_maker": "board",
        "officer": "",
        "papers": "Evidence base report",
        "status": "planned",
        "decision": None,
    }
    data.update(overrides)
    return forward_plan.forward_plan_entry_add(actor=cast.officer, strategy=cast.strategy, data=data)


def test_an_officer_keeps_the_forward_plan(cast: Cast, setting: Setting) -> None:
    entry = _entry(cast, setting)
    decision = _delegate(cast, setting)

    saved = forward_plan.forward_plan_entry_update(
        actor=cast.officer, entry=entry, data={"status": "taken", "decision": decision}, version=entry.version
    )

    assert (saved.status, saved.decision, saved.version) == ("taken", decision, 2)
    assert [e.verb for e in AuditEvent.objects.filter(verb__startswith="forward_plan_entry").order_by("pk")] == [
        AuditVerb.FORWARD_PLAN_ENTRY_ADDED,
        AuditVerb.FORWARD_PLAN_ENTRY_UPDATED,
    ]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"decision_maker": "officer", "officer": ""}, "officer"),
        ({"status": "taken"}, "decision"),
        ({"title": ""}, "title"),
    ],
)
def test_a_forward_plan_entry_is_refused_when_incomplete(
    cast: Cast, setting: Setting, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(ApplicationError) as refusal:
        _entry(cast, setting, **overrides)
    assert refusal.value.field == field
    assert not ForwardPlanEntry.objects.exists()


def test_a_forward_plan_entry_links_a_decision_of_its_board_once_taken(cast: Cast, setting: Setting) -> None:
    other_board = BoardFactory(strategy=cast.strategy, name="Federated board")
    decision = _delegate(cast, setting, board=other_board)

    with pytest.raises(ApplicationError, match="Choose a decision of the Kent Strategic Board"):
        _entry(cast, setting, status="taken", decision=decision)
    with pytest.raises(ApplicationError, match="choose “Taken”"):
        _entry(cast, setting, decision=_delegate(cast, setting))


def test_an_edit_on_an_old_version_of_an_entry_is_refused(cast: Cast, setting: Setting) -> None:
    entry = _entry(cast, setting)
    forward_plan.forward_plan_entry_update(actor=cast.officer, entry=entry, data={"title": "Theirs"}, version=1)

    with pytest.raises(StaleEditError) as stale:
        forward_plan.forward_plan_entry_update(actor=cast.officer, entry=entry, data={"title": "Mine"}, version=1)
    assert [c.field for c in stale.value.conflicts] == ["title"]
    entry.refresh_from_db()
    assert entry.title == "Theirs"


def test_the_forward_plan_page_shows_what_is_coming_and_what_was_taken(cast: Cast, setting: Setting) -> None:
    _entry(cast, setting, title="Later decision", expected_on=date(2026, 10, 1))
    _entry(
        cast,
        setting,
        title="Sooner decision",
        expected_on=date(2026, 8, 1),
        decision_maker="officer",
        officer="Jane Smith, Chief Executive",
    )
    taken = _delegate(cast, setting)
    _entry(cast, setting, title="Award the contract", status="taken", decision=taken)
    _entry(cast, setting, title="Dropped idea", status="withdrawn")
    page_url = reverse("timeline:forward-plan", kwargs={"strategy_slug": cast.strategy.slug})

    page = Client().get(page_url).content.decode()

    assert page.index("Sooner decision") < page.index("Later decision") < page.index("Award the contract")
    assert "Jane Smith, Chief Executive, under a delegation of the Kent Strategic Board" in page
    assert reverse("timeline:decision-detail", kwargs={"strategy_slug": cast.strategy.slug, "pk": taken.pk}) in page
    assert "Dropped idea" not in page
    officer = Client()
    officer.force_login(cast.officer)
    assert "Dropped idea" in officer.get(page_url).content.decode()


def test_the_forward_plan_page_does_not_link_a_decision_not_yet_public(cast: Cast, setting: Setting) -> None:
    private = _delegate(cast, setting, is_published=False)
    _entry(cast, setting, title="Award the contract", status="taken", decision=private)
    link = reverse("timeline:decision-detail", kwargs={"strategy_slug": cast.strategy.slug, "pk": private.pk})

    page = Client().get(reverse("timeline:forward-plan", kwargs={"strategy_slug": cast.strategy.slug}))

    assert "Award the contract" in page.content.decode() and link not in page.content.decode()


def test_the_forward_plan_reads_a_fixed_number_of_queries(
    cast: Cast, setting: Setting, django_assert_max_num_queries: object
) -> None:
    for n in range(12):
        _entry(cast, setting, title=f"Decision {n}", expected_on=date(2026, 8, 1) + timedelta(days=n))
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        Client().get(reverse("timeline:forward-plan", kwargs={"strategy_slug": cast.strategy.slug}))
