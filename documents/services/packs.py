"""Writes of packs, following docs/design.md's "Slow work: Celery": the Pack row is the job's truth.
`pack_request` stores it (or returns the pack already made from the same inputs) and enqueues the
render on commit; `pack_render` claims it (core.claims: an attempt counted, a short lease renewed by
a heartbeat while it renders), writes the file under a name of its own and publishes it only while
it holds the claim; after three attempts the pack fails with its last error. A render whose worker
stopped is taken over once its lease runs out, by the redelivered task or by `pack_sweep`."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from datetime import timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core import claims
from core.audit import AuditVerb
from core.editing import validate
from core.exceptions import ApplicationError
from core.models import Strategy, User
from core.queue import enqueue, enqueue_on_commit
from core.services import audit_record, email_queue
from timeline.models import AgendaItem, BoardMembership, Meeting

from .. import selectors
from ..models import DraftVersion, Pack
from ..render import pack_pdf

logger = logging.getLogger(__name__)


def _enqueue(pack_id: int, *, countdown: int = 0) -> None:
    """Send the render task once the transaction commits (after `countdown` seconds: the backoff
    between failed attempts, kept far below the broker's visibility timeout)."""
    from ..tasks import pack_render as pack_render_task

    enqueue_on_commit(pack_render_task, pack_id, countdown=countdown)


def pack_request(
    *,
    actor: User,
    strategy: Strategy,
    kind: str,
    meeting: Meeting | None = None,
    draft_version: DraftVersion | None = None,
    publication: dict[str, Any] | None = None,
) -> tuple[Pack, bool]:
    """Ask for a pack. Returns (pack, created): when a pack was already made (or is being made)
    from exactly the same inputs, that pack, and nothing is rendered again. A published strategy's
    pack (asked for by services.strategy_publish) carries its edition and day in `publication`."""
    if kind not in Pack.Kind.values:
        raise ApplicationError("Choose the kind of pack.", field="kind")
    if kind in (Pack.Kind.DRAFT, Pack.Kind.PUBLISHED):
        if draft_version is None:
            raise ApplicationError("Choose the version of the draft to render.", field="draft_version")
        meeting = None
    elif meeting is None:
        raise ApplicationError("Choose the meeting the pack is for.", field="meeting")
    if meeting is not None and meeting.board.strategy_id != strategy.pk:
        raise ApplicationError("That meeting belongs to another strategy.", field="meeting")
    if draft_version is not None and draft_version.draft.strategy_id != strategy.pk:
        raise ApplicationError("That version belongs to another strategy’s draft.", field="draft_version")
    if meeting is not None and not AgendaItem.objects.filter(meeting=meeting).exists():
        raise ApplicationError("The meeting has no agenda yet. Add its agenda items before requesting a pack.")
    inputs, fingerprint = selectors.pack_inputs(
        strategy=strategy, kind=kind, meeting=meeting, draft_version=draft_version, publication=publication
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                pack, created = Pack.objects.get_or_create(
                    fingerprint=fingerprint,
                    defaults={
                        "strategy": strategy,
                        "kind": kind,
                        "meeting": meeting,
                        "draft_version": draft_version,
                        "inputs": inputs,
                        "requested_by": actor,
                    },
                )
        except IntegrityError:  # a simultaneous request made it first
            pack, created = Pack.objects.get(fingerprint=fingerprint), False
        if created:
            validate(pack, exclude=["file"])
            _enqueue(pack.pk)
        audit_record(
            actor=actor,
            verb=AuditVerb.PACK_REQUESTED,
            target=pack,
            strategy=strategy,
            data={"kind": kind, "new": created},
        )
    return pack, created


def pack_retry(*, actor: User, pack: Pack) -> Pack:
    """Queue a failed pack again, with its attempts counted afresh."""
    with transaction.atomic():
        retried = Pack.objects.filter(pk=pack.pk, status=Pack.Status.FAILED).update(
            status=Pack.Status.QUEUED,
            attempts=0,
            restarts=0,
            progress=0,
            error="",
            claimed_at=None,
            claim_token=None,
            created_at=timezone.now(),
        )
        if not retried:
            raise ApplicationError("Only a pack that failed can be tried again.")
        audit_record(actor=actor, verb=AuditVerb.PACK_RETRIED, target=pack, strategy=pack.strategy)
        _enqueue(pack.pk)
    pack.refresh_from_db()
    return pack


_GAVE_UP = (
    "The pack stopped rendering three times (its worker was stopped or ran out of memory). "
    "Check the appendices are ordinary PDFs of a reasonable size, then try again."
)
PACK_JOB = claims.Job(
    model=Pack,
    waiting=Pack.Status.QUEUED,
    working=Pack.Status.RENDERING,
    failed=Pack.Status.FAILED,
    error_field="error",
    queued_field="created_at",
    gave_up=_GAVE_UP,
    max_attempts=Pack.MAX_ATTEMPTS,
    finished_field="finished_at",
    on_claim={"progress": 0},
)


def _store(name: str, data: bytes) -> str:
    """Write the file so that no half-written file is ever visible under its final name: on
    disk, a temporary file in the same folder, flushed, then renamed; on object storage, one
    upload (which the store publishes only when complete)."""
    if isinstance(default_storage, FileSystemStorage):
        final = default_storage.path(name)
        os.makedirs(os.path.dirname(final), exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(final), prefix=".", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, final)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        return name
    return default_storage.save(name, ContentFile(data))


def _progress(claim: claims.Claim) -> Any:
    def report(per_cent: int) -> None:
        claim.check()  # a lost claim stops the render here
        Pack.objects.filter(pk=claim.pk, claim_token=claim.token).update(progress=per_cent)

    return report


def pack_render(*, pack_id: int) -> str:
    """Render a pack (the Celery task's body). Idempotent: a pack already ready or failed is left
    alone ("skipped"); one a live worker renders is looked at again when its lease would run out
    ("held"), and taken over then if that worker stopped."""
    from ..tasks import pack_render as pack_render_task

    claim = claims.claim(PACK_JOB, pack_id)
    if isinstance(claim, claims.Held):
        claims.retry_when_free(pack_render_task, pack_id, claim)
        return "held"
    if claim is None:
        return "skipped"
    pack = Pack.objects.select_related("strategy__lead", "meeting__board__strategy", "draft_version__draft").get(
        pk=pack_id
    )
    attempt = claim.attempt
    try:
        with claim.heartbeat():
            rendered = pack_pdf(selectors.pack_source(pack=pack), on_progress=_progress(claim))
            claim.check()
            digest = hashlib.sha256(rendered.pdf).hexdigest()
            name = _store(f"documents/packs/{pack.strategy.slug}/{pack.pk}-{attempt}-{digest[:16]}.pdf", rendered.pdf)
    except claims.ClaimLost:
        return "superseded"
    except SoftTimeLimitExceeded:
        return _render_failed(
            pack,
            claim,
            "The pack took too long to render. Remove or shrink large appendices, then try again.",
            retry=False,
        )
    except Exception as error:
        logger.exception("Pack %s: attempt %s failed", pack_id, attempt)
        return _render_failed(
            pack,
            claim,
            f"The pack could not be rendered ({type(error).__name__}: {error}). "
            "Check the papers and their appendices, then try again.",
            retry=True,
        )
    with transaction.atomic():
        published = claim.finish(
            status=Pack.Status.READY,
            file=name,
            sha256=digest,
            page_count=rendered.page_count,
            progress=100,
            error="",
            finished_at=timezone.now(),
        )
        if not published:
            # Another attempt took the pack over (ours stopped renewing its lease): leave it theirs.
            transaction.on_commit(lambda: default_storage.delete(name))
            return "superseded"
        pack.refresh_from_db()
        audit_record(
            actor=None,
            verb=AuditVerb.PACK_READY,
            target=pack,
            strategy=pack.strategy,
            data={"sha256": digest, "pages": rendered.page_count, "attempt": attempt},
        )
        _email_ready(pack)
    return "ready"


def _render_failed(pack: Pack, claim: claims.Claim, message: str, *, retry: bool) -> str:
    final = claim.attempt >= Pack.MAX_ATTEMPTS or not retry
    with transaction.atomic():
        updated = claim.finish(
            status=Pack.Status.FAILED if final else Pack.Status.QUEUED,
            error=message,
            finished_at=timezone.now() if final else None,
        )
        if updated and final:
            audit_record(
                actor=None, verb=AuditVerb.PACK_FAILED, target=pack, strategy=pack.strategy, data={"error": message}
            )
        if updated and not final:
            _enqueue(pack.pk, countdown=settings.DOCUMENTS_PACK_RETRY_SECONDS * 2 ** (claim.attempt - 1))
    return "failed" if final else "requeued"


def _email_ready(pack: Pack) -> None:
    """Tell the people the pack is for: the meeting's board for a members' pack, the person who
    asked for any other."""
    url = settings.SITE_URL.rstrip("/") + reverse(
        "documents:pack-detail", kwargs={"strategy_slug": pack.strategy.slug, "pk": pack.pk}
    )
    if pack.kind == Pack.Kind.MEMBERS and pack.meeting is not None:
        people = [
            m.user
            for m in BoardMembership.objects.filter(board=pack.meeting.board).select_related("user")
            if m.user.is_active
        ]
    else:
        people = [pack.requested_by] if pack.requested_by else []
    for person in people:
        body = render_to_string("documents/email/pack_ready.txt", {"pack": pack, "person": person, "url": url})
        email_queue(
            to=person.email, subject=f"{pack.get_kind_display()} ready: {pack}", body=body, strategy=pack.strategy
        )


def pack_sweep(*, older_than: timedelta = timedelta(minutes=10)) -> int:
    """Queue again the packs nobody is rendering: queued longer than `older_than` (a message lost), or
    held by a worker that stopped (core.claims.sweep); fail those that have used their attempts.
    Returns how many were queued again."""
    from ..tasks import pack_render as pack_render_task

    return claims.sweep(PACK_JOB, queued_before=older_than, enqueue=lambda pk: enqueue(pack_render_task, pk))


def pack_download_record(*, actor: User, pack: Pack) -> None:
    """Each download is an audit event."""
    if pack.status != Pack.Status.READY:
        raise ApplicationError("The pack is not ready yet.")
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb=AuditVerb.PACK_DOWNLOADED,
            target=pack,
            strategy=pack.strategy,
            data={"sha256": pack.sha256, "kind": pack.kind},
        )
