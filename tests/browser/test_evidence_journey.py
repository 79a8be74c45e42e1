"""An officer signs in, uploads a report to the evidence library, imports the BRES file, and opens
the sector specialisms and the gaps matrix; axe-core finds no WCAG 2.2 AA violation on any page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.sign_in import pass_two_factor
from tests.conftest import Cast
from tests.evidence.conftest import BRES_FILE, Places, make_places, pdf_bytes
from tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def places(cast: Cast) -> Places:
    return make_places(cast)


def test_officer_builds_the_evidence_base(page: Any, cast: Cast, places: Places, media: None, tmp_path: Path) -> None:
    slug = cast.strategy.slug
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(cast.officer.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_two_factor(page, cast.officer.email)
    page.wait_for_url(re.compile(r"/$"))

    # The evidence base home, then the form to add a report.
    page.goto(f"/{slug}/evidence/")
    expect(page.get_by_role("heading", level=1, name="Evidence base")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add evidence").click()
    expect(page.get_by_role("heading", level=1, name="Add evidence")).to_be_visible()
    assert_accessible(page)

    # Submitting an empty form shows the error summary, which is accessible too.
    page.get_by_role("button", name="Add evidence").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)

    report = tmp_path / "skills-audit.pdf"
    report.write_bytes(pdf_bytes())
    page.get_by_label("Title").fill("Kent and Medway skills audit 2019")
    page.get_by_label("Report", exact=True).check()
    page.get_by_label("Summary").fill("Shortages in construction and digital skills across Kent and Medway.")
    page.get_by_label("Publisher").fill("Kent County Council")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2019")
    page.get_by_label("Or upload a file").set_input_files(str(report))
    page.get_by_label("Partners: people taking part in the strategy").check()
    page.get_by_label("People", exact=True).check()
    page.get_by_label("Medway (E06000035)").check()
    page.get_by_role("button", name="Add evidence").click()
    expect(page.get_by_role("heading", level=1, name="Kent and Medway skills audit 2019")).to_be_visible()
    expect(page.get_by_role("link", name="Download skills-audit.pdf")).to_be_visible()
    assert_accessible(page)

    # The officer edits the item: the file is kept, the summary changes.
    page.get_by_role("link", name="Edit Kent and Medway skills audit 2019").click()
    expect(page.get_by_role("heading", level=1, name="Edit evidence")).to_be_visible()
    expect(page.get_by_text("Leave empty to keep skills-audit.pdf")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Summary").fill("Shortages in construction, digital and care skills across Kent and Medway.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Shortages in construction, digital and care skills")).to_be_visible()
    expect(page.get_by_role("link", name="Download skills-audit.pdf")).to_be_visible()
    assert_accessible(page)

    # Import the shipped BRES file: upload, preview, start.
    page.goto(f"/{slug}/evidence/imports/")
    expect(page.get_by_role("heading", level=1, name="Import indicator data")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("CSV file").set_input_files(str(BRES_FILE))
    page.get_by_label(re.compile("^Nomis BRES employment")).check()
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("The header matches the layout.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Start the import").click()
    expect(page.get_by_role("heading", name="Import complete")).to_be_visible(timeout=60_000)
    assert_accessible(page)

    # Sector specialisms: Kent, 2021, warehousing among the specialisms.
    page.get_by_role("link", name="See the sector specialisms").click()
    expect(page.get_by_role("heading", level=1, name="Sector specialisms")).to_be_visible()
    main = page.locator("main").inner_text()
    assert "Kent (UKJ4)" in main and "Warehousing and support activities for transportation" in main
    expect(page.locator("svg[role=img]")).to_be_visible()
    # The chart's labels at body size as drawn on the screen: the font size times the SVG's scale.
    label_px = page.evaluate(
        """() => {
          const svg = document.querySelector("svg[role=img]");
          const size = parseFloat(getComputedStyle(svg.querySelector("text")).fontSize);
          return size * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        }"""
    )
    assert label_px >= 16, label_px
    assert_accessible(page)
    page.get_by_label("Area").select_option("UKH3")
    page.get_by_label("Year").select_option("2015")
    page.get_by_role("button", name="Show").click()
    assert "Essex (UKH3)" in page.locator("main").inner_text()
    assert_accessible(page)

    # The gaps matrix: Medway has the report under People; other cells are gaps.
    page.get_by_role("link", name="Gaps and narrative").click()
    expect(page.get_by_role("heading", level=1, name="Gaps in the evidence")).to_be_visible()
    expect(page.get_by_role("link", name="1 item on People in Medway")).to_be_visible()
    # At 1280 px the matrix is wider than the page: it says it scrolls, its region takes the
    # keyboard, and area names have room (not one word a line).
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.get_by_text("scroll sideways to see every column")).to_be_visible()
    region = page.get_by_role("region", name="Evidence coverage by area and theme")
    region.focus()
    expect(region).to_be_focused()
    assert page.evaluate("(el) => el.scrollWidth > el.clientWidth", region.element_handle())
    box = page.locator("th.app-gaps__area").nth(1).bounding_box()
    assert box is not None and box["width"] >= 200
    assert_accessible(page)
    page.get_by_role("link", name="1 item on People in Medway").click()
    expect(page.get_by_role("link", name="Kent and Medway skills audit 2019")).to_be_visible()
    assert_accessible(page)

    # The officer writes the narrative for People beside the matrix.
    page.goto(f"/{slug}/evidence/gaps/")
    page.get_by_role("link", name="Edit the narrative for People").click()
    expect(page.get_by_role("heading", level=1, name="People")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Strengths").fill("Two universities and a growing digital sector.")
    page.get_by_role("button", name="Save narrative").click()
    expect(page.get_by_text("Two universities and a growing digital sector.")).to_be_visible()
    assert_accessible(page)

    # A second item, added and then removed after the confirmation page.
    page.goto(f"/{slug}/evidence/items/new/")
    page.get_by_label("Title").fill("Superseded skills note")
    page.get_by_label("Statistic", exact=True).check()
    page.get_by_label("Summary").fill("An early note, replaced by the audit.")
    page.get_by_label("Publisher").fill("Kent County Council")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2018")
    page.get_by_label("Link").fill("https://www.kent.gov.uk/")
    page.get_by_label("Officers only").check()
    page.get_by_role("button", name="Add evidence").click()
    page.get_by_role("link", name="Remove Superseded skills note").click()
    expect(
        page.get_by_role("heading", level=1, name="Remove “Superseded skills note” from the evidence library?")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Remove the item").click()
    expect(page.get_by_text("Evidence “Superseded skills note” removed.")).to_be_visible()
    assert_accessible(page)

    # The other open pages of the evidence base.
    for path in ("productivity/", "indicators/", "open-data/", "contributors/"):
        page.goto(f"/{slug}/evidence/{path}")
        assert_accessible(page)

    # Signed out, the public sees the open library (the partners-level report is not in it) and the specialisms.
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"/{slug}/evidence/items/")
    expect(page.get_by_text("You are seeing the evidence that is open to everyone.")).to_be_visible()
    assert "Kent and Medway skills audit 2019" not in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(f"/{slug}/evidence/specialisms/")
    expect(page.get_by_role("heading", level=1, name="Sector specialisms")).to_be_visible()
    assert_accessible(page)
