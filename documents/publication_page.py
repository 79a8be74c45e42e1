"""Reads for the published strategy's pages (documents.views.publications): the editions a person
may read, and one edition as its page shows it — the saved version's sections (public evidence
linked, no priorities, the agreed propositions by title), its sign-off, its PDF once ready, and
the other editions. A fixed number of queries, whatever the sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from core.models import Strategy
from evidence.models import EvidenceItem, Sharing
from timeline.rules import can_manage

from .models import Pack, Publication
from .render import agreed_propositions, evidence_charts, version_sections_to_read


def publication_list_visible(*, strategy: Strategy, user: Any) -> QuerySet[Publication]:
    """The strategy's editions `user` may read, newest first: those whose day has come; every one
    for officers (who see an edition waiting for its day)."""
    editions = (
        Publication.objects.filter(strategy=strategy)
        .select_related("strategy", "version__draft", "decision__board", "pack", "published_by")
        .order_by("-edition")
    )
    if can_manage(user, strategy):
        return editions
    return editions.filter(published_on__lte=timezone.localdate())


def publication_latest_public(*, strategy: Strategy) -> Publication | None:
    """The edition everybody reads at `strategy/`: the latest whose day has come, or None."""
    return (
        Publication.objects.filter(strategy=strategy, published_on__lte=timezone.localdate())
        .select_related("strategy", "version__draft", "decision__board", "pack")
        .order_by("-edition")
        .first()
    )


@dataclass
class PublicationPage:
    publication: Publication
    sections: list[dict[str, Any]]
    editions: list[Publication]
    latest_public: Publication | None
    pack: Pack | None
    officer: bool
    board: Any = None
    others: list[Publication] = field(default_factory=list)
    # The evidence at a glance, from the pack's inputs: the page and the PDF show the same figures.
    evidence: dict[str, Any] | None = None
    evidence_charts: dict[str, Any] = field(default_factory=dict)

    @property
    def replaced_by(self) -> Publication | None:
        """The edition that replaced this one (the latest whose day has come), if it is not this one."""
        latest = self.latest_public
        if latest is None or latest.edition <= self.publication.edition:
            return None
        return latest


def publication_page(*, publication: Publication, user: Any) -> PublicationPage:
    """One edition as its page shows it."""
    strategy = publication.strategy
    editions = list(publication_list_visible(strategy=strategy, user=user))
    today = timezone.localdate()
    latest_public = next((e for e in editions if e.published_on <= today), None)
    sections = version_sections_to_read(publication.version, public=True)
    open_items = set(EvidenceItem.objects.filter(strategy=strategy, sharing=Sharing.OPEN).values_list("pk", flat=True))
    for section, snapshot in zip(sections, publication.version.sections, strict=True):
        section["evidence"] = [
            {
                **item,
                "url": reverse("evidence:item-detail", kwargs={"strategy_slug": strategy.slug, "pk": item["id"]})
                if item.get("id") in open_items
                else "",
            }
            for item in section["evidence"]
        ]
        section["propositions"] = agreed_propositions(snapshot)
    pack = publication.pack if publication.pack and publication.pack.status == Pack.Status.READY else None
    evidence = publication.pack.inputs.get("evidence") if publication.pack else None
    return PublicationPage(
        publication=publication,
        sections=sections,
        editions=editions,
        latest_public=latest_public,
        pack=pack,
        officer=bool(can_manage(user, strategy)),
        board=publication.decision.board,
        others=[e for e in editions if e.pk != publication.pk],
        evidence=evidence,
        evidence_charts=evidence_charts(evidence),
    )
