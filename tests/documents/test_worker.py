"""Packs rendered by real Celery workers on the real Redis, against the test database."""

from __future__ import annotations

import os
import signal
import time

import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from core.models import AuditEvent, Email
from documents import services
from documents.models import DraftSection, Pack
from tests.conftest import Cast
from tests.documents.conftest import APPENDIX_MARKER, EXEMPT_MARKER, Papers, make_papers, pdf_reader
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


def _long_pack(cast: Cast) -> tuple[Papers, Pack]:
    """A members' pack with a long draft, so the render lasts long enough to be killed in the middle."""
    papers = make_papers(cast, appendix_pages=3)
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
    return papers, pack


def test_a_worker_killed_mid_render_is_taken_over_within_a_minute_and_the_pack_is_done_exactly_once(
    cast: Cast, media, pack_workers
) -> None:
    # The render worker's child is killed (SIGKILL) mid-render: the worker requeues the task at once
    # (reject_on_worker_lost); the redelivered task finds the dead child's lease live, looks again when
    # it runs out (CLAIM_LEASE_SECONDS, 30 s, as in production) and takes the pack over.
    worker = pack_workers(pool="prefork")
    papers, pack = _long_pack(cast)

    _wait(pack, {Pack.Status.RENDERING}, timeout=30, poll=0.01)
    (child,) = worker.children()
    os.kill(child, signal.SIGKILL)
    killed = time.monotonic()
    pack.refresh_from_db()
    assert pack.status == Pack.Status.RENDERING and pack.attempts == 1, worker.text()
    assert not pack.file
    folder = media / "documents" / "packs"
    assert not folder.exists() or not list(folder.rglob("*.pdf")), "a half-written pack is visible"

    deadline = killed + 90
    while pack.attempts < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
        pack.refresh_from_db()
    restarted = time.monotonic() - killed
    assert pack.attempts == 2 and pack.restarts == 1, (pack.status, pack.error, worker.text())
    _wait(pack, {Pack.Status.READY, Pack.Status.FAILED}, timeout=max(1.0, deadline - time.monotonic()), poll=0.2)
    done = time.monotonic() - killed
    print(f"\nkilled mid-render: taken over after {restarted:.1f} s, ready after {done:.1f} s")
    assert pack.status == Pack.Status.READY, (pack.error, worker.text())
    assert restarted <= 60 + 5, f"taken over after {restarted:.1f} s, not within the minute"
    assert done <= 60 + 30, f"ready {done:.1f} s after the kill (the minute, and 30 s to render)"
    assert pack.attempts == 2 and pack.restarts == 1
    time.sleep(3)  # anything still to come (a duplicate delivery) has had time to arrive
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY and pack.attempts == 2
    assert [p.name for p in folder.rglob("*.pdf")] == [pack.file.name.rsplit("/", 1)[1]]
    assert not list(folder.rglob("*.part"))
    assert AuditEvent.objects.filter(verb="pack.ready", target_id=str(pack.pk)).count() == 1
    members = BoardMembership.objects.filter(board=papers.process.meeting.board).count()
    assert Email.objects.filter(subject__startswith="Members").count() == members
    assert "WorkerLostError" in worker.text() or "SIGKILL" in worker.text(), worker.text()


def test_a_whole_worker_killed_mid_render_is_taken_over_by_the_sweep_within_a_minute(
    cast: Cast, media, pack_workers
) -> None:
    # The whole worker is killed (the machine gone): its message stays unacknowledged for the broker's
    # visibility timeout (an hour), so only the sweep can recover the pack. The test is the beat: it
    # sends the sweep every CLAIM_LEASE_SECONDS (30 s), as production's schedule does.
    first = pack_workers()
    _, pack = _long_pack(cast)
    _wait(pack, {Pack.Status.RENDERING}, timeout=30, poll=0.01)
    os.kill(first.process.pid, signal.SIGKILL)
    first.process.wait(timeout=10)
    killed = time.monotonic()
    second = pack_workers()
    deadline = killed + 90
    next_sweep = killed
    while pack.attempts < 2 and time.monotonic() < deadline:
        if time.monotonic() >= next_sweep:
            services.pack_sweep()
            next_sweep += settings.CLAIM_LEASE_SECONDS
        time.sleep(0.2)
        pack.refresh_from_db()
    restarted = time.monotonic() - killed
    assert pack.attempts == 2 and pack.restarts == 1, (pack.status, pack.error, second.text())
    _wait(pack, {Pack.Status.READY, Pack.Status.FAILED}, timeout=max(1.0, deadline - time.monotonic()), poll=0.2)
    done = time.monotonic() - killed
    print(f"\nworker killed mid-render: the sweep took over after {restarted:.1f} s, ready after {done:.1f} s")
    assert pack.status == Pack.Status.READY, (pack.error, second.text())
    assert restarted <= 60 + 5, f"taken over after {restarted:.1f} s, not within the minute"
    assert done <= 60 + 30, f"ready {done:.1f} s after the kill (the minute, and 30 s to render)"
    assert AuditEvent.objects.filter(verb="pack.ready", target_id=str(pack.pk)).count() == 1
