"""Writes of documents: the draft and its versions, board papers and their appendices, and packs.

Packs follow DESIGN.md's "Slow work: Celery": the Pack row is the job's truth. `pack_request`
stores it (or returns the pack already made from the same inputs) and enqueues the render on
commit; `pack_render` claims it with a conditional UPDATE that counts an attempt, renders, writes
the file under a name of its own and publishes it with a second conditional UPDATE, so only the
attempt that holds the claim can finish it; after three attempts the pack fails with its last
error; `pack_sweep` re-queues packs left queued or rendering too long.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
from datetime import date, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from core.exceptions import ApplicationError
from core.models import Organisation, Role, Strategy, Theme, User
from core.selectors import last_editor_note
from core.services import audit_record, email_queue
from engagement.models import Priority, Proposition
from evidence.models import EvidenceItem
from timeline.models import AgendaItem, BoardMembership, Meeting

from . import selectors
from .models import (
    COMMENT_MAX,
    BoardPaper,
    DraftSection,
    DraftStrategy,
    DraftVersion,
    Pack,
    PaperAppendix,
    ReviewComment,
    ReviewInvitation,
    ReviewWindow,
)
from .render import pack_pdf
from .rules import can_write, reviewer_organisation_id

logger = logging.getLogger(__name__)

MAX_APPENDIX_BYTES = 20 * 1024 * 1024


def _clean(instance: Any, **kwargs: Any) -> None:
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        fields = list(error.message_dict) if hasattr(error, "error_dict") else []
        raise ApplicationError(" ".join(error.messages), field=fields[0] if fields else None) from error


# The draft ------------------------------------------------------------------------------------


def draft_create(*, actor: User, strategy: Strategy) -> DraftStrategy:
    """Start the draft with the usual sections: an introduction, one per foundation, one per grand
    challenge, priorities and implementation. Officers rename, add and reorder them."""
    with transaction.atomic():
        if DraftStrategy.objects.filter(strategy=strategy).exists():
            raise ApplicationError("This strategy already has a draft. Open it from the documents page.")
        draft = DraftStrategy(strategy=strategy, title=f"{strategy.name}: draft")
        _clean(draft)
        draft.save()
        titles: list[tuple[str, Theme | None]] = [("Introduction", None)]
        themes = list(Theme.objects.order_by("kind", "order"))
        titles += [(t.name, t) for t in themes if t.kind == Theme.Kind.FOUNDATION]
        titles += [(t.name, t) for t in themes if t.kind == Theme.Kind.GRAND_CHALLENGE]
        titles += [("Priorities", None), ("Implementation", None)]
        DraftSection.objects.bulk_create(
            DraftSection(draft=draft, order=n, title=title, theme=theme, updated_by=actor)
            for n, (title, theme) in enumerate(titles, start=1)
        )
        audit_record(actor=actor, verb="draft.created", target=draft, strategy=strategy)
    return draft


def draft_section_save(
    *, actor: User, section: DraftSection, title: str, body: str, expected_version: int
) -> DraftSection:
    """Save a section if nobody has saved it since `expected_version` was read; otherwise refuse,
    so the later save never overwrites the earlier one (the view shows both texts)."""
    with transaction.atomic():
        section.title, section.body = title.strip(), body
        _clean(section, exclude=["draft", "version"])
        saved = DraftSection.objects.filter(pk=section.pk, version=expected_version).update(
            title=section.title, body=body, version=F("version") + 1, updated_by=actor, updated_at=timezone.now()
        )
        if not saved:
            current = DraftSection.objects.select_related("updated_by").get(pk=section.pk)
            who = current.updated_by.name if current.updated_by else "someone"
            raise ApplicationError(
                f"{who} saved this section while you were editing it. Their text is shown below; "
                "copy what you need from yours into it, then save again.",
                field="body",
            )
        audit_record(actor=actor, verb="draft.section_saved", target=section, strategy=section.draft.strategy)
    section.refresh_from_db()
    return section


def draft_version_save(*, actor: User, draft: DraftStrategy, note: str) -> DraftVersion:
    """Snapshot the whole draft as the next numbered version, with a note."""
    if not note.strip():
        raise ApplicationError("Enter a note saying what changed in this version.", field="note")
    with transaction.atomic():
        locked = DraftStrategy.objects.select_for_update().get(pk=draft.pk)
        last = DraftVersion.objects.filter(draft=locked).order_by("-number").values_list("number", flat=True).first()
        version = DraftVersion(
            draft=locked,
            number=(last or 0) + 1,
            note=note.strip(),
            status=locked.status,
            sections=[_snapshot(s) for s in selectors.section_list_with_links(draft=locked)],
            created_by=actor,
        )
        _clean(version)
        version.save()
        audit_record(
            actor=actor,
            verb="draft.version_saved",
            target=version,
            strategy=locked.strategy,
            data={"number": version.number},
        )
    return version


def _snapshot(section: DraftSection) -> dict[str, Any]:
    """A section as a version keeps it: its text and what it draws on, by id and title."""
    return {
        "id": section.pk,
        "title": section.title,
        "body": section.body,
        "evidence": [{"id": e.pk, "title": e.title, "sharing": e.sharing} for e in section.evidence_items.all()],
        "priorities": [
            {"id": p.pk, "title": p.title, "organisation": p.organisation.name} for p in section.priorities.all()
        ],
        "propositions": [{"id": p.pk, "title": p.title, "status": p.status} for p in section.propositions.all()],
    }


def draft_section_links_set(
    *,
    actor: User,
    section: DraftSection,
    evidence_item_ids: list[int],
    priority_ids: list[int],
    proposition_ids: list[int] | None = None,
) -> DraftSection:
    """Set the evidence items, priorities and propositions a section draws on: items and
    propositions of the section's strategy only, and priorities submitted to one of its calls (not
    drafts, withdrawn or hidden ones). `proposition_ids=None` leaves the propositions as they are."""
    strategy = section.draft.strategy
    evidence_ids, priority_id_set = set(evidence_item_ids), set(priority_ids)
    proposition_id_set = None if proposition_ids is None else set(proposition_ids)
    with transaction.atomic():
        items = list(EvidenceItem.objects.filter(strategy=strategy, pk__in=evidence_ids))
        if len(items) != len(evidence_ids):
            raise ApplicationError("Choose evidence items of this strategy.", field="evidence_items")
        priorities = list(
            Priority.objects.filter(
                call__strategy=strategy, pk__in=priority_id_set, status=Priority.Status.SUBMITTED, is_hidden=False
            )
        )
        if len(priorities) != len(priority_id_set):
            raise ApplicationError(
                "Choose priorities submitted to this strategy's calls (not drafts, withdrawn or hidden ones).",
                field="priorities",
            )
        if proposition_id_set is not None:
            propositions = list(Proposition.objects.filter(strategy=strategy, pk__in=proposition_id_set))
            if len(propositions) != len(proposition_id_set):
                raise ApplicationError("Choose propositions of this strategy.", field="propositions")
            section.propositions.set(propositions)
        section.evidence_items.set(items)
        section.priorities.set(priorities)
        data: dict[str, Any] = {"evidence": sorted(evidence_ids), "priorities": sorted(priority_id_set)}
        if proposition_id_set is not None:
            data["propositions"] = sorted(proposition_id_set)
        audit_record(actor=actor, verb="draft.section_linked", target=section, strategy=strategy, data=data)
    return section


def draft_status_set(*, actor: User, draft: DraftStrategy, status: str) -> DraftStrategy:
    if status not in DraftStrategy.Status.values:
        raise ApplicationError("Choose a status for the draft.", field="status")
    with transaction.atomic():
        old = draft.status
        draft.status = status
        draft.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            verb="draft.status_set",
            target=draft,
            strategy=draft.strategy,
            data={"from": old, "to": status},
        )
    return draft


# Review windows -------------------------------------------------------------------------------


def review_window_open(
    *,
    actor: User,
    draft: DraftStrategy,
    version: DraftVersion,
    organisations: list[Organisation],
    closes_on: date | None = None,
) -> ReviewWindow:
    """Open `version` for comment by the councillors and partners of `organisations`, chosen among
    the strategy's partners, until `closes_on` (the date the invitation gives; officers still close
    the window themselves). A draft has one open window at a time. Each invited person is emailed
    once, on commit (`review_invitations_send`)."""
    strategy = draft.strategy
    if closes_on is not None and closes_on < timezone.localdate():
        raise ApplicationError("The closing date must be today or in the future.", field="closes_on")
    if version.draft_id != draft.pk:
        raise ApplicationError("Choose a version of this draft.", field="version")
    if not organisations:
        raise ApplicationError("Choose the organisations whose people may comment.", field="organisations")
    partner_ids = set(strategy.partners.values_list("pk", flat=True))
    if any(o.pk not in partner_ids for o in organisations):
        raise ApplicationError("Choose organisations that are partners in this strategy.", field="organisations")
    with transaction.atomic():
        DraftStrategy.objects.select_for_update().get(pk=draft.pk)
        if ReviewWindow.objects.filter(draft=draft, closed_at__isnull=True).exists():
            raise ApplicationError("A review window is already open. Close it before opening another.")
        window = ReviewWindow.objects.create(draft=draft, version=version, opened_by=actor, closes_on=closes_on)
        window.organisations.set(organisations)
        audit_record(
            actor=actor,
            verb="review.opened",
            target=window,
            strategy=strategy,
            data={
                "version": version.number,
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
        audit_record(actor=actor, verb="review.closed", target=window, strategy=window.draft.strategy)
    window.refresh_from_db()
    return window


def _comment_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ApplicationError("Enter your comment.", field="body")
    if len(body) > COMMENT_MAX:
        raise ApplicationError(f"Comments must be {COMMENT_MAX:,} characters or fewer.", field="body")
    return body


def review_comment_add(*, actor: User, window: ReviewWindow, section: DraftSection, body: str) -> ReviewComment:
    """An invited reviewer's comment on a section while the window is open."""
    body = _comment_body(body)
    if section.draft_id != window.draft_id:
        raise ApplicationError("Choose a section of this draft.", field="section")
    organisation_id = reviewer_organisation_id(actor, window)
    if organisation_id is None:
        raise ApplicationError("Only people of the invited organisations may comment on this draft.")
    with transaction.atomic():
        if not ReviewWindow.objects.filter(pk=window.pk, closed_at__isnull=True).exists():
            raise ApplicationError("The review window has closed, so comments can no longer be added.")
        comment = ReviewComment(
            window=window, section=section, author=actor, organisation_id=organisation_id, body=body
        )
        _clean(comment, exclude=["parent", "resolved_by"])
        comment.save()
        audit_record(
            actor=actor,
            verb="review.commented",
            target=comment,
            strategy=window.draft.strategy,
            data={"window": window.pk, "section": section.pk},
        )
    return comment


