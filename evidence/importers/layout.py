"""What every layout shares: the indicator a file's values belong to, one parsed value, the base
class a layout extends, and the readers of its cells (numbers, years, year columns, slugs).

A layout checks a file's header and turns each row into records (one value each) or reasons; the
pipeline (`pipeline.py`) does the rest."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.text import slugify

OGL = "Open Government Licence v3.0"


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    unit: str
    source: str
    source_url: str
    layout: str
    licence: str = OGL


# One parsed value: (indicator code, geo code, geo name, period, year, industry code, value, row number)
Record = tuple[str, str, str, str, int, str, float, int]


class Layout:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    open_ended_years = False  # gva: any number of year columns after the fixed ones

    def check_header(self, header: list[str]) -> list[str]:
        problems = []
        missing = [c for c in self.required if c not in header]
        if missing:
            problems.append("The header is missing the column(s) " + ", ".join(f"“{c}”" for c in missing) + ".")
        known = set(self.required) | set(self.optional)
        extra = [c for c in header if c not in known and not (self.open_ended_years and YEAR_COLUMN.fullmatch(c))]
        if extra:
            problems.append(
                "The header has column(s) this layout does not have: " + ", ".join(f"“{c}”" for c in extra) + "."
            )
        duplicated = sorted({c for c in header if header.count(c) > 1})
        if duplicated:
            problems.append("The header repeats the column(s) " + ", ".join(f"“{c}”" for c in duplicated) + ".")
        return problems

    def records(self, row: dict[str, str], number: int, header: list[str]) -> Iterable[Record | str]:
        """The values in one row, or a reason (str) for each one that cannot be read."""
        raise NotImplementedError

    def specs(self) -> dict[str, IndicatorSpec]:
        return {}

    def row_specs(self, row: dict[str, str]) -> list[IndicatorSpec]:
        """Indicators a row names (for layouts that carry the indicator in the row)."""
        return []


# Plausible ranges (issue 13, item 8): a figure outside them is a mistake in the file, refused with
# its row named, never stored over real data. Great Britain had about 65 million people in 2021; no
# count of people or jobs in one place can exceed 70 million.
GB_POPULATION_CEILING = 70_000_000


def _within(value: float, column: str, low: float, high: float, what: str) -> float | str:
    """`value`, or the sentence saying why it cannot be `what`."""
    if low <= value <= high:
        return value
    if value < low:
        return f"“{column}” is {value:g}: {what} cannot be below {low:g}."
    return f"“{column}” is {value:g}: {what} cannot be above {high:,.0f}."


def _count(text: str, column: str) -> float | str:
    """A count of people or jobs in a place: a number from 0 to the population of Great Britain."""
    value = _number(text, column)
    if type(value) is float and not 0.0 <= value <= GB_POPULATION_CEILING:  # the common case passes one test
        return _within(value, column, 0, GB_POPULATION_CEILING, "a count of people in a place")
    return value


def _number(text: str, column: str) -> float | str:
    try:
        value = float(text)  # the common case: a plain number (float() ignores surrounding spaces)
    except ValueError:
        cleaned = text.strip().replace(",", "")
        if not cleaned:
            return f"“{column}” is empty; enter a number."
        try:
            value = float(cleaned)
        except ValueError:
            return f"“{column}” is “{text.strip()[:40]}”, which is not a number."
    if not math.isfinite(value):
        return f"“{column}” is “{text.strip()[:40]}”, which is not a number."
    return value


@functools.lru_cache(maxsize=512)  # a file names few years, on every row
def _year(text: str, column: str) -> int | str:
    cleaned = text.strip()
    if len(cleaned) != 4 or not cleaned.isascii() or not cleaned.isdigit():
        return f"“{column}” is “{cleaned[:40]}”; enter a four-digit year such as 2021."
    return int(cleaned)


YEAR_COLUMN = re.compile(r"\d{4}")


@functools.lru_cache(maxsize=64)
def _year_columns(header: tuple[str, ...]) -> tuple[str, ...]:
    """The year columns of a header (gva), found once per file rather than once per row."""
    return tuple(c for c in header if YEAR_COLUMN.fullmatch(c))


@functools.lru_cache(maxsize=4096)  # slugify is slow, and a file names few indicators on many rows
def _slug(text: str) -> str:
    return slugify(text)
