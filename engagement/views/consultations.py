"""Consultations: the list, a consultation's page (its questions; for a respondent, their
organisation's response), the officer's create, edit and questions, the officer's filtered list of
the responses arriving, and their CSV export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from core.access import get_strategy_for_user_or_404
from core.exceptions import ApplicationError, Conflict
from core.http import filters_from, form_error_field, post_action, request_user, versioned_save
from core.spreadsheets import csv_response

from .. import services
from ..access import get_consultation_for_user_or_404, get_question_for_officer_or_404
from ..consulted import consulted_documents, consulted_editors
from ..forms import ConsultationForm, QuestionForm, ResponseFilterForm, StartResponseForm
from ..models import Consultation, ConsultationResponse, Question
from ..rules import can_manage
from ..selectors import (
    ResponseFilters,
    consultation_list_for_user,
    question_list,
    respondent_organisations,
    response_iter_for_export,
    response_list_for_consultation,
)
from .calls import _names

VIEW = "engagement.view_consultations"
MANAGE = "engagement.manage_calls"
PAGE_SIZE = 50


@login_required
def consultation_list(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=VIEW)
    context = {
        "strategy": strategy,
        "consultations": consultation_list_for_user(strategy=strategy, user=request.user),
        "can_manage": can_manage(request.user, strategy),
    }
    return render(request, "engagement/consultation_list.html", context)


@login_required
def consultation_detail(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=VIEW)
    consultation = get_consultation_for_user_or_404(request.user, strategy, pk)
    manager = bool(can_manage(request.user, strategy))
    organisations = respondent_organisations(consultation=consultation, user=request.user)
    to_start = [o for o in organisations if getattr(o, "consultation_response", None) is None]
    counts = (
        consultation_list_for_user(strategy=strategy, user=request.user).filter(pk=consultation.pk).first()
        if manager
        else None
    )
    context = {
        "strategy": strategy,
        "consultation": consultation,
        "call": consultation,  # for the state tag
        "state": consultation.state(),
        "questions": question_list(consultation=consultation),
        "can_manage": manager,
        "counts": counts,
        "organisations": organisations,
        "start_form": StartResponseForm(organisations=to_start) if to_start else None,
        "consulted_documents": consulted_documents(consultation=consultation) if manager else [],
        "consulted_editors": consulted_editors(consultation=consultation) if manager else [],
    }
    return render(request, "engagement/consultation_detail.html", context)


@login_required
def consultation_create(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    form = ConsultationForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.consultation_create(
                actor=request_user(request), strategy=strategy, data=form.call_data()
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, f"Consultation “{consultation.title}” created. Now add its questions.")
            return redirect(consultation)
    context = {"strategy": strategy, "form": form, "consultation": None}
    return render(request, "engagement/consultation_form.html", context)


@login_required
def consultation_edit(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    consultation = get_consultation_for_user_or_404(request.user, strategy, pk, write=True)
    conflicts: list[Conflict] = []
    if request.method == "POST":
        form, saved, conflicts = versioned_save(
            request.POST,
            current=consultation,
            form_for=lambda data, _: ConsultationForm(data, strategy=strategy),
            save=lambda form, version: services.consultation_update(
                actor=request_user(request), consultation=consultation, data=form.call_data(), version=version
            ),
        )
        if saved is not None:
            messages.success(request, "Consultation saved.")
            return redirect(saved)
    else:
        form = ConsultationForm(strategy=strategy, initial=ConsultationForm.initial_for(consultation))
    context = {"strategy": strategy, "form": form, "consultation": consultation, "conflicts": conflicts}
    return render(request, "engagement/consultation_form.html", context)


@login_required
def question_create(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    consultation = get_consultation_for_user_or_404(request.user, strategy, pk, write=True)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.question_add(
                actor=request_user(request),
                consultation=consultation,
                kind=c["kind"],
                text=c["text"],
                hint=c.get("hint") or "",
                choices=c["choice_list"],
                required=c["required"],
            )
        except ApplicationError as error:
            form.add_error(form_error_field(form, error), error.message)
        else:
            messages.success(request, "Question added.")
            return redirect(consultation)
    context = {"strategy": strategy, "consultation": consultation, "form": form}
    return render(request, "engagement/question_form.html", context)


def _question_action(request: HttpRequest, strategy_slug: str, pk: int) -> tuple[Question, Consultation]:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    question = get_question_for_officer_or_404(request.user, strategy, pk)
    return question, question.consultation


@login_required
@require_POST
def question_delete(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    question, consultation = _question_action(request, strategy_slug, pk)
    return post_action(
        request,
        lambda: services.question_remove(actor=request_user(request), question=question),
        success=f"Question “{question.text}” removed.",
        redirect_to=consultation.get_absolute_url(),
    )


@login_required
@require_POST
def question_move(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    question, consultation = _question_action(request, strategy_slug, pk)
    return post_action(
        request,
        lambda: services.question_move(
            actor=request_user(request), question=question, up=request.POST.get("direction") == "up"
        ),
        success=None,
        redirect_to=consultation.get_absolute_url(),
    )


@login_required
def consultation_responses(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """The officer's view of the responses arriving: filtered and paginated."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    consultation = get_consultation_for_user_or_404(request.user, strategy, pk, write=True)
    filter_form = ResponseFilterForm(request.GET or None, strategy=strategy)
    filters = filters_from(filter_form, ResponseFilters)
    responses = response_list_for_consultation(consultation=consultation, filters=filters)
    page = Paginator(responses, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "strategy": strategy,
        "consultation": consultation,
        "filters": filter_form,
        "page": page,
        "query": query.urlencode(),
        "drafts": consultation.responses.filter(status=ConsultationResponse.Status.DRAFT).count(),
    }
    return render(request, "engagement/consultation_responses.html", context)


