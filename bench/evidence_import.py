"""python -m bench.evidence_import: the indicator importer against PostgreSQL COPY, and the
specialisms page against a bare view.

1. Import 100,000 observation rows (a BRES-layout CSV: 50 regions × 100 industries × 20 years) with
   the portal's importer: read, check every row, resolve areas, write in one transaction (a first
   import: COPY straight into the observation table). In the same run, load the same rows with
   PostgreSQL COPY into
   - a plain table (the CSV as it is: no checks, no keys), the issue's yardstick;
   - a table with the observation table's keys, indexes and checks, but no foreign keys;
   - a table with the same and the two foreign keys (deferred, as Django makes them);
   the last two with the rows in the file's order, as the importer receives them, and the first of
   them also with the rows sorted on the unique key (the floor the importer's write can reach).
   The importer is also timed as a role without the privilege to skip the per-row foreign-key
   triggers would run it (ADR 24). Print the medians, the importer's ratio against each, and check
   that every table holds the same number of rows. Also time the importer's read-and-check step
   alone, a re-import (changes nothing) and an import changing every value (both through the
   staging table, UPDATE … FROM and INSERT … WHERE NOT EXISTS).
2. Import the shipped BRES file (40 areas × 88 industries × 7 years) and time the specialisms page
   from gunicorn against a bare view (median of BENCH_REPEAT requests).
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from operator import itemgetter

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lis_portal.settings.test")
os.environ.setdefault("ROOT_URLCONF", "bench.urls")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.harness import database_url, median_ms, server  # noqa: E402

ROWS_AREAS, ROWS_INDUSTRIES, ROWS_YEARS = 50, 100, 20
RUNS = int(os.environ.get("BENCH_IMPORT_RUNS", "3"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def make_csv(shift: int = 0) -> bytes:
    letters = "CDEFGHIJKLMN"
    codes = [f"TL{letter}{digit}" for letter in letters for digit in range(1, 10)][:ROWS_AREAS]
    lines = ["DATE,GEOGRAPHY_CODE,GEOGRAPHY_NAME,INDUSTRY_CODE,COUNT"]
    for year in range(2021 - ROWS_YEARS + 1, 2022):
        for n, code in enumerate(codes):
            for industry in range(1, ROWS_INDUSTRIES + 1):
                count = (n * 37 + industry * 11 + year) % 9000 + shift
                lines.append(f"{year},{code},Region {code},{industry:03d},{count}")
    return ("\n".join(lines) + "\n").encode()


def time_import(data: bytes, *, expect: str = "created") -> float:
    from evidence.importers import import_stream

    start = time.perf_counter()
    result = import_stream(io.BytesIO(data), layout="bres")
    elapsed = time.perf_counter() - start
    assert result.observations == ROWS_AREAS * ROWS_INDUSTRIES * ROWS_YEARS, result
    assert getattr(result, expect) == result.observations, result
    return elapsed


def time_import_with_row_triggers(data: bytes) -> float:
    """The importer as a database role without the privilege to skip the per-row foreign-key triggers
    runs it (ADR 24): the same import, with PostgreSQL's 200,000 per-row checks at the commit."""
    from evidence.importers import pipeline  # the module whose write step asks

    allowed = pipeline._row_triggers_can_be_skipped
    pipeline._row_triggers_can_be_skipped = lambda cursor: False
    try:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE evidence_observation")
        return time_import(data)
    finally:
        pipeline._row_triggers_can_be_skipped = allowed


def time_parse(data: bytes) -> float:
    from evidence.importers import parse

    start = time.perf_counter()
    parse(io.BytesIO(data), "bres")
    return time.perf_counter() - start


TABLES = ("evidence_observation", "bench_plain", "bench_indexed", "bench_indexed_fk")


def count(table: str) -> int:
    assert table in TABLES
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM " + table)  # noqa: S608 (one of this module's own tables)
        return int(cursor.fetchone()[0])


def time_copy(data: bytes) -> float:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE bench_plain")
        start = time.perf_counter()
        with cursor.cursor.copy("COPY bench_plain FROM STDIN (FORMAT csv, HEADER true)") as copy:
            copy.write(data)
        return time.perf_counter() - start


