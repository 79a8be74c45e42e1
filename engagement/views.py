"""Engagement pages. For now, the landing page for people taking part in the strategy."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.access import get_strategy_for_user_or_404


@login_required
def index(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug)
    return render(request, "engagement/index.html", {"strategy": strategy})
