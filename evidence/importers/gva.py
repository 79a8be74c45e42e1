"""ONS regional GVA by industry (layout ``gva``): ITL region code, ITL region name, SIC07 code,
SIC07 description, then one column per year."""

from __future__ import annotations

from collections.abc import Iterator

from .layout import IndicatorSpec, Layout, Record, _number, _year_columns


class GvaLayout(Layout):
    name = "gva"
    required = ("ITL region code", "ITL region name", "SIC07 code", "SIC07 description")
    open_ended_years = True
    SPEC = IndicatorSpec(
        code="gva-current-prices",
        name="Gross value added by industry, current basic prices (balanced)",
        unit="£ million",
        source="ONS Regional gross value added (balanced) by industry: all ITL regions (April 2023 release)",
        source_url="https://www.ons.gov.uk/economy/grossvalueaddedgva",
        layout="gva",
    )

    def check_header(self, header: list[str]) -> list[str]:
        problems = super().check_header(header)
        if not _year_columns(tuple(header)):
            problems.append("The header has no year columns (such as 2021).")
        return problems

    def specs(self) -> dict[str, IndicatorSpec]:
        return {self.SPEC.code: self.SPEC}

    def records(self, row: dict[str, str], number: int, header: list[str]) -> Iterator[Record | str]:
        code = row["ITL region code"].strip()
        industry = row["SIC07 code"].strip()
        if not code:
            yield "“ITL region code” is empty."
        if not industry:
            yield "“SIC07 code” is empty."
        name = row["ITL region name"].strip()
        for column in _year_columns(tuple(header)):
            value = _number(row[column], column)
            if isinstance(value, str):
                yield value
            elif code and industry:
                yield (self.SPEC.code, code, name, column, int(column), industry, value, number)
