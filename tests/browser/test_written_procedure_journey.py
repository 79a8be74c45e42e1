"""An officer puts a resolution to the Strategic Board by written procedure, records the board
member's response and the outcome, which closes the phase under way (the board's rules allow it),
and keeps the forward plan; a signed-out visitor then reads the forward plan and follows it to the
decision. axe-core and the Nu HTML checker find nothing wrong on any page visited."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.test_documents_journey import sign_in, sign_out
from tests.conftest import Cast
from tests.timeline.conftest import make_process
from timeline.models import Decision, Milestone, Phase

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

RESOLUTION = "The Board agrees the scope of the strategy and closes the scoping phase."


def _fill_date(page: Any, group: str, day: Any) -> None:
    fields = page.get_by_role("group", name=group)
    fields.get_by_label("Day").fill(str(day.day))
    fields.get_by_label("Month").fill(str(day.month))
    fields.get_by_label("Year").fill(str(day.year))


def test_an_officer_closes_a_phase_by_written_procedure_and_the_public_reads_it(page: Any, cast: Cast) -> None:
    process = make_process(cast.strategy)
    process.board.phases_closed_outside_meetings = True
    process.board.save()
    Milestone.objects.filter(phase=process.phases[0]).update(status="done", completed_on=process.phases[0].actual_start)
    today = timezone.localdate()
    slug = cast.strategy.slug

    # The officer opens the written procedure.
    sign_in(page, cast.officer.email)
    page.goto(f"/{slug}/timeline/decisions/")
    page.get_by_role("link", name="Written procedures").click()
    assert_accessible(page)
    page.get_by_role("link", name="Open a written procedure").click()
    page.get_by_role("button", name="Open the written procedure").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Resolution put to the members").fill(RESOLUTION)
    _fill_date(page, "Closing date", today + timedelta(days=7))
    page.get_by_role("button", name="Open the written procedure").click()
    expect(page.get_by_role("heading", level=1, name="Written procedure")).to_be_visible()
    expect(page.get_by_text("No response yet")).to_be_visible()
    assert_accessible(page)

    # The board member answered by email: the officer records it.
    page.get_by_role("link", name="Record a member’s response").click()
    page.get_by_label("Member").select_option(label=cast.board_member.name)
    page.get_by_label("Agree", exact=True).check()
    page.get_by_label("Comment (optional)").fill("Agreed by email.")
    assert_accessible(page)
    page.get_by_role("button", name="Record the response").click()
    expect(page.get_by_text(f"The response of {cast.board_member} has been recorded.")).to_be_visible()
    expect(page.get_by_text("1 agreed, 0 disagreed, 0 abstained")).to_be_visible()

    # Every member has responded: the outcome, closing the phase under way.
    page.get_by_role("link", name="Record the outcome").click()
    assert_accessible(page)
    page.get_by_label("This decision closes the current phase").check()
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_text("The outcome has been recorded: approved. Scoping is closed.")).to_be_visible()
    taken = f"By written procedure, closed {today:%-d %B %Y}"
    expect(page.get_by_text(taken)).to_be_visible()
    assert_accessible(page)
    scoping = Phase.objects.get(pk=process.phases[0].pk)
    assert scoping.actual_end == today
    decision = Decision.objects.get(kind=Decision.Kind.WRITTEN)

    # The forward plan: what comes next, and the decision just taken.
    page.goto(f"/{slug}/timeline/forward-plan/")
    page.get_by_role("link", name="Add to the forward plan").click()
    page.get_by_label("Decision to be taken").fill("Agree the evidence base")
    _fill_date(page, "Expected date", today + timedelta(days=40))
    page.get_by_label("Papers expected (optional)").fill("The evidence base report")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("“Agree the evidence base” has been added to the forward plan.")).to_be_visible()
    page.get_by_role("link", name="Add to the forward plan").click()
    page.get_by_label("Decision to be taken").fill("Agree the scope")
    _fill_date(page, "Expected date", today)
    page.get_by_label("Taken", exact=True).check()
    page.get_by_label("The decision, once taken").select_option(
        label=f"{today:%-d %b %Y}, {process.board.name}: {decision.text}"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Recently taken")).to_be_visible()
    sign_out(page)

    # A visitor, signed out, reads the forward plan and follows it to the decision.
    page.goto(f"/{slug}/timeline/forward-plan/")
    expect(page.get_by_role("heading", level=1, name="Forward plan")).to_be_visible()
    expect(page.get_by_role("cell", name="Agree the evidence base")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Agree the scope").click()
    expect(page.get_by_text(RESOLUTION).first).to_be_visible()
    expect(page.get_by_text(taken)).to_be_visible()
    expect(page.get_by_text("1 agreed, 0 disagreed, 0 abstained")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Resolution"))).to_have_count(0)  # the procedure is the board's
    assert_accessible(page)
