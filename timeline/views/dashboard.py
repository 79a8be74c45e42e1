"""The process at a glance: the dashboard officers run the strategy from."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.access import get_strategy_for_user_or_404

from ..rules import can_manage
from ..selectors import (
    decision_list,
    meeting_deadlines,
    meeting_list_upcoming,
    milestone_list_attention,
    phase_current,
    phase_list_with_progress,
)


@login_required
def dashboard(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm="timeline.view_strategy_timeline")
    today = timezone.localdate()
    phases = list(phase_list_with_progress(strategy=strategy))
    attention = list(milestone_list_attention(strategy=strategy, today=today)[:20])
    meetings = [
        (meeting, meeting_deadlines(meeting, today=today))
        for meeting in meeting_list_upcoming(strategy=strategy, now=timezone.now())
    ]
    context = {
        "strategy": strategy,
        "today": today,
        "phases": phases,
        "current_phase": phase_current(phases=phases),
        "attention": attention,
        "meetings": meetings,
        "decisions": list(decision_list(strategy=strategy, published_only=not can_manage(request.user, strategy))[:5]),
        "can_manage": can_manage(request.user, strategy),
    }
    return render(request, "timeline/dashboard.html", context)
