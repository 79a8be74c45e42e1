"""Decisions taken outside meetings: written procedures and delegated decisions.

- Written procedures: officers see every one and run them (open, record members' responses,
  record the outcome); the members of a procedure's board see their board's and respond to an
  open one themselves. Everybody else gets 404 (anonymous visitors are sent to sign in).
- A delegated decision is recorded by an officer; its page is the decision's page.
A service's refusal comes back as a form error (or, for the one-button response, a message).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.access import get_strategy_for_user_or_404
from core.exceptions import ApplicationError
from core.http import form_error_field, post_action, request_user

from .. import outside_meetings, selectors
from ..access import get_written_procedure_for_user_or_404
from ..decision_forms import (
    DelegatedDecisionForm,
    OwnResponseForm,
    ResponseForm,
    WrittenProcedureCloseForm,
    WrittenProcedureForm,
)
from ..models import Decision, WrittenProcedure
from ..rules import board_ids_of, can_manage

VIEW = "timeline.view_strategy_timeline"
MANAGE = "timeline.manage_timeline"
RESPOND = "timeline.respond_to_written_procedure"


def _decision_url(decision: Decision) -> str:
    return reverse(
        "timeline:decision-detail", kwargs={"strategy_slug": decision.board.strategy.slug, "pk": decision.pk}
    )


def _procedure_url(procedure: WrittenProcedure) -> str:
    return reverse(
        "timeline:written-procedure-detail",
        kwargs={"strategy_slug": procedure.board.strategy.slug, "pk": procedure.pk},
    )


@login_required
@require_http_methods(["GET"])
def written_procedure_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """Officers: every written procedure; board members: those of their boards; others 404."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    manager = bool(can_manage(user, strategy))
    board_ids = None if manager else board_ids_of(user, strategy)
    if board_ids is not None and not board_ids:
        raise Http404("No written procedures here.")
    procedures = list(selectors.written_procedure_list(strategy=strategy, board_ids=board_ids))
    return render(
        request,
        "timeline/written_procedure_list.html",
        {
            "strategy": strategy,
            "open": [p for p in procedures if p.status == WrittenProcedure.Status.OPEN],
            "closed": [p for p in procedures if p.status == WrittenProcedure.Status.CLOSED],
            "can_manage": manager,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def written_procedure_create(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=MANAGE)
    form = WrittenProcedureForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            procedure = outside_meetings.written_procedure_open(
                actor=user,
                board=form.cleaned_data["board"],
                question=form.cleaned_data["question"],
                closes_on=form.cleaned_data["closes_on"],
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"The written procedure is open until {procedure.closes_on:%-d %B %Y}.")
            return redirect(_procedure_url(procedure))
    return render(request, "timeline/written_procedure_form.html", {"strategy": strategy, "form": form})


@login_required
@require_http_methods(["GET"])
def written_procedure_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The resolution, each member's response, and what the person may do: respond (a member,
    while it is open), record a response or the outcome (officers)."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    procedure = selectors.written_procedure_get_with_responses(
        procedure=get_written_procedure_for_user_or_404(user, strategy, pk)
    )
    responses = {response.member_id: response for response in procedure.responses.all()}
    members = [m for m in procedure.board.memberships.all() if m.role in outside_meetings.VOTING_ROLES]
    may_respond = user.has_perm(RESPOND, procedure)
    own = responses.get(user.pk)
    own_form = (
        OwnResponseForm(initial={"answer": own.answer, "comment": own.comment} if own else None)
        if may_respond
        else None
    )
    return render(
        request,
        "timeline/written_procedure_detail.html",
        {
            "strategy": strategy,
            "procedure": procedure,
            "rows": [(membership, responses.get(membership.user_id)) for membership in members],
            "tally": procedure.tally(),
            "is_open": procedure.is_open(timezone.localdate()),
            "own_form": own_form,
            "can_manage": can_manage(user, strategy),
        },
    )


@login_required
@require_POST
def written_procedure_respond(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """A member's own response (one button: the service refuses anyone else, with the reason)."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    procedure = get_written_procedure_for_user_or_404(user, strategy, pk)
    form = OwnResponseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose agree, disagree or abstain.")
        return redirect(_procedure_url(procedure))
    return post_action(
        request,
        lambda: outside_meetings.written_procedure_respond(
            actor=user,
            procedure=procedure,
            member=user,
            answer=form.cleaned_data["answer"],
            comment=form.cleaned_data["comment"],
        ),
        success="Your response has been recorded.",
        redirect_to=_procedure_url(procedure),
    )


@login_required
@require_http_methods(["GET", "POST"])
def written_procedure_response_create(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """An officer records a member's response (sent by email, say)."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=MANAGE)
    procedure = get_written_procedure_for_user_or_404(user, strategy, pk, write=True)
    form = ResponseForm(request.POST or None, procedure=procedure)
    if request.method == "POST" and form.is_valid():
        try:
            response = outside_meetings.written_procedure_respond(
                actor=user,
                procedure=procedure,
                member=form.cleaned_data["member"],
                answer=form.cleaned_data["answer"],
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"The response of {response.member} has been recorded.")
            return redirect(_procedure_url(procedure))
    return render(
        request,
        "timeline/written_procedure_response_form.html",
        {"strategy": strategy, "procedure": procedure, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def written_procedure_close(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """An officer records the outcome the responses give: the board's decision."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=MANAGE)
    procedure = selectors.written_procedure_get_with_responses(
        procedure=get_written_procedure_for_user_or_404(user, strategy, pk, write=True)
    )
    form = WrittenProcedureCloseForm(request.POST or None, strategy=strategy, board=procedure.board)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = outside_meetings.written_procedure_close(
                actor=user,
                procedure=procedure,
                text=data["text"],
                phase=data["phase"],
                milestone=data["milestone"],
                closes_phase=data["closes_phase"],
                is_published=data["is_published"],
                published_on=data["published_on"],
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            message = f"The outcome has been recorded: {decision.get_outcome_display().lower()}."
            if decision.closes_phase is not None:
                message += f" {decision.closes_phase.name} is closed."
            messages.success(request, message)
            return redirect(_decision_url(decision))
    return render(
        request,
        "timeline/written_procedure_close.html",
        {"strategy": strategy, "procedure": procedure, "form": form, "tally": procedure.tally()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_delegated_create(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=MANAGE)
    form = DelegatedDecisionForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = outside_meetings.decision_record_delegated(
                actor=user,
                board=data["board"],
                text=data["text"],
                outcome=data["outcome"],
                decided_on=data["decided_on"],
                delegate_name=data["delegate_name"],
                delegate_post=data["delegate_post"],
                delegation=data["delegation"],
                delegated_by=data["delegated_by"],
                phase=data["phase"],
                milestone=data["milestone"],
                is_published=data["is_published"],
                published_on=data["published_on"],
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"The decision delegated to {decision.decision_maker} has been recorded.")
            return redirect(_decision_url(decision))
    return render(request, "timeline/decision_delegated_form.html", {"strategy": strategy, "form": form})
