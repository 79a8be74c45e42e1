"""Boards, their meetings and decisions.

Everyone who can see the strategy's timeline sees its boards, their members and meeting dates,
and its published decisions. A meeting's business (agenda, attendance, declarations, unpublished
decisions) is for officers and the members of that meeting's board; everyone else gets 404.
Officers change meetings and record what boards decide; the services check the rules and a
refusal comes back as a form error, with nothing saved.
"""

from __future__ import annotations

import copy
from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.access import get_strategy_for_user_or_404, get_strategy_or_404
from core.exceptions import ApplicationError
from core.http import request_user
from core.models import Strategy

from .. import selectors, services
from ..access import get_decision_for_user_or_404, get_meeting_for_user_or_404
from ..deadlines import holidays_known_until
from ..forms import AgendaItemForm, AttendanceForm, DecisionForm, DeclarationForm, MeetingForm
from ..meeting_page import (
    MeetingRow,
    board_follow_url,
    decision_row,
    holidays_note_needed,
    meeting_page_url,
    meeting_row,
)
from ..models import Board, BoardMembership, Decision, Meeting, Milestone
from ..rules import board_ids_of, can_manage

VIEW = "timeline.view_strategy_timeline"
MANAGE = "timeline.manage_timeline"


def _add_service_error(form: forms.Form, error: ApplicationError, *, field_name: str | None = None) -> None:
    """Show a service's refusal on the field it names, or above the form when the form has no
    such field."""
    name = field_name or error.field
    form.add_error(name if name in form.fields else None, error.message)


# Boards ----------------------------------------------------------------------------------------


def _boards_with_members_and_meetings(strategy: Strategy) -> QuerySet[Board]:
    return selectors.board_list_for_strategy(strategy=strategy).prefetch_related(
        Prefetch("memberships", queryset=BoardMembership.objects.select_related("user").order_by("role", "user__name")),
        Prefetch("meetings", queryset=Meeting.objects.order_by("starts_at", "pk")),
    )


@require_http_methods(["GET"])
def board_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """The strategy's boards, their members and meetings: public, like the timeline."""
    user = request.user
    strategy = get_strategy_or_404(user, strategy_slug)
    return render(
        request,
        "timeline/board_list.html",
        {
            "strategy": strategy,
            "boards": list(_boards_with_members_and_meetings(strategy)),
            "can_manage": can_manage(user, strategy),
            "my_board_ids": board_ids_of(user, strategy),
        },
    )


@require_http_methods(["GET"])
def board_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """A board's members and its meetings, past and upcoming: public, like the timeline. Its
    officers and members also see each meeting's publication deadlines."""
    user = request.user
    strategy = get_strategy_or_404(user, strategy_slug)
    board = _boards_with_members_and_meetings(strategy).filter(pk=pk).first()
    if board is None:
        raise Http404("No board here.")
    manager = bool(can_manage(user, strategy))
    sits = board.pk in board_ids_of(user, strategy)
    rows = [meeting_row(meeting, can_open=True) for meeting in board.meetings.all()]
    now = timezone.now()
    return render(
        request,
        "timeline/board_detail.html",
        {
            "strategy": strategy,
            "board": board,
            "sections": _upcoming_and_past(rows, now),
            "can_manage": manager,
            "sits_on_board": sits,
            "board_subscribe_url": board_follow_url(board),
            "holidays_note": holidays_note_needed(rows),
            "holidays_known_until": holidays_known_until(),
        },
    )


def _upcoming_and_past(rows: list[MeetingRow], now: datetime) -> list[tuple[str, str, list[MeetingRow], str]]:
    """The rows as two sections: upcoming (soonest first) and past (latest first)."""
    upcoming = [row for row in rows if row.meeting.starts_at >= now]
    past = [row for row in rows if row.meeting.starts_at < now][::-1]
    return [
        ("upcoming", "Upcoming meetings", upcoming, "No meetings are coming up."),
        ("past", "Past meetings", past, "No meetings have taken place yet."),
    ]


