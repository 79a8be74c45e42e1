"""The forward plan: the decisions to come, for everyone who sees the strategy (signed-out
visitors included, for a published strategy); officers add and edit its entries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from core.access import get_strategy_for_user_or_404, get_strategy_or_404
from core.exceptions import ApplicationError, Conflict
from core.http import form_error_field, request_user, versioned_save

from .. import forward_plan, selectors
from ..access import get_forward_plan_entry_for_user_or_404
from ..decision_forms import ForwardPlanEntryForm
from ..rules import can_manage

MANAGE = "timeline.manage_timeline"


def _plan_url(strategy_slug: str) -> str:
    return reverse("timeline:forward-plan", kwargs={"strategy_slug": strategy_slug})


@require_safe
def forward_plan_page(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_or_404(request.user, strategy_slug)
    today = timezone.localdate()
    return render(
        request,
        "timeline/forward_plan.html",
        {
            "strategy": strategy,
            "plan": selectors.forward_plan_for_user(user=request.user, strategy=strategy, today=today),
            "can_manage": can_manage(request.user, strategy),
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def forward_plan_entry_create(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=MANAGE)
    form = ForwardPlanEntryForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            entry = forward_plan.forward_plan_entry_add(actor=user, strategy=strategy, data=form.entry_data())
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"“{entry.title}” has been added to the forward plan.")
            return redirect(_plan_url(strategy.slug))
    return render(
        request, "timeline/forward_plan_form.html", {"strategy": strategy, "form": form, "entry": None, "conflicts": []}
    )


@login_required
@require_http_methods(["GET", "POST"])
def forward_plan_entry_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=MANAGE)
    entry = get_forward_plan_entry_for_user_or_404(user, strategy, pk)
    conflicts: list[Conflict] = []
    if request.method == "POST":
        form, saved, conflicts = versioned_save(
            request.POST,
            current=entry,
            form_for=lambda data, current: ForwardPlanEntryForm(data, strategy=strategy),
            save=lambda form, version: forward_plan.forward_plan_entry_update(
                actor=user, entry=entry, data=form.entry_data(), version=version
            ),
        )
        if saved is not None:
            messages.success(request, f"“{saved.title}” has been saved.")
            return redirect(_plan_url(strategy.slug))
    else:
        form = ForwardPlanEntryForm(strategy=strategy, initial=ForwardPlanEntryForm.initial_for(entry))
    return render(
        request,
        "timeline/forward_plan_form.html",
        {"strategy": strategy, "form": form, "entry": entry, "conflicts": conflicts},
    )
