"""Updates: anyone subscribes to a strategy's updates (double opt-in), confirms from the email and
unsubscribes with one click; officers see the subscriber counts, write an update (Markdown, with a
preview) and send it to the confirmed subscribers; sent updates are listed publicly."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.access import get_strategy_for_user_or_404, get_strategy_or_404
from core.exceptions import ApplicationError, Conflict
from core.http import form_error_field, post_action, request_user, versioned_save
from core.markdown import markdown_to_html
from core.models import Strategy
from core.ratelimit import rate_limit_exceeded
from timeline.models import Board

from .. import services
from ..access import get_sent_update_or_404, get_update_for_user_or_404
from ..forms import SubscribeForm, UpdateForm, honeypot_filled
from ..models import Update
from ..selectors import subscription_counts, update_list_for_strategy, update_list_sent, update_progress

MANAGE = "engagement.manage_calls"


def _rate_limited(request: HttpRequest, strategy: Strategy) -> bool:
    """A simple limit per client address and strategy: so many sign-ups an hour (core.ratelimit)."""
    key = f"engagement:subscribe:{strategy.pk}:{request.META.get('REMOTE_ADDR', '')}"
    return rate_limit_exceeded(key, limit=int(settings.UPDATES_SUBSCRIBE_PER_HOUR), window=3600)


# The public side -------------------------------------------------------------------------------------


def update_archive(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_or_404(request.user, strategy_slug)
    context = {"strategy": strategy, "updates": update_list_sent(strategy=strategy)}
    return render(request, "engagement/update_archive.html", context)


def update_public(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_or_404(request.user, strategy_slug)
    update = get_sent_update_or_404(strategy, pk)
    # Straight under the page's h1: the update's own headings start at h2.
    context = {"strategy": strategy, "update": update, "html": markdown_to_html(update.body, top_heading=2)}
    return render(request, "engagement/update_public.html", context)


def subscription_create(request: HttpRequest, strategy_slug: str, board_pk: int | None = None) -> HttpResponse:
    """Anyone, signed in or not, to the strategy's updates or (`board_pk`) to follow one of its
    boards. The answer is the same whether or not the address was subscribed."""
    strategy = get_strategy_or_404(request.user, strategy_slug)
    board = None
    if board_pk is not None:
        board = Board.objects.filter(pk=board_pk, strategy=strategy).first()
        if board is None:
            raise Http404("No board here.")
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            if _rate_limited(request, strategy):
                form.add_error(None, "You have asked for updates many times in the last hour. Try again later.")
            else:
                if not honeypot_filled(request.POST):
                    try:
                        services.subscription_request(strategy=strategy, email=form.cleaned_data["email"], board=board)
                    except ApplicationError as error:
                        form.add_error("email", error.message)
                if not form.errors:
                    context = {"strategy": strategy, "board": board, "email": form.cleaned_data["email"]}
                    return render(request, "engagement/subscription_check_email.html", context)
    else:
        form = SubscribeForm()
    return render(request, "engagement/subscription_form.html", {"strategy": strategy, "board": board, "form": form})


def subscription_confirm(request: HttpRequest, strategy_slug: str, token: str) -> HttpResponse:
    """GET shows a button (so a mail scanner's fetch confirms nothing); POST confirms."""
    strategy = get_strategy_or_404(request.user, strategy_slug)
    context: dict[str, object] = {"strategy": strategy}
    try:
        if request.method == "POST":
            context["subscription"] = services.subscription_confirm(strategy=strategy, token=token)
            return render(request, "engagement/subscription_confirmed.html", context)
        context["subscription"] = services.subscription_for_confirm_token(strategy=strategy, token=token)
    except ApplicationError as error:
        context["error"] = error.message
        return render(request, "engagement/subscription_link_unusable.html", context, status=400)
    return render(request, "engagement/subscription_confirm.html", context)


@csrf_exempt  # RFC 8058: a mail client POSTs "List-Unsubscribe=One-Click"; the signed token is the proof
def subscription_unsubscribe(request: HttpRequest, strategy_slug: str, token: str) -> HttpResponse:
    """GET shows a button; POST (from that button, or a mail client's one click) unsubscribes. A
    valid link works even if the strategy has since been unpublished: leaving must always work."""
    try:
        strategy = get_strategy_or_404(request.user, strategy_slug)
    except Http404:
        strategy = get_object_or_404(Strategy, slug=strategy_slug)
        try:
            services.subscription_for_unsubscribe_token(strategy=strategy, token=token)
        except ApplicationError as error:
            raise Http404("No strategy here.") from error
    context: dict[str, object] = {"strategy": strategy}
    try:
        if request.method == "POST":
            services.subscription_unsubscribe(strategy=strategy, token=token)
            return render(request, "engagement/subscription_unsubscribed.html", context)
        services.subscription_for_unsubscribe_token(strategy=strategy, token=token)
    except ApplicationError as error:
        context["error"] = error.message
        return render(request, "engagement/subscription_link_unusable.html", context, status=400)
    return render(request, "engagement/subscription_unsubscribe.html", context)


# The officers' side ----------------------------------------------------------------------------------


@login_required
def update_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    context = {
        "strategy": strategy,
        "counts": subscription_counts(strategy=strategy),
        "updates": update_list_for_strategy(strategy=strategy),
    }
    return render(request, "engagement/update_list.html", context)


def _form_page(
    request: HttpRequest, strategy: Strategy, update: Update | None, form: UpdateForm, conflicts: list[Conflict]
) -> HttpResponse:
    preview = None
    if "preview" in request.POST and form.is_valid():
        preview = markdown_to_html(form.cleaned_data["body"])
    context = {"strategy": strategy, "update": update, "form": form, "preview": preview, "conflicts": conflicts}
    return render(request, "engagement/update_form.html", context)


@login_required
def update_create(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    if request.method == "POST":
        form = UpdateForm(request.POST)
        if form.is_valid() and "preview" not in request.POST:
            try:
                update = services.update_create(
                    actor=request_user(request),
                    strategy=strategy,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                )
            except ApplicationError as error:
                form.add_error(form_error_field(form, error), error.message)
            else:
                messages.success(request, "Update saved as a draft. Check it, then send it.")
                return redirect(update)
    else:
        form = UpdateForm()
    return _form_page(request, strategy, None, form, [])


@login_required
def update_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    update = get_update_for_user_or_404(request.user, strategy, pk)
    if update.status != Update.Status.DRAFT:
        messages.error(request, "This update has been sent: it can no longer be changed.")
        return redirect(update)
    conflicts: list[Conflict] = []
    if request.method == "POST" and "preview" not in request.POST:
        form, saved, conflicts = versioned_save(
            request.POST,
            current=update,
            form_for=lambda data, _: UpdateForm(data),
            save=lambda form, version: services.update_edit(
                actor=request_user(request),
                update=update,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                version=version,
            ),
        )
        if saved is not None:
            messages.success(request, "Update saved.")
            return redirect(saved)
    elif request.method == "POST":
        form = UpdateForm(request.POST)
    else:
        form = UpdateForm(initial={"subject": update.subject, "body": update.body, "version": update.version})
    return _form_page(request, strategy, update, form, conflicts)


@login_required
def update_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    update = get_update_for_user_or_404(request.user, strategy, pk)
    context = {
        "strategy": strategy,
        "update": update,
        "html": markdown_to_html(update.body),
        "progress": update_progress(update=update),
        "confirmed": subscription_counts(strategy=strategy)["confirmed"],
    }
    return render(request, "engagement/update_detail.html", context)


@login_required
@require_POST
def update_send(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    update = get_update_for_user_or_404(request.user, strategy, pk)
    return post_action(
        request,
        lambda: services.update_send(actor=request_user(request), update=update),
        success=_sending,
        queued=_queued,
        redirect_to=update.get_absolute_url(),
    )


def _sending(update: Update) -> str:
    n = update.recipients
    return f"Sending the update to {n} confirmed subscriber{'' if n == 1 else 's'}."


def _queued(update: Update) -> str:
    n = update.recipients
    return (
        f"The update to {n} confirmed subscriber{'' if n == 1 else 's'} is queued: our background service is "
        "not answering just now, so it will be sent when the service is back."
    )
