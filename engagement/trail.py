"""What became of a priority or a proposition, as their pages tell it: the propositions a priority
fed (engagement's own), and what the apps above engagement add — the draft sections that cite it,
the board meetings to come that will take such a draft and the decisions that followed (documents).
Engagement defines the hooks and higher apps register into them from their AppConfig.ready, so the
import graph stays one-way (docs/design.md, "Growing the house")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .models import Priority, Proposition
from .rules import can_manage, council_ids_of


@dataclass(frozen=True)
class TrailItem:
    text: str
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class TrailStep:
    """One stage of the cycle the priority reached: a heading and what is there, or why nothing is."""

    heading: str
    items: list[TrailItem] = field(default_factory=list)
    empty: str = ""


TrailProvider = Callable[[Priority, Any], list[TrailStep]]
PRIORITY_TRAIL: list[TrailProvider] = []
PropositionTrailProvider = Callable[[Proposition, Any], list[TrailStep]]
PROPOSITION_TRAIL: list[PropositionTrailProvider] = []


def register_priority_trail(provider: TrailProvider) -> None:
    """Called by a higher app's AppConfig.ready; registering twice (a reload) adds nothing."""
    if provider not in PRIORITY_TRAIL:
        PRIORITY_TRAIL.append(provider)


def priority_trail(*, priority: Priority, user: Any) -> list[TrailStep]:
    """The propositions the priority was merged into (with their status), then every registered
    app's steps, each already limited to what `user` may see."""
    strategy = priority.call.strategy
    # A proposition's page is for officers, and for the councillors of a council whose shared
    # priority it merged (engagement.rules.can_read_proposition): this priority's, if it is shared.
    readable = bool(can_manage(user, strategy)) or (
        priority.organisation_id in council_ids_of(user, strategy)
        and priority.status != Priority.Status.DRAFT
        and not priority.is_hidden
    )
    propositions = [
        TrailItem(text=p.title, detail=p.get_status_display(), url=p.get_absolute_url() if readable else "")
        for p in priority.propositions.order_by("title")
    ]
    steps = [
        TrailStep(
            heading="Propositions it was merged into",
            items=propositions,
            empty="Not merged into a proposition yet.",
        )
    ]
    for provider in PRIORITY_TRAIL:
        steps.extend(provider(priority, user))
    return steps


def register_proposition_trail(provider: PropositionTrailProvider) -> None:
    """Called by a higher app's AppConfig.ready; registering twice (a reload) adds nothing."""
    if provider not in PROPOSITION_TRAIL:
        PROPOSITION_TRAIL.append(provider)


def proposition_trail(*, proposition: Proposition, user: Any) -> list[TrailStep]:
    """Where a proposition went: every registered app's steps (the draft, the boards), each already
    limited to what `user` may see."""
    return [step for provider in PROPOSITION_TRAIL for step in provider(proposition, user)]
