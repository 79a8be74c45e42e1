"""The stakeholder register, the engagement log and the communications and engagement plan: the
officers' own (contacts are personal data). Contacts (list with filters, create, edit, remove, each
with its page of engagements), an organisation's register page, the log (filtered; log an
engagement), and the plan read against what happened."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from core.access import get_strategy_for_user_or_404
from core.exceptions import ApplicationError, Conflict
from core.http import filters_from, form_error_field, request_user, versioned_save

from .. import services
from ..access import get_activity_for_user_or_404, get_contact_for_user_or_404, get_register_organisation_or_404
from ..forms import ActivityForm, ContactFilterForm, ContactForm, EntryFilterForm, EntryForm
from ..selectors import EntryFilters, contact_list_for_strategy, entry_list_for_strategy, plan_against_actual

MANAGE = "engagement.manage_register"
PAGE_SIZE = 50


# Contacts ------------------------------------------------------------------------------------------


@login_required
def contact_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    filters = ContactFilterForm(request.GET or None)
    kind, name = "", ""
    if filters.is_valid():
        kind, name = filters.cleaned_data.get("organisation_kind") or "", filters.cleaned_data.get("name") or ""
    contacts = contact_list_for_strategy(strategy=strategy, organisation_kind=kind, name=name)
    page = Paginator(contacts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"strategy": strategy, "filters": filters, "page": page, "query": query.urlencode()}
    return render(request, "engagement/contact_list.html", context)


@login_required
def contact_create(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    form = ContactForm(
        request.POST or None, strategy=strategy, initial={"organisation": request.GET.get("organisation")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(actor=request_user(request), strategy=strategy, data=form.contact_data())
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"Contact “{contact.name}” added to the register.")
            return redirect(contact)
    context = {"strategy": strategy, "form": form, "contact": None}
    return render(request, "engagement/contact_form.html", context)


@login_required
def contact_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    contact = get_contact_for_user_or_404(request.user, strategy, pk)
    entries = entry_list_for_strategy(strategy=strategy, filters=EntryFilters(contact_id=contact.pk))
    context = {"strategy": strategy, "contact": contact, "entries": list(entries)}
    return render(request, "engagement/contact_detail.html", context)


@login_required
def contact_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    contact = get_contact_for_user_or_404(request.user, strategy, pk)
    conflicts: list[Conflict] = []
    if request.method == "POST":
        form, saved, conflicts = versioned_save(
            request.POST,
            current=contact,
            form_for=lambda data, _: ContactForm(data, strategy=strategy),
            save=lambda form, version: services.contact_update(
                actor=request_user(request), contact=contact, data=form.contact_data(), version=version
            ),
        )
        if saved is not None:
            messages.success(request, "Contact saved.")
            return redirect(saved)
    else:
        form = ContactForm(strategy=strategy, initial=ContactForm.initial_for(contact))
    context = {"strategy": strategy, "form": form, "contact": contact, "conflicts": conflicts}
    return render(request, "engagement/contact_form.html", context)


@login_required
def contact_remove(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """Confirm, then remove the contact's personal details; their engagements stay in the log."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    contact = get_contact_for_user_or_404(request.user, strategy, pk)
    if request.method == "POST":
        services.contact_remove(actor=request_user(request), contact=contact)
        messages.success(request, f"Contact “{contact.name}” removed from the register.")
        return redirect("engagement:contact-list", strategy_slug=strategy.slug)
    return render(request, "engagement/contact_remove.html", {"strategy": strategy, "contact": contact})


@login_required
def organisation_register(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """An organisation's register page: its contacts and its engagements."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    organisation = get_register_organisation_or_404(request.user, strategy, pk)
    context = {
        "strategy": strategy,
        "organisation": organisation,
        "contacts": list(contact_list_for_strategy(strategy=strategy, organisation_id=organisation.pk)),
        "entries": list(
            entry_list_for_strategy(strategy=strategy, filters=EntryFilters(organisation_id=organisation.pk))
        ),
    }
    return render(request, "engagement/organisation_register.html", context)


# The engagement log --------------------------------------------------------------------------------


@login_required
def entry_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    filters = EntryFilterForm(request.GET or None, strategy=strategy)
    entries = entry_list_for_strategy(strategy=strategy, filters=filters_from(filters, EntryFilters))
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"strategy": strategy, "filters": filters, "page": page, "query": query.urlencode()}
    return render(request, "engagement/entry_list.html", context)


@login_required
def entry_create(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    initial = {name: request.GET.get(name) for name in ("contact", "organisation", "event", "planned_activity")}
    form = EntryForm(request.POST or None, strategy=strategy, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_create(actor=request_user(request), strategy=strategy, data=form.entry_data())
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, "Engagement logged.")
            return redirect("engagement:entry-list", strategy_slug=strategy.slug)
    return render(request, "engagement/entry_form.html", {"strategy": strategy, "form": form})


# The communications and engagement plan -----------------------------------------------------------


@login_required
def plan(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """The plan against what happened."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    context = {"strategy": strategy, "plan": plan_against_actual(strategy=strategy)}
    return render(request, "engagement/plan.html", context)


@login_required
def activity_create(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    form = ActivityForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                actor=request_user(request), strategy=strategy, data=form.activity_data()
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"Planned activity “{activity.title}” added to the plan.")
            return redirect("engagement:plan", strategy_slug=strategy.slug)
    return render(request, "engagement/activity_form.html", {"strategy": strategy, "form": form, "activity": None})


@login_required
def activity_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    activity = get_activity_for_user_or_404(request.user, strategy, pk)
    conflicts: list[Conflict] = []
    if request.method == "POST":
        form, saved, conflicts = versioned_save(
            request.POST,
            current=activity,
            form_for=lambda data, _: ActivityForm(data, strategy=strategy),
            save=lambda form, version: services.activity_update(
                actor=request_user(request), activity=activity, data=form.activity_data(), version=version
            ),
        )
        if saved is not None:
            messages.success(request, "Planned activity saved.")
            return redirect(reverse("engagement:plan", kwargs={"strategy_slug": strategy.slug}))
    else:
        form = ActivityForm(strategy=strategy, initial=ActivityForm.initial_for(activity))
    context = {"strategy": strategy, "form": form, "activity": activity, "conflicts": conflicts}
    return render(request, "engagement/activity_form.html", context)
