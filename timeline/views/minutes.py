"""A meeting's minutes.

- `minutes_detail`, `minutes_version`: read the minutes. Published versions whose day has come are
  public, for everyone who sees the strategy (superseded versions too); drafts, circulated and
  approved ones are for officers and the board's members. Anyone else gets 404, and a signed-out
  visitor is sent to sign in first (the circulation email's link leads a board member there).
- `minutes_create`, `minutes_edit`: officers write the minutes, starting from the recorded business.
- `minutes_circulate`, `minutes_approve`, `minutes_publish`, `minutes_correct`: officers move them on.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.access import get_strategy_for_user_or_404, get_strategy_or_404
from core.exceptions import ApplicationError, Conflict
from core.http import form_error_field, found_or_sign_in, post_action, request_user, versioned_save
from core.markdown import markdown_to_html
from core.models import Strategy

from ..access import can_read_business, get_meeting_for_user_or_404, get_minutes_for_user_or_404
from ..forms import MinutesApproveForm, MinutesCorrectForm, MinutesForm, MinutesPublishForm
from ..minutes import selectors, services
from ..models import Meeting, Minutes

MANAGE = "timeline.manage_timeline"
VIEW = "timeline.view_strategy_timeline"


def _strategy_to_read(request: HttpRequest, slug: str) -> Strategy:
    """A published strategy for everybody; an unpublished one for the people who see its
    timeline, its board members included."""
    try:
        return get_strategy_or_404(request.user, slug)
    except Http404:
        return get_strategy_for_user_or_404(request.user, slug, perm=VIEW)


def _read(request: HttpRequest, strategy_slug: str, pk: int, number: int | None) -> HttpResponse:
    strategy = _strategy_to_read(request, strategy_slug)
    found = found_or_sign_in(request, lambda: get_minutes_for_user_or_404(request.user, strategy, pk, number=number))
    if isinstance(found, HttpResponse):
        return found
    minutes = found
    meeting = minutes.meeting
    section = selectors.minutes_section(meeting=meeting, user=request.user)
    row = next(row for row in section.versions if row.minutes.pk == minutes.pk)
    return render(
        request,
        "timeline/minutes_detail.html",
        {
            "strategy": strategy,
            "meeting": meeting,
            "minutes": minutes,
            "row": row,
            "section": section,
            "body_html": markdown_to_html(minutes.body, top_heading=2),
            "is_latest_shown": number is None,
            "can_open_meeting": can_read_business(request.user, meeting),
        },
    )


@require_http_methods(["GET"])
def minutes_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The newest version the person may read, with every version they may read listed."""
    return _read(request, strategy_slug, pk, None)


@require_http_methods(["GET"])
def minutes_version(request: HttpRequest, strategy_slug: str, pk: int, number: int) -> HttpResponse:
    return _read(request, strategy_slug, pk, number)


def _officer_meeting(request: HttpRequest, strategy_slug: str, pk: int) -> tuple[Strategy, Meeting]:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    return strategy, get_meeting_for_user_or_404(request.user, strategy, pk, write=True)


def _officer_minutes(request: HttpRequest, strategy_slug: str, pk: int) -> tuple[Strategy, Minutes]:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    return strategy, get_minutes_for_user_or_404(request.user, strategy, pk, write=True)


def _minutes_url(meeting: Meeting) -> str:
    return reverse("timeline:minutes-detail", kwargs={"strategy_slug": meeting.board.strategy.slug, "pk": meeting.pk})


