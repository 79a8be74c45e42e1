"""Playwright (sync API) driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import nu

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM):
        pytest.skip(f"No Chromium at {CHROMIUM}: install Debian's chromium package (.ci/run does).")
    if not (ROOT / "static" / "build" / "css" / "main.css").exists():
        pytest.skip("The CSS is not built: run `make test` (it runs scripts/build_assets.sh).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, and Django refuses database calls
    # from a thread with a running loop unless told the tests know what they are doing.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def nu_checker() -> Iterator[nu.NuChecker]:
    """The Nu HTML checker's service, started once for the session: assert_accessible uses it.

    It starts in the background; the first check waits for it (a few seconds)."""
    java = shutil.which("java")
    if java is None:
        pytest.skip(
            "No java: install Debian's default-jre-headless (.ci/run does); "
            "the browser tests check each page with the Nu HTML checker, which runs on Java."
        )
    if not nu.VNU_JAR.exists():
        pytest.skip(f"No {nu.VNU_JAR}: run `make test` (it runs scripts/build_assets.sh, which runs npm ci).")
    checker = nu.NuChecker.start(java)
    nu.activate(checker)
    yield checker
    nu.activate(None)
    checker.stop()


@pytest.fixture
def page(browser: Any, nu_checker: nu.NuChecker, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