def review_comment_reply(*, actor: User, comment: ReviewComment, body: str) -> ReviewComment:
    """An officer's reply to a comment (open or closed window: the officers answer after it closes too)."""
    body = _comment_body(body)
    strategy = comment.window.draft.strategy
    if not can_write(actor, strategy):
        raise ApplicationError("Only officers reply to comments.")
    parent = comment.parent or comment
    with transaction.atomic():
        reply = ReviewComment.objects.create(
            window=parent.window, section=parent.section, parent=parent, author=actor, body=body
        )
        audit_record(actor=actor, verb="review.replied", target=reply, strategy=strategy, data={"comment": parent.pk})
    return reply


def review_comment_resolve(*, actor: User, comment: ReviewComment) -> ReviewComment:
    strategy = comment.window.draft.strategy
    if not can_write(actor, strategy):
        raise ApplicationError("Only officers resolve comments.")
    if comment.parent_id is not None:
        raise ApplicationError("Resolve the comment, not a reply to it.")
    with transaction.atomic():
        resolved = ReviewComment.objects.filter(pk=comment.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=actor
        )
        if not resolved:
            raise ApplicationError("This comment is already resolved.")
        audit_record(actor=actor, verb="review.resolved", target=comment, strategy=strategy)
    comment.refresh_from_db()
    return comment


