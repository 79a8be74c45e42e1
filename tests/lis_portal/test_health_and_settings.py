"""/healthz, the error pages, and production settings that refuse to start half-configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_reports_a_broker_that_is_down(client: Client, settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == {"ok": False, "mode": "redis", "error": "ConnectionError"}


@pytest.mark.django_db
def test_not_found_page_in_house_style(client: Client) -> None:
    response = client.get("/no-such-strategy/evidence/nothing/here/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_renders_without_a_request_context() -> None:
    from lis_portal.errors import server_error

    response = server_error(None)  # type: ignore[arg-type]
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lis_portal.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "lis.example.org",
    "DATABASE_URL": "postgres://lis@db.example.org:5432/lis",
    "REDIS_URL": "redis://redis.example.org:6379/0",
    "DEFAULT_FROM_EMAIL": "LIS Portal <lis@example.org>",
    "EMAIL_URL": "smtp+tls://user:pass@smtp.example.org:587",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_check_deploy() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "EMAIL_URL"])
def test_production_refuses_to_start_naming_the_missing_variable(missing: str) -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "will not start in production without these environment variables" in result.stderr
    assert missing in result.stderr
