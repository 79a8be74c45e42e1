"""Decisions taken outside meetings (issue 14): by written procedure, or by an officer under a
delegation of the board. Services, as timeline/services.py: keyword-only, atomic, validated,
audited, refusing with a sentence a person can act on.

- A **written procedure** puts a resolution to a board's chair and members with a closing date.
  Each member's response (agree, disagree, abstain, with a comment) is recorded by an officer or by
  the member while it is open. Once it closes (or every member has responded) an officer records
  the outcome the responses give — approved when more members agree than disagree, else rejected —
  which becomes the board's Decision, dated the day it closed (or the day the last member
  responded). Where the board's rules allow it (`Board.phases_closed_outside_meetings`) an
  approval may close the phase the board closes, with the same checks as a meeting's decision
  (`services.phase_to_close`).
- A **delegated decision** is taken by a named officer under a delegation of the board (the text
  it rests on, and the board's decision that made it when recorded here). It never closes a phase.

Both carry a publication date: a published one is public from that day (the day it is recorded,
unless the officer names a later one).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.audit import AuditVerb
from core.editing import validate
from core.exceptions import ApplicationError
from core.models import Strategy, User
from core.services import audit_record, email_queue

from .models import Board, BoardMembership, Decision, Milestone, Phase, WrittenProcedure, WrittenProcedureResponse
from .rules import RESPOND_TO_PROCEDURE, can_manage
from .services import close_phase, phase_to_close

VOTING_ROLES = (BoardMembership.Role.CHAIR, BoardMembership.Role.MEMBER)


def _check_concerns(*, strategy: Strategy, phase: Phase | None, milestone: Milestone | None) -> None:
    if phase is not None and phase.strategy_id != strategy.pk:
        raise ApplicationError("Choose a phase of this strategy.", field="phase")
    if milestone is not None and milestone.phase.strategy_id != strategy.pk:
        raise ApplicationError("Choose a milestone of this strategy.", field="milestone")


def _publication_day(*, is_published: bool, published_on: date | None, today: date) -> date | None:
    if not is_published:
        return published_on
    return published_on or today


# Written procedures ------------------------------------------------------------------------


def written_procedure_open(*, actor: User, board: Board, question: str, closes_on: date) -> WrittenProcedure:
    """Put a resolution to the board's chair and members, to respond by `closes_on`: each is
    emailed the question and a link to respond (through the outbox, once the procedure is stored)."""
    today = timezone.localdate()
    if closes_on < today:
        raise ApplicationError(
            f"The closing date {closes_on:%-d %B %Y} has passed. Choose today or a later day.", field="closes_on"
        )
    if not board.memberships.filter(role__in=VOTING_ROLES).exists():
        raise ApplicationError(
            f"The {board} has no chair or members to ask. Add its members before opening a written procedure.",
            field="board",
        )
    with transaction.atomic():
        procedure = WrittenProcedure(board=board, question=question.strip(), closes_on=closes_on, opened_by=actor)
        validate(procedure)
        procedure.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.WRITTEN_PROCEDURE_OPENED,
            target=procedure,
            strategy=board.strategy,
            data={"closes_on": f"{closes_on:%-d %B %Y}"},
        )
        _ask_the_members(procedure)
    return procedure


def _ask_the_members(procedure: WrittenProcedure) -> None:
    board = procedure.board
    path = reverse(
        "timeline:written-procedure-detail", kwargs={"strategy_slug": board.strategy.slug, "pk": procedure.pk}
    )
    link = str(settings.SITE_URL).rstrip("/") + path
    members = (
        BoardMembership.objects.filter(board=board, role__in=VOTING_ROLES)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__name")
    )
    for membership in members:
        email_queue(
            to=membership.user.email,
            subject=f"Written procedure of the {board.name}: respond by {procedure.closes_on:%-d %B %Y}"[:200],
            body=render_to_string(
                "timeline/email/written_procedure_opened.txt",
                {"member": membership.user, "board": board, "procedure": procedure, "link": link},
            ),
            strategy=board.strategy,
        )


def written_procedure_respond(
    *, actor: User, procedure: WrittenProcedure, member: User, answer: str, comment: str = ""
) -> WrittenProcedureResponse:
    """Record `member`'s response (a new one replaces theirs): by an officer for any member, or by
    the member themselves, while the procedure is open."""
    with transaction.atomic():
        procedure = WrittenProcedure.objects.select_for_update().select_related("board__strategy").get(pk=procedure.pk)
        if actor.pk != member.pk and not can_manage(actor, procedure.board.strategy):
            raise ApplicationError("Only officers record another member’s response.", field="member")
        RESPOND_TO_PROCEDURE.check(member, procedure)
        if answer not in WrittenProcedureResponse.Answer.values:
            raise ApplicationError("Choose agree, disagree or abstain.", field="answer")
        response, _ = WrittenProcedureResponse.objects.update_or_create(
            procedure=procedure,
            member=member,
            defaults={"answer": answer, "comment": comment.strip(), "recorded_by": actor},
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.WRITTEN_PROCEDURE_RESPONSE_RECORDED,
            target=procedure,
            strategy=procedure.board.strategy,
            data={"member": str(member), "answer": str(WrittenProcedureResponse.Answer(answer).label).lower()},
        )
    return response


def written_procedure_close(
    *,
    actor: User,
    procedure: WrittenProcedure,
    text: str = "",
    phase: Phase | None = None,
    milestone: Milestone | None = None,
    closes_phase: bool = False,
    is_published: bool = True,
    published_on: date | None = None,
) -> Decision:
    """Record the outcome the responses give as the board's decision (`text`, or the resolution
    itself). Refused while the procedure is open and a member has yet to respond."""
    today = timezone.localdate()
    with transaction.atomic():
        procedure = WrittenProcedure.objects.select_for_update().select_related("board__strategy").get(pk=procedure.pk)
        board = procedure.board
        strategy = board.strategy
        if procedure.status == WrittenProcedure.Status.CLOSED:
            raise ApplicationError("This written procedure is already closed: its outcome has been recorded.")
        responses = list(procedure.responses.all())
        responded = {response.member_id for response in responses}
        waiting = set(board.memberships.filter(role__in=VOTING_ROLES).values_list("user_id", flat=True)) - responded
        if today <= procedure.closes_on and waiting:
            raise ApplicationError(
                f"This written procedure is open until {procedure.closes_on:%-d %B %Y} and "
                f"{len(waiting)} of the board’s members {'has' if len(waiting) == 1 else 'have'} not responded yet. "
                "Record the outcome once it closes, or once every member has responded."
            )
        _check_concerns(strategy=strategy, phase=phase, milestone=milestone)
        tally = procedure.tally(responses)
        outcome = (
            Decision.Outcome.APPROVED
            if tally[WrittenProcedureResponse.Answer.AGREE] > tally[WrittenProcedureResponse.Answer.DISAGREE]
            else Decision.Outcome.REJECTED
        )
        decided_on = min(today, procedure.closes_on)
        decision = Decision(
            kind=Decision.Kind.WRITTEN,
            board=board,
            decided_on=decided_on,
            text=text.strip() or procedure.question,
            outcome=outcome,
            phase=phase,
            milestone=milestone,
            is_published=is_published,
            published_on=_publication_day(is_published=is_published, published_on=published_on, today=today),
            recorded_by=actor,
        )
        closing: Phase | None = None
        if closes_phase:
            if not board.phases_closed_outside_meetings:
                raise ApplicationError(
                    f"The {board}’s rules do not allow a written procedure to close a phase: record the decision "
                    "at a meeting, or ask an administrator to allow it in the board’s settings.",
                    field="closes_phase",
                )
            closing = phase_to_close(
                board=board, day=decided_on, phase=phase, outcome=outcome, taken_by="this written procedure"
            )
            decision.closes_phase = closing
            decision.phase = closing
        validate(decision)
        decision.save()
        procedure.status = WrittenProcedure.Status.CLOSED
        procedure.decision = decision
        procedure.save(update_fields=["status", "decision"])
        label = str(Decision.Outcome(outcome).label).lower()
        audit_record(
            actor=actor,
            verb=AuditVerb.WRITTEN_PROCEDURE_CLOSED,
            target=procedure,
            strategy=strategy,
            data={"outcome": label},
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.DECISION_RECORDED,
            target=decision,
            strategy=strategy,
            data={"outcome": outcome, "written_procedure": procedure.pk},
        )
        if closing is not None:
            close_phase(actor=actor, phase=closing, day=decided_on, decision=decision)
    return decision


# Delegated decisions -----------------------------------------------------------------------


def decision_record_delegated(
    *,
    actor: User,
    board: Board,
    text: str,
    outcome: str,
    decided_on: date,
    delegate_name: str,
    delegate_post: str,
    delegation: str,
    delegated_by: Decision | None = None,
    phase: Phase | None = None,
    milestone: Milestone | None = None,
    closes_phase: bool = False,
    is_published: bool = True,
    published_on: date | None = None,
) -> Decision:
    """Record a decision a named officer took under a delegation of `board`."""
    strategy = board.strategy
    today = timezone.localdate()
    if closes_phase:
        raise ApplicationError(
            "A delegated decision cannot close a phase: only the board closes one, at a meeting or, where its "
            "rules allow, by written procedure.",
            field="closes_phase",
        )
    if decided_on > today:
        raise ApplicationError(
            f"The decision date {decided_on:%-d %B %Y} has not come yet. Record the decision once it is taken.",
            field="decided_on",
        )
    if not delegate_name.strip():
        raise ApplicationError("Enter the name of the officer who decided.", field="delegate_name")
    if not delegation.strip():
        raise ApplicationError("Enter the delegation the decision rests on.", field="delegation")
    if delegated_by is not None and delegated_by.board.strategy_id != strategy.pk:
        raise ApplicationError("Choose a decision of this strategy’s boards.", field="delegated_by")
    if delegated_by is not None and delegated_by.kind == Decision.Kind.DELEGATED:
        raise ApplicationError(
            "A delegation comes from a decision of the board, not from another delegated decision.",
            field="delegated_by",
        )
    _check_concerns(strategy=strategy, phase=phase, milestone=milestone)
    with transaction.atomic():
        decision = Decision(
            kind=Decision.Kind.DELEGATED,
            board=board,
            decided_on=decided_on,
            text=text.strip(),
            outcome=outcome,
            phase=phase,
            milestone=milestone,
            delegate_name=delegate_name.strip(),
            delegate_post=delegate_post.strip(),
            delegation=delegation.strip(),
            delegated_by=delegated_by,
            is_published=is_published,
            published_on=_publication_day(is_published=is_published, published_on=published_on, today=today),
            recorded_by=actor,
        )
        validate(decision)
        decision.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.DECISION_DELEGATED_RECORDED,
            target=decision,
            strategy=strategy,
            data={"outcome": outcome, "delegate": decision.decision_maker},
        )
    return decision
