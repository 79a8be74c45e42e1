"""Calls for priorities: the list, a call's page, the officer's create and edit, the officer's
filtered list of a call's priorities, and its CSV export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify

from core.access import get_strategy_for_user_or_404
from core.exceptions import ApplicationError, Conflict
from core.http import filters_from, form_error_field, request_user, versioned_save
from core.spreadsheets import csv_response

from .. import services
from ..access import get_call_for_user_or_404
from ..forms import CallForm, PriorityFilterForm
from ..models import Priority
from ..rules import can_manage, council_ids_of
from ..selectors import (
    PriorityFilters,
    call_list_for_strategy,
    priority_iter_for_export,
    priority_list_for_call,
    priority_list_for_councils,
)

VIEW = "engagement.view_calls"
MANAGE = "engagement.manage_calls"
PAGE_SIZE = 50


@login_required
def call_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=VIEW)
    context = {
        "strategy": strategy,
        "calls": call_list_for_strategy(strategy=strategy),
        "can_manage": can_manage(request.user, strategy),
        "now": timezone.now(),
    }
    return render(request, "engagement/call_list.html", context)


@login_required
def call_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=VIEW)
    call = get_call_for_user_or_404(request.user, strategy, pk)
    council_ids = council_ids_of(request.user, strategy)
    counts = next(c for c in call_list_for_strategy(strategy=strategy).filter(pk=call.pk))
    context = {
        "strategy": strategy,
        "call": call,
        "counts": counts,
        "state": call.state(),
        "can_manage": can_manage(request.user, strategy),
        "is_councillor": bool(council_ids),
        "council_priorities": priority_list_for_councils(strategy=strategy, council_ids=council_ids).filter(call=call)
        if council_ids
        else [],
    }
    return render(request, "engagement/call_detail.html", context)


@login_required
def call_create(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    form = CallForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(actor=request_user(request), strategy=strategy, data=form.call_data())
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"Call “{call.title}” created.")
            return redirect(call)
    return render(request, "engagement/call_form.html", {"strategy": strategy, "form": form, "call": None})


@login_required
def call_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    call = get_call_for_user_or_404(request.user, strategy, pk, write=True)
    conflicts: list[Conflict] = []
    if request.method == "POST":
        form, saved, conflicts = versioned_save(
            request.POST,
            current=call,
            form_for=lambda data, _: CallForm(data, strategy=strategy),
            save=lambda form, version: services.call_update(
                actor=request_user(request),
                call=call,
                data=form.call_data(),
                version=version,
            ),
        )
        if saved is not None:
            messages.success(request, "Call saved.")
            return redirect(saved)
    else:
        form = CallForm(strategy=strategy, initial=CallForm.initial_for(call))
    context = {"strategy": strategy, "form": form, "call": call, "conflicts": conflicts}
    return render(request, "engagement/call_form.html", context)


@login_required
def call_priorities(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The officer's view of the priorities arriving in a call: filtered and paginated."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    call = get_call_for_user_or_404(request.user, strategy, pk, write=True)
    filter_form = PriorityFilterForm(request.GET or None, strategy=strategy)
    filters = filters_from(filter_form, PriorityFilters)
    page = Paginator(priority_list_for_call(call=call, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "strategy": strategy,
        "call": call,
        "filters": filter_form,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "engagement/call_priorities.html", context)


# The export ------------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    "Priority id",
    "Call",
    "Council",
    "Author",
    "Title",
    "Summary",
    "Why it matters",
    "Evidence items",
    "Evidence links",
    "Foundations and grand challenges (council)",
    "Places",
    "Scale",
    "Backing organisations",
    "Status",
    "Submitted at",
    "Withdrawn at",
    "Themes (LEP coding)",
    "Tags",
    "LEP response",
    "Responded at",
    "Hidden",
    "Reason hidden",
    "Entered on its behalf by",
    "Channel",
    "Received on",
]


def _names(objects: Iterable[Any]) -> str:
    return "; ".join(str(o) for o in objects)


def export_row(priority: Priority) -> list[Any]:
    """A priority's cells, typed; core.spreadsheets neutralises the text as it writes CSV or XLSX."""
    return [
        priority.pk,
        priority.call.title,
        priority.organisation.name,
        priority.author.name if priority.author else "",
        priority.title,
        priority.summary,
        priority.why_it_matters,
        _names(item.title for item in priority.evidence_items.all()),
        "; ".join(f"{link['title']} <{link['url']}>" for link in priority.evidence_links),
        _names(priority.themes.all()),
        _names(a.name for a in priority.areas.all()),
        priority.get_scale_display() if priority.scale else "",
        _names(priority.backing_organisations.all()),
        priority.get_status_display(),
        priority.submitted_at,
        priority.withdrawn_at,
        _names(priority.coded_themes.all()),
        _names(priority.tags.all()),
        priority.response,
        priority.responded_at,
        "yes" if priority.is_hidden else "no",
        priority.hidden_reason,
        priority.entered_by.name if priority.entered_by else "",
        priority.get_channel_display() if priority.channel else "",
        priority.received_on,
    ]


@login_required
def call_export(request: HttpRequest, strategy_slug: str, pk: int) -> StreamingHttpResponse:
    """The call's priorities (with the list's filters) as CSV, streamed row by row."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    call = get_call_for_user_or_404(request.user, strategy, pk, write=True)
    filters = filters_from(PriorityFilterForm(request.GET or None, strategy=strategy), PriorityFilters)
    services.priorities_exported(actor=request_user(request), call=call, filters=filters.as_dict())
    name = slugify(call.title)[:60] or "call"
    return csv_response(
        filename=f"priorities-{name}-{timezone.localdate():%Y-%m-%d}.csv",
        columns=EXPORT_COLUMNS,
        rows=(export_row(priority) for priority in priority_iter_for_export(call=call, filters=filters)),
    )
