"""Review windows: the list, opening one on a version for its audience, its page (where the
audience reads and, signed in, comments; officers count, answer and moderate), closing it, and the
officers' replies, resolutions and moderation. A window open to the public is read signed out too;
the signed-out comment form is views/review_public.py."""

from __future__ import annotations

from typing import NoReturn

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.access import get_strategy_for_user_or_404, get_strategy_or_404
from core.exceptions import ApplicationError
from core.http import filters_from, form_error_field, found_or_sign_in, post_action, request_user
from core.markdown import markdown_to_html
from core.models import Strategy, User

from .. import selectors, services
from ..access import get_review_comment_for_user_or_404, get_review_window_for_user_or_404
from ..forms import CommentForm, ReviewCommentFilterForm, ReviewOpenForm
from ..models import DraftSection, ReviewWindow
from ..render import shared_links
from ..rules import can_comment, can_comment_publicly, can_write

VIEW = "documents.view_documents"
WRITE = "documents.write_documents"


@require_http_methods(["GET"])
def review_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """Officers: every review window of the draft. Everyone else: those whose audience they are in;
    for someone who does not take part, the page exists only while a window is open to the public
    (else sign in, or 404)."""
    user = request.user
    found = found_or_sign_in(request, lambda: get_strategy_or_404(user, strategy_slug))
    if isinstance(found, HttpResponse):
        return found
    strategy = found
    writer = bool(can_write(user, strategy))
    viewer = user.has_perm(VIEW, strategy)
    draft = selectors.draft_get(strategy=strategy) if writer else None
    if writer:
        windows = list(selectors.review_window_list(draft=draft)) if draft else []
    else:
        windows = list(selectors.review_window_list_for_reviewer(strategy=strategy, user=user))
    if not viewer and not windows:
        return found_or_sign_in(request, _no_review)
    return render(
        request,
        "documents/review_list.html",
        {"strategy": strategy, "windows": windows, "can_write": writer, "draft": draft, "can_view": viewer},
    )


def _no_review() -> NoReturn:
    raise Http404("No review here.")


