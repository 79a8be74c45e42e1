"""The draft version a consultation consults on, as engagement's consultation pages list it
(registered into engagement/consulted.py from DocumentsConfig.ready): its title, when it was saved,
and a link to its read-only page, which everyone who may read the consultation may open."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from engagement.consulted import ConsultedEditor, ConsultedItem
from engagement.models import Consultation

from .models import ConsultedVersion, DraftVersion

EDITOR = ConsultedEditor(text="Choose the draft version", url_name="documents:consulted-draft-set")


def consulted_version(*, consultation: Consultation) -> DraftVersion | None:
    link = ConsultedVersion.objects.select_related("version__draft").filter(consultation=consultation).first()
    return link.version if link is not None else None


def consulted_version_items(consultation: Consultation, user: Any) -> list[ConsultedItem]:
    version = consulted_version(consultation=consultation)
    if version is None:
        return []
    url = reverse(
        "documents:consulted-draft", kwargs={"strategy_slug": consultation.strategy.slug, "pk": consultation.pk}
    )
    return [
        ConsultedItem(
            kind="draft",
            title=f"{version.draft.title}: draft version {version.number}",
            detail=f"{version.note}. Saved on {version.created_at:%-d %B %Y}; read it in your browser.",
            url=url,
        )
    ]
