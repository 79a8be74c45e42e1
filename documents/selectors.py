"""Reads of documents, joined once here and shared by views and the pack renderer."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from core.models import Strategy, Theme
from core.todos import Todo
from engagement.models import Consultation, ConsultationResponse, Priority, Proposition
from engagement.selectors import call_list_for_strategy, consultation_synthesis
from evidence.geography import strategy_area_ids
from evidence.models import EvidenceItem, Sharing
from evidence.selectors import SPECIALISM_LQ, bres_areas, bres_years, specialism_analysis
from timeline.models import AgendaItem, Meeting, Phase
from timeline.rules import board_ids_of, can_manage, can_view, is_board_member
from timeline.selectors import meeting_deadlines, phase_list_for_strategy

from .models import (
    BoardPaper,
    DraftSection,
    DraftStrategy,
    DraftVersion,
    Pack,
    PaperAppendix,
    ReviewComment,
    ReviewWindow,
)
from .render import RENDER_VERSION, PackSource
from .rules import review_windows_in_audience

SPECIALISM_ROWS = 10


def draft_get(*, strategy: Strategy) -> DraftStrategy | None:
    return (
        DraftStrategy.objects.filter(strategy=strategy)
        .prefetch_related(
            Prefetch("sections", queryset=DraftSection.objects.select_related("theme", "updated_by")),
            Prefetch(
                "sections__propositions",
                queryset=Proposition.objects.select_related("strategy").order_by("title", "pk"),
            ),
        )
        .first()
    )


def section_list_with_links(*, draft: DraftStrategy) -> QuerySet[DraftSection]:
    """The draft's sections in order with what they draw on: four queries, whatever the links."""
    return (
        DraftSection.objects.filter(draft=draft)
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch("evidence_items", queryset=EvidenceItem.objects.select_related("strategy").order_by("title")),
            Prefetch(
                "priorities",
                queryset=Priority.objects.select_related("organisation", "call__strategy").order_by("title"),
            ),
            Prefetch("propositions", queryset=Proposition.objects.select_related("strategy").order_by("title", "pk")),
        )
    )


def section_link_choices(
    *, strategy: Strategy
) -> tuple[QuerySet[EvidenceItem], QuerySet[Priority], QuerySet[Proposition]]:
    """What a section may link to: the strategy's evidence items, the priorities submitted to its
    calls (not hidden), and its propositions (whatever their status, which the form shows)."""
    items = EvidenceItem.objects.filter(strategy=strategy).order_by("title", "pk")
    priorities = (
        Priority.objects.standing()
        .filter(call__strategy=strategy)
        .select_related("organisation")
        .order_by("title", "pk")
    )
    propositions = Proposition.objects.filter(strategy=strategy).order_by("title", "pk")
    return items, priorities, propositions


