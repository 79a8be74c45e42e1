"""An organisation's response to a consultation: starting it (or finding a colleague's draft),
answering and saving, the stale-save refusal, submitting, its page; the organisation's list of
responses; and the officer's coding, response and moderation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.access import get_strategy_for_user_or_404
from core.exceptions import ApplicationError, Conflict
from core.http import form_error_field, post_action, request_user, versioned_save

from .. import services
from ..access import (
    get_consultation_for_user_or_404,
    get_response_for_officer_or_404,
    get_response_for_user_or_404,
    is_respondent,
)
from ..forms import CodeForm, HideForm, RespondForm, ResponseForm, StartResponseForm
from ..models import ConsultationResponse
from ..rules import audiences_of, can_manage
from ..selectors import question_list, respondent_organisations, response_history, response_list_for_organisations

VIEW = "engagement.view_consultations"
MANAGE = "engagement.manage_calls"
PAGE_SIZE = 50


@login_required
@require_POST
def response_start(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """Start the organisation's response, or open the draft a colleague started."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=VIEW)
    consultation = get_consultation_for_user_or_404(request.user, strategy, pk)
    organisations = respondent_organisations(consultation=consultation, user=request.user)
    if not organisations:
        raise Http404("No response here.")
    data = request.POST.copy()
    if len(organisations) == 1 and not data.get("organisation"):
        data["organisation"] = str(organisations[0].pk)  # the only one this person can respond for
    form = StartResponseForm(data, organisations=organisations)
    if not form.is_valid():
        messages.error(request, "Choose the organisation you respond for.")
        return redirect(consultation)
    try:
        response = services.response_start(
            actor=request_user(request), consultation=consultation, organisation=form.cleaned_data["organisation"]
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(consultation)
    if response.status == ConsultationResponse.Status.SUBMITTED:
        return redirect(response)
    return redirect("engagement:response-edit", strategy_slug=strategy.slug, pk=response.pk)


@login_required
def response_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """The responses of the person's organisation(s): drafts to continue, and what was submitted."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=VIEW)
    if not audiences_of(request.user, strategy):
        raise Http404("No organisation here.")
    page = Paginator(response_list_for_organisations(strategy=strategy, user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "engagement/response_list.html", {"strategy": strategy, "page": page})


@login_required
def response_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=VIEW)
    response = get_response_for_user_or_404(request.user, strategy, pk)
    consultation = response.consultation
    manager = bool(can_manage(request.user, strategy))
    respondent = is_respondent(request.user, response)
    questions = question_list(consultation=consultation)
    answers = [(q, q.answer_display(response.answers.get(str(q.pk)))) for q in questions]
    context = {
        "strategy": strategy,
        "response": response,
        "consultation": consultation,
        "answers": answers,
        "is_respondent": respondent,
        "can_manage": manager,
        "can_edit": respondent and response.status == ConsultationResponse.Status.DRAFT and consultation.is_open(),
        "history": response_history(response=response) if manager else [],
    }
    return render(request, "engagement/response_detail.html", context)


@login_required
def response_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """Answer the questions: save the draft to come back to it, or submit."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=VIEW)
    response = get_response_for_user_or_404(request.user, strategy, pk, write=True)
    consultation = response.consultation
    if response.status != ConsultationResponse.Status.DRAFT:
        messages.error(request, "This response has been submitted, so it can no longer be changed.")
        return redirect(response)
    if not consultation.is_open():
        messages.error(request, f"The consultation “{consultation.title}” is not open, so the response cannot change.")
        return redirect(response)
    questions = question_list(consultation=consultation)
    conflicts: list[Conflict] = []
    if request.method == "POST":
        user = request_user(request)
        form, saved, conflicts = versioned_save(
            request.POST,
            current=response,
            form_for=lambda data, _: ResponseForm(data, questions=questions),
            save=lambda form, version: services.response_save(
                actor=user, response=response, answers=form.answers(), version=version
            ),
        )
        if saved is not None and request.POST.get("action") != "submit":
            messages.success(
                request, "Answers saved. You or a colleague can come back to the draft until the consultation closes."
            )
            return redirect(saved)
        if saved is not None:
            try:
                submitted = services.response_submit(actor=user, response=saved)
            except ApplicationError as error:
                # The answers were saved; the submission was refused. Show the form again, current.
                data = request.POST.copy()
                data["version"] = str(saved.version)
                form = ResponseForm(data, questions=questions)
                form.is_valid()
                form.add_error(
                    form_error_field(form, error), "Your answers are saved, but not submitted. " + error.message
                )
            else:
                messages.success(request, f"Response submitted for {submitted.respondent_label}.")
                return redirect(submitted)
    else:
        form = ResponseForm(questions=questions, initial=ResponseForm.initial_for(response))
    context = {
        "strategy": strategy,
        "consultation": consultation,
        "response": response,
        "form": form,
        "conflicts": conflicts,
    }
    return render(request, "engagement/response_form.html", context)


# The officer's side --------------------------------------------------------------------------------


def _officer_page(request: HttpRequest, strategy_slug: str, pk: int) -> tuple[Any, ConsultationResponse]:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    return strategy, get_response_for_officer_or_404(request.user, strategy, pk)


def _action_page(
    request: HttpRequest, strategy: Any, response: ConsultationResponse, form: Any, heading: str
) -> HttpResponse:
    context = {"strategy": strategy, "response": response, "form": form, "heading": heading}
    return render(request, "engagement/response_action.html", context)


@login_required
def response_code(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy, response = _officer_page(request, strategy_slug, pk)
    if request.method == "POST":
        form = CodeForm(request.POST, what="response")
        if form.is_valid():
            try:
                services.response_code(
                    actor=request_user(request),
                    response=response,
                    themes=list(form.cleaned_data["coded_themes"]),
                    tags=form.cleaned_data["tags"],
                )
            except ApplicationError as error:
                form.add_error(form_error_field(form, error), error.message)
            else:
                messages.success(request, f"Coding of the response from {response.respondent_label} saved.")
                return redirect(response)
    else:
        initial = {
            "coded_themes": [t.pk for t in response.coded_themes.all()],
            "tags": ", ".join(t.name for t in response.tags.all()),
        }
        form = CodeForm(initial=initial, what="response")
    return _action_page(request, strategy, response, form, "Code the response")


@login_required
def response_reply(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy, response = _officer_page(request, strategy_slug, pk)
    form = RespondForm(request.POST or None, initial={"response": response.reply}, what="response")
    if request.method == "POST" and form.is_valid():
        try:
            services.response_reply(actor=request_user(request), response=response, reply=form.cleaned_data["response"])
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"Response to {response.respondent_label} published.")
            return redirect(response)
    return _action_page(request, strategy, response, form, "Respond to the response")


@login_required
def response_hide(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy, response = _officer_page(request, strategy_slug, pk)
    form = HideForm(request.POST or None, what="response")
    if request.method == "POST" and form.is_valid():
        try:
            services.response_hide(actor=request_user(request), response=response, reason=form.cleaned_data["reason"])
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"The response from {response.respondent_label} is hidden.")
            return redirect(response)
    return _action_page(request, strategy, response, form, "Hide the response")


@login_required
@require_POST
def response_unhide(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    _, response = _officer_page(request, strategy_slug, pk)
    return post_action(
        request,
        lambda: services.response_unhide(actor=request_user(request), response=response),
        success=f"The response from {response.respondent_label} is shown again.",
        redirect_to=response.get_absolute_url(),
    )