# Board papers ---------------------------------------------------------------------------------

PAPER_FIELDS = (
    "title",
    "author",
    "purpose",
    "recommendations",
    "decision_required",
    "financial_implications",
    "legal_implications",
    "risk_implications",
    "body",
    "is_exempt",
    "exempt_paragraph",
    "public_interest_reason",
)


def board_paper_save(
    *, actor: User, agenda_item: AgendaItem, data: dict[str, Any], expected_version: int | None
) -> BoardPaper:
    """Create or update the paper of an agenda item. A save based on an older version is refused."""
    with transaction.atomic():
        paper = BoardPaper.objects.select_for_update().filter(agenda_item=agenda_item).first()
        if paper is None:
            paper = BoardPaper(agenda_item=agenda_item)
        elif expected_version is not None and paper.version != expected_version:
            by = last_editor_note(app_label="documents", model="boardpaper", pk=paper.pk)
            raise ApplicationError(
                f"Someone saved this paper{by} while you were editing it. Open it again to see their changes."
            )
        else:
            paper.version += 1
        for name in PAPER_FIELDS:
            if name in data:
                setattr(paper, name, data[name])
        if not paper.is_exempt:
            paper.exempt_paragraph, paper.public_interest_reason = "", ""
        _clean(paper)
        paper.save()
        audit_record(
            actor=actor,
            verb="paper.saved",
            target=paper,
            strategy=agenda_item.meeting.board.strategy,
            data={"version": paper.version, "exempt": paper.is_exempt},
        )
    return paper