# The export ------------------------------------------------------------------------------------------


def export_columns(questions: list[Question]) -> list[str]:
    return [
        "Response id",
        "Consultation",
        "Organisation",
        "Kind of organisation",
        "Submitted by",
        "Submitted at",
        *[f"Q{number}. {question.text}" for number, question in enumerate(questions, start=1)],
        "Themes (LEP coding)",
        "Tags",
        "LEP response",
        "Responded at",
        "Hidden",
        "Reason hidden",
        "Member of the public",
        "Credit as",
        "May publish",
        "Entered on their behalf by",
        "Channel",
        "Received on",
    ]


def export_row(response: ConsultationResponse, questions: list[Question]) -> list[Any]:
    """A response's cells, typed; core.spreadsheets neutralises the text as it writes CSV or XLSX."""
    return [
        response.pk,
        response.consultation.title,
        response.organisation.name if response.organisation else "",
        response.organisation.get_kind_display() if response.organisation else "Member of the public",
        response.submitted_by.name if response.submitted_by else "",
        response.submitted_at,
        *[q.answer_display(response.answers.get(str(q.pk))) for q in questions],
        _names(response.coded_themes.all()),
        _names(response.tags.all()),
        response.reply,
        response.replied_at,
        "yes" if response.is_hidden else "no",
        response.hidden_reason,
        response.respondent_name if response.is_public else "",
        response.credit_label,
        "" if response.may_publish is None else ("yes" if response.may_publish else "no"),
        response.entered_by.name if response.entered_by else "",
        response.get_channel_display() if response.channel else "",
        response.received_on,
    ]


@login_required
def consultation_export(request: HttpRequest, strategy_slug: str, pk: int) -> StreamingHttpResponse:
    """The consultation's submitted responses (with the list's filters) as CSV, one column a question,
    streamed row by row, every cell a spreadsheet might run neutralised."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    consultation = get_consultation_for_user_or_404(request.user, strategy, pk, write=True)
    filters = filters_from(ResponseFilterForm(request.GET or None, strategy=strategy), ResponseFilters)
    services.responses_exported(actor=request_user(request), consultation=consultation, filters=filters.as_dict())
    questions = question_list(consultation=consultation)
    rows = response_iter_for_export(consultation=consultation, filters=filters)
    name = slugify(consultation.title)[:60] or "consultation"
    return csv_response(
        filename=f"responses-{name}-{timezone.localdate():%Y-%m-%d}.csv",
        columns=export_columns(questions),
        rows=(export_row(response, questions) for response in rows),
    )
