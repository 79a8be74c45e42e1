"""Packs in-process (eager Celery): requested once, rendered once, read back with pypdf."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from core.exceptions import ApplicationError, StaleEditError
from core.models import AuditEvent, Email
from documents import services
from documents.models import Pack
from tests.conftest import Cast
from tests.documents.conftest import APPENDIX_MARKER, EXEMPT_MARKER, Papers, pdf_reader

pytestmark = pytest.mark.django_db


def _request(cast: Cast, papers: Papers, kind: str = Pack.Kind.MEMBERS) -> tuple[Pack, bool]:
    return services.pack_request(
        actor=cast.officer,
        strategy=cast.strategy,
        kind=kind,
        meeting=papers.process.meeting,
        draft_version=papers.version,
    )


def _read(pack: Pack):
    with default_storage.open(pack.file.name, "rb") as handle:
        return pdf_reader(handle.read())


def _text(reader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def _outline(reader) -> list[tuple[str, int, int]]:
    """(title, depth, 1-based page) for every bookmark."""
    found: list[tuple[str, int, int]] = []

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((item.title, depth, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    return found


def test_request_is_enqueued_on_commit_and_asking_again_returns_the_same_pack(
    cast: Cast, papers: Papers, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pack, created = _request(cast, papers)
    assert created and len(callbacks) == 1
    assert pack.status == Pack.Status.QUEUED
    again, created_again = _request(cast, papers)
    assert (again.pk, created_again) == (pack.pk, False)
    papers.open_paper.refresh_from_db()
    services.board_paper_save(
        actor=cast.officer,
        agenda_item=papers.items[1],
        data={"body": "Changed."},
        version=papers.open_paper.version,
    )
    changed, created_changed = _request(cast, papers)
    assert created_changed and changed.pk != pack.pk


def test_members_pack_end_to_end_in_process(cast: Cast, papers: Papers, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        pack, _ = _request(cast, papers)
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY, pack.error
    assert pack.attempts == 1 and pack.progress == 100
    reader = _read(pack)
    assert len(reader.pages) == pack.page_count
    text = _text(reader)
    # Metadata: title, author, language.
    meta = reader.metadata
    assert meta is not None and "members’ pack" in (meta.title or "")
    assert meta.author == cast.strategy.lead.name
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged
    # Bookmarks: one for every heading, at the page where the heading is.
    outline = _outline(reader)
    titles = [title for title, _, _ in outline]
    for wanted in (
        "Contents",
        "Agenda",
        "Item 2: The draft Local Industrial Strategy",
        "Background",
        "Next steps",
        "Appendix 2A: Finance table",
        "Item 3: Skills capital: negotiation",
        "Draft Local Industrial Strategy",
        "Timeline status",
    ):
        assert wanted in titles, titles
    for title, _, page in outline:
        assert title.split(":")[0] in text[page - 1] or title.startswith("Appendix"), (title, page)
    # The contents page numbers match where the headings are.
    contents = text[1]
    pages_of = {title: page for title, depth, page in outline if depth == 1 or title.startswith("Appendix")}
    for title in (
        "Agenda",
        "Item 2: The draft Local Industrial Strategy",
        "Appendix 2A: Finance table",
        "Item 3: Skills capital: negotiation",
        "Draft Local Industrial Strategy",
        "Timeline status",
    ):
        match = re.search(re.escape(title) + r"[ .]*(\d+)", contents)
        assert match, (title, contents)
        assert int(match[1]) == pages_of[title], (title, match[1], pages_of[title])
    # The appendix is laid onto its held pages and counted: footer "Page X of Y" includes it.
    appendix_page = pages_of["Appendix 2A: Finance table"]
    assert APPENDIX_MARKER in text[appendix_page - 1] and APPENDIX_MARKER in text[appendix_page]
    assert f"Page {appendix_page} of {pack.page_count}" in text[appendix_page - 1]
    assert f"Page {pack.page_count} of {pack.page_count}" in text[-1]
    # The exempt paper is in the members' pack.
    assert any(EXEMPT_MARKER in page for page in text)
    # Emails to the board's members, after commit; an audit event.
    assert Email.objects.filter(to=cast.board_member.email, subject__contains="Members").exists()
    assert AuditEvent.objects.filter(verb="pack.ready", target_id=str(pack.pk)).count() == 1


def test_public_pack_withholds_exempt_papers(cast: Cast, papers: Papers, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        pack, _ = _request(cast, papers, kind=Pack.Kind.PUBLIC)
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY, pack.error
    text = " ".join(" ".join(_text(_read(pack))).split())
    assert EXEMPT_MARKER not in text
    assert "Skills capital: negotiation" not in text
    assert "Not for publication" in text and "paragraph 3 of Part 1 of Schedule 12A" in text
    assert APPENDIX_MARKER in text  # the open paper's appendix is still there


def test_draft_pack(cast: Cast, papers: Papers, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        pack, _ = services.pack_request(
            actor=cast.officer, strategy=cast.strategy, kind=Pack.Kind.DRAFT, draft_version=papers.version
        )
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY, pack.error
    text = "\n".join(_text(_read(pack)))
    assert "Our ambition" in text and EXEMPT_MARKER not in text


def test_a_finished_pack_is_not_rendered_again(cast: Cast, papers: Papers, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        pack, _ = _request(cast, papers)
    pack.refresh_from_db()
    assert services.pack_render(pack_id=pack.pk) == "skipped"
    again = Pack.objects.get(pk=pack.pk)
    assert (again.sha256, again.attempts, again.file.name) == (pack.sha256, 1, pack.file.name)


def test_three_failed_attempts_fail_the_pack_with_its_last_error(cast: Cast, papers: Papers, settings) -> None:
    settings.DOCUMENTS_PACK_RETRY_SECONDS = 0
    pack, _ = _request(cast, papers)
    default_storage.delete(papers.open_paper.appendices.get().file.name)  # the appendix is lost
    results = [services.pack_render(pack_id=pack.pk) for _ in range(4)]
    assert results == ["requeued", "requeued", "failed", "skipped"]
    pack.refresh_from_db()
    assert pack.status == Pack.Status.FAILED and pack.attempts == 3
    assert "FileNotFoundError" in pack.error and "try again" in pack.error
    retried = services.pack_retry(actor=cast.officer, pack=pack)
    assert retried.status == Pack.Status.QUEUED and retried.attempts == 0


def test_sweep_requeues_stale_packs_and_fails_spent_ones(cast: Cast, papers: Papers) -> None:
    pack, _ = _request(cast, papers)
    old = timezone.now() - timedelta(hours=1)
    Pack.objects.filter(pk=pack.pk).update(status=Pack.Status.RENDERING, claimed_at=old, attempts=1)
    assert services.pack_sweep() == 1  # eager: the re-queued render runs at once
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY and pack.attempts == 2
    spent, _ = _request(cast, papers, kind=Pack.Kind.PUBLIC)
    Pack.objects.filter(pk=spent.pk).update(status=Pack.Status.RENDERING, claimed_at=old, attempts=3)
    assert services.pack_sweep() == 0
    spent.refresh_from_db()
    assert spent.status == Pack.Status.FAILED and "three times" in spent.error


def test_a_live_render_is_not_claimed_twice(cast: Cast, papers: Papers) -> None:
    pack, _ = _request(cast, papers)
    Pack.objects.filter(pk=pack.pk).update(status=Pack.Status.RENDERING, claimed_at=timezone.now(), attempts=1)
    assert services.pack_render(pack_id=pack.pk) == "held"  # looked at again when the lease would run out
    pack.refresh_from_db()
    assert pack.status == Pack.Status.RENDERING and pack.attempts == 1


def test_the_later_of_two_section_saves_is_refused(cast: Cast, papers: Papers) -> None:
    section = papers.version.draft.sections.order_by("order").first()
    assert section is not None
    version = section.version
    services.draft_section_save(
        actor=cast.officer, section=section, title=section.title, body="First officer.", version=version
    )
    with pytest.raises(StaleEditError, match=r"Someone else saved this section \(Kent Officer, .+\) while") as error:
        services.draft_section_save(
            actor=cast.officer, section=section, title=section.title, body="Second officer.", version=version
        )
    assert [(c.field, c.theirs, c.yours) for c in error.value.conflicts] == [
        ("body", "First officer.", "Second officer.")
    ]
    section.refresh_from_db()
    assert section.body == "First officer."


def test_exempt_paper_needs_paragraph_and_reason(cast: Cast, papers: Papers) -> None:
    with pytest.raises(ApplicationError, match="Schedule 12A paragraph"):
        services.board_paper_save(
            actor=cast.officer,
            agenda_item=papers.items[0],
            data={
                "title": "T",
                "author": "A",
                "purpose": "P",
                "recommendations": "R",
                "decision_required": "note",
                "is_exempt": True,
            },
            version=None,
        )


def test_an_appendix_must_be_a_readable_pdf(cast: Cast, papers: Papers) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ApplicationError, match="must be a PDF"):
        services.paper_appendix_add(
            actor=cast.officer, paper=papers.open_paper, title="x", upload=SimpleUploadedFile("x.pdf", b"hello")
        )


def test_the_timeline_heading_and_a_tall_gantt_share_a_page(
    cast: Cast, papers: Papers, django_capture_on_commit_callbacks
) -> None:
    """With the demo's 22 milestones the whole Gantt would not fit its landscape page at a legible size:
    the pack draws the phases and key milestones under the heading, and the table after it lists every
    milestone (issue 12; before, the whole chart was shrunk to fit a portrait page)."""
    from timeline.models import Milestone

    for phase in papers.process.phases:
        for n in range(4):
            Milestone.objects.create(
                phase=phase, title=f"{phase.name}: a milestone with a long enough title to wrap {n}", order=10 + n
            )
    with django_capture_on_commit_callbacks(execute=True):
        pack, _ = _request(cast, papers)
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY, pack.error
    reader = _read(pack)
    page = {title: page for title, _, page in _outline(reader)}["Timeline status"]
    text = _text(reader)
    assert "Scoping" in text[page - 1] and "Key milestone not done" in text[page - 1], text[page - 1][:300]
    assert "Agree approach" in text[page], text[page][:300]
