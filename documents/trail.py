"""Where a priority or a proposition went in the draft and at the boards, for their pages
(registered into engagement.trail by DocumentsConfig.ready, so engagement never imports documents):
the sections of the draft that cite it now, with the latest saved version that cited it; the board
meetings still to come whose packs carry such a version; and the decisions taken at meetings whose
packs carried one — all of them for those who see the boards' meetings, the published ones
otherwise. A fixed number of queries, whatever the number of sections, versions and meetings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from core.models import Strategy
from engagement.models import Priority, Proposition
from engagement.trail import TrailItem, TrailStep
from timeline.models import Decision, Meeting

from .models import DraftSection, DraftVersion
from .rules import can_write, readable_version_ids

Cites = Callable[[dict[str, Any]], bool]


def priority_trail_steps(priority: Priority, user: Any) -> list[TrailStep]:
    return _steps(
        priority.call.strategy,
        user,
        DraftSection.objects.filter(priorities=priority),
        lambda snapshot: any(p.get("id") == priority.pk for p in snapshot.get("priorities", [])),
    )


def proposition_trail_steps(proposition: Proposition, user: Any) -> list[TrailStep]:
    return _steps(
        proposition.strategy,
        user,
        DraftSection.objects.filter(propositions=proposition),
        lambda snapshot: any(p.get("id") == proposition.pk for p in snapshot.get("propositions", [])),
    )


def _steps(strategy: Strategy, user: Any, citing: QuerySet[DraftSection], cites: Cites) -> list[TrailStep]:
    officer = bool(can_write(user, strategy))
    readable = readable_version_ids(user, strategy)
    sections = list(citing.select_related("draft").order_by("order"))
    citing_versions: dict[int, int] = {}  # version pk -> number
    latest_by_section: dict[int, int] = {}
    readable_by_section: dict[int, int] = {}  # the latest citing version `user` may read
    for version in DraftVersion.objects.filter(draft__strategy=strategy).order_by("number"):
        for snapshot in version.sections:
            if cites(snapshot):
                citing_versions[version.pk] = version.number
                latest_by_section[snapshot.get("id")] = version.number
                if version.pk in readable:
                    readable_by_section[snapshot.get("id")] = version.number

    def section_url(section: DraftSection) -> str:
        # Officers open the section's editor; others the latest version shared with them that cites it.
        if officer:
            return reverse("documents:section-edit", kwargs={"strategy_slug": strategy.slug, "pk": section.pk})
        if section.pk not in readable_by_section:
            return ""
        number = readable_by_section[section.pk]
        url = reverse("documents:version-detail", kwargs={"strategy_slug": strategy.slug, "number": number})
        return f"{url}#section-{section.pk}"

    section_items = [
        TrailItem(
            text=section.title,
            detail=(
                f"in version {latest_by_section[section.pk]} of the draft"
                if section.pk in latest_by_section
                else "in the working draft, not yet in a saved version"
            ),
            url=section_url(section),
        )
        for section in sections
    ]
    sees_meetings = user.has_perm("timeline.view_meetings", strategy)
    return [
        TrailStep(
            heading="Draft sections that cite it",
            items=section_items,
            empty="No section of the draft cites it yet.",
        ),
        TrailStep(
            heading="Coming to the boards",
            items=_coming(strategy, citing_versions, link=sees_meetings),
            empty="No board meeting to come has a draft that cites it in its papers yet.",
        ),
        TrailStep(
            heading="Board decisions since",
            items=_decided(strategy, citing_versions, published_only=not sees_meetings),
            empty="No board has yet decided on a draft that cites it.",
        ),
    ]


def _coming(strategy: Strategy, citing_versions: dict[int, int], *, link: bool) -> list[TrailItem]:
    """Meetings still to come whose packs carry a citing version: their dates are public (the
    published timeline lists them); their pages are for those who see the boards' meetings."""
    meetings = (
        Meeting.objects.filter(
            board__strategy=strategy,
            starts_at__gte=timezone.now(),
            packs__draft_version_id__in=citing_versions,
        )
        .select_related("board")
        .distinct()
        .order_by("starts_at")
    )
    return [
        TrailItem(
            text=f"{meeting.board.name}, {timezone.localtime(meeting.starts_at):%-d %B %Y}",
            detail="the draft that cites it is in the meeting’s papers",
            url=reverse("documents:meeting-detail", kwargs={"strategy_slug": strategy.slug, "pk": meeting.pk})
            if link
            else "",
        )
        for meeting in meetings
    ]


def _decided(strategy: Strategy, citing_versions: dict[int, int], *, published_only: bool) -> list[TrailItem]:
    decisions = Decision.objects.filter(
        meeting__packs__draft_version_id__in=citing_versions, meeting__board__strategy=strategy
    ).distinct()
    if published_only:
        decisions = decisions.public(timezone.localdate())
    return [
        TrailItem(
            text=decision.text,
            detail=f"{decision.board.name}, {decision.decided_on:%-d %B %Y}: {decision.get_outcome_display().lower()}",
        )
        for decision in decisions.select_related("board").order_by("decided_on", "pk")
    ]
