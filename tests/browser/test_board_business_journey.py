"""Board business in public (issue 14): an officer publishes a meeting's agenda and papers from
its page; then a signed-out visitor finds the board, reads the meeting, a paper (and sees an exempt
one by its title and paragraph only), downloads the paper as a PDF, and follows the board by email.
axe-core and the Nu HTML checker find nothing on any page visited."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Email
from engagement.models import Subscription
from tests.browser.axe import assert_accessible
from tests.browser.test_documents_journey import sign_in, sign_out
from tests.conftest import Cast
from tests.documents import conftest as documents_fixtures
from tests.documents.conftest import EXEMPT_MARKER, make_papers, pdf_reader
from timeline.models import Meeting

media = documents_fixtures.media

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_an_officer_publishes_the_papers_and_a_signed_out_visitor_reads_and_follows(
    page: Any, cast: Cast, media
) -> None:
    papers = make_papers(cast)
    meeting = papers.process.meeting
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() + timedelta(days=30))
    slug = cast.strategy.slug

    sign_in(page, cast.officer.email)
    page.goto(f"/{slug}/documents/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Publish the agenda and papers").click()
    expect(page.get_by_role("heading", name="Publish the agenda and papers", level=1)).to_be_visible()
    expect(page.get_by_text("Title only: exempt (paragraph 3)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publish the agenda and papers").click()
    expect(page.get_by_text("The agenda and papers are published: everyone can read them now.")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # Signed out: the board, its meeting, a paper.
    page.goto(f"/{slug}/timeline/boards/")
    page.get_by_role("link", name="Kent Strategic Board").click()
    expect(page.get_by_role("heading", name="Kent Strategic Board", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Members")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=meeting.title).first.click()
    expect(page.get_by_role("heading", name=meeting.title, level=1)).to_be_visible()
    expect(page.locator("#papers-deadline")).to_contain_text("Published")
    expect(page.get_by_text(papers.exempt_paper.title)).to_be_visible()
    assert EXEMPT_MARKER not in page.content()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(f"^Read the paper.*{papers.open_paper.title}")).click()
    expect(page.get_by_role("heading", name=papers.open_paper.title, level=1)).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download this paper as a PDF").click()
    with open(info.value.path(), "rb") as handle:
        text = "\n".join(p.extract_text() or "" for p in pdf_reader(handle.read()).pages)
    assert papers.open_paper.title in text

    # Following the board by email.
    page.goto(f"/{slug}/timeline/boards/{meeting.board_id}/")
    page.get_by_role("link", name="Get an email when its papers or minutes are published").click()
    expect(page.get_by_role("heading", name="Follow the Kent Strategic Board", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address").fill("journalist@example.org")
    page.get_by_role("button", name=re.compile("Subscribe|Get")).click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(page)
    assert Subscription.objects.get(email="journalist@example.org").board_id == meeting.board_id
    assert Email.objects.filter(to="journalist@example.org").exists()
