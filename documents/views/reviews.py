"""Review windows: the list, opening one on a version for chosen organisations, its page (where the
invited people comment), closing it, and the officers' replies and resolutions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.access import get_strategy_for_user_or_404
from core.exceptions import ApplicationError
from core.http import filters_from, form_error_field, post_action, request_user
from core.markdown import markdown_to_html

from .. import selectors, services
from ..access import get_review_comment_for_user_or_404, get_review_window_for_user_or_404
from ..forms import CommentForm, ReviewCommentFilterForm, ReviewOpenForm
from ..models import DraftSection, ReviewWindow
from ..render import shared_links
from ..rules import can_comment, can_write

VIEW = "documents.view_documents"
WRITE = "documents.write_documents"


@login_required
@require_http_methods(["GET"])
def review_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """Officers: every review window of the draft. Invited councillors and partners: theirs."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    writer = bool(can_write(user, strategy))
    draft = selectors.draft_get(strategy=strategy) if writer else None
    if writer:
        windows = list(selectors.review_window_list(draft=draft)) if draft else []
    else:
        windows = list(selectors.review_window_list_for_reviewer(strategy=strategy, user=user))
    return render(
        request,
        "documents/review_list.html",
        {"strategy": strategy, "windows": windows, "can_write": writer, "draft": draft},
    )


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
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"Version {window.version.number} is open for review.")
            return redirect(window.get_absolute_url())
    return render(request, "documents/review_open.html", {"strategy": strategy, "draft": draft, "form": form})


def _review_sections(
    window: ReviewWindow, *, officer: bool, filters: selectors.ReviewCommentFilters
) -> list[dict[str, object]]:
    """The reviewed version's sections, each with its live section id (for comments) and the
    window's comments on it (those the filters choose; only the sections with one of them when
    the filters choose), Markdown rendered and sanitised. A fixed number of queries."""
    live = {s.pk: s for s in DraftSection.objects.filter(draft_id=window.draft_id)}
    by_title = {s.title: s for s in live.values()}
    comments = selectors.review_comment_list(window=window, filters=filters)
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
        evidence, priorities = shared_links(snapshot, public=False)
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
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The reviewed version, section by section, with the comments; invited people comment here."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    window = get_review_window_for_user_or_404(user, strategy, pk)
    commenting = can_comment(user, window)
    errors: dict[int, str] = {}
    typed: dict[int, str] = {}
    if request.method == "POST":
        if not commenting:
            raise Http404("No review open to you here.")
        section = DraftSection.objects.filter(pk=request.POST.get("section") or 0, draft_id=window.draft_id).first()
        if section is None:
            raise Http404("No section here.")
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.review_comment_add(actor=user, window=window, section=section, body=form.cleaned_data["body"])
            except ApplicationError as error:
                errors[section.pk] = error.message
            else:
                messages.success(request, f"Your comment on “{section.title}” is added.")
                return redirect(f"{window.get_absolute_url()}#section-{section.pk}")
        else:
            errors[section.pk] = str(form.errors["body"][0])
        typed[section.pk] = request.POST.get("body", "")
    filters = filters_from(ReviewCommentFilterForm(request.GET or None), selectors.ReviewCommentFilters)
    rows = _review_sections(window, officer=bool(can_write(user, strategy)), filters=filters)
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
            "can_write": bool(can_write(user, strategy)),
            "awaiting_reply": filters.awaiting == "reply",
        },
    )


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
