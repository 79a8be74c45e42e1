"""Packs rendered by real Celery workers on the real Redis, against the test database."""

from __future__ import annotations

import os
import signal
import time

import pytest
from django.core.files.storage import default_storage

from core.models import AuditEvent, Email
from documents import services
from documents.models import DraftSection, Pack
from tests.conftest import Cast
from tests.documents.conftest import APPENDIX_MARKER, EXEMPT_MARKER, make_papers, pdf_reader
from timeline.models import BoardMembership

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres_only]


def _wait(pack: Pack, statuses: set[str], *, timeout: float, poll: float = 0.05) -> Pack:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pack.refresh_from_db()
        if pack.status in statuses:
            return pack
        time.sleep(poll)
    raise AssertionError(
        f"The pack stayed {pack.status} for {timeout} s (attempts {pack.attempts}, error {pack.error!r})."
    )


def _text(pack: Pack) -> str:
    with default_storage.open(pack.file.name, "rb") as handle:
        reader = pdf_reader(handle.read())
    assert len(reader.pages) == pack.page_count
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def test_a_real_worker_renders_members_and_public_packs(cast: Cast, media, pack_workers) -> None:
    worker = pack_workers()
    papers = make_papers(cast)
    members, _ = services.pack_request(
        actor=cast.officer,
        strategy=cast.strategy,
        kind=Pack.Kind.MEMBERS,
        meeting=papers.process.meeting,
        draft_version=papers.version,
    )
    public, _ = services.pack_request(
        actor=cast.officer, strategy=cast.strategy, kind=Pack.Kind.PUBLIC, meeting=papers.process.meeting
    )
    for pack in (members, public):
        _wait(pack, {Pack.Status.READY, Pack.Status.FAILED}, timeout=60)
        assert pack.status == Pack.Status.READY, (pack.error, worker.text())
        assert pack.attempts == 1
    members_text, public_text = _text(members), _text(public)
    assert EXEMPT_MARKER in members_text and EXEMPT_MARKER not in public_text
    assert APPENDIX_MARKER in members_text and APPENDIX_MARKER in public_text
    assert "Not for publication" in public_text
    assert Email.objects.filter(to=cast.board_member.email, subject__startswith="Members").count() == 1


def test_a_worker_killed_mid_render_leaves_no_file_and_the_pack_is_done_exactly_once(
    cast: Cast, media, pack_workers
) -> None:
    # Seconds, not an hour: the message comes back after 4 s, and a claim older than 2 s may be taken.
    fast = {"CELERY_VISIBILITY_TIMEOUT": "4", "DOCUMENTS_PACK_STALE_SECONDS": "2"}
    first = pack_workers(**fast)
    papers = make_papers(cast, appendix_pages=3)
    # A long draft, so the render lasts long enough to be killed in the middle.
    section = DraftSection.objects.filter(draft=papers.version.draft).order_by("order").first()
    assert section is not None
    long_text = "\n\n".join(f"## Part {n}\n\n" + "The economy of the area grows. " * 120 for n in range(60))
    services.draft_section_save(
        actor=cast.officer, section=section, title=section.title, body=long_text, version=section.version
    )
    version = services.draft_version_save(actor=cast.officer, draft=papers.version.draft, note="Long")
    pack, _ = services.pack_request(
        actor=cast.officer,
        strategy=cast.strategy,
        kind=Pack.Kind.MEMBERS,
        meeting=papers.process.meeting,
        draft_version=version,
    )

    _wait(pack, {Pack.Status.RENDERING}, timeout=30, poll=0.01)
    os.kill(first.process.pid, signal.SIGKILL)
    first.process.wait(timeout=10)
    pack.refresh_from_db()
    assert pack.status == Pack.Status.RENDERING and pack.attempts == 1, first.text()
    assert not pack.file
    folder = media / "documents" / "packs"
    assert not folder.exists() or not list(folder.rglob("*.pdf")), "a half-written pack is visible"

    second = pack_workers(**fast)
    _wait(pack, {Pack.Status.READY, Pack.Status.FAILED}, timeout=90, poll=0.2)
    assert pack.status == Pack.Status.READY, (pack.error, second.text())
    assert pack.attempts == 2
    time.sleep(3)  # anything still to come (a duplicate delivery) has had time to arrive
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY and pack.attempts == 2
    assert [p.name for p in folder.rglob("*.pdf")] == [pack.file.name.rsplit("/", 1)[1]]
    assert not list(folder.rglob("*.part"))
    assert AuditEvent.objects.filter(verb="pack.ready", target_id=str(pack.pk)).count() == 1
    members = BoardMembership.objects.filter(board=papers.process.meeting.board).count()
    assert Email.objects.filter(subject__startswith="Members").count() == members
    assert "pack_render" in second.text()
