"""Milestones and phases: lists, pages, and the officer's edits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.access import get_strategy_for_user_or_404
from core.exceptions import ApplicationError, Conflict
from core.http import form_error_field, request_user, versioned_save
from core.models import Strategy
from core.selectors import audit_event_list_for_record

from .. import services
from ..access import get_milestone_for_user_or_404, get_phase_for_user_or_404
from ..forms import MilestoneFilterForm, MilestoneForm, PhaseForm
from ..models import Milestone
from ..rules import can_manage
from ..selectors import milestone_list as select_milestones

VIEW = "timeline.view_strategy_timeline"
MANAGE = "timeline.manage_timeline"
PAGE_SIZE = 100


@login_required
def milestone_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=VIEW)
    filters = MilestoneFilterForm(request.GET or None, strategy=strategy)
    chosen: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    owner = chosen.get("owner")
    today = timezone.localdate()
    milestones = select_milestones(
        strategy=strategy,
        phase_id=chosen["phase"].pk if chosen.get("phase") else None,
        owner_id=request.user.pk if chosen.get("mine") else (owner.pk if owner else None),
        status=chosen.get("status") or None,
        overdue_on=today if chosen.get("due") == "overdue" else None,
    )
    page = Paginator(milestones, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "strategy": strategy,
        "filters": filters,
        "page": page,
        "today": today,
        "can_manage": can_manage(request.user, strategy),
        "query": query.urlencode(),
        "mine": bool(chosen.get("mine")),
    }
    return render(request, "timeline/milestone_list.html", context)


@login_required
def milestone_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=VIEW)
    milestone = get_milestone_for_user_or_404(request.user, strategy, pk)
    history = audit_event_list_for_record(record=milestone)
    context = {
        "strategy": strategy,
        "milestone": milestone,
        "depends_on": milestone.depends_on.select_related("phase"),
        "dependents": milestone.dependents.select_related("phase"),
        "decisions": milestone.decisions.select_related("board", "meeting"),
        "history": history,
        "today": timezone.localdate(),
        "can_manage": can_manage(request.user, strategy),
    }
    return render(request, "timeline/milestone_detail.html", context)


@login_required
def milestone_create(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    initial = {"phase": request.GET.get("phase")}
    form = MilestoneForm(request.POST or None, strategy=strategy, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            milestone = services.milestone_create(
                actor=request_user(request),
                strategy=strategy,
                data=form.milestone_data(),
                depends_on=list(form.cleaned_data["depends_on"]),
                confirm_outside_phase=form.cleaned_data["confirm_outside_phase"],
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"Milestone “{milestone.title}” added.")
            return redirect(milestone)
    return render(request, "timeline/milestone_form.html", {"strategy": strategy, "form": form, "milestone": None})


@login_required
def milestone_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    milestone = get_milestone_for_user_or_404(request.user, strategy, pk, write=True)
    conflicts: list[Conflict] = []
    if request.method == "POST":
        form, saved, conflicts = versioned_save(
            request.POST,
            current=milestone,
            form_for=lambda data, current: MilestoneForm(data, strategy=strategy, milestone=current),
            save=lambda form, version: services.milestone_update(
                actor=request_user(request),
                milestone=milestone,
                data=form.milestone_data(),
                version=version,
                depends_on=list(form.cleaned_data["depends_on"]),
                confirm_outside_phase=form.cleaned_data["confirm_outside_phase"],
            ),
        )
        if saved is not None:
            messages.success(request, "Milestone saved.")
            return redirect(saved)
    else:
        form = MilestoneForm(strategy=strategy, milestone=milestone, initial=_initial(milestone))
    context = {"strategy": strategy, "form": form, "milestone": milestone, "conflicts": conflicts}
    return render(request, "timeline/milestone_form.html", context)


@login_required
@require_POST
def milestone_status(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    milestone = get_milestone_for_user_or_404(request.user, strategy, pk, write=True)
    status = request.POST.get("status", "")
    if status not in Milestone.Status.values:
        messages.error(request, "Choose a status for the milestone.")
    else:
        try:
            services.milestone_set_status(actor=request_user(request), milestone=milestone, status=status)
        except ApplicationError as error:
            messages.error(request, f"“{milestone.title}” was not changed. {error.message}")
        else:
            messages.success(request, f"“{milestone.title}” is now {Milestone.Status(status).label.lower()}.")
    return _back(request, strategy)


@login_required
@require_POST
def milestone_move(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    milestone = get_milestone_for_user_or_404(request.user, strategy, pk, write=True)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        services.milestone_move(actor=request_user(request), milestone=milestone, direction=direction)
    return _back(request, strategy)


@login_required
def phase_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    phase = get_phase_for_user_or_404(request.user, strategy, pk, write=True)
    initial = {
        "planned_start": phase.planned_start,
        "planned_end": phase.planned_end,
        "closing_board": phase.closing_board,
    }
    form = PhaseForm(request.POST or None, strategy=strategy, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_update(actor=request_user(request), phase=phase, data=form.cleaned_data)
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"{phase.name} saved.")
            return redirect("timeline:dashboard", strategy_slug=strategy.slug)
    return render(request, "timeline/phase_form.html", {"strategy": strategy, "form": form, "phase": phase})


def _initial(milestone: Milestone) -> dict[str, Any]:
    return {
        "title": milestone.title,
        "phase": milestone.phase,
        "status": milestone.status,
        "due_date": milestone.due_date,
        "owner": milestone.owner,
        "lead_organisation": milestone.lead_organisation,
        "is_key": milestone.is_key,
        "depends_on": list(milestone.depends_on.all()),
        "notes": milestone.notes,
        "version": milestone.version,
    }


def _back(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(reverse("timeline:milestone-list", kwargs={"strategy_slug": strategy.slug}))
