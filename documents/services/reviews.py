"""Writes of review windows: opening one on a version for its audience (chosen partner
organisations, whose people are invited once each; in the drafting phase also everyone taking part,
or the public), closing it, the audience's signed-in comments, and the officers' replies and
resolutions. The public's signed-out comments are review_public.py."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.audit import AuditVerb
from core.editing import validate
from core.exceptions import ApplicationError
from core.models import Organisation, Role, User
from core.services import audit_record, email_queue
from timeline.models import Phase
from timeline.services import phase_current_for

from ..models import (
    COMMENT_MAX,
    DraftSection,
    DraftStrategy,
    DraftVersion,
    ReviewComment,
    ReviewInvitation,
    ReviewWindow,
)
from ..rules import can_write, in_review_audience, is_moderated_commenter, reviewer_organisation_id


def review_window_open(
    *,
    actor: User,
    draft: DraftStrategy,
    version: DraftVersion,
    organisations: list[Organisation],
    closes_on: date | None = None,
    audience: str = ReviewWindow.Audience.ORGANISATIONS,
) -> ReviewWindow:
    """Open `version` for comment by its `audience` until `closes_on` (the date the invitation
    gives; officers still close the window themselves): the councillors and partners of
    `organisations`, chosen among the strategy's partners; or, while the strategy is in its
    drafting phase, everyone taking part in it or the public (ADR 0042), the organisations then
    optional. A draft has one open window at a time. Each person of the organisations is emailed
    once, on commit (`review_invitations_send`)."""
    strategy = draft.strategy
    if audience not in ReviewWindow.Audience.values:
        raise ApplicationError("Choose who may comment.", field="audience")
    if closes_on is not None and closes_on < timezone.localdate():
        raise ApplicationError("The closing date must be today or in the future.", field="closes_on")
    if version.draft_id != draft.pk:
        raise ApplicationError("Choose a version of this draft.", field="version")
    if audience == ReviewWindow.Audience.ORGANISATIONS and not organisations:
        raise ApplicationError("Choose the organisations whose people may comment.", field="organisations")
    if audience != ReviewWindow.Audience.ORGANISATIONS:
        phase = phase_current_for(strategy)
        if phase is None or phase.stage != Phase.Stage.DRAFTING:
            now = f"the strategy is in {phase.name}" if phase else "every phase of the strategy is closed"
            raise ApplicationError(
                f"A wider audience comments on the draft only in the drafting phase, and {now}: "
                "invite organisations instead.",
                field="audience",
            )
    partner_ids = set(strategy.partners.values_list("pk", flat=True))
    if any(o.pk not in partner_ids for o in organisations):
        raise ApplicationError("Choose organisations that are partners in this strategy.", field="organisations")
    with transaction.atomic():
        DraftStrategy.objects.select_for_update().get(pk=draft.pk)
        if ReviewWindow.objects.filter(draft=draft, closed_at__isnull=True).exists():
            raise ApplicationError("A review window is already open. Close it before opening another.")
        window = ReviewWindow.objects.create(
            draft=draft, version=version, opened_by=actor, closes_on=closes_on, audience=audience
        )
        window.organisations.set(organisations)
        audit_record(
            actor=actor,
            verb=AuditVerb.REVIEW_OPENED,
            target=window,
            strategy=strategy,
            data={
                "version": version.number,
                "audience": audience,
                "organisations": sorted(o.pk for o in organisations),
                "closes_on": str(closes_on) if closes_on else None,
            },
        )
        review_invitations_send(window=window)
    return window


def review_window_close(*, actor: User, window: ReviewWindow) -> ReviewWindow:
    with transaction.atomic():
        now = timezone.now()
        closed = ReviewWindow.objects.filter(pk=window.pk, closed_at__isnull=True).update(
            closed_at=now, closed_by=actor
        )
        if not closed:
            raise ApplicationError("This review window is already closed.")
        audit_record(actor=actor, verb=AuditVerb.REVIEW_CLOSED, target=window, strategy=window.draft.strategy)
    window.refresh_from_db()
    return window


def _comment_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ApplicationError("Enter your comment.", field="body")
    if len(body) > COMMENT_MAX:
        raise ApplicationError(f"Comments must be {COMMENT_MAX:,} characters or fewer.", field="body")
    return body


def _refuse_commenter(actor: User, window: ReviewWindow) -> None:
    if can_write(actor, window.draft.strategy):
        raise ApplicationError("Officers reply to the comments rather than comment.")
    if in_review_audience(actor, window):
        return
    if window.audience == ReviewWindow.Audience.TAKING_PART:
        raise ApplicationError("Only people taking part in the strategy may comment on this draft.")
    raise ApplicationError("Only people of the invited organisations may comment on this draft.")


def review_comment_add(*, actor: User, window: ReviewWindow, section: DraftSection, body: str) -> ReviewComment:
    """A signed-in comment on a section while the window is open, by someone in its audience:
    for the invited organisation they speak for, if any, else as themselves. A comment from
    someone who does not take part in the strategy (a window open to the public) awaits an
    officer's moderation before the audience reads it."""
    body = _comment_body(body)
    if section.draft_id != window.draft_id:
        raise ApplicationError("Choose a section of this draft.", field="section")
    _refuse_commenter(actor, window)
    organisation_id = reviewer_organisation_id(actor, window)
    moderation = ReviewComment.Moderation.PENDING if is_moderated_commenter(actor, window) else ""
    with transaction.atomic():
        if not ReviewWindow.objects.filter(pk=window.pk, closed_at__isnull=True).exists():
            raise ApplicationError("The review window has closed, so comments can no longer be added.")
        comment = ReviewComment(
            window=window,
            section=section,
            author=actor,
            organisation_id=organisation_id,
            body=body,
            moderation=moderation,
        )
        validate(comment, exclude=["parent", "resolved_by"])
        comment.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.REVIEW_COMMENTED,
            target=comment,
            strategy=window.draft.strategy,
            data={"window": window.pk, "section": section.pk},
        )
    return comment


