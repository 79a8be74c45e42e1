"""You said, we did: once a consultation or a call for priorities closes, anyone (signed in or not)
reads what people said and what the LEP replied, on the strategy's public pages.

A consultation shows its publishable responses (organisations' always, a member of the public's only
if they agreed), credited as the respondent chose, with their answers and the LEP's reply; a call
shows its councils' submitted priorities with the LEP's response and the agreed propositions they fed
into. Before the close the pages are 404: nothing is published while people can still respond."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.access import get_strategy_or_404

from ..selectors import (
    call_get_closed,
    consultation_get_closed,
    priority_counts_published,
    priority_list_published,
    question_list,
    response_counts_published,
    response_list_published,
    response_public_credit,
    response_published_answers,
)

PAGE_SIZE = 25


@require_GET
def consultation_published(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_or_404(request.user, strategy_slug)
    consultation = consultation_get_closed(strategy=strategy, pk=pk)
    if consultation is None:
        raise Http404("No closed consultation here.")
    questions = question_list(consultation=consultation)
    page = Paginator(response_list_published(consultation=consultation), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "response": response,
            "credit": response_public_credit(response),
            "answers": response_published_answers(response=response, questions=questions),
        }
        for response in page
    ]
    context = {
        "strategy": strategy,
        "consultation": consultation,
        "counts": response_counts_published(consultation=consultation),
        "page": page,
        "rows": rows,
    }
    return render(request, "engagement/consultation_published.html", context)


@require_GET
def call_published(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    strategy = get_strategy_or_404(request.user, strategy_slug)
    call = call_get_closed(strategy=strategy, pk=pk)
    if call is None:
        raise Http404("No closed call here.")
    page = Paginator(priority_list_published(call=call), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "strategy": strategy,
        "call": call,
        "counts": priority_counts_published(call=call),
        "page": page,
    }
    return render(request, "engagement/call_published.html", context)
