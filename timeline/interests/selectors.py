"""Reads of the registers of interests: a member's register as its page shows it, every member's
for officers, the "review due" to-do, and what the meeting page offers a board member to declare."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from core.models import Strategy, User
from core.todos import Todo

from ..models import AgendaItem, Board, BoardMembership, Declaration, InterestEntry, InterestRegister, Meeting
from ..rules import board_ids_of
from .matching import entry_matches
from .services import Nature


@dataclass
class RegisterPage:
    """A member's register in one strategy: the boards they sit on, the register (None before
    anything was added or confirmed), its current and past entries."""

    member: User
    membership: BoardMembership
    boards: list[Board]
    register: InterestRegister | None
    current: list[InterestEntry]
    past: list[InterestEntry]
    review_due: bool


def _entries(register: InterestRegister | None) -> QuerySet[InterestEntry]:
    if register is None:
        return InterestEntry.objects.none()
    return register.entries.order_by("category", "-starts_on", "pk")


def register_page(*, membership: BoardMembership, today: date) -> RegisterPage:
    strategy = membership.board.strategy
    member = membership.user
    register = InterestRegister.objects.filter(strategy=strategy, user=member).first()
    entries = list(_entries(register))
    boards = list(Board.objects.filter(strategy=strategy, memberships__user=member).order_by("kind", "name"))
    return RegisterPage(
        member=member,
        membership=membership,
        boards=boards,
        register=register,
        current=[entry for entry in entries if entry.is_current(today)],
        past=[entry for entry in entries if not entry.is_current(today)],
        review_due=register is None or register.review_due(today),
    )


def membership_for_register(*, strategy: Strategy, user: Any) -> BoardMembership | None:
    """The member's first membership of the strategy's boards: the address of their register."""
    return (
        BoardMembership.objects.select_related("board__strategy", "user")
        .filter(board__strategy=strategy, user=user)
        .order_by("board__kind", "board__name")
        .first()
    )


@dataclass
class RegisterRow:
    member: User
    membership: BoardMembership
    boards: list[str] = field(default_factory=list)
    register: InterestRegister | None = None
    current_count: int = 0
    late_count: int = 0
    review_due: bool = True


def register_rows_for_strategy(*, strategy: Strategy, today: date) -> list[RegisterRow]:
    """Every board member of the strategy once, with their boards and their register's state, for
    officers. Three queries, whatever the members."""
    rows: dict[int, RegisterRow] = {}
    memberships = (
        BoardMembership.objects.filter(board__strategy=strategy)
        .select_related("user", "board__strategy")
        .order_by("user__name", "board__kind", "board__name")
    )
    for membership in memberships:
        row = rows.setdefault(membership.user_id, RegisterRow(member=membership.user, membership=membership))
        row.boards.append(membership.board.name)
    registers = InterestRegister.objects.filter(strategy=strategy, user_id__in=rows).prefetch_related(
        Prefetch("entries", queryset=InterestEntry.objects.order_by("pk"))
    )
    for register in registers:
        row = rows[register.user_id]
        row.register = register
        entries = list(register.entries.all())
        row.current_count = sum(1 for entry in entries if entry.is_current(today))
        row.late_count = sum(1 for entry in entries if entry.registered_late or entry.end_registered_late)
        row.review_due = register.review_due(today)
    return list(rows.values())


def interests_todos_for(*, user: Any, strategy: Strategy, today: date) -> dict[str, list[Todo]]:
    """A board member's to-do when their register is due for its yearly review."""
    if not board_ids_of(user, strategy):
        return {}
    register = InterestRegister.objects.filter(strategy=strategy, user=user).first()
    if register is not None and not register.review_due(today):
        return {}
    hint = (
        f"Last confirmed {register.reviewed_on:%-d %B %Y}"
        if register is not None and register.reviewed_on
        else "Not confirmed yet"
    )
    todo = Todo(
        "Your register of interests: review due",
        "timeline:interest-register-yours",
        {"strategy_slug": strategy.slug},
        hint=hint,
        status="Review due",
    )
    return {"board_member": [todo]}


# The meeting page ----------------------------------------------------------------------------------


@dataclass
class EntryMatch:
    entry: InterestEntry
    reasons: tuple[str, ...]


@dataclass
class ItemInterests:
    item: AgendaItem
    matches: list[EntryMatch]
    declared: list[Declaration]
    has_paper: bool = False

    @property
    def matched_pks(self) -> set[int]:
        return {match.entry.pk for match in self.matches}


@dataclass
class DeclarePanel:
    """What the meeting page offers a member of the meeting's board: for each agenda item, the
    entries of their register that may apply (and why), and what they have declared on it."""

    meeting: Meeting
    entries: list[InterestEntry]
    items: list[ItemInterests]
    membership: BoardMembership
    can_declare: bool
    natures: list[tuple[str, str]] = field(default_factory=lambda: list(Nature.CHOICES))


def declare_panel(
    *, meeting: Meeting, user: Any, items: list[AgendaItem], paper_titles: Mapping[int, str], today: date
) -> DeclarePanel | None:
    """None unless `user` sits on the meeting's board and the agenda has items. `meeting` and
    `items` as the page already holds them (`selectors.meeting_get_with_business`: the board's
    members and each item's declarations prefetched); `paper_titles`: each item's paper's title,
    by item pk (papers belong to the app above). One query, for the member's entries."""
    if not items or not getattr(user, "is_authenticated", False):
        return None
    membership = next((m for m in meeting.board.memberships.all() if m.user_id == user.pk), None)
    if membership is None:
        return None
    entries = [
        entry
        for entry in InterestEntry.objects.filter(
            register__strategy_id=meeting.board.strategy_id, register__user=user
        ).order_by("category", "-starts_on", "pk")
        if entry.is_current(min(today, timezone_day(meeting)))
    ]
    declared = {
        item.pk: [declaration for declaration in item.declarations.all() if declaration.user_id == user.pk]
        for item in items
    }
    rows = []
    for item in items:
        titles = [("the item’s title", item.title)]
        if paper_titles.get(item.pk):
            titles.append(("the paper’s title", paper_titles[item.pk]))
        matches = []
        for entry in entries:
            match = entry_matches(
                entry_pk=entry.pk, description=entry.description, organisation=entry.organisation, titles=titles
            )
            if match is not None:
                matches.append(EntryMatch(entry, match.reasons))
        rows.append(
            ItemInterests(
                item=item,
                matches=matches,
                declared=declared.get(item.pk, []),
                has_paper=bool(paper_titles.get(item.pk)),
            )
        )
    return DeclarePanel(
        meeting=meeting,
        entries=entries,
        items=rows,
        membership=membership,
        can_declare=meeting.status != Meeting.Status.CANCELLED,
    )


def timezone_day(meeting: Meeting) -> date:
    return timezone.localtime(meeting.starts_at).date()
