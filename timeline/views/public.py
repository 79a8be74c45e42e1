"""The published timeline, the Gantt chart and the calendar feeds.

- `timeline`: a strategy's published timeline, for everybody (no sign-in).
- `gantt`: the full Gantt chart, every milestone, for the people who see the process.
- `strategy_calendar`: the public iCalendar feed of a strategy's published dates.
- `personal_calendar`: a person's own feed, behind their secret address.
- `calendar_settings`: that address, and the button that resets it.

Each page reads a fixed number of queries, whatever the rows (tests/timeline/test_public.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_safe

from core.access import get_strategy_for_user_or_404, get_strategy_or_404
from core.http import request_user

from .. import calendars, selectors
from ..gantt import gantt_chart
from ..models import Board, Meeting, Milestone
from ..rules import can_view
from ..selectors import decision_list, meeting_list, phase_current, phase_list_for_strategy
from ..services import calendar_feed_get_or_create, calendar_feed_reset


def _ics_response(content: bytes, *, filename: str, private: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=calendars.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        # A secret address: no shared cache keeps it, no search engine lists it.
        patch_cache_control(response, private=True, no_cache=True, no_store=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
    else:
        patch_cache_control(response, no_cache=True)
    return response


def _webcal(https_url: str) -> str:
    """The webcal:// form of an address, which opens the calendar app to subscribe."""
    return "webcal://" + https_url.split("://", 1)[1]


# The public page shows the latest few; the decisions and meetings pages hold the rest.
DECISIONS_SHOWN = 20
PAST_MEETINGS_SHOWN = 12


@require_safe
def timeline(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    """The published timeline: phases (planned against actual), key milestones, meetings and
    published decisions, with the Gantt chart of phases and key milestones at the top."""
    strategy = get_strategy_or_404(request.user, strategy_slug)
    today = timezone.localdate()
    now = timezone.now()
    phases = list(phase_list_for_strategy(strategy=strategy))
    key_milestones = [m for phase in phases for m in phase.milestones.all() if m.is_key]
    meetings = list(meeting_list(strategy=strategy))
    calendar_url = request.build_absolute_uri(reverse("timeline:calendar", kwargs={"strategy_slug": strategy.slug}))
    decisions = decision_list(strategy=strategy, published_only=True)
    context = {
        "strategy": strategy,
        "today": today,
        "phases": phases,
        "current_phase": phase_current(phases=phases),
        "gantt": gantt_chart(
            phases=phases,
            today=today,
            key_milestones_only=True,
            chart_id="gantt-public",
            title=f"Gantt chart of the phases and key milestones of the {strategy.name}",
        ),
        "key_milestones": key_milestones,
        "upcoming_meetings": [m for m in meetings if m.starts_at >= now],
        "past_meetings": [m for m in reversed(meetings) if m.starts_at < now][:PAST_MEETINGS_SHOWN],
        "decisions": list(decisions[:DECISIONS_SHOWN]),
        "decision_count": decisions.count(),
        "can_view_process": bool(can_view(request.user, strategy)),
        "calendar_url": calendar_url,
        "calendar_webcal_url": _webcal(calendar_url),
        "milestone_done": Milestone.Status.DONE,
        "meeting_cancelled": Meeting.Status.CANCELLED,
    }
    return render(request, "timeline/public_timeline.html", context)


@login_required
@require_safe
def gantt(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    """The full Gantt chart: every phase and every milestone, for the people who see the process."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm="timeline.view_strategy_timeline")
    today = timezone.localdate()
    phases = list(phase_list_for_strategy(strategy=strategy))
    context = {
        "strategy": strategy,
        "today": today,
        "current_phase": phase_current(phases=phases),
        "gantt": gantt_chart(
            phases=phases,
            today=today,
            chart_id="gantt-full",
            title=f"Gantt chart of the phases and milestones of the {strategy.name}",
        ),
    }
    return render(request, "timeline/gantt.html", context)


@require_safe
def strategy_calendar(request: HttpRequest, strategy_slug: str, **kwargs: Any) -> HttpResponse:
    """The public feed: phases, key milestones and the meetings that are not cancelled."""
    strategy = get_strategy_or_404(request.user, strategy_slug)
    content = calendars.strategy_calendar_ics(
        strategy=strategy,
        phases=phase_list_for_strategy(strategy=strategy),
        meetings=meeting_list(strategy=strategy),
        absolute=request.build_absolute_uri,
        timeline_path=reverse("timeline:index", kwargs={"strategy_slug": strategy.slug}),
    )
    return _ics_response(content, filename=f"{strategy.slug}-timeline.ics", private=False)


@require_safe
def board_calendar(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The public feed of one board's meetings."""
    strategy = get_strategy_or_404(request.user, strategy_slug)
    board = Board.objects.select_related("strategy").filter(pk=pk, strategy=strategy).first()
    if board is None:
        raise Http404("No board here.")
    content = calendars.board_calendar_ics(
        board=board,
        meetings=selectors.meeting_list(strategy=strategy, board_ids=frozenset({board.pk})),
        absolute=request.build_absolute_uri,
    )
    return _ics_response(content, filename=f"{strategy.slug}-board-{board.pk}.ics", private=False)


@require_safe
def personal_calendar(request: HttpRequest, token: str) -> HttpResponse:
    """A person's own feed. Calendar apps fetch it without signing in: the token is the key."""
    feed = selectors.calendar_feed_get_by_token(token=token)
    if feed is None:
        raise Http404("No calendar at this address. It may have been reset.")
    user = feed.user
    content = calendars.personal_calendar_ics(
        user=user,
        milestones=selectors.milestone_list_for_owner(user=user),
        meetings=selectors.meeting_list_for_member(user=user),
        absolute=request.build_absolute_uri,
    )
    return _ics_response(content, filename="lis-portal-calendar.ics", private=True)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponseBase:
    """The person's secret calendar address (made on first visit), and a button to reset it."""
    user = request_user(request)
    if request.method == "POST":
        calendar_feed_reset(user=user)
        messages.success(
            request, "Your calendar address has been reset. The old address no longer works: subscribe again."
        )
        return redirect("calendars:calendar-settings")
    feed = calendar_feed_get_or_create(user=user)
    feed_url = request.build_absolute_uri(reverse("calendars:calendar-feed", kwargs={"token": feed.token}))
    response = render(
        request,
        "timeline/calendar_settings.html",
        {
            "feed_url": feed_url,
            "feed_webcal_url": _webcal(feed_url),
            "milestone_count": selectors.milestone_list_for_owner(user=user).count(),
            "meeting_count": selectors.meeting_list_for_member(user=user).count(),
        },
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
