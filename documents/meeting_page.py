"""Reads of the meeting page (documents' page of a meeting, docs/design.md "Growing the house"):
timeline's business of the meeting (timeline/meeting_page.py) with each agenda item's paper, and
the meeting's packs, each kind's current one marked and older ones marked superseded with what
changed in the pack that replaced them (from the packs' `inputs`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from timeline.access import can_see_meeting, papers_are_public
from timeline.meeting_page import AgendaRow, MeetingBusiness, meeting_business
from timeline.models import Meeting

from .models import BoardPaper, DraftVersion, Pack
from .rules import can_read_paper
from .selectors import agenda_with_papers, pack_list_visible


@dataclass
class PaperRow:
    """An agenda item's paper as the page lists it; `readable` is False for an exempt paper the
    person may not see (its title and paragraph only)."""

    paper: BoardPaper
    readable: bool


@dataclass
class ItemRow:
    agenda: AgendaRow
    paper: PaperRow | None


@dataclass
class PackRow:
    pack: Pack
    current: bool = False
    superseded: bool = False
    changes: list[str] = field(default_factory=list)


@dataclass
class MeetingPage:
    """`private`: the person sees the meeting's whole business (officers, the board's members);
    `readable`: they read its public business (everyone once the papers are published)."""

    business: MeetingBusiness
    items: list[ItemRow]
    packs: list[PackRow]
    private: bool
    readable: bool


def meeting_page(*, meeting: Meeting, user: Any) -> MeetingPage:
    """Everything the meeting's page shows `user`, in a fixed number of queries. Before its papers
    are published, everyone but officers and the board's members sees the meeting's details only;
    after, its public business: no unpublished decision, no pack but a ready public one."""
    business = meeting_business(meeting=meeting)
    private = bool(can_see_meeting(user, meeting))
    readable = private or papers_are_public(meeting)
    if not readable:
        return MeetingPage(business=_without_business(business), items=[], packs=[], private=False, readable=False)
    if not private:
        _public_decisions_only(business, today=timezone.localdate())
        if not any(record for _, record in business.attendance_rows):
            business.attendance_rows = []  # the board's names without a record say nothing to the public
    papers = {item.pk: item.paper_or_none for item in agenda_with_papers(meeting=meeting)}  # type: ignore[attr-defined]
    items = []
    for row in business.agenda:
        paper = papers.get(row.item.pk)
        items.append(ItemRow(row, PaperRow(paper, can_read_paper(user, paper, meeting)) if paper else None))
    packs = list(pack_list_visible(strategy=meeting.board.strategy, user=user, meeting=meeting))
    if not private:
        packs = [pack for pack in packs if pack.status == Pack.Status.READY]
    numbers = {paper.pk: number for number, paper in _paper_numbers(items)}
    return MeetingPage(
        business=business,
        items=items,
        packs=pack_history(packs, paper_numbers=numbers),
        private=private,
        readable=True,
    )


def _without_business(business: MeetingBusiness) -> MeetingBusiness:
    business.agenda, business.decisions, business.attendance_rows, business.others_attending = [], [], [], []
    return business


def _public_decisions_only(business: MeetingBusiness, *, today: date) -> None:
    """Keep the decisions `Decision.is_public` allows: published, their publication day come."""
    business.decisions = [row for row in business.decisions if row.decision.is_public(today)]
    for row in business.agenda:
        row.decisions = [decision for decision in row.decisions if decision.decision.is_public(today)]


def _paper_numbers(items: list[ItemRow]) -> list[tuple[int, BoardPaper]]:
    return [(row.agenda.item.number, row.paper.paper) for row in items if row.paper is not None]


def pack_history(packs: list[Pack], *, paper_numbers: dict[int, int]) -> list[PackRow]:
    """The packs newest first. Of each kind, the newest ready pack is current; every older one is
    superseded, and says what changed in the next newer pack of its kind."""
    rows = [PackRow(pack) for pack in sorted(packs, key=lambda p: (p.created_at, p.pk), reverse=True)]
    versions = _draft_version_numbers(packs)
    newer: dict[str, PackRow] = {}
    current_seen: set[str] = set()
    for row in rows:
        kind = row.pack.kind
        if kind in current_seen:
            row.superseded = True
            row.changes = pack_changes(row.pack.inputs, newer[kind].pack.inputs, paper_numbers, versions)
        elif row.pack.status == Pack.Status.READY:
            row.current = True
            current_seen.add(kind)
        newer[kind] = row
    return rows


def _draft_version_numbers(packs: list[Pack]) -> dict[int, int]:
    pks = {p.inputs.get("draft_version") for p in packs} - {None}
    return dict(DraftVersion.objects.filter(pk__in=pks).values_list("pk", "number")) if pks else {}


def _papers(inputs: dict[str, Any]) -> dict[int, tuple[Any, Any]]:
    """Paper pk -> (version, appendices) from a pack's inputs."""
    return {entry[0]: (entry[1], entry[3] if len(entry) > 3 else []) for entry in inputs.get("papers", [])}


def _paper_changes(
    old_papers: dict[int, tuple[Any, Any]], new_papers: dict[int, tuple[Any, Any]], paper_numbers: dict[int, int]
) -> list[str]:
    changes: list[str] = []

    def name(pk: int) -> str:
        return f"paper {paper_numbers[pk]}" if pk in paper_numbers else "a paper since removed"

    for pk in sorted(set(old_papers) | set(new_papers), key=lambda pk: (paper_numbers.get(pk, 999), pk)):
        before, after = old_papers.get(pk), new_papers.get(pk)
        if before is None:
            changes.append(f"{name(pk)} added")
        elif after is None:
            changes.append(f"{name(pk)} removed")
        elif before[0] != after[0]:
            changes.append(f"{name(pk)} changed (version {before[0]} → {after[0]})")
        elif before[1] != after[1]:
            changes.append(f"{name(pk)}: appendices changed")
    return changes


def pack_changes(
    older: dict[str, Any], newer: dict[str, Any], paper_numbers: dict[int, int], versions: dict[int, int]
) -> list[str]:
    """What changed from `older` to `newer` (two packs' inputs), as a person reads it: "paper 3
    changed (version 1 → 2)", "draft version 2 → 3", "the agenda changed"."""
    changes = _paper_changes(_papers(older), _papers(newer), paper_numbers)
    old_draft, new_draft = older.get("draft_version"), newer.get("draft_version")
    if old_draft != new_draft:

        def number(pk: int | None) -> str:
            return "none" if pk is None else str(versions.get(pk, "?"))

        changes.append(f"draft version {number(old_draft)} → {number(new_draft)}")
    for key, text in (
        ("agenda", "the agenda changed"),
        ("meeting", "the meeting’s details changed"),
        ("timeline", "the timeline changed"),
        ("evidence", "the evidence summary changed"),
        ("consultation", "the consultation summary changed"),
        ("render", "the layout changed"),
    ):
        if older.get(key) != newer.get(key):
            changes.append(text)
    return changes or ["nothing it shows"]
