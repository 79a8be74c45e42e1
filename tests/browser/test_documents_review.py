"""The review journey in Chromium: an officer links a section to evidence and a proposition (shown
with its status on the draft), opens a review window for the council until a closing date (its
councillor is emailed); its councillor comments on a section (an empty comment first: an error); the
officer sees the unresolved count on the draft, replies and resolves; the university's partner,
not invited, gets 404. axe-core finds no WCAG 2.2 AA violation on any page visited."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Email
from documents.models import ReviewComment
from engagement.models import Proposition
from tests.browser.axe import assert_accessible
from tests.browser.test_documents_journey import sign_in, sign_out
from tests.conftest import Cast
from tests.documents import conftest as documents_fixtures
from tests.documents.conftest import make_papers
from tests.engagement.conftest import make_evidence

media = documents_fixtures.media

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_review_window_comment_reply_resolve(page: Any, cast: Cast, media) -> None:
    papers = make_papers(cast)
    make_evidence(cast.strategy, "Kent skills audit")
    Proposition.objects.create(strategy=cast.strategy, title="A skills deal for the ports", description="Why.")
    slug = cast.strategy.slug
    section = papers.version.draft.sections.order_by("order").first()
    assert section is not None

    sign_in(page, cast.officer.email)
    page.goto(f"/{slug}/documents/draft/sections/{section.pk}/")
    assert_accessible(page)
    page.get_by_label("Kent skills audit").check()
    page.get_by_label("A skills deal for the ports (emerging)").check()
    page.get_by_role("button", name="Save section").click()  # the text and the ticks, together
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved, with what it draws on")
    page.goto(f"/{slug}/documents/draft/sections/{section.pk}/")
    expect(page.get_by_role("link", name="Kent skills audit")).to_be_visible()
    expect(page.get_by_role("link", name="A skills deal for the ports")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/{slug}/documents/draft/")
    page.get_by_label("What changed in this version").fill("Linked to evidence")
    page.get_by_role("button", name="Save version").click()
    page.get_by_role("link", name="Open a review window").click()
    assert_accessible(page)
    page.get_by_role("button", name="Open review window").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the organisations")
    assert_accessible(page)
    page.get_by_label("Version to review").select_option(label="Version 2: Linked to evidence")
    page.get_by_label("kent Borough Council").check()
    closes = timezone.localdate() + timedelta(days=14)
    page.get_by_label("Day").fill(str(closes.day))
    page.get_by_label("Month").fill(str(closes.month))
    page.get_by_label("Year").fill(str(closes.year))
    page.get_by_role("button", name="Open review window").click()
    expect(page.get_by_role("heading", name="Review of the draft: version 2")).to_be_visible()
    expect(page.get_by_text(f"Comments close at the end of {closes.day} {closes:%B %Y}")).to_be_visible()
    expect(page.get_by_text("Proposition: A skills deal for the ports")).to_be_visible()
    assert_accessible(page)
    assert list(Email.objects.values_list("to", flat=True)) == [cast.councillor.email]
    review_url = page.url
    sign_out(page)

    sign_in(page, cast.councillor.email)
    page.goto(f"/{slug}/documents/")
    page.get_by_role("link", name="Version 2: Linked to evidence").click()
    expect(page.get_by_text("Evidence: Kent skills audit")).to_be_visible()
    page.get_by_role("button", name="Add comment on Introduction").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your comment")
    assert_accessible(page)
    page.get_by_label("Comment on “Introduction”").fill("Say more about the **ports**.")
    page.get_by_role("button", name="Add comment on Introduction").click()
    expect(page.locator(".app-markdown strong", has_text="ports")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, cast.officer.email)
    page.goto(f"/{slug}/documents/draft/")
    expect(page.get_by_role("row", name=re.compile("Introduction"))).to_contain_text("1")
    expect(page.get_by_role("row", name=re.compile("Introduction"))).to_contain_text("A skills deal for the ports")
    assert_accessible(page)
    page.goto(review_url)
    comment = ReviewComment.objects.get()
    page.locator(f"#reply-body-{comment.pk}").fill("Added in the next version.")
    page.get_by_role("button", name=re.compile("^Reply")).click()
    expect(page.get_by_text("Added in the next version.")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Resolve")).click()
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("Resolved")
    assert_accessible(page)
    page.get_by_role("button", name="Close the review window").click()
    expect(page.get_by_text("The review window is closed.")).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    sign_in(page, cast.partner.email)
    response = page.goto(review_url)
    assert response is not None and response.status == 404
    assert_accessible(page)