def unresolved_counts(*, draft: DraftStrategy) -> dict[int, int]:
    """Unresolved comments per section id, over every review window of the draft: one query."""
    rows = (
        ReviewComment.objects.confirmed()
        .filter(window__draft=draft, parent__isnull=True, resolved_at__isnull=True)
        .values_list("section_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


_confirmed_comments = Q(comments__parent__isnull=True, comments__status=ReviewComment.Status.CONFIRMED)


def review_window_list(*, draft: DraftStrategy) -> QuerySet[ReviewWindow]:
    return (
        ReviewWindow.objects.filter(draft=draft)
        .select_related("version", "opened_by")
        .prefetch_related("organisations")
        .annotate(
            comment_count=Count("comments", filter=_confirmed_comments),
            unresolved_count=Count("comments", filter=_confirmed_comments & Q(comments__resolved_at__isnull=True)),
        )
        .order_by("-opened_at", "-pk")
    )


def review_window_list_for_reviewer(*, strategy: Strategy, user: Any) -> QuerySet[ReviewWindow]:
    """The review windows whose audience includes the person (documents.rules.in_review_audience):
    those inviting an organisation they are a councillor or partner of, those open to everyone
    taking part (if they do), those open to the public."""
    return review_windows_in_audience(user, strategy).select_related("version", "draft").order_by("-opened_at", "-pk")


def review_window_list_open_to_public(*, strategy: Strategy) -> QuerySet[ReviewWindow]:
    """The review windows of `strategy` open now to the public's comments (the overview links them)."""
    return (
        ReviewWindow.objects.filter(
            draft__strategy=strategy, audience=ReviewWindow.Audience.PUBLIC, closed_at__isnull=True
        )
        .select_related("version")
        .order_by("-opened_at", "-pk")
    )


@dataclass(frozen=True)
class ReviewCommentFilters:
    awaiting: str = ""  # "reply": only the comments nobody has replied to or resolved yet


def _awaiting_reply() -> Q:
    return Q(parent__isnull=True, resolved_at__isnull=True, replies__isnull=True, status=ReviewComment.Status.CONFIRMED)


def review_comment_list(
    *, window: ReviewWindow, filters: ReviewCommentFilters | None = None, officer: bool = True
) -> dict[int, list[ReviewComment]]:
    """The window's comments (with their replies) by section id, oldest first; only those awaiting
    a reply when the filters ask. Officers read every confirmed comment; the audience those it
    reads (the public's once published). Two queries however many comments there are."""
    f = filters or ReviewCommentFilters()
    replies = ReviewComment.objects.select_related("author", "organisation").order_by("created_at", "pk")
    comments = (
        (ReviewComment.objects.confirmed() if officer else ReviewComment.objects.shown_to_audience())
        .filter(window=window, parent__isnull=True)
        .select_related("author", "organisation", "resolved_by")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "pk")
    )
    if f.awaiting == "reply":
        comments = comments.filter(_awaiting_reply())
    by_section: dict[int, list[ReviewComment]] = {}
    for comment in comments:
        by_section.setdefault(comment.section_id, []).append(comment)
    return by_section


@dataclass
class SectionCounts:
    """A section's comments in a window, as officers count them."""

    comments: int = 0
    public: int = 0
    awaiting_moderation: int = 0
    answered: int = 0


def review_comment_counts(*, window: ReviewWindow) -> dict[int, SectionCounts]:
    """Per section id: the window's confirmed comments, those from the public, those awaiting
    moderation, and those answered (replied to or resolved). One query."""
    answered = Q(resolved_at__isnull=False) | Exists(ReviewComment.objects.filter(parent=OuterRef("pk")))
    rows = (
        ReviewComment.objects.confirmed()
        .filter(window=window, parent__isnull=True)
        .values("section_id")
        .annotate(
            comments=Count("pk"),
            public=Count("pk", filter=~Q(moderation="")),
            awaiting_moderation=Count("pk", filter=Q(moderation=ReviewComment.Moderation.PENDING)),
            answered=Count("pk", filter=answered),
        )
        .order_by()
    )
    return {
        row["section_id"]: SectionCounts(row["comments"], row["public"], row["awaiting_moderation"], row["answered"])
        for row in rows
    }


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


@dataclass(frozen=True)
class PackFilters:
    status: str = ""


def pack_list_visible(
    *, strategy: Strategy, user: Any, meeting: Meeting | None = None, filters: PackFilters | None = None
) -> QuerySet[Pack]:
    """Packs the person may see (documents.rules.can_see_pack, as a query), of one status when
    the filters ask."""
    packs = Pack.objects.filter(strategy=strategy).select_related(
        "strategy", "meeting__board", "draft_version", "requested_by"
    )
    if meeting is not None:
        packs = packs.filter(meeting=meeting)
    if filters is not None and filters.status:
        packs = packs.filter(status=filters.status)
    if can_manage(user, strategy):
        return packs
    visible = Q(kind=Pack.Kind.MEMBERS, meeting__board_id__in=board_ids_of(user, strategy))
    visible |= Q(kind=Pack.Kind.PUBLIC, meeting__papers_published_on__lte=timezone.localdate())
    if can_view(user, strategy):
        visible |= Q(kind=Pack.Kind.PUBLIC)
    visible |= Q(kind=Pack.Kind.PUBLISHED, publications__published_on__lte=timezone.localdate())
    if is_board_member(user, strategy):
        visible |= Q(kind__in=[Pack.Kind.DRAFT, Pack.Kind.PUBLISHED])
    return packs.filter(visible).distinct()


def evidence_summary(*, strategy: Strategy, public: bool) -> dict[str, Any]:
    """The evidence summary of a pack, as plain data (kept in the pack's inputs): the count of the
    strategy's evidence items by foundation (open items only in a public pack; officers-only items
    never), and the sector specialisms of the strategy's area in the latest year of the data."""
    sharing = [Sharing.OPEN] if public else [Sharing.OPEN, Sharing.PARTNERS]
    items = EvidenceItem.objects.filter(strategy=strategy, sharing__in=sharing)
    foundations = list(Theme.objects.filter(kind=Theme.Kind.FOUNDATION).order_by("order"))
    counts = dict(
        items.filter(themes__kind=Theme.Kind.FOUNDATION)
        .values_list("themes")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    summary: dict[str, Any] = {
        "items": items.count(),
        "by_foundation": [[t.name, counts.get(t.pk, 0)] for t in foundations],
        "specialisms": None,
    }
    areas = list(bres_areas())
    years = bres_years()
    if areas and years:
        own = set(strategy_area_ids(strategy))
        area = next((a for a in areas if a.pk == strategy.area_id), None) or next(
            (a for a in areas if a.pk in own), None
        )
        if area is not None:
            analysis = specialism_analysis(area=area, year=years[-1])
            summary["specialisms"] = {
                "area": area.name,
                "year": analysis.year,
                "count": len(analysis.specialisms),
                "min_lq": SPECIALISM_LQ,
                "min_employment": analysis.min_employment,
                "rows": [
                    [r.industry_code, r.industry_name, round(r.employment), round(r.lq, 2), r.is_specialism]
                    for r in analysis.rows[:SPECIALISM_ROWS]
                ],
            }
    return summary


def consultation_summary(*, strategy: Strategy) -> dict[str, Any]:
    """The consultation summary of a pack, as plain data: each call's counts (engagement's
    selector), and the priorities submitted or withdrawn (never drafts, never hidden ones) by
    status, by theme and by council; and each consultation's responses received, coded, replied to
    and by theme (_consultations). Counts only: no priority's or response's text reaches a pack this way."""
    calls: list[list[Any]] = []
    for call in call_list_for_strategy(strategy=strategy):
        counted: Any = call  # annotated by the selector with submitted_count and unanswered_count
        calls.append([call.title, counted.submitted_count, counted.unanswered_count])
    shared = Priority.objects.shared().filter(call__strategy=strategy)
    statuses = dict(shared.values_list("status").annotate(n=Count("pk")).order_by())
    submitted = shared.filter(status=Priority.Status.SUBMITTED)
    themes = list(Theme.objects.order_by("kind", "order"))
    by_theme = dict(submitted.values_list("themes").annotate(n=Count("pk", distinct=True)).order_by())
    by_council = list(
        submitted.values_list("organisation__name").annotate(n=Count("pk")).order_by("-n", "organisation__name")
    )
    return {
        "calls": calls,
        "consultations": _consultations(strategy),
        "by_status": [
            ["Submitted", statuses.get(Priority.Status.SUBMITTED, 0)],
            ["Withdrawn", statuses.get(Priority.Status.WITHDRAWN, 0)],
            ["Answered (of those submitted)", submitted.filter(responded_at__isnull=False).count()],
        ],
        "by_theme": [[t.name, by_theme.get(t.pk, 0)] for t in themes],
        "by_council": [[name, n] for name, n in by_council],
    }


def _consultations(strategy: Strategy) -> list[dict[str, Any]]:
    """Each consultation of the strategy that has opened (open or closed), newest first: the responses
    received (submitted and shown), how many the officers have coded and replied to, and the coded
    responses by theme (engagement's synthesis). Counts only, like the rest of the summary."""
    now = timezone.now()
    rows: list[dict[str, Any]] = []
    for consultation in Consultation.objects.filter(strategy=strategy, opens_at__lte=now).order_by("-opens_at", "pk"):
        synthesis = consultation_synthesis(consultation=consultation, questions=[])
        replied = ConsultationResponse.objects.filter(
            consultation=consultation, status=ConsultationResponse.Status.SUBMITTED, is_hidden=False
        ).exclude(replied_at=None)
        rows.append(
            {
                "title": consultation.title,
                "open": consultation.is_open(now),
                "closes": date_format(timezone.localtime(consultation.closes_at), "j F Y"),
                "received": synthesis.submitted,
                "coded": synthesis.submitted - synthesis.uncoded,
                "replied": replied.count(),
                "by_theme": [[t.label, t.count] for t in synthesis.by_theme],
            }
        )
    return rows


def _phases(strategy: Strategy) -> list[Phase]:
    return list(phase_list_for_strategy(strategy=strategy))


def pack_inputs(
    *,
    strategy: Strategy,
    kind: str,
    meeting: Meeting | None,
    draft_version: DraftVersion | None,
    publication: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], str]:
    """Every input that changes what a pack shows, and its SHA-256: the pack's fingerprint. A
    published strategy's pack keeps its edition and day (`publication`), which its cover prints."""
    inputs: dict[str, Any] = {"render": RENDER_VERSION, "strategy": strategy.pk, "kind": kind}
    if draft_version is not None:
        inputs["draft_version"] = draft_version.pk
    if publication is not None:
        inputs["publication"] = publication
    if kind == Pack.Kind.PUBLISHED:
        # The published strategy's charts, as its page and its PDF both show them (open items only).
        inputs["evidence"] = evidence_summary(strategy=strategy, public=True)
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
        # The summaries are kept in the inputs: the pack renders from them, so what it shows is
        # exactly what its fingerprint digests.
        inputs["evidence"] = evidence_summary(strategy=strategy, public=kind == Pack.Kind.PUBLIC)
        inputs["consultation"] = consultation_summary(strategy=strategy)
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
    if pack.kind == Pack.Kind.PUBLISHED:
        assert pack.draft_version is not None
        return PackSource(
            pack=pack,
            title=strategy.name,
            author=author,
            draft_version=pack.draft_version,
            publication=pack.inputs.get("publication"),
            evidence=pack.inputs.get("evidence"),
        )
    meeting = pack.meeting
    assert meeting is not None
    items = agenda_with_papers(meeting=meeting)
    label = "Members’ pack" if pack.kind == Pack.Kind.MEMBERS else "Public pack"
    return PackSource(
        pack=pack,
        title=f"{meeting.title}, {timezone.localtime(meeting.starts_at):%-d %B %Y}: {label.lower()}",
        author=author,
        meeting=meeting,
        agenda=items,
        papers={i.pk: i.paper_or_none for i in items if i.paper_or_none is not None},  # type: ignore[attr-defined]
        draft_version=pack.draft_version,
        phases=_phases(strategy),
        evidence=pack.inputs.get("evidence"),
        consultation=pack.inputs.get("consultation"),
    )


# Your work -------------------------------------------------------------------------------------

NEXT_MEETINGS = 3


def _officer_todos(strategy: Strategy, now: datetime) -> list[Todo]:
    """Papers due for the next meetings (with the publication deadline), review comments awaiting
    a reply window by window, and packs that failed: three queries, whatever the rows."""
    today = timezone.localdate(now)
    todos: list[Todo] = []
    meetings = (
        Meeting.objects.filter(board__strategy=strategy, starts_at__gte=now, papers_published_on__isnull=True)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("board__strategy")
        .annotate(
            item_count=Count("agenda_items", distinct=True), paper_count=Count("agenda_items__paper", distinct=True)
        )
        .order_by("starts_at", "pk")[:NEXT_MEETINGS]
    )
    for meeting in meetings:
        counted: Any = meeting
        deadline = meeting_deadlines(meeting, today=today)
        missing = counted.item_count - counted.paper_count
        hint = f"Publish the papers by {deadline.papers.day:%A %-d %B %Y}"
        if deadline.papers_missed:
            hint += " (the deadline has passed)"
        kwargs = {"strategy_slug": strategy.slug, "pk": meeting.pk}
        if missing:  # written on the meeting's page
            todos.append(
                Todo(f"Papers still to write for {meeting}", "documents:meeting-papers", kwargs, missing, hint=hint)
            )
        else:  # published on the day the officer chooses, from the meeting's page
            todos.append(
                Todo(
                    f"Papers to publish for {meeting}",
                    "documents:papers-publish",
                    kwargs,
                    hint=hint,
                    status="To publish",
                )
            )
    awaiting = (
        ReviewComment.objects.filter(_awaiting_reply(), window__draft__strategy=strategy)
        .values_list("window_id", "window__version__number")
        .annotate(n=Count("pk"))
        .order_by("window_id")
    )
    for window_id, number, n in awaiting:
        todos.append(
            Todo(
                f"Review comments awaiting a reply: version {number} of the draft",
                "documents:review-detail",
                {"strategy_slug": strategy.slug, "pk": window_id},
                n,
                {"awaiting": "reply"},
            )
        )
    failed = Pack.objects.filter(strategy=strategy, status=Pack.Status.FAILED).count()
    if failed:
        todos.append(
            Todo(
                "Packs that failed",
                "documents:pack-list",
                {"strategy_slug": strategy.slug},
                failed,
                {"status": "failed"},
            )
        )
    return todos


def _agenda_label(meeting: Meeting) -> str:
    """ "Agenda and papers for Strategic Board: 10 December", without naming the board twice when the
    meeting's title already does."""
    board, title = meeting.board.name, meeting.title
    return f"Agenda and papers for {title if board.casefold() in title.casefold() else f'{board}: {title}'}"


def _board_member_todos(strategy: Strategy, user: Any, now: datetime) -> list[Todo]:
    """The next meetings of the person's boards, each with its agenda and papers and its ready
    members' pack: two queries (and the person's boards, once a request)."""
    ready = Pack.objects.filter(kind=Pack.Kind.MEMBERS, status=Pack.Status.READY).order_by("-finished_at", "-pk")
    meetings = (
        Meeting.objects.filter(board_id__in=board_ids_of(user, strategy), starts_at__gte=now)
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("board__strategy")
        .prefetch_related(Prefetch("packs", queryset=ready, to_attr="ready_packs"))
        .order_by("starts_at", "pk")[:NEXT_MEETINGS]
    )
    todos: list[Todo] = []
    for meeting in meetings:
        packs: list[Pack] = meeting.ready_packs
        also = tuple(
            Todo(
                f"Members’ pack, ready ({pack.page_count} pages)",
                "documents:pack-detail",
                {"strategy_slug": strategy.slug, "pk": pack.pk},
            )
            for pack in packs[:1]
        )
        place = f", {meeting.location}" if meeting.location else ""
        todos.append(
            Todo(
                _agenda_label(meeting),
                "documents:meeting-papers",
                {"strategy_slug": strategy.slug, "pk": meeting.pk},
                hint=f"{timezone.localtime(meeting.starts_at):%A %-d %B %Y, %H:%M}{place}"
                + ("" if packs else ". No pack is ready yet"),
                status="Pack ready" if packs else "No pack yet",
                also=also,
            )
        )
    return todos


def documents_todos_for(*, user: Any, strategy: Strategy, now: datetime | None = None) -> dict[str, list[Todo]]:
    """Documents' to-dos for `user`, by role: "officer" (papers due, review comments awaiting a
    reply, packs that failed) and "board_member" (the next meetings of their boards, each with
    its agenda and its ready pack)."""
    now = now or timezone.now()
    todos: dict[str, list[Todo]] = {}
    if can_manage(user, strategy):
        todos["officer"] = _officer_todos(strategy, now)
    if is_board_member(user, strategy):
        todos["board_member"] = _board_member_todos(strategy, user, now)
    return todos
