"""Serve the portal from gunicorn on a throwaway database and time pages against a bare view.

The database is a fresh test database (PostgreSQL when DATABASE_URL names one, SQLite
otherwise), migrated here; the server is one gunicorn worker on 127.0.0.1, so the bare view and
the pages share the same process, middleware and connection handling. Each page is requested
`repeat` times over one keep-alive connection after a warm-up, and the median is compared with
the bare view's median from the same run.
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def database_url(settings_dict: dict[str, object]) -> str:
    if str(settings_dict["ENGINE"]).endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or "postgres"
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    password = settings_dict.get("PASSWORD")
    auth = f"{user}:{password}" if password else f"{user}"
    return f"postgres://{auth}@{host}:{port}/{settings_dict['NAME']}"


@contextmanager
def server(db_url: str) -> Iterator[int]:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lis_portal.settings.test",
        "ROOT_URLCONF": "bench.urls",
        "DATABASE_URL": db_url,
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(
        [gunicorn, "lis_portal.wsgi_test:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def median_ms(port: int, path: str, cookie: str, *, repeat: int, warmup: int = 3) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie, "Host": "127.0.0.1"}
    times = []
    for n in range(warmup + repeat):
        start = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        if n >= warmup:
            times.append(elapsed)
    connection.close()
    return statistics.median(times)
