"""The Nu HTML checker (vnu) for browser tests: one checker service per test session.

vnu.jar comes from node_modules (package.json pins vnu-jar; scripts/build_assets.sh installs it)
and runs on Java (Debian's default-jre-headless; .ci/run installs it). The `nu_checker` fixture
in conftest.py starts it once per session as vnu's own web service on a free loopback port and
stops it at the end; tests.browser.axe.assert_accessible sends it each page it checks.

Only errors fail a test: vnu's warnings and info messages are advice, not invalid HTML.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The checker reads its schemas before it answers: a few seconds, more on a busy machine.
START_TIMEOUT = 120.0
CHECK_TIMEOUT = 60.0

_current: NuChecker | None = None

# Real errors not yet cleared, each matched as narrowly as it can be: (URL path, message). These
# are not false positives: each waits for a fix outside what the browser tests may change, and
# goes when it lands. No rule is filtered as a false positive at present.
KNOWN_ERRORS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = ()  # none: every error is fixed, not listed


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class NuChecker:
    """vnu's web service (nu.validator.servlet.Main) running beside the tests."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: IO[bytes]) -> None:
        self.process = process
        self.url = f"http://127.0.0.1:{port}/"
        self.log = log
        self.ready = False
        # One check at a time, in the background while axe runs in the browser.
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nu-checker")

    @classmethod
    def start(cls, java: str) -> NuChecker:
        """Start the service and return at once: the first check waits for it to answer."""
        port = _free_port()
        # Its start-up chatter, shown only if it fails to start; stop() closes it. Append mode: the
        # service writes at the end however far _log_tail has read.
        log = tempfile.TemporaryFile("a+b")  # noqa: SIM115
        process = subprocess.Popen(
            [
                java,
                # The client compiler only: for a few hundred pages it costs half the CPU of the
                # default tiered compilation (the machine running the tests has few cores), and
                # checks no slower. Its deeper frames need a bigger stack than the default 1 MB,
                # or reading the HTML schema overflows it.
                "-XX:TieredStopAtLevel=1",
                "-Xss8m",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU_JAR),
                "nu.validator.servlet.Main",
                str(port),
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        return cls(process, port, log)

    def _log_tail(self) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")[-2000:]

    def wait_until_ready(self) -> None:
        if self.ready:
            return
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The Nu HTML checker exited ({self.process.returncode}):\n{self._log_tail()}")
            try:
                with urllib.request.urlopen(self.url, timeout=5):  # noqa: S310 (our own loopback URL)
                    self.ready = True
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise RuntimeError(
            f"The Nu HTML checker did not answer {self.url} in {START_TIMEOUT:.0f}s:\n{self._log_tail()}"
        )

    def messages(self, html: str) -> list[dict[str, Any]]:
        """Every message vnu has about the document (errors, warnings and info)."""
        self.wait_until_ready()
        request = urllib.request.Request(  # noqa: S310 (our own loopback URL)
            self.url + "?out=json",
            data=html.encode("utf-8"),
            headers={"Content-Type": "text/html; charset=utf-8"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=CHECK_TIMEOUT) as response:  # noqa: S310
            messages: list[dict[str, Any]] = json.load(response)["messages"]
        return messages

    def errors(self, html: str) -> list[dict[str, Any]]:
        """The errors in the document: what makes it invalid HTML. A non-document-error is the
        checker failing to check it, which fails the test too."""
        return [message for message in self.messages(html) if message["type"] in ("error", "non-document-error")]

    def stop(self) -> None:
        self.pool.shutdown(cancel_futures=True)
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def activate(checker: NuChecker | None) -> None:
    """Make `checker` the one html_errors uses (None when the session ends)."""
    global _current
    _current = checker


def describe(errors: list[dict[str, Any]], where: str) -> str:
    """Each error's message, its line and column in the HTML checked (page.content()) and the extract."""
    lines = [f"{len(errors)} HTML error(s) from the Nu HTML checker on {where}:"]
    for error in errors:
        place = f"line {error['lastLine']}, column {error.get('firstColumn', error.get('lastColumn'))}"
        lines.append(f"- {place}: {error['message']}" if "lastLine" in error else f"- {error['message']}")
        if error.get("extract"):
            lines.append(f"    {error['extract']!r}")
    return "\n".join(lines)


def _known(error: dict[str, Any], path: str) -> bool:
    return any(page.match(path) and message.match(error["message"]) for page, message in KNOWN_ERRORS)


def html_errors(html: str, url: str) -> Future[list[dict[str, Any]]]:
    """The errors the session's checker finds in `html`, the page at `url`, but for KNOWN_ERRORS:
    checked in the background; the future's result() waits for them."""
    checker = _current
    if checker is None:
        raise RuntimeError("No Nu HTML checker is running: use the `page` fixture (it starts one per session).")
    path = urlsplit(url).path

    def check() -> list[dict[str, Any]]:
        return [error for error in checker.errors(html) if not _known(error, path)]

    return checker.pool.submit(check)
