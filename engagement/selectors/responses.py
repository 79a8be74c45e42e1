"""Reads of the responses to consultations: an organisation's, the officer's list and export, a
response's history, and what public and offline responses need (docs/adr/0041).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from core.models import Organisation, Strategy, Theme
from core.selectors import audit_event_list_for_record

from ..models import Consultation, ConsultationResponse, Tag
from ..rules import council_ids_of, partner_org_ids_of
from .common import EXPORT_CHUNK


def response_list_for_organisations(*, strategy: Strategy, user: Any) -> QuerySet[ConsultationResponse]:
    """Every response of the organisations a person may respond for, in the consultations addressed to them."""
    councils, partners = council_ids_of(user, strategy), partner_org_ids_of(user, strategy)
    mine = Q(organisation_id__in=councils, consultation__audience__in=["councillors", "public"]) | Q(
        organisation_id__in=partners, consultation__audience__in=["partners", "public"]
    )
    return (
        ConsultationResponse.objects.filter(mine, consultation__strategy=strategy)
        .select_related("consultation__strategy", "organisation", "last_saved_by", "submitted_by", "entered_by")
        .order_by("-consultation__opens_at", "consultation_id", "organisation__name", "pk")
    )


@dataclass(frozen=True)
class ResponseFilters:
    organisation_kind: str = ""
    theme_id: int | None = None
    tag_id: int | None = None
    coded: str = ""
    replied: str = ""
    hidden: str = ""

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v not in ("", None)}


def response_list_for_consultation(
    *, consultation: Consultation, filters: ResponseFilters | None = None
) -> QuerySet[ConsultationResponse]:
    """The submitted responses of a consultation for its officers (drafts stay with the
    organisations), filtered, newest first, joined once."""
    f = filters or ResponseFilters()
    responses = ConsultationResponse.objects.filter(
        consultation=consultation, status=ConsultationResponse.Status.SUBMITTED
    )
    if f.organisation_kind == "public":
        responses = responses.filter(organisation__isnull=True)
    elif f.organisation_kind:
        responses = responses.filter(organisation__kind=f.organisation_kind)
    if f.theme_id:
        responses = responses.filter(coded_themes=f.theme_id)
    if f.tag_id:
        responses = responses.filter(tags=f.tag_id)
    if f.coded:
        responses = responses.filter(coded_at__isnull=f.coded == "no")
    if f.replied:
        responses = responses.filter(replied_at__isnull=f.replied == "no")
    if f.hidden == "hide":
        responses = responses.filter(is_hidden=False)
    elif f.hidden == "only":
        responses = responses.filter(is_hidden=True)
    themes = Theme.objects.order_by("kind", "order")
    return (
        responses.select_related("consultation__strategy", "organisation", "submitted_by", "entered_by")
        .prefetch_related(
            Prefetch("coded_themes", queryset=themes), Prefetch("tags", queryset=Tag.objects.order_by(Lower("name")))
        )
        .order_by("-submitted_at", "-pk")
    )


def response_iter_for_export(
    *, consultation: Consultation, filters: ResponseFilters | None = None
) -> Iterator[ConsultationResponse]:
    """The officer's list in chunks, so a large export streams in constant memory."""
    return response_list_for_consultation(consultation=consultation, filters=filters).iterator(chunk_size=EXPORT_CHUNK)


def response_history(*, response: ConsultationResponse) -> QuerySet[Any]:
    return audit_event_list_for_record(record=response)


# Public responses and offline input (docs/adr/0041) ----------------------------------------------------


def organisation_list_for_consultation(*, consultation: Consultation) -> QuerySet[Organisation]:
    """The strategy's organisations a consultation is addressed to: its councils, its partners, or both
    (an officer enters offline input on behalf of one of these)."""
    from ..rules import PARTNER_KINDS

    kinds: set[str] = set()
    if consultation.audience in ("councillors", "public"):
        kinds |= set(Organisation.COUNCIL_KINDS)
    if consultation.audience in ("partners", "public"):
        kinds |= set(PARTNER_KINDS)
    return consultation.strategy.partners.filter(kind__in=kinds).order_by("name")


def consultation_get_public(*, strategy: Strategy, pk: int) -> Consultation | None:
    """A consultation of `strategy` open to the public (any state), or None."""
    return (
        Consultation.objects.select_related("strategy__lead", "phase")
        .filter(pk=pk, strategy=strategy, audience=Consultation.Audience.PUBLIC)
        .first()
    )
