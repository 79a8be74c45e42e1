"""Publishing the strategy: an edition (documents.models.Publication) of a saved draft version the
board signed off, public from the day chosen, with its PDF rendered from the same version by the
pack pipeline (a pack of kind PUBLISHED). An edition is never edited: a correction is the next
edition, which says what changed."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.audit import AuditVerb
from core.editing import validate
from core.exceptions import ApplicationError
from core.models import Strategy, User
from core.services import audit_record
from timeline.models import Decision, Phase

from ..models import DraftStrategy, DraftVersion, Pack, Publication
from .packs import pack_request

SIGN_OFF_OUTCOMES = (Decision.Outcome.APPROVED, Decision.Outcome.AMENDED)
SUMMARY_MAX = 1_000


def sign_off_decisions(strategy: Strategy) -> QuerySet[Decision]:
    """The decisions that may sign the strategy off: approving, published, of one of its boards,
    about its sign-off phase (concerning or closing it), and taken (on a day that has come), latest
    first. Not a minutes' approval, not a contract award, not a meeting still to come: a published
    strategy's "signed off" line must be true."""
    sign_off = Phase.Stage.SIGN_OFF
    return (
        Decision.objects.filter(board__strategy=strategy, outcome__in=SIGN_OFF_OUTCOMES, is_published=True)
        .filter(Q(phase__stage=sign_off) | Q(closes_phase__stage=sign_off))
        # Taken, not planned: a decision recorded ahead of its meeting signs nothing off yet.
        .filter(decided_on__lte=timezone.localdate())
        .select_related("board", "meeting")
        .order_by("-decided_on", "-pk")
    )


def strategy_publish(
    *,
    actor: User,
    strategy: Strategy,
    version: DraftVersion,
    decision: Decision,
    published_on: date,
    summary: str,
    change_note: str = "",
    today: date | None = None,
) -> Publication:
    """Publish `version` as the strategy's next edition, signed off by `decision`, public from
    `published_on`; its PDF is queued to render once the edition is stored."""
    today = today or timezone.localdate()
    summary, change_note = summary.strip(), change_note.strip()
    if version.draft.strategy_id != strategy.pk:
        raise ApplicationError("That version belongs to another strategy’s draft.", field="version")
    if decision.board.strategy_id != strategy.pk:
        raise ApplicationError("That decision was made by another strategy’s board.", field="decision")
    if not decision.is_published:
        raise ApplicationError(
            "That decision is not published: publish it on the timeline first, so readers can see the sign-off.",
            field="decision",
        )
    if not sign_off_decisions(strategy).filter(pk=decision.pk).exists():
        raise ApplicationError(
            "Choose the board’s decision signing the strategy off: one that approved it (approved, or approved "
            "as amended), recorded for the phase “LIS sign-off” (on the meeting’s page, Record decision), at a "
            "meeting that has taken place.",
            field="decision",
        )
    if published_on < today:
        raise ApplicationError(
            "Choose today or a later day: an edition cannot be published in the past.", field="published_on"
        )
    if not summary:
        raise ApplicationError("Enter a short summary: it opens the published strategy.", field="summary")
    if len(summary) > SUMMARY_MAX:
        raise ApplicationError(f"Keep the summary to {SUMMARY_MAX:,} characters or fewer.", field="summary")
    with transaction.atomic():
        DraftStrategy.objects.select_for_update().filter(strategy=strategy).first()  # one edition at a time
        last = Publication.objects.filter(strategy=strategy).order_by("-edition").first()
        edition = last.edition + 1 if last else 1
        if last is not None and not change_note:
            raise ApplicationError(
                f"Say what changed since edition {last.edition}: readers of edition {edition} see it.",
                field="change_note",
            )
        if last is not None and published_on < last.published_on:
            raise ApplicationError(
                f"Choose {last.published_on:%-d %B %Y} or later: edition {last.edition} is published then.",
                field="published_on",
            )
        pack, _ = pack_request(
            actor=actor,
            strategy=strategy,
            kind=Pack.Kind.PUBLISHED,
            draft_version=version,
            publication={"edition": edition, "published_on": published_on.isoformat()},
        )
        publication = Publication(
            strategy=strategy,
            edition=edition,
            version=version,
            decision=decision,
            published_on=published_on,
            summary=summary,
            change_note=change_note,
            pack=pack,
            published_by=actor,
        )
        validate(publication)
        publication.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.STRATEGY_PUBLISHED,
            target=publication,
            strategy=strategy,
            data={"edition": edition, "version": version.number, "published_on": published_on.isoformat()},
        )
    return publication
