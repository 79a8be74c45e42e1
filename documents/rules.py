"""Who may do what with documents, on core's roles and timeline's board membership.

- Officers of the strategy (and administrators) write the draft and the board papers, and request packs.
- A members' pack is for officers and the members of its meeting's board; nobody else learns it exists.
- A public pack is for everyone who sees the strategy's process (people taking part, board members),
  and for everybody (signed-out visitors included) once its meeting's papers are published.
- A draft strategy pack is for officers and the members of any of the strategy's boards.
- A published strategy's pack (its PDF) is for everybody (signed-out visitors included) once an
  edition it belongs to is public (its day has come); for officers and board members before.
- An edition of the published strategy is read by everybody from its day; before, by officers.
- A paper is read by everyone who reads its meeting's business (timeline.access.can_read_business:
  everybody once the papers are published; officers and the board's members before); an exempt one
  (Schedule 12A) only by officers and the members of its meeting's board: anyone else who sees it
  listed sees its title and paragraph only.
- A saved version of the draft is read by officers, and by those it was shared with: everyone who
  sees the process once a public pack carries it, the members of the strategy's boards once any pack
  does, the invited organisations' councillors and partners once a review window opens on it. The
  working draft (sections between versions) stays the officers'.
- A review window is for officers and for its audience (ADR 0042): the councillors and partners of
  the organisations it invites (chosen among the strategy's partners); with a wider audience also
  everyone taking part in the strategy (councillors, partners, board members), or everybody,
  signed in or not (the public). The audience reads it and comments while it is open (signed-out
  visitors through the public form, confirmed by email); officers reply, resolve and moderate the
  public's comments. Everybody else gets 404. The window's version is readable to its audience
  from the day it opens.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from core.models import Membership, Role, Strategy
from core.rules import is_member, per_person_cache
from timeline.access import papers_are_public
from timeline.rules import can_manage, can_view, is_board_member, sits_on

from .models import DraftVersion, Pack, Publication, ReviewWindow

if TYPE_CHECKING:
    from timeline.models import Meeting

    from .models import BoardPaper

can_write = can_manage
# Everyone taking part in the strategy: through an organisation (officers, councillors, partners)
# or a seat on one of its boards.
takes_part = is_member | is_board_member

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
    if pack.kind == pack.Kind.PUBLISHED and pack_is_published(pack):
        return True
    return bool(is_board_member(user, strategy))


def pack_is_published(pack: Pack, *, today: date | None = None) -> bool:
    """A published strategy's pack belongs to an edition whose day has come."""
    day = today or timezone.localdate()
    return Publication.objects.filter(pack=pack, published_on__lte=day).exists()


def can_read_publication(user: Any, publication: Publication) -> bool:
    """An edition: everybody from its day (the strategy being one they see); officers before."""
    return publication.is_public() or bool(can_manage(user, publication.strategy))


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


def in_review_audience(user: Any, window: ReviewWindow) -> bool:
    """Whether `user` is among the people `window` is opened to (officers aside)."""
    if window.audience == ReviewWindow.Audience.PUBLIC:
        return True
    if window.audience == ReviewWindow.Audience.TAKING_PART and takes_part(user, window.draft.strategy):
        return True
    return reviewer_organisation_id(user, window) is not None


def review_windows_in_audience(user: Any, strategy: Strategy) -> QuerySet[ReviewWindow]:
    """The windows of `strategy` whose audience includes `user`: in_review_audience as one query."""
    audience = Q(audience=ReviewWindow.Audience.PUBLIC)
    if takes_part(user, strategy):
        audience |= Q(audience=ReviewWindow.Audience.TAKING_PART)
    if is_member(user, strategy):
        audience |= Q(
            Exists(
                Membership.objects.filter(
                    user=user,
                    role__in=[Role.COUNCILLOR, Role.PARTNER],
                    organisation__review_windows=OuterRef("pk"),
                    organisation__partner_strategies=strategy,
                )
            )
        )
    return ReviewWindow.objects.filter(audience, draft__strategy=strategy)


def can_see_review(user: Any, window: ReviewWindow) -> bool:
    return bool(can_manage(user, window.draft.strategy)) or in_review_audience(user, window)


def can_comment(user: Any, window: ReviewWindow) -> bool:
    """Signed in, in the audience, while the window is open; officers reply instead."""
    return (
        window.is_open
        and user.is_authenticated
        and not can_manage(user, window.draft.strategy)
        and in_review_audience(user, window)
    )


def can_comment_publicly(user: Any, window: ReviewWindow) -> bool:
    """A signed-out visitor, on an open window opened to the public (confirmed by email)."""
    return window.is_open and window.audience == ReviewWindow.Audience.PUBLIC and not user.is_authenticated


def is_moderated_commenter(user: Any, window: ReviewWindow) -> bool:
    """Whether a comment `user` makes in `window` waits for an officer to publish it: anyone who
    does not take part in the strategy (the public)."""
    return not user.is_authenticated or (
        reviewer_organisation_id(user, window) is None and not takes_part(user, window.draft.strategy)
    )


def readable_version_ids(user: Any, strategy: Strategy) -> frozenset[int]:
    """The saved versions of `strategy`'s draft that `user` may read. One query."""
    versions = DraftVersion.objects.filter(draft__strategy=strategy)
    if can_manage(user, strategy):
        return frozenset(versions.values_list("pk", flat=True))
    # A review window shares its version with its audience from the day it opens (open or closed).
    shared = Q(pk__in=review_windows_in_audience(user, strategy).values("version_id"))
    if can_view(user, strategy):
        shared |= Q(packs__kind=Pack.Kind.PUBLIC)
    if is_board_member(user, strategy):
        shared |= Q(packs__isnull=False)
    return frozenset(versions.filter(shared).values_list("pk", flat=True).distinct())
