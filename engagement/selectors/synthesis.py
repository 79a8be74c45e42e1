"""What a call or a consultation has received, counted in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek

from core.models import Organisation, Theme

from ..models import SCALE_MAX, SCALE_MIN, Call, Consultation, ConsultationResponse, Priority, Question

# Synthesis ---------------------------------------------------------------------------------------------
# What a call or a consultation has received, counted in SQL (values/annotate/Count): a fixed number
# of queries however many rows there are. Hidden rows are left out of every count but their own.


@dataclass(frozen=True)
class Tally:
    """One row of a synthesis table: what is counted and how many."""

    label: str
    count: int


@dataclass(frozen=True)
class ChoiceTally:
    """The answers to one choice or scale question: a tally per option, and how many answered."""

    question: Question
    number: int
    rows: list[Tally]
    answered: int


@dataclass(frozen=True)
class CallSynthesis:
    submitted: int  # submitted and shown: what every count below is of
    hidden: int  # submitted but hidden by an officer, counted apart
    withdrawn: int
    uncoded: int
    by_theme: list[Tally]
    by_place: list[Tally]
    by_council_kind: list[Tally]
    by_backer_kind: list[Tally]
    by_week: list[Tally]
    most_backed: Sequence[Priority]  # each with `backers`, the number of organisations backing it


@dataclass(frozen=True)
class ConsultationSynthesis:
    submitted: int
    hidden: int
    drafts: int
    uncoded: int
    by_theme: list[Tally]
    by_kind: list[Tally]
    by_week: list[Tally]
    choices: list[ChoiceTally]


MOST_BACKED = 10


PUBLIC_KIND = "members of the public"  # a public response has no organisation (docs/adr/0041)


def _kind_label(kind: str) -> str:
    labels = {**dict(Organisation.Kind.choices), PUBLIC_KIND: "Members of the public"}
    return str(labels.get(kind, kind or "Not given"))


def _ranked(counts: dict[str, int]) -> list[Tally]:
    return [Tally(label, n) for label, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])) if n]


def _weeks(rows: Any) -> list[Tally]:
    """Counts per week (Monday first), the weeks with none between the first and last filled in."""
    counts = {row["week"].date() if isinstance(row["week"], datetime) else row["week"]: row["n"] for row in rows}
    counts.pop(None, None)
    if not counts:
        return []
    week, last, tallies = min(counts), max(counts), []
    while week <= last:
        tallies.append(Tally(f"Week of {week:%-d %b %Y}", counts.get(week, 0)))
        week += timedelta(days=7)
    return tallies


def _theme_tallies(through: Any, owner: str, owners: Any) -> dict[int, int]:
    """Per theme id, how many of `owners` carry it through the m2m table `through`."""
    rows = through.objects.filter(**{f"{owner}__in": owners}).values("theme_id").annotate(n=Count(f"{owner}_id"))
    return {row["theme_id"]: row["n"] for row in rows}


def call_synthesis(*, call: Call) -> CallSynthesis:
    """A call's submitted priorities counted by theme (the officer's coded themes; the councillor's
    own while a priority is not coded yet), place, kind of council and of backer, and week; the
    most-backed priorities. Nine queries whatever the number of priorities."""
    submitted = Q(status=Priority.Status.SUBMITTED)
    totals = Priority.objects.filter(call=call).aggregate(
        submitted=Count("pk", filter=submitted & Q(is_hidden=False)),
        hidden=Count("pk", filter=submitted & Q(is_hidden=True)),
        withdrawn=Count("pk", filter=Q(status=Priority.Status.WITHDRAWN)),
        uncoded=Count("pk", filter=submitted & Q(is_hidden=False, coded_at__isnull=True)),
    )
    shown = Priority.objects.standing().filter(call=call)
    coded = _theme_tallies(Priority.coded_themes.through, "priority", shown.filter(coded_at__isnull=False).values("pk"))
    given = _theme_tallies(Priority.themes.through, "priority", shown.filter(coded_at__isnull=True).values("pk"))
    by_theme = [
        Tally(theme.name, coded.get(theme.pk, 0) + given.get(theme.pk, 0))
        for theme in Theme.objects.order_by("kind", "order")
    ]
    places = (
        Priority.areas.through.objects.filter(priority__in=shown.values("pk"))
        .values("area__name")
        .annotate(n=Count("priority_id"))
    )
    councils = shown.values("organisation__kind").annotate(n=Count("pk")).order_by()
    backers = (
        Priority.backing_organisations.through.objects.filter(priority__in=shown.values("pk"))
        .values("organisation__kind")
        .annotate(n=Count("priority_id", distinct=True))
    )
    weeks = shown.annotate(week=TruncWeek("submitted_at")).values("week").annotate(n=Count("pk")).order_by("week")
    # The ten most-backed counted on the m2m table alone, then just those ten rows read.
    top = list(
        Priority.backing_organisations.through.objects.filter(priority__in=shown.values("pk"))
        .values("priority_id")
        .annotate(n=Count("organisation_id"))
        .order_by("-n", "-priority_id")[:MOST_BACKED]
    )
    rows = Priority.objects.select_related("organisation").in_bulk([row["priority_id"] for row in top])
    most_backed = []
    for row in top:
        priority = rows[row["priority_id"]]
        priority.backers = row["n"]  # type: ignore[attr-defined]
        most_backed.append(priority)
    return CallSynthesis(
        submitted=totals["submitted"],
        hidden=totals["hidden"],
        withdrawn=totals["withdrawn"],
        uncoded=totals["uncoded"],
        by_theme=by_theme,
        by_place=_ranked({row["area__name"]: row["n"] for row in places}),
        by_council_kind=_ranked({_kind_label(row["organisation__kind"]): row["n"] for row in councils}),
        by_backer_kind=_ranked({_kind_label(row["organisation__kind"]): row["n"] for row in backers}),
        by_week=_weeks(weeks),
        most_backed=most_backed,
    )


def _choice_options(question: Question) -> list[Any]:
    if question.kind == Question.Kind.SCALE:
        return list(range(SCALE_MIN, SCALE_MAX + 1))
    return list(question.choices)


def _option_label(question: Question, option: Any) -> str:
    return f"{option} of {SCALE_MAX}" if question.kind == Question.Kind.SCALE else str(option)


def _figures_in_database(responses: QuerySet[ConsultationResponse], counted: list[Question]) -> dict[str, int]:
    """PostgreSQL: one aggregate query, each answer matched by jsonb containment."""

    def pattern(question: Question, option: Any) -> dict[str, Any]:
        return {str(question.pk): [option] if question.kind == Question.Kind.MULTIPLE else option}

    aggregates: dict[str, Any] = {}
    for question in counted:
        key = str(question.pk)
        aggregates[f"q{key}"] = Count("pk", filter=Q(answers__has_key=key))  # no answer is never stored
        for n, option in enumerate(_choice_options(question)):
            aggregates[f"q{key}_{n}"] = Count("pk", filter=Q(answers__contains=pattern(question, option)))
    figures: dict[str, int] = responses.aggregate(**aggregates)
    return figures


def _figures_read(responses: QuerySet[ConsultationResponse], counted: list[Question]) -> dict[str, int]:
    """SQLite, which has no JSON containment: counted while reading the answers alone, row by row."""
    figures = dict.fromkeys(
        [f"q{q.pk}" for q in counted] + [f"q{q.pk}_{n}" for q in counted for n in range(len(_choice_options(q)))],
        0,
    )
    for answers in responses.values_list("answers", flat=True).iterator(chunk_size=500):
        for question in counted:
            value = answers.get(str(question.pk)) if isinstance(answers, dict) else None
            if value in (None, "", []):
                continue
            figures[f"q{question.pk}"] += 1
            for n, option in enumerate(_choice_options(question)):
                if value == option or (isinstance(value, list) and option in value):
                    figures[f"q{question.pk}_{n}"] += 1
    return figures


def _choice_tallies(responses: QuerySet[ConsultationResponse], questions: list[Question]) -> list[ChoiceTally]:
    """The answers to every choice and scale question, counted in one query on PostgreSQL (jsonb
    containment: an answer {"<question id>": value}, or a list holding the choice); on SQLite, which
    has no JSON containment, counted while reading the answers alone, row by row."""
    counted = [q for q in questions if q.kind in (*Question.CHOICE_KINDS, Question.Kind.SCALE)]
    if not counted:
        return []

    figures = (
        _figures_in_database(responses, counted)
        if connection.vendor == "postgresql"
        else _figures_read(responses, counted)
    )
    numbers = {q.pk: number for number, q in enumerate(questions, start=1)}
    return [
        ChoiceTally(
            question=question,
            number=numbers[question.pk],
            rows=[
                Tally(_option_label(question, option), figures[f"q{question.pk}_{n}"])
                for n, option in enumerate(_choice_options(question))
            ],
            answered=figures[f"q{question.pk}"],
        )
        for question in counted
    ]


def consultation_synthesis(*, consultation: Consultation, questions: list[Question]) -> ConsultationSynthesis:
    """A consultation's submitted responses counted by theme (officers' coding), kind of
    organisation and week, and the answers to each choice and scale question counted. Six queries
    whatever the number of responses."""
    submitted = Q(status=ConsultationResponse.Status.SUBMITTED)
    totals = ConsultationResponse.objects.filter(consultation=consultation).aggregate(
        submitted=Count("pk", filter=submitted & Q(is_hidden=False)),
        hidden=Count("pk", filter=submitted & Q(is_hidden=True)),
        drafts=Count("pk", filter=Q(status=ConsultationResponse.Status.DRAFT)),
        uncoded=Count("pk", filter=submitted & Q(is_hidden=False, coded_at__isnull=True)),
    )
    shown = ConsultationResponse.objects.filter(consultation=consultation, status="submitted", is_hidden=False)
    coded = _theme_tallies(ConsultationResponse.coded_themes.through, "consultationresponse", shown.values("pk"))
    themes = Theme.objects.order_by("kind", "order")
    kinds = shown.values("organisation__kind").annotate(n=Count("pk")).order_by()
    weeks = shown.annotate(week=TruncWeek("submitted_at")).values("week").annotate(n=Count("pk")).order_by("week")
    return ConsultationSynthesis(
        submitted=totals["submitted"],
        hidden=totals["hidden"],
        drafts=totals["drafts"],
        uncoded=totals["uncoded"],
        by_theme=[Tally(theme.name, coded.get(theme.pk, 0)) for theme in themes],
        by_kind=_ranked({_kind_label(row["organisation__kind"] or PUBLIC_KIND): row["n"] for row in kinds}),
        by_week=_weeks(weeks),
        choices=_choice_tallies(shown.order_by(), questions),
    )
