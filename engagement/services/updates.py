"""Updates: double opt-in subscriptions, and the updates the officers write and a Celery task
sends to the confirmed subscribers.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core import claims
from core.audit import AuditVerb
from core.editing import refuse_if_stale, save_new_version, validate
from core.exceptions import ApplicationError
from core.models import Strategy, User
from core.queue import enqueue, enqueue_on_commit
from core.services import audit_record, email_queue
from timeline.models import Board, Meeting

from ..models import UPDATE_SUBJECT_MAX, Subscription, Update, UpdateDelivery
from ..models.common import when_text
from .common import _link

# Updates -----------------------------------------------------------------------------------------------
#
# Subscriptions are double opt-in: a request stores a pending row and emails a link whose token is
# stored hashed and expires; confirming it activates the row. A request never says whether the address
# was already subscribed. Every update email carries a signed one-click unsubscribe link (RFC 8058).
# An update is sent by a Celery task that claims the row with a conditional update and writes one
# UpdateDelivery per address (unique per update and subscription), in batches.


SUBSCRIPTION_TOKEN_VALID = timedelta(days=7)
SUBSCRIPTION_RESEND_AFTER = timedelta(minutes=1)
UNSUBSCRIBE_SALT = "engagement.unsubscribe"
UPDATE_BATCH_SIZE = 100


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def subscription_request(*, strategy: Strategy, email: str, board: Board | None = None) -> None:
    """Ask to receive the strategy's updates at `email` (or, given `board`, an email when that
    board's papers or minutes are published). A new, pending or unsubscribed address gets a
    confirmation email (at most one a minute); a confirmed one gets nothing. The caller learns
    nothing either way, so the form cannot be used to find out who subscribes."""
    if board is not None and board.strategy_id != strategy.pk:
        raise ApplicationError("Choose a board of this strategy.")
    address = User.objects.normalize_email(email.strip()).lower()
    probe = Subscription(strategy=strategy, email=address)
    validate(probe, exclude=["strategy", "board"])
    now = timezone.now()
    topic = {"strategy": strategy, "board": board}
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(**topic, email__iexact=address).first()
        if subscription is None:
            try:
                with transaction.atomic():
                    subscription = Subscription.objects.create(**topic, email=address)
            except IntegrityError:  # another request for the same address won the race
                subscription = Subscription.objects.select_for_update().get(**topic, email__iexact=address)
        if subscription.status == Subscription.Status.CONFIRMED:
            return
        if subscription.token_sent_at and now - subscription.token_sent_at < SUBSCRIPTION_RESEND_AFTER:
            return
        token = secrets.token_urlsafe(32)
        subscription.status = Subscription.Status.PENDING
        subscription.token_hash = _token_hash(token)
        subscription.token_expires_at = now + SUBSCRIPTION_TOKEN_VALID
        subscription.token_sent_at = now
        subscription.save(update_fields=["status", "token_hash", "token_expires_at", "token_sent_at"])
        # The audit names the row, never the address: an erasure deletes the row, and the trail keeps nothing.
        audit_record(
            actor=None, verb=AuditVerb.SUBSCRIPTION_REQUESTED, strategy=strategy, data={"subscription": subscription.pk}
        )
        path = reverse("engagement:subscription-confirm", kwargs={"strategy_slug": strategy.slug, "token": token})
        body = render_to_string(
            "engagement/email/subscription_confirm.txt",
            {
                "strategy": strategy,
                "board": board,
                "link": _link(path),
                "expires": when_text(subscription.token_expires_at),
            },
        )
        what = f"emails from the {board.name}" if board else f"updates on {strategy.name}"
        email_queue(to=address, subject=f"Confirm you want {what}"[:200], body=body, strategy=strategy)


def subscription_for_confirm_token(*, strategy: Strategy, token: str) -> Subscription:
    """The pending subscription a confirmation link names, if it can still be used."""
    subscription = Subscription.objects.filter(strategy=strategy, token_hash=_token_hash(token)).first()
    if subscription is None or subscription.status != Subscription.Status.PENDING:
        raise ApplicationError(
            "This confirmation link is not valid, or has already been used. "
            "Check you copied the whole link from the email, or subscribe again."
        )
    if subscription.token_expires_at is None or timezone.now() >= subscription.token_expires_at:
        raise ApplicationError("This confirmation link has expired. Subscribe again to get a new one.")
    return subscription


def subscription_confirm(*, strategy: Strategy, token: str) -> Subscription:
    """Confirm a pending subscription with its emailed token (once)."""
    with transaction.atomic():
        found = subscription_for_confirm_token(strategy=strategy, token=token)
        subscription = Subscription.objects.select_for_update().get(pk=found.pk)
        if subscription.status != Subscription.Status.PENDING or subscription.token_hash != _token_hash(token):
            raise ApplicationError("This confirmation link has already been used.")
        subscription.status = Subscription.Status.CONFIRMED
        subscription.confirmed_at = timezone.now()
        subscription.unsubscribed_at = None
        subscription.token_hash = ""
        subscription.token_expires_at = None
        subscription.save(update_fields=["status", "confirmed_at", "unsubscribed_at", "token_hash", "token_expires_at"])
        audit_record(
            actor=None, verb=AuditVerb.SUBSCRIPTION_CONFIRMED, strategy=strategy, data={"subscription": subscription.pk}
        )
    return subscription


def subscription_unsubscribe_token(subscription: Subscription) -> str:
    """A signed token naming the subscription, for its one-click unsubscribe link. It does not expire:
    an old email's link must still work."""
    return signing.dumps({"s": subscription.pk, "t": subscription.strategy_id}, salt=UNSUBSCRIBE_SALT)


