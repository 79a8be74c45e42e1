"""Reads the evidence pages, the open data downloads and the API share: already joined, already
scoped to the person asking."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from core.models import Area, Strategy, Theme

from .geography import COMPARATORS, Place, codes_label, equivalent_code, level_of, strategy_area_ids
from .models import EvidenceItem, EvidenceNarrative, Indicator, Observation, Sharing
from .rules import visible_sharing

BRES = "bres-employment"
GVA_PER_HOUR = "gross-value-added-per-hour-worked"
GVA_PER_JOB = "gross-value-added-per-filled-job"
UK_COMPARATOR = "K99000002"
SPECIALISM_LQ = 1.25
DEFAULT_MIN_EMPLOYMENT = 1000


# --- Evidence items ------------------------------------------------------------------------------


def evidence_item_list(
    *,
    strategy: Strategy,
    user: Any,
    query: str = "",
    theme: Theme | None = None,
    area: Area | None = None,
    kind: str = "",
    published_from: date | None = None,
    published_to: date | None = None,
) -> QuerySet[EvidenceItem]:
    """The strategy's items the person may see, filtered and searched; best matches first when searching."""
    items = EvidenceItem.objects.filter(strategy=strategy, sharing__in=visible_sharing(user, strategy))
    if theme is not None:
        items = items.filter(themes=theme)
    if area is not None:
        # The place under either of its codes (Kent is UKJ4 in NUTS and TLJ4 in ITL), in any vintage.
        codes = [area.code, *filter(None, [equivalent_code(area.code)])]
        tagged = EvidenceItem.areas.through.objects.filter(area__code__in=codes).values("evidenceitem_id")
        items = items.filter(pk__in=tagged)
    if kind:
        items = items.filter(kind=kind)
    if published_from is not None:
        items = items.filter(published_on__gte=published_from)
    if published_to is not None:
        items = items.filter(published_on__lte=published_to)
    items = items.select_related("strategy").prefetch_related("themes", "areas")
    query = query.strip()
    if query:
        return search(items, query)
    return items.order_by("-published_on", "-pk")


def search(items: QuerySet[EvidenceItem], query: str) -> QuerySet[EvidenceItem]:
    """PostgreSQL full-text search (English stemming, ranked); a plain match on other databases."""
    from django.db import connection

    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector("publisher", "quality_note", weight="C", config="english")
        )
        search_query = SearchQuery(query, search_type="websearch", config="english")
        return (
            items.annotate(document=vector, rank=SearchRank(vector, search_query))
            .filter(document=search_query)
            .order_by("-rank", "-published_on", "-pk")
        )
    match = Q(title__icontains=query) | Q(summary__icontains=query) | Q(publisher__icontains=query)
    return items.filter(match).order_by("-published_on", "-pk")


def open_item_list(*, strategy: Strategy | None = None) -> QuerySet[EvidenceItem]:
    """Open items of published strategies: what the open data downloads and the API serve, whoever asks."""
    items = EvidenceItem.objects.filter(sharing=Sharing.OPEN, strategy__is_published=True)
    if strategy is not None:
        items = items.filter(strategy=strategy)
    return items.select_related("strategy").prefetch_related("themes", "areas").order_by("-published_on", "-pk")


# --- Gaps ----------------------------------------------------------------------------------------


@dataclass
class GapCell:
    theme: Theme
    area: Area
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class GapRow:
    area: Area
    level: str
    cells: list[GapCell]
    codes: str = ""


@dataclass
class Gaps:
    themes: list[Theme]
    rows: list[GapRow]
    sharing: list[tuple[str, str]]
    empty: int = 0
    covered: int = 0