@login_required
@require_http_methods(["GET", "POST"])
def minutes_create(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The first draft, its box filled from the meeting's recorded business."""
    strategy, meeting = _officer_meeting(request, strategy_slug, pk)
    if meeting.minutes.exists():
        return redirect("timeline:minutes-edit", strategy_slug=strategy.slug, pk=meeting.pk)
    form = MinutesForm(request.POST or None, initial={"body": selectors.minutes_prefill(meeting=meeting)})
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_draft(actor=request_user(request), meeting=meeting, body=form.cleaned_data["body"])
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, "The draft minutes have been saved. Circulate them to the board when ready.")
            return redirect(meeting.get_absolute_url() + "#minutes")
    return render(
        request,
        "timeline/minutes_form.html",
        {"strategy": strategy, "meeting": meeting, "form": form, "minutes": None, "conflicts": []},
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """Edit the draft or circulated version; a save over a colleague's is refused with both."""
    strategy, minutes = _officer_minutes(request, strategy_slug, pk)
    meeting = minutes.meeting
    if minutes.status not in services.EDITABLE:
        messages.error(request, "These minutes can no longer be edited. Correct the published minutes instead.")
        return redirect(meeting.get_absolute_url() + "#minutes")
    conflicts: list[Conflict] = []
    if request.method == "POST":
        form, saved, conflicts = versioned_save(
            request.POST,
            current=minutes,
            form_for=lambda data, current: MinutesForm(data),
            save=lambda form, version: services.minutes_update(
                actor=request_user(request), minutes=minutes, body=form.cleaned_data["body"], version=version
            ),
        )
        if saved is not None:
            messages.success(request, "The minutes have been saved.")
            return redirect(meeting.get_absolute_url() + "#minutes")
    else:
        form = MinutesForm(initial={"body": minutes.body, "version": minutes.version})
    return render(
        request,
        "timeline/minutes_form.html",
        {"strategy": strategy, "meeting": meeting, "form": form, "minutes": minutes, "conflicts": conflicts},
    )


@login_required
@require_POST
def minutes_circulate(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    _, minutes = _officer_minutes(request, strategy_slug, pk)
    return post_action(
        request,
        lambda: services.minutes_circulate(actor=request_user(request), minutes=minutes),
        success=lambda count: (
            f"The draft minutes have been emailed to the board’s {count} member{'s' if count != 1 else ''}."
        ),
        redirect_to=minutes.meeting.get_absolute_url() + "#minutes",
        queued="The minutes are marked circulated. The emails to the board go when our background service is back.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_approve(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """Record the approval: the officer picks the later meeting of the board that approved them."""
    strategy, minutes = _officer_minutes(request, strategy_slug, pk)
    meeting = minutes.meeting
    choices = selectors.meeting_list_to_approve_minutes(meeting=meeting)
    form = MinutesApproveForm(request.POST or None, meetings=choices, initial={"meeting": choices.first()})
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_approve(
                actor=request_user(request), minutes=minutes, at_meeting=form.cleaned_data["meeting"]
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, "The approval has been recorded as a decision of that meeting.")
            return redirect(meeting.get_absolute_url() + "#minutes")
    return render(
        request,
        "timeline/minutes_approve.html",
        {
            "strategy": strategy,
            "meeting": meeting,
            "minutes": minutes,
            "form": form,
            "has_choices": choices.exists(),
            "approval_text": services.approval_text(meeting),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_publish(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy, minutes = _officer_minutes(request, strategy_slug, pk)
    meeting = minutes.meeting
    form = MinutesPublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            published = services.minutes_publish(
                actor=request_user(request), minutes=minutes, on=form.cleaned_data["published_on"]
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, _published_message(published))
            return redirect(meeting.get_absolute_url() + "#minutes")
    return render(
        request,
        "timeline/minutes_publish.html",
        {"strategy": strategy, "meeting": meeting, "minutes": minutes, "form": form},
    )


def _published_message(minutes: Minutes) -> str:
    assert minutes.published_on is not None
    if minutes.published_on > timezone.localdate():
        return f"The minutes will appear publicly on {minutes.published_on:%-d %B %Y}."
    return "The minutes have been published."


@login_required
@require_http_methods(["GET", "POST"])
def minutes_correct(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """A correction: the next version, published with its reason; the one it replaces is kept."""
    strategy, minutes = _officer_minutes(request, strategy_slug, pk)
    meeting = minutes.meeting
    if minutes.status != Minutes.Status.PUBLISHED:
        messages.error(request, "Only published minutes are corrected. Edit the draft, or publish the minutes first.")
        return redirect(meeting.get_absolute_url() + "#minutes")
    form = MinutesCorrectForm(request.POST or None, initial={"body": minutes.body})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            correction = services.minutes_correct(
                actor=request_user(request),
                minutes=minutes,
                body=data["body"],
                reason=data["reason"],
                on=data["published_on"],
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"Version {correction.number} of the minutes has been published.")
            return redirect(_minutes_url(meeting))
    return render(
        request,
        "timeline/minutes_correct.html",
        {"strategy": strategy, "meeting": meeting, "minutes": minutes, "form": form},
    )
