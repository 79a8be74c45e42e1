"""The check-then-copy machinery every layout goes through (ADR 21, ADR 24).

Read and check the whole file (`parse`), resolve its place codes (`resolve_areas`), and only when no
row was rejected write it in one transaction (`_store`): new regions, the indicators, then the
observations, by COPY on PostgreSQL (`_write_postgresql`) and in batches elsewhere
(`_write_portable`). `import_stream` and `import_file` are the entry points; `LAYOUTS` names the
layouts an import may use."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from django.db import DataError, IntegrityError, connection, transaction

from core.exceptions import ApplicationError
from core.models import Area

from ..geography import COMPARATORS, fits_any_kind, fits_itl, level_of
from ..models import Indicator, Observation
from .bres import BresLayout
from .gva import GvaLayout
from .iod import IodLayout
from .layout import IndicatorSpec, Layout, Record
from .nesta_sic4 import NestaSic4Layout
from .ons_local import OnsLocalLayout

MAX_IMPORT_BYTES = 50 * 1024 * 1024  # the largest shared file is under 2 MB
MAX_REPORTED_ERRORS = 1000
MAX_INDUSTRY_CODE = 32  # Observation.industry_code's length
BATCH_SIZE = 5000
# The first key of the advisory locks that serialise imports of one indicator (the second is its id).
ADVISORY_LOCK_CLASS = 40021

Progress = Callable[[int, int], None]


class ImportRejected(ApplicationError):
    """The file was refused: nothing was imported. `errors` lists every rejected row."""

    def __init__(self, message: str, *, errors: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.errors = errors


@dataclass
class ImportResult:
    rows: int = 0
    observations: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    skipped_codes: list[str] = field(default_factory=list)
    areas_created: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "observations": self.observations,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "skipped_codes": self.skipped_codes[:50],
            "areas_created": self.areas_created,
            "indicators": self.indicators,
        }


@dataclass
class Parsed:
    specs: dict[str, IndicatorSpec]
    records: list[Record]
    errors: list[dict[str, Any]]
    rows: int
    # Every place code in the file with the row it first appears on and the name given there,
    # gathered in the same pass as the checks so that places are resolved without reading the rows again.
    places: dict[str, tuple[int, str]] = field(default_factory=dict)


LAYOUTS: dict[str, Layout] = {
    "bres": BresLayout(),
    "gva": GvaLayout(),
    "ons_local": OnsLocalLayout(),
    "iod": IodLayout(),
    "nesta_sic4": NestaSic4Layout(),
}


# --- Reading -------------------------------------------------------------------------------------


def check_size(size: int) -> None:
    if size > MAX_IMPORT_BYTES:
        raise ImportRejected(
            f"The file is {size / 1024 / 1024:.0f} MB; the largest file an import takes is "
            f"{MAX_IMPORT_BYTES // 1024 // 1024} MB. Split it into smaller files.",
            errors=[],
        )


def open_text(raw: IO[bytes]) -> IO[str]:
    """The file as text: UTF-8 with or without a byte-order mark, any line endings."""
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def _reader(text: IO[str]) -> Iterator[list[str]]:
    try:
        yield from csv.reader(text)
    except UnicodeDecodeError as error:
        raise ImportRejected(
            "The file is not UTF-8 text. Save it as “CSV UTF-8 (comma delimited)” and upload it again.", errors=[]
        ) from error
    except csv.Error as error:
        raise ImportRejected(f"The file is not a readable CSV file: {error}.", errors=[]) from error


def detect_layout(raw: IO[bytes]) -> str:
    """The one layout whose columns the file's header has; refused, naming the layouts, otherwise."""
    header = [c.strip() for c in next(_reader(open_text(io.BytesIO(raw.read(64 * 1024)))), [])]
    if not header:
        raise ApplicationError("The file is empty: it has no header row.")
    matches = [name for name, layout in LAYOUTS.items() if not layout.check_header(header)]
    if len(matches) != 1:
        found = "more than one layout" if matches else "no layout"
        raise ApplicationError(
            f"The header matches {found} ({', '.join(header[:6])}…). Name the layout with --layout: "
            f"one of {', '.join(sorted(LAYOUTS))}."
        )
    return matches[0]