# Meetings --------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def meeting_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """Every meeting of the strategy's boards: public, like the timeline. Officers and each
    board's members also see the publication deadlines; the decision counts are of the decisions
    the person may see."""
    user = request.user
    strategy = get_strategy_or_404(user, strategy_slug)
    manager = bool(can_manage(user, strategy))
    board_ids = board_ids_of(user, strategy)
    meetings = selectors.meeting_list(strategy=strategy, decisions_of_boards=None if manager else board_ids)
    rows = [meeting_row(meeting, can_open=True) for meeting in meetings]
    return render(
        request,
        "timeline/meeting_list.html",
        {
            "strategy": strategy,
            "sections": _upcoming_and_past(rows, timezone.now()),
            "can_manage": manager,
            "is_board_member": bool(board_ids),
            "holidays_note": holidays_note_needed(rows),
            "holidays_known_until": holidays_known_until(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=MANAGE)
    initial = {"board": request.GET.get("board")} if request.GET.get("board") else None
    form = MeetingForm(request.POST or None, strategy=strategy, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_save(
                actor=user,
                strategy=strategy,
                meeting=Meeting(),
                data=form.meeting_data(),
            )
        except ApplicationError as error:
            _add_service_error(form, error, field_name="day" if error.field == "starts_at" else None)
        else:
            messages.success(request, f"{meeting.title} has been added.")
            return redirect(meeting.get_absolute_url())
    return render(request, "timeline/meeting_form.html", {"strategy": strategy, "form": form, "meeting": None})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=MANAGE)
    meeting = get_meeting_for_user_or_404(user, strategy, pk, write=True)
    form = MeetingForm(request.POST or None, strategy=strategy, initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            # A copy: if the service refuses, the page still shows the meeting as it is saved.
            saved = services.meeting_save(
                actor=user,
                strategy=strategy,
                meeting=copy.copy(meeting),
                data=form.meeting_data(),
            )
        except ApplicationError as error:
            _add_service_error(form, error, field_name="day" if error.field == "starts_at" else None)
        else:
            messages.success(request, f"{saved.title} has been saved.")
            return redirect(saved.get_absolute_url())
    return render(request, "timeline/meeting_form.html", {"strategy": strategy, "form": form, "meeting": meeting})


@require_http_methods(["GET"])
def meeting_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """Timeline's address of a meeting: a redirect to the meeting's one page (the agenda with its
    papers and packs, which lives in documents), public like the meeting page itself."""
    strategy = get_strategy_or_404(request.user, strategy_slug)
    meeting = Meeting.objects.select_related("board__strategy").filter(pk=pk, board__strategy=strategy).first()
    page = meeting_page_url(meeting) if meeting is not None else None
    if page is None:
        raise Http404("No meeting page here.")
    return redirect(page)


@login_required
@require_http_methods(["GET", "POST"])
def agenda_item_create(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=MANAGE)
    meeting = get_meeting_for_user_or_404(user, strategy, pk, write=True)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.agenda_item_add(
                actor=user,
                meeting=meeting,
                title=form.cleaned_data["title"],
                presenter=form.cleaned_data["presenter"],
            )
        except ApplicationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, f"Item {item.number}, {item.title}, has been added to the agenda.")
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "timeline/agenda_item_form.html",
        {"strategy": strategy, "meeting": meeting, "form": form, "items": meeting.agenda_items.order_by("number")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=MANAGE)
    meeting = get_meeting_for_user_or_404(user, strategy, pk, write=True)
    memberships = list(meeting.board.memberships.select_related("user").order_by("role", "user__name"))
    current = dict(meeting.attendance.values_list("user_id", "status"))
    form = AttendanceForm(request.POST or None, memberships=memberships, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(
                actor=user,
                meeting=meeting,
                statuses=form.statuses(),
            )
        except ApplicationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, "Attendance has been recorded.")
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "timeline/attendance_form.html",
        {"strategy": strategy, "meeting": meeting, "form": form, "has_members": bool(memberships)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def declaration_create(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=MANAGE)
    meeting = get_meeting_for_user_or_404(user, strategy, pk, write=True)
    form = DeclarationForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            declaration = services.declaration_add(
                actor=user,
                agenda_item=form.cleaned_data["agenda_item"],
                user=form.cleaned_data["user"],
                interest=form.cleaned_data["interest"],
            )
        except ApplicationError as error:
            _add_service_error(form, error)
        else:
            messages.success(
                request,
                f"The declaration of {declaration.user} on item {declaration.agenda_item.number} has been added.",
            )
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "timeline/declaration_form.html",
        {"strategy": strategy, "meeting": meeting, "form": form, "has_items": meeting.agenda_items.exists()},
    )


# Decisions -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=MANAGE)
    meeting = get_meeting_for_user_or_404(user, strategy, pk, write=True)
    current_phase = services.phase_current_for(strategy)
    form = DecisionForm(request.POST or None, meeting=meeting, strategy=strategy, current_phase=current_phase)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = services.decision_record(
                actor=user,
                meeting=meeting,
                text=data["text"],
                outcome=data["outcome"],
                agenda_item=data["agenda_item"],
                phase=data["phase"],
                milestone=data["milestone"],
                closes_phase=data["closes_phase"],
                is_published=data["is_published"],
                follow_ups=form.follow_ups(),
            )
        except ApplicationError as error:
            _add_service_error(form, error, field_name=form.follow_up_field_for(error))
        else:
            messages.success(request, _decision_message(decision))
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "timeline/decision_form.html",
        {"strategy": strategy, "meeting": meeting, "form": form, "current_phase": current_phase},
    )


def _decision_message(decision: Decision) -> str:
    message = f"The decision has been recorded ({decision.get_outcome_display().lower()})."
    if decision.closes_phase is not None:
        message += f" {decision.closes_phase.name} is closed."
    actions = decision.actions.count()
    if actions:
        message += f" {actions} follow-up action{'s' if actions != 1 else ''} added to the milestones."
    return message


@require_http_methods(["GET"])
def decision_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """Public like the boards' pages: the public decisions (published, on a publication date that
    has come) for everybody; officers see every decision, board members also the others of their
    boards. A meeting's decision links its meeting's page, which is public."""
    user = request.user
    strategy = get_strategy_or_404(user, strategy_slug)
    manager = bool(can_manage(user, strategy))
    board_ids = board_ids_of(user, strategy)
    decisions = selectors.decision_list_for_user(user=user, strategy=strategy)
    page = Paginator(decisions, 50).get_page(request.GET.get("page"))
    rows = [decision_row(decision, can_open_meeting=decision.meeting_id is not None) for decision in page.object_list]
    return render(
        request,
        "timeline/decision_list.html",
        {
            "strategy": strategy,
            "page": page,
            "rows": rows,
            "can_manage": manager,
            "sits_on_a_board": bool(board_ids),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET"])
def decision_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """A published decision is public, like the timeline it shows on: anyone who can see the
    strategy reads it. An unpublished one is for officers and the members of its board; others
    get 404, and anonymous visitors are sent to sign in first (whether or not it exists)."""
    user = request.user
    strategy = get_strategy_or_404(user, strategy_slug)
    try:
        decision = get_decision_for_user_or_404(user, strategy, pk)
    except Http404:
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    person = request_user(request) if user.is_authenticated else user
    manager = bool(can_manage(person, strategy))
    can_open_meeting = decision.meeting_id is not None and (
        manager or decision.board_id in board_ids_of(person, strategy)
    )
    actions = Milestone.objects.filter(decision=decision).select_related("owner", "phase").order_by("due_date", "pk")
    return render(
        request,
        "timeline/decision_detail.html",
        {
            "strategy": strategy,
            "row": decision_row(decision, can_open_meeting=can_open_meeting),
            "decision": decision,
            "actions": actions,
            "board": decision.board,
            "can_view_timeline": person.has_perm(VIEW, strategy),
            **selectors.decision_page_extras(decision, user=person),
        },
    )
