"""The demo as `make run` loads it, followed in Chromium by each role — no extra setup in the test.

- The councillor opens "Your work", goes to the council's priorities, follows one to the
  proposition it was merged into and to the draft section that cites it.
- The officer's landing page counts lead to the lists they count, filtered.
- The board member opens the next meeting, reads one paper in the browser, downloads that paper's
  PDF and the current members' pack.
- A signed-out visitor reads the strategy's overview and its published timeline.

Every page visited has no axe-core violation and no Nu HTML checker error. The demo loads once
(it takes a while: it renders two packs); the browser tests around it flush the database after
each test, so the four journeys are one test."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.axe import assert_accessible
from tests.browser.sign_in import pass_two_factor

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "demo-journeys-password"
SLUG = "south-east"


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # the packs and the appendix the demo makes
    monkeypatch.setenv("DEMO_PASSWORD", PASSWORD)
    call_command("loaddemo", stdout=io.StringIO())


@pytest.fixture
def as_person(browser: Any, nu_checker: Any, live_server: Any) -> Iterator[Any]:
    """Open a new browser context signed in as the demo account `email` (None: signed out)."""
    contexts: list[Any] = []

    def open_as(email: str | None) -> Any:
        context = browser.new_context(base_url=live_server.url, locale="en-GB", accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if email:
            page.goto("/accounts/sign-in/")
            page.get_by_label("Email address").fill(email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            pass_two_factor(page, email)
            page.get_by_role("link", name=re.compile(r"^Your work in ")).first.click()
            expect(page.get_by_role("heading", level=1, name="Your work")).to_be_visible()
            assert_accessible(page)
        return page

    yield open_as
    for context in contexts:
        context.close()


def _pdf_text(download: Any) -> str:
    with open(download.path(), "rb") as handle:
        return "\n".join(page.extract_text() or "" for page in PdfReader(handle).pages)


def _councillor(page: Any) -> None:
    page.get_by_role("link", name=re.compile("^Your council’s priorities")).first.click()
    page.get_by_role("link", name="Junction and rail capacity on the A20/M20 corridor").click()
    expect(page.get_by_role("heading", level=2, name="Where it went")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Connecting the South East: the estuary crossings and rail (demo)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Connecting the South East: the estuary crossings and rail (demo)"
    )
    expect(page.get_by_text("Junction and rail capacity on the A20/M20 corridor")).to_be_visible()
    expect(page.get_by_role("button", name="Change status")).to_have_count(0)  # reading, not changing
    assert_accessible(page)
    page.go_back()
    page.locator("#where-it-went ~ ol").get_by_role("link", name="Infrastructure").click()
    page.wait_for_url(re.compile(r"/documents/draft/versions/\d+/#section-\d+$"))
    section = page.locator(f"#{page.url.rsplit('#', 1)[1]}")
    expect(section.get_by_role("heading", level=2)).to_contain_text("Infrastructure")
    expect(section).to_contain_text("Junction and rail capacity on the A20/M20 corridor")
    assert_accessible(page)


def _officer(page: Any) -> None:
    expected = {
        "Milestones overdue": re.compile(r"/timeline/milestones/\?due=overdue$"),
        "Milestones at risk": re.compile(r"/timeline/milestones/\?status=at_risk$"),
    }
    for label, address in expected.items():
        row = page.locator(".govuk-task-list__item", has=page.get_by_role("link", name=label))
        count = int(row.locator(".govuk-tag").inner_text())
        assert count > 0, f"the demo has no {label.lower()}"
        row.get_by_role("link", name=label).click()
        page.wait_for_url(address)
        counted = "1 milestone matches" if count == 1 else f"{count} milestones match"
        expect(page.get_by_text(f"{counted} the filter.")).to_be_visible()
        assert_accessible(page)
        page.go_back()
    unanswered = page.get_by_role("link", name=re.compile("^Priorities not yet answered"))
    row = page.locator(".govuk-task-list__item", has=unanswered)
    row.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/priorities/\?status=submitted&responded=no$"))
    assert_accessible(page)


def _board_member(page: Any) -> None:
    page.get_by_role("link", name=re.compile(r"^Agenda and papers for Strategic Board")).first.click()
    expect(page.get_by_role("heading", name="Agenda and papers")).to_be_visible()
    assert_accessible(page)
    paper_title = "The draft Local Industrial Strategy: version 2 (demo)"
    page.get_by_role("link", name=re.compile(f"^Read the paper.*{re.escape(paper_title)}")).click()
    expect(page.get_by_role("heading", level=1, name=paper_title)).to_be_visible()
    expect(page.get_by_role("heading", name="Recommendations")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download this paper as a PDF").click()
    assert paper_title in _pdf_text(info.value).replace("\n", " ")
    page.get_by_role("link", name=re.compile("^Strategic Board: the draft Local Industrial Strategy")).first.click()
    expect(page.get_by_role("heading", name="Agenda and papers")).to_be_visible()
    packs = page.locator("#packs ~ table").first
    members = packs.locator("tr", has=page.get_by_role("link", name=re.compile("^Members")))
    expect(members).to_contain_text("Current")
    members.get_by_role("link", name=re.compile("^Members")).click()
    expect(page.get_by_role("link", name="Download the pack (PDF)")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the pack (PDF)").click()
    text = _pdf_text(info.value)
    assert "South East" in text and "Recommendations" in text


def _visitor(page: Any) -> None:
    page.goto("/")
    page.get_by_role("link", name="South East Local Industrial Strategy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("South East Local Industrial Strategy")
    expect(page.get_by_role("heading", name="The six phases")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Timeline", exact=True).click()
    expect(page.get_by_role("heading", name="Key milestones", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Decisions", exact=True)).to_be_visible()
    assert_accessible(page)


def test_every_role_follows_the_cycle_on_the_demo_as_loaded(demo: None, as_person: Any) -> None:
    _councillor(as_person("councillor@example.org"))
    _officer(as_person("officer@example.org"))
    _board_member(as_person("board@example.org"))
    _visitor(as_person(None))
