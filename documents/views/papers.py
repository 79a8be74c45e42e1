"""Board papers: a meeting's agenda with its papers (and, for officers, the pack request), writing
the paper of an agenda item, and adding its PDF appendices."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.access import get_strategy_for_user_or_404
from core.exceptions import ApplicationError, Conflict
from core.http import form_error_field, request_user, versioned_save

from .. import selectors, services
from ..access import get_agenda_item_for_user_or_404, get_meeting_for_documents_or_404
from ..forms import AppendixForm, BoardPaperForm, PackRequestForm
from ..models import BoardPaper, DraftVersion
from ..rules import can_write

VIEW = "documents.view_documents"
WRITE = "documents.write_documents"


@login_required
@require_http_methods(["GET", "POST"])
def meeting_papers(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """A meeting's agenda with its papers, and (for officers) the pack request."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    meeting = get_meeting_for_documents_or_404(user, strategy, pk, write=request.method == "POST")
    writer = bool(can_write(user, strategy))
    draft = selectors.draft_get(strategy=strategy) if writer else None
    versions = selectors.draft_version_list(draft=draft) if draft else DraftVersion.objects.none()
    form = PackRequestForm(request.POST if request.method == "POST" else None, versions=versions)
    if request.method == "POST" and form.is_valid():
        try:
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
            if not created:
                messages.info(request, "Nothing has changed since this pack was made, so here it is.")
            return redirect(pack.get_absolute_url())
    return render(
        request,
        "documents/meeting_papers.html",
        {
            "strategy": strategy,
            "meeting": meeting,
            "items": selectors.agenda_with_papers(meeting=meeting),
            "packs": list(selectors.pack_list_visible(strategy=strategy, user=user, meeting=meeting)),
            "can_write": writer,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def paper_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The paper of agenda item `pk`: written here, created on first save."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    item = get_agenda_item_for_user_or_404(user, strategy, pk, write=True)
    paper = BoardPaper.objects.filter(agenda_item=item).prefetch_related("appendices").first()
    conflicts: list[Conflict] = []
    if request.method == "POST":
        form, saved, conflicts = versioned_save(
            request.POST,
            current=paper,
            form_for=lambda data, current: BoardPaperForm(data, instance=current),
            save=lambda form, version: services.board_paper_save(
                actor=user, agenda_item=item, data=_paper_data(form), version=version or None
            ),
        )
        if saved is not None:
            messages.success(request, "Paper saved.")
            return redirect("documents:meeting-papers", strategy_slug=strategy.slug, pk=item.meeting_id)
    else:
        initial: dict[str, object] = {"version": paper.version} if paper else {"title": item.title, "author": user.name}
        form = BoardPaperForm(instance=paper, initial=initial)
    return render(
        request,
        "documents/paper_form.html",
        {
            "strategy": strategy,
            "item": item,
            "paper": paper,
            "form": form,
            "appendix_form": AppendixForm(prefix="appendix"),
            "conflicts": conflicts,
        },
    )


def _paper_data(form: BoardPaperForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in services.PAPER_FIELDS if name in form.cleaned_data}


@login_required
@require_POST
def appendix_add(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    item = get_agenda_item_for_user_or_404(user, strategy, pk, write=True)
    paper = BoardPaper.objects.filter(agenda_item=item).prefetch_related("appendices").first()
    if paper is None:
        raise Http404("Write the paper before adding appendices.")
    appendix_form = AppendixForm(request.POST, request.FILES, prefix="appendix")
    if appendix_form.is_valid():
        try:
            services.paper_appendix_add(
                actor=user,
                paper=paper,
                title=appendix_form.cleaned_data["title"],
                upload=appendix_form.cleaned_data["file"],
            )
        except ApplicationError as error:
            appendix_form.add_error(form_error_field(appendix_form, error), error.message)
        else:
            messages.success(request, "Appendix added.")
            return redirect("documents:paper-edit", strategy_slug=strategy.slug, pk=item.pk)
    form = BoardPaperForm(instance=paper, initial={"version": paper.version})
    return render(
        request,
        "documents/paper_form.html",
        {"strategy": strategy, "item": item, "paper": paper, "form": form, "appendix_form": appendix_form},
    )
