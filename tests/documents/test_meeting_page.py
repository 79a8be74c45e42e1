"""The meeting's one page (documents'): timeline's business of the meeting with each item's paper
and the meeting's packs (current and superseded, with what changed); a paper read as a page; a
paper downloaded as its own PDF (opened with pypdf)."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from core.models import AuditEvent
from documents import selectors, services
from documents.meeting_page import pack_changes
from documents.models import BoardPaper, Pack
from tests.conftest import Cast
from tests.documents.conftest import APPENDIX_MARKER, EXEMPT_MARKER, Papers, pdf_reader

pytestmark = pytest.mark.django_db


def _url(cast: Cast, name: str, pk: int) -> str:
    return reverse(f"documents:{name}", kwargs={"strategy_slug": cast.strategy.slug, "pk": pk})


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in pdf_reader(data).pages)


def _ready_pack(cast: Cast, papers: Papers, kind: str = Pack.Kind.MEMBERS) -> Pack:
    """A ready pack of the meeting with the inputs it would have now (no rendering)."""
    meeting = papers.process.meeting
    inputs, fingerprint = selectors.pack_inputs(
        strategy=cast.strategy, kind=kind, meeting=meeting, draft_version=papers.version.draft.versions.first()
    )
    name = default_storage.save(f"documents/packs/test-{uuid.uuid4().hex}.pdf", ContentFile(b"%PDF-1.7 test"))
    return Pack.objects.create(
        strategy=cast.strategy,
        kind=kind,
        meeting=meeting,
        draft_version=papers.version.draft.versions.first(),
        fingerprint=fingerprint,
        inputs=inputs,
        status=Pack.Status.READY,
        file=name,
        sha256="0" * 64,
        page_count=9,
    )


# The meeting page -------------------------------------------------------------------------------


def test_the_board_member_sees_the_agenda_with_each_paper_to_read_and_download(
    client, cast: Cast, papers: Papers
) -> None:
    client.force_login(cast.board_member)
    page = client.get(_url(cast, "meeting-detail", papers.process.meeting.pk)).content.decode()
    assert "1. Welcome and apologies" in page and "No paper yet." in page
    for paper in (papers.open_paper, papers.exempt_paper):
        assert _url(cast, "paper-detail", paper.pk) in page
        assert _url(cast, "paper-pdf", paper.pk) in page
    assert "Exempt (paragraph 3)" in page
    assert 'id="attendance"' in page and 'id="decisions"' in page and 'id="papers-deadline"' in page
    # Officers' actions (timeline's forms and writing papers) are not the board member's.
    assert "Record decision" not in page and "Write paper" not in page and "Request a pack" not in page


def test_the_officer_gets_timelines_actions_and_the_paper_forms_on_the_one_page(
    client, cast: Cast, papers: Papers
) -> None:
    client.force_login(cast.officer)
    meeting = papers.process.meeting
    page = client.get(_url(cast, "meeting-detail", meeting.pk)).content.decode()
    kwargs = {"strategy_slug": cast.strategy.slug, "pk": meeting.pk}
    for name in ("meeting-edit", "agenda-item-create", "attendance-edit", "declaration-create", "decision-create"):
        assert reverse(f"timeline:{name}", kwargs=kwargs) in page
    assert "Write paper" in page and "Edit paper" in page and "Request a pack" in page


def test_an_exempt_paper_someone_may_not_read_is_its_title_and_paragraph_only(
    client, cast: Cast, papers: Papers, monkeypatch
) -> None:
    """Whoever documents.rules.can_read_paper refuses (today nobody who sees the meeting: the
    members' pack rule) sees the title and "Exempt (paragraph N)", never a way to its text."""
    monkeypatch.setattr("documents.meeting_page.can_read_paper", lambda user, paper, meeting: not paper.is_exempt)
    monkeypatch.setattr("documents.views.meetings.can_read_paper", lambda user, paper, meeting: not paper.is_exempt)
    client.force_login(cast.board_member)
    exempt = papers.exempt_paper
    meeting_page = client.get(_url(cast, "meeting-detail", papers.process.meeting.pk)).content.decode()
    assert exempt.title in meeting_page and "Exempt (paragraph 3)" in meeting_page
    assert _url(cast, "paper-detail", exempt.pk) not in meeting_page
    assert _url(cast, "paper-pdf", exempt.pk) not in meeting_page
    page = client.get(_url(cast, "paper-detail", exempt.pk)).content.decode()
    assert exempt.title in page and "Exempt (paragraph 3)" in page
    for hidden in (EXEMPT_MARKER, "Note the position", "Disclosure would harm", "To agree the way forward"):
        assert hidden not in page
    assert client.get(_url(cast, "paper-pdf", exempt.pk)).status_code == 404


def test_the_board_of_the_meeting_reads_an_exempt_paper(client, cast: Cast, papers: Papers) -> None:
    client.force_login(cast.board_member)
    page = client.get(_url(cast, "paper-detail", papers.exempt_paper.pk)).content.decode()
    assert EXEMPT_MARKER in page and "Do not share it outside the board" in page


def test_a_board_member_of_another_board_gets_404_for_the_papers(client, cast: Cast, papers: Papers) -> None:
    from tests.factories import BoardFactory, BoardMembershipFactory, UserFactory

    federated = BoardFactory(strategy=cast.strategy, name="Kent Federated Board", kind="federated")
    client.force_login(BoardMembershipFactory(board=federated, user=UserFactory(email="fed@kent.example")).user)
    for paper in (papers.open_paper, papers.exempt_paper):
        for name in ("paper-detail", "paper-pdf"):
            assert client.get(_url(cast, name, paper.pk)).status_code == 404


# A paper as a page ------------------------------------------------------------------------------


def test_a_paper_reads_as_a_page_cover_sheet_recommendations_body_and_appendices(
    client, cast: Cast, papers: Papers
) -> None:
    client.force_login(cast.board_member)
    page = client.get(_url(cast, "paper-detail", papers.open_paper.pk)).content.decode()
    cover = page.split("Cover sheet", 1)[1].split("</dl>", 1)[0]
    for text in ("Lead Officer", "To agree the way forward.", "Approve", "Financial implications", "None."):
        assert text in cover
    assert "The board <strong>approves</strong> the draft." in page
    assert "<h3>Background</h3>" in page and "<h4>Next steps</h4>" in page
    assert "Appendix 2A: Finance table (2 pages)" in page
    assert _url(cast, "paper-pdf", papers.open_paper.pk) in page


def test_a_papers_markdown_is_sanitised_on_its_page(client, cast: Cast, papers: Papers) -> None:
    paper = BoardPaper.objects.get(pk=papers.open_paper.pk)
    BoardPaper.objects.filter(pk=paper.pk).update(
        body='<script>alert("x")</script>\n\n[a link](javascript:alert(1)) <img src=x onerror=alert(1)>'
    )
    client.force_login(cast.officer)
    page = client.get(_url(cast, "paper-detail", paper.pk)).content.decode()
    assert '<script>alert("x")' not in page and "javascript:alert" not in page and "onerror" not in page


# A paper as a PDF --------------------------------------------------------------------------------


def test_a_paper_downloads_as_its_own_pdf_with_its_appendix_pages(client, cast: Cast, papers: Papers) -> None:
    client.force_login(cast.board_member)
    response = client.get(_url(cast, "paper-pdf", papers.open_paper.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    reader = pdf_reader(response.content)
    text = _pdf_text(response.content)
    assert "The draft Local Industrial Strategy" in text
    assert "approves the draft" in text
    first_page = reader.pages[0].extract_text() or ""
    assert "The draft Local Industrial Strategy" in first_page  # the paper starts on page 1, not after a near-blank one
    assert text.count(APPENDIX_MARKER) == 2  # both appendix pages, laid onto the held pages
    assert len(reader.pages) >= 3
    event = AuditEvent.objects.get(verb="paper.downloaded")
    assert event.actor == cast.board_member
    assert event.data["version"] == BoardPaper.objects.get(pk=papers.open_paper.pk).version


def test_an_exempt_papers_pdf_is_never_cached(client, cast: Cast, papers: Papers) -> None:
    client.force_login(cast.board_member)
    response = client.get(_url(cast, "paper-pdf", papers.exempt_paper.pk))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    text = _pdf_text(response.content)
    assert "Skills capital: negotiation" in text and "Note the position." in text and EXEMPT_MARKER in text
    assert "exempt from publication" in text.lower()


# Packs: current and superseded -----------------------------------------------------------------


def test_packs_say_which_is_current_and_what_superseded_the_older_ones(client, cast: Cast, papers: Papers) -> None:
    first = _ready_pack(cast, papers)
    paper = BoardPaper.objects.get(pk=papers.open_paper.pk)
    services.board_paper_save(
        actor=cast.officer,
        agenda_item=paper.agenda_item,
        data={"recommendations": "The board approves the draft, as amended."},
        version=paper.version,
    )
    services.draft_version_save(actor=cast.officer, draft=papers.version.draft, note="Amended")
    second = _ready_pack(cast, papers)
    client.force_login(cast.board_member)
    page = client.get(_url(cast, "meeting-detail", papers.process.meeting.pk)).content.decode()
    newer = page.split(f'id="pack-{second.pk}"', 1)[1].split("</tr>", 1)[0]
    older = page.split(f'id="pack-{first.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Current" in newer and "Superseded" not in newer
    assert "Superseded" in older
    assert "paper 2 changed (version" in older and "draft version 1 → 2" in older
    assert "0" * 64 not in page


def test_pack_changes_names_papers_by_item_and_draft_versions_by_number() -> None:
    older = {"papers": [[10, 1, "t", []], [11, 2, "t", [[1, "a"]]]], "draft_version": 5, "agenda": [1]}
    newer = {
        "papers": [[10, 2, "t", []], [11, 2, "t", [[1, "b"]]], [12, 1, "t", []]],
        "draft_version": 6,
        "agenda": [2],
    }
    changes = pack_changes(older, newer, {10: 2, 11: 3, 12: 4}, {5: 2, 6: 3})
    assert changes == [
        "paper 2 changed (version 1 → 2)",
        "paper 3: appendices changed",
        "paper 4 added",
        "draft version 2 → 3",
        "the agenda changed",
    ]
