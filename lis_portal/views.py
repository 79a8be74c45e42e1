"""Pages that span apps: the home page, a strategy's overview, health, and the legal pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.access import get_strategy_for_user_or_404, get_strategy_or_404
from core.http import request_user
from core.models import Role, Theme
from core.rules import is_administrator, strategy_roles
from core.selectors import core_todos_for, membership_list_for_user, strategy_list_for_member, strategy_list_published
from core.todos import Todo
from core.views import PREVIOUS_SIGN_IN
from documents.publication_page import publication_latest_public
from documents.selectors import documents_todos_for, review_window_list_open_to_public
from engagement.selectors import (
    call_list_open,
    closed_list_for_overview,
    consultation_list_open,
    consultation_list_open_for_overview,
    engagement_todos_for,
)
from timeline.interests.selectors import interests_todos_for
from timeline.rules import is_board_member
from timeline.selectors import board_list_for_member, phase_current, phase_list_for_strategy, timeline_todos_for


def home(request: HttpRequest) -> HttpResponse:
    """Everybody sees the strategies; a signed-in person also sees what they can reach, by role."""
    user = request.user
    context: dict[str, Any] = {"strategies": strategy_list_published()}
    if user.is_authenticated:
        workspaces = []
        boards = list(board_list_for_member(user=user))
        strategies = {s.pk: s for s in strategy_list_for_member(user=user)}
        for board in boards:
            strategies.setdefault(board.strategy.pk, board.strategy)
        for strategy in sorted(strategies.values(), key=lambda s: s.name):
            workspaces.append(
                {
                    "strategy": strategy,
                    "roles": sorted(strategy_roles(user, strategy)),
                    "boards": [b for b in boards if b.strategy_id == strategy.pk],
                    "is_board_member": is_board_member(user, strategy),
                    "can_view_audit": user.has_perm("core.view_audit_log", strategy),
                }
            )
        context.update(
            workspaces=workspaces,
            memberships=membership_list_for_user(user=user),
            is_administrator=is_administrator(user),
        )
    return render(request, "lis_portal/home.html", context)


@login_required
@require_GET
def your_work(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """What needs doing in one strategy, role by role: each app counts its own to-dos for the person
    (core, timeline, engagement, documents: `<app>_todos_for`), scoped by its own rules; this page only
    gathers them. For everyone who sees the strategy's process (people taking part, board members)."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm="timeline.view_strategy_timeline")
    now = timezone.now()
    gathered: dict[str, list[Todo]] = {}
    for todos in (
        core_todos_for(user=user, strategy=strategy),
        timeline_todos_for(user=user, strategy=strategy, today=timezone.localdate(now)),
        engagement_todos_for(user=user, strategy=strategy, now=now, since=_previous_sign_in(request)),
        documents_todos_for(user=user, strategy=strategy, now=now),
        interests_todos_for(user=user, strategy=strategy, today=timezone.localdate(now)),
    ):
        for role, items in todos.items():
            gathered.setdefault(role, []).extend(items)
    roles = strategy_roles(user, strategy)
    sections = []
    if "officer" in gathered:
        sections.append(("officer", "Running the strategy", gathered["officer"]))
    if Role.COUNCILLOR in roles or Role.PARTNER in roles:
        title = "Your council’s part" if Role.COUNCILLOR in roles else "Your organisation’s part"
        sections.append(("respondent", title, gathered["respondent"]))
    if "board_member" in gathered:
        sections.append(("board", "Your board meetings", gathered["board_member"]))
    context = {"strategy": strategy, "sections": sections, "roles": sorted(roles)}
    return render(request, "lis_portal/your_work.html", context)


def _previous_sign_in(request: HttpRequest) -> datetime | None:
    """When the person signed in before this session (core.views.SignInView keeps it), if known."""
    value = request.session.get(PREVIOUS_SIGN_IN)
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def strategy_overview(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """The public overview: aims, foundations, grand challenges, the six phases and what is open."""
    strategy = get_strategy_or_404(request.user, strategy_slug)
    phases = list(phase_list_for_strategy(strategy=strategy))
    themes = list(Theme.objects.all())
    context = {
        "strategy": strategy,
        "phases": phases,
        "current_phase": phase_current(phases=phases),
        "foundations": [t for t in themes if t.kind == Theme.Kind.FOUNDATION],
        "grand_challenges": [t for t in themes if t.kind == Theme.Kind.GRAND_CHALLENGE],
        "partners": strategy.partners.order_by("kind", "name"),
        "open_engagement": list(call_list_open(strategy=strategy)),  # open calls for priorities
        "open_consultations": list(consultation_list_open_for_overview(strategy=strategy)),
        # The draft open to the public's comments (documents' review windows, ADR 0042).
        "open_public_reviews": list(review_window_list_open_to_public(strategy=strategy)),
        # The open consultations this person may open (addressed to them, or theirs to run).
        "readable_consultation_ids": {c.pk for c in consultation_list_open(strategy=strategy, user=request.user)}
        if request.user.is_authenticated
        else set(),
    }
    # You said, we did: the latest closed consultations and calls, each linking to its published page.
    context["closed_consultations"], context["closed_calls"] = closed_list_for_overview(strategy=strategy)
    context["published_edition"] = publication_latest_public(strategy=strategy)
    return render(request, "lis_portal/strategy_overview.html", context)


# Search engines index the public pages (strategies, timelines, boards, meetings, published papers);
# nothing private answers them anyway (404 or sign-in), but accounts, the admin, secret calendar
# addresses, the API's machinery and sign-up and unsubscribe links are no place for a crawler.
ROBOTS = """User-agent: *
Disallow: /accounts/
Disallow: /admin/
Disallow: /calendar/
Disallow: /*/engagement/updates/confirm/
Disallow: /*/engagement/updates/unsubscribe/
"""


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    return HttpResponse(ROBOTS, content_type="text/plain; charset=utf-8")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The database and the broker, as JSON; 503 when either is down."""
    checks: dict[str, dict[str, Any]] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as error:  # noqa: BLE001 - a health check reports any failure
        checks["database"] = {"ok": False, "error": type(error).__name__}
    checks["broker"] = _broker_health()
    ok = all(check["ok"] for check in checks.values())
    return JsonResponse({"ok": ok, **checks}, status=200 if ok else 503)


def _broker_health() -> dict[str, Any]:
    if not settings.REDIS_URL:
        return {"ok": True, "mode": "in-process tasks (no REDIS_URL)"}
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as error:
        return {"ok": False, "mode": "redis", "error": type(error).__name__}
    return {"ok": True, "mode": "redis"}


def page(template: str):  # type: ignore[no-untyped-def]
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, template)

    return view
