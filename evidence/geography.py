"""Geography helpers for indicator data: the level a code is at, the national comparators that no
Area kind holds, and the areas that make up a strategy."""

from __future__ import annotations

import re

from core.models import Area, Strategy

# National totals the sources publish that no Area kind can hold (core's code patterns cover districts,
# counties, unitaries, ITL/NUTS regions and LEP areas). Observations keep them by code, with no area.
COMPARATORS: dict[str, str] = {
    "E92000001": "England",
    "K02000001": "United Kingdom",
    "K03000001": "Great Britain",
    "K04000001": "England and Wales",
    "K99000002": "UK less Extra-Regio",
    "UK": "United Kingdom",
    "UKX": "UK less Extra-Regio",
    "TLB": "England",
    "TLZ": "Extra-Regio",
}

ITL_PATTERN = re.compile(Area.CODE_PATTERNS[Area.Kind.ITL_REGION])
GSS_KINDS = (Area.Kind.DISTRICT, Area.Kind.COUNTY, Area.Kind.UNITARY, Area.Kind.LEP_AREA)


def fits_itl(code: str) -> bool:
    return bool(ITL_PATTERN.match(code))


def fits_any_kind(code: str) -> bool:
    return any(re.match(pattern, code) for pattern in Area.CODE_PATTERNS.values())


def level_of(code: str) -> str:
    """The geography level a code is at, in words a reader understands."""
    if code in COMPARATORS:
        return "national total"
    if fits_itl(code):
        level = len(code) - 2
        return f"ITL{level} / NUTS {level} region"
    prefix = code[:3]
    return {
        "E06": "unitary authority",
        "E07": "district",
        "E08": "metropolitan district",
        "E09": "London borough",
        "E10": "county",
        "E37": "LEP area",
    }.get(prefix, "area")


def strategy_area_ids(strategy: Strategy) -> list[int]:
    """The strategy's LEP area, the districts inside it, and every area those districts sit inside
    (counties, ITL/NUTS regions): the places evidence and figures for the strategy are held at."""
    if strategy.area_id is None:
        return []
    district_ids = list(Area.objects.filter(parents=strategy.area_id).values_list("pk", flat=True))
    ids: set[int] = {strategy.area_id, *district_ids}
    frontier = set(district_ids)
    while frontier:
        parents = set(
            Area.parents.through.objects.filter(from_area_id__in=frontier).values_list("to_area_id", flat=True)
        )
        frontier = parents - ids
        ids |= parents
    return sorted(ids)


KIND_ORDER: dict[str, int] = {
    Area.Kind.LEP_AREA: 0,
    Area.Kind.ITL_REGION: 1,
    Area.Kind.COUNTY: 2,
    Area.Kind.UNITARY: 3,
    Area.Kind.DISTRICT: 4,
}


def strategy_areas(strategy: Strategy) -> list[Area]:
    """The strategy's areas, widest first (LEP area, regions by code, counties, then districts by name)."""
    areas = list(Area.objects.filter(pk__in=strategy_area_ids(strategy)))
    return sorted(
        areas, key=lambda a: (KIND_ORDER.get(a.kind, 9), a.code if a.kind == Area.Kind.ITL_REGION else a.name)
    )
