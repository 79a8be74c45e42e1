"""Engagement's to-dos for a person (the landing page in lis_portal gathers them): for officers,
the submitted priorities and responses not yet coded or answered, call by call and consultation
by consultation; for councillors and partners, the calls and consultations open to them with
their closing dates, their organisation's drafts, and what the LEP has answered."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from core.models import Strategy
from core.todos import Todo

from ..models import ConsultationResponse, Priority
from ..rules import audiences_of, can_manage, council_ids_of
from .consultations import consultation_list_for_user
from .priorities import call_list_for_strategy, call_list_open
from .responses import response_list_for_organisations


def _closes(moment: datetime) -> str:
    return f"Closes {timezone.localtime(moment):%-d %B %Y, %H:%M}"


def _officer_todos(strategy: Strategy, user: Any) -> list[Todo]:
    """Two queries, whatever the calls, consultations, priorities and responses."""
    todos: list[Todo] = []
    for call in call_list_for_strategy(strategy=strategy):
        kwargs = {"strategy_slug": strategy.slug, "pk": call.pk}
        counted: Any = call  # annotated with uncoded_count and unanswered_count (submitted ones)
        if counted.uncoded_count:
            todos.append(
                Todo(
                    f"Priorities not yet coded: {call.title}",
                    "engagement:call-priorities",
                    kwargs,
                    counted.uncoded_count,
                    {"status": Priority.Status.SUBMITTED, "coded": "no"},
                )
            )
        if counted.unanswered_count:
            todos.append(
                Todo(
                    f"Priorities not yet answered: {call.title}",
                    "engagement:call-priorities",
                    kwargs,
                    counted.unanswered_count,
                    {"status": Priority.Status.SUBMITTED, "responded": "no"},
                )
            )
    for consultation in consultation_list_for_user(strategy=strategy, user=user):
        kwargs = {"strategy_slug": strategy.slug, "pk": consultation.pk}
        counted = consultation
        if counted.uncoded_count:
            todos.append(
                Todo(
                    f"Responses not yet coded: {consultation.title}",
                    "engagement:consultation-responses",
                    kwargs,
                    counted.uncoded_count,
                    {"coded": "no"},
                )
            )
        if counted.unanswered_count:
            todos.append(
                Todo(
                    f"Responses not yet answered: {consultation.title}",
                    "engagement:consultation-responses",
                    kwargs,
                    counted.unanswered_count,
                    {"replied": "no"},
                )
            )
    return todos


def _open_todos(strategy: Strategy, user: Any, *, now: datetime) -> list[Todo]:
    """The calls (for councillors) and consultations (for their audiences) open now, closing
    soonest first: two queries, whatever the rows."""
    slug = {"strategy_slug": strategy.slug}
    todos: list[Todo] = []
    if council_ids_of(user, strategy):
        todos.extend(
            Todo(
                f"Call for priorities: {call.title}",
                "engagement:call-detail",
                {**slug, "pk": call.pk},
                hint=_closes(call.closes_at),
                status="Open",
            )
            for call in call_list_open(strategy=strategy, now=now)
        )
    if audiences_of(user, strategy):
        consultations = consultation_list_for_user(strategy=strategy, user=user).filter(
            opens_at__lte=now, closes_at__gt=now
        )
        todos.extend(
            Todo(
                f"Consultation: {consultation.title}",
                "engagement:consultation-detail",
                {**slug, "pk": consultation.pk},
                hint=_closes(consultation.closes_at),
                status="Open",
            )
            for consultation in consultations.order_by("closes_at", "pk")
        )
    return todos


def _own_todos(strategy: Strategy, user: Any, *, since: datetime | None) -> list[Todo]:
    """The person's council's priorities and organisation's responses still drafts, and those the
    LEP has answered (since `since`, when known): two queries, whatever the rows."""
    slug = {"strategy_slug": strategy.slug}
    news = " since you last signed in" if since else ""
    counts: list[tuple[str, str, int, dict[str, str]]] = []
    now = timezone.now()  # a draft is a to-do only while its call or consultation is open
    council_ids = council_ids_of(user, strategy)
    if council_ids:
        answered = Q(responded_at__gt=since) if since else Q(responded_at__isnull=False)
        priorities = Priority.objects.filter(call__strategy=strategy, organisation_id__in=council_ids).aggregate(
            drafts=Count(
                "pk", filter=Q(status=Priority.Status.DRAFT, call__opens_at__lte=now, call__closes_at__gt=now)
            ),
            answered=Count("pk", filter=answered),
        )
        mine = "engagement:priority-list"
        drafts = {"status": Priority.Status.DRAFT, "call_open": "yes"}  # the list's filter for what is counted
        counts += [
            ("Your council’s priorities still drafts (not submitted)", mine, priorities["drafts"], drafts),
            (f"Your council’s priorities the LEP has answered{news}", mine, priorities["answered"], {}),
        ]
    if audiences_of(user, strategy):
        replied = Q(replied_at__gt=since) if since else Q(replied_at__isnull=False)
        responses = response_list_for_organisations(strategy=strategy, user=user).aggregate(
            drafts=Count(
                "pk",
                filter=Q(
                    status=ConsultationResponse.Status.DRAFT,
                    consultation__opens_at__lte=now,
                    consultation__closes_at__gt=now,
                ),
            ),
            answered=Count("pk", filter=replied),
        )
        ours = "engagement:response-list"
        counts += [
            ("Your organisation’s responses still drafts (not submitted)", ours, responses["drafts"], {}),
            (f"Your organisation’s responses the LEP has answered{news}", ours, responses["answered"], {}),
        ]
    return [Todo(label, url_name, slug, count, query) for label, url_name, count, query in counts if count]


def engagement_todos_for(
    *, user: Any, strategy: Strategy, now: datetime | None = None, since: datetime | None = None
) -> dict[str, list[Todo]]:
    """Engagement's to-dos for `user` by role: "officer" (what to code and answer) and
    "respondent" (a councillor's or partner's calls, consultations, drafts and answers); `since`
    is the person's previous sign-in, when known, so "answered" means answered since then."""
    now = now or timezone.now()
    todos = {"respondent": _open_todos(strategy, user, now=now) + _own_todos(strategy, user, since=since)}
    if can_manage(user, strategy):
        todos["officer"] = _officer_todos(strategy, user)
    return todos
