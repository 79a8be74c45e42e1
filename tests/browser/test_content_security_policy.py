"""Under the Content-Security-Policy, Chromium refuses nothing on the pages that run scripts: the
home page, sign-in, a strategy's overview, the Gantt chart (its styles are in main.css; its own
<style> goes only into PDFs), the priority form and its errors, and the Django admin's index,
changelists and change forms. Both the console ("… violates the following Content Security Policy
directive …") and the page's securitypolicyviolation events are listened to; any one fails the
test. The scripts did run: GOV.UK Frontend marks the body as supported, and the admin's own
scripts define django.jQuery."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.sign_in import pass_two_factor
from tests.conftest import Cast
from tests.engagement.conftest import make_setting
from tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile}:${event.lineNumber})`);
});
"""


class Violations:
    def __init__(self, page: Any) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(LISTEN)  # through the browser's debugging protocol: the CSP does not apply
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append(f"page error: {error}"))

    def _console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.console.append(text)

    def visit(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status == 200, path
        assert "nonce-" in response.headers.get("content-security-policy", "") or path.startswith("/admin/")
        self.page.wait_for_load_state("load")
        self.assert_none(path)

    def assert_none(self, where: str) -> None:
        events = self.page.evaluate("() => window.__cspViolations || []")
        assert not self.console and not events, f"{where}: {self.console + events}"


def sign_in(page: Any, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_two_factor(page, email)  # an administrator sets up or passes two-factor sign-in first
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()


def test_pages_with_scripts_break_no_part_of_the_policy(page: Any, cast: Cast) -> None:
    setting = make_setting(cast.strategy, code=100)
    slug = cast.strategy.slug
    watch = Violations(page)

    watch.visit("/")
    # The nonced inline script ran, and GOV.UK Frontend's module after it.
    assert page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')")
    watch.visit("/accounts/sign-in/")

    sign_in(page, cast.councillor.email)
    watch.assert_none("sign in")
    watch.visit(f"/{slug}/")
    watch.visit(f"/{slug}/timeline/gantt/")
    expect(page.locator("svg.app-gantt-chart__svg")).to_be_visible()
    # The chart's styles (display: block among them) come from main.css.
    assert page.evaluate("() => getComputedStyle(document.querySelector('svg.app-gantt-chart__svg')).display") == (
        "block"
    )
    watch.visit(f"/{slug}/engagement/calls/{setting.call.pk}/priorities/new/")
    expect(page.get_by_role("heading", level=1, name="Write a priority")).to_be_visible()
    page.get_by_role("button", name="Save as draft").click()  # an error summary, which GOV.UK's script focuses
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    watch.assert_none("the priority form's errors")

    sign_in(page, cast.admin.email)
    watch.visit("/admin/")
    watch.visit("/admin/core/user/")
    watch.visit(f"/admin/core/user/{cast.officer.pk}/change/")
    assert page.evaluate("() => typeof window.django !== 'undefined' && typeof window.django.jQuery === 'function'")
    watch.visit(f"/admin/core/strategy/{cast.strategy.pk}/change/")
    watch.visit("/admin/core/user/add/")


def test_the_sign_in_pause_and_the_reset_limit_are_accessible(page: Any, cast: Cast) -> None:
    cache.clear()  # the live server shares this process's cache: no reset requests counted before
    watch = Violations(page)
    for _ in range(5):
        page.goto("/accounts/sign-in/")
        page.get_by_label("Email address").fill(cast.partner.email)
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Too many attempts to sign in")).to_be_visible()
    expect(page.locator(".govuk-inset-text")).to_contain_text("You can try again after")
    assert_accessible(page)
    watch.assert_none("the sign-in pause")

    for _ in range(4):
        page.goto("/accounts/password-reset/")
        page.get_by_label("Email address").fill(cast.partner.email)
        page.get_by_role("button", name="Send link").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Wait an hour, then try again")
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    watch.assert_none("the reset limit")
