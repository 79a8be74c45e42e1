"""An officer creates a workshop on the people foundation, attaches a feedback template, adds a
contact, logs an engagement at the workshop, adds a planned activity that the workshop delivers and
reads the plan against what happened; a councillor then reads the workshop without its internal
notes. axe-core finds no WCAG 2.2 AA violation on any page visited."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Organisation
from engagement.models import Consultation, EngagementEntry, Event, PlannedActivity
from tests.browser.axe import assert_accessible
from tests.browser.test_engagement_consultation_journey import fill_date
from tests.browser.test_engagement_priorities_journey import sign_in
from tests.conftest import Cast
from tests.engagement.conftest import make_setting

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Workshop on the people foundation"


def test_an_officer_runs_a_workshop_and_reads_the_plan_against_what_happened(page: Any, cast: Cast) -> None:
    make_setting(cast.strategy, code=100)
    slug = cast.strategy.slug
    university = Organisation.objects.get(slug=f"{slug}-university")
    today = timezone.localtime()

    sign_in(page, cast.officer.email)
    page.goto(f"/{slug}/engagement/")
    assert_accessible(page)

    # A planned activity first, so the workshop can deliver it.
    page.get_by_role("link", name="Communications and engagement plan").click()
    expect(page.get_by_role("heading", level=1, name="Plan against what happened")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add a planned activity").click()
    page.get_by_role("button", name="Save activity").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Title").fill("Workshops with universities and colleges")
    page.get_by_label("Universities and colleges").check()
    page.get_by_label("Channel").fill("Workshop")
    fill_date(page, "Planned date", today + timedelta(days=7))
    page.get_by_label("Owner (optional)").select_option(label=cast.officer.name)
    page.get_by_role("button", name="Save activity").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("added to the plan")

    # The workshop: a theme is required; the error says so.
    page.goto(f"/{slug}/engagement/events/")
    expect(page.get_by_role("heading", level=1, name="Events and workshops")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Create an event").click()
    expect(page.get_by_role("heading", level=1, name="Create an event")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Workshop", exact=True).check()
    page.get_by_label("Title").fill(TITLE)
    fill_date(page, "Date", today + timedelta(days=7))
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_label("Place").fill("online")
    page.get_by_label("Kent Borough Council").check()
    page.get_by_label("Kent University").check()
    page.get_by_label("Notes (optional)", exact=True).fill("We will discuss **skills** and apprenticeships.")
    page.get_by_label("Internal notes (optional)").fill("Room budget agreed.")
    page.get_by_label("Planned activity it delivers (optional)").select_option(
        label="Workshops with universities and colleges"
    )
    page.get_by_role("button", name="Save event").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose the foundation or grand challenge")
    assert_accessible(page)
    page.get_by_label("Foundation or grand challenge").select_option(label="People (foundation)")
    page.get_by_role("button", name="Save event").click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(page.locator("main strong", has_text="skills")).to_be_visible()
    assert_accessible(page)

    # Feedback: a short consultation with the three default questions, one changed.
    page.get_by_role("link", name="Attach a feedback template").click()
    expect(page.get_by_role("heading", level=1, name="Attach a feedback template")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("^Everyone")).check()
    page.get_by_label("The phase the feedback serves").select_option(index=1)
    page.get_by_label("Question 2: free text").fill("What should the strategy do for skills?")
    page.get_by_role("button", name="Attach feedback").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Feedback template attached")
    expect(page.get_by_text("0 responses submitted")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Feedback: {TITLE}").click()
    expect(page.locator("main ol li")).to_have_count(3)
    page.go_back()

    # A contact, then an engagement at the workshop.
    page.goto(f"/{slug}/engagement/")
    page.get_by_role("link", name="Stakeholder register").click()
    expect(page.get_by_role("heading", level=1, name="Stakeholder register")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add a contact").click()
    page.get_by_label("Name", exact=True).fill("Priya Patel")
    page.get_by_label("Organisation (optional)").select_option(label=f"{university.name} (university)")
    page.get_by_label("Role or title (optional)").fill("Director of Enterprise")
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the consent or other basis")
    assert_accessible(page)
    page.get_by_label("Consent or basis for holding these details").fill("Consent given by email.")
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_role("heading", level=1, name="Priya Patel")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Log an engagement with Priya Patel").click()
    expect(page.get_by_role("heading", level=1, name="Log an engagement")).to_be_visible()
    assert_accessible(page)
    fill_date(page, "When", today)
    page.get_by_label("Phone or video call").check()
    page.get_by_label("About what").fill("Places for apprentices at the workshop.")
    page.get_by_label("At the event (optional)").select_option(label=TITLE)
    page.get_by_role("button", name="Log engagement").click()
    expect(page.get_by_role("heading", level=1, name="Engagement log")).to_be_visible()
    expect(page.get_by_text("Places for apprentices at the workshop.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=university.name).first.click()
    expect(page.get_by_role("heading", level=1, name=university.name)).to_be_visible()
    assert_accessible(page)

    # The plan against what happened: the activity with the workshop that delivers it.
    page.goto(f"/{slug}/engagement/plan/")
    row = page.locator("tr", has_text="Workshops with universities and colleges")
    expect(row).to_contain_text(TITLE)
    expect(page.get_by_text("Places for apprentices at the workshop.")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Workshops with universities and colleges").click()
    expect(page.get_by_role("heading", level=1, name="Edit the planned activity")).to_be_visible()
    assert_accessible(page)

    event = Event.objects.get()
    assert event.feedback is not None and event.planned_activity == PlannedActivity.objects.get()
    assert Consultation.objects.get().questions.count() == 3
    assert EngagementEntry.objects.get().event == event

    # The officer's other pages: edit and cancel forms.
    page.goto(f"/{slug}/engagement/events/{event.pk}/edit/")
    expect(page.get_by_role("heading", level=1, name="Edit the event")).to_be_visible()
    assert_accessible(page)
    page.goto(f"/{slug}/engagement/events/{event.pk}/cancel/")
    expect(page.get_by_role("heading", level=1, name="Cancel the event")).to_be_visible()
    assert_accessible(page)
    contact = event.entries.get().contact
    assert contact is not None
    page.goto(f"/{slug}/engagement/register/contacts/{contact.pk}/remove/")
    expect(page.get_by_role("heading", level=1, name="Remove Priya Patel?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # A councillor reads the workshop, without its internal notes.
    sign_in(page, cast.councillor.email)
    page.goto(f"/{slug}/engagement/events/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(page.get_by_text("Room budget agreed.")).to_have_count(0)
    assert_accessible(page)