def subscription_for_unsubscribe_token(*, strategy: Strategy, token: str) -> Subscription:
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as error:
        raise ApplicationError(
            "This unsubscribe link is not valid. Check you copied the whole link from the email."
        ) from error
    pk = value.get("s") if isinstance(value, dict) else None
    if not isinstance(pk, int) or value.get("t") != strategy.pk:
        raise ApplicationError("This unsubscribe link is not valid. Check you copied the whole link from the email.")
    subscription = Subscription.objects.filter(pk=pk, strategy=strategy).first()
    if subscription is None:
        raise ApplicationError("This unsubscribe link is not valid, or the subscription no longer exists.")
    return subscription


def subscription_unsubscribe(*, strategy: Strategy, token: str) -> Subscription:
    """Unsubscribe the address a signed link names. Doing it twice is harmless."""
    with transaction.atomic():
        found = subscription_for_unsubscribe_token(strategy=strategy, token=token)
        subscription = Subscription.objects.select_for_update().get(pk=found.pk)
        if subscription.status != Subscription.Status.UNSUBSCRIBED:
            subscription.status = Subscription.Status.UNSUBSCRIBED
            subscription.unsubscribed_at = timezone.now()
            subscription.token_hash = ""
            subscription.token_expires_at = None
            subscription.save(update_fields=["status", "unsubscribed_at", "token_hash", "token_expires_at"])
            audit_record(
                actor=None,
                verb=AuditVerb.SUBSCRIPTION_UNSUBSCRIBED,
                strategy=strategy,
                data={"subscription": subscription.pk},
            )
    return subscription


def _check_update_text(subject: str, body: str) -> tuple[str, str]:
    subject, body = subject.strip(), body.strip()
    if not subject:
        raise ApplicationError("Enter the subject of the update.", field="subject")
    if not body:
        raise ApplicationError("Enter the text of the update.", field="body")
    return subject, body


def update_create(*, actor: User, strategy: Strategy, subject: str, body: str) -> Update:
    """Save a draft update for the strategy's subscribers."""
    subject, body = _check_update_text(subject, body)
    with transaction.atomic():
        update = Update(strategy=strategy, subject=subject, body=body, created_by=actor)
        validate(update, exclude=["strategy", "created_by", "sent_by"])
        update.save()
        audit_record(actor=actor, verb=AuditVerb.UPDATE_CREATED, target=update, strategy=strategy)
    return update


def update_edit(*, actor: User, update: Update, subject: str, body: str, version: int) -> Update:
    """Save an edit of a draft made on `version`; if someone saved it since, refuse and say what changed."""
    subject, body = _check_update_text(subject, body)
    with transaction.atomic():
        current = Update.objects.select_for_update().select_related("strategy").get(pk=update.pk)
        if current.status != Update.Status.DRAFT:
            raise ApplicationError("This update has been sent: it can no longer be changed.")
        refuse_if_stale(
            current,
            version=version,
            noun="update",
            saved={"subject": current.subject, "body": current.body},
            yours={"subject": subject, "body": body},
        )
        current.subject, current.body = subject, body
        validate(current, exclude=["strategy", "created_by", "sent_by", "version"])
        save_new_version(current)
        audit_record(actor=actor, verb=AuditVerb.UPDATE_EDITED, target=current, strategy=current.strategy)
    return current


