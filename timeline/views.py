"""Timeline pages. For now, the landing page of a strategy's timeline."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.access import get_strategy_for_user_or_404

from .selectors import board_list_for_strategy, phase_current, phase_list_for_strategy


@login_required
def index(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm="timeline.view_strategy_timeline")
    phases = list(phase_list_for_strategy(strategy=strategy))
    context = {
        "strategy": strategy,
        "phases": phases,
        "current_phase": phase_current(phases=phases),
        "boards": board_list_for_strategy(strategy=strategy),
    }
    return render(request, "timeline/index.html", context)
