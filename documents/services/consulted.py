"""The draft version a consultation consults on (documents' part of "What we are consulting on";
engagement/services/consulted.py holds the propositions and uploaded PDFs). Linking a version
publishes its read-only page to whoever may read the consultation, for as long as it is linked."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.audit import AuditVerb
from core.exceptions import ApplicationError
from core.models import User
from core.services import audit_record
from engagement.models import Consultation

from ..models import ConsultedVersion, DraftVersion


def consultation_version_set(
    *, actor: User, consultation: Consultation, version: DraftVersion | None
) -> ConsultedVersion | None:
    """Consult on `version` of the strategy's draft, or on no version (None)."""
    with transaction.atomic():
        current = Consultation.objects.select_for_update().select_related("strategy").get(pk=consultation.pk)
        link = ConsultedVersion.objects.select_related("version").filter(consultation=current).first()
        if version is None:
            if link is not None:
                number = link.version.number
                link.delete()
                audit_record(
                    actor=actor,
                    verb=AuditVerb.CONSULTATION_DRAFT_VERSION_CLEARED,
                    target=current,
                    strategy=current.strategy,
                    data={"number": number},
                )
            return None
        if version.draft.strategy_id != current.strategy_id:
            raise ApplicationError("Choose a version of this strategy’s draft.", field="version")
        if link is not None and link.version_id == version.pk:
            return link
        link = link or ConsultedVersion(consultation=current)
        link.version, link.linked_by, link.linked_at = version, actor, timezone.now()
        link.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.CONSULTATION_DRAFT_VERSION_SET,
            target=current,
            strategy=current.strategy,
            data={"number": version.number, "version": version.pk},
        )
    return link