def update_send(*, actor: User, update: Update) -> Update:
    """Queue a draft update for sending to every confirmed subscriber; a Celery task sends it in
    batches once this transaction commits. Sending twice is refused."""
    from ..tasks import update_deliver as update_deliver_task

    with transaction.atomic():
        current = Update.objects.select_for_update().select_related("strategy").get(pk=update.pk)
        if current.status != Update.Status.DRAFT:
            raise ApplicationError(f"This update is already {current.get_status_display().lower()}.")
        confirmed = _audience(current).count()
        if not confirmed:
            raise ApplicationError("No one has confirmed a subscription yet, so there is no one to send it to.")
        now = timezone.now()
        current.status = Update.Status.QUEUED
        current.recipients = confirmed
        current.queued_at = now
        current.sent_by = actor
        current.save(update_fields=["status", "recipients", "queued_at", "sent_by", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.UPDATE_SEND_REQUESTED,
            target=current,
            strategy=current.strategy,
            data={"confirmed": confirmed},
        )
        update_id = current.pk
        enqueue_on_commit(update_deliver_task, update_id)
    return current


def _audience(update: Update) -> QuerySet[Subscription]:
    """The confirmed subscribers of the update's topic: its board's followers, or the strategy's."""
    return Subscription.objects.filter(
        strategy=update.strategy_id, board=update.board_id, status=Subscription.Status.CONFIRMED
    )


def _update_email_body(update: Update, subscription: Subscription, unsubscribe: str) -> str:
    return render_to_string(
        "engagement/email/update.txt",
        {
            "update": update,
            "strategy": update.strategy,
            "board": update.board,
            "unsubscribe": unsubscribe,
            "archive": _link(reverse("engagement:update-archive", kwargs={"strategy_slug": update.strategy.slug})),
        },
    )


def _update_send_batch(update: Update, claim: claims.Claim, *, batch_size: int) -> int:
    """Queue one email to each of the next `batch_size` confirmed subscribers the update has not
    reached, with their delivery rows, in one transaction that commits only while `claim` holds the
    update (ClaimLost rolls it back). Returns how many."""
    with transaction.atomic():
        claim.hold()
        batch = list(_audience(update).exclude(deliveries__update=update).order_by("pk")[:batch_size])
        for subscription in batch:
            path = reverse(
                "engagement:subscription-unsubscribe",
                kwargs={"strategy_slug": update.strategy.slug, "token": subscription_unsubscribe_token(subscription)},
            )
            unsubscribe = _link(path)
            email = email_queue(
                to=subscription.email,
                subject=update.subject,
                body=_update_email_body(update, subscription, unsubscribe),
                headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
                strategy=update.strategy,
            )
            # The unique (update, subscription) pair: a second sender fails here and rolls the batch back.
            UpdateDelivery.objects.create(update=update, subscription=subscription, email=email)
    return len(batch)


UPDATE_JOB = claims.Job(
    model=Update,
    waiting=Update.Status.QUEUED,
    working=Update.Status.SENDING,
    failed=Update.Status.FAILED,
    error_field="last_error",
    queued_field="queued_at",
    gave_up="Gave up after three attempts.",
    max_attempts=Update.MAX_ATTEMPTS,
)


def update_deliver(*, update_id: int, batch_size: int = UPDATE_BATCH_SIZE) -> str:
    """Claim a queued update (core.claims: so two workers never both send it, and a stopped worker's
    sending is taken over) and send it in batches to the confirmed subscribers it has not reached yet.
    A re-run after a crash picks up where the last batch committed; a re-run after it is sent does
    nothing; a batch commits only while the claim is held."""
    from ..tasks import update_deliver as update_deliver_task

    claim = claims.claim(UPDATE_JOB, update_id)
    if isinstance(claim, claims.Held):
        claims.retry_when_free(update_deliver_task, update_id, claim)
        return "held"
    if claim is None:
        return "skipped"
    update = Update.objects.select_related("strategy").get(pk=update_id)
    try:
        with claim.heartbeat():
            while _update_send_batch(update, claim, batch_size=batch_size):
                pass
    except claims.ClaimLost:
        return "lost"
    except Exception as error:
        final = claim.attempt >= Update.MAX_ATTEMPTS
        claim.finish(
            status=Update.Status.FAILED if final else Update.Status.QUEUED,
            last_error=f"{type(error).__name__}: {error}",
        )
        raise
    delivered = UpdateDelivery.objects.filter(update_id=update_id).count()
    with transaction.atomic():
        if not claim.finish(status=Update.Status.SENT, sent_at=timezone.now(), recipients=delivered, last_error=""):
            return "lost"
        audit_record(
            actor=None,
            verb=AuditVerb.UPDATE_SENT,
            target=update,
            strategy=update.strategy,
            data={"deliveries": delivered},
        )
    return "sent"


def update_requeue_stale(*, older_than: timedelta) -> int:
    """Send again the updates nobody is sending: queued longer than `older_than` (a message lost), or
    held by a worker that stopped (core.claims.sweep). Those that used their attempts are failed."""
    from ..tasks import update_deliver as update_deliver_task

    return claims.sweep(UPDATE_JOB, queued_before=older_than, enqueue=lambda pk: enqueue(update_deliver_task, pk))


# Board announcements ----------------------------------------------------------------------------------
#
# When a meeting's papers or minutes become public (on the day an officer chose), the portal writes an
# update to the board's followers and sends it like any other. The unique (meeting, announces) pair
# makes each announcement once, however often the beat runs; a publication older than a week is not
# announced (a portal switched on late does not send its history).

ANNOUNCE_WITHIN = timedelta(days=7)


def _announcement(meeting: Meeting, announces: str) -> tuple[str, str]:
    board, day = meeting.board, timezone.localtime(meeting.starts_at)
    link = _link(meeting.get_absolute_url())
    when = f"{day:%A %-d %B %Y}"
    if announces == Update.Announces.PAPERS:
        subject = f"Agenda and papers published: {board.name}, {when}"
        body = f"The agenda and papers of the {board.name} meeting on {when} are published.\n\nRead them: {link}"
    else:
        subject = f"Minutes published: {board.name}, {when}"
        body = f"The approved minutes of the {board.name} meeting on {when} are published.\n\nRead them: {link}"
    return subject[:UPDATE_SUBJECT_MAX], body


def board_publications_announce(*, today: date | None = None) -> int:
    """Announce to each board's followers the papers and minutes published in the last week and not
    yet announced; returns how many announcements were queued. Safe to run twice, or from two beats."""
    from ..tasks import update_deliver as update_deliver_task

    day = today or timezone.localdate()
    since = day - ANNOUNCE_WITHIN
    due: list[tuple[Meeting, str]] = []
    meetings = Meeting.objects.select_related("board__strategy").exclude(status=Meeting.Status.CANCELLED)
    announced = Update.objects.filter(meeting=OuterRef("pk"))
    for meeting in meetings.filter(papers_published_on__range=(since, day)).exclude(
        Exists(announced.filter(announces=Update.Announces.PAPERS))
    ):
        due.append((meeting, Update.Announces.PAPERS))
    for meeting in meetings.filter(minutes_published_on__range=(since, day)).exclude(
        Exists(announced.filter(announces=Update.Announces.MINUTES))
    ):
        due.append((meeting, Update.Announces.MINUTES))
    queued = 0
    for meeting, announces in due:
        subject, body = _announcement(meeting, announces)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    update = Update.objects.create(
                        strategy=meeting.board.strategy,
                        board=meeting.board,
                        meeting=meeting,
                        announces=announces,
                        subject=subject,
                        body=body,
                        status=Update.Status.QUEUED,
                        queued_at=timezone.now(),
                    )
            except IntegrityError:  # another beat announced it first
                continue
            update.recipients = _audience(update).count()
            update.save(update_fields=["recipients"])
            audit_record(
                actor=None,
                verb=AuditVerb.UPDATE_SEND_REQUESTED,
                target=update,
                strategy=update.strategy,
                data={"confirmed": update.recipients},
            )
            enqueue_on_commit(update_deliver_task, update.pk)
        queued += 1
    return queued
