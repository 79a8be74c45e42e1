"""What a consultation consults on, as its pages list it under "What we are consulting on": the
draft version (documents'), the propositions and the uploaded documents (engagement's own).

The draft lives above engagement, so engagement defines the hook and documents registers into it
from its AppConfig.ready (as engagement/trail.py), keeping the import graph one-way (ADR 5):
a provider gives the items a person may see, an editor the officer's page that changes them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from .models import Consultation, ConsultationDocument
from .rules import can_manage


@dataclass(frozen=True)
class ConsultedItem:
    """One thing consulted on: its title, a line about it, and where to read or download it (no
    `url`: listed without a link, `detail` saying what it is)."""

    kind: str  # "draft", "proposition" or "document"
    title: str
    detail: str = ""
    url: str = ""
    download: bool = False


@dataclass(frozen=True)
class ConsultedEditor:
    """An officer's page that changes what the consultation consults on, from a higher app."""

    text: str
    url_name: str


ConsultedProvider = Callable[[Consultation, Any], list[ConsultedItem]]
CONSULTED: list[ConsultedProvider] = []
CONSULTED_EDITORS: list[ConsultedEditor] = []


def register_consulted(provider: ConsultedProvider, *, editor: ConsultedEditor | None = None) -> None:
    """Called by a higher app's AppConfig.ready; registering twice (a reload) adds nothing."""
    if provider not in CONSULTED:
        CONSULTED.append(provider)
    if editor is not None and editor not in CONSULTED_EDITORS:
        CONSULTED_EDITORS.append(editor)


def _url(name: str, consultation: Consultation, pk: int) -> str:
    return reverse(f"engagement:{name}", kwargs={"strategy_slug": consultation.strategy.slug, "pk": pk})


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(size // 1024, 1)} KB"


def consulted_documents(*, consultation: Consultation) -> list[ConsultationDocument]:
    return list(consultation.documents.order_by("created_at", "pk"))


def consulted_items(*, consultation: Consultation, user: Any) -> list[ConsultedItem]:
    """Everything the consultation consults on that `user` (who may read the consultation) may
    see: the registered apps' items (the draft version) first, then the propositions, then the
    uploaded PDFs. Propositions have no public page: officers get a link, others their summary."""
    items: list[ConsultedItem] = []
    for provider in CONSULTED:
        items.extend(provider(consultation, user))
    officer = bool(can_manage(user, consultation.strategy))
    for proposition in consultation.propositions.order_by("title", "pk"):
        items.append(
            ConsultedItem(
                kind="proposition",
                title=f"Proposition: {proposition.title}",
                detail=proposition.description,
                url=_url("proposition-detail", consultation, proposition.pk) if officer else "",
            )
        )
    for document in consulted_documents(consultation=consultation):
        items.append(
            ConsultedItem(
                kind="document",
                title=document.title,
                detail=f"PDF, {_size(document.file_size)}",
                url=_url("consultation-document", consultation, document.pk),
                download=True,
            )
        )
    return items


def consulted_editors(*, consultation: Consultation) -> list[tuple[str, str]]:
    """The higher apps' officer pages for this consultation, as (link text, address)."""
    kwargs = {"strategy_slug": consultation.strategy.slug, "pk": consultation.pk}
    return [(editor.text, reverse(editor.url_name, kwargs=kwargs)) for editor in CONSULTED_EDITORS]
