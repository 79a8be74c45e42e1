"""A meeting's one page (docs/design.md "Growing the house"): timeline's business of the meeting
(agenda, attendance, declarations, decisions, deadlines, officers' actions to timeline's forms)
with each item's paper and the meeting's packs; the pack request (officers); a paper read as a
page; and a paper as its own PDF. Officers and the members of the meeting's board; an exempt
paper in full only for those documents.rules.can_read_paper allows."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.access import get_strategy_for_user_or_404
from core.exceptions import ApplicationError
from core.http import form_error_field, request_user
from core.queue import watch
from timeline.deadlines import holidays_known_until
from timeline.interests.selectors import declare_panel

from .. import selectors, services
from ..access import get_board_paper_for_user_or_404, get_meeting_for_documents_or_404
from ..forms import PackRequestForm
from ..meeting_page import meeting_page
from ..models import DraftVersion
from ..render import paper_part
from ..rules import can_read_paper, can_write
from .packs import pack_requested_message

VIEW = "documents.view_documents"


@login_required
@require_http_methods(["GET", "POST"])
def meeting_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The meeting with its papers and packs, and (for officers) the pack request."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    meeting = get_meeting_for_documents_or_404(user, strategy, pk, write=request.method == "POST")
    writer = bool(can_write(user, strategy))
    draft = selectors.draft_get(strategy=strategy) if writer else None
    versions = selectors.draft_version_list(draft=draft) if draft else DraftVersion.objects.none()
    form = PackRequestForm(request.POST if request.method == "POST" else None, versions=versions)
    if request.method == "POST" and form.is_valid():
        try:
            with watch() as unsent:
                pack, created = services.pack_request(
                    actor=user,
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
            "items": page.items,
            "decisions": business.decisions,
            "attendance_rows": business.attendance_rows,
            "others_attending": business.others_attending,
            "pack_rows": page.packs,
            "can_manage": writer,
            "can_write": writer,
            "holidays_known_until": holidays_known_until(),
            "form": form,
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
@require_http_methods(["GET"])
def paper_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """A paper read as a page: its cover sheet, recommendations, body and appendices listed. An
    exempt paper the person may not read shows its title and paragraph only."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    paper = get_board_paper_for_user_or_404(user, strategy, pk)
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


@login_required
@require_http_methods(["GET"])
def paper_pdf(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The paper as its own PDF, an attachment; an exempt one is never cached on the way."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    paper = get_board_paper_for_user_or_404(user, strategy, pk)
    if not can_read_paper(user, paper, paper.agenda_item.meeting):
        raise Http404("No paper here.")
    rendered = services.paper_pdf_get(actor=user, paper=paper)
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    item = paper.agenda_item
    filename = f"{strategy.slug}-meeting-{item.meeting_id}-item-{item.number}-paper-v{paper.version}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
