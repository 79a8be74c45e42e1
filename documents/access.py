"""Access helpers for documents. Views load protected objects only through these; a person
without access gets 404, whether or not the object exists."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404

from core.models import Strategy
from timeline.access import can_read_business
from timeline.models import AgendaItem, Meeting

from .models import BoardPaper, DraftSection, DraftVersion, Pack, PaperAppendix, ReviewComment, ReviewWindow
from .rules import can_see_pack, can_see_review, can_write, readable_version_ids


def get_pack_for_user_or_404(user: Any, strategy: Strategy, pk: int) -> Pack:
    pack = (
        Pack.objects.select_related("strategy", "meeting__board__strategy", "draft_version", "requested_by")
        .filter(pk=pk, strategy=strategy)
        .first()
    )
    if pack is None or not can_see_pack(user, pack):
        raise Http404("No pack here.")
    return pack


def get_meeting_for_documents_or_404(user: Any, strategy: Strategy, pk: int, *, write: bool = False) -> Meeting:
    """A meeting of the strategy: its page is public (what it shows is the page's rule); changing
    it is the officers'."""
    meeting = Meeting.objects.select_related("board__strategy").filter(pk=pk, board__strategy=strategy).first()
    if meeting is None or (write and not can_write(user, strategy)):
        raise Http404("No meeting here.")
    return meeting


def get_agenda_item_for_user_or_404(user: Any, strategy: Strategy, pk: int, *, write: bool = False) -> AgendaItem:
    item = (
        AgendaItem.objects.select_related("meeting__board__strategy")
        .filter(pk=pk, meeting__board__strategy=strategy)
        .first()
    )
    if item is None:
        raise Http404("No agenda item here.")
    allowed = can_write(user, strategy) if write else can_read_business(user, item.meeting)
    if not allowed:
        raise Http404("No agenda item here.")
    return item


def get_paper_for_user_or_404(user: Any, strategy: Strategy, pk: int, *, write: bool = False) -> BoardPaper:
    item = get_agenda_item_for_user_or_404(user, strategy, pk, write=write)
    paper = BoardPaper.objects.filter(agenda_item=item).select_related("agenda_item__meeting__board").first()
    if paper is None:
        raise Http404("No paper here.")
    return paper


def get_board_paper_for_user_or_404(user: Any, strategy: Strategy, pk: int) -> BoardPaper:
    """A paper by its own pk, for the people who read its meeting's business (whether they may read
    an exempt one in full is documents.rules.can_read_paper), with its meeting and appendices."""
    paper = (
        BoardPaper.objects.select_related("agenda_item__meeting__board__strategy__lead")
        .prefetch_related(Prefetch("appendices", queryset=PaperAppendix.objects.order_by("order", "pk")))
        .filter(pk=pk, agenda_item__meeting__board__strategy=strategy)
        .first()
    )
    if paper is None or not can_read_business(user, paper.agenda_item.meeting):
        raise Http404("No paper here.")
    return paper


def get_draft_section_for_user_or_404(user: Any, strategy: Strategy, pk: int, *, write: bool = False) -> DraftSection:
    section = DraftSection.objects.select_related("draft", "updated_by").filter(pk=pk, draft__strategy=strategy).first()
    if section is None or not can_write(user, strategy):
        raise Http404("No section here.")
    return section


def get_review_window_for_user_or_404(user: Any, strategy: Strategy, pk: int, *, write: bool = False) -> ReviewWindow:
    """Officers (reading or writing) and the invited reviewers (reading; commenting is checked by
    the service); everybody else 404."""
    window = (
        ReviewWindow.objects.select_related("draft__strategy", "version", "opened_by", "closed_by")
        .filter(pk=pk, draft__strategy=strategy)
        .first()
    )
    if window is None:
        raise Http404("No review here.")
    allowed = can_write(user, strategy) if write else can_see_review(user, window)
    if not allowed:
        raise Http404("No review here.")
    return window


def get_review_comment_for_user_or_404(user: Any, strategy: Strategy, pk: int) -> ReviewComment:
    """Replying and resolving are the officers': a comment is written to only through them."""
    comment = (
        ReviewComment.objects.select_related("window__draft__strategy", "section")
        .filter(pk=pk, window__draft__strategy=strategy)
        .first()
    )
    if comment is None or not can_write(user, strategy):
        raise Http404("No comment here.")
    return comment


def get_shared_version_or_404(user: Any, strategy: Strategy, number: int) -> DraftVersion:
    """A saved version of the strategy's draft, by its number, for those it was shared with."""
    version = (
        DraftVersion.objects.select_related("draft", "created_by")
        .filter(draft__strategy=strategy, number=number)
        .first()
    )
    if version is None or version.pk not in readable_version_ids(user, strategy):
        raise Http404("No version here.")
    return version
