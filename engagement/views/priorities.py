"""Priorities: the council's list, writing, editing, submitting and withdrawing; a priority's
page; and the officer's coding, response and moderation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.access import get_strategy_for_user_or_404
from core.exceptions import ApplicationError, Conflict
from core.http import filters_from, post_action, request_user, versioned_save
from core.models import Strategy, Theme
from core.queue import watch
from evidence.rules import visible_sharing

from .. import services
from ..access import get_call_for_user_or_404, get_priority_for_officer_or_404, get_priority_for_user_or_404
from ..forms import CodeForm, CouncilPriorityFilterForm, HideForm, PriorityForm, RespondForm
from ..models import Priority
from ..rules import CHANGE_PRIORITY, can_manage, council_ids_of
from ..selectors import CouncilPriorityFilters, priority_history, priority_list_for_councils
from ..trail import priority_trail

VIEW = "engagement.view_calls"
WRITE = "engagement.write_priorities"
MANAGE = "engagement.manage_calls"
PAGE_SIZE = 50


def _field(form: Any, error: ApplicationError) -> str | None:
    if error.field == "themes":
        return "foundations"
    if error.field == "reason":
        return "reason" if "reason" in form.fields else None
    return error.field if error.field in form.fields else None


# The council's side ------------------------------------------------------------------------------


def _council_ids_or_404(request: HttpRequest, strategy: Strategy) -> frozenset[int]:
    """The person's councils in the strategy. Administrators pass the permission check as
    superusers, but write for no council: they get 404 here like everybody else who is not a councillor."""
    council_ids = council_ids_of(request.user, strategy)
    if not council_ids:
        raise Http404("No council here.")
    return council_ids


@login_required
def priority_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """Every priority of the person's council(s) in the strategy, with its status and response;
    filtered by status and by whether the call is open (your work's count of drafts leads here)."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=WRITE)
    council_ids = _council_ids_or_404(request, strategy)
    filter_form = CouncilPriorityFilterForm(request.GET or None)
    filters = filters_from(filter_form, CouncilPriorityFilters)
    priorities = priority_list_for_councils(strategy=strategy, council_ids=council_ids, filters=filters)
    page = Paginator(priorities, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"strategy": strategy, "page": page, "filters": filter_form, "query": query.urlencode()}
    return render(request, "engagement/priority_list.html", context)


def _evidence_rows(request: HttpRequest, existing: int = 0) -> int:
    posted = sum(1 for key in request.POST if key.startswith("evidence_title_"))
    return max(posted, existing + 1)


@login_required
def priority_create(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=WRITE)
    call = get_call_for_user_or_404(request.user, strategy, pk)
    council_ids = _council_ids_or_404(request, strategy)
    if not call.is_open():
        messages.error(request, f"The call “{call.title}” is not open, so no priority can be written to it now.")
        return redirect(call)
    form = PriorityForm(
        request.POST or None,
        strategy=strategy,
        council_ids=council_ids,
        user=request.user,
        evidence_rows=_evidence_rows(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            priority = services.priority_save_draft(
                actor=request_user(request),
                call=call,
                organisation=form.cleaned_data["organisation"],
                data=form.priority_data(),
            )
        except ApplicationError as error:
            form.add_error(_field(form, error), error.message)
        else:
            if request.POST.get("action") == "submit":
                return _submit(request, priority, saved_first=True)
            messages.success(
                request, f"“{priority.title}” saved as a draft. You can come back to it until the call closes."
            )
            return redirect(priority)
    context = {"strategy": strategy, "call": call, "form": form, "priority": None, "conflicts": []}
    return render(request, "engagement/priority_form.html", context)


@login_required
def priority_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=WRITE)
    priority = get_priority_for_user_or_404(request.user, strategy, pk, write=True)
    council_ids = council_ids_of(request.user, strategy)
    refusal = CHANGE_PRIORITY.refusal(request.user, priority)
    if refusal is not None:
        messages.error(request, refusal)
        return redirect(priority)
    conflicts: list[Conflict] = []
    rows = _evidence_rows(request, len(priority.evidence_links))
    if request.method == "POST":
        form, saved, conflicts = versioned_save(
            request.POST,
            current=priority,
            form_for=lambda data, _: PriorityForm(
                data, strategy=strategy, council_ids=council_ids, user=request.user, evidence_rows=rows
            ),
            save=lambda form, version: services.priority_update(
                actor=request_user(request), priority=priority, data=form.priority_data(), version=version
            ),
            error_field=_field,
        )
        if saved is not None:
            if request.POST.get("action") == "submit" and saved.status == Priority.Status.DRAFT:
                return _submit(request, saved, saved_first=True)
            messages.success(request, f"“{saved.title}” saved.")
            return redirect(saved)
    else:
        form = PriorityForm(
            strategy=strategy,
            council_ids=council_ids,
            user=request.user,
            evidence_rows=rows,
            initial=PriorityForm.initial_for(priority),
        )
    context = {"strategy": strategy, "call": priority.call, "form": form, "priority": priority, "conflicts": conflicts}
    return render(request, "engagement/priority_form.html", context)


def _submit(request: HttpRequest, priority: Priority, *, saved_first: bool) -> HttpResponse:
    try:
        with watch() as unsent:
            priority = services.priority_submit(actor=request_user(request), priority=priority)
    except ApplicationError as error:
        prefix = "Your changes are saved in the draft, but it was not submitted. " if saved_first else ""
        messages.error(request, prefix + error.message)
        return redirect(priority)
    if unsent.count:  # the broker is down: the receipt waits in the outbox for the sweep
        messages.success(
            request,
            f"“{priority.title}” submitted. Your receipt email is queued: our background service is not "
            "answering just now, so it will be sent when the service is back.",
        )
    else:
        messages.success(request, f"“{priority.title}” submitted. We have emailed you a receipt.")
    return redirect(priority)


@login_required
@require_POST
def priority_submit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=WRITE)
    priority = get_priority_for_user_or_404(request.user, strategy, pk, write=True)
    return _submit(request, priority, saved_first=False)


@login_required
def priority_withdraw(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """Asks first (GET), withdraws on POST."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=WRITE)
    priority = get_priority_for_user_or_404(request.user, strategy, pk, write=True)
    refusal = CHANGE_PRIORITY.refusal(request.user, priority)  # withdrawing is changing it
    if refusal is not None:
        messages.error(request, refusal)
        return redirect(priority)
    if request.method == "POST":
        return post_action(
            request,
            lambda: services.priority_withdraw(actor=request_user(request), priority=priority),
            success=f"“{priority.title}” withdrawn.",
            redirect_to=priority.get_absolute_url(),
        )
    return render(request, "engagement/priority_withdraw.html", {"strategy": strategy, "priority": priority})


@login_required
def priority_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=VIEW)
    priority = get_priority_for_user_or_404(request.user, strategy, pk)
    is_council = priority.organisation_id in council_ids_of(request.user, strategy)
    manager = bool(can_manage(request.user, strategy))
    themes = list(priority.themes.all())
    context = {
        "strategy": strategy,
        "priority": priority,
        "call": priority.call,
        # Only the items this person may see: a colleague may have rested it on an officers-only one.
        "evidence_items": priority.evidence_items.filter(sharing__in=visible_sharing(request.user, strategy)).order_by(
            "title"
        ),
        "foundations": [t for t in themes if t.kind == Theme.Kind.FOUNDATION],
        "grand_challenges": [t for t in themes if t.kind == Theme.Kind.GRAND_CHALLENGE],
        "is_council": is_council,
        "can_manage": manager,
        "history": priority_history(priority=priority, for_officers=manager) if manager or is_council else [],
        # What became of it: propositions, draft sections, decisions (engagement/trail.py).
        "trail": priority_trail(priority=priority, user=request.user)
        if priority.status != Priority.Status.DRAFT
        else [],
    }
    return render(request, "engagement/priority_detail.html", context)


# The officer's side ------------------------------------------------------------------------------


@login_required
def priority_code(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    priority = get_priority_for_officer_or_404(request.user, strategy, pk)
    if request.method == "POST":
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                services.priority_code(
                    actor=request_user(request),
                    priority=priority,
                    themes=list(form.cleaned_data["coded_themes"]),
                    tags=form.cleaned_data["tags"],
                )
            except ApplicationError as error:
                form.add_error(_field(form, error), error.message)
            else:
                messages.success(request, f"Coding of “{priority.title}” saved.")
                return redirect(priority)
    else:
        coded = priority.coded_at is not None
        themes = priority.coded_themes.all() if coded else priority.themes.all()
        tags = ", ".join(t.name for t in priority.tags.all())
        form = CodeForm(initial={"coded_themes": [t.pk for t in themes], "tags": tags})
    return render(request, "engagement/priority_code.html", {"strategy": strategy, "priority": priority, "form": form})


@login_required
def priority_respond(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    priority = get_priority_for_officer_or_404(request.user, strategy, pk)
    form = RespondForm(request.POST or None, initial={"response": priority.response})
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_respond(
                actor=request_user(request), priority=priority, response=form.cleaned_data["response"]
            )
        except ApplicationError as error:
            form.add_error(_field(form, error), error.message)
        else:
            messages.success(request, f"Response to “{priority.title}” published.")
            return redirect(priority)
    return render(
        request, "engagement/priority_respond.html", {"strategy": strategy, "priority": priority, "form": form}
    )


@login_required
def priority_hide(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    priority = get_priority_for_officer_or_404(request.user, strategy, pk)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.priority_hide(actor=request_user(request), priority=priority, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            form.add_error(_field(form, error), error.message)
        else:
            messages.success(request, f"“{priority.title}” hidden.")
            return redirect(priority)
    return render(request, "engagement/priority_hide.html", {"strategy": strategy, "priority": priority, "form": form})


@login_required
@require_POST
def priority_unhide(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    priority = get_priority_for_officer_or_404(request.user, strategy, pk)
    return post_action(
        request,
        lambda: services.priority_unhide(actor=request_user(request), priority=priority),
        success=f"“{priority.title}” is shown again.",
        redirect_to=priority.get_absolute_url(),
    )
