"""The public comment round in Chromium (ADR 0042): in the drafting phase an officer opens a review
window on a version to the public; a signed-out visitor finds it on the overview, reads the version and comments on
a section (an empty comment first: errors), confirms it from the emailed link (the Email row's
body); the officer sees it counted as awaiting moderation, publishes it and replies; the visitor,
still signed out, reads the published comment (their name, as they agreed; never their email
address) and the reply. axe-core and the Nu HTML checker find nothing on any page visited."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Email
from documents import services
from documents.models import ReviewComment
from tests.browser.axe import assert_accessible
from tests.browser.test_documents_journey import sign_in, sign_out
from tests.conftest import Cast
from tests.documents.test_review_audience import drafting
from tests.timeline.conftest import make_process

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

VISITOR = "pat.public@example.org"


def test_a_public_comment_is_confirmed_moderated_answered_and_read(page: Any, cast: Cast) -> None:
    cache.clear()  # the rate limit's counts
    make_process(cast.strategy)
    drafting(cast.strategy)
    draft = services.draft_create(actor=cast.officer, strategy=cast.strategy)
    section = draft.sections.order_by("order").first()
    assert section is not None
    services.draft_section_save(
        actor=cast.officer,
        section=section,
        title=section.title,
        body="Kent's ports carry a fifth of the country's trade.",
        version=section.version,
    )
    services.draft_version_save(actor=cast.officer, draft=draft, note="For public comment")
    slug = cast.strategy.slug

    sign_in(page, cast.officer.email)
    page.goto(f"/{slug}/documents/reviews/new/")
    page.get_by_label("The public", exact=True).check()
    closes = timezone.localdate() + timedelta(days=21)
    page.get_by_label("Day").fill(str(closes.day))
    page.get_by_label("Month").fill(str(closes.month))
    page.get_by_label("Year").fill(str(closes.year))
    assert_accessible(page)
    page.get_by_role("button", name="Open review window").click()
    expect(page.get_by_role("heading", name="Review of the draft: version 1")).to_be_visible()
    expect(page.get_by_text("Open for comment by: the public.")).to_be_visible()
    review_url = urlparse(page.url).path
    sign_out(page)

    # A signed-out visitor finds the round on the strategy's overview, reads the version and
    # comments on a section.
    page.goto(f"/{slug}/")
    assert_accessible(page)
    page.get_by_role("link", name="Version 1 of the draft").click()
    expect(page.get_by_text("Kent's ports carry a fifth of the country's trade.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(f"^Comment on this section.*{section.title}$")).click()
    page.get_by_role("button", name="Send comment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your comment")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")
    assert_accessible(page)
    page.get_by_label("Your comment").fill("Say more about the **Thames** ports.")
    page.get_by_label("Your name (optional)").fill("Pat Public")
    page.get_by_label("Your email address").fill(VISITOR)
    page.get_by_label("Your organisation (optional)").fill("Thanet Traders")
    page.get_by_label(re.compile("^Show my name")).check()
    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(page)

    email = Email.objects.get(to=VISITOR)
    match = re.search(r"https?://[^/\s]+(/\S+/reviews/confirm/\S+/)", email.body)
    assert match is not None, email.body
    page.goto(match.group(1))
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my comment").click()
    expect(page.get_by_role("heading", name="Comment confirmed")).to_be_visible()
    assert_accessible(page)
    # Not published yet: the visitor does not read it on the review's page.
    page.goto(review_url)
    expect(page.get_by_text("Say more about the")).to_have_count(0)
    page.get_by_role("link", name="Comment on the draft").click()  # the breadcrumb: the public rounds
    expect(page.get_by_role("link", name="Version 1: For public comment")).to_be_visible()
    assert_accessible(page)

    sign_in(page, cast.officer.email)
    page.goto(review_url)
    comment = ReviewComment.objects.get()
    expect(page.get_by_role("row", name=re.compile(section.title))).to_contain_text("1")
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("Awaiting moderation")
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text(VISITOR)  # officers only
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Publish")).click()
    expect(page.get_by_text("The comment is published")).to_be_visible()
    page.locator(f"#reply-body-{comment.pk}").fill("The next version adds the Thames ports.")
    page.get_by_role("button", name=re.compile("^Reply")).click()
    expect(page.get_by_text("Your reply is added.")).to_be_visible()
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("Published")
    assert_accessible(page)
    sign_out(page)

    page.goto(review_url)
    published = page.locator(f"#comment-{comment.pk}")
    expect(published).to_contain_text("Pat Public, Thanet Traders")
    expect(published.locator("strong", has_text="Thames")).to_be_visible()
    expect(published).to_contain_text("The next version adds the Thames ports.")
    expect(page.get_by_text(VISITOR)).to_have_count(0)
    assert_accessible(page)