def observation_rows(data: bytes) -> list[tuple[int, int, str, str, int, str, float]]:
    """The file's rows in the observation table's shape (ids resolved), in the file's order."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, id FROM core_area")
        areas = dict(cursor.fetchall())
        cursor.execute("SELECT id FROM evidence_indicator WHERE code = 'bres-employment'")
        indicator = cursor.fetchone()[0]
    rows = []
    for line in data.decode().splitlines()[1:]:
        date, code, _name, industry, value = line.split(",")
        rows.append((indicator, areas[code], code, date, int(date), industry, float(value)))
    return rows


def time_copy_shaped(table: str, rows: list[tuple[int, int, str, str, int, str, float]]) -> float:
    """COPY of rows already in the observation table's shape (autocommit: the commit, and with it any
    deferred foreign-key check, is inside the time, as it is in the importer's)."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}")
        start = time.perf_counter()
        with cursor.cursor.copy(
            f"COPY {table} (indicator_id, area_id, geo_code, period, year, industry_code, value) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        return time.perf_counter() - start


def bench_import() -> None:
    data = make_csv()
    rows = ROWS_AREAS * ROWS_INDUSTRIES * ROWS_YEARS
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_plain (date integer, geography_code text, geography_name text, "
            "industry_code text, count double precision)"
        )
        # Tables shaped like evidence_observation, with its unique key, indexes and checks; the second
        # also with its two foreign keys, deferred to the commit as Django declares them.
        cursor.execute("CREATE TABLE bench_indexed (LIKE evidence_observation INCLUDING ALL)")
        cursor.execute("CREATE TABLE bench_indexed_fk (LIKE evidence_observation INCLUDING ALL)")
        cursor.execute(
            "ALTER TABLE bench_indexed_fk "
            "ADD FOREIGN KEY (indicator_id) REFERENCES evidence_indicator (id) DEFERRABLE INITIALLY DEFERRED, "
            "ADD FOREIGN KEY (area_id) REFERENCES core_area (id) DEFERRABLE INITIALLY DEFERRED"
        )
    timings: dict[str, list[float]] = {
        "importer": [],
        "triggers": [],
        "parse": [],
        "plain": [],
        "indexed": [],
        "sorted": [],
        "indexed_fk": [],
    }
    shaped: list[tuple[int, int, str, str, int, str, float]] = []
    for _ in range(RUNS):
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE evidence_observation")
        timings["importer"].append(time_import(data))
        assert count("evidence_observation") == rows
        timings["triggers"].append(time_import_with_row_triggers(data))
        assert count("evidence_observation") == rows
        timings["parse"].append(time_parse(data))
        timings["plain"].append(time_copy(data))
        assert count("bench_plain") == rows
        shaped = shaped or observation_rows(data)
        timings["indexed"].append(time_copy_shaped("bench_indexed", shaped))
        assert count("bench_indexed") == rows
        timings["indexed_fk"].append(time_copy_shaped("bench_indexed_fk", shaped))
        assert count("bench_indexed_fk") == rows
        timings["sorted"].append(time_copy_shaped("bench_indexed", sorted(shaped, key=itemgetter(0, 2, 3, 5))))
        assert count("bench_indexed") == rows
    again = time_import(data, expect="unchanged")  # every row already there: the merge path, no writes
    changed = time_import(make_csv(shift=1), expect="updated")  # the merge path, every value rewritten
    assert count("evidence_observation") == rows
    ms = {name: statistics.median(values) * 1000 for name, values in timings.items()}
    importer = ms["importer"]
    print(f"Import of {rows:,} observation rows ({len(data) / 1e6:.1f} MB CSV), PostgreSQL, median of {RUNS} runs")
    print(f"(row counts checked: every table below holds the same {rows:,} rows after each load)")
    print(f"{'importer (read + check + write, one transaction)':<58}{importer:>9.0f} ms")
    print(f"{'  of which read + check (parse), alone':<58}{ms['parse']:>9.0f} ms")
    print(f"{'importer with the per-row FK triggers (no privilege)':<58}{ms['triggers']:>9.0f} ms")
    print(f"{'COPY into a plain table (no checks, no keys)':<58}{ms['plain']:>9.0f} ms")
    print(f"{'COPY into a table with the same keys/indexes/checks':<58}{ms['indexed']:>9.0f} ms")
    print(f"{'  the same, rows sorted on the unique key':<58}{ms['sorted']:>9.0f} ms")
    print(f"{'COPY into a table with the same keys/indexes/checks + FKs':<58}{ms['indexed_fk']:>9.0f} ms")
    print(f"{'ratio importer / plain COPY':<58}{importer / ms['plain']:>9.2f}   (goal: 2 or less)")
    print(f"{'ratio importer / COPY, same keys/indexes/checks':<58}{importer / ms['indexed']:>9.2f}")
    print(f"{'ratio importer / COPY, same keys/indexes/checks + FKs':<58}{importer / ms['indexed_fk']:>9.2f}")
    print(f"{'ratio importer with per-row FK triggers / plain COPY':<58}{ms['triggers'] / ms['plain']:>9.2f}")
    print(f"{'floor: sorted COPY with the keys / plain COPY':<58}{ms['sorted'] / ms['plain']:>9.2f}")
    print(f"{'re-import of the same file (changes nothing)':<58}{again * 1000:>9.0f} ms")
    print(f"{'import changing every value (merge path)':<58}{changed * 1000:>9.0f} ms")


def bench_specialisms() -> None:
    from core.models import Organisation, Strategy
    from evidence.importers import import_file

    import_file(settings.SHARED_DATA_DIR / "bres_employment_sic2digit_nuts2_2016_gb_2015_2021.csv", layout="bres")
    lep = Organisation.objects.create(name="Bench LEP", slug="bench-lep", kind=Organisation.Kind.LEP)
    Strategy.objects.create(slug="bench-evidence", name="Bench", lead=lep, summary="Bench")
    if not connection.get_autocommit():
        connection.commit()
    print()
    print(
        f"Specialisms page, shipped BRES file (40 areas × 88 industries × 7 years), gunicorn (1 worker), "
        f"median of {REPEAT} requests"
    )
    with server(database_url(connection.settings_dict)) as port:
        bare = median_ms(port, "/bench/bare/", "", repeat=REPEAT)
        page = median_ms(port, "/bench-evidence/evidence/specialisms/?area=UKJ4&year=2021", "", repeat=REPEAT)
    print(f"{'page':<46}{page:>9.1f} ms")
    print(f"{'bare view':<46}{bare:>9.1f} ms")
    print(f"{'ratio':<46}{page / bare:>9.1f}")


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        if connection.vendor != "postgresql":
            print("bench.evidence_import compares with PostgreSQL COPY: set DATABASE_URL to a PostgreSQL database.")
            return 0
        bench_import()
        bench_specialisms()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
