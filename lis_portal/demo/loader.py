"""`load_demo`: the whole demo, in one transaction, in the order its parts depend on each other."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from .boards import load_boards, load_meetings
from .consulted_on import load_consulted_on
from .consulting import load_consultation, load_workshops_held
from .content import read_content
from .drafting import load_drafting, load_meeting_papers
from .engagement import load_engagement
from .evidence import load_evidence
from .interests import load_interests
from .minutes import load_minutes
from .organisations import load_organisations
from .outside_meetings import load_outside_meetings
from .people import DemoAccount, load_people
from .places import load_areas
from .priorities import load_priorities
from .reviewing import load_review
from .schedule import load_schedule, replay_for, schedule_note
from .strategies import load_strategies


@dataclass
class DemoResult:
    today: date
    shift: timedelta
    replay_today: date  # the day of the original schedule that today stands for
    original_span: str  # the original schedule's months, in words
    password: str
    password_generated: bool
    counts: dict[str, int] = field(default_factory=dict)
    breakdown: dict[str, Counter[str]] = field(default_factory=dict)
    accounts: list[DemoAccount] = field(default_factory=list)


# The emails the replayed past queues (receipts, responses) are kept in the outbox, sent to memory.
REPLAY_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def load_demo(*, password: str, password_generated: bool = False, today: date | None = None) -> DemoResult:
    """Load (or bring back to its demo state) the whole demo; `today` defaults to the portal's local date.
    Every content file is read and parsed before anything is written. The emails the services queue
    while the past is replayed go to memory, not to the console or to anyone (docs/demo-data.md)."""
    with override_settings(EMAIL_BACKEND=REPLAY_EMAIL_BACKEND):
        return _load(password=password, password_generated=password_generated, today=today)


@transaction.atomic
def _load(*, password: str, password_generated: bool, today: date | None) -> DemoResult:
    content = read_content()
    replay = replay_for(content, today or timezone.localdate())
    geo = load_areas(content)
    orgs = load_organisations(content, geo)
    strategies = load_strategies(content, geo, orgs, schedule_note=schedule_note(content, replay))
    boards = load_boards(content, strategies, orgs)
    people = load_people(content, password=password, orgs=orgs, boards=boards)
    phases, milestones = load_schedule(
        content, strategies=strategies, boards=boards, replay=replay, people=people, orgs=orgs
    )
    meetings = load_meetings(
        content, boards=boards, replay=replay, milestones=milestones, recorded_by=people.records_by
    )
    evidence_counts = load_evidence(content, strategies=strategies, replay=replay, added_by=people.records_by)
    engagement_counts = load_engagement(content, strategies=strategies, phases=phases, created_by=people.records_by)
    lived = load_priorities(content, strategies=strategies, phases=phases, orgs=orgs, people=people, replay=replay)
    officer = people.records_by
    consulted = load_consultation(content, strategies=strategies, orgs=orgs, officer=officer, replay=replay)
    held = load_workshops_held(content, strategies=strategies, phases=phases, orgs=orgs, officer=officer, replay=replay)
    drafted = load_drafting(content, strategies=strategies, boards=boards, officer=officer, replay=replay)
    reviewed = load_review(content, strategies=strategies, orgs=orgs, officer=officer, replay=replay)
    load_consulted_on(content, strategies=strategies, officer=officer, replay=replay)
    past_papers = load_meeting_papers(content, boards=boards, officer=officer, replay=replay)
    minutes = load_minutes(content, meetings=meetings, replay=replay, officer=officer)
    outside = load_outside_meetings(
        content, strategies=strategies, boards=boards, people=people.users, officer=officer, replay=replay
    )
    interests = load_interests(content, strategies=strategies, people=people, replay=replay)
    areas, organisations = geo.all(), orgs.all()
    return DemoResult(
        today=replay.today,
        shift=replay.shift,
        replay_today=replay.replay_today,
        original_span=replay.original_span,
        password=password,
        password_generated=password_generated,
        counts={
            "Areas": len(areas),
            "Organisations": len(organisations),
            "Strategies": len(strategies),
            "Boards": len(boards),
            "Phases": len(phases),
            "Milestones": len(milestones),
            "People": len(people.users),
            "Memberships": len(people.memberships),
            "Board memberships": len(people.board_memberships),
            "Meetings": len(meetings),
            **evidence_counts,
            **engagement_counts,
            **lived,
            **consulted,
            **held,
            **drafted,
            **reviewed,
            "Past meetings' papers": past_papers,
            "Meetings with minutes": minutes,
            **outside,
            "Registers of interests' entries": interests,
        },
        breakdown={
            "Areas": Counter(str(a.get_kind_display()) for a in areas),
            "Organisations": Counter(str(o.get_kind_display()) for o in organisations),
            "Milestones": Counter(str(m.get_status_display()) for m in milestones),
        },
        accounts=people.accounts,
    )
