"""Many priorities and responses straight into the tables with bulk_create (their m2m rows too),
for the synthesis tests' query counts and for bench/engagement.py."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.utils import timezone

from core.models import Area, Organisation, Theme, User
from engagement.models import Call, Consultation, ConsultationResponse, Priority, Question, Tag

BATCH = 2_000


def bulk_priorities(
    call: Call,
    *,
    count: int,
    councils: Sequence[Organisation],
    authors: Sequence[User | None] = (None,),
    areas: Sequence[Area] = (),
    backers: Sequence[Organisation] = (),
    prefix: str = "Priority",
    start: int = 0,
) -> None:
    """`count` submitted priorities of `call`, spread over the councils, authors, themes, places, backers
    and the last eight weeks; every third coded, every twentieth hidden, cells spreadsheets would run."""
    themes = list(Theme.objects.order_by("kind", "order"))
    tags = [Tag.objects.get_or_create(strategy=call.strategy, name=f"{prefix}-tag-{n}")[0] for n in range(3)]
    now = timezone.now()
    rows = []
    for i in range(start, start + count):
        hidden = i % 20 == 19
        rows.append(
            Priority(
                call=call,
                organisation=councils[i % len(councils)],
                author=authors[i % len(authors)],
                title=f"{prefix} {i}",
                summary="=HYPERLINK(1)" if i % 2 else "A summary.",
                why_it_matters="+Because." if i % 3 else "Because.",
                scale=Priority.Scale.LOCAL,
                status=Priority.Status.SUBMITTED,
                submitted_at=now - timedelta(days=(i * 7) % 56),
                coded_at=now if i % 3 == 0 else None,
                is_hidden=hidden,
                hidden_reason="Off topic." if hidden else "",
            )
        )
    created = []
    for n in range(0, len(rows), BATCH):
        created += Priority.objects.bulk_create(rows[n : n + BATCH])
    through_themes: list[Any] = []
    through_coded: list[Any] = []
    through_areas: list[Any] = []
    through_backers: list[Any] = []
    through_tags: list[Any] = []
    for i, priority in enumerate(created, start=start):
        for k in range(2):
            through_themes.append(Priority.themes.through(priority_id=priority.pk, theme_id=themes[(i + k) % 9].pk))
        if priority.coded_at:
            through_coded.append(Priority.coded_themes.through(priority_id=priority.pk, theme_id=themes[i % 5].pk))
            through_tags.append(Priority.tags.through(priority_id=priority.pk, tag_id=tags[i % 3].pk))
        if areas:
            through_areas.append(Priority.areas.through(priority_id=priority.pk, area_id=areas[i % len(areas)].pk))
        for k in range(i % 4 if backers else 0):
            organisation = backers[(i + k) % len(backers)]
            through_backers.append(
                Priority.backing_organisations.through(priority_id=priority.pk, organisation_id=organisation.pk)
            )
    pairs: list[tuple[Any, list[Any]]] = [
        (Priority.themes.through, through_themes),
        (Priority.coded_themes.through, through_coded),
        (Priority.areas.through, through_areas),
        (Priority.backing_organisations.through, through_backers),
        (Priority.tags.through, through_tags),
    ]
    for model, objects in pairs:
        model.objects.bulk_create(objects, batch_size=BATCH, ignore_conflicts=True)


def bulk_responses(consultation: Consultation, *, count: int, prefix: str = "Respondent") -> None:
    """`count` submitted responses, each from a new organisation (one response per organisation),
    answering every question; every third coded, every twentieth hidden."""
    kinds = [Organisation.Kind.UNIVERSITY, Organisation.Kind.BUSINESS, Organisation.Kind.VOLUNTARY]
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"{prefix} {i}", slug=f"{prefix.lower()}-{i}", kind=kinds[i % 3]) for i in range(count)],
        batch_size=BATCH,
    )
    questions = list(consultation.questions.order_by("order"))
    themes = list(Theme.objects.order_by("kind", "order"))
    now = timezone.now()

    def answers(i: int) -> dict[str, object]:
        values: dict[str, object] = {}
        for q in questions:
            if q.kind == Question.Kind.TEXT:
                values[str(q.pk)] = "=1+1" if i % 2 else "A skills centre."
            elif q.kind == Question.Kind.SINGLE:
                values[str(q.pk)] = q.choices[i % len(q.choices)]
            elif q.kind == Question.Kind.MULTIPLE and i % 4:
                values[str(q.pk)] = q.choices[: i % 4]
            elif q.kind == Question.Kind.SCALE:
                values[str(q.pk)] = 1 + i % 5
        return values

    responses = ConsultationResponse.objects.bulk_create(
        [
            ConsultationResponse(
                consultation=consultation,
                organisation=organisation,
                answers=answers(i),
                status=ConsultationResponse.Status.SUBMITTED,
                submitted_at=now - timedelta(days=(i * 7) % 28),
                coded_at=now if i % 3 == 0 else None,
                is_hidden=i % 20 == 19,
                hidden_reason="Off topic." if i % 20 == 19 else "",
            )
            for i, organisation in enumerate(organisations)
        ],
        batch_size=BATCH,
    )
    ConsultationResponse.coded_themes.through.objects.bulk_create(
        [
            ConsultationResponse.coded_themes.through(consultationresponse_id=r.pk, theme_id=themes[i % 9].pk)
            for i, r in enumerate(responses)
            if r.coded_at
        ],
        batch_size=BATCH,
    )
