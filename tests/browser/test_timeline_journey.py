"""An officer marks the scoping milestones done and records the Strategic Board decision that
closes scoping; the public timeline then shows the evidence phase as current; a board member
sees the decision. axe-core finds no WCAG 2.2 AA violation on any page visited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.sign_in import pass_two_factor
from tests.conftest import Cast
from tests.factories import DEFAULT_PASSWORD
from tests.timeline.conftest import make_process

pytestmark = pytest.mark.django_db(transaction=True)

DECISION = "Progress, structure and process for finalisation agreed; scoping closes."


def sign_in(page: Any, email: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_two_factor(page, email)
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()


def test_officer_closes_scoping_and_everyone_sees_it(page: Any, cast: Cast) -> None:
    process = make_process(cast.strategy)
    scoping, evidence = process.phases[0], process.phases[1]
    slug = cast.strategy.slug

    sign_in(page, cast.officer.email)
    page.goto(f"/{slug}/timeline/dashboard/")
    expect(page.get_by_role("heading", name="Timeline dashboard")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/{slug}/timeline/milestones/?phase={scoping.pk}")
    assert_accessible(page)
    for milestone in process.scoping_milestones:
        page.get_by_role("button", name=re.compile(f"^Mark done.*{milestone.title}")).click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"“{milestone.title}” is now done")
    expect(page.get_by_role("button", name=re.compile("^Mark done"))).to_have_count(0)
    assert_accessible(page)

    page.goto(f"/{slug}/timeline/meetings/{process.meeting.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Record decision").click()
    assert_accessible(page)
    page.get_by_label("What the board decided").fill(DECISION)
    page.get_by_label("Approved", exact=True).check()
    page.get_by_label("This decision closes the current phase").check()
    page.get_by_role("button", name=re.compile("decision", re.I)).click()
    expect(page.locator("main")).to_contain_text(DECISION)
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    page.goto(f"/{slug}/timeline/")
    expect(page.locator("main")).to_contain_text(f"Current phase: {evidence.name}")
    expect(page.locator("main")).to_contain_text(DECISION)
    assert_accessible(page)

    sign_in(page, cast.board_member.email)
    page.goto(f"/{slug}/timeline/meetings/")
    assert_accessible(page)
    page.get_by_role("link", name=process.meeting.title).first.click()
    expect(page.locator("main")).to_contain_text(DECISION)
    expect(page.locator("main")).to_contain_text(scoping.name)
    assert_accessible(page)
