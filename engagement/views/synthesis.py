"""Synthesis: what a call or a consultation has received, counted and charted for its officers
(bar charts drawn on the server as SVG, each beside a table of the same figures), and the XLSX
exports of priorities and responses beside the CSV ones (same columns and filters, one writer)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import slugify

from core.access import get_strategy_for_user_or_404
from core.http import filters_from, request_user
from core.spreadsheets import xlsx_response
from evidence.charts import Bar, bar_chart

from .. import services
from ..access import get_call_for_user_or_404, get_consultation_for_user_or_404
from ..forms import PriorityFilterForm, ResponseFilterForm
from ..selectors import (
    PriorityFilters,
    ResponseFilters,
    Tally,
    call_synthesis,
    consultation_synthesis,
    priority_iter_for_export,
    question_list,
    response_iter_for_export,
)
from . import calls, consultations

MANAGE = "engagement.manage_calls"


def _chart(
    chart_id: str, heading: str, label: str, rows: Sequence[Tally], note: str = "", caption: str = ""
) -> dict[str, Any]:
    """One chart of counts with what its table needs: the heading, the first column's name, the rows,
    and the table's caption ("The chart’s figures: by place"; a question's text is never lower-cased)."""
    chart: SafeString | None = None
    if any(row.count for row in rows):
        chart = bar_chart(
            chart_id=chart_id,
            title=heading,
            description=f"A horizontal bar for each {label.lower()}; the table beside gives the same figures.",
            bars=[Bar(row.label, row.count, highlight=True) for row in rows],
            value_format=",.0f",
        )
    caption = caption or f"The chart’s figures: {heading[:1].lower()}{heading[1:]}"
    return {
        "id": chart_id,
        "heading": heading,
        "label": label,
        "rows": rows,
        "chart": chart,
        "note": note,
        "caption": caption,
    }


@login_required
def call_synthesis_page(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """A call's priorities counted by theme, place, kind of organisation and week."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    call = get_call_for_user_or_404(request.user, strategy, pk, write=True)
    synthesis = call_synthesis(call=call)
    charts = [
        _chart(
            "by-theme",
            "By foundation and grand challenge",
            "Theme",
            synthesis.by_theme,
            "The LEP’s coding where a priority is coded, the council’s own themes until then. A priority counts "
            "under each of its themes.",
        ),
        _chart("by-place", "By place", "Place", synthesis.by_place, "A priority counts under each place it concerns."),
        _chart("by-council-kind", "By kind of council submitting", "Kind of council", synthesis.by_council_kind),
        _chart(
            "by-backer-kind",
            "By kind of organisation backing",
            "Kind of organisation",
            synthesis.by_backer_kind,
            "How many priorities organisations of each kind back.",
        ),
        _chart("by-week", "By week submitted", "Week", synthesis.by_week),
    ]
    list_url = reverse("engagement:call-priorities", kwargs={"strategy_slug": strategy.slug, "pk": call.pk})
    context = {
        "strategy": strategy,
        "call": call,
        "synthesis": synthesis,
        "charts": charts,
        "uncoded_url": f"{list_url}?status=submitted&coded=no&hidden=hide",
        "hidden_url": f"{list_url}?hidden=only",
    }
    return render(request, "engagement/call_synthesis.html", context)


@login_required
def consultation_synthesis_page(request: HttpRequest, strategy_slug: str, pk: int) -> HttpResponse:
    """A consultation's responses counted by theme, kind of organisation and week, and its choice
    and scale questions' answers counted."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    consultation = get_consultation_for_user_or_404(request.user, strategy, pk, write=True)
    questions = question_list(consultation=consultation)
    synthesis = consultation_synthesis(consultation=consultation, questions=questions)
    charts = [
        _chart(
            "by-theme",
            "By foundation and grand challenge",
            "Theme",
            synthesis.by_theme,
            "The LEP’s coding: a response counts under each theme it is coded with; uncoded ones under none.",
        ),
        _chart("by-kind", "By kind of organisation", "Kind of organisation", synthesis.by_kind),
        _chart("by-week", "By week submitted", "Week", synthesis.by_week),
    ]
    answers = [
        _chart(
            f"question-{tally.question.pk}",
            f"Question {tally.number}: {tally.question.text}",
            "Answer",
            tally.rows,
            f"{tally.answered} of {synthesis.submitted} answered"
            + ("; each may choose several." if tally.question.kind == "multiple" else "."),
            caption=f"The chart’s figures for question {tally.number}",
        )
        for tally in synthesis.choices
    ]
    list_url = reverse(
        "engagement:consultation-responses", kwargs={"strategy_slug": strategy.slug, "pk": consultation.pk}
    )
    context = {
        "strategy": strategy,
        "consultation": consultation,
        "synthesis": synthesis,
        "charts": charts,
        "answers": answers,
        "uncoded_url": f"{list_url}?coded=no&hidden=hide",
        "hidden_url": f"{list_url}?hidden=only",
    }
    return render(request, "engagement/consultation_synthesis.html", context)


# XLSX exports --------------------------------------------------------------------------------------
# The CSV exports' columns and typed cells, written by core.spreadsheets (numbers and dates typed,
# text never a formula).


@login_required
def call_export_xlsx(request: HttpRequest, strategy_slug: str, pk: int) -> FileResponse:
    """The call's priorities (with the list's filters) as XLSX: the CSV export's columns and cells."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    call = get_call_for_user_or_404(request.user, strategy, pk, write=True)
    filters = filters_from(PriorityFilterForm(request.GET or None, strategy=strategy), PriorityFilters)
    services.priorities_exported(
        actor=request_user(request),
        call=call,
        filters={**filters.as_dict(), "format": "xlsx"},
    )
    rows = (calls.export_row(priority) for priority in priority_iter_for_export(call=call, filters=filters))
    name = slugify(call.title)[:60] or "call"
    return xlsx_response(
        filename=f"priorities-{name}-{timezone.localdate():%Y-%m-%d}.xlsx",
        sheet="Priorities",
        columns=calls.EXPORT_COLUMNS,
        rows=rows,
    )


@login_required
def consultation_export_xlsx(request: HttpRequest, strategy_slug: str, pk: int) -> FileResponse:
    """The consultation's submitted responses (with the list's filters) as XLSX, one column a question."""
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    consultation = get_consultation_for_user_or_404(request.user, strategy, pk, write=True)
    filters = filters_from(ResponseFilterForm(request.GET or None, strategy=strategy), ResponseFilters)
    services.responses_exported(
        actor=request_user(request),
        consultation=consultation,
        filters={**filters.as_dict(), "format": "xlsx"},
    )
    questions = question_list(consultation=consultation)
    rows = (
        consultations.export_row(response, questions)
        for response in response_iter_for_export(consultation=consultation, filters=filters)
    )
    name = slugify(consultation.title)[:60] or "consultation"
    return xlsx_response(
        filename=f"responses-{name}-{timezone.localdate():%Y-%m-%d}.xlsx",
        sheet="Responses",
        columns=consultations.export_columns(questions),
        rows=rows,
    )
