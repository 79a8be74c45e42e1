"""Registers of interests: a member's register (public, like the board's page; its member and
officers change it there), officers' list of every member's register, adding, correcting and
ending entries, the member's "Confirm it is up to date", and declaring from the register on a
meeting's page."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.access import get_strategy_for_user_or_404, get_strategy_or_404
from core.exceptions import ApplicationError, Conflict
from core.http import found_or_sign_in, post_action, request_user, versioned_save
from core.models import Strategy, User

from ..access import get_meeting_for_user_or_404
from ..interests import selectors, services
from ..interests.access import (
    get_interest_entry_for_user_or_404,
    get_membership_for_register_or_404,
    may_change_register,
)
from ..interests.forms import DeclareFromRegisterForm, InterestEntryEndForm, InterestEntryForm
from ..models import BoardMembership, InterestEntry
from ..rules import can_manage, sits_on

VIEW = "timeline.view_strategy_timeline"
MANAGE = "timeline.manage_timeline"


def _register_url(strategy: Strategy, member: User) -> str:
    """The member's register page; officers' list when they no longer sit on a board."""
    membership = selectors.membership_for_register(strategy=strategy, user=member)
    if membership is None:
        return reverse("timeline:interest-register-list", kwargs={"strategy_slug": strategy.slug})
    return reverse("timeline:interest-register-detail", kwargs={"strategy_slug": strategy.slug, "pk": membership.pk})


@login_required
@require_http_methods(["GET"])
def register_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """Officers: every board member's register, with when it was last confirmed."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    rows = selectors.register_rows_for_strategy(strategy=strategy, today=timezone.localdate())
    return render(request, "timeline/interest_register_list.html", {"strategy": strategy, "rows": rows})


@login_required
@require_http_methods(["GET"])
def register_yours(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """ "Your register of interests": a board member's own register page."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    membership = selectors.membership_for_register(strategy=strategy, user=user)
    if membership is None:
        raise Http404("You do not sit on a board of this strategy.")
    return redirect("timeline:interest-register-detail", strategy_slug=strategy.slug, pk=membership.pk)


@require_http_methods(["GET"])
def register_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """A member's register, current and past entries: public for a published strategy; for an
    unpublished one, its members, board members and administrators (anonymous visitors sign in)."""

    def load() -> tuple[Strategy, BoardMembership]:
        try:
            strategy = get_strategy_or_404(request.user, strategy_slug)
        except Http404:  # an unpublished strategy: its board members see their registers too
            strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=VIEW)
        return strategy, get_membership_for_register_or_404(request.user, strategy, pk)

    found = found_or_sign_in(request, load)
    if isinstance(found, HttpResponse):
        return found
    strategy, membership = found
    page = selectors.register_page(membership=membership, today=timezone.localdate())
    user = request.user
    is_own = user.is_authenticated and user.pk == membership.user_id
    return render(
        request,
        "timeline/interest_register_detail.html",
        {
            "strategy": strategy,
            "page": page,
            "is_own": is_own,
            "can_change": may_change_register(user, strategy, membership.user),
            "is_officer": user.is_authenticated and bool(can_manage(user, strategy)),
            "gift_threshold": services.gift_threshold(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    membership = get_membership_for_register_or_404(user, strategy, pk, write=True)
    form = InterestEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.interest_entry_add(
                actor=user, strategy=strategy, member=membership.user, data=form.entry_data()
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            late = " It started more than 28 days ago, so it shows as registered late." if entry.registered_late else ""
            messages.success(request, f"“{entry.description}” has been added to the register.{late}")
            return redirect("timeline:interest-register-detail", strategy_slug=strategy.slug, pk=membership.pk)
    context = {"strategy": strategy, "form": form, "member": membership.user, "membership": membership, "entry": None}
    return render(request, "timeline/interest_entry_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    entry = get_interest_entry_for_user_or_404(user, strategy, pk)
    conflicts: list[Conflict] = []
    if request.method == "POST":
        form, saved, conflicts = versioned_save(
            request.POST,
            current=entry,
            form_for=lambda data, current: InterestEntryForm(data),
            save=lambda form, version: services.interest_entry_update(
                actor=user, entry=entry, version=version, data=form.entry_data()
            ),
        )
        if saved is not None:
            messages.success(request, "The entry has been saved.")
            return redirect(_register_url(strategy, entry.register.user))
    else:
        form = InterestEntryForm(initial=InterestEntryForm.initial_for(entry))
    context = {
        "strategy": strategy,
        "form": form,
        "member": entry.register.user,
        "entry": entry,
        "conflicts": conflicts,
        "back": _register_url(strategy, entry.register.user),
    }
    return render(request, "timeline/interest_entry_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entry_end(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    entry = get_interest_entry_for_user_or_404(user, strategy, pk)
    back = _register_url(strategy, entry.register.user)
    if entry.ends_on is not None:
        messages.info(request, f"“{entry.description}” already ended on {entry.ends_on:%-d %B %Y}.")
        return redirect(back)
    form = InterestEntryEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.interest_entry_end(actor=user, entry=entry, ends_on=form.cleaned_data["ends_on"])
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"“{entry.description}” is now a past interest on the register.")
            return redirect(back)
    context = {"strategy": strategy, "form": form, "entry": entry, "member": entry.register.user, "back": back}
    return render(request, "timeline/interest_entry_end.html", context)


@login_required
@require_POST
def register_review(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The member confirms their own register up to date (nobody else does it for them)."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    membership = get_membership_for_register_or_404(user, strategy, pk)
    if membership.user_id != user.pk:
        raise Http404("Only the member confirms their register.")
    return post_action(
        request,
        partial(services.interest_register_review, actor=user, strategy=strategy),
        success=lambda register: f"Your register has been confirmed up to date on {register.reviewed_on:%-d %B %Y}.",
        redirect_to=reverse("timeline:interest-register-detail", kwargs={"strategy_slug": strategy.slug, "pk": pk}),
    )


@login_required
@require_POST
def declaration_from_register(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """A member of the meeting's board declares, on one agenda item, interests from their register."""
    user = request_user(request)
    strategy = get_strategy_for_user_or_404(user, strategy_slug, perm=VIEW)
    meeting = get_meeting_for_user_or_404(user, strategy, pk)
    if not sits_on(user, meeting.board):
        raise Http404("Only the board's members declare from their register here.")
    entries = InterestEntry.objects.filter(register__strategy=strategy, register__user=user).select_related("register")
    form = DeclareFromRegisterForm(request.POST, entries=entries)
    back = meeting.get_absolute_url()
    if not form.is_valid():
        messages.error(request, str(next(iter(form.errors.values()))[0]))
        return redirect(back + "#interests")
    item = meeting.agenda_items.filter(pk=form.cleaned_data["agenda_item"]).first()
    if item is None:
        messages.error(request, "Choose an item on this meeting’s agenda.")
        return redirect(back + "#interests")
    choice = services.DeclarationChoice(
        entries=list(form.cleaned_data["entries"]),
        nature=form.cleaned_data["nature"],
        details=form.cleaned_data["details"] or "",
    )
    return post_action(
        request,
        partial(services.declaration_from_register, actor=user, agenda_item=item, choice=choice),
        success=f"Your declaration on item {item.number} has been recorded.",
        redirect_to=f"{back}#item-{item.number}",
    )
