"""An officer writes a meeting's minutes from its recorded business, circulates them to the board,
records their approval at the board's next meeting and publishes them; a signed-out visitor then
reads them. axe-core and the Nu HTML checker find nothing wrong on any page visited."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.test_documents_journey import sign_in, sign_out
from tests.conftest import Cast
from tests.timeline.conftest import make_process
from timeline import services as timeline_services
from timeline.models import Meeting

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_officer_takes_the_minutes_to_publication_and_a_visitor_reads_them(page: Any, cast: Cast) -> None:
    process = make_process(cast.strategy)
    board = process.board
    held = Meeting.objects.create(
        board=board, title="September board", starts_at=timezone.make_aware(datetime(2026, 9, 10, 10, 0))
    )
    Meeting.objects.create(
        board=board, title="November board", starts_at=timezone.make_aware(datetime(2026, 11, 5, 10, 0))
    )
    item = timeline_services.agenda_item_add(actor=cast.officer, meeting=held, title="Evidence base")
    timeline_services.attendance_record(actor=cast.officer, meeting=held, statuses={cast.board_member.pk: "present"})
    timeline_services.decision_record(
        actor=cast.officer, meeting=held, text="The evidence base is agreed.", outcome="approved", agenda_item=item
    )
    slug = cast.strategy.slug

    sign_in(page, cast.officer.email)
    page.goto(held.get_absolute_url())
    section = page.locator("#minutes ~ dl").first
    expect(section).to_contain_text("Not started")
    expect(section).to_contain_text("Thursday 24 September 2026")
    expect(section).to_contain_text("Deadline missed")
    assert_accessible(page)

    page.get_by_role("link", name="Write the minutes").click()
    box = page.get_by_label("Minutes")
    expect(box).to_have_value(re.compile(r"\*\*Present:\*\* Kent Board Member"))
    expect(box).to_have_value(re.compile(r"\*\*Decision \(approved\):\*\* The evidence base is agreed\."))
    assert_accessible(page)
    box.fill(box.input_value().replace("_Add a summary of the discussion here._", "Members welcomed the evidence."))
    page.get_by_role("button", name="Save minutes").click()
    expect(page.get_by_text("The draft minutes have been saved.")).to_be_visible()

    page.get_by_role("button", name="Circulate to the board").click()
    expect(page.get_by_text("emailed to the board’s 1 member.")).to_be_visible()
    page.get_by_role("link", name="Record their approval").click()
    assert_accessible(page)
    page.get_by_label("November board, 5 November 2026").check()
    page.get_by_role("button", name="Record the approval").click()
    expect(page.get_by_text("The approval has been recorded")).to_be_visible()

    page.get_by_role("link", name="Publish the minutes").click()
    assert_accessible(page)
    page.get_by_role("button", name="Publish the minutes").click()
    expect(page.get_by_text("The minutes have been published.")).to_be_visible()
    expect(page.locator("#minutes-state")).to_contain_text("Published")
    assert_accessible(page)
    sign_out(page)

    page.goto(f"/{slug}/timeline/meetings/{held.pk}/minutes/")
    expect(page.get_by_role("heading", name="Minutes of September board", level=1)).to_be_visible()
    expect(page.locator("#minutes-body")).to_contain_text("Members welcomed the evidence.")
    expect(page.get_by_text("As a correct record at November board")).to_be_visible()
    assert_accessible(page)