def _refuse_unconfirmed(comment: ReviewComment) -> None:
    if comment.status != ReviewComment.Status.CONFIRMED:
        raise ApplicationError("This comment awaits its sender’s confirmation: it can be answered once confirmed.")


def review_comment_reply(*, actor: User, comment: ReviewComment, body: str) -> ReviewComment:
    """An officer's reply to a comment (open or closed window: the officers answer after it closes too)."""
    body = _comment_body(body)
    strategy = comment.window.draft.strategy
    if not can_write(actor, strategy):
        raise ApplicationError("Only officers reply to comments.")
    parent = comment.parent or comment
    _refuse_unconfirmed(parent)
    with transaction.atomic():
        reply = ReviewComment.objects.create(
            window=parent.window, section=parent.section, parent=parent, author=actor, body=body
        )
        audit_record(
            actor=actor, verb=AuditVerb.REVIEW_REPLIED, target=reply, strategy=strategy, data={"comment": parent.pk}
        )
    return reply


def review_comment_resolve(*, actor: User, comment: ReviewComment, reply: str = "") -> ReviewComment:
    """Resolve `comment`; a `reply` typed with it is added first, in the same transaction, so a
    reply typed before pressing Resolve is never lost (nor saved without the resolution)."""
    strategy = comment.window.draft.strategy
    if not can_write(actor, strategy):
        raise ApplicationError("Only officers resolve comments.")
    if comment.parent_id is not None:
        raise ApplicationError("Resolve the comment, not a reply to it.")
    _refuse_unconfirmed(comment)
    with transaction.atomic():
        if reply.strip():
            review_comment_reply(actor=actor, comment=comment, body=reply)
        resolved = ReviewComment.objects.filter(pk=comment.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=actor
        )
        if not resolved:
            raise ApplicationError("This comment is already resolved.")
        audit_record(actor=actor, verb=AuditVerb.REVIEW_RESOLVED, target=comment, strategy=strategy)
    comment.refresh_from_db()
    return comment


def review_invitations_send(*, window: ReviewWindow) -> int:
    """Email the councillors and partners of the organisations `window` invites (active people who
    take part in the strategy) a link to the reviewed draft and its closing date: once per person
    however often this runs, and however many invited organisations they belong to (a unique row
    per invitation claims it). Nobody invited, nobody emailed. Returns how many were emailed."""
    window = ReviewWindow.objects.select_related("draft__strategy__lead", "version").get(pk=window.pk)
    strategy = window.draft.strategy
    people = (
        User.objects.filter(
            is_active=True,
            memberships__role__in=[Role.COUNCILLOR, Role.PARTNER],
            memberships__organisation__review_windows=window,
            memberships__organisation__partner_strategies=strategy,
        )
        .exclude(pk__in=ReviewInvitation.objects.filter(window=window).values("user_id"))
        .distinct()
        .order_by("pk")
    )
    link = settings.SITE_URL.rstrip("/") + window.get_absolute_url()
    sent = 0
    for person in people:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ReviewInvitation.objects.create(window=window, user=person)
            except IntegrityError:
                continue  # another run emailed them
            body = render_to_string(
                "documents/email/review_opened.txt",
                {"person": person, "window": window, "strategy": strategy, "link": link},
            )
            email_queue(
                to=person.email,
                subject=f"Comment on the draft {strategy.name} by {_day(window.closes_on)}"
                if window.closes_on
                else f"Comment on the draft {strategy.name}",
                body=body,
                strategy=strategy,
            )
            audit_record(
                actor=None, verb=AuditVerb.REVIEW_INVITED, target=window, strategy=strategy, data={"to": person.pk}
            )
            sent += 1
    return sent


def _day(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""
