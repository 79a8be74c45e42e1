"""A councillor signs in and reaches the South East strategy overview; every page the journey
visits has no WCAG 2.2 AA violation that axe-core can find."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.sign_in import pass_two_factor

DEMO_PASSWORD = "journey-demo-password"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    call_command("loaddemo", stdout=io.StringIO())


def test_councillor_signs_in_and_reaches_the_south_east_overview(page: Any, demo: None) -> None:
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Sign in").first.click()
    assert_accessible(page)

    # A wrong password first: the error summary says what to fix, and the page stays accessible.
    page.get_by_label("Email address").fill("councillor@example.org")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert "Enter a correct email address and password" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)

    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_two_factor(page, "councillor@example.org")
    page.wait_for_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()
    expect(page.get_by_text("Councillor", exact=True).first).to_be_visible()
    assert_accessible(page)

    workspace = page.locator("section", has=page.locator("#workspace-south-east"))
    expect(workspace.get_by_role("heading", name="South East Local Industrial Strategy")).to_be_visible()
    workspace.get_by_role("link", name="Overview").click()
    page.wait_for_url(re.compile(r"/south-east/$"))
    expect(page.get_by_role("heading", level=1, name="South East Local Industrial Strategy")).to_be_visible()
    main = page.locator("main").inner_text()
    assert "Current phase: Drafting of the LIS" in main
    for theme in ("Ideas", "People", "Infrastructure", "Business environment", "Places", "Clean growth"):
        assert theme in main
    assert "originally October – November 2019" in main or "originally October" in main
    assert_accessible(page)

    # The strategy's own navigation leads to the councillor's engagement page.
    page.get_by_role("link", name="Engagement").click()
    expect(page.get_by_role("heading", level=1, name="Engagement")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    assert_accessible(page)


def test_legal_and_error_pages_are_accessible(page: Any, demo: None) -> None:
    for path in ("/accessibility/", "/privacy/", "/cookies/", "/no-such-page/here/", "/accounts/password-reset/"):
        page.goto(path)
        assert_accessible(page)
