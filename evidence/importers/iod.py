"""Indices of Deprivation 2019 district summaries (layout ``iod``): lad19cd, lad19nm, index_domain,
year and six measures; one indicator per index or domain and measure."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import ClassVar

from .layout import IndicatorSpec, Layout, Record, _number, _slug, _within, _year


class IodLayout(Layout):
    name = "iod"
    MEASURES = {
        "average_rank": ("average rank", "rank"),
        "rank_average_rank": ("rank of average rank (1 = most deprived of 317)", "rank"),
        "average_score": ("average score", "score"),
        "rank_average_score": ("rank of average score (1 = most deprived of 317)", "rank"),
        "proportion_bottom_decile": ("proportion of neighbourhoods in the most deprived 10% nationally", "proportion"),
        "rank_proportion_bottom_decile": ("rank of proportion in the most deprived 10% (1 = highest)", "rank"),
    }
    # By unit: ranks of England's 32,844 neighbourhoods or 317 districts; scores (the health domain's
    # are standardised, so they go below 0); proportions of a district's neighbourhoods.
    RANGES: ClassVar[dict[str, tuple[float, float, str]]] = {
        "rank": (1, 32_844, "a rank"),
        "score": (-10, 100, "an Indices of Deprivation score"),
        "proportion": (0, 1, "a proportion"),
    }
    required = ("lad19cd", "index_domain", "year", *MEASURES)
    optional = ("lad19nm",)

    @staticmethod
    def _code(domain: str, measure: str) -> str:
        return f"iod2019-{_slug(domain)}-{measure.replace('_', '-')}"[:100]

    def spec_for_measure(self, domain: str, measure: str) -> IndicatorSpec:
        label, unit = self.MEASURES[measure]
        return IndicatorSpec(
            code=self._code(domain, measure),
            name=f"Indices of Deprivation 2019, {domain}: {label}"[:200],
            unit=unit,
            source="MHCLG English Indices of Deprivation 2019, File 10: local authority district summaries",
            source_url="https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019",
            layout="iod",
        )

    def row_specs(self, row: dict[str, str]) -> list[IndicatorSpec]:
        domain = row["index_domain"].strip()
        return self._domain_specs(domain) if domain else []

    @functools.cache  # noqa: B019 (one instance per layout, for the process's life; a few domains)
    def _domain_specs(self, domain: str) -> list[IndicatorSpec]:
        return [self.spec_for_measure(domain, measure) for measure in self.MEASURES]

    def records(self, row: dict[str, str], number: int, header: list[str]) -> Iterator[Record | str]:
        code = row["lad19cd"].strip()
        domain = row["index_domain"].strip()
        year = _year(row["year"], "year")
        if not code:
            yield "“lad19cd” is empty."
        if not domain:
            yield "“index_domain” is empty; name the index or domain."
        if isinstance(year, str):
            yield year
        for measure in self.MEASURES:
            value = _number(row[measure], measure)
            if isinstance(value, float):
                low, high, what = self.RANGES[self.MEASURES[measure][1]]
                value = _within(value, measure, low, high, what)
            if isinstance(value, str):
                yield value
            elif code and domain and isinstance(year, int):
                name = (row.get("lad19nm") or "").strip()
                yield (self._code(domain, measure), code, name, str(year), year, "", value, number)
