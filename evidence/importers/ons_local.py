"""ONS local statistics (layout ``ons_local``): areacd, areanm, geography, indicator, period,
observation, measure, unit, lci_95, uci_95, status, notes. The indicator is named in each row."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .layout import IndicatorSpec, Layout, Record, _number, _slug, _within


class OnsLocalLayout(Layout):
    name = "ons_local"
    required = ("areacd", "indicator", "period", "observation")
    optional = ("areanm", "geography", "measure", "unit", "lci_95", "uci_95", "status", "notes")
    PERIOD = re.compile(r"^(\d{4})-(\d{2})-(\d{2})/P(\d+)([YMD])$")

    def row_specs(self, row: dict[str, str]) -> list[IndicatorSpec]:
        name = row["indicator"].strip()
        if not name:
            return []
        unit = (row.get("unit") or "").strip() or (row.get("measure") or "").strip() or "value"
        return [
            IndicatorSpec(
                code=_slug(name)[:100],
                name=name[:200],
                unit=unit[:60],
                source="ONS Explore local statistics",
                source_url="https://www.ons.gov.uk/explore-local-statistics/",
                layout="ons_local",
            )
        ]

    def records(self, row: dict[str, str], number: int, header: list[str]) -> Iterator[Record | str]:
        code = row["areacd"].strip()
        indicator = row["indicator"].strip()
        period = row["period"].strip()
        value = _number(row["observation"], "observation")
        unit = (row.get("unit") or row.get("measure") or "").lower()
        if isinstance(value, float) and ("%" in unit or "percent" in unit):
            value = _within(value, "observation", 0, 100, "a percentage")
        match = self.PERIOD.match(period)
        if not code:
            yield "“areacd” is empty."
        if not indicator:
            yield "“indicator” is empty; name the indicator."
        if match is None:
            yield f"“period” is “{period[:40]}”; expected an ISO period such as 2023-01-01/P1Y."
        if isinstance(value, str):
            yield value
        if match is not None and isinstance(value, float) and code and indicator:
            year, month, day, length, unit = match.groups()
            label = year if (month, day, length, unit) == ("01", "01", "1", "Y") else period
            yield (
                _slug(indicator)[:100],
                code,
                (row.get("areanm") or "").strip(),
                label[:24],
                int(year),
                "",
                value,
                number,
            )
