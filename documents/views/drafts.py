"""The draft strategy: its page, and one URL and view for each thing done to it (starting it,
saving a version, setting its status, requesting its pack); comparing two versions.

The actions are POST-only and go back to the draft's page; a form that does not pass is shown
on the draft's page again, with its errors."""

from __future__ import annotations

import difflib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from core.access import get_strategy_for_user_or_404, get_strategy_or_404
from core.exceptions import ApplicationError
from core.http import form_error_field, found_or_sign_in, post_action, request_user
from core.models import Strategy, User
from core.queue import watch

from .. import selectors, services
from ..access import get_shared_version_or_404
from ..forms import CompareForm, DraftStatusForm, VersionForm
from ..models import DraftStrategy, DraftVersion, Pack
from ..render import version_sections_to_read
from ..rules import can_write
from .packs import pack_requested_message

WRITE = "documents.write_documents"
VIEW = "documents.view_documents"


def _draft_or_404(request: HttpRequest, strategy_slug: str) -> tuple[User, Strategy, DraftStrategy]:
    """The officer, the strategy and its draft (404 when there is none yet)."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    draft = selectors.draft_get(strategy=strategy)
    if draft is None:
        raise Http404("No draft yet.")
    return user, strategy, draft


def _draft_url(strategy: Strategy) -> str:
    return reverse("documents:draft", kwargs={"strategy_slug": strategy.slug})


def _draft_page(
    request: HttpRequest,
    strategy: Strategy,
    draft: DraftStrategy,
    *,
    version_form: VersionForm | None = None,
    status_form: DraftStatusForm | None = None,
) -> HttpResponse:
    """The draft's page; an action whose form did not pass passes it here, bound, to show its errors."""
    versions = selectors.draft_version_list(draft=draft)
    unresolved = selectors.unresolved_counts(draft=draft)
    sections = list(draft.sections.all())
    for section in sections:
        section.unresolved = unresolved.get(section.pk, 0)  # type: ignore[attr-defined]
    listed = list(versions)
    return render(
        request,
        "documents/draft_detail.html",
        {
            "strategy": strategy,
            "draft": draft,
            "sections": sections,
            "reviews": list(selectors.review_window_list(draft=draft)),
            "versions": listed,
            "version_form": version_form or VersionForm(),
            "status_form": status_form or DraftStatusForm(initial={"status": draft.status}),
            "compare_form": CompareForm(versions=versions) if len(listed) >= 2 else None,
            "pack_versions": listed,
        },
    )


@login_required
@require_http_methods(["GET"])
def draft_detail(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """The draft's sections, reviews and versions, with the forms of the actions; before there is a
    draft, the page that starts it."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    draft = selectors.draft_get(strategy=strategy)
    if draft is None:
        return render(request, "documents/draft_start.html", {"strategy": strategy})
    return _draft_page(request, strategy, draft)


@login_required
@require_POST
def draft_create(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    return post_action(
        request,
        lambda: services.draft_create(actor=user, strategy=strategy),
        success=None,
        redirect_to=_draft_url(strategy),
    )


@login_required
@require_POST
def version_save(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """Snapshot the draft as its next version, with a note saying what changed."""
    user, strategy, draft = _draft_or_404(request, strategy_slug)
    form = VersionForm(request.POST)
    if form.is_valid():
        try:
            version = services.draft_version_save(actor=user, draft=draft, note=form.cleaned_data["note"])
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"Version {version.number} saved.")
            return redirect(_draft_url(strategy))
    return _draft_page(request, strategy, draft, version_form=form)


@login_required
@require_POST
def draft_status_set(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    user, strategy, draft = _draft_or_404(request, strategy_slug)
    form = DraftStatusForm(request.POST, initial={"status": draft.status})
    if form.is_valid():
        try:
            services.draft_status_set(actor=user, draft=draft, status=form.cleaned_data["status"])
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, "Status set.")
            return redirect(_draft_url(strategy))
    return _draft_page(request, strategy, draft, status_form=form)


@login_required
@require_POST
def draft_pack_request(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """Render a saved version of the draft as a PDF: the pack's page, or the pack already made from it."""
    user, strategy, draft = _draft_or_404(request, strategy_slug)
    chosen = request.POST.get("draft_version", "")
    version = selectors.draft_version_list(draft=draft).filter(pk=int(chosen)).first() if chosen.isdigit() else None
    try:
        if version is None:
            raise ApplicationError("Choose the version of the draft to render.")
        with watch() as unsent:
            pack, created = services.pack_request(
                actor=user, strategy=strategy, kind=Pack.Kind.DRAFT, draft_version=version
            )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(_draft_url(strategy))
    pack_requested_message(request, created=created, unsent=unsent.count)
    return redirect(pack.get_absolute_url())


def _diff(old: str, new: str) -> SafeString:
    """The words of `new` against `old`: removed words in <del>, added ones in <ins>."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(out))  # noqa: S308 — every piece of text is escaped above


@login_required
@require_http_methods(["GET"])
def version_compare(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    draft = selectors.draft_get(strategy=strategy)
    if draft is None:
        raise Http404("No draft yet.")
    versions = selectors.draft_version_list(draft=draft)
    form = CompareForm(request.GET or None, versions=versions)
    rows = []
    older: DraftVersion | None = None
    newer: DraftVersion | None = None
    if form.is_valid():
        older, newer = sorted((form.cleaned_data["a"], form.cleaned_data["b"]), key=lambda v: v.number)
        before = {s["title"]: s["body"] for s in older.sections}
        after = {s["title"]: s["body"] for s in newer.sections}
        titles = [s["title"] for s in newer.sections] + [t for t in before if t not in after]
        for title in titles:
            old_text, new_text = before.get(title, ""), after.get(title, "")
            rows.append(
                {
                    "title": title,
                    "old": old_text,
                    "new": new_text,
                    "diff": _diff(old_text, new_text),
                    "changed": old_text != new_text,
                    "added": title not in before,
                    "removed": title not in after,
                }
            )
    return render(
        request,
        "documents/version_compare.html",
        {"strategy": strategy, "draft": draft, "form": form, "rows": rows, "older": older, "newer": newer},
    )


@require_http_methods(["GET"])
def version_detail(request: HttpRequest, strategy_slug: str, number: int) -> HttpResponse:
    """A saved version, read in the browser by those it was shared with (documents.rules; the
    version of a review window open to the public, by everybody): each section with what it draws
    on, as far as the reader may see; an anchor per section (#section-<id>) for the links from a
    priority's page. Anyone else: 404, or sign in."""
    user = request.user
    found = found_or_sign_in(request, lambda: _shared_version(user, strategy_slug, number))
    if isinstance(found, HttpResponse):
        return found
    strategy, version = found
    officer = bool(can_write(user, strategy))
    sections = version_sections_to_read(version, public=not user.has_perm(VIEW, strategy), officer=officer)
    return render(
        request,
        "documents/version_detail.html",
        {"strategy": strategy, "version": version, "sections": sections, "officer": officer},
    )


def _shared_version(user: Any, strategy_slug: str, number: int) -> tuple[Strategy, DraftVersion]:
    strategy = get_strategy_or_404(user, strategy_slug)
    return strategy, get_shared_version_or_404(user, strategy, number)
