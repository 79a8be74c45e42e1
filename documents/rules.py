"""Who may do what with documents, on core's roles and timeline's board membership.

- Officers of the strategy (and administrators) write the draft and the board papers, and request packs.
- A members' pack is for officers and the members of its meeting's board; nobody else learns it exists.
- A public pack is for everyone who sees the strategy's process (people taking part, board members),
  and for everybody (signed-out visitors included) once its meeting's papers are published.
- A draft strategy pack is for officers and the members of any of the strategy's boards.
- A paper is read by everyone who reads its meeting's business (timeline.access.can_read_business:
  everybody once the papers are published; officers and the board's members before); an exempt one
  (Schedule 12A) only by officers and the members of its meeting's board: anyone else who sees it
  listed sees its title and paragraph only.
- A saved version of the draft is read by officers, and by those it was shared with: everyone who
  sees the process once a public pack carries it, the members of the strategy's boards once any pack
  does, the invited organisations' councillors and partners once a review window opens on it. The
  working draft (sections between versions) stays the officers'.
- A review window is for officers and for the councillors and partners of the organisations it
  invites (chosen among the strategy's partners): they read it, and comment while it is open;
  officers reply and resolve. Everybody else gets 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import rules
from django.db.models import Q

from core.models import Membership, Role, Strategy
from core.rules import is_member, per_person_cache
from timeline.access import papers_are_public
from timeline.rules import can_manage, can_view, is_board_member, sits_on

from .models import DraftVersion, Pack

if TYPE_CHECKING:
    from timeline.models import Meeting

    from .models import BoardPaper, ReviewWindow

can_write = can_manage

rules.add_perm("documents.write_documents", can_write)
rules.add_perm("documents.view_documents", can_view)


def can_see_pack(user: Any, pack: Pack) -> bool:
    strategy = pack.strategy
    if can_manage(user, strategy):
        return True
    if pack.kind == pack.Kind.MEMBERS:
        return pack.meeting is not None and sits_on(user, pack.meeting.board)
    if pack.kind == pack.Kind.PUBLIC:
        return bool(can_view(user, strategy)) or (pack.meeting is not None and papers_are_public(pack.meeting))
    return bool(is_board_member(user, strategy))


def can_read_paper(user: Any, paper: BoardPaper, meeting: Meeting) -> bool:
    """Whether `user`, who sees `meeting` (the paper's), may read `paper` in full."""
    if not paper.is_exempt:
        return True
    return bool(can_manage(user, meeting.board.strategy)) or sits_on(user, meeting.board)


def reviewer_organisation_id(user: Any, window: ReviewWindow) -> int | None:
    """The invited organisation `user` speaks for in `window` (as a councillor or partner who
    takes part in the strategy), or None. One query, cached on the person for the request."""
    if not user.is_authenticated or not user.is_active:
        return None
    cache: dict[int, int | None] = per_person_cache(user, "_review_organisation")
    if window.pk not in cache:
        strategy = window.draft.strategy
        if not is_member(user, strategy):
            cache[window.pk] = None
        else:
            cache[window.pk] = (
                Membership.objects.filter(
                    user=user,
                    role__in=[Role.COUNCILLOR, Role.PARTNER],
                    organisation__review_windows=window,
                    organisation__partner_strategies=strategy,
                )
                .order_by("organisation__name")
                .values_list("organisation_id", flat=True)
                .first()
            )
    return cache[window.pk]


def can_see_review(user: Any, window: ReviewWindow) -> bool:
    return bool(can_manage(user, window.draft.strategy)) or reviewer_organisation_id(user, window) is not None


def can_comment(user: Any, window: ReviewWindow) -> bool:
    return window.is_open and reviewer_organisation_id(user, window) is not None


def readable_version_ids(user: Any, strategy: Strategy) -> frozenset[int]:
    """The saved versions of `strategy`'s draft that `user` may read. One query."""
    versions = DraftVersion.objects.filter(draft__strategy=strategy)
    if can_manage(user, strategy):
        return frozenset(versions.values_list("pk", flat=True))
    if not can_view(user, strategy):
        return frozenset()
    shared = Q(packs__kind=Pack.Kind.PUBLIC) | Q(
        review_windows__organisations__in=Membership.objects.filter(
            user=user, role__in=[Role.COUNCILLOR, Role.PARTNER], organisation__partner_strategies=strategy
        ).values("organisation_id")
    )
    if is_board_member(user, strategy):
        shared |= Q(packs__isnull=False)
    return frozenset(versions.filter(shared).values_list("pk", flat=True).distinct())
