"""What a consultation consults on, engagement's part: the propositions (an edit on the
consultation's version, through core/editing.py) and the uploaded PDFs. The draft version is
documents' (documents/services/consulted.py)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from core.audit import AuditVerb
from core.editing import refuse_if_stale, save_new_version, validate
from core.exceptions import ApplicationError
from core.models import User
from core.services import audit_record
from evidence.uploads import detect_file_type

from ..models import Consultation, ConsultationDocument, Proposition
from ..models.common import TITLE_MAX
from .common import _relation_display


def consultation_propositions_set(
    *, actor: User, consultation: Consultation, propositions: Sequence[Proposition], version: int
) -> Consultation:
    """Consult on exactly `propositions` (of the consultation's strategy, not dropped), as an edit
    made on the consultation's `version`: refused with theirs and yours if someone saved it since."""
    with transaction.atomic():
        current = Consultation.objects.select_for_update().select_related("strategy").get(pk=consultation.pk)
        before = list(current.propositions.all())
        chosen = list(propositions)
        refuse_if_stale(
            current,
            version=version,
            noun="consultation",
            saved={"propositions": before},
            yours={"propositions": chosen},
            label=lambda name: "Propositions consulted on",
            display=lambda name, value: _relation_display(value),
        )
        before_ids = {p.pk for p in before}
        for proposition in chosen:
            if proposition.strategy_id != current.strategy_id:
                raise ApplicationError("Choose propositions of this strategy.", field="propositions")
            if proposition.status == Proposition.Status.DROPPED and proposition.pk not in before_ids:
                raise ApplicationError(
                    f"“{proposition.title}” has been dropped. Choose emerging or agreed propositions.",
                    field="propositions",
                )
        chosen_ids = {p.pk for p in chosen}
        current.propositions.set(chosen)
        save_new_version(current)
        added = sorted(p.title for p in chosen if p.pk not in before_ids)
        removed = sorted(p.title for p in before if p.pk not in chosen_ids)
        if added or removed:
            audit_record(
                actor=actor,
                verb=AuditVerb.CONSULTATION_PROPOSITIONS_SET,
                target=current,
                strategy=current.strategy,
                data={"added": added or "none", "removed": removed or "none"},
            )
    return current


def _pdf_bytes(upload: UploadedFile) -> bytes:
    """The upload's content if it is a PDF within the evidence uploads' limit (evidence/uploads.py,
    the one check of uploaded files, judged by content: ADR 23)."""
    name = upload.name or "document"
    if not name.lower().endswith(".pdf"):
        raise ApplicationError(f"“{name}” is not a PDF. Upload the document as a PDF.", field="file")
    detect_file_type(name, upload.size or 0, upload.file)  # type: ignore[arg-type]
    upload.seek(0)
    data: bytes = upload.read()
    return data


def consultation_document_add(
    *, actor: User, consultation: Consultation, title: str, upload: UploadedFile
) -> ConsultationDocument:
    """Attach an uploaded PDF for people to read before they respond."""
    title = " ".join(title.split())
    if not title:
        raise ApplicationError("Enter the title of the document", field="title")
    if len(title) > TITLE_MAX:
        raise ApplicationError(f"The title must be {TITLE_MAX} characters or fewer", field="title")
    data = _pdf_bytes(upload)
    name = (upload.name or "document.pdf")[-200:]
    with transaction.atomic():
        document = ConsultationDocument(
            consultation=consultation,
            title=title,
            file_name=name,
            file_size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor,
        )
        document.file.save("document.pdf", ContentFile(data), save=False)
        try:
            validate(document)
            document.save()
        except ApplicationError:
            document.file.delete(save=False)
            raise
        audit_record(
            actor=actor,
            verb=AuditVerb.CONSULTATION_DOCUMENT_ADDED,
            target=consultation,
            strategy=consultation.strategy,
            data={"title": title, "file": name, "document": document.pk},
        )
    return document


def consultation_document_remove(*, actor: User, document: ConsultationDocument) -> None:
    """Remove an uploaded document; its file goes once the removal is committed."""
    consultation = document.consultation
    with transaction.atomic():
        name = document.file.name
        title = document.title
        ConsultationDocument.objects.filter(pk=document.pk).delete()
        audit_record(
            actor=actor,
            verb=AuditVerb.CONSULTATION_DOCUMENT_REMOVED,
            target=consultation,
            strategy=consultation.strategy,
            data={"title": title},
        )
        storage = document.file.storage
        transaction.on_commit(lambda: storage.delete(name))
