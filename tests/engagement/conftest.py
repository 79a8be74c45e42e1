"""Calls to work with: the cast's strategy with its six phases, three places inside its LEP area,
a call open now and a closed one; and the same for the other strategy, so leaks show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.models import Area, Organisation, Strategy, Theme, User
from engagement import services
from engagement.models import Call, Consultation, ConsultationResponse, Priority, Question, Tag
from evidence.models import EvidenceItem
from tests.conftest import Cast
from tests.timeline.conftest import Process, make_process


@dataclass
class Setting:
    strategy: Strategy
    process: Process
    call: Call
    closed_call: Call
    council: Organisation
    district: Area
    other_district: Area


def make_setting(strategy: Strategy, *, code: int) -> Setting:
    process = make_process(strategy)
    now = timezone.now()
    drafting = process.phases[2]
    call = Call.objects.create(
        strategy=strategy,
        phase=drafting,
        title="Councils’ priorities for the draft strategy",
        description="Tell us your council’s priorities.",
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=10),
    )
    closed_call = Call.objects.create(
        strategy=strategy,
        phase=process.phases[0],
        title="Scoping priorities",
        description="An earlier call.",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=30),
    )
    assert strategy.area is not None
    district = Area.objects.create(code=f"E0700{code:04d}", name=f"District {code}", kind=Area.Kind.DISTRICT)
    district.parents.add(strategy.area)
    other = Area.objects.create(code=f"E0700{code + 1:04d}", name=f"District {code + 1}", kind=Area.Kind.DISTRICT)
    other.parents.add(strategy.area)
    council = strategy.partners.get(kind=Organisation.Kind.DISTRICT_COUNCIL)
    return Setting(strategy, process, call, closed_call, council, district, other)


@pytest.fixture
def setting(cast: Cast) -> Setting:
    return make_setting(cast.strategy, code=100)


@pytest.fixture
def other_setting(cast: Cast) -> Setting:
    return make_setting(cast.other_strategy, code=200)


def full_data(**overrides: object) -> services.PriorityData:
    values: dict[str, object] = {
        "title": "Skills for the Thames Estuary’s ports",
        "summary": "Fund a ports and logistics skills centre.",
        "why_it_matters": "Employers cannot find the people they need.",
        "evidence_links": [{"title": "Labour market report", "url": "https://example.org/report"}],
        "scale": Priority.Scale.LEP_WIDE,
        "themes": list(Theme.objects.filter(slug__in=["people", "clean-growth"])),
        "areas": [],
        "backing_organisations": [],
    }
    values.update(overrides)
    return services.PriorityData(**values)  # type: ignore[arg-type]


def make_priority(
    setting: Setting, author: User, *, submit: bool = True, call: Call | None = None, **overrides: object
) -> Priority:
    """A priority written through the services (the call must be open when it is written)."""
    priority = services.priority_save_draft(
        actor=author, call=call or setting.call, organisation=setting.council, data=full_data(**overrides)
    )
    if submit:
        priority = services.priority_submit(actor=author, priority=priority)
    return priority


def bulk_priorities(setting: Setting, author: User, count: int, *, prefix: str) -> None:
    """Many submitted priorities straight into the tables, each with themes, tags, places and backers."""
    themes = list(Theme.objects.all()[:3])
    partner = setting.strategy.partners.exclude(pk=setting.council.pk).first()
    now = timezone.now()
    for i in range(count):
        priority = Priority.objects.create(
            call=setting.call,
            organisation=setting.council,
            author=author,
            title=f"{prefix} {i}",
            summary="=HYPERLINK(1)",
            why_it_matters="Because.",
            scale=Priority.Scale.LOCAL,
            status=Priority.Status.SUBMITTED,
            submitted_at=now,
            coded_at=now,
        )
        priority.themes.set(themes)
        priority.coded_themes.set(themes[:1])
        priority.areas.set([setting.district])
        if partner is not None:
            priority.backing_organisations.set([partner])
        tag, _ = Tag.objects.get_or_create(strategy=setting.strategy, name=f"{prefix}-tag-{i % 3}")
        priority.tags.set([tag])


def make_evidence(strategy: Strategy, title: str, *, sharing: str = "partners") -> EvidenceItem:
    return EvidenceItem.objects.create(
        strategy=strategy,
        title=title,
        kind=EvidenceItem.Kind.REPORT,
        summary="A report.",
        publisher="ONS",
        published_on=date(2025, 3, 1),
        link="https://example.org/evidence",
        licence="Open Government Licence v3.0",
        sharing=sharing,
    )


def make_consultation(setting: Setting, *, audience: str = "partners", title: str = "") -> Consultation:
    """An open consultation with one question of each kind: free text, single, multiple, scale."""
    now = timezone.now()
    consultation = Consultation.objects.create(
        strategy=setting.strategy,
        phase=setting.process.phases[2],
        title=title or "Consultation on the emerging propositions",
        description="Tell us what you think.",
        audience=audience,
        opens_at=now - timedelta(days=2),
        closes_at=now + timedelta(days=14),
    )
    questions = [
        ("text", "What should the strategy do for skills?", [], True),
        ("single", "Which foundation matters most to you?", ["Ideas", "People", "Places"], True),
        ("multiple", "Which places do you work in?", ["Medway", "Thanet", "Dover"], False),
        ("scale", "How far do you agree with the draft vision?", [], True),
    ]
    for order, (kind, text, choices, required) in enumerate(questions, start=1):
        Question.objects.create(
            consultation=consultation, order=order, kind=kind, text=text, choices=choices, required=required
        )
    return consultation


def partner_org(setting: Setting) -> Organisation:
    return Organisation.objects.get(slug=f"{setting.strategy.slug}-university")


def full_answers(consultation: Consultation, **overrides: object) -> dict[int, object]:
    q = list(consultation.questions.order_by("order"))
    answers: dict[int, object] = {
        q[0].pk: "A ports skills centre.",
        q[1].pk: "People",
        q[2].pk: ["Thanet", "Medway"],
        q[3].pk: "4",
    }
    for index, value in overrides.items():
        answers[q[int(index.removeprefix("q"))].pk] = value
    return answers


def make_response(
    setting: Setting, consultation: Consultation, author: User, *, submit: bool = True, **overrides: object
) -> ConsultationResponse:
    """A partner's response written through the services."""
    response = services.response_start(actor=author, consultation=consultation, organisation=partner_org(setting))
    response = services.response_save(
        actor=author, response=response, answers=full_answers(consultation, **overrides), version=response.version
    )
    if submit:
        response = services.response_submit(actor=author, response=response)
    return response
