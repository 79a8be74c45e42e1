"""Reads of documents, joined once here and shared by views and the pack renderer."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from core.models import Strategy
from timeline.models import AgendaItem, Meeting, Phase
from timeline.rules import board_ids_of, can_manage, can_view, is_board_member
from timeline.selectors import phase_list_for_strategy

from .models import BoardPaper, DraftSection, DraftStrategy, DraftVersion, Pack, PaperAppendix
from .render import RENDER_VERSION, PackSource


def draft_get(*, strategy: Strategy) -> DraftStrategy | None:
    return (
        DraftStrategy.objects.filter(strategy=strategy)
        .prefetch_related(Prefetch("sections", queryset=DraftSection.objects.select_related("theme", "updated_by")))
        .first()
    )


def draft_version_list(*, draft: DraftStrategy) -> QuerySet[DraftVersion]:
    return DraftVersion.objects.filter(draft=draft).select_related("created_by").order_by("-number")


def agenda_with_papers(*, meeting: Meeting) -> list[AgendaItem]:
    """The meeting's agenda in order, each item with `.paper_or_none` and the paper's appendices."""
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("number"))
    papers = {
        paper.agenda_item_id: paper
        for paper in BoardPaper.objects.filter(agenda_item__meeting=meeting).prefetch_related(
            Prefetch("appendices", queryset=PaperAppendix.objects.order_by("order", "pk"))
        )
    }
    for item in items:
        item.paper_or_none = papers.get(item.pk)  # type: ignore[attr-defined]
    return items


def meeting_list_for_documents(*, strategy: Strategy, user: Any) -> QuerySet[Meeting]:
    """Meetings whose papers and packs the person may see: every one for officers, their boards'
    for board members."""
    meetings = Meeting.objects.filter(board__strategy=strategy).select_related("board").order_by("-starts_at", "-pk")
    if can_manage(user, strategy):
        return meetings
    return meetings.filter(board_id__in=board_ids_of(user, strategy))


def pack_list_visible(*, strategy: Strategy, user: Any, meeting: Meeting | None = None) -> QuerySet[Pack]:
    """Packs the person may see (documents.rules.can_see_pack, as a query)."""
    packs = Pack.objects.filter(strategy=strategy).select_related(
        "strategy", "meeting__board", "draft_version", "requested_by"
    )
    if meeting is not None:
        packs = packs.filter(meeting=meeting)
    if can_manage(user, strategy):
        return packs
    visible = Q(kind=Pack.Kind.MEMBERS, meeting__board_id__in=board_ids_of(user, strategy))
    if can_view(user, strategy):
        visible |= Q(kind=Pack.Kind.PUBLIC)
    if is_board_member(user, strategy):
        visible |= Q(kind=Pack.Kind.DRAFT)
    return packs.filter(visible)


def _phases(strategy: Strategy) -> list[Phase]:
    return list(phase_list_for_strategy(strategy=strategy))


def pack_inputs(
    *, strategy: Strategy, kind: str, meeting: Meeting | None, draft_version: DraftVersion | None
) -> tuple[dict[str, Any], str]:
    """Every input that changes what a pack shows, and its SHA-256: the pack's fingerprint."""
    inputs: dict[str, Any] = {"render": RENDER_VERSION, "strategy": strategy.pk, "kind": kind}
    if draft_version is not None:
        inputs["draft_version"] = draft_version.pk
    if meeting is not None:
        inputs["meeting"] = [
            meeting.pk,
            meeting.title,
            meeting.starts_at.isoformat(),
            meeting.location,
            meeting.board_id,
        ]
        items = agenda_with_papers(meeting=meeting)
        inputs["agenda"] = [[i.pk, i.number, i.title, i.presenter] for i in items]
        inputs["papers"] = [
            [p.pk, p.version, p.updated_at.isoformat(), [[a.pk, a.sha256] for a in p.appendices.all()]]
            for p in (i.paper_or_none for i in items)  # type: ignore[attr-defined]
            if p is not None
        ]
        inputs["timeline"] = [
            [
                ph.pk,
                ph.name,
                str(ph.planned_start),
                str(ph.planned_end),
                str(ph.actual_start),
                str(ph.actual_end),
                [[m.pk, m.title, m.status, str(m.due_date), m.is_key, m.version] for m in ph.milestones.all()],
            ]
            for ph in _phases(strategy)
        ]
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()
    return inputs, digest


def pack_source(*, pack: Pack) -> PackSource:
    """Everything the renderer needs for `pack`, loaded in a fixed number of queries."""
    strategy = pack.strategy
    author = strategy.lead.name
    if pack.kind == Pack.Kind.DRAFT:
        assert pack.draft_version is not None
        version = pack.draft_version
        return PackSource(
            pack=pack,
            title=f"{strategy.name}: draft, version {version.number}",
            author=author,
            draft_version=version,
        )
    meeting = pack.meeting
    assert meeting is not None
    items = agenda_with_papers(meeting=meeting)
    label = "Members' pack" if pack.kind == Pack.Kind.MEMBERS else "Public pack"
    return PackSource(
        pack=pack,
        title=f"{meeting.title}, {timezone.localtime(meeting.starts_at):%-d %B %Y}: {label.lower()}",
        author=author,
        meeting=meeting,
        agenda=items,
        papers={i.pk: i.paper_or_none for i in items if i.paper_or_none is not None},  # type: ignore[attr-defined]
        draft_version=pack.draft_version,
        phases=_phases(strategy),
    )
