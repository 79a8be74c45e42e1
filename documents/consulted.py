"""The draft version a consultation consults on, as engagement's consultation pages list it
(registered into engagement/consulted.py from DocumentsConfig.ready): its title, when it was saved,
and a link to its read-only page, which everyone who may read the consultation may open."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from core.text import full_stop
from engagement.consulted import ConsultedEditor, ConsultedItem
from engagement.models import Consultation

from .models import ConsultedVersion, DraftVersion

EDITOR = ConsultedEditor(text="Choose the draft version", url_name="documents:consulted-draft-set")


def consulted_version(*, consultation: Consultation) -> DraftVersion | None:
    link = ConsultedVersion.objects.select_related("version__draft").filter(consultation=consultation).first()
    return link.version if link is not None else None


def version_title(version: DraftVersion) -> str:
    """ "South East Strategy: draft, version 2", not "…: draft: draft version 2" when the draft's
    title already says it is a draft."""
    title = version.draft.title
    if "draft" in title.casefold():
        return f"{title}, version {version.number}"
    return f"{title}: draft version {version.number}"


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
            title=version_title(version),
            detail=f"{full_stop(version.note)} Saved on {version.created_at:%-d %B %Y}; read it in your browser.",
            url=url,
        )
    ]