def paper_appendix_add(*, actor: User, paper: BoardPaper, title: str, upload: UploadedFile) -> PaperAppendix:
    """Attach an uploaded PDF to a paper, after checking it is a PDF pypdf can read."""
    if upload.size is not None and upload.size > MAX_APPENDIX_BYTES:
        raise ApplicationError("The appendix must be smaller than 20 MB.", field="file")
    data = upload.read()
    if not data.startswith(b"%PDF"):
        raise ApplicationError("The appendix must be a PDF file.", field="file")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ApplicationError(
                "The appendix is password-protected. Upload a copy without a password.", field="file"
            )
        pages = len(reader.pages)
    except (PdfReadError, ValueError, KeyError) as error:
        raise ApplicationError(
            "The appendix could not be read as a PDF. Save it again as PDF and upload it.", field="file"
        ) from error
    if pages == 0:
        raise ApplicationError("The appendix has no pages.", field="file")
    with transaction.atomic():
        order = (paper.appendices.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        appendix = PaperAppendix(
            paper=paper, order=order, title=title.strip(), sha256=hashlib.sha256(data).hexdigest(), page_count=pages
        )
        appendix.file.save("appendix.pdf", ContentFile(data), save=False)
        _clean(appendix)
        appendix.save()
        BoardPaper.objects.filter(pk=paper.pk).update(version=F("version") + 1, updated_at=timezone.now())
        audit_record(
            actor=actor,
            verb="paper.appendix_added",
            target=appendix,
            strategy=paper.agenda_item.meeting.board.strategy,
            data={"pages": pages},
        )
    return appendix


# Packs ----------------------------------------------------------------------------------------


def _enqueue(pack_id: int, *, countdown: int = 0) -> None:
    """Send the render task once the transaction commits (after `countdown` seconds: the backoff
    between failed attempts, kept far below the broker's visibility timeout)."""
    from .tasks import pack_render as pack_render_task

    transaction.on_commit(lambda: pack_render_task.apply_async((pack_id,), countdown=countdown))


def pack_request(
    *,
    actor: User,
    strategy: Strategy,
    kind: str,
    meeting: Meeting | None = None,
    draft_version: DraftVersion | None = None,
) -> tuple[Pack, bool]:
    """Ask for a pack. Returns (pack, created): when a pack was already made (or is being made)
    from exactly the same inputs, that pack, and nothing is rendered again."""
    if kind not in Pack.Kind.values:
        raise ApplicationError("Choose the kind of pack.", field="kind")
    if kind == Pack.Kind.DRAFT:
        if draft_version is None:
            raise ApplicationError("Choose the version of the draft to render.", field="draft_version")
        meeting = None
    elif meeting is None:
        raise ApplicationError("Choose the meeting the pack is for.", field="meeting")
    if meeting is not None and meeting.board.strategy_id != strategy.pk:
        raise ApplicationError("That meeting belongs to another strategy.", field="meeting")
    if draft_version is not None and draft_version.draft.strategy_id != strategy.pk:
        raise ApplicationError("That version belongs to another strategy's draft.", field="draft_version")
    if meeting is not None and not AgendaItem.objects.filter(meeting=meeting).exists():
        raise ApplicationError("The meeting has no agenda yet. Add its agenda items before requesting a pack.")
    inputs, fingerprint = selectors.pack_inputs(
        strategy=strategy, kind=kind, meeting=meeting, draft_version=draft_version
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
            _clean(pack, exclude=["file"])
            _enqueue(pack.pk)
        audit_record(
            actor=actor, verb="pack.requested", target=pack, strategy=strategy, data={"kind": kind, "new": created}
        )
    return pack, created


def pack_retry(*, actor: User, pack: Pack) -> Pack:
    """Queue a failed pack again, with its attempts counted afresh."""
    with transaction.atomic():
        retried = Pack.objects.filter(pk=pack.pk, status=Pack.Status.FAILED).update(
            status=Pack.Status.QUEUED, attempts=0, progress=0, error="", claimed_at=None, created_at=timezone.now()
        )
        if not retried:
            raise ApplicationError("Only a pack that failed can be tried again.")
        audit_record(actor=actor, verb="pack.retried", target=pack, strategy=pack.strategy)
        _enqueue(pack.pk)
    pack.refresh_from_db()
    return pack


def _claim(pack_id: int) -> int | None:
    """Take the pack for this attempt with one conditional UPDATE; the attempt number, or None
    when it is not ours to render (done, failed, or being rendered by a live worker)."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.DOCUMENTS_PACK_STALE_SECONDS)
    claimable = Q(status=Pack.Status.QUEUED) | Q(status=Pack.Status.RENDERING, claimed_at__lt=stale)
    claimed = Pack.objects.filter(claimable, pk=pack_id, attempts__lt=Pack.MAX_ATTEMPTS).update(
        status=Pack.Status.RENDERING, attempts=F("attempts") + 1, claimed_at=now, progress=0
    )
    if not claimed:
        # A render that killed its worker three times: fail it now rather than wait for the sweep.
        Pack.objects.filter(claimable, pk=pack_id, attempts__gte=Pack.MAX_ATTEMPTS).update(
            status=Pack.Status.FAILED, finished_at=now, error=_GAVE_UP
        )
        return None
    return int(Pack.objects.values_list("attempts", flat=True).get(pk=pack_id))


_GAVE_UP = (
    "The pack stopped rendering three times (its worker was stopped or ran out of memory). "
    "Check the appendices are ordinary PDFs of a reasonable size, then try again."
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


def _progress(pack_id: int, attempt: int) -> Any:
    def report(per_cent: int) -> None:
        Pack.objects.filter(pk=pack_id, status=Pack.Status.RENDERING, attempts=attempt).update(progress=per_cent)

    return report


def pack_render(*, pack_id: int) -> str:
    """Render a pack (the Celery task's body). Idempotent: a pack already ready, failed, or
    being rendered by a live worker is left alone ("skipped")."""
    attempt = _claim(pack_id)
    if attempt is None:
        return "skipped"
    pack = Pack.objects.select_related("strategy__lead", "meeting__board__strategy", "draft_version__draft").get(
        pk=pack_id
    )
    try:
        rendered = pack_pdf(selectors.pack_source(pack=pack), on_progress=_progress(pack_id, attempt))
    except SoftTimeLimitExceeded:
        return _render_failed(
            pack,
            attempt,
            "The pack took too long to render. Remove or shrink large appendices, then try again.",
            retry=False,
        )
    except Exception as error:
        logger.exception("Pack %s: attempt %s failed", pack_id, attempt)
        return _render_failed(
            pack,
            attempt,
            f"The pack could not be rendered ({type(error).__name__}: {error}). "
            "Check the papers and their appendices, then try again.",
            retry=True,
        )
    digest = hashlib.sha256(rendered.pdf).hexdigest()
    name = _store(f"documents/packs/{pack.strategy.slug}/{pack.pk}-{attempt}-{digest[:16]}.pdf", rendered.pdf)
    with transaction.atomic():
        published = Pack.objects.filter(pk=pack_id, status=Pack.Status.RENDERING, attempts=attempt).update(
            status=Pack.Status.READY,
            file=name,
            sha256=digest,
            page_count=rendered.page_count,
            progress=100,
            error="",
            finished_at=timezone.now(),
        )
        if not published:
            # Another attempt took the pack over (ours was too slow): leave it theirs.
            transaction.on_commit(lambda: default_storage.delete(name))
            return "superseded"
        pack.refresh_from_db()
        audit_record(
            actor=None,
            verb="pack.ready",
            target=pack,
            strategy=pack.strategy,
            data={"sha256": digest, "pages": rendered.page_count, "attempt": attempt},
        )
        _email_ready(pack)
    return "ready"


def _render_failed(pack: Pack, attempt: int, message: str, *, retry: bool) -> str:
    final = attempt >= Pack.MAX_ATTEMPTS or not retry
    with transaction.atomic():
        updated = Pack.objects.filter(pk=pack.pk, status=Pack.Status.RENDERING, attempts=attempt).update(
            status=Pack.Status.FAILED if final else Pack.Status.QUEUED,
            error=message,
            finished_at=timezone.now() if final else None,
        )
        if updated and final:
            audit_record(actor=None, verb="pack.failed", target=pack, strategy=pack.strategy, data={"error": message})
        if updated and not final:
            _enqueue(pack.pk, countdown=settings.DOCUMENTS_PACK_RETRY_SECONDS * 2 ** (attempt - 1))
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
        email_queue(to=person.email, subject=f"{pack.get_kind_display()} ready: {pack}", body=body)


def pack_sweep(*, older_than: timedelta | None = None) -> int:
    """Queue again the packs left queued or rendering too long (a lost message, a killed worker);
    fail those that have used their attempts. Returns how many were queued again."""
    cutoff = timezone.now() - (older_than or timedelta(seconds=settings.DOCUMENTS_PACK_STALE_SECONDS))
    stale = (
        Q(status=Pack.Status.QUEUED, claimed_at__isnull=True, created_at__lt=cutoff)
        | Q(status=Pack.Status.QUEUED, claimed_at__lt=cutoff)
        | Q(status=Pack.Status.RENDERING, claimed_at__lt=cutoff)
    )
    Pack.objects.filter(stale, attempts__gte=Pack.MAX_ATTEMPTS).update(
        status=Pack.Status.FAILED, error=_GAVE_UP, finished_at=timezone.now()
    )
    from .tasks import pack_render as pack_render_task

    ids = list(Pack.objects.filter(stale).values_list("pk", flat=True))
    for pack_id in ids:
        pack_render_task.delay(pack_id)
    return len(ids)


def pack_download_record(*, actor: User, pack: Pack) -> None:
    """Each download is an audit event."""
    if pack.status != Pack.Status.READY:
        raise ApplicationError("The pack is not ready yet.")
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb="pack.downloaded",
            target=pack,
            strategy=pack.strategy,
            data={"sha256": pack.sha256, "kind": pack.kind},
        )


# Review invitations ---------------------------------------------------------------------------


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
            )
            audit_record(actor=None, verb="review.invited", target=window, strategy=strategy, data={"to": person.pk})
            sent += 1
    return sent


def _day(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""
