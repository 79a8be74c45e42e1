"""Indicators and what they show: sector specialisms, productivity, and the gaps in the evidence."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.access import get_strategy_for_user_or_404, get_strategy_or_404
from core.exceptions import ApplicationError
from core.http import request_user
from core.models import Area, Theme

from .. import services
from ..charts import DARK_BLUE, ORANGE, Bar, Line, bar_chart, line_chart
from ..forms import NarrativeForm
from ..geography import codes_label, place_key, strategy_area_ids
from ..models import EvidenceNarrative
from ..rules import can_manage
from ..selectors import (
    DEFAULT_MIN_EMPLOYMENT,
    GVA_PER_HOUR,
    GVA_PER_JOB,
    SPECIALISM_LQ,
    bres_areas,
    bres_years,
    gaps_matrix,
    indicator_list,
    narrative_list,
    productivity,
    productivity_areas,
    specialism_analysis_for_places,
    specialism_places,
)

VIEW = "evidence.view_evidence_workspace"
MANAGE = "evidence.manage_evidence"
CHART_BARS = 20
CHART_FONT_PX = 19  # GOV.UK's body size on a wide screen (16 on a narrow one): the chart's labels are never smaller
WHOLE_LEP = "lep"  # ?area=lep: the strategy's regions added together


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def indicators(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_or_404(request.user, strategy_slug)
    context = {"strategy": strategy, "indicators": indicator_list(), "can_manage": can_manage(request.user, strategy)}
    return render(request, "evidence/indicator_list.html", context)


def specialisms(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """Employment by industry with location quotients against Great Britain, for the LEP as a whole
    (the strategy's regions added together; the default) or one area, and a year."""
    strategy = get_strategy_or_404(request.user, strategy_slug)
    areas = list(bres_areas())
    years = bres_years()
    context: dict[str, object] = {"strategy": strategy, "areas": areas, "years": years, "lq_threshold": SPECIALISM_LQ}
    if not areas or not years:
        return render(request, "evidence/specialisms.html", context)
    own = set(strategy_area_ids(strategy))
    lep_places = specialism_places(areas=areas, area_ids=own)
    requested = request.GET.get("area") or ""
    whole_lep = bool(lep_places) and requested in ("", WHOLE_LEP)
    default = next((a for a in areas if a.pk in own), areas[0])
    # The place under either of its codes: ?area=TLJ4 shows Kent, whose BRES figures are held as UKJ4.
    wanted = place_key(requested)
    area = next((a for a in areas if a.code == requested), None) or next(
        (a for a in areas if place_key(a.code) == wanted), default
    )
    places = lep_places if whole_lep else [area]
    place_name = "the LEP as a whole" if whole_lep else area.name
    year = _int(request.GET.get("year"), years[-1])
    year = year if year in years else years[-1]
    minimum = max(_int(request.GET.get("min_employment"), DEFAULT_MIN_EMPLOYMENT), 0)
    analysis = specialism_analysis_for_places(places=places, year=year, min_employment=minimum)
    top = analysis.rows[:CHART_BARS]
    chart = bar_chart(
        chart_id="lq-chart",
        title=f"Location quotients of the {len(top)} most concentrated industries in {place_name}, {year}",
        description=(
            f"Bars show each industry’s location quotient against Great Britain; dashed lines mark 1 (the same "
            f"share as Great Britain) and {SPECIALISM_LQ} (a specialism). Specialisms are coloured blue. "
            "The table after the chart gives the figures."
        ),
        bars=[Bar(f"{r.industry_code} {r.industry_name}", r.lq, r.is_specialism) for r in top],
        reference_lines=(1.0, SPECIALISM_LQ),
        font_px=CHART_FONT_PX,
    )
    context.update(
        {
            "area": area,
            "whole_lep": whole_lep,
            "whole_lep_value": WHOLE_LEP,
            "lep_places": lep_places,
            "place_name": place_name,
            "year": year,
            "min_employment": minimum,
            "analysis": analysis,
            "top": top,
            "chart": chart,
            "own_area_ids": own,
            "area_choices": [(a, codes_label(a.code)) for a in areas],
        }
    )
    return render(request, "evidence/specialisms.html", context)


def productivity_view(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    """GVA per hour worked and per filled job for the strategy's areas against the UK, over time."""
    strategy = get_strategy_or_404(request.user, strategy_slug)
    area_ids = strategy_area_ids(strategy)
    areas = productivity_areas(strategy, area_ids=area_ids)
    area: Area | None = next((a for a in areas if a.code == request.GET.get("area")), areas[0] if areas else None)
    measures = []
    for code, label in ((GVA_PER_HOUR, "per hour worked"), (GVA_PER_JOB, "per filled job")):
        data = productivity(strategy=strategy, indicator_code=code, area=area, area_ids=area_ids)
        if data.indicator is None:
            continue
        lines = []
        if data.area is not None:
            lines.append(Line(data.area.name, data.area.values, DARK_BLUE))
        if data.comparator is not None:
            lines.append(Line(data.comparator.name, data.comparator.values, ORANGE, dashed=True))
        chart = line_chart(
            chart_id=f"chart-{code}",
            title=f"Gross value added {label}: {area.name if area else ''} and the UK, "
            f"{data.years[0] if data.years else ''}–{data.years[-1] if data.years else ''}",
            description=(
                f"A solid line for {area.name if area else 'the area'} and a dashed line for the UK less Extra-Regio. "
                "The table beside the chart gives every year’s figures."
            ),
            lines=lines,
            unit="£",
        )
        table = [
            (
                year,
                data.area.values.get(year) if data.area else None,
                data.comparator.values.get(year) if data.comparator else None,
            )
            for year in data.years
        ]
        measures.append({"code": code, "label": label, "data": data, "chart": chart, "table": table})
    context = {"strategy": strategy, "areas": areas, "area": area, "measures": measures}
    return render(request, "evidence/productivity.html", context)


@login_required
def gaps(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=VIEW)
    context = {
        "strategy": strategy,
        "gaps": gaps_matrix(strategy=strategy, user=request.user),
        "narratives": narrative_list(strategy=strategy),
        "can_manage": can_manage(request.user, strategy),
    }
    return render(request, "evidence/gaps.html", context)


@login_required
def narrative_edit(request: HttpRequest, strategy_slug: str, theme_slug: str) -> HttpResponse:
    strategy = get_strategy_for_user_or_404(request.user, strategy_slug, perm=MANAGE)
    theme = Theme.objects.filter(slug=theme_slug, kind=Theme.Kind.FOUNDATION).first()
    if theme is None:
        raise Http404("No foundation here.")
    narrative = EvidenceNarrative.objects.filter(strategy=strategy, theme=theme).first()
    initial = (
        {"strengths": narrative.strengths, "challenges": narrative.challenges, "opportunities": narrative.opportunities}
        if narrative
        else {}
    )
    form = NarrativeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.narrative_save(
                actor=request_user(request),
                strategy=strategy,
                theme=theme,
                strengths=form.cleaned_data["strengths"],
                challenges=form.cleaned_data["challenges"],
                opportunities=form.cleaned_data["opportunities"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"The narrative for {theme.name} is saved.")
            return redirect("evidence:gaps", strategy_slug=strategy.slug)
    context = {"strategy": strategy, "theme": theme, "form": form}
    return render(request, "evidence/narrative_form.html", context)