def read_preview(raw: IO[bytes], layout_name: str, *, rows: int = 5) -> dict[str, Any]:
    """The header, any problems with it, and the first rows, for the upload preview."""
    layout = LAYOUTS[layout_name]
    # The first 256 KB, read into memory, so the caller's file stays open.
    reader = _reader(open_text(io.BytesIO(raw.read(256 * 1024))))
    header = [c.strip() for c in next(reader, [])]
    first: list[list[str]] = []
    for row in reader:
        first.append(row)
        if len(first) >= rows:
            break
    return {
        "header": header,
        "problems": layout.check_header(header) if header else ["The file is empty."],
        "rows": first,
    }


def parse(  # noqa: C901 - the import's hot loop: one function keeps a call per row out of it (bench/evidence_import)
    raw: IO[bytes], layout_name: str, *, progress: Progress | None = None, total: int = 0
) -> Parsed:
    """Read and check every row. Nothing is written here."""
    if layout_name not in LAYOUTS:
        raise ApplicationError(f"“{layout_name}” is not a layout. Choose one of: {', '.join(LAYOUTS)}.")
    layout = LAYOUTS[layout_name]
    reader = _reader(open_text(raw))
    header = next(reader, None)
    if not header:
        raise ImportRejected("The file is empty: it has no header row.", errors=[{"row": 1, "message": "No header."}])
    header = [c.strip() for c in header]
    problems = layout.check_header(header)
    if problems:
        raise ImportRejected(
            "The header does not match the layout: " + " ".join(problems),
            errors=[{"row": 1, "message": p} for p in problems],
        )
    width = len(header)
    specs = dict(layout.specs())
    records: list[Record] = []
    errors: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str, str], int] = {}
    places: dict[str, tuple[int, str]] = {}
    names_indicators = type(layout).row_specs is not Layout.row_specs  # ons_local, iod: one per row value
    number = 1
    for number, values in enumerate(reader, start=2):
        if progress is not None and number % BATCH_SIZE == 0:
            progress(number - 1, total)
        if not values or (len(values) == 1 and not values[0].strip()):
            continue  # a blank line
        if len(values) != width:
            word = "fewer" if len(values) < width else "more"
            errors.append(
                {
                    "row": number,
                    "message": f"The row has {len(values)} columns, {word} than the header’s {width}.",
                }
            )
            continue
        row = dict(zip(header, values, strict=False))  # the column count was checked above
        if names_indicators:
            for spec in layout.row_specs(row):
                specs.setdefault(spec.code, spec)
        for item in layout.records(row, number, header):
            if type(item) is str:
                errors.append({"row": number, "message": item})
                continue
            assert not isinstance(item, str)  # for mypy: `type(item) is str` is the faster test
            if len(item[5]) > MAX_INDUSTRY_CODE:
                errors.append(
                    {
                        "row": number,
                        "message": f"The industry code “{item[5][:40]}” is longer than {MAX_INDUSTRY_CODE} characters.",
                    }
                )
                continue
            first = seen.setdefault((item[0], item[1], item[3], item[5]), number)
            if first != number:
                errors.append(
                    {
                        "row": number,
                        "message": f"Duplicates row {first}: {item[1]}, {item[3]}"
                        + (f", industry {item[5]}" if item[5] else "")
                        + " appears twice.",
                    }
                )
                continue
            records.append(item)
            if item[1] not in places:
                places[item[1]] = (number, item[2])
    return Parsed(specs=specs, records=records, errors=errors, rows=max(number - 1, 0), places=places)


# --- Places ------------------------------------------------------------------------------------


def resolve_areas(
    parsed: Parsed, *, skip_unknown: bool
) -> tuple[dict[str, int | None], dict[str, str], list[dict[str, Any]], set[str]]:
    """Map every place code in the file to an area id (None for a national comparator), with one
    query for the codes the file names (not one per row).

    Returns (ids by code, ITL codes to create with their names, errors, codes to skip)."""
    ids: dict[str, int | None] = {}
    for area_id, code in (
        Area.objects.filter(code__in=list(parsed.places)).order_by("code", "-vintage").values_list("pk", "code")
    ):
        ids.setdefault(code, area_id)
    to_create: dict[str, str] = {}
    errors: list[dict[str, Any]] = []
    skip: set[str] = set()
    for code, (row, name) in parsed.places.items():
        if code in ids:
            continue
        if code in COMPARATORS:
            ids[code] = None
        elif fits_itl(code):
            to_create[code] = name or code
        elif skip_unknown:
            skip.add(code)
        else:
            reason = (
                "is not an area in the portal. Add the area first, or import with “skip places the portal does not "
                "hold”."
                if fits_any_kind(code)
                else "is not a code the portal can hold (not a district, county, unitary, ITL/NUTS region or LEP "
                "area code). Remove its rows, or import with “skip places the portal does not hold”."
            )
            errors.append({"row": row, "message": f"Unknown area code “{code}”: it {reason}"})
    # Every row of an unknown code is rejected, not only its first (only a refused file reads its rows again).
    if errors:
        bad = {code for code in parsed.places if code not in ids and code not in to_create and code not in skip}
        seen_rows = {e["row"] for e in errors}
        for record in parsed.records:
            if record[1] in bad and record[7] not in seen_rows:
                seen_rows.add(record[7])
                errors.append(
                    {
                        "row": record[7],
                        "message": f"Unknown area code “{record[1]}” (see row {parsed.places[record[1]][0]}).",
                    }
                )
    return ids, to_create, errors, skip


