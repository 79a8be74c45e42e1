"""The shared pages pass axe's WCAG 2.2 AA checks: the layout, the error pages, the legal pages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["/", "/accessibility/", "/privacy/", "/cookies/", "/accounts/sign-in/"])
def test_page_is_accessible(page: Any, path: str) -> None:
    response = page.goto(path)

    assert response.status == 200
    assert_accessible(page)


def test_page_not_found_is_accessible(page: Any) -> None:
    response = page.goto("/no/such/page/")

    assert response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    assert_accessible(page)


def test_sign_in_errors_are_accessible(page: Any) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    assert page.title().startswith("Error: ")
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
