"""A meeting's one page (docs/design.md "Growing the house"): timeline's business of the meeting
(agenda, attendance, declarations, decisions, deadlines, officers' actions to timeline's forms)
with each item's paper and the meeting's packs; the pack request (officers); a paper read as a
page; and a paper as its own PDF. Public, like the timeline, from the day the meeting's papers are
published (officers and the board's members before); an exempt paper in full only for those
documents.rules.can_read_paper allows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.access import get_strategy_for_user_or_404, get_strategy_or_404
from core.exceptions import ApplicationError
from core.http import form_error_field, found_or_sign_in, request_user
from core.queue import enqueue, watch
from engagement.tasks import board_publications_announce
from timeline.access import papers_are_public
from timeline.deadlines import holidays_known_until
from timeline.interests.selectors import declare_panel
from timeline.minutes.selectors import minutes_section
from timeline.rules import can_view
from timeline.services import meeting_papers_publish

from .. import selectors, services
from ..access import get_board_paper_for_user_or_404, get_meeting_for_documents_or_404
from ..forms import PackRequestForm, PapersPublishForm
from ..meeting_page import meeting_page
from ..models import BoardPaper, DraftVersion, Pack
from ..render import paper_part
from ..rules import can_read_paper, can_write
from .packs import pack_requested_message

WRITE = "documents.write_documents"


@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The meeting's one page, public like the timeline: its details and deadlines for everyone;
    its agenda, papers, public pack, attendance, declarations and published decisions from the day
    its papers are published (documents.meeting_page); its whole business for officers and the
    board's members; and (for officers) the pack request."""
    user = request.user
    if request.method == "POST" and not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    strategy = get_strategy_or_404(user, strategy_slug)
    meeting = get_meeting_for_documents_or_404(user, strategy, pk, write=request.method == "POST")
    writer = bool(can_write(user, strategy))
    form = None
    if writer:
        officer = request_user(request)
        draft = selectors.draft_get(strategy=strategy)
        versions = selectors.draft_version_list(draft=draft) if draft else DraftVersion.objects.none()
        form = PackRequestForm(request.POST if request.method == "POST" else None, versions=versions)
        if request.method == "POST" and form.is_valid():
            try:
                with watch() as unsent:
                    pack, created = services.pack_request(
                        actor=officer,
                        strategy=strategy,
                        kind=form.cleaned_data["kind"],
                        meeting=meeting,
                        draft_version=form.cleaned_data["draft_version"],
                    )
            except ApplicationError as error:
                form.add_error(form_error_field(form, error), error.message)
            else:
                pack_requested_message(request, created=created, unsent=unsent.count)
                return redirect(pack.get_absolute_url())
    page = meeting_page(meeting=meeting, user=user)
    business = page.business
    return render(
        request,
        "documents/meeting_detail.html",
        {
            "strategy": strategy,
            "meeting": business.meeting,
            "row": business.row,
            "page": page,
            "papers_public": papers_are_public(meeting),
            "meeting_started": meeting.starts_at <= timezone.now(),
            # Milestones are the process's pages, for the people taking part and the boards.
            "can_view_process": bool(can_view(user, strategy)),
            "items": page.items,
            "decisions": business.decisions,
            "attendance_rows": business.attendance_rows,
            "others_attending": business.others_attending,
            "pack_rows": page.packs,
            "can_manage": writer,
            "can_write": writer,
            "holidays_known_until": holidays_known_until(),
            "form": form,
            "minutes_section": minutes_section(meeting=business.meeting, user=user),
            "interests": declare_panel(
                meeting=business.meeting,
                user=user,
                items=[row.agenda.item for row in page.items],
                paper_titles={row.agenda.item.pk: row.paper.paper.title for row in page.items if row.paper},
                today=timezone.localdate(),
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def papers_publish(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """Officers publish the meeting's agenda and papers on a day they choose, having checked what
    will be public: each item's paper (exempt ones by title and paragraph only) and the public pack."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    meeting = get_meeting_for_documents_or_404(user, strategy, pk, write=True)
    form = PapersPublishForm(request.POST or None, initial={"on": meeting.papers_published_on or timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_papers_publish(actor=user, meeting=meeting, on=form.cleaned_data["on"])
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            assert meeting.papers_published_on is not None
            if papers_are_public(meeting):  # the board's followers hear now, not at the next beat
                enqueue(board_publications_announce)
            messages.success(
                request,
                "The agenda and papers are published: everyone can read them now."
                if papers_are_public(meeting)
                else f"The agenda and papers will be published on {meeting.papers_published_on:%-d %B %Y}: everyone "
                "can read them from that day.",
            )
            return redirect(meeting.get_absolute_url())
    page = meeting_page(meeting=meeting, user=user)
    return render(
        request,
        "documents/papers_publish.html",
        {
            "strategy": strategy,
            "meeting": meeting,
            "row": page.business.row,
            "items": page.items,
            "public_pack": next((r.pack for r in page.packs if r.current and r.pack.kind == Pack.Kind.PUBLIC), None),
            "form": form,
        },
    )


@require_http_methods(["GET"])
def paper_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """A paper read as a page: its cover sheet, recommendations, body and appendices listed. Public
    from the day its meeting's papers are published; an exempt paper the person may not read shows
    its title and paragraph only. Before that, anonymous visitors are asked to sign in."""
    user = request.user
    strategy = get_strategy_or_404(user, strategy_slug)
    paper = found_or_sign_in(request, lambda: get_board_paper_for_user_or_404(user, strategy, pk))
    if isinstance(paper, HttpResponse):
        return paper
    meeting = paper.agenda_item.meeting
    readable = can_read_paper(user, paper, meeting)
    return render(
        request,
        "documents/paper_detail.html",
        {
            "strategy": strategy,
            "meeting": meeting,
            "paper": paper,
            "part": paper_part(paper, paper.agenda_item, withheld=not readable, appendix_pages={}, body_heading=3),
            "readable": readable,
            "can_write": can_write(user, strategy),
        },
    )


@require_http_methods(["GET"])
def paper_pdf(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The paper as its own PDF, an attachment, for those who may read it in full (as the paper's
    page); never cached on the way."""
    user = request.user
    strategy = get_strategy_or_404(user, strategy_slug)

    def readable() -> BoardPaper:
        paper = get_board_paper_for_user_or_404(user, strategy, pk)
        if not can_read_paper(user, paper, paper.agenda_item.meeting):
            raise Http404("No paper here.")
        return paper

    paper = found_or_sign_in(request, readable)
    if isinstance(paper, HttpResponse):
        return paper
    rendered = services.paper_pdf_get(actor=user if user.is_authenticated else None, paper=paper)
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    item = paper.agenda_item
    filename = f"{strategy.slug}-meeting-{item.meeting_id}-item-{item.number}-paper-v{paper.version}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
