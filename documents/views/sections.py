"""A section of the draft: its text and the evidence, priorities and propositions it draws on,
written and saved together (with a preview, and the refusal of a save made on an old version)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString
from django.views.decorators.http import require_http_methods

from core.access import get_strategy_for_user_or_404
from core.exceptions import Conflict
from core.http import request_user, versioned_save
from core.markdown import markdown_to_html

from .. import selectors, services
from ..access import get_draft_section_for_user_or_404
from ..forms import SectionForm

WRITE = "documents.write_documents"


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """Write a section: its text and what it draws on, saved together; a preview; a save made on an
    old version refused with their text shown and this person's kept in the form."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    section = get_draft_section_for_user_or_404(user, strategy, pk, write=True)
    items, priorities, propositions = selectors.section_link_choices(strategy=strategy)

    def form_for(data: QueryDict | None, initial: dict[str, Any] | None = None) -> SectionForm:
        return SectionForm(data, initial=initial, items=items, priorities=priorities, propositions=propositions)

    preview: SafeString | None = None
    theirs = None
    conflicts: list[Conflict] = []
    if request.method == "POST" and "preview" in request.POST:
        form = form_for(request.POST)
        if form.is_valid():
            preview = markdown_to_html(form.cleaned_data["body"])
    elif request.method == "POST":
        form, saved, conflicts = versioned_save(
            request.POST,
            current=section,
            form_for=lambda data, _: form_for(data),
            save=lambda form, version: services.draft_section_save(
                actor=user,
                section=section,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                version=version,
                **form.link_ids(),
            ),
        )
        if saved is not None:
            messages.success(request, f"“{saved.title}” saved, with what it draws on.")
            return redirect("documents:draft", strategy_slug=strategy.slug)
        if form.data.get("version") != request.POST.get("version"):  # refused as stale: show theirs
            section.refresh_from_db()
            theirs = section
    linked = selectors.section_list_with_links(draft=section.draft).get(pk=section.pk)
    if request.method == "GET":
        form = form_for(
            None,
            initial={
                "title": section.title,
                "body": section.body,
                "version": section.version,
                "evidence_items": list(linked.evidence_items.all()),
                "priorities": list(linked.priorities.all()),
                "propositions": list(linked.propositions.all()),
            },
        )
    return render(
        request,
        "documents/section_form.html",
        {
            "strategy": strategy,
            "section": section,
            "linked": linked,
            "form": form,
            "preview": preview,
            "theirs": theirs,
            "theirs_html": markdown_to_html(theirs.body) if theirs else None,
            "conflicts": conflicts,
        },
    )
