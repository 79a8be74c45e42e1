"""The public's comments on a review window open to everybody (ADR 0042), on ADR 0041's pattern:
a signed-out visitor's comment is stored unconfirmed with the hash of a token emailed to them,
confirmed by the link within seven days (and deleted after, by the hourly purge), rate-limited per
client address; officers then publish or hide every comment from the public (signed-in ones too)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.audit import AuditVerb
from core.editing import validate
from core.exceptions import ApplicationError
from core.models import Strategy, User
from core.ratelimit import rate_limit_exceeded
from core.services import audit_record, email_queue
from engagement.models.common import when_text
from engagement.services import PUBLIC_CONFIRM_DAYS, RateLimited, hash_token

from ..models import DraftSection, ReviewComment, ReviewWindow
from ..rules import can_write
from .reviews import _comment_body

RATE_WINDOW = 3600  # seconds: the public's comments are counted per client address over an hour
INVALID_LINK = (
    "This confirmation link is not valid. It may have been used already, or mistyped: check the link in your email."
)


@dataclass
class PublicCommenter:
    """Who a signed-out comment is from: the email address is for its confirmation only."""

    name: str
    email: str
    organisation: str = ""
    show_name: bool = False


def _check_commenter(commenter: PublicCommenter) -> PublicCommenter:
    name, email = commenter.name.strip(), commenter.email.strip().lower()
    if not email:
        raise ApplicationError("Enter your email address, so we can confirm your comment.", field="email")
    if commenter.show_name and not name:
        raise ApplicationError("Enter your name, or untick showing it with your comment.", field="name")
    return PublicCommenter(name, email, commenter.organisation.strip(), commenter.show_name)


def review_comment_public_add(
    *,
    window: ReviewWindow,
    section: DraftSection,
    body: str,
    commenter: PublicCommenter,
    ip: str,
    confirm_url: str,
) -> ReviewComment:
    """Store a signed-out visitor's comment on a section, unconfirmed and awaiting moderation, and
    email them a link that confirms it. `confirm_url` is the absolute address of the confirm page
    with `{token}` where the token goes; only its hash is stored. Refused once the window has closed
    or is not open to the public, and past REVIEW_PUBLIC_COMMENTS_PER_HOUR from one address."""
    body = _comment_body(body)
    commenter = _check_commenter(commenter)
    if section.draft_id != window.draft_id:
        raise ApplicationError("Choose a section of this draft.", field="section")
    strategy = window.draft.strategy
    key = f"documents:review-public:{strategy.pk}:{ip}"
    if rate_limit_exceeded(key, limit=int(settings.REVIEW_PUBLIC_COMMENTS_PER_HOUR), window=RATE_WINDOW):
        retry_at = timezone.now() + timedelta(seconds=RATE_WINDOW)
        raise RateLimited(
            f"You have sent several comments in the last hour. Please try again after {when_text(retry_at)}.",
            retry_at=retry_at,
        )
    now = timezone.now()
    with transaction.atomic():
        current = ReviewWindow.objects.select_for_update().get(pk=window.pk)
        if current.audience != ReviewWindow.Audience.PUBLIC:
            raise ApplicationError("This review is not open to the public.")
        if not current.is_open:
            raise ApplicationError("The review window has closed, so comments can no longer be added.")
        token = secrets.token_urlsafe(32)
        comment = ReviewComment(
            window=current,
            section=section,
            body=body,
            status=ReviewComment.Status.UNCONFIRMED,
            moderation=ReviewComment.Moderation.PENDING,
            commenter_name=commenter.name,
            commenter_email=commenter.email,
            commenter_organisation=commenter.organisation,
            show_name=commenter.show_name,
            token_hash=hash_token(token),
            confirm_by=now + timedelta(days=PUBLIC_CONFIRM_DAYS),
            created_at=now,
        )
        validate(comment, exclude=["parent", "author", "organisation", "resolved_by"])
        comment.save()
        audit_record(
            actor=None,
            verb=AuditVerb.REVIEW_PUBLIC_RECEIVED,
            target=comment,
            strategy=strategy,
            data={"window": window.pk, "section": section.pk},
        )
        body_text = render_to_string(
            "documents/email/review_comment_confirm.txt",
            {
                "comment": comment,
                "section": section,
                "strategy": strategy,
                "link": confirm_url.replace("{token}", token),
                "confirm_by": when_text(comment.confirm_by or now),
            },
        )
        email_queue(
            to=commenter.email,
            subject=f"Confirm your comment on the draft {strategy.name}"[:200],
            body=body_text,
            strategy=strategy,
        )
    return comment


def review_comment_for_token(*, strategy: Strategy, token: str) -> ReviewComment | None:
    """The public comment of `strategy` a confirmation token belongs to, if any."""
    if not token or len(token) > 100:
        return None
    return (
        ReviewComment.objects.select_related("window__draft__strategy", "window__version", "section")
        .filter(token_hash=hash_token(token), window__draft__strategy=strategy, author__isnull=True)
        .first()
    )


def review_comment_confirm(*, strategy: Strategy, token: str) -> ReviewComment:
    """Confirm a public comment with the token emailed to its sender: officers then see it, to
    moderate and answer. A comment sent before the window closed may be confirmed after, within
    the seven days; the link works once."""
    with transaction.atomic():
        found = review_comment_for_token(strategy=strategy, token=token)
        if found is None:
            raise ApplicationError(INVALID_LINK)
        current = ReviewComment.objects.select_for_update().get(pk=found.pk)
        current.window, current.section = found.window, found.section
        if current.status == ReviewComment.Status.CONFIRMED:
            return current
        if current.confirm_by is None or current.confirm_by <= timezone.now():
            raise ApplicationError(
                f"This confirmation link expired after {PUBLIC_CONFIRM_DAYS} days, so the comment was not kept. "
                "If the review is still open, you can comment again."
            )
        current.status = ReviewComment.Status.CONFIRMED
        current.confirmed_at = timezone.now()
        current.confirm_by = None
        current.token_hash = ""
        current.save(update_fields=["status", "confirmed_at", "confirm_by", "token_hash"])
        audit_record(actor=None, verb=AuditVerb.REVIEW_PUBLIC_CONFIRMED, target=current, strategy=strategy)
    return current


def review_comment_moderate(*, actor: User, comment: ReviewComment, publish: bool) -> ReviewComment:
    """An officer publishes a confirmed comment from the public (the window's audience then reads
    it, without the sender's email address) or hides it (officers only see it); either may be
    undone by the other."""
    strategy = comment.window.draft.strategy
    if not can_write(actor, strategy):
        raise ApplicationError("Only officers moderate comments.")
    if not comment.is_from_public:
        raise ApplicationError("Only comments from the public are moderated.")
    if comment.status != ReviewComment.Status.CONFIRMED:
        raise ApplicationError("This comment awaits its sender’s confirmation: it can be moderated once confirmed.")
    state = ReviewComment.Moderation.PUBLISHED if publish else ReviewComment.Moderation.HIDDEN
    with transaction.atomic():
        changed = (
            ReviewComment.objects.filter(pk=comment.pk, status=ReviewComment.Status.CONFIRMED)
            .exclude(moderation=state)
            .update(moderation=state)
        )
        if not changed:
            raise ApplicationError(f"This comment is already {state.label.lower()}.")
        audit_record(
            actor=actor,
            verb=AuditVerb.REVIEW_COMMENT_PUBLISHED if publish else AuditVerb.REVIEW_COMMENT_HIDDEN,
            target=comment,
            strategy=strategy,
        )
    comment.refresh_from_db()
    return comment


def review_comments_purge(*, now: datetime | None = None) -> int:
    """Delete public comments left unconfirmed past their expiry; one audit event per window."""
    now = now or timezone.now()
    expired = ReviewComment.objects.filter(status=ReviewComment.Status.UNCONFIRMED, confirm_by__lte=now)
    by_window: dict[int, list[int]] = {}
    for comment_id, window_id in expired.values_list("pk", "window_id"):
        by_window.setdefault(window_id, []).append(comment_id)
    purged = 0
    for window_id, ids in by_window.items():
        with transaction.atomic():
            window = ReviewWindow.objects.select_related("draft__strategy").get(pk=window_id)
            count, _ = ReviewComment.objects.filter(pk__in=ids, status=ReviewComment.Status.UNCONFIRMED).delete()
            if count:
                audit_record(
                    actor=None,
                    verb=AuditVerb.REVIEW_UNCONFIRMED_PURGED,
                    target=window,
                    strategy=window.draft.strategy,
                    data={"comments": count},
                )
            purged += count
    return purged
