"""Writes of board papers: the paper of an agenda item (created on first save, a save based on an
older version refused) and its PDF appendices."""

from __future__ import annotations

import hashlib
import io
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from core.audit import AuditVerb
from core.editing import refuse_if_stale, save_new_version, validate
from core.exceptions import ApplicationError
from core.models import User
from core.services import audit_record
from timeline.models import AgendaItem

from ..models import BoardPaper, PaperAppendix
from ..render import Rendered, paper_pdf

MAX_APPENDIX_BYTES = 20 * 1024 * 1024


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


def _paper_display(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return "" if value is None else str(value)


def board_paper_save(*, actor: User, agenda_item: AgendaItem, data: dict[str, Any], version: int | None) -> BoardPaper:
    """Write the paper of an agenda item: created on its first save; after that an edit made on
    `version` of it, refused with what changed if someone saved it since (core/editing.py). A form
    opened before the paper existed carries no version, so if a colleague wrote the paper meanwhile
    that save is refused too, never laid over theirs."""
    with transaction.atomic():
        paper = BoardPaper.objects.select_for_update().filter(agenda_item=agenda_item).first()
        if paper is None:
            paper = BoardPaper(agenda_item=agenda_item)
        else:
            refuse_if_stale(
                paper,
                version=version or 0,
                noun="paper",
                saved={name: getattr(paper, name) for name in PAPER_FIELDS},
                yours={name: data[name] for name in PAPER_FIELDS if name in data},
                display=_paper_display,
            )
        for name in PAPER_FIELDS:
            if name in data:
                setattr(paper, name, data[name])
        if not paper.is_exempt:
            paper.exempt_paragraph, paper.public_interest_reason = "", ""
        validate(paper, exclude=["version"])
        if paper._state.adding:
            paper.save()
        else:
            save_new_version(paper)
        audit_record(
            actor=actor,
            verb=AuditVerb.PAPER_SAVED,
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
        validate(appendix)
        appendix.save()
        BoardPaper.objects.filter(pk=paper.pk).update(version=F("version") + 1, updated_at=timezone.now())
        audit_record(
            actor=actor,
            verb=AuditVerb.PAPER_APPENDIX_ADDED,
            target=appendix,
            strategy=paper.agenda_item.meeting.board.strategy,
            data={"pages": pages},
        )
    return appendix


def paper_pdf_get(*, actor: User | None, paper: BoardPaper) -> Rendered:
    """The paper (with its appendices' pages) as its own PDF, rendered on request: a typical
    paper takes well under the two seconds that would call for a cache (docs/documents.md).
    Each download by a signed-in person is an audit event, naming the version downloaded; a
    signed-out visitor's (`actor` None, a published paper) is not recorded."""
    meeting = paper.agenda_item.meeting
    rendered = paper_pdf(paper, author=meeting.board.strategy.lead.name)
    if actor is None:
        return rendered
    audit_record(
        actor=actor,
        verb=AuditVerb.PAPER_DOWNLOADED,
        target=paper,
        strategy=meeting.board.strategy,
        data={"version": paper.version, "exempt": paper.is_exempt, "pages": rendered.page_count},
    )
    return rendered
