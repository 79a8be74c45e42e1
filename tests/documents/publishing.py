"""A strategy ready to publish, for the published strategy's tests: a draft whose sections draw on
open and officers-only evidence, a priority and agreed and emerging propositions, saved as a
version; and the board's published decision approving it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.models import Strategy, User
from documents import services
from documents.models import DraftVersion, Publication
from engagement.models import Proposition
from evidence.models import Sharing
from tests.evidence.conftest import make_item
from tests.timeline.conftest import Process, make_process
from timeline.models import Decision

OPEN_EVIDENCE = "Open skills audit"
SECRET_EVIDENCE = "Officers-only supplier list"
AGREED = "Agreed: a skills hub"
EMERGING = "Emerging: a port levy"
SECTION_MARKER = "PUBLISHED-AMBITION-TEXT"
FOOTNOTE_MARKER = "PUBLISHED-FOOTNOTE-SOURCE"


@dataclass
class Publishable:
    strategy: Strategy
    officer: User
    process: Process
    version: DraftVersion
    decision: Decision


def officer_of(strategy: Strategy) -> User:
    membership = strategy.lead.memberships.filter(role="officer").select_related("user").first()
    assert membership is not None
    return membership.user


def make_publishable(strategy: Strategy, *, process: Process | None = None) -> Publishable:
    officer = officer_of(strategy)
    process = process or make_process(strategy)
    draft = services.draft_create(actor=officer, strategy=strategy)
    sections = list(draft.sections.order_by("order"))
    services.draft_section_save(
        actor=officer,
        section=sections[0],
        title=sections[0].title,
        body=f"# Our ambition\n\n{SECTION_MARKER}: a productive, inclusive economy.[^1]\n\n[^1]: {FOOTNOTE_MARKER}",
        version=1,
    )
    open_item = make_item(strategy, title=OPEN_EVIDENCE)
    secret = make_item(strategy, title=SECRET_EVIDENCE, sharing=Sharing.OFFICERS)
    agreed = Proposition.objects.create(strategy=strategy, title=AGREED, description="x", status="agreed")
    emerging = Proposition.objects.create(strategy=strategy, title=EMERGING, description="x", status="emerging")
    sections[0].refresh_from_db()
    services.draft_section_links_set(
        actor=officer,
        section=sections[0],
        evidence_item_ids=[open_item.pk, secret.pk],
        priority_ids=[],
        proposition_ids=[agreed.pk, emerging.pk],
    )
    version = services.draft_version_save(actor=officer, draft=draft, note="As signed off")
    decision = Decision.objects.create(
        meeting=process.meeting,
        text="The board approves the strategy.",
        outcome="approved",
        is_published=True,
        phase=process.phases[3],  # LIS sign-off
    )
    return Publishable(strategy=strategy, officer=officer, process=process, version=version, decision=decision)


def publish(ready: Publishable, *, on: date, today: date | None = None, **fields: str) -> Publication:
    return services.strategy_publish(
        actor=ready.officer,
        strategy=ready.strategy,
        version=ready.version,
        decision=ready.decision,
        published_on=on,
        summary=fields.get("summary", "Our plan for good jobs across the county."),
        change_note=fields.get("change_note", ""),
        today=today or on,
    )
