"""Packs: the list, a pack's page and the status panel htmx polls, trying a failed one again, and
the download (an attachment, audited)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from core.access import get_strategy_for_user_or_404, get_strategy_or_404
from core.http import filters_from, found_or_sign_in, post_action, request_user
from core.models import User

from .. import selectors, services
from ..access import get_pack_for_user_or_404
from ..forms import PackFilterForm
from ..models import Pack
from ..rules import can_write

VIEW = "documents.view_documents"
WRITE = "documents.write_documents"

BROKER_DOWN = (
    "The pack is saved and queued, but the background worker cannot be reached just now. It will be made "
    "when the worker is back, and this page updates by itself."
)

STATUS_TAGS = {
    Pack.Status.QUEUED: "govuk-tag--grey",
    Pack.Status.RENDERING: "govuk-tag--blue",
    Pack.Status.READY: "govuk-tag--green",
    Pack.Status.FAILED: "govuk-tag--red",
}


def pack_requested_message(request: HttpRequest, *, created: bool, unsent: int) -> None:
    """What the pack's page says first: that an identical pack was reused, or that the broker did not
    take the render (core.queue.watch) so the pack waits, queued, for the sweep."""
    if not created:
        messages.info(request, "Nothing has changed since this pack was made, so here it is.")
    elif unsent:
        messages.warning(request, BROKER_DOWN)


@login_required
@require_http_methods(["GET"])
def pack_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """Packs and meeting papers for everyone who sees the strategy's process, board members
    included (who may not take part in the strategy through an organisation)."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    filter_form = PackFilterForm(request.GET or None)
    filters = filters_from(filter_form, selectors.PackFilters)
    return render(
        request,
        "documents/pack_list.html",
        {
            "strategy": strategy,
            "meetings": list(selectors.meeting_list_for_documents(strategy=strategy, user=user)),
            "packs": list(selectors.pack_list_visible(strategy=strategy, user=user, filters=filters)[:100]),
            "filters": filter_form,
            "filtered": bool(filters.status),
        },
    )


def _pack_context(request: HttpRequest, pack: Pack, user: User | AnonymousUser) -> dict[str, object]:
    return {
        "strategy": pack.strategy,
        "pack": pack,
        "status_tag": STATUS_TAGS[Pack.Status(pack.status)],
        "can_write": bool(can_write(user, pack.strategy)),
    }


def _visible_pack(request: HttpRequest, strategy_slug: str, pk: int) -> Pack | HttpResponse:
    """The pack, for those documents.rules.can_see_pack lets see it (a public pack: everybody once
    its meeting's papers are published); an anonymous visitor it does not is asked to sign in."""
    strategy = get_strategy_or_404(request.user, strategy_slug)
    return found_or_sign_in(request, lambda: get_pack_for_user_or_404(request.user, strategy, pk))


@require_http_methods(["GET"])
def pack_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    pack = _visible_pack(request, strategy_slug, pk)
    if isinstance(pack, HttpResponse):
        return pack
    return render(request, "documents/pack_detail.html", _pack_context(request, pack, request.user))


@require_http_methods(["GET"])
def pack_status(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The status panel alone: what htmx polls every two seconds until the pack is finished."""
    pack = _visible_pack(request, strategy_slug, pk)
    if isinstance(pack, HttpResponse):
        return pack
    return render(request, "documents/includes/pack_status.html", _pack_context(request, pack, request.user))


@login_required
@require_POST
def pack_retry(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=WRITE)
    pack = get_pack_for_user_or_404(user, strategy, pk)
    return post_action(
        request,
        lambda: services.pack_retry(actor=user, pack=pack),
        success=None,
        redirect_to=pack.get_absolute_url(),
    )


@require_http_methods(["GET"])
def pack_download(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponseBase:
    """The pack's PDF, an attachment; each download by a signed-in person is audited."""
    pack = _visible_pack(request, strategy_slug, pk)
    if isinstance(pack, HttpResponse):
        return pack
    if pack.status != Pack.Status.READY:
        raise Http404("The pack is not ready.")
    if request.user.is_authenticated:
        services.pack_download_record(actor=request_user(request), pack=pack)
    filename = f"{pack.strategy.slug}-{pack.kind}-pack-{pack.pk}.pdf"
    response = FileResponse(
        default_storage.open(pack.file.name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
