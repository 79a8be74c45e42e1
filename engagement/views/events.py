"""Events and workshops: the list (upcoming and past), an event's page (public notes for everyone
taking part, internal notes for officers, its feedback consultation and the responses counted), the
officer's create, edit (with stale-edit refusal), cancel, and "attach a feedback template"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.access import get_strategy_for_user_or_404
from core.exceptions import ApplicationError, Conflict
from core.http import form_error_field, request_user, versioned_save
from core.markdown import markdown_to_html

from .. import services
from ..access import get_event_for_user_or_404
from ..forms import EventCancelForm, EventForm, FeedbackForm
from ..rules import audiences_of, can_manage
from ..selectors import (
    FEEDBACK_FILTERS,
    EntryFilters,
    entry_list_for_strategy,
    event_attending,
    event_feedback_count,
    event_list_for_strategy,
)

VIEW = "engagement.view_events"
MANAGE = "engagement.manage_events"


@login_required
def event_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=VIEW)
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    # Your work's count of feedback not yet coded or answered leads here (officers only).
    feedback = request.GET.get("feedback", "") if can_manage(request.user, strategy) else ""
    feedback = feedback if feedback in FEEDBACK_FILTERS else ""
    context = {
        "strategy": strategy,
        "when": when,
        "feedback": feedback,
        "events": list(event_list_for_strategy(strategy=strategy, when=when, feedback=feedback)),
        "can_manage": can_manage(request.user, strategy),
    }
    return render(request, "engagement/event_list.html", context)


@login_required
def event_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=VIEW)
    event = get_event_for_user_or_404(request.user, strategy, pk)
    manager = bool(can_manage(request.user, strategy))
    context = {
        "strategy": strategy,
        "event": event,
        "attending": event_attending(event=event),
        "notes": markdown_to_html(event.notes),
        "internal_notes": markdown_to_html(event.internal_notes) if manager else "",
        "feedback_count": event_feedback_count(event=event),
        # The feedback consultation's page is open to its audience: link it only for them.
        "feedback_visible": event.feedback is not None
        and (manager or event.feedback.audience in audiences_of(request.user, strategy)),
        "entries": list(entry_list_for_strategy(strategy=strategy, filters=EntryFilters(event_id=event.pk)))
        if manager
        else [],
        "can_manage": manager,
    }
    return render(request, "engagement/event_detail.html", context)


@login_required
def event_create(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    form = EventForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request_user(request), strategy=strategy, data=form.event_data())
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"Event “{event.title}” created.")
            return redirect(event)
    context = {"strategy": strategy, "form": form, "event": None}
    return render(request, "engagement/event_form.html", context)


@login_required
def event_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    event = get_event_for_user_or_404(request.user, strategy, pk, write=True)
    conflicts: list[Conflict] = []
    if request.method == "POST":
        form, saved, conflicts = versioned_save(
            request.POST,
            current=event,
            form_for=lambda data, _: EventForm(data, strategy=strategy),
            save=lambda form, version: services.event_update(
                actor=request_user(request), event=event, data=form.event_data(), version=version
            ),
        )
        if saved is not None:
            messages.success(request, "Event saved.")
            return redirect(saved)
    else:
        form = EventForm(strategy=strategy, initial=EventForm.initial_for(event))
    context = {"strategy": strategy, "form": form, "event": event, "conflicts": conflicts}
    return render(request, "engagement/event_form.html", context)


@login_required
def event_cancel(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    event = get_event_for_user_or_404(request.user, strategy, pk, write=True)
    form = EventCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_cancel(actor=request_user(request), event=event, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"Event “{event.title}” cancelled.")
            return redirect(event)
    context = {"strategy": strategy, "event": event, "form": form}
    return render(request, "engagement/event_cancel.html", context)


@login_required
def event_feedback(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """Attach a feedback template: a short consultation open from the event to some days after."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    event = get_event_for_user_or_404(request.user, strategy, pk, write=True)
    if event.feedback_id is not None:
        messages.info(request, "The event already has its feedback template.")
        return redirect(event)
    form = FeedbackForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.event_feedback_attach(
                actor=request_user(request),
                event=event,
                audience=c["audience"],
                days=c["days"],
                questions=form.questions(),
                phase=c["phase"],
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, "Feedback template attached. Its consultation opens when the event starts.")
            return redirect(event)
    context = {"strategy": strategy, "event": event, "form": form}
    return render(request, "engagement/event_feedback.html", context)
