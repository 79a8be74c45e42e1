"""Engagement on the replayed strategy (content/engagement.toml): calls for priorities and
consultations open through a phase, the workshops of the evidence phase with the planned activity
they deliver, and draft updates. Their words are the portal's demo wording; nobody's answers are
invented."""

from __future__ import annotations

from datetime import timedelta

from core.models import Strategy, Theme, User
from engagement.models import Call, Consultation, Event, PlannedActivity, Question, Update
from timeline.models import Phase

from .content import Content, Entry
from .records import at, upsert
from .strategies import strategy_named

WINDOW = ["title", "phase", "opens", "closes", "audience", "description"]


def load_engagement(
    content: Content, *, strategies: dict[str, Strategy], phases: list[Phase], created_by: User
) -> dict[str, int]:
    file = content.file(
        "engagement.toml", required=["strategy"], optional=["call", "consultation", "workshops", "update"]
    )
    strategy = strategy_named(file, strategies)
    calls = file.entries("call", name="title", required=WINDOW)
    for entry in calls:
        upsert(
            Call,
            {"strategy": strategy, "title": entry.text("title")},
            {**_window(entry, phases), "audience": entry.choice("audience", Call.Audience), "created_by": created_by},
        )
    consultations = file.entries("consultation", name="title", required=WINDOW, optional=["question"])
    for entry in consultations:
        consultation = upsert(
            Consultation,
            {"strategy": strategy, "title": entry.text("title")},
            {
                **_window(entry, phases),
                "audience": entry.choice("audience", Consultation.Audience),
                "created_by": created_by,
            },
        )
        if not consultation.responses.exists():  # questions are frozen once anyone responds
            _questions(entry, consultation)
    _updates(file, strategy, created_by=created_by)
    counts = {"Calls for priorities": len(calls) + 1, "Consultations": len(consultations)}
    if "workshops" in file.data:
        counts.update(_workshops(file, strategy, phases=phases, created_by=created_by))
    return counts


def _phase(entry: Entry, phases: list[Phase]) -> Phase:
    stage = entry.choice("phase", Phase.Stage)
    found = next((phase for phase in phases if phase.stage == stage), None)
    if found is None:
        raise entry.error(f"“phase” is “{stage}”, which is not a phase of schedule.toml.")
    return found


def _window(entry: Entry, phases: list[Phase]) -> dict[str, object]:
    """The phase served, the description and when it is open: from the phase's first day to its planned last."""
    phase = _phase(entry, phases)
    return {
        "phase": phase,
        "description": entry.text("description"),
        "opens_at": at(phase.actual_start or phase.planned_start, entry.clock("opens")),
        "closes_at": at(phase.planned_end, entry.clock("closes")),
    }


def _questions(entry: Entry, consultation: Consultation) -> None:
    themes = Theme.objects.order_by("order")
    questions = entry.entries(
        "question", name="text", required=["kind", "text", "required"], optional=["choices", "choices_from_themes"]
    )
    for order, question in enumerate(questions, start=1):
        if "choices_from_themes" in question.data:
            kind = question.choice("choices_from_themes", Theme.Kind)
            choices = list(themes.filter(kind=kind).values_list("name", flat=True))
        else:
            choices = question.texts("choices", ())
        upsert(
            Question,
            {"consultation": consultation, "order": order},
            {
                "kind": question.choice("kind", Question.Kind),
                "text": question.text("text"),
                "choices": choices,
                "required": question.flag("required"),
                "hint": "",
            },
        )


def _workshops(file: Entry, strategy: Strategy, *, phases: list[Phase], created_by: User) -> dict[str, int]:
    """One planned activity, and one workshop per theme delivering it, spread evenly over the phase."""
    workshops = file.table("workshops", required=["phase", "title", "starts", "place", "plan"])
    phase = _phase(workshops, phases)
    plan = workshops.table("plan", required=["title", "audience", "channel"])
    activity = upsert(
        PlannedActivity,
        {"strategy": strategy, "title": plan.text("title")},
        {
            "audience": plan.choice("audience", PlannedActivity.Audience),
            "channel": plan.text("channel"),
            "planned_on": phase.planned_end,
            "owner": created_by,
            "created_by": created_by,
        },
    )
    themes = list(Theme.objects.order_by("kind", "order"))
    span = max((phase.planned_end - phase.planned_start).days, len(themes))
    for index, theme in enumerate(themes):
        day = phase.planned_start + timedelta(days=span * (index + 1) // (len(themes) + 1))
        upsert(
            Event,
            {"strategy": strategy, "title": workshops.text("title", theme=theme.name)},
            {
                "kind": Event.Kind.WORKSHOP,
                "theme": theme,
                "starts_at": at(day, workshops.clock("starts")),
                "place": workshops.text("place"),
                "organiser": strategy.lead,
                "phase": phase,
                "planned_activity": activity,
                "created_by": created_by,
            },
        )
    return {"Events": len(themes), "Planned activities": 1}


def _updates(file: Entry, strategy: Strategy, *, created_by: User) -> None:
    """Draft updates for an officer to preview and send; once one has been sent, they are left alone."""
    entries = file.entries("update", name="subject", required=["subject", "body"])
    if Update.objects.filter(strategy=strategy).exclude(status=Update.Status.DRAFT).exists():
        return
    for entry in entries:
        upsert(
            Update,
            {"strategy": strategy, "subject": entry.text("subject")},
            {"body": entry.text("body"), "created_by": created_by},
        )
