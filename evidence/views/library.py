"""The evidence library: list with filters and search, detail, download, adding items, and the
partners invited to add them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.access import get_strategy_for_user_or_404, get_strategy_or_404
from core.exceptions import ApplicationError, Conflict
from core.http import form_error_field, post_action, request_user, versioned_save
from core.models import Strategy

from .. import services
from ..access import get_evidence_item_for_user_or_404
from ..forms import ContributorForm, EvidenceDeleteForm, EvidenceFilterForm, EvidenceItemForm, evidence_item_initial
from ..geography import strategy_areas, strategy_places
from ..models import EvidenceContributor, EvidenceItem
from ..rules import (
    can_contribute,
    can_delete_item,
    can_edit_item,
    can_manage,
    can_take_part,
    sharing_choices_for,
    visible_sharing,
)
from ..selectors import evidence_item_list

VIEW = "evidence.view_evidence_workspace"
MANAGE = "evidence.manage_evidence"
ADD = "evidence.add_evidence"
PAGE_SIZE = 50


@login_required
def index(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """The evidence base's home for people taking part: the library, with what they may see."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=VIEW)
    return _library(request, strategy)


def item_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """The library for everybody: open items for the public; people taking part and officers see more."""
    return _library(request, get_strategy_or_404(request.user, strategy_slug))


def _library(request: HttpRequest, strategy: Strategy) -> HttpResponse:
    # One choice per place: a region held under its NUTS and its ITL code is offered once, and the
    # filter finds items tagged with either.
    areas = [place.area for place in strategy_places(strategy)]
    filters = EvidenceFilterForm(request.GET or None, areas=areas)
    chosen: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    items = evidence_item_list(
        strategy=strategy,
        user=request.user,
        query=chosen.get("q") or "",
        theme=chosen.get("theme"),
        area=chosen.get("area"),
        kind=chosen.get("kind") or "",
        published_from=chosen.get("published_from"),
        published_to=chosen.get("published_to"),
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "strategy": strategy,
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "searching": bool(chosen.get("q")),
        "filtered": any(chosen.get(k) for k in ("q", "theme", "area", "kind", "published_from", "published_to")),
        "can_add": can_contribute(request.user, strategy),
        "can_manage": can_manage(request.user, strategy),
        "can_take_part": can_take_part(request.user, strategy),
        "levels": visible_sharing(request.user, strategy),
    }
    return render(request, "evidence/item_list.html", context)


def _item_or_sign_in(request: HttpRequest, strategy: Strategy, pk: int) -> EvidenceItem | HttpResponse:
    """The item if the person may see it. Anonymous visitors are asked to sign in for any item they
    cannot see (whether or not it exists, so the answer tells nothing); others get 404."""
    try:
        return get_evidence_item_for_user_or_404(request.user, strategy, pk)
    except Http404:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise


def item_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_or_404(request.user, strategy_slug)
    item = _item_or_sign_in(request, strategy, pk)
    if isinstance(item, HttpResponse):
        return item
    context = {
        "strategy": strategy,
        "item": item,
        "themes": item.themes.order_by("kind", "order"),
        "areas": item.areas.order_by("kind", "name"),
        "can_manage": can_manage(request.user, strategy),
        "can_edit": can_edit_item(request.user, item),
        "can_delete": can_delete_item(request.user, item),
    }
    return render(request, "evidence/item_detail.html", context)


