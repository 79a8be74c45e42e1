"""Propositions: the officer's list, merging priorities into a new one, its page, edits with the
stale-edit refusal, and its status (emerging, agreed, dropped)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.access import get_strategy_for_user_or_404
from core.exceptions import ApplicationError, Conflict
from core.http import form_error_field, post_action, request_user, versioned_save
from evidence.models import Sharing

from .. import services
from ..access import get_proposition_for_user_or_404
from ..forms import PropositionForm, PropositionStatusForm
from ..models import Proposition
from ..rules import can_manage, council_ids_of
from ..selectors import priority_choices_for_propositions, proposition_list_for_strategy, proposition_priorities
from ..trail import proposition_trail

MANAGE = "engagement.manage_calls"
VIEW = "engagement.view_calls"


@login_required
def proposition_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    status = request.GET.get("status", "")
    status = status if status in Proposition.Status.values else ""
    context = {
        "strategy": strategy,
        "propositions": proposition_list_for_strategy(strategy=strategy, status=status),
        "status": status,
        "statuses": Proposition.Status.choices,
    }
    return render(request, "engagement/proposition_list.html", context)


@login_required
def proposition_create(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """Merge priorities into a proposition; `?priorities=1&priorities=2` starts with those chosen."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    if request.method == "POST":
        form = PropositionForm(request.POST, strategy=strategy, user=request.user)
        if form.is_valid():
            try:
                proposition = services.proposition_create(
                    actor=request_user(request), strategy=strategy, data=form.proposition_data()
                )
            except ApplicationError as error:
                form.add_error(form_error_field(form, error), error.message)
            else:
                messages.success(request, f"Proposition “{proposition.title}” created.")
                return redirect(proposition)
    else:
        ids = [int(v) for v in request.GET.getlist("priorities") if v.isdigit()]
        chosen = list(
            priority_choices_for_propositions(strategy=strategy)
            .filter(pk__in=ids)
            .prefetch_related("themes", "coded_themes", "evidence_items")
        )
        form = PropositionForm(
            strategy=strategy, user=request.user, initial=PropositionForm.initial_from_priorities(chosen)
        )
    context = {"strategy": strategy, "form": form, "proposition": None, "conflicts": []}
    return render(request, "engagement/proposition_form.html", context)


@login_required
def proposition_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The officer's page of a proposition; a councillor whose council's priority it merged reads it
    (no changes, no councils' drafts or hidden priorities, no officers-only evidence)."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=VIEW)
    proposition = get_proposition_for_user_or_404(request.user, strategy, pk)
    officer = bool(can_manage(request.user, strategy))
    priorities = proposition_priorities(proposition=proposition, shared_only=not officer)
    evidence_items = proposition.evidence_items.order_by("title")
    if not officer:
        evidence_items = evidence_items.exclude(sharing=Sharing.OFFICERS)
    context = {
        "strategy": strategy,
        "proposition": proposition,
        "officer": officer,
        "own_councils": council_ids_of(request.user, strategy),
        "priorities": priorities,
        "evidence_items": evidence_items,
        "themes": proposition.themes.order_by("kind", "order"),
        "status_form": PropositionStatusForm(initial={"status": proposition.status}),
        "trail": proposition_trail(proposition=proposition, user=request.user),
    }
    return render(request, "engagement/proposition_detail.html", context)


@login_required
def proposition_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    proposition = get_proposition_for_user_or_404(request.user, strategy, pk, write=True)
    conflicts: list[Conflict] = []
    if request.method == "POST":
        form, saved, conflicts = versioned_save(
            request.POST,
            current=proposition,
            form_for=lambda data, _: PropositionForm(data, strategy=strategy, user=request.user),
            save=lambda form, version: services.proposition_update(
                actor=request_user(request), proposition=proposition, data=form.proposition_data(), version=version
            ),
        )
        if saved is not None:
            messages.success(request, "Proposition saved.")
            return redirect(saved)
    else:
        form = PropositionForm(strategy=strategy, user=request.user, initial=PropositionForm.initial_for(proposition))
    context = {"strategy": strategy, "form": form, "proposition": proposition, "conflicts": conflicts}
    return render(request, "engagement/proposition_form.html", context)


@login_required
@require_POST
def proposition_status(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    proposition = get_proposition_for_user_or_404(request.user, strategy, pk, write=True)
    form = PropositionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose emerging, agreed or dropped.")
        return redirect(proposition)
    return post_action(
        request,
        lambda: services.proposition_set_status(
            actor=request_user(request), proposition=proposition, status=form.cleaned_data["status"]
        ),
        success=lambda saved: f"“{saved.title}” is now {saved.get_status_display().lower()}.",
        redirect_to=proposition.get_absolute_url(),
    )
