"""Geography helpers for indicator data: the level a code is at, the national comparators that no
Area kind holds, the areas that make up a strategy, and the NUTS ↔ ITL equivalence.

NUTS and ITL name the same regions with different codes: Kent is UKJ4 in NUTS 2016/2018 and TLJ4 in
ITL 2021. At level 3 the equivalence comes from the shipped lookup of NUTS 2018 to ITL 2021 level 3
codes (`data/nuts3_2018_to_itl3_2021_lookup_uk.csv`, a byte-for-byte copy of the shared file), which
also records the places that changed (Bournemouth, Christchurch and Poole; Dorset UKK22 = TLK25).
The lookup has no level 1 or 2 rows: there ITL 2021 kept the NUTS 2016/2018 regions and only swapped
the prefix, so the ITL code is "TL" + the NUTS code without "UK" (UKJ = TLJ, UKJ4 = TLJ4). NUTS 2013
level 2 regions that NUTS 2016 redrew (London's UKI1/UKI2, Scotland's UKM2/UKM3) have no ITL equivalent.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.models import Area, Strategy

NUTS_ITL_LOOKUP = Path(__file__).parent / "data" / "nuts3_2018_to_itl3_2021_lookup_uk.csv"
# NUTS 2013 level 2 codes that NUTS 2016 replaced: the prefix rule would name ITL regions that do not exist.
NUTS2013_ONLY = frozenset({"UKI1", "UKI2", "UKM2", "UKM3"})

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


@lru_cache(maxsize=1)
def nuts3_to_itl3() -> dict[str, str]:
    """NUTS 2018 level 3 code → ITL 2021 level 3 code, for the places that have one (NA = none)."""
    with NUTS_ITL_LOOKUP.open(newline="", encoding="utf-8-sig") as handle:
        rows = [
            (r["GEOGRAPHY_CODE_NUTS2018"].strip(), r["GEOGRAPHY_CODE_ITL321"].strip()) for r in csv.DictReader(handle)
        ]
    return {nuts: itl for nuts, itl in rows if nuts != "NA" and itl != "NA"}


@lru_cache(maxsize=1)
def itl3_to_nuts3() -> dict[str, str]:
    return {itl: nuts for nuts, itl in nuts3_to_itl3().items()}


def itl_level(code: str) -> int:
    return len(code) - 2


def equivalent_code(code: str) -> str | None:
    """The same place's code in the other system (NUTS UK… ↔ ITL TL…), or None if it has none."""
    if not fits_itl(code):
        return None
    if itl_level(code) >= 3:
        return (nuts3_to_itl3() if code.startswith("UK") else itl3_to_nuts3()).get(code)
    if code in NUTS2013_ONLY:
        return None
    return ("TL" if code.startswith("UK") else "UK") + code[2:]


def place_key(code: str) -> str:
    """One key for a place whatever system its code is in: the ITL code where there is one."""
    if code.startswith("UK") and fits_itl(code):
        return equivalent_code(code) or code
    return code


def code_label(code: str) -> str:
    """A code with its system and level, as pages give it: "UKJ4 (NUTS 2)", "TLJ4 (ITL2)"."""
    if not fits_itl(code) or code in COMPARATORS:
        return code
    level = itl_level(code)
    return f"{code} (NUTS {level})" if code.startswith("UK") else f"{code} (ITL{level})"


def codes_label(code: str) -> str:
    """A code and its equivalent: "UKJ4 (NUTS 2) = TLJ4 (ITL2)"; a code without one stands alone."""
    other = equivalent_code(code)
    return code_label(code) if other is None else f"{code_label(code)} = {code_label(other)}"


def with_equivalents(areas: Iterable[Area]) -> list[int]:
    """The ids of the areas and of every area that is the same place under its other code. One query."""
    areas = list(areas)
    ids = {a.pk for a in areas}
    others = {other for a in areas if (other := equivalent_code(a.code)) is not None}
    if others:
        ids |= set(Area.objects.filter(code__in=others).values_list("pk", flat=True))
    return sorted(ids)


@dataclass(frozen=True)
class Place:
    """One place, held as one area or as two (its NUTS and its ITL code): the first is shown."""

    area: Area
    areas: tuple[Area, ...]

    @property
    def ids(self) -> list[int]:
        return [a.pk for a in self.areas]

    @property
    def codes(self) -> str:
        if len(self.areas) == 1:
            return codes_label(self.area.code) if fits_itl(self.area.code) else self.area.code
        return " = ".join(code_label(a.code) for a in self.areas)

    @property
    def level(self) -> str:
        return level_of(self.area.code)


def group_places(areas: list[Area]) -> list[Place]:
    """The areas as places, an area and its equivalent together (NUTS first), in the given order."""
    groups: dict[str, list[Area]] = {}
    for area in areas:
        groups.setdefault(place_key(area.code), []).append(area)
    places = []
    for members in groups.values():
        members.sort(key=lambda a: (not a.code.startswith("UK"), a.code, a.pk))
        places.append(Place(area=members[0], areas=tuple(members)))
    return places


def strategy_area_ids(strategy: Strategy) -> list[int]:
    """The strategy's LEP area, the districts inside it, every area those districts sit inside
    (counties, ITL/NUTS regions; not another LEP area), and the same regions under their other code (ITL for NUTS and
    back): the places evidence and figures for the strategy are held at."""
    if strategy.area_id is None:
        return []
    district_ids = list(Area.objects.filter(parents=strategy.area_id).values_list("pk", flat=True))
    ids: set[int] = {strategy.area_id, *district_ids}
    region_codes: set[str] = set()
    frontier = set(district_ids)
    while frontier:
        found = Area.parents.through.objects.filter(from_area_id__in=frontier).values_list(
            "to_area_id", "to_area__code", "to_area__kind"
        )
        parents = set()
        for parent_id, code, kind in found:
            if kind == Area.Kind.LEP_AREA:
                continue  # a district shared with another LEP (Lewes, say) does not bring that LEP in
            parents.add(parent_id)
            if kind == Area.Kind.ITL_REGION:
                region_codes.add(code)
        frontier = parents - ids
        ids |= parents
    others = {other for code in region_codes if (other := equivalent_code(code)) is not None}
    if others:
        ids |= set(Area.objects.filter(code__in=others, kind=Area.Kind.ITL_REGION).values_list("pk", flat=True))
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
        areas,
        key=lambda a: (KIND_ORDER.get(a.kind, 9), place_key(a.code) if a.kind == Area.Kind.ITL_REGION else a.name),
    )


def strategy_places(strategy: Strategy) -> list[Place]:
    """The strategy's areas as places (a region's NUTS and ITL areas together), widest first."""
    return group_places(strategy_areas(strategy))
