"""The engagement landing page: what is open, and the way to each person's work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.access import get_strategy_for_user_or_404

from ..rules import audiences_of, can_manage, council_ids_of
from ..selectors import call_list_open, consultation_list_open


@login_required
def index(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug)
    council_ids = council_ids_of(request.user, strategy)
    is_manager = bool(can_manage(request.user, strategy))
    audiences = audiences_of(request.user, strategy)
    context = {
        "strategy": strategy,
        "open_calls": list(call_list_open(strategy=strategy)) if council_ids or is_manager else [],
        "open_consultations": list(consultation_list_open(strategy=strategy, user=request.user))
        if audiences or is_manager
        else [],
        "is_councillor": bool(council_ids),
        "is_respondent": bool(audiences),
        "can_manage": is_manager,
    }
    return render(request, "engagement/index.html", context)
