"""A visitor subscribes to a strategy's updates from its overview, confirms from the email, gets an
update an officer writes, previews and sends, and unsubscribes from the link in it; a councillor
downloads their data and an administrator reaches the erasure page from the admin. axe-core finds
no WCAG 2.2 AA violation on any page visited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from engagement.models import Subscription, Update
from tests.browser.axe import assert_accessible
from tests.browser.test_engagement_priorities_journey import sign_in
from tests.conftest import Cast

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "reader@example.org"


def _path(body: str, part: str) -> str:
    match = re.search(rf"https?://[^/\s]+(/\S*/{part}/\S+?/)", body)
    assert match, body
    return match.group(1)


def test_subscribe_confirm_receive_and_unsubscribe(page: Any, cast: Cast) -> None:
    cache.clear()
    mail.outbox = []
    slug = cast.strategy.slug

    # From the overview's sign-up form.
    page.goto(f"/{slug}/")
    assert_accessible(page)
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", level=1, name="Check your email")).to_be_visible()
    assert_accessible(page)

    # The subscribe page itself, with a mistake first.
    page.goto(f"/{slug}/engagement/updates/subscribe/")
    assert_accessible(page)
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("correct format")
    assert_accessible(page)

    # Confirm from the email.
    [confirmation] = [m for m in mail.outbox if m.to == [EMAIL]]
    page.goto(_path(str(confirmation.body), "confirm"))
    expect(page.get_by_role("heading", level=1, name="Confirm your subscription")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm subscription").click()
    expect(page.get_by_role("heading", level=1, name="Subscription confirmed")).to_be_visible()
    assert_accessible(page)
    assert Subscription.objects.get(email=EMAIL).status == Subscription.Status.CONFIRMED

    # An officer writes, previews and sends an update.
    sign_in(page, cast.officer.email)
    page.goto(f"/{slug}/engagement/")
    page.get_by_role("link", name="Updates and subscribers").click()
    expect(page.get_by_role("heading", level=1, name="Updates and subscribers")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Write an update").click()
    assert_accessible(page)
    page.get_by_label("Subject").fill("The draft strategy is out")
    page.get_by_label("Text").fill("## What next\n\nRead the **draft** and tell us what you think.")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("[data-preview] strong")).to_have_text("draft")
    assert_accessible(page)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1, name="The draft strategy is out")).to_be_visible()
    assert_accessible(page)
    mail.outbox = []
    page.get_by_role("button", name="Send to 1 subscriber").click()
    expect(page.locator("[data-progress=delivered]")).to_have_text("1 of 1 queued")
    assert_accessible(page)
    assert Update.objects.get().status == Update.Status.SENT

    # The public archive lists it.
    page.goto(f"/{slug}/engagement/updates/")
    assert_accessible(page)
    page.get_by_role("link", name="The draft strategy is out").click()
    expect(page.get_by_role("heading", level=1, name="The draft strategy is out")).to_be_visible()
    assert_accessible(page)

    # The reader unsubscribes from the link in the update.
    page.context.clear_cookies()
    [update_email] = mail.outbox
    assert update_email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    page.goto(_path(str(update_email.body), "unsubscribe"))
    expect(page.get_by_role("heading", level=1, name="Unsubscribe from updates")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1, name="You have unsubscribed")).to_be_visible()
    assert_accessible(page)
    assert Subscription.objects.get(email=EMAIL).status == Subscription.Status.UNSUBSCRIBED


def test_your_data_and_the_erasure_page(page: Any, cast: Cast) -> None:
    sign_in(page, cast.councillor.email)
    page.get_by_role("link", name="Your data").click()
    expect(page.get_by_role("heading", level=1, name="Your data")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your data as CSV").click()
    assert download.value.suggested_filename == "your-lis-portal-data.csv"

    page.context.clear_cookies()
    sign_in(page, cast.admin.email)
    page.goto(f"/admin/core/user/{cast.partner.pk}/change/")
    page.get_by_role("link", name="Erase this person").click()
    expect(page.get_by_role("heading", level=1, name=f"Erase {cast.partner.name}")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Erase this person").click()
    expect(page.locator("body")).to_contain_text("The person has been erased")