@login_required
@require_http_methods(["GET", "POST"])
def review_open(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    draft = selectors.draft_get(strategy=strategy)
    if draft is None:
        raise Http404("No draft yet.")
    form = ReviewOpenForm(
        request.POST if request.method == "POST" else None,
        versions=selectors.draft_version_list(draft=draft),
        organisations=strategy.partners.order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            window = services.review_window_open(
                actor=user,
                draft=draft,
                version=form.cleaned_data["version"],
                organisations=list(form.cleaned_data["organisations"]),
                closes_on=form.cleaned_data["closes_on"],
                audience=form.cleaned_data["audience"],
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"Version {window.version.number} is open for review.")
            return redirect(window.get_absolute_url())
    return render(request, "documents/review_open.html", {"strategy": strategy, "draft": draft, "form": form})


def _review_sections(
    window: ReviewWindow, *, officer: bool, public: bool, filters: selectors.ReviewCommentFilters
) -> list[dict[str, object]]:
    """The reviewed version's sections, each with its live section id (for comments) and the
    window's comments on it that the reader reads (those the filters choose; only the sections with
    one of them when the filters choose), Markdown rendered and sanitised; for officers, the
    section's counts. What a section draws on as far as the reader may see (`public`: a reader who
    does not take part). A fixed number of queries."""
    live = {s.pk: s for s in DraftSection.objects.filter(draft_id=window.draft_id)}
    by_title = {s.title: s for s in live.values()}
    comments = selectors.review_comment_list(window=window, filters=filters, officer=officer)
    counts = selectors.review_comment_counts(window=window) if officer else {}
    rows: list[dict[str, object]] = []
    for n, snapshot in enumerate(window.version.sections, start=1):
        section = live.get(snapshot.get("id", 0)) or by_title.get(snapshot["title"])
        if section is None:
            continue  # removed from the draft since: nothing to comment on
        its_comments = comments.get(section.pk, [])
        if filters.awaiting and not its_comments:
            continue
        for comment in its_comments:
            comment.html = markdown_to_html(comment.body, top_heading=4)  # type: ignore[attr-defined]
            for reply in comment.replies.all():
                reply.html = markdown_to_html(reply.body, top_heading=4)  # type: ignore[attr-defined]
        evidence, priorities = shared_links(snapshot, public=public)
        rows.append(
            {
                "n": n,
                "section": section,
                "title": snapshot["title"],
                "html": markdown_to_html(snapshot.get("body", ""), top_heading=3),
                "evidence": snapshot.get("evidence", []) if officer else evidence,
                "priorities": priorities,
                # Propositions are the officers' own until the strategy publishes them.
                "propositions": snapshot.get("propositions", []) if officer else [],
                "comments": its_comments,
                "unresolved": sum(1 for c in its_comments if c.resolved_at is None),
                "counts": counts.get(section.pk, selectors.SectionCounts()),
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The reviewed version, section by section, with the comments its reader reads; its signed-in
    audience comments here (signed-out visitors of a public window follow a link to the public form).
    Anyone outside the audience: 404, or sign in."""
    user = request.user
    found = found_or_sign_in(request, lambda: _window(user, strategy_slug, pk))
    if isinstance(found, HttpResponse):
        return found
    strategy, window = found
    commenting = can_comment(user, window)
    errors: dict[int, str] = {}
    typed: dict[int, str] = {}
    if request.method == "POST":
        if not commenting:
            return found_or_sign_in(request, _no_review)
        assert isinstance(user, User)
        section = DraftSection.objects.filter(pk=request.POST.get("section") or 0, draft_id=window.draft_id).first()
        if section is None:
            raise Http404("No section here.")
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                comment = services.review_comment_add(
                    actor=user, window=window, section=section, body=form.cleaned_data["body"]
                )
            except ApplicationError as error:
                errors[section.pk] = error.message
            else:
                added = f"Your comment on “{section.title}” is "
                pending = comment.moderation == comment.Moderation.PENDING
                messages.success(request, added + ("sent: it is shown here once published." if pending else "added."))
                return redirect(f"{window.get_absolute_url()}#section-{section.pk}")
        else:
            errors[section.pk] = str(form.errors["body"][0])
        typed[section.pk] = request.POST.get("body", "")
    filters = filters_from(ReviewCommentFilterForm(request.GET or None), selectors.ReviewCommentFilters)
    officer, viewer = bool(can_write(user, strategy)), user.has_perm(VIEW, strategy)
    rows = _review_sections(window, officer=officer, public=not viewer, filters=filters)
    for row in rows:
        section_pk = row["section"].pk  # type: ignore[attr-defined]
        row["error"], row["typed"] = errors.get(section_pk), typed.get(section_pk, "")
    return render(
        request,
        "documents/review_detail.html",
        {
            "strategy": strategy,
            "window": window,
            "rows": rows,
            "errors": [(row["section"], row["error"]) for row in rows if row["error"]],
            "can_comment": commenting,
            "can_comment_publicly": can_comment_publicly(user, window),
            "can_write": officer,
            "can_view": viewer,
            "awaiting_reply": filters.awaiting == "reply",
        },
    )


def _window(user: object, strategy_slug: str, pk: int) -> tuple[Strategy, ReviewWindow]:
    strategy = get_strategy_or_404(user, strategy_slug)
    return strategy, get_review_window_for_user_or_404(user, strategy, pk)


@login_required
@require_POST
def review_close(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    window = get_review_window_for_user_or_404(user, strategy, pk, write=True)
    return post_action(
        request,
        lambda: services.review_window_close(actor=user, window=window),
        success="The review window is closed.",
        redirect_to=window.get_absolute_url(),
    )


@login_required
@require_POST
def comment_reply(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    comment = get_review_comment_for_user_or_404(user, strategy, pk)
    back = f"{comment.window.get_absolute_url()}#comment-{comment.pk}"
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, str(form.errors["body"][0]).replace("comment", "reply"))
        return redirect(back)
    return post_action(
        request,
        lambda: services.review_comment_reply(actor=user, comment=comment, body=form.cleaned_data["body"]),
        success="Your reply is added.",
        redirect_to=back,
    )


@login_required
@require_POST
def comment_resolve(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    comment = get_review_comment_for_user_or_404(user, strategy, pk)
    # The Resolve button shares the reply's form: a reply typed there is saved with the resolution.
    reply = request.POST.get("body", "")
    return post_action(
        request,
        lambda: services.review_comment_resolve(actor=user, comment=comment, reply=reply),
        success="Your reply is added and the comment is resolved." if reply.strip() else "The comment is resolved.",
        redirect_to=f"{comment.window.get_absolute_url()}#comment-{comment.pk}",
    )


def _moderate(request: HttpRequest, strategy_slug: str, pk: int, *, publish: bool) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    comment = get_review_comment_for_user_or_404(user, strategy, pk)
    return post_action(
        request,
        lambda: services.review_comment_moderate(actor=user, comment=comment, publish=publish),
        success="The comment is published: the review’s audience reads it." if publish else "The comment is hidden.",
        redirect_to=f"{comment.window.get_absolute_url()}#comment-{comment.pk}",
    )


@login_required
@require_POST
def comment_publish(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """Officers: a comment from the public is shown to the window's audience."""
    return _moderate(request, strategy_slug, pk, publish=True)


@login_required
@require_POST
def comment_hide(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """Officers: a comment from the public is kept from the window's audience."""
    return _moderate(request, strategy_slug, pk, publish=False)
