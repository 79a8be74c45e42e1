"""Documents fixtures: a meeting with an agenda and papers (one exempt, one with a PDF appendix),
a draft with a saved version, media in a folder of the test's own, and real Celery workers on a
queue of this module's own (so another suite's worker on the same Redis never takes its tasks)."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from core.pdf import pdf_render
from documents import services
from documents.models import BoardPaper, DraftVersion
from tests.conftest import ROOT, Cast, _database_url, _wait_for_worker
from tests.timeline.conftest import Process, make_process
from timeline.models import AgendaItem

APPENDIX_MARKER = "APPENDIX-FINANCE-TABLE"
EXEMPT_MARKER = "CONFIDENTIAL-NEGOTIATION-FIGURES"


def appendix_pdf(pages: int = 2, marker: str = APPENDIX_MARKER) -> bytes:
    html = "".join(
        f'<section style="break-after: page"><h1>{marker} page {n}</h1></section>' for n in range(1, pages + 1)
    )
    return pdf_render(
        f'<html lang="en-GB"><head><title>Appendix</title></head><body>{html}</body></html>', pdf_variant=None
    )


@dataclass
class Papers:
    process: Process
    items: list[AgendaItem]
    open_paper: BoardPaper
    exempt_paper: BoardPaper
    version: DraftVersion


def make_papers(cast: Cast, *, strategy=None, appendix_pages: int = 2) -> Papers:
    strategy = strategy or cast.strategy
    officer = cast.officer if strategy == cast.strategy else cast.other_officer
    process = make_process(strategy)
    meeting = process.meeting
    items = [
        AgendaItem.objects.create(meeting=meeting, number=n, title=title, presenter="Chair" if n == 1 else "")
        for n, title in enumerate(["Welcome and apologies", "Draft strategy", "Skills capital programme"], start=1)
    ]
    common = {"author": "Lead Officer", "purpose": "To agree the way forward.", "decision_required": "approve"}
    open_paper = services.board_paper_save(
        actor=officer,
        agenda_item=items[1],
        data={
            **common,
            "title": "The draft Local Industrial Strategy",
            "recommendations": "The board **approves** the draft.",
            "body": "# Background\n\nThe draft was shared with partners.\n\n## Next steps\n\nSign-off in March.",
        },
        version=None,
    )
    services.paper_appendix_add(
        actor=officer,
        paper=open_paper,
        title="Finance table",
        upload=SimpleUploadedFile("finance.pdf", appendix_pdf(appendix_pages), content_type="application/pdf"),
    )
    exempt_paper = services.board_paper_save(
        actor=officer,
        agenda_item=items[2],
        data={
            **common,
            "title": "Skills capital: negotiation",
            "recommendations": "Note the position.",
            "body": f"# Figures\n\n{EXEMPT_MARKER}",
            "is_exempt": True,
            "exempt_paragraph": "3",
            "public_interest_reason": "Disclosure would harm the negotiation.",
        },
        version=None,
    )
    draft = services.draft_create(actor=officer, strategy=strategy)
    section = draft.sections.order_by("order").first()
    assert section is not None
    services.draft_section_save(
        actor=officer,
        section=section,
        title=section.title,
        body="# Our ambition\n\nA productive, inclusive economy.",
        version=1,
    )
    version = services.draft_version_save(actor=officer, draft=draft, note="For the board")
    return Papers(process=process, items=items, open_paper=open_paper, exempt_paper=exempt_paper, version=version)


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def papers(cast: Cast, media: Path) -> Papers:
    return make_papers(cast)


# Real workers ----------------------------------------------------------------------------------


@dataclass
class PackWorker:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def children(self) -> list[int]:
        """The pool's child processes (prefork), from /proc."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found


@pytest.fixture
def pack_workers(transactional_db: None, tmp_path: Path, media: Path) -> Iterator[Callable[..., PackWorker]]:
    """Start real `celery worker` processes on REDIS_URL against the test database and the test's
    media folder, listening on a queue of this test's own. Call it with extra environment (a short
    visibility timeout, say); every worker started is stopped at the end."""
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        pytest.skip("REDIS_URL is not set: the real-worker tests need Redis (.ci/run sets it).")
    from lis_portal.celery import app

    queue = f"lis_portal_documents_test_{uuid.uuid4().hex[:8]}"
    previous_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    app.conf.task_always_eager = False
    workers: list[PackWorker] = []
    celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"

    def start(pool: str = "solo", **extra_env: str) -> PackWorker:
        name = f"docs-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
        log = tmp_path / f"{name.split('@')[0]}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lis_portal.settings.test",
            "DATABASE_URL": _database_url(connection.settings_dict),
            "REDIS_URL": redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "MEDIA_ROOT": str(media),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            **extra_env,
        }
        with log.open("wb") as out:
            process = subprocess.Popen(
                [
                    celery,
                    "-A",
                    "lis_portal",
                    "worker",
                    "-Q",
                    queue,
                    f"--pool={pool}",
                    "--concurrency=1",
                    "--loglevel=INFO",
                    "-n",
                    name,
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                ],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        _wait_for_worker(app, name, process, log)
        worker = PackWorker(name=name, process=process, log=log)
        workers.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in workers:
            if worker.process.poll() is None:
                worker.process.terminate()
                try:
                    worker.process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.process.kill()
        redis.Redis.from_url(redis_url).delete(queue)
        app.conf.task_default_queue = previous_queue
        app.conf.task_always_eager = True


def pdf_reader(data: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))
