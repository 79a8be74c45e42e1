"""An officer creates a consultation for partners and adds a question of each kind; a partner
starts their university's response, saves it, comes back, submits it and sees it; the officer
watches it arrive, codes it, publishes the LEP's response ("you said, we did") and hides it with a
reason; the partner sees the response. axe-core finds no WCAG 2.2 AA violation on any page visited."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from engagement.models import Consultation, ConsultationResponse
from tests.browser.axe import assert_accessible
from tests.browser.test_engagement_priorities_journey import sign_in
from tests.conftest import Cast
from tests.engagement.conftest import make_setting

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Consultation on the emerging propositions"
REPLY = "Your point on skills is now part of the emerging proposition on ports."


def fill_date(page: Any, legend: str, moment: Any) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(moment.day))
    group.get_by_label("Month").fill(str(moment.month))
    group.get_by_label("Year").fill(str(moment.year))


def add_question(page: Any, kind: str, text: str, choices: str = "") -> None:
    page.get_by_role("link", name="Add a question").click()
    expect(page.get_by_role("heading", level=1, name="Add a question")).to_be_visible()
    page.get_by_label(kind).check()
    page.get_by_label("Question", exact=True).fill(text)
    if choices:
        page.get_by_label("Choices").fill(choices)
    page.get_by_role("button", name="Add question").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Question added")


def test_a_partner_responds_to_a_consultation_and_sees_the_lep_response(page: Any, cast: Cast) -> None:
    make_setting(cast.strategy, code=100)
    slug = cast.strategy.slug
    today = timezone.localtime()

    # The officer: a consultation for partners with four questions.
    sign_in(page, cast.officer.email)
    page.goto(f"/{slug}/engagement/")
    page.get_by_role("link", name="Create a consultation").click()
    expect(page.get_by_role("heading", level=1, name="Create a consultation")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("What it asks about").fill("Tell us what you think of the emerging propositions.")
    page.get_by_label(re.compile("^Partners")).check()
    fill_date(page, "Opens on", today - timedelta(days=1))
    page.get_by_label("Opens at").fill("09:00")
    fill_date(page, "Closes on", today + timedelta(days=14))
    page.get_by_label("Closes at").fill("17:00")
    page.get_by_role("button", name="Save consultation").click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add a question").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add question").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Back").click()
    add_question(page, "Free text", "What should the strategy do for skills?")
    add_question(page, "Single choice", "Which foundation matters most to you?", "Ideas\nPeople\nPlaces")
    add_question(page, "Multiple choice", "Which places do you work in?", "Medway\nThanet\nDover")
    add_question(page, "A scale from 1 to 5", "How far do you agree with the draft vision?")
    expect(page.locator("main ol li")).to_have_count(4)
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # The partner: starts, saves, comes back and submits.
    sign_in(page, cast.partner.email)
    page.goto(f"/{slug}/engagement/")
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    assert_accessible(page)
    page.get_by_role("button", name="Start the response").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Your response for"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("1. What should the strategy do for skills?").fill("A ports and logistics skills centre.")
    page.get_by_label("People").check()
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Answers saved")
    assert_accessible(page)

    page.goto(f"/{slug}/engagement/responses/")
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Continue the response").click()
    page.get_by_role("button", name="Submit response").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("answer questions 3 and 4")
    assert_accessible(page)
    page.get_by_label("Thanet").check()
    page.get_by_role("group", name=re.compile("How far do you agree")).get_by_label("4").check()
    page.get_by_role("button", name="Submit response").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Response submitted")
    expect(page.locator("main")).to_contain_text("4 of 5")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # The officer: watches it arrive, codes, responds, hides with a reason.
    sign_in(page, cast.officer.email)
    page.goto(f"/{slug}/engagement/consultations/")
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="See the responses").click()
    expect(page.get_by_role("heading", level=1, name="Responses received")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("University")).click()
    assert_accessible(page)
    page.get_by_role("link", name="Code the response").click()
    assert_accessible(page)
    page.get_by_label("People").check()
    page.get_by_label("Tags").fill("skills, ports")
    page.get_by_role("button", name="Save coding").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Coding")
    page.get_by_role("link", name="Respond to the response").click()
    assert_accessible(page)
    page.get_by_label("The LEP’s response").fill(REPLY)
    page.get_by_role("button", name="Publish response").click()
    expect(page.locator("main")).to_contain_text(REPLY)
    page.get_by_role("link", name="Hide the response").click()
    assert_accessible(page)
    page.get_by_label("Why hide it").fill("It names a member of staff.")
    page.get_by_role("button", name="Hide response").click()
    expect(page.locator("main")).to_contain_text("Hidden from shared views")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # The partner sees the LEP's response.
    sign_in(page, cast.partner.email)
    page.goto(f"/{slug}/engagement/responses/")
    expect(page.get_by_role("row", name=re.compile(TITLE))).to_contain_text("Responded")
    assert_accessible(page)

    response = ConsultationResponse.objects.get()
    assert response.status == "submitted" and response.reply == REPLY and response.is_hidden
    assert response.consultation == Consultation.objects.get(title=TITLE)
    assert [t.name for t in response.tags.all()] == ["ports", "skills"]
