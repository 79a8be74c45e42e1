"""An officer requests a members' pack and watches it complete (htmx, no reload) while a real
Celery worker renders it; a board member downloads it; a member of another board, and a board
member of another strategy, get 404. axe-core finds no WCAG 2.2 AA violation on any page visited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from core.models import AuditEvent
from documents.models import BoardPaper, Pack
from tests.browser.axe import assert_accessible
from tests.browser.sign_in import pass_two_factor
from tests.conftest import Cast
from tests.documents import conftest as documents_fixtures
from tests.documents.conftest import make_papers
from tests.factories import DEFAULT_PASSWORD, BoardFactory, BoardMembershipFactory, UserFactory

# The documents tests' fixtures: media in a folder of the test's own, and real pack workers.
media = documents_fixtures.media
pack_workers = documents_fixtures.pack_workers

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.celery_worker]


def sign_in(page: Any, email: str) -> None:
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    pass_two_factor(page, email)
    expect(page.get_by_role("heading", name="Your work")).to_be_visible()


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_officer_requests_a_members_pack_and_a_board_member_downloads_it(
    page: Any, cast: Cast, media, pack_workers
) -> None:
    pack_workers()
    papers = make_papers(cast)
    slug = cast.strategy.slug
    federated = BoardFactory(strategy=cast.strategy, name="Kent Federated Board", kind="federated")
    other_board_member = BoardMembershipFactory(board=federated, user=UserFactory(email="fed@kent.example")).user

    sign_in(page, cast.officer.email)
    page.goto(f"/{slug}/documents/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(papers.process.meeting.title)).first.click()
    expect(page.get_by_role("heading", name=papers.process.meeting.title, level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Members’ pack (with exempt items)").check()
    page.get_by_label("Draft strategy version to include").select_option(label="Version 1: For the board")
    page.get_by_role("button", name="Request pack").click()
    expect(page.get_by_role("heading", name=re.compile("Members’ pack"))).to_be_visible()
    url_before = page.url
    assert_accessible(page)
    # The status updates without a reload: htmx polls until the worker has finished.
    download = page.get_by_role("link", name="Download the pack (PDF)")
    expect(download).to_be_visible(timeout=60_000)
    assert page.url == url_before
    expect(page.locator("#pack-status")).to_contain_text("Ready")
    assert_accessible(page)
    pack = Pack.objects.get()
    assert pack.status == Pack.Status.READY and pack.page_count
    sign_out(page)

    sign_in(page, cast.board_member.email)
    page.goto(f"/{slug}/documents/packs/")
    assert_accessible(page)
    page.get_by_role("link", name=str(pack)).click()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the pack (PDF)").click()
    assert info.value.suggested_filename.endswith(".pdf")
    with open(info.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert AuditEvent.objects.filter(verb="pack.downloaded", actor=cast.board_member).count() == 1
    sign_out(page)

    for person in (other_board_member, cast.partner):
        sign_in(page, person.email)
        response = page.goto(f"/{slug}/documents/packs/{pack.pk}/")
        assert response is not None and response.status == 404
        assert_accessible(page)
        response = page.goto(f"/{slug}/documents/packs/{pack.pk}/download/")
        assert response is not None and response.status == 404
        sign_out(page)


def test_officer_drafts_compares_and_writes_a_paper(page: Any, cast: Cast, media) -> None:
    from tests.timeline.conftest import make_process
    from timeline.models import AgendaItem

    process = make_process(cast.strategy)
    item = AgendaItem.objects.create(meeting=process.meeting, number=1, title="Draft strategy")
    slug = cast.strategy.slug
    sign_in(page, cast.officer.email)
    page.goto(f"/{slug}/documents/")
    page.get_by_role("link", name="Start the draft strategy").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_role("heading", name="Sections")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Save version").click()  # no note: an error
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a note")
    assert_accessible(page)
    page.get_by_label("What changed in this version").fill("First outline")
    page.get_by_role("button", name="Save version").click()

    page.get_by_role("link", name="1. Introduction").click()
    page.get_by_label("Text").fill("# Ambition\n\nA productive and *inclusive* economy.")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".app-markdown em")).to_have_text("inclusive")
    assert_accessible(page)
    page.get_by_role("button", name="Save section").click()
    page.get_by_label("What changed in this version").fill("Introduction written")
    page.get_by_role("button", name="Save version").click()
    assert_accessible(page)

    page.get_by_label("Earlier version").select_option(label="Version 1: First outline")
    page.get_by_label("Later version").select_option(label="Version 2: Introduction written")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator(".app-diff ins").first).to_contain_text("productive")
    assert_accessible(page)

    page.goto(f"/{slug}/documents/meetings/{process.meeting.pk}/")
    page.get_by_role("link", name=re.compile("Write paper")).click()
    page.get_by_label("This paper is exempt from publication").check()
    page.get_by_role("button", name="Save paper").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Purpose").fill("To agree the draft.")
    page.get_by_label("Recommendations").fill("Approve the draft.")
    page.get_by_label("Approve").check()
    page.get_by_label("Schedule 12A paragraph").select_option("3")
    page.get_by_label("Why the public interest").fill("Commercial terms under negotiation.")
    page.get_by_role("button", name="Save paper").click()
    expect(page.locator("main")).to_contain_text("Exempt (paragraph 3)")  # the one meeting page's wording
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Edit paper")).click()
    assert_accessible(page)
    assert BoardPaper.objects.get(agenda_item=item).is_exempt

    # The appendix form shares the page with the paper's form, which has a title too: its label
    # and its error summary's link lead to its own title.
    page.get_by_role("button", name="Upload appendix").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a title")
    summary.get_by_role("link", name="Enter a title").click()
    appendix_title = page.locator("form[action$='/appendices/'] input[name='appendix-title']")
    expect(appendix_title).to_be_focused()
    expect(page.get_by_label("Appendix title")).to_have_id(appendix_title.get_attribute("id") or "")
    assert_accessible(page)
