"""A member of the public, signed out, finds a consultation open to everyone on the strategy's
overview, answers it, is told to check their email, follows the emailed link and confirms; the
officer sees the response in the list, credited as the person chose, and enters a paper form on
someone's behalf. axe-core finds no WCAG 2.2 AA violation on any page visited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Email
from engagement.models import ConsultationResponse
from tests.browser.axe import assert_accessible
from tests.browser.test_engagement_priorities_journey import sign_in
from tests.conftest import Cast
from tests.engagement.conftest import make_consultation, make_setting

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Have your say on the draft strategy"


def test_a_member_of_the_public_responds_and_confirms_and_the_officer_sees_it(page: Any, cast: Cast) -> None:
    setting = make_setting(cast.strategy, code=100)
    consultation = make_consultation(setting, audience="public", title=TITLE)
    slug = cast.strategy.slug

    # Signed out: from the overview to the public response page.
    page.goto(f"/{slug}/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    assert_accessible(page)
    # The honeypot is there for bots, hidden from people and assistive technology.
    expect(page.get_by_role("textbox", name="Leave this field empty")).to_have_count(0)  # not for assistive tech
    box = page.locator("#id_website").bounding_box()
    assert box is not None and box["x"] + box["width"] < 0  # nor on screen
    page.get_by_role("button", name="Send your response").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("1. What should the strategy do for skills?").fill("Apprenticeships at the ports.")
    page.get_by_label("People").check()
    page.get_by_role("group", name=re.compile("How far do you agree")).get_by_label("4").check()
    page.get_by_label("Your name (optional)").fill("Pat Public")
    page.get_by_label("Your email address").fill("pat@example.org")
    page.get_by_role("group", name="May we publish your response?").get_by_label("Yes").check()
    page.get_by_label("Anonymously").check()
    page.get_by_role("button", name="Send your response").click()
    expect(page.get_by_role("heading", level=1, name="Check your email")).to_be_visible()
    assert_accessible(page)

    # The emailed link, read from the outbox.
    email = Email.objects.get(to="pat@example.org")
    match = re.search(r"https?://\S+", email.body)
    assert match is not None
    path = re.sub(r"^https?://[^/]+", "", match.group(0))
    page.goto(path)
    expect(page.get_by_role("heading", level=1, name="Confirm your response")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my response").click()
    expect(page.get_by_role("heading", level=1, name="Response confirmed")).to_be_visible()
    assert_accessible(page)
    assert ConsultationResponse.objects.get().status == ConsultationResponse.Status.SUBMITTED

    # The officer sees it, and enters a paper form on someone's behalf.
    sign_in(page, cast.officer.email)
    page.goto(f"/{slug}/engagement/consultations/{consultation.pk}/responses/")
    expect(page.get_by_role("heading", level=1, name="Responses received")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Pat Public (member of the public)")
    expect(page.locator("main")).to_contain_text("Credit: A member of the public")
    assert_accessible(page)
    page.get_by_role("link", name="Pat Public (member of the public)").click()
    expect(page.locator("main")).to_contain_text("pat@example.org")
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Enter a response on someone’s behalf").click()
    expect(page.get_by_role("heading", level=1, name="Enter a response on someone’s behalf")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Enter the response").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("On behalf of").select_option(label="kent University")
    page.get_by_label("Paper form").check()
    today = timezone.localdate()
    group = page.get_by_role("group", name="Date received")
    group.get_by_label("Day").fill(str(today.day))
    group.get_by_label("Month").fill(str(today.month))
    group.get_by_label("Year").fill(str(today.year))
    page.get_by_label("1. What should the strategy do for skills?").fill("From the Margate workshop.")
    page.get_by_label("Ideas").check()
    page.get_by_role("group", name=re.compile("How far do you agree")).get_by_label("2").check()
    page.get_by_role("button", name="Enter the response").click()
    marked = "Entered by Kent Officer on behalf of kent University, from paper form"
    expect(page.locator("main")).to_contain_text(marked)
    assert_accessible(page)

    # And a council's priority from a phone call, on the council's behalf.
    page.goto(f"/{slug}/engagement/calls/{setting.call.pk}/priorities/")
    page.get_by_role("link", name="Enter a priority on a council’s behalf").click()
    expect(page.get_by_role("heading", level=1, name="Enter a priority on a council’s behalf")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Phone").check()
    group = page.get_by_role("group", name="Date received")
    group.get_by_label("Day").fill(str(today.day))
    group.get_by_label("Month").fill(str(today.month))
    group.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Title", exact=True).fill("Ports skills")
    page.get_by_role("button", name="Enter the priority").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Summary").fill("A skills centre at the ports.")
    page.get_by_label("Why it matters").fill("Employers cannot find the people they need.")
    page.get_by_label("People", exact=True).check()
    page.get_by_label("Local", exact=True).check()
    page.get_by_role("button", name="Enter the priority").click()
    expect(page.locator("main")).to_contain_text(
        "Entered by Kent Officer on behalf of kent Borough Council, from phone"
    )
    assert_accessible(page)
