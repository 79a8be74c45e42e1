"""An officer opens a call's page, follows it to the synthesis of the priorities received (charts
with their tables, the most-backed priorities, the uncoded ones to code), then a consultation's
synthesis, and downloads the priorities as XLSX. axe-core finds no WCAG 2.2 AA violation on any
page visited."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.test_engagement_priorities_journey import sign_in
from tests.conftest import Cast
from tests.engagement.conftest import make_consultation, make_priority, make_response, make_setting, partner_org

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_reads_the_synthesis_of_a_call_and_of_a_consultation(page: Any, cast: Cast) -> None:
    setting = make_setting(cast.strategy, code=100)
    university = partner_org(setting)
    make_priority(
        setting,
        cast.councillor,
        title="A ports skills centre",
        areas=[setting.district],
        backing_organisations=[university],
    )
    make_priority(setting, cast.councillor, title="=Faster broadband", areas=[setting.other_district])
    consultation = make_consultation(setting)
    make_response(setting, consultation, cast.partner)
    slug = cast.strategy.slug

    sign_in(page, cast.officer.email)
    page.goto(f"/{slug}/engagement/calls/{setting.call.pk}/")
    page.get_by_role("link", name="See the synthesis").click()
    expect(page.get_by_role("heading", level=1, name="Synthesis of the priorities received")).to_be_visible()
    expect(page.get_by_role("img", name="By place")).to_be_visible()
    expect(page.get_by_role("table", name="The chart’s figures: by place")).to_contain_text(setting.district.name)
    expect(page.get_by_role("link", name="A ports skills centre")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download them (XLSX)").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert sheet is not None
    titles = {row[4] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert titles == {"A ports skills centre", "=Faster broadband"}  # text, never a formula (core.spreadsheets)

    page.get_by_role("link", name="Code the 2 not coded yet").click()
    expect(page.get_by_role("heading", level=1, name="Priorities received")).to_be_visible()
    expect(page.get_by_text("2 priorities match the filter")).to_be_visible()

    page.goto(f"/{slug}/engagement/consultations/{consultation.pk}/")
    page.get_by_role("link", name="See the synthesis").click()
    expect(page.get_by_role("heading", level=1, name="Synthesis of the responses received")).to_be_visible()
    expect(page.get_by_role("img", name="Question 2: Which foundation matters most to you?")).to_be_visible()
    expect(page.get_by_role("table", name="The chart’s figures: by kind of organisation")).to_contain_text("University")
    assert_accessible(page)
    page.get_by_role("link", name="Back to the consultation").click()
    expect(page.get_by_role("heading", level=1, name=consultation.title)).to_be_visible()
