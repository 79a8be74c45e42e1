"""Engagement's to-dos for a person (the landing page in lis_portal gathers them): for officers,
the submitted priorities and responses not yet coded or answered, call by call and consultation
by consultation; for councillors and partners, the calls and consultations open to them with
their closing dates, their organisation's drafts, and what the LEP has answered."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.template.defaultfilters import pluralize
from django.utils import timezone

from core.models import Strategy
from core.todos import Todo

from ..models import ConsultationResponse, Priority
from ..rules import audiences_of, can_manage, council_ids_of, respondent_org_ids
from .consultations import consultation_list_for_user
from .priorities import call_list_for_strategy, call_list_open
from .responses import response_list_for_organisations


def _closes(moment: datetime) -> str:
    return f"Closes {timezone.localtime(moment):%-d %B %Y, %H:%M}"


def _officer_todos(strategy: Strategy, user: Any) -> list[Todo]:
    """Two queries, whatever the calls, consultations, priorities and responses (and events)."""
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
    return todos + _consultation_todos(strategy, user)


def _consultation_todos(strategy: Strategy, user: Any) -> list[Todo]:
    """Responses not yet coded and not yet answered, consultation by consultation, and events'
    feedback forms together, one line per kind: one query."""
    todos: list[Todo] = []
    feedback = {"uncoded": [0, 0], "unanswered": [0, 0]}  # responses, events
    consultations = consultation_list_for_user(strategy=strategy, user=user).annotate(event_pk=F("event__pk"))
    for consultation in consultations:
        kwargs = {"strategy_slug": strategy.slug, "pk": consultation.pk}
        counted: Any = consultation  # annotated with uncoded_count and unanswered_count (submitted ones)
        if counted.event_pk is not None:
            # An event's feedback form: counted with the others, one line per kind (below), so
            # nine workshops do not bury the overdue milestones under eighteen lines.
            for kind, n in (("uncoded", counted.uncoded_count), ("unanswered", counted.unanswered_count)):
                feedback[kind][0] += n
                feedback[kind][1] += 1 if n else 0
            continue
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
    slug = {"strategy_slug": strategy.slug}
    for kind, done in (("uncoded", "coded"), ("unanswered", "answered")):
        responses, events = feedback[kind]
        if responses:
            todos.append(
                Todo(
                    f"Feedback from workshops and events not yet {done}",
                    "engagement:event-list",
                    slug,
                    responses,
                    {"feedback": kind},
                    hint=f"Responses to the feedback forms of {events} event{pluralize(events)}",
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
        # A consultation every organisation the person responds for has answered is done, not a
        # to-do: it stays on the list as "Responded" until it closes (the task list's "completed"),
        # so the person sees their response landed and can open it.
        responded = response_list_for_organisations(strategy=strategy, user=user).filter(
            consultation=OuterRef("pk"), status=ConsultationResponse.Status.SUBMITTED
        )
        consultations = (
            consultation_list_for_user(strategy=strategy, user=user)
            .filter(opens_at__lte=now, closes_at__gt=now)
            .annotate(responded_count=Coalesce(Subquery(_count(responded)), 0))
        )
        for consultation in consultations.order_by("closes_at", "pk"):
            counted: Any = consultation
            organisations = respondent_org_ids(user, strategy, consultation.audience)
            done = bool(organisations) and counted.responded_count >= len(organisations)
            todos.append(
                Todo(
                    f"Consultation: {consultation.title}",
                    "engagement:consultation-detail",
                    {**slug, "pk": consultation.pk},
                    hint=("Your response is submitted. " if done else "") + _closes(consultation.closes_at),
                    status="Responded" if done else "Open",
                )
            )
    return todos


def _count(rows: QuerySet[Any]) -> QuerySet[Any]:
    """`rows` counted, as a subquery."""
    counted: QuerySet[Any] = rows.order_by().values("consultation").annotate(n=Count("pk"))
    return counted.values("n")


def _answered(n: int, since: datetime | None) -> str:
    if since:
        return f"{n} answered by the LEP since you last signed in" if n else "No new answers since you last signed in"
    return f"{n} answered by the LEP" if n else "None answered by the LEP yet"


def _own_todos(strategy: Strategy, user: Any, *, since: datetime | None) -> list[Todo]:
    """The person's council's priorities and organisation's responses: always a line leading to
    them all (with how many the LEP has answered, since `since` when known, as its hint), and the
    drafts still to submit while their call or consultation is open. Two queries, whatever the rows."""
    slug = {"strategy_slug": strategy.slug}
    todos: list[Todo] = []
    now = timezone.now()  # a draft is a to-do only while its call or consultation is open
    council_ids = council_ids_of(user, strategy)
    if council_ids:
        answered = Q(responded_at__gt=since) if since else Q(responded_at__isnull=False)
        priorities = Priority.objects.filter(call__strategy=strategy, organisation_id__in=council_ids).aggregate(
            total=Count("pk"),
            drafts=Count(
                "pk", filter=Q(status=Priority.Status.DRAFT, call__opens_at__lte=now, call__closes_at__gt=now)
            ),
            answered=Count("pk", filter=answered),
        )
        mine = "engagement:priority-list"
        drafts = {"status": Priority.Status.DRAFT, "call_open": "yes"}  # the list's filter for what is counted
        todos.append(
            Todo(
                "Your council’s priorities",
                mine,
                slug,
                priorities["total"],
                hint=_answered(priorities["answered"], since),
            )
        )
        if priorities["drafts"]:
            todos.append(
                Todo("Your council’s priorities still drafts (not submitted)", mine, slug, priorities["drafts"], drafts)
            )
    if audiences_of(user, strategy):
        replied = Q(replied_at__gt=since) if since else Q(replied_at__isnull=False)
        responses = response_list_for_organisations(strategy=strategy, user=user).aggregate(
            total=Count("pk"),
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
        todos.append(
            Todo(
                "Your organisation’s responses",
                ours,
                slug,
                responses["total"],
                hint=_answered(responses["answered"], since),
            )
        )
        if responses["drafts"]:
            todos.append(
                Todo("Your organisation’s responses still drafts (not submitted)", ours, slug, responses["drafts"])
            )
    return todos


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