def gaps_matrix(*, strategy: Strategy, user: Any) -> Gaps:
    """Themes × the strategy's places: how many items the person may see cover each cell, by sharing
    level. A region held under its NUTS and its ITL code is one place (one row), and an item tagged
    with both counts once."""
    from .geography import strategy_places

    themes = list(Theme.objects.order_by("kind", "order"))
    places: list[Place] = strategy_places(strategy)
    levels = visible_sharing(user, strategy)
    place_of = {area_id: n for n, place in enumerate(places) for area_id in place.ids}
    items: dict[tuple[int, int], dict[int, str]] = defaultdict(dict)
    rows = (
        EvidenceItem.objects.filter(
            strategy=strategy, sharing__in=levels, themes__isnull=False, areas__in=list(place_of)
        )
        .values_list("pk", "themes", "areas", "sharing")
        .distinct()
        .order_by()
    )
    for item_id, theme_id, area_id, sharing in rows:
        items[(theme_id, place_of[area_id])][item_id] = sharing
    gaps = Gaps(themes=themes, rows=[], sharing=[(v, label) for v, label in Sharing.choices if v in levels])
    for n, place in enumerate(places):
        cells = []
        for t in themes:
            counts: dict[str, int] = {}
            for sharing in items.get((t.pk, n), {}).values():
                counts[sharing] = counts.get(sharing, 0) + 1
            cells.append(GapCell(theme=t, area=place.area, counts={v: counts[v] for v in levels if v in counts}))
        gaps.rows.append(GapRow(area=place.area, level=place.level, cells=cells, codes=place.codes))
        gaps.empty += sum(1 for c in cells if not c.total)
        gaps.covered += sum(1 for c in cells if c.total)
    return gaps


def narrative_list(*, strategy: Strategy) -> list[tuple[Theme, EvidenceNarrative | None]]:
    foundations = list(Theme.objects.filter(kind=Theme.Kind.FOUNDATION).order_by("order"))
    narratives = {
        n.theme_id: n for n in EvidenceNarrative.objects.filter(strategy=strategy).select_related("updated_by")
    }
    return [(theme, narratives.get(theme.pk)) for theme in foundations]


# --- Sector specialisms --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def industry_names() -> dict[str, str]:
    """SIC 2007 division names as Nomis gives them (evidence/data, copied from the shared BRES files)."""
    path = Path(__file__).parent / "data" / "sic2007_divisions.csv"
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return {row["INDUSTRY_CODE"]: industry_short_name(row["INDUSTRY_NAME"]) for row in csv.DictReader(handle)}


def industry_short_name(label: str) -> str:
    """A division's name as pages show it, from the label Nomis gives: without its code ("39 : "),
    without the definition Nomis appends to a few ("… services. This division includes the
    provision of remediation services, i.e. …"), and with a space after each semicolon (Nomis
    writes "furniture;manufacture")."""
    name = label.split(" : ", 1)[-1].strip()
    name = name.split(". ", 1)[0].removesuffix(".")
    return re.sub(r";(?=\S)", "; ", name)


@dataclass
class SectorRow:
    industry_code: str
    industry_name: str
    employment: float
    area_share: float
    gb_employment: float
    gb_share: float
    lq: float
    is_specialism: bool
    rank: int = 0
    first_employment: float | None = None
    first_lq: float | None = None
    lq_by_year: dict[int, float] = field(default_factory=dict)


@dataclass
class Specialisms:
    """Employment by industry in one place, or in several added together (`places`: the strategy's
    regions, for the LEP as a whole), with location quotients against Great Britain."""

    places: list[Area]
    year: int
    level: str
    codes: str
    min_employment: int
    area_total: float
    gb_total: float
    gb_areas: int
    rows: list[SectorRow]
    years: list[int]
    first_year: int | None

    @property
    def specialisms(self) -> list[SectorRow]:
        return [row for row in self.rows if row.is_specialism]

    @property
    def share_of_gb(self) -> float | None:
        """The places' share of Great Britain's employment in the year."""
        return self.area_total / self.gb_total if self.gb_total else None

    @property
    def area(self) -> Area:
        """The first (for one place, the only) place."""
        return self.places[0]


def _same_level(code: str) -> Q:
    """Observations at the level of `code`: the same code family (UK…/TL…) and the same length, so a
    file holding regions at two levels is not counted twice in the national total."""
    return Q(geo_code__startswith=code[:2], geo_code__regex=rf"^.{{{len(code)}}}$")


