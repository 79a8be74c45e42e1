"""A visitor reads the South East's published timeline without signing in; an officer opens the
full Gantt chart. Both pages have no WCAG 2.2 AA violation that axe-core can find."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.sign_in import pass_two_factor

DEMO_PASSWORD = "x-demo-password"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    call_command("loaddemo", stdout=io.StringIO())


def _screenshot(page: Any, name: str) -> None:
    """Set SCREENSHOT_DIR to look at the pages as a person would."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_anonymous_visitor_reads_the_published_timeline(page: Any, demo: None) -> None:
    page.goto("/south-east/timeline/")
    expect(page.get_by_role("heading", level=1, name="Timeline")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("Current phase: Drafting of the LIS")
    expect(main).to_contain_text("A replay")  # the schedule note

    # The Gantt chart: one image with a name, a bar per phase, and its table behind a details.
    chart = page.get_by_role("img", name=re.compile("Gantt chart of the phases and key milestones"))
    expect(chart).to_be_visible()
    assert chart.locator(".app-gantt-chart__phase").count() == 6
    expect(chart.locator(".app-gantt-chart__today")).to_have_count(1)
    table = page.locator(".app-gantt-chart__table")
    expect(table).to_be_hidden()
    page.get_by_text("Show the Gantt chart as a table").click()
    expect(table).to_be_visible()
    drafting = table.get_by_role("row", name=re.compile("Phase 3: Drafting of the LIS"))
    expect(drafting).to_contain_text("Current")
    expect(table).to_contain_text("Final draft to be agreed by Strategic Board")  # a key milestone

    # The phases table says which phase is current; key milestones; the calendar feed.
    phases = page.get_by_role("table", name=re.compile("The phases, their status"))
    expect(phases.get_by_role("row", name=re.compile("Drafting of the LIS"))).to_contain_text("Current")
    expect(main).to_contain_text("Progress and structure agreed through Federated (September)")
    expect(page.get_by_role("link", name="Subscribe in your calendar app")).to_have_attribute(
        "href", re.compile(r"^webcal://.*/south-east/timeline/calendar\.ics$")
    )
    # Nothing for signed-in people only.
    expect(page.get_by_role("link", name="Timeline dashboard")).to_have_count(0)
    _screenshot(page, "public-timeline")
    assert_accessible(page)

    # On a phone the chart keeps a legible size and scrolls sideways, from the keyboard too.
    page.set_viewport_size({"width": 375, "height": 800})
    box = page.locator(".app-gantt-chart").first
    assert box.evaluate("(element) => element.scrollWidth > element.clientWidth")
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.app-gantt-chart').scrollLeft > 0")
    # Nothing else makes the page scroll sideways (the Gantt table scrolls in its own box).
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll("main *")]
            .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
            .filter((element) => !element.closest(".app-gantt-chart, .app-gantt-chart__table-wrapper"))
            .map((element) => element.outerHTML.slice(0, 80))"""
    )
    assert overflowing == []
    _screenshot(page, "public-timeline-phone")
    assert_accessible(page)


def test_officer_opens_the_full_gantt_chart(page: Any, demo: None) -> None:
    page.goto("/south-east/timeline/gantt/")
    page.wait_for_url(re.compile(r"/accounts/.*next="))
    page.get_by_label("Email address").fill("officer@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_two_factor(page, "officer@example.org")
    page.wait_for_url(re.compile(r"/south-east/timeline/gantt/$"))

    expect(page.get_by_role("heading", level=1, name="Gantt chart")).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("Gantt chart of the phases and milestones"))
    expect(chart).to_be_visible()
    assert chart.locator(".app-gantt-chart__phase").count() == 6
    assert (
        chart.locator(".app-gantt-chart__milestone").count() == 22
    )  # every task of the six phases (4 + 7 + 4 + 3 + 1 + 3)
    _screenshot(page, "full-gantt")
    assert_accessible(page)
    page.get_by_text("Show the Gantt chart as a table").click()
    assert_accessible(page)

    # From the published timeline, the officer finds the way back and to their own calendar.
    page.goto("/south-east/timeline/")
    expect(page.get_by_role("link", name="Full Gantt chart, with every milestone")).to_be_visible()
    page.get_by_role("link", name="Add your own milestones and meetings to your calendar").click()
    expect(page.get_by_role("heading", level=1, name="Your calendar")).to_be_visible()
    address = page.get_by_label("Your secret calendar address").input_value()
    assert re.search(r"/calendar/[\w-]+\.ics$", address)
    assert_accessible(page)
    page.get_by_role("button", name="Reset the address").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("has been reset")
    assert page.get_by_label("Your secret calendar address").input_value() != address
    _screenshot(page, "calendar-settings")
    assert_accessible(page)
