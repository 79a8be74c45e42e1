"""A signed-out visitor's comment on a section of a review window open to the public (ADR 0042):
the form, the "check your email" page, and the confirmation page the emailed link opens (a page
with a button: a mail scanner following the link confirms nothing, as ADR 0041).

A robot that fills the honeypot gets the same "check your email" page as a person, and nothing is
stored or sent. Too many comments from one address in an hour get a 429 page saying when to try
again."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.access import get_strategy_or_404
from core.exceptions import ApplicationError
from core.http import client_ip, form_error_field, found_or_sign_in, token_link
from core.markdown import markdown_to_html
from engagement.forms import honeypot_filled
from engagement.services import RateLimited

from .. import services
from ..access import get_review_window_for_user_or_404
from ..forms import PublicCommentForm
from ..models import DraftSection, ReviewWindow
from ..rules import can_comment_publicly
from ..services.review_public import INVALID_LINK


def _snapshot(window: ReviewWindow, section: DraftSection) -> dict[str, Any]:
    """The section as the reviewed version has it (by its id, else its title)."""
    for snapshot in window.version.sections:
        if snapshot.get("id") == section.pk:
            return dict(snapshot)
    return next((dict(s) for s in window.version.sections if s.get("title") == section.title), {})


@never_cache
@require_http_methods(["GET", "POST"])
def review_comment_public(request: HttpRequest, strategy_slug: str, pk: int, section_pk: int) -> HttpResponse:
    """The public form for one section, for signed-out visitors while the window is open to the
    public; someone signed in is sent back to the section, where they comment as themselves."""
    user = request.user
    strategy = get_strategy_or_404(user, strategy_slug)
    window = get_review_window_for_user_or_404(user, strategy, pk)
    section = DraftSection.objects.filter(pk=section_pk, draft_id=window.draft_id).first()
    if section is None:
        raise Http404("No section here.")
    back = f"{window.get_absolute_url()}#section-{section.pk}"
    if user.is_authenticated:
        return redirect(back)
    if not can_comment_publicly(user, window):
        raise Http404("No review open to comments here.")
    sent = reverse("documents:review-comment-sent", kwargs={"strategy_slug": strategy.slug, "pk": window.pk})
    snapshot = _snapshot(window, section)
    context: dict[str, Any] = {
        "strategy": strategy,
        "window": window,
        "section": section,
        "title": snapshot.get("title", section.title),
        "html": markdown_to_html(snapshot.get("body", ""), top_heading=3),
        "back": back,
    }
    form = PublicCommentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if honeypot_filled(request.POST):
            return redirect(sent)  # a robot: the same page a person gets; nothing stored or sent
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.review_comment_public_add(
                    window=window,
                    section=section,
                    body=data["body"],
                    commenter=services.PublicCommenter(
                        data["name"], data["email"], data["organisation"], data["show_name"]
                    ),
                    ip=client_ip(request),
                    confirm_url=token_link("documents:review-comment-confirm", strategy_slug=strategy.slug),
                )
            except RateLimited as error:
                context.update({"message": error.message, "retry_at": error.retry_at})
                response = render(request, "documents/review_comment_limited.html", context, status=429)
                response["Retry-After"] = str(max(int((error.retry_at - timezone.now()).total_seconds()), 1))
                return response
            except ApplicationError as error:
                form.add_error(form_error_field(form, error), error.message)
            else:
                return redirect(sent)
    context["form"] = form
    return render(request, "documents/review_comment_public.html", context)


@require_http_methods(["GET"])
def review_comment_sent(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    found = found_or_sign_in(
        request,
        lambda: get_review_window_for_user_or_404(request.user, get_strategy_or_404(request.user, strategy_slug), pk),
    )
    if isinstance(found, HttpResponse):
        return found
    return render(request, "documents/review_comment_sent.html", {"strategy": found.draft.strategy, "window": found})


@never_cache
@require_http_methods(["GET", "POST"])
def review_comment_confirm(request: HttpRequest, strategy_slug: str, token: str) -> HttpResponse:
    """The emailed link opens this page; its one button confirms the comment."""
    strategy = get_strategy_or_404(request.user, strategy_slug)
    context: dict[str, Any] = {"strategy": strategy}
    if request.method == "POST":
        try:
            comment = services.review_comment_confirm(strategy=strategy, token=token)
        except ApplicationError as error:
            context["error"] = error.message
            return render(request, "documents/review_comment_confirm.html", context, status=400)
        context.update({"confirmed": True, "comment": comment})
        return render(request, "documents/review_comment_confirm.html", context)
    found = services.review_comment_for_token(strategy=strategy, token=token)
    if found is None:
        context["error"] = INVALID_LINK
        return render(request, "documents/review_comment_confirm.html", context, status=404)
    context["comment"] = found
    return render(request, "documents/review_comment_confirm.html", context)