VINTAGE_BY_LAYOUT = {"bres": "2016", "gva": "2021", "ons_local": "2021", "iod": "2019", "nesta_sic4": "2013"}


# --- Writing -------------------------------------------------------------------------------------


def _indicators(specs: dict[str, IndicatorSpec], codes_used: set[str], geo_codes: Iterable[str]) -> dict[str, int]:
    levels = sorted({level_of(code) for code in geo_codes if code not in COMPARATORS})
    note = ", ".join(levels) if levels else "national totals"
    existing = {i.code: i for i in Indicator.objects.filter(code__in=codes_used)}
    ids: dict[str, int] = {}
    for code in sorted(codes_used):
        spec = specs[code]
        indicator = existing.get(code) or Indicator(code=code)
        values = {
            "name": spec.name,
            "unit": spec.unit,
            "source": spec.source,
            "licence": spec.licence,
            "source_url": spec.source_url,
            "layout": spec.layout,
        }
        if indicator.pk is None or not indicator.geography_note:
            values["geography_note"] = note[:300]
        changed = indicator.pk is None or any(getattr(indicator, k) != v for k, v in values.items())
        for key, value in values.items():
            setattr(indicator, key, value)
        if changed:
            indicator.full_clean()
            indicator.save()
        ids[code] = indicator.pk
    return ids


ObservationRow = tuple[int, int | None, str, str, int, str, float]
COLUMNS = "indicator_id, area_id, geo_code, period, year, industry_code, value"
LOCK_SQL = "SELECT count(*) FROM (SELECT 1 FROM {table} WHERE id = ANY(%s) FOR KEY SHARE) AS locked"


def _row_triggers_can_be_skipped(cursor: Any) -> bool:
    """Whether this connection may set `session_replication_role` (superusers; from PostgreSQL 15,
    roles granted SET on it): then the per-row foreign-key triggers are replaced by the set-based
    check below (ADR 24). Without the privilege the triggers run, which is slower, never wrong."""
    if connection.pg_version >= 150000:  # type: ignore[attr-defined]
        cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
    else:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
    return bool(cursor.fetchone()[0])


