"""A board member adds an interest to their register, confirms it up to date, and on their
meeting's page declares it on the agenda item it matches; a signed-out visitor then reads the
register. axe-core and the Nu HTML checker find nothing wrong on any page visited."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.test_documents_journey import sign_in, sign_out
from tests.conftest import Cast
from tests.timeline.conftest import make_process
from timeline.models import AgendaItem, BoardMembership, Declaration

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_board_member_updates_their_register_and_declares_from_it(page: Any, cast: Cast) -> None:
    process = make_process(cast.strategy)
    AgendaItem.objects.create(meeting=process.meeting, number=1, title="Skills plan")
    AgendaItem.objects.create(meeting=process.meeting, number=2, title="Growth Deal: a bid from Harbour Trading")
    membership = BoardMembership.objects.get(board=process.board, user=cast.board_member)
    slug = cast.strategy.slug

    sign_in(page, cast.board_member.email)
    page.goto(f"/{slug}/timeline/interests/yours/")
    expect(page.get_by_role("heading", name="Your register of interests", level=1)).to_be_visible()
    expect(page.locator("#reviewed-on")).to_contain_text("Review due")
    assert_accessible(page)

    page.get_by_role("link", name="Add an interest").click()
    expect(page.get_by_role("heading", name="Add an interest", level=1)).to_be_visible()
    page.get_by_label("Directorships").check()
    page.get_by_label("Describe the interest").fill("Non-executive director")
    page.get_by_label("Organisation (optional)").fill("Harbour Trading")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2026")
    assert_accessible(page)
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_text("“Non-executive director” has been added to the register.")).to_be_visible()
    page.get_by_role("button", name="Confirm it is up to date").click()
    expect(page.get_by_text("Your register has been confirmed up to date")).to_be_visible()
    expect(page.locator("#reviewed-on")).not_to_contain_text("Review due")
    assert_accessible(page)

    page.goto(process.meeting.get_absolute_url())
    expect(page.get_by_role("heading", name="Your interests that may apply")).to_be_visible()
    card = page.locator("#interests-item-2")
    expect(card).to_contain_text("“Harbour Trading” is in the item’s title")
    assert_accessible(page)
    card.get_by_label("I will leave the room for the item").check()
    card.get_by_role("button", name="Declare on item 2").click()
    expect(page.get_by_text("Your declaration on item 2 has been recorded.")).to_be_visible()
    expect(page.locator("#item-2")).to_contain_text("Left the room for the item.")
    expect(page.locator("#interests-item-2")).to_contain_text("Declared")
    assert_accessible(page)
    declaration = Declaration.objects.get()
    assert declaration.user == cast.board_member and declaration.register_entries.count() == 1
    sign_out(page)

    page.goto(f"/{slug}/timeline/members/{membership.pk}/interests/")
    expect(page.get_by_role("heading", name="Register of interests", level=1)).to_be_visible()
    expect(page.get_by_role("table", name="Current interests")).to_contain_text("Harbour Trading")
    expect(page.get_by_role("button", name="Confirm it is up to date")).to_have_count(0)
    assert_accessible(page)
