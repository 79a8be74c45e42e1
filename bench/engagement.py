"""python -m bench.engagement: the officer's filtered, paginated list of a call's priorities and the
call's synthesis page at 100 and at 10,000 priorities, and the peak memory of the CSV and XLSX
exports of 100 and of 10,000 priorities.

The data (bulk_create, m2m rows too): 3 strategies, each with 10 councils and 100 councillors (300 in
all) and one open call. In the first strategy a "small" call holds 100 submitted priorities and a
"large" call 10,000, written by all 300 councillors for the 30 councils; the other two strategies'
calls hold 100 each, so a page that forgot its scope would show it. Every priority has two themes, a
place, up to three backers; a third are coded, one in twenty hidden.

Pages are requested in-process with Django's test client, signed in as the strategy's officer:
BENCH_REPEAT runs each (15 by default) after a warm-up, median reported; the queries of one run are
counted for each size, and must be equal. Export memory is tracemalloc's peak while the whole
response is produced and read (the CSV streamed, the XLSX written to a temporary file and read
back in blocks); each export is warmed up once first so imports and caches do not count."""

from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc
from datetime import timedelta
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lis_portal.settings.test")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
LARGE = int(os.environ.get("BENCH_PRIORITIES", "10000"))
SMALL = 100
LIST_QUERY = "?status=submitted&hidden=hide&coded=no&page=2"


def seed() -> tuple[Any, Any, Any, Any]:
    """The three strategies; returns the first one's officer, its small and large call, and its slug."""
    from core.models import Area, Membership, Organisation, Role, Strategy, User
    from engagement.models import Call
    from tests.engagement.synthesis_data import bulk_priorities
    from tests.timeline.conftest import make_process
    from timeline.models import Board

    now = timezone.now()
    worlds = []
    for s in range(3):
        lep = Organisation.objects.create(name=f"Bench LEP {s}", slug=f"bench-lep-{s}", kind=Organisation.Kind.LEP)
        area = Area.objects.create(code=f"E3700009{s}", name=f"Bench LEP area {s}", kind=Area.Kind.LEP_AREA)
        strategy = Strategy.objects.create(
            slug=f"bench-{s}", name=f"Bench strategy {s}", lead=lep, summary="Bench", area=area
        )
        officer = User.objects.create_user(email=f"officer@{s}.bench", name=f"Bench Officer {s}", password=None)
        Membership.objects.create(user=officer, organisation=lep, role=Role.OFFICER)
        Board.objects.create(strategy=strategy, name="Strategic Board", kind=Board.Kind.STRATEGIC)
        process = make_process(strategy)
        councils = Organisation.objects.bulk_create(
            Organisation(name=f"Bench council {s}.{n}", slug=f"bench-council-{s}-{n}", kind="district_council")
            for n in range(10)
        )
        partners = Organisation.objects.bulk_create(
            Organisation(name=f"Bench partner {s}.{n}", slug=f"bench-partner-{s}-{n}", kind=kind)
            for n, kind in enumerate(["university", "college", "business", "business_group", "voluntary"])
        )
        strategy.partners.add(*councils, *partners)
        councillors = User.objects.bulk_create(
            User(email=f"councillor{n}@{s}.bench", name=f"Councillor {s}.{n}") for n in range(100)
        )
        Membership.objects.bulk_create(
            Membership(user=user, organisation=councils[n % 10], role=Role.COUNCILLOR)
            for n, user in enumerate(councillors)
        )
        places = []
        for n in range(12):
            place = Area.objects.create(code=f"E07{s}{n:05d}", name=f"Bench district {s}.{n}", kind="district")
            place.parents.add(area)
            places.append(place)

        def call(title: str, strategy: Any = strategy, phase: Any = process.phases[2]) -> Call:
            return Call.objects.create(
                strategy=strategy,
                phase=phase,
                title=title,
                description="Bench",
                opens_at=now - timedelta(days=60),
                closes_at=now + timedelta(days=10),
            )

        worlds.append((strategy, officer, councils, councillors, places, partners, call))

    all_councils = [c for w in worlds for c in w[2]]
    all_councillors = [c for w in worlds for c in w[3]]
    strategy, officer, councils, councillors, places, partners, make_call = worlds[0]
    small, large = make_call("Small call"), make_call("Large call")
    backers = [*partners, strategy.lead]
    bulk_priorities(small, count=SMALL, councils=councils, authors=councillors, areas=places, backers=backers)
    bulk_priorities(large, count=LARGE, councils=all_councils, authors=all_councillors, areas=places, backers=backers)
    for other, _, o_councils, o_councillors, o_places, o_partners, o_call in worlds[1:]:
        bulk_priorities(
            o_call(f"Call of {other.name}"),
            count=SMALL,
            councils=o_councils,
            authors=o_councillors,
            areas=o_places,
            backers=o_partners,
            prefix="Other",
        )
    return officer, small, large, strategy.slug


