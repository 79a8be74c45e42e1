"""Board papers: writing the paper of an agenda item, and adding its PDF appendices (officers).
Reading them is on the meeting's page (meetings.py)."""

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

from .. import services
from ..access import get_agenda_item_for_user_or_404
from ..forms import AppendixForm, BoardPaperForm
from ..models import BoardPaper

WRITE = "documents.write_documents"


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
            return redirect("documents:meeting-detail", strategy_slug=strategy.slug, pk=item.meeting_id)
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
