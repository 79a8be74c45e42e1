"""A section of the draft: writing it (with a preview, and the refusal of a save made on an old
version), and the evidence, priorities and propositions it draws on."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_http_methods, require_POST

from core.access import get_strategy_for_user_or_404
from core.http import post_action, request_user, versioned_save
from core.markdown import markdown_to_html

from .. import selectors, services
from ..access import get_draft_section_for_user_or_404
from ..forms import SectionForm, SectionLinksForm

WRITE = "documents.write_documents"


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    section = get_draft_section_for_user_or_404(user, strategy, pk, write=True)
    preview: SafeString | None = None
    theirs = None
    if request.method == "POST" and "preview" in request.POST:
        form = SectionForm(request.POST)
        if form.is_valid():
            preview = markdown_to_html(form.cleaned_data["body"])
    elif request.method == "POST":
        form, saved, _ = versioned_save(
            request.POST,
            current=section,
            form_for=lambda data, _: SectionForm(data),
            save=lambda form, version: services.draft_section_save(
                actor=user,
                section=section,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                version=version,
            ),
        )
        if saved is not None:
            messages.success(request, f"“{saved.title}” saved.")
            return redirect("documents:draft", strategy_slug=strategy.slug)
        if form.data.get("version") != request.POST.get("version"):  # refused as stale: show their text
            section.refresh_from_db()
            theirs = section
    else:
        form = SectionForm(initial={"title": section.title, "body": section.body, "version": section.version})
    linked = selectors.section_list_with_links(draft=section.draft).get(pk=section.pk)
    items, priorities, propositions = selectors.section_link_choices(strategy=strategy)
    links_form = SectionLinksForm(
        items=items,
        priorities=priorities,
        propositions=propositions,
        initial={
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
            "links_form": links_form,
            "form": form,
            "preview": preview,
            "theirs": theirs,
            "theirs_html": markdown_to_html(theirs.body) if theirs else None,
        },
    )


@login_required
@require_POST
def section_links(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """Set the evidence items, priorities and propositions a section draws on."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    section = get_draft_section_for_user_or_404(user, strategy, pk, write=True)
    items, priorities, propositions = selectors.section_link_choices(strategy=strategy)
    form = SectionLinksForm(request.POST, items=items, priorities=priorities, propositions=propositions)
    back = reverse("documents:section-edit", kwargs={"strategy_slug": strategy.slug, "pk": section.pk})
    if form.is_valid():
        return post_action(
            request,
            lambda: services.draft_section_links_set(
                actor=user,
                section=section,
                evidence_item_ids=[e.pk for e in form.cleaned_data["evidence_items"]],
                priority_ids=[p.pk for p in form.cleaned_data["priorities"]],
                proposition_ids=[p.pk for p in form.cleaned_data["propositions"]],
            ),
            success=f"The links of “{section.title}” are saved.",
            redirect_to=back,
        )
    if "propositions" in form.errors:
        messages.error(request, "Choose propositions of this strategy. Nothing was saved.")
    else:
        messages.error(request, "Choose evidence items, priorities and propositions from the lists.")
    return redirect(back)