def item_download(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponseBase:
    """The uploaded file, always as an attachment with the type found in its content, never inline."""
    strategy = get_strategy_or_404(request.user, strategy_slug)
    item = _item_or_sign_in(request, strategy, pk)
    if isinstance(item, HttpResponse):
        return item
    if not item.file:
        raise Http404("This item is a link, not a file.")
    response = FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.file_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store" if item.sharing != "open" else "public, max-age=300"
    return response


@login_required
def item_create(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=ADD)
    areas = strategy_areas(strategy)
    form = EvidenceItemForm(
        request.POST or None,
        request.FILES or None,
        sharing_choices=sharing_choices_for(request.user, strategy),
        areas=areas,
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.evidence_item_create(
                actor=request_user(request),
                strategy=strategy,
                data=form.item_data(),
                themes=list(form.cleaned_data["themes"]),
                areas=list(form.cleaned_data["areas"]),
                upload=form.cleaned_data.get("file"),
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"Evidence “{item.title}” added.")
            return redirect(item)
    return render(request, "evidence/item_form.html", {"strategy": strategy, "form": form})


@login_required
def item_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """Edit an item (officers; the invited partner who added it). A save made on an older version
    than the stored one is refused, showing what the other person changed (optimistic locking)."""
    strategy = get_strategy_or_404(request.user, strategy_slug)
    item = get_evidence_item_for_user_or_404(request.user, strategy, pk, write=True)
    sharing_choices = sharing_choices_for(request.user, strategy)
    areas = strategy_areas(strategy)
    conflicts: list[Conflict] = []
    if request.method == "POST":
        form, saved, conflicts = versioned_save(
            request.POST,
            current=item,
            # A refused save binds the form again to the saved item without the upload: the page asks
            # for the file again rather than keep it on the server unsaved.
            form_for=lambda data, current: EvidenceItemForm(
                data,
                request.FILES or None if current is item else None,
                item=current,
                sharing_choices=sharing_choices,
                areas=areas,
            ),
            save=lambda form, version: services.evidence_item_update(
                actor=request_user(request),
                item=item,
                data=form.item_data(),
                themes=list(form.cleaned_data["themes"]),
                areas=list(form.cleaned_data["areas"]),
                version=version,
                upload=form.cleaned_data.get("file"),
            ),
        )
        if saved is not None:
            messages.success(request, f"Evidence “{saved.title}” saved.")
            return redirect(saved)
    else:
        form = EvidenceItemForm(
            item=item, initial=evidence_item_initial(item), sharing_choices=sharing_choices, areas=areas
        )
    context = {"strategy": strategy, "form": form, "item": item, "conflicts": conflicts}
    return render(request, "evidence/item_form.html", context)


@login_required
def item_delete(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """Ask, then remove an item (officers). Refused if someone saved it after the page was opened."""
    strategy = get_strategy_or_404(request.user, strategy_slug)
    item = get_evidence_item_for_user_or_404(request.user, strategy, pk, delete=True)
    form = EvidenceDeleteForm(request.POST or None, initial={"version": item.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_item_delete(
                actor=request_user(request),
                item=item,
                version=form.cleaned_data["version"],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect(item)
        messages.success(request, f"Evidence “{item.title}” removed.")
        return redirect("evidence:item-list", strategy_slug=strategy.slug)
    return render(request, "evidence/item_confirm_delete.html", {"strategy": strategy, "item": item, "form": form})


@login_required
def contributor_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    form = ContributorForm(
        request.POST or None, strategy=strategy, candidates=services.contributor_candidates(strategy)
    )
    if request.method == "POST" and form.is_valid():
        try:
            contributor = services.contributor_add(
                actor=request_user(request),
                strategy=strategy,
                user=form.cleaned_data["user"],
            )
        except ApplicationError as error:
            form.add_error("user", error.message)
        else:
            messages.success(request, f"{contributor.user} can now add evidence.")
            return redirect("evidence:contributor-list", strategy_slug=strategy.slug)
    contributors = EvidenceContributor.objects.filter(strategy=strategy).select_related("user", "invited_by")
    context = {"strategy": strategy, "form": form, "contributors": contributors}
    return render(request, "evidence/contributor_list.html", context)


@login_required
@require_POST
def contributor_remove(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    return post_action(
        request,
        lambda: services.contributor_remove(actor=request_user(request), strategy=strategy, contributor_id=pk),
        success="They can no longer add evidence.",
        redirect_to=reverse("evidence:contributor-list", kwargs={"strategy_slug": strategy.slug}),
    )
