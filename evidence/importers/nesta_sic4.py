"""Nesta's BRES extract by SIC 2007 class (layout ``nesta_sic4``): year, geo_type, geo_cd, geo_nm,
SIC4, SIC2007_SECTION, value, cluster_name."""

from __future__ import annotations

from collections.abc import Iterator

from .layout import IndicatorSpec, Layout, Record, _count, _year


class NestaSic4Layout(Layout):
    """Nesta's BRES extract by SIC 2007 class for BEIS's Local Industrial Strategy indicators: one row
    per region and 4-digit class (nomis_BRES_2018_TYPE450, NUTS 2013 level 2)."""

    name = "nesta_sic4"
    required = ("year", "geo_cd", "SIC4", "value")
    optional = ("geo_type", "geo_nm", "SIC2007_SECTION", "cluster_name")
    SPEC = IndicatorSpec(
        code="bres-employment-sic4",
        name="Employment by industry class (BRES, SIC 2007 4-digit)",
        unit="people",
        source="ONS Business Register and Employment Survey (BRES) via Nomis, geography TYPE450 (NUTS 2013 "
        "level 2), employment, by SIC 2007 class; extracted by Nesta for BEIS's Local Industrial Strategy "
        "indicators (nestauk/beis-indicators)",
        source_url="https://github.com/nestauk/beis-indicators",
        layout="nesta_sic4",
    )

    def specs(self) -> dict[str, IndicatorSpec]:
        return {self.SPEC.code: self.SPEC}

    def records(self, row: dict[str, str], number: int, header: list[str]) -> Iterator[Record | str]:
        year = _year(row["year"], "year")
        value = _count(row["value"], "value")
        industry = row["SIC4"].strip()
        code = row["geo_cd"].strip()
        if isinstance(year, str):
            yield year
        if isinstance(value, str):
            yield value
        if len(industry) != 4 or not industry.isascii() or not industry.isdigit():
            yield f"“SIC4” is “{industry[:40]}”; enter a four-digit SIC 2007 class such as 0161."
            industry = ""
        if not code:
            yield "“geo_cd” is empty."
        if isinstance(year, int) and isinstance(value, float) and industry and code:
            name = (row.get("geo_nm") or "").strip()
            yield (self.SPEC.code, code, name, str(year), year, industry, value, number)
