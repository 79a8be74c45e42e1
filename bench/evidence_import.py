"""python -m bench.evidence_import: the indicator importer against PostgreSQL COPY, and the
specialisms page against a bare view.

1. Import 100,000 observation rows (a BRES-layout CSV: 50 regions × 100 industries × 20 years) with
   the portal's importer: read, check every row, resolve areas, write in one transaction (a first
   import: COPY straight into the observation table). In the same run, load the same file with
   PostgreSQL COPY into a plain table (no checks, no keys). Print both medians and the ratio (the
   goal is 2 or less). Also time a re-import, which changes nothing, and an import that changes every
   value (both through the temporary table and INSERT … ON CONFLICT), and COPY into a table with the
   observation table's keys and indexes.
2. Import the shipped BRES file (40 areas × 88 industries × 7 years) and time the specialisms page
   from gunicorn against a bare view (median of BENCH_REPEAT requests).
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time

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


def time_copy(data: bytes) -> float:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE bench_plain")
        start = time.perf_counter()
        with cursor.cursor.copy("COPY bench_plain FROM STDIN (FORMAT csv, HEADER true)") as copy:
            copy.write(data)
        return time.perf_counter() - start


def time_copy_indexed() -> float:
    """COPY of rows already in the observation table's shape (as the importer writes them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indicator_id, area_id, geo_code, period, year, industry_code, value FROM evidence_observation"
        )
        rows = cursor.fetchall()
        cursor.execute("TRUNCATE bench_indexed")
        start = time.perf_counter()
        with cursor.cursor.copy(
            "COPY bench_indexed (indicator_id, area_id, geo_code, period, year, industry_code, value) FROM STDIN"
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
        # A table shaped like evidence_observation, with its unique key and indexes (no foreign keys).
        cursor.execute("CREATE TABLE bench_indexed (LIKE evidence_observation INCLUDING ALL)")
    imports, copies, indexed = [], [], []
    for _ in range(RUNS):
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE evidence_observation")
        imports.append(time_import(data))
        copies.append(time_copy(data))
        indexed.append(time_copy_indexed())
    again = time_import(data, expect="unchanged")  # every row already there: the merge path, no writes
    changed = time_import(make_csv(shift=1), expect="updated")  # the merge path, every value rewritten
    importer, plain = statistics.median(imports), statistics.median(copies)
    print(f"Import of {rows:,} observation rows ({len(data) / 1e6:.1f} MB CSV), PostgreSQL, median of {RUNS} runs")
    print(f"{'importer (check + write, one transaction)':<46}{importer * 1000:>9.0f} ms")
    print(f"{'COPY into a plain table (no checks)':<46}{plain * 1000:>9.0f} ms")
    print(f"{'ratio importer / COPY':<46}{importer / plain:>9.2f}   (goal: 2 or less)")
    print(f"{'re-import of the same file (changes nothing)':<46}{again * 1000:>9.0f} ms")
    print(f"{'import changing every value (merge path)':<46}{changed * 1000:>9.0f} ms")
    shaped = statistics.median(indexed)
    print(f"{'COPY into a table with the same keys/indexes':<46}{shaped * 1000:>9.0f} ms")
    print(f"{'ratio importer / COPY into the indexed table':<46}{importer / shaped:>9.2f}")


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