def bres_areas() -> QuerySet[Area]:
    """Areas the BRES data has figures for."""
    return Area.objects.filter(
        pk__in=Observation.objects.filter(indicator__code=BRES, area__isnull=False).values("area_id")
    ).order_by("code")


def bres_years() -> list[int]:
    return list(
        Observation.objects.filter(indicator__code=BRES).values_list("year", flat=True).distinct().order_by("year")
    )


def _by_year(rows: list[tuple[int, str, Any]]) -> dict[int, dict[str, float]]:
    """(year, industry, value) rows as {year: {industry: value}}."""
    by: dict[int, dict[str, float]] = defaultdict(dict)
    for year, industry, value in rows:
        by[year][industry] = float(value or 0)
    return by


def specialism_places(*, areas: Iterable[Area], area_ids: Iterable[int]) -> list[Area]:
    """The strategy's places among `areas` (those BRES has figures for) to add up for the LEP as a
    whole: those at the finest level present (NUTS 2 rather than NUTS 1) and in one code system (UK…
    or TL…), so no employment is counted twice, in code order."""
    own = set(area_ids)
    groups: dict[tuple[str, int], list[Area]] = defaultdict(list)
    for area in areas:
        if area.pk in own:
            groups[(area.code[:2], len(area.code))].append(area)
    if not groups:
        return []
    finest = max(groups, key=lambda k: (k[1], len(groups[k]), k[0] == "UK"))
    return sorted(groups[finest], key=lambda a: a.code)


def specialism_analysis(*, area: Area, year: int, min_employment: int = DEFAULT_MIN_EMPLOYMENT) -> Specialisms:
    """Employment by industry in `area` and `year` with location quotients against Great Britain."""
    return specialism_analysis_for_places(places=[area], year=year, min_employment=min_employment)


def specialism_analysis_for_places(
    *, places: Sequence[Area], year: int, min_employment: int = DEFAULT_MIN_EMPLOYMENT
) -> Specialisms:
    """Employment by industry in `places` added together (one place, or the strategy's regions for
    the LEP as a whole) and `year`, with location quotients against Great Britain.

    LQ = (area employment in the industry ÷ area employment in all industries)
       ÷ (GB employment in the industry ÷ GB employment in all industries),
    GB being the sum of every area at the same level in the data (the level of the first place).
    A specialism has LQ ≥ 1.25 and at least `min_employment` people employed. Four queries,
    whatever the size of the data and the number of places."""
    codes = [place.code for place in places]
    same_level = _same_level(codes[0])
    base = Observation.objects.filter(indicator__code=BRES).filter(same_level)
    # 1. The places' employment by industry, every year, added up.
    area_rows = list(
        base.filter(geo_code__in=codes)
        .values("year", "industry_code")
        .annotate(total=Sum("value"))
        .values_list("year", "industry_code", "total")
        .order_by()
    )
    # 2. The national total by industry, every year.
    gb_rows = list(
        base.values("year", "industry_code")
        .annotate(total=Sum("value"))
        .values_list("year", "industry_code", "total")
        .order_by()
    )
    # 3. How many areas make up the national total in the year.
    gb_areas = base.filter(year=year).values("geo_code").distinct().count()
    area_by = _by_year(area_rows)
    gb_by = _by_year(gb_rows)
    years = sorted(area_by)
    first_year = years[0] if years else None
    area_totals = {y: sum(values.values()) for y, values in area_by.items()}
    gb_totals = {y: sum(values.values()) for y, values in gb_by.items()}

    def lq_for(y: int, industry: str) -> float | None:
        area_total = area_totals.get(y, 0.0)
        gb_total = gb_totals.get(y, 0.0)
        gb_value = gb_by[y].get(industry, 0.0)
        value = area_by[y].get(industry)
        if value is None or not area_total or not gb_total or not gb_value:
            return None
        return (value / area_total) / (gb_value / gb_total)

    names = industry_names()
    area_total = area_totals.get(year, 0.0)
    gb_total = gb_totals.get(year, 0.0)
    rows: list[SectorRow] = []
    for industry, employment in area_by[year].items():
        gb_value = gb_by[year].get(industry, 0.0)
        lq = lq_for(year, industry)
        if lq is None:
            lq = 0.0
        row = SectorRow(
            industry_code=industry,
            industry_name=names.get(industry, industry),
            employment=employment,
            area_share=employment / area_total if area_total else 0.0,
            gb_employment=gb_value,
            gb_share=gb_value / gb_total if gb_total else 0.0,
            lq=lq,
            is_specialism=lq >= SPECIALISM_LQ and employment >= min_employment,
        )
        if first_year is not None and first_year != year:
            row.first_employment = area_by[first_year].get(industry)
            row.first_lq = lq_for(first_year, industry)
        for y in years:
            lq_then = lq_for(y, industry)
            if lq_then is not None:
                row.lq_by_year[y] = lq_then
        rows.append(row)
    rows.sort(key=lambda r: (-r.lq, r.industry_code))
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    return Specialisms(
        places=list(places),
        year=year,
        level=level_of(codes[0]),
        codes="; ".join(codes_label(code) for code in codes),
        min_employment=min_employment,
        area_total=area_total,
        gb_total=gb_total,
        gb_areas=gb_areas,
        rows=rows,
        years=years,
        first_year=first_year,
    )


