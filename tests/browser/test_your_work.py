"""Each role signs in, opens "Your work" from the home page and finds what needs doing; the page
(and a list a count leads to) has no axe violation and no duplicate id. The test makes its own data."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.sign_in import pass_two_factor
from tests.conftest import Cast
from tests.lis_portal.test_your_work import _feedback_event, make_work

PASSWORD = "your-work-browser-password"

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in_and_open_your_work(page: Any, cast: Cast, role: str) -> None:
    person = getattr(cast, role)
    person.set_password(PASSWORD)
    person.save()
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_two_factor(page, person.email)
    page.wait_for_url(re.compile(r"/$"))
    page.get_by_role("link", name=f"Your work in {cast.strategy.name}").click()
    page.wait_for_url(re.compile(rf"/{cast.strategy.slug}/your-work/$"))
    expect(page.get_by_role("heading", level=1, name="Your work")).to_be_visible()
    _assert_valid(page)


def _assert_valid(page: Any) -> None:
    assert_accessible(page)
    duplicates = page.evaluate(
        "() => { const seen = {};"
        " for (const el of document.querySelectorAll('[id]')) seen[el.id] = (seen[el.id] || 0) + 1;"
        " return Object.keys(seen).filter((id) => seen[id] > 1); }"
    )
    assert duplicates == []


def test_officer_follows_a_count_to_its_filtered_list(page: Any, cast: Cast) -> None:
    work = make_work(cast)
    work.add(2)
    for n in range(1, 4):
        _feedback_event(work, n, uncoded=1)
    _sign_in_and_open_your_work(page, cast, "officer")
    expect(page.get_by_role("heading", name="Running the strategy")).to_be_visible()
    page.get_by_role("link", name="Milestones at risk").click()
    page.wait_for_url(re.compile(r"/timeline/milestones/\?status=at_risk$"))
    expect(page.get_by_text("2 milestones match the filter.")).to_be_visible()
    _assert_valid(page)
    page.go_back()
    page.get_by_role("link", name="Packs that failed").click()
    page.wait_for_url(re.compile(r"/documents/packs/\?status=failed$"))
    expect(page.get_by_text("2 packs match the filter.")).to_be_visible()
    _assert_valid(page)
    # Events' feedback forms: one line, leading to the events whose feedback awaits coding.
    page.go_back()
    page.get_by_role("link", name="Feedback from workshops and events not yet coded").click()
    page.wait_for_url(re.compile(r"/engagement/events/\?feedback=uncoded$"))
    expect(page.get_by_role("table", name="Events whose feedback is not yet coded").locator("tbody tr")).to_have_count(
        3
    )
    _assert_valid(page)


def test_councillor_sees_the_open_call_and_the_drafts(page: Any, cast: Cast) -> None:
    make_work(cast).add(2)
    _sign_in_and_open_your_work(page, cast, "councillor")
    expect(page.get_by_role("heading", name="Your council’s part")).to_be_visible()
    page.get_by_role("link", name="Your council’s priorities still drafts (not submitted)").click()
    page.wait_for_url(re.compile(r"/engagement/priorities/\?status=draft&call_open=yes$"))
    expect(page.get_by_text("2 priorities match the filter.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^Submitted \d"))).to_have_count(0)
    _assert_valid(page)
    page.go_back()
    page.get_by_role("link", name="Your council’s priorities", exact=True).click()
    page.wait_for_url(re.compile(r"/engagement/priorities/$"))
    page.go_back()
    page.get_by_role("link", name="Call for priorities: Councils’ priorities").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Councils’ priorities")


def test_board_member_opens_the_next_meetings_pack(page: Any, cast: Cast) -> None:
    make_work(cast).add(2)
    _sign_in_and_open_your_work(page, cast, "board_member")
    expect(page.get_by_role("heading", name="Your board meetings")).to_be_visible()
    page.get_by_role("link", name="Members’ pack, ready (12 pages)").first.click()
    page.wait_for_url(re.compile(r"/documents/packs/\d+/$"))
