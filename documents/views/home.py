"""The documents home: the draft, the reviews, the meetings and the packs a person may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from core.access import get_strategy_for_user_or_404
from core.http import request_user

from .. import selectors
from ..rules import can_write


@login_required
@require_http_methods(["GET"])
def index(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """The documents home for people taking part in the strategy and its board members."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm="documents.view_documents")
    writer = bool(can_write(user, strategy))
    return render(
        request,
        "documents/index.html",
        {
            "strategy": strategy,
            "can_write": writer,
            "draft": selectors.draft_get(strategy=strategy) if writer else None,
            "reviews": list(selectors.review_window_list_for_reviewer(strategy=strategy, user=user)[:20]),
            "meetings": list(selectors.meeting_list_for_documents(strategy=strategy, user=user)),
            "packs": list(selectors.pack_list_visible(strategy=strategy, user=user)[:50]),
        },
    )