def _write_postgresql(rows: list[ObservationRow], result: ImportResult) -> None:
    """COPY the checked rows in, inside the caller's transaction (ADR 21, ADR 24).

    1. Imports of the same indicators are serialised by a transaction-level advisory lock per indicator.
    2. The foreign keys' check, once per referenced row instead of once per observation: the indicators
       and areas the rows name are locked FOR KEY SHARE and counted, so they exist and cannot be
       deleted until the commit. With that done, the per-row foreign-key triggers (200,000 checks for
       100,000 rows, queued to the commit) are switched off for the import's write statements when the
       connection may (`session_replication_role = replica`, transaction-local); the constraints stay
       on the table and keep guarding every later delete and write.
    3. The rows are sorted on the natural key, so the unique index grows at its right edge.
    4. A first import (none of the file's indicators has stored values) COPYs straight into the
       observation table: the file has no duplicates (checked) and the table nothing to conflict with.
       Otherwise the rows are COPYed into a temporary staging table and merged: one UPDATE … FROM
       rewrites the changed values, one INSERT … SELECT … WHERE NOT EXISTS adds the new rows, and
       their row counts are the import's counts.

    A database error here (a constraint the checks did not foresee) rolls back the caller's transaction;
    the session setting of step 2 is transaction-local and goes with it."""
    indicator_ids = sorted({row[0] for row in rows})
    rows = sorted(rows, key=NATURAL_KEY)
    with connection.cursor() as cursor:
        raw: Any = cursor.cursor
        for indicator_id in indicator_ids:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_CLASS, indicator_id])
        # The referential check the table's foreign keys would make row by row, once per referenced row:
        # the indicators and areas must exist, and cannot be deleted before this transaction ends.
        area_ids = sorted({row[1] for row in rows if row[1] is not None})
        cursor.execute(LOCK_SQL.format(table="evidence_indicator"), [indicator_ids])
        found_indicators = cursor.fetchone()[0]
        cursor.execute(LOCK_SQL.format(table="core_area"), [area_ids])
        if found_indicators != len(indicator_ids) or cursor.fetchone()[0] != len(area_ids):
            raise ApplicationError("An indicator or area of this file was deleted during the import. Import it again.")
        skip_triggers = _row_triggers_can_be_skipped(cursor)
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM evidence_observation WHERE indicator_id = ANY(%s))", [indicator_ids]
        )
        first_import = not cursor.fetchone()[0]
        if not first_import:
            cursor.execute(
                "CREATE TEMP TABLE evidence_observation_load (indicator_id bigint, area_id bigint, geo_code text, "
                "period text, year integer, industry_code text, value double precision) ON COMMIT DROP"
            )
        target = "evidence_observation" if first_import else "evidence_observation_load"
        if skip_triggers:
            cursor.execute("SELECT set_config('session_replication_role', 'replica', true)")
        with connection.wrap_database_errors, raw.copy(f"COPY {target} ({COLUMNS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        if first_import:
            result.created, result.updated, result.unchanged = len(rows), 0, 0
        else:
            cursor.execute("ANALYZE evidence_observation_load")  # so the planner joins it by hash, not row by row
            cursor.execute(UPDATE_SQL)
            result.updated = cursor.rowcount
            cursor.execute(INSERT_SQL)
            result.created = cursor.rowcount
            result.unchanged = len(rows) - result.created - result.updated
            cursor.execute("DROP TABLE evidence_observation_load")
        if skip_triggers:
            cursor.execute("SELECT set_config('session_replication_role', 'origin', true)")


NATURAL_KEY = itemgetter(0, 2, 3, 5)  # indicator, geo_code, period, industry_code: the unique index's order
# The merge, in two statements: changed values are rewritten (and only they: an unchanged row is not
# touched, not even locked, which INSERT … ON CONFLICT DO UPDATE … WHERE would do), then new rows are
# added. Imports of the same indicators are serialised, so no row can appear between the two; if one
# did, the insert would fail on the unique key and the whole import roll back.
UPDATE_SQL = """
    UPDATE evidence_observation AS o
    SET value = l.value, area_id = l.area_id, year = l.year
    FROM evidence_observation_load AS l
    WHERE o.indicator_id = l.indicator_id AND o.geo_code = l.geo_code
      AND o.period = l.period AND o.industry_code = l.industry_code
      AND (o.value IS DISTINCT FROM l.value OR o.area_id IS DISTINCT FROM l.area_id OR o.year IS DISTINCT FROM l.year)
"""
INSERT_SQL = """
    INSERT INTO evidence_observation (indicator_id, area_id, geo_code, period, year, industry_code, value)
    SELECT l.indicator_id, l.area_id, l.geo_code, l.period, l.year, l.industry_code, l.value
    FROM evidence_observation_load AS l
    WHERE NOT EXISTS (
        SELECT 1 FROM evidence_observation AS o
        WHERE o.indicator_id = l.indicator_id AND o.geo_code = l.geo_code
          AND o.period = l.period AND o.industry_code = l.industry_code
    )
    ORDER BY l.indicator_id, l.geo_code, l.period, l.industry_code
"""


def _write_portable(rows: list[ObservationRow], result: ImportResult) -> None:
    """Any database: compare with what is stored, then create and update in batches."""
    indicator_ids = {row[0] for row in rows}
    stored = {
        (i, g, p, ind): (pk, v, a, y)
        for pk, i, g, p, ind, v, a, y in Observation.objects.filter(indicator_id__in=indicator_ids).values_list(
            "pk", "indicator_id", "geo_code", "period", "industry_code", "value", "area_id", "year"
        )
    }
    new: list[Observation] = []
    changed: list[Observation] = []
    for indicator_id, area_id, geo_code, period, year, industry, value in rows:
        current = stored.get((indicator_id, geo_code, period, industry))
        if current is None:
            new.append(
                Observation(
                    indicator_id=indicator_id,
                    area_id=area_id,
                    geo_code=geo_code,
                    period=period,
                    year=year,
                    industry_code=industry,
                    value=value,
                )
            )
        elif current[1:] != (value, area_id, year):
            changed.append(Observation(pk=current[0], value=value, area_id=area_id, year=year))
    Observation.objects.bulk_create(new, batch_size=BATCH_SIZE)
    Observation.objects.bulk_update(changed, ["value", "area", "year"], batch_size=BATCH_SIZE)
    result.created, result.updated = len(new), len(changed)
    result.unchanged = len(rows) - len(new) - len(changed)


def import_stream(
    raw: IO[bytes],
    *,
    layout: str,
    skip_unknown_areas: bool = False,
    size: int | None = None,
    progress: Progress | None = None,
    total: int = 0,
) -> ImportResult:
    """Check the whole file, then write it in one transaction, or raise ImportRejected with every
    rejected row and write nothing."""
    if size is not None:
        check_size(size)
    parsed = parse(raw, layout, progress=progress, total=total)
    errors = list(parsed.errors)
    ids, to_create, area_errors, skip = resolve_areas(parsed, skip_unknown=skip_unknown_areas)
    errors.extend(area_errors)
    if errors:
        errors.sort(key=lambda e: e["row"])
        rows_with_errors = len({e["row"] for e in errors})
        shown = errors[:MAX_REPORTED_ERRORS]
        first = "; ".join(f"row {e['row']}: {e['message'].rstrip('.')}" for e in shown[:3])
        raise ImportRejected(
            f"Nothing was imported: {rows_with_errors:,} row(s) were rejected. The first: {first}.",
            errors=shown,
        )
    if not parsed.records:
        raise ImportRejected("The file has a header but no rows to import.", errors=[])
    result = ImportResult(rows=parsed.rows)
    try:
        _store(parsed, layout=layout, ids=ids, to_create=to_create, skip=skip, result=result)
    except (DataError, IntegrityError) as error:
        # A row the checks let through and the database refused: the transaction is rolled back whole.
        # The message names the rule and, in PostgreSQL's DETAIL, the values of the refused row.
        lines = [" ".join(line.split()).rstrip(".") for line in str(error).strip().splitlines()]
        reason = "; ".join([lines[0], *[line for line in lines[1:] if line.startswith("DETAIL:")]][:2]) if lines else ""
        reason = reason or type(error).__name__
        raise ImportRejected(
            f"Nothing was imported: the database refused the file ({reason}). Correct the file and import it again.",
            errors=[],
        ) from error
    return result


def _store(
    parsed: Parsed,
    *,
    layout: str,
    ids: dict[str, int | None],
    to_create: dict[str, str],
    skip: set[str],
    result: ImportResult,
) -> None:
    """Write a checked file in one transaction: new areas, indicators, then the observations."""
    with transaction.atomic():
        vintage = VINTAGE_BY_LAYOUT[layout]
        for code, name in sorted(to_create.items()):
            area = Area(code=code, name=name[:120], kind=Area.Kind.ITL_REGION, vintage=vintage)
            area.full_clean()
            area.save()
            ids[code] = area.pk
            result.areas_created.append(code)
        kept = [r for r in parsed.records if r[1] not in skip]
        result.skipped = len(parsed.records) - len(kept)
        result.skipped_codes = sorted(skip)
        indicator_ids = _indicators(parsed.specs, {r[0] for r in kept}, {r[1] for r in kept})
        result.indicators = sorted(indicator_ids)
        rows = [(indicator_ids[r[0]], ids[r[1]], r[1], r[3], r[4], r[5], r[6]) for r in kept]
        result.observations = len(rows)
        if rows:
            if connection.vendor == "postgresql":
                _write_postgresql(rows, result)
            else:
                _write_portable(rows, result)


def import_file(
    path: str | Path, *, layout: str, skip_unknown_areas: bool = False, progress: Progress | None = None
) -> ImportResult:
    path = Path(path)
    size = path.stat().st_size
    with path.open("rb") as raw:
        return import_stream(raw, layout=layout, skip_unknown_areas=skip_unknown_areas, size=size, progress=progress)


def count_rows(raw: IO[bytes]) -> int:
    """Data rows in a file (lines less the header), for the progress bar."""
    return max(sum(1 for _ in raw) - 1, 0)
