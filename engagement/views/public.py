"""Public (no-account) responses to a consultation open to everyone, their confirmation by an
emailed link, and the officer's entry of offline input on someone's behalf: consultation responses
and councils' priorities (docs/adr/0041).

A bot that fills the honeypot gets the same "check your email" page as a person, and nothing is
stored or sent. Too many responses from one address or for one email in an hour get a 429 page
that says when to try again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.access import get_strategy_for_user_or_404, get_strategy_or_404
from core.exceptions import ApplicationError
from core.http import client_ip, form_error_field, token_link
from core.models import User

from .. import services
from ..access import get_call_for_user_or_404, get_consultation_for_user_or_404
from ..forms import OfflinePriorityForm, OfflineResponseForm, PublicResponseForm, honeypot_filled
from ..selectors import consultation_get_public, question_list

MANAGE = "engagement.manage_calls"


@never_cache
@require_http_methods(["GET", "POST"])
def public_response_create(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The questions of a consultation open to the public, for anyone, signed in or not."""
    strategy = get_strategy_or_404(request.user, strategy_slug)
    consultation = consultation_get_public(strategy=strategy, pk=pk)
    if consultation is None:
        raise Http404("No consultation here.")
    questions = question_list(consultation=consultation)
    context: dict[str, Any] = {"strategy": strategy, "consultation": consultation, "state": consultation.state()}
    if request.method == "POST":
        if honeypot_filled(request.POST):
            # A bot: the same redirect to the same page a person gets, and nothing stored or sent.
            return redirect("engagement:public-response-sent", strategy_slug=strategy.slug, pk=consultation.pk)
        form = PublicResponseForm(request.POST, questions=questions)
        if form.is_valid():
            try:
                services.public_response_submit(
                    consultation=consultation,
                    answers=form.answers(),
                    respondent=form.respondent(),
                    ip=client_ip(request),
                    confirm_url=token_link("engagement:public-response-confirm", strategy_slug=strategy.slug),
                )
            except services.RateLimited as error:
                context["retry_at"] = error.retry_at
                context["message"] = error.message
                response = render(request, "engagement/public_response_limited.html", context, status=429)
                wait = max(int((error.retry_at - timezone.now()).total_seconds()), 1)
                response["Retry-After"] = str(wait)
                return response
            except ApplicationError as error:
                form.add_error(form_error_field(form, error), error.message)
            else:
                return redirect("engagement:public-response-sent", strategy_slug=strategy.slug, pk=consultation.pk)
    else:
        form = PublicResponseForm(questions=questions)
    context["form"] = form
    return render(request, "engagement/public_response_form.html", context)


@require_http_methods(["GET"])
def public_response_sent(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_or_404(request.user, strategy_slug)
    consultation = consultation_get_public(strategy=strategy, pk=pk)
    if consultation is None:
        raise Http404("No consultation here.")
    return render(request, "engagement/public_response_sent.html", {"strategy": strategy, "consultation": consultation})


@never_cache
@require_http_methods(["GET", "POST"])
def public_response_confirm(request: HttpRequest, strategy_slug: str, token: str) -> HttpResponse:
    """The emailed link opens a page with one button, so a mail scanner that follows links does
    not confirm a response on the person's behalf; pressing it confirms."""
    strategy = get_strategy_or_404(request.user, strategy_slug)
    context: dict[str, Any] = {"strategy": strategy}
    if request.method == "POST":
        try:
            response = services.public_response_confirm(strategy=strategy, token=token)
        except ApplicationError as error:
            context["error"] = error.message
            return render(request, "engagement/public_response_confirm.html", context, status=400)
        context.update({"confirmed": True, "consultation": response.consultation, "response": response})
        return render(request, "engagement/public_response_confirm.html", context)
    found = services.public_response_for_token(strategy=strategy, token=token)
    if found is None:
        context["error"] = (
            "This confirmation link is not valid. It may have been used already, or mistyped: "
            "check the link in your email."
        )
        return render(request, "engagement/public_response_confirm.html", context, status=404)
    context.update({"consultation": found.consultation, "response": found})
    return render(request, "engagement/public_response_confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def offline_response_create(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """An officer enters a response from a workshop, paper form, email or call on someone's behalf."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    consultation = get_consultation_for_user_or_404(request.user, strategy, pk, write=True)
    questions = question_list(consultation=consultation)
    form = OfflineResponseForm(request.POST or None, questions=questions, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        actor = request.user
        assert isinstance(actor, User)
        try:
            response = services.response_enter_offline(
                actor=actor, consultation=consultation, source=form.source(), answers=form.answers()
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"Response entered on behalf of {response.respondent_label}.")
            return redirect(response)
    context = {"strategy": strategy, "consultation": consultation, "form": form}
    return render(request, "engagement/offline_response_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def offline_priority_create(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """An officer enters a council's priority from a workshop, paper form, email or call on its behalf."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    call = get_call_for_user_or_404(request.user, strategy, pk, write=True)
    form = OfflinePriorityForm(request.POST or None, strategy=strategy, user=request.user)
    if request.method == "POST" and form.is_valid():
        actor = request.user
        assert isinstance(actor, User)
        try:
            priority = services.priority_enter_offline(
                actor=actor,
                call=call,
                organisation=form.cleaned_data["organisation"],
                data=form.priority_data(),
                channel=form.cleaned_data["channel"],
                received_on=form.cleaned_data["received_on"],
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"Priority entered on behalf of {priority.organisation}.")
            return redirect(priority)
    context = {"strategy": strategy, "call": call, "form": form}
    return render(request, "engagement/offline_priority_form.html", context)
