"""Open data: the strategy's open items and every indicator, as CSV and JSON, with licence and source."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render

from core.access import get_strategy_or_404
from core.spreadsheets import csv_response

from ..models import EvidenceItem, Indicator, Observation
from ..selectors import indicator_list, open_item_list

ITEM_COLUMNS = [
    "id",
    "title",
    "kind",
    "summary",
    "publisher",
    "published_on",
    "link",
    "download_url",
    "licence",
    "themes",
    "areas",
    "quality_note",
    "strategy",
]
INDICATOR_COLUMNS = ["code", "name", "unit", "source", "source_url", "licence", "geography_note", "observations"]
OBSERVATION_COLUMNS = [
    "indicator",
    "geo_code",
    "area_name",
    "period",
    "year",
    "industry_code",
    "value",
    "unit",
    "source",
    "licence",
]


def _item_row(request: HttpRequest, item: EvidenceItem) -> dict[str, Any]:
    download = request.build_absolute_uri(item.get_absolute_url() + "download/") if item.file else ""
    return {
        "id": item.pk,
        "title": item.title,
        "kind": item.kind,
        "summary": item.summary,
        "publisher": item.publisher,
        "published_on": item.published_on,
        "link": item.link,
        "download_url": download,
        "licence": item.licence,
        "themes": "; ".join(t.name for t in item.themes.all()),
        "areas": "; ".join(f"{a.name} ({a.code})" for a in item.areas.all()),
        "quality_note": item.quality_note,
        "strategy": item.strategy.name,
    }


def _indicator_row(indicator: Any) -> dict[str, Any]:
    return {
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "source": indicator.source,
        "source_url": indicator.source_url,
        "licence": indicator.licence,
        "geography_note": indicator.geography_note,
        "observations": indicator.observation_count,
    }


def _csv_response(rows: Iterable[dict[str, Any]], columns: list[str], filename: str) -> StreamingHttpResponse:
    """Open data for machines as much as spreadsheets: no byte-order mark; every text cell neutralised
    all the same (a title or publisher beginning "=" is shown, never run)."""
    table = ([row[column] for column in columns] for row in rows)
    return csv_response(filename=filename, columns=columns, rows=table, bom=False)


def _json_response(payload: dict[str, Any], filename: str) -> HttpResponse:
    text = json.dumps(payload, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder)
    response = HttpResponse(text, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def open_data(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_or_404(request.user, strategy_slug)
    context = {
        "strategy": strategy,
        "open_items": open_item_list(strategy=strategy).count(),
        "indicators": indicator_list(),
    }
    return render(request, "evidence/open_data.html", context)


def items_csv(request: HttpRequest, strategy_slug: str) -> StreamingHttpResponse:
    strategy = get_strategy_or_404(request.user, strategy_slug)
    rows = [_item_row(request, item) for item in open_item_list(strategy=strategy)]
    return _csv_response(rows, ITEM_COLUMNS, f"{strategy.slug}-open-evidence.csv")


def items_json(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    strategy = get_strategy_or_404(request.user, strategy_slug)
    rows = [_item_row(request, item) for item in open_item_list(strategy=strategy)]
    payload = {"strategy": strategy.name, "sharing": "open", "items": rows}
    return _json_response(payload, f"{strategy.slug}-open-evidence.json")


def indicators_csv(request: HttpRequest, strategy_slug: str) -> StreamingHttpResponse:
    get_strategy_or_404(request.user, strategy_slug)
    return _csv_response([_indicator_row(i) for i in indicator_list()], INDICATOR_COLUMNS, "indicators.csv")


def indicators_json(request: HttpRequest, strategy_slug: str) -> HttpResponse:
    get_strategy_or_404(request.user, strategy_slug)
    return _json_response({"indicators": [_indicator_row(i) for i in indicator_list()]}, "indicators.json")


def observations_csv(request: HttpRequest, strategy_slug: str, code: str) -> StreamingHttpResponse:
    """Every observation of one indicator, streamed, each row with its unit, source and licence."""
    get_strategy_or_404(request.user, strategy_slug)
    indicator = get_object_or_404(Indicator, code=code)
    observations = (
        Observation.objects.filter(indicator=indicator)
        .order_by("geo_code", "year", "industry_code")
        .values_list("geo_code", "area__name", "period", "year", "industry_code", "value")
    )
    source = (indicator.unit, indicator.source, indicator.licence)
    rows = (
        (indicator.code, geo_code, area_name or "", period, year, industry, value, *source)
        for geo_code, area_name, period, year, industry, value in observations.iterator(chunk_size=5000)
    )
    return csv_response(filename=f"{indicator.code}.csv", columns=OBSERVATION_COLUMNS, rows=rows, bom=False)
