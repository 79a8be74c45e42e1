"""Nomis BRES extracts (layout ``bres``): DATE, GEOGRAPHY_CODE, [GEOGRAPHY_NAME], INDUSTRY_CODE, COUNT."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .layout import IndicatorSpec, Layout, Record, _count, _year


class BresLayout(Layout):
    name = "bres"
    required = ("DATE", "GEOGRAPHY_CODE", "INDUSTRY_CODE", "COUNT")
    optional = ("GEOGRAPHY_NAME",)
    SPEC = IndicatorSpec(
        code="bres-employment",
        name="Employment by industry (BRES)",
        unit="people",
        source="ONS Business Register and Employment Survey (BRES), open access, via Nomis: employment "
        "(employees plus working owners) by SIC 2007 industry",
        source_url="https://www.nomisweb.co.uk/",
        layout="bres",
    )

    def specs(self) -> dict[str, IndicatorSpec]:
        return {self.SPEC.code: self.SPEC}

    def records(self, row: dict[str, str], number: int, header: list[str]) -> Iterable[Record | str]:
        year = _year(row["DATE"], "DATE")
        value = _count(row["COUNT"], "COUNT")
        industry = row["INDUSTRY_CODE"].strip()
        code = row["GEOGRAPHY_CODE"].strip()
        if type(year) is int and type(value) is float and industry and code:  # the common case, first
            name = (row.get("GEOGRAPHY_NAME") or "").strip()
            return ((self.SPEC.code, code, name, str(year), year, industry, value, number),)
        return self._problems(year, value, industry, code)

    def _problems(self, year: int | str, value: float | str, industry: str, code: str) -> Iterator[str]:
        if isinstance(year, str):
            yield year
        if isinstance(value, str):
            yield value
        if not industry:
            yield "“INDUSTRY_CODE” is empty; enter a SIC 2007 code such as 47."
        if not code:
            yield "“GEOGRAPHY_CODE” is empty."