# --- Productivity --------------------------------------------------------------------------------


@dataclass
class ProductivitySeries:
    code: str
    name: str
    level: str
    values: dict[int, float]


@dataclass
class Productivity:
    indicator: Indicator | None
    years: list[int]
    area: ProductivitySeries | None
    comparator: ProductivitySeries | None
    ranking: list[tuple[ProductivitySeries, float, float | None]]  # series, latest value, index (UK = 100)
    latest_year: int | None


def productivity_areas(strategy: Strategy, *, area_ids: list[int] | None = None) -> list[Area]:
    """The strategy's areas the local productivity figures cover (districts and unitaries)."""
    ids = strategy_area_ids(strategy) if area_ids is None else area_ids
    with_data = set(
        Observation.objects.filter(indicator__code=GVA_PER_HOUR, area_id__in=ids).values_list("area_id", flat=True)
    )
    return list(Area.objects.filter(pk__in=with_data).order_by("name"))


def productivity(
    *, strategy: Strategy, indicator_code: str, area: Area | None, area_ids: list[int] | None = None
) -> Productivity:
    """An indicator of productivity for one of the strategy's areas and the UK over time, and every
    area of the strategy in the latest year against the UK. Three queries."""
    indicator = Indicator.objects.filter(code=indicator_code).first()
    if indicator is None:
        return Productivity(None, [], None, None, [], None)
    ids = strategy_area_ids(strategy) if area_ids is None else area_ids
    rows = list(
        Observation.objects.filter(indicator=indicator)
        .filter(Q(area_id__in=ids) | Q(geo_code=UK_COMPARATOR))
        .values_list("geo_code", "area__name", "year", "value")
    )
    series: dict[str, ProductivitySeries] = {}
    for code, name, year, value in rows:
        if code not in series:
            series[code] = ProductivitySeries(code, name or COMPARATORS.get(code, code), level_of(code), {})
        series[code].values[year] = value
    comparator = series.pop(UK_COMPARATOR, None)
    years = sorted({y for s in series.values() for y in s.values} | set(comparator.values if comparator else {}))
    latest = max(years) if years else None
    ranking = []
    if latest is not None:
        uk_latest = comparator.values.get(latest) if comparator else None
        for s in series.values():
            if latest in s.values:
                index = 100 * s.values[latest] / uk_latest if uk_latest else None
                ranking.append((s, s.values[latest], index))
        ranking.sort(key=lambda r: -r[1])
    chosen = series.get(area.code) if area is not None else None
    return Productivity(indicator, years, chosen, comparator, ranking, latest)


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.annotate(observation_count=Count("observations")).order_by("name")