def _get(client: Client, address: str) -> int:
    response = client.get(address)
    if response.status_code != 200:
        raise RuntimeError(f"{address} answered {response.status_code}")
    size = 0
    if response.streaming:
        for block in response.streaming_content:  # type: ignore[attr-defined]
            size += len(block)
        response.close()
    else:
        size = len(response.content)
    return size


def timed(client: Client, address: str) -> tuple[float, int]:
    _get(client, address)  # warm-up
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        _get(client, address)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        _get(client, address)
    return statistics.median(times), len(queries)


def peak_kib(client: Client, address: str) -> tuple[float, int]:
    _get(client, address)  # warm-up: imports, template and URL caches
    tracemalloc.start()
    tracemalloc.reset_peak()
    size = _get(client, address)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024, size


def main() -> int:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        officer, small, large, slug = seed()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # the planner's statistics, as autovacuum would refresh them
        seeded = time.perf_counter() - started
        client = Client()
        client.force_login(officer)
        from tests.two_factor import verify_session

        verify_session(client, officer)

        def address(name: str, call: Any, query: str = "") -> str:
            return reverse(f"engagement:{name}", kwargs={"strategy_slug": slug, "pk": call.pk}) + query

        print(
            f"Engagement at {SMALL} and {LARGE:,} priorities ({connection.vendor}; seeded in {seeded:.1f} s: "
            f"3 strategies, 300 councillors); median of {REPEAT} requests, Django test client, in-process"
        )
        print(f"{'page':<34}{'100 ms':>9}{f'{LARGE:,} ms':>11}{'ratio':>8}{'queries':>10}")
        equal = True
        for label, name, query in (
            ("priorities list (filtered, p. 2)", "call-priorities", LIST_QUERY),
            ("synthesis", "call-synthesis", ""),
        ):
            small_ms, small_queries = timed(client, address(name, small, query))
            large_ms, large_queries = timed(client, address(name, large, query))
            equal = equal and small_queries == large_queries
            same = "=" if small_queries == large_queries else "≠"
            print(
                f"{label:<34}{small_ms:>9.1f}{large_ms:>11.1f}{large_ms / small_ms:>8.1f}"
                f"{f'{small_queries} {same} {large_queries}':>10}"
            )
        print()
        print(f"{'export (peak memory, tracemalloc)':<34}{'100 KiB':>9}{f'{LARGE:,} KiB':>11}{'ratio':>8}{'bytes':>14}")
        for label, name in (("CSV, streamed", "call-export"), ("XLSX, write-only to a temp file", "call-export-xlsx")):
            small_kib, _ = peak_kib(client, address(name, small))
            large_kib, size = peak_kib(client, address(name, large))
            print(f"{label:<34}{small_kib:>9.0f}{large_kib:>11.0f}{large_kib / small_kib:>8.1f}{size:>14,}")
        print()
        print("query counts equal at both sizes:", "yes" if equal else "NO")
        return 0 if equal else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
