"""A councillor opens the open call, writes a priority, saves a draft, submits it and sees it listed
as submitted; an officer finds it among the priorities received, codes it, responds, and merges it
with another priority into a proposition; the councillor sees the response. axe-core finds no
WCAG 2.2 AA violation on any page visited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from core.models import Area
from engagement.models import Priority
from tests.browser.axe import assert_accessible
from tests.browser.sign_in import pass_two_factor
from tests.conftest import Cast
from tests.engagement.conftest import make_priority, make_setting
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Skills for the Thames Estuary’s ports"
OTHER = "Logistics apprenticeships"
RESPONSE = "We have made this part of the emerging proposition on skills and the ports."


def sign_in(page: Any, email: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_two_factor(page, email)
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()


def test_councillor_submits_a_priority_and_sees_the_officers_response(page: Any, cast: Cast) -> None:
    setting = make_setting(cast.strategy, code=100)
    district: Area = setting.district
    slug = cast.strategy.slug

    # The councillor: from the engagement page to the open call, a draft, then a submission.
    sign_in(page, cast.councillor.email)
    page.goto(f"/{slug}/engagement/")
    expect(page.get_by_role("heading", level=1, name="Engagement")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=setting.call.title).click()
    expect(page.get_by_role("heading", level=1, name=setting.call.title)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Write a priority").click()
    expect(page.get_by_role("heading", level=1, name="Write a priority")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Summary").fill("Fund a ports and logistics skills centre with the colleges.")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved as a draft")
    expect(page.locator("main")).to_contain_text("This is a draft")
    assert_accessible(page)

    # Submitting with parts missing says what to add, and keeps the draft.
    page.get_by_role("button", name="Submit priority").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("To submit the priority, add why it matters")
    assert_accessible(page)

    page.get_by_role("link", name="Edit the priority").click()
    assert_accessible(page)
    page.get_by_label("Why it matters").fill("Employers at the ports cannot recruit the technicians they need.")
    evidence = page.get_by_role("group", name="Evidence link 1")
    evidence.get_by_label("Evidence title").fill("Labour market review")
    evidence.get_by_label("Evidence web address").fill("https://example.org/review")
    page.get_by_label("People").check()
    page.get_by_label("Clean growth").check()
    page.get_by_label(re.compile(rf"^{district.name}")).check()
    page.get_by_label("LEP-wide").check()
    page.get_by_role("button", name="Submit priority").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("submitted")
    assert_accessible(page)

    page.goto(f"/{slug}/engagement/priorities/")
    row = page.get_by_role("row", name=re.compile(TITLE))
    expect(row).to_contain_text("Submitted")
    expect(row).to_contain_text("None yet")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # The officer: the priorities received, coding and the response.
    sign_in(page, cast.officer.email)
    page.goto(f"/{slug}/engagement/calls/")
    assert_accessible(page)
    page.get_by_role("link", name=setting.call.title).click()
    assert_accessible(page)
    page.get_by_role("link", name="See the priorities").click()
    expect(page.get_by_role("heading", level=1, name="Priorities received")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    assert_accessible(page)
    page.get_by_role("link", name="Code the priority").click()
    assert_accessible(page)
    page.get_by_label("Tags").fill("skills, ports")
    page.get_by_role("button", name="Save coding").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Coding")
    page.get_by_role("link", name="Respond").click()
    assert_accessible(page)
    page.get_by_label("The LEP’s response").fill(RESPONSE)
    page.get_by_role("button", name="Publish response").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Response")
    expect(page.locator("main")).to_contain_text(RESPONSE)
    assert_accessible(page)

    # …and merges it with a similar priority into a proposition.
    make_priority(setting, cast.councillor, title=OTHER)
    page.get_by_role("link", name="Merge this priority into a new proposition").click()
    expect(page.get_by_role("heading", level=1, name="Merge priorities into a proposition")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_label(re.compile(f"^{re.escape(TITLE)}"))).to_be_checked()
    page.get_by_label(re.compile(f"^{OTHER}")).check()
    page.get_by_label("Title").fill("Skills for the estuary’s ports and logistics")
    page.get_by_label("What it proposes").fill("One skills centre serving the ports and the logistics firms.")
    page.get_by_role("button", name="Save proposition").click()
    expect(page.get_by_role("heading", level=1, name="Skills for the estuary’s ports and logistics")).to_be_visible()
    expect(page.locator("main")).to_contain_text(OTHER)
    assert_accessible(page)
    page.get_by_label("Agreed").check()
    page.get_by_role("button", name="Change status").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("now agreed")
    page.get_by_role("link", name="Back to propositions").click()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # The councillor sees the response.
    sign_in(page, cast.councillor.email)
    page.goto(f"/{slug}/engagement/priorities/")
    expect(page.get_by_role("row", name=re.compile(TITLE))).to_contain_text("Responded")
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("main")).to_contain_text(RESPONSE)
    assert_accessible(page)

    priority = Priority.objects.get(title=TITLE)
    assert priority.status == Priority.Status.SUBMITTED and priority.response == RESPONSE
    assert [t.name for t in priority.tags.all()] == ["ports", "skills"]
