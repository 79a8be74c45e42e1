"""A board member opens their meeting from the meetings list (timeline's address leads to the one
meeting page), reads one paper in the browser, downloads that paper as its own PDF and the
current members' pack. axe-core finds no WCAG 2.2 AA violation on any page visited."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from playwright.sync_api import expect

from documents import selectors
from documents.models import Pack
from tests.browser.axe import assert_accessible
from tests.browser.test_documents_journey import sign_in
from tests.conftest import Cast
from tests.documents import conftest as documents_fixtures
from tests.documents.conftest import Papers, make_papers, pdf_reader

media = documents_fixtures.media

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def _ready_pack(cast: Cast, papers: Papers) -> Pack:
    meeting = papers.process.meeting
    inputs, fingerprint = selectors.pack_inputs(
        strategy=cast.strategy, kind=Pack.Kind.MEMBERS, meeting=meeting, draft_version=papers.version
    )
    name = default_storage.save(f"documents/packs/test-{uuid.uuid4().hex}.pdf", ContentFile(b"%PDF-1.7 test"))
    return Pack.objects.create(
        strategy=cast.strategy,
        kind=Pack.Kind.MEMBERS,
        meeting=meeting,
        draft_version=papers.version,
        fingerprint=fingerprint,
        inputs=inputs,
        status=Pack.Status.READY,
        file=name,
        sha256="0" * 64,
        page_count=9,
    )


def test_board_member_reads_a_paper_and_downloads_it_and_the_current_pack(page: Any, cast: Cast, media) -> None:
    papers = make_papers(cast)
    _ready_pack(cast, papers)
    meeting = papers.process.meeting
    slug = cast.strategy.slug

    sign_in(page, cast.board_member.email)
    page.goto(f"/{slug}/timeline/meetings/")
    page.get_by_role("link", name=meeting.title).first.click()
    expect(page.get_by_role("heading", name=meeting.title, level=1)).to_be_visible()
    assert page.url.endswith(f"/{slug}/documents/meetings/{meeting.pk}/")
    expect(page.get_by_role("heading", name="Agenda and papers")).to_be_visible()
    expect(page.locator("#packs ~ table").first).to_contain_text("Current")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(f"^Read the paper.*{papers.open_paper.title}")).click()
    expect(page.get_by_role("heading", name=papers.open_paper.title, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Recommendations")).to_be_visible()
    expect(page.get_by_text("Appendix 2A: Finance table (2 pages)")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download this paper as a PDF").click()
    assert info.value.suggested_filename.endswith(".pdf")
    with open(info.value.path(), "rb") as handle:
        text = "\n".join(p.extract_text() or "" for p in pdf_reader(handle.read()).pages)
    assert papers.open_paper.title in text and "approves the draft" in text

    page.get_by_role("link", name=meeting.title).click()
    page.get_by_role("link", name="Members’ pack").first.click()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the pack (PDF)").click()
    with open(info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
